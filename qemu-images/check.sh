#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# check.sh INITRD KREL LOG: boots the lab in check mode, streams the KTAP
# output, and decides.  The run fails if the guest's verdict through the
# exit port is not a pass, if the kernel reported anything, or if the KTAP
# results do not add up.  The last line is always "N passed, N failed, N
# skipped".
set -u
here=$(cd "$(dirname "$0")" && pwd)
initrd=$1 krel=$2 log=$3

"$here/run.sh" check "$initrd" "$krel" "$log"
vm=$?
[ $vm -eq 0 ] || echo "check: the VM run failed (status $vm)"

"$here/scan-splats" "$log"
splats=$?

summary=$("$here/ktap-summary" "$log")
tests=$?
echo "$summary"
[ $vm -eq 0 ] && [ $splats -eq 0 ] && [ $tests -eq 0 ]
