// SPDX-License-Identifier: GPL-2.0
/*
 * slab/stats describes memlab_obj as SLUB itself does in
 * /sys/kernel/slab/memlab_obj and /proc/slabinfo, and the cache is a real,
 * unmerged cache.
 */
#include <sys/stat.h>

#include "memlab_harness.h"
#include "slab_lib.h"

FIXTURE(geometry) {
	char *stats;
};

FIXTURE_SETUP(geometry)
{
	if (slab_setup())
		SKIP(return, "must be root with memlab_slab installed");
	self->stats = memlab_read_file(SLAB_DIR "/stats");
	ASSERT_NE(NULL, self->stats);
}

FIXTURE_TEARDOWN(geometry)
{
	free(self->stats);
}

TEST_F(geometry, same_in_both_trees)
{
	char *proc = memlab_read_file(MEMLAB_PROC "/slab/stats");

	ASSERT_NE(NULL, proc);
	EXPECT_STREQ(self->stats, proc);
	free(proc);
}

/* A merged cache would only be a symlink to another cache's directory. */
TEST_F(geometry, cache_is_not_merged)
{
	char name[64], *ctor;
	struct stat st;

	ASSERT_EQ(0, memlab_kv(self->stats, "name", name, sizeof(name)));
	EXPECT_STREQ("memlab_obj", name);
	ASSERT_EQ(0, lstat(SLAB_SYSFS, &st));
	EXPECT_TRUE(S_ISDIR(st.st_mode));
	/* The constructor is what keeps SLUB from merging it. */
	ctor = memlab_read_file(SLAB_SYSFS "/ctor");
	ASSERT_NE(NULL, ctor);
	EXPECT_NE(NULL, strstr(ctor, "[memlab_slab]"));
	free(ctor);
}

TEST_F(geometry, matches_sysfs)
{
	EXPECT_EQ(slab_cache_attr("object_size"),
		  memlab_kv_long(self->stats, "object_size"));
	EXPECT_EQ(slab_cache_attr("slab_size"),
		  memlab_kv_long(self->stats, "size"));
	EXPECT_EQ(slab_cache_attr("align"),
		  memlab_kv_long(self->stats, "align"));
	EXPECT_EQ(slab_cache_attr("objs_per_slab"),
		  memlab_kv_long(self->stats, "objs_per_slab"));
	EXPECT_EQ(slab_cache_attr("order"),
		  memlab_kv_long(self->stats, "slab_order"));
}

TEST_F(geometry, matches_slabinfo)
{
	struct slabinfo_row row;

	ASSERT_EQ(0, slab_slabinfo("memlab_obj", &row));
	/* slabinfo's objsize column is the footprint, metadata included. */
	EXPECT_EQ(row.objsize, memlab_kv_long(self->stats, "size"));
	EXPECT_EQ(row.objperslab, memlab_kv_long(self->stats, "objs_per_slab"));
	EXPECT_EQ(row.pagesperslab,
		  memlab_kv_long(self->stats, "pages_per_slab"));
}

TEST_F(geometry, derived_values_add_up)
{
	long order = memlab_kv_long(self->stats, "slab_order");
	long objs = memlab_kv_long(self->stats, "objs_per_slab");
	long size = memlab_kv_long(self->stats, "size");
	long object_size = memlab_kv_long(self->stats, "object_size");
	long slab_bytes;

	ASSERT_GE(order, 0);
	ASSERT_GT(objs, 0);
	ASSERT_GE(size, object_size);
	slab_bytes = memlab_page_size() << order;
	EXPECT_EQ(1L << order, memlab_kv_long(self->stats, "pages_per_slab"));
	EXPECT_EQ(slab_bytes - objs * size,
		  memlab_kv_long(self->stats, "bytes_wasted_per_slab"));
	/* Not even one more object fits in what is left over. */
	EXPECT_LT(slab_bytes - objs * size, size);
	EXPECT_EQ(size - object_size,
		  memlab_kv_long(self->stats, "metadata_bytes_per_object"));
	EXPECT_EQ(0, size % memlab_kv_long(self->stats, "align"));
}

TEST_HARNESS_MAIN
