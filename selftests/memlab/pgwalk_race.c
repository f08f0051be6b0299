// SPDX-License-Identifier: GPL-2.0
/*
 * pgwalk survives a process that changes its page tables under the walk:
 * munmap, mprotect, THP collapse (MADV_COLLAPSE), THP split
 * (MADV_DONTNEED of one small page), and finally exit.  Every walk and
 * every ranges dump either succeeds with a well-formed table or, once the
 * process is gone, fails with -ESRCH.  The kernel log is checked for
 * splats by the lab after the run.
 */
#include <signal.h>

#include "../kselftest_harness.h"
#include "pgwalk_lib.h"

#define ROUNDS		150

TEST(walk_races_with_munmap_mprotect_thp_and_exit)
{
	struct pgwalk_result res;
	int walks = 0, dumps = 0, status, ret;
	bool exited = false;
	char cmd[64];
	pid_t child;

	if (geteuid() != 0)
		SKIP(return, "must be run as root");
	if (!pgwalk_load())
		SKIP(return, "memlab_pgwalk is not available");

	child = fork();
	ASSERT_GE(child, 0);
	if (child == 0)
		pgwalk_churn(ROUNDS);

	/* Until the child is reaped: its pid cannot be reused before. */
	while (!exited) {
		size_t off = (walks % 512) * PGWALK_PAGE;

		exited = waitpid(child, &status, WNOHANG) == child;
		snprintf(cmd, sizeof(cmd), "%d %p", child, PGWALK_PLAYGROUND + off);
		ret = pgwalk_walk(cmd, &res);
		if (ret != -ESRCH) {
			ASSERT_EQ(0, ret);
			ASSERT_GE(res.nr, 1);
		}
		walks++;
		if (walks % 8 == 0) {
			ret = pgwalk_dump_ranges(child);
			if (ret != -ESRCH)
				ASSERT_EQ(0, ret);
			dumps++;
		}
	}
	TH_LOG("%d walks and %d ranges dumps raced the child", walks, dumps);
	ASSERT_TRUE(WIFEXITED(status));
	EXPECT_EQ(0, WEXITSTATUS(status));
	/* Gone for good now. */
	snprintf(cmd, sizeof(cmd), "%d %p", child, PGWALK_PLAYGROUND);
	EXPECT_EQ(-ESRCH, pgwalk_walk(cmd, &res));
}

TEST_HARNESS_MAIN
