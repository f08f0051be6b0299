// SPDX-License-Identifier: GPL-2.0
/*
 * Every memlab control file, in both trees, rejects FUZZ_WRITES malformed
 * writes, each with an errno, and none of them changes what the modules
 * show.  The writes are random bytes of any length up to two pages, numbers
 * at the edges (0, -1, 2^31, 2^32, 2^63, 2^64, one past the highest order),
 * valid commands with junk appended, repeated keys, NUL bytes and second
 * lines inside a command, and lines just too long.  The generator has a
 * fixed seed, so a failure names an input that can be replayed.  The
 * commands it breaks come from memlab/commands, the grammar the core
 * itself parses, so a new control file is fuzzed without a copy of its
 * grammar here.
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

#include "memlab_harness.h"
#include "memlab_lib.h"

#define FUZZ_WRITES	10000
#define FUZZ_SEED	0x6d656d6c6162ULL	/* "memlab" */
#define FUZZ_MAX_LEN	(2 * 4096)
#define FUZZ_MAX_FILES	32
/* memlab.h: MEMLAB_CMD_MAX, the longest command line, newline included. */
#define FUZZ_CMD_MAX	256

/*
 * What the fuzzer knows of a module beyond its grammar: which of its views
 * hold its state, and for a file that keeps a target per open file, how to
 * set one on the fuzzed fd ("%1$d" our pid, "%2$p" and "%3$p" a page of
 * ours and its end) and how many columns of the table read back name it.
 */
struct fuzz_state {
	const char *dir;
	const char *const *views;
};

struct fuzz_open_target {
	const char *file;
	const char *target;
	int cols;
};

static const char *const buddy_state[] = { "allocations", "bench", NULL };
static const char *const slab_state[] = { "stats", "objects", "slabs", NULL };
static const char *const layout_state[] = { "vmalloc_summary", "vmalloc", NULL };
static const char *const pgwalk_state[] = { "target", NULL };

static const struct fuzz_state fuzz_states[] = {
	{ "buddy", buddy_state },
	{ "slab", slab_state },
	{ "layout", layout_state },
	{ "pgwalk", pgwalk_state },
};

static const struct fuzz_open_target fuzz_open_targets[] = {
	{ "pgwalk/walk", "%1$d %2$p", 3 },		/* level index entry_pa */
	{ "pgwalk/ranges", "%1$d %2$p %3$p", 4 },	/* start end size level */
};

/*
 * Invalid in every count, order and id slot, whatever the modules
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

/*
 * The grammar comes from memlab/commands, as the core parses it: verbs,
 * how many positional words, and the key=VALUE options.  The fuzzer only
 * knows a valid value for each kind of word, and which kinds are numbers
 * it can push past their edge.  pgwalk: no number can go into an address
 * slot, as almost any is some process's or the kernel's address, so only
 * pids are edge numbers there.
 */
enum fuzz_slot { SLOT_NONE, SLOT_COUNT, SLOT_ORDER, SLOT_ID };

static const struct fuzz_kind {
	const char *kind;
	const char *valid;
	enum fuzz_slot slot;
} fuzz_kinds[] = {
	{ "ORDER", "0", SLOT_ORDER },
	{ "COUNT", "1", SLOT_COUNT },
	{ "ITERATIONS", "1", SLOT_COUNT },
	{ "PAGES", "1", SLOT_COUNT },
	{ "SIZE", "64", SLOT_COUNT },
	{ "ID|all", "all", SLOT_ID },
	{ "COUNT|all", "all", SLOT_COUNT },
	{ "PID", "1", SLOT_ID },
	{ "PID|kernel", "1", SLOT_ID },
	{ "PID|kernel|-", "1", SLOT_ID },
	{ "ADDR", "0x400000", SLOT_NONE },
	{ "START", "0x400000", SLOT_NONE },
	{ "END", "0x401000", SLOT_NONE },
	{ "ALIGN", "8", SLOT_NONE },
	{ "0|1", "0", SLOT_NONE },
	{ "FLAGS", "kernel", SLOT_NONE },
	{ "NAME", "alloc_pages", SLOT_NONE },
	{ "low|min", "low", SLOT_NONE },
};

#define FUZZ_MAX_VERBS	8
#define FUZZ_MAX_WORDS	4

