// SPDX-License-Identifier: GPL-2.0
/*
 * layout/physmap's runs against /proc/kpageflags, frame by frame: the
 * owner class of every run is what the kernel's own flags of each of its
 * frames say.  Memory changes while the two are read, so the view is read
 * before and after kpageflags, and a frame is judged only where both
 * reads agree; of those, almost all must agree with kpageflags too.
 */
#include <sys/mman.h>

#include "memlab_harness.h"
#include "buddy_lib.h"
#include "layout_lib.h"

/* The module's finer reserved classes are all PG_reserved to kpageflags. */
static int coarse(int owner)
{
	return owner == LAYOUT_KERNEL || owner == LAYOUT_MEMMAP ?
	       LAYOUT_RESERVED : owner;
}

/* Each run's owner into @owner[pfn - base]; -1 where no run covers it. */
static void owners_of(const struct layout_run *runs, long n, int *owner,
		      unsigned long base, unsigned long span)
{
	unsigned long pfn;
	long i;

	for (pfn = 0; pfn < span; pfn++)
		owner[pfn] = -1;
	for (i = 0; i < n; i++)
		for (pfn = runs[i].start; pfn < runs[i].end; pfn++)
			owner[pfn - base] = runs[i].owner;
}

TEST(runs_are_ordered_and_inside_their_zones)
{
	struct memlab_zone zi[MEMLAB_MAX_ZONES];
	const struct memlab_zone *z;
	struct layout_run *runs;
	long n, i;
	int nzi;

	if (geteuid() != 0)
		SKIP(return, "must be run as root");
	if (!layout_load())
		SKIP(return, "memlab_layout is not available");
	n = layout_read_physmap(&runs);
	ASSERT_LT(0, n);
	nzi = memlab_read_zoneinfo(zi, MEMLAB_MAX_ZONES);
	ASSERT_LT(0, nzi);

	for (i = 0; i < n; i++) {
		const struct layout_run *r = &runs[i];

		z = memlab_zone_find(zi, nzi, r->node, r->zone);
		ASSERT_NE(NULL, z);
		ASSERT_LT(r->start, r->end);
		EXPECT_EQ(r->end - r->start, r->pages);
		EXPECT_LE(z->start_pfn, (long)r->start);
		EXPECT_GE(z->start_pfn + z->spanned, (long)r->end);
		/* An order for free frames, and only for them. */
		EXPECT_EQ(r->owner == LAYOUT_FREE, r->order >= 0);
		if (r->owner == LAYOUT_FREE)
			EXPECT_GE(memlab_max_order(), r->order);
		if (i && !strcmp(runs[i - 1].zone, r->zone) &&
		    runs[i - 1].node == r->node)
			EXPECT_LE(runs[i - 1].end, r->start);
	}
	free(runs);
}

#define PROACTIVENESS	"/proc/sys/vm/compaction_proactiveness"

/* Writes @val to the sysctl file @path; false if it could not. */
static bool write_sysctl(const char *path, long val)
{
	char buf[32];
	int fd = open(path, O_WRONLY);
	bool ok;

	if (fd < 0)
		return false;
	snprintf(buf, sizeof(buf), "%ld\n", val);
	ok = write(fd, buf, strlen(buf)) == (ssize_t)strlen(buf);
	close(fd);
	return ok;
}

