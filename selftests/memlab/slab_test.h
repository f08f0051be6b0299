/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Helpers shared by the memlab_slab selftests: the module's files, the
 * memlab_obj cache's own sysfs directory and its /proc/slabinfo row.
 */
#ifndef SLAB_TEST_H
#define SLAB_TEST_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "memlab_test.h"

#define SLAB_DIR	MEMLAB_DEBUGFS "/slab"
#define SLAB_CONTROL	SLAB_DIR "/control"
#define SLAB_SYSFS	"/sys/kernel/slab/memlab_obj"

/* Loads memlab_slab and leaves it holding nothing.  0, or -1: skip. */
static inline int slab_setup(void)
{
	if (geteuid() != 0 || memlab_modprobe("memlab_slab"))
		return -1;
	return memlab_write_cmd(SLAB_CONTROL, "free all");
}

static inline int slab_cmd(const char *cmd)
{
	return memlab_write_cmd(SLAB_CONTROL, cmd);
}

/* A value of slab/stats, or -1. */
static inline long slab_stat(const char *key)
{
	char *text = memlab_read_file(SLAB_DIR "/stats");
	long val;

	if (!text)
		return -1;
	val = memlab_kv_long(text, key);
	free(text);
	return val;
}

/* The first number of any sysfs file, e.g. "1000 N0=1000" gives 1000. */
static inline long slab_sysfs_long(const char *path)
{
	char *text = memlab_read_file(path);
	long val;

	if (!text)
		return -1;
	val = strtol(text, NULL, 10);
	free(text);
	return val;
}

/* A file of memlab_obj's own sysfs directory, e.g. "objs_per_slab". */
static inline long slab_cache_attr(const char *attr)
{
	char path[256];

	snprintf(path, sizeof(path), SLAB_SYSFS "/%s", attr);
	return slab_sysfs_long(path);
}

struct slabinfo_row {
	long active_objs, num_objs, objsize, objperslab, pagesperslab;
};

/* The /proc/slabinfo row of @name.  0, or -1 when there is none. */
static inline int slab_slabinfo(const char *name, struct slabinfo_row *row)
{
	char line[512], cache[64];
	int ret = -1;
	FILE *f;

	f = fopen("/proc/slabinfo", "r");
	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f)) {
		if (sscanf(line, "%63s %ld %ld %ld %ld %ld", cache,
			   &row->active_objs, &row->num_objs, &row->objsize,
			   &row->objperslab, &row->pagesperslab) == 6 &&
		    !strcmp(cache, name)) {
			ret = 0;
			break;
		}
	}
	fclose(f);
	return ret;
}

/* One row of slab/objects. */
struct slab_obj_row {
	unsigned long idx, addr, phys, pfn, slab, offset;
};

static inline int slab_parse_obj_row(const char *line, void *row)
{
	struct slab_obj_row *r = row;

	return sscanf(line, "%lu %lx %lx %lx %lx %lu", &r->idx, &r->addr,
		      &r->phys, &r->pfn, &r->slab, &r->offset) == 6 ? 0 : -1;
}

/*
 * Every row of slab/objects in a malloc'ed array.  Returns the number of
 * rows, or -1 on a read or format error.
 */
static inline long slab_read_objects(struct slab_obj_row **rows)
{
	return memlab_read_rows(SLAB_DIR "/objects",
				"# idx addr phys pfn slab offset",
				sizeof(**rows), slab_parse_obj_row,
				(void **)rows);
}

/* One row of slab/slabs. */
struct slab_slab_row {
	unsigned long slab, pfn;
	unsigned int order, objects, inuse;
	char state[16];
};

static inline int slab_parse_slab_row(const char *line, void *row)
{
	struct slab_slab_row *r = row;

	return sscanf(line, "%lx %lx %u %u %u %15s", &r->slab, &r->pfn,
		      &r->order, &r->objects, &r->inuse, r->state) == 6 ? 0 : -1;
}

static inline long slab_read_slabs(struct slab_slab_row **rows)
{
	return memlab_read_rows(SLAB_DIR "/slabs",
				"# slab pfn order objects inuse state",
				sizeof(**rows), slab_parse_slab_row,
				(void **)rows);
}

static inline int slab_cmp_ulong(const void *a, const void *b)
{
	unsigned long x = *(const unsigned long *)a;
	unsigned long y = *(const unsigned long *)b;

	return x < y ? -1 : x > y;
}

#define KPF_SLAB		7
#define KPF_COMPOUND_HEAD	15

/* The /proc/kpageflags word of @pfn, or 0 when it cannot be read. */
static inline unsigned long long slab_kpageflags(unsigned long pfn)
{
	unsigned long long flags = 0;
	int fd = open("/proc/kpageflags", O_RDONLY);

	if (fd < 0)
		return 0;
	if (pread(fd, &flags, sizeof(flags), pfn * sizeof(flags)) !=
	    sizeof(flags))
		flags = 0;
	close(fd);
	return flags;
}

#endif /* SLAB_TEST_H */
