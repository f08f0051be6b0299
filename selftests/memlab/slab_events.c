// SPDX-License-Identifier: GPL-2.0
/*
 * slab/events and slab/timeline: what "alloc COUNT" cost the kernel.  Its
 * row of slab/events moved each counter by no more than /proc/vmstat did
 * around the write, and by at least the new slabs' pages for pgalloc; its
 * rows of slab/timeline serve every object, and the new slabs they say
 * the cache allocated are the ones SLUB's own sysfs counts, of the order
 * sysfs gives the cache.
 */
#define _GNU_SOURCE
#include "memlab_harness.h"
#include "buddy_lib.h"
#include "slab_lib.h"

#define EVENTS		SLAB_DIR "/events"
#define TIMELINE	SLAB_DIR "/timeline"
#define NR_OBJECTS	5000	/* as in the command below */

FIXTURE(events) {
	int unused;
};

FIXTURE_SETUP(events)
{
	if (slab_setup())
		SKIP(return, "must be root with memlab_slab installed");
}

FIXTURE_TEARDOWN(events)
{
	slab_cmd("free all");
}

TEST_F(events, alloc_as_vmstat_and_sysfs)
{
	long slabs_before, slabs_after, served = 0, new_slabs = 0, pages = 0;
	long order = slab_cache_attr("order"), id = 1, count;
	struct buddy_counters vb, va;
	struct buddy_record *rows, e;
	bool counted;
	int n, i;

	ASSERT_LE(0, order);
	if (buddy_read_record(EVENTS, -1, &e) > 0)
		id = buddy_field_long(&e, "id") + 1;
	slabs_before = slab_cache_attr("slabs");
	ASSERT_LE(0, slabs_before);
	counted = buddy_vmstat_counters(&vb) == 0;
	ASSERT_EQ(0, slab_cmd("alloc 5000"));
	if (counted)
		ASSERT_EQ(0, buddy_vmstat_counters(&va));
	slabs_after = slab_cache_attr("slabs");

	ASSERT_LT(0, buddy_read_record(EVENTS, -1, &e));
	EXPECT_EQ(id, buddy_field_long(&e, "id"));
	EXPECT_STREQ("alloc", buddy_field(&e, "command"));
	EXPECT_STREQ("-", buddy_field(&e, "order"));
	EXPECT_EQ(NR_OBJECTS, buddy_field_long(&e, "asked"));
	EXPECT_EQ(NR_OBJECTS, buddy_field_long(&e, "got"));

	n = buddy_read_records(TIMELINE, &rows);
	ASSERT_LT(0, n);
	for (i = 0; i < n; i++) {
		const char *kind = buddy_field(&rows[i], "event");

		if (buddy_field_long(&rows[i], "id") != id)
			continue;
		count = buddy_field_long(&rows[i], "count");
		if (!strcmp(kind, "object"))
			served += count;
		if (!strcmp(kind, "new_slab")) {
			served += count;
			new_slabs += buddy_field_long(&rows[i], "result");
			EXPECT_GE(order, buddy_field_long(&rows[i], "order"));
			pages += buddy_field_long(&rows[i], "result") <<
				 buddy_field_long(&rows[i], "order");
		}
	}
	free(rows);
	TH_LOG("%d objects: %ld new slabs of order %ld; sysfs: %ld more slabs",
	       NR_OBJECTS, new_slabs, order, slabs_after - slabs_before);
	EXPECT_EQ(NR_OBJECTS, served);
	EXPECT_EQ(slabs_after - slabs_before, new_slabs);

	if (!counted || buddy_field_long(&e, "pgalloc") < 0)
		SKIP(return, "the kernel keeps no vm event counters");
	EXPECT_LE(pages, buddy_field_long(&e, "pgalloc"));
	EXPECT_EQ(NULL, buddy_counter_beyond_vmstat(&e, &vb, &va));
}

TEST_HARNESS_MAIN
