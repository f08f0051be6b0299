// SPDX-License-Identifier: GPL-2.0
/*
 * A 2 MiB transparent huge page walks to /proc/self/pagemap's pfn through
 * a pmd leaf with PSE, and the kernel agrees it is a THP: smaps counts it
 * in AnonHugePages and /proc/kpageflags has KPF_THP.
 */
#include "memlab_harness.h"
#include "pgwalk_lib.h"

static bool thp_enabled(void)
{
	char *mode = memlab_read_file("/sys/kernel/mm/transparent_hugepage/enabled");
	bool on = mode && !strstr(mode, "[never]");

	free(mode);
	return on;
}

TEST(thp_walks_to_pmd_leaf)
{
	const struct pgwalk_row *pmd, *page;
	struct pgwalk_result res;
	unsigned long long pfn, flags;
	char *huge, *addr;
	size_t off;

	if (geteuid() != 0)
		SKIP(return, "must be run as root");
	if (!pgwalk_load())
		SKIP(return, "memlab_pgwalk is not available");
	if (!thp_enabled())
		SKIP(return, "transparent huge pages are off");

	huge = pgwalk_map_thp();
	ASSERT_NE(MAP_FAILED, huge);
	if (!huge)
		SKIP(return, "the kernel gave no huge page");

	off = 5 * PGWALK_PAGE + 0x123;
	addr = huge + off;
	pfn = pgwalk_pagemap_pfn(addr);
	ASSERT_NE(0ULL, pfn);
	ASSERT_EQ(0, memlab_kpageflags(pfn, &flags));
	EXPECT_TRUE(MEMLAB_KPF(flags, KPF_THP));

	ASSERT_EQ(0, pgwalk_walk_self(addr, &res));
	pmd = pgwalk_find(&res, "pmd");
	page = pgwalk_find(&res, "page");
	ASSERT_NE(NULL, pmd);
	ASSERT_NE(NULL, page);
	EXPECT_EQ(NULL, pgwalk_find(&res, "pte"));
	EXPECT_TRUE(pgwalk_has_flag(pmd->flags, PGWALK_F_LARGE));
	EXPECT_TRUE(pgwalk_has_flag(pmd->flags, PGWALK_F_PRESENT));
	EXPECT_EQ(0, strncmp(page->flags, "size=2M|", 8));
	EXPECT_TRUE(pgwalk_has_flag(page->flags, "thp"));
	EXPECT_TRUE(pgwalk_has_flag(page->flags, "anon"));
	EXPECT_EQ(pfn, page->value);
	EXPECT_EQ(pfn * PGWALK_PAGE + 0x123, page->pa);
	EXPECT_EQ(off, page->index);
	/* The leaf maps a 2M-aligned frame; our byte's page is 5 into it. */
	EXPECT_EQ(pfn - 5, (pmd->value & PGWALK_ENTRY_ADDR_MASK &
			    ~(PGWALK_HPAGE - 1)) / PGWALK_PAGE);

	munmap(huge, PGWALK_HPAGE);
}

TEST_HARNESS_MAIN
