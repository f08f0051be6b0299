// SPDX-License-Identifier: GPL-2.0
/*
 * memlab_buddy: the buddy allocator as a live lab.
 *
 * The module holds blocks of any order, allocated through the API and GFP
 * flags a command names, and shows where the allocator put them, what
 * happened to their buddies, how the free lists of every zone look, and how
 * long an allocation takes.  Everything under memlab/buddy/:
 *
 *   allocations	one row per block held or attempted; a failed
 *			allocation is a result, not an error
 *   buddies		one row per held block: is its buddy a free block
 *			head (yes, with its order), in use (no), or outside
 *			the zone, where it can never merge (-)
 *   freearea		free blocks per order, migrate type and zone, and
 *			nr_free as the "all" type, as /proc/buddyinfo has it
 *   bench		alloc_pages()+__free_pages() latency per order
 *   events		what each command that allocated cost the kernel:
 *			the allocator's counters before and after it, and
 *			its zone's free pages against the watermarks
 *   pressure		the last pressure run, step by step: free pages
 *			against the watermarks, and where kswapd, direct
 *			reclaim and compaction came in (these two, and the
 *			pressure run itself, are buddy_records.c's)
 *   control		alloc ORDER [count=N] [gfp=FLAG|...] [api=NAME]
 *			free ID | free all | fragment COUNT
 *			bench ORDER ITERATIONS
 *			pressure ORDER [zone=NAME] [until=low|min]
 *			[gfp=FLAG|...]
 *
 * Loading holds nothing unless asked to: orders= (empty by default) names
 * the orders of which one block each is allocated at load, as the page
 * allocator lab does by hand (the lab VM loads it with orders=0-N).
 * Whatever it holds is capped by max_pages (a pressure run's blocks by
 * pressure_max_pages) and freed on unload.  A pressure run leaves the
 * machine at a watermark, so its blocks are also on a shrinker: reclaim
 * takes them back before it would wake the OOM killer.  Every allocation
 * carries __GFP_NOWARN, so that an experiment's failure never dumps a
 * stack.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/bitmap.h>
#include <linux/gfp.h>
#include <linux/init.h>
#include <linux/list.h>
#include <linux/mm.h>
#include <linux/mmzone.h>
#include <linux/module.h>
#include <linux/moduleparam.h>
#include <linux/mutex.h>
#include <linux/nodemask.h>
#include <linux/pfn.h>
#include <linux/page-flags.h>
#include <linux/sched.h>
#include <linux/sched/signal.h>
#include <linux/seq_file.h>
#include <linux/slab.h>
#include <linux/spinlock.h>
#include <linux/string.h>
#include <linux/xarray.h>

#include "memlab.h"
#include "memlab_compat.h"
#include "buddy_bench.h"
#include "buddy_records.h"

/*
 * Counting a free list means walking it with the zone lock held and
 * interrupts off; /proc/pagetypeinfo stops at the same number, and so
 * prints ">100000" for a longer list, as freearea does.
 */
#define BUDDY_FREELIST_WALK_MAX	100000UL

/* The largest max_count, max_rows and bench_max_iterations. */
#define BUDDY_PARAM_LIMIT	(1024U * 1024U)

static char *buddy_orders = "";
module_param_named(orders, buddy_orders, charp, 0444);
MODULE_PARM_DESC(orders,
		 "Orders allocated at load, one block each, as a list such as 0-N or 0,3,9 (N is the highest order); empty, the default, for none");

static char *buddy_default_gfp = "kernel|zero";
module_param_named(gfp, buddy_default_gfp, charp, 0444);
MODULE_PARM_DESC(gfp,
		 "GFP flags for load and for alloc without gfp=, joined by |: kernel atomic dma dma32 zero nowarn highuser movable noretry retry_mayfail");

static char *buddy_default_api = "alloc_pages";
module_param_named(api, buddy_default_api, charp, 0444);
MODULE_PARM_DESC(api,
		 "API for load and for alloc without api=: alloc_pages, __get_free_pages or get_zeroed_page");

static unsigned long buddy_max_pages;
module_param_named(max_pages, buddy_max_pages, ulong, 0444);
MODULE_PARM_DESC(max_pages,
		 "Most pages the module holds at once (default: a quarter of RAM)");

static unsigned int buddy_max_count = 16384;
module_param_named(max_count, buddy_max_count, uint, 0444);
MODULE_PARM_DESC(max_count, "Largest count= of alloc and COUNT of fragment");

static unsigned int buddy_max_rows = 65536;
module_param_named(max_rows, buddy_max_rows, uint, 0444);
MODULE_PARM_DESC(max_rows,
		 "Most rows in the allocations table, failed ones included");

static unsigned int buddy_bench_max = 100000;
module_param_named(bench_max_iterations, buddy_bench_max, uint, 0444);
MODULE_PARM_DESC(bench_max_iterations, "Largest ITERATIONS of bench");

static unsigned long buddy_pressure_max;
module_param_named(pressure_max_pages, buddy_pressure_max, ulong, 0444);
MODULE_PARM_DESC(pressure_max_pages,
		 "Most pages a pressure run holds (default: all of RAM; a run stops at its watermark first)");

enum buddy_api {
	BUDDY_API_ALLOC_PAGES,
	BUDDY_API_GET_FREE_PAGES,
	BUDDY_API_GET_ZEROED_PAGE,
	BUDDY_NR_APIS
};

