#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# layout/control from a shell: after echo "vmalloc N" > control,
# layout/vmalloc lists N pages and the summary counts the same physically
# contiguous runs as the list; a rejected line fails the echo and changes
# nothing; echo vfree gives the area back.
. "$(dirname "$0")/memlab_lib.sh"

memlab_require_root
modprobe memlab_layout 2>/dev/null || ktap_skip_all "memlab_layout is not available"

D=$DEBUGFS_DIR/layout

kv() {
	sed -n "s/^$1: //p" $D/vmalloc_summary
}

[ "$(kv pages)" = 0 ] || ktap_skip_all "someone else's area is allocated"

# A run starts at every page whose frame does not follow the one before.
count_runs() {
	runs=0 prev=-2
	while read -r idx virt pfn phys run; do
		case $idx in "#"*) continue ;; esac
		[ $((pfn)) -eq $((prev + 1)) ] || runs=$((runs + 1))
		prev=$((pfn))
	done < $D/vmalloc
	echo $runs
}

ktap_plan 7

echo "vmalloc 32" > $D/control
ktap_test "the summary counts the pages" [ "$(kv pages)" = 32 ]
ktap_test "vmalloc lists every page" [ "$(grep -vc '^#' $D/vmalloc)" = 32 ]
ktap_test "the summary's runs are the list's" [ "$(kv runs)" = "$(count_runs)" ]
ktap_test "a second area is refused" \
	eval '! echo "vmalloc 1" 2>/dev/null > $D/control'
ktap_test "a bad line is refused" \
	eval '! echo "vmalloc lots" 2>/dev/null > $D/control'
ktap_test "and neither changed the area" [ "$(kv pages)" = 32 ]

echo vfree > $D/control
ktap_test "vfree gives it back" [ "$(kv pages)" = 0 ]
ktap_finish
