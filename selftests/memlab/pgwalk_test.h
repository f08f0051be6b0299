/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Helpers for the memlab_pgwalk selftests: one walk through pgwalk/walk,
 * its rows parsed, and the kernel's own answers to compare them with,
 * /proc/self/pagemap, /proc/kpagecount and /proc/kpageflags.
 */
#ifndef PGWALK_TEST_H
#define PGWALK_TEST_H

#include <stdint.h>
#include <stdbool.h>
#include <sys/mman.h>

#include "memlab_test.h"

#define PGWALK_DIR	MEMLAB_DEBUGFS "/pgwalk"
#define PGWALK_PAGE	4096UL

/*
 * What pgwalk calls the bits these tests look at, and where an entry keeps
 * the physical address it points to: x86 and arm64 (VMSAv8-64, 4K
 * granule, 48-bit physical addresses) name and place them differently.
 */
#if defined(__aarch64__)
#define PGWALK_F_PRESENT	"VALID"
#define PGWALK_F_USER		"USER"
#define PGWALK_F_KERNEL_NX	"PXN"
#define PGWALK_F_LARGE		"BLOCK"
#define PGWALK_ENTRY_ADDR_MASK	0x0000fffffffff000ULL
#else
#define PGWALK_F_PRESENT	"P"
#define PGWALK_F_USER		"US"
#define PGWALK_F_KERNEL_NX	"NX"
#define PGWALK_F_LARGE		"PSE"
#define PGWALK_ENTRY_ADDR_MASK	0x000ffffffffff000ULL
#endif

#define PAGEMAP_PRESENT		0x8000000000000000ULL
#define PAGEMAP_PFN_MASK	0x007fffffffffffffULL

/* /proc/kpageflags bits 12 and 22, include/uapi/linux/kernel-page-flags.h */
#define KPF_ANON	0x1000ULL
#define KPF_THP		0x400000ULL

struct pgwalk_row {
	char level[8];
	unsigned long long index;
	unsigned long long pa;
	unsigned long long value;
	char flags[256];
};

#define PGWALK_MAX_ROWS 8

struct pgwalk_result {
	int nr;
	struct pgwalk_row row[PGWALK_MAX_ROWS];
};

/* Parses a walk table; -EPROTO if it does not look like one. */
static inline int pgwalk_parse(const char *text, struct pgwalk_result *res)
{
	const char *line = text;

	res->nr = 0;
	if (strncmp(text, "# level index entry_pa entry_value flags\n", 41))
		return -EPROTO;
	while ((line = strchr(line, '\n')) && *++line) {
		struct pgwalk_row *row = &res->row[res->nr];

		if (res->nr == PGWALK_MAX_ROWS)
			return -EPROTO;
		if (sscanf(line, "%7s %lli %llx %llx %255s", row->level,
			   &row->index, &row->pa, &row->value, row->flags) != 5)
			return -EPROTO;
		res->nr++;
	}
	return 0;
}

/*
 * Walks @target ("PID ADDR" or "kernel ADDR") through a fresh walk file:
 * one write, then a read from offset 0.  Returns 0 or the negative errno
 * of the write or the read.
 */
static inline int pgwalk_walk(const char *target, struct pgwalk_result *res)
{
	char *text;
	int fd, ret;

	fd = open(PGWALK_DIR "/walk", O_RDWR);
	if (fd < 0)
		return -errno;
	if (write(fd, target, strlen(target)) < 0) {
		ret = -errno;
		close(fd);
		return ret;
	}
	text = memlab_read_fd(fd);
	ret = text ? pgwalk_parse(text, res) : -errno;
	free(text);
	close(fd);
	return ret;
}

static inline int pgwalk_walk_self(const void *addr, struct pgwalk_result *res)
{
	char target[64];

	snprintf(target, sizeof(target), "%d %p", getpid(), addr);
	return pgwalk_walk(target, res);
}

static inline const struct pgwalk_row *
pgwalk_find(const struct pgwalk_result *res, const char *level)
{
	int i;

	for (i = 0; i < res->nr; i++)
		if (!strcmp(res->row[i].level, level))
			return &res->row[i];
	return NULL;
}

/* Is @flag one of the '|'-separated words of @flags? */
static inline bool pgwalk_has_flag(const char *flags, const char *flag)
{
	size_t len = strlen(flag);
	const char *p = flags;

	while (p) {
		if (!strncmp(p, flag, len) && (p[len] == '|' || !p[len]))
			return true;
		p = strchr(p, '|');
		if (p)
			p++;
	}
	return false;
}

/* The value of "key=N" in a flags field, or -1. */
static inline long pgwalk_flag_value(const char *flags, const char *key)
{
	size_t len = strlen(key);
	const char *p = flags;

	while (p) {
		if (!strncmp(p, key, len) && p[len] == '=')
			return strtol(p + len + 1, NULL, 0);
		p = strchr(p, '|');
		if (p)
			p++;
	}
	return -1;
}

