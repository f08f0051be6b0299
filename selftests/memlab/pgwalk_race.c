// SPDX-License-Identifier: GPL-2.0
/*
 * pgwalk survives a process that changes its page tables under the walk:
 * munmap, mprotect, THP collapse (MADV_COLLAPSE), THP split
 * (MADV_DONTNEED of one small page), and finally exit.  Every walk and
 * every ranges dump either succeeds with a well-formed table or, once the
 * process is gone, fails with -ESRCH.  So does every read of a pgwalk/at
 * descriptor that another thread keeps binding to processes that die.
 * The kernel log is checked for splats by the lab after the run.
 */
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>

#include "memlab_harness.h"
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

/*
 * One pgwalk/at descriptor shared by two threads: one binds it to process
 * after process, each killed and reaped once it is left, while the other
 * reads through it.  A bind drops the mm it replaces, the last reference
 * to a dead process's: the core runs a command under the descriptor's own
 * lock, so a read never walks an mm freed under it.  Every read is a walk
 * or -ESRCH; KASAN, on the debug tier, sees any use after free.
 */
#define SHARED_BINDS	48

struct shared_fd {
	int fd;
	atomic_bool done;
	int reads, walks, errors;
};

static void *shared_reader(void *arg)
{
	struct shared_fd *sh = arg;
	char buf[4096];
	ssize_t n;

	while (!atomic_load(&sh->done)) {
		n = pread(sh->fd, buf, sizeof(buf), (uintptr_t)PGWALK_PLAYGROUND);
		sh->reads++;
		if (n > 0 && !strncmp(buf, "# level ", 8))
			sh->walks++;
		else if (n >= 0 || errno != ESRCH)
			sh->errors++;
	}
	return NULL;
}

TEST(one_at_fd_rebound_while_read)
{
	struct shared_fd sh = { .fd = -1 };
	pthread_t reader;
	char cmd[32];
	int i;

	if (geteuid() != 0)
		SKIP(return, "must be run as root");
	if (!pgwalk_load())
		SKIP(return, "memlab_pgwalk is not available");
	sh.fd = open(PGWALK_DIR "/at", O_RDWR);
	ASSERT_LE(0, sh.fd);
	ASSERT_EQ(0, pthread_create(&reader, NULL, shared_reader, &sh));
	for (i = 0; i < SHARED_BINDS; i++) {
		pid_t child = fork();

		ASSERT_LE(0, child);
		if (child == 0) {
			pause();
			_exit(0);
		}
		snprintf(cmd, sizeof(cmd), "%d", child);
		EXPECT_EQ((ssize_t)strlen(cmd), write(sh.fd, cmd, strlen(cmd)));
		kill(child, SIGKILL);
		ASSERT_EQ(child, waitpid(child, NULL, 0));
	}
	atomic_store(&sh.done, true);
	pthread_join(reader, NULL);
	/* The last bind's mm goes with this one. */
	EXPECT_EQ(6, write(sh.fd, "kernel", 6));
	close(sh.fd);
	TH_LOG("%d reads, %d walks, %d binds", sh.reads, sh.walks, SHARED_BINDS);
	EXPECT_EQ(0, sh.errors);
	EXPECT_LT(0, sh.reads);
}

TEST_HARNESS_MAIN
