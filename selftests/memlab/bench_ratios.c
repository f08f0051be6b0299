// SPDX-License-Identifier: GPL-2.0
/*
 * bench_ratios: memlab's views timed side by side with the kernel's own
 * interfaces that answer the same question, in one boot, as a user would
 * time them: open, write, read, close.  Each row is a ratio, memlab's
 * median over the kernel interface's, so the speed of the machine (TCG is
 * some 20 times slower than a CPU) cancels out.  The two are timed in
 * turns, trial by trial, so that whatever else the machine does falls on
 * both.
 *
 * With no option this is the selftest make check runs: few trials, and
 * each ratio checked against its goal with a margin for noise.  It is not
 * a timed test: no figure is compared with a clock, only with its pair.
 * With --full (make bench) the trials are more, the goals have no margin,
 * and the figures are printed as a table and written as JSON to the file
 * given with --json.
 *
 * The cases are a table, as lib/test_vmalloc.c's: what each measures, its
 * goal, and the two sides.  Rows that have no kernel interface to compare
 * with (buddy/bench's latency per order, module load and unload) are
 * figures only.
 */
#define _GNU_SOURCE
#include <sched.h>
#include <sys/mman.h>
#include <time.h>

#include "../kselftest.h"
#include "memlab_lib.h"
#include "buddy_lib.h"
#include "layout_lib.h"
#include "pgwalk_lib.h"
#include "slab_lib.h"

/*
 * The views are read from /proc/memlab, procfs like the interfaces they
 * are compared with; debugfs adds its proxy's cost to every call, shown
 * by one row of its own.
 */
#define BENCH_PGWALK	MEMLAB_PROC "/pgwalk"

#define BENCH_MAX_TRIALS	201

/* What the cases share: the mappings they walk, the trial counts. */
struct bench_ctx {
	bool full;
	int trials;		/* of the cheap cases; the ranges cases take fewer */
	char *page;		/* one locked page, for walk */
	char *span;		/* BENCH_SPAN of address space, for ranges */
	size_t span_len;
	char target[64];	/* "PID ADDR" of page */
	char range[96];		/* "PID START END" of span */
	char *buf;		/* BENCH_BUF bytes to read into */
};

#define BENCH_BUF	(1024UL * 1024)

/* One side of a case: 0, or -errno. */
typedef int (*bench_fn)(struct bench_ctx *ctx);

/*
 * The goals: the for a fresh walk (1.5x pagemap at most, through
 * pgwalk/at, which answers in one pread() as pagemap does; the walk file's
 * command and read are figures), sparse ranges (3x faster) and dense
 * ranges (50x faster); for the other rows, no slower than the figures
 * first measured (walk with the fd reused 1.5x, freearea 0.45x
 * pagetypeinfo, zones 0.46x zoneinfo), with half again for noise; and the
 * issue's 5x faster for physmap than kpageflags decoded by hand.  make
 * check's limits are looser still: they catch a regression, not a missed
 * goal.
 */
struct bench_case {
	const char *name;	/* the JSON key */
	const char *what;	/* the table's first column */
	int (*setup)(struct bench_ctx *ctx);	/* before both sides */
	bench_fn memlab;
	const char *kernel_what;
	bench_fn kernel;
	/* memlab / kernel at most: the goal, and make check's looser limit */
	double goal, quick_limit;
	int trials_div;		/* the case runs ctx->trials / this */
	/*
	 * Each timed call follows an untimed one of its own side.  For the
	 * rows where one side's call costs a hundred times the other's: under
	 * TCG a call finds what the call before it left in the emulated TLB
	 * and the host's caches, and after a 30 ms pagemap read of 8 GiB a
	 * ranges read of the same span took 500 us, against 90 us after
	 * another ranges read.  Still in turns, trial by trial, so that what
	 * else the machine does falls on both sides alike.
	 */
	bool warm;
};

static double bench_now_us(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e6 + ts.tv_nsec / 1e3;
}

static int bench_cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

