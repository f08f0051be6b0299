// SPDX-License-Identifier: GPL-2.0
/*
 * slab/stats' percpu_cache says how SLUB keeps memlab_obj's objects near
 * each CPU: in sheaves where the cache has them, which its own
 * /sys/kernel/slab/memlab_obj/sheaf_capacity says (7.x), and in per-CPU
 * slabs where the kernel has no sheaves (no such file) or keeps them for
 * the caches that ask (0).  A cache that slub_debug checks has a capacity
 * of 0 even on a kernel of sheaves, and then the line says what the
 * kernel does for other caches.
 */
#include <unistd.h>

#include "memlab_harness.h"
#include "slab_lib.h"

TEST(percpu_cache_agrees_with_sysfs)
{
	char value[32];
	char *stats;
	long capacity;

	if (slab_setup())
		SKIP(return, "must be root with memlab_slab installed");
	stats = memlab_read_file(SLAB_DIR "/stats");
	ASSERT_NE(NULL, stats);
	ASSERT_EQ(0, memlab_kv(stats, "percpu_cache", value, sizeof(value)));
	free(stats);

	if (access(SLAB_SYSFS "/sheaf_capacity", R_OK)) {
		EXPECT_STREQ("cpu_slabs", value);
		return;
	}
	capacity = slab_cache_attr("sheaf_capacity");
	ASSERT_GE(capacity, 0);
	TH_LOG("sheaf_capacity %ld", capacity);
	if (capacity > 0) {
		EXPECT_STREQ("sheaves", value);
	} else if (!strcmp(value, "sheaves")) {
		EXPECT_NE(0, slab_cache_attr("sanity_checks") +
			     slab_cache_attr("red_zone") +
			     slab_cache_attr("poison") +
			     slab_cache_attr("store_user"))
			TH_LOG("no sheaves, and no slub_debug to say why");
	} else {
		/* Sheaves only for the caches that ask, as 6.18 began them. */
		EXPECT_STREQ("cpu_slabs", value);
	}
}

TEST_HARNESS_MAIN
