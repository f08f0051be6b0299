// SPDX-License-Identifier: GPL-2.0
/*
 * A MAP_SHARED file page walks to /proc/self/pagemap's pfn from both of
 * two mappings, is a file page, and its mapcount is /proc/kpagecount's.
 */
#include "memlab_harness.h"
#include "pgwalk_lib.h"

#define NR_PAGES 4

TEST(shared_file_page_walks_to_pagemap_pfn)
{
	char path[] = "/tmp/pgwalk_shared.XXXXXX";
	struct pgwalk_result res1, res2;
	const struct pgwalk_row *p1, *p2;
	char *map1, *map2;
	unsigned long long pfn, count;
	int fd, i;

	if (geteuid() != 0)
		SKIP(return, "must be run as root");
	if (!pgwalk_load())
		SKIP(return, "memlab_pgwalk is not available");

	fd = mkstemp(path);
	ASSERT_GE(fd, 0);
	unlink(path);
	ASSERT_EQ(0, ftruncate(fd, NR_PAGES * PGWALK_PAGE));
	map1 = mmap(NULL, NR_PAGES * PGWALK_PAGE, PROT_READ | PROT_WRITE,
		    MAP_SHARED, fd, 0);
	ASSERT_NE(MAP_FAILED, map1);
	map2 = mmap(NULL, NR_PAGES * PGWALK_PAGE, PROT_READ | PROT_WRITE,
		    MAP_SHARED, fd, 0);
	ASSERT_NE(MAP_FAILED, map2);

	for (i = 0; i < NR_PAGES; i++) {
		size_t off = i * PGWALK_PAGE + 100 + i;

		map1[off] = 1;
		ASSERT_EQ(1, map2[off]);
		pfn = pgwalk_pagemap_pfn(map1 + off);
		ASSERT_NE(0ULL, pfn);
		ASSERT_EQ(pfn, pgwalk_pagemap_pfn(map2 + off));

		ASSERT_EQ(0, pgwalk_walk_self(map1 + off, &res1));
		ASSERT_EQ(0, pgwalk_walk_self(map2 + off, &res2));
		p1 = pgwalk_find(&res1, "page");
		p2 = pgwalk_find(&res2, "page");
		ASSERT_NE(NULL, p1);
		ASSERT_NE(NULL, p2);
		EXPECT_EQ(pfn, p1->value);
		EXPECT_EQ(pfn, p2->value);
		EXPECT_EQ(pfn * PGWALK_PAGE + (off % PGWALK_PAGE), p1->pa);
		EXPECT_TRUE(pgwalk_has_flag(p1->flags, "file"));
		EXPECT_FALSE(pgwalk_has_flag(p1->flags, "anon"));
		EXPECT_TRUE(pgwalk_has_flag(p1->flags, "dirty"));
		ASSERT_EQ(0, memlab_proc_u64("/proc/kpagecount", pfn, &count));
		EXPECT_EQ((long)count, pgwalk_flag_value(p1->flags, "mapcount"));
		EXPECT_EQ(2, pgwalk_flag_value(p1->flags, "mapcount"));
	}
	munmap(map1, NR_PAGES * PGWALK_PAGE);
	munmap(map2, NR_PAGES * PGWALK_PAGE);
	close(fd);
}

TEST_HARNESS_MAIN
