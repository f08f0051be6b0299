// SPDX-License-Identifier: GPL-2.0
/*
 * memlab(1): the command table and the options every subcommand takes.
 * The options may come anywhere on the line, as util-linux allows, and
 * are taken out before the subcommand sees its arguments.
 */
#define _GNU_SOURCE
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "memlab.h"

static const struct ml_command *const ml_tables[] = {
	ml_core_commands,
	ml_buddy_commands,
	ml_slab_commands,
	ml_pgwalk_commands,
	ml_layout_commands,
	ml_ring_commands,
	ml_watch_commands,
};

static const struct ml_command *ml_find(const char *name)
{
	const struct ml_command *cmd;
	size_t i;

	for (i = 0; i < ARRAY_SIZE(ml_tables); i++) {
		for (cmd = ml_tables[i]; cmd->name; cmd++) {
			if (!strcmp(cmd->name, name))
				return cmd;
		}
	}
	return NULL;
}

static int ml_help_all(FILE *out, int status)
{
	const struct ml_command *cmd;
	size_t i;

	fputs("usage: memlab [-J|--json] [-p|--pretty] [-n|--noheadings] [-o|--output COLS]\n"
	      "              COMMAND [ARGS...]\n\n", out);
	for (i = 0; i < ARRAY_SIZE(ml_tables); i++) {
		for (cmd = ml_tables[i]; cmd->name; cmd++)
			fprintf(out, "  memlab %s%s%s\n      %s\n", cmd->name,
				*cmd->usage ? " " : "", cmd->usage, cmd->help);
	}
	fputs("\n'memlab COMMAND --help' says more; man memlab says all.\n", out);
	return status;
}

int ml_usage(const struct ml_command *cmd, int status)
{
	FILE *out = status ? stderr : stdout;

	fprintf(out, "usage: memlab %s%s%s\n      %s\n", cmd->name,
		*cmd->usage ? " " : "", cmd->usage, cmd->help);
	return status;
}

int ml_usage_error(const struct ml_command *cmd, const char *fmt, ...)
{
	char *why;
	va_list ap;
	int len;

	va_start(ap, fmt);
	len = vasprintf(&why, fmt, ap);
	va_end(ap);
	if (len >= 0) {
		ml_error(ML_EXIT_USAGE, "%s", why);
		free(why);
	}
	return ml_usage(cmd, ML_EXIT_USAGE);
}

int ml_subcommand(const struct ml_command *table, const struct ml_command *cmd,
		  const char *dflt, int argc, char **argv)
{
	const struct ml_command *sub;
	const char *name = argc > 1 ? argv[1] : dflt;
	char *words[2] = { (char *)dflt, NULL };

	for (sub = table; sub->name; sub++) {
		if (!strcmp(sub->name, name))
			break;
	}
	if (!sub->name) {
		ml_error(ML_EXIT_USAGE, "%s has no command %s", cmd->name, name);
		return ml_usage(cmd, ML_EXIT_USAGE);
	}
	if (argc < 2)
		return sub->run(1, words);
	return sub->run(argc - 1, argv + 1);
}

bool ml_wants_help(int argc, char **argv)
{
	int i;

	for (i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h"))
			return true;
	}
	return false;
}

/* Takes the global options out of argv; -1 on a usage error. */
static int ml_options(int *argc, char **argv)
{
	int i, n = 1;

	for (i = 1; i < *argc; i++) {
		const char *a = argv[i];

		if (!strcmp(a, "-J") || !strcmp(a, "--json")) {
			ml_opt.json = true;
		} else if (!strcmp(a, "-p") || !strcmp(a, "--pretty")) {
			ml_opt.json = true;
			ml_opt.pretty = true;
		} else if (!strcmp(a, "-n") || !strcmp(a, "--noheadings")) {
			ml_opt.noheadings = true;
		} else if (!strcmp(a, "-o") || !strcmp(a, "--output")) {
			if (++i == *argc)
				return -1;
			ml_opt.output = argv[i];
		} else if (!strncmp(a, "--output=", 9)) {
			ml_opt.output = a + 9;
		} else {
			argv[n++] = argv[i];
		}
	}
	*argc = n;
	argv[n] = NULL;
	return 0;
}

int main(int argc, char **argv)
{
	const struct ml_command *cmd;

	if (ml_options(&argc, argv))
		return ml_error(ML_EXIT_USAGE, "-o needs a list of columns");
	if (argc < 2)
		return ml_help_all(stderr, ML_EXIT_USAGE);
	if (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h") ||
	    !strcmp(argv[1], "help"))
		return ml_help_all(stdout, ML_EXIT_OK);
	cmd = ml_find(argv[1]);
	if (!cmd) {
		ml_error(ML_EXIT_USAGE, "no command %s", argv[1]);
		return ml_help_all(stderr, ML_EXIT_USAGE);
	}
	if (ml_wants_help(argc - 1, argv + 1))
		return ml_usage(cmd, ML_EXIT_OK);
	return cmd->run(argc - 1, argv + 1);
}