/* One verb: its words, positional first, each with its kind. */
struct fuzz_verb {
	char name[32];			/* "" for a verb without a name */
	int min_args, max_args;
	int nargs, nkeys;
	char key[FUZZ_MAX_WORDS][32];	/* "count" */
	const struct fuzz_kind *arg[FUZZ_MAX_WORDS], *val[FUZZ_MAX_WORDS];
};

/* A control file, with its grammar and what the fuzzer knows of it. */
struct fuzz_file {
	char name[64];			/* "buddy/control" */
	int nverbs;
	struct fuzz_verb verb[FUZZ_MAX_VERBS];
	const struct fuzz_open_target *open;
};

static const struct fuzz_kind *fuzz_kind(const char *kind)
{
	size_t i;

	for (i = 0; i < ARRAY_SIZE(fuzz_kinds); i++)
		if (!strcmp(fuzz_kinds[i].kind, kind))
			return &fuzz_kinds[i];
	return NULL;
}

/* "a,b,c" into its kinds; -1 if one is unknown or there are too many. */
static int fuzz_split_kinds(char *list, const struct fuzz_kind **kinds,
			    char (*keys)[32])
{
	char *word, *save, *eq;
	int n = 0;

	if (!strcmp(list, "-"))
		return 0;
	for (word = strtok_r(list, ",", &save); word;
	     word = strtok_r(NULL, ",", &save)) {
		if (n == FUZZ_MAX_WORDS)
			return -1;
		eq = keys ? strchr(word, '=') : NULL;
		if (keys) {
			if (!eq)
				return -1;
			*eq++ = '\0';
			snprintf(keys[n], sizeof(keys[n]), "%s", word);
			word = eq;
		}
		kinds[n] = fuzz_kind(word);
		if (!kinds[n++])
			return -1;
	}
	return n;
}

/*
 * Reads memlab/commands into @files; returns how many control files it
 * names, or -1 if a row is not as the core prints it.
 */
static int fuzz_read_grammar(struct fuzz_file *files, int max)
{
	char *text = memlab_read_file(MEMLAB_DEBUGFS "/commands");
	char *line, *save, file[64], verb[32], args[128], keys[128];
	int nfiles = 0, i;

	if (!text)
		return -1;
	for (line = strtok_r(text, "\n", &save); line;
	     line = strtok_r(NULL, "\n", &save)) {
		struct fuzz_file *f = NULL;
		struct fuzz_verb *v;
		int min, max_args;

		if (line[0] == '#')
			continue;
		if (sscanf(line, "%63s %31s %d %d %127s %127s", file, verb,
			   &min, &max_args, args, keys) != 6)
			goto bad;
		for (i = 0; i < nfiles; i++)
			if (!strcmp(files[i].name, file))
				f = &files[i];
		if (!f) {
			if (nfiles == max)
				goto bad;
			f = &files[nfiles++];
			memset(f, 0, sizeof(*f));
			snprintf(f->name, sizeof(f->name), "%s", file);
			for (i = 0; i < (int)ARRAY_SIZE(fuzz_open_targets); i++)
				if (!strcmp(fuzz_open_targets[i].file, file))
					f->open = &fuzz_open_targets[i];
		}
		if (f->nverbs == FUZZ_MAX_VERBS)
			goto bad;
		v = &f->verb[f->nverbs++];
		snprintf(v->name, sizeof(v->name), "%s",
			 strcmp(verb, "-") ? verb : "");
		v->min_args = min;
		v->max_args = max_args;
		v->nargs = fuzz_split_kinds(args, v->arg, NULL);
		v->nkeys = fuzz_split_kinds(keys, v->val, v->key);
		if (v->nargs < max_args || v->nkeys < 0 || min > max_args)
			goto bad;
	}
	free(text);
	return nfiles;
bad:
	fprintf(stderr, "# memlab/commands: cannot read \"%s\"\n", line);
	free(text);
	return -1;
}

/*
 * A command of @v: its name, the first @nargs positional words and every
 * key, each with a valid value, except the word numbered @edge_at (0 for
 * the first positional, nargs + i for key i), which gets @edge.  @extra
 * repeats a positional word (past max_args) or a key (@extra_key).
 */
