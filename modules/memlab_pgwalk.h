/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What memlab_pgwalk offers other memlab modules: the translation of a
 * kernel virtual address through the page tables the CPU uses, for
 * addresses where virt_to_phys() is not valid (vmalloc, modules, fixmap,
 * ioremap, per-cpu areas outside the direct map).
 */
#ifndef MEMLAB_PGWALK_H
#define MEMLAB_PGWALK_H

#include <linux/types.h>

/**
 * pgwalk_kernel_phys() - translate a kernel virtual address
 * @addr: any canonical kernel address
 * @phys: the physical address of the byte at @addr
 * @leaf_shift: log2 of the size of the mapping found, e.g. 12 for 4K, 21
 *	for 2M; may be NULL
 *
 * The walk is lockless, like lookup_address(): the answer is a snapshot
 * and is only stable while the caller keeps the mapping alive.
 *
 * Return: 0, -EINVAL if @addr is not a canonical kernel address, or
 * -ENOENT if nothing is mapped there.
 */
int pgwalk_kernel_phys(unsigned long addr, phys_addr_t *phys,
		       unsigned int *leaf_shift);

#endif /* MEMLAB_PGWALK_H */
