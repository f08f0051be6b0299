// SPDX-License-Identifier: GPL-2.0
/*
 * semihost-exit STATUS: ends the arm64 lab VM with QEMU exit status STATUS.
 *
 * The arm64 counterpart of the x86 image's isa-debug-exit write: -M virt
 * has no such device, and a PSCI power-off always exits QEMU with 0, which
 * leaves a console line as the only verdict, and any test can print one.
 * An ARM semihosting SYS_EXIT carries the status out of band instead.
 * QEMU honours it from user space only with
 * -semihosting-config enable=on,target=native,userspace=on; without that
 * the HLT raises SIGILL, this program dies, and the VM gives no verdict.
 */
#include <stdio.h>
#include <stdlib.h>

#define SEMIHOSTING_SYS_EXIT		0x18
/* ADP_Stopped_ApplicationExit: the subcode is the exit status. */
#define SEMIHOSTING_APPLICATION_EXIT	0x20026

int main(int argc, char **argv)
{
	unsigned long block[2] = { SEMIHOSTING_APPLICATION_EXIT, 0 };
	char *end;

	if (argc != 2) {
		fprintf(stderr, "usage: %s STATUS\n", argv[0]);
		return 2;
	}
	block[1] = strtoul(argv[1], &end, 0);
	if (*argv[1] == '\0' || *end != '\0' || block[1] > 255) {
		fprintf(stderr, "%s: bad status '%s'\n", argv[0], argv[1]);
		return 2;
	}
#ifdef __aarch64__
	{
		register unsigned long op asm("x0") = SEMIHOSTING_SYS_EXIT;
		register unsigned long *arg asm("x1") = block;

		asm volatile("hlt #0xf000" : "+r" (op) : "r" (arg) : "memory");
	}
#endif
	fprintf(stderr, "%s: QEMU did not take the semihosting exit\n", argv[0]);
	return 1;
}
