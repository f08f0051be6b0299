// SPDX-License-Identifier: GPL-2.0
/*
 * poll() and select() report a ring as readable exactly when it holds data
 * and as writable exactly when it has room, each only for a file opened
 * for that direction, and a blocked poll() wakes when that changes.
 */
#define _GNU_SOURCE
#include <poll.h>
#include <sys/select.h>

#include "memlab_harness.h"
#include "ring_fixture.h"

/* Generous: only a broken wakeup ever waits this long. */
#define WAKEUP_MS 20000

static short poll_now(int fd, short events)
{
	struct pollfd p = { .fd = fd, .events = events };

	if (poll(&p, 1, 0) < 0)
		return -1;
	return p.revents;
}

/* What select() says, in poll()'s terms. */
static short select_now(int fd)
{
	struct timeval tv = { 0 };
	fd_set rd, wr;
	short ret = 0;

	FD_ZERO(&rd);
	FD_ZERO(&wr);
	FD_SET(fd, &rd);
	FD_SET(fd, &wr);
	if (select(fd + 1, &rd, &wr, NULL, &tv) < 0)
		return -1;
	if (FD_ISSET(fd, &rd))
		ret |= POLLIN;
	if (FD_ISSET(fd, &wr))
		ret |= POLLOUT;
	return ret;
}

static void write_n(struct __test_metadata *_metadata, int fd, long n)
{
	char buf[256];

	memset(buf, 'p', sizeof(buf));
	while (n > 0) {
		long chunk = n < (long)sizeof(buf) ? n : (long)sizeof(buf);

		ASSERT_EQ(chunk, write(fd, buf, chunk));
		n -= chunk;
	}
}

TEST_F(ring, readiness_follows_fill_level)
{
	const short both = POLLIN | POLLOUT;
	char c;

	EXPECT_EQ(POLLOUT, poll_now(self->fd, both));
	EXPECT_EQ(POLLOUT, select_now(self->fd));

	write_n(_metadata, self->fd, 1);
	if (self->st.capacity > 1) {
		EXPECT_EQ(both, poll_now(self->fd, both));
		EXPECT_EQ(both, select_now(self->fd));
	}

	write_n(_metadata, self->fd, self->st.capacity - 1);
	EXPECT_EQ(POLLIN, poll_now(self->fd, both));
	EXPECT_EQ(POLLIN, select_now(self->fd));

	ASSERT_EQ(1, read(self->fd, &c, 1));
	EXPECT_EQ(self->st.capacity > 1 ? both : POLLOUT, poll_now(self->fd, both));

	EXPECT_EQ(self->st.capacity - 1, ring_drain(self->fd));
	EXPECT_EQ(POLLOUT, poll_now(self->fd, both));
	EXPECT_EQ(POLLOUT, select_now(self->fd));
}

/* A file opened for one direction is never ready for the other. */
TEST_F(ring, only_the_opened_direction)
{
	int rfd = open(RING_DEV, O_RDONLY | O_NONBLOCK);
	int wfd = open(RING_DEV, O_WRONLY | O_NONBLOCK);

	ASSERT_LE(0, rfd);
	ASSERT_LE(0, wfd);
	/* Empty: a reader has nothing to wait for but room. */
	EXPECT_EQ(0, poll_now(rfd, POLLIN | POLLOUT));
	EXPECT_EQ(POLLOUT, poll_now(wfd, POLLIN | POLLOUT));

	write_n(_metadata, wfd, self->st.capacity);
	EXPECT_EQ(POLLIN, poll_now(rfd, POLLIN | POLLOUT));
	EXPECT_EQ(0, poll_now(wfd, POLLIN | POLLOUT));

	EXPECT_EQ(self->st.capacity, ring_drain(rfd));
	close(rfd);
	close(wfd);
}

/*
 * A poll() that is already asleep wakes when a writer adds data, or when a
 * reader makes room in a full ring.
 */
TEST_F(ring, blocked_poll_wakes)
{
	struct pollfd p = { .fd = self->fd };
	pid_t parent = getpid(), pid;
	int status;

	p.events = POLLIN;
	pid = fork();
	ASSERT_LE(0, pid);
	if (pid == 0) {
		int wfd = open(RING_DEV, O_WRONLY);

		if (wfd < 0 || ring_wait_blocked(parent, RING_SYS_POLL, SYS_ppoll))
			_exit(1);
		_exit(write(wfd, "w", 1) == 1 ? 0 : 1);
	}
	EXPECT_EQ(1, poll(&p, 1, WAKEUP_MS));
	EXPECT_EQ(POLLIN, p.revents);
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0);

	write_n(_metadata, self->fd, self->st.capacity - 1);
	p.events = POLLOUT;
	p.revents = 0;
	EXPECT_EQ(0, poll(&p, 1, 0));
	pid = fork();
	ASSERT_LE(0, pid);
	if (pid == 0) {
		int rfd = open(RING_DEV, O_RDONLY);
		char c;

		if (rfd < 0 || ring_wait_blocked(parent, RING_SYS_POLL, SYS_ppoll))
			_exit(1);
		_exit(read(rfd, &c, 1) == 1 && c == 'w' ? 0 : 1);
	}
	EXPECT_EQ(1, poll(&p, 1, WAKEUP_MS));
	EXPECT_EQ(POLLOUT, p.revents);
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0);
	EXPECT_EQ(self->st.capacity - 1, ring_drain(self->fd));
}

TEST_HARNESS_MAIN
