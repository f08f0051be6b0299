// SPDX-License-Identifier: GPL-2.0
/*
 * Every memlab control file, in both trees, rejects FUZZ_WRITES malformed
 * writes, each with an errno, and none of them changes what the modules
 * show.  The writes are random bytes of any length up to two pages, numbers
 * at the edges (0, -1, 2^31, 2^32, 2^63, 2^64, one past the highest order),
 * valid commands with junk appended, repeated keys, NUL bytes and second
 * lines inside a command, and lines just too long.  The generator has a
 * fixed seed, so a failure names an input that can be replayed.
 *
 * A module's state is what its stable views show: the tables of what it
 * holds, not the ones that follow the whole machine (free areas, buddies).
 * They are read before and after the writes to each file.  pgwalk's walk
 * and ranges also keep a target for each open file: the fuzzed fd gets
 * one first, and must read back the same walk after all the writes.
 */
#define _GNU_SOURCE
#include <ctype.h>
#include <sys/mman.h>

#include "../kselftest_harness.h"
#include "memlab_lib.h"

#define FUZZ_WRITES	10000
#define FUZZ_SEED	0x6d656d6c6162ULL	/* "memlab" */
#define FUZZ_MAX_LEN	(2 * 4096)
#define FUZZ_MAX_FILES	32
/* memlab.h: MEMLAB_CMD_MAX, the longest command line, newline included. */
#define FUZZ_CMD_MAX	256

/* Commands that are valid, to be broken; and slots for edge numbers. */
struct fuzz_module {
	const char *dir;
	/* The one file of @dir these commands are for, or NULL for all. */
	const char *file;
	/* Views that change only through the control files. */
	const char *const *state_views;
	const char *const *valid;
	const char *const *repeated;
	/* "%s" takes an edge number: a count, an order or an id (a pid). */
	const char *const *count_slots;
	const char *const *order_slots;
	const char *const *id_slots;
	/*
	 * A file that keeps a target for each open file: how to set one on
	 * the fuzzed fd ("%1$d" our pid, "%2$p" and "%3$p" a page of ours and
	 * its end), and how many columns of the table read back name it.
	 */
	const char *open_target;
	int open_cols;
};

static const char *const buddy_state[] = { "allocations", "bench", NULL };

static const char *const buddy_valid[] = {
	"alloc 0", "alloc 1 count=1", "free all", "fragment 1", "bench 0 1",
	NULL
};

static const char *const buddy_repeated[] = {
	"alloc 0 count=1 count=1", "alloc 0 count=1 count=2",
	"alloc 0 api=alloc_pages api=alloc_pages", "free all all",
	"free 1 1", "bench 0 1 1", "fragment 1 1", "alloc 0 0", NULL
};

static const char *const buddy_count_slots[] = {
	"alloc 0 count=%s", "fragment %s", "bench 0 %s", NULL
};

static const char *const buddy_order_slots[] = {
	"alloc %s", "alloc %s count=1", "bench %s 1", NULL
};

static const char *const buddy_id_slots[] = { "free %s", NULL };

static const char *const slab_state[] = { "stats", "objects", "slabs", NULL };

static const char *const slab_valid[] = {
	"alloc 1", "free all", "shrink", "recreate size=64", NULL
};

static const char *const slab_repeated[] = {
	"recreate size=64 size=64", "recreate size=64 size=128",
	"recreate size=64 align=8 align=8", "recreate size=64 hwcache=0 hwcache=0",
	"alloc 1 1", "free all all", "shrink shrink", NULL
};

static const char *const slab_count_slots[] = {
	"alloc %s", "free %s", "recreate size=%s", NULL
};

static const char *const layout_state[] = {
	"vmalloc_summary", "vmalloc", NULL
};

static const char *const layout_valid[] = { "vmalloc 1", "vfree", NULL };

static const char *const layout_repeated[] = {
	"vmalloc 1 1", "vmalloc vmalloc 1", "vfree vfree", NULL
};

static const char *const layout_count_slots[] = { "vmalloc %s", NULL };

/*
 * pgwalk: no number can go into an address slot, as almost any is some
 * process's or the kernel's address, so only pids are edge numbers.
 */
static const char *const pgwalk_state[] = { "target", NULL };

static const char *const walk_valid[] = {
	"1 0x400000", "kernel 0xffffffff81000000", NULL
};

