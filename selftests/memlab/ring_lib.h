/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Helpers shared by the memlab_ring selftests (ring_lib.c): the device and
 * its views, reloading the module with other parameters, a byte stream
 * both sides of a test can regenerate, and waiting until a process sleeps
 * in a syscall.  ring_fixture.h has the fixture most of them share.
 */
#ifndef RING_LIB_H
#define RING_LIB_H

#include <sys/ioctl.h>

#include "memlab_lib.h"

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
int ring_parse_state(const char *text, struct ring_state *st);
int ring_read_state(struct ring_state *st);
/* A module parameter as the kernel holds it, or -1. */
long ring_param(const char *name);
bool ring_loaded(void);
/* Loads memlab_ring if it is not; 0, or -errno. */
int ring_load(void);
/*
 * Reloads memlab_ring with @params (e.g. "blocks=3 block_size=7", or "" for
 * the defaults).  Returns 0 when it is loaded afterwards.
 */
int ring_reload(const char *params);
/*
 * The parameters memlab_ring is loaded with, as module parameters, so a
 * test that reloads it can put it back as it found it.  "" when it is not
 * loaded.
 */
void ring_current_params(char *buf, size_t len);
/* Reads whatever the ring holds through a non-blocking @fd. */
long ring_drain(int fd);
/*
 * The device opened read-write and non-blocking, with whatever an earlier
 * test left in the ring read away; -1 with errno set.
 */
int ring_open_empty(void);
/*
 * Leaves the ring empty for the next test and closes @fd, if open.  A test
 * may have made @fd blocking, where the drain would wait on an empty ring.
 */
void ring_close_empty(int fd);

/* xorshift64: the reader regenerates what the writer sent from the seed. */
unsigned char ring_prng_byte(unsigned long long *state);
unsigned long long ring_prng_seed(unsigned long n);

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
int ring_wait_blocked(pid_t pid, long nr, long alt_nr);

#endif /* RING_LIB_H */
