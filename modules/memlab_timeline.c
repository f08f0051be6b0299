// SPDX-License-Identifier: GPL-2.0
/*
 * What the allocator did for each request a memlab module made: a
 * timeline built from the kernel's own tracepoints, attached as LTTng
 * attaches to them, by name (for_each_kernel_tracepoint()) since a module
 * cannot link to their structs.  Each module that allocates keeps a
 * timeline of its own (memlab_buddy's buddy/timeline, memlab_slab's
 * slab/timeline); each attaches its own probes, with itself as their data.
 *
 * Only memlab's own requests are recorded, never a general trace: a probe
 * keeps an event only when it runs in the task of the command being
 * recorded, in task context, while one of the command's allocations is in
 * flight (memlab_timeline_alloc_enter() to _exit()).  The bookkeeping
 * memlab allocates between them is not part of the experiment.
 *
 * Locking: every field is written by the owner task alone, from the
 * command (which holds its module's lock) or from a probe that task triggered
 * (which cannot nest with another of our probes: an interrupt is not in
 * task context).  Readers take that lock, so they see whole commands.
 *
 * Merging: like events within one phase become one row with a count,
 * where ptdump merges runs of like entries.  A phase ends where direct
 * reclaim or compaction begins or ends, so the rows still read in order:
 * a thousand blocks from the per-cpu list, then reclaim for 3 ms, then a
 * block from the free lists.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/kernel.h>
#include <linux/minmax.h>
#include <linux/mm.h>
#include <linux/mmzone.h>
/* Not self-contained on 6.1: after mm.h and mmzone.h. */
#include <linux/compaction.h>
#include <linux/preempt.h>
#include <linux/sched.h>
#include <linux/seq_file.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/timekeeping.h>
#include <linux/tracepoint.h>

/* First: it declares struct compact_control for the prototypes below. */
#include "memlab_compat_trace.h"
/*
 * The kernel's declarations of the tracepoints, for their prototypes
 * only: without CREATE_TRACE_POINTS they define nothing.
 */
#include <trace/events/compaction.h>
#include <trace/events/kmem.h>
#include <trace/events/vmscan.h>

#include "memlab.h"
#include "memlab_timeline.h"

/* The rows kept: the last commands' whole timelines, as a rule. */
#define MEMLAB_TL_ROWS		4096
/* How far back a new event looks for a like row of its phase. */
#define MEMLAB_TL_MERGE_WINDOW	32

static const char * const memlab_tl_kind_names[MEMLAB_TL_NR_KINDS] = {
	[MEMLAB_TL_PCP_HIT]		= "pcp_hit",
	[MEMLAB_TL_PCP_REFILL]		= "pcp_refill",
	[MEMLAB_TL_BUDDY]		= "buddy",
	[MEMLAB_TL_CAPTURED]		= "captured",
	[MEMLAB_TL_COMPACTED]		= "compacted",
	[MEMLAB_TL_ALLOC]		= "alloc",
	[MEMLAB_TL_FAILED]		= "failed",
	[MEMLAB_TL_COMPACT_FAILED]	= "compact_failed",
	[MEMLAB_TL_OBJECT]		= "object",
	[MEMLAB_TL_NEW_SLAB]		= "new_slab",
	[MEMLAB_TL_OBJECT_FAILED]	= "object_failed",
	[MEMLAB_TL_FALLBACK]		= "fallback",
	[MEMLAB_TL_KSWAPD_WAKE]		= "kswapd_wake",
	[MEMLAB_TL_KCOMPACTD_WAKE]	= "kcompactd_wake",
	[MEMLAB_TL_DIRECT_RECLAIM]	= "direct_reclaim",
	[MEMLAB_TL_COMPACTION]		= "compaction",
	[MEMLAB_TL_MIGRATE]		= "migrate",
	[MEMLAB_TL_COMPACT_DEFERRED]	= "compact_deferred",
};

