// SPDX-License-Identifier: GPL-2.0
/*
 * /dev/memlab_ring is a stream: it has no file position, so lseek(),
 * pread() and pwrite() fail with ESPIPE, on every kernel (6.12 removed
 * no_llseek, and stream_open() is what refuses them now), and a refused
 * seek or pread consumes nothing: the bytes written are still read back
 * whole and in order.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <unistd.h>

#include "memlab_harness.h"
#include "ring_fixture.h"

static const char ring_seek_data[] = "seek-me-not";
#define RING_SEEK_LEN	(sizeof(ring_seek_data) - 1)

TEST_F(ring, seeks_fail_with_espipe_and_consume_nothing)
{
	char back[RING_SEEK_LEN + 1] = "";
	struct ring_state st;

	if (self->fd < 0)
		return;
	ASSERT_EQ(RING_SEEK_LEN, write(self->fd, ring_seek_data, RING_SEEK_LEN));

	errno = 0;
	EXPECT_EQ(-1, lseek(self->fd, 0, SEEK_SET));
	EXPECT_EQ(ESPIPE, errno);
	errno = 0;
	EXPECT_EQ(-1, lseek(self->fd, 0, SEEK_CUR));
	EXPECT_EQ(ESPIPE, errno);
	errno = 0;
	EXPECT_EQ(-1, pread(self->fd, back, 1, 0));
	EXPECT_EQ(ESPIPE, errno);
	errno = 0;
	EXPECT_EQ(-1, pwrite(self->fd, "x", 1, 0));
	EXPECT_EQ(ESPIPE, errno);

	/* The ring's own count, and the bytes themselves, are untouched. */
	ASSERT_EQ(0, ring_read_state(&st));
	EXPECT_EQ(RING_SEEK_LEN, st.used);
	ASSERT_EQ(RING_SEEK_LEN, read(self->fd, back, RING_SEEK_LEN));
	EXPECT_STREQ(ring_seek_data, back);
}

TEST_HARNESS_MAIN
