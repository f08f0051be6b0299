// SPDX-License-Identifier: GPL-2.0
/*
 * kmemleak finds no new unreferenced object.  The suite runs this after
 * each group of tests (it is built under one name per group), so that a
 * leak is pinned to the group that made it; each run clears what it saw,
 * so the next one reports only newer objects.
 *
 * kmemleak only reports an object older than about 5 s, and it can take a
 * pointer that is only in flight (in a register, on another CPU) for a
 * leak on one scan; so the test waits first and scans twice, and counts
 * what is still reported after the second scan.
 *
 * Only the debug kernel has kmemleak; elsewhere the test skips.
 */
#include <unistd.h>

#include "memlab_harness.h"
#include "memlab_lib.h"

#define KMEMLEAK	"/sys/kernel/debug/kmemleak"
/* kmemleak's minimum object age is 5 s. */
#define LEAK_MIN_AGE_S	6
#define LEAK_SCAN_GAP_S	2

/*
 * A leak of the kernel's own, not memlab's: 6.1's sysfs_slab_add() does
 * not put the kobject when kobject_init_and_add() fails, so the name it
 * duplicated leaks whenever kmem_cache_create() fails there, as it does
 * under fault_inject's failslab while memlab_slab loads.
 */
static const char *const kernel_leaks[] = { "sysfs_slab_add+" };

/* Counts the reports in @text that are not known kernel leaks. */
static int memlab_leaks(char *text)
{
	char *obj = strstr(text, "unreferenced object");
	int n = 0;

	while (obj) {
		char *next = strstr(obj + 1, "unreferenced object");
		bool known = false;
		unsigned int i;

		if (next)
			next[-1] = '\0';
		for (i = 0; i < ARRAY_SIZE(kernel_leaks); i++)
			known |= !!strstr(obj, kernel_leaks[i]);
		if (!known)
			n++;
		if (next)
			next[-1] = '\n';
		obj = next;
	}
	return n;
}

static int leak_cmd(const char *cmd)
{
	return memlab_write_cmd(KMEMLEAK, cmd);
}

FIXTURE(leaks) {
};

FIXTURE_SETUP(leaks)
{
}

FIXTURE_TEARDOWN(leaks)
{
}

/* Under TCG one scan of 1 GiB takes several seconds. */
TEST_F_TIMEOUT(leaks, none_new, 180)
{
	char *report;
	int reports;

	if (geteuid() != 0)
		SKIP(return, "must be run as root");

	/*
	 * The periodic scan could report in the middle of a test and be
	 * cleared here unseen; the suite's scans are these ones.
	 */
	ASSERT_EQ(0, leak_cmd("scan=off"));
	sleep(LEAK_MIN_AGE_S);
	ASSERT_EQ(0, leak_cmd("scan"));
	sleep(LEAK_SCAN_GAP_S);
	ASSERT_EQ(0, leak_cmd("scan"));

	report = memlab_read_file(KMEMLEAK);
	ASSERT_NE(NULL, report);
	if (*report)
		TH_LOG("kmemleak reports:\n%s", report);
	reports = memlab_leaks(report);
	free(report);
	/* What was seen is reported once; the next run looks at newer objects. */
	ASSERT_EQ(0, leak_cmd("clear"));
	EXPECT_EQ(0, reports);
}

/* Skipped as a whole, so that the suite's summary counts it as a skip. */
int main(int argc, char **argv)
{
	if (access(KMEMLEAK, R_OK | W_OK)) {
		ksft_print_header();
		ksft_exit_skip("this kernel has no kmemleak (not a debug kernel)\n");
	}
	return test_harness_run(argc, argv);
}
