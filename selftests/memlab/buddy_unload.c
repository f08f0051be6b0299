// SPDX-License-Identifier: GPL-2.0
/*
 * Unloading memlab_buddy with blocks held, fragments included, gives all
 * of them back: MemFree in /proc/meminfo returns to what it was before the
 * module was loaded.
 */
#define _GNU_SOURCE
#include "memlab_harness.h"
#include "buddy_pcp_fixture.h"

#define SLACK_KB	(4 * 1024)

TEST_F(pcp, unload_frees_every_block)
{
	long page_kb = memlab_page_size() / 1024;
	long base, held, back;

	ASSERT_EQ(0, memlab_kmod_unload("memlab_buddy"));
	base = memlab_meminfo_kb("MemFree");
	ASSERT_EQ(0, buddy_load());
	ASSERT_EQ(0, buddy_cmd("alloc 10 count=8"));
	ASSERT_EQ(0, buddy_cmd("alloc 4 count=64 api=__get_free_pages"));
	ASSERT_EQ(0, buddy_cmd("fragment 2048"));
	held = memlab_meminfo_kb("MemFree");
	ASSERT_EQ(0, memlab_kmod_unload("memlab_buddy"));
	back = memlab_meminfo_kb("MemFree");

	TH_LOG("MemFree %ld kB before load, %ld kB loaded, %ld kB after unload",
	       base, held, back);
	/* the load-time blocks, 8 << 10, 64 << 4, and half of 2048 pages */
	EXPECT_GE(base - held, (8L * 1024 + 64 * 16 + 1024) * page_kb - SLACK_KB);
	/* every block back; the rest of the system may only add to MemFree */
	EXPECT_GE(back - base, -SLACK_KB);
	EXPECT_NE(0, access(BUDDY_PROC, F_OK));
}

TEST_HARNESS_MAIN
