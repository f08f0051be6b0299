/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Helpers shared by the memlab_ring selftests: the device and its views,
 * reloading the module with other parameters, a byte stream both sides of
 * a test can regenerate, and waiting until a process sleeps in a syscall.
 */
#ifndef RING_TEST_H
#define RING_TEST_H

#include <sys/ioctl.h>
#include <sys/stat.h>

#include "memlab_test.h"

#ifndef ARRAY_SIZE
#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))
#endif

#define RING_MODULE	"memlab_ring"
#define RING_DEV	"/dev/memlab_ring"
#define RING_STATE	MEMLAB_DEBUGFS "/ring/state"
#define RING_NODES	MEMLAB_DEBUGFS "/ring/nodes"
#define RING_PARAMS	"/sys/module/memlab_ring/parameters"
#define RING_DRIVER	"/sys/bus/platform/drivers/memlab_ring"

struct ring_state {
	long capacity, used, free, blocks, block_size;
	long read_node, read_offset, write_node, write_offset;
};

/* Parses a state view; -1 when a key is missing. */
static inline int ring_parse_state(const char *text, struct ring_state *st)
{
	const struct {
		const char *key;
		long *val;
	} keys[] = {
		{ "capacity", &st->capacity },
		{ "used", &st->used },
		{ "free", &st->free },
		{ "blocks", &st->blocks },
		{ "block_size", &st->block_size },
		{ "read_node", &st->read_node },
		{ "read_offset", &st->read_offset },
		{ "write_node", &st->write_node },
		{ "write_offset", &st->write_offset },
	};
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(keys); i++) {
		*keys[i].val = memlab_kv_long(text, keys[i].key);
		if (*keys[i].val < 0)
			return -1;
	}
	return 0;
}

static inline int ring_read_state(struct ring_state *st)
{
	char *text = memlab_read_file(RING_STATE);
	int ret;

	if (!text)
		return -1;
	ret = ring_parse_state(text, st);
	free(text);
	return ret;
}

/* A module parameter as the kernel holds it, or -1. */
static inline long ring_param(const char *name)
{
	char path[128], *text;
	long val;

	snprintf(path, sizeof(path), RING_PARAMS "/%s", name);
	text = memlab_read_file(path);
	if (!text)
		return -1;
	val = strtol(text, NULL, 0);
	free(text);
	return val;
}

static inline int ring_loaded(void)
{
	struct stat st;

	return stat("/sys/module/" RING_MODULE, &st) == 0;
}

/*
 * Reloads memlab_ring with @params (e.g. "blocks=3 block_size=7", or "" for
 * the defaults).  Returns 0 when it is loaded afterwards.
 */
static inline int ring_reload(const char *params)
{
	char cmd[256];

	if (ring_loaded() && system("rmmod " RING_MODULE))
		return -1;
	snprintf(cmd, sizeof(cmd), "modprobe " RING_MODULE " %s", params);
	return system(cmd) == 0 ? 0 : -1;
}

/*
 * The parameters memlab_ring is loaded with, as modprobe arguments, so a
 * test that reloads it can put it back as it found it.  "" when it is not
 * loaded.
 */
static inline void ring_current_params(char *buf, size_t len)
{
	if (!ring_loaded()) {
		buf[0] = '\0';
		return;
	}
	snprintf(buf, len, "blocks=%ld block_size=%ld", ring_param("blocks"),
		 ring_param("block_size"));
}

/* Reads whatever the ring holds through a non-blocking @fd. */
static inline long ring_drain(int fd)
{
	char buf[4096];
	long total = 0;
	ssize_t n;

	while ((n = read(fd, buf, sizeof(buf))) > 0)
		total += n;
	return n < 0 && errno == EAGAIN ? total : -1;
}

/*
 * The device opened read-write and non-blocking, with whatever an earlier
 * test left in the ring read away; -1 with errno set.
 */
static inline int ring_open_empty(void)
{
	int fd = open(RING_DEV, O_RDWR | O_NONBLOCK);

	if (fd >= 0 && ring_drain(fd) < 0) {
		close(fd);
		fd = -1;
	}
	return fd;
}

/*
 * Leaves the ring empty for the next test and closes @fd, if open.  A test
 * may have made @fd blocking, where the drain would wait on an empty ring.
 */
static inline void ring_close_empty(int fd)
{
	if (fd < 0)
		return;
	fcntl(fd, F_SETFL, O_NONBLOCK);
	ring_drain(fd);
	close(fd);
}

/* xorshift64: the reader regenerates what the writer sent from the seed. */
static inline unsigned char ring_prng_byte(unsigned long long *state)
{
	unsigned long long x = *state;

	x ^= x << 13;
	x ^= x >> 7;
	x ^= x << 17;
	*state = x;
	return x >> 56;
}

static inline unsigned long long ring_prng_seed(unsigned long n)
{
	return 0x9e3779b97f4a7c15ULL * (n + 1);
}

/* arm64 has no poll system call: its libc's poll() enters ppoll. */
#ifdef SYS_poll
#define RING_SYS_POLL	SYS_poll
#else
#define RING_SYS_POLL	SYS_ppoll
#endif

/*
 * Waits until @pid sleeps inside system call @nr (or @alt_nr), so a test
 * knows a read, write or poll really is blocked before it acts.  It polls
 * /proc for a bounded while; returns 0, or -1 if that never happened.
 */
static inline int ring_wait_blocked(pid_t pid, long nr, long alt_nr)
{
	char path[64], buf[256];
	int tries;

	for (tries = 0; tries < 20000; tries++) {
		long cur = -1;
		char state = '?';
		FILE *f;

		snprintf(path, sizeof(path), "/proc/%d/stat", pid);
		f = fopen(path, "r");
		if (!f)
			return -1;
		if (fgets(buf, sizeof(buf), f)) {
			char *p = strrchr(buf, ')');

			if (p && p[1] == ' ')
				state = p[2];
		}
		fclose(f);

		snprintf(path, sizeof(path), "/proc/%d/syscall", pid);
		f = fopen(path, "r");
		if (!f)
			return -1;
		if (fscanf(f, "%ld", &cur) != 1)
			cur = -1;
		fclose(f);

		if (state == 'S' && (cur == nr || cur == alt_nr))
			return 0;
		usleep(1000);
	}
	return -1;
}

#endif /* RING_TEST_H */
