// SPDX-License-Identifier: GPL-2.0
/*
 * The page row's mapcount is the page's own, as /proc/kpagecount gives
 * it, on every kernel, not its folio's.  A THP is the case that tells them
 * apart: mapped by one pmd, then shared with a child by fork(), then, in
 * the parent only, split into 512 ptes by an mprotect() of one page.  The
 * folio then has 513 mappings, and each of its pages 2: the parent's pte
 * and the child's pmd.
 */
#include <signal.h>
#include <sys/wait.h>

#include "memlab_harness.h"
#include "pgwalk_lib.h"

/* The walk's mapcount of the page at @addr, which must be /proc's. */
static long walk_mapcount(struct __test_metadata *_metadata, char *addr)
{
	unsigned long long pfn = pgwalk_pagemap_pfn(addr), count;
	const struct pgwalk_row *page;
	struct pgwalk_result res;

	if (!pfn || memlab_proc_u64("/proc/kpagecount", pfn, &count) ||
	    pgwalk_walk_self(addr, &res))
		return -1;
	page = pgwalk_find(&res, "page");
	if (!page)
		return -1;
	TH_LOG("%s leaf: %s", res.row[res.nr - 2].level, page->flags);
	EXPECT_EQ(pfn, page->value);
	EXPECT_EQ((long)count, pgwalk_flag_value(page->flags, "mapcount"));
	return pgwalk_flag_value(page->flags, "mapcount");
}

TEST(thp_page_counts_its_own_mappings)
{
	char *huge, *addr;
	int ready[2];
	pid_t child;
	char c;

	if (geteuid() != 0)
		SKIP(return, "must be run as root");
	if (!pgwalk_load())
		SKIP(return, "memlab_pgwalk is not available");

	huge = pgwalk_map_thp();
	ASSERT_NE(MAP_FAILED, huge);
	if (!huge)
		SKIP(return, "the kernel gave no huge page");
	addr = huge + 7 * PGWALK_PAGE;

	/* One pmd: the page is mapped once. */
	EXPECT_EQ(1, walk_mapcount(_metadata, addr));

	ASSERT_EQ(0, pipe(ready));
	child = fork();
	ASSERT_LE(0, child);
	if (child == 0) {
		close(ready[1]);
		/* Holds its copy of the pmd until the parent closes the pipe. */
		_exit(read(ready[0], &c, 1) < 0);
	}
	close(ready[0]);

	/* Both pmds map it. */
	EXPECT_EQ(2, walk_mapcount(_metadata, addr));

	/* The parent's pmd becomes 512 ptes; the folio stays whole. */
	ASSERT_EQ(0, mprotect(huge, PGWALK_PAGE, PROT_READ));
	EXPECT_EQ(2, walk_mapcount(_metadata, addr));

	close(ready[1]);
	ASSERT_EQ(child, waitpid(child, NULL, 0));
	/* Only the parent's pte is left. */
	EXPECT_EQ(1, walk_mapcount(_metadata, addr));
	munmap(huge, PGWALK_HPAGE);
}

TEST_HARNESS_MAIN
