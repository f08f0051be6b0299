// SPDX-License-Identifier: GPL-2.0
/*
 * watch: one view read again and again and drawn in place, as slabtop
 * draws /proc/slabinfo, with what changed since the last refresh marked.
 * Rows are paired by key (snap.h), so that a row that moves is not
 * taken for a change.  In a pipe each refresh follows the last; with
 * --json each is one line of JSON.  Whatever ends it (q, a signal, a view
 * that went away, a write that failed), the terminal is given back as it
 * was: the normal screen, echo, and line editing.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <inttypes.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>

#include "memlab.h"
#include "snap.h"

#define ML_WATCH_MIN_INTERVAL	0.1

/* The alternate screen, no cursor, and lines cut at the edge, not wrapped. */
#define ML_SCREEN_ENTER	"\033[?1049h\033[?25l\033[?7l"
#define ML_SCREEN_LEAVE	"\033[?7h\033[?25h\033[?1049l"

/*
 * Not volatile: the signals are blocked but inside ppoll() (see
 * ml_signals()), so the handler runs only during that call, and
 * the compiler reads these afresh after any call it cannot see into.
 */
static sig_atomic_t ml_stop, ml_resized, ml_suspend;

static void ml_on_signal(int sig)
{
	if (sig == SIGWINCH)
		ml_resized = 1;
	else if (sig == SIGTSTP)
		ml_suspend = 1;
	else
		ml_stop = 1;
}

struct ml_watch {
	const char *name;
	double interval;
	unsigned long count;	/* refreshes to draw; 0: until told to stop */
	bool screen;		/* stdout is a terminal: draw in place */
	bool keys;		/* stdin is our terminal: q, and scrolling */
	bool raw;		/* the terminal's modes are ours until restored */
	bool alt;		/* on the alternate screen */
	struct termios saved;
	sigset_t oldmask;	/* what ppoll() lets in: the signals we catch */
	struct ml_view prev, cur;
	bool have_prev;
	struct ml_match match;	/* cur's rows to prev's */
	int *prevcol;		/* cur's columns in prev, or -1 */
	struct timespec when;	/* when cur was read */
	size_t top;		/* the first row shown */
	int write_err;		/* stdout failed: -errno */
	size_t page;		/* rows shown at once, for PgUp/PgDn */
};

static const struct ml_command *ml_watch_cmd(void)
{
	return &ml_watch_commands[0];
}

static int ml_watch_rows(void)
{
	const char *lines = getenv("LINES");
	struct winsize ws;
	int rows = 0;

	if (lines)
		rows = atoi(lines);
	if (rows <= 0 && !ioctl(STDOUT_FILENO, TIOCGWINSZ, &ws))
		rows = ws.ws_row;
	return rows > 0 ? rows : 24;
}

/* Echo off and keys one by one; ^C still a signal.  And the screen. */
static void ml_term_enter(struct ml_watch *w)
{
	struct termios t;

	if (w->keys && !tcgetattr(STDIN_FILENO, &w->saved)) {
		t = w->saved;
		t.c_lflag &= ~(ICANON | ECHO);
		t.c_cc[VMIN] = 1;
		t.c_cc[VTIME] = 0;
		w->raw = !tcsetattr(STDIN_FILENO, TCSANOW, &t);
	}
	if (w->screen) {
		fputs(ML_SCREEN_ENTER, stdout);
		fflush(stdout);
		w->alt = true;
	}
}

static void ml_term_leave(struct ml_watch *w)
{
	if (w->alt) {
		fputs(ML_SCREEN_LEAVE, stdout);
		fflush(stdout);
		w->alt = false;
	}
	if (w->raw) {
		tcsetattr(STDIN_FILENO, TCSANOW, &w->saved);
		w->raw = false;
	}
}

/* ^Z: the terminal given back while stopped, and taken again after. */
static void ml_term_suspend(struct ml_watch *w)
{
	sigset_t tstp;

	ml_term_leave(w);
	signal(SIGTSTP, SIG_DFL);
	sigemptyset(&tstp);
	sigaddset(&tstp, SIGTSTP);
	raise(SIGTSTP);
	/* It stops here, when the pending SIGTSTP gets in, until SIGCONT. */
	sigprocmask(SIG_UNBLOCK, &tstp, NULL);
	sigprocmask(SIG_BLOCK, &tstp, NULL);
	signal(SIGTSTP, ml_on_signal);
	ml_term_enter(w);
}

/*
 * The signals are caught into flags and let in only inside ppoll(), so
 * that none comes between looking at the flags and starting to wait.
 */
