#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# Unloading memlab_slab while it holds objects frees them and destroys
# memlab_obj: the cache leaves sysfs and /proc/slabinfo, and the kernel
# complains about nothing.
. "$(dirname "$0")/memlab_lib.sh"

memlab_require_root
modinfo memlab_slab >/dev/null 2>&1 || ktap_skip_all "memlab_slab.ko is not installed"

memlab_loaded memlab_slab && was_loaded=1 || was_loaded=0
modprobe memlab_slab

ktap_plan 6
ktap_test "alloc 3000" sh -c "echo 'alloc 3000' > $DEBUGFS_DIR/slab/control"
# Only what the kernel logs from here on counts; the log is not cleared,
# the lab's final scan needs all of it.
logged=$(dmesg | wc -l)
ktap_test "rmmod with objects held" rmmod memlab_slab
ktap_test "cache gone from sysfs" test ! -e /sys/kernel/slab/memlab_obj
ktap_test "cache gone from /proc/slabinfo" \
	eval '! grep -q "^memlab_obj " /proc/slabinfo'
log=$(dmesg | tail -n +$((logged + 1)))
[ -n "$log" ] && ktap_diag "kernel log since rmmod: $log"
ktap_test "no 'objects remaining' or 'still has objects'" \
	eval '! echo "$log" | grep -qiE "objects remaining|still has objects"'
ktap_test "no kernel report at all" \
	eval '! echo "$log" | grep -qE "BUG|WARNING|Oops|Call Trace"'

[ "$was_loaded" -eq 1 ] && modprobe memlab_slab
ktap_finish
