#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# run.sh MODE INITRD KREL [LOG]
#
# Boots Debian's kernel KREL with the lab initramfs under QEMU in MODE
# (check, demo or shell; see init).  Serial console on the terminal, no
# network.  TCG unless ACCEL=kvm: nested KVM hangs at boot on the machines
# memlab is built on.  CPU=max gives la57, and so 5-level paging.
# KERNEL= boots another kernel image of release KREL.  ARCH=arm64 boots
# Debian's arm64 kernel, which qemu-images/deps.sh unpacked into
# MEMLAB_CACHE, on qemu-system-aarch64's virt board.
#
# Exit status: 0 when the guest reported success through its exit channel
# (see init), 1 when it reported failure or never reported, 124 on timeout.
set -u

mode=$1 initrd=$2 krel=$3 log=${4:-/dev/null}
accel=${ACCEL:-tcg}
mem=${MEM:-1G}
smp=${SMP:-2}
timeout=${TIMEOUT:-1800}

case "${ARCH:-x86}" in
arm64)
	cpu=${CPU:-cortex-a57}
	cache=${MEMLAB_CACHE:-$HOME/.cache/memlab}
	kernel=${KERNEL:-$cache/arm64/$krel/root/boot/vmlinuz-$krel}
	console=ttyAMA0
	# With KASLR, arm64 moves its image and the modules into the
	# vmalloc area, and memlab_layout's regions would overlap.
	append_arch=nokaslr
	# userspace=on lets init's semihost-exit reach QEMU from EL0.
	set -- qemu-system-aarch64 -M virt \
		-semihosting-config enable=on,target=native,userspace=on
	;;
*)
	cpu=${CPU:-qemu64}
	kernel=${KERNEL:-/boot/vmlinuz-$krel}
	console=ttyS0
	append_arch=
	set -- qemu-system-x86_64 -device isa-debug-exit,iobase=0xf4,iosize=0x04
	;;
esac

[ -r "$kernel" ] || { echo "run: no kernel at $kernel" >&2; exit 1; }
[ -r "$initrd" ] || { echo "run: no initramfs at $initrd" >&2; exit 1; }

set -- "$@" -accel "$accel" -cpu "$cpu" -m "$mem" -smp "$smp" \
	-kernel "$kernel" -initrd "$initrd" \
	-append "console=$console $append_arch quiet panic=-1 memlab_mode=$mode ${APPEND_EXTRA:-}" \
	-nographic -no-reboot -nic none

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
1) exit 0 ;;		# the guest's verdict was 0: success
124) echo "run: QEMU timed out after ${timeout}s" >&2; exit 124 ;;
3) exit 1 ;;		# the guest's verdict was 1: tests failed
*) echo "run: the guest gave no verdict (QEMU exited $status)" >&2; exit 1 ;;
esac
