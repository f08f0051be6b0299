// SPDX-License-Identifier: GPL-2.0
/*
 * bench ORDER ITERATIONS: how long alloc_pages() and __free_pages() take
 * together, per order.  buddy/bench has the median, p99 and max of a run,
 * and the fragmentation index of the zone GFP_KERNEL starts in, for that
 * order, when the run began: the same figure as the kernel's
 * extfrag/extfrag_index in debugfs, which says why an order is slow or
 * fails.  buddy/bench_histogram has every run's samples in log2 buckets,
 * since a median hides the slow path that a few samples take.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/gfp.h>
#include <linux/ktime.h>
#include <linux/log2.h>
#include <linux/math64.h>
#include <linux/minmax.h>
#include <linux/mm.h>
#include <linux/mmzone.h>
#include <linux/mutex.h>
#include <linux/sched.h>
#include <linux/sched/signal.h>
#include <linux/seq_file.h>
#include <linux/slab.h>
#include <linux/sort.h>
#include <linux/spinlock.h>

#include "buddy_bench.h"
#include "memlab_recorder.h"

/* Samples taken between two chances to reschedule. */
#define BUDDY_BENCH_BATCH	64

void buddy_bench_init(struct buddy_bench *bench)
{
	mutex_init(&bench->run_lock);
	mutex_init(&bench->lock);
}

/*
 * The fragmentation index of @zone for @order, in thousandths, as
 * mm/vmstat.c's __fragmentation_index() computes it for extfrag_index
 * (neither is exported): -1000 when a free block of @order or more
 * exists; else towards 0 when a request would fail for lack of free
 * memory, towards 1000 when for lack of a block big enough.  The free
 * lists are counted under the zone lock, as extfrag_index does.
 */
static int buddy_frag_index(struct zone *zone, unsigned int order)
{
	unsigned long total = 0, free_pages = 0, suitable = 0, flags;
	unsigned int o;

	spin_lock_irqsave(&zone->lock, flags);
	for (o = 0; o < BUDDY_NR_ORDERS; o++) {
		unsigned long blocks = READ_ONCE(zone->free_area[o].nr_free);

		total += blocks;
		free_pages += blocks << o;
		if (o >= order)
			suitable += blocks << (o - order);
	}
	spin_unlock_irqrestore(&zone->lock, flags);

	if (!total)
		return 0;
	if (suitable)
		return BUDDY_FRAG_SUITABLE;
	return 1000 - div_u64(1000 + div_u64(free_pages * 1000ULL, 1UL << order),
			      total);
}

static int buddy_cmp_u64(const void *a, const void *b)
{
	u64 x = *(const u64 *)a, y = *(const u64 *)b;

	return x < y ? -1 : x > y;
}

/* Nearest-rank percentile of sorted samples. */
static u64 buddy_percentile(const u64 *sorted, unsigned long n,
			    unsigned int pct)
{
	return sorted[DIV_ROUND_UP(n * pct, 100) - 1];
}

static unsigned int buddy_bucket(u64 ns)
{
	return min_t(unsigned int, ns ? ilog2(ns) : 0, BUDDY_BENCH_BUCKETS - 1);
}

/*
 * Times alloc_pages() and __free_pages() as one pair, so that every sample
 * leaves the allocator as it found it.
 */
