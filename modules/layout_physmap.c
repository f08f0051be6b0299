// SPDX-License-Identifier: GPL-2.0
/*
 * memlab_layout's physical memory: every page frame of every populated
 * zone, who owns it, and the migrate type of the pageblock it lies in.
 *
 *   physmap		coalesced runs of frames: zone, pageblock migrate
 *			type, owner class and, for free frames, the order of
 *			the buddy block they are in
 *   pageblocks		pageblocks with their migrate type, free pages by
 *			order and pages by owner, equal neighbours merged;
 *			then, per zone, a "zone" row for each migrate type
 *			with its block count, as /proc/pagetypeinfo counts
 *
 * One scan serves both views, as mm/vmstat.c's walk of the zones serves
 * several /proc files: zone by zone, pageblock by pageblock, and under
 * the zone's lock for one pageblock at a time, never for the whole scan.
 * The lock is what makes a free block's order trustworthy (PageBuddy()
 * and the order in page->private change only under it); everything else
 * is read as /proc/kpageflags reads it, without a lock, and is a
 * snapshot.  Each view takes its snapshot at open, so a read costs what
 * it shows, and the open costs what the machine has: a look at each
 * struct page.
 *
 * The owner classes, decided in this order:
 *
 *   hole	no memory map: no struct page to ask
 *   offline	a struct page, but not online (offline memory, ZONE_DEVICE),
 *		or PageOffline() (a balloon driver took it)
 *   free	in the buddy allocator: PageBuddy() on the block's first page
 *   kernel	PageReserved(), inside the kernel image
 *   memmap	PageReserved(), backing the struct pages themselves
 *   reserved	PageReserved(), anything else (firmware, early allocations)
 *   slab	a slab's page
 *   pagetable	a page table
 *   anon	anonymous memory (PageAnon())
 *   file	on an LRU list and not anonymous: page cache and shmem
 *   other	allocated, with no mark memlab can read: vmalloc, kernel
 *		stacks, alloc_pages() callers, the per-cpu free lists
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/memory_hotplug.h>
#include <linux/mm.h>
#include <linux/mmzone.h>
#include <linux/module.h>
#include <linux/page-flags.h>
#include <linux/pageblock-flags.h>
#include <linux/sched/signal.h>
#include <linux/seq_file.h>
#include <linux/slab.h>
#include <linux/spinlock.h>

#include "memlab.h"
#include "memlab_compat.h"
#include "memlab_pgwalk.h"
#include "layout_physmap.h"

#if defined(CONFIG_X86_64)
#include "layout_x86.h"
#elif defined(CONFIG_ARM64)
#include "layout_arm64.h"
#endif

static unsigned int max_physmap_runs = 1U << 18;
module_param(max_physmap_runs, uint, 0644);
MODULE_PARM_DESC(max_physmap_runs,
		 "the most runs one open of layout/physmap may hold (default 262144, 6 MiB); an open that needs more fails with EFBIG");

enum physmap_owner {
	PHYSMAP_HOLE,
	PHYSMAP_OFFLINE,
	PHYSMAP_FREE,
	PHYSMAP_KERNEL,
	PHYSMAP_MEMMAP,
	PHYSMAP_RESERVED,
	PHYSMAP_SLAB,
	PHYSMAP_PAGETABLE,
	PHYSMAP_ANON,
	PHYSMAP_FILE,
	PHYSMAP_OTHER,
	PHYSMAP_NR_OWNERS
};

static const char * const physmap_owner_names[PHYSMAP_NR_OWNERS] = {
	[PHYSMAP_HOLE]		= "hole",
	[PHYSMAP_OFFLINE]	= "offline",
	[PHYSMAP_FREE]		= "free",
	[PHYSMAP_KERNEL]	= "kernel",
	[PHYSMAP_MEMMAP]	= "memmap",
	[PHYSMAP_RESERVED]	= "reserved",
	[PHYSMAP_SLAB]		= "slab",
	[PHYSMAP_PAGETABLE]	= "pagetable",
	[PHYSMAP_ANON]		= "anon",
	[PHYSMAP_FILE]		= "file",
	[PHYSMAP_OTHER]		= "other",
};

#define PHYSMAP_NR_ORDERS	(MEMLAB_MAX_ORDER + 1)
#define PHYSMAP_NO_ORDER	0xff

/*
 * Reserved frames that are the kernel image or the memory map, found once
 * per open: the image where the page tables map it, the memory map
 * section by section.  A machine has few such ranges (the memory map is
 * mapped with 2M pages, one range per 128M section at most, most of them
 * adjacent); past PHYSMAP_MAX_RANGES the rest stay "reserved".
 */
