/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The allocator's event counters, read the same way on every kernel: the
 * ones memlab_buddy records around each command that allocates
 * (buddy/events) and samples during a pressure run (buddy/pressure).
 * Their names are /proc/vmstat's; pgalloc and allocstall add up the
 * per-zone counters /proc/vmstat lists one by one.
 */
#ifndef MEMLAB_COMPAT_VMSTAT_H
#define MEMLAB_COMPAT_VMSTAT_H

#include <linux/mmzone.h>
#include <linux/types.h>
#include <linux/vmstat.h>

enum memlab_vm_counter {
	MEMLAB_VM_PGALLOC,
	MEMLAB_VM_ALLOCSTALL,
	MEMLAB_VM_PGSCAN_KSWAPD,
	MEMLAB_VM_PGSCAN_DIRECT,
	MEMLAB_VM_PGSTEAL_KSWAPD,
	MEMLAB_VM_PGSTEAL_DIRECT,
	MEMLAB_VM_COMPACT_STALL,
	MEMLAB_VM_COMPACT_FAIL,
	MEMLAB_VM_COMPACT_SUCCESS,
	MEMLAB_VM_PGMIGRATE_SUCCESS,
	MEMLAB_VM_PAGEOUTRUN,
	MEMLAB_NR_VM_COUNTERS
};

/* The names, in the order above, as a table header's columns. */
#define MEMLAB_VM_COUNTER_COLUMNS					\
	"pgalloc allocstall pgscan_kswapd pgscan_direct pgsteal_kswapd "	\
	"pgsteal_direct compact_stall compact_fail compact_success "	\
	"pgmigrate_success pageoutrun"

/*
 * 7.x moved pgscan_* and pgsteal_* from the vm events to the node stats,
 * so that memcg could count them per node: Kbuild finds them in
 * linux/mmzone.h's node_stat_item (MEMLAB_HAVE_PGSCAN_NODE_STAT).  A node
 * stat is read as /proc/vmstat reads it, whole counters without the
 * per-CPU deltas not yet folded in.
 */
#ifdef MEMLAB_HAVE_PGSCAN_NODE_STAT
#define memlab_vm_reclaim(events, item)	global_node_page_state(item)
#else
#define memlab_vm_reclaim(events, item)	((events)[item])
#endif

/*
 * A kernel built without CONFIG_VM_EVENT_COUNTERS (memlab's debug kernel,
 * from tinyconfig) counts no vm events, and /proc/vmstat lists none: the
 * views print "-" for every counter there.
 */
#define MEMLAB_HAVE_VM_EVENTS	IS_ENABLED(CONFIG_VM_EVENT_COUNTERS)

/*
 * Every counter into @out.  @events is scratch for all_vm_events(), which
 * sums each vm event over the CPUs: NR_VM_EVENT_ITEMS longs.
 */
static inline void memlab_vm_counters_read(unsigned long *events, u64 *out)
{
	int zid;

	all_vm_events(events);
	out[MEMLAB_VM_PGALLOC] = 0;
	out[MEMLAB_VM_ALLOCSTALL] = 0;
	/* As __count_zid_vm_events() indexes them. */
	for (zid = 0; zid < MAX_NR_ZONES; zid++) {
		out[MEMLAB_VM_PGALLOC] += events[PGALLOC_NORMAL - ZONE_NORMAL + zid];
		out[MEMLAB_VM_ALLOCSTALL] +=
			events[ALLOCSTALL_NORMAL - ZONE_NORMAL + zid];
	}
	out[MEMLAB_VM_PGSCAN_KSWAPD] = memlab_vm_reclaim(events, PGSCAN_KSWAPD);
	out[MEMLAB_VM_PGSCAN_DIRECT] = memlab_vm_reclaim(events, PGSCAN_DIRECT);
	out[MEMLAB_VM_PGSTEAL_KSWAPD] = memlab_vm_reclaim(events, PGSTEAL_KSWAPD);
	out[MEMLAB_VM_PGSTEAL_DIRECT] = memlab_vm_reclaim(events, PGSTEAL_DIRECT);
#ifdef CONFIG_COMPACTION
	out[MEMLAB_VM_COMPACT_STALL] = events[COMPACTSTALL];
	out[MEMLAB_VM_COMPACT_FAIL] = events[COMPACTFAIL];
	out[MEMLAB_VM_COMPACT_SUCCESS] = events[COMPACTSUCCESS];
#else
	out[MEMLAB_VM_COMPACT_STALL] = 0;
	out[MEMLAB_VM_COMPACT_FAIL] = 0;
	out[MEMLAB_VM_COMPACT_SUCCESS] = 0;
#endif
#ifdef CONFIG_MIGRATION
	out[MEMLAB_VM_PGMIGRATE_SUCCESS] = events[PGMIGRATE_SUCCESS];
#else
	out[MEMLAB_VM_PGMIGRATE_SUCCESS] = 0;
#endif
	out[MEMLAB_VM_PAGEOUTRUN] = events[PAGEOUTRUN];
}

#endif
