// SPDX-License-Identifier: GPL-2.0
/*
 * memlab_buddy's views and commands, and three pictures of the buddy
 * allocator: each zone's free blocks by order, the same before and after
 * a fragment run, and each held block beside its buddy, above the block
 * of the next order the two would form.  The pressure run's timeline is
 * pressure.c's; events and timeline are recorder.c's, shared with slab.
 *
 * The tool checks what a line looks like (ORDER is a number, a key is one
 * alloc takes); whether the kernel can do it (ORDER up to max_order, a
 * count within the caps, a GFP set some zone can serve) is the module's
 * to say, so that the answer is the kernel's own errno.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "memlab.h"

#define ML_BUDDY_CONTROL	"buddy/control"
#define ML_BUDDY_ALLOCATIONS	"buddy/allocations"
#define ML_BUDDY_FREEAREA	"buddy/freearea"
#define ML_BUDDY_PRESSURE	"buddy/pressure"

/* Two orders of magnitude between the counts: a linear bar hides the small. */
#define ML_BUDDY_LOG_RATIO	100

#define ml_buddy_usage(...)	ml_usage_error(&ml_buddy_commands[0], __VA_ARGS__)

/* Rows [@first, @first + @n) of @v: a view of their own, on @v's text. */
static struct ml_view ml_buddy_rows(const struct ml_view *v, size_t first, size_t n)
{
	struct ml_view part = *v;

	part.cells = v->cells + first * v->ncols;
	part.nrows = n;
	return part;
}

/* argv joined by blanks: the subcommand's words are the module's command. */
static char *ml_buddy_join(int argc, char **argv)
{
	size_t len = 1;
	char *words;
	int i;

	for (i = 0; i < argc; i++)
		len += strlen(argv[i]) + 1;
	words = calloc(1, len);
	for (i = 0; words && i < argc; i++) {
		if (i)
			strcat(words, " ");
		strcat(words, argv[i]);
	}
	return words;
}

static int ml_buddy_control(int argc, char **argv)
{
	char *words = ml_buddy_join(argc, argv);
	int ret;

	if (!words)
		return ml_error(ML_EXIT_REFUSED, "out of memory");
	ret = ml_control(ML_BUDDY_CONTROL, words);
	if (ret)
		ret = ml_file_error(ML_BUDDY_CONTROL, words, ret);
	free(words);
	return ret;
}

static int ml_buddy_cmd_show(int argc, char **argv)
{
	if (argc != 1)
		return ml_buddy_usage("show takes no argument: %s", argv[1]);
	return ml_show(ML_BUDDY_ALLOCATIONS);
}

/* The largest id in the allocations table, 0 if it has none; -1 on error. */
static int ml_buddy_last_id(const struct ml_view *v, uint64_t *last)
{
	int col = ml_need_col(v, "id");
	uint64_t id;
	size_t row;

	if (col < 0)
		return -1;
	*last = 0;
	for (row = 0; row < v->nrows; row++) {
		if (ml_number(ml_cell(v, row, col), &id) && id > *last)
			*last = id;
	}
	return 0;
}

/* Which of @keys ("count=", NULL-terminated) @word sets, or -1. */
static int ml_buddy_key(const char *word, const char *const *keys)
{
	int k;

	for (k = 0; keys[k]; k++) {
		if (!strncmp(word, keys[k], strlen(keys[k])))
			return k;
	}
	return -1;
}

/*
 * alloc ORDER [count=N] [gfp=F|F...] [api=NAME], then the rows it added:
 * ids only grow and the table lists them in order, so the new rows are
 * the ones past the largest id seen before.
 */