#define PHYSMAP_MAX_RANGES	64

struct physmap_range {
	unsigned long start, end;	/* PFNs, end exclusive */
	u8 owner;
};

/* Frames of one owner, adjacent, in one pageblock. */
struct physmap_stretch {
	unsigned long pfn;
	unsigned long nr;
	u8 owner;
	u8 order;		/* of the buddy block, for free frames */
};

/* One pageblock of one zone, as the scan found it. */
struct physmap_block {
	struct zone *zone;
	unsigned long key;	/* the zone's, as memlab_zone_at() has it */
	unsigned long start;	/* the block's frames inside the zone */
	unsigned long end;
	unsigned int migratetype;	/* MIGRATE_TYPES: nothing to ask */
	bool counted;		/* /proc/pagetypeinfo counts this block */
	unsigned int nr;
	struct physmap_stretch *stretch;	/* pageblock_nr_pages of them */
};

struct physmap_scan {
	struct physmap_range range[PHYSMAP_MAX_RANGES];
	unsigned int nr_ranges;
	/* A free block that began in an earlier pageblock and goes on. */
	unsigned long free_head, free_end;
	unsigned int free_order;
	struct physmap_block block;
};

static void physmap_add_range(struct physmap_scan *s, phys_addr_t start,
			      phys_addr_t end, u8 owner)
{
	struct physmap_range *last = s->nr_ranges ? &s->range[s->nr_ranges - 1] : NULL;
	unsigned long first = PHYS_PFN(start), past = PHYS_PFN(end);

	if (last && last->owner == owner && last->end == first) {
		last->end = past;
		return;
	}
	if (s->nr_ranges == PHYSMAP_MAX_RANGES)
		return;
	s->range[s->nr_ranges++] = (struct physmap_range){ first, past, owner };
}

/*
 * Where the memory map of each section lies: pfn_to_page() of its first
 * frame, translated one mapping (a 2M page, usually) at a time.
 */
static void physmap_find_memmap(struct physmap_scan *s, unsigned long start,
				unsigned long end)
{
	unsigned long pfn, addr, stop;
	unsigned int shift;
	phys_addr_t phys;

	for (pfn = ALIGN_DOWN(start, PAGES_PER_SECTION); pfn < end;
	     pfn += PAGES_PER_SECTION) {
		if (!pfn_to_online_page(pfn))
			continue;
		addr = (unsigned long)pfn_to_page(pfn);
		stop = addr + PAGES_PER_SECTION * sizeof(struct page);
		while (addr < stop) {
			unsigned long size;

			if (pgwalk_kernel_phys(addr, &phys, &shift))
				break;
			size = min(stop - addr,
				   (1UL << shift) - (addr & ((1UL << shift) - 1)));
			physmap_add_range(s, phys, phys + size, PHYSMAP_MEMMAP);
			addr += size;
		}
	}
}

static void physmap_find_ranges(struct physmap_scan *s)
{
	struct layout_region image;
	unsigned long key = 0, start = ULONG_MAX, end = 0;
	struct zone *zone;

	/*
	 * The image is physically contiguous on x86_64 and arm64, at a fixed
	 * offset from where it is linked: __pa_symbol().  Its first page need
	 * not be mapped as the image (arm64 before the LPA2 rework maps it
	 * from _stext, 64K in), so its tables cannot be asked.
	 */
	layout_arch_kernel_image(&image);
	if (image.start)
		physmap_add_range(s, __pa_symbol(image.start),
				  __pa_symbol(image.start) +
				  (image.end - image.start), PHYSMAP_KERNEL);
	for (; (zone = memlab_zone_at(&key, false)); key++) {
		start = min(start, zone->zone_start_pfn);
		end = max(end, zone_end_pfn(zone));
	}
	if (start < end)
		physmap_find_memmap(s, start, end);
}

