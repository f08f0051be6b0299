// SPDX-License-Identifier: GPL-2.0
/*
 * memlab/ring/state agrees with what the test itself did to the ring:
 * through random reads and writes, used is always the bytes written minus
 * the bytes read, and so is FIONREAD; free is the rest of the capacity; the
 * read and write positions have moved by exactly those counts; and the
 * per-node fill in memlab/ring/nodes adds up to it, node by node.
 */
#define _GNU_SOURCE

#include "memlab_harness.h"
#include "ring_fixture.h"

/* The filled column of every row, in order; returns the row count. */
static long nodes_filled(long *filled, long max)
{
	char *text = memlab_read_file(RING_NODES), *line, *save;
	long rows = 0;

	if (!text)
		return -1;
	for (line = strtok_r(text, "\n", &save); line;
	     line = strtok_r(NULL, "\n", &save)) {
		long index, fill;

		if (line[0] == '#')
			continue;
		if (sscanf(line, "%ld %*s %*s %*s %ld", &index, &fill) != 2 ||
		    index != rows || rows >= max) {
			rows = -1;
			break;
		}
		filled[rows++] = fill;
	}
	free(text);
	return rows;
}

/* Bytes of [start, start + len) mod cap that fall into node @i. */
static long expected_fill(long i, long bs, long cap, long start, long len)
{
	long lo = i * bs, hi = lo + bs, fill = 0, k;

	/* The data may wrap: count it in up to two straight pieces. */
	for (k = 0; k < 2; k++) {
		long s = start - k * cap, e = start + len - k * cap;
		long a = s > lo ? s : lo, b = e < hi ? e : hi;

		if (b > a)
			fill += b - a;
	}
	return fill;
}

static void check(struct __test_metadata *_metadata, int fd,
		  const struct ring_state *st0, long written, long read_bytes)
{
	long cap = st0->capacity, bs = st0->block_size;
	long wpos0 = st0->write_node * bs + st0->write_offset;
	long rpos0 = st0->read_node * bs + st0->read_offset;
	long used = written - read_bytes, rows, i, sum = 0;
	long *filled = malloc(st0->blocks * sizeof(*filled));
	struct ring_state st;
	int nread = -1;

	ASSERT_NE(NULL, filled);
	ASSERT_EQ(0, ring_read_state(&st));
	EXPECT_EQ(used, st.used);
	EXPECT_EQ(cap - used, st.free);
	ASSERT_EQ(0, ioctl(fd, FIONREAD, &nread));
	EXPECT_EQ(used, nread);

	EXPECT_EQ((wpos0 + written) % cap,
		  st.write_node * bs + st.write_offset);
	EXPECT_EQ((rpos0 + read_bytes) % cap,
		  st.read_node * bs + st.read_offset);
	EXPECT_GT(bs, st.write_offset);
	EXPECT_GT(bs, st.read_offset);

	rows = nodes_filled(filled, st0->blocks);
	ASSERT_EQ(st0->blocks, rows);
	for (i = 0; i < rows; i++) {
		long want = expected_fill(i, bs, cap,
					  (rpos0 + read_bytes) % cap, used);

		EXPECT_EQ(want, filled[i]) {
			TH_LOG("node %ld", i);
		}
		sum += filled[i];
	}
	EXPECT_EQ(used, sum);
	free(filled);
}

TEST_F(ring, used_is_written_minus_read)
{
	long cap = self->st.capacity, written = 0, read_bytes = 0;
	unsigned long long prng = ring_prng_seed(cap);
	char *buf = malloc(2 * cap + 1);
	int step;

	ASSERT_NE(NULL, buf);
	memset(buf, 'u', 2 * cap + 1);
	EXPECT_EQ(self->st.blocks * self->st.block_size, cap);
	EXPECT_EQ(ring_param("blocks"), self->st.blocks);
	EXPECT_EQ(ring_param("block_size"), self->st.block_size);

	check(_metadata, self->fd, &self->st, 0, 0);
	for (step = 0; step < 200; step++) {
		/* Sizes up to twice the capacity, so both ends get hit. */
		long len = 1 + (ring_prng_byte(&prng) << 8 |
				ring_prng_byte(&prng)) % (2 * cap);
		ssize_t n;

		if (ring_prng_byte(&prng) & 1) {
			n = write(self->fd, buf, len);
			if (n > 0)
				written += n;
		} else {
			n = read(self->fd, buf, len);
			if (n > 0)
				read_bytes += n;
		}
		ASSERT_TRUE(n > 0 || errno == EAGAIN);
		check(_metadata, self->fd, &self->st, written, read_bytes);
		if (_metadata->passed == 0)
			break;
	}
	TH_LOG("%d steps: %ld bytes written, %ld read", step, written,
	       read_bytes);
	free(buf);
}

TEST_HARNESS_MAIN
