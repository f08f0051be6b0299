// SPDX-License-Identifier: GPL-2.0
/*
 * pgwalk/at answers a pread() at an address with that page's walk, in the
 * process that opened it or the one written to it, as /proc/PID/pagemap
 * answers with its entry.  The walks agree with pagemap, a child's with
 * the child's pagemap, and kernel text (read without bit 63 of its
 * address) with /proc/kallsyms and /proc/iomem.  An offset inside a page
 * is an offset into its walk, so read() and cat stop at the walk's end;
 * bad writes change nothing.
 */
#define _GNU_SOURCE
#include <signal.h>
#include <sys/wait.h>

#include "memlab_harness.h"
#include "pgwalk_lib.h"

#define AT		PGWALK_DIR "/at"
#define NR_PAGES	16
/* Every fourth page stays untouched. */
#define TOUCHED(i)	((i) % 4 != 3)

/* The walk of the page at @off in @fd, parsed; 0 or -errno. */
static int at_walk(int fd, off_t off, struct pgwalk_result *res)
{
	char buf[4096];
	ssize_t n = pread(fd, buf, sizeof(buf) - 1, off);

	if (n < 0)
		return -errno;
	buf[n] = '\0';
	return pgwalk_parse(buf, res);
}

/* Does @fd walk @addr, touched by us, to the frame our pagemap gives? */
static bool walks_own_page(int fd, const char *addr)
{
	const struct pgwalk_row *page;
	struct pgwalk_result res;

	if (at_walk(fd, (uintptr_t)addr, &res))
		return false;
	page = pgwalk_find(&res, "page");
	return page && page->value == pgwalk_pagemap_pfn(addr);
}

FIXTURE(at) {
	char *area;
	int fd;
};

FIXTURE_SETUP(at)
{
	int i;

	self->fd = -1;
	if (geteuid() != 0)
		SKIP(return, "must be run as root");
	if (!pgwalk_load())
		SKIP(return, "memlab_pgwalk is not available");
	self->area = pgwalk_map_small(NR_PAGES);
	ASSERT_NE(MAP_FAILED, self->area);
	for (i = 0; i < NR_PAGES; i++)
		if (TOUCHED(i))
			self->area[i * PGWALK_PAGE] = i;
	self->fd = open(AT, O_RDWR);
	ASSERT_LE(0, self->fd);
}

FIXTURE_TEARDOWN(at)
{
	if (self->fd >= 0)
		close(self->fd);
	if (self->area && self->area != MAP_FAILED)
		munmap(self->area, NR_PAGES * PGWALK_PAGE);
}

TEST_F(at, pread_walks_the_openers_page_to_pagemap_pfn)
{
	struct pgwalk_result res;
	int i;

	for (i = 0; i < NR_PAGES; i++) {
		char *addr = self->area + i * PGWALK_PAGE;
		unsigned long long pfn = pgwalk_pagemap_pfn(addr);
		const struct pgwalk_row *page, *pte;

		ASSERT_EQ(0, at_walk(self->fd, (uintptr_t)addr, &res));
		ASSERT_GE(res.nr, 4);
		page = pgwalk_find(&res, "page");
		pte = pgwalk_find(&res, "pte");
		/*
		 * An untouched page whose 2 MiB has no page table yet (the
		 * mapping may straddle one) ends the walk at its pmd.
		 */
		if (!TOUCHED(i)) {
			EXPECT_EQ(0ULL, pfn);
			EXPECT_EQ(NULL, page);
			continue;
		}
		ASSERT_NE(0ULL, pfn);
		ASSERT_NE(NULL, pte);
		ASSERT_NE(NULL, page);
		EXPECT_EQ(pfn, page->value);
		EXPECT_EQ(pfn * PGWALK_PAGE, page->pa);
		EXPECT_TRUE(pgwalk_has_flag(page->flags, "anon"));
		EXPECT_TRUE(pgwalk_has_flag(pte->flags, PGWALK_F_PRESENT));
		EXPECT_EQ(pfn, (pte->value & PGWALK_ENTRY_ADDR_MASK) / PGWALK_PAGE);
	}
}

