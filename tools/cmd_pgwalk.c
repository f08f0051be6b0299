// SPDX-License-Identifier: GPL-2.0
/*
 * memlab_pgwalk's two views, and their pictures: the walk of one address
 * drawn as the textbooks draw it by hand (the address cut into its level
 * indexes, then the chain of tables from the root register to the byte),
 * and a process's address space as a compact map of its runs and holes.
 *
 * The cut of the address is computed from the version view's geometry,
 * not known per architecture: every level below the root resolves
 * log2(page_size / 8) bits above the page offset and the root takes what
 * is left up to va_bits.  The kernel's own indexes are then checked
 * against it, so that the picture is also a test of the walk.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "memlab.h"

/* For the tests, which draw saved walks: see the end of the walk section. */
int ml_walk_draw(FILE *out, const struct ml_view *walk, const char *who, uint64_t addr);

/* The fields of a virtual address, from the top: the walk's levels, then the offset. */
enum {
	ML_PGD,
	ML_P4D,
	ML_PUD,
	ML_PMD,
	ML_PTE,
	ML_OFFSET,
	ML_NR_FIELDS,
};

#define ML_NR_LEVELS	ML_OFFSET

static const char *const ml_field_names[ML_NR_FIELDS] = {
	"pgd", "p4d", "pud", "pmd", "pte", "offset",
};

struct ml_field {
	unsigned int shift;
	unsigned int bits;		/* 0: the level is folded */
	bool hidden;			/* below a huge leaf: part of the offset */
	uint64_t value;
};

struct ml_geometry {
	const char *arch;
	bool arm64;
	uint64_t page_size;
	unsigned int page_shift;
	unsigned int levels;
	unsigned int va_bits;
	unsigned int level_bits;	/* what one level below the root resolves */
	struct ml_field field[ML_NR_FIELDS];
};

/* 4096 -> "4K", 2097152 -> "2M": exact powers of two as the kernel names them. */
static void ml_size_name(char *buf, size_t size, uint64_t bytes)
{
	static const char units[] = "BKMGTPE";
	int u = 0;

	while (bytes >= 1024 && !(bytes % 1024) && units[u + 1]) {
		bytes /= 1024;
		u++;
	}
	snprintf(buf, size, "%llu%c", (unsigned long long)bytes, units[u]);
}

static bool ml_version_number(const char *key, uint64_t *val)
{
	if (ml_number(ml_version(key), val))
		return true;
	ml_error(ML_EXIT_REFUSED, "version has no %s: cannot cut the address (try --table)", key);
	return false;
}

/*
 * The geometry of this boot, from the version view.  Only what the
 * numbers say: a 4K page holds 512 eight-byte entries, so each level takes
 * 9 bits, a 16K page 11 and a 64K page 13.
 */
static int ml_geometry_read(struct ml_geometry *g)
{
	uint64_t page_size, levels, va_bits;
	unsigned int top, k, f;

	memset(g, 0, sizeof(*g));
	if (!ml_version_number("page_size", &page_size) ||
	    !ml_version_number("paging_levels", &levels) ||
	    !ml_version_number("va_bits", &va_bits))
		return ML_EXIT_REFUSED;
	g->arch = ml_version("arch");
	if (!g->arch)
		g->arch = "-";
	g->arm64 = !strcmp(g->arch, "aarch64") || !strcmp(g->arch, "arm64");
	if (page_size < 4096 || (page_size & (page_size - 1)) || levels < 2 ||
	    levels > ML_NR_LEVELS || va_bits > 64)
		goto bad;
	g->page_size = page_size;
	g->page_shift = __builtin_ctzll(page_size);
	g->levels = levels;
	g->va_bits = va_bits;
	g->level_bits = g->page_shift - 3;
	top = g->page_shift + (levels - 1) * g->level_bits;
	if (va_bits <= top || va_bits - top > g->level_bits)
		goto bad;

	g->field[ML_OFFSET].bits = g->page_shift;
	/* Level k from the bottom (the pte is 0) is real below the root. */
	for (k = 0; k < ML_NR_LEVELS - 1; k++) {
		f = ML_PTE - k;
		g->field[f].shift = g->page_shift + k * g->level_bits;
		g->field[f].bits = k < levels - 1 ? g->level_bits : 0;
	}
	g->field[ML_PGD].shift = top;
	g->field[ML_PGD].bits = va_bits - top;
	return 0;
bad:
	return ml_error(ML_EXIT_REFUSED,
			"version: page_size %llu, paging_levels %llu, va_bits %llu: no geometry I know",
			(unsigned long long)page_size, (unsigned long long)levels,
			(unsigned long long)va_bits);
}

static void ml_geometry_cut(struct ml_geometry *g, uint64_t addr)
{
	struct ml_field *f;
	size_t i;

	for (i = 0; i < ML_NR_FIELDS; i++) {
		f = &g->field[i];
		f->value = f->bits ? (addr >> f->shift) & ((1ULL << f->bits) - 1) : 0;
	}
}

