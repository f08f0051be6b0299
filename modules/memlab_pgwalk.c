// SPDX-License-Identifier: GPL-2.0
/*
 * memlab_pgwalk: the real page-table walk of any address, in any process
 * or in the kernel, and a ptdump-like map of a process's address space.
 *
 *   walk	write "PID ADDR" or "kernel ADDR", read the walk: one row per
 *		level (pgd p4d pud pmd pte) and a last "page" row for the frame
 *   target	the same syntax: the default for files opened without a write
 *   ranges	write "PID" or "PID START END", read the present mappings as
 *		runs contiguous in virtual and physical memory
 *
 * User walks hold the mm (get_task_mm()), its mmap_lock for reading, and
 * the page table lock of the leaf, exactly like the kernel's own walkers,
 * so they are safe against munmap, mprotect, THP split and collapse and
 * exit.  Kernel walks start at the pgd behind CR3, whose kernel half is
 * the kernel's, and read it locklessly like lookup_address().
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/mm.h>		/* before huge_mm.h, which needs it */
#include <linux/fs.h>
#include <linux/huge_mm.h>
#include <linux/hugetlb.h>
#include <linux/kernel.h>
#include <linux/mmap_lock.h>
#include <linux/module.h>
#include <linux/mutex.h>
#include <linux/pfn.h>
#include <linux/pgtable.h>
#include <linux/pid.h>
#include <linux/sched.h>
#include <linux/sched/mm.h>
#include <linux/sched/task.h>
#include <linux/seq_file.h>
#include <linux/slab.h>
#include <linux/swap.h>	/* before swapops.h, which needs it */
#include <linux/swapops.h>

#include "memlab.h"
#include "memlab_compat.h"
#include "memlab_pgwalk.h"

#if defined(CONFIG_X86_64)
#include "pgwalk_x86.h"
#elif defined(CONFIG_ARM64)
#include "pgwalk_arm64.h"
#else
#error "memlab_pgwalk: no pgwalk_<arch>.h for this architecture yet"
#endif

enum pgwalk_level {
	PGWALK_PGD,
	PGWALK_P4D,
	PGWALK_PUD,
	PGWALK_PMD,
	PGWALK_PTE,
	PGWALK_NR_LEVELS,
};

static const char * const pgwalk_level_names[PGWALK_NR_LEVELS] = {
	"pgd", "p4d", "pud", "pmd", "pte",
};

/* What the "page" row says about the frame, in this order. */
enum pgwalk_page_flag {
	PGWALK_PAGE_ANON,
	PGWALK_PAGE_KSM,
	PGWALK_PAGE_FILE,
	PGWALK_PAGE_SWAPCACHE,
	PGWALK_PAGE_SLAB,
	PGWALK_PAGE_RESERVED,
	PGWALK_PAGE_ZERO,
	PGWALK_PAGE_LRU,
	PGWALK_PAGE_ACTIVE,
	PGWALK_PAGE_UNEVICTABLE,
	PGWALK_PAGE_DIRTY,
	PGWALK_PAGE_WRITEBACK,
	PGWALK_PAGE_THP,
	PGWALK_PAGE_HUGETLB,
	PGWALK_PAGE_COMPOUND,
	PGWALK_PAGE_NR_FLAGS,
};

static const char * const pgwalk_page_flag_names[PGWALK_PAGE_NR_FLAGS] = {
	"anon", "ksm", "file", "swapcache", "slab", "reserved", "zero",
	"lru", "active", "unevictable", "dirty", "writeback", "thp",
	"hugetlb", "compound",
};

struct pgwalk_entry {
	u64 value;
	phys_addr_t pa;		/* of the entry itself */
	unsigned int index;
	bool folded;
};

/* One walk: entry[i] is level i, from the pgd down. */
struct pgwalk_walk {
	unsigned int nr_entries;
	struct pgwalk_entry entry[PGWALK_NR_LEVELS];
	/* Valid when the walk reached a frame. */
	bool mapped;
	unsigned int leaf_shift;
	unsigned long offset;		/* of the byte in the leaf */
	phys_addr_t phys;		/* of the byte */
	/* The page state, when the frame has a struct page. */
	bool has_page;
	bool state_known;
	unsigned long page_flags;
	int refcount;
	int mapcount;			/* -1 when it means nothing */
};

/*
 * A walk target.  pid NULL means the kernel; for ranges, [addr, end) is
 * the span to dump.
 */
struct pgwalk_target {
	bool set;
	struct pid *pid;
	unsigned long addr;
	unsigned long end;
};

/* pgwalk/ranges reads a process in chunks of this many runs ... */
#define PGWALK_RANGES_CHUNK	64
/* ... and lets go of the mmap_lock after this many page tables. */
#define PGWALK_RANGES_BUDGET	256

struct pgwalk_run {
	unsigned long start;
	unsigned long end;
	unsigned long pfn;		/* of start */
	u64 attrs;
	enum pgwalk_level level;
};

struct pgwalk_ranges {
	struct mm_struct *mm;		/* mmgrab()ed, not mmget()ed */
	unsigned long start;
	unsigned long end;
	unsigned long next;		/* where the next chunk starts */
	unsigned int budget;
	struct pgwalk_run open;		/* the run still growing */
	loff_t base;			/* record number of runs[0] */
	unsigned int nr;
	struct pgwalk_run runs[PGWALK_RANGES_CHUNK];
};

/* The per-open state of walk and ranges. */
struct pgwalk_open {
	struct pgwalk_target target;
	struct pgwalk_ranges *ranges;
};

