/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What a module's commands that allocate cost the kernel (buddy/events,
 * slab/events): the counters of /proc/vmstat and a zone's free pages
 * against its watermarks, read around each command, and the command's
 * timeline (memlab_timeline.h).  Part of memlab.ko; each module keeps a
 * recorder of its own, under its own lock, and memlab_recorder_publish()
 * gives it the three views.  See memlab_recorder.c.
 */
#ifndef MEMLAB_RECORDER_H
#define MEMLAB_RECORDER_H

#include <linux/gfp.h>
#include <linux/mmzone.h>
#include <linux/mutex.h>
#include <linux/seq_file.h>
#include <linux/types.h>

#include "memlab.h"
#include "memlab_compat_vmstat.h"
#include "memlab_timeline.h"

/* What the allocator's counters and a zone said at one moment. */
struct memlab_probe {
	struct zone *zone;
	unsigned long free;
	u64 vm[MEMLAB_NR_VM_COUNTERS];
};

/* One row of an events view: a command that allocated, and its cost. */
struct memlab_event {
	unsigned long id;		/* from 1, in the order they ran */
	const char *command;
	int order;			/* -1: objects, not blocks */
	unsigned long asked;
	unsigned long got;
	struct zone *zone;		/* the one the allocator tried first */
	unsigned long free_before;
	unsigned long free_after;
	unsigned long wmark[NR_WMARK];	/* min, low, high, after */
	u64 delta[MEMLAB_NR_VM_COUNTERS];
};

struct memlab_recorder {
	/* The module's lock, held around its commands and the views' reads. */
	struct mutex *lock;
	/* A ring of the last MEMLAB_EVENTS_MAX events, by (id - 1). */
	struct memlab_event *events;
	unsigned long nr_events;	/* recorded so far: the newest id */
	unsigned long *vm_scratch;	/* NR_VM_EVENT_ITEMS, for the reads */
	struct memlab_timeline timeline;
};

/*
 * @lock is the module's: its commands hold it as they record, and the
 * views hold it as they read.
 */
int memlab_recorder_init(struct memlab_recorder *rec, struct mutex *lock);
void memlab_recorder_destroy(struct memlab_recorder *rec);

/*
 * The recorder's views in @dir: events, timeline and tracepoints.  Taken
 * away with the rest of @dir by memlab_dir_remove(), which must come
 * before memlab_recorder_destroy().
 */
int memlab_recorder_publish(struct memlab_dir *dir,
			    struct memlab_recorder *rec);

/* The zone the allocator tries first for @flags on this CPU's node. */
struct zone *memlab_preferred_zone(gfp_t flags);
void memlab_zone_wmarks(struct zone *zone, unsigned long *wmark);

/* The counters and @zone's free pages now; the caller's lock held. */
void memlab_probe_read(struct memlab_recorder *rec, struct zone *zone,
		       struct memlab_probe *p);
void memlab_probe_delta(const struct memlab_probe *before,
			const struct memlab_probe *after, u64 *delta);

/*
 * A command that allocates, from begin to end: an event if it succeeded
 * (@ret is 0), and its rows of the timeline.  The caller's lock is held
 * throughout.
 */
void memlab_command_begin(struct memlab_recorder *rec, struct zone *zone,
			  struct memlab_probe *before);
void memlab_command_end(struct memlab_recorder *rec,
			const struct memlab_probe *before, int ret,
			const char *command, int order, unsigned long asked,
			unsigned long got);

#define MEMLAB_EVENTS_HEADER						\
	"# id command order asked got zone free_before free_after min low high " \
	MEMLAB_VM_COUNTER_COLUMNS
/* The counters of @delta as columns, "-" on a kernel that keeps none. */
void memlab_put_vm_counters(struct seq_file *m, const u64 *delta);

#endif
