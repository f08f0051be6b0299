#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# The pictures of memlab walk and memlab ranges --chart, checked against
# what the kernel says elsewhere, never against memlab itself: the page
# frame the picture ends in is the one /proc/PID/pagemap gives, each
# level's index is the one this script cuts from the address with shell
# arithmetic, and a kernel walk of _text (/proc/kallsyms) lands in the
# "Kernel code" of /proc/iomem.
. "$(dirname "$0")/memlab_lib.sh"

memlab_require_root
command -v memlab >/dev/null || ktap_skip_all "the memlab tool is not installed"
modprobe memlab_pgwalk 2>/dev/null || ktap_skip_all "memlab_pgwalk does not load"

tmp=$(mktemp -d) || ktap_skip_all "no mktemp"
trap 'rm -rf "$tmp"' EXIT
# Wide enough that no line of the picture wraps.
COLUMNS=100
export COLUMNS

# The page size from the C library, or from the kernel's own smaps.
page=$(getconf PAGESIZE 2>/dev/null) ||
	page=$(($(sed -n 's/^KernelPageSize: *\([0-9]*\) kB/\1/p' /proc/$$/smaps |
		head -n 1) * 1024))
shift_page=0
p=$page
while [ "$p" -gt 1 ]; do
	p=$((p / 2))
	shift_page=$((shift_page + 1))
done
# Which paging mode this boot runs; the cut below is this script's own.
levels=$(sed -n 's/^paging_levels: //p' "$DEBUGFS_DIR/version")

# The ELF header of this shell, its first mapping: present, and not
# copied on write when the shell forks.
start=$(sed -n '1s/^\([0-9a-f]*\)-.*/\1/p' /proc/$$/maps | sed 's/^0*//')
addr=$((0x$start + 0x10))
hexaddr=$(printf '0x%x' $addr)

# pagemap's pfn for $1, in hex: bits 0-54 of its 8-byte entry.  The top
# byte (present, swapped, ...) is cut off first: with it the entry is past
# what every shell's arithmetic holds.
pagemap_pfn() {
	entry=$(dd if=/proc/$$/pagemap bs=8 skip=$(($1 / page)) count=1 2>/dev/null |
		od -An -tx8 | tr -d ' ')
	printf '0x%x' $((0x${entry#??} & 0x7fffffffffffff))
}
pfn=$(pagemap_pfn $addr)

# Each level's index, cut from the address: below the root, every level
# takes log2(page / 8) bits above the page offset, the root the rest;
# those the paging mode does not use are folded.
cut() {
	bits=$((shift_page - 3))
	out=
	k=$((levels - 1))	# the pgd's place, counting up from the pte
	for l in pgd p4d pud pmd pte; do
		case $l in
		pgd) n=$((levels - 1)) ;;
		p4d) n=3 ;;
		pud) n=2 ;;
		pmd) n=1 ;;
		pte) n=0 ;;
		esac
		if [ "$l" != pgd ] && [ "$n" -ge "$k" ]; then
			out="$out $l=folded"
			continue
		fi
		s=$((shift_page + n * bits))
		# A user address has nothing above the root's bits.
		if [ "$l" = pgd ]; then
			out="$out $l=$(($1 >> s))"
		else
			out="$out $l=$((($1 >> s) & ((1 << bits) - 1)))"
		fi
	done
	echo "$out"
}

# The indexes the picture draws: "| pmd[2]  entry at ...", or a
# "p4d folded into the pgd" between two tables.
drawn() {
	out=
	for l in pgd p4d pud pmd pte; do
		i=$(sed -n "s/^| $l\[\([0-9]*\)\].*/\1/p" "$1")
		if [ -n "$i" ]; then
			out="$out $l=$i"
		elif grep -Eq "^  [|]   ([a-z0-9]+, )*$l(, [a-z0-9]+)* folded into" "$1"; then
			out="$out $l=folded"
		else
			out="$out $l=-"
		fi
	done
	echo "$out"
}

ktap_plan 9

memlab walk $$ "$hexaddr" > "$tmp/pic" 2> "$tmp/err"
echo $? > "$tmp/status"
ktap_diag "walk $$ $hexaddr: pagemap pfn $pfn, cut$(cut $addr)"
ktap_test "walk draws the page frame pagemap gives" \
	[ "$(sed -n 's/^| pfn \(0x[0-9a-f]*\),.*/\1/p' "$tmp/pic")" = "$pfn" ]
ktap_test "walk draws the byte's physical address, pfn * page + offset" \
	[ "$(sed -n 's/^| pfn [^,]*, byte at phys \(0x[0-9a-f]*\) .*/\1/p' "$tmp/pic")" = \
	  "$(printf '0x%x' $((pfn * page + addr % page)))" ]
expected=$(cut $addr)
# A file THP mapped by a pmd has no pte: the walk ends a level early.
grep -q "the walk ends at the pmd" "$tmp/pic" && expected="${expected% pte=*} pte=-"
ktap_test "walk draws each level's index as the address cuts" \
	[ "$(drawn "$tmp/pic")" = "$expected" ]
ktap_test "walk's own cut agrees with the kernel's indexes" \
	sh -c '[ "$(cat "$1/status")" -eq 0 ] && [ ! -s "$1/err" ]' sh "$tmp"

# JSON: the page row's entry_value is the pfn.
memlab -J walk $$ "$hexaddr" > "$tmp/json"
ktap_test "-J walk has pagemap's pfn in its page row" \
	sh -c 'sed "s/.*{\(\"level\":\"page\"[^}]*\)}.*/\1/" "$1" |
		grep -q "\"entry_value\":\"$2\""' sh "$tmp/json" "$pfn"

ktap_test "walk of a pid that does not exist exits 1, saying why" \
	sh -c 'memlab walk 999999 0x1000 > /dev/null 2> "$1/err"
		[ $? -eq 1 ] && [ -s "$1/err" ]' sh "$tmp"
ktap_test "walk without arguments exits 2" \
	sh -c 'memlab walk > /dev/null 2>&1; [ $? -eq 2 ]'


ktap_test "ranges --chart has a line for the first mapping's start" \
	sh -c 'memlab ranges $1 --chart | grep -q "^0x0*$2 "' sh $$ "$start"

# _text, where the kernel code starts, in the kernel's own symbol table;
# hidden (all zeros) with kptr_restrict.
text=$(sed -n 's/^\([0-9a-f]*\) [Tt] _text$/\1/p' /proc/kallsyms | head -n 1)
code=$(sed -n 's/^ *\([0-9a-f]*\)-\([0-9a-f]*\) : Kernel code$/\1 \2/p' /proc/iomem | head -n 1)
if [ -n "$text" ] && [ -n "${text#"${text%%[1-9a-f]*}"}" ] && [ -n "$code" ] &&
	[ "$code" != "00000000 00000000" ]; then
	memlab walk kernel "0x$text" > "$tmp/kpic"
	phys=$(sed -n 's/^| pfn [^,]*, byte at phys \(0x[0-9a-f]*\) .*/\1/p' "$tmp/kpic")
	lo=${code% *}
	hi=${code#* }
	ktap_diag "_text 0x$text at phys ${phys:-none}, Kernel code $lo-$hi"
	ktap_test "walk of _text lands in /proc/iomem's Kernel code" \
		sh -c '[ -n "$1" ] && [ $(($1)) -ge $((0x$2)) ] && [ $(($1)) -le $((0x$3)) ]' \
		sh "$phys" "$lo" "$hi"
else
	ktap_skip "walk of _text lands in /proc/iomem's Kernel code: addresses hidden"
fi
ktap_finish
