/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The arm64 half of memlab_pgwalk: the same functions as pgwalk_x86.h for
 * the VMSAv8-64 translation tables.  User space is translated through
 * TTBR0 (the mm's pgd), the kernel through TTBR1; each covers VA_BITS of
 * address, at the bottom and at the top of the 64-bit space.
 * pgwalk_arch.h includes it and documents each function.
 */
#ifndef PGWALK_ARCH_H
#error "include pgwalk_arch.h, which declares what this file defines"
#endif
#ifndef PGWALK_ARM64_H
#define PGWALK_ARM64_H

#include <linux/bitfield.h>
#include <linux/pgtable.h>
#include <linux/seq_file.h>
#include <asm/mmu.h>
#include <asm/sysreg.h>

#include "memlab_compat.h"
#include "memlab_compat_pgtable.h"

/* TTBR0 translates [0, 2^VA_BITS). */
static inline bool pgwalk_arch_user_addr(unsigned long addr)
{
	return (addr >> memlab_va_bits()) == 0;
}

/* TTBR1 translates the top 2^VA_BITS bytes: bits 63..VA_BITS all ones. */
static inline bool pgwalk_arch_kernel_addr(unsigned long addr)
{
	return (~addr >> memlab_va_bits()) == 0;
}

/* The end of TTBR0's half. */
static inline unsigned long pgwalk_arch_user_end(void)
{
	return 1UL << memlab_va_bits();
}

/*
 * swapper_pg_dir and init_mm are not exported, but TTBR1_EL1 holds the
 * former whenever we run in the kernel: KPTI swaps in its trampoline
 * tables only on the way to and from user space.  The register also
 * carries the ASID and CnP; with 52-bit physical addresses, bits 5..2
 * hold PA bits 51..48.
 */
static inline pgd_t *pgwalk_arch_kernel_root(void)
{
	u64 ttbr = read_sysreg(ttbr1_el1) & ~(TTBR_ASID_MASK | TTBR_CNP_BIT);
	phys_addr_t pa = ttbr;

	if (IS_ENABLED(CONFIG_ARM64_PA_BITS_52))
		pa = (ttbr & GENMASK_ULL(47, 6)) |
		     ((ttbr & GENMASK_ULL(5, 2)) << 46);
	return __va(pa);
}

/*
 * Up to 6.8 arm64 had four levels at most, and the p4d existed only in
 * the generic code.  6.9 ("arm64: Enable LPA2 at boot if supported by the
 * system") lets a kernel built for 52-bit VAs, as Debian's 6.12 is, with
 * five levels, run with 48 on a CPU without LPA2: then the top level is
 * folded at boot, the other way round from x86: the root table is the p4d
 * table, indexed by the p4d bits, and the pgd is what folds.  memlab shows
 * it as x86 does, the root table's entry in the pgd row and the p4d row
 * folded: one picture of four levels on both.
 */
static inline bool pgwalk_arch_p4d_folded(void)
{
	return memlab_paging_levels() < 5;
}

/* Each level below the root translates PAGE_SHIFT - 3 bits. */
static inline unsigned int pgwalk_arch_pgd_shift(void)
{
	return PAGE_SHIFT + (memlab_paging_levels() - 1) * (PAGE_SHIFT - 3);
}

/* Root table entries translate the top bits the levels in use leave. */
static inline unsigned int pgwalk_arch_pgd_index(unsigned long addr)
{
	unsigned int shift = pgwalk_arch_pgd_shift();

	return (addr >> shift) & ((1UL << (memlab_va_bits() - shift)) - 1);
}

static inline unsigned int pgwalk_arch_p4d_index(unsigned long addr)
{
	return (addr >> P4D_SHIFT) & (PTRS_PER_P4D - 1);
}

static inline bool pgwalk_arch_entry_none(u64 val)
{
	return !val;
}

/*
 * A run of CONT_PTES ptes (or CONT_PMDS pmds) with the contiguous bit set
 * maps one naturally aligned block, which the TLB caches as one entry:
 * 64K of 4K pages, 32M of 2M blocks.  Returns the log2 size of the block
 * a leaf of @shift belongs to.
 */
static inline unsigned int pgwalk_arch_leaf_span(unsigned int shift, u64 val)
{
	if (!(val & PTE_CONT))
		return shift;
	if (shift == PAGE_SHIFT)
		return CONT_PTE_SHIFT;
	if (shift == PMD_SHIFT)
		return CONT_PMD_SHIFT;
	return shift;
}

/*
 * Permissions, memory type, shareability, nG, the contiguous hint and BTI;
 * not the output address, AF or the software bits.  Nor AP[2] of a DBM
 * (writable) entry: hardware or the fault handler clears it on the first
 * write, so it only says clean or dirty, not whether the page may be
 * written.
 */
static inline u64 pgwalk_arch_leaf_attrs(bool pte_level, u64 val)
{
	u64 keep = PTE_VALID | PTE_TABLE_BIT | PTE_USER | PTE_RDONLY |
		   PTE_SHARED | PTE_NG | PTE_ATTRINDX_MASK | PTE_GP | PTE_DBM |
		   PTE_CONT | PTE_PXN | PTE_UXN;

	if (val & PTE_DBM)
		keep &= ~PTE_RDONLY;
	return val & keep;
}

/*
 * The memory type AttrIndx selects, named after its MAIR_EL1 byte: device
 * memory has 0 in the top nibble and its Gathering/Reordering/Early-ack
 * bits in bits 3..2; normal memory has the outer and inner cache policies
 * in the two nibbles.
 */
static inline const char *pgwalk_arch_mair_name(u64 val)
{
	unsigned int index = FIELD_GET(PTE_ATTRINDX_MASK, val);
	u8 attr = read_sysreg(mair_el1) >> (8 * index);
	static const char * const device[] = {
		"device-nGnRnE", "device-nGnRE", "device-nGRE", "device-GRE",
	};

	if (!(attr & 0xf0))
		return device[(attr >> 2) & 3];
	switch (attr) {
	case MAIR_ATTR_NORMAL:
		return "normal-wb";
	case MAIR_ATTR_NORMAL_TAGGED:
		return "normal-tagged";
	case MAIR_ATTR_NORMAL_NC:
		return "normal-nc";
	default:
		return "normal-other";
	}
}

static inline void pgwalk_arch_print_leaf(struct seq_file *m, bool *first,
					  u64 val)
{
	static const char * const shareability[] = {
		"SH=non", "SH=reserved", "SH=outer", "SH=inner",
	};

	/* AP[1]: EL0 may access; AP[2]: read-only at every level. */
	if (val & PTE_USER)
		pgwalk_flag(m, first, "USER");
	pgwalk_flag(m, first, val & PTE_RDONLY ? "RO" : "RW");
	if (val & PTE_DBM)
		pgwalk_flag(m, first, "DBM");
	if (val & PTE_AF)
		pgwalk_flag(m, first, "AF");
	pgwalk_flag(m, first, shareability[FIELD_GET(PTE_SHARED, val)]);
	seq_printf(m, "|attr=%s", pgwalk_arch_mair_name(val));
	if (val & PTE_NG)
		pgwalk_flag(m, first, "nG");
	if (val & PTE_CONT)
		pgwalk_flag(m, first, "CONT");
	if (val & PTE_PXN)
		pgwalk_flag(m, first, "PXN");
	if (val & PTE_UXN)
		pgwalk_flag(m, first, "UXN");
	if (val & PTE_GP)
		pgwalk_flag(m, first, "GP");
}

/*
 * The descriptor's type first.  In a pte, bits 1..0 = 3 is a page; above
 * it bit 1 tells a table from a block.  Only a page or a block has access
 * permissions and a memory type, and only a leaf the kernel's software
 * bits.
 */
static inline void pgwalk_arch_print_flags(struct seq_file *m, bool pte_level,
					   bool leaf, u64 val)
{
	bool first = true;

	if (!(val & PTE_VALID)) {
		/* The kernel's PROT_NONE: not valid, but still mapped. */
		if (val & MEMLAB_PTE_PROT_NONE)
			pgwalk_flag(m, &first, "protnone");
		else
			pgwalk_flag(m, &first, "invalid");
	} else {
		pgwalk_flag(m, &first, "VALID");
	}

	if (!pte_level && (val & PMD_TABLE_BIT)) {
		pgwalk_flag(m, &first, "TABLE");
		/* Limits inherited by everything the table maps. */
		if (val & PMD_TABLE_PXN)
			pgwalk_flag(m, &first, "PXNTable");
		if (val & PMD_TABLE_UXN)
			pgwalk_flag(m, &first, "UXNTable");
		return;
	}
	pgwalk_flag(m, &first, pte_level ? "PAGE" : "BLOCK");
	pgwalk_arch_print_leaf(m, &first, val);
	if (!leaf)
		return;
	if (val & PTE_DIRTY)
		pgwalk_flag(m, &first, "dirty");
	if (val & PTE_SPECIAL)
		pgwalk_flag(m, &first, "special");
	if (val & MEMLAB_PTE_DEVMAP)
		pgwalk_flag(m, &first, "devmap");
}

#endif /* PGWALK_ARM64_H */
