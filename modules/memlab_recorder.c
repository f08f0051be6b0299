// SPDX-License-Identifier: GPL-2.0
/*
 * What each command that allocates cost the kernel: /proc/vmstat's
 * counters and the free pages of the zone the allocator tries first, read
 * before and after the command, kept as a ring of events, with the
 * command's timeline under the same id.  The counters are the whole
 * machine's: whatever else allocated or reclaimed meanwhile is in them
 * too.  See memlab_recorder.h.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/gfp.h>
#include <linux/minmax.h>
#include <linux/mm.h>
#include <linux/mmzone.h>
#include <linux/seq_file.h>
#include <linux/slab.h>
#include <linux/vmstat.h>

#include "memlab.h"
#include "memlab_recorder.h"

/* The commands an events view remembers, newest last. */
#define MEMLAB_EVENTS_MAX	256

int memlab_recorder_init(struct memlab_recorder *rec, struct mutex *lock)
{
	int ret = -ENOMEM;

	rec->lock = lock;
	rec->events = kvcalloc(MEMLAB_EVENTS_MAX, sizeof(*rec->events),
			       GFP_KERNEL);
	rec->vm_scratch = kcalloc(NR_VM_EVENT_ITEMS, sizeof(*rec->vm_scratch),
				  GFP_KERNEL);
	if (rec->events && rec->vm_scratch)
		ret = memlab_timeline_init(&rec->timeline);
	if (ret) {
		kvfree(rec->events);
		kfree(rec->vm_scratch);
		rec->events = NULL;
		rec->vm_scratch = NULL;
	}
	return ret;
}
EXPORT_SYMBOL_GPL(memlab_recorder_init);

void memlab_recorder_destroy(struct memlab_recorder *rec)
{
	memlab_timeline_destroy(&rec->timeline);
	kvfree(rec->events);
	kfree(rec->vm_scratch);
	rec->events = NULL;
	rec->vm_scratch = NULL;
}
EXPORT_SYMBOL_GPL(memlab_recorder_destroy);

/* The highest populated zone that @flags allows. */
struct zone *memlab_preferred_zone(gfp_t flags)
{
	pg_data_t *pgdat = NODE_DATA(numa_mem_id());
	int zid;

	for (zid = gfp_zone(flags); zid >= 0; zid--) {
		if (populated_zone(&pgdat->node_zones[zid]))
			return &pgdat->node_zones[zid];
	}
	return NULL;
}
EXPORT_SYMBOL_GPL(memlab_preferred_zone);

void memlab_zone_wmarks(struct zone *zone, unsigned long *wmark)
{
	wmark[WMARK_MIN] = min_wmark_pages(zone);
	wmark[WMARK_LOW] = low_wmark_pages(zone);
	wmark[WMARK_HIGH] = high_wmark_pages(zone);
}
EXPORT_SYMBOL_GPL(memlab_zone_wmarks);

void memlab_probe_read(struct memlab_recorder *rec, struct zone *zone,
		       struct memlab_probe *p)
{
	p->zone = zone;
	p->free = zone ? zone_page_state(zone, NR_FREE_PAGES) : 0;
	memlab_vm_counters_read(rec->vm_scratch, p->vm);
}
EXPORT_SYMBOL_GPL(memlab_probe_read);

void memlab_probe_delta(const struct memlab_probe *before,
			const struct memlab_probe *after, u64 *delta)
{
	int i;

	for (i = 0; i < MEMLAB_NR_VM_COUNTERS; i++)
		delta[i] = after->vm[i] - before->vm[i];
}
EXPORT_SYMBOL_GPL(memlab_probe_delta);

/* An event for a command that ran from @before until now. */
static void memlab_event_record(struct memlab_recorder *rec,
				const struct memlab_probe *before,
				const char *command, int order,
				unsigned long asked, unsigned long got)
{
	struct memlab_event *e =
		&rec->events[rec->nr_events % MEMLAB_EVENTS_MAX];
	struct memlab_probe after;

	memlab_probe_read(rec, before->zone, &after);
	e->id = ++rec->nr_events;
	e->command = command;
	e->order = order;
	e->asked = asked;
	e->got = got;
	e->zone = before->zone;
	e->free_before = before->free;
	e->free_after = after.free;
	if (e->zone)
		memlab_zone_wmarks(e->zone, e->wmark);
	memlab_probe_delta(before, &after, e->delta);
}

/*
 * The counters before the command, and its timeline from here on, under
 * the id its event will have.
 */