/* enum compact_result, as the compaction tracepoints print it. */
static const char *memlab_tl_compact_result(long status)
{
	switch (status) {
	case COMPACT_NOT_SUITABLE_ZONE:	return "not_suitable_zone";
	case COMPACT_SKIPPED:		return "skipped";
	case COMPACT_DEFERRED:		return "deferred";
	case COMPACT_NO_SUITABLE_PAGE:	return "no_suitable_page";
	case COMPACT_CONTINUE:		return "continue";
	case COMPACT_COMPLETE:		return "complete";
	case COMPACT_PARTIAL_SKIPPED:	return "partial_skipped";
	case COMPACT_CONTENDED:		return "contended";
	case COMPACT_SUCCESS:		return "success";
	default:			return "-";
	}
}

static u64 memlab_tl_now(struct memlab_timeline *tl)
{
	return ktime_get_ns() - tl->start;
}

/* Whether a probe runs for one of the recorded command's allocations. */
static bool memlab_tl_mine(struct memlab_timeline *tl)
{
	return READ_ONCE(tl->owner) == current && in_task() && tl->alloc.active;
}

static struct memlab_tl_row *memlab_tl_row(struct memlab_timeline *tl,
					   unsigned long nr)
{
	return &tl->rows[nr % MEMLAB_TL_ROWS];
}

static struct memlab_tl_row *memlab_tl_append(struct memlab_timeline *tl,
					      enum memlab_tl_kind kind, int order,
					    int migratetype, struct zone *zone,
					    u64 at)
{
	struct memlab_tl_row *row = memlab_tl_row(tl, tl->nr_rows++);

	*row = (struct memlab_tl_row) {
		.id = tl->id,
		.seq = ++tl->seq,
		.kind = kind,
		.order = order,
		.migratetype = migratetype,
		.zone = zone,
		.at = at,
		.result = -1,
	};
	return row;
}

/*
 * The row of this phase that an event of @kind merges into, or a new one.
 * @result is part of what makes rows alike when @result_is_key.
 */
static struct memlab_tl_row *memlab_tl_merge(struct memlab_timeline *tl,
					     enum memlab_tl_kind kind, int order,
					   int migratetype, struct zone *zone,
					   long result, bool result_is_key,
					   u64 at)
{
	unsigned long first = max3(tl->phase_first, tl->cmd_first,
				   tl->nr_rows > MEMLAB_TL_MERGE_WINDOW ?
				   tl->nr_rows - MEMLAB_TL_MERGE_WINDOW : 0);
	struct memlab_tl_row *row;
	unsigned long nr;

	for (nr = first; nr < tl->nr_rows; nr++) {
		row = memlab_tl_row(tl, nr);
		if (row->kind == kind && row->order == order &&
		    row->migratetype == migratetype && row->zone == zone &&
		    (!result_is_key || row->result == result))
			return row;
	}
	row = memlab_tl_append(tl, kind, order, migratetype, zone, at);
	if (result_is_key)
		row->result = result;
	return row;
}

static void memlab_tl_add_time(struct memlab_tl_row *row, u64 ns)
{
	row->count++;
	row->ns += ns;
	row->max_ns = max(row->max_ns, ns);
}

/* A reclaim or compaction boundary: later events start new rows. */
static void memlab_tl_new_phase(struct memlab_timeline *tl)
{
	tl->phase_first = tl->nr_rows;
}

static void memlab_tl_open(struct memlab_timeline *tl, long *open,
			   enum memlab_tl_kind kind, int order,
			   struct zone *zone)
{
	memlab_tl_new_phase(tl);
	memlab_tl_append(tl, kind, order, -1, zone, memlab_tl_now(tl));
	*open = tl->nr_rows - 1;
	memlab_tl_new_phase(tl);
}

/* Ends the open row, unless the ring has since passed it. */
static struct memlab_tl_row *memlab_tl_close(struct memlab_timeline *tl,
					     long *open)
{
	struct memlab_tl_row *row = NULL;

	if (*open >= 0 && tl->nr_rows - *open <= MEMLAB_TL_ROWS) {
		row = memlab_tl_row(tl, *open);
		memlab_tl_add_time(row, memlab_tl_now(tl) - row->at);
	}
	*open = -1;
	memlab_tl_new_phase(tl);
	return row;
}

/* The probes.  They run in the allocator, some under the zone lock. */