/* Where the next table, or the frame, is in an entry's value. */
static uint64_t ml_entry_address(const struct ml_geometry *g, uint64_t value)
{
	if (g->arm64)
		return value & ((1ULL << 48) - 1) & ~(g->page_size - 1);
	return value & 0x000ffffffffff000ULL;
}

/* The rows of a walk, by level. */
struct ml_walk_row {
	bool present;
	bool folded;
	uint64_t index;
	uint64_t pa;			/* of the entry; the byte's, in the page row */
	uint64_t value;			/* the entry's; the pfn, in the page row */
	const char *flags;
};

struct ml_walk {
	struct ml_walk_row level[ML_NR_LEVELS];
	struct ml_walk_row page;
	int last;			/* the last level the walk read, or -1 */
};

static int ml_walk_rows(const struct ml_view *v, struct ml_walk *w)
{
	static const char *const cols[] = { "level", "index", "entry_pa", "entry_value", "flags" };
	const char *name, *flags;
	struct ml_walk_row *r;
	size_t row, i;
	int l;

	memset(w, 0, sizeof(*w));
	w->last = -1;
	for (i = 0; i < ARRAY_SIZE(cols); i++) {
		if (ml_col(v, cols[i]) < 0)
			return ml_error(ML_EXIT_REFUSED, "%s has no column %s", v->name, cols[i]);
	}
	for (row = 0; row < v->nrows; row++) {
		name = ml_get(v, row, "level");
		flags = ml_get(v, row, "flags");
		for (l = 0; l < ML_NR_LEVELS; l++) {
			if (name && !strcmp(name, ml_field_names[l]))
				break;
		}
		if (l < ML_NR_LEVELS)
			r = &w->level[l];
		else if (name && !strcmp(name, "page"))
			r = &w->page;
		else
			continue;	/* a row a newer module adds */
		if (!flags || !ml_number(ml_get(v, row, "index"), &r->index) ||
		    !ml_number(ml_get(v, row, "entry_pa"), &r->pa) ||
		    !ml_number(ml_get(v, row, "entry_value"), &r->value))
			return ml_error(ML_EXIT_REFUSED, "%s: row %zu: not a walk row",
					v->name, row + 1);
		r->present = true;
		r->flags = flags;
		r->folded = !strcmp(flags, "folded");
		if (l < ML_NR_LEVELS && l > w->last)
			w->last = l;
	}
	return 0;
}

/*
 * Below a huge leaf there is no level: the bits of the levels it would
 * have had are the offset in the leaf, as the textbooks cut a 2M page's
 * address into pgd, pud, pmd and a 21-bit offset.
 */
static void ml_geometry_hide(struct ml_geometry *g, const struct ml_walk *w)
{
	int l;

	if (!w->page.present || w->last >= ML_PTE || w->last < 0)
		return;
	for (l = w->last + 1; l < ML_NR_LEVELS; l++) {
		g->field[l].hidden = true;
		g->field[l].bits = 0;
	}
	g->field[ML_OFFSET].bits = g->field[w->last].shift;
}

/* The leaf size the page row's "size=2M" says, in bytes, or 0. */
static uint64_t ml_page_size_flag(const char *flags)
{
	const char *s = strstr(flags, "size=");
	uint64_t n;
	char *end;

	if (!s)
		return 0;
	n = strtoull(s + 5, &end, 10);
	switch (*end) {
	case 'K':
		return n << 10;
	case 'M':
		return n << 20;
	case 'G':
		return n << 30;
	default:
		return 0;
	}
}

/*
 * The boxes of the chain.  Every line is "| text |" in @width columns, the
 * text cut after a '|' or at a blank when it is too long, so that flag
 * lists wrap and nothing passes the right edge.
 */
static void ml_box_rule(FILE *out, int width, const char *label, const char *sgr)
{
	int used = 1;

	fputc('+', out);
	if (label && *label) {
		fputs("-- ", out);
		ml_paint(out, sgr, label);
		fputc(' ', out);
		used += 4 + strlen(label);
	}
	for (; used < width - 1; used++)
		fputc('-', out);
	fputs("+\n", out);
}

static void ml_box_text(FILE *out, int width, int indent, const char *text, const char *sgr)
{
	int inner = width - 4, room, len, cut, i;
	const char *p = text;
	char *piece;
	bool first = true;

	if (inner < 8)
		inner = 8;
	if (indent > inner / 2)
		indent = 2;
	do {
		room = first ? inner : inner - indent;
		len = strlen(p);
		cut = len;
		if (len > room) {
			/* The last blank, or the last '|', that keeps the piece in the box. */
			for (cut = 0, i = 1; i <= room; i++) {
				if (p[i] == ' ' || p[i - 1] == '|')
					cut = i;
			}
			if (!cut)
				cut = room;
		}
		piece = strndup(p, cut > 0 ? (size_t)cut : 0);
		fprintf(out, "| %*s", first ? 0 : indent, "");
		ml_paint(out, sgr, piece ? piece : "");
		fprintf(out, "%*s |\n", room - cut, "");
		free(piece);
		p += cut;
		while (*p == ' ')
			p++;
		first = false;
	} while (*p);
}