static const char *const walk_repeated[] = {
	"1 1 0x400000", "kernel kernel 0xffffffff81000000",
	"1 0x400000 0x400000", "1 0x400000 1 0x400000", NULL
};

static const char *const walk_pid_slots[] = { "%s 0x400000", NULL };

static const char *const ranges_valid[] = {
	"1", "1 0x400000 0x401000", NULL
};

static const char *const ranges_repeated[] = {
	"1 1", "1 1 1 1", "1 0x400000 0x401000 0x401000", NULL
};

static const char *const ranges_pid_slots[] = {
	"%s", "%s 0x400000 0x401000", NULL
};

static const struct fuzz_module fuzz_modules[] = {
	{ "buddy", NULL, buddy_state, buddy_valid, buddy_repeated,
	  buddy_count_slots, buddy_order_slots, buddy_id_slots },
	{ "slab", NULL, slab_state, slab_valid, slab_repeated,
	  slab_count_slots, NULL, NULL },
	{ "layout", NULL, layout_state, layout_valid, layout_repeated,
	  layout_count_slots, NULL, NULL },
	{ "pgwalk", "target", pgwalk_state, walk_valid, walk_repeated,
	  NULL, NULL, walk_pid_slots },
	/* level index entry_pa */
	{ "pgwalk", "walk", NULL, walk_valid, walk_repeated,
	  NULL, NULL, walk_pid_slots, "%1$d %2$p", 3 },
	/* start end size level */
	{ "pgwalk", "ranges", NULL, ranges_valid, ranges_repeated,
	  NULL, NULL, ranges_pid_slots, "%1$d %2$p %3$p", 4 },
};

/*
 * Invalid in every count, order and id slot above, whatever the modules
 * hold: no module holds 2^31 of anything, and 0 is never a count.
 */
static const char *const edge_numbers[] = {
	"-1", "-0", "+1", "2147483648", "4294967296", "4294967297",
	"9223372036854775808", "18446744073709551615", "18446744073709551616",
	"99999999999999999999999", "0x", "0x10000000000000000", "0x-1", "1e3",
	"1.5", "0b1", "1k", " ", "",
};

static unsigned long long rng;

static unsigned long long fuzz_rand(void)
{
	/* xorshift64*: small, and the same sequence everywhere. */
	rng ^= rng >> 12;
	rng ^= rng << 25;
	rng ^= rng >> 27;
	return rng * 0x2545f4914f6cdd1dULL;
}

static const char *pick(const char *const *list)
{
	size_t n = 0;

	while (list[n])
		n++;
	return list[fuzz_rand() % n];
}

/* Printable, no space: a word that is no key, number or verb. */
static size_t junk_word(char *buf, size_t max)
{
	size_t len = 1 + fuzz_rand() % (max - 1), i;

	buf[0] = "%#@!~^"[fuzz_rand() % 6];
	for (i = 1; i < len; i++)
		buf[i] = '!' + fuzz_rand() % ('~' - '!' + 1);
	return len;
}

