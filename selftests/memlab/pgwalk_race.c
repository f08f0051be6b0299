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
#include "pgwalk_test.h"

#ifndef MADV_COLLAPSE
#define MADV_COLLAPSE 25
#endif

#define HPAGE		(2UL << 20)
#define ROUNDS		150
/* Far from anything else the child maps, so walks find only our games. */
#define PLAYGROUND	((char *)0x300000000000UL)

static void churn(void)
{
	int round;
	size_t i;

	for (round = 0; round < ROUNDS; round++) {
		char *p = mmap(PLAYGROUND, HPAGE, PROT_READ | PROT_WRITE,
			       MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0);

		if (p == MAP_FAILED)
			_exit(1);
		if (round % 2) {
			/* Small pages first, then collapse them to a THP. */
			madvise(p, HPAGE, MADV_NOHUGEPAGE);
			for (i = 0; i < HPAGE; i += 16 * PGWALK_PAGE)
				p[i] = 1;
			madvise(p, HPAGE, MADV_HUGEPAGE);
			madvise(p, HPAGE, MADV_COLLAPSE);
		} else {
			madvise(p, HPAGE, MADV_HUGEPAGE);
			p[0] = 1;
		}
		mprotect(p, HPAGE, PROT_READ);
		mprotect(p, HPAGE, PROT_READ | PROT_WRITE);
		/* Zapping one small page splits a huge pmd. */
		madvise(p + 3 * PGWALK_PAGE, PGWALK_PAGE, MADV_DONTNEED);
		p[5 * PGWALK_PAGE] = 2;
		munmap(p, HPAGE);
	}
	_exit(0);
}

static int dump_ranges(pid_t pid)
{
	char cmd[32], *text;
	int fd, ret = 0;

	fd = open(PGWALK_DIR "/ranges", O_RDWR);
	if (fd < 0)
		return -errno;
	snprintf(cmd, sizeof(cmd), "%d", pid);
	if (write(fd, cmd, strlen(cmd)) < 0) {
		ret = -errno;
	} else {
		text = pgwalk_read_fd(fd);
		if (!text)
			ret = -errno;
		else if (strncmp(text, "# start end size level flags", 28))
			ret = -EPROTO;
		free(text);
	}
	close(fd);
	return ret;
}

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
		churn();

	/* Until the child is reaped: its pid cannot be reused before. */
	while (!exited) {
		size_t off = (walks % 512) * PGWALK_PAGE;

		exited = waitpid(child, &status, WNOHANG) == child;
		snprintf(cmd, sizeof(cmd), "%d %p", child, PLAYGROUND + off);
		ret = pgwalk_walk(cmd, &res);
		if (ret != -ESRCH) {
			ASSERT_EQ(0, ret);
			ASSERT_GE(res.nr, 1);
		}
		walks++;
		if (walks % 8 == 0) {
			ret = dump_ranges(child);
			if (ret != -ESRCH)
				ASSERT_EQ(0, ret);
			dumps++;
		}
	}
	TH_LOG("%d walks and %d ranges dumps raced the child", walks, dumps);
	ASSERT_TRUE(WIFEXITED(status));
	EXPECT_EQ(0, WEXITSTATUS(status));
	/* Gone for good now. */
	snprintf(cmd, sizeof(cmd), "%d %p", child, PLAYGROUND);
	EXPECT_EQ(-ESRCH, pgwalk_walk(cmd, &res));
}

TEST_HARNESS_MAIN