static int ml_buddy_cmd_alloc(int argc, char **argv)
{
	static const char *const keys[] = { "count=", "gfp=", "api=", NULL };
	struct ml_view before, after, added;
	uint64_t val, last;
	int i, k, ret, col;
	size_t row;

	if (argc < 2)
		return ml_buddy_usage("alloc needs an ORDER");
	if (!ml_number(argv[1], &val))
		return ml_buddy_usage("alloc: ORDER is a number, not %s", argv[1]);
	for (i = 2; i < argc; i++) {
		k = ml_buddy_key(argv[i], keys);
		if (k < 0)
			return ml_buddy_usage("alloc takes count=, gfp= and api=, not %s",
					      argv[i]);
		if (k == 0 && !ml_number(argv[i] + strlen(keys[0]), &val))
			return ml_buddy_usage("alloc: count= is a number, not %s", argv[i]);
	}

	ret = ml_read(&before, ML_BUDDY_ALLOCATIONS);
	if (ret)
		return ret;
	ret = ml_buddy_last_id(&before, &last) ? ML_EXIT_REFUSED : ML_EXIT_OK;
	ml_view_free(&before);
	if (ret)
		return ret;
	ret = ml_buddy_control(argc, argv);
	if (ret)
		return ret;
	ret = ml_read(&after, ML_BUDDY_ALLOCATIONS);
	if (ret)
		return ret;
	col = ml_col(&after, "id");
	for (row = 0; row < after.nrows; row++) {
		if (ml_number(ml_cell(&after, row, col), &val) && val > last)
			break;
	}
	added = ml_buddy_rows(&after, row, after.nrows - row);
	ret = ml_print_status(&added);
	ml_view_free(&after);
	return ret;
}

/* free ID | free all, then what is still held. */
static int ml_buddy_cmd_free(int argc, char **argv)
{
	uint64_t id;
	int ret;

	if (argc != 2)
		return ml_buddy_usage("free needs one ID or all");
	if (strcmp(argv[1], "all") && !ml_number(argv[1], &id))
		return ml_buddy_usage("free: ID is a number or all, not %s", argv[1]);
	ret = ml_buddy_control(argc, argv);
	return ret ? ret : ml_show(ML_BUDDY_ALLOCATIONS);
}

/*
 * freearea, per zone: one count per order, from the zone's "all" row
 * (nr_free, as /proc/buddyinfo has it) where the view has one, else the
 * sum of its migrate types.
 */
struct ml_buddy_free {
	size_t nzones, norders;
	uint64_t *order;		/* the orders, from the header */
	const char **node, **zone;	/* in the view's text */
	uint64_t *count;		/* nzones * norders */
	bool *more;			/* ">N": the walk stopped at N */
	bool *has_all;
};

static void ml_buddy_free_release(struct ml_buddy_free *f)
{
	free(f->order);
	free(f->node);
	free(f->zone);
	free(f->count);
	free(f->more);
	free(f->has_all);
	memset(f, 0, sizeof(*f));
}

/* A free-list count; ">100000" is a list longer than the walk goes. */
static bool ml_buddy_count(const char *cell, uint64_t *val, bool *more)
{
	*more = cell && *cell == '>';
	return ml_number(*more ? cell + 1 : cell, val);
}

static size_t ml_buddy_zone_of(struct ml_buddy_free *f, const char *node, const char *zone)
{
	size_t z;

	for (z = 0; z < f->nzones; z++) {
		if (!strcmp(f->node[z], node) && !strcmp(f->zone[z], zone))
			return z;
	}
	f->node[z] = node;
	f->zone[z] = zone;
	f->nzones++;
	return z;
}