static void ml_signals(struct ml_watch *w)
{
	static const int sigs[] = { SIGINT, SIGTERM, SIGHUP, SIGWINCH, SIGTSTP };
	struct sigaction sa;
	sigset_t block;
	size_t i;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = ml_on_signal;
	sigemptyset(&sa.sa_mask);
	sigemptyset(&block);
	for (i = 0; i < ARRAY_SIZE(sigs); i++) {
		/* Without a terminal of ours to give back, ^Z may stop us as is. */
		if (sigs[i] == SIGTSTP && !w->keys && !w->screen)
			continue;
		sigaction(sigs[i], &sa, NULL);
		sigaddset(&block, sigs[i]);
	}
	/* A reader that went away ends the watch through EPIPE, not a kill. */
	signal(SIGPIPE, SIG_IGN);
	sigprocmask(SIG_BLOCK, &block, &w->oldmask);
}

/* The columns -o picked, or all; a name the view lacks is left out. */
static size_t ml_watch_pick(const struct ml_view *v, int *picked, const char **missing)
{
	char *list, *save, *name;
	size_t n = 0;
	int col;

	if (missing)
		*missing = NULL;
	if (!ml_opt.output) {
		for (; n < v->ncols; n++)
			picked[n] = n;
		return n;
	}
	list = strdup(ml_opt.output);
	for (name = list ? strtok_r(list, ",", &save) : NULL; name;
	     name = strtok_r(NULL, ",", &save)) {
		col = ml_col(v, name);
		if (col < 0 && missing && !*missing)
			*missing = ml_opt.output + (name - list);
		else if (col >= 0 && n < v->ncols)
			picked[n++] = col;
	}
	free(list);
	return n;
}

/* Row @row, column @col of cur differs from prev, or is new. */
static bool ml_changed(const struct ml_watch *w, size_t row, int col)
{
	ssize_t prow;

	if (!w->have_prev)
		return false;
	if (w->prevcol[col] < 0)
		return true;
	prow = w->cur.kv ? 0 : w->match.b2a[row];
	if (prow < 0)
		return true;
	return !ml_same_cell(ml_cell(&w->prev, prow, w->prevcol[col]),
			     ml_cell(&w->cur, row, col));
}

/*
 * One cell padded to @width: numbers to the right, names to the left, and
 * after it a mark: reverse video when there is colour, else a '*'.  The
 * mark's column is kept in both, so that the table lines up alike.
 */
static void ml_put_cell(FILE *f, const char *s, int width, bool right, bool changed,
			bool last)
{
	int pad = width > (int)strlen(s) ? width - (int)strlen(s) : 0;
	bool colour = ml_term_colour();

	if (right)
		fprintf(f, "%*s", pad, "");
	if (changed && colour)
		ml_paint(f, "7", s);
	else
		fputs(s, f);
	/* No blanks at the end of a line: a pipe's reader would see them. */
	if (last) {
		if (changed && !colour)
			fputc('*', f);
		return;
	}
	fputc(changed && !colour ? '*' : ' ', f);
	fprintf(f, "%*s ", right ? 0 : pad, "");
}

static void ml_title(FILE *f, const struct ml_watch *w)
{
	char when[64];
	struct tm tm;

	if (!localtime_r(&w->when.tv_sec, &tm) ||
	    !strftime(when, sizeof(when), "%Y-%m-%d %H:%M:%S", &tm))
		snprintf(when, sizeof(when), "-");
	fprintf(f, "memlab watch %s, every %gs, %s%s\n", w->name, w->interval, when,
		w->keys ? " (q quits)" : "");
}

/* End of a line: on the screen, what the last frame left after it goes. */
static void ml_eol(FILE *f, const struct ml_watch *w)
{
	fputs(w->screen ? "\033[K\n" : "\n", f);
}

/* How many of @total rows fit, and from which; the screen only. */
static size_t ml_fit(struct ml_watch *w, size_t total, size_t fixed)
{
	size_t rows = ml_watch_rows(), fit;

	if (!w->screen) {
		w->top = 0;
		return total;
	}
	/* Below the rows: the scroll line, and one left empty, never scrolled into. */
	fit = rows > fixed + 2 ? rows - fixed - 2 : 1;
	w->page = fit;
	if (w->top + fit > total)
		w->top = total > fit ? total - fit : 0;
	return total - w->top < fit ? total - w->top : fit;
}

static void ml_scroll_line(FILE *f, const struct ml_watch *w, size_t shown, size_t total)
{
	if (shown >= total)
		return;
	fprintf(f, "-- rows %zu-%zu of %zu: j/k, space/b, g/G scroll --", w->top + 1,
		w->top + shown, total);
	ml_eol(f, w);
}

