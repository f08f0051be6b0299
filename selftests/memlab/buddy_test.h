/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Helpers for memlab_buddy's selftests: its tables parsed into rows, and
 * the kernel's own views (/proc/buddyinfo, /proc/pagetypeinfo,
 * /proc/zoneinfo, /proc/kpageflags, /proc/meminfo) they are checked
 * against.
 */
#ifndef BUDDY_TEST_H
#define BUDDY_TEST_H

#include <sched.h>
#include <sys/mman.h>

#include "memlab_test.h"

#define BUDDY_DEBUGFS	MEMLAB_DEBUGFS "/buddy"
#define BUDDY_PROC	MEMLAB_PROC "/buddy"
#define BUDDY_CONTROL	BUDDY_DEBUGFS "/control"
#define BUDDY_PARAMS	"/sys/module/memlab_buddy/parameters/"

#define BUDDY_PCP_FRACTION	"/proc/sys/vm/percpu_pagelist_high_fraction"

#define BUDDY_MAX_ORDERS	16
#define BUDDY_MAX_ZONES		32
#define BUDDY_MAX_TYPES		8

/* From include/uapi/linux/kernel-page-flags.h */
#define BUDDY_KPF_BUDDY		10
#define BUDDY_KPF_NOPAGE	20

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

static inline int buddy_load(void)
{
	if (memlab_modprobe("memlab_buddy"))
		return -1;
	return 0;
}

static inline int buddy_loaded(void)
{
	return !system("grep -q '^memlab_buddy ' /proc/modules");
}

/* Loads memlab_buddy afresh with @params; 0 when modprobe succeeded. */
static inline int buddy_reload(const char *params)
{
	char cmd[256];

	if (buddy_loaded() && system("rmmod memlab_buddy"))
		return -1;
	snprintf(cmd, sizeof(cmd), "modprobe memlab_buddy %s 2>/dev/null",
		 params);
	return system(cmd) ? -1 : 0;
}

static inline int buddy_cmd(const char *cmd)
{
	return memlab_write_cmd(BUDDY_CONTROL, cmd);
}

static inline unsigned long buddy_param(const char *name)
{
	char path[128], *text;
	unsigned long val;

	snprintf(path, sizeof(path), BUDDY_PARAMS "%s", name);
	text = memlab_read_file(path);
	if (!text)
		return 0;
	val = strtoul(text, NULL, 0);
	free(text);
	return val;
}

/* The highest order, from the number of columns of /proc/buddyinfo. */
static inline int buddy_max_order(void)
{
	char *text = memlab_read_file("/proc/buddyinfo");
	char *line, *tok, *save = NULL;
	int columns = 0;

	if (!text)
		return -1;
	line = strtok_r(text, "\n", &save);
	if (line)
		for (tok = strtok(line, " "); tok; tok = strtok(NULL, " "))
			columns++;
	free(text);
	/* "Node 0, zone DMA32 n0 n1 ..." */
	return columns - 4 - 1;
}

static inline long buddy_memfree_kb(void)
{
	char *text = memlab_read_file("/proc/meminfo");
	long kb;

	if (!text)
		return -1;
	kb = memlab_kv_long(text, "MemFree");
	free(text);
	return kb;
}

/*
 * Freed pages wait on per-cpu lists, up to pcp->high pages a CPU: tens of
 * MiB once THP has raised min_free_kbytes.  The kernel counts them neither
 * in MemFree nor in /proc/buddyinfo.  This shrinks those lists to their
 * minimum, keeps the test on one CPU and flushes that CPU's list by
 * faulting in and unmapping some memory, so that what a test frees shows
 * up at once.  Returns the old setting for buddy_restore_pcp(), or -1.
 */