/* 0, or an exit status with the reason said. */
static int ml_buddy_free_parse(const struct ml_view *v, struct ml_buddy_free *f)
{
	int cnode, czone, ctype, *ocol = NULL;
	const char *node, *zone, *type, *cell;
	size_t i, k, z, row, rows = v->nrows ? v->nrows : 1;
	int status = ML_EXIT_REFUSED;
	uint64_t val;
	bool more;

	memset(f, 0, sizeof(*f));
	cnode = ml_need_col(v, "node");
	czone = cnode < 0 ? -1 : ml_need_col(v, "zone");
	ctype = czone < 0 ? -1 : ml_need_col(v, "type");
	if (ctype < 0)
		return ML_EXIT_REFUSED;
	/* The order columns are the ones named by a number. */
	ocol = calloc(v->ncols + 1, sizeof(*ocol));
	f->order = calloc(v->ncols + 1, sizeof(*f->order));
	f->node = calloc(rows, sizeof(*f->node));
	f->zone = calloc(rows, sizeof(*f->zone));
	f->has_all = calloc(rows, sizeof(*f->has_all));
	f->count = calloc(rows * (v->ncols + 1), sizeof(*f->count));
	f->more = calloc(rows * (v->ncols + 1), sizeof(*f->more));
	if (!ocol || !f->order || !f->node || !f->zone || !f->has_all || !f->count ||
	    !f->more) {
		ml_error(ML_EXIT_REFUSED, "out of memory");
		goto out;
	}
	for (i = 0; i < v->ncols; i++) {
		if (ml_number(v->cols[i], &f->order[f->norders]))
			ocol[f->norders++] = i;
	}
	if (!f->norders) {
		ml_error(ML_EXIT_REFUSED, "%s has no column per order", v->name);
		goto out;
	}
	for (row = 0; row < v->nrows; row++) {
		node = ml_cell(v, row, cnode);
		zone = ml_cell(v, row, czone);
		type = ml_cell(v, row, ctype);
		if (!node || !zone || !type)
			continue;
		z = ml_buddy_zone_of(f, node, zone);
		/* The all row wins over the sum, whether it comes first or last. */
		if (f->has_all[z] && strcmp(type, "all"))
			continue;
		if (!f->has_all[z] && !strcmp(type, "all")) {
			f->has_all[z] = true;
			memset(f->count + z * f->norders, 0, f->norders * sizeof(*f->count));
		}
		for (k = 0; k < f->norders; k++) {
			cell = ml_cell(v, row, ocol[k]);
			if (!ml_buddy_count(cell, &val, &more)) {
				ml_error(ML_EXIT_REFUSED,
					 "%s: row %zu: %s is not a count in column %s",
					 v->name, row + 1, cell ? cell : "nothing",
					 v->cols[ocol[k]]);
				goto out;
			}
			f->count[z * f->norders + k] += val;
			f->more[z * f->norders + k] |= more;
		}
	}
	status = ML_EXIT_OK;
out:
	free(ocol);
	if (status)
		ml_buddy_free_release(f);
	return status;
}

/* One series of bars: a zone's counts, before or after, or alone. */
struct ml_buddy_series {
	const char *label;
	const uint64_t *count;
	const bool *more;
	char ch;
	const char *sgr;
};

static void ml_buddy_count_str(char *buf, size_t size, uint64_t val, bool more)
{
	snprintf(buf, size, "%s%llu", more ? ">" : "", (unsigned long long)val);
}

/* Free pages in a series: each block is 2^order of them. */
static uint64_t ml_buddy_pages(const struct ml_buddy_free *f, const struct ml_buddy_series *s,
			       bool *more)
{
	uint64_t pages = 0;
	size_t k;

	*more = false;
	for (k = 0; k < f->norders; k++) {
		pages += s->count[k] << f->order[k];
		*more |= s->more[k];
	}
	return pages;
}

/*
 * One zone's bars, one row per order and series: "order  3 before   45 |===".
 * Every series of the zone shares one scale, so that bars compare.
 */
