// SPDX-License-Identifier: GPL-2.0
/*
 * What the allocator did for each request memlab_buddy made: a timeline
 * built from the kernel's own tracepoints, attached as LTTng attaches to
 * them, by name (for_each_kernel_tracepoint()) since a module cannot link
 * to their structs.
 *
 * Only memlab's own requests are recorded, never a general trace: a probe
 * keeps an event only when it runs in the task of the command being
 * recorded, in task context, while one of the command's allocations is in
 * flight (buddy_timeline_alloc_enter() to _exit()).  The bookkeeping
 * memlab allocates between them is not part of the experiment.
 *
 * Locking: every field is written by the owner task alone, from the
 * command (which holds the lab lock) or from a probe that task triggered
 * (which cannot nest with another of our probes: an interrupt is not in
 * task context).  Readers take the lab lock, so they see whole commands.
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
#include "buddy_timeline.h"

/* The rows kept: the last commands' whole timelines, as a rule. */
#define BUDDY_TL_ROWS		4096
/* How far back a new event looks for a like row of its phase. */
#define BUDDY_TL_MERGE_WINDOW	32

static const char * const buddy_tl_kind_names[BUDDY_TL_NR_KINDS] = {
	[BUDDY_TL_PCP_HIT]		= "pcp_hit",
	[BUDDY_TL_PCP_REFILL]		= "pcp_refill",
	[BUDDY_TL_BUDDY]		= "buddy",
	[BUDDY_TL_CAPTURED]		= "captured",
	[BUDDY_TL_COMPACTED]		= "compacted",
	[BUDDY_TL_ALLOC]		= "alloc",
	[BUDDY_TL_FAILED]		= "failed",
	[BUDDY_TL_COMPACT_FAILED]	= "compact_failed",
	[BUDDY_TL_FALLBACK]		= "fallback",
	[BUDDY_TL_KSWAPD_WAKE]		= "kswapd_wake",
	[BUDDY_TL_KCOMPACTD_WAKE]	= "kcompactd_wake",
	[BUDDY_TL_DIRECT_RECLAIM]	= "direct_reclaim",
	[BUDDY_TL_COMPACTION]		= "compaction",
	[BUDDY_TL_MIGRATE]		= "migrate",
	[BUDDY_TL_COMPACT_DEFERRED]	= "compact_deferred",
};

/* enum compact_result, as the compaction tracepoints print it. */
static const char *buddy_tl_compact_result(long status)
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

static u64 buddy_tl_now(struct buddy_timeline *tl)
{
	return ktime_get_ns() - tl->start;
}

/* Whether a probe runs for one of the recorded command's allocations. */
static bool buddy_tl_mine(struct buddy_timeline *tl)
{
	return READ_ONCE(tl->owner) == current && in_task() && tl->alloc.active;
}

static struct buddy_tl_row *buddy_tl_row(struct buddy_timeline *tl,
					 unsigned long nr)
{
	return &tl->rows[nr % BUDDY_TL_ROWS];
}

