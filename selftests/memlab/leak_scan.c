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

#include "../kselftest_harness.h"
#include "memlab_test.h"

#define KMEMLEAK	"/sys/kernel/debug/kmemleak"
/* kmemleak's minimum object age is 5 s. */
#define LEAK_MIN_AGE_S	6
#define LEAK_SCAN_GAP_S	2

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
	int reports = 0;
	char *p;

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
	for (p = report; (p = strstr(p, "unreferenced object")); p++)
		reports++;
	if (reports)
		TH_LOG("kmemleak reports %d object(s):\n%s", reports, report);
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
