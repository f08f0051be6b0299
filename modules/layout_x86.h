/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The x86_64 kernel memory map for memlab_layout: which regions exist and
 * where this boot put them (Documentation/x86/x86_64/mm.rst).  The direct
 * map, vmalloc and vmemmap bases move with KASLR and are read from the
 * kernel's exported variables; the kernel image is found where the page
 * tables map it.  Another architecture supplies its own layout_<arch>.h.
 */
#ifndef LAYOUT_X86_H
#define LAYOUT_X86_H

#include <linux/mm.h>
#include <linux/pgtable.h>
#include <asm/cpu_entry_area.h>
#include <asm/fixmap.h>
#include <asm/kasan.h>
#include <asm/page.h>

#include "memlab_pgwalk.h"

struct layout_region {
	const char *name;
	unsigned long start;
	unsigned long end;		/* exclusive */
};

#define LAYOUT_MAX_REGIONS 9

/*
 * The kernel image within its 1G window at __START_KERNEL_map: the boot
 * code unmaps the window below _text and above _end, so the first and
 * last mapped 2M blocks bound this boot's randomized image.
 */
static inline void layout_arch_kernel_image(struct layout_region *r)
{
	unsigned long addr, first = 0, last = 0;
	phys_addr_t phys;

	for (addr = __START_KERNEL_map;
	     addr < __START_KERNEL_map + KERNEL_IMAGE_SIZE; addr += PMD_SIZE) {
		if (pgwalk_kernel_phys(addr, &phys, NULL))
			continue;
		if (!first)
			first = addr;
		last = addr;
	}
	r->name = "kernel-image";
	r->start = first;
	r->end = first ? last + PMD_SIZE : 0;
}

/*
 * KASAN's shadow, one byte for every eight of the kernel half.  It is a
 * region of its own because module_alloc() vmallocs the shadow of each
 * module there, so /proc/vmallocinfo lists areas inside it.  Its bounds
 * need CONFIG_KASAN_SHADOW_OFFSET, which exists only in KASAN kernels.
 */
static inline bool layout_arch_kasan_shadow(struct layout_region *r)
{
#ifdef CONFIG_KASAN
	*r = (struct layout_region){
		"kasan-shadow", KASAN_SHADOW_START, KASAN_SHADOW_END };
	return true;
#else
	return false;
#endif
}

/* Fills @r, sorted by address; returns how many regions there are. */
static inline unsigned int layout_arch_regions(struct layout_region *r)
{
	unsigned long max_pfn_mapped = PHYS_PFN(__pa(high_memory - 1)) + 1;
	unsigned int n = 0;

	r[n++] = (struct layout_region){ "user", 0, TASK_SIZE_MAX };
	/* The part of each window that this boot's RAM uses. */
	r[n++] = (struct layout_region){
		"direct-map", PAGE_OFFSET, (unsigned long)high_memory };
	r[n++] = (struct layout_region){
		"vmalloc", VMALLOC_START, VMALLOC_END + 1 };
	r[n++] = (struct layout_region){
		"vmemmap", (unsigned long)vmemmap,
		(unsigned long)(vmemmap + max_pfn_mapped) };
	if (layout_arch_kasan_shadow(&r[n]))
		n++;
	r[n++] = (struct layout_region){
		"cpu_entry_area", CPU_ENTRY_AREA_BASE,
		CPU_ENTRY_AREA_BASE + CPU_ENTRY_AREA_MAP_SIZE };
	layout_arch_kernel_image(&r[n++]);
	r[n++] = (struct layout_region){ "modules", MODULES_VADDR, MODULES_END };
	r[n++] = (struct layout_region){
		"fixmap", fix_to_virt(__end_of_permanent_fixed_addresses - 1),
		fix_to_virt(0) + PAGE_SIZE };
	return n;
}

#endif /* LAYOUT_X86_H */
