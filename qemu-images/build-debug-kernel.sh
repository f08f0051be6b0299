#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# build-debug-kernel.sh CACHE: builds the memlab debug kernel (tinyconfig
# plus debug.config) from Debian's linux-source-6.1 in CACHE/<hash>/, where
# <hash> covers the fragment, the source package version and this script.
# A second run with the same inputs finds the tree there and does nothing.
# Prints the tree's path.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
cache=$1
fragment=$here/debug.config
tarball=/usr/src/linux-source-6.1.tar.xz

srcver=$(dpkg-query -W -f='${Version}' linux-source-6.1)
hash=$( (cat "$fragment" "$0"; echo "$srcver") | sha256sum | cut -c1-16)
tree=$cache/debug-$hash

if [ -f "$tree/.memlab-built" ]; then
	echo "$tree"
	exit 0
fi

rm -rf "$tree" "$tree.tmp"
mkdir -p "$tree.tmp"
tar -C "$tree.tmp" --strip-components=1 -xf "$tarball"
{
	make -C "$tree.tmp" tinyconfig
	(cd "$tree.tmp" && ./scripts/kconfig/merge_config.sh -m .config "$fragment")
	make -C "$tree.tmp" olddefconfig
	# Every line of the fragment must have survived olddefconfig: an option
	# Kconfig dropped is a checker that silently does not run.
	missing=$(grep '^CONFIG_' "$fragment" | while read -r opt; do
		grep -qxF "$opt" "$tree.tmp/.config" || echo "$opt"
	done)
	if [ -n "$missing" ]; then
		echo "build-debug-kernel: Kconfig refused:" $missing >&2
		exit 1
	fi
	make -C "$tree.tmp" -j"$(nproc)" bzImage modules
} >"$cache/debug-$hash.log" 2>&1 || {
	tail -n 40 "$cache/debug-$hash.log" >&2
	exit 1
}
mv "$tree.tmp" "$tree"
touch "$tree/.memlab-built"
echo "$tree"