static u8 physmap_reserved_owner(const struct physmap_scan *s,
				 unsigned long pfn)
{
	const struct physmap_range *r;

	for (r = s->range; r < s->range + s->nr_ranges; r++)
		if (pfn >= r->start && pfn < r->end)
			return r->owner;
	return PHYSMAP_RESERVED;
}

/*
 * The owner of an allocated frame.  A compound page's marks are on its
 * head, which is where page_folio() leads: a tail of a slab or of a THP
 * belongs to what its head belongs to.
 */
static u8 physmap_owner(const struct physmap_scan *s, struct page *page,
			unsigned long pfn)
{
	struct page *head;

	if (PageOffline(page))
		return PHYSMAP_OFFLINE;
	if (PageReserved(page))
		return physmap_reserved_owner(s, pfn);
	if (PageTable(page))
		return PHYSMAP_PAGETABLE;
	head = compound_head(page);
	if (PageSlab(head))
		return PHYSMAP_SLAB;
	if (PageAnon(head))
		return PHYSMAP_ANON;
	if (PageLRU(head))
		return PHYSMAP_FILE;
	return PHYSMAP_OTHER;
}

static void physmap_stretch_add(struct physmap_block *b, unsigned long pfn,
				unsigned long nr, u8 owner, u8 order)
{
	struct physmap_stretch *last = b->nr ? &b->stretch[b->nr - 1] : NULL;

	if (last && last->owner == owner && last->order == order &&
	    last->pfn + last->nr == pfn) {
		last->nr += nr;
		return;
	}
	b->stretch[b->nr++] = (struct physmap_stretch){ pfn, nr, owner, order };
}

/*
 * A free block found at @pfn: its frames up to the end of this pageblock
 * are added, and the rest is remembered for the pageblocks it goes on in.
 */
static unsigned long physmap_free_block(struct physmap_scan *s,
					unsigned long pfn, unsigned int order)
{
	struct physmap_block *b = &s->block;
	unsigned long end = pfn + (1UL << order);

	if (end > b->end) {
		s->free_head = pfn;
		s->free_end = end;
		s->free_order = order;
		end = b->end;
	}
	physmap_stretch_add(b, pfn, end - pfn, PHYSMAP_FREE, order);
	return end;
}

/*
 * One pageblock's frames [b->start, b->end), under the zone's lock.  A
 * pageblock never crosses a memory section, so one struct page found
 * online is all of the block's: the memory map is contiguous within a
 * section, and sections go online whole.
 */
static void physmap_scan_frames(struct physmap_scan *s, struct page *first)
{
	struct physmap_block *b = &s->block;
	unsigned long pfn = b->start, carried;

	carried = min(s->free_end, b->end);
	if (s->free_end > pfn) {
		struct page *head = pfn_to_online_page(s->free_head);

		if (head && PageBuddy(head) &&
		    memlab_free_block_order(head) == s->free_order) {
			physmap_stretch_add(b, pfn, carried - pfn, PHYSMAP_FREE,
					    s->free_order);
			pfn = carried;
		}
		if (s->free_end <= b->end)
			s->free_end = 0;
	}
	while (pfn < b->end) {
		struct page *page = first + (pfn - b->start);

		if (page_zone(page) != b->zone) {
			pfn++;
			continue;
		}
		if (PageBuddy(page)) {
			pfn = physmap_free_block(s, pfn,
						 memlab_free_block_order(page));
			continue;
		}
		physmap_stretch_add(b, pfn, 1, physmap_owner(s, page, pfn),
				    PHYSMAP_NO_ORDER);
		pfn++;
	}
}

/*
 * Scans the pageblock of @zone that holds @probe, the frame at which
 * /proc/pagetypeinfo asks for this block's type: zone_start_pfn plus a
 * multiple of pageblock_nr_pages.
 */