static DEFINE_MUTEX(pgwalk_default_lock);
static struct pgwalk_target pgwalk_default;	/* under pgwalk_default_lock */

static struct memlab_dir *pgwalk_dir;

static void pgwalk_target_release(struct pgwalk_target *t)
{
	put_pid(t->pid);
	*t = (struct pgwalk_target){};
}

/*
 * The mm of @pid with a reference, or an ERR_PTR: -ESRCH when the process
 * is gone, -EINVAL when it is a kernel thread, which has no mm to walk.
 */
static struct mm_struct *pgwalk_get_mm(struct pid *pid)
{
	struct task_struct *task;
	struct mm_struct *mm;
	bool kthread;

	task = get_pid_task(pid, PIDTYPE_PID);
	if (!task)
		return ERR_PTR(-ESRCH);
	kthread = task->flags & PF_KTHREAD;
	mm = get_task_mm(task);
	put_task_struct(task);
	if (mm)
		return mm;
	/* Without an mm, a user process is exiting: as good as gone. */
	return ERR_PTR(kthread ? -EINVAL : -ESRCH);
}

/* Parses a pid and checks that it names a process with an mm. */
static int pgwalk_parse_pid(const char *word, struct pid **pidp)
{
	struct mm_struct *mm;
	unsigned long nr;
	struct pid *pid;

	if (memlab_parse_ulong(word, &nr) || nr > PID_MAX_LIMIT)
		return -EINVAL;
	pid = find_get_pid(nr);
	if (!pid)
		return -ESRCH;
	mm = pgwalk_get_mm(pid);
	if (IS_ERR(mm)) {
		put_pid(pid);
		return PTR_ERR(mm);
	}
	mmput(mm);
	*pidp = pid;
	return 0;
}

/* "PID ADDR" or "kernel ADDR", as written to walk and target. */
static int pgwalk_parse_walk_target(const struct memlab_args *args,
				    struct pgwalk_target *t)
{
	const char *who = args->argv[0], *where = args->argv[1];
	bool kernel;
	int ret;

	if (args->argc != 2)
		return -EINVAL;
	*t = (struct pgwalk_target){ .set = true };
	if (memlab_parse_ulong(where, &t->addr))
		return -EINVAL;
	kernel = !strcmp(who, "kernel");
	if (kernel ? !pgwalk_arch_kernel_addr(t->addr) :
		     !pgwalk_arch_user_addr(t->addr))
		return -EINVAL;
	if (kernel)
		return 0;
	ret = pgwalk_parse_pid(who, &t->pid);
	if (ret)
		*t = (struct pgwalk_target){};
	return ret;
}

/* "PID" or "PID START END", as written to ranges. */
static int pgwalk_parse_ranges_target(const struct memlab_args *args,
				      struct pgwalk_target *t)
{
	const char *who = args->argv[0];
	const char *start = args->argv[1], *end = args->argv[2];
	int ret;

	if (args->argc == 2)
		return -EINVAL;
	*t = (struct pgwalk_target){ .set = true, .addr = 0,
				     .end = pgwalk_arch_user_end() };
	if (start) {
		if (memlab_parse_ulong(start, &t->addr) ||
		    memlab_parse_ulong(end, &t->end) || t->addr >= t->end ||
		    !pgwalk_arch_user_addr(t->end - 1))
			return -EINVAL;
		t->addr = round_down(t->addr, PAGE_SIZE);
		t->end = round_up(t->end, PAGE_SIZE);
	}
	ret = pgwalk_parse_pid(who, &t->pid);
	if (ret)
		*t = (struct pgwalk_target){};
	return ret;
}

/* A copy of the default target, holding its own reference on the pid. */
static void pgwalk_default_get(struct pgwalk_target *t)
{
	mutex_lock(&pgwalk_default_lock);
	*t = pgwalk_default;
	get_pid(t->pid);
	mutex_unlock(&pgwalk_default_lock);
}

static void pgwalk_record(struct pgwalk_walk *w, unsigned int index,
			  void *entryp, u64 value, bool folded)
{
	struct pgwalk_entry *e = &w->entry[w->nr_entries++];

	/* Page tables live in the direct map, or the kernel image for a few. */
	e->pa = __pa(entryp);
	e->index = index;
	e->value = value;
	e->folded = folded;
}

/*
 * The frame a leaf of size 1 << @shift maps; the entry was recorded last.
 * The size reported is that of the block the TLB sees, which on arm64 may
 * be a run of contiguous leaves.
 */
static void pgwalk_frame(struct pgwalk_walk *w, unsigned long addr,
			 unsigned long leaf_pfn, unsigned int shift)
{
	u64 value = w->entry[w->nr_entries - 1].value;
	unsigned int span = pgwalk_arch_leaf_span(shift, value);

	w->mapped = true;
	w->leaf_shift = span;
	w->offset = addr & ((1UL << span) - 1);
	w->phys = PFN_PHYS(leaf_pfn) + (addr & ((1UL << shift) - 1));
}

static void pgwalk_read_folio(struct pgwalk_walk *w, struct page *page,
			      struct folio *folio)
{
	unsigned long *f = &w->page_flags;

