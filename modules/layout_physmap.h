/* SPDX-License-Identifier: GPL-2.0 */
/*
 * memlab_layout's views of physical memory (layout_physmap.c), published
 * by layout_main.c with the rest of the layout directory.
 */
#ifndef LAYOUT_PHYSMAP_H
#define LAYOUT_PHYSMAP_H

#include <linux/types.h>

#include "memlab.h"

extern const struct memlab_file layout_physmap_files[];
extern const size_t layout_physmap_nr_files;

#endif /* LAYOUT_PHYSMAP_H */
