/* SPDX-License-Identifier: GPL-2.0 */
/*
 * FIXTURE(ring), for the ring tests that work on the device: as root, with
 * memlab_ring loaded, self->fd is the device open read-write and
 * non-blocking with whatever an earlier test left read away, and self->st
 * its state view, empty; the teardown leaves the ring empty for the next test.
 * Tests whose fixture holds more call ring_fixture_open() from their own
 * setup.  Include it after the harness.  The harness runs a test body even
 * when its setup skipped: self->fd is -1 then.
 */
#ifndef RING_FIXTURE_H
#define RING_FIXTURE_H

#include "ring_lib.h"

/* The setup the ring fixtures share; false when the test is skipped. */
static inline bool ring_fixture_open(struct __test_metadata *_metadata,
				     int *fd, struct ring_state *st)
{
	*fd = -1;
	if (geteuid() != 0)
		SKIP(return false, "must be run as root");
	if (ring_load())
		SKIP(return false, "memlab_ring.ko does not load");
	*fd = ring_open_empty();
	ASSERT_LE(0, *fd);
	ASSERT_EQ(0, ring_read_state(st));
	ASSERT_EQ(0, st->used);
	return true;
}

FIXTURE(ring) {
	int fd;
	struct ring_state st;
};

FIXTURE_SETUP(ring)
{
	ring_fixture_open(_metadata, &self->fd, &self->st);
}

FIXTURE_TEARDOWN(ring)
{
	ring_close_empty(self->fd);
}

#endif /* RING_FIXTURE_H */