/* One 64-bit entry of a /proc file indexed by page or pfn. */
static inline unsigned long long pgwalk_proc_u64(const char *path, unsigned long long index)
{
	unsigned long long val = 0;
	int fd = open(path, O_RDONLY);

	if (fd < 0)
		return 0;
	if (pread(fd, &val, sizeof(val), index * sizeof(val)) != sizeof(val))
		val = 0;
	close(fd);
	return val;
}

static inline unsigned long long pgwalk_pagemap(const void *addr)
{
	return pgwalk_proc_u64("/proc/self/pagemap",
			       (uintptr_t)addr / PGWALK_PAGE);
}

/* The pfn /proc/self/pagemap gives for @addr, or 0 if not present. */
static inline unsigned long long pgwalk_pagemap_pfn(const void *addr)
{
	unsigned long long e = pgwalk_pagemap(addr);

	return (e & PAGEMAP_PRESENT) ? (e & PAGEMAP_PFN_MASK) : 0;
}

/* Is the CPU running 5-level paging?  Linux clears la57 when it is not. */
static inline bool pgwalk_la57(void)
{
	char *cpuinfo = memlab_read_file("/proc/cpuinfo");
	bool la57 = cpuinfo && strstr(cpuinfo, " la57");

	free(cpuinfo);
	return la57;
}

/*
 * The lowest address past user space: x86 gives it the lower half of the
 * VA bits, arm64 all of them (TTBR0), which core_version checks
 * memlab/version's va_bits against.
 */
static inline unsigned long pgwalk_user_va_end(void)
{
#if defined(__aarch64__)
	char *version = memlab_read_file(MEMLAB_DEBUGFS "/version");
	long bits = version ? memlab_kv_long(version, "va_bits") : 48;

	free(version);
	return 1UL << bits;
#else
	return pgwalk_la57() ? 1UL << 56 : 1UL << 47;
#endif
}

#ifndef MADV_COLLAPSE
#define MADV_COLLAPSE 25
#endif

#define PGWALK_HPAGE		(2UL << 20)
/* Far from anything else a process maps, so walks find only the churn. */
#define PGWALK_PLAYGROUND	((char *)0x300000000000UL)

/*
 * What a process does to its page tables while others walk them: @rounds
 * times, map a 2M area, fault it in as small pages collapsed to a THP
 * (MADV_COLLAPSE) or as a THP at once, mprotect it twice, split the huge
 * pmd by zapping one small page, touch another, and unmap it.  Then exit.
 */
static inline void pgwalk_churn(int rounds)
{
	int round;
	size_t i;

	for (round = 0; round < rounds; round++) {
		char *p = mmap(PGWALK_PLAYGROUND, PGWALK_HPAGE,
			       PROT_READ | PROT_WRITE,
			       MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0);

		if (p == MAP_FAILED)
			_exit(1);
		if (round % 2) {
			madvise(p, PGWALK_HPAGE, MADV_NOHUGEPAGE);
			for (i = 0; i < PGWALK_HPAGE; i += 16 * PGWALK_PAGE)
				p[i] = 1;
			madvise(p, PGWALK_HPAGE, MADV_HUGEPAGE);
			madvise(p, PGWALK_HPAGE, MADV_COLLAPSE);
		} else {
			madvise(p, PGWALK_HPAGE, MADV_HUGEPAGE);
			p[0] = 1;
		}
		mprotect(p, PGWALK_HPAGE, PROT_READ);
		mprotect(p, PGWALK_HPAGE, PROT_READ | PROT_WRITE);
		madvise(p + 3 * PGWALK_PAGE, PGWALK_PAGE, MADV_DONTNEED);
		p[5 * PGWALK_PAGE] = 2;
		munmap(p, PGWALK_HPAGE);
	}
	_exit(0);
}

/*
 * Dumps pgwalk/ranges of @pid and checks its header.  Returns 0 or the
 * negative errno of the write or the read (-EPROTO for a bad header).
 */
static inline int pgwalk_dump_ranges(pid_t pid)
{
	char cmd[32], *text;
	int fd, ret = 0;

	fd = open(PGWALK_DIR "/ranges", O_RDWR);
	if (fd < 0)
		return -errno;
	snprintf(cmd, sizeof(cmd), "%d", pid);
	if (write(fd, cmd, strlen(cmd)) < 0) {
		ret = -errno;
	} else {
		text = memlab_read_fd(fd);
		if (!text)
			ret = -errno;
		else if (strncmp(text, "# start end size level flags", 28))
			ret = -EPROTO;
		free(text);
	}
	close(fd);
	return ret;
}

/* Loads memlab_pgwalk; false if it is not there. */
static inline bool pgwalk_load(void)
{
	return memlab_modprobe("memlab_pgwalk") == 0 &&
	       access(PGWALK_DIR "/walk", F_OK) == 0;
}

#endif /* PGWALK_TEST_H */
