// SPDX-License-Identifier: GPL-2.0
/*
 * buddy/timeline against the kernel's own trace of the same tracepoints:
 * ftrace, in an instance of tracefs of the test's own, filtered to the
 * test's pid, sees every event memlab's probes can see and more (memlab
 * records only its allocations, not its bookkeeping).  So the blocks the
 * timeline says it served are the mm_page_alloc events of their order and
 * flags, blocks of an order the per-cpu lists do not keep come from the
 * free lists one mm_page_alloc_zone_locked each (or, from 6.12, one
 * mm_page_alloc_extfrag when another migrate type's list gave it), and
 * the refills it counts are no more than ftrace saw.  buddy/tracepoints says attached exactly
 * for the tracepoints tracefs lists.
 */
#define _GNU_SOURCE
#include <sys/mount.h>
#include <sys/stat.h>
#include "memlab_harness.h"
#include "buddy_lib.h"

#define TIMELINE	BUDDY_DEBUGFS "/timeline"
#define TRACEPOINTS	BUDDY_DEBUGFS "/tracepoints"
#define EVENTS		BUDDY_DEBUGFS "/events"
#define TRACEFS		"/sys/kernel/tracing"
#define INSTANCE	TRACEFS "/instances/memlab_timeline"

static const char *const traced[] = {
	"kmem/mm_page_alloc",
	"kmem/mm_page_alloc_zone_locked",
	"kmem/mm_page_alloc_extfrag",
};

/* tracefs, mounted if it is not; false on a kernel without ftrace. */
static bool tracefs_ready(void)
{
	if (access(TRACEFS "/events", F_OK))
		mount("nodev", TRACEFS, "tracefs", 0, NULL);
	return !access(TRACEFS "/events", F_OK);
}

/* Writes @val to the instance's @file. */
static int put(const char *file, const char *val)
{
	char path[PATH_MAX];

	snprintf(path, sizeof(path), INSTANCE "/%s", file);
	return memlab_write_cmd(path, val);
}

/*
 * An instance that traces this process's page allocations, from now.  By
 * a filter on each event, not set_event_pid: that one hooks sched_switch
 * and sched_wakeup, and patching their static branches in and out under
 * TCG once left the scheduler's wakeup path executing a stale int3 (an
 * "Oops: int3" in ttwu_do_activate() on 6.12's 5-level boot).
 */
static int ftrace_start(void)
{
	char filter[32], file[128];
	size_t i;

	rmdir(INSTANCE);
	if (mkdir(INSTANCE, 0755))
		return -1;
	snprintf(filter, sizeof(filter), "common_pid == %d", getpid());
	if (put("buffer_size_kb", "8192"))
		return -1;
	for (i = 0; i < ARRAY_SIZE(traced); i++) {
		snprintf(file, sizeof(file), "events/%s/filter", traced[i]);
		if (put(file, filter))
			return -1;
		snprintf(file, sizeof(file), "events/%s/enable", traced[i]);
		if (put(file, "1"))
			return -1;
	}
	return put("tracing_on", "1");
}

static char *ftrace_stop(void)
{
	put("tracing_on", "0");
	return memlab_read_file(INSTANCE "/trace");
}

static void ftrace_remove(void)
{
	put("events/enable", "0");
	rmdir(INSTANCE);
}

/* A numeric field "key=value" of a trace line, or -1. */
static long trace_field(const char *line, const char *key)
{
	char want[32];
	const char *at;

	snprintf(want, sizeof(want), " %s=", key);
	at = strstr(line, want);
	return at ? strtol(at + strlen(want), NULL, 0) : -1;
}

struct trace_count {
	long allocs;		/* mm_page_alloc: served, of the order */
	long failed;
	long from_lists;	/* mm_page_alloc_zone_locked, percpu_refill=0 */
	long refills;		/* ... percpu_refill=1 */
	long fallbacks;		/* mm_page_alloc_extfrag */
	long migratetype;	/* of the last allocation */
};

/*
 * The events of @order in @trace; @gfp, if given, must be in the
 * allocations' flags.
 */
static void trace_count(char *trace, int order, const char *gfp,
			struct trace_count *c)
{
	char *p = trace, *line;