static void physmap_scan_block(struct physmap_scan *s, struct zone *zone,
			       unsigned long key, unsigned long probe)
{
	struct physmap_block *b = &s->block;
	unsigned long start = pageblock_start_pfn(probe), flags;
	struct page *page, *first;

	b->zone = zone;
	b->key = key;
	b->start = max(start, zone->zone_start_pfn);
	b->end = min(start + pageblock_nr_pages, zone_end_pfn(zone));
	b->migratetype = MIGRATE_TYPES;
	b->counted = false;
	b->nr = 0;

	page = pfn_to_online_page(probe);
	if (page && page_zone(page) == zone) {
		b->migratetype = memlab_pageblock_migratetype(page, probe);
		b->counted = true;
	}
	first = pfn_to_online_page(b->start);
	if (!first) {
		s->free_end = 0;
		physmap_stretch_add(b, b->start, b->end - b->start,
				    pfn_valid(b->start) ? PHYSMAP_OFFLINE :
				    PHYSMAP_HOLE, PHYSMAP_NO_ORDER);
		return;
	}
	spin_lock_irqsave(&zone->lock, flags);
	physmap_scan_frames(s, first);
	spin_unlock_irqrestore(&zone->lock, flags);
}

/*
 * Every pageblock of every populated zone, in node, zone and PFN order,
 * each handed to @visit once scanned.  Killable; yields between blocks.
 */
static int physmap_scan(struct physmap_scan *s,
			int (*visit)(const struct physmap_block *b, void *arg),
			void *arg)
{
	unsigned long key = 0, probe;
	struct zone *zone;
	int ret = 0;

	for (; (zone = memlab_zone_at(&key, false)); key++) {
		s->free_end = 0;
		for (probe = zone->zone_start_pfn; probe < zone_end_pfn(zone);
		     probe += pageblock_nr_pages) {
			physmap_scan_block(s, zone, key, probe);
			ret = visit(&s->block, arg);
			if (ret)
				return ret;
			if (fatal_signal_pending(current))
				return -EINTR;
			cond_resched();
		}
	}
	return 0;
}

static struct physmap_scan *physmap_scan_alloc(void)
{
	struct physmap_scan *s = kzalloc(sizeof(*s), GFP_KERNEL);

	if (!s)
		return NULL;
	s->block.stretch = kvmalloc_array(pageblock_nr_pages,
					  sizeof(*s->block.stretch),
					  GFP_KERNEL);
	if (!s->block.stretch) {
		kfree(s);
		return NULL;
	}
	physmap_find_ranges(s);
	return s;
}

static void physmap_scan_free(struct physmap_scan *s)
{
	kvfree(s->block.stretch);
	kfree(s);
}

/* The zone of a key, and its node, for a row. */
static struct zone *physmap_zone(unsigned long key)
{
	return &NODE_DATA(key / MAX_NR_ZONES)->node_zones[key % MAX_NR_ZONES];
}

static void physmap_row_zone(struct memlab_row *row, unsigned long key)
{
	memlab_row_dec(row, key / MAX_NR_ZONES);
	memlab_row_char(row, ' ');
	memlab_row_str(row, physmap_zone(key)->name);
}

/*
 * layout/physmap: runs of frames with the same zone, migrate type, owner
 * and order.
 *
 * They are kept in pages of their own, one more as each fills.  An array
 * that doubled would ask for ever bigger blocks in the middle of the scan,
 * and the allocator would split a free block the scan had yet to reach:
 * physmap would show its own buffer where that block had been free.  An
 * order-0 page comes from the per-cpu lists, whose pages the view shows
 * as `other` anyway.
 */
struct physmap_run {
	unsigned long start, end;
	u16 key;
	u8 migratetype;
	u8 owner;
	u8 order;
};

#define PHYSMAP_RUNS_PER_PAGE	(PAGE_SIZE / sizeof(struct physmap_run))

struct physmap_runs {
	struct physmap_run **page;	/* PHYSMAP_RUNS_PER_PAGE runs each */
	unsigned long nr, nr_pages, max_pages;
};

static struct physmap_run *physmap_run_at(const struct physmap_runs *r,
					  unsigned long i)
{
	return &r->page[i / PHYSMAP_RUNS_PER_PAGE][i % PHYSMAP_RUNS_PER_PAGE];
}

