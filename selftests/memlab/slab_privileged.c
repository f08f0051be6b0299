// SPDX-License-Identifier: GPL-2.0
/*
 * The views that show kernel addresses and pfns need CAP_SYS_ADMIN, even
 * for root; the others do not.
 */
#include "memlab_harness.h"
#include "slab_lib.h"

static const char *const privileged[] = { "objects", "slabs" };
static const char *const unprivileged[] = { "stats", "kmalloc" };

TEST(addresses_need_sys_admin)
{
	char path[256];
	unsigned int i;
	int fd;

	if (slab_setup())
		SKIP(return, "must be root with memlab_slab installed");
	for (i = 0; i < ARRAY_SIZE(privileged); i++) {
		snprintf(path, sizeof(path), SLAB_DIR "/%s", privileged[i]);
		EXPECT_EQ(EPERM, memlab_open_without_sys_admin(path, O_RDONLY))
			TH_LOG("%s", path);
		snprintf(path, sizeof(path), MEMLAB_PROC "/slab/%s",
			 privileged[i]);
		EXPECT_EQ(EPERM, memlab_open_without_sys_admin(path, O_RDONLY))
			TH_LOG("%s", path);
		/* With the capability it opens: the test can fail. */
		fd = open(path, O_RDONLY);
		EXPECT_GE(fd, 0) TH_LOG("%s", path);
		if (fd >= 0)
			close(fd);
	}
	for (i = 0; i < ARRAY_SIZE(unprivileged); i++) {
		snprintf(path, sizeof(path), SLAB_DIR "/%s", unprivileged[i]);
		EXPECT_EQ(0, memlab_open_without_sys_admin(path, O_RDONLY))
			TH_LOG("%s", path);
	}
}

TEST_HARNESS_MAIN
