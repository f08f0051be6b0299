// SPDX-License-Identifier: GPL-2.0
/*
 * memlab_layout's views, and the two pictures of where memory is: the
 * kernel's virtual map to a log scale, with the live sample addresses
 * placed in it, and physical memory as bands of owners and migrate types.
 *
 * The virtual map spans 2^47 bytes or more, from a 2 MiB fixmap to a
 * 64 TiB vmalloc area, so only a log scale shows every region; the
 * samples are placed linearly within their region, where the question is
 * "near the start or the end?".
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "memlab.h"

/* The numbers of @col in every row, or -EPROTO if a row has none. */
static int ml_numbers(const struct ml_view *v, const char *col, uint64_t *out)
{
	size_t row;

	if (ml_col(v, col) < 0)
		return ml_error(ML_EXIT_REFUSED, "%s has no column %s", v->name, col);
	for (row = 0; row < v->nrows; row++) {
		if (!ml_number(ml_get(v, row, col), &out[row]))
			return ml_error(ML_EXIT_REFUSED, "%s: row %zu: %s is not a number",
					v->name, row + 1, col);
	}
	return 0;
}

static int ml_layout_view(const char *file)
{
	struct ml_view v;
	int ret;

	ret = ml_view_read(&v, file);
	if (ret)
		return ml_file_error(file, "cannot read", ret);
	ret = ml_print(&v);
	ml_view_free(&v);
	return ret ? ML_EXIT_USAGE : ML_EXIT_OK;
}

/* Draws layout/map, with layout/addresses' samples in their regions. */
static int ml_map_chart(const struct ml_view *map, const struct ml_view *addr)
{
	uint64_t *start, *end, *virt = NULL, top = 0;
	int width = ml_term_width(), bar, pos, status = ML_EXIT_REFUSED;
	size_t row, s, nsamples = addr ? addr->nrows : 0;
	char size[16];

	start = calloc(map->nrows + 1, sizeof(*start));
	end = calloc(map->nrows + 1, sizeof(*end));
	if (nsamples)
		virt = calloc(nsamples, sizeof(*virt));
	if (!start || !end || (nsamples && !virt))
		goto out;
	if (ml_numbers(map, "start", start) || ml_numbers(map, "end", end))
		goto out;
	for (s = 0; s < nsamples; s++) {
		if (!ml_number(ml_get(addr, s, "virt"), &virt[s]))
			virt[s] = 0;
	}
	for (row = 0; row < map->nrows; row++) {
		if (end[row] - start[row] > top)
			top = end[row] - start[row];
	}
	/* "0x" and 16 digits, a name, a size: the rest is the bar. */
	bar = width - 19 - 16 - 7 - 3;
	printf("kernel virtual memory map, log scale (a bar grows with log2 of the size)\n");
	for (row = 0; row < map->nrows; row++) {
		uint64_t len = end[row] - start[row];
		int n = ml_bar_len(len, top, bar, true);

		if (row && start[row] > end[row - 1]) {
			ml_human(size, sizeof(size), start[row] - end[row - 1]);
			printf("%-18s %-16s %6s\n", "", "(unused)", size);
		}
		ml_human(size, sizeof(size), len);
		printf("0x%016llx %-16s %6s |", (unsigned long long)start[row],
		       ml_get(map, row, "region"), size);
		ml_bar(stdout, n, '#', "36");
		printf("|\n");
		for (s = 0; s < nsamples; s++) {
			if (virt[s] < start[row] || virt[s] >= end[row])
				continue;
			/* Linear within the region: near its start, or its end. */
			pos = len ? (int)((double)(virt[s] - start[row]) / len * n) : 0;
			if (pos >= n)
				pos = n ? n - 1 : 0;
			printf("%-18s %-16s %6s  %*s", "", "", "", pos, "");
			ml_paint(stdout, "1;33", "^");
			printf(" %s 0x%llx\n", ml_get(addr, s, "source"),
			       (unsigned long long)virt[s]);
		}
	}
	ml_human(size, sizeof(size), top);
	printf("a full bar is %s; ^ marks a live sample from layout/addresses\n", size);
	status = ML_EXIT_OK;
out:
	if (status && !start)
		ml_error(ML_EXIT_REFUSED, "out of memory");
	free(start);
	free(end);
	free(virt);
	return status;
}

