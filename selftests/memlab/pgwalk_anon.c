// SPDX-License-Identifier: GPL-2.0
/*
 * pgwalk/walk of anonymous memory agrees with /proc/self/pagemap: every
 * touched page walks to pagemap's pfn and to the byte's physical address,
 * untouched pages have no "page" row, and each level's entry sits in the
 * table the level above points to.
 */
#include "memlab_harness.h"
#include "pgwalk_lib.h"

#define NR_PAGES	64
/* Every fourth page stays untouched. */
#define TOUCHED(i)	((i) % 4 != 3)

static const char * const levels[] = { "pgd", "p4d", "pud", "pmd", "pte" };

FIXTURE(anon) {
	char *area;
};

FIXTURE_SETUP(anon)
{
	int i;

	if (geteuid() != 0)
		SKIP(return, "must be run as root");
	if (!pgwalk_load())
		SKIP(return, "memlab_pgwalk is not available");
	/* Small pages are what this test is about. */
	self->area = pgwalk_map_small(NR_PAGES);
	ASSERT_NE(MAP_FAILED, self->area);
	for (i = 0; i < NR_PAGES; i++)
		if (TOUCHED(i))
			self->area[i * PGWALK_PAGE] = i;
}

FIXTURE_TEARDOWN(anon)
{
	if (self->area && self->area != MAP_FAILED)
		munmap(self->area, NR_PAGES * PGWALK_PAGE);
}

TEST_F(anon, touched_pages_walk_to_pagemap_pfn)
{
	struct pgwalk_result res;
	int i;

	for (i = 0; i < NR_PAGES; i++) {
		/* A different byte in each page, so the offset is checked. */
		size_t off = (i * 328) % PGWALK_PAGE;
		char *addr = self->area + i * PGWALK_PAGE + off;
		const struct pgwalk_row *page, *pte;
		unsigned long long pfn;

		ASSERT_EQ(0, pgwalk_walk_self(addr, &res));
		page = pgwalk_find(&res, "page");
		pte = pgwalk_find(&res, "pte");
		pfn = pgwalk_pagemap_pfn(addr);
		if (!TOUCHED(i)) {
			EXPECT_EQ(0ULL, pfn);
			EXPECT_EQ(NULL, page);
			continue;
		}
		ASSERT_NE(0ULL, pfn);
		ASSERT_NE(NULL, page);
		ASSERT_NE(NULL, pte);
		EXPECT_EQ(pfn, page->value);
		EXPECT_EQ(pfn * PGWALK_PAGE + off, page->pa);
		EXPECT_EQ(off, page->index);
		EXPECT_EQ(0, strncmp(page->flags, "size=4K|", 8));
		EXPECT_TRUE(pgwalk_has_flag(page->flags, "anon"));
		EXPECT_GE(pgwalk_flag_value(page->flags, "mapcount"), 1);
		EXPECT_TRUE(pgwalk_has_flag(pte->flags, PGWALK_F_PRESENT));
		EXPECT_TRUE(pgwalk_has_flag(pte->flags, PGWALK_F_USER));
		EXPECT_TRUE(pgwalk_has_flag(pte->flags, "RW"));
		EXPECT_EQ(pfn, (pte->value & PGWALK_ENTRY_ADDR_MASK) / PGWALK_PAGE);
	}
}

TEST_F(anon, levels_chain_from_pgd_to_pte)
{
	const struct pgwalk_row *prev = NULL;
	struct pgwalk_result res;
	uintptr_t addr = (uintptr_t)self->area;
	unsigned int i;

	ASSERT_EQ(0, pgwalk_walk_self(self->area, &res));
	ASSERT_EQ(6, res.nr);
	for (i = 0; i < 5; i++) {
		const struct pgwalk_row *row = &res.row[i];

		ASSERT_STREQ(levels[i], row->level);
		if (!strcmp(row->level, "p4d") && !pgwalk_la57()) {
			/* Folded: the p4d entry is the pgd entry. */
			EXPECT_STREQ("folded", row->flags);
			EXPECT_EQ(0ULL, row->index);
			EXPECT_EQ(prev->pa, row->pa);
			EXPECT_EQ(prev->value, row->value);
			continue;
		}
		/* Entries are 8 bytes: the index is the entry's slot. */
		EXPECT_EQ(row->index * 8, row->pa & (PGWALK_PAGE - 1));
		EXPECT_FALSE(pgwalk_has_flag(row->flags, "folded"));
		EXPECT_TRUE(pgwalk_has_flag(row->flags, PGWALK_F_PRESENT));
		if (prev)
			EXPECT_EQ(prev->value & PGWALK_ENTRY_ADDR_MASK,
				  row->pa & ~(PGWALK_PAGE - 1));
		prev = row;
	}
	/* The indices are the address's bits, 9 per level. */
	EXPECT_EQ((addr >> 12) & 511, res.row[4].index);
	EXPECT_EQ((addr >> 21) & 511, res.row[3].index);
	EXPECT_EQ((addr >> 30) & 511, res.row[2].index);
	if (pgwalk_la57()) {
		EXPECT_EQ((addr >> 39) & 511, res.row[1].index);
		EXPECT_EQ((addr >> 48) & 511, res.row[0].index);
	} else {
		EXPECT_EQ((addr >> 39) & 511, res.row[0].index);
	}
}

TEST_F(anon, unmapped_address_walks_without_page_row)
{
	struct pgwalk_result res;
	char *hole;
	int i;

	/* A hole we know is empty: a page we unmap again. */
	hole = mmap(NULL, PGWALK_PAGE, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS,
		    -1, 0);
	ASSERT_NE(MAP_FAILED, hole);
	ASSERT_EQ(0, munmap(hole, PGWALK_PAGE));
	ASSERT_EQ(0, pgwalk_walk_self(hole, &res));
	ASSERT_GE(res.nr, 1);
	EXPECT_STREQ("pgd", res.row[0].level);
	EXPECT_EQ(NULL, pgwalk_find(&res, "page"));
	/* The walk ends at the empty entry, or the folded level below it. */
	for (i = 0; i < res.nr; i++)
		if (pgwalk_has_flag(res.row[i].flags, "none"))
			break;
	ASSERT_LT(i, res.nr);
	for (i++; i < res.nr; i++)
		EXPECT_STREQ("folded", res.row[i].flags);
}

TEST_HARNESS_MAIN