static const char * const buddy_api_names[BUDDY_NR_APIS] = {
	[BUDDY_API_ALLOC_PAGES]		= "alloc_pages",
	[BUDDY_API_GET_FREE_PAGES]	= "__get_free_pages",
	[BUDDY_API_GET_ZEROED_PAGE]	= "get_zeroed_page",
};

/*
 * The GFP flags a command may name.  A block remembers the names it was
 * allocated with, as BIT(BUDDY_GFP_*) bits, rather than the raw mask, which
 * cannot be turned back into names unambiguously; the allocations table
 * prints them in this order.
 */
enum buddy_gfp_name {
	BUDDY_GFP_KERNEL,
	BUDDY_GFP_ATOMIC,
	BUDDY_GFP_DMA,
	BUDDY_GFP_DMA32,
	BUDDY_GFP_ZERO,
	BUDDY_GFP_NOWARN,
	BUDDY_GFP_HIGHUSER,
	BUDDY_GFP_MOVABLE,
	BUDDY_GFP_NORETRY,
	BUDDY_GFP_RETRY_MAYFAIL,
	BUDDY_NR_GFP_NAMES
};

static const struct buddy_gfp_flag {
	const char *name;
	gfp_t gfp;
} buddy_gfp_flags[BUDDY_NR_GFP_NAMES] = {
	[BUDDY_GFP_KERNEL]		= { "kernel",		GFP_KERNEL },
	[BUDDY_GFP_ATOMIC]		= { "atomic",		GFP_ATOMIC },
	[BUDDY_GFP_DMA]			= { "dma",		__GFP_DMA },
	[BUDDY_GFP_DMA32]		= { "dma32",		__GFP_DMA32 },
	[BUDDY_GFP_ZERO]		= { "zero",		__GFP_ZERO },
	[BUDDY_GFP_NOWARN]		= { "nowarn",		__GFP_NOWARN },
	[BUDDY_GFP_HIGHUSER]		= { "highuser",		GFP_HIGHUSER },
	[BUDDY_GFP_MOVABLE]		= { "movable",		__GFP_MOVABLE },
	[BUDDY_GFP_NORETRY]		= { "noretry",		__GFP_NORETRY },
	[BUDDY_GFP_RETRY_MAYFAIL]	= { "retry_mayfail",	__GFP_RETRY_MAYFAIL },
};

/* One row of the allocations table. */
struct buddy_block {
	unsigned long id;
	struct page *page;		/* NULL when the allocation failed */
	unsigned int order;
	unsigned int gfp_names;		/* BIT(BUDDY_GFP_*) */
	enum buddy_api api;
};

/* What an alloc command asks for. */
struct buddy_request {
	unsigned int order;
	unsigned long count;
	unsigned int gfp_names;
	enum buddy_api api;
};

struct buddy_lab {
	/* Serialises commands, and guards the table and its counters. */
	struct mutex lock;
	struct xarray blocks;		/* struct buddy_block by id */
	unsigned long next_id;
	unsigned long held_pages;
	unsigned long nr_rows;

	/* bench, and its views: buddy_bench.c. */
	struct buddy_bench bench;

	/* Defaults from the module parameters. */
	unsigned int default_gfp_names;
	enum buddy_api default_api;

	/* buddy/events and buddy/pressure, under @lock: buddy_records.c. */
	struct buddy_records records;

	struct memlab_dir *dir;
};

static struct buddy_lab buddy_lab;

static gfp_t buddy_gfp(unsigned int names)
{
	gfp_t flags = 0;
	unsigned int i;

	for (i = 0; i < BUDDY_NR_GFP_NAMES; i++)
		if (names & BIT(i))
			flags |= buddy_gfp_flags[i].gfp;
	return flags;
}

static void buddy_print_gfp(struct seq_file *m, unsigned int names)
{
	const char *sep = "";
	unsigned int i;

	for (i = 0; i < BUDDY_NR_GFP_NAMES; i++) {
		if (!(names & BIT(i)))
			continue;
		seq_printf(m, "%s%s", sep, buddy_gfp_flags[i].name);
		sep = "|";
	}
}

/* "kernel|zero" into BIT(BUDDY_GFP_*) bits. */
static int buddy_parse_gfp(const char *s, unsigned int *names)
{
	unsigned int parsed = 0, i;
	const char *end;
	size_t len;

	for (;;) {
		end = strchrnul(s, '|');
		len = end - s;
		for (i = 0; i < BUDDY_NR_GFP_NAMES; i++)
			if (strlen(buddy_gfp_flags[i].name) == len &&
			    !strncmp(s, buddy_gfp_flags[i].name, len))
				break;
		if (i == BUDDY_NR_GFP_NAMES)
			return -EINVAL;
		parsed |= BIT(i);
		if (!*end)
			break;
		s = end + 1;
	}
	*names = parsed;
	return 0;
}

static int buddy_parse_api(const char *s, enum buddy_api *api)
{
	int i = match_string(buddy_api_names, BUDDY_NR_APIS, s);

	if (i < 0)
		return -EINVAL;
	*api = i;
	return 0;
}

/*
 * Combinations the allocator cannot serve or the API does not allow: more
 * than one zone modifier picks no zone; "atomic" says the caller cannot
 * sleep, which contradicts a set that allows direct reclaim (and 6.1's page
 * allocator WARNs on it, __GFP_NOWARN or not); and the __get_free_pages()
 * family returns a kernel address, which a highmem page need not have.
 */
