#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# Unbinding the driver and unloading the module give the ring's memory
# back, and binding takes it again: the free memory /proc/zoneinfo counts
# moves by at least half of a large ring's capacity each way
# (devm_kmalloc() rounds each buffer up, so the real footprint is bigger
# than the capacity).
. "$(dirname "$0")/memlab_lib.sh"

memlab_require_root
modinfo memlab_ring >/dev/null 2>&1 || ktap_skip_all "memlab_ring.ko is not installed"

BLOCKS=1024
BLOCK_SIZE=16384
# In KiB, as memfree() is.
HALF=$((BLOCKS * BLOCK_SIZE / 2 / 1024))
# The base page size, from a mapping of our own (busybox has no getconf).
PAGE_KB=$(awk '$1 == "KernelPageSize:" { print $2; exit }' /proc/self/smaps)
DRIVER=/sys/bus/platform/drivers/memlab_ring

saved=
if memlab_loaded memlab_ring; then
	p=/sys/module/memlab_ring/parameters
	saved="blocks=$(cat $p/blocks) block_size=$(cat $p/block_size)"
	rmmod memlab_ring
fi

# Free KiB, with the pages that wait on per-cpu lists: MemFree leaves
# them out, and from 6.7 those lists grow to tens of MiB while a burst of
# frees goes on (pcp->high tuning), so a freed ring may not show there.
memfree() {
	awk -v kb="$PAGE_KB" '$1 == "nr_free_pages" || $1 == "count:" { n += $2 }
		END { print n * kb }' /proc/zoneinfo
}

# rose BEFORE AFTER: free memory went up by at least HALF.
rose() {
	ktap_diag "free $1 -> $2 kB"
	[ $(($2 - $1)) -ge $HALF ]
}

ktap_plan 6
before_load=$(memfree)
modprobe memlab_ring blocks=$BLOCKS block_size=$BLOCK_SIZE
loaded=$(memfree)
ktap_test "loading takes the ring's memory" rose "$loaded" "$before_load"
echo memlab_ring > $DRIVER/unbind
unbound=$(memfree)
ktap_test "unbind gives it back" rose "$loaded" "$unbound"
ktap_test "unbind removes the device node" test ! -e /dev/memlab_ring
echo memlab_ring > $DRIVER/bind
bound=$(memfree)
ktap_test "bind takes it again" rose "$bound" "$unbound"
rmmod memlab_ring
unloaded=$(memfree)
ktap_test "unloading gives it back" rose "$bound" "$unloaded"
[ -z "$saved" ] || modprobe memlab_ring $saved
ktap_test "left as found" eval '[ -z "$saved" ] || [ -e /dev/memlab_ring ]'
ktap_finish