/* One more page of runs; the page table of pages doubles, a few KiB. */
static int physmap_runs_grow(struct physmap_runs *r)
{
	if (r->nr_pages == r->max_pages) {
		unsigned long max = max(r->max_pages * 2, 64UL);
		struct physmap_run **bigger;

		bigger = krealloc_array(r->page, max, sizeof(*bigger),
					GFP_KERNEL);
		if (!bigger)
			return -ENOMEM;
		r->page = bigger;
		r->max_pages = max;
	}
	r->page[r->nr_pages] = (void *)__get_free_page(GFP_KERNEL);
	if (!r->page[r->nr_pages])
		return -ENOMEM;
	r->nr_pages++;
	return 0;
}

static int physmap_runs_add(struct physmap_runs *r, const struct physmap_run *run)
{
	struct physmap_run *last = r->nr ? physmap_run_at(r, r->nr - 1) : NULL;
	int ret;

	if (last && last->end == run->start && last->key == run->key &&
	    last->migratetype == run->migratetype &&
	    last->owner == run->owner && last->order == run->order) {
		last->end = run->end;
		return 0;
	}
	if (r->nr >= max_physmap_runs)
		return -EFBIG;
	if (r->nr == r->nr_pages * PHYSMAP_RUNS_PER_PAGE) {
		ret = physmap_runs_grow(r);
		if (ret)
			return ret;
	}
	*physmap_run_at(r, r->nr++) = *run;
	return 0;
}

static int physmap_visit(const struct physmap_block *b, void *arg)
{
	const struct physmap_stretch *st;
	int ret;

	for (st = b->stretch; st < b->stretch + b->nr; st++) {
		struct physmap_run run = {
			.start		= st->pfn,
			.end		= st->pfn + st->nr,
			.key		= b->key,
			.migratetype	= b->migratetype,
			.owner		= st->owner,
			.order		= st->order,
		};

		ret = physmap_runs_add(arg, &run);
		if (ret)
			return ret;
	}
	return 0;
}

static void physmap_runs_free(struct physmap_runs *r)
{
	unsigned long i;

	if (!r)
		return;
	for (i = 0; i < r->nr_pages; i++)
		free_page((unsigned long)r->page[i]);
	kfree(r->page);
	kfree(r);
}

static int physmap_open(struct seq_file *m)
{
	struct physmap_runs *r = kzalloc(sizeof(*r), GFP_KERNEL);
	struct physmap_scan *s = physmap_scan_alloc();
	int ret = -ENOMEM;

	if (!r || !s)
		goto out;
	ret = physmap_scan(s, physmap_visit, r);
	if (ret == -EFBIG)
		pr_info_ratelimited("layout/physmap needs more than max_physmap_runs=%u runs\n",
				    max_physmap_runs);
out:
	if (s)
		physmap_scan_free(s);
	if (ret) {
		physmap_runs_free(r);
		return ret;
	}
	memlab_set_private(m, r);
	return 0;
}

static void physmap_release(struct seq_file *m)
{
	physmap_runs_free(memlab_private(m));
}

static int physmap_fill(struct seq_file *m, void *cursor, unsigned long *key)
{
	const struct physmap_runs *r = memlab_private(m);

	if (*key >= r->nr)
		return 0;
	*(const struct physmap_run **)cursor = physmap_run_at(r, *key);
	return 1;
}

static void physmap_show(struct seq_file *m, const void *cursor)
{
	const struct physmap_run *run = *(const struct physmap_run * const *)cursor;
	struct memlab_row row = {};

	physmap_row_zone(&row, run->key);
	memlab_row_char(&row, ' ');
	memlab_row_hex(&row, run->start);
	memlab_row_char(&row, ' ');
	memlab_row_hex(&row, run->end);
	memlab_row_char(&row, ' ');
	memlab_row_dec(&row, run->end - run->start);
	memlab_row_char(&row, ' ');
	memlab_row_str(&row, memlab_migratetype_name(run->migratetype));
	memlab_row_char(&row, ' ');
	memlab_row_str(&row, physmap_owner_names[run->owner]);
	memlab_row_char(&row, ' ');
	if (run->order == PHYSMAP_NO_ORDER)
		memlab_row_char(&row, '-');
	else
		memlab_row_dec(&row, run->order);
	memlab_row_put(m, &row);
}

