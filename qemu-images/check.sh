#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# check.sh INITRD KREL LOGDIR: boots the lab twice in check mode, once with
# QEMU's default CPU (4-level paging) and once with CPU=max, whose la57
# makes the kernel use 5-level paging, so that the p4d level is real at
# least once.  With ARCH=arm64 it boots once: Debian's arm64 kernel has one
# page-table geometry (4K pages, 48-bit VA, 4 levels) whatever the CPU.
# BOOTS="name:cpu ..." overrides either.  Each boot streams its KTAP output
# and leaves a log in LOGDIR.  The run fails if a guest's verdict through
# its exit channel is not a pass, if the kernel reported anything, or if
# the results do not add up.  The last line is always "N passed, N failed,
# N skipped", for all boots together.
set -u
here=$(cd "$(dirname "$0")" && pwd)
initrd=$1 krel=$2 logdir=$3
status=0
logs=""

case "${ARCH:-x86}" in
arm64) boots=${BOOTS:-arm64:cortex-a57} ;;
*) boots=${BOOTS:-4level:qemu64 5level:max} ;;
esac

# A kernel that dies before /init prints its first line has run nothing of
# memlab's: no module is loaded before init loads them.  Under TCG, 7.2
# sometimes oopses on an int3 of its own code patching within the first
# seconds of boot (TCG's view of code another vCPU just rewrote).  Such a
# boot is tried again, at most twice, and says so; its log is kept.
RETRIES=2

for boot in $boots; do
	name=${boot%%:*}
	log=$logdir/check-$name.log
	logs="$logs $log"
	tries=0
	while :; do
		echo "check: boot $name (CPU=${boot#*:})"
		CPU=${boot#*:} "$here/run.sh" check "$initrd" "$krel" "$log"
		vm=$?
		[ $vm -ne 0 ] && [ $tries -lt $RETRIES ] || break
		grep -q 'memlab: init started' "$log" && break
		tries=$((tries + 1))
		mv "$log" "$log.early-$tries"
		echo "check: boot $name: the kernel died before /init started (see $log.early-$tries); booting it again"
	done
	if [ $vm -ne 0 ]; then
		echo "check: boot $name failed (status $vm)"
		status=1
	fi
	"$here/scan-splats" "$log" || status=1
done

# shellcheck disable=SC2086
"$here/ktap-summary" $logs || status=1
exit $status
