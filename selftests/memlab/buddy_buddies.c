// SPDX-License-Identifier: GPL-2.0
/*
 * buddy/buddies tells the truth about each held block's buddy.  Two held
 * blocks that are each other's buddies both read "no"; free one and the
 * other's buddy turns free at the same order, as /proc/kpageflags agrees.
 * Order 5 is used because blocks of that order bypass the per-cpu lists
 * and go straight back to the buddy allocator.
 */
#define _GNU_SOURCE
#include "memlab_harness.h"
#include "buddy_lib.h"

#define ORDER	5

static struct buddy_buddies_row *find(struct buddy_buddies_row *rows, int n,
				      unsigned long id)
{
	int i;

	for (i = 0; i < n; i++)
		if (rows[i].id == id)
			return &rows[i];
	return NULL;
}

static int kpf_buddy(unsigned long pfn)
{
	unsigned long long flags;

	if (memlab_kpageflags(pfn, &flags))
		return -1;
	return !!(flags & (1ULL << KPF_BUDDY));
}

FIXTURE(buddies) {
	unsigned long last_id;
};

FIXTURE_SETUP(buddies)
{
	if (geteuid() != 0)
		SKIP(return, "must be run as root");
	if (buddy_load())
		SKIP(return, "memlab_buddy.ko does not load");
	self->last_id = buddy_last_id();
}

FIXTURE_TEARDOWN(buddies)
{
	buddy_free_after(self->last_id);
}

TEST_F(buddies, columns_follow_from_pfn_and_order)
{
	struct buddy_alloc_row *allocs;
	struct buddy_buddies_row *rows, *r;
	int n, na, i, held = 0;

	ASSERT_EQ(0, buddy_cmd("alloc 3 count=4"));
	ASSERT_EQ(0, buddy_cmd("alloc 7 count=2"));
	na = buddy_read_allocations(BUDDY_DEBUGFS "/allocations", &allocs);
	n = buddy_read_buddies(&rows);
	ASSERT_GT(na, 0);
	ASSERT_GT(n, 0);
	for (i = 0; i < na; i++) {
		if (!allocs[i].ok)
			continue;
		held++;
		r = find(rows, n, allocs[i].id);
		ASSERT_NE(NULL, r);
		EXPECT_EQ(allocs[i].pfn, r->pfn);
		EXPECT_EQ(allocs[i].order, r->order);
		EXPECT_EQ(r->pfn ^ (1UL << r->order), r->buddy_pfn);
		EXPECT_STREQ(r->pfn % (1UL << r->order) ? "no" : "yes",
			     r->aligned);
		if (!strcmp(r->buddy_free, "yes")) {
			/* a free buddy cannot be bigger than the pair */
			EXPECT_LE(r->buddy_order, r->order);
			EXPECT_GE(r->buddy_order, 0);
		} else {
			EXPECT_EQ(-1, r->buddy_order);
		}
	}
	/* one row per held block, none for failed ones */
	EXPECT_EQ(held, n);
	free(allocs);
	free(rows);
}

TEST_F(buddies, freeing_a_buddy_flips_buddy_free)
{
	struct buddy_buddies_row *rows, *a = NULL, *b = NULL, *r;
	unsigned long a_id, b_pfn;
	char cmd[64];
	int n, i;

	if (access("/proc/kpageflags", R_OK))
		SKIP(return, "no /proc/kpageflags");
	/* Split blocks hand out their halves in turn: pairs will appear. */
	ASSERT_EQ(0, buddy_cmd("alloc 5 count=32"));
	n = buddy_read_buddies(&rows);
	ASSERT_GT(n, 0);
	for (i = 0; i < n && !b; i++) {
		if (rows[i].id <= self->last_id || rows[i].order != ORDER)
			continue;
		a = &rows[i];
		b = NULL;
		for (r = rows; r < rows + n; r++)
			if (r->id > self->last_id && r->order == ORDER &&
			    r->pfn == a->buddy_pfn)
				b = r;
	}
	ASSERT_NE(NULL, b) TH_LOG("no two of 32 order-%d blocks are buddies",
				  ORDER);
	a_id = a->id;
	b_pfn = b->pfn;
	TH_LOG("blocks %lu at 0x%lx and %lu at 0x%lx are buddies", a->id,
	       a->pfn, b->id, b->pfn);
	EXPECT_STREQ("no", a->buddy_free);
	EXPECT_STREQ("no", b->buddy_free);
	EXPECT_EQ(0, kpf_buddy(b_pfn));

	snprintf(cmd, sizeof(cmd), "free %lu", b->id);
	free(rows);
	ASSERT_EQ(0, buddy_cmd(cmd));

	n = buddy_read_buddies(&rows);
	r = find(rows, n, a_id);
	ASSERT_NE(NULL, r);
	EXPECT_STREQ("yes", r->buddy_free);
	/* it cannot merge further: its buddy, block a, is still held */
	EXPECT_EQ(ORDER, r->buddy_order);
	EXPECT_EQ(1, kpf_buddy(b_pfn));
	free(rows);
}

/* Whatever the state, buddy_free says what /proc/kpageflags says. */
TEST_F(buddies, buddy_free_agrees_with_kpageflags)
{
	struct buddy_buddies_row *rows;
	int n, i, agree = 0, checked = 0;

	if (access("/proc/kpageflags", R_OK))
		SKIP(return, "no /proc/kpageflags");
	ASSERT_EQ(0, buddy_cmd("alloc 6 count=16"));
	ASSERT_EQ(0, buddy_cmd("alloc 8 count=4"));
	n = buddy_read_buddies(&rows);
	for (i = 0; i < n; i++) {
		int kpf = kpf_buddy(rows[i].buddy_pfn);

		if (!strcmp(rows[i].buddy_free, "-") || kpf < 0)
			continue;
		checked++;
		agree += kpf == !strcmp(rows[i].buddy_free, "yes");
	}
	free(rows);
	/* a live system may change a buddy between the two reads */
	EXPECT_GT(checked, 0);
	EXPECT_GE(agree, checked - 2);
}

TEST_HARNESS_MAIN