	memset(c, 0, sizeof(*c));
	c->migratetype = -1;
	while ((line = memlab_next_line(&p))) {
		if (trace_field(line, "order") != order &&
		    trace_field(line, "alloc_order") != order)
			continue;
		if (strstr(line, " mm_page_alloc: ")) {
			if (gfp && !strstr(line, gfp))
				continue;
			if (trace_field(line, "pfn") > 0)
				c->allocs++;
			else
				c->failed++;
			c->migratetype = trace_field(line, "migratetype");
		} else if (strstr(line, " mm_page_alloc_extfrag: ")) {
			c->fallbacks++;
		} else if (strstr(line, " mm_page_alloc_zone_locked: ")) {
			if (trace_field(line, "percpu_refill"))
				c->refills++;
			else
				c->from_lists++;
		}
	}
}

/* The timeline's rows of command @id, added up by event. */
struct tl_sum {
	long rows;
	long served;		/* every kind that handed out a block */
	long failed;
	long buddy;
	long refill_rows;
	long refilled;		/* pcp_refill's results: blocks moved */
	char migratetype[32];
};

static const char *const served_kinds[] = {
	"pcp_hit", "pcp_refill", "buddy", "captured", "compacted", "alloc",
};

static int tl_sum(long id, int order, struct tl_sum *s)
{
	struct buddy_record *rows;
	int n = buddy_read_records(TIMELINE, &rows), i;
	size_t k;

	memset(s, 0, sizeof(*s));
	for (i = 0; i < n; i++) {
		const struct buddy_record *r = &rows[i];
		const char *kind = buddy_field(r, "event");
		long count = buddy_field_long(r, "count");

		if (buddy_field_long(r, "id") != id ||
		    buddy_field_long(r, "order") != order)
			continue;
		s->rows++;
		for (k = 0; k < ARRAY_SIZE(served_kinds); k++) {
			if (!strcmp(kind, served_kinds[k])) {
				s->served += count;
				snprintf(s->migratetype, sizeof(s->migratetype),
					 "%s", buddy_field(r, "migratetype"));
			}
		}
		if (!strcmp(kind, "failed") || !strcmp(kind, "compact_failed"))
			s->failed += count;
		if (!strcmp(kind, "buddy"))
			s->buddy += count;
		if (!strcmp(kind, "pcp_refill")) {
			s->refill_rows++;
			s->refilled += buddy_field_long(r, "result");
		}
	}
	free(rows);
	return n;
}

/* The id the next command's rows will have. */
static long next_id(void)
{
	struct buddy_record r;

	return buddy_read_record(EVENTS, -1, &r) > 0 ?
		buddy_field_long(&r, "id") + 1 : 1;
}

static const char *migratetype_name(long mt)
{
	static const char *const names[] = {
		"Unmovable", "Movable", "Reclaimable",
	};

	return mt >= 0 && mt < (long)ARRAY_SIZE(names) ? names[mt] : "?";
}

/*
 * Runs @cmd under ftrace, and counts the trace's events of @order (and
 * @gfp) into @c and the timeline's rows of the command into @s.
 */
static void run_traced(struct __test_metadata *_metadata, const char *cmd,
		       int order, const char *gfp, struct trace_count *c,
		       struct tl_sum *s)
{
	long id = next_id();
	char *trace;

	ASSERT_EQ(0, ftrace_start());
	ASSERT_EQ(0, buddy_cmd(cmd));
	trace = ftrace_stop();
	ASSERT_NE(NULL, trace);
	trace_count(trace, order, gfp, c);
	free(trace);
	ASSERT_LT(0, tl_sum(id, order, s));
}

FIXTURE(timeline) {
	bool traced;
	long pcp;
};

FIXTURE_SETUP(timeline)
{
	if (geteuid() != 0)
		SKIP(return, "must be run as root");
	if (buddy_load())
		SKIP(return, "memlab_buddy.ko does not load");
	ASSERT_EQ(0, buddy_cmd("free all"));
	self->traced = tracefs_ready();
	self->pcp = -1;
}

FIXTURE_TEARDOWN(timeline)
{
	ftrace_remove();
	buddy_cmd("free all");
	buddy_restore_pcp(self->pcp);
}

