// SPDX-License-Identifier: GPL-2.0
/*
 * memlab/version describes the running system: each value is checked
 * against what the system says through another interface.
 */
#define _GNU_SOURCE
#include <sys/mman.h>
#include <sys/utsname.h>

#include "memlab_harness.h"
#include "memlab_lib.h"

FIXTURE(version) {
	char *text;
};

FIXTURE_SETUP(version)
{
	if (geteuid() != 0)
		SKIP(return, "must be run as root");
	if (memlab_kmod_load("memlab", ""))
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
	int max_order = memlab_max_order();

	ASSERT_LE(0, max_order);
	EXPECT_EQ(max_order, memlab_kv_long(self->text, "max_order"));
}

/*
 * How many bits of address user space really has: the highest power of two
 * the kernel lets a fixed mapping sit at, plus one.
 */
static int user_va_bits(void)
{
	long page = memlab_page_size();
	int bit;

	for (bit = 62; bit > 30; bit--) {
		void *want = (void *)(1UL << bit);
		void *p = mmap(want, page, PROT_READ,
			       MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE,
			       -1, 0);

		if (p == want) {
			munmap(p, page);
			return bit + 1;
		}
		if (p != MAP_FAILED)
			munmap(p, page);
	}
	return -1;
}

/*
 * The user address space, probed with mmap(), tells the VA bits
 * independently, and those with the page size tell the levels: each level
 * translates PAGE_SHIFT - 3 bits, as a table is one page of 8-byte entries.
 * x86 splits one address space into a user and a kernel half, so user space
 * has one bit fewer; arm64 gives it a translation table base (TTBR0) of its
 * own, as wide as the kernel's.
 */
TEST_F(version, paging_levels_match_address_space)
{
	long levels = memlab_kv_long(self->text, "paging_levels");
	long va_bits = memlab_kv_long(self->text, "va_bits");
	int page_shift = __builtin_ctzl(memlab_page_size());
	int per_level = page_shift - 3;
	int bits = user_va_bits();

	ASSERT_LT(0, bits);
#if defined(__x86_64__)
	bits++;
#endif
	EXPECT_EQ(bits, va_bits);
	EXPECT_EQ((bits - page_shift + per_level - 1) / per_level, levels);
}

TEST_HARNESS_MAIN