static size_t fuzz_command(const struct fuzz_verb *v, char *buf, int nargs,
			   int edge_at, const char *edge, bool extra,
			   int extra_key)
{
	size_t len = snprintf(buf, FUZZ_CMD_MAX * 2, "%s", v->name);
	int i;

	for (i = 0; i < nargs; i++)
		len += sprintf(buf + len, "%s%s", len ? " " : "",
			       i == edge_at ? edge : v->arg[i]->valid);
	if (extra && extra_key < 0)
		len += sprintf(buf + len, "%s%s", len ? " " : "",
			       nargs ? v->arg[nargs - 1]->valid : v->name);
	for (i = 0; i < v->nkeys; i++)
		len += sprintf(buf + len, " %s=%s", v->key[i],
			       nargs + i == edge_at ? edge : v->val[i]->valid);
	if (extra && extra_key >= 0)
		len += sprintf(buf + len, " %s=%s", v->key[extra_key],
			       v->val[extra_key]->valid);
	return len;
}

static const struct fuzz_verb *fuzz_pick_verb(const struct fuzz_file *f)
{
	return &f->verb[fuzz_rand() % f->nverbs];
}

/* A valid command of @f, with its optional words half of the time. */
static size_t fuzz_valid(const struct fuzz_file *f, char *buf)
{
	const struct fuzz_verb *v = fuzz_pick_verb(f);

	return fuzz_command(v, buf, fuzz_rand() % 2 ? v->max_args : v->min_args,
			    -1, NULL, false, -1);
}

/* An edge number for a word of @kind; NULL where none can go. */
static const char *fuzz_edge(const struct fuzz_kind *kind, int order_past_max,
			     char *edge, size_t size)
{
	switch (kind->slot) {
	case SLOT_ORDER:
		if (fuzz_rand() % 3 == 0) {
			snprintf(edge, size, "%d", order_past_max);
			return edge;
		}
		break;
	case SLOT_COUNT:
		if (fuzz_rand() % 4 == 0)
			return "0";
		break;
	case SLOT_ID:
		break;
	default:
		return NULL;
	}
	return pick(edge_numbers);
}

/*
 * A valid command of @f with an edge number in one of its number words,
 * or 0 if it has none.
 */
static size_t fuzz_edge_command(const struct fuzz_file *f, int order_past_max,
				char *buf)
{
	const struct fuzz_verb *v = fuzz_pick_verb(f);
	int words = v->min_args + v->nkeys, tries, at;
	char edge[32];
	const char *e;

	for (tries = 0; words && tries < 8; tries++) {
		at = fuzz_rand() % words;
		e = fuzz_edge(at < v->min_args ? v->arg[at] :
			      v->val[at - v->min_args], order_past_max,
			      edge, sizeof(edge));
		if (e)
			return fuzz_command(v, buf, v->min_args, at, e, false,
					    -1);
	}
	return 0;
}

/* A valid command with a positional word too many, or a key twice. */
static size_t fuzz_repeated(const struct fuzz_file *f, char *buf)
{
	const struct fuzz_verb *v = fuzz_pick_verb(f);
	int key = v->nkeys && fuzz_rand() % 2 ? (int)(fuzz_rand() % v->nkeys) :
						  -1;

	return fuzz_command(v, buf, key < 0 ? v->max_args : v->min_args, -1,
			    NULL, true, key);
}

