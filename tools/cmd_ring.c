// SPDX-License-Identifier: GPL-2.0
/*
 * memlab_ring's views: where the reader and the writer are, and the
 * devm_kmalloc'd nodes the bytes sit in.  The data itself is read and
 * written through /dev/memlab_ring, with cat and echo.
 */
#include "memlab.h"

static int ml_ring_view(int argc, const char *file)
{
	if (argc != 1)
		return ml_usage(&ml_ring_commands[0], ML_EXIT_USAGE);
	return ml_show(file);
}

static int ml_ring_state(int argc, char **argv)
{
	(void)argv;
	return ml_ring_view(argc, "ring/state");
}

static int ml_ring_nodes(int argc, char **argv)
{
	(void)argv;
	return ml_ring_view(argc, "ring/nodes");
}

static const struct ml_command ml_ring_sub[] = {
	{ "state", ml_ring_state, "", "" },
	{ "nodes", ml_ring_nodes, "", "" },
	{ NULL },
};

static int ml_cmd_ring(int argc, char **argv)
{
	return ml_subcommand(ml_ring_sub, &ml_ring_commands[0], "state", argc, argv);
}

const struct ml_command ml_ring_commands[] = {
	{ "ring", ml_cmd_ring, "[state | nodes]",
	  "the ring device's reader and writer positions, or its nodes and buffers" },
	{ NULL },
};
