// SPDX-License-Identifier: GPL-2.0
/*
 * The pressure run as a timeline: one line per row of buddy/pressure, the
 * blocks taken so far, then the zone's free pages as a bar with the row's
 * min, low and high watermarks marked in it (m, l, h), then why the row
 * is there (kswapd, direct_reclaim, compaction, how the run ended).
 *
 * The watermarks are a few percent of a zone's free pages, so a bar
 * scaled to the start of the run draws all three in one or two columns.
 * Then the bar's first columns are zoomed in on the watermarks and the
 * rest goes on to the start: two linear scales, both said above the
 * chart, rather than one that hides what the run is about.
 */
#include <stdlib.h>
#include <string.h>

#include "memlab.h"

/* Columns between two marks, below which they cannot be told apart. */
#define ML_PRESSURE_GAP		2
/* The narrowest bar worth drawing, however long the notes. */
#define ML_PRESSURE_MIN_BAR	20
/* The zoomed part: 2 columns between marks at the default spacing. */
#define ML_PRESSURE_MIN_ZOOM	16

enum { ML_WMARK_MIN, ML_WMARK_LOW, ML_WMARK_HIGH, ML_NR_WMARKS };

static const char ml_wmark_chars[ML_NR_WMARKS] = { 'm', 'l', 'h' };
static const char *const ml_wmark_sgr[ML_NR_WMARKS] = { "31", "33", "32" };

struct ml_pressure_row {
	uint64_t blocks, free, wmark[ML_NR_WMARKS];
	const char *notes;	/* "-" for none */
};

/* Free pages to columns: linear to @top, or zoomed up to @zoom_pages. */
struct ml_pressure_scale {
	int width;
	uint64_t top;
	int zoom_cols;		/* 0: one scale */
	uint64_t zoom_pages;
};

static int ml_pressure_len(const struct ml_pressure_scale *s, uint64_t pages)
{
	if (!s->zoom_cols)
		return ml_bar_len(pages, s->top, s->width, false);
	if (pages <= s->zoom_pages)
		return ml_bar_len(pages, s->zoom_pages, s->zoom_cols, false);
	return s->zoom_cols + ml_bar_len(pages - s->zoom_pages,
					 s->top - s->zoom_pages,
					 s->width - s->zoom_cols, false);
}

/* The column a watermark is marked in: the last one a bar of it fills. */
static int ml_pressure_mark(const struct ml_pressure_scale *s, uint64_t pages)
{
	int len = ml_pressure_len(s, pages);

	return len ? len - 1 : 0;
}

static bool ml_pressure_apart(const struct ml_pressure_scale *s,
			      const uint64_t *wmark)
{
	int min = ml_pressure_mark(s, wmark[ML_WMARK_MIN]);
	int low = ml_pressure_mark(s, wmark[ML_WMARK_LOW]);
	int high = ml_pressure_mark(s, wmark[ML_WMARK_HIGH]);

	return low - min >= ML_PRESSURE_GAP && high - low >= ML_PRESSURE_GAP;
}

/*
 * One scale when it keeps every row's marks apart; else a third of the
 * bar for 0 .. high + (high - min), as far above high as min is below
 * it, so that a run that ends between two marks is seen to.  A boost
 * (watermark_boost_factor) raises a row's three marks alike: the zoomed
 * part reaches the highest.
 */
static void ml_pressure_scale(struct ml_pressure_scale *s, int width,
			      uint64_t top, const struct ml_pressure_row *rows,
			      size_t n)
{
	const uint64_t *wmark;
	bool apart = true;
	uint64_t zoom = 0;
	size_t i;

	s->width = width;
	s->top = top;
	s->zoom_cols = 0;
	for (i = 0; i < n; i++) {
		wmark = rows[i].wmark;
		apart &= ml_pressure_apart(s, wmark);
		if (2 * wmark[ML_WMARK_HIGH] - wmark[ML_WMARK_MIN] > zoom)
			zoom = 2 * wmark[ML_WMARK_HIGH] - wmark[ML_WMARK_MIN];
	}
	if (apart || zoom >= top)
		return;
	s->zoom_cols = width / 3;
	if (s->zoom_cols < ML_PRESSURE_MIN_ZOOM)
		s->zoom_cols = ML_PRESSURE_MIN_ZOOM;
	if (s->zoom_cols > width / 2)
		s->zoom_cols = width / 2;
	s->zoom_pages = zoom;
}