	if (folio_test_slab(folio)) {
		__set_bit(PGWALK_PAGE_SLAB, f);
	} else if (folio_test_anon(folio)) {
		__set_bit(PageKsm(page) ? PGWALK_PAGE_KSM : PGWALK_PAGE_ANON, f);
		if (folio_test_swapcache(folio))
			__set_bit(PGWALK_PAGE_SWAPCACHE, f);
	} else if (folio_mapping(folio)) {
		__set_bit(PGWALK_PAGE_FILE, f);
	}
	if (PageReserved(page))
		__set_bit(PGWALK_PAGE_RESERVED, f);
	if (folio_test_lru(folio))
		__set_bit(PGWALK_PAGE_LRU, f);
	if (folio_test_active(folio))
		__set_bit(PGWALK_PAGE_ACTIVE, f);
	if (folio_test_unevictable(folio))
		__set_bit(PGWALK_PAGE_UNEVICTABLE, f);
	if (folio_test_dirty(folio))
		__set_bit(PGWALK_PAGE_DIRTY, f);
	if (folio_test_writeback(folio))
		__set_bit(PGWALK_PAGE_WRITEBACK, f);
	if (folio_test_large(folio)) {
		if (folio_test_hugetlb(folio))
			__set_bit(PGWALK_PAGE_HUGETLB, f);
		else if (folio_test_anon(folio) || folio_mapping(folio))
			__set_bit(PGWALK_PAGE_THP, f);
		else
			__set_bit(PGWALK_PAGE_COMPOUND, f);
	}
	w->refcount = folio_ref_count(folio);
	/* Slab and typed pages reuse the mapcount field for other things. */
	w->mapcount = folio_test_slab(folio) || page_has_type(page) ?
		      -1 : page_mapcount(page);
}

/*
 * The state of the frame the walk reached.  @locked: the caller holds the
 * page table lock of the leaf entry, which keeps the page mapped and so
 * allocated.  Otherwise (kernel walks) a speculative reference pins it
 * while we look, as GUP-fast does; a page nobody holds is free, and its
 * fields are not ours to read.
 */
static void pgwalk_page_state(struct pgwalk_walk *w, bool locked)
{
	unsigned long pfn = PHYS_PFN(w->phys);
	struct folio *folio;
	struct page *page;

	if (is_zero_pfn(pfn))
		__set_bit(PGWALK_PAGE_ZERO, &w->page_flags);
	if (!pfn_valid(pfn))
		return;
	w->has_page = true;
	page = pfn_to_page(pfn);
	folio = page_folio(page);
	if (locked) {
		pgwalk_read_folio(w, page, folio);
		w->state_known = true;
		return;
	}
	if (!folio_try_get(folio)) {
		w->refcount = 0;
		w->mapcount = -1;
		w->state_known = true;
		return;
	}
	/* Split or freed and reused between page_folio() and the get. */
	if (folio == page_folio(page)) {
		pgwalk_read_folio(w, page, folio);
		w->refcount--;		/* our own reference */
		w->state_known = true;
	}
	folio_put(folio);
}

/*
 * Does the mapping of a frame pin its page while we hold the page table
 * lock?  Only a normal page in a normal VMA does; a special entry or a
 * PFN map may point at memory the kernel never refcounted for it, such
 * as the zero page or a driver's pages, and gets the speculative pin.
 */
static bool pgwalk_mapping_pins(struct vm_area_struct *vma, bool special)
{
	return vma && !special && !(vma->vm_flags & (VM_PFNMAP | VM_IO));
}

static p4d_t *pgwalk_p4d_offset(pgd_t *pgdp, pgd_t pgd, unsigned long addr)
{
	/* A folded p4d entry is the pgd entry itself. */
	if (pgwalk_arch_p4d_folded())
		return (p4d_t *)pgdp;
	return p4d_offset(&pgd, addr);
}

/*
 * The pmd and pte levels of a walk.  With @mm, a leaf is only believed
 * under its page table lock: a THP can be split, zapped or migrated under
 * the mmap_lock held for reading.  A pmd that points to a page table keeps
 * pointing to it for as long as we hold the mmap_lock: collapsing it takes
 * the lock for writing.
 */
static void pgwalk_walk_pmd(struct pgwalk_walk *w, struct mm_struct *mm,
			    struct vm_area_struct *vma, pud_t pud,
			    unsigned long addr)
{
	pmd_t *pmdp = pmd_offset(&pud, addr);
	pmd_t pmd = READ_ONCE(*pmdp);
	spinlock_t *ptl;	/* of the entry we look at */
	pte_t *ptep;
	pte_t pte;

	if (mm && (pmd_leaf(pmd) || is_swap_pmd(pmd))) {
		ptl = pmd_lock(mm, pmdp);
		pmd = READ_ONCE(*pmdp);
		if (pmd_leaf(pmd) || is_swap_pmd(pmd)) {
			pgwalk_record(w, pmd_index(addr), pmdp, pmd_val(pmd),
				      false);
			if (pmd_present(pmd)) {
				pgwalk_frame(w, addr, pmd_pfn(pmd), PMD_SHIFT);
				pgwalk_page_state(w, pgwalk_mapping_pins(vma, false));
				/*
				 * An anonymous VMA maps only anon pages, or
				 * the huge zero page, whose pfn is not
				 * exported.
				 */
				if (vma && vma_is_anonymous(vma) &&
				    w->has_page &&
				    !test_bit(PGWALK_PAGE_ANON, &w->page_flags))
					__set_bit(PGWALK_PAGE_ZERO,
						  &w->page_flags);
			}
			spin_unlock(ptl);
			return;
		}
		/* Split while we looked: it is a page table now. */
		spin_unlock(ptl);
	}

	pgwalk_record(w, pmd_index(addr), pmdp, pmd_val(pmd), false);
	if (pmd_none(pmd) || !pmd_present(pmd))
		return;
	if (pmd_leaf(pmd)) {
		pgwalk_frame(w, addr, pmd_pfn(pmd), PMD_SHIFT);
		pgwalk_page_state(w, false);
		return;
	}

	if (!mm) {
		ptep = pte_offset_kernel(&pmd, addr);
		pte = READ_ONCE(*ptep);
		pgwalk_record(w, pte_index(addr), ptep, pte_val(pte), false);
		if (pte_present(pte)) {
			pgwalk_frame(w, addr, pte_pfn(pte), PAGE_SHIFT);
			pgwalk_page_state(w, false);
		}
		return;
	}

	ptep = pte_offset_map_lock(mm, pmdp, addr, &ptl);
	pte = ptep_get(ptep);
	pgwalk_record(w, pte_index(addr), ptep, pte_val(pte), false);
	if (pte_present(pte)) {
		pgwalk_frame(w, addr, pte_pfn(pte), PAGE_SHIFT);
		pgwalk_page_state(w, pgwalk_mapping_pins(vma,
							 pte_special(pte)));
	}
	pte_unmap_unlock(ptep, ptl);
}