static void memlab_tp_page_alloc(void *data, struct page *page,
				 unsigned int order, gfp_t gfp_flags,
				int migratetype)
{
	struct memlab_timeline *tl = data;

	if (!memlab_tl_mine(tl))
		return;
	tl->alloc.migratetype = migratetype;
	if (page) {
		tl->alloc.pages++;
		tl->alloc.page_order = order;
		tl->alloc.page_zone = page_zone(page);
	}
}

static void memlab_tp_zone_locked(void *data, struct page *page,
				  unsigned int order, int migratetype,
				 int percpu_refill)
{
	struct memlab_timeline *tl = data;

	if (!memlab_tl_mine(tl))
		return;
	if (percpu_refill)
		tl->alloc.refilled++;
	else
		tl->alloc.direct++;
}

static void memlab_tp_extfrag(void *data, struct page *page, int alloc_order,
			      int fallback_order, int alloc_migratetype,
			     int fallback_migratetype)
{
	struct memlab_timeline *tl = data;
	u64 at;

	if (!memlab_tl_mine(tl))
		return;
	tl->alloc.fallbacks++;
	at = memlab_tl_now(tl);
	memlab_tl_merge(tl, MEMLAB_TL_FALLBACK, alloc_order, fallback_migratetype,
			page_zone(page), fallback_order, true, at)->count++;
}

static struct zone *memlab_tl_zone(int nid, int zid)
{
	if (nid < 0 || nid >= MAX_NUMNODES || !node_online(nid) ||
	    zid < 0 || zid >= MAX_NR_ZONES)
		return NULL;
	return &NODE_DATA(nid)->node_zones[zid];
}

static void memlab_tp_wakeup_kswapd(void *data, int nid, int zid, int order,
				    gfp_t gfp_flags)
{
	struct memlab_timeline *tl = data;

	if (!memlab_tl_mine(tl))
		return;
	memlab_tl_merge(tl, MEMLAB_TL_KSWAPD_WAKE, order, -1,
			memlab_tl_zone(nid, zid), -1, false,
		       memlab_tl_now(tl))->count++;
}

void memlab_tl_reclaim_begin(void *data, int order)
{
	struct memlab_timeline *tl = data;

	if (memlab_tl_mine(tl))
		memlab_tl_open(tl, &tl->open_reclaim, MEMLAB_TL_DIRECT_RECLAIM,
			       order, NULL);
}

void memlab_tl_reclaim_end(void *data, unsigned long nr_reclaimed)
{
	struct memlab_timeline *tl = data;
	struct memlab_tl_row *row;

	if (!memlab_tl_mine(tl))
		return;
	/* A block found from here on is reclaim's, not compaction's. */
	tl->alloc.after_compaction = false;
	row = memlab_tl_close(tl, &tl->open_reclaim);
	if (row)
		row->result = nr_reclaimed;
}

static void memlab_tp_compaction_begin(void *data, struct compact_control *cc,
				       unsigned long zone_start,
				      unsigned long zone_end, bool sync)
{
	struct memlab_timeline *tl = data;
	struct zone *zone = NULL;

	if (!memlab_tl_mine(tl))
		return;
	if (pfn_valid(zone_start))
		zone = page_zone(pfn_to_page(zone_start));
	memlab_tl_open(tl, &tl->open_compaction, MEMLAB_TL_COMPACTION,
		       tl->alloc.order, zone);
}

static void memlab_tp_compaction_end(void *data, struct compact_control *cc,
				     unsigned long zone_start,
				    unsigned long zone_end, bool sync,
				    int status)
{
	struct memlab_timeline *tl = data;
	struct memlab_tl_row *row;

	if (!memlab_tl_mine(tl))
		return;
	tl->alloc.compacted = true;
	tl->alloc.after_compaction = true;
	row = memlab_tl_close(tl, &tl->open_compaction);
	if (row)
		row->result = status;
}

void memlab_tl_migrated(void *data, unsigned int nr_succeeded)
{
	struct memlab_timeline *tl = data;
	struct memlab_tl_row *row;

	if (!memlab_tl_mine(tl))
		return;
	row = memlab_tl_merge(tl, MEMLAB_TL_MIGRATE, tl->alloc.order, -1, NULL,
			      -1, false, memlab_tl_now(tl));
	row->count++;
	row->result = (row->result < 0 ? 0 : row->result) + nr_succeeded;
}