static int ml_buddy_zone_chart(const struct ml_buddy_free *f, size_t z,
			       const struct ml_buddy_series *s, size_t ns)
{
	int width = ml_term_width(), ow = 1, cw = 1, lw = 0, bar;
	uint64_t *vals, top = 0, pages;
	char num[32];
	size_t i, k;
	bool log, more;

	vals = calloc(f->norders * ns, sizeof(*vals));
	if (!vals)
		return ml_error(ML_EXIT_REFUSED, "out of memory");
	for (i = 0; i < ns; i++) {
		if ((int)strlen(s[i].label) > lw)
			lw = strlen(s[i].label);
		for (k = 0; k < f->norders; k++) {
			vals[i * f->norders + k] = s[i].count[k];
			if (s[i].count[k] > top)
				top = s[i].count[k];
			ml_buddy_count_str(num, sizeof(num), s[i].count[k], s[i].more[k]);
			if ((int)strlen(num) > cw)
				cw = strlen(num);
			snprintf(num, sizeof(num), "%llu", (unsigned long long)f->order[k]);
			if ((int)strlen(num) > ow)
				ow = strlen(num);
		}
	}
	log = ml_wants_log(vals, f->norders * ns, ML_BUDDY_LOG_RATIO);
	free(vals);

	ml_say(width, "node %s %s: free blocks per order%s", f->node[z], f->zone[z],
	       log ? ", log scale" : "");
	/* "order ", the order, a blank, the label and a blank, the count, " |". */
	bar = width - (6 + ow + 1 + (lw ? lw + 1 : 0) + cw + 2);
	for (k = 0; k < f->norders; k++) {
		for (i = 0; i < ns; i++) {
			if (i)
				printf("%*s", 6 + ow + 1, "");
			else
				printf("order %*llu ", ow, (unsigned long long)f->order[k]);
			if (lw)
				printf("%-*s ", lw, s[i].label);
			ml_buddy_count_str(num, sizeof(num), s[i].count[k], s[i].more[k]);
			printf("%*s |", cw, num);
			ml_bar(stdout, ml_bar_len(s[i].count[k], top, bar, log), s[i].ch, s[i].sgr);
			putchar('\n');
		}
	}
	for (i = 0; i < ns; i++) {
		pages = ml_buddy_pages(f, &s[i], &more);
		snprintf(num, sizeof(num), "%s%s:", lw ? " " : "", s[i].label);
		printf("  free pages%-*s %s%llu\n", lw + (lw ? 2 : 1), num, more ? ">" : "",
		       (unsigned long long)pages);
	}
	putchar('\n');
	return ML_EXIT_OK;
}

static int ml_buddy_freearea_chart(const struct ml_view *v)
{
	struct ml_buddy_series s = { .label = "", .ch = '#', .sgr = "36" };
	struct ml_buddy_free f;
	int ret;
	size_t z;

	ret = ml_buddy_free_parse(v, &f);
	if (ret)
		return ret;
	for (z = 0; !ret && z < f.nzones; z++) {
		s.count = f.count + z * f.norders;
		s.more = f.more + z * f.norders;
		ret = ml_buddy_zone_chart(&f, z, &s, 1);
	}
	ml_buddy_free_release(&f);
	return ret;
}

static int ml_buddy_cmd_freearea(int argc, char **argv)
{
	bool chart = ml_take_flag(&argc, argv, "--chart");

	if (argc != 1)
		return ml_buddy_usage("freearea takes only --chart, not %s", argv[1]);
	return ml_show_chart(ML_BUDDY_FREEAREA, chart ? ml_buddy_freearea_chart : NULL);
}

/* Each zone of @after beside the same zone @before, two bars an order. */
static int ml_buddy_fragment_chart(const struct ml_buddy_free *before,
				   const struct ml_buddy_free *after, const char *count)
{
	struct ml_buddy_series s[2] = {
		{ .label = "before", .ch = '=', .sgr = "2" },
		{ .label = "after", .ch = '#', .sgr = "33" },
	};
	uint64_t *none;
	bool *nomore;
	int ret = ML_EXIT_OK;
	size_t z, b;

	if (before->norders != after->norders)
		return ml_error(ML_EXIT_REFUSED, "%s changed its orders during fragment",
				ML_BUDDY_FREEAREA);
	none = calloc(after->norders, sizeof(*none));
	nomore = calloc(after->norders, sizeof(*nomore));
	if (!none || !nomore) {
		ret = ml_error(ML_EXIT_REFUSED, "out of memory");
		goto out;
	}
	ml_say(ml_term_width(), "free blocks per order, = before fragment %s, # after it",
	       count);
	for (z = 0; !ret && z < after->nzones; z++) {
		s[0].count = none;
		s[0].more = nomore;
		for (b = 0; b < before->nzones; b++) {
			if (!strcmp(before->node[b], after->node[z]) &&
			    !strcmp(before->zone[b], after->zone[z])) {
				s[0].count = before->count + b * before->norders;
				s[0].more = before->more + b * before->norders;
			}
		}
		s[1].count = after->count + z * after->norders;
		s[1].more = after->more + z * after->norders;
		ret = ml_buddy_zone_chart(after, z, s, 2);
	}
out:
	free(none);
	free(nomore);
	return ret;
}

