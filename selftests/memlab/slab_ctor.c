// SPDX-License-Identifier: GPL-2.0
/*
 * ctor_calls counts the constructor: SLUB runs it once for every object
 * of every new slab, so on a fresh cache it equals sysfs total_objects, and
 * it is never below the number of distinct objects ever held.
 */
#include "memlab_harness.h"
#include "slab_lib.h"

#define MAX_SEEN 4096

static unsigned long seen[MAX_SEEN];
static long nseen;

/* Adds the addresses held now to seen[]; returns how many are distinct. */
static long collect_distinct(void)
{
	struct slab_obj_row *rows;
	long n, i, j, out = 0;

	n = slab_read_objects(&rows);
	for (i = 0; i < n && nseen < MAX_SEEN; i++)
		seen[nseen++] = rows[i].addr;
	if (n >= 0)
		free(rows);
	qsort(seen, nseen, sizeof(*seen), slab_cmp_ulong);
	for (j = 0; j < nseen; j++)
		if (!j || seen[j] != seen[j - 1])
			seen[out++] = seen[j];
	nseen = out;
	return nseen;
}

FIXTURE(ctor) {
	long object_size;
};

FIXTURE_SETUP(ctor)
{
	if (slab_setup())
		SKIP(return, "must be root with memlab_slab installed");
	self->object_size = slab_stat("object_size");
	ASSERT_GT(self->object_size, 0);
}

/* Back to the cache the module made at load. */
FIXTURE_TEARDOWN(ctor)
{
	slab_cmd("free all");
	slab_reload();
}

TEST_F(ctor, fresh_cache_counts_every_slab_object)
{
	char cmd[64];

	snprintf(cmd, sizeof(cmd), "recreate size=%ld", self->object_size);
	ASSERT_EQ(0, slab_cmd(cmd));
	EXPECT_EQ(0, slab_stat("ctor_calls"));
	EXPECT_EQ(0, slab_cache_attr("total_objects"));
	ASSERT_EQ(0, slab_cmd("alloc 500"));
	/* No slab was freed yet: each of them had its ctor run once. */
	EXPECT_EQ(slab_cache_attr("total_objects"), slab_stat("ctor_calls"));
	EXPECT_GE(slab_stat("ctor_calls"), 500);
}

TEST_F(ctor, at_least_objects_ever_held)
{
	ASSERT_EQ(0, slab_cmd("alloc 500"));
	collect_distinct();
	ASSERT_EQ(0, slab_cmd("free 300"));
	ASSERT_EQ(0, slab_cmd("alloc 700"));
	collect_distinct();
	ASSERT_EQ(0, slab_cmd("free all"));
	ASSERT_EQ(0, slab_cmd("shrink"));
	ASSERT_EQ(0, slab_cmd("alloc 600"));
	EXPECT_GE(collect_distinct(), 900);
	EXPECT_GE(slab_stat("ctor_calls"), nseen);
}

TEST_HARNESS_MAIN
