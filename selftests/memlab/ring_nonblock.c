// SPDX-License-Identifier: GPL-2.0
/*
 * With O_NONBLOCK, a read of an empty ring and a write to a full ring fail
 * with EAGAIN instead of waiting, and change nothing.
 */
#define _GNU_SOURCE
#include "memlab_harness.h"
#include "ring_fixture.h"

TEST_F(ring, read_of_empty_ring_is_eagain)
{
	struct ring_state after;
	char buf[16];

	EXPECT_EQ(-1, read(self->fd, buf, sizeof(buf)));
	EXPECT_EQ(EAGAIN, errno);
	EXPECT_EQ(-1, read(self->fd, buf, 1));
	EXPECT_EQ(EAGAIN, errno);
	/* A zero-byte read asks for nothing, so it cannot be refused. */
	EXPECT_EQ(0, read(self->fd, buf, 0));

	ASSERT_EQ(0, ring_read_state(&after));
	EXPECT_EQ(0, after.used);
	EXPECT_EQ(self->st.read_node, after.read_node);
	EXPECT_EQ(self->st.read_offset, after.read_offset);
}

TEST_F(ring, write_to_full_ring_is_eagain)
{
	long cap = self->st.capacity, total = 0;
	struct ring_state full, after;
	char *buf = malloc(cap + 1);
	ssize_t n;

	ASSERT_NE(NULL, buf);
	memset(buf, 'x', cap + 1);
	/* Odd chunks so the ring fills across node boundaries. */
	while ((n = write(self->fd, buf, 3)) > 0)
		total += n;
	EXPECT_EQ(-1, n);
	EXPECT_EQ(EAGAIN, errno);
	EXPECT_EQ(cap, total);

	ASSERT_EQ(0, ring_read_state(&full));
	EXPECT_EQ(cap, full.used);
	EXPECT_EQ(0, full.free);

	EXPECT_EQ(-1, write(self->fd, buf, 1));
	EXPECT_EQ(EAGAIN, errno);
	EXPECT_EQ(-1, write(self->fd, buf, cap + 1));
	EXPECT_EQ(EAGAIN, errno);
	EXPECT_EQ(0, write(self->fd, buf, 0));

	ASSERT_EQ(0, ring_read_state(&after));
	EXPECT_EQ(cap, after.used);
	EXPECT_EQ(full.write_node, after.write_node);
	EXPECT_EQ(full.write_offset, after.write_offset);

	EXPECT_EQ(cap, ring_drain(self->fd));
	free(buf);
}

/* fcntl() can switch it either way on an open file. */
TEST_F(ring, flag_is_honoured_per_call)
{
	char c = 'y';
	int flags = fcntl(self->fd, F_GETFL);

	ASSERT_EQ(0, fcntl(self->fd, F_SETFL, flags & ~O_NONBLOCK));
	/* Blocking now, but there is room and then data: no wait. */
	EXPECT_EQ(1, write(self->fd, &c, 1));
	EXPECT_EQ(1, read(self->fd, &c, 1));
	EXPECT_EQ('y', c);
	ASSERT_EQ(0, fcntl(self->fd, F_SETFL, flags));
	EXPECT_EQ(-1, read(self->fd, &c, 1));
	EXPECT_EQ(EAGAIN, errno);
}

TEST_HARNESS_MAIN