/* fragment COUNT [--chart]: freearea after it, or drawn before and after. */
static int ml_buddy_cmd_fragment(int argc, char **argv)
{
	bool chart = ml_take_flag(&argc, argv, "--chart") && !ml_opt.json;
	struct ml_buddy_free fb, fa;
	struct ml_view before, after;
	uint64_t count;
	int ret;

	if (argc != 2)
		return ml_buddy_usage("fragment needs one COUNT");
	if (!ml_number(argv[1], &count))
		return ml_buddy_usage("fragment: COUNT is a number, not %s", argv[1]);
	if (!chart) {
		ret = ml_buddy_control(argc, argv);
		return ret ? ret : ml_show(ML_BUDDY_FREEAREA);
	}
	ret = ml_read(&before, ML_BUDDY_FREEAREA);
	if (ret)
		return ret;
	ret = ml_buddy_free_parse(&before, &fb);
	if (ret)
		goto out_before;
	ret = ml_buddy_control(argc, argv);
	if (ret)
		goto out_fb;
	ret = ml_read(&after, ML_BUDDY_FREEAREA);
	if (ret)
		goto out_fb;
	ret = ml_buddy_free_parse(&after, &fa);
	if (ret)
		goto out_after;
	ret = ml_buddy_fragment_chart(&fb, &fa, argv[1]);
	ml_buddy_free_release(&fa);
out_after:
	ml_view_free(&after);
out_fb:
	ml_buddy_free_release(&fb);
out_before:
	ml_view_free(&before);
	return ret;
}

/* "[text   ]" in @inner columns, painted @sgr; @buf holds @inner + 1. */
static void ml_buddy_box(char *buf, int inner, const char *text, const char *sgr)
{
	snprintf(buf, inner + 1, "%-*s", inner, text);
	putchar('[');
	ml_paint(stdout, sgr, buf);
	putchar(']');
}

struct ml_buddy_pair {
	uint64_t id, order, pfn, buddy;
	const char *free, *buddy_order, *aligned;
};

/* What the buddy is, in a few words, and its colour. */
static const char *ml_buddy_state(const struct ml_buddy_pair *p, char *buf, size_t size)
{
	if (!strcmp(p->free, "yes")) {
		snprintf(buf, size, "free o%s", p->buddy_order);
		return "36";
	}
	snprintf(buf, size, "%s", !strcmp(p->free, "no") ? "in use" : "not in the zone");
	return !strcmp(p->free, "no") ? "31" : "2";
}

/*
 * Whether the pair forms the block of order + 1, and why not; *@block is
 * false when there is no such block to name.
 */
