/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Helpers for the memlab_layout selftests (layout_lib.c): layout/map and
 * layout/addresses parsed into arrays.
 */
#ifndef LAYOUT_LIB_H
#define LAYOUT_LIB_H

#include "memlab_lib.h"

#define LAYOUT_DIR	MEMLAB_DEBUGFS "/layout"
#define LAYOUT_MAX	32

struct layout_region {
	char name[32];
	unsigned long start, end, size;
};

struct layout_sample {
	char source[32];
	unsigned long virt;
	char type[32];
	bool has_phys;
	unsigned long long phys;
	unsigned long pfn;
	char zone[16];
	bool valid;
};

/* Loads memlab_layout; false if it is not there. */
bool layout_load(void);
/* The lines of a table after its header, or NULL if the header is wrong. */
char *layout_table(const char *path, const char *header);
/* Returns how many regions, or -1. */
int layout_read_map(struct layout_region *r);
const struct layout_region *layout_region(const struct layout_region *r, int n,
					  const char *name);
bool layout_in(const struct layout_region *r, unsigned long addr);
/* Returns how many samples, or -1. */
int layout_read_addresses(struct layout_sample *s);

#endif /* LAYOUT_LIB_H */
