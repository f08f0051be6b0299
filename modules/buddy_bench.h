/* SPDX-License-Identifier: GPL-2.0 */
/*
 * memlab_buddy's bench (buddy_bench.c): alloc_pages() and __free_pages()
 * timed as a pair, per order, with a log2 histogram of the samples and
 * the zone's fragmentation index at the start of the run.
 */
#ifndef BUDDY_BENCH_H
#define BUDDY_BENCH_H

#include <linux/mmzone.h>
#include <linux/mutex.h>
#include <linux/seq_file.h>
#include <linux/types.h>

#include "memlab.h"
#include "memlab_compat.h"

#define BUDDY_NR_ORDERS		(MEMLAB_MAX_ORDER + 1)

/* Bucket k holds the samples of [2^k, 2^(k+1)) ns: up to 18 minutes. */
#define BUDDY_BENCH_BUCKETS	40

/* The fragmentation index of an order that a free block would serve. */
#define BUDDY_FRAG_SUITABLE	(-1000)

struct buddy_bench_result {
	unsigned long iterations;	/* 0: this order was never measured */
	unsigned long failed;
	u64 median_ns;
	u64 p99_ns;
	u64 max_ns;
	struct zone *zone;		/* where GFP_KERNEL starts */
	int frag_index;			/* its index for the order, x1000 */
	u32 hist[BUDDY_BENCH_BUCKETS];
};

struct buddy_bench {
	/*
	 * A run can be long: it holds up neither the lab's table nor the
	 * readers of earlier results.
	 */
	struct mutex run_lock;		/* one run at a time: no mutual skew */
	struct mutex lock;		/* guards result[] */
	struct buddy_bench_result result[BUDDY_NR_ORDERS];
};

void buddy_bench_init(struct buddy_bench *bench);
int buddy_bench_run(struct buddy_bench *bench, unsigned int order,
		    unsigned long iterations);

#define BUDDY_BENCH_HEADER \
	"# order iterations failed median_ns p99_ns max_ns zone frag_index"
#define BUDDY_BENCH_HISTOGRAM_HEADER "# order from_ns to_ns count"

/* The views' records; buddy_main.c gives them the lab's bench. */
struct buddy_bench_row {
	unsigned int order;
	struct buddy_bench_result result;
};

struct buddy_histogram_row {
	unsigned int order;
	unsigned int bucket;
	u32 count;
};

struct buddy_bench *buddy_bench_of(struct seq_file *m);
struct mutex *buddy_bench_lock(struct seq_file *m);
int buddy_bench_fill(struct seq_file *m, void *cursor, unsigned long *key);
void buddy_bench_show(struct seq_file *m, const void *cursor);
int buddy_bench_histogram_fill(struct seq_file *m, void *cursor,
			       unsigned long *key);
void buddy_bench_histogram_show(struct seq_file *m, const void *cursor);

#endif
