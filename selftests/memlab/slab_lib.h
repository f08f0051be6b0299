/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Helpers shared by the memlab_slab selftests (slab_lib.c): the module's
 * files, the memlab_obj cache's own sysfs directory and its /proc/slabinfo
 * row.
 */
#ifndef SLAB_LIB_H
#define SLAB_LIB_H

#include "memlab_lib.h"

#define SLAB_DIR	MEMLAB_DEBUGFS "/slab"
#define SLAB_CONTROL	SLAB_DIR "/control"
#define SLAB_SYSFS	"/sys/kernel/slab/memlab_obj"

/* Loads memlab_slab and leaves it holding nothing.  0, or non-zero: skip. */
int slab_setup(void);
/* Loads memlab_slab afresh, with a new memlab_obj cache; 0 or -errno. */
int slab_reload(void);
int slab_cmd(const char *cmd);
/* A value of slab/stats, or -1. */
long slab_stat(const char *key);
/* A file of memlab_obj's own sysfs directory, e.g. "objs_per_slab"; -1. */
long slab_cache_attr(const char *attr);

struct slabinfo_row {
	long active_objs, num_objs, objsize, objperslab, pagesperslab;
};

/* The /proc/slabinfo row of @name.  0, or -1 when there is none. */
int slab_slabinfo(const char *name, struct slabinfo_row *row);

/* One row of slab/objects. */
struct slab_obj_row {
	unsigned long idx, addr, phys, pfn, slab, offset;
};

/*
 * Every row of slab/objects in a malloc'ed array.  Returns the number of
 * rows, or -1 on a read or format error.
 */
long slab_read_objects(struct slab_obj_row **rows);

/* One row of slab/slabs. */
struct slab_slab_row {
	unsigned long slab, pfn;
	unsigned int order, objects, inuse;
	char state[16];
};

long slab_read_slabs(struct slab_slab_row **rows);

/* One row of slab/kmalloc. */
struct slab_kmalloc_row {
	long requested, ksize, waste;
	char cache[64], zeroed[8], bucket[64];
};

long slab_read_kmalloc(struct slab_kmalloc_row **rows);

/* For qsort() of unsigned longs. */
int slab_cmp_ulong(const void *a, const void *b);

#endif /* SLAB_LIB_H */
