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
#include <asm/fixmap.h>
#include <asm/memory.h>
#include <asm/processor.h>

#include "memlab_pgwalk.h"

struct layout_region {
	const char *name;
	unsigned long start;
	unsigned long end;		/* exclusive */
};

#define LAYOUT_MAX_REGIONS 8

/*
 * The kernel image starts at kimage_vaddr (_text, exported) and is one
 * physically contiguous block mapped at PA + kimage_voffset.  _end is not
 * exported, so the image is followed from empty_zero_page, in its .bss,
 * for as long as that holds: what comes next is vmalloc'ed memory, whose
 * frames come from anywhere.  The last segment's vm area also reserves
 * the guard page after it (map_kernel_segment()).
 */
static inline void layout_arch_kernel_image(struct layout_region *r)
{
	unsigned long addr = (unsigned long)empty_zero_page;
	phys_addr_t phys;

	while (!pgwalk_kernel_phys(addr, &phys, NULL) &&
	       phys == addr - kimage_voffset)
		addr += PAGE_SIZE;
	r->name = "kernel-image";
	r->start = kimage_vaddr;
	r->end = addr + PAGE_SIZE;
}

/* Fills @r, sorted by address; returns how many regions there are. */
static inline unsigned int layout_arch_regions(struct layout_region *r)
{
	struct layout_region image;
	unsigned int n = 0;

	layout_arch_kernel_image(&image);
	r[n++] = (struct layout_region){ "user", 0, TASK_SIZE_64 };
	/* arm64 calls it the linear map; the part this boot's RAM uses. */
	r[n++] = (struct layout_region){
		"direct-map", PAGE_OFFSET, (unsigned long)high_memory };
	r[n++] = (struct layout_region){ "modules", MODULES_VADDR, MODULES_END };
	r[n++] = image;
	/* Without KASLR the image sits at VMALLOC_START, and vmalloc after it. */
	r[n++] = (struct layout_region){
		"vmalloc",
		image.start == VMALLOC_START ? image.end : VMALLOC_START,
		VMALLOC_END };
	r[n++] = (struct layout_region){ "fixmap", FIXADDR_START, FIXADDR_TOP };
	r[n++] = (struct layout_region){
		"vmemmap", VMEMMAP_START,
		(unsigned long)(virt_to_page(high_memory - 1) + 1) };
	return n;
}

#endif /* LAYOUT_ARM64_H */
