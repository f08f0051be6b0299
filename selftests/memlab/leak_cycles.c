// SPDX-License-Identifier: GPL-2.0
/*
 * LEAK_CYCLES times: load every memlab module, leave experiments running
 * in each (buddy blocks and a fragmented run, slab objects, unread ring
 * data), and unload them all.  Every unload must succeed and take both
 * trees, the device and memlab_obj with it.  Whatever an unload forgot to
 * free, the kmemleak scan that follows this group reports; a WARN at
 * unload, the lab's log scan.
 */
#define _GNU_SOURCE
#include "memlab_harness.h"
#include "memlab_lib.h"

#define LEAK_CYCLES	100
#define RING_DEVICE	"/dev/memlab_ring"

/* Experiments for every module that is there; each must be accepted. */
static int leave_experiments(void)
{
	static const struct {
		const char *path, *cmd;
	} cmds[] = {
		{ MEMLAB_DEBUGFS "/buddy/control", "alloc 2 count=4" },
		{ MEMLAB_DEBUGFS "/buddy/control", "fragment 16" },
		{ MEMLAB_DEBUGFS "/buddy/control", "bench 1 10" },
		{ MEMLAB_DEBUGFS "/slab/control", "alloc 300" },
	};
	char data[3000];
	unsigned int i;
	int fd;

	for (i = 0; i < ARRAY_SIZE(cmds); i++) {
		if (access(cmds[i].path, F_OK))
			continue;
		if (memlab_write_cmd(cmds[i].path, cmds[i].cmd)) {
			fprintf(stderr, "# %s: %s failed\n", cmds[i].path,
				cmds[i].cmd);
			return -1;
		}
	}
	fd = open(RING_DEVICE, O_WRONLY | O_NONBLOCK);
	if (fd >= 0) {
		memset(data, 'c', sizeof(data));
		if (write(fd, data, sizeof(data)) <= 0) {
			close(fd);
			return -1;
		}
		close(fd);
	}
	return 0;
}

FIXTURE(cycles) {
	struct memlab_kmods mods;
};

FIXTURE_SETUP(cycles)
{
}

/* Leaves the modules loaded, as the suite found them. */
FIXTURE_TEARDOWN(cycles)
{
	memlab_load_all();
}

TEST_F_TIMEOUT(cycles, load_experiment_unload, 1200)
{
	int cycle;

	if (geteuid() != 0)
		SKIP(return, "must be run as root");
	ASSERT_LT(0, memlab_kmods_find(&self->mods));
	ASSERT_EQ(0, memlab_kmods_unload_all(&self->mods));

	for (cycle = 0; cycle < LEAK_CYCLES; cycle++) {
		ASSERT_EQ(0, memlab_kmods_load_all(&self->mods))
			TH_LOG("cycle %d: load", cycle);
		ASSERT_EQ(0, leave_experiments())
			TH_LOG("cycle %d: experiments", cycle);
		ASSERT_EQ(0, memlab_kmods_unload_all(&self->mods))
			TH_LOG("cycle %d: unload", cycle);
		ASSERT_NE(0, access(MEMLAB_DEBUGFS, F_OK));
		ASSERT_NE(0, access(MEMLAB_PROC, F_OK));
		ASSERT_NE(0, access(RING_DEVICE, F_OK));
		ASSERT_NE(0, access("/sys/kernel/slab/memlab_obj", F_OK));
	}
	TH_LOG("%d load/unload cycles of %d modules with experiments held",
	       cycle, self->mods.n);
}

TEST_HARNESS_MAIN
