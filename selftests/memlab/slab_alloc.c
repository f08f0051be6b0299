// SPDX-License-Identifier: GPL-2.0
/*
 * "alloc 1000" holds 1000 more objects of memlab_obj, and SLUB's own
 * accounting (sysfs, /proc/slabinfo) sees them.
 */
#include "memlab_harness.h"
#include "slab_lib.h"

#define NR_ALLOC 1000

FIXTURE(alloc) {
	long sysfs_objects, sysfs_slabs;
	struct slabinfo_row before;
	char *stats;
};

FIXTURE_SETUP(alloc)
{
	if (slab_setup())
		SKIP(return, "must be root with memlab_slab installed");
	/*
	 * SLUB counts the free objects of a CPU's slab as in use; without
	 * the shrink, the new objects could come from there unseen.
	 */
	ASSERT_EQ(0, slab_cmd("shrink"));
	self->sysfs_objects = slab_cache_attr("objects");
	ASSERT_GE(self->sysfs_objects, 0);
	ASSERT_EQ(0, slab_slabinfo("memlab_obj", &self->before));
	ASSERT_EQ(0, slab_cmd("alloc 1000"));
	self->stats = memlab_read_file(SLAB_DIR "/stats");
	ASSERT_NE(NULL, self->stats);
}

FIXTURE_TEARDOWN(alloc)
{
	free(self->stats);
	slab_cmd("free all");
}

TEST_F(alloc, objects_held)
{
	EXPECT_EQ(NR_ALLOC, memlab_kv_long(self->stats, "objects_held"));
}

TEST_F(alloc, sysfs_objects_rise)
{
	EXPECT_GE(slab_cache_attr("objects"), self->sysfs_objects + NR_ALLOC);
}

TEST_F(alloc, slabinfo_rises)
{
	struct slabinfo_row after;

	ASSERT_EQ(0, slab_slabinfo("memlab_obj", &after));
	EXPECT_GE(after.active_objs, self->before.active_objs + NR_ALLOC);
	EXPECT_GE(after.num_objs, self->before.num_objs + NR_ALLOC);
}

TEST_F(alloc, slabs_held)
{
	long objs = memlab_kv_long(self->stats, "objs_per_slab");
	long held = memlab_kv_long(self->stats, "slabs_held");
	long full = memlab_kv_long(self->stats, "full_slabs");
	long partial = memlab_kv_long(self->stats, "partial_slabs");

	ASSERT_GT(objs, 0);
	EXPECT_GE(held, (NR_ALLOC + objs - 1) / objs);
	EXPECT_LE(held, NR_ALLOC);
	EXPECT_EQ(held, full + partial);
	/* Every slab it holds objects in is one of the cache's slabs. */
	EXPECT_LE(held, slab_cache_attr("slabs"));
}

TEST_F(alloc, more_accumulate)
{
	ASSERT_EQ(0, slab_cmd("alloc 0x10"));
	EXPECT_EQ(NR_ALLOC + 16, slab_stat("objects_held"));
}

TEST_HARNESS_MAIN
