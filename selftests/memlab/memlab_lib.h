/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The library every memlab C selftest links (memlab_lib.c, compiled once,
 * as mm's vm_util.c is): reading whole files and "key: value" lines,
 * loading modules, and one reader for each kernel file the tests check
 * memlab against (/proc/kpageflags, /proc/iomem, /proc/kallsyms,
 * /proc/zoneinfo, /proc/meminfo, /proc/buddyinfo, smaps).  The modules'
 * own helpers are in buddy_lib.h, slab_lib.h, layout_lib.h, pgwalk_lib.h
 * and ring_lib.h.
 */
#ifndef MEMLAB_LIB_H
#define MEMLAB_LIB_H

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <linux/kernel-page-flags.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/types.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <unistd.h>

#ifndef ARRAY_SIZE
#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))
#endif

#define MEMLAB_DEBUGFS	"/sys/kernel/debug/memlab"
#define MEMLAB_PROC	"/proc/memlab"

/* The kernel's page size, from sysconf(). */
unsigned long memlab_page_size(void);

/*
 * What is left to read of @fd, or with @from_start all of it read from
 * offset 0 (with pread(), so a seq_file with its own state per open file
 * shows it again), as a NUL-terminated string; NULL with errno set.
 */
char *memlab_read_all(int fd, bool from_start);
/* The whole content of an open file, read from offset 0. */
char *memlab_read_fd(int fd);
/* The whole file as a NUL-terminated string, or NULL with errno set. */
char *memlab_read_file(const char *path);
/* The first number of a file (base 0), e.g. "1000 N0=1000" gives 1000; -1. */
long memlab_read_long(const char *path);
/* Next line of *@text, NUL terminated in place, or NULL at the end. */
char *memlab_next_line(char **text);

/*
 * The value of "key: value" in @text, copied into @out.  Returns 0, or -1
 * when the key is missing.
 */
int memlab_kv(const char *text, const char *key, char *out, size_t outlen);
/* The value of "key: value" in @text as a number (base 0), or -1. */
long memlab_kv_long(const char *text, const char *key);
/* The same of the key/value file @path, or -1. */
long memlab_file_kv_long(const char *path, const char *key);

/*
 * The regular files of every module's directory in both memlab trees
 * whose mode has a bit of @mode (0400: views, 0200: control files), into
 * @paths; returns how many, at most @max.
 */
int memlab_find_files(mode_t mode, char paths[][PATH_MAX], int max);

/*
 * The entries below @tree (every one with a @mode of 0, else the regular
 * files with a bit of @mode) as strdup()ed paths into @paths, at most
 * @max.  Returns how many, or -1 when the walk fails.
 */
int memlab_tree_paths(const char *tree, mode_t mode, char **paths, int max);

/*
 * Every row of the table at @path, read as a stream (a view may have a
 * million rows), into a malloc()ed array of @size-byte rows, each filled
 * by @parse from its line without the newline (0, or -1 if malformed).
 * With a @header, the first line must be it and every other line a row;
 * without one, lines starting with '#' are skipped.  Returns the number of
 * rows, or -1 with *@rows NULL when the file is unreadable or a line is
 * malformed.
 */
long memlab_read_rows(const char *path, const char *header, size_t size,
		      int (*parse)(const char *line, void *row), void **rows);

/*
 * Writes @cmd to the control file @path in one write(2), as a shell's
 * echo would.  Returns 0 or the negative errno the write failed with.
 */
int memlab_write_cmd(const char *path, const char *cmd);

/*
 * Drops CAP_SYS_ADMIN from this process and what it executes, for good,
 * staying uid 0: what memlab asks for before it shows physical
 * addresses.  0, or -1.
 */
int memlab_drop_sys_admin(void);

/*
 * Opens @path in a child that is still uid 0 but has dropped
 * CAP_SYS_ADMIN, the capability memlab asks for before it shows physical
 * addresses.  Returns 0 if the open worked, else its errno.
 */
int memlab_open_without_sys_admin(const char *path, int flags);

/*
 * The one module loader: finit_module() and delete_module() straight, so
 * a test sees the errno of the load itself (modprobe would only say it
 * failed), with the dependencies modules.dep lists loaded first.
 */
#define MEMLAB_KMOD_MAX	16

struct memlab_kmods {
	int n;
	char name[MEMLAB_KMOD_MAX][NAME_MAX + 1];
};

/* The memlab modules installed for this kernel, the core first; or -1. */
int memlab_kmods_find(struct memlab_kmods *mods);
bool memlab_kmod_loaded(const char *name);
/*
 * Where modules.dep has the installed @name, as a full path; 0 or -errno.
 * finit_module() of the module at @path alone, nothing read before it: for
 * a test that fails the load's allocations on purpose.  0 or -errno.
 * memlab_kmod_insert() is the two together.
 */
int memlab_kmod_path(const char *name, char *path, size_t len);
int memlab_kmod_insert_path(const char *path, const char *params);
int memlab_kmod_insert(const char *name, const char *params);
/*
 * Loads the installed module @name with @params ("" for the defaults),
 * after what it depends on; 0 when it is loaded already, as modprobe
 * does.  0 or -errno.
 */
int memlab_kmod_load(const char *name, const char *params);
/* Unloads @name without waiting for its users; 0 or -errno. */
int memlab_kmod_unload(const char *name);
/* Unloads @name if it is loaded and loads it with @params; 0 or -errno. */
int memlab_kmod_reload(const char *name, const char *params);
/*
 * Loads every module of @mods; 0, or the first errno.
 */
int memlab_kmods_load_all(const struct memlab_kmods *mods);
/*
 * Unloads every module of @mods, the core last; 0 when none is left.  A
 * module in use by another one is tried again once that one is gone.
 */
int memlab_kmods_unload_all(const struct memlab_kmods *mods);
/*
 * Loads every installed memlab module.  Returns how many are loaded, or -1
 * when not even the core loads.
 */
int memlab_load_all(void);

/*
 * The readers of the kernel's own files, one for each.
 *
 * One 64-bit entry of a /proc file indexed by page or pfn (pagemap,
 * kpageflags, kpagecount) into *@val: 0, or -1 when it cannot be read.
 */
int memlab_proc_u64(const char *path, unsigned long long index,
		    unsigned long long *val);
/* /proc/kpageflags of @pfn (bits KPF_*): 0, or -1. */
int memlab_kpageflags(unsigned long pfn, unsigned long long *flags);
#define MEMLAB_KPF(flags, bit)	(!!((flags) & (1ULL << (bit))))

/* A "Key: N kB" line of /proc/meminfo, in kB, or -1. */
long memlab_meminfo_kb(const char *key);

/* The highest buddy order, from the number of columns of /proc/buddyinfo. */
int memlab_max_order(void);

/* One zone of /proc/zoneinfo. */
struct memlab_zone {
	int node;
	char name[16];
	long start_pfn;		/* -1: zoneinfo prints none (empty zone) */
	long spanned, present, managed, free, min, low, high;
	long pcp;		/* pages on its per-cpu lists, every CPU's */
};

#define MEMLAB_MAX_ZONES	32

/* Every zone of /proc/zoneinfo, at most @max; returns how many, or -1. */
int memlab_read_zoneinfo(struct memlab_zone *zones, int max);
const struct memlab_zone *memlab_zone_find(const struct memlab_zone *zones,
					   int n, int node, const char *name);

/* Field @field ("AnonHugePages") of the smaps entry at @start, in kB; -1. */
long memlab_smaps_kb(const void *start, const char *field);

/*
 * The address of symbol @name in /proc/kallsyms, of module @mod ("[name]")
 * or of the kernel itself with NULL; 0 when it is missing or hidden.
 */
unsigned long memlab_kallsyms(const char *name, const char *mod);

/*
 * The ranges of /proc/iomem called @name (e.g. "System RAM", "Kernel
 * code"), @depth levels deep (0: top level) or at any depth with -1, into
 * @start and @end (inclusive), at most @max.  Returns how many, or -1.
 * Only root sees real addresses.
 */
int memlab_iomem_ranges(const char *name, int depth, unsigned long long *start,
			unsigned long long *end, int max);

#endif /* MEMLAB_LIB_H */
