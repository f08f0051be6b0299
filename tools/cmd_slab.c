// SPDX-License-Identifier: GPL-2.0
/*
 * memlab_slab's views and commands, and one picture: a slab of memlab_obj
 * drawn to scale, its objects, the metadata SLUB keeps after each, the
 * free pointer where the view knows it, and the tail no object fits in.
 *
 * The picture is drawn from slab/stats alone, the numbers SLUB's sysfs
 * directory for the cache also has, so that it can be checked against it.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "memlab.h"

#define ML_SLAB_CONTROL	"slab/control"
#define ML_SLAB_STATS	"slab/stats"

/* SLUB's free pointer is a pointer: 8 bytes on every arch memlab builds for. */
#define ML_SLAB_POINTER	8

#define ml_slab_usage(...)	ml_usage_error(&ml_slab_commands[0], __VA_ARGS__)

/* argv joined by blanks: the subcommand's words are the module's command. */
static int ml_slab_control(int argc, char **argv)
{
	size_t len = 1;
	char *words;
	int i, ret;

	for (i = 0; i < argc; i++)
		len += strlen(argv[i]) + 1;
	words = calloc(1, len);
	if (!words)
		return ml_error(ML_EXIT_REFUSED, "out of memory");
	for (i = 0; i < argc; i++) {
		if (i)
			strcat(words, " ");
		strcat(words, argv[i]);
	}
	ret = ml_control(ML_SLAB_CONTROL, words);
	if (ret)
		ret = ml_file_error(ML_SLAB_CONTROL, words, ret);
	free(words);
	return ret;
}

/* A command, then the stats that show what it did. */
static int ml_slab_command(int argc, char **argv)
{
	int ret = ml_slab_control(argc, argv);

	return ret ? ret : ml_show(ML_SLAB_STATS);
}

/* What a slab is made of, all in bytes. */
struct ml_slab_geo {
	uint64_t object_size, size, objs, pages, meta, wasted, page_size, fp, bytes;
	bool has_fp;
	const char *name;
};

enum { ML_SLAB_OBJ, ML_SLAB_OBJ2, ML_SLAB_META, ML_SLAB_FP, ML_SLAB_WASTE, ML_SLAB_KINDS };

/* Each kind's character, colour and, for ties, rank: the small parts win. */
static const char ml_slab_char[ML_SLAB_KINDS] = { 'o', 'O', 'm', 'f', '-' };
static const char *const ml_slab_sgr[ML_SLAB_KINDS] = { "32", "36", "33", "35", "2" };
static const int ml_slab_rank[ML_SLAB_KINDS] = { ML_SLAB_FP, ML_SLAB_META, ML_SLAB_WASTE,
						 ML_SLAB_OBJ, ML_SLAB_OBJ2 };

static int ml_slab_number(const struct ml_view *v, const char *key, uint64_t *val)
{
	const char *field = ml_get(v, 0, key);

	if (!field)
		return ml_error(ML_EXIT_REFUSED, "%s has no column %s", v->name, key);
	if (!ml_number(field, val))
		return ml_error(ML_EXIT_REFUSED, "%s: %s is %s, not a number", v->name, key,
				field);
	return ML_EXIT_OK;
}

static int ml_slab_geo(const struct ml_view *v, struct ml_slab_geo *g)
{
	const char *page_size = ml_version("page_size");

	memset(g, 0, sizeof(*g));
	if (ml_slab_number(v, "object_size", &g->object_size) ||
	    ml_slab_number(v, "size", &g->size) ||
	    ml_slab_number(v, "objs_per_slab", &g->objs) ||
	    ml_slab_number(v, "pages_per_slab", &g->pages) ||
	    ml_slab_number(v, "metadata_bytes_per_object", &g->meta) ||
	    ml_slab_number(v, "bytes_wasted_per_slab", &g->wasted))
		return ML_EXIT_REFUSED;
	if (ml_col(v, "free_pointer_offset") < 0)
		return ml_error(ML_EXIT_REFUSED, "%s has no column free_pointer_offset", v->name);
	/* "-": SLUB's struct kmem_cache is private to mm/, and so is the offset. */
	g->has_fp = ml_number(ml_get(v, 0, "free_pointer_offset"), &g->fp);
	g->name = ml_get(v, 0, "name") ? ml_get(v, 0, "name") : "the cache";
	if (!ml_number(page_size, &g->page_size) || !g->page_size)
		return ml_error(ML_EXIT_REFUSED, "version has no page_size");
	g->bytes = g->pages * g->page_size;
	if (!g->size || !g->objs || g->objs * g->size > g->bytes || g->object_size > g->size)
		return ml_error(ML_EXIT_REFUSED,
				"%s: %llu objects of %llu bytes do not fit %llu pages", v->name,
				(unsigned long long)g->objs, (unsigned long long)g->size,
				(unsigned long long)g->pages);
	return ML_EXIT_OK;
}