static const char *ml_buddy_verdict(const struct ml_buddy_pair *p, const char *max_order,
				    char *buf, size_t size, bool *block)
{
	uint64_t max, bo;

	*block = false;
	if (ml_number(max_order, &max) && p->order >= max) {
		snprintf(buf, size, "no o%llu: o%llu is the largest order",
			 (unsigned long long)p->order + 1, (unsigned long long)max);
		return "2";
	}
	if (p->aligned && strcmp(p->aligned, "yes")) {
		snprintf(buf, size, "not aligned to its size: no buddy");
		return "31";
	}
	*block = true;
	if (!strcmp(p->free, "yes") && ml_number(p->buddy_order, &bo)) {
		if (bo == p->order) {
			snprintf(buf, size, "o%llu: forms when ours is freed",
				 (unsigned long long)p->order + 1);
			return "32";
		}
		snprintf(buf, size, "o%llu: cannot form, buddy free only at o%llu",
			 (unsigned long long)p->order + 1, (unsigned long long)bo);
		return "33";
	}
	if (!strcmp(p->free, "no")) {
		snprintf(buf, size, "o%llu: cannot form, buddy in use",
			 (unsigned long long)p->order + 1);
		return "33";
	}
	snprintf(buf, size, "o%llu: never, buddy outside the zone",
		 (unsigned long long)p->order + 1);
	return "2";
}

static void ml_buddy_range(char *buf, size_t size, uint64_t pfn, uint64_t pages)
{
	snprintf(buf, size, "0x%llx-0x%llx", (unsigned long long)pfn,
		 (unsigned long long)(pfn + pages - 1));
}

/*
 * A held block and its buddy, lower PFN on the left, two boxes of one
 * width since buddies are of one size; beneath, the box of both.  When a
 * box's text does not fit on one line, ranges and states take two.
 */
static void ml_buddy_draw_pair(const struct ml_buddy_pair *p, const char *max_order,
			       char *buf, int inner)
{
	char ours[96], theirs[96], ostate[48], bstate[48], merged[96], verdict[96];
	const char *osgr = "32", *bsgr, *msgr, *ltext, *rtext, *lsgr, *rsgr;
	uint64_t pages = 1ULL << p->order;
	bool left_ours = p->pfn <= p->buddy, block;
	int both = 2 * inner + 2;

	bsgr = ml_buddy_state(p, bstate, sizeof(bstate));
	snprintf(ostate, sizeof(ostate), "ours id %llu", (unsigned long long)p->id);
	msgr = ml_buddy_verdict(p, max_order, verdict, sizeof(verdict), &block);
	ml_buddy_range(ours, sizeof(ours), p->pfn, pages);
	ml_buddy_range(theirs, sizeof(theirs), p->buddy, pages);
	ml_buddy_range(merged, sizeof(merged), p->pfn & ~pages, 2 * pages);
	lsgr = left_ours ? osgr : bsgr;
	rsgr = left_ours ? bsgr : osgr;

	if ((int)(strlen(ours) + 1 + strlen(ostate)) <= inner &&
	    (int)(strlen(theirs) + 1 + strlen(bstate)) <= inner) {
		char l[160], r[160];

		snprintf(l, sizeof(l), "%s %s", left_ours ? ours : theirs,
			 left_ours ? ostate : bstate);
		snprintf(r, sizeof(r), "%s %s", left_ours ? theirs : ours,
			 left_ours ? bstate : ostate);
		ml_buddy_box(buf, inner, l, lsgr);
		ml_buddy_box(buf, inner, r, rsgr);
		putchar('\n');
	} else {
		ltext = left_ours ? ours : theirs;
		rtext = left_ours ? theirs : ours;
		ml_buddy_box(buf, inner, ltext, lsgr);
		ml_buddy_box(buf, inner, rtext, rsgr);
		putchar('\n');
		ml_buddy_box(buf, inner, left_ours ? ostate : bstate, lsgr);
		ml_buddy_box(buf, inner, left_ours ? bstate : ostate, rsgr);
		putchar('\n');
	}
	if (!block) {
		ml_buddy_box(buf, both, verdict, msgr);
	} else if ((int)(strlen(merged) + 1 + strlen(verdict)) <= both) {
		char m[200];

		snprintf(m, sizeof(m), "%s %s", merged, verdict);
		ml_buddy_box(buf, both, m, msgr);
	} else {
		ml_buddy_box(buf, both, merged, msgr);
		putchar('\n');
		ml_buddy_box(buf, both, verdict, msgr);
	}
	fputs("\n\n", stdout);
}

