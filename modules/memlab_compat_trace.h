/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The allocator's tracepoints whose prototypes differ between kernels,
 * seen by memlab_timeline.c as one prototype each.  A probe must match its
 * tracepoint's TP_PROTO exactly, as the kernel calls it through a function
 * pointer: each adapter below is checked against the kernel's own
 * declaration when it is registered (check_trace_callback_type_*()).
 */
#ifndef MEMLAB_COMPAT_TRACE_H
#define MEMLAB_COMPAT_TRACE_H

#include <linux/types.h>

struct compact_control;
struct mem_cgroup;

/* What the adapters hand on, in one shape on every kernel. */
void memlab_tl_reclaim_begin(void *data, int order);
void memlab_tl_reclaim_end(void *data, unsigned long nr_reclaimed);
void memlab_tl_migrated(void *data, unsigned int nr_succeeded);

/*
 * Direct reclaim's begin and end: after 6.12 they carry the memcg being
 * reclaimed, and begin takes the gfp flags first (Kbuild probes
 * trace/events/vmscan.h: MEMLAB_HAVE_RECLAIM_TP_MEMCG).
 */
#ifdef MEMLAB_HAVE_RECLAIM_TP_MEMCG
static inline void memlab_tp_reclaim_begin(void *data, gfp_t gfp_flags,
					   int order, struct mem_cgroup *memcg)
{
	memlab_tl_reclaim_begin(data, order);
}

static inline void memlab_tp_reclaim_end(void *data,
					 unsigned long nr_reclaimed,
					 struct mem_cgroup *memcg)
{
	memlab_tl_reclaim_end(data, nr_reclaimed);
}
#else
static inline void memlab_tp_reclaim_begin(void *data, int order,
					   gfp_t gfp_flags)
{
	memlab_tl_reclaim_begin(data, order);
}

static inline void memlab_tp_reclaim_end(void *data,
					 unsigned long nr_reclaimed)
{
	memlab_tl_reclaim_end(data, nr_reclaimed);
}
#endif

/*
 * Compaction's batch of migrated pages: 6.1 passes its compact_control,
 * later kernels the size of the batch (Kbuild probes
 * trace/events/compaction.h: MEMLAB_HAVE_MIGRATEPAGES_TP_NR).
 */
#ifdef MEMLAB_HAVE_MIGRATEPAGES_TP_NR
static inline void memlab_tp_migratepages(void *data,
					  unsigned int nr_migratepages,
					  unsigned int nr_succeeded)
{
	memlab_tl_migrated(data, nr_succeeded);
}
#else
static inline void memlab_tp_migratepages(void *data,
					  struct compact_control *cc,
					  unsigned int nr_succeeded)
{
	memlab_tl_migrated(data, nr_succeeded);
}
#endif

#endif