static inline long buddy_shrink_pcp(void)
{
	size_t len = 16 << 20;
	cpu_set_t cpus;
	char *text;
	long old;
	void *p;

	CPU_ZERO(&cpus);
	CPU_SET(0, &cpus);
	if (sched_setaffinity(0, sizeof(cpus), &cpus))
		return -1;
	text = memlab_read_file(BUDDY_PCP_FRACTION);
	if (!text)
		return -1;
	old = strtol(text, NULL, 10);
	free(text);
	/* high = managed pages / fraction, but never under 4 batches */
	if (memlab_write_cmd(BUDDY_PCP_FRACTION, "1000000000"))
		return -1;
	p = mmap(NULL, len, PROT_READ | PROT_WRITE,
		 MAP_PRIVATE | MAP_ANONYMOUS | MAP_POPULATE, -1, 0);
	if (p != MAP_FAILED)
		munmap(p, len);
	return old;
}

static inline void buddy_restore_pcp(long old)
{
	char val[32];

	if (old < 0)
		return;
	snprintf(val, sizeof(val), "%ld", old);
	memlab_write_cmd(BUDDY_PCP_FRACTION, val);
}

/* Next line of *@text, NUL terminated in place, or NULL at the end. */
static inline char *buddy_next_line(char **text)
{
	char *line = *text, *nl;

	if (!line || !*line)
		return NULL;
	nl = strchr(line, '\n');
	if (nl) {
		*nl = '\0';
		*text = nl + 1;
	} else {
		*text = line + strlen(line);
	}
	return line;
}

static inline int buddy_parse_alloc_line(const char *line, void *row)
{
	struct buddy_alloc_row *r = row;
	char pfn[32], phys[32], virt[32], node[16], status[16];

	memset(r, 0, sizeof(*r));
	if (sscanf(line, "%lu %d %lu %31s %159s %31s %31s %31s %15s %15s %15s",
		   &r->id, &r->order, &r->pages, r->api, r->gfp, pfn, phys,
		   virt, r->zone, node, status) != 11)
		return -1;
	r->ok = !strcmp(status, "ok");
	if (r->ok) {
		r->pfn = strtoul(pfn, NULL, 0);
		r->phys = strtoull(phys, NULL, 0);
		r->virt = strcmp(virt, "-") ? strtoul(virt, NULL, 0) : 0;
		r->node = atoi(node);
	} else {
		r->node = -1;
	}
	return 0;
}

/*
 * Parses buddy/allocations into a malloc()ed array; returns the number of
 * rows, or -1 when the file is unreadable or a line is malformed.
 */
static inline int buddy_read_allocations(const char *path,
					 struct buddy_alloc_row **rows)
{
	return memlab_read_rows(path, NULL, sizeof(**rows),
				buddy_parse_alloc_line, (void **)rows);
}

static inline int buddy_parse_buddies_line(const char *line, void *row)
{
	struct buddy_buddies_row *r = row;
	char order[16];

	if (sscanf(line, "%lu %d %li %li %7s %15s %7s", &r->id, &r->order,
		   (long *)&r->pfn, (long *)&r->buddy_pfn, r->buddy_free, order,
		   r->aligned) != 7)
		return -1;
	r->buddy_order = strcmp(order, "-") ? atoi(order) : -1;
	return 0;
}

static inline int buddy_read_buddies(struct buddy_buddies_row **rows)
{
	return memlab_read_rows(BUDDY_DEBUGFS "/buddies", NULL, sizeof(**rows),
				buddy_parse_buddies_line, (void **)rows);
}

/* The largest id in the allocations table, 0 when it is empty. */
static inline unsigned long buddy_last_id(void)
{
	struct buddy_alloc_row *rows;
	unsigned long last = 0;
	int i, n;

	n = buddy_read_allocations(BUDDY_DEBUGFS "/allocations", &rows);
	for (i = 0; i < n; i++)
		if (rows[i].id > last)
			last = rows[i].id;
	free(rows);
	return last;
}

/* Frees every block with an id above @last: what a test allocated. */
static inline int buddy_free_after(unsigned long last)
{
	struct buddy_alloc_row *rows;
	char cmd[64];
	int i, n, ret = 0;

	n = buddy_read_allocations(BUDDY_DEBUGFS "/allocations", &rows);
	if (n < 0)
		return -1;
	for (i = 0; i < n; i++) {
		if (rows[i].id <= last)
			continue;
		snprintf(cmd, sizeof(cmd), "free %lu", rows[i].id);
		if (buddy_cmd(cmd))
			ret = -1;
	}
	free(rows);
	return ret;
}