static void ml_draw_kv(FILE *f, struct ml_watch *w, const int *picked, size_t n)
{
	size_t i, shown, width = 0;
	const char *val;

	for (i = 0; i < n; i++) {
		if (strlen(w->cur.cols[picked[i]]) > width)
			width = strlen(w->cur.cols[picked[i]]);
	}
	shown = ml_fit(w, n, 2);
	for (i = w->top; i < w->top + shown; i++) {
		val = ml_cell(&w->cur, 0, picked[i]);
		if (!ml_opt.noheadings)
			fprintf(f, "%s:%*s ", w->cur.cols[picked[i]],
				(int)(width - strlen(w->cur.cols[picked[i]])), "");
		ml_put_cell(f, val ? val : "-", 0, false, ml_changed(w, 0, picked[i]), true);
		ml_eol(f, w);
	}
	ml_scroll_line(f, w, shown, n);
}

static void ml_draw_table(FILE *f, struct ml_watch *w, const int *picked, size_t n)
{
	const struct ml_view *v = &w->cur;
	int *width = calloc(n + 1, sizeof(*width));
	bool *right = calloc(n + 1, sizeof(*right));
	size_t i, row, shown;
	const char *cell;
	uint64_t val;
	int len;

	if (!width || !right)
		goto out;
	for (i = 0; i < n; i++) {
		width[i] = strlen(v->cols[picked[i]]);
		for (row = 0; row < v->nrows; row++) {
			cell = ml_cell(v, row, picked[i]);
			len = strlen(cell ? cell : "-");
			if (len > width[i])
				width[i] = len;
			if (ml_number(cell, &val))
				right[i] = true;
		}
	}
	if (!ml_opt.noheadings) {
		for (i = 0; i < n; i++) {
			len = strlen(v->cols[picked[i]]);
			if (right[i])
				fprintf(f, "%*s", width[i] - len, "");
			ml_paint(f, "1", v->cols[picked[i]]);
			if (i + 1 < n)
				fprintf(f, "%*s", (right[i] ? 0 : width[i] - len) + 2, "");
		}
		ml_eol(f, w);
	}
	shown = ml_fit(w, v->nrows, ml_opt.noheadings ? 2 : 3);
	for (row = w->top; row < w->top + shown; row++) {
		for (i = 0; i < n; i++) {
			cell = ml_cell(v, row, picked[i]);
			ml_put_cell(f, cell ? cell : "-", width[i], right[i],
				    ml_changed(w, row, picked[i]), i + 1 == n);
		}
		ml_eol(f, w);
	}
	ml_scroll_line(f, w, shown, v->nrows);
out:
	free(width);
	free(right);
}

/* One refresh as text: the screen drawn over, or the next in a pipe. */
static void ml_draw_text(FILE *f, struct ml_watch *w, bool first)
{
	int *picked = calloc(w->cur.ncols + 1, sizeof(*picked));
	size_t n;

	if (!picked)
		return;
	if (w->screen)
		fputs("\033[H", f);
	else if (!first)
		fputc('\n', f);
	ml_title(f, w);
	ml_eol(f, w);
	n = ml_watch_pick(&w->cur, picked, NULL);
	if (w->cur.kv)
		ml_draw_kv(f, w, picked, n);
	else
		ml_draw_table(f, w, picked, n);
	if (w->screen)
		fputs("\033[J", f);
	free(picked);
}

/*
 * One refresh as a line of JSON: the view's document, with the time it
 * was read put in before its closing brace.
 */
static int ml_draw_json(FILE *f, const struct ml_watch *w)
{
	char *doc = NULL;
	size_t len = 0;
	FILE *mem;
	int ret;

	mem = open_memstream(&doc, &len);
	if (!mem)
		return -ENOMEM;
	ret = ml_print_json(mem, &w->cur);
	if (fclose(mem) && !ret)
		ret = -ENOMEM;
	if (!ret && (len < 2 || strcmp(doc + len - 2, "}\n")))
		ret = -EPROTO;
	if (!ret)
		fprintf(f, "%.*s,\"time\":%lld.%03ld}\n", (int)(len - 2), doc,
			(long long)w->when.tv_sec, w->when.tv_nsec / 1000000);
	free(doc);
	return ret;
}

