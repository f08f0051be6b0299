/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A module's timeline (buddy/timeline, slab/timeline): what the allocator
 * did for each of the module's own allocations, in order, from the
 * kernel's tracepoints: which list served the block, the fallbacks to
 * other migrate types, the kswapd wakeups, direct reclaim and compaction
 * with their latency.  Its tracepoints view (buddy/tracepoints) says which
 * tracepoints this kernel has.  Part of memlab.ko, so that every module
 * that allocates can keep one; see memlab_timeline.c.
 */
#ifndef MEMLAB_TIMELINE_H
#define MEMLAB_TIMELINE_H

#include <linux/mm_types.h>
#include <linux/mmzone.h>
#include <linux/sched.h>
#include <linux/seq_file.h>
#include <linux/tracepoint.h>
#include <linux/types.h>

enum memlab_tl_kind {
	/* How one of memlab's allocations was served, merged per phase. */
	MEMLAB_TL_PCP_HIT,	/* from the per-cpu list */
	MEMLAB_TL_PCP_REFILL,	/* the per-cpu list was refilled first */
	MEMLAB_TL_BUDDY,		/* from the free lists, under the zone lock */
	MEMLAB_TL_CAPTURED,	/* handed over by direct compaction */
	MEMLAB_TL_COMPACTED,	/* from the free lists, after compaction ran
				 * or was deferred
				 */
	MEMLAB_TL_ALLOC,		/* served; this kernel cannot say from where */
	MEMLAB_TL_FAILED,
	MEMLAB_TL_COMPACT_FAILED,	/* failed, after compaction */
	/* How an object of a slab cache was served. */
	MEMLAB_TL_OBJECT,	/* from a slab the cache had */
	MEMLAB_TL_NEW_SLAB,	/* the cache allocated a new slab for it */
	MEMLAB_TL_OBJECT_FAILED,
	/* What happened on the way. */
	MEMLAB_TL_FALLBACK,	/* a block taken from another migrate type */
	MEMLAB_TL_KSWAPD_WAKE,
	MEMLAB_TL_KCOMPACTD_WAKE,
	MEMLAB_TL_DIRECT_RECLAIM,
	MEMLAB_TL_COMPACTION,	/* one zone's direct compaction */
	MEMLAB_TL_MIGRATE,	/* pages compaction moved */
	MEMLAB_TL_COMPACT_DEFERRED,
	MEMLAB_TL_NR_KINDS
};

/*
 * One row: an event, or a run of like events within one phase (between
 * two reclaim or compaction boundaries).  Times are ns since the
 * command began; a row is written when its last event ends.
 */
struct memlab_tl_row {
	unsigned long id;	/* the command's id in its events view */
	unsigned int seq;	/* from 1 within the command */
	enum memlab_tl_kind kind;
	int order;		/* -1: none */
	int migratetype;	/* -1: none */
	struct zone *zone;
	unsigned long count;
	u64 at;
	u64 ns;			/* latency or duration, summed over count */
	u64 max_ns;
	long result;		/* what the kind says it is, or -1 */
};

/* The allocation in flight, filled in by the probes it triggers. */
struct memlab_tl_alloc {
	bool active;
	int order;
	u64 start;
	int migratetype;
	unsigned long refilled;	/* blocks moved to the per-cpu list */
	unsigned long direct;	/* blocks taken from the free lists */
	unsigned long fallbacks;	/* ... from another migrate type's */
	unsigned long pages;	/* blocks mm_page_alloc handed out */
	int page_order;		/* ... of the last one, for a slab */
	struct zone *page_zone;
	bool compacted;		/* it compacted, or found compaction deferred */
	bool after_compaction;	/* ... and has not reclaimed since */
};

/* The tracepoints a timeline is built from, as its tracepoints view lists. */
enum memlab_tl_tp {
	MEMLAB_TP_PAGE_ALLOC,
	MEMLAB_TP_ZONE_LOCKED,
	MEMLAB_TP_EXTFRAG,
	MEMLAB_TP_WAKEUP_KSWAPD,
	MEMLAB_TP_RECLAIM_BEGIN,
	MEMLAB_TP_RECLAIM_END,
	MEMLAB_TP_COMPACTION_BEGIN,
	MEMLAB_TP_COMPACTION_END,
	MEMLAB_TP_MIGRATEPAGES,
	MEMLAB_TP_COMPACTION_DEFERRED,
	MEMLAB_TP_WAKEUP_KCOMPACTD,
	MEMLAB_TL_NR_TPS
};

/* A tracepoint's state: these, or the errno its registration failed with. */
#define MEMLAB_TP_ABSENT		0
#define MEMLAB_TP_ATTACHED	1

/* A row of buddy/tracepoints. */
struct memlab_tp_row {
	enum memlab_tl_tp tp;
	int state;
};

struct memlab_timeline {
	/* A ring of the last MEMLAB_TL_ROWS rows, by (row number % size). */
	struct memlab_tl_row *rows;
	unsigned long nr_rows;
	/*
	 * The command being recorded, set and cleared by its own task with
	 * its module's lock held; the probes record only that task's events, and
	 * only while one of memlab's allocations is in flight.
	 */
	struct task_struct *owner;
	unsigned long id;
	u64 start;
	unsigned int seq;
	unsigned long cmd_first;	/* the command's first row */
	unsigned long phase_first;	/* rows to merge with start here */
	long open_reclaim;		/* the unfinished row, or -1 */
	long open_compaction;
	struct memlab_tl_alloc alloc;
	struct tracepoint *tp[MEMLAB_TL_NR_TPS];
	int state[MEMLAB_TL_NR_TPS];	/* MEMLAB_TP_*, or an errno */
};

int memlab_timeline_init(struct memlab_timeline *tl);
void memlab_timeline_destroy(struct memlab_timeline *tl);

/* A command: its rows are kept when it ends well, under its event's id. */
void memlab_timeline_begin(struct memlab_timeline *tl, unsigned long id);
void memlab_timeline_end(struct memlab_timeline *tl, bool keep);

/*
 * Around each allocation the command makes: of a block of @order, or
 * (order -1) of an object of a slab cache.
 */
void memlab_timeline_alloc_enter(struct memlab_timeline *tl, int order);
void memlab_timeline_alloc_exit(struct memlab_timeline *tl, struct page *page);
void memlab_timeline_object_exit(struct memlab_timeline *tl, const void *obj);

#define MEMLAB_TIMELINE_HEADER \
	"# id seq at_ns event order zone migratetype count ns max_ns result"
#define MEMLAB_TRACEPOINTS_HEADER "# tracepoint system state rows"

/* The views' fill() and show(), for memlab_recorder.c's views of @tl. */
int memlab_timeline_fill(struct memlab_timeline *tl, void *cursor,
			 unsigned long *key);
void memlab_timeline_show(struct seq_file *m, const void *cursor);
int memlab_tracepoints_fill(struct memlab_timeline *tl, void *cursor,
			    unsigned long *key);
void memlab_tracepoints_show(struct seq_file *m, const void *cursor);

#endif
