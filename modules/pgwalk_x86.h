/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The x86_64 half of memlab_pgwalk: which addresses are canonical, where
 * the kernel's page tables start, which level is folded, and what the bits
 * of an entry mean.  pgwalk_arch.h includes it and documents each
 * function; the comments here say only how x86 meets that contract.
 */
#ifndef PGWALK_ARCH_H
#error "include pgwalk_arch.h, which declares what this file defines"
#endif
#ifndef PGWALK_X86_H
#define PGWALK_X86_H

#include <linux/pgtable.h>
#include <linux/seq_file.h>
#include <asm/cpufeature.h>
#include <asm/processor.h>

#include "memlab_compat.h"
#include "memlab_compat_pgtable.h"

/*
 * Canonical addresses sign-extend their top translated bit, bit 47 with
 * 4-level and bit 56 with 5-level paging: the lower half is user space,
 * the upper half the kernel.
 */
static inline bool pgwalk_arch_user_addr(unsigned long addr)
{
	return (addr >> (memlab_va_bits() - 1)) == 0;
}

static inline bool pgwalk_arch_kernel_addr(unsigned long addr)
{
	return ((long)addr >> (memlab_va_bits() - 1)) == -1L;
}

/* The end of the lower half. */
static inline unsigned long pgwalk_arch_user_end(void)
{
	return 1UL << (memlab_va_bits() - 1);
}

/*
 * init_mm is not exported, but every pgd shares the kernel half, and in
 * kernel mode CR3 holds a full pgd even with PTI (the user copy is only
 * loaded on the way out to user space).
 */
static inline pgd_t *pgwalk_arch_kernel_root(void)
{
	return __va(read_cr3_pa());
}

/* PGDIR_SHIFT is a run-time value: 39 or 48. */
static inline unsigned int pgwalk_arch_pgd_shift(void)
{
	return PGDIR_SHIFT;
}

static inline unsigned int pgwalk_arch_pgd_index(unsigned long addr)
{
	return pgd_index(addr);
}

/* x86_64 folds the p4d into the pgd unless the CPU runs 5-level paging. */
static inline bool pgwalk_arch_p4d_folded(void)
{
	return !pgtable_l5_enabled();
}

/* x86 has no contiguous hint: a leaf is as large as its level says. */
static inline unsigned int pgwalk_arch_leaf_span(unsigned int shift, u64 val)
{
	return shift;
}

static inline unsigned int pgwalk_arch_p4d_index(unsigned long addr)
{
	return p4d_index(addr);
}

/* An empty entry; Knights Landing may set A and D in one by erratum. */
static inline bool pgwalk_arch_entry_none(u64 val)
{
	return !(val & ~(u64)_PAGE_KNL_ERRATUM_MASK);
}

/*
 * Permissions, caching and the protection key; not the frame number,
 * Accessed, Dirty or the software bits.
 */
static inline u64 pgwalk_arch_leaf_attrs(bool pte_level, u64 val)
{
	u64 keep = _PAGE_PRESENT | _PAGE_RW | _PAGE_USER | _PAGE_PWT |
		   _PAGE_PCD | _PAGE_PSE | _PAGE_GLOBAL | _PAGE_NX |
		   _PAGE_PKEY_MASK;

	/* Bit 12 is PAT in a large leaf but part of the frame in a pte. */
	if (!pte_level)
		keep |= _PAGE_PAT_LARGE;
	return val & keep;
}

/*
 * Bit 7 is PAT in a pte and PSE (a large leaf) above it; the key and the
 * software bits mean something only in a leaf.
 */
static inline void pgwalk_arch_print_flags(struct seq_file *m, bool pte_level,
					   bool leaf, u64 val)
{
	bool protnone = (val & (_PAGE_PRESENT | _PAGE_PROTNONE)) ==
			_PAGE_PROTNONE;
	bool first = true;

	if (val & _PAGE_PRESENT)
		pgwalk_flag(m, &first, "P");
	if (val & _PAGE_RW)
		pgwalk_flag(m, &first, "RW");
	if (val & _PAGE_USER)
		pgwalk_flag(m, &first, "US");
	if (val & _PAGE_PWT)
		pgwalk_flag(m, &first, "PWT");
	if (val & _PAGE_PCD)
		pgwalk_flag(m, &first, "PCD");
	if (val & _PAGE_ACCESSED)
		pgwalk_flag(m, &first, "A");
	if (val & _PAGE_DIRTY)
		pgwalk_flag(m, &first, "D");
	if (val & _PAGE_PSE)
		pgwalk_flag(m, &first, pte_level ? "PAT" : "PSE");
	if (!pte_level && (val & _PAGE_PSE) && (val & _PAGE_PAT_LARGE))
		pgwalk_flag(m, &first, "PAT");
	/* Without P the kernel reuses the Global bit to mark PROT_NONE. */
	if (protnone)
		pgwalk_flag(m, &first, "protnone");
	else if (val & _PAGE_GLOBAL)
		pgwalk_flag(m, &first, "G");
	if (val & _PAGE_NX)
		pgwalk_flag(m, &first, "NX");
	if (!leaf)
		goto out;
	if (cpu_feature_enabled(X86_FEATURE_OSPKE)) {
		seq_puts(m, first ? "" : "|");
		seq_printf(m, "pkey=%llu",
			   (val & _PAGE_PKEY_MASK) >> _PAGE_BIT_PKEY_BIT0);
		first = false;
	}
	if (val & _PAGE_SPECIAL)
		pgwalk_flag(m, &first, "special");
	if (val & _PAGE_SOFT_DIRTY)
		pgwalk_flag(m, &first, "soft-dirty");
	if (val & _PAGE_UFFD_WP)
		pgwalk_flag(m, &first, "uffd-wp");
	if (val & MEMLAB_PTE_DEVMAP)
		pgwalk_flag(m, &first, "devmap");
out:
	if (first)
		seq_putc(m, '-');
}

#endif /* PGWALK_X86_H */
