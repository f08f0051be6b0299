// SPDX-License-Identifier: GPL-2.0
/*
 * "bench ORDER ITERATIONS" fills in that order's row of buddy/bench and no
 * other, with statistics that are sane for any machine: median <= p99 <=
 * max, all non-zero.  Nothing here depends on how fast the machine is.
 * The bench leaves the allocator as it found it: MemFree barely moves.
 */
#define _GNU_SOURCE
#include "../kselftest_harness.h"
#include "buddy_lib.h"

TEST(bench_fills_in_one_order)
{
	struct buddy_bench_row before[BUDDY_MAX_ORDERS], after[BUDDY_MAX_ORDERS];
	int max_order, n, order;
	char *text;
	long memfree;

	if (geteuid() != 0)
		SKIP(return, "must be run as root");
	if (buddy_load())
		SKIP(return, "memlab_buddy.ko does not load");
	max_order = memlab_max_order();

	text = memlab_read_file(BUDDY_PROC "/bench");
	ASSERT_NE(NULL, text);
	EXPECT_EQ(0, strncmp(text, "# order iterations failed median_ns p99_ns max_ns\n",
			     strlen("# order iterations failed median_ns p99_ns max_ns\n")));
	free(text);

	n = buddy_read_bench(before, BUDDY_MAX_ORDERS);
	ASSERT_EQ(max_order + 1, n);
	memfree = memlab_meminfo_kb("MemFree");
	ASSERT_EQ(0, buddy_cmd("bench 4 500"));
	/* nothing held; other frees on the system may only add to MemFree */
	EXPECT_GE(memlab_meminfo_kb("MemFree") - memfree, -4096);
	ASSERT_EQ(max_order + 1, buddy_read_bench(after, BUDDY_MAX_ORDERS));

	for (order = 0; order <= max_order; order++) {
		struct buddy_bench_row *r = &after[order];

		EXPECT_EQ(order, r->order);
		if (order != 4) {
			EXPECT_STREQ(before[order].iterations, r->iterations);
			EXPECT_STREQ(before[order].median, r->median);
			continue;
		}
		EXPECT_EQ(500, atol(r->iterations));
		/* order 4 on an idle 1 GiB machine does not fail */
		EXPECT_EQ(0, atol(r->failed));
		EXPECT_GT(atol(r->median), 0);
		EXPECT_LE(atol(r->median), atol(r->p99));
		EXPECT_LE(atol(r->p99), atol(r->max));
	}
}

TEST_HARNESS_MAIN