static int ml_layout_map(int argc, char **argv)
{
	bool chart = ml_take_flag(&argc, argv, "--chart");
	struct ml_view map, addr;
	bool have_addr;
	int ret;

	if (argc != 1)
		return ml_usage(&ml_layout_commands[0], ML_EXIT_USAGE);
	if (!chart || ml_opt.json)
		return ml_layout_view("layout/map");
	ret = ml_view_read(&map, "layout/map");
	if (ret)
		return ml_file_error("layout/map", "cannot read", ret);
	/* The samples only help: the map is drawn without them. */
	have_addr = !ml_view_read(&addr, "layout/addresses");
	ret = ml_map_chart(&map, have_addr ? &addr : NULL);
	if (have_addr)
		ml_view_free(&addr);
	ml_view_free(&map);
	return ret;
}

static int ml_layout_addresses(int argc, char **argv)
{
	(void)argv;
	if (argc != 1)
		return ml_usage(&ml_layout_commands[0], ML_EXIT_USAGE);
	return ml_layout_view("layout/addresses");
}

static int ml_layout_zones(int argc, char **argv)
{
	(void)argv;
	if (argc != 1)
		return ml_usage(&ml_layout_commands[0], ML_EXIT_USAGE);
	return ml_layout_view("layout/zones");
}

static int ml_layout_pageblocks(int argc, char **argv)
{
	(void)argv;
	if (argc != 1)
		return ml_usage(&ml_layout_commands[0], ML_EXIT_USAGE);
	return ml_layout_view("layout/pageblocks");
}

/* "vmalloc N": one area of N pages, then where its pages landed. */
static int ml_layout_vmalloc(int argc, char **argv)
{
	char *words;
	int ret;

	if (argc > 2)
		return ml_usage(&ml_layout_commands[0], ML_EXIT_USAGE);
	if (argc == 1)
		return ml_layout_view("layout/vmalloc");
	if (asprintf(&words, "vmalloc %s", argv[1]) < 0)
		return ml_error(ML_EXIT_REFUSED, "out of memory");
	ret = ml_control("layout/control", words);
	if (ret)
		ret = ml_file_error("layout/control", words, ret);
	free(words);
	if (ret)
		return ret;
	return ml_layout_view("layout/vmalloc_summary");
}

static int ml_layout_vfree(int argc, char **argv)
{
	int ret;

	(void)argv;
	if (argc != 1)
		return ml_usage(&ml_layout_commands[0], ML_EXIT_USAGE);
	ret = ml_control("layout/control", "vfree");
	return ret ? ml_file_error("layout/control", "vfree", ret) : ML_EXIT_OK;
}

/*
 * physmap: the runs of layout/physmap, of one zone or cut to a PFN range,
 * as a table or as bands.  The cut runs are printed into a new view, so
 * that -J, -o and -n treat them as they treat the kernel's own.
 */
struct ml_physmap {
	const char *zone;
	uint64_t lo, hi;	/* hi == 0: no range */
	bool chart;
};

static int ml_physmap_cut(const struct ml_view *in, const struct ml_physmap *p,
			  struct ml_view *out)
{
	static const char *const cols[] = {
		"node", "zone", "start_pfn", "end_pfn", "pages", "type", "owner", "order",
	};
	int idx[8], ret = 0;
	uint64_t s, e;
	size_t row, i, len;
	char *text;
	FILE *f;

	for (i = 0; i < 8; i++) {
		idx[i] = ml_col(in, cols[i]);
		if (idx[i] < 0)
			return ml_error(ML_EXIT_REFUSED, "%s has no column %s", in->name, cols[i]);
	}
	f = open_memstream(&text, &len);
	if (!f)
		return ml_error(ML_EXIT_REFUSED, "out of memory");
	fputs("# node zone start_pfn end_pfn pages type owner order\n", f);
	for (row = 0; row < in->nrows; row++) {
		if (p->zone && strcmp(ml_cell(in, row, idx[1]), p->zone))
			continue;
		if (!ml_number(ml_cell(in, row, idx[2]), &s) ||
		    !ml_number(ml_cell(in, row, idx[3]), &e)) {
			ret = ml_error(ML_EXIT_REFUSED, "%s: row %zu has no PFNs", in->name,
				       row + 1);
			break;
		}
		if (p->hi) {
			if (e <= p->lo || s >= p->hi)
				continue;
			s = s < p->lo ? p->lo : s;
			e = e > p->hi ? p->hi : e;
		}
		fprintf(f, "%s %s 0x%llx 0x%llx %llu %s %s %s\n", ml_cell(in, row, idx[0]),
			ml_cell(in, row, idx[1]), (unsigned long long)s, (unsigned long long)e,
			(unsigned long long)(e - s), ml_cell(in, row, idx[5]),
			ml_cell(in, row, idx[6]), ml_cell(in, row, idx[7]));
	}
	fclose(f);
	if (!ret && ml_view_parse(out, in->name, text))
		ret = ml_error(ML_EXIT_REFUSED, "out of memory");
	else if (ret)
		free(text);
	return ret;
}