/* The walk from @root down; @mm is NULL for the kernel's tables. */
static void pgwalk_walk_tables(struct pgwalk_walk *w, pgd_t *root,
			       struct mm_struct *mm,
			       struct vm_area_struct *vma, unsigned long addr)
{
	bool p4d_folded = pgwalk_arch_p4d_folded();
	pgd_t *pgdp = pgd_offset_pgd(root, addr);
	pgd_t pgd = READ_ONCE(*pgdp);
	spinlock_t *ptl;	/* of the entry we look at */
	p4d_t *p4dp;
	pud_t *pudp;
	p4d_t p4d;
	pud_t pud;

	pgwalk_record(w, pgd_index(addr), pgdp, pgd_val(pgd), false);
	if (pgd_none(pgd) || !pgd_present(pgd))
		return;

	p4dp = pgwalk_p4d_offset(pgdp, pgd, addr);
	p4d = READ_ONCE(*p4dp);
	pgwalk_record(w, p4d_folded ? 0 : pgwalk_arch_p4d_index(addr), p4dp,
		      p4d_val(p4d), p4d_folded);
	if (p4d_none(p4d) || !p4d_present(p4d))
		return;

	pudp = pud_offset(&p4d, addr);
	pud = READ_ONCE(*pudp);
	if (mm && pud_leaf(pud)) {
		ptl = pud_lock(mm, pudp);
		pud = READ_ONCE(*pudp);
		pgwalk_record(w, pud_index(addr), pudp, pud_val(pud), false);
		if (pud_leaf(pud)) {
			pgwalk_frame(w, addr, pud_pfn(pud), PUD_SHIFT);
			pgwalk_page_state(w, pgwalk_mapping_pins(vma, false));
		}
		spin_unlock(ptl);
		/* A huge pud is only ever zapped, never split to a table. */
		return;
	}
	pgwalk_record(w, pud_index(addr), pudp, pud_val(pud), false);
	if (pud_none(pud) || !pud_present(pud))
		return;
	if (pud_leaf(pud)) {
		pgwalk_frame(w, addr, pud_pfn(pud), PUD_SHIFT);
		pgwalk_page_state(w, false);
		return;
	}
	pgwalk_walk_pmd(w, mm, vma, pud, addr);
}

static int pgwalk_walk_kernel(struct pgwalk_walk *w, unsigned long addr)
{
	if (!pgwalk_arch_kernel_addr(addr))
		return -EINVAL;
	pgwalk_walk_tables(w, pgwalk_arch_kernel_root(), NULL, NULL, addr);
	return 0;
}

/*
 * Hugetlb PMD tables can be shared between processes, and unsharing one
 * needs i_mmap_rwsem for writing, not the mmap_lock: hold it for reading.
 */
static struct address_space *pgwalk_lock_shared_tables(struct vm_area_struct *vma)
{
	struct address_space *mapping;

	if (!vma || !is_vm_hugetlb_page(vma) || !vma->vm_file)
		return NULL;
	mapping = vma->vm_file->f_mapping;
	i_mmap_lock_read(mapping);
	return mapping;
}

static void pgwalk_unlock_shared_tables(struct address_space *mapping)
{
	if (mapping)
		i_mmap_unlock_read(mapping);
}

static int pgwalk_walk_user(struct pgwalk_walk *w, struct pid *pid,
			    unsigned long addr)
{
	struct address_space *mapping;
	struct vm_area_struct *vma;
	struct mm_struct *mm;
	int ret;

	if (!pgwalk_arch_user_addr(addr))
		return -EINVAL;
	mm = pgwalk_get_mm(pid);
	if (IS_ERR(mm))
		return PTR_ERR(mm);

	ret = mmap_read_lock_killable(mm);
	if (ret)
		goto out_mmput;
	vma = find_vma(mm, addr);
	if (!vma || vma->vm_start > addr) {
		/*
		 * munmap() frees the page tables of a range it has already
		 * taken out of the VMA tree after downgrading to the read
		 * lock: where no VMA is, only the write lock keeps the
		 * tables in place.
		 */
		mmap_read_unlock(mm);
		ret = mmap_write_lock_killable(mm);
		if (ret)
			goto out_mmput;
		pgwalk_walk_tables(w, mm->pgd, mm, NULL, addr);
		mmap_write_unlock(mm);
		goto out_mmput;
	}
	mapping = pgwalk_lock_shared_tables(vma);
	pgwalk_walk_tables(w, mm->pgd, mm, vma, addr);
	pgwalk_unlock_shared_tables(mapping);
	mmap_read_unlock(mm);
out_mmput:
	mmput(mm);
	return ret;
}