static void memlab_tp_compaction_deferred(void *data, struct zone *zone,
					  int order)
{
	struct memlab_timeline *tl = data;

	if (!memlab_tl_mine(tl))
		return;
	/* A deferred zone still counts as a compact_stall of the request. */
	tl->alloc.compacted = true;
	tl->alloc.after_compaction = true;
	memlab_tl_merge(tl, MEMLAB_TL_COMPACT_DEFERRED, order, -1, zone, -1,
			false, memlab_tl_now(tl))->count++;
}

static void memlab_tp_wakeup_kcompactd(void *data, int nid, int order,
				       enum zone_type highest_zoneidx)
{
	struct memlab_timeline *tl = data;

	if (!memlab_tl_mine(tl))
		return;
	memlab_tl_merge(tl, MEMLAB_TL_KCOMPACTD_WAKE, order, -1,
			memlab_tl_zone(nid, highest_zoneidx), -1, false,
		       memlab_tl_now(tl))->count++;
}

/* The tracepoints, and the rows of the timeline each one feeds. */
static const struct memlab_tl_tracepoint {
	const char *name;
	const char *system;
	void *probe;
	const char *rows;
} memlab_tl_tracepoints[MEMLAB_TL_NR_TPS] = {
	[MEMLAB_TP_PAGE_ALLOC] = {
		"mm_page_alloc", "kmem", memlab_tp_page_alloc,
		"migratetype|new_slab",
	},
	[MEMLAB_TP_ZONE_LOCKED] = {
		"mm_page_alloc_zone_locked", "kmem", memlab_tp_zone_locked,
		"pcp_hit|pcp_refill|buddy|captured|compacted",
	},
	[MEMLAB_TP_EXTFRAG] = {
		"mm_page_alloc_extfrag", "kmem", memlab_tp_extfrag,
		"fallback|pcp_refill|buddy",
	},
	[MEMLAB_TP_WAKEUP_KSWAPD] = {
		"mm_vmscan_wakeup_kswapd", "vmscan", memlab_tp_wakeup_kswapd,
		"kswapd_wake",
	},
	[MEMLAB_TP_RECLAIM_BEGIN] = {
		"mm_vmscan_direct_reclaim_begin", "vmscan",
		memlab_tp_reclaim_begin, "direct_reclaim",
	},
	[MEMLAB_TP_RECLAIM_END] = {
		"mm_vmscan_direct_reclaim_end", "vmscan",
		memlab_tp_reclaim_end, "direct_reclaim",
	},
	[MEMLAB_TP_COMPACTION_BEGIN] = {
		"mm_compaction_begin", "compaction",
		memlab_tp_compaction_begin, "compaction",
	},
	[MEMLAB_TP_COMPACTION_END] = {
		"mm_compaction_end", "compaction", memlab_tp_compaction_end,
		"compaction|captured|compacted|compact_failed",
	},
	[MEMLAB_TP_MIGRATEPAGES] = {
		"mm_compaction_migratepages", "compaction",
		memlab_tp_migratepages, "migrate",
	},
	[MEMLAB_TP_COMPACTION_DEFERRED] = {
		"mm_compaction_deferred", "compaction",
		memlab_tp_compaction_deferred, "compact_deferred",
	},
	[MEMLAB_TP_WAKEUP_KCOMPACTD] = {
		"mm_compaction_wakeup_kcompactd", "compaction",
		memlab_tp_wakeup_kcompactd, "kcompactd_wake",
	},
};

/*
 * Each probe against the kernel's own prototype of its tracepoint: a
 * mismatch is a compile error, not a probe called with the wrong
 * arguments.  The checks are empty inline functions.
 */
