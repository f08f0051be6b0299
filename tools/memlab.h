/* SPDX-License-Identifier: GPL-2.0 */
/*
 * memlab(1): the command-line front end to the memlab views.
 *
 * Every view is read whole and split by its own description of itself:
 * a table by its "# column ..." header, a key/value view by its
 * "key: value" lines.  A key/value view becomes a table of one row whose
 * columns are its keys, so that -o, --json and watch treat both alike.
 * Nothing here knows a view's columns by position; a subcommand that
 * needs one asks for it by name, and fails clearly when a kernel's view
 * no longer has it.
 */
#ifndef MEMLAB_TOOL_H
#define MEMLAB_TOOL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#define ARRAY_SIZE(a)	(sizeof(a) / sizeof((a)[0]))
#define __printf(a, b)	__attribute__((__format__(printf, a, b)))

/* Exit statuses: 1 when the kernel refused, 2 for the user's mistakes. */
#define ML_EXIT_OK	0
#define ML_EXIT_REFUSED	1
#define ML_EXIT_USAGE	2

struct ml_view {
	char *name;		/* relative to the root: "buddy/freearea" */
	char *text;		/* what read() returned, split in place */
	bool kv;		/* key: value lines, one row */
	bool setting;		/* one bare value, named after the file */
	size_t ncols;
	char **cols;		/* the header's names, or the keys */
	size_t nrows;
	char **cells;		/* nrows * ncols; NULL where a row is short */
};

/* The directory of the views: MEMLAB_ROOT, debugfs, or /proc/memlab. */
const char *ml_root(void);

/*
 * @name's bytes as read() gave them, NUL-terminated, in one open as cat
 * reads it; *@text is the caller's to free.
 */
int ml_read_text(const char *name, char **text);
int ml_view_read(struct ml_view *v, const char *name);
/* Writes @request and reads the answer through one descriptor. */
int ml_view_query(struct ml_view *v, const char *name, const char *request);
/* Splits @text, which @v then owns. */
int ml_view_parse(struct ml_view *v, const char *name, char *text);
void ml_view_free(struct ml_view *v);

int ml_col(const struct ml_view *v, const char *col);
/* ml_col(), saying so when @v lacks @col: a view the tool must draw. */
int ml_need_col(const struct ml_view *v, const char *col);
const char *ml_cell(const struct ml_view *v, size_t row, int col);
const char *ml_get(const struct ml_view *v, size_t row, const char *col);
/* Decimal or 0x hex; false for "-" and anything else. */
bool ml_number(const char *field, uint64_t *val);

/* One command in one write(2), as the control files require. */
int ml_control(const char *file, const char *command);

/* The options every subcommand takes. */
struct ml_options {
	bool json;		/* -J, --json */
	bool pretty;		/* -p, --pretty */
	bool noheadings;	/* -n, --noheadings */
	const char *output;	/* -o, --output COLS */
};

extern struct ml_options ml_opt;

/* A view, as text or JSON by ml_opt; -errno, or 0. */
int ml_print(const struct ml_view *v);
/* The same, and the read before it, as an exit status, errors said. */
int ml_print_status(const struct ml_view *v);
int ml_read(struct ml_view *v, const char *file);
/* Reads and prints one view: the exit status. */
int ml_show(const char *file);
/* The same, drawn by @draw instead when it is not NULL and -J is not on. */
int ml_show_chart(const char *file, int (*draw)(const struct ml_view *v));
int ml_print_text(FILE *out, const struct ml_view *v);
int ml_print_json(FILE *out, const struct ml_view *v);
void ml_json_begin(FILE *out, const char *view);
void ml_json_end(FILE *out);
void ml_json_value(FILE *out, const char *field);

/*
 * "memlab: ..." on stderr, or with --json an "error" object on stdout;
 * returns @status, for "return ml_error(...)".
 */
int ml_error(int status, const char *fmt, ...)
	__printf(2, 3);
