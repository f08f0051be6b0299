/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The kselftest harness, with the default timeout of a memlab test case.
 * The harness gives a case 30 s, which is made for hardware.  memlab's
 * tests run in QEMU under TCG, many times slower, and the debug tier
 * adds KASAN, kmemleak and slub_debug to every allocation: a case that
 * takes 5 s in make check takes 40 s there, and more on a slower CI
 * machine.  A case that hangs still ends, at this timeout; the runner's
 * own (settings) bounds a whole program.
 */
#ifndef MEMLAB_HARNESS_H
#define MEMLAB_HARNESS_H

#include "../kselftest_harness.h"

#undef TEST_TIMEOUT_DEFAULT
#define TEST_TIMEOUT_DEFAULT	180

#endif /* MEMLAB_HARNESS_H */
