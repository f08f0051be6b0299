// SPDX-License-Identifier: GPL-2.0
/*
 * mprotect(PROT_READ) clears RW in the pte that pgwalk/walk shows, and
 * making the page writable again sets it again; the frame stays the one
 * /proc/self/pagemap reports throughout.
 */
#include "memlab_harness.h"
#include "pgwalk_lib.h"

static const struct pgwalk_row *walk_pte(struct __test_metadata *_metadata,
					 char *page, struct pgwalk_result *res)
{
	const struct pgwalk_row *pte, *row;

	EXPECT_EQ(0, pgwalk_walk_self(page, res));
	pte = pgwalk_find(res, "pte");
	row = pgwalk_find(res, "page");
	if (!pte || !row)
		return NULL;
	EXPECT_EQ(pgwalk_pagemap_pfn(page), row->value);
	EXPECT_TRUE(pgwalk_has_flag(pte->flags, PGWALK_F_PRESENT));
	return pte;
}

TEST(mprotect_toggles_rw)
{
	const struct pgwalk_row *pte;
	struct pgwalk_result res;
	char *page;

	if (geteuid() != 0)
		SKIP(return, "must be run as root");
	if (!pgwalk_load())
		SKIP(return, "memlab_pgwalk is not available");

	page = mmap(NULL, PGWALK_PAGE, PROT_READ | PROT_WRITE,
		    MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	ASSERT_NE(MAP_FAILED, page);
	page[0] = 1;

	pte = walk_pte(_metadata, page, &res);
	ASSERT_NE(NULL, pte);
	EXPECT_TRUE(pgwalk_has_flag(pte->flags, "RW"));

	ASSERT_EQ(0, mprotect(page, PGWALK_PAGE, PROT_READ));
	pte = walk_pte(_metadata, page, &res);
	ASSERT_NE(NULL, pte);
	EXPECT_FALSE(pgwalk_has_flag(pte->flags, "RW"));

	/* 6.1 makes an exclusive anon page writable right away. */
	ASSERT_EQ(0, mprotect(page, PGWALK_PAGE, PROT_READ | PROT_WRITE));
	pte = walk_pte(_metadata, page, &res);
	ASSERT_NE(NULL, pte);
	EXPECT_TRUE(pgwalk_has_flag(pte->flags, "RW"));

	munmap(page, PGWALK_PAGE);
}

TEST_HARNESS_MAIN
