#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# check-install.sh SUITE KREL BUILD KSFTDIR DEBDIR: installs memlab as a
# user of Debian SUITE (bookworm, trixie or sid) would, and tests what that
# installed.
#
#  1. A fresh root of SUITE with its stock linux-headers-amd64, made with
#     mmdebstrap, into which apt installs DEBDIR's memlab-dkms and
#     memlab-tools.  dkms's postinst builds the modules there, for the
#     kernel whose headers it finds, as on a user's machine.
#  2. The lab boots SUITE's stock kernel KREL (twice, as make check does)
#     with DKMS's .ko files in /lib/modules/KREL/updates/dkms, loaded by
#     modprobe from there, and the installed memlab tool, and runs the
#     whole selftest suite.
#  3. apt removes both packages, and nothing of theirs may be left: no file
#     dpkg -L listed, nothing named memlab anywhere in the root.
#  4. As on a machine that does without DKMS, make install builds the
#     same tree (DEBDIR's copy of it) in that root for its headers, and
#     depmod finds the modules in updates/memlab; make uninstall takes it
#     all away.
#     These modules are built as DKMS's are, from the same sources with the
#     same headers, so they are not booted a second time.
#
# The root, the image and the logs are in BUILD/install.  The last line is
# "N passed, N failed, N skipped", the boots' and this script's together.
set -u
here=$(cd "$(dirname "$0")" && pwd)
suite=$1 krel=$2 build=$3 ksftdir=$4 debdir=$5
mirror=${MEMLAB_MIRROR:-http://deb.debian.org/debian}
# shellcheck source=qemu-images/lean-root.sh
. "$here/lean-root.sh"
work=$build/install
root=$work/root
pass=0 fail=0 n=0

# The root's sources are those the lab's kernel came from: a Debian 12
# machine's (bookworm's point releases and security updates, as the host
# has them), and trixie's, as buildroot.sh reads it.
valid=true
case "$suite" in
bookworm)
	security=${MEMLAB_SECURITY_MIRROR:-http://deb.debian.org/debian-security}
	set -- "deb $mirror bookworm main" "deb $mirror bookworm-updates main" \
		"deb $security bookworm-security main"
	;;
trixie) set -- "deb $mirror trixie main" ;;
# The archive's snapshot of sid has an expired Release file.
sid) valid=false; set -- "deb $mirror sid main" ;;
*) echo "check-install: SUITE is bookworm, trixie or sid, not $suite" >&2; exit 2 ;;
esac

ok() {
	n=$((n + 1))
	if [ "$1" -eq 0 ]; then
		pass=$((pass + 1))
		echo "ok $n $2"
	else
		fail=$((fail + 1))
		echo "not ok $n $2"
	fi
}

# How many memlab modules DIR holds, compressed or not.
count_ko() {
	set -- "$1"/memlab*.ko*
	if [ -e "$1" ]; then echo $#; else echo 0; fi
}

finish() {
	echo "$pass passed, $fail failed, 0 skipped"
	[ "$fail" -eq 0 ] && [ "$(cat "$work/check.status")" -eq 0 ]
	exit
}

# Runs CMD in the root, with /proc, as dpkg's maintainer scripts expect.
# shellcheck disable=SC2016
in_root() {
	unshare --mount --propagation private sh -eu -c '
		root=$1
		shift
		mount -t proc proc "$root/proc"
		exec chroot "$root" "$@"
	' in_root "$root" "$@"
}

dkms_deb=$(ls "$debdir"/memlab-dkms_*_all.deb 2>/dev/null | tail -n 1)
tools_deb=$(ls "$debdir"/memlab-tools_*_amd64.deb 2>/dev/null | tail -n 1)
if [ -z "$dkms_deb" ] || [ -z "$tools_deb" ]; then
	echo "check-install: no memlab-dkms or memlab-tools in $debdir (make deb)" >&2
	exit 1
fi

rm -rf "$work"
mkdir -p "$work/debs"
cp "$dkms_deb" "$tools_deb" "$work/debs/"
echo "check-install: a fresh $suite root, then apt install $(basename "$dkms_deb") $(basename "$tools_deb")"
# The root is a machine of SUITE with its kernel's headers, and what such
# a machine also has: openssl, with which DKMS makes its signing key, kmod,
# gcc and libc6-dev, with which make install builds the tool from source
# (the headers bring only gcc-N, for the modules, and no cc),
# and the kernel's modules.dep.  sid's headers do not pull in the kernel
# image (bookworm's and trixie's do), and its dkms skips depmod where there
# is no modules.dep, so depmod makes one first from what the headers carry.
# shellcheck disable=SC2016
lean_mmdebstrap --variant=apt --include=linux-headers-amd64,openssl,kmod,gcc,libc6-dev \
	--customize-hook='for d in "$1"/lib/modules/*/; do chroot "$1" depmod -a "$(basename "$d")"; done' \
	--customize-hook="mkdir -p \"\$1/tmp/memlab-debs\" && cp $work/debs/*.deb \"\$1/tmp/memlab-debs/\"" \
	--customize-hook='chroot "$1" sh -c "apt-get install -y -q /tmp/memlab-debs/*.deb && rm -r /tmp/memlab-debs"' \
	--aptopt="Acquire::Check-Valid-Until \"$valid\";" \
	"$suite" "$root" "$@" > "$work/install.log" 2>&1
ok $? "apt installs both packages into a fresh $suite root"
grep -E '^(Building for|Building initial|Signing|Done)|Installing to' \
	"$work/install.log" | sort | uniq -c

