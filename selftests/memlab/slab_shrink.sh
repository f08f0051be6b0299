#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# "shrink" after "free all" hands memlab_obj's now empty slabs back to the
# page allocator: SLUB's total_objects for the cache drops.
. "$(dirname "$0")/memlab_lib.sh"

memlab_require_root
modprobe memlab_slab 2>/dev/null || ktap_skip_all "memlab_slab.ko does not load"

control=$DEBUGFS_DIR/slab/control
sysfs=/sys/kernel/slab/memlab_obj

total_objects() {
	read -r n _ < "$sysfs/total_objects"
	echo "$n"
}

ktap_plan 5
echo "free all" > "$control"
ktap_test "alloc 1000" sh -c "echo 'alloc 1000' > $control"
ktap_test "free all" sh -c "echo 'free all' > $control"
# SLUB keeps some empty slabs for later (min_partial, the CPU slabs).
before=$(total_objects)
ktap_diag "total_objects after free all: $before"
ktap_test "shrink" sh -c "echo shrink > $control"
after=$(total_objects)
ktap_diag "total_objects after shrink: $after"
ktap_test "total_objects dropped" test "$after" -lt "$before"
# Nothing is held, so no slab of the cache is left.
ktap_test "no slab left" test "$after" -eq 0
ktap_finish
