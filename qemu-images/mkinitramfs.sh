#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# mkinitramfs.sh OUT KREL MODDIR KSFTDIR TOOL [SYSROOT [HELPER...]]
#
# Builds the lab's initramfs: busybox, the few real binaries the kselftest
# runner and modprobe need (with their shared libraries), the memlab modules
# installed and depmod'ed for KREL, the installed kselftests and TOOL, the
# memlab program, with the libraries it loads if it is not static.
# The guest's programs come from SYSROOT, / by default; a cross-built lab
# passes the root its guest packages were unpacked into, so that no host
# binary ends up in an image of another architecture.  Each HELPER is a
# program of the image's own, installed in /sbin.  The modules go into
# /lib/modules/KREL/extra, or MODSUBDIR (updates/dkms for DKMS's).  An OUT ending in .gz is
# gzipped; any other is a plain cpio archive, which boots faster: under
# TCG the guest takes seconds to inflate the 30 MB of gzip a full image
# is, and copies the plain archive in a fraction of that.
set -eu

out=$1 krel=$2 moddir=$3 ksftdir=$4 memlab_tool=$5
sysroot=${6:-/}
modsub=${MODSUBDIR:-extra}
sysroot=${sysroot%/}
shift $(($# < 6 ? $# : 6))
here=$(cd "$(dirname "$0")" && pwd)
root=$(mktemp -d "${TMPDIR:-/tmp}/memlab-initramfs.XXXXXX")
trap 'rm -rf "$root"' EXIT
# mktemp's 0700 would become the guest's /, closed to every user but root.
chmod 0755 "$root"

mkdir -p "$root/bin" "$root/sbin" "$root/usr/bin" "$root/usr/sbin" \
	"$root/proc" "$root/sys" "$root/dev" "$root/tmp" "$root/root" \
	"$root/etc" "$root/lib/modules/$krel/$modsub"

# busybox may not run on this host, so it cannot list its applets here:
# init links them in at boot.
cp "$sysroot/bin/busybox" "$root/bin/busybox"
ln -s busybox "$root/bin/sh"

case $(readelf -h "$sysroot/bin/busybox" | sed -n 's/^ *Machine: *//p') in
AArch64) triplet=aarch64-linux-gnu ;;
*X86-64) triplet=x86_64-linux-gnu ;;
*) echo "mkinitramfs: unknown architecture of busybox" >&2; exit 1 ;;
esac

# Copies the libraries an ELF file loads, found the way the guest's dynamic
# linker finds them, and theirs in turn.  readelf, unlike ldd, reads a
# binary of any architecture without running it.
copy_libraries() {
	elf=$1
	interp=$(readelf -lW "$elf" |
		sed -n 's/.*Requesting program interpreter: \(.*\)]$/\1/p')
	needed=$(readelf -dW "$elf" | sed -n 's/.*(NEEDED).*\[\(.*\)\]$/\1/p')
	for lib in $interp $needed; do
		case "$lib" in
		/*) path=$lib ;;
		*)
			path=""
			for dir in /lib/$triplet /usr/lib/$triplet /lib /usr/lib; do
				if [ -e "$sysroot$dir/$lib" ]; then
					path=$dir/$lib
					break
				fi
			done
			[ -n "$path" ] || {
				echo "mkinitramfs: $elf needs $lib, not in $sysroot/" >&2
				exit 1
			}
			;;
		esac
		[ -e "$root$path" ] && continue
		mkdir -p "$root$(dirname "$path")"
		cp -L "$sysroot$path" "$root$path"
		copy_libraries "$sysroot$path"
	done
}

# Copies a program of SYSROOT and the shared libraries it loads.
copy_binary() {
	src=$1 dst=$2
	cp -L "$sysroot$src" "$root$dst"
	copy_libraries "$sysroot$src"
}

# busybox timeout has no --foreground and kills only its child.
copy_binary /usr/bin/timeout /usr/bin/timeout
# kselftest/module.sh wants modprobe -n, which busybox lacks.  The /bin
# links keep busybox from claiming these names when init installs it.
copy_binary /bin/kmod /sbin/kmod
for tool in modprobe insmod rmmod lsmod modinfo depmod; do
	ln -s kmod "$root/sbin/$tool"
	ln -s /sbin/kmod "$root/bin/$tool"
done

for helper in "$@"; do
	install -m 0755 "$helper" "$root/sbin/"
done

cp "$moddir"/*.ko "$root/lib/modules/$krel/$modsub/"
# The image carries none of the kernel's own modules, only memlab's.
(cd "$root/lib/modules/$krel" && ls "$modsub"/*.ko > modules.order &&
	: > modules.builtin && : > modules.builtin.modinfo)
depmod -b "$root" "$krel"

cp -a "$ksftdir" "$root/kselftest"
cp -L "$memlab_tool" "$root/usr/bin/memlab"
copy_libraries "$memlab_tool"

cat > "$root/etc/passwd" <<PASSWD
root:x:0:0:root:/root:/bin/sh
user:x:1000:1000:unprivileged test user:/tmp:/bin/sh
PASSWD
cat > "$root/etc/group" <<GROUP
root:x:0:
user:x:1000:
GROUP

install -m 0755 "$here/init" "$root/init"

case "$out" in
*.gz) compress="gzip -1" ;;
*) compress=cat ;;
esac
(cd "$root" && find . | LC_ALL=C sort | cpio -o -H newc --quiet) | $compress > "$out.tmp"
mv "$out.tmp" "$out"
