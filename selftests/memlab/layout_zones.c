// SPDX-License-Identifier: GPL-2.0
/*
 * layout/zones has one row per node and zone, with the counts
 * /proc/zoneinfo gives: start_pfn, spanned, present and managed exactly,
 * free and the watermarks loosely since they move between the two reads.
 */
#include "memlab_harness.h"
#include "layout_lib.h"

struct zone_row {
	int node;
	char name[16];
	unsigned long start_pfn, end_pfn, spanned, present, managed;
	unsigned long free, min, low, high;
	unsigned long long phys_start, phys_end;
};

static bool close_enough(long a, long b, long slack)
{
	return labs(a - b) <= slack;
}

TEST(zones_match_zoneinfo)
{
	struct memlab_zone zi[MEMLAB_MAX_ZONES];
	unsigned long page = memlab_page_size();
	const struct memlab_zone *k;
	int rows = 0, nzi, fields;
	char *zones, *line;
	struct zone_row z;

	if (geteuid() != 0)
		SKIP(return, "must be run as root");
	if (!layout_load())
		SKIP(return, "memlab_layout is not available");

	zones = layout_table(LAYOUT_DIR "/zones",
			     "# node zone start_pfn end_pfn spanned present managed free min low high phys_start phys_end\n");
	ASSERT_NE(NULL, zones);
	nzi = memlab_read_zoneinfo(zi, MEMLAB_MAX_ZONES);
	ASSERT_LT(0, nzi);

	for (line = strchr(zones, '\n') + 1; *line;
	     line = strchr(line, '\n') + 1) {
		fields = sscanf(line, "%d %15s %lx %lx %lu %lu %lu %lu %lu %lu %lu %llx %llx",
				&z.node, z.name, &z.start_pfn, &z.end_pfn,
				&z.spanned, &z.present, &z.managed, &z.free,
				&z.min, &z.low, &z.high, &z.phys_start,
				&z.phys_end);
		ASSERT_EQ(13, fields);
		rows++;
		k = memlab_zone_find(zi, nzi, z.node, z.name);
		ASSERT_NE(NULL, k) TH_LOG("no zoneinfo for node %d, zone %s",
					  z.node, z.name);

		EXPECT_EQ(k->spanned, (long)z.spanned);
		EXPECT_EQ(k->present, (long)z.present);
		EXPECT_EQ(k->managed, (long)z.managed);
		/* zoneinfo prints start_pfn only for populated zones. */
		if (z.present)
			EXPECT_EQ(k->start_pfn, (long)z.start_pfn);
		EXPECT_EQ(z.start_pfn + z.spanned, z.end_pfn);
		EXPECT_EQ((unsigned long long)z.start_pfn * page, z.phys_start);
		EXPECT_EQ((unsigned long long)z.end_pfn * page, z.phys_end);
		EXPECT_LE(z.managed, z.present);
		EXPECT_LE(z.present, z.spanned);

		/* Allocations and boosts move these between the two reads. */
		EXPECT_TRUE(close_enough(k->free, z.free, z.managed / 20 + 256));
		EXPECT_TRUE(close_enough(k->min, z.min, z.min / 4 + 16));
		EXPECT_TRUE(close_enough(k->low, z.low, z.low / 4 + 16));
		EXPECT_TRUE(close_enough(k->high, z.high, z.high / 4 + 16));
		EXPECT_LE(z.min, z.low);
		EXPECT_LE(z.low, z.high);
	}
	/* Every zone zoneinfo lists is a row, and only those. */
	EXPECT_EQ(nzi, rows);
	EXPECT_GE(rows, 4);
	free(zones);
}

TEST_HARNESS_MAIN
