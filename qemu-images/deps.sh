#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# deps.sh [ARCH CACHE]: installs every Debian package memlab needs, and
# nothing when they are all there already: dpkg is asked first, apt only
# for what is missing.  ARCH=arm64 adds the cross toolchain and QEMU for
# aarch64, and unpacks Debian's arm64 kernel, its headers and the guest's
# arm64 userland into CACHE/arm64/<release>/root (see arm64_root below).
set -eu
arch=${1:-x86}
cache=${2:-$HOME/.cache/memlab}
here=$(cd "$(dirname "$0")" && pwd)

PACKAGES="
	bc
	bison
	build-essential
	busybox-static
	coreutils
	cpio
	debhelper
	dh-dkms
	flex
	gzip
	kmod
	libc6-dev
	libelf-dev
	libssl-dev
	linux-headers-amd64
	linux-image-amd64
	linux-source-6.1
	lintian
	mmdebstrap
	perl
	qemu-system-x86
	rsync
	sparse
	xz-utils
	zstd
"
if [ "$arch" = arm64 ]; then
	PACKAGES="$PACKAGES
	binutils
	gcc-aarch64-linux-gnu
	libc6-dev-arm64-cross
	qemu-system-arm
"
fi

missing=""
for pkg in $PACKAGES; do
	status=$(dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null || true)
	case "$status" in
	*" installed") ;;
	*) missing="$missing $pkg" ;;
	esac
done

need_root() {
	if [ "$(id -u)" -ne 0 ]; then
		echo "deps: $1; run as root to install them" >&2
		exit 1
	fi
}

if [ -n "$missing" ]; then
	need_root "missing packages:$missing"
	echo "deps: installing$missing"
	export DEBIAN_FRONTEND=noninteractive
	apt-get update -q
	# shellcheck disable=SC2086
	apt-get install -y -q --no-install-recommends $missing
fi

[ "$arch" = arm64 ] || exit 0

# The arm64 guest's packages are never installed on the host: they are
# downloaded and unpacked into a root of their own, which provides
#   boot/vmlinuz-KREL                  the kernel QEMU boots,
#   usr/src/linux-headers-KREL         the tree the modules build against,
#   bin/busybox, usr/bin/timeout,
#   bin/kmod and their libraries       the guest's userland.
# The headers reach their kbuild tools through ../../lib/linux-kbuild-6.1;
# those are host programs, so that link leads to the host's own
# linux-kbuild-6.1, which linux-headers-amd64 pulls in at the same version.
krel=$("$here/kernel-release" arm64)
dir=$cache/arm64/$krel
[ -f "$dir/root/.memlab-complete" ] && exit 0

arm64_packages="
	linux-image-$krel-unsigned
	linux-headers-$krel
	busybox-static
	coreutils
	kmod
	libc6
	liblzma5
	libssl3
	libzstd1
"
if ! dpkg --print-foreign-architectures | grep -qx arm64; then
	need_root "the arm64 packages need dpkg's arm64 architecture"
	echo "deps: adding the arm64 architecture to dpkg"
	dpkg --add-architecture arm64
	apt-get update -q
fi

echo "deps: unpacking the arm64 guest into $dir"
rm -rf "$dir"
mkdir -p "$dir/debs" "$dir/root"
(
	cd "$dir/debs"
	for pkg in $arm64_packages; do
		# apt's sandbox user may not reach a cache under $HOME.
		apt-get download -q -o APT::Sandbox::User="$(id -un)" \
			"$pkg:arm64" || {
			echo "deps: cannot download $pkg:arm64" >&2
			exit 1
		}
	done
)
for deb in "$dir"/debs/*.deb; do
	dpkg-deb -x "$deb" "$dir/root"
done
# The lab boots with memlab's modules only: the kernel's own 300 MB of
# modules and device trees are not needed, nor are the .debs any more.
rm -rf "$dir/debs" "$dir/root/lib/modules" "$dir/root/usr/lib/linux-image-$krel"
kbuild=$(readlink "$dir/root/usr/src/linux-headers-$krel/scripts")
kbuild=${kbuild%/scripts}
kbuild=${kbuild##*/}
mkdir -p "$dir/root/usr/lib"
ln -sfn "/usr/lib/$kbuild" "$dir/root/usr/lib/$kbuild"
[ -d "$dir/root/usr/lib/$kbuild/scripts" ] || {
	echo "deps: the host has no /usr/lib/$kbuild for the arm64 headers" >&2
	exit 1
}
touch "$dir/root/.memlab-complete"
