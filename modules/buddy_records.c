// SPDX-License-Identifier: GPL-2.0
/*
 * The pressure experiment (buddy/pressure), whose steps say where kswapd
 * woke, where direct reclaim and compaction came in, and where an order
 * began to fail; its counters are the core's recorder's, which also keeps
 * buddy/events and buddy/timeline.  See buddy_records.h.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/gfp.h>
#include <linux/list.h>
#include <linux/minmax.h>
#include <linux/mm.h>
#include <linux/mmzone.h>
#include <linux/sched.h>
#include <linux/sched/signal.h>
#include <linux/seq_file.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/vmstat.h>

#include "memlab.h"
#include "memlab_compat_reclaim.h"
#include "buddy_records.h"

/* The rows of a pressure run: steps at a stride, and every step of note. */
#define BUDDY_PRESSURE_ROWS	1024
#define BUDDY_PRESSURE_STEPS	256

/* Why a pressure step is a row of its own; several can come at once. */
enum buddy_pressure_note {
	BUDDY_NOTE_START,
	BUDDY_NOTE_KSWAPD,		/* pageoutrun moved: kswapd ran */
	BUDDY_NOTE_DIRECT_RECLAIM,	/* allocstall moved */
	BUDDY_NOTE_COMPACTION,		/* compact_stall moved */
	BUDDY_NOTE_ORDER_FAILED,	/* ORDER failed, here */
	BUDDY_NOTE_ORDER0_OK,		/* ... while order 0 still succeeded */
	BUDDY_NOTE_ORDER0_FAILED,
	BUDDY_NOTE_REACHED,		/* the zone reached its watermark */
	BUDDY_NOTE_BOUND,		/* pressure_max_pages */
	BUDDY_NR_NOTES
};

static const char * const buddy_note_names[BUDDY_NR_NOTES] = {
	[BUDDY_NOTE_START]		= "start",
	[BUDDY_NOTE_KSWAPD]		= "kswapd",
	[BUDDY_NOTE_DIRECT_RECLAIM]	= "direct_reclaim",
	[BUDDY_NOTE_COMPACTION]		= "compaction",
	[BUDDY_NOTE_ORDER_FAILED]	= "order_failed",
	[BUDDY_NOTE_ORDER0_OK]		= "order0_ok",
	[BUDDY_NOTE_ORDER0_FAILED]	= "order0_failed",
	[BUDDY_NOTE_REACHED]		= "reached",
	[BUDDY_NOTE_BOUND]		= "bound",
};

/*
 * The shrinker of the held blocks.  count needs no lock: reclaim only
 * takes it as a hint.  scan runs in the reclaim of whoever needs memory,
 * possibly a pressure run's own allocation under the lab lock: it frees
 * only if it gets the lock at once, so a run is never undone while it
 * runs, and reclaim does not wait on an experiment.
 */
static unsigned long buddy_pressure_count(struct shrinker *s,
					  struct shrink_control *sc)
{
	struct buddy_records *rec = memlab_shrinker_data(s);

	return READ_ONCE(rec->pressure_pages);
}

/*
 * What reclaim asked for, and at least what takes the run's zone back
 * over its high watermark.  Reclaim asks for a little at a time, and an
 * allocation whose reclaim leaves the zone under min gives up and wakes
 * the OOM killer: the allocator counts only LRU pages as reclaimable, so
 * it cannot know that another scan would have given more.
 */
static unsigned long buddy_pressure_to_free(const struct buddy_records *rec,
					    unsigned long asked)
{
	struct zone *zone = rec->pressure_zone;
	unsigned long free = zone_page_state(zone, NR_FREE_PAGES);
	unsigned long high = high_wmark_pages(zone);

	return max(asked, free < high ? high - free : 0);
}

static unsigned long buddy_pressure_scan(struct shrinker *s,
					 struct shrink_control *sc)
{
	struct buddy_records *rec = memlab_shrinker_data(s);
	unsigned long freed = 0, want;
	struct page *page;