static int ml_buddy_buddies_chart(const struct ml_view *v)
{
	static const char *const names[] = {
		"id", "order", "pfn", "buddy_pfn", "buddy_free", "buddy_order",
	};
	int width = ml_term_width(), inner = (width - 4) / 2, col[6];
	const char *max_order = ml_version("max_order");
	struct ml_buddy_pair p;
	size_t i, row;
	char *buf;

	for (i = 0; i < 6; i++) {
		col[i] = ml_need_col(v, names[i]);
		if (col[i] < 0)
			return ML_EXIT_REFUSED;
	}
	buf = malloc(width + 1);
	if (!buf)
		return ml_error(ML_EXIT_REFUSED, "out of memory");
	ml_say(width, "%s %s",
	       "each held block (ours) beside its buddy, lower PFN on the left;",
	       "beneath them the block of the next order the two would form");
	putchar('\n');
	for (row = 0; row < v->nrows; row++) {
		p.free = ml_cell(v, row, col[4]);
		p.buddy_order = ml_cell(v, row, col[5]);
		p.aligned = ml_get(v, row, "aligned");
		if (!ml_number(ml_cell(v, row, col[0]), &p.id) ||
		    !ml_number(ml_cell(v, row, col[1]), &p.order) || p.order > 62 ||
		    !ml_number(ml_cell(v, row, col[2]), &p.pfn) ||
		    !ml_number(ml_cell(v, row, col[3]), &p.buddy) || !p.free || !p.buddy_order) {
			free(buf);
			return ml_error(ML_EXIT_REFUSED,
					"%s: row %zu is not id order pfn buddy_pfn ...",
					v->name, row + 1);
		}
		ml_buddy_draw_pair(&p, max_order, buf, inner);
	}
	if (!v->nrows)
		printf("no block is held: memlab buddy alloc ORDER holds one\n");
	free(buf);
	return ML_EXIT_OK;
}

static int ml_buddy_cmd_buddies(int argc, char **argv)
{
	bool chart = ml_take_flag(&argc, argv, "--chart");

	if (argc != 1)
		return ml_buddy_usage("buddies takes only --chart, not %s", argv[1]);
	return ml_show_chart("buddy/buddies", chart ? ml_buddy_buddies_chart : NULL);
}

/* bench ORDER ITERATIONS, then that order's row; bench alone, every row. */
static int ml_buddy_cmd_bench(int argc, char **argv)
{
	struct ml_view v, one;
	uint64_t order, n, val;
	size_t row;
	int ret, col;

	if (argc == 1)
		return ml_show("buddy/bench");
	if (argc != 3)
		return ml_buddy_usage("bench needs ORDER and ITERATIONS");
	if (!ml_number(argv[1], &order) || !ml_number(argv[2], &n))
		return ml_buddy_usage("bench: ORDER and ITERATIONS are numbers");
	ret = ml_buddy_control(argc, argv);
	if (ret)
		return ret;
	ret = ml_read(&v, "buddy/bench");
	if (ret)
		return ret;
	col = ml_need_col(&v, "order");
	if (col < 0) {
		ml_view_free(&v);
		return ML_EXIT_REFUSED;
	}
	for (row = 0; row < v.nrows; row++) {
		if (ml_number(ml_cell(&v, row, col), &val) && val == order)
			break;
	}
	one = row < v.nrows ? ml_buddy_rows(&v, row, 1) : v;
	ret = ml_print_status(&one);
	ml_view_free(&v);
	return ret;
}

/*
 * pressure [ORDER [zone=Z] [until=low|min] [gfp=F|...]] [--chart]: the
 * last run, after starting one when ORDER is given.  Its blocks stay held
 * until free all: a run while they are held is the module's EBUSY.
 */
