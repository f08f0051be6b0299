/* SPDX-License-Identifier: GPL-2.0 */
/*
 * memlab_buddy's record of what the allocator did for it (buddy_records.c):
 * buddy/events, a row for each command that allocated, with the counters
 * it moved and its zone's free pages against the watermarks; and the
 * pressure experiment, which allocates until a zone reaches a watermark,
 * with buddy/pressure, its steps.  buddy_main.c owns the lab and its lock,
 * under which every function here runs.
 */
#ifndef BUDDY_RECORDS_H
#define BUDDY_RECORDS_H

#include <linux/gfp.h>
#include <linux/list.h>
#include <linux/mmzone.h>
#include <linux/seq_file.h>
#include <linux/types.h>

#include "memlab_compat_vmstat.h"
#include "buddy_timeline.h"

/* What the allocator's counters and a zone said at one moment. */
struct buddy_probe {
	struct zone *zone;
	unsigned long free;
	u64 vm[MEMLAB_NR_VM_COUNTERS];
};

/* One row of buddy/events: a command that allocated, and what it cost. */
struct buddy_event {
	unsigned long id;		/* from 1, in the order they ran */
	const char *command;
	unsigned int order;
	unsigned long asked;		/* blocks */
	unsigned long got;
	struct zone *zone;		/* the one the allocator tried first */
	unsigned long free_before;
	unsigned long free_after;
	unsigned long wmark[NR_WMARK];	/* min, low, high, after */
	u64 delta[MEMLAB_NR_VM_COUNTERS];
};

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
	/* buddy/events: a ring of the last BUDDY_EVENTS_MAX, by (id - 1). */
	struct buddy_event *events;
	unsigned long nr_events;	/* recorded so far: the newest id */
	unsigned long *vm_scratch;	/* NR_VM_EVENT_ITEMS, for the reads */

	/*
	 * The last pressure run: its blocks, of one order, chained through
	 * their first page's lru (ours while we hold the block), and its
	 * rows.  A run is refused while the blocks of the last one are held.
	 */
	struct list_head pressure_blocks;
	unsigned long pressure_pages;
	unsigned int pressure_order;
	struct zone *pressure_zone;
	unsigned long pressure_target;
	struct buddy_pressure_row *pressure_rows;
	unsigned long nr_pressure_rows;

	/* buddy/timeline: what the allocator did, from its tracepoints. */
	struct buddy_timeline timeline;
};

int buddy_records_init(struct buddy_records *rec);
/* Frees the records; the pressure blocks must be given back first. */
void buddy_records_destroy(struct buddy_records *rec);

struct zone *buddy_preferred_zone(gfp_t flags);
int buddy_parse_zone(const char *name, struct zone **zone, gfp_t *zone_bits);

void buddy_probe(struct buddy_records *rec, struct zone *zone,
		 struct buddy_probe *p);

/*
 * A command that allocates, from begin to end: a row of buddy/events if
 * it succeeded (@ret is 0), and its rows of buddy/timeline.
 */
void buddy_command_begin(struct buddy_records *rec, struct zone *zone,
			 struct buddy_probe *before);
void buddy_command_end(struct buddy_records *rec,
		       const struct buddy_probe *before, int ret,
		       const char *command, unsigned int order,
		       unsigned long asked, unsigned long got);

int buddy_pressure(struct buddy_records *rec, unsigned int order,
		   struct zone *zone, enum zone_watermarks until, gfp_t flags,
		   unsigned long max_pages);
void buddy_pressure_release(struct buddy_records *rec);

/* The views; buddy_main.c gives them the lab's records. */
struct buddy_records *buddy_records_of(struct seq_file *m);

#define BUDDY_EVENTS_HEADER						\
	"# id command order asked got zone free_before free_after min low high " \
	MEMLAB_VM_COUNTER_COLUMNS
#define BUDDY_PRESSURE_HEADER						\
	"# order zone target blocks free min low high "			\
	MEMLAB_VM_COUNTER_COLUMNS " notes"

int buddy_events_fill(struct seq_file *m, void *cursor, unsigned long *key);
void buddy_events_show(struct seq_file *m, const void *cursor);
int buddy_pressure_fill(struct seq_file *m, void *cursor, unsigned long *key);
void buddy_pressure_show(struct seq_file *m, const void *cursor);

#endif
