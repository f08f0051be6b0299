#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# The memlab command-line tool reads the same files as cat does, its cmd,
# walk and ranges subcommands reach the control files, and load and
# unload do what /proc/modules says they did.
. "$(dirname "$0")/memlab_lib.sh"

memlab_require_root
command -v memlab >/dev/null || ktap_skip_all "the memlab tool is not installed"
modprobe memlab || ktap_skip_all "memlab.ko does not load"

ktap_plan 13
ktap_test "list names version as a view" \
	sh -c 'memlab list | grep -qE "^version +view$"'
ktap_test "show prints version as cat does" \
	sh -c 'memlab show version | grep -v "^==>" | grep . |
		cmp -s - "$1"' sh "$DEBUGFS_DIR/version"
ktap_test "an unknown subcommand fails" eval '! memlab bogus 2>/dev/null'

if modprobe memlab_buddy; then
	before=$(cat "$DEBUGFS_DIR/buddy/allocations")
	ktap_test "cmd reports a rejected command" \
		eval '! memlab cmd buddy/control alloc bogus 2>/dev/null'
	ktap_test "a rejected command changed nothing" \
		test "$before" = "$(cat "$DEBUGFS_DIR/buddy/allocations")"
else
	ktap_skip "cmd reports a rejected command: no memlab_buddy"
	ktap_skip "a rejected command changed nothing: no memlab_buddy"
fi

if modprobe memlab_pgwalk; then
	# The first mapping of this shell, from its own maps file.
	start=$(sed -n '1s/-.*//p' /proc/$$/maps | sed 's/^0*//')
	ktap_test "walk --table reaches a page" \
		sh -c 'memlab walk $1 0x$2 --table | grep -q "^page "' sh $$ "$start"
	ktap_test "walk of a bad pid fails" \
		eval '! memlab walk 999999 0x1000 2>/dev/null'
	ktap_test "ranges starts where maps does" \
		sh -c 'memlab ranges $1 | sed -n 2p | grep -q "^0x$2 "' \
		sh $$ "$start"
else
	ktap_skip "walk reaches a page: no memlab_pgwalk"
	ktap_skip "walk of a bad pid fails: no memlab_pgwalk"
	ktap_skip "ranges starts where maps does: no memlab_pgwalk"
fi

if modprobe memlab_layout; then
	# The populated zones, from the kernel's own list of them.
	zones=$(grep -c "^Node" /proc/buddyinfo)
	zone=$(sed -n '$s/.*zone *\([^ ]*\).*/\1/p' /proc/buddyinfo)
	ktap_test "physmap --chart draws each populated zone" \
		sh -c '[ "$(COLUMNS=60 memlab physmap --chart | grep -c "^node ")" -eq "$1" ]' \
		sh "$zones"
	ktap_test "physmap --zone shows that zone alone" \
		sh -c 'memlab physmap --zone "$1" | awk -v z="$1" "
			/^#/ { next } \$2 != z { bad = 1 } { n++ }
			END { exit bad || !n }"' sh "$zone"
	# 4096 frames from where the first zone starts, in /proc/zoneinfo.
	lo=$(sed -n 's/^ *start_pfn: *//p' /proc/zoneinfo | head -n 1)
	ktap_test "physmap --range cuts the runs to it" \
		sh -c 'memlab physmap --range "$1-$(($1 + 4096))" | grep -v "^#" | {
			n=0
			while read -r _ _ s e p _; do
				[ $((s)) -ge "$1" ] && [ $((e)) -le $(($1 + 4096)) ] &&
				[ $((e - s)) -eq "$p" ] || exit 1
				n=$((n + p))
			done
			[ "$n" -gt 0 ] && [ "$n" -le 4096 ]
		}' sh "$lo"
else
	ktap_skip "physmap --chart draws each populated zone: no memlab_layout"
	ktap_skip "physmap --zone shows that zone alone: no memlab_layout"
	ktap_skip "physmap --range cuts the runs to it: no memlab_layout"
fi

# What the tool loads and unloads, by /proc/modules, not by itself.
installed=$(sed -n 's|^[^:]*/\(memlab[^/:.]*\)\.ko[.a-z]*:.*|\1|p' \
	"/lib/modules/$(uname -r)/modules.dep" | wc -l)
ktap_test "load loads every installed memlab module" \
	sh -c 'memlab load && [ "$(grep -c "^memlab" /proc/modules)" -eq "$1" ]' \
	sh "$installed"
ktap_test "unload unloads every memlab module" \
	sh -c 'memlab unload && ! grep -q "^memlab" /proc/modules'
ktap_finish
