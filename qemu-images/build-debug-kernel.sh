#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# build-debug-kernel.sh CACHE [KVER]: builds the memlab debug kernel
# (tinyconfig plus debug.config) of KVER, 6.1 (the default) or 6.12, in
# CACHE/debug/KVER-<hash>/, where <hash> covers the fragment, the source
# package version and this script.  A second run with the same inputs
# finds the tree there and does nothing.  Prints the tree's path.
#
# 6.1 comes from the host's linux-source-6.1 and is built on the host.
# 6.12 comes from trixie's linux-source-6.12, which trixie's build root
# holds (buildroot.sh), and is built in that root, with trixie's gcc: its
# host tools need trixie's glibc as much as its kbuild does.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
cache=$1
kver=${2:-6.1}
fragment=$here/debug.config

case "$kver" in
6.1)
	tarball=/usr/src/linux-source-6.1.tar.xz
	srcver=$(dpkg-query -W -f='${Version}' linux-source-6.1)
	krun=
	;;
6.12)
	root=$("$here/buildroot.sh" trixie "$cache")
	tarball=$root/usr/src/linux-source-6.12.tar.xz
	srcver=$(dpkg-query --admindir="$root/var/lib/dpkg" -W \
		-f='${Version}' linux-source-6.12)
	krun="$here/inroot.sh $root $cache/debug"
	;;
*)
	echo "build-debug-kernel: KVER=$kver: the debug kernel is 6.1 or 6.12" >&2
	exit 2
	;;
esac

hash=$( (cat "$fragment" "$0"; echo "$srcver") | sha256sum | cut -c1-16)
tree=$cache/debug/$kver-$hash
log=$tree.log

if [ -f "$tree/.memlab-built" ]; then
	echo "$tree"
	exit 0
fi

mkdir -p "$cache/debug"
rm -rf "$tree" "$tree.tmp"
mkdir -p "$tree.tmp"
tar -C "$tree.tmp" --strip-components=1 -xf "$tarball"
# Inside the tree, so that a build root sees it too.
cp "$fragment" "$tree.tmp/memlab-debug.config"
# A subshell, so that its exit still shows the log's tail.
(
	$krun make -C "$tree.tmp" tinyconfig
	# shellcheck disable=SC2016
	$krun sh -c 'cd "$1" && ./scripts/kconfig/merge_config.sh -m .config memlab-debug.config' \
		merge "$tree.tmp"
	$krun make -C "$tree.tmp" olddefconfig
	# Every line of the fragment must have survived olddefconfig: an option
	# Kconfig dropped is a checker that silently does not run.
	missing=$(grep '^CONFIG_' "$fragment" | while read -r opt; do
		grep -qxF "$opt" "$tree.tmp/.config" || echo "$opt"
	done)
	if [ -n "$missing" ]; then
		echo "build-debug-kernel: Kconfig refused:" $missing >&2
		exit 1
	fi
	$krun make -C "$tree.tmp" -j"$(nproc)" bzImage modules
) >"$log" 2>&1 || {
	tail -n 40 "$log" >&2
	exit 1
}
mv "$tree.tmp" "$tree"
touch "$tree/.memlab-built"
# The trees and logs of other inputs are old: a tree is 2 GiB or so.
for old in "$cache/debug/$kver"-*; do
	case "$old" in
	"$tree" | "$log") ;;
	*) rm -rf "$old" ;;
	esac
done
echo "$tree"