static bool buddy_request_valid(const struct buddy_request *req)
{
	gfp_t flags = buddy_gfp(req->gfp_names);
	gfp_t zone_bits = flags & (__GFP_DMA | __GFP_DMA32 | __GFP_HIGHMEM);

	if (hweight32((__force u32)zone_bits) > 1)
		return false;
	if ((req->gfp_names & BIT(BUDDY_GFP_ATOMIC)) &&
	    (flags & __GFP_DIRECT_RECLAIM))
		return false;
	if (req->api != BUDDY_API_ALLOC_PAGES && (zone_bits & __GFP_HIGHMEM))
		return false;
	if (req->api == BUDDY_API_GET_ZEROED_PAGE && req->order)
		return false;
	return true;
}

static struct page *buddy_call_api(enum buddy_api api, gfp_t flags,
				   unsigned int order)
{
	unsigned long addr = 0;

	switch (api) {
	case BUDDY_API_ALLOC_PAGES:
		return alloc_pages(flags, order);
	case BUDDY_API_GET_FREE_PAGES:
		addr = __get_free_pages(flags, order);
		break;
	case BUDDY_API_GET_ZEROED_PAGE:
		addr = get_zeroed_page(flags);
		break;
	default:
		break;
	}
	return addr ? virt_to_page((void *)addr) : NULL;
}

/* One of the lab's allocations, as buddy/timeline follows it. */
static struct page *buddy_get_pages(struct buddy_lab *lab, enum buddy_api api,
				    gfp_t flags, unsigned int order)
{
	struct page *page;

	memlab_timeline_alloc_enter(&lab->records.recorder.timeline, order);
	page = buddy_call_api(api, flags, order);
	memlab_timeline_alloc_exit(&lab->records.recorder.timeline, page);
	return page;
}

/* Gives the block back through the API's own counterpart. */
static void buddy_block_free(struct buddy_block *b)
{
	if (b->page) {
		if (b->api == BUDDY_API_ALLOC_PAGES)
			__free_pages(b->page, b->order);
		else
			free_pages((unsigned long)page_address(b->page),
				   b->order);
	}
	kfree(b);
}

static unsigned long buddy_block_pages(const struct buddy_block *b)
{
	return b->page ? 1UL << b->order : 0;
}

/* Caller holds lab->lock. */
static bool buddy_fits(const struct buddy_lab *lab, unsigned long rows,
		       unsigned long count, unsigned int order)
{
	if (rows > buddy_max_rows - lab->nr_rows)
		return false;
	return count <= (buddy_max_pages - lab->held_pages) >> order;
}

/*
 * Puts @n new blocks into the table under fresh ids, all or none.
 * Caller holds lab->lock.
 */
static int buddy_insert(struct buddy_lab *lab, struct buddy_block **blocks,
			unsigned long n)
{
	unsigned long i;
	int ret;

	if (n > ULONG_MAX - lab->next_id)
		return -ENOSPC;

	for (i = 0; i < n; i++) {
		blocks[i]->id = lab->next_id + i;
		ret = xa_insert(&lab->blocks, blocks[i]->id, blocks[i],
				GFP_KERNEL);
		if (ret) {
			while (i--)
				xa_erase(&lab->blocks, blocks[i]->id);
			return ret;
		}
	}
	for (i = 0; i < n; i++)
		lab->held_pages += buddy_block_pages(blocks[i]);
	lab->nr_rows += n;
	lab->next_id += n;
	return 0;
}

static void buddy_free_array(struct buddy_block **blocks, unsigned long n)
{
	unsigned long i;

	for (i = 0; i < n; i++) {
		if (blocks[i])
			buddy_block_free(blocks[i]);
		cond_resched();
	}
}

/*
 * A failed allocation is a result and becomes a "failed" row; only running
 * out of the module's own bookkeeping, a cap or a fatal signal fails the
 * command, and then nothing is kept.  Caller holds lab->lock.
 */
static int buddy_alloc_blocks(struct buddy_lab *lab,
			      const struct buddy_request *req)
{
	gfp_t flags = buddy_gfp(req->gfp_names);
	struct buddy_block **blocks;
	unsigned long i;
	int ret;

	if (!buddy_fits(lab, req->count, req->count, req->order))
		return -ENOMEM;
	blocks = kvcalloc(req->count, sizeof(*blocks), GFP_KERNEL);
	if (!blocks)
		return -ENOMEM;

	for (i = 0; i < req->count; i++) {
		struct buddy_block *b = kzalloc(sizeof(*b), GFP_KERNEL);

		if (!b) {
			ret = -ENOMEM;
			goto out_release;
		}
		b->order = req->order;
		b->api = req->api;
		b->gfp_names = req->gfp_names;
		b->page = buddy_get_pages(lab, req->api, flags, req->order);
		blocks[i] = b;

		if (fatal_signal_pending(current)) {
			ret = -EINTR;
			goto out_release;
		}
		cond_resched();
	}

	ret = buddy_insert(lab, blocks, req->count);
	if (!ret)
		goto out_free;

out_release:
	buddy_free_array(blocks, req->count);
out_free:
	kvfree(blocks);
	return ret;
}

/*
 * Allocates @count single pages and gives every other one back.  Pages
 * handed out one after another tend to be neighbours, so most pages given
 * back find their buddy still held and cannot merge: free blocks move from
 * the higher orders to order 0, once the per-cpu lists pass them on.
 * Caller holds lab->lock.
 */
