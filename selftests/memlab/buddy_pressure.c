// SPDX-License-Identifier: GPL-2.0
/*
 * pressure ORDER [zone=NAME] [until=low|min] allocates until the zone's
 * free pages reach the watermark, judged by /proc/zoneinfo: its target is
 * the zone's low watermark (until=min: half-way between min and low), it
 * stops there and not below min, and the OOM killer never runs
 * (/proc/vmstat's oom_kill), even when the machine then needs the memory
 * the run holds.  Its blocks come back with "free all" and on unload, a
 * second run while they are held is -EBUSY, and bad input is -EINVAL and
 * changes nothing.
 */
#define _GNU_SOURCE
#include <sys/mman.h>
#include <unistd.h>

#include "memlab_harness.h"
#include "buddy_lib.h"

#define PRESSURE	BUDDY_DEBUGFS "/pressure"
#define EVENTS		BUDDY_DEBUGFS "/events"

/* A line of /proc/vmstat, or -1. */
static long vm_counter(const char *want)
{
	FILE *f = fopen("/proc/vmstat", "r");
	long val, found = -1;
	char key[64];

	while (f && fscanf(f, "%63s %ld", key, &val) == 2) {
		if (!strcmp(key, want))
			found = val;
	}
	if (f)
		fclose(f);
	return found;
}

/* The zone of the last run, as /proc/zoneinfo has it now. */
static bool run_zone(const struct buddy_record *r, struct memlab_zone *out)
{
	struct memlab_zone zones[MEMLAB_MAX_ZONES];
	const struct memlab_zone *z;
	const char *field = buddy_field(r, "zone");
	char name[16];
	int node, n;

	n = memlab_read_zoneinfo(zones, MEMLAB_MAX_ZONES);
	if (!field || sscanf(field, "%d/%15s", &node, name) != 2)
		return false;
	z = memlab_zone_find(zones, n, node, name);
	if (!z)
		return false;
	*out = *z;
	return true;
}

/*
 * The per-CPU lists are shrunk, as for the tests that measure free memory:
 * else the 800 MiB a run gives back would sit on them, and from 6.7, which
 * lets them grow, drain into MemFree for seconds after the test.
 */
FIXTURE(pressure) {
	long oom_kill;
	long pcp;
};

FIXTURE_SETUP(pressure)
{
	self->pcp = -1;
	if (geteuid() != 0)
		SKIP(return, "must be run as root");
	if (buddy_load())
		SKIP(return, "memlab_buddy.ko does not load");
	ASSERT_EQ(0, buddy_cmd("free all"));
	/* -1 on a kernel that counts no vm events: the debug kernel. */
	self->oom_kill = vm_counter("oom_kill");
	self->pcp = buddy_shrink_pcp();
	ASSERT_LE(0, self->pcp);
}

FIXTURE_TEARDOWN(pressure)
{
	buddy_cmd("free all");
	buddy_restore_pcp(self->pcp);
	/* Nothing this test did may have woken the OOM killer. */
	if (self->oom_kill >= 0)
		EXPECT_EQ(self->oom_kill, vm_counter("oom_kill"));
}

/*
 * One run: where it stopped against /proc/zoneinfo's watermarks, and that
 * free all gives the memory back.
 */
static void check_run(struct __test_metadata *_metadata, const char *cmd,
		      bool until_min)
{
	struct buddy_record r, e;
	struct memlab_zone z;
	long target, free;

	ASSERT_EQ(0, buddy_cmd(cmd));
	ASSERT_LT(0, buddy_read_record(PRESSURE, -1, &r));
	ASSERT_TRUE(run_zone(&r, &z));
	target = buddy_field_long(&r, "target");
	free = buddy_field_long(&r, "free");
	TH_LOG("%s: %s stopped at %ld free (min %ld, low %ld), %ld blocks: %s",
	       cmd, buddy_field(&r, "zone"), free, z.min, z.low,
	       buddy_field_long(&r, "blocks"), buddy_field(&r, "notes"));

	EXPECT_EQ(until_min ? z.min + (z.low - z.min) / 2 : z.low, target);
	EXPECT_NE(NULL, strstr(buddy_field(&r, "notes"), "reached"));
	EXPECT_GE(target, free);
	/* A per-CPU list refills a batch at once: a little below, no more. */
	EXPECT_LE(z.min - 1024, free);
	/* The first row is the start, the zone above its target then. */
	ASSERT_LT(0, buddy_read_record(PRESSURE, 0, &e));
	EXPECT_STREQ("start", buddy_field(&e, "notes"));
	EXPECT_LT(target, buddy_field_long(&e, "free"));

	ASSERT_LT(0, buddy_read_record(EVENTS, -1, &e));
	EXPECT_STREQ("pressure", buddy_field(&e, "command"));
	EXPECT_EQ(buddy_field_long(&r, "blocks"), buddy_field_long(&e, "got"));

	ASSERT_EQ(0, buddy_cmd("free all"));
	ASSERT_TRUE(run_zone(&r, &z));
	EXPECT_LT(z.high, z.free);
}

