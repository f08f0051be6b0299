/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The arm64 kernel memory map for memlab_layout
 * (Documentation/arm64/memory.rst): TTBR1's half starts with the linear
 * map of all RAM, then come the modules, and the vmalloc area, at whose
 * start the kernel image is mapped; the fixmap, the PCI I/O window and
 * vmemmap close it.  With KASLR the image and the modules move into the
 * vmalloc area at random, and the regions overlap; the lab boots with
 * nokaslr so that its map stays sorted and disjoint.
 */
#ifndef LAYOUT_ARM64_H
#define LAYOUT_ARM64_H

#include <linux/mm.h>
#include <linux/pgtable.h>
#include <linux/printk.h>
#include <linux/sort.h>
#include <asm/fixmap.h>
#include <asm/memory.h>
#include <asm/processor.h>

#include "memlab_compat.h"
#include "memlab_pgwalk.h"

struct layout_region {
	const char *name;
	unsigned long start;
	unsigned long end;		/* exclusive */
};

#define LAYOUT_MAX_REGIONS 8

/*
 * Does the image's mapping hold at @addr: is it mapped at PA +
 * kimage_voffset, as the whole image is?  Sets *@leaf_start to the start
 * of the leaf that maps it.
 */
static inline bool layout_arch_in_image(unsigned long addr,
					unsigned long *leaf_start)
{
	unsigned int shift;
	phys_addr_t phys;

	if (pgwalk_kernel_phys(addr, &phys, &shift) ||
	    phys != addr - kimage_voffset)
		return false;
	*leaf_start = addr & ~((1UL << shift) - 1);
	return true;
}

/*
 * Where the image starts: _text.  It is not exported.  Kernels up to the
 * LPA2 rework export kimage_vaddr, which holds it, and map the image from
 * _stext, 64K in, so it cannot be found from the tables; later ones map it
 * from _text.  There the image is followed down from _printk, in its
 * .text, for as long as it is mapped as the image: below it is vmalloc'ed
 * memory, whose frames come from anywhere.
 */
static inline unsigned long layout_arch_image_start(void)
{
	unsigned long addr = (unsigned long)_printk, start = addr, leaf;

	if (memlab_kimage_vaddr(&start))
		return start;
	while (layout_arch_in_image(addr, &leaf)) {
		start = leaf;
		addr = leaf - PAGE_SIZE;
		cond_resched();
	}
	return start;
}

/*
 * The kernel image is one physically contiguous block mapped at PA +
 * kimage_voffset (exported).  _end is not exported, so the image is
 * followed up from empty_zero_page, in its .bss, for as long as that
 * holds; what comes next is vmalloc'ed memory.  The last segment's vm
 * area also reserves the guard page after it (map_kernel_segment()).
 */
static inline void layout_arch_kernel_image(struct layout_region *r)
{
	unsigned long addr = (unsigned long)empty_zero_page, leaf;

	while (layout_arch_in_image(addr, &leaf))
		addr += PAGE_SIZE;
	r->name = "kernel-image";
	r->start = layout_arch_image_start();
	r->end = addr + PAGE_SIZE;
}

static inline int layout_region_cmp(const void *a, const void *b)
{
	const struct layout_region *ra = a, *rb = b;

	return ra->start < rb->start ? -1 : ra->start > rb->start;
}

/* Fills @r, sorted by address; returns how many regions there are. */
static inline unsigned int layout_arch_regions(struct layout_region *r)
{
	/*
	 * Where the linear map starts in this boot.  A 52-bit kernel that
	 * runs with 48 (LPA2, see pgwalk_arm64.h) starts it at the 48-bit
	 * PAGE_OFFSET, and lets vmalloc have the part of the vmemmap that the
	 * 52-bit addresses below it would have used.
	 */
	unsigned long linear = _PAGE_OFFSET(memlab_va_bits());
	struct layout_region image;
	unsigned int n = 0;

	layout_arch_kernel_image(&image);
	r[n++] = (struct layout_region){ "user", 0, TASK_SIZE_64 };
	/* arm64 calls it the linear map; the part this boot's RAM uses. */
	r[n++] = (struct layout_region){
		"direct-map", linear, (unsigned long)high_memory };
	r[n++] = (struct layout_region){ "modules", MODULES_VADDR, MODULES_END };
	r[n++] = image;
	/* Without KASLR the image sits at VMALLOC_START, and vmalloc after it. */
	r[n++] = (struct layout_region){
		"vmalloc",
		image.start == VMALLOC_START ? image.end : VMALLOC_START,
		VMALLOC_END };
	r[n++] = (struct layout_region){ "fixmap", FIXADDR_START, FIXADDR_TOP };
	r[n++] = (struct layout_region){
		"vmemmap", (unsigned long)virt_to_page((void *)linear),
		(unsigned long)(virt_to_page(high_memory - 1) + 1) };
	/* Their order changed over time (6.12 has vmemmap below the fixmap). */
	sort(r, n, sizeof(*r), layout_region_cmp, NULL);
	return n;
}

#endif /* LAYOUT_ARM64_H */