static int buddy_fragment(struct buddy_lab *lab, unsigned long count)
{
	unsigned long kept = DIV_ROUND_UP(count, 2);
	struct buddy_block **blocks;
	unsigned long i;
	int ret;

	/* All @count pages are held until every other one goes back. */
	if (!buddy_fits(lab, kept, count, 0))
		return -ENOMEM;
	blocks = kvcalloc(count, sizeof(*blocks), GFP_KERNEL);
	if (!blocks)
		return -ENOMEM;

	for (i = 0; i < count; i++) {
		struct buddy_block *b = kzalloc(sizeof(*b), GFP_KERNEL);

		if (!b) {
			ret = -ENOMEM;
			goto out_release;
		}
		blocks[i] = b;
		b->api = BUDDY_API_ALLOC_PAGES;
		b->gfp_names = BIT(BUDDY_GFP_KERNEL) | BIT(BUDDY_GFP_NOWARN);
		b->page = buddy_get_pages(lab, b->api, buddy_gfp(b->gfp_names),
					  0);
		if (!b->page) {
			ret = -ENOMEM;
			goto out_release;
		}
		if (fatal_signal_pending(current)) {
			ret = -EINTR;
			goto out_release;
		}
		cond_resched();
	}

	/* Keeps the even ones, packed to the front of the array. */
	for (i = 0; i < count; i++) {
		if (i % 2) {
			buddy_block_free(blocks[i]);
			blocks[i] = NULL;
		} else {
			blocks[i / 2] = blocks[i];
		}
		cond_resched();
	}
	ret = buddy_insert(lab, blocks, kept);
	if (!ret)
		goto out_free;
	count = kept;

out_release:
	buddy_free_array(blocks, count);
out_free:
	kvfree(blocks);
	return ret;
}

/* Caller holds lab->lock. */
static void buddy_remove(struct buddy_lab *lab, struct buddy_block *b)
{
	lab->held_pages -= buddy_block_pages(b);
	lab->nr_rows--;
	buddy_block_free(b);
}

/* Caller holds lab->lock. */
static int buddy_free_one(struct buddy_lab *lab, unsigned long id)
{
	struct buddy_block *b = xa_erase(&lab->blocks, id);

	if (!b)
		return -ENOENT;
	buddy_remove(lab, b);
	return 0;
}

/* Caller holds lab->lock. */
static void buddy_free_all(struct buddy_lab *lab)
{
	struct buddy_block *b;
	unsigned long id;

	xa_for_each(&lab->blocks, id, b) {
		xa_erase(&lab->blocks, id);
		buddy_remove(lab, b);
		cond_resched();
	}
	buddy_pressure_release(&lab->records);
}

static int buddy_parse_order(const char *word, unsigned int *order)
{
	unsigned long val;

	if (memlab_parse_ulong(word, &val) || val > MEMLAB_MAX_ORDER)
		return -EINVAL;
	*order = val;
	return 0;
}

enum { BUDDY_KEY_COUNT, BUDDY_KEY_GFP, BUDDY_KEY_API };
enum { BUDDY_KEY_ZONE, BUDDY_KEY_UNTIL, BUDDY_KEY_PRESSURE_GFP };

/* The blocks of ids [@first, lab->next_id) that were allocated. */
static unsigned long buddy_count_held(struct buddy_lab *lab,
				      unsigned long first)
{
	unsigned long id, got = 0;
	struct buddy_block *b;

	for (id = first; id < lab->next_id; id++) {
		b = xa_load(&lab->blocks, id);
		got += b && b->page;
	}
	return got;
}

/* alloc ORDER [count=COUNT] [gfp=FLAG|FLAG...] [api=NAME] */
static int buddy_cmd_alloc(struct seq_file *m, const struct memlab_args *args)
{
	struct buddy_lab *lab = memlab_data(m);
	const char *count = args->val[BUDDY_KEY_COUNT];
	const char *gfp = args->val[BUDDY_KEY_GFP];
	const char *api = args->val[BUDDY_KEY_API];
	struct buddy_request req = {
		.count = 1,
		.gfp_names = lab->default_gfp_names,
		.api = lab->default_api,
	};
	struct memlab_probe before;
	unsigned long first;
	int ret;

	if (buddy_parse_order(args->argv[0], &req.order) ||
	    (count && memlab_parse_count(count, buddy_max_count, &req.count)) ||
	    (gfp && buddy_parse_gfp(gfp, &req.gfp_names)) ||
	    (api && buddy_parse_api(api, &req.api)))
		return -EINVAL;

	/* A failure is an answer here: it must not dump a stack. */
	req.gfp_names |= BIT(BUDDY_GFP_NOWARN);
	if (req.api == BUDDY_API_GET_ZEROED_PAGE)
		req.gfp_names |= BIT(BUDDY_GFP_ZERO);
	if (!buddy_request_valid(&req))
		return -EINVAL;

	first = lab->next_id;
	memlab_command_begin(&lab->records.recorder,
			     memlab_preferred_zone(buddy_gfp(req.gfp_names)),
			    &before);
	ret = buddy_alloc_blocks(lab, &req);
	memlab_command_end(&lab->records.recorder, &before, ret, "alloc", req.order,
			   req.count, ret ? 0 : buddy_count_held(lab, first));
	return ret;
}

