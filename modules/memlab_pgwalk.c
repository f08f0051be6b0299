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
 *   at		pread at an address: its walk, as walk prints it, in the
 *		process that opened the file, or in the one written ("PID"
 *		or "kernel", whose addresses are read without bit 63)
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
#include <linux/rcupdate.h>
#include <linux/sched.h>
#include <linux/sched/mm.h>
#include <linux/sched/task.h>
#include <linux/seq_file.h>
#include <linux/slab.h>

#include "memlab.h"
#include "memlab_compat.h"
#include "memlab_compat_pgtable.h"
#include "memlab_pgwalk.h"

#include "pgwalk_arch.h"

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

/*
 * The descent.  mm/pagewalk.c's walk_page_range() (and its _novma form,
 * which mm/ptdump.c dumps through) is what the kernel's own walkers use,
 * but it is not exported to modules; nor are init_mm and
 * ptdump_walk_pgd(), on 6.1, 6.12 and 7.2 alike.  So memlab has its own,
 * in the same shape: one walk over [start, end) that reports every entry
 * it reads to the callbacks of a struct pgwalk_ops.  The single-address
 * walk is a one-page range whose callbacks record each level; ranges is
 * the same walk with a leaf callback that merges runs.
 */

/* One entry the descent read, as its callbacks see it. */
struct pgwalk_slot {
	enum pgwalk_level level;
	unsigned int index;		/* in its table */
	bool folded;			/* no table: this is the entry above */
	void *entryp;
	u64 value;
	unsigned long addr;		/* [addr, end): what the walk covers */
	unsigned long end;		/* of what the entry maps */
	/* For a leaf: the frame mapped at addr, and log2 of the leaf's size. */
	unsigned long pfn;
	unsigned int shift;
};

struct pgwalk_state;

/*
 * Each callback returns true to stop the walk; a NULL one is skipped.
 * @entry: an entry that points to a table, which the walk enters next.
 * @leaf: a huge or pte leaf that maps a frame; with an mm, called under
 *	its page table lock.
 * @hole: an entry that maps nothing: none, not present, or a swap or
 *	migration entry.
 */
struct pgwalk_ops {
	bool (*entry)(struct pgwalk_state *st, const struct pgwalk_slot *s);
	bool (*leaf)(struct pgwalk_state *st, const struct pgwalk_slot *s);
	bool (*hole)(struct pgwalk_state *st, const struct pgwalk_slot *s);
};

/* A walk; its user embeds it and finds itself with container_of(). */
struct pgwalk_state {
	const struct pgwalk_ops *ops;
	pgd_t *root;
	struct mm_struct *mm;		/* NULL: the kernel's tables */
	struct vm_area_struct *vma;	/* that covers [start, end), or NULL */
};

struct pgwalk_entry {
	u64 value;
	phys_addr_t pa;		/* of the entry itself */
	unsigned int index;
	bool folded;
};

