#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# "memlab buddy" draws and changes what memlab_buddy's files hold: its
# charts agree with the views they draw and with /proc/buddyinfo, its
# commands are the module's, refused as the module refuses them, and
# what it prints after one is what the files then hold.
. "$(dirname "$0")/memlab_lib.sh"

memlab_require_root
command -v memlab >/dev/null || ktap_skip_all "the memlab tool is not installed"
modprobe memlab_buddy || ktap_skip_all "memlab_buddy.ko does not load"

buddy=$DEBUGFS_DIR/buddy
tmp=$(mktemp -d) || ktap_skip_all "no temporary directory"
trap 'rm -rf "$tmp"' EXIT
echo "free all" > "$buddy/control"

# The highest order, from the kernel's own table of free pages by order.
max=$(sed -n 's/^Free pages count per migrate type at order.* \([0-9][0-9]*\) *$/\1/p' \
	/proc/pagetypeinfo)
[ -n "$max" ] || max=$(awk 'NR == 1 { print NF - 5 }' /proc/buddyinfo)

# freearea saved once: the chart drawn from the same bytes as it is read.
mkdir -p "$tmp/root/buddy"
cat "$DEBUGFS_DIR/version" > "$tmp/root/version"
cat "$buddy/freearea" > "$tmp/root/buddy/freearea"
COLUMNS=60 MEMLAB_ROOT=$tmp/root memlab buddy freearea --chart > "$tmp/chart"

ktap_plan 12
ktap_test "an unknown buddy subcommand exits 2" \
	sh -c 'memlab buddy bogus 2>/dev/null; [ $? -eq 2 ]'
ktap_test "alloc without ORDER exits 2" \
	sh -c 'memlab buddy alloc 2>/dev/null; [ $? -eq 2 ]'

before=$(cat "$buddy/allocations")
ktap_test "alloc $((max + 1)) exits 1, refused as the module refuses it" \
	sh -c 'memlab buddy alloc "$1" 2>"$2"; [ $? -eq 1 ] &&
		grep -q "buddy/control: alloc $1: Invalid argument" "$2"' \
	sh "$((max + 1))" "$tmp/err"
ktap_test "the refused alloc changed nothing" \
	test "$before" = "$(cat "$buddy/allocations")"

# The rows printed are the table's newest three: ids, orders and states.
ktap_test "alloc prints the rows it added, as allocations has them" \
	sh -c 'out=$(memlab -n -o id,order,status buddy alloc 2 count=3) &&
		[ "$(echo "$out" | wc -l)" -eq 3 ] &&
		[ "$out" = "$(grep -v "^#" "$1" | tail -n 3 | awk "{ print \$1, \$2, \$11 }")" ]' \
	sh "$buddy/allocations"

# Each pair as buddies has it: lower PFN on the left, ours labelled with its
# id, and beneath them the block of order + 1 at pfn & ~(1 << order).
COLUMNS=200 memlab buddy buddies --chart > "$tmp/pairs"
ktap_test "buddies --chart draws each pair and the block it would form" \
	sh -c 'n=0
		grep -v "^#" "$1" > "$3"
		while read -r id order pfn bpfn _; do
			size=$((1 << order)) p=$((pfn)) b=$((bpfn))
			ours="0x$(printf %x $p)-0x$(printf %x $((p + size - 1))) ours id $id"
			theirs="0x$(printf %x $b)-0x$(printf %x $((b + size - 1))) "
			if [ $p -lt $b ]; then
				pair="^\[$ours *\]\[$theirs"
			else
				pair="^\[$theirs[^]]*\]\[$ours *\]$"
			fi
			m=$((p & ~size))
			merged="^\[0x$(printf %x $m)-0x$(printf %x $((m + 2 * size - 1))) o$((order + 1)):"
			grep -q "$pair" "$2" && grep -q "$merged" "$2" || exit 1
			n=$((n + 1))
		done < "$3"
		[ "$n" -eq 3 ]' sh "$buddy/buddies" "$tmp/pairs" "$tmp/rows"

# "node zone orders" per zone, from the chart and from /proc/buddyinfo.
ktap_test "freearea --chart has one bar per order for each zone of buddyinfo" \
	sh -c '[ "$(awk "\$1 == \"node\" { if (z != \"\") print z, n; z = \$2 \" \" \$3
			sub(/:\$/, \"\", z); n = 0 } \$1 == \"order\" { n++ }
			END { if (z != \"\") print z, n }" "$1")" = \
		"$(awk "{ z = \$2; sub(/,/, \"\", z); print z, \$4, NF - 4 }" /proc/buddyinfo)" ]' \
	sh "$tmp/chart"
ktap_test "freearea --chart labels each order with its all row's count" \
	sh -c '[ "$(awk "\$1 == \"node\" { z = \$2 \" \" \$3; sub(/:\$/, \"\", z) }
			\$1 == \"order\" { print z, \$2, \$3 }" "$1")" = \
		"$(awk "NR == 1 { for (i = 5; i <= NF; i++) o[i - 1] = \$i; next }
			\$3 == \"all\" { for (i = 4; i <= NF; i++) print \$1, \$2, o[i], \$i }" "$2")" ]' \
	sh "$tmp/chart" "$tmp/root/buddy/freearea"
ktap_test "freearea --chart fits 60 columns" \
	sh -c '! awk "length(\$0) > 60 { bad = 1 } END { exit !bad }" "$1"' sh "$tmp/chart"
ktap_test "-J freearea has a row for every line of the view" \
	sh -c '[ "$(MEMLAB_ROOT=$1 memlab -J buddy freearea | grep -o "\"type\":" | wc -l)" -eq \
		"$(grep -vc "^#" "$1/buddy/freearea")" ]' sh "$tmp/root"

ktap_test "free all leaves allocations empty" \
	sh -c 'memlab buddy free all >/dev/null && [ "$(grep -vc "^#" "$1")" -eq 0 ]' \
	sh "$buddy/allocations"

rmmod memlab_buddy
ktap_test "without memlab_buddy, buddy exits 1 and says it is not loaded" \
	sh -c '! grep -q "^memlab_buddy " /proc/modules && { memlab buddy 2>"$1"; [ $? -eq 1 ]; } &&
		grep -q "memlab_buddy is not loaded" "$1"' sh "$tmp/err"
ktap_finish