int pgwalk_kernel_phys(unsigned long addr, phys_addr_t *phys,
		       unsigned int *leaf_shift)
{
	struct pgwalk_walk w = {};
	int ret;

	ret = pgwalk_walk_kernel(&w, addr);
	if (ret)
		return ret;
	if (!w.mapped)
		return -ENOENT;
	*phys = w.phys;
	if (leaf_shift)
		*leaf_shift = w.leaf_shift;
	return 0;
}
EXPORT_SYMBOL_GPL(pgwalk_kernel_phys);

static void pgwalk_print_swap(struct seq_file *m, swp_entry_t entry)
{
	if (is_migration_entry(entry))
		seq_printf(m, "migration|%s|pfn=0x%lx",
			   is_writable_migration_entry(entry) ? "write" : "read",
			   swp_offset_pfn(entry));
	else if (is_device_private_entry(entry))
		seq_printf(m, "device-private|pfn=0x%lx",
			   swp_offset_pfn(entry));
	else if (is_device_exclusive_entry(entry))
		seq_printf(m, "device-exclusive|pfn=0x%lx",
			   swp_offset_pfn(entry));
	else if (is_hwpoison_entry(entry))
		seq_printf(m, "hwpoison|pfn=0x%lx", swp_offset_pfn(entry));
	else if (is_pte_marker_entry(entry))
		seq_puts(m, "pte-marker");
	else if (non_swap_entry(entry))
		seq_printf(m, "non-swap|type=%u", swp_type(entry));
	else
		seq_printf(m, "swap|type=%u|offset=0x%lx", swp_type(entry),
			   swp_offset(entry));
}

static void pgwalk_print_entry_flags(struct seq_file *m,
				     const struct pgwalk_walk *w,
				     unsigned int level)
{
	const struct pgwalk_entry *e = &w->entry[level];
	bool last = level == w->nr_entries - 1;

	if (e->folded)
		seq_puts(m, "folded");
	else if (pgwalk_arch_entry_none(e->value))
		seq_puts(m, "none");
	else if (level == PGWALK_PTE && !pte_present(__pte(e->value)))
		pgwalk_print_swap(m, pte_to_swp_entry(__pte(e->value)));
	else if (level == PGWALK_PMD && is_swap_pmd(__pmd(e->value)))
		pgwalk_print_swap(m, pmd_to_swp_entry(__pmd(e->value)));
	else
		pgwalk_arch_print_flags(m, level == PGWALK_PTE,
					last && w->mapped, e->value);
}

static void pgwalk_print_size(struct seq_file *m, unsigned int shift)
{
	if (shift >= 30)
		seq_printf(m, "size=%luG", 1UL << (shift - 30));
	else if (shift >= 20)
		seq_printf(m, "size=%luM", 1UL << (shift - 20));
	else
		seq_printf(m, "size=%luK", 1UL << (shift - 10));
}

static void pgwalk_print_page(struct seq_file *m, const struct pgwalk_walk *w)
{
	unsigned int bit;

	seq_printf(m, "page 0x%lx 0x%llx 0x%lx ", w->offset, (u64)w->phys,
		   (unsigned long)PHYS_PFN(w->phys));
	pgwalk_print_size(m, w->leaf_shift);
	if (!w->has_page) {
		/* MMIO and other memory the kernel keeps no struct page for. */
		seq_puts(m, "|nopage");
		if (test_bit(PGWALK_PAGE_ZERO, &w->page_flags))
			seq_puts(m, "|zero");
	}
	for_each_set_bit(bit, &w->page_flags, PGWALK_PAGE_NR_FLAGS)
		if (w->has_page)
			seq_printf(m, "|%s", pgwalk_page_flag_names[bit]);
	if (w->has_page && w->state_known) {
		seq_printf(m, "|refcount=%d", w->refcount);
		if (w->mapcount >= 0)
			seq_printf(m, "|mapcount=%d", w->mapcount);
	}
	seq_putc(m, '\n');
}

static void pgwalk_print_walk(struct seq_file *m, const struct pgwalk_walk *w)
{
	unsigned int i;

	for (i = 0; i < w->nr_entries; i++) {
		const struct pgwalk_entry *e = &w->entry[i];

		seq_printf(m, "%s %u 0x%llx 0x%llx ", pgwalk_level_names[i],
			   e->index, (u64)e->pa, e->value);
		pgwalk_print_entry_flags(m, w, i);
		seq_putc(m, '\n');
	}
	if (w->mapped)
		pgwalk_print_page(m, w);
}

static int pgwalk_open_state(struct seq_file *m)
{
	struct pgwalk_open *o = kzalloc(sizeof(*o), GFP_KERNEL);

	if (!o)
		return -ENOMEM;
	memlab_set_private(m, o);
	return 0;
}

static void pgwalk_ranges_drop(struct pgwalk_open *o)
{
	if (!o->ranges)
		return;
	mmdrop(o->ranges->mm);
	kfree(o->ranges);
	o->ranges = NULL;
}

static void pgwalk_release_state(struct seq_file *m)
{
	struct pgwalk_open *o = memlab_private(m);

	pgwalk_ranges_drop(o);
	pgwalk_target_release(&o->target);
	kfree(o);
}