static double bench_median(double *v, int n)
{
	qsort(v, n, sizeof(*v), bench_cmp_double);
	return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

/* Reads @fd to its end from offset 0; the bytes read, or -errno. */
static long bench_drain(struct bench_ctx *ctx, int fd)
{
	long total = 0;
	ssize_t n;

	while ((n = pread(fd, ctx->buf, BENCH_BUF, total)) > 0)
		total += n;
	return n < 0 ? -errno : total;
}

/* open, an optional write, the whole file read, close. */
static int bench_view(struct bench_ctx *ctx, const char *path, const char *cmd)
{
	int fd = open(path, cmd ? O_RDWR : O_RDONLY);
	int ret = 0;

	if (fd < 0)
		return -errno;
	if (cmd && write(fd, cmd, strlen(cmd)) < 0)
		ret = -errno;
	else if (bench_drain(ctx, fd) < 0)
		ret = -errno;
	close(fd);
	return ret;
}

/*
 * Walks: one locked page, memlab's five levels against one pagemap entry.
 * pgwalk/at answers as pagemap does, in one pread() at the address; the
 * walk file takes a command and then a read, as a shell does it.
 */

/* One pread() of @fd at the page: its walk, which has a "page" row. */
static int bench_at_read(struct bench_ctx *ctx, int fd)
{
	ssize_t n = pread(fd, ctx->buf, 4096, (uintptr_t)ctx->page);

	if (n < 0)
		return -errno;
	return n > 0 && memmem(ctx->buf, n, "\npage ", 6) ? 0 : -EIO;
}

/* open, one pread(), close */
static int bench_at(struct bench_ctx *ctx, const char *path)
{
	int fd = open(path, O_RDONLY);
	int ret;

	if (fd < 0)
		return -errno;
	ret = bench_at_read(ctx, fd);
	close(fd);
	return ret;
}

static int bench_walk_fresh(struct bench_ctx *ctx)
{
	return bench_at(ctx, BENCH_PGWALK "/at");
}

static int bench_walk_debugfs(struct bench_ctx *ctx)
{
	return bench_at(ctx, PGWALK_DIR "/at");
}

static int bench_walk_command_fresh(struct bench_ctx *ctx)
{
	return bench_view(ctx, BENCH_PGWALK "/walk", ctx->target);
}

static int bench_pagemap_fresh(struct bench_ctx *ctx)
{
	return pgwalk_pagemap(ctx->page) & PAGEMAP_PRESENT ? 0 : -EIO;
}

static int bench_at_fd = -1, bench_walk_fd = -1, bench_pagemap_fd = -1;

static int bench_walk_reused(struct bench_ctx *ctx)
{
	return bench_at_read(ctx, bench_at_fd);
}

static int bench_walk_command_reused(struct bench_ctx *ctx)
{
	if (write(bench_walk_fd, ctx->target, strlen(ctx->target)) < 0)
		return -errno;
	return bench_drain(ctx, bench_walk_fd) < 0 ? -errno : 0;
}

static int bench_pagemap_reused(struct bench_ctx *ctx)
{
	unsigned long long entry;
	off_t off = (uintptr_t)ctx->page / memlab_page_size() * sizeof(entry);

	if (pread(bench_pagemap_fd, &entry, sizeof(entry), off) != sizeof(entry))
		return -EIO;
	return entry & PAGEMAP_PRESENT ? 0 : -EIO;
}

static int bench_setup_reused(struct bench_ctx *ctx)
{
	if (bench_at_fd < 0)
		bench_at_fd = open(BENCH_PGWALK "/at", O_RDONLY);
	if (bench_walk_fd < 0)
		bench_walk_fd = open(BENCH_PGWALK "/walk", O_RDWR);
	if (bench_pagemap_fd < 0)
		bench_pagemap_fd = open("/proc/self/pagemap", O_RDONLY);
	return bench_at_fd < 0 || bench_walk_fd < 0 || bench_pagemap_fd < 0 ?
	       -errno : 0;
}

/*
 * Ranges: the whole span in one read of pgwalk/ranges, against pagemap
 * read over the same span, 8 bytes a page, as a tool that wants the same
 * runs would.
 */
#define BENCH_SPAN	(8UL << 30)

static int bench_ranges(struct bench_ctx *ctx)
{
	return bench_view(ctx, BENCH_PGWALK "/ranges", ctx->range);
}

static int bench_pagemap_span(struct bench_ctx *ctx)
{
	size_t len = ctx->span_len / memlab_page_size() * sizeof(unsigned long long);
	off_t off = (uintptr_t)ctx->span / memlab_page_size() * sizeof(unsigned long long);
	int fd = open("/proc/self/pagemap", O_RDONLY);
	size_t done = 0;
	int ret = 0;

	if (fd < 0)
		return -errno;
	while (done < len) {
		size_t chunk = len - done < BENCH_BUF ? len - done : BENCH_BUF;
		ssize_t n = pread(fd, ctx->buf, chunk, off + done);

		if (n <= 0) {
			ret = n < 0 ? -errno : -EIO;
			break;
		}
		done += n;
	}
	close(fd);
	return ret;
}

/*
 * A fresh span with one page touched every @stride bytes of its first
 * @touched, in transparent huge pages where the kernel gives them if
 * @advice is MADV_HUGEPAGE, in small pages for MADV_NOHUGEPAGE.
 */
static int bench_span(struct bench_ctx *ctx, size_t len, size_t touched,
		      size_t stride, int advice)
{
	const size_t align = 2UL << 20;
	size_t off, head;
	char *raw;

	if (ctx->span)
		munmap(ctx->span, ctx->span_len);
	ctx->span = NULL;
	/*
	 * Starts on a 2 MiB boundary, where a huge page can map the first
	 * bytes: 6.1 places a large mapping anywhere a page is aligned.
	 */
	raw = mmap(NULL, len + align, PROT_READ | PROT_WRITE,
		   MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	if (raw == MAP_FAILED)
		return -errno;
	head = -(uintptr_t)raw & (align - 1);
	if (head)
		munmap(raw, head);
	munmap(raw + head + len, align - head);
	ctx->span = raw + head;
	ctx->span_len = len;
	if (madvise(ctx->span, len, advice) && advice == MADV_HUGEPAGE)
		return -EOPNOTSUPP;
	for (off = 0; off < touched; off += stride)
		ctx->span[off] = 1;
	snprintf(ctx->range, sizeof(ctx->range), "%d %p %p", getpid(),
		 ctx->span, ctx->span + len);
	return 0;
}

/* The dense row is of huge pages: without THP it has no subject. */
static int bench_setup_dense(struct bench_ctx *ctx)
{
	char *thp = memlab_read_file("/sys/kernel/mm/transparent_hugepage/enabled");
	bool never = !thp || strstr(thp, "[never]");

	long huge_kb;
	int ret;

	free(thp);
	if (never)
		return -EOPNOTSUPP;
	/* Free huge pages to fault in, whatever the rows before left. */
	memlab_write_cmd("/proc/sys/vm/compact_memory", "1");
	ret = bench_span(ctx, BENCH_SPAN, 64UL << 20, memlab_page_size(),
			 MADV_HUGEPAGE);
	if (ret)
		return ret;
	/* Otherwise the row times ptes, 512 for each huge page missing. */
	huge_kb = memlab_smaps_kb(ctx->span, "AnonHugePages");
	if (huge_kb < 64 << 10)
		ksft_print_msg("ranges_dense: %ld of %d kB in huge pages\n",
			       huge_kb, 64 << 10);
	return 0;
}

static int bench_setup_sparse(struct bench_ctx *ctx)
{
	return bench_span(ctx, BENCH_SPAN, BENCH_SPAN, 512UL << 10,
			  MADV_NOHUGEPAGE);
}

/*
 * The same 256 page tables (one page in each 2 MiB) in a span of 1 GiB and
 * in one of 64 GiB: the walk skips what is not mapped, so the two cost the
 * same.  memlab against memlab: the "kernel" side is the small span.
 */
#define BENCH_TABLES_SMALL	(1024UL << 20)
#define BENCH_TABLES_LARGE	(64UL << 30)

static char bench_range_small[96];

static int bench_setup_span_cost(struct bench_ctx *ctx)
{
	int ret = bench_span(ctx, BENCH_TABLES_LARGE, 512UL << 20, 2UL << 20,
			     MADV_NOHUGEPAGE);

	snprintf(bench_range_small, sizeof(bench_range_small), "%d %p %p",
		 getpid(), ctx->span, ctx->span + BENCH_TABLES_SMALL);
	return ret;
}

static int bench_ranges_small(struct bench_ctx *ctx)
{
	return bench_view(ctx, BENCH_PGWALK "/ranges", bench_range_small);
}

/* Slab: stats is O(1) in the objects held; slabinfo walks every cache. */
static int bench_slab_stats(struct bench_ctx *ctx)
{
	return bench_view(ctx, MEMLAB_PROC "/slab/stats", NULL);
}

static int bench_slabinfo(struct bench_ctx *ctx)
{
	return bench_view(ctx, "/proc/slabinfo", NULL);
}

static int bench_setup_slab_1k(struct bench_ctx *ctx)
{
	int ret = slab_cmd("free all");

	return ret ? ret : slab_cmd("alloc 1000");
}

/* A million objects for make bench; make check's quick run holds 100k. */
static int bench_setup_slab_many(struct bench_ctx *ctx)
{
	int ret = slab_cmd("free all");

	return ret ? ret : slab_cmd(ctx->full ? "alloc 1000000" : "alloc 100000");
}

static int bench_freearea(struct bench_ctx *ctx)
{
	return bench_view(ctx, MEMLAB_PROC "/buddy/freearea", NULL);
}

static int bench_pagetypeinfo(struct bench_ctx *ctx)
{
	return bench_view(ctx, "/proc/pagetypeinfo", NULL);
}

static int bench_buddyinfo(struct bench_ctx *ctx)
{
	return bench_view(ctx, "/proc/buddyinfo", NULL);
}

static int bench_zones(struct bench_ctx *ctx)
{
	return bench_view(ctx, MEMLAB_PROC "/layout/zones", NULL);
}

static int bench_zoneinfo(struct bench_ctx *ctx)
{
	return bench_view(ctx, "/proc/zoneinfo", NULL);
}

/*
 * layout/physmap against what a user without it does: read
 * /proc/kpageflags over the same frames, every populated zone's, and
 * decode each frame's flags into an owner, counting the runs.
 */
static unsigned long bench_pfn_lo, bench_pfn_hi;

static int bench_setup_physmap(struct bench_ctx *ctx)
{
	struct memlab_zone zi[MEMLAB_MAX_ZONES];
	int n = memlab_read_zoneinfo(zi, MEMLAB_MAX_ZONES), i;

	bench_pfn_lo = ~0UL;
	bench_pfn_hi = 0;
	for (i = 0; i < n; i++) {
		if (zi[i].start_pfn < 0 || !zi[i].present)
			continue;
		if ((unsigned long)zi[i].start_pfn < bench_pfn_lo)
			bench_pfn_lo = zi[i].start_pfn;
		if ((unsigned long)(zi[i].start_pfn + zi[i].spanned) > bench_pfn_hi)
			bench_pfn_hi = zi[i].start_pfn + zi[i].spanned;
	}
	return bench_pfn_lo < bench_pfn_hi ? 0 : -ENODATA;
}

static int bench_physmap(struct bench_ctx *ctx)
{
	return bench_view(ctx, MEMLAB_PROC "/layout/physmap", NULL);
}

static int bench_kpageflags(struct bench_ctx *ctx)
{
	const unsigned long per_read = BENCH_BUF / sizeof(unsigned long long);
	unsigned long long *flags = (unsigned long long *)ctx->buf;
	unsigned long pfn, i, runs = 0;
	int fd = open("/proc/kpageflags", O_RDONLY), owner, last = -1;
	ssize_t n = 0;

	if (fd < 0)
		return -errno;
	for (pfn = bench_pfn_lo; pfn < bench_pfn_hi; pfn += n / sizeof(*flags)) {
		size_t want = bench_pfn_hi - pfn < per_read ?
			      bench_pfn_hi - pfn : per_read;

		n = pread(fd, flags, want * sizeof(*flags), pfn * sizeof(*flags));
		if (n <= 0)
			break;
		for (i = 0; i < n / sizeof(*flags); i++) {
			owner = layout_kpf_owner(flags[i], 0);
			runs += owner != last;
			last = owner;
		}
	}
	close(fd);
	return n <= 0 ? -EIO : runs ? 0 : -ENODATA;
}

static const struct bench_case bench_cases[] = {
	{ "walk_fresh", "one walk of a locked page, at pread, fresh open", NULL,
	  bench_walk_fresh, "pagemap pread, fresh open", bench_pagemap_fresh,
	  1.5, 3.0, 1 },
	{ "walk_fresh_debugfs", "the same walk through debugfs", NULL,
	  bench_walk_debugfs, "pagemap pread, fresh open", bench_pagemap_fresh,
	  0, 0, 1 },
	{ "walk_reused", "one walk, at pread, fd reused", bench_setup_reused,
	  bench_walk_reused, "pagemap pread, fd reused", bench_pagemap_reused,
	  2.25, 6.0, 1 },
	{ "walk_command_fresh", "one walk, walk written and read, fresh open",
	  NULL, bench_walk_command_fresh, "pagemap pread, fresh open",
	  bench_pagemap_fresh, 0, 0, 1 },
	{ "walk_command_reused", "one walk, walk written and read, fd reused",
	  bench_setup_reused, bench_walk_command_reused,
	  "pagemap pread, fd reused", bench_pagemap_reused, 0, 0, 1 },
	{ "ranges_dense", "ranges of 8 GiB, the first 64 MiB touched (THP)",
	  bench_setup_dense, bench_ranges, "pagemap over the span",
	  bench_pagemap_span, 1.0 / 50, 1.0 / 10, 10, true },
	{ "ranges_sparse", "ranges of 8 GiB, a page every 512 KiB",
	  bench_setup_sparse, bench_ranges, "pagemap over the span",
	  bench_pagemap_span, 1.0 / 3, 5.0, 10, true },
	{ "ranges_span", "ranges of 256 page tables in 64 GiB",
	  bench_setup_span_cost, bench_ranges, "the same tables in 1 GiB",
	  bench_ranges_small, 1.5, 2.0, 5 },
	{ "slab_stats_1k", "slab/stats, 1k objects held", bench_setup_slab_1k,
	  bench_slab_stats, "/proc/slabinfo", bench_slabinfo, 0.5, 1.0, 1 },
	{ "slab_stats_many", "slab/stats, 1M objects held (100k quick)",
	  bench_setup_slab_many, bench_slab_stats, "/proc/slabinfo",
	  bench_slabinfo, 0.5, 1.0, 1 },
	{ "freearea_pagetypeinfo", "buddy/freearea", NULL, bench_freearea,
	  "/proc/pagetypeinfo", bench_pagetypeinfo, 0.68, 1.0, 1 },
	{ "freearea_buddyinfo", "buddy/freearea", NULL, bench_freearea,
	  "/proc/buddyinfo", bench_buddyinfo, 0, 0, 1 },
	{ "zones", "layout/zones", NULL, bench_zones, "/proc/zoneinfo",
	  bench_zoneinfo, 0.69, 1.0, 1 },
	{ "physmap_kpageflags", "layout/physmap, every zone",
	  bench_setup_physmap, bench_physmap,
	  "/proc/kpageflags read and decoded", bench_kpageflags,
	  1.0 / 5, 1.0 / 2, 10, true },
};

struct bench_result {
	double memlab_us, kernel_us, ratio;
	int err;
};

static struct bench_result bench_results[ARRAY_SIZE(bench_cases)];

static const struct bench_result *bench_result_of(const char *name)
{
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(bench_cases); i++)
		if (!strcmp(bench_cases[i].name, name))
			return &bench_results[i];
	return NULL;
}

static void bench_run(struct bench_ctx *ctx, const struct bench_case *c,
		      struct bench_result *r)
{
	static double m[BENCH_MAX_TRIALS], k[BENCH_MAX_TRIALS];
	int n = ctx->trials / c->trials_div, i;
	double t;

	if (n < 3)
		n = 3;
	memset(r, 0, sizeof(*r));
	if (c->setup)
		r->err = c->setup(ctx);
	/* One untimed round of each: the first open pays for dentries. */
	if (!r->err)
		r->err = c->memlab(ctx);
	if (!r->err)
		r->err = c->kernel(ctx);
	for (i = 0; i < n && !r->err; i++) {
		if (c->warm)
			r->err = c->memlab(ctx);
		t = bench_now_us();
		r->err = r->err ? r->err : c->memlab(ctx);
		m[i] = bench_now_us() - t;
		if (c->warm && !r->err)
			r->err = c->kernel(ctx);
		t = bench_now_us();
		r->err = r->err ? r->err : c->kernel(ctx);
		k[i] = bench_now_us() - t;
	}
	if (r->err)
		return;
	r->memlab_us = bench_median(m, n);
	r->kernel_us = bench_median(k, n);
	r->ratio = r->memlab_us / r->kernel_us;
}

/* "2.1x slower" or "49x faster", as the README's table says it. */
static void bench_ratio_words(double ratio, char *out, size_t len)
{
	if (ratio >= 1)
		snprintf(out, len, "%.2gx slower", ratio);
	else
		snprintf(out, len, "%.2gx faster", 1 / ratio);
}

static void bench_print_us(char *out, size_t len, double us)
{
	if (us >= 1000)
		snprintf(out, len, "%.3g ms", us / 1000);
	else
		snprintf(out, len, "%.3g us", us);
}

/*
 * ranges of one span of 64 GiB against the page tables present in it, at
 * four sizes: one page touched in each 2 MiB of its first 128 MiB, 512 MiB,
 * 2 GiB and 8 GiB.  The cost follows the tables, and so what is mapped,
 * not the span, which is the same in all four.  A figure, with no kernel
 * interface to compare with: pagemap would read the whole span each time.
 */
#define BENCH_NR_SCALES	4

static const unsigned long bench_scale_tables[BENCH_NR_SCALES] = {
	64, 256, 1024, 4096,
};

static int bench_ranges_scaling(struct bench_ctx *ctx, double *us)
{
	static double t[BENCH_MAX_TRIALS];
	int n = ctx->trials / 5, i, s, ret;
	double start;

	for (s = 0; s < BENCH_NR_SCALES; s++) {
		ret = bench_span(ctx, BENCH_TABLES_LARGE,
				 bench_scale_tables[s] << 21, 2UL << 20,
				 MADV_NOHUGEPAGE);
		/* One untimed round: the first read pays for the dentries. */
		if (!ret)
			ret = bench_ranges(ctx);
		for (i = 0; i < n && !ret; i++) {
			start = bench_now_us();
			ret = bench_ranges(ctx);
			t[i] = bench_now_us() - start;
		}
		if (ret)
			return ret;
		us[s] = bench_median(t, n);
	}
	return 0;
}

/* buddy/bench's medians per order, after "bench ORDER N" for each. */
static int bench_buddy_orders(struct bench_ctx *ctx, long *median_ns, int max)
{
	struct buddy_bench_row rows[BUDDY_MAX_ORDERS];
	int orders = memlab_max_order() + 1, order;
	char cmd[64];

	if (orders > max || orders > BUDDY_MAX_ORDERS)
		return -1;
	for (order = 0; order < orders; order++) {
		snprintf(cmd, sizeof(cmd), "bench %d %d", order,
			 ctx->full ? 2000 : 200);
		if (buddy_cmd(cmd))
			return -1;
	}
	if (buddy_read_bench(rows, BUDDY_MAX_ORDERS) != orders)
		return -1;
	for (order = 0; order < orders; order++)
		median_ns[order] = atol(rows[order].median);
	return orders;
}

/*
 * How long finit_module() and delete_module() of each installed module
 * take, each timed alone with what it needs loaded.  The modules loaded
 * before are loaded again after, on every path, with their default
 * parameters, as the rest of the suite expects them.
 */
static int bench_module_times(struct bench_ctx *ctx,
			      const struct memlab_kmods *mods,
			      double *load_us, double *unload_us)
{
	static double l[BENCH_MAX_TRIALS], u[BENCH_MAX_TRIALS];
	int n = ctx->full ? 9 : 3, i, j, ret = 0;
	bool was[MEMLAB_KMOD_MAX];
	char path[PATH_MAX];
	double t;

	for (j = 0; j < mods->n; j++)
		was[j] = memlab_kmod_loaded(mods->name[j]);
	if (memlab_kmods_unload_all(mods))
		ret = -1;
	for (j = 0; j < mods->n && !ret; j++) {
		const char *name = mods->name[j];

		/* Loads what @name needs, which stays for the trials. */
		if (memlab_kmod_path(name, path, sizeof(path)) ||
		    memlab_kmod_load(name, "") || memlab_kmod_unload(name)) {
			ret = -1;
			break;
		}
		for (i = 0; i < n && !ret; i++) {
			t = bench_now_us();
			ret = memlab_kmod_insert_path(path, "");
			l[i] = bench_now_us() - t;
			t = bench_now_us();
			ret = ret ? ret : memlab_kmod_unload(name);
			u[i] = bench_now_us() - t;
		}
		if (!ret) {
			load_us[j] = bench_median(l, n);
			unload_us[j] = bench_median(u, n);
		}
	}
	if (memlab_kmods_unload_all(mods))
		ret = -1;
	for (j = 0; j < mods->n; j++)
		if (was[j] && memlab_kmod_load(mods->name[j], ""))
			ret = -1;
	return ret;
}

/*
 * Where a fresh walk's time goes: each system call of memlab's two ways
 * to walk and of pagemap's read timed alone, medians over the trials.
 * Under TCG a system call costs microseconds whatever it does, so the
 * counts matter as much as the work: the walk file takes five (open,
 * write, read, the read that finds the end, close), pgwalk/at and
 * pagemap three.
 */
enum bench_step {
	BENCH_OPEN,
	BENCH_WRITE,
	BENCH_READ,
	BENCH_READ_END,
	BENCH_CLOSE,
	BENCH_NR_STEPS,
};

/* As the table and as the JSON name them. */
static const char * const bench_step_names[BENCH_NR_STEPS] = {
	"open", "write", "read", "read to the end", "close",
};

static const char * const bench_step_keys[BENCH_NR_STEPS] = {
	"open", "write", "read", "read_end", "close",
};

struct bench_steps {
	double memlab_us[BENCH_NR_STEPS];	/* the walk file */
	double at_us[BENCH_NR_STEPS];		/* 0: no such step */
	double pagemap_us[BENCH_NR_STEPS];	/* 0: no such step */
};

static int bench_walk_steps(struct bench_ctx *ctx, struct bench_steps *out)
{
	static double m[BENCH_NR_STEPS][BENCH_MAX_TRIALS];
	static double a[BENCH_NR_STEPS][BENCH_MAX_TRIALS];
	static double k[BENCH_NR_STEPS][BENCH_MAX_TRIALS];
	off_t off = (uintptr_t)ctx->page / memlab_page_size() * 8;
	unsigned long long entry;
	int i, s, fd, ret = 0;
	double t;

	for (i = 0; i < ctx->trials && !ret; i++) {
		t = bench_now_us();
		fd = open(BENCH_PGWALK "/walk", O_RDWR);
		m[BENCH_OPEN][i] = bench_now_us() - t;
		if (fd < 0)
			return -errno;
		t = bench_now_us();
		if (write(fd, ctx->target, strlen(ctx->target)) < 0)
			ret = -errno;
		m[BENCH_WRITE][i] = bench_now_us() - t;
		/*
		 * read(), not pread(): a read at offset 0 starts the walk
		 * over, so only the file position takes the second read to
		 * the end.
		 */
		t = bench_now_us();
		if (!ret && read(fd, ctx->buf, BENCH_BUF) <= 0)
			ret = -EIO;
		m[BENCH_READ][i] = bench_now_us() - t;
		t = bench_now_us();
		if (!ret && read(fd, ctx->buf, BENCH_BUF) != 0)
			ret = -EIO;
		m[BENCH_READ_END][i] = bench_now_us() - t;
		t = bench_now_us();
		close(fd);
		m[BENCH_CLOSE][i] = bench_now_us() - t;

		t = bench_now_us();
		fd = open(BENCH_PGWALK "/at", O_RDONLY);
		a[BENCH_OPEN][i] = bench_now_us() - t;
		if (fd < 0)
			return -errno;
		t = bench_now_us();
		if (!ret)
			ret = bench_at_read(ctx, fd);
		a[BENCH_READ][i] = bench_now_us() - t;
		t = bench_now_us();
		close(fd);
		a[BENCH_CLOSE][i] = bench_now_us() - t;

		t = bench_now_us();
		fd = open("/proc/self/pagemap", O_RDONLY);
		k[BENCH_OPEN][i] = bench_now_us() - t;
		if (fd < 0)
			return -errno;
		t = bench_now_us();
		if (!ret && pread(fd, &entry, sizeof(entry), off) != sizeof(entry))
			ret = -EIO;
		k[BENCH_READ][i] = bench_now_us() - t;
		t = bench_now_us();
		close(fd);
		k[BENCH_CLOSE][i] = bench_now_us() - t;
	}
	if (ret)
		return ret;
	for (s = 0; s < BENCH_NR_STEPS; s++) {
		bool one_call = s == BENCH_WRITE || s == BENCH_READ_END;

		out->memlab_us[s] = bench_median(m[s], ctx->trials);
		out->at_us[s] = one_call ? 0 : bench_median(a[s], ctx->trials);
		out->pagemap_us[s] = one_call ? 0 : bench_median(k[s], ctx->trials);
	}
	return 0;
}

/* A figure of the steps table, or "-" for a call that side does not make. */
static void bench_print_step(double us)
{
	if (us)
		printf(" %8.1f", us);
	else
		printf(" %8s", "-");
}

static void bench_print_steps(const struct bench_steps *st)
{
	double mt = 0, at = 0, kt = 0;
	int s;

	printf("\none fresh walk, median us per system call:\n");
	printf("%-16s %8s %8s %8s\n", "", "walk", "at", "pagemap");
	for (s = 0; s < BENCH_NR_STEPS; s++) {
		mt += st->memlab_us[s];
		at += st->at_us[s];
		kt += st->pagemap_us[s];
		printf("%-16s", bench_step_names[s]);
		bench_print_step(st->memlab_us[s]);
		bench_print_step(st->at_us[s]);
		bench_print_step(st->pagemap_us[s]);
		putchar('\n');
	}
	printf("%-16s %8.1f %8.1f %8.1f\n", "sum", mt, at, kt);
}

/* log10(@v) for @v >= 1, close enough for a bar: linear within a decade. */
static double bench_decades(double v)
{
	double n = 0;

	for (; v >= 10; v /= 10)
		n++;
	return n + (v - 1) / 9;
}

/* A bar of @value on a log scale from 1 to @max, @width wide at @max. */
static void bench_bar(double value, double max, int width)
{
	int i, n = 0;

	if (value >= 1 && max > 1)
		n = (int)(bench_decades(value) / bench_decades(max) * width + 0.5);

	for (i = 0; i < n; i++)
		putchar('#');
	putchar('\n');
}

static int bench_setup(struct bench_ctx *ctx)
{
	size_t page = memlab_page_size();

	ctx->buf = malloc(BENCH_BUF);
	ctx->page = mmap(NULL, page, PROT_READ | PROT_WRITE,
			 MAP_PRIVATE | MAP_ANONYMOUS | MAP_LOCKED, -1, 0);
	if (!ctx->buf || ctx->page == MAP_FAILED)
		return -ENOMEM;
	ctx->page[0] = 1;
	snprintf(ctx->target, sizeof(ctx->target), "%d %p", getpid(), ctx->page);
	return 0;
}

int main(int argc, char **argv)
{
	struct bench_ctx ctx = { .trials = 21 };
	double load_us[MEMLAB_KMOD_MAX] = {}, unload_us[MEMLAB_KMOD_MAX] = {};
	struct memlab_kmods mods = {};
	long median_ns[32];
	const char *json_path = NULL;
	int i, round, orders, failed = 0;
	struct bench_steps steps = {};
	int steps_err = -ENODATA;
	double scaling_us[BENCH_NR_SCALES];
	int scaling_err = -ENODATA;
	bool modules_ok;
	char a[32], b[32], words[32];
	FILE *json = NULL;
	cpu_set_t cpus;

	for (i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--full"))
			ctx.full = true;
		else if (!strcmp(argv[i], "--json") && i + 1 < argc)
			json_path = argv[++i];
		else
			ksft_exit_fail_msg("usage: %s [--full] [--json FILE]\n",
					   argv[0]);
	}
	if (ctx.full)
		ctx.trials = BENCH_MAX_TRIALS;

	ksft_print_header();
	if (geteuid() != 0)
		ksft_exit_skip("must be run as root\n");
	/* KASAN and the like slow memlab and the kernel by different factors. */
	if (!access("/sys/kernel/debug/kmemleak", F_OK))
		ksft_exit_skip("a debug kernel: its checks are what it would time\n");
	if (!pgwalk_load() || buddy_load() || slab_setup() ||
	    memlab_kmod_load("memlab_layout", ""))
		ksft_exit_skip("the memlab modules do not load\n");
	if (bench_setup(&ctx))
		ksft_exit_fail_msg("no memory for the bench\n");
	/* One CPU: the two sides of a row see the same caches. */
	CPU_ZERO(&cpus);
	CPU_SET(0, &cpus);
	sched_setaffinity(0, sizeof(cpus), &cpus);

	ksft_set_plan(ARRAY_SIZE(bench_cases) + 3);
	if (ctx.full)
		printf("| what | memlab | kernel interface | ratio | goal |\n");
	if (ctx.full)
		printf("|---|---|---|---|---|\n");
	for (i = 0; i < (int)ARRAY_SIZE(bench_cases); i++) {
		const struct bench_case *c = &bench_cases[i];
		struct bench_result *r = &bench_results[i];
		double limit = ctx.full ? c->goal : c->quick_limit;
		bool ok;

		bench_run(&ctx, c, r);
		/*
		 * make check's few trials can meet a burst of the host's own
		 * work: a row that misses is measured twice more, and a
		 * regression misses all three.
		 */
		for (round = 1; !ctx.full && round < 3 && !r->err && limit &&
		     r->ratio > limit; round++)
			bench_run(&ctx, c, r);
		if (r->err == -EOPNOTSUPP) {
			ksft_test_result_skip("%s: the kernel has no THP\n", c->name);
			continue;
		}
		if (r->err) {
			ksft_test_result_fail("%s: %s\n", c->name, strerror(-r->err));
			failed++;
			continue;
		}
		bench_print_us(a, sizeof(a), r->memlab_us);
		bench_print_us(b, sizeof(b), r->kernel_us);
		bench_ratio_words(r->ratio, words, sizeof(words));
		ok = !limit || r->ratio <= limit;
		if (ctx.full) {
			char goal[32] = "-";

			if (c->goal)
				bench_ratio_words(c->goal, goal, sizeof(goal));
			printf("| %s | %s | %s: %s | %s | %s%s |\n", c->what, a,
			       c->kernel_what, b, words, goal,
			       ok ? "" : " **missed**");
		}
		ksft_test_result(ok, "%s: %s against %s, %s (at most %.3g, round %d)\n",
				 c->name, a, b, words, limit, round);
		failed += !ok;
	}
	slab_cmd("free all");

	/* O(1): a thousand times the objects, the same cost. */
	{
		const struct bench_result *few = bench_result_of("slab_stats_1k");
		const struct bench_result *many = bench_result_of("slab_stats_many");
		int few_i = few - bench_results, many_i = many - bench_results;
		double limit = ctx.full ? 1.5 : 2.0;
		double ratio;
		int round;
		bool ok;

		/*
		 * The two medians come from two runs, so a burst of the
		 * host's work in either can tip the ratio: as for the rows
		 * above, a miss is measured twice more, both sides again.
		 */
		for (round = 1;; round++) {
			ratio = few->err || many->err ? 0 :
				many->memlab_us / few->memlab_us;
			if (ctx.full || round == 3 || few->err || many->err ||
			    ratio <= limit)
				break;
			bench_run(&ctx, &bench_cases[few_i], &bench_results[few_i]);
			bench_run(&ctx, &bench_cases[many_i], &bench_results[many_i]);
		}
		slab_cmd("free all");
		ok = !few->err && !many->err && ratio <= limit;

		if (ctx.full)
			printf("| %s | %.3g us vs %.3g us | - | %.2fx | %s%s |\n",
			       "slab/stats, 1M vs 1k objects", many->memlab_us,
			       few->memlab_us, ratio, "at most 1.5x",
			       ok ? "" : " **missed**");
		ksft_test_result(ok, "slab_stats_o1: %.2fx the cost with %s (<= %.2g, round %d)\n",
				 ratio, ctx.full ? "1000x the objects" :
				 "100x the objects", limit, round);
		failed += !ok;
	}

	orders = bench_buddy_orders(&ctx, median_ns, ARRAY_SIZE(median_ns));
	ksft_test_result(orders > 0, "buddy_bench: %s medians for %d orders\n",
			 "alloc_pages()+__free_pages()", orders);
	failed += orders <= 0;

	if (ctx.full) {
		steps_err = bench_walk_steps(&ctx, &steps);
		scaling_err = bench_ranges_scaling(&ctx, scaling_us);
	}

	/* An open file pins its module. */
	close(bench_at_fd);
	close(bench_walk_fd);
	close(bench_pagemap_fd);
	modules_ok = memlab_kmods_find(&mods) > 0 &&
		     !bench_module_times(&ctx, &mods, load_us, unload_us);
	ksft_test_result(modules_ok, "module_times: each module loaded and unloaded\n");
	failed += !modules_ok;

	if (ctx.full && orders > 0) {
		long max = 0;
		int o;

		printf("\n%s, median ns per order (buddy/bench), log scale:\n",
		       "alloc_pages()+__free_pages()");
		for (o = 0; o < orders; o++)
			max = median_ns[o] > max ? median_ns[o] : max;
		for (o = 0; o < orders; o++) {
			printf("%2d %8ld ", o, median_ns[o]);
			bench_bar(median_ns[o], max, 50);
		}
	}
	if (!scaling_err) {
		printf("\nranges of 64 GiB against the page tables present, %s:\n",
		       "median us, log scale");
		for (i = 0; i < BENCH_NR_SCALES; i++) {
			printf("%5lu tables %8.0f %5.2f/table ",
			       bench_scale_tables[i], scaling_us[i],
			       scaling_us[i] / bench_scale_tables[i]);
			bench_bar(scaling_us[i], scaling_us[BENCH_NR_SCALES - 1], 40);
		}
	} else if (ctx.full) {
		printf("\nranges against the page tables present: %s\n",
		       strerror(-scaling_err));
	}
	if (!steps_err)
		bench_print_steps(&steps);
	else if (ctx.full)
		printf("\none fresh walk per system call: %s\n",
		       strerror(-steps_err));
	if (ctx.full && modules_ok) {
		printf("\nmodule load and unload, median us (finit_module, delete_module):\n");
		for (i = 0; i < mods.n; i++)
			printf("%-14s load %8.0f  unload %8.0f\n", mods.name[i],
			       load_us[i], unload_us[i]);
	}

	if (json_path)
		json = fopen(json_path, "w");
	if (json) {
		fprintf(json, "{\n  \"trials\": %d,\n  \"cases\": {\n", ctx.trials);
		for (i = 0; i < (int)ARRAY_SIZE(bench_cases); i++) {
			const struct bench_case *c = &bench_cases[i];
			struct bench_result *r = &bench_results[i];

			fprintf(json, "    \"%s\": {\"memlab_us\": %.2f, ",
				c->name, r->memlab_us);
			fprintf(json, "\"kernel\": \"%s\", \"kernel_us\": %.2f, ",
				c->kernel_what, r->kernel_us);
			fprintf(json, "\"ratio\": %.4f, \"goal\": %.4f, ",
				r->ratio, c->goal);
			/* A case that failed has no figures: it says why. */
			if (r->err)
				fprintf(json, "\"error\": \"%s\"}", strerror(-r->err));
			else
				fprintf(json, "\"error\": null}");
			fprintf(json, "%s\n",
				i + 1 < (int)ARRAY_SIZE(bench_cases) ? "," : "");
		}
		fprintf(json, "  },\n  \"buddy_bench_median_ns\": [");
		for (i = 0; i < orders; i++)
			fprintf(json, "%s%ld", i ? ", " : "", median_ns[i]);
		fprintf(json, "],\n  \"walk_steps_us\": {");
		for (i = 0; !steps_err && i < BENCH_NR_STEPS; i++) {
			fprintf(json, "%s\n    \"%s\": {\"memlab\": %.2f, ",
				i ? "," : "", bench_step_keys[i],
				steps.memlab_us[i]);
			fprintf(json, "\"at\": %.2f, \"pagemap\": %.2f}",
				steps.at_us[i], steps.pagemap_us[i]);
		}
		fprintf(json, "\n  },\n  \"ranges_tables_us\": {");
		for (i = 0; !scaling_err && i < BENCH_NR_SCALES; i++)
			fprintf(json, "%s\n    \"%lu\": %.2f", i ? "," : "",
				bench_scale_tables[i], scaling_us[i]);
		fprintf(json, "\n  },\n  \"modules\": {");
		/* Zero, from the initialiser, where the times failed. */
		for (i = 0; i < mods.n; i++)
			fprintf(json, "%s\n    \"%s\": {\"load_us\": %.0f, \"unload_us\": %.0f}",
				i ? "," : "", mods.name[i], load_us[i], unload_us[i]);
		fprintf(json, "\n  },\n  \"modules_ok\": %s,\n  \"failed\": %d\n}\n",
			modules_ok ? "true" : "false", failed);
		fclose(json);
	}
	ksft_finished();
}
