#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# memlab_ring refuses bad module parameters at load time, leaving nothing
# behind: no module, no device node, no views.  The boundary values load,
# and the ring they build has exactly the geometry asked for.
. "$(dirname "$0")/memlab_lib.sh"

memlab_require_root
modinfo memlab_ring >/dev/null 2>&1 || ktap_skip_all "memlab_ring.ko is not installed"

# Put memlab_ring back the way this test found it.
saved=
if memlab_loaded memlab_ring; then
	p=/sys/module/memlab_ring/parameters
	saved="blocks=$(cat $p/blocks) block_size=$(cat $p/block_size)"
fi
restore() {
	memlab_loaded memlab_ring && rmmod memlab_ring
	[ -z "$saved" ] || modprobe memlab_ring $saved
}

nothing_left() {
	! memlab_loaded memlab_ring && [ ! -e /dev/memlab_ring ] &&
		[ ! -e "$DEBUGFS_DIR/ring" ] && [ ! -e "$PROC_DIR/ring" ] &&
		[ ! -e /sys/bus/platform/devices/memlab_ring ]
}

# modprobe ARGS... must fail with EINVAL and leave nothing behind.
refused() {
	out=$(modprobe memlab_ring "$@" 2>&1) && return 1
	case "$out" in
	*"Invalid argument"*) ;;
	*) ktap_diag "modprobe $*: $out"; return 1 ;;
	esac
	nothing_left
}

# modprobe ARGS... loads a ring of BLOCKS x BLOCK_SIZE, then unloads it.
loads() {
	want_blocks=$1 want_size=$2
	shift 2
	modprobe memlab_ring "$@" || return 1
	state=$(cat "$DEBUGFS_DIR/ring/state")
	blocks=$(echo "$state" | sed -n 's/^blocks: //p')
	size=$(echo "$state" | sed -n 's/^block_size: //p')
	cap=$(echo "$state" | sed -n 's/^capacity: //p')
	rows=$(grep -vc '^#' "$DEBUGFS_DIR/ring/nodes")
	rmmod memlab_ring || return 1
	[ "$blocks" = "$want_blocks" ] && [ "$size" = "$want_size" ] &&
		[ "$cap" = $((want_blocks * want_size)) ] &&
		[ "$rows" = "$want_blocks" ]
}

ktap_plan 16
memlab_loaded memlab_ring && rmmod memlab_ring
ktap_test "starts unloaded" nothing_left
ktap_test "blocks=0 refused" refused blocks=0
ktap_test "blocks=1025 refused" refused blocks=1025
ktap_test "blocks=-1 refused" refused blocks=-1
ktap_test "blocks=abc refused" refused blocks=abc
ktap_test "blocks= refused" refused blocks=
ktap_test "blocks=8x refused" refused blocks=8x
ktap_test "block_size=0 refused" refused block_size=0
ktap_test "block_size=16385 refused" refused block_size=16385
ktap_test "block_size=4294967296 refused" refused block_size=4294967296
ktap_test "blocks=0 block_size=0 refused" refused blocks=0 block_size=0
ktap_test "valid blocks with bad block_size refused" refused blocks=4 block_size=0
ktap_test "1 x 1 loads" loads 1 1 blocks=1 block_size=1
ktap_test "1024 x 16384 loads" loads 1024 16384 blocks=1024 block_size=16384
ktap_test "7 x 13 loads" loads 7 13 blocks=7 block_size=13
restore
ktap_test "left as found" eval '[ -z "$saved" ] || [ -e /dev/memlab_ring ]'
ktap_finish
