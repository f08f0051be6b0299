// SPDX-License-Identifier: GPL-2.0
/*
 * pgwalk/ranges of a process covers every page it touched exactly once,
 * with the frame /proc/self/pagemap reports, and nothing it left
 * untouched; runs are sorted, disjoint and physically contiguous.  A dump
 * of many runs reads the same in small pieces, and from a seek, as in one.
 */
#include "memlab_harness.h"
#include "pgwalk_lib.h"

#define NR_PAGES	96
/* Touched in a pattern that leaves holes of one and of several pages. */
static bool touched(int i)
{
	return i % 5 != 2 && (i < 40 || i > 47);
}

struct run {
	unsigned long start, end, size, pfn;
	char level[8];
	char flags[128];
};

/* Reads ranges for @cmd into *runs; returns how many, or -errno. */
static int read_ranges(const char *cmd, struct run **runs)
{
	int fd, n = 0, max = 0;
	char *text, *line;

	*runs = NULL;
	fd = open(PGWALK_DIR "/ranges", O_RDWR);
	if (fd < 0)
		return -errno;
	if (cmd && write(fd, cmd, strlen(cmd)) < 0) {
		n = -errno;
		close(fd);
		return n;
	}
	text = memlab_read_fd(fd);
	close(fd);
	if (!text)
		return -EIO;
	if (strncmp(text, "# start end size level flags pfn_first\n", 39)) {
		free(text);
		return -EPROTO;
	}
	for (line = strchr(text, '\n') + 1; *line;
	     line = strchr(line, '\n') + 1) {
		struct run *r;

		if (n == max) {
			max = max ? 2 * max : 64;
			*runs = realloc(*runs, max * sizeof(**runs));
			if (!*runs) {
				free(text);
				return -ENOMEM;
			}
		}
		r = &(*runs)[n];
		if (sscanf(line, "%lx %lx %lu %7s %127s %lx", &r->start, &r->end,
			   &r->size, r->level, r->flags, &r->pfn) != 6) {
			free(text);
			return -EPROTO;
		}
		n++;
	}
	free(text);
	return n;
}

static void check_runs(struct __test_metadata *_metadata, char *area,
		       struct run *runs, int n)
{
	int i, j;

	ASSERT_GT(n, 0);
	for (j = 0; j < n; j++) {
		EXPECT_LT(runs[j].start, runs[j].end);
		EXPECT_EQ(runs[j].end - runs[j].start, runs[j].size);
		EXPECT_EQ(0UL, runs[j].start % PGWALK_PAGE);
		if (j)
			EXPECT_LE(runs[j - 1].end, runs[j].start);
	}
	for (i = 0; i < NR_PAGES; i++) {
		unsigned long addr = (unsigned long)area + i * PGWALK_PAGE;
		unsigned long long pfn = pgwalk_pagemap_pfn(area + i * PGWALK_PAGE);
		int covered = 0;

		for (j = 0; j < n; j++) {
			if (addr < runs[j].start || addr >= runs[j].end)
				continue;
			covered++;
			EXPECT_EQ(pfn, runs[j].pfn +
				  (addr - runs[j].start) / PGWALK_PAGE);
			EXPECT_STREQ("pte", runs[j].level);
			EXPECT_TRUE(pgwalk_has_flag(runs[j].flags, "RW"));
			EXPECT_TRUE(pgwalk_has_flag(runs[j].flags, PGWALK_F_USER));
		}
		if (touched(i)) {
			EXPECT_NE(0ULL, pfn);
			EXPECT_EQ(1, covered);
		} else {
			EXPECT_EQ(0ULL, pfn);
			EXPECT_EQ(0, covered);
		}
	}
}

FIXTURE(ranges) {
	char *area;
};

FIXTURE_SETUP(ranges)
{
	int i;

	if (geteuid() != 0)
		SKIP(return, "must be run as root");
	if (!pgwalk_load())
		SKIP(return, "memlab_pgwalk is not available");
	self->area = pgwalk_map_small(NR_PAGES);
	ASSERT_NE(MAP_FAILED, self->area);
	for (i = 0; i < NR_PAGES; i++)
		if (touched(i))
			self->area[i * PGWALK_PAGE] = 1;
}

FIXTURE_TEARDOWN(ranges)
{
	if (self->area && self->area != MAP_FAILED)
		munmap(self->area, NR_PAGES * PGWALK_PAGE);
}

TEST_F(ranges, whole_process_covers_touched_pages_once)
{
	char cmd[32];
	struct run *runs;
	int n;

	snprintf(cmd, sizeof(cmd), "%d", getpid());
	n = read_ranges(cmd, &runs);
	check_runs(_metadata, self->area, runs, n);
	free(runs);
}

TEST_F(ranges, span_stays_inside_start_end)
{
	unsigned long start = (unsigned long)self->area;
	unsigned long end = start + NR_PAGES * PGWALK_PAGE;
	struct run *runs;
	char cmd[96];
	int n, j;

	snprintf(cmd, sizeof(cmd), "%d 0x%lx 0x%lx", getpid(), start, end);
	n = read_ranges(cmd, &runs);
	check_runs(_metadata, self->area, runs, n);
	for (j = 0; j < n; j++) {
		EXPECT_GE(runs[j].start, start);
		EXPECT_LE(runs[j].end, end);
	}
	free(runs);
}

