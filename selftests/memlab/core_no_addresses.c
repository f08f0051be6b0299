// SPDX-License-Identifier: GPL-2.0
/*
 * No kernel pointer reaches a process without CAP_SYS_ADMIN: every view
 * such a process can open, in either tree and with every module loaded,
 * shows no hex number as long as a kernel address (uid 1000 opens nothing
 * at all; core_perms checks that).  Root with CAP_SYS_ADMIN does see some,
 * so the check can fail.
 *
 * Physical addresses cannot be told apart this way from what may be shown
 * (zone boundaries are in /proc/zoneinfo for everybody); the modules'
 * *_privileged tests check the views that show them one by one.
 */
#define _GNU_SOURCE
#include <ctype.h>
#include <linux/capability.h>
#include <sys/syscall.h>

#include "memlab_harness.h"
#include "memlab_lib.h"

#define MAX_PATHS	1024
/* x86-64 and arm64 kernel addresses: 0xffff... */
#define ADDR_MIN_DIGITS	12

static char *paths[MAX_PATHS];
static int npaths;

/* The first address-like word of @text, or NULL. */
static const char *find_address(const char *text)
{
	const char *p = text;

	while ((p = strstr(p, "0x"))) {
		size_t digits = 0;

		while (isxdigit((unsigned char)p[2 + digits]))
			digits++;
		if (digits >= ADDR_MIN_DIGITS &&
		    (p == text || isspace((unsigned char)p[-1])))
			return p;
		p += 2;
	}
	return NULL;
}

/* Reads every path that opens; returns how many show an address. */
static int addresses_shown(bool verbose)
{
	int shown = 0, i;

	for (i = 0; i < npaths; i++) {
		char *text = memlab_read_file(paths[i]);
		const char *addr;

		if (!text)
			continue;	/* refused: a privileged view */
		addr = find_address(text);
		if (addr) {
			if (verbose)
				fprintf(stderr, "# %s shows %.*s\n", paths[i],
					(int)strcspn(addr, "\n "), addr);
			shown++;
		}
		free(text);
	}
	return shown;
}

static int addresses_without_sys_admin(void)
{
	struct __user_cap_header_struct hdr = {
		.version = _LINUX_CAPABILITY_VERSION_3,
	};
	struct __user_cap_data_struct data[2];

	if (syscall(SYS_capget, &hdr, data))
		return -1;
	data[CAP_TO_INDEX(CAP_SYS_ADMIN)].effective &= ~CAP_TO_MASK(CAP_SYS_ADMIN);
	data[CAP_TO_INDEX(CAP_SYS_ADMIN)].permitted &= ~CAP_TO_MASK(CAP_SYS_ADMIN);
	if (syscall(SYS_capset, &hdr, data))
		return -1;
	return addresses_shown(true);
}

TEST(no_address_without_cap_sys_admin)
{
	int status, n;
	pid_t pid;

	if (geteuid() != 0)
		SKIP(return, "must be run as root");
	if (memlab_load_all() < 0)
		SKIP(return, "memlab.ko does not load");
	npaths = memlab_tree_paths(MEMLAB_DEBUGFS, 0400, paths, MAX_PATHS);
	ASSERT_LE(0, npaths);
	n = memlab_tree_paths(MEMLAB_PROC, 0400, paths + npaths,
			      MAX_PATHS - npaths);
	ASSERT_LE(0, n);
	npaths += n;
	ASSERT_GE(npaths, 2);
	/* The pattern finds what the privileged views show to root. */
	EXPECT_LT(0, addresses_shown(false));

	pid = fork();
	ASSERT_GE(pid, 0);
	if (pid == 0)
		_exit(addresses_without_sys_admin() == 0 ? 0 : 1);
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	ASSERT_TRUE(WIFEXITED(status));
	EXPECT_EQ(0, WEXITSTATUS(status));
}

TEST_HARNESS_MAIN
