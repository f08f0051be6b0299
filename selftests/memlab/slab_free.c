// SPDX-License-Identifier: GPL-2.0
/*
 * "free N" gives back the newest N objects and keeps the rest where they
 * were; "free all" gives back everything.
 */
#include "memlab_harness.h"
#include "slab_lib.h"

FIXTURE(free) {
	struct slab_obj_row *before;
	long nbefore;
};

FIXTURE_SETUP(free)
{
	if (slab_setup())
		SKIP(return, "must be root with memlab_slab installed");
	ASSERT_EQ(0, slab_cmd("alloc 1000"));
	self->nbefore = slab_read_objects(&self->before);
	ASSERT_EQ(1000, self->nbefore);
}

FIXTURE_TEARDOWN(free)
{
	if (self->nbefore > 0)
		free(self->before);
	slab_cmd("free all");
}

TEST_F(free, newest_go_first)
{
	struct slab_obj_row *after;
	long n, i;

	ASSERT_EQ(0, slab_cmd("free 400"));
	EXPECT_EQ(600, slab_stat("objects_held"));
	n = slab_read_objects(&after);
	ASSERT_EQ(600, n);
	for (i = 0; i < n; i++)
		ASSERT_EQ(self->before[i].addr, after[i].addr);
	free(after);
}

TEST_F(free, all_leaves_nothing)
{
	struct slab_obj_row *after;
	struct slab_slab_row *slabs;

	ASSERT_EQ(0, slab_cmd("free 400"));
	ASSERT_EQ(0, slab_cmd("free all"));
	EXPECT_EQ(0, slab_stat("objects_held"));
	EXPECT_EQ(0, slab_stat("slabs_held"));
	EXPECT_EQ(0, slab_stat("full_slabs"));
	EXPECT_EQ(0, slab_stat("partial_slabs"));
	EXPECT_EQ(0, slab_read_objects(&after));
	free(after);
	EXPECT_EQ(0, slab_read_slabs(&slabs));
	free(slabs);
	/* Nothing left to free is not an error. */
	EXPECT_EQ(0, slab_cmd("free all"));
}

/*
 * SLUB's own count of allocated objects drops by what was freed, once the
 * shrink has flushed the CPU slabs, whose free objects it counts as in use.
 */
TEST_F(free, sysfs_objects_drop)
{
	long held = slab_cache_attr("objects");

	ASSERT_GE(held, 1000);
	ASSERT_EQ(0, slab_cmd("free all"));
	ASSERT_EQ(0, slab_cmd("shrink"));
	EXPECT_LE(slab_cache_attr("objects"), held - 1000);
}

TEST_HARNESS_MAIN