static void memlab_tl_check_probes(void)
{
	check_trace_callback_type_mm_page_alloc(memlab_tp_page_alloc);
	check_trace_callback_type_mm_page_alloc_zone_locked(memlab_tp_zone_locked);
	check_trace_callback_type_mm_page_alloc_extfrag(memlab_tp_extfrag);
	check_trace_callback_type_mm_vmscan_wakeup_kswapd(memlab_tp_wakeup_kswapd);
	check_trace_callback_type_mm_vmscan_direct_reclaim_begin(memlab_tp_reclaim_begin);
	check_trace_callback_type_mm_vmscan_direct_reclaim_end(memlab_tp_reclaim_end);
#ifdef CONFIG_COMPACTION
	check_trace_callback_type_mm_compaction_begin(memlab_tp_compaction_begin);
	check_trace_callback_type_mm_compaction_end(memlab_tp_compaction_end);
	check_trace_callback_type_mm_compaction_migratepages(memlab_tp_migratepages);
	check_trace_callback_type_mm_compaction_deferred(memlab_tp_compaction_deferred);
	check_trace_callback_type_mm_compaction_wakeup_kcompactd(memlab_tp_wakeup_kcompactd);
#endif
}

struct memlab_tl_lookup {
	struct tracepoint *tp[MEMLAB_TL_NR_TPS];
};

static void memlab_tl_find(struct tracepoint *tp, void *priv)
{
	struct memlab_tl_lookup *found = priv;
	int i;

	for (i = 0; i < MEMLAB_TL_NR_TPS; i++) {
		if (!strcmp(tp->name, memlab_tl_tracepoints[i].name))
			found->tp[i] = tp;
	}
}

static void memlab_tl_detach(struct memlab_timeline *tl)
{
	bool any = false;
	int i;

	for (i = 0; i < MEMLAB_TL_NR_TPS; i++) {
		if (tl->state[i] != MEMLAB_TP_ATTACHED)
			continue;
		tracepoint_probe_unregister(tl->tp[i],
					    memlab_tl_tracepoints[i].probe, tl);
		tl->state[i] = MEMLAB_TP_ABSENT;
		any = true;
	}
	/* No probe may still be running when the module text goes. */
	if (any)
		tracepoint_synchronize_unregister();
}

/*
 * Attaches what this kernel has.  A tracepoint it lacks, or one that
 * refuses a probe, is only a row of the tracepoints view: the timeline then
 * has less to say, and says what it cannot see.
 */
int memlab_timeline_init(struct memlab_timeline *tl)
{
	struct memlab_tl_lookup found = {};
	int i, ret;

	memlab_tl_check_probes();
	tl->rows = kvcalloc(MEMLAB_TL_ROWS, sizeof(*tl->rows), GFP_KERNEL);
	if (!tl->rows)
		return -ENOMEM;
	tl->open_reclaim = -1;
	tl->open_compaction = -1;

	for_each_kernel_tracepoint(memlab_tl_find, &found);
	for (i = 0; i < MEMLAB_TL_NR_TPS; i++) {
		tl->tp[i] = found.tp[i];
		tl->state[i] = MEMLAB_TP_ABSENT;
		if (!found.tp[i])
			continue;
		ret = tracepoint_probe_register(found.tp[i],
						memlab_tl_tracepoints[i].probe,
						tl);
		tl->state[i] = ret ? ret : MEMLAB_TP_ATTACHED;
		if (ret)
			pr_warn("%s: not attached (%d); the timeline goes without it\n",
				memlab_tl_tracepoints[i].name, ret);
	}
	return 0;
}
EXPORT_SYMBOL_GPL(memlab_timeline_init);

void memlab_timeline_destroy(struct memlab_timeline *tl)
{
	memlab_tl_detach(tl);
	kvfree(tl->rows);
	tl->rows = NULL;
}
EXPORT_SYMBOL_GPL(memlab_timeline_destroy);

/* Caller holds its module's lock, as until memlab_timeline_end(). */
void memlab_timeline_begin(struct memlab_timeline *tl, unsigned long id)
{
	tl->id = id;
	tl->seq = 0;
	tl->start = ktime_get_ns();
	tl->cmd_first = tl->nr_rows;
	tl->phase_first = tl->nr_rows;
	WRITE_ONCE(tl->owner, current);
}
EXPORT_SYMBOL_GPL(memlab_timeline_begin);

void memlab_timeline_end(struct memlab_timeline *tl, bool keep)
{
	WRITE_ONCE(tl->owner, NULL);
	tl->alloc.active = false;
	tl->open_reclaim = -1;
	tl->open_compaction = -1;
	/* A command that failed has no id of its own: its rows go. */
	if (!keep)
		tl->nr_rows = tl->cmd_first;
}
EXPORT_SYMBOL_GPL(memlab_timeline_end);