/* free ID | free all */
static int buddy_cmd_free(struct seq_file *m, const struct memlab_args *args)
{
	struct buddy_lab *lab = memlab_data(m);
	unsigned long id;
	bool all;

	if (memlab_parse_id_or_all(args->argv[0], &id, &all))
		return -EINVAL;
	if (!all)
		return buddy_free_one(lab, id);
	buddy_free_all(lab);
	return 0;
}

/* fragment COUNT */
static int buddy_cmd_fragment(struct seq_file *m,
			      const struct memlab_args *args)
{
	struct buddy_lab *lab = memlab_data(m);
	struct memlab_probe before;
	unsigned long count;
	int ret;

	if (memlab_parse_count(args->argv[0], buddy_max_count, &count))
		return -EINVAL;
	memlab_command_begin(&lab->records.recorder, memlab_preferred_zone(GFP_KERNEL),
			     &before);
	ret = buddy_fragment(lab, count);
	memlab_command_end(&lab->records.recorder, &before, ret, "fragment", 0, count,
			   count);
	return ret;
}

/* pressure ORDER [zone=NAME] [until=low|min] [gfp=FLAG|FLAG...] */
static int buddy_cmd_pressure(struct seq_file *m,
			      const struct memlab_args *args)
{
	const char *zone_name = args->val[BUDDY_KEY_ZONE];
	const char *until = args->val[BUDDY_KEY_UNTIL];
	const char *gfp = args->val[BUDDY_KEY_PRESSURE_GFP];
	struct buddy_lab *lab = memlab_data(m);
	unsigned int order, names = BIT(BUDDY_GFP_KERNEL);
	enum zone_watermarks wmark = WMARK_LOW;
	gfp_t flags, zone_bits = 0;
	struct zone *zone;

	if (buddy_parse_order(args->argv[0], &order) ||
	    (gfp && buddy_parse_gfp(gfp, &names)) ||
	    (zone_name && buddy_parse_zone(zone_name, &zone, &zone_bits)))
		return -EINVAL;
	if (until && !strcmp(until, "min"))
		wmark = WMARK_MIN;
	else if (until && strcmp(until, "low"))
		return -EINVAL;
	/*
	 * The reserves below min are for those who cannot wait: "atomic"
	 * would dip into them.  Without a retry flag, noretry: neither lets
	 * the allocator call the OOM killer.
	 */
	if (names & BIT(BUDDY_GFP_ATOMIC))
		return -EINVAL;
	if (!(names & (BIT(BUDDY_GFP_NORETRY) | BIT(BUDDY_GFP_RETRY_MAYFAIL))))
		names |= BIT(BUDDY_GFP_NORETRY);
	flags = buddy_gfp(names) | __GFP_NOWARN;
	if (zone_name) {
		/* zone= picks the zone: the flags may not pick another. */
		if (flags & (__GFP_DMA | __GFP_DMA32 | __GFP_HIGHMEM | __GFP_MOVABLE))
			return -EINVAL;
		flags |= zone_bits;
	} else {
		zone = memlab_preferred_zone(flags);
		if (!zone)
			return -EINVAL;
	}
	return buddy_pressure(&lab->records, order, zone, wmark, flags,
			      buddy_pressure_max);
}

/* bench ORDER ITERATIONS */
static int buddy_cmd_bench(struct seq_file *m, const struct memlab_args *args)
{
	unsigned long iterations;
	unsigned int order;

	if (buddy_parse_order(args->argv[0], &order) ||
	    memlab_parse_count(args->argv[1], buddy_bench_max, &iterations))
		return -EINVAL;
	return buddy_bench_run(buddy_bench_of(m), order, iterations);
}

static const struct memlab_verb buddy_verbs[] = {
	{
		.name = "alloc", .usage = "ORDER",
		.min_args = 1, .max_args = 1,
		.keys = {
			[BUDDY_KEY_COUNT] = "count=COUNT",
			[BUDDY_KEY_GFP] = "gfp=FLAGS",
			[BUDDY_KEY_API] = "api=NAME",
		},
		.run = buddy_cmd_alloc,
	},
	{
		.name = "free", .usage = "ID|all",
		.min_args = 1, .max_args = 1,
		.run = buddy_cmd_free,
	},
	{
		.name = "fragment", .usage = "COUNT",
		.min_args = 1, .max_args = 1,
		.run = buddy_cmd_fragment,
	},
	{
		.name = "pressure", .usage = "ORDER",
		.min_args = 1, .max_args = 1,
		.keys = {
			[BUDDY_KEY_ZONE] = "zone=NAME",
			[BUDDY_KEY_UNTIL] = "until=low|min",
			[BUDDY_KEY_PRESSURE_GFP] = "gfp=FLAGS",
		},
		.run = buddy_cmd_pressure,
	},
	{
		/*
		 * A run can be long, and serialises on the bench's run_lock: it
		 * holds up neither the table nor the readers of earlier
		 * results.
		 */
		.name = "bench", .usage = "ORDER ITERATIONS",
		.min_args = 2, .max_args = 2,
		.unlocked = true,
		.run = buddy_cmd_bench,
	},
	{}
};

/*
 * allocations and buddies: a record is a block, keyed by its id, described
 * under lab->lock into the per-open cursor, so that a block freed while the
 * table is read is never touched and ids resume where a read stopped.
 */
enum buddy_state {
	BUDDY_STATE_NONE,	/* outside the block's zone: never merged with */
	BUDDY_STATE_USED,
	BUDDY_STATE_FREE,
};