/* The walk happens here, at read time, from offset 0. */
static int pgwalk_walk_show(struct seq_file *m, void *v)
{
	struct pgwalk_open *o = memlab_private(m);
	struct pgwalk_target t;
	struct pgwalk_walk w = {};
	int ret;

	if (o->target.set) {
		t = o->target;
		get_pid(t.pid);
	} else {
		pgwalk_default_get(&t);
	}
	seq_puts(m, "# level index entry_pa entry_value flags\n");
	if (!t.set)
		return 0;
	if (t.pid)
		ret = pgwalk_walk_user(&w, t.pid, t.addr);
	else
		ret = pgwalk_walk_kernel(&w, t.addr);
	pgwalk_target_release(&t);
	if (ret)
		return ret;
	pgwalk_print_walk(m, &w);
	return 0;
}

/* Sets the target of this open file only. */
static int pgwalk_walk_command(struct seq_file *m,
			       const struct memlab_args *args)
{
	struct pgwalk_open *o = memlab_private(m);
	struct pgwalk_target t;
	int ret;

	ret = pgwalk_parse_walk_target(args, &t);
	if (ret)
		return ret;
	pgwalk_target_release(&o->target);
	o->target = t;
	return 0;
}

static int pgwalk_target_show(struct seq_file *m, void *v)
{
	struct pgwalk_target t;

	pgwalk_default_get(&t);
	if (!t.set)
		seq_puts(m, "-\n");
	else if (t.pid)
		seq_printf(m, "%d 0x%lx\n", pid_vnr(t.pid), t.addr);
	else
		seq_printf(m, "kernel 0x%lx\n", t.addr);
	pgwalk_target_release(&t);
	return 0;
}

static int pgwalk_target_command(struct seq_file *m,
				 const struct memlab_args *args)
{
	struct pgwalk_target t = {}, old;
	int ret;

	/* "-", what reading shows when there is none, clears the default. */
	if (args->argc != 1 || strcmp(args->argv[0], "-")) {
		ret = pgwalk_parse_walk_target(args, &t);
		if (ret)
			return ret;
	}
	mutex_lock(&pgwalk_default_lock);
	old = pgwalk_default;
	pgwalk_default = t;
	mutex_unlock(&pgwalk_default_lock);
	pgwalk_target_release(&old);
	return 0;
}

/*
 * pgwalk/ranges.  A chunk of runs is collected under the mmap_lock and
 * printed after it is dropped; the next chunk starts where the last one
 * stopped, so the output is a snapshot per chunk, as /proc/PID/maps is.
 */

static bool pgwalk_run_empty(const struct pgwalk_run *run)
{
	return run->end == run->start;
}

/*
 * Adds the leaf mapping [addr, addr + size) to the runs.  Returns true
 * when the chunk is full: the walk stops, and resumes at @addr.
 */
static bool pgwalk_ranges_leaf(struct pgwalk_ranges *r, unsigned long addr,
			       unsigned long size, unsigned long pfn,
			       u64 attrs, enum pgwalk_level level)
{
	struct pgwalk_run *open = &r->open;

	if (!pgwalk_run_empty(open) && open->end == addr &&
	    open->level == level && open->attrs == attrs &&
	    open->pfn + PHYS_PFN(addr - open->start) == pfn) {
		open->end = addr + size;
		return false;
	}
	if (!pgwalk_run_empty(open)) {
		if (r->nr == PGWALK_RANGES_CHUNK) {
			r->next = addr;
			return true;
		}
		r->runs[r->nr++] = *open;
	}
	*open = (struct pgwalk_run){
		.start = addr, .end = addr + size, .pfn = pfn,
		.attrs = attrs, .level = level,
	};
	return false;
}

static bool pgwalk_ranges_pte(struct pgwalk_ranges *r, pmd_t *pmdp,
			      unsigned long addr, unsigned long end)
{
	pte_t *start, *ptep;
	spinlock_t *ptl;	/* of the entry we look at */
	bool stop = false;
	pte_t pte;

	start = pte_offset_map_lock(r->mm, pmdp, addr, &ptl);
	ptep = start;
	do {
		pte = ptep_get(ptep);
		if (!pte_present(pte))
			continue;
		stop = pgwalk_ranges_leaf(r, addr, PAGE_SIZE, pte_pfn(pte),
					  pgwalk_arch_leaf_attrs(true, pte_val(pte)),
					  PGWALK_PTE);
		if (stop)
			break;
	} while (ptep++, addr += PAGE_SIZE, addr != end);
	pte_unmap_unlock(start, ptl);
	return stop;
}

static bool pgwalk_ranges_pmd(struct pgwalk_ranges *r, pud_t pud,
			      unsigned long addr, unsigned long end)
{
	pmd_t *pmdp = pmd_offset(&pud, addr);
	unsigned long next, pmd_sub;
	spinlock_t *ptl;	/* of the entry we look at */
	bool stop;
	pmd_t pmd;

	do {
		next = pmd_addr_end(addr, end);
		pmd = READ_ONCE(*pmdp);
		if (pmd_none(pmd))
			continue;
		/* Each pmd is a page table or a leaf: the unit of work. */
		if (!r->budget) {
			r->next = addr;
			return true;
		}
		r->budget--;
		/* A walk can start or end in the middle of a huge leaf. */
		pmd_sub = PHYS_PFN(addr & ~PMD_MASK);
		if (pmd_leaf(pmd) || is_swap_pmd(pmd)) {
			ptl = pmd_lock(r->mm, pmdp);
			pmd = READ_ONCE(*pmdp);
			if (pmd_leaf(pmd) || is_swap_pmd(pmd)) {
				stop = pmd_present(pmd) &&
				       pgwalk_ranges_leaf(r, addr, next - addr,
							  pmd_pfn(pmd) + pmd_sub,
							  pgwalk_arch_leaf_attrs(false,
										 pmd_val(pmd)),
							  PGWALK_PMD);
				spin_unlock(ptl);
				if (stop)
					return true;
				continue;
			}
			spin_unlock(ptl);
		}
		if (pmd_none(pmd) || !pmd_present(pmd))
			continue;
		if (pgwalk_ranges_pte(r, pmdp, addr, next))
			return true;
	} while (pmdp++, addr = next, addr != end);
	return false;
}