void memlab_timeline_alloc_enter(struct memlab_timeline *tl, int order)
{
	if (tl->owner != current)
		return;
	tl->alloc = (struct memlab_tl_alloc) {
		.order = order,
		.migratetype = -1,
		.start = memlab_tl_now(tl),
	};
	/* Set last: the probes look at the rest. */
	barrier();
	tl->alloc.active = true;
}
EXPORT_SYMBOL_GPL(memlab_timeline_alloc_enter);

/*
 * Whether the per-cpu lists keep blocks of @order: the allocator's own
 * pcp_allowed_order(), which mm/internal.h keeps from modules
 * (HPAGE_PMD_ORDER comes with linux/mm.h).
 */
static bool memlab_tl_pcp_order(unsigned int order)
{
	if (order <= PAGE_ALLOC_COSTLY_ORDER)
		return true;
#ifdef CONFIG_TRANSPARENT_HUGEPAGE
	if (order == HPAGE_PMD_ORDER)
		return true;
#endif
	return false;
}

/*
 * How the allocation was served, told by the tracepoints it passed.
 * mm_page_alloc_zone_locked fires for every block taken from the free
 * lists, with percpu_refill set when the order is one the per-cpu lists
 * keep (the block then refills this CPU's list).  A block taken from
 * another migrate type's list fires mm_page_alloc_extfrag, and from 6.12
 * (whose fallback hands the block over itself) nothing else.  None of
 * these means the per-cpu list had a block, or compaction handed one
 * over.  The allocator counts a compact_stall for each attempt at direct
 * compaction that ran or found it deferred, then a compact_success if a
 * block came straight after it (captured, compacted), else a
 * compact_fail; a block found after reclaim that followed is reclaim's.
 * An allocation that failed after compacting is compact_failed.
 */
static enum memlab_tl_kind memlab_tl_served(const struct memlab_timeline *tl,
					    const struct page *page)
{
	const struct memlab_tl_alloc *a = &tl->alloc;
	bool taken = a->refilled || a->direct || a->fallbacks;

	if (!page)
		return a->compacted ? MEMLAB_TL_COMPACT_FAILED : MEMLAB_TL_FAILED;
	if (tl->state[MEMLAB_TP_ZONE_LOCKED] != MEMLAB_TP_ATTACHED)
		return MEMLAB_TL_ALLOC;
	if (a->after_compaction)
		return taken ? MEMLAB_TL_COMPACTED : MEMLAB_TL_CAPTURED;
	if (a->refilled)
		return MEMLAB_TL_PCP_REFILL;
	if (a->direct)
		return MEMLAB_TL_BUDDY;
	if (a->fallbacks)
		return memlab_tl_pcp_order(a->order) ? MEMLAB_TL_PCP_REFILL :
						      MEMLAB_TL_BUDDY;
	return MEMLAB_TL_PCP_HIT;
}

void memlab_timeline_alloc_exit(struct memlab_timeline *tl, struct page *page)
{
	enum memlab_tl_kind kind;
	struct memlab_tl_row *row;
	u64 now;

	if (tl->owner != current || !tl->alloc.active)
		return;
	tl->alloc.active = false;
	barrier();
	now = memlab_tl_now(tl);
	kind = memlab_tl_served(tl, page);
	row = memlab_tl_merge(tl, kind, tl->alloc.order, tl->alloc.migratetype,
			      page ? page_zone(page) : NULL, -1, false,
			     tl->alloc.start);
	memlab_tl_add_time(row, now - tl->alloc.start);
	if (kind == MEMLAB_TL_PCP_REFILL)
		row->result = (row->result < 0 ? 0 : row->result) +
			      tl->alloc.refilled;
}
EXPORT_SYMBOL_GPL(memlab_timeline_alloc_exit);

/*
 * An object of a slab cache: served from a slab the cache had, or from a
 * new slab whose pages mm_page_alloc handed out during the call (the row
 * then has the slab's order and zone, and the pages as its result).
 */