/* The overlap of [a, b) with [lo, hi). */
static double ml_slab_overlap(double a, double b, double lo, double hi)
{
	double from = a > lo ? a : lo, to = b < hi ? b : hi;

	return to > from ? to - from : 0;
}

/*
 * What most of the bytes [lo, hi) of the slab are; objects alternate
 * between 'o' and 'O' when @alternate, so that neighbours show apart.
 */
static int ml_slab_kind(const struct ml_slab_geo *g, double lo, double hi, bool alternate)
{
	double tally[ML_SLAB_KINDS] = { 0 }, base, fo, fm;
	uint64_t i, last;
	int k, best;

	last = (uint64_t)(hi / g->size);
	if (last >= g->objs)
		last = g->objs - 1;
	for (i = (uint64_t)(lo / g->size); i <= last; i++) {
		base = (double)i * g->size;
		fo = 0;
		fm = 0;
		if (g->has_fp) {
			/* The pointer overlays the object or the metadata after it. */
			fo = ml_slab_overlap(base + g->fp, base + g->fp + ML_SLAB_POINTER,
					     lo > base ? lo : base, hi < base + g->object_size ?
					     hi : base + g->object_size);
			fm = ml_slab_overlap(base + g->fp, base + g->fp + ML_SLAB_POINTER,
					     lo > base + g->object_size ?
					     lo : base + g->object_size,
					     hi < base + g->size ? hi : base + g->size);
		}
		tally[alternate && i % 2 ? ML_SLAB_OBJ2 : ML_SLAB_OBJ] +=
			ml_slab_overlap(base, base + g->object_size, lo, hi) - fo;
		tally[ML_SLAB_META] += ml_slab_overlap(base + g->object_size, base + g->size,
						       lo, hi) - fm;
		tally[ML_SLAB_FP] += fo + fm;
	}
	tally[ML_SLAB_WASTE] = ml_slab_overlap((double)g->objs * g->size, g->bytes, lo, hi);
	best = ml_slab_rank[0];
	for (k = 1; k < ML_SLAB_KINDS; k++) {
		if (tally[ml_slab_rank[k]] > tally[best])
			best = ml_slab_rank[k];
	}
	return best;
}

/*
 * "[...]": @cells columns for the bytes [0, @span), @span / @units bytes
 * each (the last may hold less), in runs of one kind.
 */
static void ml_slab_line(const struct ml_slab_geo *g, int *kinds, int cells, double units,
			 double span, bool alternate)
{
	double hi;
	int c, run;

	for (c = 0; c < cells; c++) {
		hi = span * (c + 1) / units;
		kinds[c] = ml_slab_kind(g, span * c / units, hi < span ? hi : span, alternate);
	}
	putchar('[');
	for (c = 0; c < cells; c += run) {
		for (run = 1; c + run < cells && kinds[c + run] == kinds[c]; run++)
			;
		ml_bar(stdout, run, ml_slab_char[kinds[c]], ml_slab_sgr[kinds[c]]);
	}
	puts("]");
}

/* " o    text": a legend line, its characters painted as in the picture. */
static void ml_slab_key(int kind, const char *text)
{
	char ch[2] = { ml_slab_char[kind], '\0' };

	putchar(' ');
	ml_paint(stdout, ml_slab_sgr[kind], ch);
	if (kind == ML_SLAB_OBJ) {
		ch[0] = ml_slab_char[ML_SLAB_OBJ2];
		putchar(' ');
		ml_paint(stdout, ml_slab_sgr[ML_SLAB_OBJ2], ch);
		printf("  %s\n", text);
	} else {
		printf("    %s\n", text);
	}
}

