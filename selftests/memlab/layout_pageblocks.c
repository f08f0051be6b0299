// SPDX-License-Identifier: GPL-2.0
/*
 * layout/pageblocks against the kernel's own counts: each zone row's block
 * count is /proc/pagetypeinfo's "Number of blocks type" for that zone and
 * type, and the free pages by order, summed over a zone's runs, are
 * /proc/buddyinfo's within what a quiet VM allocates between two reads.
 */
#include "memlab_harness.h"
#include "buddy_lib.h"
#include "layout_lib.h"

#define MAX_TYPES	8

struct block_counts {
	int node;
	char zone[16];
	long count[MAX_TYPES];
};

/* pagetypeinfo's block-count table: the type names, then a row a zone. */
static int read_block_counts(char types[][16], int *ntypes,
			     struct block_counts *rows, int max)
{
	char *text = memlab_read_file("/proc/pagetypeinfo"), *p = text, *line;
	bool in_table = false;
	int n = 0;

	if (!text)
		return -1;
	*ntypes = 0;
	while ((line = memlab_next_line(&p))) {
		char *tok, *save = NULL;
		int field = 0;

		if (!strncmp(line, "Number of blocks type", 21)) {
			for (tok = strtok_r(line + 21, " ", &save);
			     tok && *ntypes < MAX_TYPES;
			     tok = strtok_r(NULL, " ", &save))
				snprintf(types[(*ntypes)++], 16, "%s", tok);
			in_table = true;
			continue;
		}
		if (!in_table || strncmp(line, "Node", 4) || n == max)
			continue;
		/* "Node 0, zone      DMA            1            7 ..." */
		for (tok = strtok_r(line, " ,", &save); tok;
		     tok = strtok_r(NULL, " ,", &save), field++) {
			if (field == 1)
				rows[n].node = atoi(tok);
			else if (field == 3)
				snprintf(rows[n].zone, 16, "%s", tok);
			else if (field >= 4 && field - 4 < MAX_TYPES)
				rows[n].count[field - 4] = atol(tok);
		}
		n++;
	}
	free(text);
	return *ntypes ? n : -1;
}

static const struct layout_blocks *zone_row(const struct layout_blocks *rows,
					    long n, int node, const char *zone,
					    const char *type)
{
	long i;

	for (i = 0; i < n; i++)
		if (rows[i].zone_row && rows[i].node == node &&
		    !strcmp(rows[i].zone, zone) && !strcmp(rows[i].type, type))
			return &rows[i];
	return NULL;
}

/* Rows of one read against one read of pagetypeinfo: mismatches. */
static int compare_block_counts(struct __test_metadata *_metadata, bool log)
{
	struct block_counts counts[MEMLAB_MAX_ZONES];
	char types[MAX_TYPES][16];
	struct layout_blocks *rows;
	int ntypes, nzones, z, t, wrong = 0;
	long n;

	n = layout_read_pageblocks(&rows, memlab_max_order() + 1);
	if (n <= 0)
		return -1;
	nzones = read_block_counts(types, &ntypes, counts, MEMLAB_MAX_ZONES);
	if (nzones <= 0) {
		free(rows);
		return -1;
	}
	for (z = 0; z < nzones; z++) {
		for (t = 0; t < ntypes; t++) {
			const struct layout_blocks *r =
				zone_row(rows, n, counts[z].node, counts[z].zone,
					 types[t]);
			long blocks = r ? (long)r->blocks : -1;

			if (blocks == counts[z].count[t])
				continue;
			wrong++;
			if (log)
				TH_LOG("node %d zone %s type %s: %ld blocks, pagetypeinfo %ld",
				       counts[z].node, counts[z].zone, types[t],
				       blocks, counts[z].count[t]);
		}
	}
	free(rows);
	return wrong;
}

TEST(zone_rows_count_blocks_as_pagetypeinfo)
{
	int tries, wrong = -1;

	if (geteuid() != 0)
		SKIP(return, "must be run as root");
	if (!layout_load())
		SKIP(return, "memlab_layout is not available");
	/* A block can change type between the two reads: a few tries. */
	for (tries = 0; tries < 3 && wrong; tries++)
		wrong = compare_block_counts(_metadata, tries == 2);
	EXPECT_EQ(0, wrong);
}

TEST(runs_add_up)
{
	unsigned long span_start, span_end;
	struct layout_blocks *rows;
	long n, i, o, sum;
	int orders = memlab_max_order() + 1;

	if (geteuid() != 0)
		SKIP(return, "must be run as root");
	if (!layout_load())
		SKIP(return, "memlab_layout is not available");
	n = layout_read_pageblocks(&rows, orders);
	ASSERT_LT(0, n);
	for (i = 0; i < n; i++) {
		const struct layout_blocks *r = &rows[i];

		if (r->zone_row)
			continue;
		/* Every frame of a run is in one owner class. */
		for (o = 0, sum = 0; o < LAYOUT_NR_OWNERS; o++)
			sum += r->owner[o];
		EXPECT_EQ((long)(r->end - r->start), sum);
		/* And free frames are in the free-by-order columns. */
		for (o = 0, sum = 0; o < orders; o++)
			sum += r->free[o];
		EXPECT_EQ(r->owner[LAYOUT_FREE], sum);
		ASSERT_EQ(0, buddy_zone_span(r->node, r->zone, &span_start,
					     &span_end));
		EXPECT_LE(span_start, r->start);
		EXPECT_GE(span_end, r->end);
		EXPECT_LE(1, r->blocks);
	}
	free(rows);
}

TEST(free_pages_by_order_match_buddyinfo)
{
	struct buddy_free_row info[BUDDY_MAX_ZONES];
	int orders = memlab_max_order() + 1, ninfo, z, o;
	struct layout_blocks *rows;
	long n, i;

	if (geteuid() != 0)
		SKIP(return, "must be run as root");
	if (!layout_load())
		SKIP(return, "memlab_layout is not available");
	n = layout_read_pageblocks(&rows, orders);
	ASSERT_LT(0, n);
	ninfo = buddy_read_free_rows("/proc/buddyinfo", info, BUDDY_MAX_ZONES);
	ASSERT_LT(0, ninfo);
	for (z = 0; z < ninfo; z++) {
		long pages[LAYOUT_MAX_ORDERS] = { 0 };

		for (i = 0; i < n; i++)
			if (!rows[i].zone_row && rows[i].node == info[z].node &&
			    !strcmp(rows[i].zone, info[z].zone))
				for (o = 0; o < orders; o++)
					pages[o] += rows[i].free[o];
		for (o = 0; o < orders; o++) {
			long blocks = pages[o] >> o, want = info[z].count[o];

			EXPECT_EQ(0, pages[o] % (1L << o));
			EXPECT_GE(want / 10 + 32, labs(blocks - want))
				TH_LOG("zone %s order %d: %ld free blocks, buddyinfo %ld",
				       info[z].zone, o, blocks, want);
		}
	}
	free(rows);
}

TEST_HARNESS_MAIN
