/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The contract between memlab_pgwalk's generic descent and an
 * architecture: the twelve functions below, which pgwalk_<arch>.h defines.
 * Everything else the walker needs is the generic page-table API of
 * <linux/pgtable.h> (pgd_offset_pgd(), pmd_leaf(), pte_pfn(), ...).
 * Another architecture adds its pgwalk_<arch>.h to the list at the end.
 *
 * The prototypes make the compiler hold each arch file to this contract;
 * the arch files say only how they meet it.
 */
#ifndef PGWALK_ARCH_H
#define PGWALK_ARCH_H

#include <linux/pgtable.h>
#include <linux/seq_file.h>
#include <linux/types.h>

/**
 * pgwalk_arch_user_addr() - may @addr be a user address?
 * @addr: the address written with a PID
 *
 * Return: true if @addr lies in the part of the address space that an
 * mm's own tables translate; "PID ADDR" and ranges refuse the rest.
 */
static inline bool pgwalk_arch_user_addr(unsigned long addr);

/**
 * pgwalk_arch_kernel_addr() - is @addr in the kernel's half?
 * @addr: the address written with "kernel"
 *
 * Return: true if the tables behind pgwalk_arch_kernel_root() translate
 * @addr.
 */
static inline bool pgwalk_arch_kernel_addr(unsigned long addr);

/**
 * pgwalk_arch_user_end() - the end of the user half
 *
 * Return: the first address past the user half: where ranges stops when
 * no END is given.
 */
static inline unsigned long pgwalk_arch_user_end(void);

/**
 * pgwalk_arch_kernel_root() - the pgd the kernel's half is walked from
 *
 * init_mm (and so init_mm.pgd) is not exported to modules: the arch finds
 * the kernel's top-level table from what the CPU uses right now.
 *
 * Return: a pgd whose kernel half is the kernel's, in the direct map.
 */
static inline pgd_t *pgwalk_arch_kernel_root(void);

/**
 * pgwalk_arch_pgd_shift() - log2 of the span one root-table entry maps
 *
 * Return: PGDIR_SHIFT, or where the top level is folded at run time into
 * the one below (arm64's LPA2 kernels without LPA2), that level's shift.
 */
static inline unsigned int pgwalk_arch_pgd_shift(void);

/**
 * pgwalk_arch_pgd_index() - the index of @addr in the root table
 * @addr: the address walked
 *
 * Return: pgd_index(@addr), or where the top level is folded at run time
 * into the one below (arm64's LPA2 kernels without LPA2), that level's
 * index: the root table is then that level's table.
 */
static inline unsigned int pgwalk_arch_pgd_index(unsigned long addr);

/**
 * pgwalk_arch_p4d_folded() - is the p4d level folded into the pgd?
 *
 * May be a run-time answer (x86_64 with and without 5-level paging).
 * A folded level is walked through the pgd entry itself.
 *
 * Return: true if the p4d has no table of its own.
 */
static inline bool pgwalk_arch_p4d_folded(void);

/**
 * pgwalk_arch_p4d_index() - the index of @addr in its p4d table
 * @addr: the address walked
 *
 * Only called when pgwalk_arch_p4d_folded() is false.
 *
 * Return: p4d_index(@addr) where the architecture has one.
 */
static inline unsigned int pgwalk_arch_p4d_index(unsigned long addr);

/**
 * pgwalk_arch_leaf_span() - the size the TLB sees of a leaf
 * @shift: log2 of the size its level maps, e.g. PAGE_SHIFT or PMD_SHIFT
 * @val: the leaf entry
 *
 * Return: log2 of the naturally aligned block the leaf belongs to, which
 * is @shift unless the architecture has a contiguous hint that is set.
 */
static inline unsigned int pgwalk_arch_leaf_span(unsigned int shift, u64 val);

/**
 * pgwalk_arch_entry_none() - is the entry empty?
 * @val: an entry at any level
 *
 * Return: true if @val maps and points to nothing; the walk prints "none".
 */
static inline bool pgwalk_arch_entry_none(u64 val);

/**
 * pgwalk_arch_leaf_attrs() - the bits that make two leaves "the same"
 * @pte_level: @val is a pte, not a huge leaf
 * @val: a present leaf entry
 *
 * pgwalk/ranges merges neighbouring leaves whose attributes are equal:
 * the permission, memory-type and similar bits, without the frame number
 * and the bits the CPU or the kernel flip page by page (accessed, dirty,
 * software bits).
 *
 * Return: @val with every other bit cleared.
 */
static inline u64 pgwalk_arch_leaf_attrs(bool pte_level, u64 val);

/**
 * pgwalk_arch_print_flags() - print an entry's bits
 * @m: the view
 * @pte_level: @val is a pte
 * @leaf: @val maps a frame, so its leaf-only and software bits mean
 *	something
 * @val: a present entry, or a PROT_NONE one
 *
 * Prints the decoded bits as one field: names joined by '|', with no
 * spaces, or '-' when there is nothing to say.
 */
static inline void pgwalk_arch_print_flags(struct seq_file *m, bool pte_level,
					   bool leaf, u64 val);

/* For the arch files: adds @name to what pgwalk_arch_print_flags() prints. */
static inline void pgwalk_flag(struct seq_file *m, bool *first,
			       const char *name)
{
	if (!*first)
		seq_putc(m, '|');
	seq_puts(m, name);
	*first = false;
}

#if defined(CONFIG_X86_64)
#include "pgwalk_x86.h"
#elif defined(CONFIG_ARM64)
#include "pgwalk_arm64.h"
#else
#error "memlab_pgwalk: no pgwalk_<arch>.h for this architecture yet"
#endif

#endif /* PGWALK_ARCH_H */
