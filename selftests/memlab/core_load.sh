#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# The core module loads and unloads, and both of its directory trees appear
# and vanish with it.
. "$(dirname "$0")/memlab_lib.sh"

memlab_require_root
modinfo memlab >/dev/null 2>&1 || ktap_skip_all "memlab.ko is not installed"

ktap_plan 6
ktap_test "every memlab module unloads" memlab_unload_all
ktap_test "no debugfs tree without the core" test ! -e "$DEBUGFS_DIR"
ktap_test "no proc tree without the core" test ! -e "$PROC_DIR"
modprobe memlab
ktap_test "debugfs tree appears on load" test -f "$DEBUGFS_DIR/version"
ktap_test "proc tree appears on load" test -f "$PROC_DIR/version"
rmmod memlab
ktap_test "both trees vanish on unload" \
	test ! -e "$DEBUGFS_DIR" -a ! -e "$PROC_DIR"
ktap_finish