/* @err (-errno) from @file, with its likely cause; returns 1. */
int ml_file_error(const char *file, const char *what, int err);

/*
 * The terminal (term.c).  Width is COLUMNS, else the terminal's, else 80.
 * Colour only when stdout is a terminal and NO_COLOR is unset; without
 * it every picture is plain ASCII.
 */
int ml_term_width(void);
bool ml_term_colour(void);
/* @s in the SGR colour @sgr (e.g. "32", "1;31") when colour is on. */
void ml_paint(FILE *out, const char *sgr, const char *s);
/*
 * The length of a bar for @value, the largest being @max, in at most
 * @width cells; on a log scale (log2(1 + value)) when @log.  Any nonzero
 * value gets at least one cell, so that "one" and "none" look different.
 */
int ml_bar_len(uint64_t value, uint64_t max, int width, bool log);
/* @len cells of @ch, painted @sgr when colour is on. */
void ml_bar(FILE *out, int len, char ch, const char *sgr);
/* The text of @fmt, wrapped at blanks to @width, going on two columns in. */
void ml_say(int width, const char *fmt, ...)
	__printf(2, 3);
/* 1536 -> "1.5K": a size as a person reads it, in at most 6 characters. */
void ml_human(char *buf, size_t size, uint64_t bytes);
/* True when the counts span more than @ratio from the smallest nonzero. */
bool ml_wants_log(const uint64_t *vals, size_t n, uint64_t ratio);

/*
 * buddy/pressure as a timeline: a line per row, its free pages against
 * the zone's watermarks (pressure.c).  Returns the exit status.
 */
int ml_pressure_chart(const struct ml_view *v);

/* "--flag" in @argv, taken out of it (argc shrinks); false if absent. */
bool ml_take_flag(int *argc, char **argv, const char *flag);
/* "--opt VALUE" or "--opt=VALUE", taken out; NULL if absent. */
const char *ml_take_option(int *argc, char **argv, const char *opt);

/* The version view's @key ("arch", "paging_levels", ...), or NULL. */
const char *ml_version(const char *key);

/* A subcommand: argv[0] is its name; returns the exit status. */
struct ml_command {
	const char *name;
	int (*run)(int argc, char **argv);
	const char *usage;
	const char *help;
};

/* The subcommands of each file, each table ending in an empty entry. */
extern const struct ml_command ml_core_commands[];
extern const struct ml_command ml_buddy_commands[];
extern const struct ml_command ml_slab_commands[];
extern const struct ml_command ml_pgwalk_commands[];
extern const struct ml_command ml_layout_commands[];
extern const struct ml_command ml_ring_commands[];
extern const struct ml_command ml_watch_commands[];

/*
 * Runs the second word of "memlab buddy alloc 3" from @table, whose
 * entries' names are the second words; @cmd is the first word's entry,
 * for its usage.  With no second word, @dflt (e.g. "show") runs.
 */
int ml_subcommand(const struct ml_command *table, const struct ml_command *cmd,
		  const char *dflt, int argc, char **argv);

/* "--help" or "-h" in @argv. */
bool ml_wants_help(int argc, char **argv);
int ml_usage(const struct ml_command *cmd, int status);
/* A usage error says what was wrong, then how @cmd goes; returns 2. */
int ml_usage_error(const struct ml_command *cmd, const char *fmt, ...)
	__printf(2, 3);

/*
 * The recorder's views of the module whose directory is @dir ("buddy",
 * "slab"), as its subcommands (recorder.c): events, and timeline [--id N],
 * every command's rows or command N's alone.  A mistake prints @cmd's
 * usage.  Each returns the exit status.
 */
int ml_recorder_events(const struct ml_command *cmd, const char *dir, int argc, char **argv);
int ml_recorder_timeline(const struct ml_command *cmd, const char *dir, int argc, char **argv);

#endif