/* attached exactly where tracefs has the tracepoint: absent elsewhere. */
TEST_F(timeline, tracepoints_are_tracefs_events)
{
	struct buddy_record *rows;
	char path[PATH_MAX];
	int n, i;

	if (!self->traced)
		SKIP(return, "no tracefs: the kernel has no ftrace");
	n = buddy_read_records(TRACEPOINTS, &rows);
	ASSERT_LT(0, n);
	for (i = 0; i < n; i++) {
		const char *state = buddy_field(&rows[i], "state");

		snprintf(path, sizeof(path), TRACEFS "/events/%s/%s",
			 buddy_field(&rows[i], "system"),
			 buddy_field(&rows[i], "tracepoint"));
		EXPECT_STREQ(access(path, F_OK) ? "absent" : "attached", state) {
			TH_LOG("%s", path);
		}
	}
	free(rows);
}

/*
 * Order 4 is above what the per-cpu lists keep: every block comes from
 * the free lists.  Nothing else this command does allocates order 4.
 */
TEST_F(timeline, high_order_blocks_as_ftrace)
{
	struct trace_count c;
	struct tl_sum s;

	if (!self->traced)
		SKIP(return, "no tracefs: the kernel has no ftrace");
	run_traced(_metadata, "alloc 4 count=16 gfp=kernel", 4, NULL, &c, &s);
	TH_LOG("ftrace: %ld served, %ld failed, %ld from the lists, %ld fallbacks",
	       c.allocs, c.failed, c.from_lists, c.fallbacks);
	TH_LOG("timeline: %ld served in %ld rows", s.served, s.rows);
	EXPECT_EQ(16, c.allocs + c.failed);
	EXPECT_EQ(c.allocs, s.served);
	EXPECT_EQ(c.failed, s.failed);
	/* 6.1 takes a fallback's block with _zone_locked, later ones not. */
	EXPECT_LE(c.from_lists, s.buddy);
	EXPECT_GE(c.from_lists + c.fallbacks, s.buddy);
	EXPECT_EQ(0, c.refills);
	EXPECT_STREQ(migratetype_name(c.migratetype), s.migratetype);
}

/*
 * Order 0: the per-cpu lists serve most blocks, and refill from the free
 * lists a batch at a time.  __GFP_ZERO tells the lab's blocks from the
 * slab pages its bookkeeping may take, which the allocator asks for
 * without it; a refill can happen in either, so the timeline's are at
 * most ftrace's.
 */
TEST_F(timeline, order0_blocks_and_refills_as_ftrace)
{
	struct trace_count c;
	struct tl_sum s;

	if (!self->traced)
		SKIP(return, "no tracefs: the kernel has no ftrace");
	/* Empty the per-cpu lists first, so that some refills happen. */
	self->pcp = buddy_shrink_pcp();
	ASSERT_LE(0, self->pcp);
	run_traced(_metadata, "alloc 0 count=2000 gfp=kernel|zero", 0,
		   "__GFP_ZERO", &c, &s);
	TH_LOG("ftrace: %ld served, %ld refills", c.allocs, c.refills);
	TH_LOG("timeline: %ld served, %ld blocks refilled in %ld rows",
	       s.served, s.refilled, s.refill_rows);
	EXPECT_EQ(2000, c.allocs);
	EXPECT_EQ(c.allocs, s.served);
	EXPECT_EQ(0, s.failed);
	EXPECT_GE(c.refills, s.refilled);
	/* 2000 pages cannot all come from per-cpu lists shrunk to a batch. */
	EXPECT_LT(0, s.refilled);
	EXPECT_STREQ(migratetype_name(c.migratetype), s.migratetype);
}

/*
 * A command that fails leaves no rows, and no row of buddy/events: its id
 * goes to the next one.  More blocks than max_pages= allows is -ENOMEM.
 */
TEST_F(timeline, a_failed_command_leaves_no_rows)
{
	struct buddy_record *rows;
	long id = next_id();
	int n, i;

	EXPECT_EQ(-ENOMEM, buddy_cmd("alloc 10 count=16384"));
	ASSERT_EQ(0, buddy_cmd("alloc 0 count=3"));
	n = buddy_read_records(TIMELINE, &rows);
	ASSERT_LT(0, n);
	for (i = 0; i < n; i++)
		EXPECT_GE(id, buddy_field_long(&rows[i], "id"));
	EXPECT_EQ(id, buddy_field_long(&rows[n - 1], "id"));
	free(rows);
}

TEST_HARNESS_MAIN