/*
 * layout/pageblocks: a record per run of equal pageblocks (same zone, same
 * type, the same pages free at each order and held by each owner), which
 * keeps one block's counts and shows them times the blocks in the run;
 * then a "zone" record per zone and migrate type, summed over the zone's
 * blocks of that type, whose block count is /proc/pagetypeinfo's.
 */
enum physmap_kind { PHYSMAP_KIND_RUN, PHYSMAP_KIND_ZONE };

struct physmap_blocks {
	enum physmap_kind kind;
	unsigned long key;
	unsigned long start, end;
	unsigned long blocks;		/* in the run, or of the type */
	unsigned int migratetype;
	unsigned long free[PHYSMAP_NR_ORDERS];	/* in each block of a run */
	unsigned long owner[PHYSMAP_NR_OWNERS];
};

struct physmap_pageblocks {
	struct physmap_blocks *rec;
	unsigned long nr, size;
	unsigned long zone_first;	/* the zone's first record */
};

static bool physmap_blocks_equal(const struct physmap_blocks *a,
				 const struct physmap_blocks *b)
{
	return a->key == b->key && a->migratetype == b->migratetype &&
	       !memcmp(a->free, b->free, sizeof(a->free)) &&
	       !memcmp(a->owner, b->owner, sizeof(a->owner));
}

static void physmap_blocks_sum(struct physmap_blocks *sum,
			       const struct physmap_blocks *run)
{
	unsigned int i;

	sum->blocks += run->blocks;
	for (i = 0; i < PHYSMAP_NR_ORDERS; i++)
		sum->free[i] += run->free[i] * run->blocks;
	for (i = 0; i < PHYSMAP_NR_OWNERS; i++)
		sum->owner[i] += run->owner[i] * run->blocks;
}

/*
 * The zone rows of the zone whose runs begin at p->zone_first.  A block
 * /proc/pagetypeinfo does not count (no online page of the zone where it
 * asks) has no type, and is in no zone row.
 */
static void physmap_pageblocks_zone_rows(struct physmap_pageblocks *p)
{
	unsigned long first = p->zone_first, last = p->nr;
	struct physmap_blocks *run, *sum = p->rec + p->nr;
	struct zone *zone;
	unsigned int mt;

	if (first == last)
		return;
	zone = physmap_zone(p->rec[first].key);
	for (mt = 0; mt < MIGRATE_TYPES; mt++, sum++) {
		*sum = (struct physmap_blocks){
			.kind		= PHYSMAP_KIND_ZONE,
			.key		= p->rec[first].key,
			.start		= zone->zone_start_pfn,
			.end		= zone_end_pfn(zone),
			.migratetype	= mt,
		};
		for (run = p->rec + first; run < p->rec + last; run++)
			if (run->migratetype == mt)
				physmap_blocks_sum(sum, run);
	}
	p->nr += MIGRATE_TYPES;
	p->zone_first = p->nr;
}

static int physmap_pageblocks_visit(const struct physmap_block *b, void *arg)
{
	struct physmap_pageblocks *p = arg;
	struct physmap_blocks *last, rec = {
		.kind		= PHYSMAP_KIND_RUN,
		.key		= b->key,
		.start		= b->start,
		.end		= b->end,
		.blocks		= 1,
		.migratetype	= b->counted ? b->migratetype : MIGRATE_TYPES,
	};
	const struct physmap_stretch *st;

	for (st = b->stretch; st < b->stretch + b->nr; st++) {
		rec.owner[st->owner] += st->nr;
		if (st->owner == PHYSMAP_FREE)
			rec.free[st->order] += st->nr;
	}
	if (p->nr > p->zone_first && p->rec[p->zone_first].key != b->key)
		physmap_pageblocks_zone_rows(p);
	last = p->nr > p->zone_first ? &p->rec[p->nr - 1] : NULL;
	if (last && last->end == rec.start && physmap_blocks_equal(last, &rec)) {
		last->end = rec.end;
		last->blocks++;
		return 0;
	}
	/* Sized at open for every block and every zone row: cannot happen. */
	if (WARN_ON_ONCE(p->nr + MIGRATE_TYPES >= p->size))
		return -EOVERFLOW;
	p->rec[p->nr++] = rec;
	return 0;
}

