// SPDX-License-Identifier: GPL-2.0
/*
 * buddy/control refuses every malformed command with its errno, and a
 * refused command changes nothing: allocations reads byte for byte the
 * same afterwards, and so does MemFree give or take the system's own
 * noise.  Going beyond the module's page cap is -ENOMEM.
 */
#define _GNU_SOURCE
#include "memlab_harness.h"
#include "buddy_lib.h"

#define ALLOCATIONS	BUDDY_DEBUGFS "/allocations"

FIXTURE(bad_input) {
	unsigned long last_id;
	char *before;
	int max_order;
	unsigned long max_count;
	unsigned long max_pages;
	unsigned long bench_max;
};

FIXTURE_SETUP(bad_input)
{
	if (geteuid() != 0)
		SKIP(return, "must be run as root");
	if (buddy_load())
		SKIP(return, "memlab_buddy.ko does not load");
	self->last_id = buddy_last_id();
	/* something of every kind in the table, a failed row included */
	ASSERT_EQ(0, buddy_cmd("alloc 2 count=3"));
	ASSERT_EQ(0, buddy_cmd("alloc 0 api=get_zeroed_page"));
	self->max_order = memlab_max_order();
	self->max_count = buddy_param("max_count");
	self->max_pages = buddy_param("max_pages");
	self->bench_max = buddy_param("bench_max_iterations");
	ASSERT_GT(self->max_order, 0);
	ASSERT_GT(self->max_count, 0);
	ASSERT_GT(self->max_pages, 0);
	self->before = memlab_read_file(ALLOCATIONS);
	ASSERT_NE(NULL, self->before);
}

FIXTURE_TEARDOWN(bad_input)
{
	free(self->before);
	buddy_free_after(self->last_id);
}

static void expect_refused(struct __test_metadata *_metadata,
			   const char *before, const char *cmd, int err)
{
	char *after;

	EXPECT_EQ(-err, buddy_cmd(cmd))
		TH_LOG("\"%s\" should fail with %s", cmd, strerror(err));
	after = memlab_read_file(ALLOCATIONS);
	ASSERT_NE(NULL, after);
	EXPECT_STREQ(before, after) TH_LOG("\"%s\" changed allocations", cmd);
	free(after);
}

TEST_F(bad_input, words_and_syntax)
{
	static const char * const bad[] = {
		"\n", " ", "bogus", "alloc", "ALLOC 0", "alloc x", "alloc -1",
		"alloc 1.5", "alloc 0x", "alloc 0 1", "alloc 0 extra",
		"alloc 0 count", "alloc 0 count=", "alloc 0 count=0",
		"alloc 0 count=-1", "alloc 0 count=1x", "alloc 0 count=010x",
		"alloc 0 count=1 count=1", "alloc 0 gfp=", "alloc 0 gfp=bogus",
		"alloc 0 gfp=kernel|", "alloc 0 gfp=|kernel",
		"alloc 0 gfp=kernel||zero", "alloc 0 gfp=KERNEL",
		"alloc 0 gfp=kernel gfp=zero", "alloc 0 gfp=dma|dma32",
		"alloc 0 gfp=kernel|atomic", "alloc 0 gfp=atomic|highuser",
		"alloc 0x0x1",
		"alloc 0 gfp=highuser|dma", "alloc 0 api=", "alloc 0 api=bogus",
		"alloc 0 api=alloc_pages api=alloc_pages",
		"alloc 1 api=get_zeroed_page",
		"alloc 0 api=__get_free_pages gfp=highuser",
		"alloc 0\nalloc 0", "alloc 0\n\n", "free", "free x",
		"free all all", "free 1 2", "free -1", "free all\nfree all",
		"fragment", "fragment 0", "fragment x", "fragment 4 4",
		"bench", "bench 0", "bench 0 0", "bench x 1", "bench 0 1 1",
	};
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(bad); i++)
		expect_refused(_metadata, self->before, bad[i], EINVAL);
}

TEST_F(bad_input, out_of_range_numbers)
{
	char cmd[128];

	snprintf(cmd, sizeof(cmd), "alloc %d", self->max_order + 1);
	expect_refused(_metadata, self->before, cmd, EINVAL);
	snprintf(cmd, sizeof(cmd), "alloc 0x%x", self->max_order + 1);
	expect_refused(_metadata, self->before, cmd, EINVAL);
	expect_refused(_metadata, self->before, "alloc 18446744073709551616",
		       EINVAL);
	snprintf(cmd, sizeof(cmd), "alloc 0 count=%lu", self->max_count + 1);
	expect_refused(_metadata, self->before, cmd, EINVAL);
	snprintf(cmd, sizeof(cmd), "fragment %lu", self->max_count + 1);
	expect_refused(_metadata, self->before, cmd, EINVAL);
	snprintf(cmd, sizeof(cmd), "bench %d 1", self->max_order + 1);
	expect_refused(_metadata, self->before, cmd, EINVAL);
	snprintf(cmd, sizeof(cmd), "bench 0 %lu", self->bench_max + 1);
	expect_refused(_metadata, self->before, cmd, EINVAL);
}

TEST_F(bad_input, over_long_line)
{
	char cmd[400];

	memset(cmd, ' ', sizeof(cmd) - 1);
	memcpy(cmd, "alloc 0", 7);
	cmd[sizeof(cmd) - 1] = '\0';
	expect_refused(_metadata, self->before, cmd, EINVAL);
}

TEST_F(bad_input, unknown_id)
{
	char cmd[64];

	expect_refused(_metadata, self->before, "free 0", ENOENT);
	snprintf(cmd, sizeof(cmd), "free %lu", buddy_last_id() + 1);
	expect_refused(_metadata, self->before, cmd, ENOENT);
	expect_refused(_metadata, self->before, "free 0xffffffffffffffff",
		       ENOENT);
}

/* Past the cap nothing is allocated, not even the part that would fit. */
TEST_F(bad_input, beyond_the_cap)
{
	long memfree = memlab_meminfo_kb("MemFree");
	unsigned long count;
	char cmd[128];

	count = self->max_pages / (1UL << self->max_order) + 1;
	if (count > self->max_count)
		SKIP(return, "max_count stops it before max_pages");
	snprintf(cmd, sizeof(cmd), "alloc %d count=%lu", self->max_order,
		 count);
	expect_refused(_metadata, self->before, cmd, ENOMEM);
	snprintf(cmd, sizeof(cmd), "fragment %lu", self->max_pages + 1);
	if (self->max_pages + 1 <= self->max_count)
		expect_refused(_metadata, self->before, cmd, ENOMEM);
	/* nothing held; other frees on the system may only add to MemFree */
	EXPECT_GE(memlab_meminfo_kb("MemFree") - memfree, -4096);
}

TEST_HARNESS_MAIN