/*
 * /proc/buddyinfo ("Node 0, zone   DMA32  3 1 ...") as rows of type "all",
 * /proc/pagetypeinfo's free-page table ("Node    0, zone    DMA32, type
 * Unmovable  1 0 ...") as rows of each type, or buddy/freearea ("0 DMA32
 * Unmovable 1 0 ..."), all into the same rows.  Returns how many.
 */
static inline int buddy_read_free_rows(const char *path,
				       struct buddy_free_row *rows, int max)
{
	int kernel = !strncmp(path, "/proc/", 6);
	int typed = !kernel || strstr(path, "pagetypeinfo");
	char *text = memlab_read_file(path), *p = text, *line;
	int n = 0;

	if (!text)
		return -1;
	while ((line = buddy_next_line(&p)) && n < max) {
		struct buddy_free_row *r = &rows[n];
		char *tok, *save = NULL;
		int field = 0, order = 0;

		memset(r, 0, sizeof(*r));
		if (kernel && strncmp(line, "Node", 4))
			continue;
		if (!kernel && line[0] == '#')
			continue;
		/* pagetypeinfo's block-count table has no "type" word */
		if (kernel && typed && !strstr(line, " type "))
			continue;
		if (!typed)
			strcpy(r->type, "all");
		for (tok = strtok_r(line, " ,", &save); tok;
		     tok = strtok_r(NULL, " ,", &save)) {
			if (kernel && (!strcmp(tok, "Node") ||
				       !strcmp(tok, "zone") ||
				       !strcmp(tok, "type")))
				continue;
			if (field == 0)
				r->node = atoi(tok);
			else if (field == 1)
				snprintf(r->zone, sizeof(r->zone), "%s", tok);
			else if (field == 2 && typed)
				snprintf(r->type, sizeof(r->type), "%s", tok);
			else if (order < BUDDY_MAX_ORDERS)
				/* ">100000" reads as 100000 */
				r->count[order++] = strtol(tok + (*tok == '>'),
							   NULL, 10);
			field++;
		}
		n++;
	}
	free(text);
	return n;
}

static inline struct buddy_free_row *
buddy_find_free_row(struct buddy_free_row *rows, int n, int node,
		    const char *zone, const char *type)
{
	int i;

	for (i = 0; i < n; i++)
		if (rows[i].node == node && !strcmp(rows[i].zone, zone) &&
		    !strcmp(rows[i].type, type))
			return &rows[i];
	return NULL;
}

/* A zone's pfn range from /proc/zoneinfo; 0 when found, else -1. */
static inline int buddy_zone_span(int node, const char *zone,
				  unsigned long *start, unsigned long *end)
{
	char *text = memlab_read_file("/proc/zoneinfo"), *p = text, *line;
	unsigned long spanned = 0;
	int in_zone = 0, found = -1;
	char name[32];
	int nid;

	if (!text)
		return -1;
	while ((line = buddy_next_line(&p))) {
		if (sscanf(line, "Node %d, zone %31s", &nid, name) == 2) {
			in_zone = nid == node && !strcmp(name, zone);
			continue;
		}
		if (!in_zone)
			continue;
		if (sscanf(line, " spanned %lu", &spanned) == 1)
			continue;
		if (sscanf(line, " start_pfn: %lu", start) == 1) {
			*end = *start + spanned;
			found = 0;
			break;
		}
	}
	free(text);
	return found;
}

/* /proc/kpageflags of @pfn, or ~0 when it cannot be read. */
static inline unsigned long long buddy_kpageflags(unsigned long pfn)
{
	unsigned long long flags;
	int fd = open("/proc/kpageflags", O_RDONLY);

	if (fd < 0)
		return ~0ULL;
	if (pread(fd, &flags, sizeof(flags), pfn * sizeof(flags)) !=
	    sizeof(flags))
		flags = ~0ULL;
	close(fd);
	return flags;
}

#endif /* BUDDY_TEST_H */
