// SPDX-License-Identifier: GPL-2.0
/*
 * buddy/events: what each command that allocated cost the kernel.  Its
 * counters are read inside the command, so each of its deltas lies between
 * zero and what /proc/vmstat says moved around the whole write; pgalloc
 * counts at least the pages the command took.  The zone it names is the
 * one the allocator tries first, whose watermarks /proc/zoneinfo prints,
 * and its free pages are /proc/zoneinfo's, within the per-CPU lists'
 * noise.
 */
#define _GNU_SOURCE
#include "memlab_harness.h"
#include "buddy_lib.h"

#define EVENTS	BUDDY_DEBUGFS "/events"

/* The zone @field ("0/DMA32") names, from /proc/zoneinfo. */
static const struct memlab_zone *zone_of(const char *field,
					 const struct memlab_zone *zones, int n)
{
	char name[16];
	int node;

	if (!field || sscanf(field, "%d/%15s", &node, name) != 2)
		return NULL;
	return memlab_zone_find(zones, n, node, name);
}

/* The id of the newest row, 0 for none. */
static long last_id(void)
{
	struct buddy_record r;

	return buddy_read_record(EVENTS, -1, &r) > 0 ? buddy_field_long(&r, "id") : 0;
}

/*
 * Runs @cmd between two reads of /proc/vmstat and /proc/zoneinfo, and
 * checks the row it added against them.  Returns the row's pgalloc.
 */
static long check_command(struct __test_metadata *_metadata, const char *cmd,
			  const char *command, long asked, long pages)
{
	struct memlab_zone zb[MEMLAB_MAX_ZONES], za[MEMLAB_MAX_ZONES];
	const struct memlab_zone *before, *after;
	struct buddy_counters vb, va;
	struct buddy_record r;
	long margin, id = last_id();
	int nb, na;

	ASSERT_EQ(0, buddy_vmstat_counters(&vb));
	nb = memlab_read_zoneinfo(zb, MEMLAB_MAX_ZONES);
	ASSERT_EQ(0, buddy_cmd(cmd));
	na = memlab_read_zoneinfo(za, MEMLAB_MAX_ZONES);
	ASSERT_EQ(0, buddy_vmstat_counters(&va));
	ASSERT_LT(0, nb);
	ASSERT_LT(0, na);

	ASSERT_LT(0, buddy_read_record(EVENTS, -1, &r));
	EXPECT_EQ(id + 1, buddy_field_long(&r, "id"));
	EXPECT_STREQ(command, buddy_field(&r, "command"));
	EXPECT_EQ(asked, buddy_field_long(&r, "asked"));
	EXPECT_EQ(asked, buddy_field_long(&r, "got"));

	EXPECT_EQ(NULL, buddy_counter_beyond_vmstat(&r, &vb, &va))
		TH_LOG("%s", cmd);
	EXPECT_LE(pages, buddy_field_long(&r, "pgalloc"));

	before = zone_of(buddy_field(&r, "zone"), zb, nb);
	after = zone_of(buddy_field(&r, "zone"), za, na);
	ASSERT_NE(NULL, before);
	ASSERT_NE(NULL, after);
	/* Watermarks move only with a boost: either read will do. */
	EXPECT_TRUE(buddy_field_long(&r, "min") == before->min ||
		    buddy_field_long(&r, "min") == after->min);
	EXPECT_TRUE(buddy_field_long(&r, "low") == before->low ||
		    buddy_field_long(&r, "low") == after->low);
	EXPECT_TRUE(buddy_field_long(&r, "high") == before->high ||
		    buddy_field_long(&r, "high") == after->high);
	/* Free pages move with the per-CPU lists and everything else. */
	margin = before->pcp + after->pcp + 1024;
	EXPECT_GE(margin, labs(buddy_field_long(&r, "free_before") - before->free));
	EXPECT_GE(margin, labs(buddy_field_long(&r, "free_after") - after->free));
	return buddy_field_long(&r, "pgalloc");
}

#define NO_EVENTS	"this kernel counts no vm events (CONFIG_VM_EVENT_COUNTERS)"

FIXTURE(events) {
	bool counted;
};

FIXTURE_SETUP(events)
{
	struct buddy_counters c;

	if (geteuid() != 0)
		SKIP(return, "must be run as root");
	self->counted = !buddy_vmstat_counters(&c);
	if (buddy_load())
		SKIP(return, "memlab_buddy.ko does not load");
	ASSERT_EQ(0, buddy_cmd("free all"));
}

FIXTURE_TEARDOWN(events)
{
	buddy_cmd("free all");
}

TEST_F(events, alloc_counts_what_vmstat_counts)
{
	if (!self->counted)
		SKIP(return, NO_EVENTS);
	check_command(_metadata, "alloc 0 count=512 gfp=kernel", "alloc", 512, 512);
	check_command(_metadata, "alloc 4 count=8 gfp=kernel", "alloc", 8, 8 << 4);
}

TEST_F(events, fragment_counts_what_vmstat_counts)
{
	if (!self->counted)
		SKIP(return, NO_EVENTS);
	check_command(_metadata, "fragment 256", "fragment", 256, 256);
}

TEST_F(events, a_refused_command_adds_no_row)
{
	long id = last_id();

	EXPECT_EQ(-EINVAL, buddy_cmd("alloc 0 count=0"));
	EXPECT_EQ(-EINVAL, buddy_cmd("fragment x"));
	EXPECT_EQ(id, last_id());
}

TEST_HARNESS_MAIN