/* One walk of addr: entry[i] is level i, from the pgd down. */
struct pgwalk_walk {
	struct pgwalk_state st;
	unsigned long addr;
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
 * A walk prints some 500 bytes: a header and six rows of 60 to 100.  The
 * buffer is zeroed as it is allocated, for every open, so it is not
 * seq_file's page.
 */
#define PGWALK_WALK_SHOW_SIZE	1024

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

/*
 * A dump is read this much at a time, four times seq_file's page: each
 * read() is a system call and a fill() again, and a few hundred rows of
 * some 60 to 100 bytes fit.  Not more: the buffer is zeroed as it is
 * allocated (init_on_alloc), for every open.
 */
#define PGWALK_RANGES_READ_SIZE	(16 * 1024)

/* pgwalk/ranges collects up to this many runs under the mmap_lock ... */
#define PGWALK_RANGES_BATCH	192
/* ... and lets go of it after this many page tables. */
#define PGWALK_RANGES_BUDGET	256

struct pgwalk_run {
	unsigned long start;
	unsigned long end;
	unsigned long pfn;		/* of start */
	u64 attrs;
	enum pgwalk_level level;
};

/*
 * What the table calls a record: up to this many consecutive runs of the
 * batch, printed in one go, so that the core's per-record work (a fill()
 * and a show() through the table, a cond_resched()) is paid once per
 * slice rather than once per run.
 */
#define PGWALK_RANGES_SLICE	64

struct pgwalk_slice {
	unsigned long first;		/* the number of its first run */
	unsigned int nr;
};

/*
 * A run's flags are a function of its attrs and level alone, and a dump's
 * runs mostly share a few: the level and flags fields of a row are
 * decoded once, and copied from here.
 */
#define PGWALK_FLAGS_MAX	128

struct pgwalk_flags_cache {
	u64 attrs;
	enum pgwalk_level level;
	unsigned int len;		/* 0: nothing cached */
	char text[PGWALK_FLAGS_MAX] __aligned(8);	/* copied by words */
};

/*
 * The widest row but for its flags, which the cache measures: three
 * numbers in hex, one in decimal, the level and the spaces and newline.
 */
#define PGWALK_RANGES_ROW_FIXED	(3 * (2 + 16) + 20 + 3 + 6)

/*
 * What a slice is sized by: a row's usual width, rounded up.  A slice
 * that would not fit what is left of seq_file's buffer is cut to the rows
 * that will, so that no row is formatted only to be thrown away.
 */
#define PGWALK_RANGES_ROW_GUESS	96

struct pgwalk_ranges {
	struct pgwalk_state st;
	struct pgwalk_flags_cache flags;
	struct mm_struct *mm;		/* mmgrab()ed, not mmget()ed */
	unsigned long start;
	unsigned long end;
	unsigned long next;		/* where the next batch starts */
	unsigned int budget;
	struct pgwalk_run open;		/* the run still growing */
	unsigned long base;		/* run number of runs[0] */
	unsigned int nr;		/* in runs[] */
	struct pgwalk_run runs[PGWALK_RANGES_BATCH];
};

/* The per-open state of walk, ranges and at. */
struct pgwalk_open {
	struct pgwalk_target target;
	struct pgwalk_ranges *ranges;
	/*
	 * What at walks: an mm, mmgrab()ed as /proc/PID/pagemap's open does,
	 * so that the process can exit and its pid be reused under us; or
	 * the kernel's tables when NULL.
	 */
	struct mm_struct *at_mm;
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

/*
 * What pgwalk_get_mm() would answer for @pid now, without taking a thing:
 * the write's early answer.  RCU keeps the task from being freed while we
 * look at it, and a look at ->mm is all the answer needs.  The read takes
 * the mm itself, and may yet find the process gone.
 */
static int pgwalk_pid_has_mm(struct pid *pid)
{
	struct task_struct *task;
	int ret = -ESRCH;

	rcu_read_lock();
	task = pid_task(pid, PIDTYPE_PID);
	if (task && (task->flags & PF_KTHREAD))
		ret = -EINVAL;
	else if (task && READ_ONCE(task->mm))
		ret = 0;
	rcu_read_unlock();
	return ret;
}

/* Parses a pid and checks that it names a process with an mm. */
static int pgwalk_parse_pid(const char *word, struct pid **pidp)
{
	unsigned long nr;
	struct pid *pid;
	int ret;

	if (memlab_parse_ulong(word, &nr) || nr > PID_MAX_LIMIT)
		return -EINVAL;
	pid = find_get_pid(nr);
	if (!pid)
		return -ESRCH;
	ret = pgwalk_pid_has_mm(pid);
	if (ret) {
		put_pid(pid);
		return ret;
	}
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

/*
 * How many page tables map @page itself (not its folio), or -1 for slab
 * and typed pages, which reuse the field for other things.
 */
static int pgwalk_mapcount(struct page *page, struct folio *folio)
{
	if (folio_test_slab(folio) || page_has_type(page))
		return -1;
	return memlab_page_mapcount(folio, page);
}

static void pgwalk_read_folio(struct pgwalk_walk *w, struct page *page,
			      struct folio *folio)
{
	unsigned long *f = &w->page_flags;

	if (folio_test_slab(folio)) {
		__set_bit(PGWALK_PAGE_SLAB, f);
	} else if (folio_test_anon(folio)) {
		__set_bit(folio_test_ksm(folio) ? PGWALK_PAGE_KSM :
						   PGWALK_PAGE_ANON, f);
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
	w->mapcount = pgwalk_mapcount(page, folio);
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
		/*
		 * Free, or a page the kernel does not refcount at all, such
		 * as a slab's from 7.x on: its type, which is all
		 * /proc/kpageflags reads of it too, is what we can say.
		 */
		if (PageSlab(page))
			__set_bit(PGWALK_PAGE_SLAB, &w->page_flags);
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
	return p4d_offset_lockless(pgdp, pgd, addr);
}

/* What the descent does after an entry. */
enum pgwalk_step {
	PGWALK_NEXT,		/* go on with the next entry */
	PGWALK_ENTER,		/* enter the table the entry points to */
	PGWALK_AGAIN,		/* the entry changed: read it again */
	PGWALK_STOP,		/* a callback asked to stop */
};

/* Reads the entry at s->entryp, as its level's type. */
static __always_inline u64 pgwalk_read(const struct pgwalk_slot *s)
{
	switch (s->level) {
	case PGWALK_PGD:
		return pgd_val(READ_ONCE(*(pgd_t *)s->entryp));
	case PGWALK_P4D:
		return p4d_val(READ_ONCE(*(p4d_t *)s->entryp));
	case PGWALK_PUD:
		return pud_val(READ_ONCE(*(pud_t *)s->entryp));
	case PGWALK_PMD:
		return pmd_val(READ_ONCE(*(pmd_t *)s->entryp));
	default:
		return pte_val(ptep_get(s->entryp));
	}
}

/*
 * Fills in the entry at @s's level that maps s->addr, below the entry @up
 * found one level higher (NULL for the pgd), and reads it.  The table
 * below an entry is found from the value we read, not from reading the
 * entry again (the *_offset_lockless() forms, as GUP-fast uses), so that
 * the walk follows what it judged; they also get the entry's address,
 * which a level folded at run time needs (arm64, see pgwalk_arm64.h).
 */
static void pgwalk_slot_at(struct pgwalk_slot *s, const struct pgwalk_state *st,
			   const struct pgwalk_slot *up)
{
	unsigned long addr = s->addr;
	p4d_t p4d;		/* the generic forms take the address of these */
	pud_t pud;

	switch (s->level) {
	case PGWALK_PGD:
		s->index = pgwalk_arch_pgd_index(addr);
		s->entryp = st->root + s->index;
		break;
	case PGWALK_P4D:
		s->folded = pgwalk_arch_p4d_folded();
		s->entryp = pgwalk_p4d_offset(up->entryp, __pgd(up->value),
					      addr);
		s->index = s->folded ? 0 : pgwalk_arch_p4d_index(addr);
		break;
	case PGWALK_PUD:
		p4d = __p4d(up->value);
		s->entryp = pud_offset_lockless((p4d_t *)up->entryp, p4d, addr);
		s->index = pud_index(addr);
		break;
	default:
		pud = __pud(up->value);
		s->entryp = pmd_offset_lockless((pud_t *)up->entryp, pud, addr);
		s->index = pmd_index(addr);
		break;
	}
	s->value = pgwalk_read(s);
}

/* Where the entry at @level that maps @addr stops mapping, up to @end. */
static unsigned long pgwalk_addr_end(enum pgwalk_level level,
				     unsigned long addr, unsigned long end)
{
	unsigned long span, boundary;

	switch (level) {
	case PGWALK_PGD:
		/* pgd_addr_end(), with the span the root's entries map now. */
		span = BIT(pgwalk_arch_pgd_shift());
		boundary = (addr + span) & ~(span - 1);
		return boundary - 1 < end - 1 ? boundary : end;
	case PGWALK_P4D:
		return p4d_addr_end(addr, end);
	case PGWALK_PUD:
		return pud_addr_end(addr, end);
	default:
		return pmd_addr_end(addr, end);
	}
}

/* What an entry is, to the descent. */
enum pgwalk_kind {
	PGWALK_HOLE,
	PGWALK_TABLE,
	PGWALK_LEAF,
};

/* A leaf of 1 << @shift bytes, the first frame of which is @pfn. */
static __always_inline enum pgwalk_kind pgwalk_leaf_at(struct pgwalk_slot *s,
						       unsigned long pfn, unsigned int shift)
{
	/* A walk can start or end in the middle of a huge leaf. */
	s->pfn = pfn + PHYS_PFN(s->addr & ((1UL << shift) - 1));
	s->shift = shift;
	return PGWALK_LEAF;
}

static __always_inline enum pgwalk_kind pgwalk_table(bool none, bool present)
{
	return none || !present ? PGWALK_HOLE : PGWALK_TABLE;
}

/* For a leaf, also sets s->pfn and s->shift. */
static __always_inline enum pgwalk_kind pgwalk_kind(struct pgwalk_slot *s)
{
	u64 v = s->value;

	switch (s->level) {
	case PGWALK_PGD:
		return pgwalk_table(pgd_none(__pgd(v)), pgd_present(__pgd(v)));
	case PGWALK_P4D:
		return pgwalk_table(p4d_none(__p4d(v)), p4d_present(__p4d(v)));
	case PGWALK_PUD:
		if (pud_leaf(__pud(v)))
			return pgwalk_leaf_at(s, pud_pfn(__pud(v)), PUD_SHIFT);
		return pgwalk_table(pud_none(__pud(v)), pud_present(__pud(v)));
	case PGWALK_PMD:
		if (pmd_leaf(__pmd(v)))
			return pgwalk_leaf_at(s, pmd_pfn(__pmd(v)), PMD_SHIFT);
		return pgwalk_table(pmd_none(__pmd(v)), pmd_present(__pmd(v)));
	default:
		if (pte_present(__pte(v)))
			return pgwalk_leaf_at(s, pte_pfn(__pte(v)), PAGE_SHIFT);
		return PGWALK_HOLE;
	}
}

/* A pmd that holds a swap or migration entry of a huge page. */
static __always_inline bool pgwalk_pmd_is_leaf_entry(u64 value)
{
	return !pmd_none(__pmd(value)) && !pmd_present(__pmd(value));
}

/*
 * A huge leaf, or a swap entry in its place: what a THP split, zap or
 * migration changes under the mmap_lock held for reading, and what only
 * its page table lock keeps in place.
 */
static __always_inline bool pgwalk_is_huge(struct pgwalk_slot *s)
{
	if (s->level == PGWALK_PMD && pgwalk_pmd_is_leaf_entry(s->value))
		return true;
	return s->level < PGWALK_PTE && pgwalk_kind(s) == PGWALK_LEAF;
}

static bool pgwalk_call(bool (*fn)(struct pgwalk_state *st,
				   const struct pgwalk_slot *s),
			struct pgwalk_state *st, const struct pgwalk_slot *s)
{
	return fn && fn(st, s);
}

/* Hands the entry to the callback for what it is. */
static __always_inline enum pgwalk_step pgwalk_report(struct pgwalk_state *st,
						      struct pgwalk_slot *s)
{
	const struct pgwalk_ops *ops = st->ops;

	switch (pgwalk_kind(s)) {
	case PGWALK_LEAF:
		return pgwalk_call(ops->leaf, st, s) ? PGWALK_STOP :
						       PGWALK_NEXT;
	case PGWALK_TABLE:
		return pgwalk_call(ops->entry, st, s) ? PGWALK_STOP :
							PGWALK_ENTER;
	default:
		return pgwalk_call(ops->hole, st, s) ? PGWALK_STOP :
						       PGWALK_NEXT;
	}
}

/*
 * Reports one entry.  With an mm, a huge one is only believed under its
 * page table lock, read again there; the one place the walk takes a pud
 * or pmd lock.  A pmd that points to a page table keeps pointing to it for
 * as long as we hold the mmap_lock: collapsing it takes the lock for
 * writing.  A huge pud is only ever zapped, never split to a table.
 */
static enum pgwalk_step pgwalk_visit(struct pgwalk_state *st,
				     struct pgwalk_slot *s)
{
	enum pgwalk_step step;
	spinlock_t *ptl;	/* of the entry we look at */

	if (!st->mm || !pgwalk_is_huge(s))
		return pgwalk_report(st, s);
	if (s->level == PGWALK_PUD)
		ptl = pud_lock(st->mm, s->entryp);
	else
		ptl = pmd_lock(st->mm, s->entryp);
	s->value = pgwalk_read(s);
	if (pgwalk_is_huge(s)) {
		step = pgwalk_report(st, s);
		spin_unlock(ptl);
		return step;
	}
	/* Split or zapped while we looked: a page table or nothing now. */
	spin_unlock(ptl);
	return pgwalk_report(st, s);
}

/*
 * Skipping what is empty.  Without a hole callback (ranges), the walk
 * looks at an empty pmd or pte only to pass it, and a sparse dump passes
 * millions: these loops are the walk's hottest.  They read entries as
 * the tables hold them, with a plain load, not through pte_val() and
 * pmd_val(), which are paravirt calls on x86 (whose translation of a Xen
 * frame number a none test needs not): on both architectures memlab
 * walks, an entry at every level is one 64-bit word (BUILD_BUG_ON() in
 * pgwalk_init()).  An entry is none when it has no bit outside a mask
 * (x86's is the KNL erratum bits, arm64's is empty), so eight entries are
 * all none exactly when their OR is: they are tested eight at a time.
 */
static u64 pgwalk_bits(const void *entryp)
{
	return READ_ONCE(*(const u64 *)entryp);
}

/* The OR of eight entries, written out: -O2 does not unroll the loop. */
static u64 pgwalk_block_bits(const u64 *p)
{
	return pgwalk_bits(p) | pgwalk_bits(p + 1) | pgwalk_bits(p + 2) |
	       pgwalk_bits(p + 3) | pgwalk_bits(p + 4) | pgwalk_bits(p + 5) |
	       pgwalk_bits(p + 6) | pgwalk_bits(p + 7);
}

/* The index of the first of @n entries at @table that is not none, or @n. */
static __always_inline unsigned int pgwalk_skip_none(const void *table,
						     unsigned int n)
{
	const u64 *p = table;
	unsigned int i = 0;

	while (n - i >= 8 && pgwalk_arch_entry_none(pgwalk_block_bits(p + i)))
		i += 8;
	while (i != n && pgwalk_arch_entry_none(pgwalk_bits(p + i)))
		i++;
	return i;
}

/*
 * Starts @s afresh, for the entry at @level that maps [@addr, @end).  Field
 * by field: GCC zeroes a struct of more than 32 bytes with "rep stos",
 * which TCG runs a word at a time, each one a trip through its loop of
 * translated blocks; and the walk does this for every entry.
 */
static __always_inline void pgwalk_slot_init(struct pgwalk_slot *s,
					     enum pgwalk_level level,
					     unsigned long addr,
					     unsigned long end)
{
	s->level = level;
	s->index = 0;
	s->folded = false;
	s->entryp = NULL;
	s->value = 0;
	s->addr = addr;
	s->end = end;
	s->pfn = 0;
	s->shift = 0;
}

/*
 * The ptes of [pmd->addr, pmd->end), from @start, the first of them;
 * @s is the caller's, to describe each in.
 */
static enum pgwalk_step pgwalk_ptes(struct pgwalk_state *st,
				    const struct pgwalk_slot *pmd, pte_t *start,
				    struct pgwalk_slot *s)
{
	pte_t *end = start + PHYS_PFN(pmd->end - pmd->addr);
	enum pgwalk_step step = PGWALK_NEXT;
	bool skip_none = !st->ops->hole;
	pte_t *ptep = start;
	unsigned long addr;
	pte_t pte;

	while (step != PGWALK_STOP) {
		if (skip_none)
			ptep += pgwalk_skip_none(ptep, end - ptep);
		if (ptep == end)
			break;
		pte = ptep_get(ptep);
		addr = pmd->addr + (ptep - start) * PAGE_SIZE;
		pgwalk_slot_init(s, PGWALK_PTE, addr, addr + PAGE_SIZE);
		s->entryp = ptep;
		s->index = pte_index(addr);
		s->value = pte_val(pte);
		ptep++;
		if (skip_none && pte_none(pte))
			continue;
		step = pgwalk_report(st, s);
	}
	return step;
}

struct pgwalk_pte_table {
	struct pgwalk_state *st;
	const struct pgwalk_slot *pmd;
	struct pgwalk_slot *pte;
	enum pgwalk_step step;
};

static void pgwalk_pte_table_walk(pte_t *start, void *arg)
{
	struct pgwalk_pte_table *t = arg;

	t->step = pgwalk_ptes(t->st, t->pmd, start, t->pte);
}

/*
 * A user pte table, walked under its lock: the only place the walk maps
 * or locks a pte table.  From 6.5 the table can go away between our read
 * of the pmd and the lock (see memlab_pte_table_locked()): then the pmd is
 * read again, and reported as what it is now.
 */
static enum pgwalk_step pgwalk_ptes_locked(struct pgwalk_state *st,
					   const struct pgwalk_slot *pmd,
					   struct pgwalk_slot *pte)
{
	struct pgwalk_pte_table t = { .st = st, .pmd = pmd, .pte = pte };

	if (!memlab_pte_table_locked(st->mm, pmd->entryp, pmd->addr,
				     pgwalk_pte_table_walk, &t))
		return PGWALK_AGAIN;
	return t.step;
}

static enum pgwalk_step pgwalk_pte_range(struct pgwalk_state *st,
					 const struct pgwalk_slot *pmd,
					 struct pgwalk_slot *pte)
{
	pmd_t pmdval = __pmd(pmd->value);

	if (st->mm)
		return pgwalk_ptes_locked(st, pmd, pte);
	/* The kernel's tables are read locklessly, like lookup_address(). */
	return pgwalk_ptes(st, pmd, pte_offset_kernel(&pmdval, pmd->addr), pte);
}

/*
 * Past the empty pmd at @s and those after it in its table, up to @end:
 * where the next one that is not none maps, or @end.  The entries for
 * [s->addr, end) are consecutive in the table: the caller's range lies
 * within one pud entry.
 */
static unsigned long pgwalk_skip_none_pmds(const struct pgwalk_slot *s,
					   unsigned long end)
{
	unsigned long base = s->addr & PMD_MASK;
	unsigned int n = (end - base - 1) / PMD_SIZE + 1, i;

	i = pgwalk_skip_none(s->entryp, min_t(unsigned long, n,
					      PTRS_PER_PMD - pmd_index(base)));
	/* The first may have been filled since it was read: visit it then. */
	return i == n ? end : max(s->addr, base + i * PMD_SIZE);
}

/*
 * [addr, end) one level below @up (at the pgd for NULL).  The recursion
 * is as deep as there are levels above the pte.
 */
static enum pgwalk_step pgwalk_range(struct pgwalk_state *st,
				     const struct pgwalk_slot *up,
				     unsigned long addr, unsigned long end)
{
	enum pgwalk_level level = up ? up->level + 1 : PGWALK_PGD;
	struct pgwalk_slot s, pte;	/* pte: for the ptes of a pmd */
	enum pgwalk_step step;

	while (addr != end) {
		pgwalk_slot_init(&s, level, addr,
				 pgwalk_addr_end(level, addr, end));
		pgwalk_slot_at(&s, st, up);
		if (level == PGWALK_PMD && !st->ops->hole &&
		    pgwalk_arch_entry_none(s.value)) {
			addr = pgwalk_skip_none_pmds(&s, end);
			continue;
		}
		step = pgwalk_visit(st, &s);
		if (step == PGWALK_ENTER && level == PGWALK_PMD)
			step = pgwalk_pte_range(st, &s, &pte);
		else if (step == PGWALK_ENTER)
			step = pgwalk_range(st, &s, addr, s.end);
		if (step == PGWALK_STOP)
			return step;
		/* On PGWALK_AGAIN the same entry is read and visited again. */
		if (step != PGWALK_AGAIN)
			addr = s.end;
	}
	return PGWALK_NEXT;
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

/*
 * Walks [start, end), which @vma covers unless it is NULL.  Returns true
 * if a callback stopped the walk.
 */
static bool pgwalk_descend(struct pgwalk_state *st, struct vm_area_struct *vma,
			   unsigned long start, unsigned long end)
{
	struct address_space *mapping = pgwalk_lock_shared_tables(vma);
	enum pgwalk_step step;

	st->vma = vma;
	step = pgwalk_range(st, NULL, start, end);
	pgwalk_unlock_shared_tables(mapping);
	return step == PGWALK_STOP;
}

/* The single-address walk: its callbacks record every level they see. */
static bool pgwalk_walk_record(struct pgwalk_state *st,
			       const struct pgwalk_slot *s)
{
	struct pgwalk_walk *w = container_of(st, struct pgwalk_walk, st);
	struct pgwalk_entry *e = &w->entry[s->level];

	/* Page tables live in the direct map, or the kernel image for a few. */
	e->pa = __pa(s->entryp);
	e->index = s->index;
	e->value = s->value;
	e->folded = s->folded;
	w->nr_entries = s->level + 1;
	return false;
}

/*
 * An anonymous VMA maps only anon pages, or the huge zero page, whose pfn
 * is not exported.
 */
static void pgwalk_huge_zero(struct pgwalk_walk *w, struct vm_area_struct *vma)
{
	if (vma && vma_is_anonymous(vma) && w->has_page &&
	    !test_bit(PGWALK_PAGE_ANON, &w->page_flags))
		__set_bit(PGWALK_PAGE_ZERO, &w->page_flags);
}

/*
 * The frame the walk reached.  The size reported is that of the block the
 * TLB sees, which on arm64 may be a run of contiguous leaves.
 */
static bool pgwalk_walk_leaf(struct pgwalk_state *st,
			     const struct pgwalk_slot *s)
{
	struct pgwalk_walk *w = container_of(st, struct pgwalk_walk, st);
	unsigned int span = pgwalk_arch_leaf_span(s->shift, s->value);
	bool special = s->level == PGWALK_PTE && pte_special(__pte(s->value));

	pgwalk_walk_record(st, s);
	w->mapped = true;
	w->leaf_shift = span;
	w->offset = w->addr & ((1UL << span) - 1);
	w->phys = PFN_PHYS(s->pfn) + offset_in_page(w->addr);
	pgwalk_page_state(w, pgwalk_mapping_pins(st->vma, special));
	if (s->level == PGWALK_PMD)
		pgwalk_huge_zero(w, st->vma);
	return false;
}

static const struct pgwalk_ops pgwalk_walk_ops = {
	.entry	= pgwalk_walk_record,
	.leaf	= pgwalk_walk_leaf,
	.hole	= pgwalk_walk_record,
};

/* The walk of w->addr: the one-page range around it. */
static void pgwalk_walk_page(struct pgwalk_walk *w, pgd_t *root,
			     struct mm_struct *mm, struct vm_area_struct *vma)
{
	unsigned long start = w->addr & PAGE_MASK;

	w->st = (struct pgwalk_state){
		.ops = &pgwalk_walk_ops, .root = root, .mm = mm,
	};
	pgwalk_descend(&w->st, vma, start, start + PAGE_SIZE);
}

static int pgwalk_walk_kernel(struct pgwalk_walk *w, unsigned long addr)
{
	if (!pgwalk_arch_kernel_addr(addr))
		return -EINVAL;
	w->addr = addr;
	pgwalk_walk_page(w, pgwalk_arch_kernel_root(), NULL, NULL);
	return 0;
}

/* The walk of @addr in @mm, which the caller holds with mmget(). */
static int pgwalk_walk_mm(struct pgwalk_walk *w, struct mm_struct *mm,
			  unsigned long addr)
{
	struct vm_area_struct *vma;
	int ret;

	w->addr = addr;
	ret = mmap_read_lock_killable(mm);
	if (ret)
		return ret;
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
			return ret;
		pgwalk_walk_page(w, mm->pgd, mm, NULL);
		mmap_write_unlock(mm);
		return 0;
	}
	pgwalk_walk_page(w, mm->pgd, mm, vma);
	mmap_read_unlock(mm);
	return 0;
}

static int pgwalk_walk_user(struct pgwalk_walk *w, struct pid *pid,
			    unsigned long addr)
{
	struct mm_struct *mm;
	int ret;

	if (!pgwalk_arch_user_addr(addr))
		return -EINVAL;
	mm = pgwalk_get_mm(pid);
	if (IS_ERR(mm))
		return PTR_ERR(mm);
	ret = pgwalk_walk_mm(w, mm, addr);
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

static void pgwalk_print_leaf_entry(struct seq_file *m,
				    const struct memlab_leaf *l)
{
	switch (l->kind) {
	case MEMLAB_LEAF_SWAP:
		seq_printf(m, "swap|type=%u|offset=0x%lx", l->type, l->offset);
		break;
	case MEMLAB_LEAF_MIGRATION_READ:
	case MEMLAB_LEAF_MIGRATION_WRITE:
		seq_printf(m, "migration|%s|pfn=0x%lx",
			   l->kind == MEMLAB_LEAF_MIGRATION_WRITE ? "write" :
								    "read",
			   l->offset);
		break;
	case MEMLAB_LEAF_DEVICE_PRIVATE:
		seq_printf(m, "device-private|pfn=0x%lx", l->offset);
		break;
	case MEMLAB_LEAF_DEVICE_EXCLUSIVE:
		seq_printf(m, "device-exclusive|pfn=0x%lx", l->offset);
		break;
	case MEMLAB_LEAF_HWPOISON:
		seq_printf(m, "hwpoison|pfn=0x%lx", l->offset);
		break;
	case MEMLAB_LEAF_MARKER:
		seq_puts(m, "pte-marker");
		break;
	default:
		seq_printf(m, "non-swap|type=%u", l->type);
		break;
	}
}

static void pgwalk_print_entry_flags(struct seq_file *m,
				     const struct pgwalk_walk *w,
				     unsigned int level)
{
	const struct pgwalk_entry *e = &w->entry[level];
	bool last = level == w->nr_entries - 1;
	struct memlab_leaf leaf;

	if (e->folded) {
		seq_puts(m, "folded");
	} else if (pgwalk_arch_entry_none(e->value)) {
		seq_puts(m, "none");
	} else if (level == PGWALK_PTE && !pte_present(__pte(e->value))) {
		memlab_leaf_from_pte(__pte(e->value), &leaf);
		pgwalk_print_leaf_entry(m, &leaf);
	} else if (level == PGWALK_PMD && pgwalk_pmd_is_leaf_entry(e->value)) {
		memlab_leaf_from_pmd(__pmd(e->value), &leaf);
		pgwalk_print_leaf_entry(m, &leaf);
	} else {
		pgwalk_arch_print_flags(m, level == PGWALK_PTE,
					last && w->mapped, e->value);
	}
}

/* "size=4K", "size=2M" or "size=1G". */
static void pgwalk_row_size(struct memlab_row *row, unsigned int shift)
{
	memlab_row_str(row, "size=");
	if (shift >= 30) {
		memlab_row_dec(row, 1UL << (shift - 30));
		memlab_row_char(row, 'G');
	} else if (shift >= 20) {
		memlab_row_dec(row, 1UL << (shift - 20));
		memlab_row_char(row, 'M');
	} else {
		memlab_row_dec(row, 1UL << (shift - 10));
		memlab_row_char(row, 'K');
	}
}

/* "|name=N", N an int that may, against all odds, be negative. */
static void pgwalk_row_count(struct memlab_row *row, const char *name, int n)
{
	memlab_row_char(row, '|');
	memlab_row_str(row, name);
	memlab_row_char(row, '=');
	if (n < 0)
		memlab_row_char(row, '-');
	memlab_row_dec(row, n < 0 ? -(s64)n : n);
}

/* The "page" row, in @row, which is empty. */
static void pgwalk_print_page(struct seq_file *m, const struct pgwalk_walk *w,
			      struct memlab_row *row)
{
	unsigned int bit;

	memlab_row_str(row, "page ");
	memlab_row_hex(row, w->offset);
	memlab_row_char(row, ' ');
	memlab_row_hex(row, w->phys);
	memlab_row_char(row, ' ');
	memlab_row_hex(row, PHYS_PFN(w->phys));
	memlab_row_char(row, ' ');
	pgwalk_row_size(row, w->leaf_shift);
	if (!w->has_page) {
		/* MMIO and other memory the kernel keeps no struct page for. */
		memlab_row_str(row, "|nopage");
		if (test_bit(PGWALK_PAGE_ZERO, &w->page_flags))
			memlab_row_str(row, "|zero");
	}
	for_each_set_bit(bit, &w->page_flags, PGWALK_PAGE_NR_FLAGS) {
		if (w->has_page) {
			memlab_row_char(row, '|');
			memlab_row_str(row, pgwalk_page_flag_names[bit]);
		}
	}
	if (w->has_page && w->state_known) {
		pgwalk_row_count(row, "refcount", w->refcount);
		if (w->mapcount >= 0)
			pgwalk_row_count(row, "mapcount", w->mapcount);
	}
	memlab_row_put(m, row);
}

/*
 * A row per level, then the page's.  Rows, not seq_printf(), which parses
 * its format again at every call: the walk is timed against a pagemap
 * read, and building the rows in place took a sixth off the read.
 */
static void pgwalk_print_walk(struct seq_file *m, const struct pgwalk_walk *w)
{
	/*
	 * One row for all, of which only the bytes written are read: the
	 * kernel zeroes whatever is on the stack (INIT_STACK_ALL_ZERO) with
	 * "rep stos", which TCG runs a word at a time.
	 */
	struct memlab_row row __uninitialized;
	struct seq_file text = {};
	unsigned int i;

	row.len = 0;
	for (i = 0; i < w->nr_entries; i++) {
		const struct pgwalk_entry *e = &w->entry[i];

		memlab_row_str(&row, pgwalk_level_names[i]);
		memlab_row_char(&row, ' ');
		memlab_row_dec(&row, e->index);
		memlab_row_char(&row, ' ');
		memlab_row_hex(&row, e->pa);
		memlab_row_char(&row, ' ');
		memlab_row_hex(&row, e->value);
		memlab_row_char(&row, ' ');
		memlab_row_seq(&row, &text);
		pgwalk_print_entry_flags(&text, w, i);
		memlab_row_grew(&row, &text);
		memlab_row_put(m, &row);
	}
	if (w->mapped)
		pgwalk_print_page(m, w, &row);
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
	if (o->at_mm)
		mmdrop(o->at_mm);
	kfree(o);
}

/*
 * What a walk starts from; the walk fills in each entry it reads.  Field
 * by field, and not "= {}": GCC zeroes a struct this size with "rep stos",
 * which TCG, where the lab runs, executes a word at a time.
 */
static void pgwalk_walk_init(struct pgwalk_walk *w)
{
	w->nr_entries = 0;
	w->mapped = false;
	w->leaf_shift = 0;
	w->offset = 0;
	w->phys = 0;
	w->has_page = false;
	w->state_known = false;
	w->page_flags = 0;
	w->refcount = 0;
	w->mapcount = 0;
}

/* The walk happens here, at read time, from offset 0. */
static int pgwalk_walk_show(struct seq_file *m, void *v)
{
	struct pgwalk_open *o = memlab_private(m);
	struct pgwalk_walk w __uninitialized;	/* see pgwalk_walk_init() */
	struct pgwalk_target t;
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
	pgwalk_walk_init(&w);
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

/*
 * pgwalk/at: the walk of any page in one pread() at its address, as
 * /proc/PID/pagemap answers with its entry.  A walk takes a write and a
 * read of walk, and walking many addresses (a tool, a script following
 * pointers) pays for both each time.  The file starts out bound to the
 * process that opened it; a write of "PID" or "kernel" binds it to
 * another's tables.
 */
static int pgwalk_at_open(struct seq_file *m)
{
	struct pgwalk_open *o;
	int ret;

	ret = pgwalk_open_state(m);
	if (ret)
		return ret;
	o = memlab_private(m);
	/* A kernel thread has no tables of its own: it starts at the kernel's. */
	o->at_mm = current->mm;
	if (o->at_mm)
		mmgrab(o->at_mm);
	return 0;
}

/*
 * Kernel addresses have bit 63 set, on x86-64 and arm64 alike, and file
 * offsets stop below it: the kernel's tables are read at an address
 * without its top bit, pread(fd, buf, len, addr & LLONG_MAX).
 */
#define PGWALK_AT_KERNEL_BIT	BIT(63)

static int pgwalk_at_show(struct seq_file *m, unsigned long addr)
{
	struct pgwalk_open *o = memlab_private(m);
	struct pgwalk_walk w __uninitialized;	/* see pgwalk_walk_init() */
	int ret;

	pgwalk_walk_init(&w);
	if (!o->at_mm) {
		ret = pgwalk_walk_kernel(&w, addr | PGWALK_AT_KERNEL_BIT);
	} else if (!pgwalk_arch_user_addr(addr)) {
		ret = -EINVAL;
	} else if (!mmget_not_zero(o->at_mm)) {
		/* The process has exited: its tables are gone. */
		ret = -ESRCH;
	} else {
		ret = pgwalk_walk_mm(&w, o->at_mm, addr);
		mmput(o->at_mm);
	}
	if (ret)
		return ret;
	seq_puts(m, "# level index entry_pa entry_value flags\n");
	pgwalk_print_walk(m, &w);
	return 0;
}

/* "PID" or "kernel": whose tables this open file walks from now on. */
static int pgwalk_at_command(struct seq_file *m, const struct memlab_args *args)
{
	struct pgwalk_open *o = memlab_private(m);
	struct mm_struct *mm = NULL;
	struct pid *pid;
	int ret;

	if (strcmp(args->argv[0], "kernel")) {
		ret = pgwalk_parse_pid(args->argv[0], &pid);
		if (ret)
			return ret;
		mm = pgwalk_get_mm(pid);
		put_pid(pid);
		if (IS_ERR(mm))
			return PTR_ERR(mm);
		mmgrab(mm);
		mmput(mm);
	}
	if (o->at_mm)
		mmdrop(o->at_mm);
	o->at_mm = mm;
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
 * pgwalk/ranges.  A batch of runs is collected under the mmap_lock and
 * printed after it is dropped; the next batch starts where the last one
 * stopped, so the output is a snapshot per batch, as /proc/PID/maps is.
 */

static bool pgwalk_run_empty(const struct pgwalk_run *run)
{
	return run->end == run->start;
}

/*
 * Adds a leaf to the runs: the one place they are merged.  Returns true
 * when the batch is full: the walk stops, and resumes at the leaf.
 */
static bool pgwalk_ranges_add(struct pgwalk_ranges *r,
			      const struct pgwalk_run *leaf)
{
	struct pgwalk_run *open = &r->open;

	if (!pgwalk_run_empty(open) && open->end == leaf->start &&
	    open->level == leaf->level && open->attrs == leaf->attrs &&
	    open->pfn + PHYS_PFN(leaf->start - open->start) == leaf->pfn) {
		open->end = leaf->end;
		return false;
	}
	if (!pgwalk_run_empty(open)) {
		if (r->nr == PGWALK_RANGES_BATCH) {
			r->next = leaf->start;
			return true;
		}
		r->runs[r->nr++] = *open;
	}
	*open = *leaf;
	return false;
}

/*
 * Each pmd that is a page table or a huge leaf is the unit of work; when
 * the budget is spent, the walk stops and resumes at @addr.
 */
static bool pgwalk_ranges_spent(struct pgwalk_ranges *r, unsigned long addr)
{
	if (!r->budget) {
		r->next = addr;
		return true;
	}
	r->budget--;
	return false;
}

static bool pgwalk_ranges_entry(struct pgwalk_state *st,
				const struct pgwalk_slot *s)
{
	struct pgwalk_ranges *r = container_of(st, struct pgwalk_ranges, st);

	return s->level == PGWALK_PMD && pgwalk_ranges_spent(r, s->addr);
}

static bool pgwalk_ranges_leaf(struct pgwalk_state *st,
			       const struct pgwalk_slot *s)
{
	struct pgwalk_ranges *r = container_of(st, struct pgwalk_ranges, st);
	bool pte_level = s->level == PGWALK_PTE;
	struct pgwalk_run leaf = {
		.start = s->addr, .end = s->end, .pfn = s->pfn,
		.attrs = pgwalk_arch_leaf_attrs(pte_level, s->value),
		.level = s->level,
	};

	if (s->level == PGWALK_PMD && pgwalk_ranges_spent(r, s->addr))
		return true;
	return pgwalk_ranges_add(r, &leaf);
}

/* No hole callback: ranges shows only what is mapped. */
static const struct pgwalk_ops pgwalk_ranges_ops = {
	.entry	= pgwalk_ranges_entry,
	.leaf	= pgwalk_ranges_leaf,
};

/*
 * Walks from r->next, VMA by VMA: the page tables of a range no VMA covers
 * may be on their way out (see pgwalk_walk_user()).  Called with the
 * mmap_lock held for reading.
 */
static void pgwalk_ranges_walk(struct pgwalk_ranges *r)
{
	unsigned long addr = r->next, start, end;
	struct vm_area_struct *vma;

	r->st = (struct pgwalk_state){
		.ops = &pgwalk_ranges_ops, .root = r->mm->pgd, .mm = r->mm,
	};
	while (addr < r->end) {
		vma = find_vma(r->mm, addr);
		if (!vma || vma->vm_start >= r->end)
			break;
		start = max(addr, vma->vm_start);
		end = min(r->end, vma->vm_end);
		if (pgwalk_descend(&r->st, vma, start, end))
			return;
		addr = end;
	}
	r->next = r->end;
}

/* Collects the next batch of runs; none when the dump is complete. */
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

/*
 * The run numbered @first, in the current batch: walks on to the batch
 * that holds it, or from the start again for a run before the current
 * batch (a seek back).  NULL past the last run.
 */
static struct pgwalk_run *pgwalk_ranges_run(struct pgwalk_ranges *r,
					    unsigned long first)
{
	int ret;

	if (first < r->base)
		pgwalk_ranges_rewind(r);
	while (first - r->base >= r->nr) {
		ret = pgwalk_ranges_fill(r);
		if (ret)
			return ERR_PTR(ret);
		if (!r->nr)
			return NULL;
	}
	return &r->runs[first - r->base];
}

/* Each read from the top dumps the target afresh. */
static int pgwalk_ranges_rewind_open(struct seq_file *m)
{
	return pgwalk_ranges_begin(memlab_private(m));
}

/*
 * A record is a slice of the batch: the runs from run number *@key on,
 * as many as a slice holds and the batch has, and as will fit in what is
 * left of seq_file's buffer.  Its key is the number of its last run, so
 * that the next record, the first whose key is at least one more, starts
 * right after it, wherever a read stopped.
 */
static int pgwalk_ranges_fill_slice(struct seq_file *m, void *cursor,
				    unsigned long *key)
{
	struct pgwalk_open *o = memlab_private(m);
	struct pgwalk_slice *slice = cursor;
	struct pgwalk_run *run;
	unsigned int nr;
	char *buf;

	if (!o->ranges)
		return 0;
	run = pgwalk_ranges_run(o->ranges, *key);
	if (IS_ERR_OR_NULL(run))
		return PTR_ERR_OR_ZERO(run);
	nr = o->ranges->runs + o->ranges->nr - run;
	nr = clamp_t(size_t, seq_get_buf(m, &buf) / PGWALK_RANGES_ROW_GUESS,
		     1, min_t(unsigned int, nr, PGWALK_RANGES_SLICE));
	slice->first = *key;
	slice->nr = nr;
	*key += nr - 1;
	return 1;
}

/*
 * The level and flags fields of @run's row, and the spaces after each,
 * decoded through a seq_file over @buf (the arch files print flags only
 * to a seq_file), or -1 if they do not fit in @size bytes.
 */
static int pgwalk_ranges_decode(const struct pgwalk_run *run, char *buf,
				size_t size)
{
	struct seq_file text = { .buf = buf, .size = size };

	seq_puts(&text, pgwalk_level_names[run->level]);
	seq_putc(&text, ' ');
	pgwalk_arch_print_flags(&text, run->level == PGWALK_PTE, true,
				run->attrs);
	seq_putc(&text, ' ');
	return seq_has_overflowed(&text) ? -1 : text.count;
}

/*
 * Decodes them into the cache, when they are not the last run's.  Out of
 * line, with the seq_file: the kernel zeroes every struct on the stack
 * (INIT_STACK_ALL_ZERO), and in the function that prints each row that
 * was most of a row's cost.
 */
static noinline void pgwalk_ranges_cache_flags(struct pgwalk_flags_cache *c,
					       const struct pgwalk_run *run)
{
	int len = pgwalk_ranges_decode(run, c->text, sizeof(c->text));

	c->len = max(len, 0);
	c->attrs = run->attrs;
	c->level = run->level;
}

/*
 * A row whose flags do not fit in the cache (none does): decoded straight
 * into the buffer, or NULL if they do not fit there either.
 */
static noinline char *pgwalk_ranges_row_flags(const struct pgwalk_run *run,
					      char *p, char *end)
{
	int len = pgwalk_ranges_decode(run, p,
				       end - p - PGWALK_RANGES_ROW_FIXED);

	return len < 0 ? NULL : p + len;
}

/*
 * @run's row, written at @p, before @end: where the row ends, or NULL if
 * it does not fit.  The rows go straight into seq_file's buffer, with the
 * room checked once per row, rather than into one of their own and then
 * copied: a dump prints tens of thousands.
 */
static __always_inline char *pgwalk_ranges_row(struct pgwalk_ranges *r,
					       const struct pgwalk_run *run,
					       char *p, char *end)
{
	struct pgwalk_flags_cache *c = &r->flags;
	unsigned int i;

	if (!c->len || c->attrs != run->attrs || c->level != run->level)
		pgwalk_ranges_cache_flags(c, run);
	if ((size_t)(end - p) < PGWALK_RANGES_ROW_FIXED + c->len)
		return NULL;
	p = memlab_buf_hex(p, run->start);
	*p++ = ' ';
	p = memlab_buf_hex(p, run->end);
	*p++ = ' ';
	p = memlab_buf_dec(p, run->end - run->start);
	*p++ = ' ';
	if (c->len) {
		/* By words, as the numbers are: the rest is written over. */
		for (i = 0; i < c->len; i += 8)
			memcpy(p + i, c->text + i, 8);
		p += c->len;
	} else {
		p = pgwalk_ranges_row_flags(run, p, end);
		if (!p)
			return NULL;
	}
	p = memlab_buf_hex(p, run->pfn);
	*p++ = '\n';
	return p;
}

/*
 * Every run of the slice, a row each.  A slice that does not fit in the
 * buffer after all is marked as an overflow, which seq_file answers as it
 * does for any record: from the next read, or in a bigger buffer when
 * the record was alone in it.
 */
static void pgwalk_ranges_show(struct seq_file *m, const void *cursor)
{
	struct pgwalk_ranges *r = ((struct pgwalk_open *)memlab_private(m))->ranges;
	const struct pgwalk_slice *slice = cursor;
	const struct pgwalk_run *run = &r->runs[slice->first - r->base];
	char *buf;
	size_t room = seq_get_buf(m, &buf);
	char *p, *end = buf + room;
	unsigned int i;

	for (i = 0, p = buf; i < slice->nr && p; i++)
		p = pgwalk_ranges_row(r, run + i, p, end);
	seq_commit(m, p ? p - buf : -1);
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

static const struct memlab_verb pgwalk_at_verbs[] = {
	{
		.usage = "PID|kernel",
		.min_args = 1, .max_args = 1,
		.run = pgwalk_at_command,
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
		.show_size	= PGWALK_WALK_SHOW_SIZE,
		.open		= pgwalk_open_state,
		.release	= pgwalk_release_state,
		.verbs		= pgwalk_walk_verbs,
	},
	{
		.name		= "at",
		.flags		= MEMLAB_F_PRIVILEGED,
		.show_at	= pgwalk_at_show,
		.show_size	= PGWALK_WALK_SHOW_SIZE,
		.open		= pgwalk_at_open,
		.release	= pgwalk_release_state,
		.verbs		= pgwalk_at_verbs,
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
			.read_size	= PGWALK_RANGES_READ_SIZE,
			.cursor_size	= sizeof(struct pgwalk_slice),
			.fill		= pgwalk_ranges_fill_slice,
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

	/* pgwalk_bits() reads an entry of any level as one 64-bit word. */
	BUILD_BUG_ON(sizeof(pte_t) != sizeof(u64) ||
		     sizeof(pmd_t) != sizeof(u64));

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