/* One letter and one colour per owner and per migrate type. */
struct ml_glyph {
	const char *name;
	char ch;
	const char *sgr;
};

static const struct ml_glyph ml_owners[] = {
	{ "free", '.', "42;30" }, { "kernel", 'K', "41;30" },
	{ "memmap", 'M', "45;30" }, { "reserved", 'R', "45;30" },
	{ "slab", 'S', "43;30" }, { "pagetable", 'P', "46;30" },
	{ "anon", 'A', "44;30" }, { "file", 'F', "42;30" },
	{ "other", 'o', "47;30" }, { "hole", '_', "40;37" },
	{ "offline", 'x', "40;37" }, { NULL },
};

static const struct ml_glyph ml_types[] = {
	{ "Unmovable", 'U', "41;30" }, { "Movable", 'M', "42;30" },
	{ "Reclaimable", 'R', "43;30" }, { "HighAtomic", 'H', "45;30" },
	{ "CMA", 'C', "46;30" }, { "Isolate", 'I', "47;30" },
	{ "-", '-', "40;37" }, { NULL },
};

#define ML_NGLYPHS 12

static int ml_glyph(const struct ml_glyph *set, const char *name)
{
	int i;

	for (i = 0; set[i].name; i++) {
		if (!strcmp(set[i].name, name))
			return i;
	}
	return -1;
}

/* The glyph of the class that holds most of each column's frames. */
static void ml_band(const struct ml_glyph *set, uint64_t (*frames)[ML_NGLYPHS],
		    int cols, int fallback)
{
	char cell[2] = "";
	int col, g, best;

	putchar(' ');
	for (col = 0; col < cols; col++) {
		best = fallback;
		for (g = 0; set[g].name; g++) {
			if (frames[col][g] > frames[col][best])
				best = g;
		}
		cell[0] = set[best].ch;
		ml_paint(stdout, set[best].sgr, cell);
	}
	putchar('\n');
}

/* Rows [first, last) are one zone's runs, in PFN order. */
static int ml_physmap_zone(const struct ml_view *v, size_t first, size_t last, int width)
{
	uint64_t (*owner)[ML_NGLYPHS], (*type)[ML_NGLYPHS];
	uint64_t lo, hi, per, s, e, p, stop;
	int cols, col, o, t;
	size_t row;

	ml_number(ml_get(v, first, "start_pfn"), &lo);
	ml_number(ml_get(v, last - 1, "end_pfn"), &hi);
	per = (hi - lo + width - 1) / width;
	per = per ? per : 1;
	cols = (hi - lo + per - 1) / per;
	owner = calloc(cols, sizeof(*owner));
	type = calloc(cols, sizeof(*type));
	if (!owner || !type) {
		free(owner);
		free(type);
		return ml_error(ML_EXIT_REFUSED, "out of memory");
	}
	for (row = first; row < last; row++) {
		ml_number(ml_get(v, row, "start_pfn"), &s);
		ml_number(ml_get(v, row, "end_pfn"), &e);
		o = ml_glyph(ml_owners, ml_get(v, row, "owner"));
		t = ml_glyph(ml_types, ml_get(v, row, "type"));
		o = o < 0 ? ml_glyph(ml_owners, "other") : o;
		t = t < 0 ? ml_glyph(ml_types, "-") : t;
		/* A run may span many columns, or share one with others. */
		for (p = s; p < e; p = stop) {
			col = (p - lo) / per;
			stop = lo + (col + 1) * per;
			stop = stop > e ? e : stop;
			owner[col][o] += stop - p;
			type[col][t] += stop - p;
		}
	}
	printf("node %s %s  pfn 0x%llx-0x%llx  %llu pages a column\n", ml_get(v, first, "node"),
	       ml_get(v, first, "zone"), (unsigned long long)lo, (unsigned long long)hi,
	       (unsigned long long)per);
	ml_band(ml_owners, owner, cols, ml_glyph(ml_owners, "hole"));
	ml_band(ml_types, type, cols, ml_glyph(ml_types, "-"));
	free(owner);
	free(type);
	return 0;
}

