#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# check-debug.sh CACHE BUILD KSFTDIR TOOL [KVER]: runs the whole
# selftest suite on the memlab debug kernel of KVER, 6.1 (the default) or
# 6.12 (KASAN, kmemleak, lockdep, DEBUG_VM, slub_debug, fault injection;
# see debug.config).
#
# The kernel tree comes from build-debug-kernel.sh, which reuses a cached
# build of the same fragment.  The modules are built against it from a copy
# of modules/ (an M= build writes its objects into the source directory,
# and those of the stock kernel must survive), with the same W=1 rule as
# "make modules"; 6.12's in trixie's build root, as its tree was.  The
# selftests and the initramfs are the host's, as for the stock kernels.
# The last line is "N passed, N failed, N skipped".
set -u
here=$(cd "$(dirname "$0")" && pwd)
src=$(dirname "$here")
cache=$1 build=$2 ksftdir=$3 tool=$4 kver=${5:-6.1}
moddir=$build/debug-modules
initrd=$build/initramfs-debug.cpio.gz
log=$build/check-debug.log
start=$(date +%s)

tree=$("$here/build-debug-kernel.sh" "$cache" "$kver") || exit 1
krel=$(cat "$tree/include/config/kernel.release") || exit 1
echo "check-debug: kernel $krel from $tree"

mkdir -p "$moddir"
rsync -a --delete --exclude='*.o' --exclude='*.ko' --exclude='*.mod*' \
	--exclude='.*.cmd' --exclude=Module.symvers --exclude=modules.order \
	"$src/modules/" "$moddir/"
krun=
[ "$kver" = 6.1 ] ||
	krun="$here/inroot.sh $("$here/buildroot.sh" trixie "$cache") $cache/debug:$build"
$krun make -C "$tree" M="$moddir" W=1 modules >"$build/debug-modules.log" 2>&1 || {
	cat "$build/debug-modules.log"
	exit 1
}
# Case-insensitive, so that modpost's "ERROR:" lines count too.
if grep -iE 'warning:|error:' "$build/debug-modules.log"; then
	echo "check-debug: the module build has warnings or errors"
	exit 1
fi

"$here/mkinitramfs.sh" "$initrd" "$krel" "$moddir" "$ksftdir" "$tool" ||
	exit 1

# slub_debug=FZPU: sanity checks, red zones, poisoning and owner tracking
# on every cache.  KASAN and kmemleak slow TCG down several times over.
status=0
KERNEL=$tree/arch/x86/boot/bzImage TIMEOUT=${TIMEOUT:-3600} \
	APPEND_EXTRA="slub_debug=FZPU kmemleak=on memlab_tier=debug ${APPEND_EXTRA:-}" \
	"$here/run.sh" check "$initrd" "$krel" "$log" || {
	echo "check-debug: the debug boot failed"
	status=1
}
"$here/scan-splats" "$log" || status=1
"$here/ktap-summary" "$log" || status=1
echo "check-debug: $(($(date +%s) - start)) s"
exit $status