struct buddy_row {
	unsigned long id;
	unsigned int order;
	unsigned int gfp_names;
	enum buddy_api api;
	bool held;		/* the rest is only set for a held block */
	unsigned long pfn;
	unsigned long virt;	/* 0: no kernel mapping */
	const char *zone;
	int nid;
	unsigned long buddy_pfn;
	enum buddy_state buddy_state;
	unsigned int buddy_order;
};

/*
 * Whether the buddy of the block is a free block head right now, and at
 * which order: the same test __free_one_page() makes before it merges, so it
 * needs the zone lock.  A buddy in another zone, or in no zone at all, is
 * never merged with.
 */
static void buddy_row_inspect(struct buddy_row *row, struct zone *zone)
{
	struct page *buddy;
	unsigned long flags;

	row->buddy_pfn = row->pfn ^ (1UL << row->order);
	row->buddy_state = BUDDY_STATE_NONE;
	buddy = pfn_to_online_page(row->buddy_pfn);
	if (!buddy || page_zone(buddy) != zone)
		return;

	spin_lock_irqsave(&zone->lock, flags);
	if (PageBuddy(buddy)) {
		row->buddy_state = BUDDY_STATE_FREE;
		row->buddy_order = memlab_free_block_order(buddy);
	} else {
		row->buddy_state = BUDDY_STATE_USED;
	}
	spin_unlock_irqrestore(&zone->lock, flags);
}

/*
 * Describes the first block with id >= *@key, only held ones for buddies,
 * whose buddy it also inspects.
 */
static int buddy_row_fill(struct seq_file *m, struct buddy_row *row,
			  unsigned long *key, bool buddies)
{
	struct buddy_lab *lab = memlab_data(m);
	struct buddy_block *b;

	b = xa_find(&lab->blocks, key, ULONG_MAX, XA_PRESENT);
	while (b && buddies && !b->page)
		b = xa_find_after(&lab->blocks, key, ULONG_MAX, XA_PRESENT);
	if (!b)
		return 0;
	row->id = b->id;
	row->order = b->order;
	row->gfp_names = b->gfp_names;
	row->api = b->api;
	row->held = b->page;
	if (b->page) {
		row->pfn = page_to_pfn(b->page);
		row->virt = (unsigned long)page_address(b->page);
		row->zone = page_zone(b->page)->name;
		row->nid = page_to_nid(b->page);
		if (buddies)
			buddy_row_inspect(row, page_zone(b->page));
	}
	return 1;
}

static int buddy_allocations_fill(struct seq_file *m, void *cursor,
				  unsigned long *key)
{
	return buddy_row_fill(m, cursor, key, false);
}

static void buddy_allocations_show(struct seq_file *m, const void *cursor)
{
	const struct buddy_row *row = cursor;

	seq_printf(m, "%lu %u %lu %s ", row->id, row->order, 1UL << row->order,
		   buddy_api_names[row->api]);
	buddy_print_gfp(m, row->gfp_names);
	if (!row->held) {
		seq_puts(m, " - - - - - failed\n");
		return;
	}
	seq_printf(m, " 0x%lx 0x%llx ", row->pfn,
		   (unsigned long long)PFN_PHYS(row->pfn));
	if (row->virt)
		seq_printf(m, "0x%lx ", row->virt);
	else
		seq_puts(m, "- ");
	seq_printf(m, "%s %d ok\n", row->zone, row->nid);
}

static int buddy_buddies_fill(struct seq_file *m, void *cursor,
			      unsigned long *key)
{
	return buddy_row_fill(m, cursor, key, true);
}

static void buddy_buddies_show(struct seq_file *m, const void *cursor)
{
	const struct buddy_row *row = cursor;

	seq_printf(m, "%lu %u 0x%lx 0x%lx ", row->id, row->order, row->pfn,
		   row->buddy_pfn);
	switch (row->buddy_state) {
	case BUDDY_STATE_FREE:
		seq_printf(m, "yes %u ", row->buddy_order);
		break;
	case BUDDY_STATE_USED:
		seq_puts(m, "no - ");
		break;
	default:
		seq_puts(m, "- - ");
		break;
	}
	seq_printf(m, "%s\n",
		   IS_ALIGNED(row->pfn, 1UL << row->order) ? "yes" : "no");
}

/*
 * freearea: one record per populated zone of every online node, counted
 * into the per-open cursor.  Each free list is counted in a hold of the
 * zone lock of its own, at most BUDDY_FREELIST_WALK_MAX entries, with
 * interrupts off only that long; /proc/pagetypeinfo drops the lock after
 * every list too.  So the counts of one row are each exact when taken, but
 * taken at slightly different moments: their sum for an order agrees with
 * that order's nr_free only while nothing in the zone is allocated or
 * freed.
 */
struct buddy_zone_snapshot {
	int nid;
	const char *name;
	unsigned long nr_free[BUDDY_NR_ORDERS];
	unsigned long count[MIGRATE_TYPES][BUDDY_NR_ORDERS];
};

static unsigned long buddy_list_count(struct zone *zone, struct list_head *head)
{
	unsigned long flags, n = 0;
	struct list_head *pos;

	spin_lock_irqsave(&zone->lock, flags);
	list_for_each(pos, head)
		if (++n > BUDDY_FREELIST_WALK_MAX)
			break;
	spin_unlock_irqrestore(&zone->lock, flags);
	cond_resched();
	return n;
}