static int ml_physmap_chart(const struct ml_view *v)
{
	int width = ml_term_width() - 2, ret = 0;
	size_t first = 0, row;

	for (row = 1; row <= v->nrows && !ret; row++) {
		if (row < v->nrows &&
		    !strcmp(ml_get(v, row, "node"), ml_get(v, first, "node")) &&
		    !strcmp(ml_get(v, row, "zone"), ml_get(v, first, "zone")))
			continue;
		ret = ml_physmap_zone(v, first, row, width);
		first = row;
	}
	if (ret)
		return ret;
	/* The shell tool's legend, word for word: scripts grep it. */
	fputs("owner: .free Kkernel Mmemmap Rreserved Sslab Ppagetable ", stdout);
	fputs("Aanon Ffile oother _hole xoffline\n", stdout);
	fputs("type:  UUnmovable MMovable RReclaimable HHighAtomic CCMA IIsolate\n", stdout);
	return ML_EXIT_OK;
}

/* "START-END", PFNs in decimal or 0x hex, START below END. */
static bool ml_pfn_range(const char *arg, uint64_t *lo, uint64_t *hi)
{
	const char *dash = strchr(arg, '-');
	char first[32];

	if (!dash || (size_t)(dash - arg) >= sizeof(first))
		return false;
	memcpy(first, arg, dash - arg);
	first[dash - arg] = '\0';
	return ml_number(first, lo) && ml_number(dash + 1, hi) && *lo < *hi;
}

static int ml_cmd_physmap(int argc, char **argv)
{
	struct ml_physmap p = { 0 };
	struct ml_view all, cut;
	const char *range;
	int ret;

	p.chart = ml_take_flag(&argc, argv, "--chart");
	p.zone = ml_take_option(&argc, argv, "--zone");
	range = ml_take_option(&argc, argv, "--range");
	if (argc != 1)
		return ml_usage(&ml_layout_commands[1], ML_EXIT_USAGE);
	if (range && !ml_pfn_range(range, &p.lo, &p.hi))
		return ml_error(ML_EXIT_USAGE, "--range %s: not START-END, START below END",
				range);
	ret = ml_view_read(&all, "layout/physmap");
	if (ret)
		return ml_file_error("layout/physmap", "cannot read", ret);
	ret = ml_physmap_cut(&all, &p, &cut);
	ml_view_free(&all);
	if (ret)
		return ret;
	if (p.chart && !ml_opt.json && cut.nrows)
		ret = ml_physmap_chart(&cut);
	else if (p.chart && !ml_opt.json)
		ret = ml_error(ML_EXIT_USAGE, "no frames in that zone or range");
	else
		ret = ml_print(&cut) ? ML_EXIT_USAGE : ML_EXIT_OK;
	ml_view_free(&cut);
	return ret;
}

static const struct ml_command ml_layout_commands_sub[] = {
	{ "map", ml_layout_map, "[--chart]", "" },
	{ "addresses", ml_layout_addresses, "", "" },
	{ "zones", ml_layout_zones, "", "" },
	{ "pageblocks", ml_layout_pageblocks, "", "" },
	{ "vmalloc", ml_layout_vmalloc, "[PAGES]", "" },
	{ "vfree", ml_layout_vfree, "", "" },
	{ "physmap", ml_cmd_physmap, "", "" },
	{ NULL },
};

static int ml_cmd_layout(int argc, char **argv)
{
	return ml_subcommand(ml_layout_commands_sub, &ml_layout_commands[0], "map",
			     argc, argv);
}

const struct ml_command ml_layout_commands[] = {
	{ "layout", ml_cmd_layout,
	  "[map [--chart] | addresses | zones | pageblocks | vmalloc [PAGES] | vfree]",
	  "the kernel's memory map (--chart: to a log scale, with live sample addresses),\n"
	  "      the sample addresses, the zones, the pageblocks; vmalloc PAGES maps an area\n"
	  "      and shows where its pages landed, vfree unmaps it" },
	{ "physmap", ml_cmd_physmap, "[--chart] [--zone ZONE] [--range START-END]",
	  "physical memory as runs of one zone, migrate type and owner; --chart draws\n"
	  "      each zone as a band of owners over a band of migrate types" },
	{ NULL },
};
