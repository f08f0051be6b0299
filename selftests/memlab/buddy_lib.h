/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Helpers for memlab_buddy's selftests (buddy_lib.c): its tables parsed
 * into rows, the free-area tables of /proc/buddyinfo and /proc/pagetypeinfo
 * they are checked against, and the per-cpu page lists.
 */
#ifndef BUDDY_LIB_H
#define BUDDY_LIB_H

#include "memlab_lib.h"

#define BUDDY_DEBUGFS	MEMLAB_DEBUGFS "/buddy"
#define BUDDY_PROC	MEMLAB_PROC "/buddy"
#define BUDDY_CONTROL	BUDDY_DEBUGFS "/control"
#define BUDDY_PARAMS	"/sys/module/memlab_buddy/parameters/"

#define BUDDY_PCP_FRACTION	"/proc/sys/vm/percpu_pagelist_high_fraction"

#define BUDDY_MAX_ORDERS	16
#define BUDDY_MAX_ZONES		MEMLAB_MAX_ZONES
#define BUDDY_MAX_TYPES		8

/* One row of buddy/allocations. */
struct buddy_alloc_row {
	unsigned long id;
	int order;
	unsigned long pages;
	char api[32];
	char gfp[160];
	int ok;
	unsigned long pfn;
	unsigned long long phys;
	unsigned long virt;		/* 0 for "-" */
	char zone[16];
	int node;
};

/* One row of buddy/buddies. */
struct buddy_buddies_row {
	unsigned long id;
	int order;
	unsigned long pfn;
	unsigned long buddy_pfn;
	char buddy_free[8];		/* yes, no or - */
	int buddy_order;		/* -1 for "-" */
	char aligned[8];
};

/* Free blocks per order of one (node, zone, type) row of a free-area view. */
struct buddy_free_row {
	int node;
	char zone[16];
	char type[24];
	long count[BUDDY_MAX_ORDERS];
};

/* One row of buddy/bench, its fields as printed ("-" before a run). */
struct buddy_bench_row {
	int order;
	char iterations[24], failed[24], median[24], p99[24], max[24];
};

/* buddy/bench's rows, at most @max: how many, or -1 if malformed. */
int buddy_read_bench(struct buddy_bench_row *rows, int max);

/* Loads memlab_buddy if it is not; 0, or -errno. */
int buddy_load(void);
/* Loads memlab_buddy afresh with @params; 0, or -errno. */
int buddy_reload(const char *params);
int buddy_cmd(const char *cmd);
/* A parameter memlab_buddy is loaded with, or 0. */
unsigned long buddy_param(const char *name);

/*
 * Freed pages wait on per-cpu lists, up to pcp->high pages a CPU: tens of
 * MiB once THP has raised min_free_kbytes.  The kernel counts them neither
 * in MemFree nor in /proc/buddyinfo.  This shrinks those lists to their
 * minimum, keeps the test on one CPU and flushes that CPU's list by
 * faulting in and unmapping some memory, so that what a test frees shows
 * up at once.  Returns the old setting for buddy_restore_pcp(), or -1.
 */
long buddy_shrink_pcp(void);
void buddy_restore_pcp(long old);

/*
 * Parses buddy/allocations into a malloc()ed array; returns the number of
 * rows, or -1 when the file is unreadable or a line is malformed.
 */
int buddy_read_allocations(const char *path, struct buddy_alloc_row **rows);
int buddy_read_buddies(struct buddy_buddies_row **rows);
/* The largest id in the allocations table, 0 when it is empty. */
unsigned long buddy_last_id(void);
/* Frees every block with an id above @last: what a test allocated. */
int buddy_free_after(unsigned long last);

/*
 * /proc/buddyinfo ("Node 0, zone   DMA32  3 1 ...") as rows of type "all",
 * /proc/pagetypeinfo's free-page table ("Node    0, zone    DMA32, type
 * Unmovable  1 0 ...") as rows of each type, or buddy/freearea ("0 DMA32
 * Unmovable 1 0 ..."), all into the same rows.  Returns how many.
 */
int buddy_read_free_rows(const char *path, struct buddy_free_row *rows,
			 int max);
struct buddy_free_row *buddy_find_free_row(struct buddy_free_row *rows, int n,
					   int node, const char *zone,
					   const char *type);
/* A zone's pfn range from /proc/zoneinfo; 0 when found, else -1. */
int buddy_zone_span(int node, const char *zone, unsigned long *start,
		    unsigned long *end);

/*
 * The allocator's counters as buddy/events and buddy/pressure name them,
 * which are /proc/vmstat's: pgalloc and allocstall add up its per-zone
 * lines.
 */
#define BUDDY_NR_COUNTERS	11
extern const char *const buddy_counter_names[BUDDY_NR_COUNTERS];

struct buddy_counters {
	long v[BUDDY_NR_COUNTERS];
};

/* The counters from /proc/vmstat: 0, or -1 when one is missing. */
int buddy_vmstat_counters(struct buddy_counters *c);

struct buddy_record;

/*
 * The first counter of @r, a row of an events view (buddy/events,
 * slab/events), that did not move by between 0 and what /proc/vmstat
 * moved from @before to @after, or NULL when every one did.  Says which
 * and by how much, as a diagnostic line.
 */
const char *buddy_counter_beyond_vmstat(const struct buddy_record *r,
					const struct buddy_counters *before,
					const struct buddy_counters *after);

/* One row of a table, its fields by the names of the header's columns. */
#define BUDDY_MAX_FIELDS	32

struct buddy_record {
	int n;
	char name[BUDDY_MAX_FIELDS][64];
	char field[BUDDY_MAX_FIELDS][64];
};

/*
 * Row @index of the table at @path (-1: the last), and how many rows it
 * has; -1 when it cannot be read or has no such row.
 */
int buddy_read_record(const char *path, int index, struct buddy_record *r);
/*
 * Every row of the table at @path into a malloc()ed array: how many, or
 * -1 when it cannot be read or a row is malformed.
 */
int buddy_read_records(const char *path, struct buddy_record **rows);
/* The field of column @name, or NULL. */
const char *buddy_field(const struct buddy_record *r, const char *name);
/* The same as a number (base 0); -1 for "-" or a missing column. */
long buddy_field_long(const struct buddy_record *r, const char *name);

#endif /* BUDDY_LIB_H */