	if (!mutex_trylock(rec->lock))
		return SHRINK_STOP;
	/* count saw blocks; "free all" may have taken them since. */
	if (list_empty(&rec->pressure_blocks)) {
		mutex_unlock(rec->lock);
		return SHRINK_STOP;
	}
	want = buddy_pressure_to_free(rec, sc->nr_to_scan);
	/* The last blocks taken go first: the run's end is what gave way. */
	while (freed < want && !list_empty(&rec->pressure_blocks)) {
		page = list_last_entry(&rec->pressure_blocks, struct page, lru);
		list_del(&page->lru);
		__free_pages(page, rec->pressure_order);
		freed += 1UL << rec->pressure_order;
	}
	WRITE_ONCE(rec->pressure_pages, rec->pressure_pages - freed);
	mutex_unlock(rec->lock);
	memlab_account_reclaimed(freed);
	return freed ? freed : SHRINK_STOP;
}

int buddy_records_init(struct buddy_records *rec, struct mutex *lock)
{
	int ret = -ENOMEM;

	INIT_LIST_HEAD(&rec->pressure_blocks);
	rec->lock = lock;
	rec->pressure_rows = kvcalloc(BUDDY_PRESSURE_ROWS,
				      sizeof(*rec->pressure_rows), GFP_KERNEL);
	if (!rec->pressure_rows)
		goto err;
	rec->shrinker = memlab_shrinker_create(KBUILD_MODNAME "-pressure",
					       buddy_pressure_count,
					       buddy_pressure_scan, rec);
	if (!rec->shrinker)
		goto err_rows;
	ret = memlab_recorder_init(&rec->recorder, lock);
	if (ret)
		goto err_shrinker;
	return 0;

err_shrinker:
	memlab_shrinker_destroy(rec->shrinker);
	rec->shrinker = NULL;
err_rows:
	kvfree(rec->pressure_rows);
	rec->pressure_rows = NULL;
err:
	return ret;
}

void buddy_records_destroy(struct buddy_records *rec)
{
	memlab_recorder_destroy(&rec->recorder);
	memlab_shrinker_destroy(rec->shrinker);
	rec->shrinker = NULL;
	kvfree(rec->pressure_rows);
	rec->pressure_rows = NULL;
}

/* The blocks of the last pressure run.  Caller holds the lab lock. */
void buddy_pressure_release(struct buddy_records *rec)
{
	struct page *page, *next;

	list_for_each_entry_safe(page, next, &rec->pressure_blocks, lru) {
		list_del(&page->lru);
		__free_pages(page, rec->pressure_order);
		cond_resched();
	}
	WRITE_ONCE(rec->pressure_pages, 0);
}

/*
 * The free pages of @zone that a request of @flags may use, as the
 * watermark check counts them (__zone_watermark_unusable_free()): free
 * CMA pages serve only movable requests, and the high-atomic reserve
 * only the requests allowed into the reserves, which pressure never is.
 */
static unsigned long buddy_usable_free(struct zone *zone, gfp_t flags)
{
	unsigned long free = zone_page_state(zone, NR_FREE_PAGES);
	unsigned long unusable = READ_ONCE(zone->nr_reserved_highatomic);

	/* gfp_migratetype(), but for its unexported mobility switch. */
	if ((flags & (__GFP_RECLAIMABLE | __GFP_MOVABLE)) != __GFP_MOVABLE)
		unusable += zone_page_state(zone, NR_FREE_CMA_PAGES);
	return free > unusable ? free - unusable : 0;
}