static int buddy_freearea_fill(struct seq_file *m, void *cursor,
			       unsigned long *key)
{
	struct buddy_zone_snapshot *snap = cursor;
	struct zone *zone = memlab_zone_at(key, false);
	unsigned int order;
	int mt;

	if (!zone)
		return 0;
	snap->nid = zone_to_nid(zone);
	snap->name = zone->name;
	for (order = 0; order < BUDDY_NR_ORDERS; order++) {
		struct free_area *area = &zone->free_area[order];

		/* A word read: nr_free is always a count of that moment. */
		snap->nr_free[order] = READ_ONCE(area->nr_free);
		for (mt = 0; mt < MIGRATE_TYPES; mt++)
			snap->count[mt][order] =
				buddy_list_count(zone, &area->free_list[mt]);
	}
	return 1;
}

static void buddy_freearea_show_header(struct seq_file *m)
{
	unsigned int order;

	seq_puts(m, "# node zone type");
	for (order = 0; order < BUDDY_NR_ORDERS; order++)
		seq_printf(m, " %u", order);
	seq_putc(m, '\n');
}

static void buddy_freearea_show(struct seq_file *m, const void *cursor)
{
	const struct buddy_zone_snapshot *snap = cursor;
	unsigned int order;
	int mt;

	for (mt = 0; mt < MIGRATE_TYPES; mt++) {
		seq_printf(m, "%d %s %s", snap->nid, snap->name,
			   memlab_migratetype_name(mt));
		for (order = 0; order < BUDDY_NR_ORDERS; order++) {
			unsigned long n = snap->count[mt][order];

			if (n > BUDDY_FREELIST_WALK_MAX)
				seq_printf(m, " >%lu", BUDDY_FREELIST_WALK_MAX);
			else
				seq_printf(m, " %lu", n);
		}
		seq_putc(m, '\n');
	}
	seq_printf(m, "%d %s all", snap->nid, snap->name);
	for (order = 0; order < BUDDY_NR_ORDERS; order++)
		seq_printf(m, " %lu", snap->nr_free[order]);
	seq_putc(m, '\n');
}

struct buddy_records *buddy_records_of(struct seq_file *m)
{
	struct buddy_lab *lab = memlab_data(m);

	return &lab->records;
}

static struct mutex *buddy_table_lock(struct seq_file *m)
{
	struct buddy_lab *lab = memlab_data(m);

	return &lab->lock;
}

struct buddy_bench *buddy_bench_of(struct seq_file *m)
{
	struct buddy_lab *lab = memlab_data(m);

	return &lab->bench;
}

struct mutex *buddy_bench_lock(struct seq_file *m)
{
	return &buddy_bench_of(m)->lock;
}

static const struct memlab_file buddy_files[] = {
	{
		.name	= "allocations",
		.flags	= MEMLAB_F_PRIVILEGED,
		.table	= {
			.header		=
				"# id order pages api gfp pfn phys virt zone node status",
			.cursor_size	= sizeof(struct buddy_row),
			.fill		= buddy_allocations_fill,
			.show		= buddy_allocations_show,
		},
		.lock	= buddy_table_lock,
	},
	{
		.name	= "buddies",
		.flags	= MEMLAB_F_PRIVILEGED,
		.table	= {
			.header		=
				"# id order pfn buddy_pfn buddy_free buddy_order aligned",
			.cursor_size	= sizeof(struct buddy_row),
			.fill		= buddy_buddies_fill,
			.show		= buddy_buddies_show,
		},
		.lock	= buddy_table_lock,
	},
	{
		.name	= "freearea",
		.table	= {
			.show_header	= buddy_freearea_show_header,
			.cursor_size	= sizeof(struct buddy_zone_snapshot),
			.fill		= buddy_freearea_fill,
			.show		= buddy_freearea_show,
		},
	},
	{
		.name	= "bench",
		.table	= {
			.header		= BUDDY_BENCH_HEADER,
			.cursor_size	= sizeof(struct buddy_bench_row),
			.fill		= buddy_bench_fill,
			.show		= buddy_bench_show,
		},
		.lock	= buddy_bench_lock,
	},
	{
		.name	= "bench_histogram",
		.table	= {
			.header		= BUDDY_BENCH_HISTOGRAM_HEADER,
			.cursor_size	= sizeof(struct buddy_histogram_row),
			.fill		= buddy_bench_histogram_fill,
			.show		= buddy_bench_histogram_show,
		},
		.lock	= buddy_bench_lock,
	},
	{
		.name	= "pressure",
		.table	= {
			.header		= BUDDY_PRESSURE_HEADER,
			.cursor_size	= sizeof(struct buddy_pressure_cursor),
			.fill		= buddy_pressure_fill,
			.show		= buddy_pressure_show,
		},
		.lock	= buddy_table_lock,
	},
	{
		/* It holds and frees physical memory for the whole system. */
		.name	= "control",
		.flags	= MEMLAB_F_PRIVILEGED,
		.verbs	= buddy_verbs,
		.lock	= buddy_table_lock,
	},
};

