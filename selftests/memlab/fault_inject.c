// SPDX-License-Identifier: GPL-2.0
/*
 * With failslab and fail_page_alloc failing FAULT_PERCENT % of this
 * process's allocations, memlab degrades cleanly:
 *
 *  - loading a module either works, or fails with an errno and leaves
 *    nothing behind: no module, no directory in either tree, no device,
 *    no memlab_obj cache;
 *  - a command either works, or fails with an errno and the module's
 *    views show what they showed before;
 *  - a view either reads or fails with an errno.
 *
 * Only this process's calls fail (task-filter and /proc/self/make-it-fail),
 * and only between fault_on() and fault_off(), so the rest of the system
 * and the test's own bookkeeping run normally.  While modules load,
 * fail_page_alloc leaves order-0 pages alone: the module loader's own
 * vmalloc() of the module image would otherwise fail first every time.
 *
 * The kernel's allocation-failure reports (warn_alloc(), with a stack)
 * are expected here; the test marks its window in the kernel log and the
 * lab's log scan accepts their stacks there, and nothing else.
 *
 * Only the debug kernel has these knobs; elsewhere the test skips.
 */
#define _GNU_SOURCE
#include "memlab_harness.h"
#include "memlab_lib.h"

#define FAULT_PERCENT	"10"
#define FAULT_BUDGET	1000000000L
#define LOAD_TRIES	40
/*
 * A load makes a hundred allocations or so, most of them in the module
 * loader: at 10 % nearly every load would fail there, before the
 * module's own init runs.  So try t lets the first t * LOAD_SPACE_STEP
 * bytes through ("space") and only then starts failing: the failures move
 * through the whole load, init included, from one try to the next.
 */
#define LOAD_SPACE_STEP	4096
#define COMMAND_ROUNDS	40
#define FAULT_DEBUGFS	"/sys/kernel/debug/"
#define RING_DEVICE	"/dev/memlab_ring"

static const char *const fault_attrs[] = { "failslab", "fail_page_alloc" };

/* Knobs set for the test and restored after it. */
static const struct {
	const char *attr, *knob, *value;
} fault_knobs[] = {
	{ NULL, "probability", FAULT_PERCENT },
	{ NULL, "interval", "1" },
	{ NULL, "space", "0" },
	{ NULL, "verbose", "0" },
	{ NULL, "task-filter", "Y" },
	{ NULL, "ignore-gfp-wait", "N" },
	{ "fail_page_alloc", "ignore-gfp-highmem", "N" },
	{ "fail_page_alloc", "min-order", "0" },
	/* Counts down with each failure: what is left says how many. */
	{ NULL, "times", "1000000000" },
};

#define FAULT_NR_SAVED	(ARRAY_SIZE(fault_knobs) * ARRAY_SIZE(fault_attrs))

static int make_it_fail = -1;

static int knob_write(const char *attr, const char *knob, const char *value)
{
	char path[128];

	snprintf(path, sizeof(path), FAULT_DEBUGFS "%s/%s", attr, knob);
	return memlab_write_cmd(path, value);
}

static long knob_read(const char *attr, const char *knob)
{
	char path[128], *text;
	long val;

	snprintf(path, sizeof(path), FAULT_DEBUGFS "%s/%s", attr, knob);
	text = memlab_read_file(path);
	if (!text)
		return -1;
	val = strtol(text, NULL, 10);
	free(text);
	return val;
}

static void fault_mark(const char *line)
{
	memlab_write_cmd("/dev/kmsg", line);
}

/* The flag is written through a file opened beforehand: no allocation. */
static void fault_on(void)
{
	pwrite(make_it_fail, "1", 1, 0);
}

static void fault_off(void)
{
	pwrite(make_it_fail, "0", 1, 0);
}

/*
 * Drops the line of @key from @text.  slab/stats' ctor_calls counts what
 * SLUB did, not what the module holds: an "alloc" that fails part way
 * gives its objects back, but the slab SLUB grew for them stays in the
 * cache with every object constructed.
 */