/* A row of the pressure run, if it is of note or at a stride. */
static void buddy_pressure_sample(struct buddy_records *rec,
				  const struct memlab_probe *start, gfp_t flags,
				  unsigned long blocks, unsigned long stride,
				  unsigned int notes)
{
	struct buddy_pressure_row *row, *last = NULL;
	struct memlab_probe now;
	u64 delta[MEMLAB_NR_VM_COUNTERS];

	memlab_probe_read(&rec->recorder, start->zone, &now);
	memlab_probe_delta(start, &now, delta);
	if (rec->nr_pressure_rows)
		last = &rec->pressure_rows[rec->nr_pressure_rows - 1];
	/* What moved since the last row is news the first time it moves. */
	if (last && delta[MEMLAB_VM_PAGEOUTRUN] > last->delta[MEMLAB_VM_PAGEOUTRUN])
		notes |= BIT(BUDDY_NOTE_KSWAPD);
	if (last && delta[MEMLAB_VM_ALLOCSTALL] > last->delta[MEMLAB_VM_ALLOCSTALL])
		notes |= BIT(BUDDY_NOTE_DIRECT_RECLAIM);
	if (last &&
	    delta[MEMLAB_VM_COMPACT_STALL] > last->delta[MEMLAB_VM_COMPACT_STALL])
		notes |= BIT(BUDDY_NOTE_COMPACTION);
	if (!notes && blocks % stride)
		return;
	/* The last rows are kept for what ends the run. */
	if (rec->nr_pressure_rows >= BUDDY_PRESSURE_ROWS ||
	    (!(notes & (BIT(BUDDY_NOTE_REACHED) | BIT(BUDDY_NOTE_BOUND) |
			BIT(BUDDY_NOTE_ORDER_FAILED))) &&
	     rec->nr_pressure_rows >= BUDDY_PRESSURE_ROWS - 4))
		return;
	row = &rec->pressure_rows[rec->nr_pressure_rows++];
	row->blocks = blocks;
	row->free = buddy_usable_free(start->zone, flags);
	memlab_zone_wmarks(start->zone, row->wmark);
	memcpy(row->delta, delta, sizeof(delta));
	row->notes = notes;
}

/*
 * After ORDER failed: does order 0 still succeed?  The page goes straight
 * back.
 */
static unsigned int buddy_pressure_order0(struct buddy_records *rec,
					  gfp_t flags)
{
	struct page *page;

	memlab_timeline_alloc_enter(&rec->recorder.timeline, 0);
	page = alloc_pages(flags, 0);
	memlab_timeline_alloc_exit(&rec->recorder.timeline, page);

	if (!page)
		return BIT(BUDDY_NOTE_ORDER0_FAILED);
	__free_pages(page, 0);
	return BIT(BUDDY_NOTE_ORDER0_OK);
}

/*
 * pressure: allocates blocks of @order in @zone's reach until the free
 * pages it may use fall to @until's watermark, sampling the counters after
 * each block.  min is never the aim itself: the run stops half-way
 * between low and min, so that the rest of the machine keeps the reserve it needs.
 * __GFP_NORETRY or __GFP_RETRY_MAYFAIL keeps the OOM killer out of the
 * run; the blocks stay held until "free all", unload, or reclaim takes
 * them back, and never pass @max_pages.  Caller holds the lab lock.
 */