static struct buddy_tl_row *buddy_tl_append(struct buddy_timeline *tl,
					    enum buddy_tl_kind kind, int order,
					    int migratetype, struct zone *zone,
					    u64 at)
{
	struct buddy_tl_row *row = buddy_tl_row(tl, tl->nr_rows++);

	*row = (struct buddy_tl_row) {
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
static struct buddy_tl_row *buddy_tl_merge(struct buddy_timeline *tl,
					   enum buddy_tl_kind kind, int order,
					   int migratetype, struct zone *zone,
					   long result, bool result_is_key,
					   u64 at)
{
	unsigned long first = max3(tl->phase_first, tl->cmd_first,
				   tl->nr_rows > BUDDY_TL_MERGE_WINDOW ?
				   tl->nr_rows - BUDDY_TL_MERGE_WINDOW : 0);
	struct buddy_tl_row *row;
	unsigned long nr;

	for (nr = first; nr < tl->nr_rows; nr++) {
		row = buddy_tl_row(tl, nr);
		if (row->kind == kind && row->order == order &&
		    row->migratetype == migratetype && row->zone == zone &&
		    (!result_is_key || row->result == result))
			return row;
	}
	row = buddy_tl_append(tl, kind, order, migratetype, zone, at);
	if (result_is_key)
		row->result = result;
	return row;
}

static void buddy_tl_add_time(struct buddy_tl_row *row, u64 ns)
{
	row->count++;
	row->ns += ns;
	row->max_ns = max(row->max_ns, ns);
}

/* A reclaim or compaction boundary: later events start new rows. */
static void buddy_tl_new_phase(struct buddy_timeline *tl)
{
	tl->phase_first = tl->nr_rows;
}

static void buddy_tl_open(struct buddy_timeline *tl, long *open,
			  enum buddy_tl_kind kind, struct zone *zone)
{
	buddy_tl_new_phase(tl);
	buddy_tl_append(tl, kind, tl->alloc.order, -1, zone, buddy_tl_now(tl));
	*open = tl->nr_rows - 1;
	buddy_tl_new_phase(tl);
}

/* Ends the open row, unless the ring has since passed it. */
static struct buddy_tl_row *buddy_tl_close(struct buddy_timeline *tl,
					   long *open)
{
	struct buddy_tl_row *row = NULL;

	if (*open >= 0 && tl->nr_rows - *open <= BUDDY_TL_ROWS) {
		row = buddy_tl_row(tl, *open);
		buddy_tl_add_time(row, buddy_tl_now(tl) - row->at);
	}
	*open = -1;
	buddy_tl_new_phase(tl);
	return row;
}

/* The probes.  They run in the allocator, some under the zone lock. */

static void buddy_tp_page_alloc(void *data, struct page *page,
				unsigned int order, gfp_t gfp_flags,
				int migratetype)
{
	struct buddy_timeline *tl = data;

	if (buddy_tl_mine(tl))
		tl->alloc.migratetype = migratetype;
}

static void buddy_tp_zone_locked(void *data, struct page *page,
				 unsigned int order, int migratetype,
				 int percpu_refill)
{
	struct buddy_timeline *tl = data;

	if (!buddy_tl_mine(tl))
		return;
	if (percpu_refill)
		tl->alloc.refilled++;
	else
		tl->alloc.direct++;
}

static void buddy_tp_extfrag(void *data, struct page *page, int alloc_order,
			     int fallback_order, int alloc_migratetype,
			     int fallback_migratetype)
{
	struct buddy_timeline *tl = data;
	u64 at;

	if (!buddy_tl_mine(tl))
		return;
	tl->alloc.fallbacks++;
	at = buddy_tl_now(tl);
	buddy_tl_merge(tl, BUDDY_TL_FALLBACK, alloc_order, fallback_migratetype,
		       page_zone(page), fallback_order, true, at)->count++;
}

static struct zone *buddy_tl_zone(int nid, int zid)
{
	if (nid < 0 || nid >= MAX_NUMNODES || !node_online(nid) ||
	    zid < 0 || zid >= MAX_NR_ZONES)
		return NULL;
	return &NODE_DATA(nid)->node_zones[zid];
}

static void buddy_tp_wakeup_kswapd(void *data, int nid, int zid, int order,
				   gfp_t gfp_flags)
{
	struct buddy_timeline *tl = data;

	if (!buddy_tl_mine(tl))
		return;
	buddy_tl_merge(tl, BUDDY_TL_KSWAPD_WAKE, order, -1,
		       buddy_tl_zone(nid, zid), -1, false,
		       buddy_tl_now(tl))->count++;
}

void buddy_tl_reclaim_begin(void *data, int order)
{
	struct buddy_timeline *tl = data;

	if (buddy_tl_mine(tl))
		buddy_tl_open(tl, &tl->open_reclaim, BUDDY_TL_DIRECT_RECLAIM,
			      NULL);
}

void buddy_tl_reclaim_end(void *data, unsigned long nr_reclaimed)
{
	struct buddy_timeline *tl = data;
	struct buddy_tl_row *row;

	if (!buddy_tl_mine(tl))
		return;
	/* A block found from here on is reclaim's, not compaction's. */
	tl->alloc.after_compaction = false;
	row = buddy_tl_close(tl, &tl->open_reclaim);
	if (row)
		row->result = nr_reclaimed;
}

static void buddy_tp_compaction_begin(void *data, struct compact_control *cc,
				      unsigned long zone_start,
				      unsigned long zone_end, bool sync)
{
	struct buddy_timeline *tl = data;
	struct zone *zone = NULL;

	if (!buddy_tl_mine(tl))
		return;
	if (pfn_valid(zone_start))
		zone = page_zone(pfn_to_page(zone_start));
	buddy_tl_open(tl, &tl->open_compaction, BUDDY_TL_COMPACTION, zone);
}

static void buddy_tp_compaction_end(void *data, struct compact_control *cc,
				    unsigned long zone_start,
				    unsigned long zone_end, bool sync,
				    int status)
{
	struct buddy_timeline *tl = data;
	struct buddy_tl_row *row;

	if (!buddy_tl_mine(tl))
		return;
	tl->alloc.compacted = true;
	tl->alloc.after_compaction = true;
	row = buddy_tl_close(tl, &tl->open_compaction);
	if (row)
		row->result = status;
}

void buddy_tl_migrated(void *data, unsigned int nr_succeeded)
{
	struct buddy_timeline *tl = data;
	struct buddy_tl_row *row;

	if (!buddy_tl_mine(tl))
		return;
	row = buddy_tl_merge(tl, BUDDY_TL_MIGRATE, tl->alloc.order, -1, NULL,
			     -1, false, buddy_tl_now(tl));
	row->count++;
	row->result = (row->result < 0 ? 0 : row->result) + nr_succeeded;
}

static void buddy_tp_compaction_deferred(void *data, struct zone *zone,
					 int order)
{
	struct buddy_timeline *tl = data;

	if (!buddy_tl_mine(tl))
		return;
	/* A deferred zone still counts as a compact_stall of the request. */
	tl->alloc.compacted = true;
	tl->alloc.after_compaction = true;
	buddy_tl_merge(tl, BUDDY_TL_COMPACT_DEFERRED, order, -1, zone, -1,
		       false, buddy_tl_now(tl))->count++;
}

static void buddy_tp_wakeup_kcompactd(void *data, int nid, int order,
				      enum zone_type highest_zoneidx)
{
	struct buddy_timeline *tl = data;

	if (!buddy_tl_mine(tl))
		return;
	buddy_tl_merge(tl, BUDDY_TL_KCOMPACTD_WAKE, order, -1,
		       buddy_tl_zone(nid, highest_zoneidx), -1, false,
		       buddy_tl_now(tl))->count++;
}

/* The tracepoints, and the rows of the timeline each one feeds. */
static const struct buddy_tl_tracepoint {
	const char *name;
	const char *system;
	void *probe;
	const char *rows;
} buddy_tl_tracepoints[BUDDY_TL_NR_TPS] = {
	[BUDDY_TP_PAGE_ALLOC] = {
		"mm_page_alloc", "kmem", buddy_tp_page_alloc,
		"migratetype",
	},
	[BUDDY_TP_ZONE_LOCKED] = {
		"mm_page_alloc_zone_locked", "kmem", buddy_tp_zone_locked,
		"pcp_hit|pcp_refill|buddy|captured|compacted",
	},
	[BUDDY_TP_EXTFRAG] = {
		"mm_page_alloc_extfrag", "kmem", buddy_tp_extfrag,
		"fallback|pcp_refill|buddy",
	},
	[BUDDY_TP_WAKEUP_KSWAPD] = {
		"mm_vmscan_wakeup_kswapd", "vmscan", buddy_tp_wakeup_kswapd,
		"kswapd_wake",
	},
	[BUDDY_TP_RECLAIM_BEGIN] = {
		"mm_vmscan_direct_reclaim_begin", "vmscan",
		memlab_tp_reclaim_begin, "direct_reclaim",
	},
	[BUDDY_TP_RECLAIM_END] = {
		"mm_vmscan_direct_reclaim_end", "vmscan",
		memlab_tp_reclaim_end, "direct_reclaim",
	},
	[BUDDY_TP_COMPACTION_BEGIN] = {
		"mm_compaction_begin", "compaction",
		buddy_tp_compaction_begin, "compaction",
	},
	[BUDDY_TP_COMPACTION_END] = {
		"mm_compaction_end", "compaction", buddy_tp_compaction_end,
		"compaction|captured|compacted|compact_failed",
	},
	[BUDDY_TP_MIGRATEPAGES] = {
		"mm_compaction_migratepages", "compaction",
		memlab_tp_migratepages, "migrate",
	},
	[BUDDY_TP_COMPACTION_DEFERRED] = {
		"mm_compaction_deferred", "compaction",
		buddy_tp_compaction_deferred, "compact_deferred",
	},
	[BUDDY_TP_WAKEUP_KCOMPACTD] = {
		"mm_compaction_wakeup_kcompactd", "compaction",
		buddy_tp_wakeup_kcompactd, "kcompactd_wake",
	},
};

/*
 * Each probe against the kernel's own prototype of its tracepoint: a
 * mismatch is a compile error, not a probe called with the wrong
 * arguments.  The checks are empty inline functions.
 */
static void buddy_tl_check_probes(void)
{
	check_trace_callback_type_mm_page_alloc(buddy_tp_page_alloc);
	check_trace_callback_type_mm_page_alloc_zone_locked(buddy_tp_zone_locked);
	check_trace_callback_type_mm_page_alloc_extfrag(buddy_tp_extfrag);
	check_trace_callback_type_mm_vmscan_wakeup_kswapd(buddy_tp_wakeup_kswapd);
	check_trace_callback_type_mm_vmscan_direct_reclaim_begin(memlab_tp_reclaim_begin);
	check_trace_callback_type_mm_vmscan_direct_reclaim_end(memlab_tp_reclaim_end);
#ifdef CONFIG_COMPACTION
	check_trace_callback_type_mm_compaction_begin(buddy_tp_compaction_begin);
	check_trace_callback_type_mm_compaction_end(buddy_tp_compaction_end);
	check_trace_callback_type_mm_compaction_migratepages(memlab_tp_migratepages);
	check_trace_callback_type_mm_compaction_deferred(buddy_tp_compaction_deferred);
	check_trace_callback_type_mm_compaction_wakeup_kcompactd(buddy_tp_wakeup_kcompactd);
#endif
}

struct buddy_tl_lookup {
	struct tracepoint *tp[BUDDY_TL_NR_TPS];
};

static void buddy_tl_find(struct tracepoint *tp, void *priv)
{
	struct buddy_tl_lookup *found = priv;
	int i;

	for (i = 0; i < BUDDY_TL_NR_TPS; i++) {
		if (!strcmp(tp->name, buddy_tl_tracepoints[i].name))
			found->tp[i] = tp;
	}
}

static void buddy_tl_detach(struct buddy_timeline *tl)
{
	bool any = false;
	int i;

	for (i = 0; i < BUDDY_TL_NR_TPS; i++) {
		if (tl->state[i] != BUDDY_TP_ATTACHED)
			continue;
		tracepoint_probe_unregister(tl->tp[i],
					    buddy_tl_tracepoints[i].probe, tl);
		tl->state[i] = BUDDY_TP_ABSENT;
		any = true;
	}
	/* No probe may still be running when the module text goes. */
	if (any)
		tracepoint_synchronize_unregister();
}

/*
 * Attaches what this kernel has.  A tracepoint it lacks, or one that
 * refuses a probe, is only a row of buddy/tracepoints: the timeline then
 * has less to say, and says what it cannot see.
 */
int buddy_timeline_init(struct buddy_timeline *tl)
{
	struct buddy_tl_lookup found = {};
	int i, ret;

	buddy_tl_check_probes();
	tl->rows = kvcalloc(BUDDY_TL_ROWS, sizeof(*tl->rows), GFP_KERNEL);
	if (!tl->rows)
		return -ENOMEM;
	tl->open_reclaim = -1;
	tl->open_compaction = -1;

	for_each_kernel_tracepoint(buddy_tl_find, &found);
	for (i = 0; i < BUDDY_TL_NR_TPS; i++) {
		tl->tp[i] = found.tp[i];
		tl->state[i] = BUDDY_TP_ABSENT;
		if (!found.tp[i])
			continue;
		ret = tracepoint_probe_register(found.tp[i],
						buddy_tl_tracepoints[i].probe,
						tl);
		tl->state[i] = ret ? ret : BUDDY_TP_ATTACHED;
		if (ret)
			pr_warn("%s: not attached (%d); buddy/timeline goes without it\n",
				buddy_tl_tracepoints[i].name, ret);
	}
	return 0;
}

void buddy_timeline_destroy(struct buddy_timeline *tl)
{
	buddy_tl_detach(tl);
	kvfree(tl->rows);
	tl->rows = NULL;
}

/* Caller holds the lab lock, as until buddy_timeline_end(). */
void buddy_timeline_begin(struct buddy_timeline *tl, unsigned long id)
{
	tl->id = id;
	tl->seq = 0;
	tl->start = ktime_get_ns();
	tl->cmd_first = tl->nr_rows;
	tl->phase_first = tl->nr_rows;
	WRITE_ONCE(tl->owner, current);
}

void buddy_timeline_end(struct buddy_timeline *tl, bool keep)
{
	WRITE_ONCE(tl->owner, NULL);
	tl->alloc.active = false;
	tl->open_reclaim = -1;
	tl->open_compaction = -1;
	/* A command that failed has no id of its own: its rows go. */
	if (!keep)
		tl->nr_rows = tl->cmd_first;
}

void buddy_timeline_alloc_enter(struct buddy_timeline *tl, unsigned int order)
{
	if (tl->owner != current)
		return;
	tl->alloc = (struct buddy_tl_alloc) {
		.order = order,
		.migratetype = -1,
		.start = buddy_tl_now(tl),
	};
	/* Set last: the probes look at the rest. */
	barrier();
	tl->alloc.active = true;
}

/*
 * Whether the per-cpu lists keep blocks of @order: the allocator's own
 * pcp_allowed_order(), which mm/internal.h keeps from modules
 * (HPAGE_PMD_ORDER comes with linux/mm.h).
 */
static bool buddy_tl_pcp_order(unsigned int order)
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
static enum buddy_tl_kind buddy_tl_served(const struct buddy_timeline *tl,
					  const struct page *page)
{
	const struct buddy_tl_alloc *a = &tl->alloc;
	bool taken = a->refilled || a->direct || a->fallbacks;

	if (!page)
		return a->compacted ? BUDDY_TL_COMPACT_FAILED : BUDDY_TL_FAILED;
	if (tl->state[BUDDY_TP_ZONE_LOCKED] != BUDDY_TP_ATTACHED)
		return BUDDY_TL_ALLOC;
	if (a->after_compaction)
		return taken ? BUDDY_TL_COMPACTED : BUDDY_TL_CAPTURED;
	if (a->refilled)
		return BUDDY_TL_PCP_REFILL;
	if (a->direct)
		return BUDDY_TL_BUDDY;
	if (a->fallbacks)
		return buddy_tl_pcp_order(a->order) ? BUDDY_TL_PCP_REFILL :
						      BUDDY_TL_BUDDY;
	return BUDDY_TL_PCP_HIT;
}

void buddy_timeline_alloc_exit(struct buddy_timeline *tl, struct page *page)
{
	enum buddy_tl_kind kind;
	struct buddy_tl_row *row;
	u64 now;

	if (tl->owner != current || !tl->alloc.active)
		return;
	tl->alloc.active = false;
	barrier();
	now = buddy_tl_now(tl);
	kind = buddy_tl_served(tl, page);
	row = buddy_tl_merge(tl, kind, tl->alloc.order, tl->alloc.migratetype,
			     page ? page_zone(page) : NULL, -1, false,
			     tl->alloc.start);
	buddy_tl_add_time(row, now - tl->alloc.start);
	if (kind == BUDDY_TL_PCP_REFILL)
		row->result = (row->result < 0 ? 0 : row->result) +
			      tl->alloc.refilled;
}

/* timeline: the rows still in the ring, oldest first. */
int buddy_timeline_fill(struct seq_file *m, void *cursor, unsigned long *key)
{
	struct buddy_timeline *tl = buddy_timeline_of(m);
	unsigned long kept = min_t(unsigned long, tl->nr_rows, BUDDY_TL_ROWS);

	if (*key >= kept)
		return 0;
	*(struct buddy_tl_row *)cursor =
		*buddy_tl_row(tl, tl->nr_rows - kept + *key);
	return 1;
}

static void buddy_tl_put_long(struct seq_file *m, long v)
{
	if (v < 0)
		seq_puts(m, " -");
	else
		seq_put_decimal_ull(m, " ", v);
}

void buddy_timeline_show(struct seq_file *m, const void *cursor)
{
	const struct buddy_tl_row *r = cursor;
	bool timed = r->kind <= BUDDY_TL_COMPACT_FAILED ||
		     r->kind == BUDDY_TL_DIRECT_RECLAIM ||
		     r->kind == BUDDY_TL_COMPACTION;

	seq_printf(m, "%lu %u %llu %s", r->id, r->seq, r->at,
		   buddy_tl_kind_names[r->kind]);
	buddy_tl_put_long(m, r->order);
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
	if (r->kind == BUDDY_TL_COMPACTION)
		seq_printf(m, " %s", r->count ?
			   buddy_tl_compact_result(r->result) : "-");
	else
		buddy_tl_put_long(m, r->result);
	seq_putc(m, '\n');
}

/* tracepoints: one record per tracepoint the timeline wants. */
int buddy_tracepoints_fill(struct seq_file *m, void *cursor,
			   unsigned long *key)
{
	struct buddy_timeline *tl = buddy_timeline_of(m);

	if (*key >= BUDDY_TL_NR_TPS)
		return 0;
	*(struct buddy_tp_row *)cursor = (struct buddy_tp_row) {
		.tp = *key,
		.state = tl->state[*key],
	};
	return 1;
}

void buddy_tracepoints_show(struct seq_file *m, const void *cursor)
{
	const struct buddy_tp_row *r = cursor;
	const struct buddy_tl_tracepoint *t = &buddy_tl_tracepoints[r->tp];

	seq_printf(m, "%s %s ", t->name, t->system);
	if (r->state == BUDDY_TP_ATTACHED)
		seq_puts(m, "attached");
	else if (r->state == BUDDY_TP_ABSENT)
		seq_puts(m, "absent");
	else
		seq_printf(m, "error%d", r->state);
	seq_printf(m, " %s\n", t->rows);
}
