// SPDX-License-Identifier: GPL-2.0
/*
 * A hugetlb page of each size the kernel offers walks to
 * /proc/self/pagemap's pfn, and the "page" row gives the page's own size,
 * the one smaps calls KernelPageSize.  2M is a pmd leaf everywhere; arm64
 * also builds 64K out of 16 contiguous ptes and 32M out of 16 contiguous
 * pmds, and the walk shows the contiguous bit on the leaf.  A size this
 * kernel lacks, or cannot reserve a page of, is skipped.
 */
#define _GNU_SOURCE
#include <sys/mman.h>

#include "memlab_harness.h"
#include "pgwalk_lib.h"

#ifndef MAP_HUGE_SHIFT
#define MAP_HUGE_SHIFT	26
#endif

FIXTURE(hugetlb) {
	char path[96];
	char *was;		/* nr_hugepages before the test */
	char *area;
	unsigned long size;
};

FIXTURE_VARIANT(hugetlb) {
	unsigned long kb;
	const char *leaf;	/* the level of the leaf entry */
	bool contiguous;
	const char *size;	/* the page row's size= */
};

FIXTURE_VARIANT_ADD(hugetlb, 64k) {
	.kb = 64, .leaf = "pte", .contiguous = true, .size = "size=64K|",
};

FIXTURE_VARIANT_ADD(hugetlb, 2m) {
	.kb = 2048, .leaf = "pmd", .contiguous = false, .size = "size=2M|",
};

FIXTURE_VARIANT_ADD(hugetlb, 32m) {
	.kb = 32768, .leaf = "pmd", .contiguous = true, .size = "size=32M|",
};

FIXTURE_SETUP(hugetlb)
{
	char *now;
	int shift;

	self->was = NULL;
	self->area = MAP_FAILED;
	self->size = variant->kb << 10;
	if (geteuid() != 0)
		SKIP(return, "must be run as root");
	if (!pgwalk_load())
		SKIP(return, "memlab_pgwalk is not available");
	snprintf(self->path, sizeof(self->path),
		 "/sys/kernel/mm/hugepages/hugepages-%lukB/nr_hugepages",
		 variant->kb);
	self->was = memlab_read_file(self->path);
	if (!self->was)
		SKIP(return, "no %lu kB huge pages on this kernel", variant->kb);
	if (atol(self->was) < 1)
		memlab_write_cmd(self->path, "1");
	now = memlab_read_file(self->path);
	if (!now || atol(now) < 1) {
		free(now);
		SKIP(return, "cannot reserve a %lu kB huge page", variant->kb);
	}
	free(now);
	shift = __builtin_ctzl(self->size);
	self->area = mmap(NULL, self->size, PROT_READ | PROT_WRITE,
			  MAP_PRIVATE | MAP_ANONYMOUS | MAP_HUGETLB |
			  shift << MAP_HUGE_SHIFT, -1, 0);
	ASSERT_NE(MAP_FAILED, self->area);
}

FIXTURE_TEARDOWN(hugetlb)
{
	if (self->area != MAP_FAILED)
		munmap(self->area, self->size);
	if (self->was)
		memlab_write_cmd(self->path, self->was);
	free(self->was);
}

TEST_F(hugetlb, walks_to_the_whole_page)
{
	/* A byte in the last 4K of the huge page: the offset must carry. */
	size_t off = self->size - PGWALK_PAGE + 0x123;
	const struct pgwalk_row *leaf, *page;
	char *addr = self->area + off;
	struct pgwalk_result res;
	unsigned long long pfn, flags;

	/* This harness runs the test even when the setup skipped. */
	if (self->area == MAP_FAILED)
		SKIP(return, "no %lu kB huge page", variant->kb);
	*addr = 1;
	pfn = pgwalk_pagemap_pfn(addr);
	ASSERT_NE(0ULL, pfn);
	ASSERT_EQ(0, pgwalk_walk_self(addr, &res));
	page = pgwalk_find(&res, "page");
	leaf = pgwalk_find(&res, variant->leaf);
	ASSERT_NE(NULL, page);
	ASSERT_NE(NULL, leaf);
	/* The leaf is the last entry, right above the page row. */
	EXPECT_EQ(leaf, &res.row[res.nr - 2]);
	EXPECT_EQ(pfn, page->value);
	EXPECT_EQ(pfn * PGWALK_PAGE + 0x123, page->pa);
	EXPECT_EQ(off, page->index);
	EXPECT_EQ(0, strncmp(page->flags, variant->size, strlen(variant->size)))
		TH_LOG("%s", page->flags);
	EXPECT_TRUE(pgwalk_has_flag(page->flags, "hugetlb"));
	EXPECT_EQ(variant->contiguous, pgwalk_has_flag(leaf->flags, "CONT"))
		TH_LOG("%s", leaf->flags);
	ASSERT_EQ(0, memlab_kpageflags(pfn, &flags));
	EXPECT_TRUE(MEMLAB_KPF(flags, KPF_HUGE));
	EXPECT_EQ((long)variant->kb,
		  memlab_smaps_kb(self->area, "KernelPageSize"));
}

TEST_HARNESS_MAIN
