// SPDX-License-Identifier: GPL-2.0
/*
 * "recreate size=S [align=A] [hwcache=0|1]" replaces memlab_obj with a
 * cache of the new geometry, as SLUB's sysfs confirms, and only while
 * nothing is held.
 */
#include <sys/stat.h>

#include "memlab_harness.h"
#include "slab_lib.h"

FIXTURE(recreate) {
	int unused;
};

FIXTURE_SETUP(recreate)
{
	if (slab_setup())
		SKIP(return, "must be root with memlab_slab installed");
}

/* Back to the geometry of the module parameters. */
FIXTURE_TEARDOWN(recreate)
{
	slab_cmd("free all");
	slab_reload();
}

static void expect_geometry(struct __test_metadata *_metadata, long size,
			    long align)
{
	char *stats = memlab_read_file(SLAB_DIR "/stats");
	struct stat st;

	ASSERT_NE(NULL, stats);
	ASSERT_EQ(0, lstat(SLAB_SYSFS, &st));
	EXPECT_TRUE(S_ISDIR(st.st_mode));
	EXPECT_EQ(size, slab_cache_attr("object_size"));
	EXPECT_EQ(size, memlab_kv_long(stats, "object_size"));
	EXPECT_EQ(slab_cache_attr("slab_size"), memlab_kv_long(stats, "size"));
	EXPECT_EQ(slab_cache_attr("align"), memlab_kv_long(stats, "align"));
	EXPECT_EQ(0, slab_cache_attr("align") % align);
	EXPECT_EQ(slab_cache_attr("order"), memlab_kv_long(stats, "slab_order"));
	EXPECT_EQ(slab_cache_attr("objs_per_slab"),
		  memlab_kv_long(stats, "objs_per_slab"));
	EXPECT_EQ(0, memlab_kv_long(stats, "objects_held"));
	free(stats);
}

TEST_F(recreate, new_size)
{
	ASSERT_EQ(0, slab_cmd("recreate size=200"));
	expect_geometry(_metadata, 200, 1);
	ASSERT_EQ(0, slab_cmd("alloc 100"));
	EXPECT_EQ(100, slab_stat("objects_held"));
}

TEST_F(recreate, new_alignment)
{
	struct slab_obj_row *rows;
	long n, i;

	ASSERT_EQ(0, slab_cmd("recreate size=40 align=256"));
	expect_geometry(_metadata, 40, 256);
	EXPECT_EQ(256, slab_stat("align"));
	ASSERT_EQ(0, slab_cmd("alloc 50"));
	n = slab_read_objects(&rows);
	ASSERT_EQ(50, n);
	for (i = 0; i < n; i++)
		EXPECT_EQ(0UL, rows[i].addr % 256);
	free(rows);
}

/* SLAB_HWCACHE_ALIGN puts a 100-byte object on a cache line. */
TEST_F(recreate, hwcache_align)
{
	ASSERT_EQ(0, slab_cmd("recreate size=100 hwcache=1"));
	expect_geometry(_metadata, 100, 1);
	EXPECT_EQ(1, slab_stat("hwcache_align"));
	EXPECT_GE(slab_stat("align"), 64);
	ASSERT_EQ(0, slab_cmd("recreate size=100 hwcache=0"));
	expect_geometry(_metadata, 100, 1);
	EXPECT_EQ(0, slab_stat("hwcache_align"));
}

TEST_F(recreate, refused_while_held)
{
	long size = slab_stat("object_size");

	ASSERT_EQ(0, slab_cmd("alloc 1"));
	EXPECT_EQ(-EBUSY, slab_cmd("recreate size=512"));
	EXPECT_EQ(size, slab_cache_attr("object_size"));
	EXPECT_EQ(1, slab_stat("objects_held"));
	ASSERT_EQ(0, slab_cmd("free all"));
	EXPECT_EQ(0, slab_cmd("recreate size=512"));
	expect_geometry(_metadata, 512, 1);
}

TEST_HARNESS_MAIN