/* A printf for one line in the box. */
static void ml_box_printf(FILE *out, int width, const char *sgr, const char *fmt, ...)
	__printf(4, 5);

static void ml_box_printf(FILE *out, int width, const char *sgr, const char *fmt, ...)
{
	char *text;
	va_list ap;
	int ret;

	va_start(ap, fmt);
	ret = vasprintf(&text, fmt, ap);
	va_end(ap);
	if (ret < 0)
		return;
	/* Continued under where the text starts, or a little in. */
	ml_box_text(out, width, text[0] == ' ' ? (int)strspn(text, " ") : 2, text, sgr);
	free(text);
}

/* A box's closing rule, or, when the label does not fit in one, a line and a rule. */
static void ml_box_close(FILE *out, int width, const char *label, const char *sgr)
{
	if ((int)strlen(label) + 6 <= width) {
		ml_box_rule(out, width, label, sgr);
		return;
	}
	ml_box_text(out, width, 2, label, sgr);
	ml_box_rule(out, width, NULL, NULL);
}

static void ml_arrow(FILE *out, const char *note)
{
	fputs("  |\n", out);
	if (note)
		fprintf(out, "  |   %s\n", note);
	fputs("  v\n", out);
}

/* The cells of the cut: name, bit range, bits, index; 0 when it does not fit. */
struct ml_cut_cells {
	char range[ML_NR_FIELDS][16];
	char bits[ML_NR_FIELDS][72];
	char value[ML_NR_FIELDS][24];
	int w[ML_NR_FIELDS];
};

static int ml_cut_cells(const struct ml_geometry *g, struct ml_cut_cells *c, bool binary)
{
	const struct ml_field *f;
	int total = 1, i, b, n;

	for (i = 0; i < ML_NR_FIELDS; i++) {
		f = &g->field[i];
		c->bits[i][0] = '\0';
		c->value[i][0] = '\0';
		c->w[i] = 0;
		if (f->hidden)
			continue;
		if (!f->bits) {
			snprintf(c->range[i], sizeof(c->range[i]), "folded");
		} else {
			if (f->bits == 1)
				snprintf(c->range[i], sizeof(c->range[i]), "%u", f->shift);
			else
				snprintf(c->range[i], sizeof(c->range[i]), "%u-%u",
					 f->shift + f->bits - 1, f->shift);
			if (binary) {
				for (b = f->bits - 1, n = 0; b >= 0; b--)
					c->bits[i][n++] = (f->value >> b) & 1 ? '1' : '0';
				c->bits[i][n] = '\0';
			} else {
				snprintf(c->bits[i], sizeof(c->bits[i]), "0x%0*llx",
					 (int)(f->bits + 3) / 4, (unsigned long long)f->value);
			}
			snprintf(c->value[i], sizeof(c->value[i]), "%llu",
				 (unsigned long long)f->value);
		}
		c->w[i] = strlen(ml_field_names[i]);
		if ((int)strlen(c->range[i]) > c->w[i])
			c->w[i] = strlen(c->range[i]);
		if ((int)strlen(c->bits[i]) > c->w[i])
			c->w[i] = strlen(c->bits[i]);
		if ((int)strlen(c->value[i]) > c->w[i])
			c->w[i] = strlen(c->value[i]);
		total += c->w[i] + 3;
	}
	return total;
}

static void ml_cut_rule(FILE *out, const struct ml_cut_cells *c)
{
	int i, j;

	for (i = 0; i < ML_NR_FIELDS; i++) {
		if (!c->w[i])
			continue;
		fputc('+', out);
		for (j = 0; j < c->w[i] + 2; j++)
			fputc('-', out);
	}
	fputs("+\n", out);
}

/* A row of cells, the i-th at @cells + i * @stride. */
static void ml_cut_row(FILE *out, const struct ml_cut_cells *c, const char *cells,
		       size_t stride, const char *sgr)
{
	const char *cell;
	int i;

	for (i = 0; i < ML_NR_FIELDS; i++) {
		if (!c->w[i])
			continue;
		cell = cells + i * stride;
		fputs("| ", out);
		ml_paint(out, *cell ? sgr : NULL, cell);
		fprintf(out, "%*s ", c->w[i] - (int)strlen(cell), "");
	}
	fputs("|\n", out);
}

/*
 * The address cut into its fields: a table in binary, in hex, or a list.
 * Returns the table's width, 0 for the list, or -ENOMEM.
 */