void memlab_command_begin(struct memlab_recorder *rec, struct zone *zone,
			  struct memlab_probe *before)
{
	memlab_probe_read(rec, zone, before);
	memlab_timeline_begin(&rec->timeline, rec->nr_events + 1);
}
EXPORT_SYMBOL_GPL(memlab_command_begin);

void memlab_command_end(struct memlab_recorder *rec,
			const struct memlab_probe *before, int ret,
			const char *command, int order, unsigned long asked,
			unsigned long got)
{
	memlab_timeline_end(&rec->timeline, !ret);
	if (!ret)
		memlab_event_record(rec, before, command, order, asked, got);
}
EXPORT_SYMBOL_GPL(memlab_command_end);

/* events: a record per remembered command, by its place, oldest first. */
static int memlab_events_fill(struct seq_file *m, void *cursor,
			      unsigned long *key)
{
	struct memlab_recorder *rec = memlab_data(m);
	unsigned long kept = min_t(unsigned long, rec->nr_events,
				   MEMLAB_EVENTS_MAX);
	unsigned long id = rec->nr_events - kept + *key + 1;

	if (*key >= kept)
		return 0;
	*(struct memlab_event *)cursor =
		rec->events[(id - 1) % MEMLAB_EVENTS_MAX];
	return 1;
}

void memlab_put_vm_counters(struct seq_file *m, const u64 *delta)
{
	int i;

	for (i = 0; i < MEMLAB_NR_VM_COUNTERS; i++) {
		if (MEMLAB_HAVE_VM_EVENTS)
			seq_put_decimal_ull(m, " ", delta[i]);
		else
			seq_puts(m, " -");
	}
}
EXPORT_SYMBOL_GPL(memlab_put_vm_counters);

static void memlab_events_show(struct seq_file *m, const void *cursor)
{
	const struct memlab_event *e = cursor;

	seq_printf(m, "%lu %s ", e->id, e->command);
	if (e->order < 0)
		seq_puts(m, "-");
	else
		seq_put_decimal_ull(m, "", e->order);
	seq_printf(m, " %lu %lu ", e->asked, e->got);
	if (e->zone)
		seq_printf(m, "%d/%s %lu %lu %lu %lu %lu", zone_to_nid(e->zone),
			   e->zone->name, e->free_before, e->free_after,
			   e->wmark[WMARK_MIN], e->wmark[WMARK_LOW],
			   e->wmark[WMARK_HIGH]);
	else
		seq_puts(m, "- - - - - -");
	memlab_put_vm_counters(m, e->delta);
	seq_putc(m, '\n');
}

static int memlab_timeline_view_fill(struct seq_file *m, void *cursor,
				     unsigned long *key)
{
	struct memlab_recorder *rec = memlab_data(m);

	return memlab_timeline_fill(&rec->timeline, cursor, key);
}

static int memlab_tracepoints_view_fill(struct seq_file *m, void *cursor,
					unsigned long *key)
{
	struct memlab_recorder *rec = memlab_data(m);

	return memlab_tracepoints_fill(&rec->timeline, cursor, key);
}

static struct mutex *memlab_recorder_lock(struct seq_file *m)
{
	struct memlab_recorder *rec = memlab_data(m);

	return rec->lock;
}

/* Published with the recorder as their data: memlab_data() finds it. */
static const struct memlab_file memlab_recorder_files[] = {
	{
		.name	= "events",
		.table	= {
			.header		= MEMLAB_EVENTS_HEADER,
			.cursor_size	= sizeof(struct memlab_event),
			.fill		= memlab_events_fill,
			.show		= memlab_events_show,
		},
		.lock	= memlab_recorder_lock,
	},
	{
		.name	= "timeline",
		.table	= {
			.header		= MEMLAB_TIMELINE_HEADER,
			.cursor_size	= sizeof(struct memlab_tl_row),
			.fill		= memlab_timeline_view_fill,
			.show		= memlab_timeline_show,
		},
		.lock	= memlab_recorder_lock,
	},
	{
		.name	= "tracepoints",
		.table	= {
			.header		= MEMLAB_TRACEPOINTS_HEADER,
			.cursor_size	= sizeof(struct memlab_tp_row),
			.fill		= memlab_tracepoints_view_fill,
			.show		= memlab_tracepoints_show,
		},
		.lock	= memlab_recorder_lock,
	},
};

int memlab_recorder_publish(struct memlab_dir *dir,
			    struct memlab_recorder *rec)
{
	return memlab_publish_all_data(dir, memlab_recorder_files,
				       ARRAY_SIZE(memlab_recorder_files), rec);
}
EXPORT_SYMBOL_GPL(memlab_recorder_publish);