static bool pgwalk_ranges_pud(struct pgwalk_ranges *r, p4d_t p4d,
			      unsigned long addr, unsigned long end)
{
	pud_t *pudp = pud_offset(&p4d, addr);
	unsigned long next;
	spinlock_t *ptl;	/* of the entry we look at */
	bool stop;
	pud_t pud;

	do {
		next = pud_addr_end(addr, end);
		pud = READ_ONCE(*pudp);
		if (pud_none(pud) || !pud_present(pud))
			continue;
		if (pud_leaf(pud)) {
			ptl = pud_lock(r->mm, pudp);
			pud = READ_ONCE(*pudp);
			stop = pud_leaf(pud) &&
			       pgwalk_ranges_leaf(r, addr, next - addr,
						  pud_pfn(pud) +
						  PHYS_PFN(addr & ~PUD_MASK),
						  pgwalk_arch_leaf_attrs(false, pud_val(pud)),
						  PGWALK_PUD);
			spin_unlock(ptl);
			if (stop)
				return true;
			continue;
		}
		if (pgwalk_ranges_pmd(r, pud, addr, next))
			return true;
	} while (pudp++, addr = next, addr != end);
	return false;
}

static bool pgwalk_ranges_pgd(struct pgwalk_ranges *r, unsigned long addr,
			      unsigned long end)
{
	pgd_t *pgdp = pgd_offset(r->mm, addr);
	unsigned long next, p4d_next;
	p4d_t *p4dp;
	pgd_t pgd;
	p4d_t p4d;

	do {
		next = pgd_addr_end(addr, end);
		pgd = READ_ONCE(*pgdp);
		if (pgd_none(pgd) || !pgd_present(pgd))
			continue;
		p4dp = pgwalk_p4d_offset(pgdp, pgd, addr);
		do {
			p4d_next = p4d_addr_end(addr, next);
			p4d = READ_ONCE(*p4dp);
			if (p4d_none(p4d) || !p4d_present(p4d))
				continue;
			if (pgwalk_ranges_pud(r, p4d, addr, p4d_next))
				return true;
		} while (p4dp++, addr = p4d_next, addr != next);
	} while (pgdp++, addr = next, addr != end);
	return false;
}

/*
 * Walks from r->next, VMA by VMA: the page tables of a range no VMA covers
 * may be on their way out (see pgwalk_walk_user()).  Called with the
 * mmap_lock held for reading.
 */
static void pgwalk_ranges_walk(struct pgwalk_ranges *r)
{
	unsigned long addr = r->next, start, end;
	struct address_space *mapping;
	struct vm_area_struct *vma;
	bool stop;

	while (addr < r->end) {
		vma = find_vma(r->mm, addr);
		if (!vma || vma->vm_start >= r->end)
			break;
		start = max(addr, vma->vm_start);
		end = min(r->end, vma->vm_end);
		mapping = pgwalk_lock_shared_tables(vma);
		stop = pgwalk_ranges_pgd(r, start, end);
		pgwalk_unlock_shared_tables(mapping);
		if (stop)
			return;
		addr = end;
	}
	r->next = r->end;
}

/* Collects the next chunk of runs; none when the dump is complete. */
static int pgwalk_ranges_fill(struct pgwalk_ranges *r)
{
	int ret;

	r->base += r->nr;
	r->nr = 0;
	while (!r->nr) {
		if (r->next >= r->end) {
			if (!pgwalk_run_empty(&r->open)) {
				r->runs[r->nr++] = r->open;
				r->open.end = r->open.start;
			}
			break;
		}
		/* The process has exited: its address space is empty. */
		if (!mmget_not_zero(r->mm)) {
			r->next = r->end;
			continue;
		}
		ret = mmap_read_lock_killable(r->mm);
		if (ret) {
			mmput(r->mm);
			return ret;
		}
		r->budget = PGWALK_RANGES_BUDGET;
		pgwalk_ranges_walk(r);
		mmap_read_unlock(r->mm);
		mmput(r->mm);
		cond_resched();
	}
	return 0;
}

static void pgwalk_ranges_rewind(struct pgwalk_ranges *r)
{
	r->next = r->start;
	r->open = (struct pgwalk_run){};
	r->base = 0;
	r->nr = 0;
}