static int ml_draw_cut(FILE *out, const struct ml_geometry *g, int width)
{
	struct ml_cut_cells *c = calloc(1, sizeof(*c));
	int i, used;

	if (!c)
		return -ENOMEM;
	used = ml_cut_cells(g, c, true);
	if (used > width)
		used = ml_cut_cells(g, c, false);
	if (used > width) {
		used = 0;
		/* Too narrow for a table: a field a line. */
		for (i = 0; i < ML_NR_FIELDS; i++) {
			if (c->w[i])
				fprintf(out, "  %-6s %-6s %s%s%s\n", ml_field_names[i],
					c->range[i], c->bits[i], *c->bits[i] ? " = " : "",
					c->value[i]);
		}
		goto out;
	}
	ml_cut_rule(out, c);
	for (i = 0; i < ML_NR_FIELDS; i++) {
		if (c->w[i])
			fprintf(out, "| %-*s ", c->w[i], ml_field_names[i]);
	}
	fputs("|\n", out);
	ml_cut_row(out, c, c->range[0], sizeof(c->range[0]), NULL);
	ml_cut_row(out, c, c->bits[0], sizeof(c->bits[0]), NULL);
	ml_cut_row(out, c, c->value[0], sizeof(c->value[0]), "1");
	ml_cut_rule(out, c);
out:
	free(c);
	return used;
}

/*
 * The kernel's index against the cut's, for every level both have:
 * they differ only if one of the two is wrong.
 */
static void ml_check_cut(const struct ml_geometry *g, const struct ml_walk *w)
{
	const struct ml_walk_row *r;
	int l;

	for (l = 0; l < ML_NR_LEVELS; l++) {
		r = &w->level[l];
		if (!r->present || r->folded || !g->field[l].bits)
			continue;
		if (r->index != g->field[l].value)
			ml_error(0, "walk: the %s index is %llu in pgwalk/walk but %llu %s",
				 ml_field_names[l], (unsigned long long)r->index,
				 (unsigned long long)g->field[l].value,
				 "in the address: a bug in memlab");
	}
	if (w->level[ML_P4D].present && w->level[ML_P4D].folded && g->field[ML_P4D].bits)
		ml_error(0, "walk: pgwalk/walk folds the p4d, but paging_levels is %u",
			 g->levels);
}

/* What holds the root table, as the CPU names it. */
static void ml_draw_root(FILE *out, const struct ml_geometry *g, const char *who, uint64_t pgd)
{
	bool kernel = !strcmp(who, "kernel");
	const char *reg = g->arm64 ? (kernel ? "TTBR1_EL1" : "TTBR0_EL1") :
		!strcmp(g->arch, "x86_64") ? "CR3" : "the root";

	/* On x86 any pgd will do: they all share the kernel half. */
	if (kernel)
		fprintf(out, "%s: %s, at 0x%llx\n", reg,
			g->arm64 ? "swapper_pg_dir" : "the kernel's pgd", (unsigned long long)pgd);
	else
		fprintf(out, "%s: pid %s's pgd, at 0x%llx\n", reg, who, (unsigned long long)pgd);
}

/* How the last box ends: in a table below, a leaf, or nothing. */
static void ml_draw_end(FILE *out, int width, const struct ml_geometry *g,
			const struct ml_walk *w, int l)
{
	const struct ml_walk_row *r = &w->level[l];
	uint64_t natural, size;
	char label[160], nat[16], sz[16];
	const char *name = ml_field_names[l];

	if (l < w->last) {
		snprintf(label, sizeof(label), "next table at 0x%llx",
			 (unsigned long long)ml_entry_address(g, r->value));
		ml_box_rule(out, width, label, NULL);
		return;
	}
	if (!w->page.present) {
		if (!strcmp(r->flags, "none"))
			snprintf(label, sizeof(label),
				 "empty: nothing mapped, the walk ends at the %s", name);
		else
			snprintf(label, sizeof(label),
				 "not present: the walk ends at the %s", name);
		ml_box_close(out, width, label, "1;31");
		return;
	}
	natural = g->page_size << ((ML_PTE - l) * g->level_bits);
	size = ml_page_size_flag(w->page.flags);
	ml_size_name(nat, sizeof(nat), natural);
	ml_size_name(sz, sizeof(sz), size ? size : natural);
	if (size > natural)
		/* arm64's contiguous hint: one TLB entry for a run of leaves. */
		snprintf(label, sizeof(label), "%s leaf, one of %llu contiguous: a %s block%s%s",
			 nat, (unsigned long long)(size / natural), sz,
			 l < ML_PTE ? ": the walk ends at the " : "", l < ML_PTE ? name : "");
	else if (l < ML_PTE)
		snprintf(label, sizeof(label), "%s page: the walk ends at the %s", nat, name);
	else
		snprintf(label, sizeof(label), "maps the page frame, pfn 0x%llx",
			 (unsigned long long)w->page.value);
	ml_box_close(out, width, label, "1;32");
}