/* The frame into memory, then out in one write: a screen never half drawn. */
static int ml_draw(struct ml_watch *w, bool first)
{
	char *frame = NULL;
	size_t len = 0;
	FILE *mem;
	int ret = 0;

	mem = open_memstream(&frame, &len);
	if (!mem)
		return -ENOMEM;
	if (ml_opt.json)
		ret = ml_draw_json(mem, w);
	else
		ml_draw_text(mem, w, first);
	if (fclose(mem) && !ret)
		ret = -ENOMEM;
	if (!ret && (fwrite(frame, 1, len, stdout) != len || fflush(stdout))) {
		ret = errno ? -errno : -EIO;
		w->write_err = ret;
	}
	free(frame);
	return ret;
}

/* cur read anew, the last one kept as prev to mark against. */
static int ml_refresh(struct ml_watch *w)
{
	struct ml_view next;
	int *prevcol;
	size_t c;
	int ret;

	ret = ml_view_read(&next, w->name);
	if (ret)
		return ret;
	prevcol = calloc(next.ncols + 1, sizeof(*prevcol));
	if (!prevcol) {
		ml_view_free(&next);
		return -ENOMEM;
	}
	if (w->have_prev)
		ml_match_free(&w->match);
	ml_view_free(&w->prev);
	w->prev = w->cur;
	w->cur = next;
	clock_gettime(CLOCK_REALTIME, &w->when);
	ret = ml_match_rows(&w->prev, &w->cur, &w->match);
	if (ret) {
		free(prevcol);
		w->have_prev = false;
		return ret;
	}
	for (c = 0; c < w->cur.ncols; c++)
		prevcol[c] = ml_col(&w->prev, w->cur.cols[c]);
	free(w->prevcol);
	w->prevcol = prevcol;
	w->have_prev = true;
	return 0;
}

/* The keys typed since; true when the screen needs drawing again. */
static bool ml_keys(struct ml_watch *w)
{
	size_t page = w->page ? w->page : 1;
	char buf[64];
	ssize_t n, i;
	bool redraw = false;

	n = read(STDIN_FILENO, buf, sizeof(buf));
	if (n == 0 || (n < 0 && errno != EINTR && errno != EAGAIN)) {
		/* The terminal hung up. */
		ml_stop = 1;
		return false;
	}
	for (i = 0; i < n; i++) {
		char c = buf[i];

		/* The arrows, PgUp, PgDn, Home and End, as terminals send them. */
		if (c == '\033' && i + 2 < n && buf[i + 1] == '[') {
			c = buf[i + 2];
			i += 2;
			c = c == 'A' ? 'k' : c == 'B' ? 'j' : c == 'H' ? 'g' : c == 'F' ? 'G' :
			    c == '5' ? 'b' : c == '6' ? ' ' : 0;
			if (i + 1 < n && buf[i + 1] == '~')
				i++;
		}
		switch (c) {
		case 'q':
		case 'Q':
			ml_stop = 1;
			return false;
		case 'j':
			w->top++;
			break;
		case 'k':
			w->top -= w->top > 0;
			break;
		case ' ':
			w->top += page;
			break;
		case 'b':
			w->top = w->top > page ? w->top - page : 0;
			break;
		case 'g':
			w->top = 0;
			break;
		case 'G':
			w->top = (size_t)-1 / 2;
			break;
		default:
			continue;
		}
		redraw = true;
	}
	return redraw && w->screen;
}

static double ml_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

/* Until @deadline, or a stop; drawing again on a key, a resize or a ^Z. */
static int ml_wait(struct ml_watch *w, double deadline)
{
	struct pollfd pfd = { .fd = STDIN_FILENO, .events = POLLIN };
	struct timespec ts;
	double left;
	int ret;

	while (!ml_stop) {
		if (ml_suspend) {
			ml_suspend = 0;
			ml_term_suspend(w);
			ml_resized = 1;
		}
		if (ml_resized) {
			ml_resized = 0;
			if (w->screen && !ml_opt.json) {
				ret = ml_draw(w, false);
				if (ret)
					return ret;
			}
		}
		left = deadline - ml_now();
		if (left <= 0)
			return 0;
		ts.tv_sec = (time_t)left;
		ts.tv_nsec = (long)((left - ts.tv_sec) * 1e9);
		ret = ppoll(&pfd, w->keys ? 1 : 0, &ts, &w->oldmask);
		if (ret < 0 && errno != EINTR)
			return -errno;
		if (ret > 0 && (pfd.revents & (POLLIN | POLLHUP | POLLERR)) && ml_keys(w)) {
			ret = ml_draw(w, false);
			if (ret)
				return ret;
		}
	}
	return 0;
}

