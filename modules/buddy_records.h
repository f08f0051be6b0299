/* SPDX-License-Identifier: GPL-2.0 */
/*
 * memlab_buddy's record of what the allocator did for it (buddy_records.c):
 * the core's recorder, for buddy/events and buddy/timeline, and the
 * pressure experiment, which allocates until a zone reaches a watermark,
 * with buddy/pressure, its steps.  buddy_main.c owns the lab and its lock,
 * under which every function here runs.
 */
#ifndef BUDDY_RECORDS_H
#define BUDDY_RECORDS_H

#include <linux/gfp.h>
#include <linux/list.h>
#include <linux/mmzone.h>
#include <linux/mutex.h>
#include <linux/seq_file.h>
#include <linux/types.h>

#include "memlab_recorder.h"

/* One row of buddy/pressure: the run after @blocks blocks. */
struct buddy_pressure_row {
	unsigned long blocks;
	unsigned long free;
	unsigned long wmark[NR_WMARK];
	u64 delta[MEMLAB_NR_VM_COUNTERS];	/* since the run began */
	unsigned int notes;			/* BIT(BUDDY_NOTE_*) */
};

/* A row of buddy/pressure with what every row of the run shares. */
struct buddy_pressure_cursor {
	unsigned int order;
	struct zone *zone;
	unsigned long target;
	struct buddy_pressure_row row;
};

struct buddy_records {
	/* buddy/events and buddy/timeline. */
	struct memlab_recorder recorder;

	/*
	 * The last pressure run: its blocks, of one order, chained through
	 * their first page's lru (ours while we hold the block), and its
	 * rows.  A run is refused while the blocks of the last one are held.
	 */
	struct list_head pressure_blocks;
	unsigned long pressure_pages;		/* read locklessly by count */
	unsigned int pressure_order;
	struct zone *pressure_zone;
	unsigned long pressure_target;
	struct buddy_pressure_row *pressure_rows;
	unsigned long nr_pressure_rows;

	/*
	 * The held blocks are reclaimable: reclaim takes them back through
	 * this shrinker before it would wake the OOM killer.  It frees
	 * under @lock, the lab's, and only when it can take it at once.
	 */
	struct shrinker *shrinker;
	struct mutex *lock;	/* the lab's, for the shrinker */
};

/* @lock is the lab's, which the caller holds around every call below. */
int buddy_records_init(struct buddy_records *rec, struct mutex *lock);
/* Frees the records; the pressure blocks must be given back first. */
void buddy_records_destroy(struct buddy_records *rec);

int buddy_parse_zone(const char *name, struct zone **zone, gfp_t *zone_bits);

int buddy_pressure(struct buddy_records *rec, unsigned int order,
		   struct zone *zone, enum zone_watermarks until, gfp_t flags,
		   unsigned long max_pages);
void buddy_pressure_release(struct buddy_records *rec);

/* The views; buddy_main.c gives them the lab's records. */
struct buddy_records *buddy_records_of(struct seq_file *m);

#define BUDDY_PRESSURE_HEADER						\
	"# order zone target blocks free min low high "			\
	MEMLAB_VM_COUNTER_COLUMNS " notes"

int buddy_pressure_fill(struct seq_file *m, void *cursor, unsigned long *key);
void buddy_pressure_show(struct seq_file *m, const void *cursor);

#endif