TEST_F(at, an_offset_in_a_page_is_an_offset_in_its_walk)
{
	uintptr_t addr = (uintptr_t)self->area;
	char full[4096], part[4096], cat[4096];
	struct pgwalk_result res;
	ssize_t len, n;
	size_t got = 0;

	len = pread(self->fd, full, sizeof(full), addr);
	ASSERT_LT(0, len);
	ASSERT_LT(len, (ssize_t)sizeof(full));
	full[len] = '\0';
	ASSERT_EQ(0, pgwalk_parse(full, &res));

	/* From byte 10 of the walk, and nothing at its end or past it. */
	n = pread(self->fd, part, sizeof(part), addr + 10);
	ASSERT_EQ(len - 10, n);
	EXPECT_EQ(0, memcmp(full + 10, part, n));
	EXPECT_EQ(0, pread(self->fd, part, sizeof(part), addr + len));
	EXPECT_EQ(0, pread(self->fd, part, sizeof(part),
			   addr + PGWALK_PAGE - 1));

	/* read() from the address, 7 bytes at a time, gets it whole, then 0. */
	ASSERT_EQ((off_t)addr, lseek(self->fd, addr, SEEK_SET));
	while ((n = read(self->fd, cat + got, 7)) > 0)
		got += n;
	EXPECT_EQ(0, n);
	EXPECT_EQ(len, (ssize_t)got);
	EXPECT_EQ(0, memcmp(full, cat, got));
	/* The position is where the walk ended. */
	EXPECT_EQ((off_t)(addr + len), lseek(self->fd, 0, SEEK_CUR));

	/*
	 * The end of a short walk (an untouched page, no "page" row) is the
	 * end, even after a longer walk was read past its own end.
	 */
	n = pread(self->fd, part, sizeof(part), addr + 3 * PGWALK_PAGE);
	ASSERT_LT(0, n);
	ASSERT_LT(n, len);
	EXPECT_EQ(0, pread(self->fd, cat, sizeof(cat), addr + PGWALK_PAGE - 1));
	EXPECT_EQ(0, pread(self->fd, cat, sizeof(cat), addr + 3 * PGWALK_PAGE + n));

	/* The next page's walk starts at the next page. */
	ASSERT_EQ(0, at_walk(self->fd, addr + PGWALK_PAGE, &res));
	EXPECT_EQ(pgwalk_pagemap_pfn(self->area + PGWALK_PAGE),
		  pgwalk_find(&res, "page")->value);
}

TEST_F(at, cat_reads_the_walk_of_address_zero_and_stops)
{
	char *text = memlab_read_file(AT);
	struct pgwalk_result res;

	ASSERT_NE(NULL, text);
	ASSERT_EQ(0, pgwalk_parse(text, &res));
	free(text);
	/* cat's own address 0: nothing is mapped there. */
	EXPECT_EQ(NULL, pgwalk_find(&res, "page"));
	EXPECT_EQ(0ULL, pgwalk_pagemap_pfn(NULL));
}

TEST_F(at, a_pid_written_binds_its_tables_until_it_exits)
{
	char *spot = PGWALK_PLAYGROUND;
	const struct pgwalk_row *page;
	struct pgwalk_result res;
	int ready[2], status;
	unsigned long long pfn;
	char cmd[32], c;
	pid_t child;

	ASSERT_EQ(0, pipe(ready));
	child = fork();
	ASSERT_LE(0, child);
	if (child == 0) {
		char *p = mmap(spot, PGWALK_PAGE, PROT_READ | PROT_WRITE,
			       MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE,
			       -1, 0);

		if (p != spot)
			_exit(1);
		*p = 1;
		if (write(ready[1], "x", 1) != 1)
			_exit(1);
		pause();
		_exit(0);
	}
	close(ready[1]);
	ASSERT_EQ(1, read(ready[0], &c, 1));
	close(ready[0]);

	/* Bound to us, who map nothing there. */
	ASSERT_EQ(0, at_walk(self->fd, (uintptr_t)spot, &res));
	EXPECT_EQ(NULL, pgwalk_find(&res, "page"));

	snprintf(cmd, sizeof(cmd), "%d", child);
	ASSERT_EQ((ssize_t)strlen(cmd), write(self->fd, cmd, strlen(cmd)));
	pfn = pgwalk_pagemap_pfn_of(child, spot);
	ASSERT_NE(0ULL, pfn);
	ASSERT_EQ(0, at_walk(self->fd, (uintptr_t)spot, &res));
	page = pgwalk_find(&res, "page");
	ASSERT_NE(NULL, page);
	EXPECT_EQ(pfn, page->value);

	/* Gone, and reaped: its tables with it. */
	kill(child, SIGKILL);
	ASSERT_EQ(child, waitpid(child, &status, 0));
	EXPECT_EQ(-ESRCH, at_walk(self->fd, (uintptr_t)spot, &res));

	/* Our own pid binds us again. */
	snprintf(cmd, sizeof(cmd), "%d", getpid());
	ASSERT_EQ((ssize_t)strlen(cmd), write(self->fd, cmd, strlen(cmd)));
	EXPECT_TRUE(walks_own_page(self->fd, self->area));
}