/* The frame and the byte: the page row. */
static void ml_draw_page(FILE *out, int width, const struct ml_geometry *g,
			 const struct ml_walk *w)
{
	const struct ml_walk_row *p = &w->page;
	uint64_t size = ml_page_size_flag(p->flags), base = p->pa - p->index;
	const char *flags = p->flags, *bar;
	char label[96], sz[16];

	ml_size_name(sz, sizeof(sz), size ? size : g->page_size);
	snprintf(label, sizeof(label), "%s page at phys 0x%llx", sz, (unsigned long long)base);
	ml_box_rule(out, width, label, NULL);
	ml_box_printf(out, width, "1;32", "pfn 0x%llx, byte at phys 0x%llx",
		      (unsigned long long)p->value, (unsigned long long)p->pa);
	if (size > g->page_size)
		ml_box_printf(out, width, NULL,
			      "offset 0x%llx in the %s page, whose first pfn is 0x%llx",
			      (unsigned long long)p->index, sz,
			      (unsigned long long)(base >> g->page_shift));
	else
		ml_box_printf(out, width, NULL, "offset 0x%llx in the page",
			      (unsigned long long)p->index);
	/* The size is in the rule already. */
	if (!strncmp(flags, "size=", 5)) {
		bar = strchr(flags, '|');
		flags = bar ? bar + 1 : "";
	}
	if (*flags)
		ml_box_text(out, width, 2, flags, NULL);
	ml_box_rule(out, width, NULL, NULL);
}

static void ml_draw_chain(FILE *out, int width, const struct ml_geometry *g,
			  const struct ml_walk *w, const char *who)
{
	const struct ml_walk_row *r;
	char label[64], note[128], folded[32] = "";
	int l, up = -1;

	ml_draw_root(out, g, who, w->level[ML_PGD].pa - w->level[ML_PGD].index * 8);
	for (l = 0; l <= w->last; l++) {
		r = &w->level[l];
		if (!r->present)
			continue;
		/* Folded: no table of its own, the entry above stands for it. */
		if (r->folded || !g->field[l].bits) {
			if (*folded)
				strcat(folded, ", ");
			strcat(folded, ml_field_names[l]);
			continue;
		}
		if (*folded && up >= 0) {
			snprintf(note, sizeof(note), "%s folded into the %s", folded,
				 ml_field_names[up]);
			ml_arrow(out, note);
			*folded = '\0';
		} else {
			ml_arrow(out, NULL);
		}
		snprintf(label, sizeof(label), "%s table at 0x%llx", ml_field_names[l],
			 (unsigned long long)(r->pa - r->index * 8));
		ml_box_rule(out, width, label, NULL);
		snprintf(note, sizeof(note), "%s[%llu]  ", ml_field_names[l],
			 (unsigned long long)r->index);
		ml_box_printf(out, width, NULL, "%sentry at 0x%llx = 0x%llx", note,
			      (unsigned long long)r->pa, (unsigned long long)r->value);
		/* The flags under the entry they decode. */
		ml_box_printf(out, width, NULL, "%*s%s", (int)strlen(note), "", r->flags);
		ml_draw_end(out, width, g, w, l);
		up = l;
	}
	if (!w->page.present)
		return;
	ml_arrow(out, NULL);
	ml_draw_page(out, width, g, w);
}

/*
 * The picture of a walk: the cut of @addr, then the chain.  @who is the
 * pid, or "kernel".  Not static: the tests draw saved walks with it.
 */
int ml_walk_draw(FILE *out, const struct ml_view *walk, const char *who, uint64_t addr)
{
	int width = ml_term_width(), ret;
	struct ml_geometry g;
	struct ml_walk w;
	char page[16];

	ret = ml_geometry_read(&g);
	if (ret)
		return ret;
	ret = ml_walk_rows(walk, &w);
	if (ret)
		return ret;
	ml_geometry_hide(&g, &w);
	ml_geometry_cut(&g, addr);
	ml_size_name(page, sizeof(page), g.page_size);
	if (!strcmp(who, "kernel"))
		fprintf(out, "kernel address 0x%016llx", (unsigned long long)addr);
	else
		fprintf(out, "pid %s, address 0x%016llx", who, (unsigned long long)addr);
	fprintf(out, "\n%s: %u levels, %s pages, %u-bit VA\n", g.arch, g.levels, page,
		g.va_bits);
	/* What the bits above the walk's say: which half, which root. */
	if (g.va_bits < 64)
		fprintf(out, "bits 63-%u %s\n", g.va_bits - (g.arm64 ? 0 : 1),
			strcmp(who, "kernel") ? "zero: the user half" :
			g.arm64 ? "all ones: kernel half, TTBR1" :
			"all ones: the kernel half");
	fputc('\n', out);
	ret = ml_draw_cut(out, &g, width);
	if (ret < 0)
		return ml_error(ML_EXIT_REFUSED, "out of memory");
	/* The chain as wide as the cut above it, which is a good width to read. */
	if (ret < 60)
		ret = 60;
	ml_check_cut(&g, &w);
	fputc('\n', out);
	if (w.last < 0) {
		fputs("the walk read no entry\n", out);
		return ML_EXIT_OK;
	}
	ml_draw_chain(out, width < ret ? width : ret, &g, &w, who);
	return ML_EXIT_OK;
}

