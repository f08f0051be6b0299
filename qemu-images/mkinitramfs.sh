#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# mkinitramfs.sh OUT KREL MODDIR KSFTDIR TOOLSDIR
#
# Builds the lab's initramfs: busybox, the few real binaries the kselftest
# runner and modprobe need (with their shared libraries), the memlab modules
# installed and depmod'ed for KREL, the installed kselftests and the tools.
set -eu

out=$1 krel=$2 moddir=$3 ksftdir=$4 toolsdir=$5
here=$(cd "$(dirname "$0")" && pwd)
root=$(mktemp -d "${TMPDIR:-/tmp}/memlab-initramfs.XXXXXX")
trap 'rm -rf "$root"' EXIT

mkdir -p "$root/bin" "$root/sbin" "$root/usr/bin" "$root/usr/sbin" \
	"$root/proc" "$root/sys" "$root/dev" "$root/tmp" "$root/root" \
	"$root/etc" "$root/lib/modules/$krel/extra"

cp /bin/busybox "$root/bin/busybox"
for applet in $(/bin/busybox --list); do
	[ -e "$root/bin/$applet" ] || ln -s busybox "$root/bin/$applet"
done

# Copies a host binary and the shared libraries it loads.
copy_binary() {
	src=$1 dst=$2
	cp -L "$src" "$root$dst"
	ldd "$src" 2>/dev/null | awk '/=> \//{print $3} /^\t\/[^ ]*ld-linux/{print $1}' |
	while read -r lib; do
		mkdir -p "$root$(dirname "$lib")"
		[ -e "$root$lib" ] || cp -L "$lib" "$root$lib"
	done
}

# busybox timeout has no --foreground and kills only its child.
copy_binary /usr/bin/timeout /usr/bin/timeout
# kselftest/module.sh wants modprobe -n, which busybox lacks.
copy_binary /bin/kmod /sbin/kmod
for tool in modprobe insmod rmmod lsmod modinfo depmod; do
	rm -f "$root/bin/$tool"
	ln -s kmod "$root/sbin/$tool"
done

cp "$moddir"/*.ko "$root/lib/modules/$krel/extra/"
# The image carries none of the kernel's own modules, only memlab's.
(cd "$root/lib/modules/$krel" && ls extra/*.ko > modules.order &&
	: > modules.builtin && : > modules.builtin.modinfo)
depmod -b "$root" "$krel"

cp -a "$ksftdir" "$root/kselftest"
cp -a "$toolsdir"/memlab "$root/usr/bin/memlab"

cat > "$root/etc/passwd" <<PASSWD
root:x:0:0:root:/root:/bin/sh
user:x:1000:1000:unprivileged test user:/tmp:/bin/sh
PASSWD
cat > "$root/etc/group" <<GROUP
root:x:0:
user:x:1000:
GROUP

install -m 0755 "$here/init" "$root/init"

(cd "$root" && find . | LC_ALL=C sort | cpio -o -H newc --quiet) | gzip -1 > "$out.tmp"
mv "$out.tmp" "$out"
