// SPDX-License-Identifier: GPL-2.0
/*
 * "bench ORDER ITERATIONS" fills in that order's row of buddy/bench and no
 * other, with statistics that are sane for any machine: median <= p99 <=
 * max, all non-zero.  Nothing here depends on how fast the machine is.
 * The bench leaves the allocator as it found it: MemFree barely moves.
 * buddy/bench_histogram holds every sample, in the log2 bucket of its
 * time, and the run's fragmentation index is the one the kernel's
 * extfrag/extfrag_index gives for that zone and order at the start,
 * including where the highest order has no free block left.
 */
#define _GNU_SOURCE
#include "memlab_harness.h"
#include "buddy_lib.h"

#define HEADER \
	"# order iterations failed median_ns p99_ns max_ns zone frag_index\n"
#define BENCH		BUDDY_DEBUGFS "/bench"
#define HISTOGRAM	BUDDY_DEBUGFS "/bench_histogram"
#define EXTFRAG		"/sys/kernel/debug/extfrag/extfrag_index"

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
	EXPECT_EQ(0, strncmp(text, HEADER, strlen(HEADER)));
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

/*
 * Each bucket is [2^k, 2^(k+1)) ns; the buckets of an order add up to its
 * samples, the median falls in the bucket where half of them are reached,
 * and the max in the last.
 */
TEST(histogram_holds_every_sample)
{
	struct buddy_record *rows, row;
	long n = 0, half, seen = 0, median, max, from = -1, to = -1;
	int i, nrows;

	if (geteuid() != 0)
		SKIP(return, "must be run as root");
	if (buddy_load())
		SKIP(return, "memlab_buddy.ko does not load");
	ASSERT_EQ(0, buddy_cmd("bench 2 301"));
	ASSERT_LT(0, buddy_read_record(BENCH, 2, &row));
	median = buddy_field_long(&row, "median_ns");
	max = buddy_field_long(&row, "max_ns");
	n = 301 - buddy_field_long(&row, "failed");
	half = (n + 1) / 2;

	nrows = buddy_read_records(HISTOGRAM, &rows);
	ASSERT_LT(0, nrows);
	for (i = 0, n = 0; i < nrows; i++) {
		long lo = buddy_field_long(&rows[i], "from_ns");
		long hi = buddy_field_long(&rows[i], "to_ns");
		long count = buddy_field_long(&rows[i], "count");

		EXPECT_EQ(0, lo & (lo - 1)) TH_LOG("from_ns %ld", lo);
		EXPECT_EQ(2 * lo - 1, hi);
		EXPECT_LT(0, count);
		if (buddy_field_long(&rows[i], "order") != 2)
			continue;
		n += count;
		if (seen < half && seen + count >= half) {
			from = lo;
			to = hi;
		}
		seen += count;
		if (i == nrows - 1 ||
		    buddy_field_long(&rows[i + 1], "order") != 2) {
			EXPECT_LE(lo, max);
			EXPECT_GE(hi, max);
		}
	}
	free(rows);
	EXPECT_EQ(301 - buddy_field_long(&row, "failed"), n);
	EXPECT_LE(from, median);
	EXPECT_GE(to, median);
}

/* extfrag_index's figure for @zone ("DMA32") and @order, x1000. */
static int extfrag_index(const char *zone, int order, long *index)
{
	char *text = memlab_read_file(EXTFRAG), *p = text, *line;
	int node, found = -1, o;
	char name[16];

	while (text && (line = memlab_next_line(&p))) {
		char *at = strstr(line, "zone");

		if (sscanf(line, "Node %d, zone %15s", &node, name) != 2 ||
		    strcmp(name, zone))
			continue;
		at = strstr(at, name) + strlen(name);
		for (o = 0; o <= order; o++) {
			double v = strtod(at, &at);

			if (o == order) {
				*index = v < 0 ? -1000 : (long)(v * 1000 + 0.5);
				found = 0;
			}
		}
	}
	free(text);
	return found;
}

/*
 * fragment scatters 128 MiB of single free pages, then a pressure run
 * takes every free block of the highest order: its index becomes the
 * kernel's figure for a request that fails for want of a big enough
 * block, near 1.000, and order 0's stays -1.000.  extfrag_index is read
 * just before each run and just after it, and the run's index must be the
 * kernel's at one end of that window: the free lists move in between, a
 * little as the per-cpu lists drain, and all the way when kswapd, woken
 * by the run's low zone, takes a held block back through the pressure
 * shrinker and a block of the highest order is free again.
 */
static bool frag_index_close(long ours, long theirs)
{
	/* -1.000 (a block is free) is exact; the rest moves a little. */
	return theirs < 0 ? ours == theirs : labs(ours - theirs) <= 20;
}

TEST(frag_index_is_extfrag_index)
{
	int n, node, order, max_order = memlab_max_order();
	struct buddy_record row;
	char zone[16], cmd[32];
	long ours, before = 0, after = 0;
	double index;

	if (geteuid() != 0)
		SKIP(return, "must be run as root");
	if (access(EXTFRAG, R_OK))
		SKIP(return, "no extfrag_index: no CONFIG_COMPACTION or debugfs");
	if (buddy_reload("max_count=65536 max_pages=131072"))
		SKIP(return, "memlab_buddy.ko does not load");
	ASSERT_EQ(0, buddy_cmd("fragment 65536"));
	snprintf(cmd, sizeof(cmd), "pressure %d", max_order);
	ASSERT_EQ(0, buddy_cmd(cmd));

	for (order = max_order; order >= 0; order -= max_order) {
		snprintf(cmd, sizeof(cmd), "bench %d 1", order);
		ASSERT_EQ(0, buddy_cmd("bench 0 1"));
		ASSERT_LT(0, buddy_read_record(BENCH, 0, &row));
		n = sscanf(buddy_field(&row, "zone"), "%d/%15s", &node, zone);
		ASSERT_EQ(2, n);
		ASSERT_EQ(0, extfrag_index(zone, order, &before));
		ASSERT_EQ(0, buddy_cmd(cmd));
		ASSERT_EQ(0, extfrag_index(zone, order, &after));
		ASSERT_LT(0, buddy_read_record(BENCH, order, &row));
		index = strtod(buddy_field(&row, "frag_index"), NULL);
		ours = (long)(index * 1000 + (index < 0 ? -0.5 : 0.5));
		TH_LOG("order %d in %s: frag_index %ld, extfrag_index %ld before, %ld after",
		       order, zone, ours, before, after);
		EXPECT_TRUE(frag_index_close(ours, before) ||
			    frag_index_close(ours, after));
		if (!order)
			EXPECT_EQ(-1000, ours);
	}
	buddy_cmd("free all");
	buddy_reload("");
}

TEST_HARNESS_MAIN