static void drop_line(char *text, const char *key)
{
	char *line = strstr(text, key), *end;

	if (!line || (line != text && line[-1] != '\n'))
		return;
	end = strchr(line, '\n');
	memmove(line, end ? end + 1 : line + strlen(line),
		strlen(end ? end + 1 : line + strlen(line)) + 1);
}

/* What a module shows when it changed nothing; "" for a view it lacks. */
static char *module_state(const char *dir)
{
	static const char *const stable[] = {
		"allocations", "bench", "stats", "objects", "slabs", "state",
	};
	char path[256], *all = strdup(""), *text, *grown;
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(stable) && all; i++) {
		snprintf(path, sizeof(path), MEMLAB_DEBUGFS "/%s/%s", dir,
			 stable[i]);
		text = memlab_read_file(path);
		if (!text)
			continue;
		drop_line(text, "ctor_calls:");
		grown = realloc(all, strlen(all) + strlen(text) + 1);
		if (grown)
			strcat(grown, text);
		all = grown;
		free(text);
	}
	return all;
}

/* Nothing of module @name is left after a failed load. */
static bool nothing_left(const char *name)
{
	const char *dir = strncmp(name, "memlab_", 7) ? NULL : name + 7;
	char path[256];

	if (memlab_kmod_loaded(name))
		return false;
	if (!dir)	/* the core owns both trees */
		return access(MEMLAB_DEBUGFS, F_OK) && access(MEMLAB_PROC, F_OK);
	snprintf(path, sizeof(path), MEMLAB_DEBUGFS "/%s", dir);
	if (!access(path, F_OK))
		return false;
	snprintf(path, sizeof(path), MEMLAB_PROC "/%s", dir);
	if (!access(path, F_OK))
		return false;
	if (!strcmp(dir, "ring"))
		return access(RING_DEVICE, F_OK) &&
		       access("/sys/bus/platform/devices/memlab_ring", F_OK) &&
		       access("/sys/bus/platform/drivers/memlab_ring", F_OK);
	if (!strcmp(dir, "slab"))
		return access("/sys/kernel/slab/memlab_obj", F_OK);
	return true;
}

FIXTURE(faults) {
	struct memlab_kmods mods;
	char saved[FAULT_NR_SAVED][32];
	long injected;
};

FIXTURE_SETUP(faults)
{
	unsigned int a, k, n = 0;

	if (geteuid() || access(FAULT_DEBUGFS "failslab", F_OK) ||
	    access(FAULT_DEBUGFS "fail_page_alloc", F_OK))
		return;
	make_it_fail = open("/proc/self/make-it-fail", O_WRONLY);
	ASSERT_LE(0, make_it_fail);
	for (a = 0; a < ARRAY_SIZE(fault_attrs); a++) {
		for (k = 0; k < ARRAY_SIZE(fault_knobs); k++, n++) {
			char path[128], *text;

			snprintf(self->saved[n], sizeof(self->saved[n]), "-");
			if (fault_knobs[k].attr &&
			    strcmp(fault_knobs[k].attr, fault_attrs[a]))
				continue;
			snprintf(path, sizeof(path), FAULT_DEBUGFS "%s/%s",
				 fault_attrs[a], fault_knobs[k].knob);
			text = memlab_read_file(path);
			ASSERT_NE(NULL, text);
			text[strcspn(text, "\n")] = '\0';
			snprintf(self->saved[n], sizeof(self->saved[n]), "%s",
				 text);
			free(text);
			ASSERT_EQ(0, knob_write(fault_attrs[a],
						fault_knobs[k].knob,
						fault_knobs[k].value));
		}
	}
	fault_mark("memlab_fault_inject: on");
}

FIXTURE_TEARDOWN(faults)
{
	unsigned int a, k, n = 0;

	if (make_it_fail < 0)
		return;
	fault_off();
	for (a = 0; a < ARRAY_SIZE(fault_attrs); a++) {
		self->injected += FAULT_BUDGET - knob_read(fault_attrs[a],
							   "times");
		for (k = 0; k < ARRAY_SIZE(fault_knobs); k++, n++)
			if (strcmp(self->saved[n], "-"))
				knob_write(fault_attrs[a], fault_knobs[k].knob,
					   self->saved[n]);
	}
	fault_mark("memlab_fault_inject: off");
	TH_LOG("%ld allocations failed on purpose", self->injected);
	close(make_it_fail);
	memlab_load_all();
}

