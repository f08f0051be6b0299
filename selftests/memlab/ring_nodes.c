// SPDX-License-Identifier: GPL-2.0
/*
 * memlab/ring/nodes has its header and one well-formed row per node, and
 * its addresses make sense to other interfaces: every buffer lies in a
 * "System RAM" range of /proc/iomem, and buffers and nodes are distinct
 * kmalloc memory in the kernel's direct map, where virtual minus physical
 * is one constant.
 */
#define _GNU_SOURCE
#include <inttypes.h>

#include "memlab_harness.h"
#include "ring_lib.h"

#define HEADER "# index node buffer buffer_phys filled"

struct row {
	unsigned long index, node, buffer, phys, filled;
};

FIXTURE(nodes) {
	char *text;
	struct row *rows;
	long nrows;
	struct ring_state st;
};

static int hex_field(const char *word, unsigned long *val)
{
	char *end;

	if (strncmp(word, "0x", 2))
		return -1;
	*val = strtoul(word, &end, 16);
	return *end ? -1 : 0;
}

FIXTURE_SETUP(nodes)
{
	char *copy, *line, *save;

	if (geteuid() != 0)
		SKIP(return, "must be run as root");
	if (ring_load())
		SKIP(return, "memlab_ring.ko does not load");
	ASSERT_EQ(0, ring_read_state(&self->st));
	self->text = memlab_read_file(RING_NODES);
	ASSERT_NE(NULL, self->text);
	self->rows = calloc(self->st.blocks + 1, sizeof(*self->rows));
	ASSERT_NE(NULL, self->rows);

	copy = strdup(self->text);
	ASSERT_NE(NULL, copy);
	line = strtok_r(copy, "\n", &save);
	ASSERT_NE(NULL, line);
	ASSERT_STREQ(HEADER, line);
	while ((line = strtok_r(NULL, "\n", &save))) {
		char f[5][32], extra[2];
		struct row *r = &self->rows[self->nrows];
		int fields;

		ASSERT_GT(self->st.blocks + 1, self->nrows);
		fields = sscanf(line, "%31s %31s %31s %31s %31s %1s", f[0],
				f[1], f[2], f[3], f[4], extra);
		ASSERT_EQ(5, fields) {
			TH_LOG("bad row: %s", line);
		}
		r->index = strtoul(f[0], NULL, 10);
		r->filled = strtoul(f[4], NULL, 10);
		ASSERT_EQ(0, hex_field(f[1], &r->node));
		ASSERT_EQ(0, hex_field(f[2], &r->buffer));
		ASSERT_EQ(0, hex_field(f[3], &r->phys));
		self->nrows++;
	}
	free(copy);
}

FIXTURE_TEARDOWN(nodes)
{
	free(self->text);
	free(self->rows);
}

TEST_F(nodes, one_row_per_node)
{
	long i;

	ASSERT_EQ(self->st.blocks, self->nrows);
	for (i = 0; i < self->nrows; i++) {
		EXPECT_EQ((unsigned long)i, self->rows[i].index);
		EXPECT_GE((unsigned long)self->st.block_size,
			  self->rows[i].filled);
	}
}

TEST_F(nodes, same_in_both_trees)
{
	char *proc = memlab_read_file(MEMLAB_PROC "/ring/nodes");

	ASSERT_NE(NULL, proc);
	EXPECT_STREQ(self->text, proc);
	free(proc);
}

/* Buffers and nodes are separate allocations that do not overlap. */
TEST_F(nodes, allocations_are_distinct)
{
	unsigned long bs = self->st.block_size;
	long i, j;

	for (i = 0; i < self->nrows; i++) {
		const struct row *a = &self->rows[i];

		EXPECT_NE(a->node, a->buffer);
		for (j = i + 1; j < self->nrows; j++) {
			const struct row *b = &self->rows[j];

			EXPECT_TRUE(a->buffer + bs <= b->buffer ||
				    b->buffer + bs <= a->buffer);
			EXPECT_TRUE(a->phys + bs <= b->phys ||
				    b->phys + bs <= a->phys);
			EXPECT_NE(a->node, b->node);
		}
	}
}

/* kmalloc memory is in the direct map: virtual - physical is constant. */
TEST_F(nodes, direct_map_offset_is_constant)
{
	long i;

	ASSERT_LT(0, self->nrows);
	for (i = 0; i < self->nrows; i++)
		EXPECT_EQ(self->rows[0].buffer - self->rows[0].phys,
			  self->rows[i].buffer - self->rows[i].phys);
}

/* /proc/iomem, read as root, has the real System RAM ranges. */
TEST_F(nodes, buffers_are_in_system_ram)
{
	unsigned long long start[64], end[64];
	int nram = memlab_iomem_ranges("System RAM", 0, start, end, 64);
	long i, j;

	ASSERT_LT(0, nram);
	ASSERT_NE(0ULL, end[0]);

	for (i = 0; i < self->nrows; i++) {
		unsigned long lo = self->rows[i].phys;
		unsigned long hi = lo + self->st.block_size - 1;
		int inside = 0;

		for (j = 0; j < nram; j++)
			if (lo >= start[j] && hi <= end[j])
				inside = 1;
		EXPECT_TRUE(inside) {
			TH_LOG("node %ld: buffer at 0x%lx is not System RAM",
			       i, lo);
		}
	}
}

TEST_HARNESS_MAIN