/* The watermark marked in column @col of @r's line, or -1; high wins. */
static int ml_pressure_mark_at(const struct ml_pressure_scale *s,
			       const struct ml_pressure_row *r, int col)
{
	int i, w = -1;

	for (i = 0; i < ML_NR_WMARKS; i++) {
		if (ml_pressure_mark(s, r->wmark[i]) == col)
			w = i;
	}
	return w;
}

/*
 * The bar's length, kept on the side of each mark that the free pages
 * are on: a column holds many pages, and rounding must not draw a zone
 * below its low watermark as reaching it.
 */
static int ml_pressure_free_len(const struct ml_pressure_scale *s,
				const struct ml_pressure_row *r)
{
	int len = ml_pressure_len(s, r->free), mark, i;

	for (i = ML_NR_WMARKS - 1; i >= 0; i--) {
		mark = ml_pressure_mark(s, r->wmark[i]);
		if (r->free < r->wmark[i] && len > mark)
			len = mark;
	}
	return len;
}

/*
 * The row's bar, its marks over it, to the full width: "###M#l h   |".
 * A mark is upper case where the free pages are at or above it, so that
 * the letters say exactly what the columns can only approximate.
 */
static void ml_pressure_bar(const struct ml_pressure_scale *s,
			    const struct ml_pressure_row *r)
{
	int len = ml_pressure_free_len(s, r), col = 0, end, w;
	char ch[2] = "";

	while (col < s->width) {
		w = ml_pressure_mark_at(s, r, col);
		if (w >= 0) {
			ch[0] = ml_wmark_chars[w];
			if (r->free >= r->wmark[w])
				ch[0] += 'A' - 'a';
			ml_paint(stdout, ml_wmark_sgr[w], ch);
			col++;
			continue;
		}
		/* A run of bar, or of blank, up to a mark or the bar's end. */
		for (end = col + 1; end < s->width; end++) {
			if (end == len || ml_pressure_mark_at(s, r, end) >= 0)
				break;
		}
		if (col < len)
			ml_bar(stdout, end - col, '#', "36");
		else
			printf("%*s", end - col, "");
		col = end;
	}
	putchar('|');
}

/* 0, or the exit status with the row's trouble said. */
static int ml_pressure_parse(const struct ml_view *v,
			     struct ml_pressure_row *rows)
{
	static const char *const names[] = {
		"blocks", "free", "min", "low", "high", "notes",
	};
	uint64_t *val[ARRAY_SIZE(names) - 1];
	int col[ARRAY_SIZE(names)];
	struct ml_pressure_row *r;
	size_t i, row;

	for (i = 0; i < ARRAY_SIZE(names); i++) {
		col[i] = ml_need_col(v, names[i]);
		if (col[i] < 0)
			return ML_EXIT_REFUSED;
	}
	for (row = 0; row < v->nrows; row++) {
		r = &rows[row];
		val[0] = &r->blocks;
		val[1] = &r->free;
		for (i = 0; i < ML_NR_WMARKS; i++)
			val[2 + i] = &r->wmark[i];
		for (i = 0; i < ARRAY_SIZE(val); i++) {
			if (!ml_number(ml_cell(v, row, col[i]), val[i]))
				break;
		}
		r->notes = ml_cell(v, row, col[ARRAY_SIZE(val)]);
		if (i < ARRAY_SIZE(val) || !r->notes ||
		    r->wmark[ML_WMARK_MIN] > r->wmark[ML_WMARK_LOW] ||
		    r->wmark[ML_WMARK_LOW] > r->wmark[ML_WMARK_HIGH])
			return ml_error(ML_EXIT_REFUSED,
					"%s: row %zu is not blocks free min low high ... notes",
					v->name, row + 1);
	}
	return ML_EXIT_OK;
}

