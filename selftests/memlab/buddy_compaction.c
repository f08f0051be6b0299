// SPDX-License-Identifier: GPL-2.0
/*
 * "High orders may fail", with the cause: after fragment has scattered
 * single free pages over 128 MiB, a pressure run of order 10 takes every
 * free block of that order, and then the allocator must compact or fail.
 * Whichever it did, the outcome of every allocation in buddy/timeline
 * must match the compaction counters of buddy/events, and those what
 * /proc/vmstat moved around the write: each block served after compaction
 * (captured, compacted) is a compact_success, each allocation that failed
 * after it (compact_failed) a compact_fail, and either is a compact_stall;
 * the pages compaction migrated for it are pgmigrate_success.  The blocks
 * the timeline served are the run's, and the OOM killer never ran.
 */
#define _GNU_SOURCE
#include "memlab_harness.h"
#include "buddy_lib.h"

#define TIMELINE	BUDDY_DEBUGFS "/timeline"
#define EVENTS		BUDDY_DEBUGFS "/events"
#define PRESSURE	BUDDY_DEBUGFS "/pressure"

/* fragment 65536: every other one of 64Ki pages back, 128 MiB of holes. */
#define LAB_PARAMS	"max_count=65536 max_pages=131072"

/* What the timeline says of command @id's order-10 blocks, by outcome. */
struct outcome {
	long served;		/* blocks handed out, however */
	long after_compaction;	/* captured + compacted */
	long compact_failed;
	long failed;
	long compactions;	/* rows: zones compacted */
	long migrated;
	long deferred;
	long order0_ok;
};

static int read_outcome(long id, struct outcome *o)
{
	struct buddy_record *rows;
	int n = buddy_read_records(TIMELINE, &rows), i;

	memset(o, 0, sizeof(*o));
	for (i = 0; i < n; i++) {
		const char *kind = buddy_field(&rows[i], "event");
		long count = buddy_field_long(&rows[i], "count");

		if (buddy_field_long(&rows[i], "id") != id)
			continue;
		/* Order 0, after order 10 failed: does it still succeed? */
		if (buddy_field_long(&rows[i], "order") == 0) {
			if (!strcmp(kind, "pcp_hit") ||
			    !strcmp(kind, "pcp_refill") ||
			    !strcmp(kind, "buddy"))
				o->order0_ok += count;
			continue;
		}
		if (!strcmp(kind, "captured") || !strcmp(kind, "compacted"))
			o->after_compaction += count;
		if (!strcmp(kind, "captured") || !strcmp(kind, "compacted") ||
		    !strcmp(kind, "pcp_hit") || !strcmp(kind, "pcp_refill") ||
		    !strcmp(kind, "buddy") || !strcmp(kind, "alloc"))
			o->served += count;
		if (!strcmp(kind, "compact_failed"))
			o->compact_failed += count;
		if (!strcmp(kind, "failed"))
			o->failed += count;
		if (!strcmp(kind, "compaction"))
			o->compactions++;
		if (!strcmp(kind, "compact_deferred"))
			o->deferred += count;
		if (!strcmp(kind, "migrate"))
			o->migrated += buddy_field_long(&rows[i], "result");
	}
	free(rows);
	return n;
}

FIXTURE(compaction) {
	long pcp;
};

FIXTURE_SETUP(compaction)
{
	self->pcp = -1;
	if (geteuid() != 0)
		SKIP(return, "must be run as root");
	if (buddy_reload(LAB_PARAMS))
		SKIP(return, "memlab_buddy.ko does not load");
	self->pcp = buddy_shrink_pcp();
	ASSERT_LE(0, self->pcp);
}

FIXTURE_TEARDOWN(compaction)
{
	buddy_cmd("free all");
	buddy_restore_pcp(self->pcp);
	buddy_reload("");
}

TEST_F(compaction, order10_after_fragment_matches_the_counters)
{
	struct buddy_counters vb, va;
	struct buddy_record e, p;
	struct outcome o;
	bool counted;
	long id, got;

	ASSERT_EQ(0, buddy_cmd("fragment 65536"));
	counted = buddy_vmstat_counters(&vb) == 0;
	ASSERT_EQ(0, buddy_cmd("pressure 10"));
	if (counted)
		ASSERT_EQ(0, buddy_vmstat_counters(&va));

	ASSERT_LT(0, buddy_read_record(EVENTS, -1, &e));
	ASSERT_LT(0, buddy_read_record(PRESSURE, -1, &p));
	ASSERT_STREQ("pressure", buddy_field(&e, "command"));
	id = buddy_field_long(&e, "id");
	got = buddy_field_long(&e, "got");
	ASSERT_LT(0, read_outcome(id, &o));
	TH_LOG("pressure 10: %ld blocks, %s; %ld after compaction, %ld compact_failed, %ld failed",
	       got, buddy_field(&p, "notes"), o.after_compaction,
	       o.compact_failed, o.failed);
	TH_LOG("%ld zones compacted, %ld deferred, %ld pages migrated",
	       o.compactions, o.deferred, o.migrated);
	TH_LOG("events: compact_stall %ld, success %ld, fail %ld, pgmigrate_success %ld",
	       buddy_field_long(&e, "compact_stall"),
	       buddy_field_long(&e, "compact_success"),
	       buddy_field_long(&e, "compact_fail"),
	       buddy_field_long(&e, "pgmigrate_success"));

	/* Every block the run holds is one the timeline saw served. */
	EXPECT_EQ(got, o.served);
	/* The run ended at low, or where order 10 failed: one failure. */
	EXPECT_EQ(!!strstr(buddy_field(&p, "notes"), "order_failed"),
		  o.compact_failed + o.failed);
	EXPECT_EQ(!!strstr(buddy_field(&p, "notes"), "order0_ok"), o.order0_ok);

	if (!counted || buddy_field_long(&e, "compact_stall") < 0)
		SKIP(return, "the kernel keeps no vm event counters");
	EXPECT_LE(o.after_compaction, buddy_field_long(&e, "compact_success"));
	EXPECT_LE(o.compact_failed, buddy_field_long(&e, "compact_fail"));
	EXPECT_LE(o.after_compaction + o.compact_failed,
		  buddy_field_long(&e, "compact_stall"));
	EXPECT_LE(o.migrated, buddy_field_long(&e, "pgmigrate_success"));
	/* A zone compacted for the run is a stall the run counted. */
	if (o.compactions)
		EXPECT_LT(0, buddy_field_long(&e, "compact_stall"));
	/* And buddy/events moved no more than /proc/vmstat did. */
	EXPECT_EQ(NULL, buddy_counter_beyond_vmstat(&e, &vb, &va));
}

TEST_HARNESS_MAIN