TEST_F_TIMEOUT(faults, loads_fail_cleanly, 900)
{
	int m, t, loaded = 0, failed = 0;

	if (make_it_fail < 0)
		SKIP(return, "no failslab/fail_page_alloc (not a debug kernel)");
	ASSERT_LT(0, memlab_kmods_find(&self->mods));
	/* The loader's vmalloc() takes order-0 pages; those are left alone. */
	ASSERT_EQ(0, knob_write("fail_page_alloc", "min-order", "1"));

	for (m = 0; m < self->mods.n; m++) {
		const char *name = self->mods.name[m];
		char path[64 + PATH_MAX];

		ASSERT_EQ(0, memlab_kmods_unload_all(&self->mods));
		/* The others need the core, loaded normally. */
		if (m)
			ASSERT_EQ(0, memlab_kmod_load("memlab", ""));
		ASSERT_EQ(0, memlab_kmod_path(name, path, sizeof(path)));
		for (t = 0; t < LOAD_TRIES; t++) {
			char space[32];
			int ret;

			snprintf(space, sizeof(space), "%d", t * LOAD_SPACE_STEP);
			ASSERT_EQ(0, knob_write("failslab", "space", space));
			ASSERT_EQ(0, knob_write("fail_page_alloc", "space",
						space));
			fault_on();
			ret = memlab_kmod_insert_path(path, "");
			fault_off();
			if (!ret) {
				loaded++;
				ASSERT_EQ(0, memlab_kmod_unload(name));
				continue;
			}
			failed++;
			EXPECT_TRUE(nothing_left(name))
				TH_LOG("%s: a failed load (%s) left something",
				       name, strerror(-ret));
		}
	}
	TH_LOG("%d loads worked, %d failed cleanly", loaded, failed);
	EXPECT_LT(0, failed);
}

/* A command that failed must have changed nothing in its module. */
static int command_under_faults(struct __test_metadata *_metadata,
				const char *dir, const char *cmd, int *failed)
{
	char path[256], *before, *after;
	ssize_t n;
	int fd;

	snprintf(path, sizeof(path), MEMLAB_DEBUGFS "/%s/control", dir);
	fd = open(path, O_WRONLY);
	if (fd < 0)
		return 0;	/* no such module here */
	before = module_state(dir);
	fault_on();
	n = write(fd, cmd, strlen(cmd));
	fault_off();
	close(fd);
	after = module_state(dir);
	if (n < 0) {
		(*failed)++;
		EXPECT_STREQ(before, after) TH_LOG("%s: failed '%s' changed state",
						   dir, cmd);
	}
	free(before);
	free(after);
	return n < 0 ? -1 : 0;
}

static void read_views_under_faults(int *failed)
{
	static const char *const trees[] = { MEMLAB_DEBUGFS, MEMLAB_PROC };
	static const char *const views[] = {
		"buddy/allocations", "buddy/buddies", "buddy/freearea",
		"buddy/bench", "buddy/events", "buddy/pressure",
		"buddy/timeline", "buddy/tracepoints",
		"slab/stats", "slab/objects", "slab/slabs", "slab/events",
		"slab/timeline",
		"slab/kmalloc", "ring/state", "ring/nodes",
	};
	unsigned int t, v;

	for (t = 0; t < ARRAY_SIZE(trees); t++)
		for (v = 0; v < ARRAY_SIZE(views); v++) {
			char path[256], *text;

			snprintf(path, sizeof(path), "%s/%s", trees[t],
				 views[v]);
			fault_on();
			text = memlab_read_file(path);
			fault_off();
			if (!text)
				(*failed)++;
			free(text);
		}
}

