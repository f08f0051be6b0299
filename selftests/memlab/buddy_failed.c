// SPDX-License-Identifier: GPL-2.0
/*
 * A failed allocation is a result, not an error: asking ZONE_DMA, which
 * /proc/zoneinfo says spans only a few order-10 blocks, for more of them
 * than it has succeeds as a command, shows the misses as "failed" rows with
 * no address, logs no allocation failure, and "free all" clears those rows
 * too.
 */
#define _GNU_SOURCE
#include "memlab_harness.h"
#include "buddy_lib.h"

static int alloc_failures_logged(void)
{
	return system("dmesg | grep -q 'page allocation failure'") == 0;
}

TEST(misses_are_failed_rows)
{
	unsigned long start, end, last_id, most;
	int max_order, i, n, ok = 0, failed = 0;
	struct buddy_alloc_row *rows;
	char cmd[64], *text, *line, *p;

	if (geteuid() != 0)
		SKIP(return, "must be run as root");
	if (buddy_load())
		SKIP(return, "memlab_buddy.ko does not load");
	if (buddy_zone_span(0, "DMA", &start, &end))
		SKIP(return, "no DMA zone");
	max_order = memlab_max_order();
	ASSERT_FALSE(alloc_failures_logged());
	last_id = buddy_last_id();

	/* No more naturally aligned blocks than the span can hold */
	most = (end >> max_order) -
	       ((start + (1UL << max_order) - 1) >> max_order);
	/*
	 * x86's ZONE_DMA is the first 16 MiB.  arm64's covers all memory
	 * below 4 GiB, so exhausting it would take more than the module may
	 * hold: there is nothing small to run out of.
	 */
	if ((most + 4) << max_order > buddy_param("max_pages"))
		SKIP(return, "ZONE_DMA spans %lu order-%d blocks, more than max_pages=%lu allows",
		     most, max_order, buddy_param("max_pages"));
	snprintf(cmd, sizeof(cmd), "alloc %d count=%lu gfp=dma", max_order,
		 most + 4);
	ASSERT_EQ(0, buddy_cmd(cmd));

	n = buddy_read_allocations(BUDDY_DEBUGFS "/allocations", &rows);
	for (i = 0; i < n; i++) {
		if (rows[i].id <= last_id)
			continue;
		if (rows[i].ok) {
			ok++;
			EXPECT_STREQ("DMA", rows[i].zone);
			EXPECT_TRUE(rows[i].pfn >= start && rows[i].pfn < end);
		} else {
			failed++;
		}
		EXPECT_STREQ("dma|nowarn", rows[i].gfp);
	}
	free(rows);
	TH_LOG("DMA spans pfns 0x%lx-0x%lx: %d blocks, %d failed", start, end,
	       ok, failed);
	EXPECT_LE(ok, most);
	EXPECT_GE(failed, 4);
	EXPECT_EQ(most + 4, ok + failed);

	/* A failed row has no pfn, address, zone or node. */
	text = memlab_read_file(BUDDY_DEBUGFS "/allocations");
	ASSERT_NE(NULL, text);
	p = text;
	failed = 0;
	while ((line = memlab_next_line(&p)))
		if (strstr(line, " failed"))
			failed += !!strstr(line, " - - - - - failed");
	free(text);
	EXPECT_GE(failed, 4);

	/* __GFP_NOWARN kept the misses out of the log */
	EXPECT_FALSE(alloc_failures_logged());

	ASSERT_EQ(0, buddy_cmd("free all"));
	n = buddy_read_allocations(BUDDY_DEBUGFS "/allocations", &rows);
	EXPECT_EQ(0, n);
	free(rows);
}

TEST_HARNESS_MAIN