/* Without a write, ranges dumps the process of the default target. */
TEST_F(ranges, default_target_process)
{
	char cmd[64], *saved;
	struct run *runs;
	int n;

	saved = memlab_read_file(PGWALK_DIR "/target");
	ASSERT_NE(NULL, saved);
	snprintf(cmd, sizeof(cmd), "%d %p", getpid(), self->area);
	ASSERT_EQ(0, memlab_write_cmd(PGWALK_DIR "/target", cmd));
	n = read_ranges(NULL, &runs);
	check_runs(_metadata, self->area, runs, n);
	free(runs);
	/* Put back the default as it was, "-" for none. */
	EXPECT_EQ(0, memlab_write_cmd(PGWALK_DIR "/target", saved));
	free(saved);
}

/*
 * A 1 TiB mapping with three pages touched: the dump visits the few page
 * tables that exist, so it is three runs and returns at once; a walker
 * that stepped through the VMA page by page would visit 2^28 entries.
 */
TEST(sparse_terabyte_is_three_runs)
{
	const unsigned long size = 1UL << 40;
	unsigned long offsets[] = {
		0, (300UL << 30) + 5 * PGWALK_PAGE, size - PGWALK_PAGE,
	};
	struct run *runs;
	char cmd[96], *area;
	unsigned int i;
	int n;

	if (geteuid() != 0)
		SKIP(return, "must be run as root");
	if (!pgwalk_load())
		SKIP(return, "memlab_pgwalk is not available");
	area = mmap(NULL, size, PROT_READ | PROT_WRITE,
		    MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	if (area == MAP_FAILED)
		SKIP(return, "no 1 TiB of address space");
	madvise(area, size, MADV_NOHUGEPAGE);
	for (i = 0; i < ARRAY_SIZE(offsets); i++)
		area[offsets[i]] = 1;

	snprintf(cmd, sizeof(cmd), "%d %p 0x%lx", getpid(), area,
		 (unsigned long)area + size);
	n = read_ranges(cmd, &runs);
	ASSERT_EQ(3, n);
	for (i = 0; i < ARRAY_SIZE(offsets); i++) {
		EXPECT_EQ((unsigned long)area + offsets[i], runs[i].start);
		EXPECT_EQ(PGWALK_PAGE, runs[i].size);
		EXPECT_EQ(pgwalk_pagemap_pfn(area + offsets[i]), runs[i].pfn);
	}
	free(runs);
	munmap(area, size);
}

/* The dump of @cmd, read @piece bytes at a time from offset @from. */
static char *read_pieces(const char *cmd, size_t piece, off_t from)
{
	size_t len = 0, max = 1 << 16;
	char *text = malloc(max);
	ssize_t n = 0;
	int fd;

	fd = open(PGWALK_DIR "/ranges", O_RDWR);
	if (fd < 0 || !text || write(fd, cmd, strlen(cmd)) < 0 ||
	    lseek(fd, from, SEEK_SET) != from)
		goto fail;
	for (;;) {
		if (len + piece + 1 > max) {
			char *more = realloc(text, max *= 2);

			if (!more)
				goto fail;
			text = more;
		}
		n = read(fd, text + len, piece);
		if (n <= 0)
			break;
		len += n;
	}
	if (n < 0)
		goto fail;
	text[len] = '\0';
	close(fd);
	return text;
fail:
	free(text);
	if (fd >= 0)
		close(fd);
	return NULL;
}

/*
 * Every other page of 1000 touched: 500 runs of a page, which the module
 * reads out in chunks of runs.  Reads of 61 bytes cut rows and chunks
 * anywhere, and must still give the very text of one large read; so must
 * a read from a seek into the middle.  The runs are checked against
 * pagemap first, so the text compared is right, not merely stable.
 */
TEST(many_runs_read_in_pieces)
{
	const int pages = 1000;
	char *area, *whole, *pieces, *tail;
	unsigned long start;
	struct run *runs;
	char cmd[96];
	size_t half;
	int i, n;

	if (geteuid() != 0)
		SKIP(return, "must be run as root");
	if (!pgwalk_load())
		SKIP(return, "memlab_pgwalk is not available");
	area = pgwalk_map_small(pages);
	ASSERT_NE(MAP_FAILED, area);
	for (i = 0; i < pages; i += 2)
		area[i * PGWALK_PAGE] = 1;
	start = (unsigned long)area;
	snprintf(cmd, sizeof(cmd), "%d 0x%lx 0x%lx", getpid(), start,
		 start + pages * PGWALK_PAGE);

	n = read_ranges(cmd, &runs);
	ASSERT_EQ(pages / 2, n);
	for (i = 0; i < n; i++) {
		EXPECT_EQ(start + 2 * i * PGWALK_PAGE, runs[i].start);
		EXPECT_EQ(PGWALK_PAGE, runs[i].size);
		EXPECT_EQ(pgwalk_pagemap_pfn(area + 2 * i * PGWALK_PAGE),
			  runs[i].pfn);
	}
	free(runs);

	whole = read_pieces(cmd, 1 << 20, 0);
	pieces = read_pieces(cmd, 61, 0);
	ASSERT_NE(NULL, whole);
	ASSERT_NE(NULL, pieces);
	EXPECT_STREQ(whole, pieces);
	half = strlen(whole) / 2;
	tail = read_pieces(cmd, 61, half);
	ASSERT_NE(NULL, tail);
	EXPECT_STREQ(whole + half, tail);
	free(whole);
	free(pieces);
	free(tail);
	munmap(area, pages * PGWALK_PAGE);
}

TEST_HARNESS_MAIN
