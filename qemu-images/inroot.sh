#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# inroot.sh ROOT TREE[:TREE...] CMD...: runs CMD chrooted in ROOT, a build
# root of qemu-images/buildroot.sh, as the calling user, with each TREE
# (the project's, and the debug kernel's in the cache) bind-mounted at the
# same path, so that every path means the same in and out of the root.  /proc is mounted too (7.x's objtool reads it),
# and /dev.  It all happens in a mount namespace of its own, so that the
# mounts go away with CMD however it ends: success, failure or a kill.
set -eu
[ $# -ge 3 ] || { echo "usage: inroot.sh ROOT TREE[:TREE...] CMD..." >&2; exit 2; }
root=$1 trees=$2
shift 2
[ -f "$root/.memlab-krel" ] || { echo "inroot: $root is no build root" >&2; exit 1; }

# shellcheck disable=SC2016
exec unshare --mount --propagation private sh -eu -c '
	root=$1 trees=$2 user=$3
	shift 3
	IFS=:
	for tree in $trees; do
		mkdir -p "$root$tree"
		mount --bind "$tree" "$root$tree"
	done
	unset IFS
	mount -t proc proc "$root/proc"
	mount --bind /dev "$root/dev"
	PATH=/usr/local/bin:/usr/bin:/bin:/usr/sbin:/sbin
	export PATH
	exec chroot --userspec="$user" "$root" "$@"
' inroot "$root" "$trees" "$(id -u):$(id -g)" "$@"
