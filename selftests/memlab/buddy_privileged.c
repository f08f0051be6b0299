// SPDX-License-Identifier: GPL-2.0
/*
 * The buddy files that show pfns, physical or kernel addresses, and the
 * control file that takes and gives back memory, want CAP_SYS_ADMIN on top
 * of root's uid: without it they fail with EPERM in both trees, while
 * memlab/version and the address-free views still open.
 */
#define _GNU_SOURCE
#include "memlab_harness.h"
#include "buddy_lib.h"

FIXTURE(privileged) {
};

FIXTURE_SETUP(privileged)
{
	if (geteuid() != 0)
		SKIP(return, "must be run as root");
	if (buddy_load())
		SKIP(return, "memlab_buddy.ko does not load");
}

FIXTURE_TEARDOWN(privileged)
{
}

TEST_F(privileged, addresses_need_cap_sys_admin)
{
	static const char * const files[] = { "allocations", "buddies" };
	static const char * const trees[] = { BUDDY_DEBUGFS, BUDDY_PROC };
	char path[128];
	unsigned int f, t;

	for (t = 0; t < ARRAY_SIZE(trees); t++) {
		for (f = 0; f < ARRAY_SIZE(files); f++) {
			snprintf(path, sizeof(path), "%s/%s", trees[t],
				 files[f]);
			EXPECT_EQ(EPERM,
				  memlab_open_without_sys_admin(path, O_RDONLY))
				TH_LOG("%s", path);
			/* and root with it can */
			EXPECT_EQ(0, access(path, R_OK));
		}
		snprintf(path, sizeof(path), "%s/control", trees[t]);
		EXPECT_EQ(EPERM, memlab_open_without_sys_admin(path, O_WRONLY));
	}
}

TEST_F(privileged, other_views_still_open)
{
	EXPECT_EQ(0, memlab_open_without_sys_admin(MEMLAB_DEBUGFS "/version",
						   O_RDONLY));
	EXPECT_EQ(0, memlab_open_without_sys_admin(MEMLAB_PROC "/version",
						   O_RDONLY));
	EXPECT_EQ(0, memlab_open_without_sys_admin(BUDDY_DEBUGFS "/freearea",
						   O_RDONLY));
	EXPECT_EQ(0, memlab_open_without_sys_admin(BUDDY_PROC "/bench",
						   O_RDONLY));
}

TEST_HARNESS_MAIN
