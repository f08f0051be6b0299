// SPDX-License-Identifier: GPL-2.0
/*
 * layout/zones has one row per node and zone, with the counts
 * /proc/zoneinfo gives: start_pfn, spanned, present and managed exactly,
 * free and the watermarks loosely since they move between the two reads.
 */
#include "../kselftest_harness.h"
#include "layout_test.h"

struct zone_row {
	int node;
	char name[16];
	unsigned long start_pfn, end_pfn, spanned, present, managed;
	unsigned long free, min, low, high;
	unsigned long long phys_start, phys_end;
};

/* The value after @key in the zoneinfo block @block, or -1. */
static long zoneinfo_value(const char *block, const char *end, const char *key)
{
	const char *p = block;
	size_t len = strlen(key);

	while ((p = strstr(p, key)) && p < end) {
		/* A whole word: "nr_free_pages" is not "free". */
		if (p[-1] == ' ' && p[len] == ' ')
			return strtol(p + len, NULL, 10);
		p += len;
	}
	return -1;
}

static bool close_enough(long a, long b, long slack)
{
	return labs(a - b) <= slack;
}

TEST(zones_match_zoneinfo)
{
	char *zones, *zoneinfo, *line, head[64];
	struct zone_row z;
	int rows = 0, blocks = 0, fields;

	if (geteuid() != 0)
		SKIP(return, "must be run as root");
	if (!layout_load())
		SKIP(return, "memlab_layout is not available");

	zones = layout_table(LAYOUT_DIR "/zones",
			     "# node zone start_pfn end_pfn spanned present managed free min low high phys_start phys_end\n");
	ASSERT_NE(NULL, zones);
	zoneinfo = memlab_read_file("/proc/zoneinfo");
	ASSERT_NE(NULL, zoneinfo);

	for (line = strchr(zones, '\n') + 1; *line;
	     line = strchr(line, '\n') + 1) {
		const char *block, *end;
		long start_pfn;

		fields = sscanf(line, "%d %15s %lx %lx %lu %lu %lu %lu %lu %lu %lu %llx %llx",
				&z.node, z.name, &z.start_pfn, &z.end_pfn,
				&z.spanned, &z.present, &z.managed, &z.free,
				&z.min, &z.low, &z.high, &z.phys_start,
				&z.phys_end);
		ASSERT_EQ(13, fields);
		rows++;
		/* zoneinfo pads the zone name to 8 columns. */
		snprintf(head, sizeof(head), "Node %d, zone %8s\n", z.node, z.name);
		block = strstr(zoneinfo, head);
		ASSERT_NE(NULL, block) TH_LOG("no zoneinfo for %s", head);
		end = strstr(block + 1, "\nNode ");
		if (!end)
			end = block + strlen(block);

		EXPECT_EQ(zoneinfo_value(block, end, "spanned"), (long)z.spanned);
		EXPECT_EQ(zoneinfo_value(block, end, "present"), (long)z.present);
		EXPECT_EQ(zoneinfo_value(block, end, "managed"), (long)z.managed);
		/* zoneinfo prints start_pfn only for populated zones. */
		start_pfn = zoneinfo_value(block, end, "start_pfn:");
		if (z.present)
			EXPECT_EQ(start_pfn, (long)z.start_pfn);
		EXPECT_EQ(z.start_pfn + z.spanned, z.end_pfn);
		EXPECT_EQ((unsigned long long)z.start_pfn * 4096, z.phys_start);
		EXPECT_EQ((unsigned long long)z.end_pfn * 4096, z.phys_end);
		EXPECT_LE(z.managed, z.present);
		EXPECT_LE(z.present, z.spanned);

		/* Allocations and boosts move these between the two reads. */
		EXPECT_TRUE(close_enough(zoneinfo_value(block, end, "free"),
					 z.free, z.managed / 20 + 256));
		EXPECT_TRUE(close_enough(zoneinfo_value(block, end, "min"),
					 z.min, z.min / 4 + 16));
		EXPECT_TRUE(close_enough(zoneinfo_value(block, end, "low"),
					 z.low, z.low / 4 + 16));
		EXPECT_TRUE(close_enough(zoneinfo_value(block, end, "high"),
					 z.high, z.high / 4 + 16));
		EXPECT_LE(z.min, z.low);
		EXPECT_LE(z.low, z.high);
	}
	/* Every zone zoneinfo lists is a row, and only those. */
	line = zoneinfo;
	while (line) {
		if (!strncmp(line, "Node ", 5))
			blocks++;
		line = strchr(line, '\n');
		if (line)
			line++;
	}
	EXPECT_EQ(blocks, rows);
	EXPECT_GE(rows, 4);
	free(zones);
	free(zoneinfo);
}

TEST_HARNESS_MAIN