/* One malformed write for the file @f into @buf; returns its length. */
static size_t fuzz_input(const struct fuzz_file *f, int order_past_max,
			 char *buf)
{
	char junk[64];
	size_t len, i;
	int kind = fuzz_rand() % 9;

	if (!f)
		kind = kind % 2 ? 0 : 8;
	switch (kind) {
	case 0:	/* random bytes, any length up to two pages */
		len = fuzz_rand() % (FUZZ_MAX_LEN + 1);
		for (i = 0; i < len; i++)
			buf[i] = fuzz_rand();
		return len;
	case 1:	/* a number at the edge, where a number goes */
		len = fuzz_edge_command(f, order_past_max, buf);
		if (!len)
			len = fuzz_repeated(f, buf);
		break;
	case 2:	/* a valid command and a junk word */
		len = fuzz_valid(f, buf);
		if (fuzz_rand() % 2)
			buf[len++] = ' ';
		len += junk_word(buf + len, sizeof(junk));
		break;
	case 3:	/* a key or an argument twice */
		len = fuzz_repeated(f, buf);
		break;
	case 4:	/* a NUL inside a valid command */
		len = fuzz_valid(f, buf);
		buf[len++] = '\n';
		buf[fuzz_rand() % (len - 1)] = '\0';
		return len;
	case 5:	/* two lines */
		len = fuzz_valid(f, buf);
		buf[len++] = '\n';
		len += fuzz_valid(f, buf + len);
		break;
	case 6:	/* a valid command made one byte too long, or longer */
		len = fuzz_valid(f, buf);
		i = FUZZ_CMD_MAX + fuzz_rand() % 64;
		memset(buf + len, ' ', i - len);
		len = i;
		break;
	case 7:	/* a verb and junk */
		len = fuzz_valid(f, buf);
		if (len > 5)
			len = 5;
		buf[len++] = ' ';
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

/* The concatenated stable views of every module fuzz_states knows. */
static char *read_state(void)
{
	size_t len = 0, m;
	char *all = strdup("");

	for (m = 0; m < ARRAY_SIZE(fuzz_states) && all; m++) {
		const char *const *v;

		for (v = fuzz_states[m].views; v && *v; v++) {
			char path[PATH_MAX], *text, *grown;

			snprintf(path, sizeof(path), "%s/%s/%s",
				 MEMLAB_DEBUGFS, fuzz_states[m].dir, *v);
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

/* The grammar of the control file at @path, a debugfs or procfs path. */
static const struct fuzz_file *file_of(const struct fuzz_file *files, int n,
				       const char *path)
{
	size_t plen = strlen(path);
	int i;

	for (i = 0; i < n; i++) {
		size_t flen = strlen(files[i].name);

		if (plen > flen && path[plen - flen - 1] == '/' &&
		    !strcmp(path + plen - flen, files[i].name))
			return &files[i];
	}
	return NULL;
}

/* A page mapped, written and locked: its page-table entries stay put. */
static char *own_page;

/* Sets the target of the open file @fd as @open says, on own_page. */
static int set_open_target(const struct fuzz_open_target *open, int fd)
{
	char cmd[128];

	snprintf(cmd, sizeof(cmd), open->target, getpid(), own_page,
		 own_page + memlab_page_size());
	return write(fd, cmd, strlen(cmd)) < 0 ? -errno : 0;
}

/*
 * The first columns of what @fd reads back: the rows that name its
 * target, without the bits the kernel may flip meanwhile (accessed, dirty,
 * page flags).  NULL with errno set if the read fails.
 */
static char *open_target_rows(const struct fuzz_open_target *open, int fd)
{
	char *text = memlab_read_fd(fd), *out, *line;
	size_t len = 0;
	int col;

	out = text ? calloc(1, strlen(text) + 1) : NULL;
	for (line = text; out && line && *line;) {
		char *end = strchr(line, '\n'), *p = line;

		if (end)
			*end = '\0';
		for (col = 0; *p && col < open->cols; col++) {
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
	static struct fuzz_file grammar[FUZZ_MAX_FILES];
	static char buf[FUZZ_MAX_LEN + 64];
	int nfiles, ngrammar, f, top = memlab_max_order();
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
	ngrammar = fuzz_read_grammar(grammar, FUZZ_MAX_FILES);
	ASSERT_GT(ngrammar, 0);
	nfiles = memlab_find_files(0200, paths, FUZZ_MAX_FILES);
	ASSERT_GT(nfiles, 0);
	for (f = 0; f < nfiles; f++) {
		const struct fuzz_file *gf = file_of(grammar, ngrammar, paths[f]);
		char *before, *after, *open_before = NULL, *open_after;
		long bad = 0;
		int i, fd;

		rng = FUZZ_SEED ^ (unsigned long long)(f + 1) << 32;
		/* Every writable file has a grammar the core parses. */
		EXPECT_NE(NULL, gf)
			TH_LOG("%s: not in memlab/commands", paths[f]);
		before = read_state();
		ASSERT_NE(NULL, before);
		fd = open(paths[f], gf && gf->open ? O_RDWR : O_WRONLY);
		ASSERT_LE(0, fd) TH_LOG("%s: %s", paths[f], strerror(errno));
		if (gf && gf->open) {
			ASSERT_EQ(0, set_open_target(gf->open, fd));
			open_before = open_target_rows(gf->open, fd);
			ASSERT_NE(NULL, open_before);
			/* The walk or the run of own_page, not nothing. */
			ASSERT_NE(NULL, strchr(strchr(open_before, '\n') + 1,
					       '\n'));
		}
		for (i = 0; i < FUZZ_WRITES; i++) {
			size_t len = fuzz_input(gf, top + 1, buf);
			ssize_t n = write(fd, buf, len);

			if (n >= 0 && bad++ < 5)
				log_input(paths[f], buf, len);
		}
		if (open_before) {
			open_after = open_target_rows(gf->open, fd);
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