installed=$(ls "$root/usr/src" | sed -n 's/^linux-headers-\(.*-amd64\)$/\1/p')
[ "$installed" = "$krel" ]
ok $? "the root's headers are for the lab's kernel ($installed, $krel)"
[ "$installed" = "$krel" ] || finish

dkmsdir=$root/lib/modules/$krel/updates/dkms
[ -d "$dkmsdir" ] || dkmsdir=$root/usr/lib/modules/$krel/updates/dkms
built=$(count_ko "$dkmsdir")
[ "$built" -eq 6 ]
ok $? "DKMS built and installed 6 modules in updates/dkms ($built)"
in_root dkms status 2>&1 | grep -q "^memlab/.*$krel.*: installed"
ok $? "dkms status says memlab is installed for $krel"
# What modprobe memlab_layout would load, and from which directory of
# updates/, without loading anything.
deps() {
	in_root modprobe -S "$krel" --show-depends memlab_layout 2>&1 |
		sed -n 's|^insmod .*/updates/\([^/]*\)/\(memlab[a-z_]*\)\.ko.*|\1/\2|p' |
		tr '\n' ' '
}
want="dkms/memlab dkms/memlab_pgwalk dkms/memlab_layout "
got=$(deps)
[ "$got" = "$want" ]
ok $? "modprobe memlab_layout would load memlab and memlab_pgwalk first, from updates/dkms ($got)"
[ "$fail" -eq 0 ] || finish

# The lab loads the modules with finit_module() of its own, for fault
# injection, and Debian's 6.12 compresses modules (DKMS then does too)
# but has no in-kernel decompression: the image holds them uncompressed,
# in the same place.
mkdir -p "$work/ko"
for ko in "$dkmsdir"/memlab*.ko*; do
	name=$(basename "$ko")
	case "$ko" in
	*.ko.xz) xz -dc "$ko" > "$work/ko/${name%.xz}" ;;
	*.ko.zst) zstd -qdc "$ko" > "$work/ko/${name%.zst}" ;;
	*.ko.gz) gzip -dc "$ko" > "$work/ko/${name%.gz}" ;;
	*) cp "$ko" "$work/ko/" ;;
	esac
done
MODSUBDIR=updates/dkms "$here/mkinitramfs.sh" "$work/initramfs.cpio" "$krel" \
	"$work/ko" "$ksftdir" "$root/usr/bin/memlab" || finish
# check.sh's status, not tee's, through a file.
{
	"$here/check.sh" "$work/initramfs.cpio" "$krel" "$work"
	echo $? > "$work/check.status"
} | tee "$work/check.log"
boots=$(tail -n 1 "$work/check.log")

# Every file the packages installed, before they go.
in_root dpkg -L memlab-dkms memlab-tools > "$work/files" 2>&1
in_root apt-get remove -y -q memlab-dkms memlab-tools > "$work/remove.log" 2>&1
ok $? "apt removes both packages"
left=$(while read -r f; do
	[ -f "$root$f" ] || [ -L "$root$f" ] && echo "$f"
done < "$work/files")
[ -z "$left" ]
ok $? "no file of theirs is left$(echo ${left:+: $left})"

# make install and make uninstall, as a machine that does without DKMS
# would use them (dkms itself is still installed, but has no memlab left):
# the packages' source tree, built by the root's own compiler.
src=$(ls -d "$debdir"/memlab-*/ 2>/dev/null | tail -n 1)
rm -rf "$root/tmp/src"
mkdir -p "$root/tmp/src"
tar -C "$src" --exclude=./debian --exclude=./build -cf - . | tar -C "$root/tmp/src" -xf -
kdir=/usr/src/linux-headers-$krel
in_root make -C /tmp/src install KDIR="$kdir" > "$work/make-install.log" 2>&1
ok $? "make install KDIR=$kdir builds and installs the modules and the tool"
built=$(count_ko "$root/lib/modules/$krel/updates/memlab")
[ "$built" -eq 6 ]
ok $? "make install put 6 modules in updates/memlab ($built)"
want="memlab/memlab memlab/memlab_pgwalk memlab/memlab_layout "
got=$(deps)
[ "$got" = "$want" ]
ok $? "modprobe memlab_layout would load all three from updates/memlab ($got)"
# With no command the tool prints its usage, from PATH.
in_root memlab 2>&1 | grep -q 'memlab list' &&
	[ -f "$root/usr/local/share/man/man1/memlab.1" ]
ok $? "the tool and its man page are under /usr/local"
in_root make -C /tmp/src uninstall KDIR="$kdir" >> "$work/make-install.log" 2>&1
ok $? "make uninstall"
# modprobe must say it knows no such module, and depmod's index agree.
in_root modprobe -S "$krel" --show-depends memlab_layout 2>&1 | grep -q 'not found' &&
	! grep -q memlab "$root/lib/modules/$krel/modules.dep"
ok $? "modprobe finds no memlab module after make uninstall"
rm -rf "$root/tmp/src"
left=$(cd "$root" && find . -name '*memlab*' 2>/dev/null)
[ -z "$left" ]
ok $? "nothing named memlab is left in the root$(echo ${left:+: $left})"

# The boots' counts and ours, in one line.
set -- $boots
if [ "$#" -eq 6 ] && [ "$2" = passed, ]; then
	pass=$((pass + $1)) fail=$((fail + $3))
	echo "$pass passed, $fail failed, $5 skipped"
else
	echo "check-install: the boots gave no result line" >&2
	echo "$pass passed, $((fail + 1)) failed, 0 skipped"
	exit 1
fi
[ "$fail" -eq 0 ] && [ "$(cat "$work/check.status")" -eq 0 ]