/* Starts a new dump of this file's target, or the default's process. */
static int pgwalk_ranges_begin(struct pgwalk_open *o)
{
	struct pgwalk_ranges *r;
	struct pgwalk_target t;
	struct mm_struct *mm;
	int ret = 0;

	pgwalk_ranges_drop(o);
	if (o->target.set) {
		t = o->target;
		get_pid(t.pid);
	} else {
		pgwalk_default_get(&t);
		/* The default's address says where to walk, not what to dump. */
		t.addr = 0;
		t.end = pgwalk_arch_user_end();
	}
	if (!t.pid)
		goto out;

	mm = pgwalk_get_mm(t.pid);
	if (IS_ERR(mm)) {
		ret = PTR_ERR(mm);
		goto out;
	}
	r = kzalloc(sizeof(*r), GFP_KERNEL);
	if (!r) {
		mmput(mm);
		ret = -ENOMEM;
		goto out;
	}
	/* Keeps the mm_struct, not the address space, alive while open. */
	mmgrab(mm);
	mmput(mm);
	r->mm = mm;
	r->start = t.addr;
	r->end = t.end;
	pgwalk_ranges_rewind(r);
	o->ranges = r;
out:
	pgwalk_target_release(&t);
	return ret;
}

static struct pgwalk_run *pgwalk_ranges_record(struct pgwalk_open *o,
					       unsigned long index)
{
	struct pgwalk_ranges *r = o->ranges;
	int ret;

	if (!r)
		return NULL;
	/* Seeking back: walk again from the start. */
	if (index < r->base)
		pgwalk_ranges_rewind(r);
	while (index >= r->base + r->nr) {
		ret = pgwalk_ranges_fill(r);
		if (ret)
			return ERR_PTR(ret);
		if (!r->nr)
			return NULL;
	}
	return &r->runs[index - r->base];
}

/* Each read from the top dumps the target afresh. */
static int pgwalk_ranges_rewind_open(struct seq_file *m)
{
	return pgwalk_ranges_begin(memlab_private(m));
}

/* A run's key is its number in the dump. */
static int pgwalk_ranges_fill_run(struct seq_file *m, void *cursor,
				  unsigned long *key)
{
	struct pgwalk_run *run = pgwalk_ranges_record(memlab_private(m), *key);

	if (IS_ERR_OR_NULL(run))
		return PTR_ERR_OR_ZERO(run);
	*(struct pgwalk_run *)cursor = *run;
	return 1;
}

static void pgwalk_ranges_show(struct seq_file *m, const void *cursor)
{
	const struct pgwalk_run *run = cursor;

	seq_printf(m, "0x%lx 0x%lx %lu %s ", run->start, run->end,
		   run->end - run->start, pgwalk_level_names[run->level]);
	pgwalk_arch_print_flags(m, run->level == PGWALK_PTE, true, run->attrs);
	seq_printf(m, " 0x%lx\n", run->pfn);
}

static int pgwalk_ranges_command(struct seq_file *m,
				 const struct memlab_args *args)
{
	struct pgwalk_open *o = memlab_private(m);
	struct pgwalk_target t;
	int ret;

	ret = pgwalk_parse_ranges_target(args, &t);
	if (ret)
		return ret;
	pgwalk_target_release(&o->target);
	o->target = t;
	return 0;
}

/*
 * Each file takes the whole line as its arguments: walk and ranges set
 * the target of the open file they are written to, target the default.
 */
static const struct memlab_verb pgwalk_walk_verbs[] = {
	{
		.usage = "PID|kernel ADDR",
		.min_args = 2, .max_args = 2,
		.run = pgwalk_walk_command,
	},
	{}
};

static const struct memlab_verb pgwalk_target_verbs[] = {
	{
		.usage = "PID|kernel|- ADDR",
		.min_args = 1, .max_args = 2,
		.run = pgwalk_target_command,
	},
	{}
};

static const struct memlab_verb pgwalk_ranges_verbs[] = {
	{
		.usage = "PID START END",
		.min_args = 1, .max_args = 3,
		.run = pgwalk_ranges_command,
	},
	{}
};

static const struct memlab_file pgwalk_files[] = {
	{
		.name		= "walk",
		.flags		= MEMLAB_F_PRIVILEGED,
		.show		= pgwalk_walk_show,
		.open		= pgwalk_open_state,
		.release	= pgwalk_release_state,
		.verbs		= pgwalk_walk_verbs,
	},
	{
		.name		= "target",
		.flags		= MEMLAB_F_PRIVILEGED,
		.show		= pgwalk_target_show,
		.verbs		= pgwalk_target_verbs,
	},
	{
		.name		= "ranges",
		.flags		= MEMLAB_F_PRIVILEGED,
		.table		= {
			.header		= "# start end size level flags pfn_first",
			.rewind		= pgwalk_ranges_rewind_open,
			.cursor_size	= sizeof(struct pgwalk_run),
			.fill		= pgwalk_ranges_fill_run,
			.show		= pgwalk_ranges_show,
		},
		.open		= pgwalk_open_state,
		.release	= pgwalk_release_state,
		.verbs		= pgwalk_ranges_verbs,
	},
};

static int __init pgwalk_init(void)
{
	int ret;

	pgwalk_dir = memlab_dir_create("pgwalk", THIS_MODULE, NULL);
	if (IS_ERR(pgwalk_dir))
		return PTR_ERR(pgwalk_dir);
	ret = memlab_publish_all(pgwalk_dir, pgwalk_files,
				 ARRAY_SIZE(pgwalk_files));
	if (ret)
		memlab_dir_remove(pgwalk_dir);
	return ret;
}

static void __exit pgwalk_exit(void)
{
	memlab_dir_remove(pgwalk_dir);
	pgwalk_target_release(&pgwalk_default);
}

module_init(pgwalk_init);
module_exit(pgwalk_exit);

MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("memlab: page-table walks of process and kernel addresses");
MODULE_VERSION(MEMLAB_VERSION);
