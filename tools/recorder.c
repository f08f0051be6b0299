// SPDX-License-Identifier: GPL-2.0
/*
 * The recorder's views, which each module that records what its commands
 * cost publishes in its own directory (buddy/, slab/) in the same format:
 * events, a row per command, and timeline, what the allocator did for
 * each.  One subcommand of each serves every such module, told which
 * directory and whose usage to print on a mistake.
 */
#include <stdlib.h>
#include <string.h>

#include "memlab.h"

/* "@dir/@view" in @file: "buddy/timeline". */
static int ml_recorder_file(char *file, size_t size, const char *dir, const char *view)
{
	if ((size_t)snprintf(file, size, "%s/%s", dir, view) >= size)
		return ml_error(ML_EXIT_REFUSED, "%s/%s: name too long", dir, view);
	return ML_EXIT_OK;
}

int ml_recorder_events(const struct ml_command *cmd, const char *dir, int argc, char **argv)
{
	char file[64];

	if (argc != 1)
		return ml_usage_error(cmd, "events takes no argument: %s", argv[1]);
	if (ml_recorder_file(file, sizeof(file), dir, "events"))
		return ML_EXIT_REFUSED;
	return ml_show(file);
}

/* Command @id's rows, wherever they stand in the view, the header whole. */
int ml_recorder_timeline(const struct ml_command *cmd, const char *dir, int argc, char **argv)
{
	const char *id = ml_take_option(&argc, argv, "--id");
	struct ml_view v, one;
	uint64_t want, val;
	size_t row, n = 0;
	char file[64];
	int ret, col;

	if (argc != 1)
		return ml_usage_error(cmd, "timeline takes only --id N, not %s", argv[1]);
	if (ml_recorder_file(file, sizeof(file), dir, "timeline"))
		return ML_EXIT_REFUSED;
	if (!id)
		return ml_show(file);
	if (!ml_number(id, &want))
		return ml_usage_error(cmd, "timeline: --id is a number, not %s", id);
	ret = ml_read(&v, file);
	if (ret)
		return ret;
	col = ml_need_col(&v, "id");
	one = v;
	one.cells = calloc(v.nrows * v.ncols + 1, sizeof(*one.cells));
	if (col < 0 || !one.cells) {
		ret = col < 0 ? ML_EXIT_REFUSED : ml_error(ML_EXIT_REFUSED, "out of memory");
		goto out;
	}
	for (row = 0; row < v.nrows; row++) {
		if (ml_number(ml_cell(&v, row, col), &val) && val == want)
			memcpy(one.cells + n++ * v.ncols, v.cells + row * v.ncols,
			       v.ncols * sizeof(*v.cells));
	}
	one.nrows = n;
	ret = ml_print_status(&one);
out:
	free(one.cells);
	ml_view_free(&v);
	return ret;
}
