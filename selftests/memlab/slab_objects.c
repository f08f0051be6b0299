// SPDX-License-Identifier: GPL-2.0
/*
 * slab/objects lists every held object once, in the slab the slabs view
 * and /proc/kpageflags say it is in.
 */
#include "memlab_harness.h"
#include "slab_lib.h"

#define NR_ALLOC 1000

FIXTURE(objects) {
	struct slab_obj_row *rows;
	long nrows;
};

FIXTURE_SETUP(objects)
{
	if (slab_setup())
		SKIP(return, "must be root with memlab_slab installed");
	ASSERT_EQ(0, slab_cmd("alloc 1000"));
	self->nrows = slab_read_objects(&self->rows);
	ASSERT_EQ(NR_ALLOC, self->nrows);
}

FIXTURE_TEARDOWN(objects)
{
	if (self->nrows > 0)
		free(self->rows);
	slab_cmd("free all");
}

TEST_F(objects, one_row_per_object_in_idx_order)
{
	long i;

	for (i = 0; i < self->nrows; i++)
		ASSERT_EQ(i, (long)self->rows[i].idx);
}

TEST_F(objects, addresses_are_unique)
{
	unsigned long *addr = calloc(self->nrows, sizeof(*addr));
	long i;

	ASSERT_NE(NULL, addr);
	for (i = 0; i < self->nrows; i++)
		addr[i] = self->rows[i].addr;
	qsort(addr, self->nrows, sizeof(*addr), slab_cmp_ulong);
	for (i = 1; i < self->nrows; i++)
		ASSERT_NE(addr[i - 1], addr[i]);
	/* Objects never overlap: they are at least object_size apart. */
	for (i = 1; i < self->nrows; i++)
		ASSERT_GE(addr[i] - addr[i - 1],
			  (unsigned long)slab_cache_attr("object_size"));
	free(addr);
}

TEST_F(objects, columns_agree)
{
	unsigned long page_size = memlab_page_size();
	long i;

	for (i = 0; i < self->nrows; i++) {
		struct slab_obj_row *r = &self->rows[i];

		ASSERT_EQ(r->phys / page_size, r->pfn);
		ASSERT_EQ(r->addr - r->slab, r->offset);
		ASSERT_EQ(0UL, r->slab % page_size);
		ASSERT_EQ(r->addr % page_size, r->phys % page_size);
	}
}

/* SLUB marks every page of a slab PG_slab; kpageflags shows it. */
TEST_F(objects, pfns_are_slab_pages)
{
	long i;

	for (i = 0; i < self->nrows; i++) {
		unsigned long long flags;

		ASSERT_EQ(0, memlab_kpageflags(self->rows[i].pfn, &flags));
		ASSERT_TRUE(!!(flags & (1ULL << KPF_SLAB)))
			TH_LOG("pfn 0x%lx is not a slab page", self->rows[i].pfn);
	}
}

/* Each object lies inside one slab of the slabs view, which counts it. */
TEST_F(objects, inside_their_slabs)
{
	unsigned long page_size = memlab_page_size();
	struct slab_slab_row *slabs;
	long nslabs, i, j;
	unsigned int *seen;

	nslabs = slab_read_slabs(&slabs);
	ASSERT_GT(nslabs, 0);
	seen = calloc(nslabs, sizeof(*seen));
	ASSERT_NE(NULL, seen);
	for (i = 0; i < self->nrows; i++) {
		struct slab_obj_row *r = &self->rows[i];

		for (j = 0; j < nslabs; j++)
			if (slabs[j].slab == r->slab)
				break;
		ASSERT_LT(j, nslabs) TH_LOG("object %lu: slab not listed", i);
		ASSERT_LT(r->offset, page_size << slabs[j].order);
		ASSERT_GE(r->pfn, slabs[j].pfn);
		ASSERT_LT(r->pfn, slabs[j].pfn + (1UL << slabs[j].order));
		seen[j]++;
	}
	for (j = 0; j < nslabs; j++)
		EXPECT_EQ(slabs[j].inuse, seen[j]);
	free(seen);
	free(slabs);
}

TEST_HARNESS_MAIN
