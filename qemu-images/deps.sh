#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# Installs every Debian package memlab needs, and nothing when they are
# all there already: dpkg is asked first, apt only for what is missing.
set -eu

PACKAGES="
	bc
	bison
	build-essential
	busybox-static
	coreutils
	cpio
	flex
	gzip
	kmod
	libc6-dev
	libelf-dev
	libssl-dev
	linux-headers-amd64
	linux-image-amd64
	linux-source-6.1
	perl
	qemu-system-x86
	rsync
	sparse
	xz-utils
"

missing=""
for pkg in $PACKAGES; do
	status=$(dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null || true)
	case "$status" in
	*" installed") ;;
	*) missing="$missing $pkg" ;;
	esac
done

[ -z "$missing" ] && exit 0

if [ "$(id -u)" -ne 0 ]; then
	echo "deps: missing packages:$missing; run as root to install them" >&2
	exit 1
fi
echo "deps: installing$missing"
export DEBIAN_FRONTEND=noninteractive
apt-get update -q
# shellcheck disable=SC2086
apt-get install -y -q --no-install-recommends $missing
