// SPDX-License-Identifier: GPL-2.0
/*
 * Every block in buddy/allocations is where the kernel says it is: its
 * physical address is its pfn shifted by the page size, it is aligned to
 * its own size, it lies inside its zone's span in /proc/zoneinfo, its
 * kernel address is in the direct map, and /proc/kpageflags does not see
 * any of its pages as free.
 */
#define _GNU_SOURCE
#include "memlab_harness.h"
#include "buddy_lib.h"

FIXTURE(addresses) {
	unsigned long last_id;
	struct buddy_alloc_row *rows;
	int n;
};

FIXTURE_SETUP(addresses)
{
	char cmd[64];
	int order, max_order = memlab_max_order();

	if (geteuid() != 0)
		SKIP(return, "must be run as root");
	if (buddy_load())
		SKIP(return, "memlab_buddy.ko does not load");
	self->last_id = buddy_last_id();
	for (order = 0; order <= max_order; order++) {
		snprintf(cmd, sizeof(cmd), "alloc %d count=2", order);
		ASSERT_EQ(0, buddy_cmd(cmd));
	}
	ASSERT_EQ(0, buddy_cmd("alloc 0 api=get_zeroed_page"));
	ASSERT_EQ(0, buddy_cmd("alloc 0 gfp=dma"));
	ASSERT_EQ(0, buddy_cmd("alloc 3 api=__get_free_pages gfp=dma32"));
	self->n = buddy_read_allocations(BUDDY_DEBUGFS "/allocations",
					 &self->rows);
	ASSERT_GE(self->n, 2 * (max_order + 1) + 3);
}

FIXTURE_TEARDOWN(addresses)
{
	free(self->rows);
	buddy_free_after(self->last_id);
}

TEST_F(addresses, phys_is_pfn_shifted_and_aligned)
{
	unsigned long page_size = memlab_page_size();
	int i, shift = __builtin_ctzl(page_size), ok = 0;

	for (i = 0; i < self->n; i++) {
		struct buddy_alloc_row *r = &self->rows[i];

		if (!r->ok)
			continue;
		ok++;
		EXPECT_EQ((unsigned long long)r->pfn << shift, r->phys);
		EXPECT_EQ(0, r->phys % ((unsigned long long)page_size << r->order));
		EXPECT_EQ(0, r->pfn & ((1UL << r->order) - 1));
	}
	EXPECT_GE(ok, self->n / 2);
}

TEST_F(addresses, pfn_inside_its_zone)
{
	unsigned long start, end;
	int i;

	for (i = 0; i < self->n; i++) {
		struct buddy_alloc_row *r = &self->rows[i];

		if (!r->ok)
			continue;
		ASSERT_EQ(0, buddy_zone_span(r->node, r->zone, &start, &end))
			TH_LOG("no zone %d %s in /proc/zoneinfo", r->node,
			       r->zone);
		EXPECT_LE(start, r->pfn);
		EXPECT_LE(r->pfn + r->pages, end);
	}
}

/* The direct map is linear: virt - phys is one constant for every block. */
TEST_F(addresses, virt_is_in_the_direct_map)
{
	unsigned long offset = 0;
	int i;

	for (i = 0; i < self->n; i++) {
		struct buddy_alloc_row *r = &self->rows[i];

		if (!r->ok)
			continue;
		ASSERT_NE(0, r->virt);
		if (!offset)
			offset = r->virt - r->phys;
		EXPECT_EQ(offset, r->virt - r->phys);
	}
	EXPECT_NE(0, offset);
}

TEST_F(addresses, kpageflags_sees_every_page_in_use)
{
	int i;

	if (access("/proc/kpageflags", R_OK))
		SKIP(return, "no /proc/kpageflags");
	for (i = 0; i < self->n; i++) {
		struct buddy_alloc_row *r = &self->rows[i];
		unsigned long pfn;

		if (!r->ok)
			continue;
		for (pfn = r->pfn; pfn < r->pfn + r->pages; pfn++) {
			unsigned long long flags;

			ASSERT_EQ(0, memlab_kpageflags(pfn, &flags));
			EXPECT_FALSE(flags & (1ULL << KPF_BUDDY))
				TH_LOG("pfn 0x%lx of block %lu is free", pfn,
				       r->id);
			EXPECT_FALSE(flags & (1ULL << KPF_NOPAGE));
		}
	}
}

TEST_F(addresses, api_and_gfp_columns)
{
	struct buddy_alloc_row *zeroed = &self->rows[self->n - 3];
	struct buddy_alloc_row *dma = &self->rows[self->n - 2];
	struct buddy_alloc_row *gfp = &self->rows[self->n - 1];
	unsigned long start, end;

	EXPECT_STREQ("get_zeroed_page", zeroed->api);
	EXPECT_EQ(0, zeroed->order);
	/* get_zeroed_page() adds __GFP_ZERO itself */
	EXPECT_STREQ("kernel|zero|nowarn", zeroed->gfp);
	EXPECT_STREQ("__get_free_pages", gfp->api);
	EXPECT_STREQ("dma32|nowarn", gfp->gfp);
	EXPECT_EQ(8, gfp->pages);
	/* The zone modifiers put the blocks where /proc/zoneinfo has the zone */
	EXPECT_STREQ("dma|nowarn", dma->gfp);
	ASSERT_TRUE(dma->ok);
	ASSERT_EQ(0, buddy_zone_span(dma->node, "DMA", &start, &end));
	EXPECT_TRUE(dma->pfn >= start && dma->pfn < end);
	ASSERT_TRUE(gfp->ok);
	EXPECT_LT(gfp->phys, 1ULL << 32);
}

TEST_HARNESS_MAIN
