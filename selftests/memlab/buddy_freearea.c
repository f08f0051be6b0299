// SPDX-License-Identifier: GPL-2.0
/*
 * buddy/freearea agrees with the kernel's own free-area views: its "all"
 * rows with /proc/buddyinfo, its migrate type rows with /proc/pagetypeinfo.
 * The system is live, so each count must lie between what the kernel's
 * view said just before and just after, give or take a little.
 */
#define _GNU_SOURCE
#include "memlab_harness.h"
#include "buddy_lib.h"

#define FREEAREA	BUDDY_DEBUGFS "/freearea"
#define MAX_ROWS	(BUDDY_MAX_ZONES * BUDDY_MAX_TYPES)

static struct buddy_free_row before[MAX_ROWS], ours[MAX_ROWS], after[MAX_ROWS];

static long tolerance(long a, long b)
{
	return 4 + (a > b ? a : b) / 50;
}

/* Every row of @kernel_path has a twin in freearea within the bracket. */
static int compare(struct __test_metadata *_metadata, const char *kernel_path,
		   int max_order)
{
	int nb, no, na, i, order, checked = 0;

	nb = buddy_read_free_rows(kernel_path, before, MAX_ROWS);
	no = buddy_read_free_rows(FREEAREA, ours, MAX_ROWS);
	na = buddy_read_free_rows(kernel_path, after, MAX_ROWS);
	EXPECT_GT(nb, 0);
	EXPECT_EQ(nb, na);

	for (i = 0; i < nb; i++) {
		struct buddy_free_row *b = &before[i], *o, *a;

		o = buddy_find_free_row(ours, no, b->node, b->zone, b->type);
		a = buddy_find_free_row(after, na, b->node, b->zone, b->type);
		EXPECT_NE(NULL, o) TH_LOG("freearea has no row %d %s %s",
					  b->node, b->zone, b->type);
		if (!o || !a)
			continue;
		for (order = 0; order <= max_order; order++) {
			long lo = b->count[order] < a->count[order] ?
				  b->count[order] : a->count[order];
			long hi = b->count[order] > a->count[order] ?
				  b->count[order] : a->count[order];
			long tol = tolerance(lo, hi);

			EXPECT_TRUE(o->count[order] >= lo - tol &&
				    o->count[order] <= hi + tol)
				TH_LOG("%d %s %s order %d: %ld, kernel %ld..%ld",
				       b->node, b->zone, b->type, order,
				       o->count[order], lo, hi);
			checked++;
		}
	}
	return checked;
}

FIXTURE(freearea) {
	int max_order;
};

FIXTURE_SETUP(freearea)
{
	if (geteuid() != 0)
		SKIP(return, "must be run as root");
	if (buddy_load())
		SKIP(return, "memlab_buddy.ko does not load");
	self->max_order = memlab_max_order();
	ASSERT_GT(self->max_order, 0);
}

FIXTURE_TEARDOWN(freearea)
{
}

TEST_F(freearea, header_has_every_order)
{
	char *text = memlab_read_file(FREEAREA);
	char want[256] = "# node zone type";
	int order;

	ASSERT_NE(NULL, text);
	for (order = 0; order <= self->max_order; order++)
		snprintf(want + strlen(want), sizeof(want) - strlen(want),
			 " %d", order);
	strcat(want, "\n");
	EXPECT_EQ(0, strncmp(text, want, strlen(want)));
	free(text);
}

TEST_F(freearea, all_rows_match_buddyinfo)
{
	int n, i, all = 0;

	EXPECT_GT(compare(_metadata, "/proc/buddyinfo", self->max_order), 0);
	/* ...and no zone buddyinfo lacks */
	n = buddy_read_free_rows(FREEAREA, ours, MAX_ROWS);
	for (i = 0; i < n; i++)
		all += !strcmp(ours[i].type, "all");
	EXPECT_EQ(buddy_read_free_rows("/proc/buddyinfo", before, MAX_ROWS),
		  all);
}

TEST_F(freearea, type_rows_match_pagetypeinfo)
{
	if (access("/proc/pagetypeinfo", R_OK))
		SKIP(return, "no /proc/pagetypeinfo");
	EXPECT_GT(compare(_metadata, "/proc/pagetypeinfo", self->max_order),
		  0);
}

/*
 * Each free list is counted in a hold of the zone lock of its own, so the
 * lists of an order add up to its nr_free when nothing in the zone moved
 * during the read.  A quiet VM has such moments: one of a few reads must
 * add up exactly, for every zone and order.
 */
#define FREEAREA_TRIES	20

static int freearea_mismatches(struct buddy_free_row *rows, int n,
			       int max_order)
{
	int i, j, order, bad = 0;

	for (i = 0; i < n; i++) {
		long sum[BUDDY_MAX_ORDERS] = { 0 };

		if (strcmp(rows[i].type, "all"))
			continue;
		for (j = 0; j < n; j++)
			if (rows[j].node == rows[i].node &&
			    !strcmp(rows[j].zone, rows[i].zone) &&
			    strcmp(rows[j].type, "all"))
				for (order = 0; order <= max_order; order++)
					sum[order] += rows[j].count[order];
		for (order = 0; order <= max_order; order++)
			bad += rows[i].count[order] != sum[order];
	}
	return bad;
}

TEST_F(freearea, types_add_up_to_all)
{
	int n, try, bad = -1;

	for (try = 0; try < FREEAREA_TRIES && bad; try++) {
		n = buddy_read_free_rows(FREEAREA, ours, MAX_ROWS);
		ASSERT_GT(n, 0);
		bad = freearea_mismatches(ours, n, self->max_order);
	}
	EXPECT_EQ(0, bad)
		TH_LOG("no read out of %d added up", FREEAREA_TRIES);
}

TEST_HARNESS_MAIN