static int physmap_pageblocks_open(struct seq_file *m)
{
	struct physmap_pageblocks *p = kzalloc(sizeof(*p), GFP_KERNEL);
	struct physmap_scan *s = physmap_scan_alloc();
	unsigned long key = 0, size = 0;
	struct zone *zone;
	int ret = -ENOMEM;

	if (!p || !s)
		goto out;
	for (; (zone = memlab_zone_at(&key, false)); key++)
		size += DIV_ROUND_UP(zone_end_pfn(zone) -
				     pageblock_start_pfn(zone->zone_start_pfn),
				     pageblock_nr_pages) + 1 + MIGRATE_TYPES;
	p->size = size;
	p->rec = kvmalloc_array(size, sizeof(*p->rec), GFP_KERNEL);
	if (!p->rec)
		goto out;
	ret = physmap_scan(s, physmap_pageblocks_visit, p);
	if (!ret)
		physmap_pageblocks_zone_rows(p);
out:
	if (s)
		physmap_scan_free(s);
	if (ret) {
		if (p)
			kvfree(p->rec);
		kfree(p);
		return ret;
	}
	memlab_set_private(m, p);
	return 0;
}

static void physmap_pageblocks_release(struct seq_file *m)
{
	struct physmap_pageblocks *p = memlab_private(m);

	kvfree(p->rec);
	kfree(p);
}

static int physmap_pageblocks_fill(struct seq_file *m, void *cursor,
				   unsigned long *key)
{
	const struct physmap_pageblocks *p = memlab_private(m);

	if (*key >= p->nr)
		return 0;
	*(const struct physmap_blocks **)cursor = &p->rec[*key];
	return 1;
}

static void physmap_pageblocks_header(struct seq_file *m)
{
	unsigned int i;

	seq_puts(m, "# kind node zone start_pfn end_pfn blocks type");
	for (i = 0; i < PHYSMAP_NR_ORDERS; i++)
		seq_printf(m, " free_o%u", i);
	for (i = 0; i < PHYSMAP_NR_OWNERS; i++)
		seq_printf(m, " %s", physmap_owner_names[i]);
	seq_putc(m, '\n');
}

/*
 * Through seq_file, field by field: a zone row of a large machine is wider
 * than a memlab_row, and a table of a few hundred rows does not need one.
 */
static void physmap_pageblocks_show(struct seq_file *m, const void *cursor)
{
	const struct physmap_blocks *rec =
		*(const struct physmap_blocks * const *)cursor;
	unsigned long times = rec->kind == PHYSMAP_KIND_RUN ? rec->blocks : 1;
	unsigned int i;

	seq_printf(m, "%s %lu %s 0x%lx 0x%lx %lu %s",
		   rec->kind == PHYSMAP_KIND_ZONE ? "zone" : "run",
		   rec->key / MAX_NR_ZONES, physmap_zone(rec->key)->name,
		   rec->start, rec->end, rec->blocks,
		   memlab_migratetype_name(rec->migratetype));
	for (i = 0; i < PHYSMAP_NR_ORDERS; i++)
		seq_put_decimal_ull(m, " ", rec->free[i] * times);
	for (i = 0; i < PHYSMAP_NR_OWNERS; i++)
		seq_put_decimal_ull(m, " ", rec->owner[i] * times);
	seq_putc(m, '\n');
}

const struct memlab_file layout_physmap_files[] = {
	{
		.name	= "physmap",
		.flags	= MEMLAB_F_PRIVILEGED,
		.table	= {
			.header		=
				"# node zone start_pfn end_pfn pages type owner order",
			.read_size	= 16 * 1024,
			.cursor_size	= sizeof(struct physmap_run *),
			.fill		= physmap_fill,
			.show		= physmap_show,
		},
		.open	 = physmap_open,
		.release = physmap_release,
	},
	{
		.name	= "pageblocks",
		.flags	= MEMLAB_F_PRIVILEGED,
		.table	= {
			.show_header	= physmap_pageblocks_header,
			.cursor_size	= sizeof(struct physmap_blocks *),
			.fill		= physmap_pageblocks_fill,
			.show		= physmap_pageblocks_show,
		},
		.open	 = physmap_pageblocks_open,
		.release = physmap_pageblocks_release,
	},
};

const size_t layout_physmap_nr_files = ARRAY_SIZE(layout_physmap_files);