/*
 * The slab across the terminal.  A part narrower than two columns could
 * vanish in its neighbours, so when one is, the slab is drawn whole, each
 * column what most of its bytes are, and below it the first few objects
 * at a whole number of bytes a column, half the smallest part or less, so
 * that every part shows and parts of whole multiples of it show exactly.
 */
static int ml_slab_chart(const struct ml_view *v)
{
	int width = ml_term_width(), cells = width - 2, *kinds;
	uint64_t smallest, zoom, per;
	struct ml_slab_geo g;
	char text[128];
	double scale;

	if (ml_slab_geo(v, &g))
		return ML_EXIT_REFUSED;
	kinds = calloc(cells, sizeof(*kinds));
	if (!kinds)
		return ml_error(ML_EXIT_REFUSED, "out of memory");
	smallest = g.object_size ? g.object_size : g.size;
	if (g.size > g.object_size && g.size - g.object_size < smallest)
		smallest = g.size - g.object_size;
	if (g.has_fp && ML_SLAB_POINTER < smallest)
		smallest = ML_SLAB_POINTER;
	scale = (double)g.bytes / cells;

	ml_say(width, "%s, one slab: %llu page%s, %.1f bytes a column", g.name,
	       (unsigned long long)g.pages, g.pages == 1 ? "" : "s", scale);
	ml_slab_line(&g, kinds, cells, cells, g.bytes, smallest >= 2 * scale);
	if (smallest < 2 * scale) {
		per = smallest / 2 ? smallest / 2 : 1;
		zoom = cells * per / g.size;
		if (zoom < 1) {
			zoom = 1;
			per = (g.size + cells - 1) / cells;
		}
		if (zoom > g.objs)
			zoom = g.objs;
		ml_say(width, "%s: the first %llu, zoomed to %llu byte%s a column:",
		       "objects too small to draw one by one",
		       (unsigned long long)zoom, (unsigned long long)per,
		       per == 1 ? "" : "s");
		ml_slab_line(&g, kinds, (zoom * g.size + per - 1) / per,
			     (double)zoom * g.size / per, (double)zoom * g.size, true);
	}
	free(kinds);

	snprintf(text, sizeof(text), "object_size %llu (objects alternate)",
		 (unsigned long long)g.object_size);
	ml_slab_key(ML_SLAB_OBJ, text);
	snprintf(text, sizeof(text), "metadata %llu bytes per object",
		 (unsigned long long)g.meta);
	ml_slab_key(ML_SLAB_META, text);
	if (g.has_fp)
		snprintf(text, sizeof(text), "free pointer at offset %llu",
			 (unsigned long long)g.fp);
	else
		snprintf(text, sizeof(text), "free pointer: offset -, not drawn");
	ml_slab_key(ML_SLAB_FP, text);
	snprintf(text, sizeof(text), "wasted %llu bytes per slab", (unsigned long long)g.wasted);
	ml_slab_key(ML_SLAB_WASTE, text);
	printf(" objs_per_slab %llu, size %llu\n", (unsigned long long)g.objs,
	       (unsigned long long)g.size);
	printf(" pages_per_slab %llu, page_size %llu\n", (unsigned long long)g.pages,
	       (unsigned long long)g.page_size);
	return ML_EXIT_OK;
}

static int ml_slab_cmd_stats(int argc, char **argv)
{
	bool chart = ml_take_flag(&argc, argv, "--chart");

	if (argc != 1)
		return ml_slab_usage("stats takes only --chart, not %s", argv[1]);
	return ml_show_chart(ML_SLAB_STATS, chart ? ml_slab_chart : NULL);
}

static int ml_slab_cmd_alloc(int argc, char **argv)
{
	uint64_t n;

	if (argc != 2)
		return ml_slab_usage("alloc needs one COUNT");
	if (!ml_number(argv[1], &n))
		return ml_slab_usage("alloc: COUNT is a number, not %s", argv[1]);
	return ml_slab_command(argc, argv);
}

