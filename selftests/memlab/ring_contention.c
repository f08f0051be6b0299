// SPDX-License-Identifier: GPL-2.0
/*
 * Several writers and readers on one ring at once.  With many writers and
 * one reader, each writer's bytes arrive in its own order, none lost or
 * doubled (every byte carries its writer and a sequence number).  With
 * many writers and many readers, the readers together get exactly the
 * bytes the writers sent: the same count of every byte value.
 */
#define _GNU_SOURCE
#include <sys/mman.h>

#include "memlab_harness.h"
#include "ring_lib.h"

#define WRITERS 3
#define READERS 3

FIXTURE(contention) {
	long cap;
};

FIXTURE_SETUP(contention)
{
	struct ring_state st;
	int fd;

	if (geteuid() != 0)
		SKIP(return, "must be run as root");
	if (ring_load())
		SKIP(return, "memlab_ring.ko does not load");
	fd = open(RING_DEV, O_RDONLY | O_NONBLOCK);
	ASSERT_LE(0, fd);
	ASSERT_LE(0, ring_drain(fd));
	close(fd);
	ASSERT_EQ(0, ring_read_state(&st));
	self->cap = st.capacity;
}

FIXTURE_TEARDOWN(contention)
{
}

/* Byte @i of writer @w's stream in the ordered test. */
static unsigned char tagged(int w, long i)
{
	return w << 6 | (i & 63);
}

/* Writes @len bytes, tagged or random, in random chunks. */
static int writer(int w, long len, long max_chunk, int tagged_bytes)
{
	unsigned long long prng = ring_prng_seed(w), sizes = ~prng;
	unsigned char *buf = malloc(max_chunk);
	int fd = open(RING_DEV, O_WRONLY);
	long sent = 0;

	if (!buf || fd < 0)
		return 1;
	while (sent < len) {
		long chunk = 1 + ring_prng_byte(&sizes) % max_chunk, i, off;

		if (chunk > len - sent)
			chunk = len - sent;
		for (i = 0; i < chunk; i++)
			buf[i] = tagged_bytes ? tagged(w, sent + i) :
						ring_prng_byte(&prng);
		for (off = 0; off < chunk; ) {
			ssize_t n = write(fd, buf + off, chunk - off);

			if (n <= 0)
				return 1;
			off += n;
		}
		sent += chunk;
	}
	return 0;
}

static void wait_all(struct __test_metadata *_metadata, pid_t *pids, int n)
{
	int i, status;

	for (i = 0; i < n; i++) {
		ASSERT_EQ(pids[i], waitpid(pids[i], &status, 0));
		EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0);
	}
}

TEST_F_TIMEOUT(contention, each_writer_keeps_its_order, 120)
{
	long len = 3 * self->cap, got = 0, bad = 0;
	long next[WRITERS] = { 0 }, max_chunk = self->cap / 2 + 1;
	pid_t pids[WRITERS];
	unsigned char buf[512];
	int fd, w;

	fd = open(RING_DEV, O_RDONLY);
	ASSERT_LE(0, fd);
	for (w = 0; w < WRITERS; w++) {
		pids[w] = fork();
		ASSERT_LE(0, pids[w]);
		if (pids[w] == 0)
			_exit(writer(w, len, max_chunk, 1));
	}
	while (got < WRITERS * len) {
		long want = WRITERS * len - got;
		ssize_t n, i;

		n = read(fd, buf, want < (long)sizeof(buf) ? want :
			 (long)sizeof(buf));
		ASSERT_LT(0, n);
		for (i = 0; i < n; i++) {
			int from = buf[i] >> 6;

			if (from >= WRITERS || buf[i] != tagged(from, next[from]))
				bad++;
			else
				next[from]++;
		}
		got += n;
	}
	wait_all(_metadata, pids, WRITERS);
	EXPECT_EQ(0, bad);
	for (w = 0; w < WRITERS; w++)
		EXPECT_EQ(len, next[w]);
	close(fd);
}

/* In a reader child: reads exactly @len bytes, counting byte values. */
static int reader(long len, long max_chunk, long *histogram)
{
	unsigned long long sizes = ring_prng_seed(len);
	unsigned char *buf = malloc(max_chunk);
	int fd = open(RING_DEV, O_RDONLY);
	long got = 0;

	if (!buf || fd < 0)
		return 1;
	while (got < len) {
		long chunk = 1 + ring_prng_byte(&sizes) % max_chunk;
		ssize_t n, i;

		if (chunk > len - got)
			chunk = len - got;
		n = read(fd, buf, chunk);
		if (n <= 0)
			return 1;
		for (i = 0; i < n; i++)
			histogram[buf[i]]++;
		got += n;
	}
	return 0;
}

TEST_F_TIMEOUT(contention, readers_get_exactly_what_was_written, 120)
{
	/* Divisible by the reader count, so each reads an equal share. */
	long len = 2 * READERS * self->cap, max_chunk = self->cap / 2 + 1;
	long want[256] = { 0 }, *histograms;
	pid_t writers[WRITERS], readers[READERS];
	int w, r, v;

	histograms = mmap(NULL, READERS * 256 * sizeof(long),
			  PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS,
			  -1, 0);
	ASSERT_NE(MAP_FAILED, histograms);

	for (r = 0; r < READERS; r++) {
		readers[r] = fork();
		ASSERT_LE(0, readers[r]);
		if (readers[r] == 0)
			_exit(reader(WRITERS * len / READERS, max_chunk,
				     histograms + r * 256));
	}
	for (w = 0; w < WRITERS; w++) {
		writers[w] = fork();
		ASSERT_LE(0, writers[w]);
		if (writers[w] == 0)
			_exit(writer(w, len, max_chunk, 0));
	}
	wait_all(_metadata, writers, WRITERS);
	wait_all(_metadata, readers, READERS);

	/* What the writers sent, regenerated from their seeds. */
	for (w = 0; w < WRITERS; w++) {
		unsigned long long prng = ring_prng_seed(w);
		long i;

		for (i = 0; i < len; i++)
			want[ring_prng_byte(&prng)]++;
	}
	for (v = 0; v < 256; v++) {
		long sum = 0;

		for (r = 0; r < READERS; r++)
			sum += histograms[r * 256 + v];
		EXPECT_EQ(want[v], sum) {
			TH_LOG("byte value %d", v);
		}
	}
	munmap(histograms, READERS * 256 * sizeof(long));
}

TEST_HARNESS_MAIN
