// SPDX-License-Identifier: GPL-2.0
/*
 * A write to a full ring never loses or overwrites data: it takes only
 * what fits, and a blocked writer goes on once a reader made room, behind
 * everything that was there before it.
 */
#define _GNU_SOURCE
#include "memlab_harness.h"
#include "ring_fixture.h"

FIXTURE(full) {
	int fd;
	struct ring_state st;
	long cap;
	unsigned char *a, *b, *c, *got;
};

/* Three streams that differ in every byte position. */
static void fill_pattern(unsigned char *buf, long len, unsigned char tag)
{
	long i;

	for (i = 0; i < len; i++)
		buf[i] = tag + i * 7;
}

FIXTURE_SETUP(full)
{
	if (!ring_fixture_open(_metadata, &self->fd, &self->st))
		return;
	self->cap = self->st.capacity;
	self->a = malloc(self->cap);
	self->b = malloc(self->cap);
	self->c = malloc(self->cap);
	self->got = malloc(2 * self->cap);
	ASSERT_TRUE(self->a && self->b && self->c && self->got);
	fill_pattern(self->a, self->cap, 1);
	fill_pattern(self->b, self->cap, 2);
	fill_pattern(self->c, self->cap, 3);
}

FIXTURE_TEARDOWN(full)
{
	ring_close_empty(self->fd);
	free(self->a);
	free(self->b);
	free(self->c);
	free(self->got);
}

/* Reads exactly @len bytes through a blocking read loop. */
static long read_exactly(int fd, unsigned char *buf, long len)
{
	long got = 0;

	while (got < len) {
		ssize_t n = read(fd, buf + got, len - got);

		if (n <= 0)
			return -1;
		got += n;
	}
	return got;
}

TEST_F(full, write_to_full_ring_keeps_old_data)
{
	long cap = self->cap, k = cap / 3 + 1;
	int status;
	pid_t pid;

	/* Fill it in one write. */
	ASSERT_EQ(cap, write(self->fd, self->a, cap));
	EXPECT_EQ(-1, write(self->fd, self->b, cap));
	EXPECT_EQ(EAGAIN, errno);

	/* Room for k: a write of cap bytes takes k and no more. */
	ASSERT_EQ(k, read(self->fd, self->got, k));
	EXPECT_EQ(0, memcmp(self->got, self->a, k));
	EXPECT_EQ(k, write(self->fd, self->b, cap));
	EXPECT_EQ(-1, write(self->fd, self->b, cap));

	/* A blocking writer waits for room instead of overwriting. */
	pid = fork();
	ASSERT_LE(0, pid);
	if (pid == 0) {
		int wfd = open(RING_DEV, O_WRONLY);
		long sent = 0;

		if (wfd < 0)
			_exit(2);
		while (sent < cap) {
			ssize_t n = write(wfd, self->c + sent, cap - sent);

			if (n <= 0)
				_exit(1);
			sent += n;
		}
		_exit(0);
	}
	ASSERT_EQ(0, ring_wait_blocked(pid, SYS_write, SYS_write));

	/* The old data comes first and whole, then the writer's. */
	ASSERT_EQ(0, fcntl(self->fd, F_SETFL, 0));
	ASSERT_EQ(cap, read_exactly(self->fd, self->got, cap));
	EXPECT_EQ(0, memcmp(self->got, self->a + k, cap - k));
	EXPECT_EQ(0, memcmp(self->got + cap - k, self->b, k));
	ASSERT_EQ(cap, read_exactly(self->fd, self->got, cap));
	EXPECT_EQ(0, memcmp(self->got, self->c, cap));

	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0);
	ASSERT_EQ(0, fcntl(self->fd, F_SETFL, O_NONBLOCK));
	EXPECT_EQ(0, ring_drain(self->fd));
}

TEST_HARNESS_MAIN