/* free N takes the newest N objects; free all, every one. */
static int ml_slab_cmd_free(int argc, char **argv)
{
	uint64_t n;

	if (argc != 2)
		return ml_slab_usage("free needs one COUNT or all");
	if (strcmp(argv[1], "all") && !ml_number(argv[1], &n))
		return ml_slab_usage("free: COUNT is a number or all, not %s", argv[1]);
	return ml_slab_command(argc, argv);
}

static int ml_slab_cmd_shrink(int argc, char **argv)
{
	if (argc != 1)
		return ml_slab_usage("shrink takes no argument: %s", argv[1]);
	return ml_slab_command(argc, argv);
}

/* recreate size=S [align=A] [hwcache=0|1]: a new memlab_obj, no object held. */
static int ml_slab_cmd_recreate(int argc, char **argv)
{
	static const char *const keys[] = { "size=", "align=", "hwcache=", NULL };
	bool size = false;
	uint64_t val;
	size_t k;
	int i;

	for (i = 1; i < argc; i++) {
		for (k = 0; keys[k] && strncmp(argv[i], keys[k], strlen(keys[k])); k++)
			;
		if (!keys[k])
			return ml_slab_usage("recreate takes size=, align= and hwcache=, not %s",
					     argv[i]);
		if (!ml_number(argv[i] + strlen(keys[k]), &val))
			return ml_slab_usage("recreate: %s is not a number", argv[i]);
		size |= k == 0;
	}
	if (!size)
		return ml_slab_usage("recreate needs size=S");
	return ml_slab_command(argc, argv);
}

static int ml_slab_view(int argc, char **argv, const char *file)
{
	if (argc != 1)
		return ml_slab_usage("%s takes no argument: %s", argv[0], argv[1]);
	return ml_show(file);
}

static int ml_slab_cmd_objects(int argc, char **argv)
{
	return ml_slab_view(argc, argv, "slab/objects");
}

static int ml_slab_cmd_slabs(int argc, char **argv)
{
	return ml_slab_view(argc, argv, "slab/slabs");
}

static int ml_slab_cmd_kmalloc(int argc, char **argv)
{
	return ml_slab_view(argc, argv, "slab/kmalloc");
}

/* What each alloc cost the kernel, and what the allocator did for it. */
static int ml_slab_cmd_events(int argc, char **argv)
{
	return ml_recorder_events(&ml_slab_commands[0], "slab", argc, argv);
}

static int ml_slab_cmd_timeline(int argc, char **argv)
{
	return ml_recorder_timeline(&ml_slab_commands[0], "slab", argc, argv);
}

static const struct ml_command ml_slab_sub[] = {
	{ "stats", ml_slab_cmd_stats, "", "" },
	{ "alloc", ml_slab_cmd_alloc, "", "" },
	{ "free", ml_slab_cmd_free, "", "" },
	{ "shrink", ml_slab_cmd_shrink, "", "" },
	{ "recreate", ml_slab_cmd_recreate, "", "" },
	{ "objects", ml_slab_cmd_objects, "", "" },
	{ "slabs", ml_slab_cmd_slabs, "", "" },
	{ "kmalloc", ml_slab_cmd_kmalloc, "", "" },
	{ "events", ml_slab_cmd_events, "", "" },
	{ "timeline", ml_slab_cmd_timeline, "", "" },
	{ NULL },
};

static int ml_cmd_slab(int argc, char **argv)
{
	return ml_subcommand(ml_slab_sub, &ml_slab_commands[0], "stats", argc, argv);
}

const struct ml_command ml_slab_commands[] = {
	{ "slab", ml_cmd_slab,
	  "[stats [--chart] | alloc COUNT | free COUNT|all | shrink |\n"
	  "              recreate size=S [align=A] [hwcache=0|1] | objects | slabs | kmalloc |\n"
	  "              events | timeline [--id N]]",
	  "the memlab_obj cache's geometry and counts (stats; --chart draws one slab to\n"
	  "      scale), objects taken and given back (alloc, free: the newest COUNT), empty\n"
	  "      slabs handed back (shrink), the cache made anew (recreate), the objects and\n"
	  "      slabs held, what kmalloc hands out for each size (kmalloc), and what each\n"
	  "      alloc cost the kernel (events) and did in it (timeline)" },
	{ NULL },
};
