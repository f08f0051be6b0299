// SPDX-License-Identifier: GPL-2.0
/*
 * Random data, from 1 byte up to 5x the ring's capacity, goes through
 * /dev/memlab_ring byte-exact while a writer process and a reader process
 * run concurrently, each with its own random chunk sizes.  The reader
 * regenerates the writer's stream from the seed and compares every byte.
 *
 * It runs on the ring as loaded and on small odd geometries, where every
 * transfer crosses many nodes and wraps around many times.
 */
#define _GNU_SOURCE

#include "memlab_harness.h"
#include "ring_lib.h"

FIXTURE(stream) {
	char saved_params[128];
	int reloaded;
	struct ring_state st;
};

FIXTURE_VARIANT(stream) {
	const char *params;	/* NULL: the ring as loaded */
};

FIXTURE_VARIANT_ADD(stream, as_loaded) {
	.params = NULL,
};

FIXTURE_VARIANT_ADD(stream, three_blocks_of_7) {
	.params = "blocks=3 block_size=7",
};

FIXTURE_VARIANT_ADD(stream, one_block_of_1) {
	.params = "blocks=1 block_size=1",
};

FIXTURE_SETUP(stream)
{
	if (geteuid() != 0)
		SKIP(return, "must be run as root");
	if (ring_load())
		SKIP(return, "memlab_ring.ko does not load");
	if (variant->params) {
		ring_current_params(self->saved_params,
				    sizeof(self->saved_params));
		ASSERT_EQ(0, ring_reload(variant->params));
		self->reloaded = 1;
	}
	ASSERT_EQ(0, ring_read_state(&self->st));
	ASSERT_EQ(self->st.blocks * self->st.block_size, self->st.capacity);
	ASSERT_EQ(0, self->st.used);
}

FIXTURE_TEARDOWN(stream)
{
	if (self->reloaded)
		EXPECT_EQ(0, ring_reload(self->saved_params));
}

/* Writes @len bytes of stream @seed to @fd in random chunks. */
static int write_stream(int fd, size_t len, unsigned long long seed, long max_chunk)
{
	unsigned long long prng = seed, sizes = ~seed;
	unsigned char *buf = malloc(max_chunk);
	size_t sent = 0;

	if (!buf)
		return -1;
	while (sent < len) {
		size_t chunk = 1 + ring_prng_byte(&sizes) * 257 % max_chunk;
		size_t i, off = 0;

		if (chunk > len - sent)
			chunk = len - sent;
		for (i = 0; i < chunk; i++)
			buf[i] = ring_prng_byte(&prng);
		/* A write may take only part: the rest goes again. */
		while (off < chunk) {
			ssize_t n = write(fd, buf + off, chunk - off);

			if (n <= 0) {
				free(buf);
				return -1;
			}
			off += n;
		}
		sent += chunk;
	}
	free(buf);
	return 0;
}

/*
 * Reads @len bytes from @fd in random chunks; returns how many of them
 * differ from stream @seed, or -1 when a read fails.
 */
static long read_stream(int fd, size_t len, unsigned long long seed, long max_chunk)
{
	unsigned long long prng = seed, sizes = seed ^ 0x5555;
	unsigned char *buf = malloc(max_chunk);
	size_t got = 0;
	long bad = 0;

	if (!buf)
		return -1;
	while (got < len) {
		size_t chunk = 1 + ring_prng_byte(&sizes) * 263 % max_chunk;
		ssize_t n, i;

		if (chunk > len - got)
			chunk = len - got;
		n = read(fd, buf, chunk);
		if (n <= 0) {
			bad = -1;
			break;
		}
		for (i = 0; i < n; i++)
			if (buf[i] != ring_prng_byte(&prng))
				bad++;
		got += n;
	}
	free(buf);
	return bad;
}

static void transfer(struct __test_metadata *_metadata, long capacity,
		     size_t len)
{
	/* Chunks up to twice the capacity: some writes must be partial. */
	long max_chunk = 2 * capacity;
	unsigned long long seed = ring_prng_seed(len);
	int rfd, wfd, status;
	long bad;
	pid_t pid;

	rfd = open(RING_DEV, O_RDONLY);
	ASSERT_LE(0, rfd);
	wfd = open(RING_DEV, O_WRONLY);
	ASSERT_LE(0, wfd);

	pid = fork();
	ASSERT_LE(0, pid);
	if (pid == 0) {
		close(rfd);
		_exit(write_stream(wfd, len, seed, max_chunk) ? 1 : 0);
	}
	close(wfd);
	bad = read_stream(rfd, len, seed, max_chunk);
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0);
	EXPECT_EQ(0, bad) {
		TH_LOG("%zu bytes: %ld differ", len, bad);
	}

	/* Nothing more, nothing left behind. */
	ASSERT_EQ(0, fcntl(rfd, F_SETFL, O_NONBLOCK));
	EXPECT_EQ(0, ring_drain(rfd));
	close(rfd);
}

TEST_F_TIMEOUT(stream, byte_exact_through_concurrent_processes, 120)
{
	long cap = self->st.capacity, bs = self->st.block_size;
	size_t sizes[] = {
		1, 2, bs - 1, bs, bs + 1, cap - 1, cap, cap + 1,
		2 * cap + bs / 2 + 1, 3 * cap - 1, 5 * cap,
	};
	unsigned long long prng = ring_prng_seed(cap);
	struct ring_state after;
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(sizes); i++)
		if (sizes[i] >= 1)
			transfer(_metadata, cap, sizes[i]);
	/* And some sizes nobody picked by hand. */
	for (i = 0; i < 8; i++) {
		size_t len = 1;

		len += ((unsigned long long)ring_prng_byte(&prng) << 8 |
			ring_prng_byte(&prng)) % (5 * cap);
		transfer(_metadata, cap, len);
	}

	ASSERT_EQ(0, ring_read_state(&after));
	EXPECT_EQ(0, after.used);
	EXPECT_EQ(after.capacity, after.free);
}

TEST_HARNESS_MAIN
