/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Every difference between kernel versions that memlab cares about lives
 * here, so that no other file needs a version #if.
 */
#ifndef MEMLAB_COMPAT_H
#define MEMLAB_COMPAT_H

#include <linux/mm.h>
#include <linux/mmzone.h>
#include <linux/proc_fs.h>
#include <linux/version.h>

/*
 * The highest order the buddy allocator hands out.  Up to 6.3 MAX_ORDER was
 * one past it; 6.4 made MAX_ORDER inclusive and 6.8 renamed it
 * MAX_PAGE_ORDER.
 */
#if defined(MAX_PAGE_ORDER)
#define MEMLAB_MAX_ORDER	MAX_PAGE_ORDER
#elif LINUX_VERSION_CODE >= KERNEL_VERSION(6, 4, 0)
#define MEMLAB_MAX_ORDER	MAX_ORDER
#else
#define MEMLAB_MAX_ORDER	(MAX_ORDER - 1)
#endif

/*
 * The order of a free block, read from its head page: mm/internal.h calls
 * it buddy_order(), which modules cannot see.  Only meaningful while
 * PageBuddy() holds, under zone->lock.
 */
static inline unsigned int memlab_free_block_order(struct page *page)
{
	return page_private(page);
}

/*
 * A pageblock's flags: its migrate type in the lowest bits, and from 6.16
 * on an isolation bit of its own (before, isolation was a migrate type,
 * MIGRATE_ISOLATE, in the same bits).  6.16 named the two masks
 * MIGRATETYPE_MASK and MIGRATETYPE_AND_ISO_MASK; 6.17 renamed them
 * PAGEBLOCK_MIGRATETYPE_MASK and PAGEBLOCK_ISO_MASK.
 */
#if defined(PAGEBLOCK_MIGRATETYPE_MASK)
#define MEMLAB_PB_TYPE_MASK	PAGEBLOCK_MIGRATETYPE_MASK
#define MEMLAB_PB_ISO_MASK	PAGEBLOCK_ISO_MASK
#elif defined(MIGRATETYPE_AND_ISO_MASK)
#define MEMLAB_PB_TYPE_MASK	MIGRATETYPE_MASK
#define MEMLAB_PB_ISO_MASK	(MIGRATETYPE_AND_ISO_MASK & ~MIGRATETYPE_MASK)
#else
#define MEMLAB_PB_TYPE_MASK	MIGRATETYPE_MASK
#define MEMLAB_PB_ISO_MASK	0UL
#endif

/*
 * The migrate type of the pageblock that holds @pfn, read where the page
 * allocator keeps it: get_pfnblock_flags_mask() and its successors are
 * not exported.  With SPARSEMEM (every Debian kernel) each memory section
 * has a bitmap of NR_PAGEBLOCK_BITS per pageblock (4, or 8 from 6.16 with
 * isolation); FLATMEM keeps one per zone.  @page is @pfn's struct page.
 */
static inline unsigned int memlab_pageblock_migratetype(struct page *page,
							unsigned long pfn)
{
	unsigned long *bitmap, bitidx, word;

#ifdef CONFIG_SPARSEMEM
	bitmap = section_to_usemap(__pfn_to_section(pfn));
	bitidx = pfn & (PAGES_PER_SECTION - 1);
#else
	bitmap = page_zone(page)->pageblock_flags;
	bitidx = pfn - pageblock_start_pfn(page_zone(page)->zone_start_pfn);
#endif
	bitidx = (bitidx >> pageblock_order) * NR_PAGEBLOCK_BITS;
	word = READ_ONCE(bitmap[bitidx / BITS_PER_LONG]) >> (bitidx % BITS_PER_LONG);
#ifdef CONFIG_MEMORY_ISOLATION
	if (word & MEMLAB_PB_ISO_MASK)
		return MIGRATE_ISOLATE;
#endif
	return word & MEMLAB_PB_TYPE_MASK;
}

/* PDE_DATA() became pde_data() in 5.17. */
#if LINUX_VERSION_CODE < KERNEL_VERSION(5, 17, 0)
#define pde_data(inode)		PDE_DATA(inode)
#endif

#ifdef CONFIG_ARM64
/*
 * arm64 folds levels at boot from 6.9 on (LPA2, see pgwalk_arm64.h): a
 * kernel built for 52-bit VAs runs with 48 where the CPU lacks LPA2.
 * vabits_actual is what this boot uses (a constant when the kernel is
 * built for 48 bits, as 6.1 is), and the levels follow from it.
 */
static inline unsigned int memlab_va_bits(void)
{
	return vabits_actual;
}

static inline unsigned int memlab_paging_levels(void)
{
	return ARM64_HW_PGTABLE_LEVELS(memlab_va_bits());
}

/*
 * Where arm64's kernel image starts (_text), where the kernel still
 * exports kimage_vaddr: it went with the LPA2 rework, at a version no
 * number pins down, so Kbuild probes asm/memory.h for it.  Returns false
 * without it.
 */
static inline bool memlab_kimage_vaddr(unsigned long *start)
{
#ifdef MEMLAB_HAVE_KIMAGE_VADDR
	*start = kimage_vaddr;
	return true;
#else
	return false;
#endif
}
#else
/*
 * Page-table levels in use right now.  A level is folded when its table has
 * a single entry; on x86_64 PTRS_PER_P4D is a run-time value, so this tells
 * 4- from 5-level paging on the running machine.
 */
static inline unsigned int memlab_paging_levels(void)
{
	unsigned int levels = 2;	/* the pgd and the pte level always exist */

	if (PTRS_PER_P4D > 1)
		levels++;
	if (PTRS_PER_PUD > 1)
		levels++;
	if (PTRS_PER_PMD > 1)
		levels++;
	return levels;
}

/* Bits of virtual address the page tables translate, e.g. 48 or 57. */
static inline unsigned int memlab_va_bits(void)
{
	return PGDIR_SHIFT + ilog2(PTRS_PER_PGD);
}
#endif

#endif /* MEMLAB_COMPAT_H */