int buddy_bench_run(struct buddy_bench *bench, unsigned int order,
		    unsigned long iterations)
{
	struct buddy_bench_result *result;
	unsigned long i, n = 0;
	u64 *samples;
	int ret;

	result = kzalloc(sizeof(*result), GFP_KERNEL);
	samples = kvmalloc_array(iterations, sizeof(*samples), GFP_KERNEL);
	ret = -ENOMEM;
	if (!result || !samples)
		goto out_free;

	ret = mutex_lock_killable(&bench->run_lock);
	if (ret)
		goto out_free;

	result->iterations = iterations;
	result->zone = memlab_preferred_zone(GFP_KERNEL);
	result->frag_index = buddy_frag_index(result->zone, order);
	for (i = 0; i < iterations; i++) {
		struct page *page;
		u64 start;

		start = ktime_get_ns();
		page = alloc_pages(GFP_KERNEL | __GFP_NOWARN, order);
		if (page) {
			__free_pages(page, order);
			samples[n++] = ktime_get_ns() - start;
		} else {
			result->failed++;
		}

		if ((i + 1) % BUDDY_BENCH_BATCH == 0) {
			if (fatal_signal_pending(current)) {
				ret = -EINTR;
				goto out_unlock;
			}
			cond_resched();
		}
	}

	for (i = 0; i < n; i++)
		result->hist[buddy_bucket(samples[i])]++;
	if (n) {
		sort(samples, n, sizeof(*samples), buddy_cmp_u64, NULL);
		result->median_ns = buddy_percentile(samples, n, 50);
		result->p99_ns = buddy_percentile(samples, n, 99);
		result->max_ns = samples[n - 1];
	}
	mutex_lock(&bench->lock);
	bench->result[order] = *result;
	mutex_unlock(&bench->lock);

out_unlock:
	mutex_unlock(&bench->run_lock);
out_free:
	kvfree(samples);
	kfree(result);
	return ret;
}

/* bench: one record per order, keyed by the order. */
int buddy_bench_fill(struct seq_file *m, void *cursor, unsigned long *key)
{
	struct buddy_bench *bench = buddy_bench_of(m);
	struct buddy_bench_row *r = cursor;

	if (*key >= BUDDY_NR_ORDERS)
		return 0;
	r->order = *key;
	r->result = bench->result[r->order];
	return 1;
}

/* As extfrag_index prints it: -1.000, or 0.000 to 1.000. */
static void buddy_put_frag_index(struct seq_file *m, int index)
{
	if (index == BUDDY_FRAG_SUITABLE)
		seq_puts(m, " -1.000\n");
	else
		seq_printf(m, " %d.%03d\n", index / 1000, index % 1000);
}

void buddy_bench_show(struct seq_file *m, const void *cursor)
{
	const struct buddy_bench_row *row = cursor;
	const struct buddy_bench_result *r = &row->result;

	if (!r->iterations) {
		seq_printf(m, "%u - - - - - - -\n", row->order);
		return;
	}
	seq_printf(m, "%u %lu %lu ", row->order, r->iterations, r->failed);
	if (r->iterations == r->failed)
		seq_puts(m, "- - -");
	else
		seq_printf(m, "%llu %llu %llu", r->median_ns, r->p99_ns,
			   r->max_ns);
	if (r->zone)
		seq_printf(m, " %d/%s", zone_to_nid(r->zone), r->zone->name);
	else
		seq_puts(m, " -");
	buddy_put_frag_index(m, r->frag_index);
}

/*
 * bench_histogram: a record per bucket that holds samples, keyed by
 * order * BUDDY_BENCH_BUCKETS + bucket.
 */
int buddy_bench_histogram_fill(struct seq_file *m, void *cursor,
			       unsigned long *key)
{
	struct buddy_bench *bench = buddy_bench_of(m);
	struct buddy_histogram_row *r = cursor;
	unsigned long k;

	for (k = *key; k < BUDDY_NR_ORDERS * BUDDY_BENCH_BUCKETS; k++) {
		unsigned int order = k / BUDDY_BENCH_BUCKETS;
		unsigned int bucket = k % BUDDY_BENCH_BUCKETS;
		u32 count = bench->result[order].hist[bucket];

		if (!count)
			continue;
		r->order = order;
		r->bucket = bucket;
		r->count = count;
		*key = k;
		return 1;
	}
	return 0;
}

void buddy_bench_histogram_show(struct seq_file *m, const void *cursor)
{
	const struct buddy_histogram_row *r = cursor;

	seq_printf(m, "%u %llu %llu %u\n", r->order, 1ULL << r->bucket,
		   (1ULL << (r->bucket + 1)) - 1, r->count);
}