static bool ml_is_pid(const char *s)
{
	if (!*s)
		return false;
	for (; *s; s++) {
		if (*s < '0' || *s > '9')
			return false;
	}
	return true;
}

/* What a refused request means, in the user's words. */
static int ml_query_error(const char *file, const char *who, const char *request, int err)
{
	if (err == -ESRCH)
		return ml_error(ML_EXIT_REFUSED, "%s: no process %s (or it has exited)", file, who);
	if (err == -EINVAL && !strcmp(who, "kernel"))
		return ml_error(ML_EXIT_REFUSED, "%s: %s: not a kernel address", file, request);
	if (err == -EINVAL)
		return ml_error(ML_EXIT_REFUSED,
				"%s: %s: not a user address, or pid %s is a kernel thread (no mm to walk)",
				file, request, who);
	return ml_file_error(file, request, err);
}

static int ml_cmd_walk(int argc, char **argv)
{
	bool table = ml_take_flag(&argc, argv, "--table");
	struct ml_view v;
	char request[64];
	uint64_t addr;
	int ret;

	if (argc != 3)
		return ml_usage(&ml_pgwalk_commands[0], ML_EXIT_USAGE);
	if (strcmp(argv[1], "kernel") && !ml_is_pid(argv[1]))
		return ml_error(ML_EXIT_USAGE, "walk: %s: not a pid, nor \"kernel\"", argv[1]);
	if (!ml_number(argv[2], &addr))
		return ml_error(ML_EXIT_USAGE, "walk: %s: not an address (decimal or 0x hex)",
				argv[2]);
	snprintf(request, sizeof(request), "%s 0x%llx", argv[1], (unsigned long long)addr);
	ret = ml_view_query(&v, "pgwalk/walk", request);
	if (ret)
		return ml_query_error("pgwalk/walk", argv[1], request, ret);
	if (table || ml_opt.json || ml_opt.output || ml_opt.noheadings)
		ret = ml_print(&v) ? ML_EXIT_USAGE : ML_EXIT_OK;
	else
		ret = ml_walk_draw(stdout, &v, argv[1], addr);
	ml_view_free(&v);
	return ret;
}

/*
 * The ranges chart.  A line is a run, or a group of runs when there are
 * too many to show; the groups are cut at the largest holes, which are the
 * shape of an address space (text, heap, mmap area, stack), so that the
 * map stays whole and bounded.
 */
#define ML_CHART_LINES	54

enum { ML_LEAF_PTE, ML_LEAF_PMD, ML_LEAF_PUD, ML_LEAF_OTHER, ML_NR_LEAVES };

struct ml_run {
	uint64_t start, end;
	int leaf;
	const char *flags;
	bool cut;		/* a group starts here, after a hole that is shown */
};

struct ml_chart {
	struct ml_run *runs;
	size_t n;
	char leaf_name[ML_NR_LEAVES][16];
	int addr_digits;
	int bar;
	int width;
	double lo, hi;		/* log2 of the smallest and largest line's bytes */
};

static int ml_chart_runs(const struct ml_view *v, struct ml_chart *c)
{
	static const char *const levels[] = { "pte", "pmd", "pud" };
	const char *level;
	size_t row;
	int l;

	c->runs = calloc(v->nrows + 1, sizeof(*c->runs));
	if (!c->runs)
		return ml_error(ML_EXIT_REFUSED, "out of memory");
	if (ml_col(v, "start") < 0 || ml_col(v, "end") < 0 || ml_col(v, "level") < 0)
		return ml_error(ML_EXIT_REFUSED, "%s has no start, end or level column", v->name);
	for (row = 0; row < v->nrows; row++) {
		struct ml_run *r = &c->runs[row];

		level = ml_get(v, row, "level");
		if (!ml_number(ml_get(v, row, "start"), &r->start) ||
		    !ml_number(ml_get(v, row, "end"), &r->end) ||
		    r->end <= r->start || !level ||
		    (row && r->start < c->runs[row - 1].end))
			return ml_error(ML_EXIT_REFUSED, "%s: row %zu: not a run",
					v->name, row + 1);
		for (l = 0; l < ML_LEAF_OTHER; l++) {
			if (!strcmp(level, levels[l]))
				break;
		}
		r->leaf = l;
		r->flags = ml_get(v, row, "flags");
		if (!r->flags)
			r->flags = "-";
	}
	c->n = v->nrows;
	return 0;
}

static int ml_cmp_desc(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? 1 : x > y ? -1 : 0;
}

