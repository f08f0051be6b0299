// SPDX-License-Identifier: GPL-2.0
/*
 * Loaded with its defaults, memlab_buddy holds nothing.  With orders=0-N
 * it holds one block of every order the allocator has, as the highest
 * order in /proc/buddyinfo says, and its parameters choose the orders, the
 * API and the GFP flags.
 */
#define _GNU_SOURCE
#include "memlab_harness.h"
#include "buddy_lib.h"

FIXTURE(load) {
	int max_order;
};

FIXTURE_SETUP(load)
{
	if (geteuid() != 0)
		SKIP(return, "must be run as root");
	if (buddy_load())
		SKIP(return, "memlab_buddy.ko does not load");
	self->max_order = memlab_max_order();
	ASSERT_GT(self->max_order, 0);
}

/* Back to the defaults, as the other tests expect to find it. */
FIXTURE_TEARDOWN(load)
{
	buddy_reload("");
}

/* What a real machine gets from "modprobe memlab_buddy". */
TEST_F(load, defaults_hold_nothing)
{
	struct buddy_alloc_row *rows;
	char *orders;

	ASSERT_EQ(0, buddy_reload(""));
	orders = memlab_read_file(BUDDY_PARAMS "orders");
	ASSERT_NE(NULL, orders);
	EXPECT_STREQ("\n", orders);
	free(orders);
	EXPECT_EQ(0, buddy_read_allocations(BUDDY_DEBUGFS "/allocations", &rows));
	free(rows);
}

TEST_F(load, one_block_of_every_order)
{
	struct buddy_alloc_row *rows;
	int i, n;

	ASSERT_EQ(0, buddy_reload("orders=0-N"));
	n = buddy_read_allocations(BUDDY_DEBUGFS "/allocations", &rows);
	ASSERT_EQ(self->max_order + 1, n);
	for (i = 0; i < n; i++) {
		EXPECT_EQ(i, rows[i].order);
		EXPECT_EQ(1UL << i, rows[i].pages);
		EXPECT_STREQ("alloc_pages", rows[i].api);
		EXPECT_STREQ("kernel|zero|nowarn", rows[i].gfp);
		if (i)
			EXPECT_GT(rows[i].id, rows[i - 1].id);
		/* A 1 GiB machine has free blocks of every order at boot. */
		EXPECT_TRUE(rows[i].ok);
	}
	free(rows);
}

TEST_F(load, header_and_both_trees)
{
	static const char header[] =
		"# id order pages api gfp pfn phys virt zone node status\n";
	char *debugfs, *proc;

	ASSERT_EQ(0, buddy_reload("orders=0-N"));
	debugfs = memlab_read_file(BUDDY_DEBUGFS "/allocations");
	proc = memlab_read_file(BUDDY_PROC "/allocations");
	ASSERT_NE(NULL, debugfs);
	ASSERT_NE(NULL, proc);
	EXPECT_EQ(0, strncmp(debugfs, header, strlen(header)));
	EXPECT_STREQ(debugfs, proc);
	free(debugfs);
	free(proc);
}

TEST_F(load, parameters_choose_orders_api_and_gfp)
{
	struct buddy_alloc_row *rows;
	int n;

	ASSERT_EQ(0, buddy_reload("orders=0,2-3 api=__get_free_pages gfp=dma32|noretry"));
	n = buddy_read_allocations(BUDDY_DEBUGFS "/allocations", &rows);
	ASSERT_EQ(3, n);
	EXPECT_EQ(0, rows[0].order);
	EXPECT_EQ(2, rows[1].order);
	EXPECT_EQ(3, rows[2].order);
	EXPECT_STREQ("__get_free_pages", rows[2].api);
	EXPECT_STREQ("dma32|nowarn|noretry", rows[2].gfp);
	/* Defaults for alloc without options come from the same parameters. */
	ASSERT_EQ(0, buddy_cmd("alloc 1"));
	free(rows);
	n = buddy_read_allocations(BUDDY_DEBUGFS "/allocations", &rows);
	ASSERT_EQ(4, n);
	EXPECT_STREQ("__get_free_pages", rows[3].api);
	EXPECT_STREQ("dma32|nowarn|noretry", rows[3].gfp);
	free(rows);

	ASSERT_EQ(0, buddy_reload("orders= api=get_zeroed_page"));
	n = buddy_read_allocations(BUDDY_DEBUGFS "/allocations", &rows);
	EXPECT_EQ(0, n);
	free(rows);
}

TEST_F(load, bad_parameters_refuse_to_load)
{
	char param[64];

	snprintf(param, sizeof(param), "orders=%d", self->max_order + 1);
	EXPECT_NE(0, buddy_reload(param));
	EXPECT_NE(0, buddy_reload("orders=x"));
	EXPECT_NE(0, buddy_reload("gfp=bogus"));
	EXPECT_NE(0, buddy_reload("api=bogus"));
	/* get_zeroed_page hands out single pages only */
	EXPECT_NE(0, buddy_reload("orders=1 api=get_zeroed_page"));
	/* flags that pick no zone */
	EXPECT_NE(0, buddy_reload("gfp=dma|dma32"));
	/* a cap the load-time blocks do not fit in, or more than there is */
	EXPECT_NE(0, buddy_reload("orders=0-N max_pages=1"));
	EXPECT_NE(0, buddy_reload("max_pages=0xffffffffffff"));
	EXPECT_NE(0, buddy_reload("max_count=0"));
}

TEST_HARNESS_MAIN