static int ml_buddy_cmd_pressure(int argc, char **argv)
{
	static const char *const keys[] = { "zone=", "until=", "gfp=", NULL };
	bool chart = ml_take_flag(&argc, argv, "--chart");
	uint64_t order;
	int i, ret;

	if (argc > 1 && !ml_number(argv[1], &order))
		return ml_buddy_usage("pressure: ORDER is a number, not %s", argv[1]);
	for (i = 2; i < argc; i++) {
		if (ml_buddy_key(argv[i], keys) < 0)
			return ml_buddy_usage("pressure takes zone=, until= and gfp=, not %s",
					      argv[i]);
	}
	if (argc > 1) {
		ret = ml_buddy_control(argc, argv);
		if (ret)
			return ret;
	}
	return ml_show_chart(ML_BUDDY_PRESSURE, chart ? ml_pressure_chart : NULL);
}

/* What each command that allocates cost the kernel, in vmstat's counters. */
static int ml_buddy_cmd_events(int argc, char **argv)
{
	return ml_recorder_events(&ml_buddy_commands[0], "buddy", argc, argv);
}

/*
 * timeline [--id N]: what the allocator did for each command, or for
 * command N alone, its rows wherever they stand in the view.
 */
static int ml_buddy_cmd_timeline(int argc, char **argv)
{
	return ml_recorder_timeline(&ml_buddy_commands[0], "buddy", argc, argv);
}

/* The pageblocks by migrate type, with their free pages by order. */
static int ml_buddy_cmd_pageblocks(int argc, char **argv)
{
	if (argc != 1)
		return ml_buddy_usage("pageblocks takes no argument: %s", argv[1]);
	return ml_show("layout/pageblocks");
}

static const struct ml_command ml_buddy_sub[] = {
	{ "show", ml_buddy_cmd_show, "", "" },
	{ "alloc", ml_buddy_cmd_alloc, "", "" },
	{ "free", ml_buddy_cmd_free, "", "" },
	{ "freearea", ml_buddy_cmd_freearea, "", "" },
	{ "buddies", ml_buddy_cmd_buddies, "", "" },
	{ "fragment", ml_buddy_cmd_fragment, "", "" },
	{ "bench", ml_buddy_cmd_bench, "", "" },
	{ "pageblocks", ml_buddy_cmd_pageblocks, "", "" },
	{ "pressure", ml_buddy_cmd_pressure, "", "" },
	{ "events", ml_buddy_cmd_events, "", "" },
	{ "timeline", ml_buddy_cmd_timeline, "", "" },
	{ NULL },
};

static int ml_cmd_buddy(int argc, char **argv)
{
	return ml_subcommand(ml_buddy_sub, &ml_buddy_commands[0], "show", argc, argv);
}

const struct ml_command ml_buddy_commands[] = {
	{ "buddy", ml_cmd_buddy,
	  "[show | alloc ORDER [count=N] [gfp=FLAG|...] [api=NAME] | free ID|all |\n"
	  "              freearea [--chart] | buddies [--chart] | fragment COUNT [--chart] |\n"
	  "              bench [ORDER ITERATIONS] | pageblocks |\n"
	  "              pressure [ORDER [zone=Z] [until=low|min] [gfp=FLAG|...]] [--chart] |\n"
	  "              events | timeline [--id N]]",
	  "blocks held by memlab_buddy (show), taken and given back (alloc, free); the free\n"
	  "      lists per zone and order (freearea; --chart draws them), each block's buddy\n"
	  "      (buddies; --chart draws the pair and the block they would form), fragment\n"
	  "      (--chart: the free lists before and after), alloc+free latency per order\n"
	  "      (bench) and layout/pageblocks; pressure runs ORDER down to a watermark,\n"
	  "      or shows the last run (--chart: its free pages against the watermarks,\n"
	  "      with kswapd, reclaim and compaction marked; free all gives it back);\n"
	  "      what each command cost the kernel (events) and did in it (timeline);\n"
	  "      GFP flags: kernel atomic dma dma32 zero nowarn highuser movable noretry\n"
	  "      retry_mayfail; APIs: alloc_pages __get_free_pages get_zeroed_page" },
	{ NULL },
};
