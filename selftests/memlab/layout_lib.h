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

/*
 * layout/physmap and layout/pageblocks.  The owner classes, in the order
 * the module decides them and its pageblocks header lists them.
 */
#define LAYOUT_PHYSMAP_HEADER	"# node zone start_pfn end_pfn pages type owner order"

enum layout_owner {
	LAYOUT_HOLE, LAYOUT_OFFLINE, LAYOUT_FREE, LAYOUT_KERNEL, LAYOUT_MEMMAP,
	LAYOUT_RESERVED, LAYOUT_SLAB, LAYOUT_PAGETABLE, LAYOUT_ANON,
	LAYOUT_FILE, LAYOUT_OTHER, LAYOUT_NR_OWNERS
};

extern const char * const layout_owner_names[LAYOUT_NR_OWNERS];

struct layout_run {
	int node;
	char zone[16];
	unsigned long start, end, pages;	/* PFNs, end exclusive */
	char type[16];				/* "-": no migrate type */
	int owner;				/* enum layout_owner */
	int order;				/* -1 for "-" */
};

#define LAYOUT_MAX_ORDERS	16

struct layout_blocks {
	bool zone_row;				/* kind "zone", else "run" */
	int node;
	char zone[16];
	unsigned long start, end, blocks;
	char type[16];
	long free[LAYOUT_MAX_ORDERS];		/* pages, by order */
	long owner[LAYOUT_NR_OWNERS];
};

/* The owner class called @name, or -1. */
int layout_owner(const char *name);
/* kpageflags' bit for PG_reserved: include/linux/kernel-page-flags.h. */
#define LAYOUT_KPF_RESERVED	32
/*
 * The owner class kpageflags gives a frame with flags @f, in the module's
 * order (@head: its compound head's flags, or 0).  kpageflags has no bit
 * for the module's finer reserved classes (kernel, memmap): all reserved.
 */
int layout_kpf_owner(unsigned long long f, unsigned long long head);
/* Every run of layout/physmap into *@runs (malloc()ed): how many, or -1. */
long layout_read_physmap(struct layout_run **runs);
/* The run that holds @pfn, or NULL. */
const struct layout_run *layout_run_at(const struct layout_run *runs, long n,
				       unsigned long pfn);
/*
 * Every row of layout/pageblocks into *@rows (malloc()ed), after checking
 * its header against @orders free columns and the owner classes: how
 * many, or -1.
 */
long layout_read_pageblocks(struct layout_blocks **rows, int orders);

#endif /* LAYOUT_LIB_H */