/* The load-time blocks: one of each order in orders=.  Holds lab->lock. */
static int __init buddy_alloc_at_load(struct buddy_lab *lab)
{
	DECLARE_BITMAP(wanted, BUDDY_NR_ORDERS);
	struct buddy_request req = {
		.count = 1,
		.gfp_names = lab->default_gfp_names | BIT(BUDDY_GFP_NOWARN),
		.api = lab->default_api,
	};
	unsigned int order;
	int ret;

	ret = bitmap_parselist(buddy_orders, wanted, BUDDY_NR_ORDERS);
	if (ret) {
		pr_err("orders=%s: not a list of orders 0-%u\n", buddy_orders,
		       MEMLAB_MAX_ORDER);
		return -EINVAL;
	}
	if (req.api == BUDDY_API_GET_ZEROED_PAGE)
		req.gfp_names |= BIT(BUDDY_GFP_ZERO);

	for_each_set_bit(order, wanted, BUDDY_NR_ORDERS) {
		req.order = order;
		if (!buddy_request_valid(&req)) {
			pr_err("orders=%s: api=%s cannot allocate order %u\n",
			       buddy_orders, buddy_default_api, order);
			return -EINVAL;
		}
		ret = buddy_alloc_blocks(lab, &req);
		if (ret == -ENOMEM)
			pr_err("orders=%s: no room for order %u within max_pages=%lu\n",
			       buddy_orders, order, buddy_max_pages);
		if (ret)
			return ret;
	}
	return 0;
}

static int __init buddy_check_params(struct buddy_lab *lab)
{
	struct buddy_request req = { .order = 0 };

	if (!buddy_default_gfp ||
	    buddy_parse_gfp(buddy_default_gfp, &lab->default_gfp_names)) {
		pr_err("gfp=%s: not a |-joined list of known flags\n",
		       buddy_default_gfp);
		return -EINVAL;
	}
	if (!buddy_default_api ||
	    buddy_parse_api(buddy_default_api, &lab->default_api)) {
		pr_err("api=%s: unknown\n", buddy_default_api);
		return -EINVAL;
	}
	req.gfp_names = lab->default_gfp_names;
	req.api = lab->default_api;
	if (!buddy_request_valid(&req)) {
		pr_err("gfp=%s api=%s: the flags pick no zone the API can use\n",
		       buddy_default_gfp, buddy_default_api);
		return -EINVAL;
	}
	if (!buddy_orders || !buddy_max_count || !buddy_max_rows ||
	    !buddy_bench_max) {
		pr_err("orders= must be given; max_count, max_rows and bench_max_iterations must be at least 1\n");
		return -EINVAL;
	}
	/*
	 * Commands size their bookkeeping arrays by these: keep each array a
	 * few MiB at most, well below where kvmalloc() refuses with a WARN.
	 */
	if (buddy_max_count > BUDDY_PARAM_LIMIT ||
	    buddy_max_rows > BUDDY_PARAM_LIMIT ||
	    buddy_bench_max > BUDDY_PARAM_LIMIT) {
		pr_err("max_count, max_rows and bench_max_iterations are at most %u\n",
		       BUDDY_PARAM_LIMIT);
		return -EINVAL;
	}
	if (!buddy_max_pages)
		buddy_max_pages = totalram_pages() / 4;
	if (!buddy_pressure_max || buddy_pressure_max > totalram_pages())
		buddy_pressure_max = totalram_pages();
	if (buddy_max_pages > totalram_pages()) {
		pr_err("max_pages=%lu: more than the machine has\n",
		       buddy_max_pages);
		return -EINVAL;
	}
	return 0;
}

static int __init buddy_init(void)
{
	struct buddy_lab *lab = &buddy_lab;
	int ret;

	mutex_init(&lab->lock);
	buddy_bench_init(&lab->bench);
	xa_init(&lab->blocks);
	lab->next_id = 1;

	ret = buddy_check_params(lab);
	if (ret)
		return ret;
	ret = buddy_records_init(&lab->records, &lab->lock);
	if (ret)
		return ret;

	/* Nothing else sees the lab yet; the lock is for what it guards. */
	mutex_lock(&lab->lock);
	ret = buddy_alloc_at_load(lab);
	mutex_unlock(&lab->lock);
	if (ret)
		goto err_free;

	lab->dir = memlab_dir_create("buddy", THIS_MODULE, lab);
	if (IS_ERR(lab->dir)) {
		ret = PTR_ERR(lab->dir);
		goto err_free;
	}
	ret = memlab_publish_all(lab->dir, buddy_files,
				 ARRAY_SIZE(buddy_files));
	if (ret)
		goto err_remove;
	ret = memlab_recorder_publish(lab->dir, &lab->records.recorder);
	if (ret)
		goto err_remove;
	return 0;

err_remove:
	memlab_dir_remove(lab->dir);
err_free:
	mutex_lock(&lab->lock);
	buddy_free_all(lab);
	mutex_unlock(&lab->lock);
	xa_destroy(&lab->blocks);
	buddy_records_destroy(&lab->records);
	return ret;
}

static void __exit buddy_exit(void)
{
	struct buddy_lab *lab = &buddy_lab;

	/* An open file pins the module: nothing else can touch the table. */
	memlab_dir_remove(lab->dir);
	mutex_lock(&lab->lock);
	buddy_free_all(lab);
	mutex_unlock(&lab->lock);
	xa_destroy(&lab->blocks);
	buddy_records_destroy(&lab->records);
}

module_init(buddy_init);
module_exit(buddy_exit);

MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("memlab: buddy allocator experiments by order, free areas, buddies and fragmentation");
MODULE_VERSION(MEMLAB_VERSION);
