#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# "memlab buddy pressure" runs the pressure experiment through the tool
# and draws it: the watermarks its chart names are the zone's in
# /proc/zoneinfo, it draws one line per row of buddy/pressure, with that
# row's blocks, free pages and notes, each mark's case says on which side
# of that watermark the row's free pages are, and -J is one JSON document
# of the same rows.
. "$(dirname "$0")/memlab_lib.sh"

memlab_require_root
command -v memlab >/dev/null || ktap_skip_all "the memlab tool is not installed"
modprobe memlab_buddy || ktap_skip_all "memlab_buddy.ko does not load"

buddy=$DEBUGFS_DIR/buddy
pcp=/proc/sys/vm/percpu_pagelist_high_fraction
tmp=$(mktemp -d) || ktap_skip_all "no temporary directory"
fraction=$(cat "$pcp") || ktap_skip_all "no $pcp"
trap 'echo "free all" > "$buddy/control"; echo "$fraction" > "$pcp"; rm -rf "$tmp"' EXIT
echo "free all" > "$buddy/control"

# As buddy_pressure.c: on CPU 0, its per-CPU lists shrunk (a file's pages
# freed drain them to the new high), so that the 800 MiB the run gives
# back go to the free lists and not onto them, where from 6.7 they would
# drain into MemFree for seconds after the test.
taskset -p 1 $$ >/dev/null 2>&1
echo 1000000000 > "$pcp" || ktap_skip_all "cannot shrink the per-CPU lists"
dd if=/dev/zero of="$tmp/fill" bs=1M count=16 2>/dev/null
rm -f "$tmp/fill"

# The zone's "min low high" in /proc/zoneinfo; $1 is the view's "0/DMA32".
zoneinfo_wmarks() {
	awk -v n="${1%%/*}," -v z="${1#*/}" '
		$1 == "Node" { in_zone = $2 == n && $4 == z }
		in_zone && ($1 == "min" || $1 == "low" || $1 == "high") {
			printf "%s%s", sep, $2
			sep = " "
		}
		END { print "" }' /proc/zoneinfo
}

ktap_plan 13

# Wide enough that the three marks never share a column.
COLUMNS=200 NO_COLOR=1 memlab buddy pressure 0 until=low --chart > "$tmp/chart"
status=$?
wmarks_now=$(zoneinfo_wmarks "$(awk 'NR == 2 { print $2 }' "$buddy/pressure")")
grep -v "^#" "$buddy/pressure" > "$tmp/rows"
# Each line of the chart that is a row: "blocks free |bar| notes".
sed -n 's/^ *\([0-9][0-9]*\) *\([0-9][0-9]*\) |\([^|]*\)| *\(.*\)$/\1 \2 \4/p' \
	"$tmp/chart" > "$tmp/lines"
sed -n 's/^ *[0-9][0-9]* *[0-9][0-9]* |\([^|]*\)|.*$/\1/p' "$tmp/chart" > "$tmp/bars"
ktap_diag "$(wc -l < "$tmp/rows") rows; watermarks $wmarks_now; last row: $(tail -n 1 "$tmp/rows")"

ktap_test "pressure 0 until=low --chart exits 0" test "$status" -eq 0
ktap_test "the chart names the zone's min, low and high of /proc/zoneinfo" \
	test "$(sed -n 's/^m min \([0-9]*\), l low \([0-9]*\), h high \([0-9]*\):.*/\1 \2 \3/p' \
		"$tmp/chart")" = "$wmarks_now"
ktap_test "the chart has a line for every row of buddy/pressure" \
	test "$(wc -l < "$tmp/lines")" -eq "$(wc -l < "$tmp/rows")" -a -s "$tmp/rows"
ktap_test "each line is its row: blocks, free pages and notes" \
	sh -c 'awk "{ print \$4, \$5, (\$NF == \"-\" ? \"\" : \$NF) }" "$1" | cmp -s - "$2"' \
	sh "$tmp/rows" "$tmp/lines"
# Upper case at or above the watermark, lower case below: m, l, h in order.
ktap_test "each line marks min, low and high on the side its free pages are" \
	sh -c 'awk "{ print (\$5 >= \$6 ? \"M\" : \"m\") (\$5 >= \$7 ? \"L\" : \"l\") \
			(\$5 >= \$8 ? \"H\" : \"h\") }" "$1" > "$3" &&
		awk "{ gsub(/[^mlhMLH]/, \"\"); print }" "$2" | cmp -s - "$3"' \
	sh "$tmp/rows" "$tmp/bars" "$tmp/marks"
ktap_test "the run ends where the zone reached its low watermark" \
	sh -c 'tail -n 1 "$1" | grep -q "reached"' sh "$tmp/lines"

# json_valid is this shell's: not for sh -c.
memlab -J buddy pressure --chart > "$tmp/json"
ktap_test "-J of the run, --chart or not, is one JSON document" json_valid "$tmp/json"
ktap_test "-J has a row for each row of the view" \
	sh -c '[ "$(grep -o "\"notes\":" "$1/json" | wc -l)" -eq "$(wc -l < "$1/rows")" ]' \
	sh "$tmp"
ktap_test "events lists the run: a pressure row with as many blocks as the chart" \
	sh -c 'memlab -n -o command,got buddy events | tail -n 1 |
		grep -qx "pressure $(tail -n 1 "$1" | cut -d" " -f1)"' sh "$tmp/lines"

before=$(cat "$buddy/pressure")
ktap_test "a second run while the blocks are held exits 1 with the module's EBUSY" \
	sh -c 'memlab buddy pressure 0 2>"$1/err"; [ $? -eq 1 ] &&
		grep -q "buddy/control: pressure 0: Device or resource busy" "$1/err"' sh "$tmp"
ktap_test "the refused run changed nothing" test "$before" = "$(cat "$buddy/pressure")"
ktap_test "pressure with a bad ORDER or key exits 2, nothing written" \
	sh -c '{ memlab buddy pressure x 2>/dev/null; [ $? -eq 2 ]; } &&
		{ memlab buddy pressure 0 until=low bogus=1 2>/dev/null; [ $? -eq 2 ]; } &&
		[ "$2" = "$(cat "$1/pressure")" ]' sh "$buddy" "$before"

# buddy/timeline is newer than pressure: a module may not have it yet.
if [ -e "$buddy/timeline" ]; then
	id=$(awk '!/^#/ { id = $1 } END { print id }' "$buddy/timeline")
	ktap_test "timeline --id keeps the rows of that command, and only those" \
		sh -c '[ "$(memlab -n buddy timeline --id "$2")" = \
			"$(awk -v id="$2" "\$1 == id" "$1/timeline")" ] &&
			[ -z "$(memlab -n -o id buddy timeline --id "$2" | grep -vx "$2")" ]' \
		sh "$buddy" "${id:-1}"
else
	ktap_skip "timeline --id keeps the rows of that command: no buddy/timeline"
fi
ktap_finish