TEST(every_frame_agrees_with_kpageflags)
{
	long proactiveness = memlab_read_long(PROACTIVENESS);
	unsigned long base, span, pfn, head = 0, judged = 0, wrong = 0;
	unsigned long long *flags;
	unsigned long seen[LAYOUT_NR_OWNERS] = { 0 };
	struct layout_run *before, *after;
	int *owner_before, *owner_after;
	long nb, na, i;
	char *anon;
	int fd;

	if (geteuid() != 0)
		SKIP(return, "must be run as root");
	if (!layout_load())
		SKIP(return, "memlab_layout is not available");
	/* Anonymous memory of our own, so that the class is sure to appear. */
	anon = mmap(NULL, 8 << 20, PROT_READ | PROT_WRITE,
		    MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	ASSERT_NE(MAP_FAILED, anon);
	/*
	 * Our pages must stay where they are between the reads: a frame
	 * whose owner changed is not judged, and our anon would go missing.
	 * Two things move them: khugepaged's collapse into a THP, kept away
	 * by MADV_NOHUGEPAGE, and kcompactd's proactive compaction, woken by
	 * the fragmentation the buddy tests leave, off for the reads.
	 */
	madvise(anon, 8 << 20, MADV_NOHUGEPAGE);
	memset(anon, 1, 8 << 20);
	if (proactiveness > 0)
		write_sysctl(PROACTIVENESS, 0);

	nb = layout_read_physmap(&before);
	ASSERT_LT(0, nb);
	base = before[0].start;
	span = 0;
	for (i = 0; i < nb; i++) {
		base = before[i].start < base ? before[i].start : base;
		span = before[i].end > span ? before[i].end : span;
	}
	span -= base;
	flags = malloc(span * sizeof(*flags));
	owner_before = malloc(span * sizeof(int));
	owner_after = malloc(span * sizeof(int));
	ASSERT_TRUE(flags && owner_before && owner_after);
	fd = open("/proc/kpageflags", O_RDONLY);
	ASSERT_LE(0, fd);
	ASSERT_EQ((ssize_t)(span * sizeof(*flags)),
		  pread(fd, flags, span * sizeof(*flags), base * sizeof(*flags)));
	close(fd);
	na = layout_read_physmap(&after);
	if (proactiveness > 0)
		write_sysctl(PROACTIVENESS, proactiveness);
	ASSERT_LT(0, na);

	owners_of(before, nb, owner_before, base, span);
	owners_of(after, na, owner_after, base, span);
	for (pfn = 0; pfn < span; pfn++) {
		unsigned long long f = flags[pfn];
		int want;

		if (!MEMLAB_KPF(f, KPF_COMPOUND_TAIL))
			head = pfn;
		if (owner_before[pfn] < 0 || owner_before[pfn] != owner_after[pfn])
			continue;
		want = layout_kpf_owner(f, MEMLAB_KPF(f, KPF_COMPOUND_TAIL) ?
				 flags[head] : 0);
		judged++;
		seen[owner_before[pfn]]++;
		if (coarse(owner_before[pfn]) == want)
			continue;
		if (wrong++ < 8)
			TH_LOG("pfn 0x%lx: physmap says %s, kpageflags 0x%llx says %s",
			       base + pfn, layout_owner_names[owner_before[pfn]],
			       f, layout_owner_names[want]);
	}
	TH_LOG("%lu frames judged, %lu disagree", judged, wrong);
	/* Most of memory is stable for the length of the test. */
	EXPECT_LT(span / 2, judged);
	EXPECT_GE(judged / 1000 + 16, wrong);
	/* What every booted machine has, and the anonymous memory above. */
	EXPECT_LT(0, seen[LAYOUT_FREE]);
	EXPECT_LT(0, seen[LAYOUT_KERNEL]);
	EXPECT_LT(0, seen[LAYOUT_SLAB]);
	EXPECT_LT(0, seen[LAYOUT_PAGETABLE]);
	EXPECT_LE(2048, seen[LAYOUT_ANON]);
	free(flags);
	free(owner_before);
	free(owner_after);
	free(before);
	free(after);
	munmap(anon, 8 << 20);
}

/*
 * The kernel image against /proc/iomem, which names its parts ("Kernel
 * code", "Kernel data", ...): every frame of those that is still reserved
 * (kpageflags) is the image's, and no frame outside their span is.  Boot
 * frees pieces inside the parts (x86's unused .bss..decrypted, arm64's
 * init_pg_dir) and the gaps between them (init text, the text/rodata gap),
 * which then belong to whoever allocated them.
 */
#define IMAGE_SLACK	(2ULL << 20)

TEST(the_kernel_image_is_where_iomem_says)
{
	unsigned long lo = ULONG_MAX, hi = 0, inside = 0, named = 0, pfn;
	unsigned long long start, end, flags, ps = sysconf(_SC_PAGESIZE);
	struct layout_run *runs;
	const struct layout_run *r;
	char line[256], name[64];
	long n, i;
	int kpf;
	FILE *f;

	if (geteuid() != 0)
		SKIP(return, "must be run as root");
	if (!layout_load())
		SKIP(return, "memlab_layout is not available");
	n = layout_read_physmap(&runs);
	ASSERT_LT(0, n);
	kpf = open("/proc/kpageflags", O_RDONLY);
	ASSERT_LE(0, kpf);
	f = fopen("/proc/iomem", "r");
	ASSERT_NE(NULL, f);
	while (fgets(line, sizeof(line), f)) {
		if (sscanf(line, " %llx-%llx : %63[^\n]", &start, &end, name) != 3 ||
		    strncmp(name, "Kernel ", 7))
			continue;
		lo = start / ps < lo ? start / ps : lo;
		hi = end / ps + 1 > hi ? end / ps + 1 : hi;
		/* The part's frames; a partial first or last one is shared. */
		for (pfn = (start + ps - 1) / ps; pfn < (end + 1) / ps; pfn++) {
			ASSERT_EQ(sizeof(flags), pread(kpf, &flags, sizeof(flags),
						       pfn * sizeof(flags)));
			named++;
			if (!MEMLAB_KPF(flags, LAYOUT_KPF_RESERVED))
				continue;
			r = layout_run_at(runs, n, pfn);
			ASSERT_NE(NULL, r);
			if (r->owner != LAYOUT_KERNEL)
				TH_LOG("pfn 0x%lx of %s is %s", pfn, name,
				       layout_owner_names[r->owner]);
			ASSERT_EQ(LAYOUT_KERNEL, r->owner);
			inside++;
		}
	}
	fclose(f);
	close(kpf);
	if (!hi)
		SKIP(goto out, "/proc/iomem names no part of the kernel");
	TH_LOG("%lu of the %lu frames of the image's parts are reserved, pfn 0x%lx-0x%lx",
	       inside, named, lo, hi);
	/* What boot frees inside the parts is a small share of them. */
	EXPECT_LT(named / 2, inside);
	/*
	 * The image goes on past its last named part (x86's brk area, the
	 * boot page tables), but by less than one of the 2 MiB pages it is
	 * mapped with.
	 */
	lo -= lo < IMAGE_SLACK / ps ? lo : IMAGE_SLACK / ps;
	hi += IMAGE_SLACK / ps;
	for (i = 0; i < n; i++)
		if (runs[i].owner == LAYOUT_KERNEL) {
			EXPECT_LE(lo, runs[i].start);
			EXPECT_GE(hi, runs[i].end);
		}
out:
	free(runs);
}

/*
 * A block memlab_buddy holds is allocated memory with no mark of its own
 * ("other") at the PFN buddy/allocations gives, and free once freed.  Order
 * 5 is above the per-cpu lists' orders, so it goes back to the buddy
 * allocator at once.
 */
TEST(a_buddy_block_is_other_then_free)
{
	struct buddy_alloc_row *rows;
	const struct layout_run *r;
	struct layout_run *runs;
	unsigned long pfn, last;
	long n;
	int nrows;

	if (geteuid() != 0)
		SKIP(return, "must be run as root");
	if (!layout_load() || buddy_load())
		SKIP(return, "memlab_layout or memlab_buddy is not available");
	last = buddy_last_id();
	ASSERT_EQ(0, buddy_cmd("alloc 5"));
	nrows = buddy_read_allocations(BUDDY_DEBUGFS "/allocations", &rows);
	ASSERT_LT(0, nrows);
	ASSERT_LT(last, rows[nrows - 1].id);
	pfn = rows[nrows - 1].pfn;
	free(rows);

	n = layout_read_physmap(&runs);
	ASSERT_LT(0, n);
	r = layout_run_at(runs, n, pfn);
	ASSERT_NE(NULL, r);
	EXPECT_STREQ("other", layout_owner_names[r->owner]);
	EXPECT_GE(pfn, r->start);
	EXPECT_LE(pfn + 32, r->end);
	free(runs);

	ASSERT_EQ(0, buddy_free_after(last));
	n = layout_read_physmap(&runs);
	ASSERT_LT(0, n);
	r = layout_run_at(runs, n, pfn);
	ASSERT_NE(NULL, r);
	EXPECT_STREQ("free", layout_owner_names[r->owner]);
	EXPECT_LE(5, r->order);
	free(runs);
}

TEST_HARNESS_MAIN
