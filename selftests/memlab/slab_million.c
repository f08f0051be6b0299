// SPDX-License-Identifier: GPL-2.0
/*
 * slab/objects is an iterator, not a buffer: it lists a million held
 * objects, each once, in idx order.
 */
#include "memlab_harness.h"
#include "slab_lib.h"

#define NR_MILLION 1000000L

FIXTURE(million) {
};

FIXTURE_SETUP(million)
{
}

FIXTURE_TEARDOWN(million)
{
}

/*
 * The limit only catches a hang: an emulated arm64 guest takes longer than
 * the harness's default 30 s to allocate and list a million objects.
 */
TEST_F_TIMEOUT(million, a_million_objects, 300)
{
	struct slab_obj_row *rows;
	unsigned long *addr;
	long n, i;

	if (slab_setup())
		SKIP(return, "must be root with memlab_slab installed");
	if (slab_stat("max_objects") < NR_MILLION)
		SKIP(return, "max_objects is below a million");
	/*
	 * With slub_debug (the debug kernel's boot option) each object
	 * carries red zones and two stack records: a million of them do not
	 * fit the lab VM's memory, nor the harness's time under TCG.
	 */
	if (slab_cache_attr("red_zone") == 1)
		SKIP(return, "slub_debug is on: a million objects do not fit");

	ASSERT_EQ(0, slab_cmd("alloc 1000000"));
	EXPECT_EQ(NR_MILLION, slab_stat("objects_held"));
	EXPECT_GE(slab_cache_attr("objects"), NR_MILLION);

	n = slab_read_objects(&rows);
	ASSERT_EQ(NR_MILLION, n);
	addr = malloc(n * sizeof(*addr));
	ASSERT_NE(NULL, addr);
	for (i = 0; i < n; i++) {
		ASSERT_EQ(i, (long)rows[i].idx);
		addr[i] = rows[i].addr;
	}
	free(rows);
	qsort(addr, n, sizeof(*addr), slab_cmp_ulong);
	for (i = 1; i < n; i++)
		ASSERT_NE(addr[i - 1], addr[i]);
	free(addr);

	EXPECT_EQ(0, slab_cmd("free all"));
	EXPECT_EQ(0, slab_stat("objects_held"));
}

TEST_HARNESS_MAIN