/* One malformed write for the module @mod into @buf; returns its length. */
static size_t fuzz_input(const struct fuzz_module *mod, int order_past_max,
			 char *buf)
{
	char edge[32], junk[64];
	const char *const *slots;
	size_t len, i;
	int kind = fuzz_rand() % 9;

	if (!mod)
		kind = kind % 2 ? 0 : 8;
	switch (kind) {
	case 0:	/* random bytes, any length up to two pages */
		len = fuzz_rand() % (FUZZ_MAX_LEN + 1);
		for (i = 0; i < len; i++)
			buf[i] = fuzz_rand();
		return len;
	case 1:	/* a number at the edge, where a number goes */
		slots = mod->count_slots ? mod->count_slots : mod->id_slots;
		if (mod->order_slots && fuzz_rand() % 2)
			slots = mod->order_slots;
		else if (mod->id_slots && fuzz_rand() % 3 == 0)
			slots = mod->id_slots;
		if (slots == mod->order_slots && fuzz_rand() % 3 == 0)
			snprintf(edge, sizeof(edge), "%d", order_past_max);
		else if (slots == mod->count_slots && fuzz_rand() % 4 == 0)
			snprintf(edge, sizeof(edge), "0");
		else
			snprintf(edge, sizeof(edge), "%s", pick(edge_numbers));
		len = snprintf(buf, FUZZ_MAX_LEN, pick(slots), edge);
		break;
	case 2:	/* a valid command and a junk word */
		len = snprintf(buf, FUZZ_MAX_LEN, "%s%s", pick(mod->valid),
			       fuzz_rand() % 2 ? " " : "");
		len += junk_word(buf + len, sizeof(junk));
		break;
	case 3:	/* a key or an argument twice */
		len = snprintf(buf, FUZZ_MAX_LEN, "%s", pick(mod->repeated));
		break;
	case 4:	/* a NUL inside a valid command */
		len = snprintf(buf, FUZZ_MAX_LEN, "%s\n", pick(mod->valid));
		buf[fuzz_rand() % (len - 1)] = '\0';
		return len;
	case 5:	/* two lines */
		len = snprintf(buf, FUZZ_MAX_LEN, "%s\n%s", pick(mod->valid),
			       pick(mod->valid));
		break;
	case 6:	/* a valid command made one byte too long, or longer */
		len = snprintf(buf, FUZZ_MAX_LEN, "%s", pick(mod->valid));
		i = FUZZ_CMD_MAX + fuzz_rand() % 64;
		memset(buf + len, ' ', i - len);
		len = i;
		break;
	case 7:	/* a verb and junk */
		len = snprintf(buf, FUZZ_MAX_LEN, "%.*s ", 5,
			       pick(mod->valid));
		len += junk_word(buf + len, sizeof(junk));
		break;
	default: /* printable garbage of command length */
		len = 1 + fuzz_rand() % (FUZZ_CMD_MAX + 16);
		for (i = 0; i < len; i++)
			buf[i] = ' ' + fuzz_rand() % ('~' - ' ' + 1);
		return len;
	}
	/* As echo writes it, half of the time. */
	if (fuzz_rand() % 2)
		buf[len++] = '\n';
	return len;
}

/* The concatenated stable views of every module fuzz_modules knows. */
static char *read_state(void)
{
	size_t len = 0, m;
	char *all = strdup("");

	for (m = 0; m < ARRAY_SIZE(fuzz_modules) && all; m++) {
		const char *const *v;

		for (v = fuzz_modules[m].state_views; v && *v; v++) {
			char path[PATH_MAX], *text, *grown;

			snprintf(path, sizeof(path), "%s/%s/%s",
				 MEMLAB_DEBUGFS, fuzz_modules[m].dir, *v);
			text = memlab_read_file(path);
			if (!text)
				continue;	/* the module is not loaded */
			/* "%s:\n%s\n" and its NUL: four bytes more. */
			grown = realloc(all, len + strlen(path) +
					strlen(text) + 4);
			if (!grown) {
				free(text);
				free(all);
				return NULL;
			}
			all = grown;
			len += sprintf(all + len, "%s:\n%s\n", path, text);
			free(text);
		}
	}
	return all;
}

static const struct fuzz_module *module_of(const char *path)
{
	const char *base = strrchr(path, '/') + 1;
	size_t m;

	for (m = 0; m < ARRAY_SIZE(fuzz_modules); m++) {
		const struct fuzz_module *mod = &fuzz_modules[m];
		char part[64];

		snprintf(part, sizeof(part), "/%s/", mod->dir);
		if (strstr(path, part) && (!mod->file || !strcmp(base, mod->file)))
			return mod;
	}
	return NULL;
}

/* A page mapped, written and locked: its page-table entries stay put. */
static char *own_page;

/* Sets the target of the open file @fd as @mod says, on own_page. */
static int set_open_target(const struct fuzz_module *mod, int fd)
{
	char cmd[128];

	snprintf(cmd, sizeof(cmd), mod->open_target, getpid(), own_page,
		 own_page + memlab_page_size());
	return write(fd, cmd, strlen(cmd)) < 0 ? -errno : 0;
}

/*
 * The first columns of what @fd reads back: the rows that name its
 * target, without the bits the kernel may flip meanwhile (accessed, dirty,
 * page flags).  NULL with errno set if the read fails.
 */
