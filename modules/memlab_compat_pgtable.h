/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The page-table differences between kernel versions that memlab_pgwalk
 * meets: how a user pte table is locked, what a non-present entry holds,
 * how many times a page is mapped, and the pte bits that came and went.
 * Like memlab_compat.h, this is the only place where they are told apart.
 */
#ifndef MEMLAB_COMPAT_PGTABLE_H
#define MEMLAB_COMPAT_PGTABLE_H

#include <linux/mm.h>
#include <linux/pgtable.h>
#include <linux/rcupdate.h>
#include <linux/spinlock.h>
#include <linux/swap.h>		/* before swapops.h, which needs it */
#include <linux/swapops.h>
#include <linux/version.h>

/*
 * Calls @fn on the user pte table under *@pmdp, mapped and locked, with
 * the entry that maps @addr.  Returns false, without calling it, when
 * *@pmdp does not point to a table (any more): the caller looks at the pmd
 * again.  A callback keeps the lock on one path, where sparse can see it.
 *
 * Up to 6.4 a pte table stayed where it was for as long as the mmap_lock
 * was held, even for reading, and pte_offset_map_lock() was inline.  6.5
 * ("mm/pgtable: allow pte_offset_map[_lock]() to fail") let khugepaged
 * retract a table under the i_mmap lock alone and free it after an RCU
 * grace period (pte_free_defer()), and moved the locking out of line, to
 * __pte_offset_map_lock(), which is not exported; 6.14's reclaim of empty
 * tables (CONFIG_PT_RECLAIM) frees by RCU too.  So from 6.5 memlab keeps
 * that function's protocol with the inline parts it is made of: inside an
 * RCU read-side section, which keeps a table and its split lock from
 * being freed, read the pmd once, lock the table it names, and believe
 * the table only if the pmd still names it.  Without CONFIG_HIGHPTE, which
 * no 64-bit architecture has, a table is mapped by the direct map.
 */
#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 5, 0)
static inline bool memlab_pte_table_locked(struct mm_struct *mm, pmd_t *pmdp,
					   unsigned long addr,
					   void (*fn)(pte_t *ptep, void *arg),
					   void *arg)
{
	bool found = false;
	spinlock_t *ptl;	/* of the table *@pmdp names */
	pmd_t pmd;

	BUILD_BUG_ON(IS_ENABLED(CONFIG_HIGHPTE));
	rcu_read_lock();
	for (;;) {
		pmd = pmdp_get_lockless(pmdp);
		if (pmd_none(pmd) || !pmd_present(pmd) || pmd_leaf(pmd) ||
		    pmd_bad(pmd))
			break;
		ptl = pte_lockptr(mm, &pmd);
		spin_lock(ptl);
		found = pmd_same(pmd, pmdp_get_lockless(pmdp));
		if (found)
			fn(pte_offset_kernel(&pmd, addr), arg);
		spin_unlock(ptl);
		if (found)
			break;
		/* Retracted, reclaimed or collapsed while we took the lock. */
	}
	rcu_read_unlock();
	return found;
}
#else
static inline bool memlab_pte_table_locked(struct mm_struct *mm, pmd_t *pmdp,
					   unsigned long addr,
					   void (*fn)(pte_t *ptep, void *arg),
					   void *arg)
{
	spinlock_t *ptl;	/* of the table */
	pte_t *ptep;

	ptep = pte_offset_map_lock(mm, pmdp, addr, &ptl);
	fn(ptep, arg);
	pte_unmap_unlock(ptep, ptl);
	return true;
}
#endif

/* What a non-present pte or pmd holds instead of a frame. */
enum memlab_leaf_kind {
	MEMLAB_LEAF_SWAP,		/* the page is in swap area type/offset */
	MEMLAB_LEAF_MIGRATION_READ,	/* the page at pfn is migrating */
	MEMLAB_LEAF_MIGRATION_WRITE,	/* ... and was mapped writable */
	MEMLAB_LEAF_DEVICE_PRIVATE,	/* device memory at pfn */
	MEMLAB_LEAF_DEVICE_EXCLUSIVE,	/* pfn, held by a device for atomics */
	MEMLAB_LEAF_HWPOISON,		/* pfn is poisoned */
	MEMLAB_LEAF_MARKER,		/* a pte marker: uffd-wp, guard, ... */
	MEMLAB_LEAF_OTHER,		/* a type memlab does not know */
};

struct memlab_leaf {
	enum memlab_leaf_kind kind;
	unsigned int type;		/* of MEMLAB_LEAF_SWAP */
	unsigned long offset;		/* of MEMLAB_LEAF_SWAP, else the pfn */
};

/*
 * Late in 2025 ("mm: remove is_swap_[pte, pmd]() + non-swap entries,
 * introduce leaf entries") linux/leafops.h and its softleaf_t replaced
 * the swapops.h helpers that told a swap entry from the other kinds.
 * Kbuild defines MEMLAB_HAVE_LEAFOPS_H when the header is there.
 */
#ifdef MEMLAB_HAVE_LEAFOPS_H
#include <linux/leafops.h>