/* What the chart is of, its watermarks and its scale. */
static void ml_pressure_legend(const struct ml_view *v,
			       const struct ml_pressure_row *last, bool moved,
			       const struct ml_pressure_scale *s)
{
	int width = ml_term_width();

	ml_say(width, "order %s blocks taken from zone %s, aiming at %s %s",
	       ml_get(v, 0, "order"), ml_get(v, 0, "zone"),
	       ml_get(v, 0, "target"),
	       "free pages: the free pages (#) after each step, against the watermarks");
	ml_say(width, "m min %llu, l low %llu, h high %llu: %s %s; %s",
	       (unsigned long long)last->wmark[ML_WMARK_MIN],
	       (unsigned long long)last->wmark[ML_WMARK_LOW],
	       (unsigned long long)last->wmark[ML_WMARK_HIGH],
	       "the zone's watermarks", moved ?
	       "when it ended (they moved during the run: each line marks its own)" :
	       "throughout the run",
	       "upper case where the free pages are at or above one");
	if (s->zoom_cols)
		ml_say(width, "the bar's first %d columns are 0-%llu pages, %s %llu",
		       s->zoom_cols, (unsigned long long)s->zoom_pages,
		       "zoomed in on the watermarks; the rest go on to",
		       (unsigned long long)s->top);
	else
		ml_say(width, "a column is %.0f pages",
		       (double)s->top / s->width);
}

static int ml_digits(uint64_t val)
{
	char num[32];

	return snprintf(num, sizeof(num), "%llu", (unsigned long long)val);
}

int ml_pressure_chart(const struct ml_view *v)
{
	int bw = strlen("blocks"), fw = strlen("free"), nw = 0, width, bar;
	struct ml_pressure_row *rows, *r, *last;
	struct ml_pressure_scale s;
	bool moved = false;
	uint64_t top = 1;
	int ret;

	if (!v->nrows) {
		printf("no pressure run yet: %s\n",
		       "memlab buddy pressure ORDER runs one");
		return ML_EXIT_OK;
	}
	rows = calloc(v->nrows, sizeof(*rows));
	if (!rows)
		return ml_error(ML_EXIT_REFUSED, "out of memory");
	ret = ml_pressure_parse(v, rows);
	if (ret)
		goto out;
	last = &rows[v->nrows - 1];
	for (r = rows; r <= last; r++) {
		if (ml_digits(r->blocks) > bw)
			bw = ml_digits(r->blocks);
		if (ml_digits(r->free) > fw)
			fw = ml_digits(r->free);
		if (strcmp(r->notes, "-") && (int)strlen(r->notes) > nw)
			nw = strlen(r->notes);
		if (r->free > top)
			top = r->free;
		if (r->wmark[ML_WMARK_HIGH] > top)
			top = r->wmark[ML_WMARK_HIGH];
		moved |= memcmp(r->wmark, last->wmark, sizeof(r->wmark)) != 0;
	}
	/* Notes longer than a third of the line run past its end. */
	width = ml_term_width();
	if (nw > width / 3)
		nw = width / 3;
	/* "blocks free |", the bar, "|", and " notes". */
	bar = width - (bw + 1 + fw + 2) - 1 - (nw ? nw + 1 : 0);
	if (bar < ML_PRESSURE_MIN_BAR)
		bar = ML_PRESSURE_MIN_BAR;
	ml_pressure_scale(&s, bar, top, rows, v->nrows);
	ml_pressure_legend(v, last, moved, &s);
	putchar('\n');
	printf("%*s %*s", bw, "blocks", fw, "free");
	if (nw)
		printf("  %*s notes", s.width + 1, "");
	putchar('\n');
	for (r = rows; r <= last; r++) {
		printf("%*llu %*llu |", bw, (unsigned long long)r->blocks,
		       fw, (unsigned long long)r->free);
		ml_pressure_bar(&s, r);
		if (strcmp(r->notes, "-"))
			printf(" %s", r->notes);
		putchar('\n');
	}
out:
	free(rows);
	return ret;
}