/* Marks the runs that start a line: all of them, or those after the largest holes. */
static int ml_chart_cut(struct ml_chart *c)
{
	size_t i, nholes = 0, keep, taken = 0;
	uint64_t *holes, threshold;

	for (i = 1; i < c->n; i++)
		nholes += c->runs[i].start > c->runs[i - 1].end;
	c->runs[0].cut = true;
	if (c->n + nholes <= ML_CHART_LINES) {
		for (i = 1; i < c->n; i++)
			c->runs[i].cut = true;
		return 0;
	}
	keep = ML_CHART_LINES / 2 - 1;
	if (keep > nholes)
		keep = nholes;
	if (!keep)
		return 0;
	holes = calloc(nholes, sizeof(*holes));
	if (!holes)
		return -ENOMEM;
	for (i = 1, nholes = 0; i < c->n; i++) {
		if (c->runs[i].start > c->runs[i - 1].end)
			holes[nholes++] = c->runs[i].start - c->runs[i - 1].end;
	}
	qsort(holes, nholes, sizeof(*holes), ml_cmp_desc);
	threshold = holes[keep - 1];
	free(holes);
	/* Those above the threshold, then ties in address order. */
	for (i = 1; i < c->n; i++) {
		uint64_t gap = c->runs[i].start - c->runs[i - 1].end;

		if (gap > threshold) {
			c->runs[i].cut = true;
			taken++;
		}
	}
	for (i = 1; i < c->n && taken < keep; i++) {
		if (c->runs[i].start - c->runs[i - 1].end == threshold) {
			c->runs[i].cut = true;
			taken++;
		}
	}
	return 0;
}

/* The line from run @i: its runs, its bytes mapped; returns the next line's run. */
struct ml_line {
	size_t first, nruns;
	uint64_t mapped;
	unsigned int leaves;	/* a bit per leaf size */
	bool same_flags;
};

static size_t ml_chart_line(const struct ml_chart *c, size_t i, struct ml_line *ln)
{
	size_t j = i;

	memset(ln, 0, sizeof(*ln));
	ln->first = i;
	ln->same_flags = true;
	do {
		ln->mapped += c->runs[j].end - c->runs[j].start;
		ln->leaves |= 1U << c->runs[j].leaf;
		if (strcmp(c->runs[j].flags, c->runs[i].flags))
			ln->same_flags = false;
		j++;
	} while (j < c->n && !c->runs[j].cut);
	ln->nruns = j - i;
	return j;
}

static void ml_chart_print_line(const struct ml_chart *c, const struct ml_line *ln)
{
	static const char *const sgr[ML_NR_LEAVES] = { "36", "33", "35", "37" };
	const struct ml_run *r = &c->runs[ln->first];
	char size[16], leaves[40] = "", rest[160];
	int len, room, l, only = -1;

	ml_human(size, sizeof(size), ln->mapped);
	for (l = 0; l < ML_NR_LEAVES; l++) {
		if (!(ln->leaves & (1U << l)))
			continue;
		if (*leaves)
			strcat(leaves, "+");
		strcat(leaves, c->leaf_name[l]);
		only = only == -1 ? l : ML_NR_LEAVES;
	}
	if (c->hi > c->lo)
		len = 1 + (int)((c->bar - 1) * (log2((double)ln->mapped) - c->lo) /
				(c->hi - c->lo) + 0.5);
	else
		len = c->bar;
	if (ln->nruns == 1) {
		snprintf(rest, sizeof(rest), "%s", r->flags);
	} else {
		char span[16];
		const struct ml_run *last = &c->runs[ln->first + ln->nruns - 1];

		ml_human(span, sizeof(span), last->end - r->start);
		snprintf(rest, sizeof(rest), "... %zu runs in %s%s%s", ln->nruns, span,
			 ln->same_flags ? " " : "", ln->same_flags ? r->flags : "");
	}
	printf("0x%0*llx |", c->addr_digits, (unsigned long long)r->start);
	ml_bar(stdout, len, '#', sgr[only >= 0 && only < ML_NR_LEAVES ? only : ML_LEAF_OTHER]);
	printf("%*s| %6s %-5s ", c->bar - len, "", size, leaves);
	/* Whatever is left of the line, and no more. */
	room = c->width - (2 + c->addr_digits + 2 + c->bar + 2 + 6 + 1 + 5 + 1);
	if (room < 0)
		room = 0;
	printf("%.*s\n", room, rest);
}