static inline void memlab_leaf_decode(softleaf_t entry, struct memlab_leaf *l)
{
	static const enum memlab_leaf_kind kinds[] = {
		[SOFTLEAF_NONE]			= MEMLAB_LEAF_OTHER,
		[SOFTLEAF_SWAP]			= MEMLAB_LEAF_SWAP,
		[SOFTLEAF_MIGRATION_READ]	= MEMLAB_LEAF_MIGRATION_READ,
		[SOFTLEAF_MIGRATION_READ_EXCLUSIVE] = MEMLAB_LEAF_MIGRATION_READ,
		[SOFTLEAF_MIGRATION_WRITE]	= MEMLAB_LEAF_MIGRATION_WRITE,
		[SOFTLEAF_DEVICE_PRIVATE_READ]	= MEMLAB_LEAF_DEVICE_PRIVATE,
		[SOFTLEAF_DEVICE_PRIVATE_WRITE]	= MEMLAB_LEAF_DEVICE_PRIVATE,
		[SOFTLEAF_DEVICE_EXCLUSIVE]	= MEMLAB_LEAF_DEVICE_EXCLUSIVE,
		[SOFTLEAF_HWPOISON]		= MEMLAB_LEAF_HWPOISON,
		[SOFTLEAF_MARKER]		= MEMLAB_LEAF_MARKER,
	};
	enum softleaf_type type = softleaf_type(entry);

	l->kind = type < ARRAY_SIZE(kinds) ? kinds[type] : MEMLAB_LEAF_OTHER;
	l->type = swp_type(entry);
	l->offset = softleaf_has_pfn(entry) ? softleaf_to_pfn(entry) :
					      swp_offset(entry);
}

static inline void memlab_leaf_from_pte(pte_t pte, struct memlab_leaf *l)
{
	memlab_leaf_decode(softleaf_from_pte(pte), l);
}

static inline void memlab_leaf_from_pmd(pmd_t pmd, struct memlab_leaf *l)
{
	memlab_leaf_decode(softleaf_from_pmd(pmd), l);
}
#else
static inline void memlab_leaf_decode(swp_entry_t entry, struct memlab_leaf *l)
{
	l->type = swp_type(entry);
	l->offset = swp_offset(entry);
	if (is_migration_entry(entry))
		l->kind = is_writable_migration_entry(entry) ?
			  MEMLAB_LEAF_MIGRATION_WRITE :
			  MEMLAB_LEAF_MIGRATION_READ;
	else if (is_device_private_entry(entry))
		l->kind = MEMLAB_LEAF_DEVICE_PRIVATE;
	else if (is_device_exclusive_entry(entry))
		l->kind = MEMLAB_LEAF_DEVICE_EXCLUSIVE;
	else if (is_hwpoison_entry(entry))
		l->kind = MEMLAB_LEAF_HWPOISON;
	else if (is_pte_marker_entry(entry))
		l->kind = MEMLAB_LEAF_MARKER;
	else if (non_swap_entry(entry))
		l->kind = MEMLAB_LEAF_OTHER;
	else
		l->kind = MEMLAB_LEAF_SWAP;
	if (l->kind != MEMLAB_LEAF_SWAP && l->kind != MEMLAB_LEAF_MARKER &&
	    l->kind != MEMLAB_LEAF_OTHER)
		l->offset = swp_offset_pfn(entry);
}

static inline void memlab_leaf_from_pte(pte_t pte, struct memlab_leaf *l)
{
	memlab_leaf_decode(pte_to_swp_entry(pte), l);
}

static inline void memlab_leaf_from_pmd(pmd_t pmd, struct memlab_leaf *l)
{
	memlab_leaf_decode(pmd_to_swp_entry(pmd), l);
}
#endif

/*
 * How many page tables map @page itself, as /proc/kpagecount says, or -1
 * when the kernel does not count it.  Callers have ruled out slab and
 * typed pages, which reuse the field.  6.12 ("mm: remove page_mapcount()")
 * took away the helper; the per-page count it read stays, as
 * fs/proc's folio_precise_page_mapcount() reads it: the page's own
 * _mapcount, plus the mappings of the whole folio by one pmd or pud.  From
 * 7.x CONFIG_NO_PAGE_MAPCOUNT can stop counting per page in large folios.
 */
#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 12, 0)
static inline int memlab_page_mapcount(struct folio *folio, struct page *page)
{
	int mapcount = atomic_read(&page->_mapcount) + 1;

	if (!folio_test_large(folio))
		return page_mapcount_is_type(mapcount) ? 0 : mapcount;
	if (IS_ENABLED(CONFIG_NO_PAGE_MAPCOUNT))
		return -1;
	if (page_mapcount_is_type(mapcount))
		mapcount = 0;
	return mapcount + folio_entire_mapcount(folio);
}
#else
static inline int memlab_page_mapcount(struct folio *folio, struct page *page)
{
	return page_mapcount(page);
}
#endif

/*
 * The devmap bit of x86 and arm64 ptes, which ZONE_DEVICE's pfn maps set.
 * 6.17 ("mm: remove devmap related functions and page table bits") took
 * it away: where it is gone, no entry has it.
 */
#if defined(_PAGE_DEVMAP)
#define MEMLAB_PTE_DEVMAP	_PAGE_DEVMAP
#elif defined(PTE_DEVMAP)
#define MEMLAB_PTE_DEVMAP	PTE_DEVMAP
#else
#define MEMLAB_PTE_DEVMAP	0
#endif

/*
 * arm64 marks a PROT_NONE entry, not valid for the MMU but mapped for the
 * kernel, with a software bit.  6.10 ("arm64/mm: Remove PTE_PROT_NONE
 * bit") replaced PTE_PROT_NONE by PTE_PRESENT_INVALID, which the kernel
 * also sets while it splits a huge pmd.
 */
#if defined(PTE_PROT_NONE)
#define MEMLAB_PTE_PROT_NONE	PTE_PROT_NONE
#elif defined(PTE_PRESENT_INVALID)
#define MEMLAB_PTE_PROT_NONE	PTE_PRESENT_INVALID
#endif

#endif /* MEMLAB_COMPAT_PGTABLE_H */