void memlab_timeline_object_exit(struct memlab_timeline *tl, const void *obj)
{
	const struct memlab_tl_alloc *a = &tl->alloc;
	enum memlab_tl_kind kind = MEMLAB_TL_OBJECT;
	struct memlab_tl_row *row;
	int order = -1;
	u64 now;

	if (tl->owner != current || !a->active)
		return;
	tl->alloc.active = false;
	barrier();
	now = memlab_tl_now(tl);
	if (!obj) {
		kind = MEMLAB_TL_OBJECT_FAILED;
	} else if (a->pages) {
		kind = MEMLAB_TL_NEW_SLAB;
		order = a->page_order;
	}
	row = memlab_tl_merge(tl, kind, order, a->pages ? a->migratetype : -1,
			      a->pages ? a->page_zone : NULL, -1, false,
			      a->start);
	memlab_tl_add_time(row, now - a->start);
	if (kind == MEMLAB_TL_NEW_SLAB)
		row->result = (row->result < 0 ? 0 : row->result) + a->pages;
}
EXPORT_SYMBOL_GPL(memlab_timeline_object_exit);

/* timeline: the rows still in the ring, oldest first. */
int memlab_timeline_fill(struct memlab_timeline *tl, void *cursor,
			 unsigned long *key)
{
	unsigned long kept = min_t(unsigned long, tl->nr_rows, MEMLAB_TL_ROWS);

	if (*key >= kept)
		return 0;
	*(struct memlab_tl_row *)cursor =
		*memlab_tl_row(tl, tl->nr_rows - kept + *key);
	return 1;
}

static void memlab_tl_put_long(struct seq_file *m, long v)
{
	if (v < 0)
		seq_puts(m, " -");
	else
		seq_put_decimal_ull(m, " ", v);
}

void memlab_timeline_show(struct seq_file *m, const void *cursor)
{
	const struct memlab_tl_row *r = cursor;
	bool timed = r->kind <= MEMLAB_TL_OBJECT_FAILED ||
		     r->kind == MEMLAB_TL_DIRECT_RECLAIM ||
		     r->kind == MEMLAB_TL_COMPACTION;

	seq_printf(m, "%lu %u %llu %s", r->id, r->seq, r->at,
		   memlab_tl_kind_names[r->kind]);
	memlab_tl_put_long(m, r->order);
	if (r->zone)
		seq_printf(m, " %d/%s", zone_to_nid(r->zone), r->zone->name);
	else
		seq_puts(m, " -");
	seq_printf(m, " %s", r->migratetype < 0 ? "-" :
		   memlab_migratetype_name(r->migratetype));
	seq_put_decimal_ull(m, " ", r->count);
	if (timed && r->count) {
		seq_put_decimal_ull(m, " ", r->ns);
		seq_put_decimal_ull(m, " ", r->max_ns);
	} else {
		seq_puts(m, " - -");
	}
	/* An unfinished compaction has no result: count is still 0. */
	if (r->kind == MEMLAB_TL_COMPACTION)
		seq_printf(m, " %s", r->count ?
			   memlab_tl_compact_result(r->result) : "-");
	else
		memlab_tl_put_long(m, r->result);
	seq_putc(m, '\n');
}

/* tracepoints: one record per tracepoint the timeline wants. */
int memlab_tracepoints_fill(struct memlab_timeline *tl, void *cursor,
			    unsigned long *key)
{
	if (*key >= MEMLAB_TL_NR_TPS)
		return 0;
	*(struct memlab_tp_row *)cursor = (struct memlab_tp_row) {
		.tp = *key,
		.state = tl->state[*key],
	};
	return 1;
}

void memlab_tracepoints_show(struct seq_file *m, const void *cursor)
{
	const struct memlab_tp_row *r = cursor;
	const struct memlab_tl_tracepoint *t = &memlab_tl_tracepoints[r->tp];

	seq_printf(m, "%s %s ", t->name, t->system);
	if (r->state == MEMLAB_TP_ATTACHED)
		seq_puts(m, "attached");
	else if (r->state == MEMLAB_TP_ABSENT)
		seq_puts(m, "absent");
	else
		seq_printf(m, "error%d", r->state);
	seq_printf(m, " %s\n", t->rows);
}
