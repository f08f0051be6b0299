#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# "memlab slab events" and "memlab slab timeline [--id N]" print what
# slab/events and slab/timeline hold after allocs made through the tool,
# --id keeps the rows whose id column is N and no others, and a malformed
# line exits 2 with slab's usage, saying what was wrong, having changed
# nothing.
. "$(dirname "$0")/memlab_lib.sh"

memlab_require_root
command -v memlab >/dev/null || ktap_skip_all "the memlab tool is not installed"
modprobe memlab_slab || ktap_skip_all "memlab_slab.ko does not load"

slab=$DEBUGFS_DIR/slab
[ -e "$slab/events" ] && [ -e "$slab/timeline" ] ||
	ktap_skip_all "this memlab_slab has no slab/events and slab/timeline"
tmp=$(mktemp -d) || ktap_skip_all "no temporary directory"
trap 'echo "free all" > "$slab/control"; rm -rf "$tmp"' EXIT
echo "free all" > "$slab/control"

# The id of slab/events' newest row: the last command's.
last_id() {
	awk '!/^#/ { id = $1 } END { print id }' "$slab/events"
}

# The rows of slab/timeline whose id column is $1, from the file itself.
timeline_rows() {
	awk -v id="$1" '!/^#/ && $1 == id' "$slab/timeline"
}

ktap_plan 14

# Two allocs, so that --id has rows of another command to leave out.
memlab slab alloc 300 > /dev/null
status1=$?
first=$(last_id)
memlab slab alloc 100 > /dev/null
status2=$?
second=$(last_id)
ktap_diag "alloc ids: ${first:-none} ${second:-none}"
ktap_test "slab alloc 300 and alloc 100 exit 0, each a new row of slab/events" \
	test "$status1" -eq 0 -a "$status2" -eq 0 -a -n "$first" -a -n "$second" \
		-a "${second:-0}" != "${first:-0}"

memlab slab events > "$tmp/events"
status=$?
cat "$slab/events" > "$tmp/events.raw"
ktap_test "slab events exits 0 and prints slab/events as cat does" \
	sh -c '[ "$1" -eq 0 ] && grep -qv "^#" "$2" && cmp -s "$2" "$3"' \
	sh "$status" "$tmp/events" "$tmp/events.raw"
ktap_test "slab events' newest row is alloc 100, the last command" \
	sh -c 'memlab -n -o id,command,asked slab events | tail -n 1 |
		grep -qx "$1 alloc 100"' sh "$second"

memlab slab timeline > "$tmp/timeline"
status=$?
cat "$slab/timeline" > "$tmp/timeline.raw"
ktap_test "slab timeline exits 0 and prints slab/timeline as cat does" \
	sh -c '[ "$1" -eq 0 ] && grep -qv "^#" "$2" && cmp -s "$2" "$3"' \
	sh "$status" "$tmp/timeline" "$tmp/timeline.raw"

# --id N against the file filtered by its id column: one command's rows,
# some, in the file's order, the header as the file has it.
for id in "$first" "$second"; do
	timeline_rows "$id" > "$tmp/rows.$id"
	ktap_test "timeline --id $id prints the rows of slab/timeline with id $id" \
		sh -c 'memlab -n slab timeline --id "$1" > "$3/out.$1" &&
			[ -s "$2" ] && cmp -s "$2" "$3/out.$1"' \
		sh "$id" "$tmp/rows.$id" "$tmp"
done
ktap_test "timeline --id keeps no row of the other alloc" \
	sh -c '[ -z "$(memlab -n -o id slab timeline --id "$1" | grep -vx "$1")" ] &&
		[ -z "$(memlab -n -o id slab timeline --id "$2" | grep -vx "$2")" ]' \
	sh "$first" "$second"
ktap_test "timeline --id=N is --id N, with slab/timeline's header" \
	sh -c 'memlab slab timeline --id="$1" > "$2/eq" &&
		head -n 1 "$3" | cat - "$2/rows.$1" | cmp -s - "$2/eq"' \
	sh "$second" "$tmp" "$slab/timeline"
# No command has the id after the newest, so no row does.
ktap_test "timeline --id of no command prints the header alone" \
	sh -c 'memlab slab timeline --id "$(($1 + 1))" > "$2/none" &&
		head -n 1 "$3" | cmp -s - "$2/none"' sh "$second" "$tmp" "$slab/timeline"
# json_valid is this shell's: not for sh -c.
json_rows() {
	memlab -J slab timeline --id "$1" > "$tmp/json" && json_valid "$tmp/json" &&
		[ "$(grep -o '"seq":' "$tmp/json" | wc -l)" -eq "$(wc -l < "$tmp/rows.$1")" ]
}
ktap_test "-J timeline --id is one JSON document, a row for each of the file's" \
	json_rows "$first"

# A malformed line: exit 2, what was wrong, slab's usage; no view moved.
state() {
	cat "$slab/events" "$slab/timeline" "$slab/stats"
}
before=$(state)
# bad EXPECTED-MESSAGE ARGS...: exit 2, the message and slab's usage.
bad() {
	msg=$1
	shift
	memlab slab "$@" > "$tmp/bad.out" 2> "$tmp/bad.err"
	[ $? -eq 2 ] && [ ! -s "$tmp/bad.out" ] &&
		grep -qxF "memlab: $msg" "$tmp/bad.err" &&
		grep -q "^usage: memlab slab " "$tmp/bad.err"
}
ktap_test "slab events with an argument exits 2, saying so" \
	bad "events takes no argument: $first" events "$first"
ktap_test "slab timeline --id x exits 2: N is a number" \
	bad "timeline: --id is a number, not x" timeline --id x
ktap_test "slab timeline with anything but --id N exits 2, saying what" \
	eval 'bad "timeline takes only --id N, not bogus" timeline bogus &&
		bad "timeline takes only --id N, not --id" timeline --id &&
		bad "timeline takes only --id N, not $first" timeline --id "$first" "$first"'
ktap_test "the refused lines changed nothing" test "$before" = "$(state)"
ktap_finish
