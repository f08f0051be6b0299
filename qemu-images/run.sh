#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# run.sh MODE INITRD KREL [LOG]
#
# Boots Debian's kernel KREL with the lab initramfs under QEMU in MODE
# (check, demo or shell; see init).  Serial console on the terminal, no
# network.  TCG unless ACCEL=kvm: nested KVM hangs at boot on the machines
# memlab is built on.  CPU=max gives la57, and so 5-level paging.
# KERNEL= boots another kernel image of release KREL (the debug kernel).
#
# Exit status: 0 when the guest reported success through isa-debug-exit,
# 1 when it reported failure or never reported, 124 on timeout.
set -u

mode=$1 initrd=$2 krel=$3 log=${4:-/dev/null}
accel=${ACCEL:-tcg}
cpu=${CPU:-qemu64}
mem=${MEM:-1G}
smp=${SMP:-2}
timeout=${TIMEOUT:-1800}
kernel=${KERNEL:-/boot/vmlinuz-$krel}

[ -r "$kernel" ] || { echo "run: no kernel at $kernel" >&2; exit 1; }
[ -r "$initrd" ] || { echo "run: no initramfs at $initrd" >&2; exit 1; }

set -- qemu-system-x86_64 -accel "$accel" -cpu "$cpu" -m "$mem" -smp "$smp" \
	-kernel "$kernel" -initrd "$initrd" \
	-append "console=ttyS0 quiet panic=-1 memlab_mode=$mode ${APPEND_EXTRA:-}" \
	-nographic -no-reboot -nic none \
	-device isa-debug-exit,iobase=0xf4,iosize=0x04

if [ "$mode" = shell ]; then
	"$@"
	exit 0
fi

# Keep QEMU's status through the pipe into tee.
status_file=$(mktemp)
{
	timeout --foreground "$timeout" "$@" </dev/null
	echo $? > "$status_file"
} 2>&1 | sed -u 's/\r$//' | tee "$log"
status=$(cat "$status_file")
rm -f "$status_file"

case "$status" in
1) exit 0 ;;		# the guest wrote 0 to the exit port
124) echo "run: QEMU timed out after ${timeout}s" >&2; exit 124 ;;
3) exit 1 ;;		# the guest wrote 1: tests failed
*) echo "run: the guest gave no verdict (QEMU exited $status)" >&2; exit 1 ;;
esac
