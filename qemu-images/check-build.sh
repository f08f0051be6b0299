#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# check-build.sh: proves on the host that "make modules" fails when it
# should.  A module that does not link (modpost's "undefined!", what an
# unexported symbol on a newer kernel causes) or that builds with a warning
# must fail the build, and keep failing it on the next run, when nothing
# was rebuilt.  Every case runs "make modules" itself, with MODDIR= on a
# copy of modules/ in a temporary directory, so the tree is never touched.
# ARCH=, KDIR= and the like reach that make through MAKEFLAGS when make
# check runs this; MAKE= names another make.  Prints one "check-build: ok N ..." or "not ok N ..." line
# per case, then a count; fails if any case failed.
set -u
here=$(cd "$(dirname "$0")" && pwd)
src=$(dirname "$here")
make=${MAKE:-make}
tmp=$(mktemp -d "${TMPDIR:-/tmp}/memlab-check-build.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
mods=$tmp/modules
log=$tmp/make.log
cases=5 n=0 failed=0

mkdir -p "$mods"
cp "$src"/modules/Kbuild "$src"/modules/VERSION "$src"/modules/*.[ch] "$mods/" || exit 1

# build: runs "make modules" on the copy and leaves its output in $log.
build() {
	$make -C "$src" --no-print-directory modules MODDIR="$mods" \
		BUILD="$tmp/build" >"$log" 2>&1
}

# result OK NAME: one case's line; on failure the build's output with it.
result() {
	n=$((n + 1))
	if [ "$1" -eq 0 ]; then
		echo "check-build: ok $n $2"
	else
		echo "check-build: not ok $n $2"
		sed 's/^/check-build: # /' "$log"
		failed=$((failed + 1))
	fi
}

echo "check-build: 1..$cases"

# A call to a function that looks exported but is nowhere: it compiles
# without a warning (it has a prototype) and fails only in modpost.
cat >>"$mods/memlab_ring.c" <<'EOF'

int memlab_check_build_caller(void);
int memlab_no_such_symbol(void);

int memlab_check_build_caller(void)
{
	return memlab_no_such_symbol();
}
EOF
! build && grep -q 'ERROR: modpost: "memlab_no_such_symbol".*undefined' "$log"
result $? "an unresolved symbol fails make modules and is named"

! build && grep -q 'memlab_no_such_symbol' "$log"
result $? "a second run with nothing changed still fails"

# The copy is modules/ again: it must build, or the cases above proved
# nothing.
cp "$src/modules/memlab_ring.c" "$mods/memlab_ring.c"
build
result $? "the unchanged sources build"

# W=1's -Wunused-variable: a warning and nothing else.
echo 'static int memlab_check_build_unused;' >>"$mods/memlab_ring.c"
! build && grep -q 'memlab_check_build_unused' "$log"
result $? "a warning fails make modules"

! build && grep -q 'memlab_check_build_unused' "$log"
result $? "a second run after a warning still fails"

echo "check-build: $((n - failed)) of $cases cases passed"
[ $failed -eq 0 ] && [ $n -eq $cases ]
