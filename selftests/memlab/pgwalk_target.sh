#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# The default target, from a shell: echo "PID ADDR" > target makes a plain
# cat walk walk it, in both trees; a write to an open walk file overrides
# it for that file only; "-" clears it.  The walk of the shell's first
# page, busybox's ELF header in the page cache, ends in the pfn
# /proc/PID/pagemap gives.
. "$(dirname "$0")/memlab_lib.sh"

memlab_require_root
modprobe memlab_pgwalk 2>/dev/null || ktap_skip_all "memlab_pgwalk is not available"

D=$DEBUGFS_DIR/pgwalk
P=$PROC_DIR/pgwalk
saved=$(cat $D/target)

# The ELF header the loader read: present, and not copied on write when
# this shell forks, as its stack and heap would be.
start=$(sed -n '1s/^\([0-9a-f]*\)-.*/\1/p' /proc/$$/maps)
addr=$(printf '0x%x' $((0x$start + 0x10)))

# pagemap's pfn for $addr, in hex, via dd and od (no pagemap tool here).
pagemap_pfn() {
	entry=$(dd if=/proc/$$/pagemap bs=8 skip=$(($1 / 4096)) count=1 2>/dev/null |
		od -An -tx8 | tr -d ' ')
	printf '0x%x' $((0x$entry & 0x7fffffffffffff))
}

ktap_plan 9

echo "$$ $addr" > $D/target
ktap_test "target reads back what was written" [ "$(cat $D/target)" = "$$ $addr" ]
ktap_test "both trees share the default" [ "$(cat $P/target)" = "$$ $addr" ]

# The pfn of a walk's page row, empty without one.
walk_pfn() {
	awk '$1 == "page" { print $4 }' "$1"
}

walk=$(cat $D/walk)
pfn=$(echo "$walk" | awk '$1 == "page" { print $4 }')
ktap_test "cat walk walks the default" \
	[ "$(echo "$walk" | awk '!/^#/ { printf "%s ", $1 }')" = "pgd p4d pud pmd pte page " ]
ktap_test "the page row has pagemap's pfn" \
	[ "${pfn:-none}" = "$(pagemap_pfn $addr)" ]
ktap_test "/proc walks the default too" [ "$(walk_pfn $P/walk)" = "$pfn" ]

# A write on an open file wins over the default, for that file only.
exec 3<>$D/walk
echo "$$ 0x0" >&3
own=$(cat <&3)
exec 3>&-
ktap_test "a written fd walks its own target" \
	[ "$(echo "$own" | awk '$1 == "pgd" || $1 == "page" { printf "%s ", $1 }')" = "pgd " ]
ktap_test "other files still walk the default" [ "$(walk_pfn $D/walk)" = "$pfn" ]

echo - > $D/target
ktap_test "- clears the default" [ "$(cat $D/target)" = "-" ]
ktap_test "without a target walk is only its header" \
	[ "$(cat $D/walk)" = "# level index entry_pa entry_value flags" ]

echo "$saved" > $D/target
ktap_finish
