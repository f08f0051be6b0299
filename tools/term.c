// SPDX-License-Identifier: GPL-2.0
/*
 * The terminal, and the bars every chart is drawn with.  A picture must
 * read the same in a pipe, a log file and a test: colour only on a
 * terminal and never with NO_COLOR (https://no-color.org), and the
 * characters alone carry the meaning, so that colour only helps.
 */
#define _GNU_SOURCE
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "memlab.h"

int ml_term_width(void)
{
	const char *columns = getenv("COLUMNS");
	struct winsize ws;
	int width = 0;

	if (columns)
		width = atoi(columns);
	if (width <= 0 && !ioctl(STDOUT_FILENO, TIOCGWINSZ, &ws))
		width = ws.ws_col;
	/* Below 40 columns no chart fits; take the classic width. */
	return width >= 40 ? width : 80;
}

bool ml_term_colour(void)
{
	const char *no = getenv("NO_COLOR");

	return isatty(STDOUT_FILENO) && !(no && *no);
}

void ml_paint(FILE *out, const char *sgr, const char *s)
{
	if (sgr && ml_term_colour())
		fprintf(out, "\033[%sm%s\033[0m", sgr, s);
	else
		fputs(s, out);
}

int ml_bar_len(uint64_t value, uint64_t max, int width, bool log)
{
	double len;

	if (!value || !max || width <= 0)
		return 0;
	if (value >= max)
		return width;
	if (log)
		len = width * log2(1.0 + value) / log2(1.0 + max);
	else
		len = (double)width * value / max;
	return len < 1 ? 1 : (int)(len + 0.5);
}

void ml_bar(FILE *out, int len, char ch, const char *sgr)
{
	char cells[512];

	if (len <= 0)
		return;
	if ((size_t)len >= sizeof(cells))
		len = sizeof(cells) - 1;
	memset(cells, ch, len);
	cells[len] = '\0';
	ml_paint(out, sgr, cells);
}

bool ml_wants_log(const uint64_t *vals, size_t n, uint64_t ratio)
{
	uint64_t lo = 0, hi = 0;
	size_t i;

	for (i = 0; i < n; i++) {
		if (!vals[i])
			continue;
		if (!lo || vals[i] < lo)
			lo = vals[i];
		if (vals[i] > hi)
			hi = vals[i];
	}
	return lo && hi / lo > ratio;
}

/* Takes argv[i], and @extra words after it, out of argv. */
static void ml_take(int *argc, char **argv, int i, int extra)
{
	memmove(argv + i, argv + i + 1 + extra,
		(*argc - i - extra) * sizeof(*argv));
	*argc -= 1 + extra;
}

bool ml_take_flag(int *argc, char **argv, const char *flag)
{
	int i;

	for (i = 1; i < *argc; i++) {
		if (!strcmp(argv[i], flag)) {
			ml_take(argc, argv, i, 0);
			return true;
		}
	}
	return false;
}

const char *ml_take_option(int *argc, char **argv, const char *opt)
{
	size_t len = strlen(opt);
	const char *val;
	int i;

	for (i = 1; i < *argc; i++) {
		if (!strcmp(argv[i], opt) && i + 1 < *argc) {
			val = argv[i + 1];
			ml_take(argc, argv, i, 1);
			return val;
		}
		if (!strncmp(argv[i], opt, len) && argv[i][len] == '=') {
			val = argv[i] + len + 1;
			ml_take(argc, argv, i, 0);
			return val;
		}
	}
	return NULL;
}

const char *ml_version(const char *key)
{
	static struct ml_view version;
	static int read_ret = 1;

	if (read_ret > 0)
		read_ret = ml_view_read(&version, "version");
	return read_ret ? NULL : ml_get(&version, 0, key);
}

void ml_say(int width, const char *fmt, ...)
{
	char *text, *word, *save;
	int col = 0, len;
	va_list ap;

	va_start(ap, fmt);
	len = vasprintf(&text, fmt, ap);
	va_end(ap);
	if (len < 0)
		return;
	for (word = strtok_r(text, " ", &save); word; word = strtok_r(NULL, " ", &save)) {
		len = strlen(word);
		if (col && col + 1 + len > width) {
			fputs("\n  ", stdout);
			col = 2;
		} else if (col) {
			putchar(' ');
			col++;
		}
		fputs(word, stdout);
		col += len;
	}
	putchar('\n');
	free(text);
}

void ml_human(char *buf, size_t size, uint64_t bytes)
{
	static const char units[] = "BKMGTPE";
	double v = bytes;
	int u = 0;

	while (v >= 1024 && units[u + 1]) {
		v /= 1024;
		u++;
	}
	if (u == 0 || v >= 100 || v == (uint64_t)v)
		snprintf(buf, size, "%.0f%c", v, units[u]);
	else
		snprintf(buf, size, "%.1f%c", v, units[u]);
}
