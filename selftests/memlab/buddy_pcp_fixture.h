/* SPDX-License-Identifier: GPL-2.0 */
/*
 * FIXTURE(pcp), for the buddy tests that measure free memory through
 * MemFree or /proc/buddyinfo: the per-cpu page lists are shrunk for the
 * length of the test (buddy_shrink_pcp()) and their setting is restored
 * however it ends, with memlab_buddy loaded again for the next test in
 * case this one unloaded it.  Include it after the harness.
 */
#ifndef BUDDY_PCP_FIXTURE_H
#define BUDDY_PCP_FIXTURE_H

#include "buddy_lib.h"

FIXTURE(pcp) {
	long old;
};

FIXTURE_SETUP(pcp)
{
	self->old = -1;
	if (geteuid() != 0)
		SKIP(return, "must be run as root");
	if (buddy_load())
		SKIP(return, "memlab_buddy.ko does not load");
	self->old = buddy_shrink_pcp();
	ASSERT_LE(0, self->old);
}

FIXTURE_TEARDOWN(pcp)
{
	buddy_restore_pcp(self->old);
	buddy_load();
}

#endif /* BUDDY_PCP_FIXTURE_H */