int buddy_pressure(struct buddy_records *rec, unsigned int order,
		   struct zone *zone, enum zone_watermarks until, gfp_t flags,
		   unsigned long max_pages)
{
	unsigned long blocks = 0, stride, target, free, need;
	struct memlab_probe start;
	unsigned int notes = BIT(BUDDY_NOTE_START);
	struct page *page;
	int ret = 0;

	if (rec->pressure_pages)
		return -EBUSY;
	target = until == WMARK_LOW ? low_wmark_pages(zone) :
		 min_wmark_pages(zone) +
		 (low_wmark_pages(zone) - min_wmark_pages(zone)) / 2;
	rec->pressure_order = order;
	rec->pressure_zone = zone;
	rec->pressure_target = target;
	rec->nr_pressure_rows = 0;

	memlab_command_begin(&rec->recorder, zone, &start);
	free = buddy_usable_free(zone, flags);
	need = (free > target ? free - target : 0) >> order;
	stride = max(1UL, need / BUDDY_PRESSURE_STEPS);
	buddy_pressure_sample(rec, &start, flags, 0, stride, notes);
	for (;;) {
		notes = 0;
		free = buddy_usable_free(zone, flags);
		if (free <= target) {
			notes = BIT(BUDDY_NOTE_REACHED);
			break;
		}
		if (rec->pressure_pages + (1UL << order) > max_pages) {
			notes = BIT(BUDDY_NOTE_BOUND);
			break;
		}
		memlab_timeline_alloc_enter(&rec->recorder.timeline, order);
		page = alloc_pages(flags, order);
		memlab_timeline_alloc_exit(&rec->recorder.timeline, page);
		if (!page) {
			notes = BIT(BUDDY_NOTE_ORDER_FAILED);
			if (order)
				notes |= buddy_pressure_order0(rec, flags);
			break;
		}
		list_add_tail(&page->lru, &rec->pressure_blocks);
		WRITE_ONCE(rec->pressure_pages,
			   rec->pressure_pages + (1UL << order));
		buddy_pressure_sample(rec, &start, flags, ++blocks, stride, 0);
		if (fatal_signal_pending(current)) {
			ret = -EINTR;
			break;
		}
		cond_resched();
	}
	if (ret)
		buddy_pressure_release(rec);
	else
		buddy_pressure_sample(rec, &start, flags, blocks, stride, notes);
	memlab_command_end(&rec->recorder, &start, ret, "pressure", order,
			   need, blocks);
	return ret;
}

/* zone=NAME: a populated zone of this node, and the GFP zone bits for it. */
int buddy_parse_zone(const char *name, struct zone **zone, gfp_t *zone_bits)
{
	pg_data_t *pgdat = NODE_DATA(numa_mem_id());
	int zid;

	for (zid = 0; zid < MAX_NR_ZONES; zid++) {
		if (populated_zone(&pgdat->node_zones[zid]) &&
		    !strcasecmp(pgdat->node_zones[zid].name, name))
			break;
	}
	if (zid == MAX_NR_ZONES)
		return -EINVAL;
	*zone = &pgdat->node_zones[zid];
	*zone_bits = 0;
#ifdef CONFIG_ZONE_DMA
	if (zid == ZONE_DMA)
		*zone_bits = __GFP_DMA;
#endif
#ifdef CONFIG_ZONE_DMA32
	if (zid == ZONE_DMA32)
		*zone_bits = __GFP_DMA32;
#endif
	if (zid == ZONE_MOVABLE)
		*zone_bits = __GFP_HIGHMEM | __GFP_MOVABLE;
	/* The allocator must start from this zone: ZONE_DEVICE never. */
	return gfp_zone(GFP_KERNEL | *zone_bits) == zid ? 0 : -EINVAL;
}

/* pressure: one record per row of the last run. */
int buddy_pressure_fill(struct seq_file *m, void *cursor, unsigned long *key)
{
	struct buddy_records *rec = buddy_records_of(m);
	struct buddy_pressure_cursor *c = cursor;

	if (*key >= rec->nr_pressure_rows)
		return 0;
	c->order = rec->pressure_order;
	c->zone = rec->pressure_zone;
	c->target = rec->pressure_target;
	c->row = rec->pressure_rows[*key];
	return 1;
}

void buddy_pressure_show(struct seq_file *m, const void *cursor)
{
	const struct buddy_pressure_cursor *c = cursor;
	const struct buddy_pressure_row *r = &c->row;
	const char *sep = "";
	int i;

	seq_printf(m, "%u %d/%s %lu %lu %lu %lu %lu %lu", c->order,
		   zone_to_nid(c->zone), c->zone->name, c->target, r->blocks,
		   r->free, r->wmark[WMARK_MIN], r->wmark[WMARK_LOW],
		   r->wmark[WMARK_HIGH]);
	memlab_put_vm_counters(m, r->delta);
	seq_putc(m, ' ');
	for (i = 0; i < BUDDY_NR_NOTES; i++) {
		if (r->notes & BIT(i)) {
			seq_printf(m, "%s%s", sep, buddy_note_names[i]);
			sep = "|";
		}
	}
	seq_puts(m, *sep ? "\n" : "-\n");
}
