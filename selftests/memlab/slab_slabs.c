// SPDX-License-Identifier: GPL-2.0
/*
 * slab/slabs lists each slab that holds our objects once, with counts and
 * states that add up to slab/stats, on pages /proc/kpageflags calls slab
 * pages; and they are the slabs SLUB itself counts for the cache in
 * /sys/kernel/slab/memlab_obj, no more and no fewer.
 */
#include "memlab_harness.h"
#include "slab_lib.h"

FIXTURE(slabs) {
	struct slab_slab_row *rows;
	long nrows;
	char *stats;
};

FIXTURE_SETUP(slabs)
{
	if (slab_setup())
		SKIP(return, "must be root with memlab_slab installed");
	/*
	 * SLUB keeps empty slabs for later (min_partial, the CPU slabs); the
	 * kernel's own shrink hands them back, so that every slab the cache
	 * has from here on holds some of what we allocate.
	 */
	ASSERT_EQ(0, memlab_write_cmd(SLAB_SYSFS "/shrink", "1"));
	ASSERT_EQ(0, slab_cache_attr("slabs"));
	/* Some full slabs and, most likely, a partial one. */
	ASSERT_EQ(0, slab_cmd("alloc 1000"));
	ASSERT_EQ(0, slab_cmd("free 1"));
	self->stats = memlab_read_file(SLAB_DIR "/stats");
	ASSERT_NE(NULL, self->stats);
	self->nrows = slab_read_slabs(&self->rows);
	ASSERT_GT(self->nrows, 0);
}

FIXTURE_TEARDOWN(slabs)
{
	if (self->nrows > 0)
		free(self->rows);
	free(self->stats);
	slab_cmd("free all");
}

TEST_F(slabs, counts_match_stats)
{
	long full = 0, inuse = 0, i;

	EXPECT_EQ(memlab_kv_long(self->stats, "slabs_held"), self->nrows);
	for (i = 0; i < self->nrows; i++) {
		struct slab_slab_row *r = &self->rows[i];

		ASSERT_GT(r->inuse, 0U);
		ASSERT_LE(r->inuse, r->objects);
		if (!strcmp(r->state, "kfence")) {
			/* A sampled object on a KFENCE page: a slab of one. */
			EXPECT_EQ(1U, r->objects);
			full++;
		} else if (r->inuse == r->objects) {
			EXPECT_STREQ("full", r->state);
			full++;
		} else {
			EXPECT_STREQ("partial", r->state);
		}
		inuse += r->inuse;
	}
	EXPECT_EQ(memlab_kv_long(self->stats, "objects_held"), inuse);
	EXPECT_EQ(memlab_kv_long(self->stats, "full_slabs"), full);
	EXPECT_EQ(memlab_kv_long(self->stats, "partial_slabs"),
		  self->nrows - full);
}

/* A slab of the cache's preferred order holds objs_per_slab objects. */
TEST_F(slabs, geometry_matches_sysfs)
{
	long order = slab_cache_attr("order");
	long objs = slab_cache_attr("objs_per_slab");
	long i, preferred = 0;

	for (i = 0; i < self->nrows; i++) {
		ASSERT_LE((long)self->rows[i].order, order);
		if ((long)self->rows[i].order == order) {
			EXPECT_EQ(objs, (long)self->rows[i].objects);
			preferred++;
		}
	}
	/* Fallback-order slabs happen only under memory pressure. */
	EXPECT_GT(preferred, 0);
}

/*
 * SLUB's own counters for the cache: as many slabs, as many object slots,
 * and at least as many objects in use (it counts the free slots of a CPU's
 * active slab as in use, and KASAN's quarantine holds what we freed).
 * SLUB does not count objects KFENCE served.
 */
TEST_F(slabs, match_sysfs)
{
	long slabs = 0, slots = 0, inuse = 0, i;

	for (i = 0; i < self->nrows; i++) {
		if (!strcmp(self->rows[i].state, "kfence"))
			continue;
		slabs++;
		slots += self->rows[i].objects;
		inuse += self->rows[i].inuse;
	}
	EXPECT_EQ(slab_cache_attr("slabs"), slabs);
	EXPECT_EQ(slab_cache_attr("total_objects"), slots);
	EXPECT_LE(inuse, slab_cache_attr("objects"));
	EXPECT_GE(slots, slab_cache_attr("objects"));
}

TEST_F(slabs, unique_and_aligned)
{
	unsigned long page_size = memlab_page_size();
	long i, j;

	for (i = 0; i < self->nrows; i++) {
		ASSERT_EQ(0UL, self->rows[i].slab % page_size);
		for (j = 0; j < i; j++)
			ASSERT_NE(self->rows[j].pfn, self->rows[i].pfn);
	}
}

TEST_F(slabs, pfns_are_slab_heads)
{
	long i;

	for (i = 0; i < self->nrows; i++) {
		unsigned long long flags;

		ASSERT_EQ(0, memlab_kpageflags(self->rows[i].pfn, &flags));
		ASSERT_TRUE(MEMLAB_KPF(flags, KPF_SLAB));
		if (self->rows[i].order)
			ASSERT_TRUE(MEMLAB_KPF(flags, KPF_COMPOUND_HEAD));
	}
}

TEST_HARNESS_MAIN
