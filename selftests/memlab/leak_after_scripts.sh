#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# The kmemleak scan after the shell tests, which the kselftest runner
# starts only after every C test; see leak_scan.c.
exec "$(dirname "$0")/leak_after_scripts"