TEST_F(pressure, stops_at_low)
{
	check_run(_metadata, "pressure 0", false);
}

TEST_F(pressure, until_min_stops_half_way_to_it)
{
	check_run(_metadata, "pressure 0 until=min", true);
}

/*
 * The held blocks are reclaimable.  After a run the test asks for more
 * memory than the zone has left above its min watermark, twice over and
 * 32 MiB more, and touches it: reclaim must find the blocks through
 * memlab's shrinker, since a lab guest whose files are all in tmpfs, with
 * no swap, has little else to give.  Without them the OOM killer runs:
 * the fixture checks oom_kill, and it would kill this test first.
 */
TEST_F(pressure, held_blocks_give_way_to_reclaim)
{
	long page = sysconf(_SC_PAGESIZE), want, i;
	struct buddy_record r;
	struct memlab_zone z;
	char *p;

	ASSERT_EQ(0, buddy_cmd("pressure 0"));
	ASSERT_LT(0, buddy_read_record(PRESSURE, -1, &r));
	ASSERT_TRUE(run_zone(&r, &z));
	want = 2 * (z.high - z.min) + (32L << 20) / page;
	/* Order 0: a block is a page.  The run must hold what is asked. */
	ASSERT_LT(want, buddy_field_long(&r, "blocks"));

	p = mmap(NULL, want * page, PROT_READ | PROT_WRITE,
		 MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	ASSERT_NE(MAP_FAILED, p);
	for (i = 0; i < want; i++)
		p[i * page] = 1;
	ASSERT_TRUE(run_zone(&r, &z));
	TH_LOG("touched %ld pages past a run of %ld blocks: %ld free (min %ld)",
	       want, buddy_field_long(&r, "blocks"), z.free, z.min);
	munmap(p, want * page);
}

TEST_F(pressure, a_second_run_while_held_is_busy)
{
	char *before, *after;

	ASSERT_EQ(0, buddy_cmd("pressure 3"));
	before = memlab_read_file(PRESSURE);
	EXPECT_EQ(-EBUSY, buddy_cmd("pressure 3"));
	after = memlab_read_file(PRESSURE);
	ASSERT_TRUE(before && after);
	EXPECT_STREQ(before, after);
	free(before);
	free(after);
}

TEST_F(pressure, bad_input_changes_nothing)
{
	static const char *const bad[] = {
		"pressure", "pressure x", "pressure -1", "pressure 99",
		"pressure 0 zone=Nowhere", "pressure 0 zone=", "pressure 0 until=high",
		"pressure 0 until=", "pressure 0 gfp=atomic", "pressure 0 gfp=bogus",
		"pressure 0 zone=DMA gfp=dma32", "pressure 0 0", "pressure 0 until=low junk",
	};
	char *pressure = memlab_read_file(PRESSURE);
	char *events = memlab_read_file(EVENTS);
	char *view, cmd[64];
	unsigned int i;

	ASSERT_TRUE(pressure && events);
	for (i = 0; i < ARRAY_SIZE(bad); i++) {
		snprintf(cmd, sizeof(cmd), "%s", bad[i]);
		EXPECT_EQ(-EINVAL, buddy_cmd(cmd))
			TH_LOG("'%s'", cmd);
	}
	view = memlab_read_file(PRESSURE);
	EXPECT_STREQ(pressure, view);
	free(view);
	view = memlab_read_file(EVENTS);
	EXPECT_STREQ(events, view);
	free(view);
	free(pressure);
	free(events);
}

TEST_F(pressure, unload_gives_everything_back)
{
	struct buddy_record r;
	struct memlab_zone z;

	ASSERT_EQ(0, buddy_cmd("pressure 0"));
	ASSERT_LT(0, buddy_read_record(PRESSURE, -1, &r));
	ASSERT_EQ(0, memlab_kmod_unload("memlab_buddy"));
	ASSERT_TRUE(run_zone(&r, &z));
	EXPECT_LT(z.high, z.free);
	ASSERT_EQ(0, buddy_load());
}

TEST_HARNESS_MAIN
