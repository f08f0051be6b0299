// SPDX-License-Identifier: GPL-2.0
/*
 * memlab/version describes the running system: each value is checked
 * against what the system says through another interface.
 */
#define _GNU_SOURCE
#include <sys/mman.h>
#include <sys/utsname.h>

#include "../kselftest_harness.h"
#include "memlab_test.h"

FIXTURE(version) {
	char *text;
};

FIXTURE_SETUP(version)
{
	if (geteuid() != 0)
		SKIP(return, "must be run as root");
	if (memlab_modprobe("memlab"))
		SKIP(return, "memlab.ko does not load");
	self->text = memlab_read_file(MEMLAB_DEBUGFS "/version");
	ASSERT_NE(NULL, self->text);
}

FIXTURE_TEARDOWN(version)
{
	free(self->text);
}

TEST_F(version, same_in_both_trees)
{
	char *proc = memlab_read_file(MEMLAB_PROC "/version");

	ASSERT_NE(NULL, proc);
	EXPECT_STREQ(self->text, proc);
	free(proc);
}

TEST_F(version, has_a_version)
{
	char val[64];

	ASSERT_EQ(0, memlab_kv(self->text, "version", val, sizeof(val)));
	EXPECT_NE(0, strlen(val));
}

TEST_F(version, kernel_and_arch_match_uname)
{
	struct utsname u;
	char val[128];

	ASSERT_EQ(0, uname(&u));
	ASSERT_EQ(0, memlab_kv(self->text, "kernel", val, sizeof(val)));
	EXPECT_STREQ(u.release, val);
	ASSERT_EQ(0, memlab_kv(self->text, "arch", val, sizeof(val)));
	EXPECT_STREQ(u.machine, val);
}

TEST_F(version, page_size_matches_sysconf)
{
	EXPECT_EQ(sysconf(_SC_PAGESIZE), memlab_kv_long(self->text, "page_size"));
}

/* /proc/buddyinfo has one free-block column for each order 0..max. */
TEST_F(version, max_order_matches_buddyinfo)
{
	char *buddyinfo = memlab_read_file("/proc/buddyinfo");
	char *line, *tok, *save;
	int columns = 0;

	ASSERT_NE(NULL, buddyinfo);
	line = strtok_r(buddyinfo, "\n", &save);
	ASSERT_NE(NULL, line);
	/* "Node 0, zone      DMA      1      0 ..." */
	for (tok = strtok(line, " "); tok; tok = strtok(NULL, " "))
		columns++;
	EXPECT_EQ(columns - 4 - 1, memlab_kv_long(self->text, "max_order"));
	free(buddyinfo);
}

/*
 * User space reaches above 47 bits only with 5-level paging, so whether
 * the kernel maps a page up there tells 4 from 5 levels independently.
 */
TEST_F(version, paging_levels_match_address_space)
{
	/* The first page above 47 bits; 1 << 56 is past even 5-level TASK_SIZE. */
	void *high = (void *)(1UL << 47);
	long levels = memlab_kv_long(self->text, "paging_levels");
	long va_bits = memlab_kv_long(self->text, "va_bits");
	void *p;

	p = mmap(high, getpagesize(), PROT_READ,
		 MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE, -1, 0);
	if (p == high) {
		munmap(p, getpagesize());
		EXPECT_EQ(5, levels);
		EXPECT_EQ(57, va_bits);
	} else {
		EXPECT_EQ(4, levels);
		EXPECT_EQ(48, va_bits);
	}
}

TEST_HARNESS_MAIN