static char *open_target_rows(const struct fuzz_module *mod, int fd)
{
	char *text = memlab_read_fd(fd), *out, *line;
	size_t len = 0;
	int col;

	out = text ? calloc(1, strlen(text) + 1) : NULL;
	for (line = text; out && line && *line;) {
		char *end = strchr(line, '\n'), *p = line;

		if (end)
			*end = '\0';
		for (col = 0; *p && col < mod->open_cols; col++) {
			size_t w = strcspn(p, " ");

			len += sprintf(out + len, "%s%.*s", col ? " " : "",
				       (int)w, p);
			p += w + strspn(p + w, " ");
		}
		out[len++] = '\n';
		line = end ? end + 1 : NULL;
	}
	free(text);
	return out;
}

static void log_input(const char *what, const char *buf, size_t len)
{
	size_t i;

	fprintf(stderr, "# %s (%zu bytes):", what, len);
	for (i = 0; i < len && i < 96; i++)
		fprintf(stderr, isprint((unsigned char)buf[i]) ? "%c" : "\\x%02x",
			(unsigned char)buf[i]);
	fprintf(stderr, "\n");
}

FIXTURE(fuzz) {
};

FIXTURE_SETUP(fuzz)
{
}

FIXTURE_TEARDOWN(fuzz)
{
}

/* Some 40,000 writes; under TCG on the debug kernel they take a while. */
TEST_F_TIMEOUT(fuzz, every_malformed_write_fails_and_changes_nothing, 600)
{
	static char paths[FUZZ_MAX_FILES][PATH_MAX];
	static char buf[FUZZ_MAX_LEN + 64];
	int nfiles, f, top = memlab_max_order();
	long total = 0, accepted = 0;

	if (geteuid() != 0)
		SKIP(return, "must be run as root");
	if (memlab_load_all() < 0)
		SKIP(return, "memlab.ko does not load");
	ASSERT_GT(top, 0);

	own_page = mmap(NULL, memlab_page_size(), PROT_READ | PROT_WRITE,
			MAP_PRIVATE | MAP_ANONYMOUS | MAP_LOCKED | MAP_POPULATE,
			-1, 0);
	ASSERT_NE(MAP_FAILED, own_page);
	memset(own_page, 1, memlab_page_size());
	nfiles = memlab_find_files(0200, paths, FUZZ_MAX_FILES);
	ASSERT_GT(nfiles, 0);
	for (f = 0; f < nfiles; f++) {
		const struct fuzz_module *mod = module_of(paths[f]);
		char *before, *after, *open_before = NULL, *open_after;
		long bad = 0;
		int i, fd;

		rng = FUZZ_SEED ^ (unsigned long long)(f + 1) << 32;
		if (!mod)
			TH_LOG("%s: no known commands, random input only",
			       paths[f]);
		before = read_state();
		ASSERT_NE(NULL, before);
		fd = open(paths[f], mod && mod->open_target ? O_RDWR : O_WRONLY);
		ASSERT_LE(0, fd) TH_LOG("%s: %s", paths[f], strerror(errno));
		if (mod && mod->open_target) {
			ASSERT_EQ(0, set_open_target(mod, fd));
			open_before = open_target_rows(mod, fd);
			ASSERT_NE(NULL, open_before);
			/* The walk or the run of own_page, not nothing. */
			ASSERT_NE(NULL, strchr(strchr(open_before, '\n') + 1,
					       '\n'));
		}
		for (i = 0; i < FUZZ_WRITES; i++) {
			size_t len = fuzz_input(mod, top + 1, buf);
			ssize_t n = write(fd, buf, len);

			if (n >= 0 && bad++ < 5)
				log_input(paths[f], buf, len);
		}
		if (open_before) {
			open_after = open_target_rows(mod, fd);
			EXPECT_STREQ(open_before, open_after ? open_after : "")
				TH_LOG("%s: the fd's target changed", paths[f]);
			free(open_before);
			free(open_after);
			open_before = NULL;
		}
		close(fd);
		after = read_state();
		ASSERT_NE(NULL, after);
		EXPECT_STREQ(before, after) TH_LOG("%s changed the state",
						   paths[f]);
		EXPECT_EQ(0, bad) TH_LOG("%s accepted %ld writes", paths[f],
					 bad);
		TH_LOG("%s: %d writes, %ld accepted", paths[f], FUZZ_WRITES,
		       bad);
		total += FUZZ_WRITES;
		accepted += bad;
		free(before);
		free(after);
	}
	TH_LOG("fuzz: %ld writes to %d control files, %ld accepted", total,
	       nfiles, accepted);
}

TEST_HARNESS_MAIN
