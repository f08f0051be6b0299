// SPDX-License-Identifier: GPL-2.0
/*
 * What memlab_buddy holds is really taken from the system: "alloc 9
 * count=16" lowers the free memory /proc/zoneinfo counts by about 16 << 9
 * pages, and "free all" gives them back.
 *
 * "Free" here is the "pages free" of every zone, the pages MemFree counts,
 * plus the pages on the per-cpu lists, read together in one pass over
 * zoneinfo.  Since 6.7 the kernel drains those lists a little every
 * second after buddy_shrink_pcp() lowered their limit (decay_pcp_high()),
 * so for a while MemFree alone climbs by megabytes between two reads that
 * nothing of ours happened in.  Free and per-cpu pages together only move
 * when someone allocates or frees.
 */
#define _GNU_SOURCE
#include "memlab_harness.h"
#include "buddy_pcp_fixture.h"

/*
 * The rest of the system moves free memory a little, and now and then, in
 * an emulated guest still finishing the previous test's frees, by more:
 * one of a few rounds has to come out within the slack.
 */
#define SLACK_KB	(4 * 1024)
#define ROUNDS		3

/* Free pages, on the buddy lists or a per-cpu one, in kB; -1 on error. */
static long free_kb(void)
{
	struct memlab_zone zones[MEMLAB_MAX_ZONES];
	long pages = 0;
	int i, n;

	n = memlab_read_zoneinfo(zones, MEMLAB_MAX_ZONES);
	if (n <= 0)
		return -1;
	for (i = 0; i < n; i++)
		if (zones[i].free >= 0)
			pages += zones[i].free + zones[i].pcp;
	return pages * (memlab_page_size() / 1024);
}

TEST_F(pcp, alloc_lowers_free_memory_and_free_all_restores_it)
{
	long page_kb = memlab_page_size() / 1024;
	long expected = 16L * (page_kb << 9);
	struct buddy_alloc_row *rows;
	long base = 0, held = 0, back = 0;
	int i, n, ok, round;

	if (memlab_max_order() < 9)
		SKIP(return, "no order 9 here");

	for (round = 0; round < ROUNDS; round++) {
		ASSERT_EQ(0, buddy_cmd("free all"));
		base = free_kb();
		ASSERT_LT(0, base);
		ASSERT_EQ(0, buddy_cmd("alloc 9 count=16"));
		held = free_kb();
		n = buddy_read_allocations(BUDDY_DEBUGFS "/allocations", &rows);
		ASSERT_EQ(16, n);
		for (i = 0, ok = 0; i < n; i++)
			ok += rows[i].ok;
		free(rows);
		/* 1 GiB has far more than 32 MiB free in order-9 blocks */
		ASSERT_EQ(16, ok);
		ASSERT_EQ(0, buddy_cmd("free all"));
		back = free_kb();

		TH_LOG("free %ld kB, holding %ld kB: %ld kB, after free all: %ld kB",
		       base, expected, held, back);
		if (labs(base - held - expected) <= SLACK_KB &&
		    labs(back - base) <= SLACK_KB)
			break;
	}
	EXPECT_LE(labs(base - held - expected), SLACK_KB);
	EXPECT_LE(labs(back - base), SLACK_KB);
	n = buddy_read_allocations(BUDDY_DEBUGFS "/allocations", &rows);
	EXPECT_EQ(0, n);
	free(rows);
}

TEST_HARNESS_MAIN
