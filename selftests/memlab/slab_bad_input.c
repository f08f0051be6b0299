// SPDX-License-Identifier: GPL-2.0
/*
 * Every malformed command to slab/control fails with EINVAL and changes
 * nothing: neither the objects held nor the cache.
 */
#include "memlab_harness.h"
#include "slab_lib.h"

/* Held while the bad commands arrive, so that "free" has something. */
#define NR_HELD 5

static const char *const bad_commands[] = {
	"\n",
	" ",
	"bogus",
	"ALLOC 1",
	"alloc",
	"alloc 0",
	"alloc 0x0",
	"alloc -1",
	"alloc +1",
	"alloc 1x",
	"alloc 0x",
	"alloc 1.5",
	"alloc 1 2",
	"alloc 1 all",
	"alloc 99999999999999999999999",
	"free",
	"free 0",
	"free -1",
	"free 6",
	"free 1 2",
	"free all 1",
	"free everything",
	"shrink 1",
	"shrink now",
	"recreate",
	"recreate size",
	"recreate size=",
	"recreate size=0",
	"recreate size=-8",
	"recreate size=abc",
	"recreate size=1048576",
	"recreate size=64 align=3",
	"recreate size=64 align=-8",
	"recreate size=64 align=1048576",
	"recreate size=64 hwcache=2",
	"recreate size=64 size=32",
	"recreate size=64 bogus=1",
	"recreate align=8",
	"recreate size=64 extra",
	"recreate =64",
	"alloc 1\nalloc 1",
	"free 1\n\n",
};

FIXTURE(bad_input) {
	char *stats;
};

FIXTURE_SETUP(bad_input)
{
	if (slab_setup())
		SKIP(return, "must be root with memlab_slab installed");
	ASSERT_EQ(0, slab_cmd("alloc 5"));
	self->stats = memlab_read_file(SLAB_DIR "/stats");
	ASSERT_NE(NULL, self->stats);
}

FIXTURE_TEARDOWN(bad_input)
{
	free(self->stats);
	slab_cmd("free all");
}

static void expect_unchanged(struct __test_metadata *_metadata,
			     const char *before, const char *cmd)
{
	char *after = memlab_read_file(SLAB_DIR "/stats");

	ASSERT_NE(NULL, after);
	EXPECT_STREQ(before, after) TH_LOG("after \"%s\"", cmd);
	free(after);
}

TEST_F(bad_input, rejected_with_einval)
{
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(bad_commands); i++) {
		EXPECT_EQ(-EINVAL, slab_cmd(bad_commands[i]))
			TH_LOG("command \"%s\"", bad_commands[i]);
		expect_unchanged(_metadata, self->stats, bad_commands[i]);
	}
}

TEST_F(bad_input, over_the_cap)
{
	long cap = slab_stat("max_objects");
	char cmd[64];

	ASSERT_GT(cap, 0);
	snprintf(cmd, sizeof(cmd), "alloc %ld", cap + 1);
	EXPECT_EQ(-EINVAL, slab_cmd(cmd));
	/* Counting what is already held. */
	snprintf(cmd, sizeof(cmd), "alloc %ld", cap - NR_HELD + 1);
	EXPECT_EQ(-EINVAL, slab_cmd(cmd));
	expect_unchanged(_metadata, self->stats, cmd);
}

TEST_F(bad_input, over_long_line)
{
	char line[300];

	memset(line, ' ', sizeof(line) - 1);
	memcpy(line, "alloc 1", 7);
	line[sizeof(line) - 1] = '\0';
	EXPECT_EQ(-EINVAL, slab_cmd(line));
	expect_unchanged(_metadata, self->stats, "over-long line");
}

TEST_F(bad_input, nul_byte)
{
	int fd = open(SLAB_CONTROL, O_WRONLY);

	ASSERT_GE(fd, 0);
	EXPECT_EQ(-1, write(fd, "alloc 1\0", 8));
	EXPECT_EQ(EINVAL, errno);
	close(fd);
	expect_unchanged(_metadata, self->stats, "NUL byte");
}

TEST_F(bad_input, recreate_while_held_is_busy)
{
	EXPECT_EQ(-EBUSY, slab_cmd("recreate size=128"));
	expect_unchanged(_metadata, self->stats, "recreate size=128");
}

TEST_HARNESS_MAIN
