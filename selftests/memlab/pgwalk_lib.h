/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Helpers for the memlab_pgwalk selftests (pgwalk_lib.c): one walk through
 * pgwalk/walk, its rows parsed, and the kernel's own answers to compare
 * them with, /proc/self/pagemap, /proc/kpagecount and /proc/kpageflags.
 */
#ifndef PGWALK_LIB_H
#define PGWALK_LIB_H

#include <sys/mman.h>

#include "memlab_lib.h"

#define PGWALK_DIR	MEMLAB_DEBUGFS "/pgwalk"
/* The size of a page-table leaf at the lowest level: the page size. */
#define PGWALK_PAGE	memlab_page_size()

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
int pgwalk_parse(const char *text, struct pgwalk_result *res);
/*
 * Walks @target ("PID ADDR" or "kernel ADDR") through a fresh walk file:
 * one write, then a read from offset 0.  Returns 0 or the negative errno
 * of the write or the read.
 */
int pgwalk_walk(const char *target, struct pgwalk_result *res);
int pgwalk_walk_self(const void *addr, struct pgwalk_result *res);
const struct pgwalk_row *pgwalk_find(const struct pgwalk_result *res,
				     const char *level);
/* Is @flag one of the '|'-separated words of @flags? */
bool pgwalk_has_flag(const char *flags, const char *flag);
/* The value of "key=N" in a flags field, or -1. */
long pgwalk_flag_value(const char *flags, const char *key);

/* The /proc/self/pagemap entry of @addr, or 0 when it cannot be read. */
unsigned long long pgwalk_pagemap(const void *addr);
/* The pfn /proc/self/pagemap gives for @addr, or 0 if not present. */
unsigned long long pgwalk_pagemap_pfn(const void *addr);
/* The same from /proc/@pid/pagemap (root reads any process's). */
unsigned long long pgwalk_pagemap_pfn_of(pid_t pid, const void *addr);

/*
 * @pages anonymous pages that stay small pages (MADV_NOHUGEPAGE), mapped
 * but not faulted in; MAP_FAILED if the mmap() fails.
 */
char *pgwalk_map_small(size_t pages);
/*
 * One PGWALK_HPAGE-aligned anonymous THP in a VMA of its own (so smaps
 * speaks about it alone), every page touched; NULL when the kernel gave
 * no huge page (the VMA is gone then), MAP_FAILED when a syscall failed.
 */
char *pgwalk_map_thp(void);

/* Is the CPU running 5-level paging?  Linux clears la57 when it is not. */
bool pgwalk_la57(void);
/*
 * The lowest address past user space: x86 gives it the lower half of the
 * VA bits, arm64 all of them (TTBR0), which core_version checks
 * memlab/version's va_bits against.
 */
unsigned long pgwalk_user_va_end(void);

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
void pgwalk_churn(int rounds);
/*
 * Dumps pgwalk/ranges of @pid and checks its header.  Returns 0 or the
 * negative errno of the write or the read (-EPROTO for a bad header).
 */
int pgwalk_dump_ranges(pid_t pid);
/* Loads memlab_pgwalk; false if it is not there. */
bool pgwalk_load(void);

#endif /* PGWALK_LIB_H */
