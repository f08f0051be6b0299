#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# "memlab snap" saves every view and "memlab diff" says what changed
# between two snaps, or between one and now: the blocks memlab_buddy
# took show as added allocations rows, and the change it reports in
# their zone's free order-0 pages is the one /proc/buddyinfo saw.
. "$(dirname "$0")/memlab_lib.sh"

memlab_require_root
command -v memlab >/dev/null || ktap_skip_all "the memlab tool is not installed"
modprobe memlab_buddy || ktap_skip_all "memlab_buddy.ko does not load"

buddy=$DEBUGFS_DIR/buddy
tmp=$(mktemp -d) || ktap_skip_all "no temporary directory"
trap 'echo "free all" > "$buddy/control"; rm -rf "$tmp"' EXIT
echo "free all" > "$buddy/control"

# Free order-0 blocks of zone $2 of node $1, as the kernel counts them.
buddyinfo0() {
	awk -v n="$1," -v z="$2" '$1 == "Node" && $2 == n && $4 == z { print $5 }' \
		/proc/buddyinfo
}

# The zone's per-CPU batch: a refill or drain of a per-CPU list moves that
# many order-0 pages at once, between any two reads.
pcp_batch() {
	awk -v n="$1," -v z="$2" '
		$1 == "Node" { in_zone = $2 == n && $4 == z }
		in_zone && $1 == "batch:" { print $2; exit }' /proc/zoneinfo
}

ktap_plan 9

ktap_test "snap saves every view" \
	sh -c 'memlab snap "$1/a" && [ "$(head -n 1 "$1/a")" = "memlab-snap 1" ] &&
		grep -qx "@@ version" "$1/a" && grep -qx "@@ buddy/freearea" "$1/a" &&
		grep -qx "@@ buddy/allocations" "$1/a"' sh "$tmp"
ktap_test "snap writes the file whole, 0600, and leaves no FILE.tmp" \
	sh -c '[ "$(stat -c %a "$1/a")" = 600 ] && [ ! -e "$1/a.tmp" ]' sh "$tmp"
ktap_test "snap keeps each view as the kernel printed it" \
	sh -c 'awk "/^@@ / { on = \$2 == \"version\"; next } on" "$1/a" | cmp -s - "$2/version"' \
	sh "$tmp" "$DEBUGFS_DIR"

# Which zone order-0 blocks come from: that of a first, trial allocation.
memlab cmd buddy/control alloc 0 count=64
set -- $(awk 'NR == 1 { for (i = 2; i <= NF; i++) col[$i] = i - 1; next }
	{ print $col["node"], $col["zone"]; exit }' "$buddy/allocations")
node=${1:-0} zone=${2:-DMA32}
echo "free all" > "$buddy/control"
# The zone's free order-0 blocks right before the first snap and right
# after the second: the window that diff's two freearea reads fall in.
free_before=$(buddyinfo0 "$node" "$zone")
memlab snap "$tmp/a"
memlab cmd buddy/control alloc 0 count=64
memlab snap "$tmp/b"
free_after=$(buddyinfo0 "$node" "$zone")
memlab diff "$tmp/a" "$tmp/b" > "$tmp/diff"
diff_status=$?

ktap_test "diff of two snaps exits 0, though they differ" test "$diff_status" -eq 0
ktap_test "diff shows the 64 blocks as added allocations rows" \
	sh -c '[ "$(grep -c "^buddy/allocations [0-9][0-9]* - - .* added$" "$1")" -eq 64 ]' \
	sh "$tmp/diff"

# No row is no change.  The margin: a few per-CPU batches, the noise of
# everything else this machine allocates and frees meanwhile.
reported=$(awk -v k="$node/$zone/all" '$1 == "buddy/freearea" && $2 == k && $3 == "0" {
	print $6 }' "$tmp/diff")
reported=${reported:-0}
batch=$(pcp_batch "$node" "$zone")
margin=$((4 * ${batch:-16} + 16))
seen=$((free_after - free_before))
ktap_diag "$node/$zone order 0: diff says $reported, /proc/buddyinfo $seen (margin $margin)"
ktap_test "diff's order-0 change in $zone agrees with /proc/buddyinfo" \
	test $((reported - seen)) -le "$margin" -a $((seen - reported)) -le "$margin"

ktap_test "diff -J is one document of the changes" \
	sh -c 'out=$(memlab -J diff "$1/a" "$1/b") &&
		[ "$(echo "$out" | wc -l)" -eq 1 ] &&
		echo "$out" | grep -q "^{\"schema_version\":1,.*\"view\":\"diff\",\"rows\":\[" &&
		echo "$out" | grep -q "{\"view\":\"buddy/allocations\",\"key\":\"[0-9]*\",\"column\":null,\"before\":null,\"after\":\"[^\"]*\",\"delta\":\"added\"}"' \
	sh "$tmp"

# diff A alone compares A with now: after free all, the blocks are gone.
ktap_test "memlab buddy free all, then diff with now shows the 64 rows removed" \
	sh -c 'memlab buddy free all >/dev/null &&
		[ "$(grep -vc "^#" "$2/allocations")" -eq 0 ] &&
		[ "$(memlab diff "$1/b" | grep -c "^buddy/allocations [0-9][0-9]* - .* - removed$")" -eq 64 ]' \
	sh "$tmp" "$buddy"

ktap_test "diff of a file that is not a snap exits 1 and names it" \
	sh -c 'memlab diff /proc/buddyinfo "$1/a" 2>"$1/err"; [ $? -eq 1 ] &&
		grep -q "/proc/buddyinfo: not a memlab snap" "$1/err"' sh "$tmp"
ktap_finish
