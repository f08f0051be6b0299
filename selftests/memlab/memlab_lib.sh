#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# KTAP output and module helpers for memlab's shell selftests; 6.1's
# selftests have no ktap_helpers.sh.  Source it, call ktap_plan N, then one
# ktap_* per test point, then ktap_finish.

KSFT_PASS=0
KSFT_FAIL=1
KSFT_SKIP=4

ktap_count=0
ktap_failures=0

DEBUGFS_DIR=/sys/kernel/debug/memlab
PROC_DIR=/proc/memlab

ktap_plan() {
	echo "TAP version 13"
	echo "1..$1"
}

ktap_ok() {
	ktap_count=$((ktap_count + 1))
	echo "ok $ktap_count $*"
}

ktap_not_ok() {
	ktap_count=$((ktap_count + 1))
	ktap_failures=$((ktap_failures + 1))
	echo "not ok $ktap_count $*"
}

ktap_skip() {
	ktap_count=$((ktap_count + 1))
	echo "ok $ktap_count $* # SKIP"
}

# ktap_test DESCRIPTION COMMAND...: one test point, passing if COMMAND does.
ktap_test() {
	desc=$1
	shift
	if "$@"; then
		ktap_ok "$desc"
	else
		ktap_not_ok "$desc"
	fi
}

ktap_diag() {
	echo "# $*"
}

ktap_skip_all() {
	echo "TAP version 13"
	echo "1..0 # SKIP $*"
	exit $KSFT_SKIP
}

ktap_finish() {
	echo "# totals: $((ktap_count - ktap_failures)) passed, $ktap_failures failed"
	[ "$ktap_failures" -eq 0 ] && exit $KSFT_PASS
	exit $KSFT_FAIL
}

memlab_require_root() {
	[ "$(id -u)" -eq 0 ] || ktap_skip_all "must be run as root"
}

memlab_loaded() {
	grep -q "^$1 " /proc/modules
}

# Every memlab module that depends on the core, as modprobe knows them.
memlab_dependants() {
	dep=/lib/modules/$(uname -r)/modules.dep
	sed -n 's|^[^:]*/\(memlab_[^/:.]*\)\.ko[.a-z]*:.*/memlab\.ko.*|\1|p' "$dep" | sort
}

# Leaves no memlab module loaded.
memlab_unload_all() {
	for mod in $(memlab_dependants); do
		memlab_loaded "$mod" && rmmod "$mod"
	done
	memlab_loaded memlab && rmmod memlab
	! memlab_loaded memlab
}

# json_valid FILE: whether FILE is one JSON document (RFC 8259) and no
# more; the lab has no jq or python to ask.
json_valid() {
	awk '
	function ws() {
		while (p <= n && index(" \t\r\n", substr(s, p, 1)))
			p++
	}
	# A string, number or literal at p: matched in a window, not the rest
	# of the document, so that a long one is not copied for each value.
	function token(re) {
		if (!match(substr(s, p, 4096), re))
			return 0
		p += RLENGTH
		return 1
	}
	function str() {
		return token("^\"([^\"\\\\]|\\\\[\"\\\\/bfnrt]|\\\\u[0-9a-fA-F][0-9a-fA-F][0-9a-fA-F][0-9a-fA-F])*\"")
	}
	function value(   c) {
		ws()
		c = substr(s, p, 1)
		if (c == "{")
			return members("}")
		if (c == "[")
			return members("]")
		if (c == "\"")
			return str()
		return token("^-?(0|[1-9][0-9]*)(\\.[0-9]+)?([eE][-+]?[0-9]+)?") ||
		       token("^(true|false|null)")
	}
	# An object (end "}") or array (end "]"), from its opening at p.
	function members(end,   c) {
		p++
		ws()
		if (substr(s, p, 1) == end)
			return ++p
		for (;;) {
			ws()
			if (end == "}") {
				if (!str())
					return 0
				ws()
				if (substr(s, p++, 1) != ":")
					return 0
			}
			if (!value())
				return 0
			ws()
			c = substr(s, p++, 1)
			if (c == end)
				return 1
			if (c != ",")
				return 0
		}
	}
	{ s = s $0 "\n" }
	END {
		n = length(s)
		p = 1
		ok = value()
		ws()
		exit !(ok && p > n)
	}' "$1"
}
