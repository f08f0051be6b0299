// SPDX-License-Identifier: GPL-2.0
/*
 * A signal interrupts a reader waiting on an empty ring and a writer
 * waiting on a full one: without SA_RESTART the call fails with EINTR and
 * has moved nothing; with SA_RESTART it is restarted and completes.
 */
#define _GNU_SOURCE
#include <signal.h>

#include "memlab_harness.h"
#include "ring_fixture.h"

/* Lock-free atomics are safe in a signal handler. */
static int caught;

static void on_signal(int sig)
{
	(void)sig;
	__atomic_fetch_add(&caught, 1, __ATOMIC_RELAXED);
}

static int times_caught(void)
{
	return __atomic_load_n(&caught, __ATOMIC_RELAXED);
}

static void catch_sigusr1(int flags)
{
	struct sigaction sa = { .sa_handler = on_signal, .sa_flags = flags };

	sigemptyset(&sa.sa_mask);
	sigaction(SIGUSR1, &sa, NULL);
}

/*
 * In a child: one blocking read (or write of a byte) on a fresh file.
 * Exits 0 if it failed with EINTR after the handler ran.
 */
static int child_interrupted(int do_write)
{
	int fd = open(RING_DEV, O_RDWR);
	char c = 'z';
	ssize_t n;

	if (fd < 0)
		return 2;
	catch_sigusr1(0);
	n = do_write ? write(fd, &c, 1) : read(fd, &c, 1);
	return n == -1 && errno == EINTR && times_caught() == 1 ? 0 : 1;
}

static void interrupt(struct __test_metadata *_metadata, int do_write)
{
	int status;
	pid_t pid;

	pid = fork();
	ASSERT_LE(0, pid);
	if (pid == 0)
		_exit(child_interrupted(do_write));
	ASSERT_EQ(0, ring_wait_blocked(pid, do_write ? SYS_write : SYS_read,
				       -2));
	ASSERT_EQ(0, kill(pid, SIGUSR1));
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0);
}

TEST_F(ring, interrupts_blocked_read)
{
	struct ring_state after;

	interrupt(_metadata, 0);
	ASSERT_EQ(0, ring_read_state(&after));
	EXPECT_EQ(0, after.used);
	EXPECT_EQ(self->st.read_node, after.read_node);
	EXPECT_EQ(self->st.read_offset, after.read_offset);
}

TEST_F(ring, interrupts_blocked_write)
{
	long cap = self->st.capacity;
	struct ring_state after;
	char *buf = malloc(cap), *back = malloc(cap);
	long i;

	ASSERT_TRUE(buf && back);
	for (i = 0; i < cap; i++)
		buf[i] = i * 13 + 5;
	ASSERT_EQ(cap, write(self->fd, buf, cap));

	interrupt(_metadata, 1);
	ASSERT_EQ(0, ring_read_state(&after));
	EXPECT_EQ(cap, after.used);

	/* The interrupted 'z' went nowhere. */
	ASSERT_EQ(cap, read(self->fd, back, cap));
	EXPECT_EQ(0, memcmp(buf, back, cap));
	EXPECT_EQ(0, ring_drain(self->fd));
	free(buf);
	free(back);
}

/* With SA_RESTART the read sleeps on after the handler and gets the data. */
TEST_F(ring, restarts_with_sa_restart)
{
	int status;
	pid_t pid;

	pid = fork();
	ASSERT_LE(0, pid);
	if (pid == 0) {
		int fd = open(RING_DEV, O_RDONLY);
		char c = 0;

		catch_sigusr1(SA_RESTART);
		if (fd < 0 || read(fd, &c, 1) != 1)
			_exit(1);
		_exit(c == 'r' && times_caught() == 1 ? 0 : 1);
	}
	ASSERT_EQ(0, ring_wait_blocked(pid, SYS_read, -2));
	ASSERT_EQ(0, kill(pid, SIGUSR1));
	/* Asleep in read() again, not returned from it. */
	ASSERT_EQ(0, ring_wait_blocked(pid, SYS_read, -2));
	ASSERT_EQ(1, write(self->fd, "r", 1));
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0);
}

TEST_HARNESS_MAIN
