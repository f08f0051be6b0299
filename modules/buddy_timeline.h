/* SPDX-License-Identifier: GPL-2.0 */
/*
 * buddy/timeline: what the allocator did for each of memlab_buddy's own
 * allocations, in order, from the kernel's tracepoints: which list served
 * the block, the fallbacks to other migrate types, the kswapd wakeups,
 * direct reclaim and compaction with their latency.  buddy/tracepoints
 * says which tracepoints this kernel has.  See buddy_timeline.c.
 */
#ifndef BUDDY_TIMELINE_H
#define BUDDY_TIMELINE_H

#include <linux/mm_types.h>
#include <linux/mmzone.h>
#include <linux/sched.h>
#include <linux/seq_file.h>
#include <linux/tracepoint.h>
#include <linux/types.h>

enum buddy_tl_kind {
	/* How one of memlab's allocations was served, merged per phase. */
	BUDDY_TL_PCP_HIT,	/* from the per-cpu list */
	BUDDY_TL_PCP_REFILL,	/* the per-cpu list was refilled first */
	BUDDY_TL_BUDDY,		/* from the free lists, under the zone lock */
	BUDDY_TL_CAPTURED,	/* handed over by direct compaction */
	BUDDY_TL_COMPACTED,	/* from the free lists, after compaction ran
				 * or was deferred
				 */
	BUDDY_TL_ALLOC,		/* served; this kernel cannot say from where */
	BUDDY_TL_FAILED,
	BUDDY_TL_COMPACT_FAILED,	/* failed, after compaction */
	/* What happened on the way. */
	BUDDY_TL_FALLBACK,	/* a block taken from another migrate type */
	BUDDY_TL_KSWAPD_WAKE,
	BUDDY_TL_KCOMPACTD_WAKE,
	BUDDY_TL_DIRECT_RECLAIM,
	BUDDY_TL_COMPACTION,	/* one zone's direct compaction */
	BUDDY_TL_MIGRATE,	/* pages compaction moved */
	BUDDY_TL_COMPACT_DEFERRED,
	BUDDY_TL_NR_KINDS
};

/*
 * One row: an event, or a run of like events within one phase (between
 * two reclaim or compaction boundaries).  Times are ns since the
 * command began; a row is written when its last event ends.
 */
struct buddy_tl_row {
	unsigned long id;	/* the command's id in buddy/events */
	unsigned int seq;	/* from 1 within the command */
	enum buddy_tl_kind kind;
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
struct buddy_tl_alloc {
	bool active;
	unsigned int order;
	u64 start;
	int migratetype;
	unsigned long refilled;	/* blocks moved to the per-cpu list */
	unsigned long direct;	/* blocks taken from the free lists */
	unsigned long fallbacks;	/* ... from another migrate type's */
	bool compacted;		/* it compacted, or found compaction deferred */
	bool after_compaction;	/* ... and has not reclaimed since */
};

/* The tracepoints the timeline is built from; buddy/tracepoints lists them. */
enum buddy_tl_tp {
	BUDDY_TP_PAGE_ALLOC,
	BUDDY_TP_ZONE_LOCKED,
	BUDDY_TP_EXTFRAG,
	BUDDY_TP_WAKEUP_KSWAPD,
	BUDDY_TP_RECLAIM_BEGIN,
	BUDDY_TP_RECLAIM_END,
	BUDDY_TP_COMPACTION_BEGIN,
	BUDDY_TP_COMPACTION_END,
	BUDDY_TP_MIGRATEPAGES,
	BUDDY_TP_COMPACTION_DEFERRED,
	BUDDY_TP_WAKEUP_KCOMPACTD,
	BUDDY_TL_NR_TPS
};

/* A tracepoint's state: these, or the errno its registration failed with. */
#define BUDDY_TP_ABSENT		0
#define BUDDY_TP_ATTACHED	1

/* A row of buddy/tracepoints. */
struct buddy_tp_row {
	enum buddy_tl_tp tp;
	int state;
};

struct buddy_timeline {
	/* A ring of the last BUDDY_TL_ROWS rows, by (row number % size). */
	struct buddy_tl_row *rows;
	unsigned long nr_rows;
	/*
	 * The command being recorded, set and cleared by its own task with
	 * the lab lock held; the probes record only that task's events, and
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
	struct buddy_tl_alloc alloc;
	struct tracepoint *tp[BUDDY_TL_NR_TPS];
	int state[BUDDY_TL_NR_TPS];	/* BUDDY_TP_*, or an errno */
};

int buddy_timeline_init(struct buddy_timeline *tl);
void buddy_timeline_destroy(struct buddy_timeline *tl);

/* A command: its rows are kept when it ends well, under its event's id. */
void buddy_timeline_begin(struct buddy_timeline *tl, unsigned long id);
void buddy_timeline_end(struct buddy_timeline *tl, bool keep);

/* Around each allocation the command makes. */
void buddy_timeline_alloc_enter(struct buddy_timeline *tl, unsigned int order);
void buddy_timeline_alloc_exit(struct buddy_timeline *tl, struct page *page);

#define BUDDY_TIMELINE_HEADER \
	"# id seq at_ns event order zone migratetype count ns max_ns result"
#define BUDDY_TRACEPOINTS_HEADER "# tracepoint system state rows"

struct buddy_timeline *buddy_timeline_of(struct seq_file *m);
int buddy_timeline_fill(struct seq_file *m, void *cursor, unsigned long *key);
void buddy_timeline_show(struct seq_file *m, const void *cursor);
int buddy_tracepoints_fill(struct seq_file *m, void *cursor,
			   unsigned long *key);
void buddy_tracepoints_show(struct seq_file *m, const void *cursor);

#endif