static int ml_parse_args(struct ml_watch *w, int argc, char **argv)
{
	const char *interval = ml_take_option(&argc, argv, "--interval");
	const char *count = ml_take_option(&argc, argv, "--count");
	char *end;

	w->interval = 1;
	if (interval) {
		errno = 0;
		w->interval = strtod(interval, &end);
		/* !(>=) also refuses NaN; the upper bound keeps a timespec sane. */
		if (errno || end == interval || *end || !(w->interval >= ML_WATCH_MIN_INTERVAL) ||
		    w->interval > 1e9)
			return ml_error(ML_EXIT_USAGE,
					"watch: --interval takes seconds, at least %g: not %s",
					ML_WATCH_MIN_INTERVAL, interval);
	}
	if (count) {
		errno = 0;
		w->count = strtoul(count, &end, 10);
		if (errno || end == count || *end || *count < '0' || *count > '9' || !w->count)
			return ml_error(ML_EXIT_USAGE,
					"watch: --count takes a number of refreshes, at least 1: not %s",
					count);
	}
	if (argc != 2 || argv[1][0] == '-') {
		if (argc > 1 && argv[argc - 1][0] == '-')
			ml_error(ML_EXIT_USAGE, "watch: %s%s", argv[argc - 1],
				 strcmp(argv[argc - 1], "--interval") &&
				 strcmp(argv[argc - 1], "--count") ?
				 " is not an option" : " needs a value");
		return ml_usage(ml_watch_cmd(), ML_EXIT_USAGE);
	}
	w->name = argv[1];
	return 0;
}

static int ml_cmd_watch(int argc, char **argv)
{
	struct ml_watch w;
	const char *missing;
	unsigned long frames;
	int status = ML_EXIT_OK, err = 0, *picked;
	double deadline;

	memset(&w, 0, sizeof(w));
	status = ml_parse_args(&w, argc, argv);
	if (status)
		return status;
	/* NDJSON: one document a line, whatever -p asked. */
	ml_opt.pretty = false;
	/* The first read before the screen is taken: an error stays readable. */
	err = ml_view_read(&w.cur, w.name);
	if (err)
		return ml_file_error(w.name, "cannot read", err);
	clock_gettime(CLOCK_REALTIME, &w.when);
	picked = calloc(w.cur.ncols + 1, sizeof(*picked));
	if (picked)
		ml_watch_pick(&w.cur, picked, &missing);
	free(picked);
	if (!picked || missing) {
		status = !picked ? ml_error(ML_EXIT_REFUSED, "out of memory") :
			 ml_error(ML_EXIT_USAGE, "%s has no column %.*s", w.name,
				  (int)strcspn(missing, ","), missing);
		goto out;
	}
	w.screen = isatty(STDOUT_FILENO) && !ml_opt.json;
	/* Not a terminal we are in the background of: reading it would stop us. */
	w.keys = isatty(STDIN_FILENO) && tcgetpgrp(STDIN_FILENO) == getpgrp();
	ml_signals(&w);
	ml_term_enter(&w);
	for (frames = 1;; frames++) {
		err = ml_draw(&w, frames == 1);
		if (err || ml_stop || (w.count && frames >= w.count))
			break;
		deadline = ml_now() + w.interval;
		err = ml_wait(&w, deadline);
		if (err || ml_stop)
			break;
		err = ml_refresh(&w);
		if (err)
			break;
	}
	ml_term_leave(&w);
	sigprocmask(SIG_SETMASK, &w.oldmask, NULL);
	/* Said on the normal screen, after it is back. */
	if (w.write_err == -EPIPE)
		status = ML_EXIT_OK;
	else if (w.write_err)
		status = ml_error(ML_EXIT_REFUSED, "stdout: %s", strerror(-w.write_err));
	else if (err)
		status = ml_file_error(w.name, "cannot read", err);
out:
	if (w.have_prev)
		ml_match_free(&w.match);
	free(w.prevcol);
	ml_view_free(&w.prev);
	ml_view_free(&w.cur);
	return status;
}

const struct ml_command ml_watch_commands[] = {
	{ "watch", ml_cmd_watch, "VIEW [--interval S] [--count N]",
	  "VIEW (e.g. buddy/freearea) redrawn every S seconds (1; at least 0.1), what changed\n"
	  "      marked; q quits; --count N stops after N refreshes; --json: a line of JSON each" },
	{ "snap", ml_cmd_snap, "FILE",
	  "save every view into FILE (- for stdout), for memlab diff" },
	{ "diff", ml_cmd_diff, "A [B]",
	  "what changed from snap A to snap B, or to now: one line per cell, row or view" },
	{ NULL },
};