static void ring_under_faults(int *failed)
{
	char buf[700];
	int fd = open(RING_DEVICE, O_RDWR | O_NONBLOCK);

	if (fd < 0)
		return;
	memset(buf, 'f', sizeof(buf));
	fault_on();
	if (write(fd, buf, sizeof(buf)) < 0)
		(*failed)++;
	if (read(fd, buf, sizeof(buf)) < 0)
		(*failed)++;
	fault_off();
	while (read(fd, buf, sizeof(buf)) > 0)
		;
	close(fd);
}

TEST_F_TIMEOUT(faults, commands_fail_cleanly, 900)
{
	static const struct {
		const char *dir, *cmd;
	} cmds[] = {
		{ "buddy", "alloc 0 count=8" },
		{ "buddy", "alloc 3 count=2 api=alloc_pages" },
		{ "buddy", "fragment 32" },
		{ "buddy", "bench 0 20" },
		/*
		 * A failed block ends a run early; its blocks are held
		 * until free all, without which the next run is -EBUSY.
		 */
		{ "buddy", "pressure 2" },
		{ "buddy", "free all" },
		{ "slab", "alloc 50" },
		{ "slab", "shrink" },
		{ "slab", "free 50" },
	};
	int round, failed = 0, i;
	unsigned long buddy_last = 0;
	long slab_held = -1;
	char *text;

	if (make_it_fail < 0)
		SKIP(return, "no failslab/fail_page_alloc (not a debug kernel)");
	ASSERT_LE(0, memlab_load_all());
	text = memlab_read_file(MEMLAB_DEBUGFS "/slab/stats");
	if (text)
		slab_held = memlab_kv_long(text, "objects_held");
	free(text);
	if (!access(MEMLAB_DEBUGFS "/buddy/allocations", R_OK)) {
		char *p;

		text = memlab_read_file(MEMLAB_DEBUGFS "/buddy/allocations");
		ASSERT_NE(NULL, text);
		/* The last row's id: ids only grow. */
		for (p = strtok(text, "\n"); p; p = strtok(NULL, "\n"))
			if (*p != '#')
				buddy_last = strtoul(p, NULL, 10);
		free(text);
	}

	for (round = 0; round < COMMAND_ROUNDS; round++) {
		for (i = 0; i < (int)ARRAY_SIZE(cmds); i++)
			command_under_faults(_metadata, cmds[i].dir,
					     cmds[i].cmd, &failed);
		read_views_under_faults(&failed);
		ring_under_faults(&failed);
	}
	TH_LOG("%d commands and reads failed cleanly", failed);

	/* Give back what the successful commands took. */
	if (slab_held >= 0) {
		char cmd[64];
		long held;

		text = memlab_read_file(MEMLAB_DEBUGFS "/slab/stats");
		ASSERT_NE(NULL, text);
		held = memlab_kv_long(text, "objects_held");
		free(text);
		snprintf(cmd, sizeof(cmd), "free %ld", held - slab_held);
		if (held > slab_held)
			EXPECT_EQ(0, memlab_write_cmd(MEMLAB_DEBUGFS "/slab/control",
						      cmd));
	}
	if (!access(MEMLAB_DEBUGFS "/buddy/allocations", R_OK)) {
		char *p, *save = NULL, cmd[64];

		text = memlab_read_file(MEMLAB_DEBUGFS "/buddy/allocations");
		ASSERT_NE(NULL, text);
		for (p = strtok_r(text, "\n", &save); p;
		     p = strtok_r(NULL, "\n", &save)) {
			unsigned long id = strtoul(p, NULL, 10);

			if (*p == '#' || id <= buddy_last)
				continue;
			snprintf(cmd, sizeof(cmd), "free %lu", id);
			memlab_write_cmd(MEMLAB_DEBUGFS "/buddy/control", cmd);
		}
		free(text);
	}
}

/* Skipped as a whole, so that the suite's summary counts it as a skip. */
int main(int argc, char **argv)
{
	if (access(FAULT_DEBUGFS "failslab", F_OK) ||
	    access(FAULT_DEBUGFS "fail_page_alloc", F_OK)) {
		ksft_print_header();
		ksft_exit_skip("no failslab/fail_page_alloc (not a debug kernel)\n");
	}
	return test_harness_run(argc, argv);
}
