#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# Every memlab module depends on the core through its symbols: modprobe of
# the module pulls the core in, and the core refuses removal while the
# module is loaded.  modprobe -r takes away what modprobe pulled in.
. "$(dirname "$0")/memlab_lib.sh"

memlab_require_root
mods=$(memlab_dependants)
[ -n "$mods" ] || ktap_skip_all "no module that depends on memlab is installed"

ktap_plan $(($(echo "$mods" | wc -w) * 5))
for mod in $mods; do
	memlab_unload_all
	modprobe "$mod"
	ktap_test "$mod: modprobe pulls in memlab" memlab_loaded memlab
	ktap_test "$mod: memlab refuses removal" eval '! rmmod memlab 2>/dev/null'
	ktap_test "$mod: both still loaded" \
		eval 'memlab_loaded memlab && memlab_loaded "$mod"'
	rmmod "$mod"
	# Other memlab modules it stands on (memlab_layout uses memlab_pgwalk).
	for dep in $(modinfo -F depends "$mod" | tr ',' ' '); do
		[ "$dep" = memlab ] || rmmod "$dep"
	done
	ktap_test "$mod: memlab removable once $mod is gone" rmmod memlab
	modprobe "$mod"
	modprobe -r "$mod"
	ktap_test "$mod: modprobe -r takes memlab away with it" \
		eval '! memlab_loaded memlab && ! memlab_loaded "$mod"'
done
ktap_finish