TEST_F(at, kernel_text_walks_into_iomem_kernel_code)
{
	unsigned long sym = memlab_kallsyms("schedule", NULL);
	/* Its page's address, without bit 63. */
	off_t off = sym & LLONG_MAX & ~(PGWALK_PAGE - 1);
	unsigned long long code, code_end;
	const struct pgwalk_row *page;
	struct pgwalk_result res;

	if (!sym)
		SKIP(return, "/proc/kallsyms hides kernel addresses");
	ASSERT_EQ(1, memlab_iomem_ranges("Kernel code", -1, &code, &code_end, 1));

	/* Bound to us, the offset is a user address we cannot have. */
	EXPECT_EQ(-EINVAL, at_walk(self->fd, off, &res));

	ASSERT_EQ(6, write(self->fd, "kernel", 6));
	EXPECT_EQ(-EINVAL, at_walk(self->fd, (uintptr_t)self->area, &res));
	ASSERT_EQ(0, at_walk(self->fd, off, &res));
	page = pgwalk_find(&res, "page");
	ASSERT_NE(NULL, page);
	TH_LOG("schedule at 0x%lx: phys 0x%llx, Kernel code 0x%llx-0x%llx",
	       sym, page->pa, code, code_end);
	EXPECT_LE(code, page->pa);
	EXPECT_GE(code_end, page->pa);
	/* The walk is of schedule's page, from its first byte. */
	EXPECT_EQ(0ULL, page->pa % PGWALK_PAGE);
	EXPECT_TRUE(pgwalk_has_flag(res.row[res.nr - 2].flags,
				    PGWALK_F_PRESENT));
}

TEST_F(at, bad_writes_fail_and_change_nothing)
{
	static const struct {
		const char *line;
		int err;
	} bad[] = {
		{ "", EINVAL },
		{ "\n", EINVAL },
		{ "self", EINVAL },
		{ "-1", EINVAL },
		{ "0x", EINVAL },
		{ "kernel 0x1000", EINVAL },
		{ "1 2", EINVAL },
		{ "kernels", EINVAL },
		{ "4194305", EINVAL },	/* above PID_MAX_LIMIT */
		{ "2", EINVAL },	/* kthreadd: no mm */
	};
	char gone[16];
	unsigned int i;
	pid_t child;

	for (i = 0; i < ARRAY_SIZE(bad); i++) {
		errno = 0;
		EXPECT_EQ(-1, write(self->fd, bad[i].line, strlen(bad[i].line)))
			TH_LOG("\"%s\"", bad[i].line);
		EXPECT_EQ(bad[i].err, errno) TH_LOG("\"%s\"", bad[i].line);
		EXPECT_TRUE(walks_own_page(self->fd, self->area))
			TH_LOG("after \"%s\"", bad[i].line);
	}

	/* A pid that names nobody any more. */
	child = fork();
	ASSERT_LE(0, child);
	if (child == 0)
		_exit(0);
	ASSERT_EQ(child, waitpid(child, NULL, 0));
	snprintf(gone, sizeof(gone), "%d", child);
	EXPECT_EQ(-1, write(self->fd, gone, strlen(gone)));
	EXPECT_EQ(ESRCH, errno);
	EXPECT_TRUE(walks_own_page(self->fd, self->area));
}

TEST_HARNESS_MAIN