static int ml_ranges_chart(const struct ml_view *v, const char *who)
{
	uint64_t total[ML_NR_LEAVES] = { 0 }, runs[ML_NR_LEAVES] = { 0 }, all = 0, top, page = 4096;
	unsigned int level_bits;
	struct ml_chart c = { 0 };
	struct ml_line ln;
	size_t i, next, lines = 0;
	char size[16], hole[16];
	int status = ML_EXIT_REFUSED, l;

	if (!v->nrows) {
		printf("pid %s maps nothing there\n", who);
		return ML_EXIT_OK;
	}
	if (ml_chart_runs(v, &c))
		goto out;
	if (ml_chart_cut(&c)) {
		ml_error(ML_EXIT_REFUSED, "out of memory");
		goto out;
	}
	/* The leaf sizes, by level, from the page size: 4K, 2M, 1G with 4K pages. */
	if (!ml_number(ml_version("page_size"), &page) || page < 4096 || (page & (page - 1)))
		page = 4096;
	level_bits = __builtin_ctzll(page) - 3;
	ml_size_name(c.leaf_name[ML_LEAF_PTE], 16, page);
	ml_size_name(c.leaf_name[ML_LEAF_PMD], 16, page << level_bits);
	ml_size_name(c.leaf_name[ML_LEAF_PUD], 16, page << 2 * level_bits);
	snprintf(c.leaf_name[ML_LEAF_OTHER], 16, "?");

	top = c.runs[c.n - 1].end;
	for (c.addr_digits = 1; c.addr_digits < 16 && top >> (4 * c.addr_digits); c.addr_digits++)
		;
	if (c.addr_digits < 12)
		c.addr_digits = 12;
	c.width = ml_term_width();
	/* Half of what the address, sizes and leaf leave, the rest for the flags. */
	c.bar = (c.width - c.addr_digits - 30) / 2;
	if (c.bar > 40)
		c.bar = 40;
	if (c.bar < 4)
		c.bar = 4;
	c.lo = 64;
	c.hi = 0;
	for (i = 0; i < c.n; i = next) {
		double b;

		next = ml_chart_line(&c, i, &ln);
		b = log2((double)ln.mapped);
		if (b < c.lo)
			c.lo = b;
		if (b > c.hi)
			c.hi = b;
		lines++;
	}

	printf("pid %s: what is mapped, a bar growing with log2 of the size\n", who);
	if (lines < c.n)
		printf("(many runs: grouped between the largest holes)\n");
	for (i = 0; i < c.n; i = next) {
		if (i && c.runs[i].start > c.runs[i - 1].end) {
			ml_human(hole, sizeof(hole), c.runs[i].start - c.runs[i - 1].end);
			printf("%*s   hole %s\n", c.addr_digits + 2, "", hole);
		}
		next = ml_chart_line(&c, i, &ln);
		ml_chart_print_line(&c, &ln);
	}
	for (i = 0; i < c.n; i++) {
		total[c.runs[i].leaf] += c.runs[i].end - c.runs[i].start;
		runs[c.runs[i].leaf]++;
		all += c.runs[i].end - c.runs[i].start;
	}
	ml_human(size, sizeof(size), all);
	printf("%zu run%s, %s mapped\n", c.n, c.n == 1 ? "" : "s", size);
	for (l = 0; l < ML_NR_LEAVES; l++) {
		if (!runs[l])
			continue;
		ml_human(size, sizeof(size), total[l]);
		printf("  %s pages: %s in %llu run%s\n", c.leaf_name[l], size,
		       (unsigned long long)runs[l], runs[l] == 1 ? "" : "s");
	}
	status = ML_EXIT_OK;
out:
	free(c.runs);
	return status;
}

static int ml_cmd_ranges(int argc, char **argv)
{
	bool chart = ml_take_flag(&argc, argv, "--chart");
	uint64_t start, end;
	struct ml_view v;
	char request[96];
	int ret;

	if (argc != 2 && argc != 4)
		return ml_usage(&ml_pgwalk_commands[1], ML_EXIT_USAGE);
	if (!ml_is_pid(argv[1]))
		return ml_error(ML_EXIT_USAGE, "ranges: %s: not a pid", argv[1]);
	if (argc == 4) {
		if (!ml_number(argv[2], &start) || !ml_number(argv[3], &end) || start >= end)
			return ml_error(ML_EXIT_USAGE,
					"ranges: %s %s: not START END, START below END", argv[2],
					argv[3]);
		snprintf(request, sizeof(request), "%s 0x%llx 0x%llx", argv[1],
			 (unsigned long long)start, (unsigned long long)end);
	} else {
		snprintf(request, sizeof(request), "%s", argv[1]);
	}
	ret = ml_view_query(&v, "pgwalk/ranges", request);
	if (ret)
		return ml_query_error("pgwalk/ranges", argv[1], request, ret);
	if (chart && !ml_opt.json)
		ret = ml_ranges_chart(&v, argv[1]);
	else
		ret = ml_print(&v) ? ML_EXIT_USAGE : ML_EXIT_OK;
	ml_view_free(&v);
	return ret;
}

const struct ml_command ml_pgwalk_commands[] = {
	{ "walk", ml_cmd_walk, "PID|kernel ADDR [--table]",
	  "the page-table walk of one address, drawn: the address cut into its indexes,\n"
	  "      the chain of tables from the root to the byte; --table prints the view" },
	{ "ranges", ml_cmd_ranges, "PID [START END] [--chart]",
	  "a process's mappings as runs contiguous in virtual and physical memory;\n"
	  "      --chart draws them as a map, with the holes between them" },
	{ NULL },
};
