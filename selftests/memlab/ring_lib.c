// SPDX-License-Identifier: GPL-2.0
/* memlab_ring's selftest helpers, see ring_lib.h. */
#include "ring_lib.h"

int ring_parse_state(const char *text, struct ring_state *st)
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

int ring_read_state(struct ring_state *st)
{
	char *text = memlab_read_file(RING_STATE);
	int ret;

	if (!text)
		return -1;
	ret = ring_parse_state(text, st);
	free(text);
	return ret;
}

long ring_param(const char *name)
{
	char path[128];

	snprintf(path, sizeof(path), RING_PARAMS "/%s", name);
	return memlab_read_long(path);
}

bool ring_loaded(void)
{
	return memlab_kmod_loaded(RING_MODULE);
}

int ring_load(void)
{
	return memlab_kmod_load(RING_MODULE, "");
}

int ring_reload(const char *params)
{
	return memlab_kmod_reload(RING_MODULE, params);
}

void ring_current_params(char *buf, size_t len)
{
	if (!ring_loaded()) {
		buf[0] = '\0';
		return;
	}
	snprintf(buf, len, "blocks=%ld block_size=%ld", ring_param("blocks"),
		 ring_param("block_size"));
}

long ring_drain(int fd)
{
	char buf[4096];
	long total = 0;
	ssize_t n;

	while ((n = read(fd, buf, sizeof(buf))) > 0)
		total += n;
	return n < 0 && errno == EAGAIN ? total : -1;
}

int ring_open_empty(void)
{
	int fd = open(RING_DEV, O_RDWR | O_NONBLOCK);

	if (fd >= 0 && ring_drain(fd) < 0) {
		close(fd);
		fd = -1;
	}
	return fd;
}

void ring_close_empty(int fd)
{
	if (fd < 0)
		return;
	fcntl(fd, F_SETFL, O_NONBLOCK);
	ring_drain(fd);
	close(fd);
}

unsigned char ring_prng_byte(unsigned long long *state)
{
	unsigned long long x = *state;

	x ^= x << 13;
	x ^= x >> 7;
	x ^= x << 17;
	*state = x;
	return x >> 56;
}

unsigned long long ring_prng_seed(unsigned long n)
{
	return 0x9e3779b97f4a7c15ULL * (n + 1);
}

int ring_wait_blocked(pid_t pid, long nr, long alt_nr)
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
