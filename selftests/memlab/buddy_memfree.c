// SPDX-License-Identifier: GPL-2.0
/*
 * What memlab_buddy holds is really taken from the system: "alloc 9
 * count=16" lowers MemFree in /proc/meminfo by about 16 << 9 pages, and
 * "free all" gives them back.
 */
#define _GNU_SOURCE
#include "../kselftest_harness.h"
#include "buddy_pcp_fixture.h"

/*
 * The rest of the system moves MemFree a little, and now and then, in an
 * emulated guest still finishing the previous test's frees, by more: one
 * of a few rounds has to come out within the slack.
 */
#define SLACK_KB	(4 * 1024)
#define ROUNDS		3

TEST_F(pcp, alloc_lowers_memfree_and_free_all_restores_it)
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
		base = memlab_meminfo_kb("MemFree");
		ASSERT_EQ(0, buddy_cmd("alloc 9 count=16"));
		held = memlab_meminfo_kb("MemFree");
		n = buddy_read_allocations(BUDDY_DEBUGFS "/allocations", &rows);
		ASSERT_EQ(16, n);
		for (i = 0, ok = 0; i < n; i++)
			ok += rows[i].ok;
		free(rows);
		/* 1 GiB has far more than 32 MiB free in order-9 blocks */
		ASSERT_EQ(16, ok);
		ASSERT_EQ(0, buddy_cmd("free all"));
		back = memlab_meminfo_kb("MemFree");

		TH_LOG("MemFree %ld kB, holding %ld kB: %ld kB, after free all: %ld kB",
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
