/* SPDX-License-Identifier: GPL-2.0 */
/*
 * snap and diff (snap.c), and what they share with watch (watch.c): two
 * versions of one view matched row by row, by what the rows are rather
 * than by where they are.
 */
#ifndef MEMLAB_SNAP_H
#define MEMLAB_SNAP_H

#include <sys/types.h>

#include "memlab.h"

/*
 * The rows of @a and @b paired by key.  A row's key is its key cells
 * joined by '/': the id column where the view has one (id, idx, index),
 * else the columns that hold no number in either version (and node),
 * widened left to right by further columns until the key tells the rows
 * of each version apart.  A key/value view is one row, paired with the
 * other's.
 */
struct ml_match {
	size_t na, nb;
	char **akey, **bkey;	/* each row's key */
	ssize_t *a2b, *b2a;	/* the other version's row of that key, or -1 */
	bool *akeycol, *bkeycol; /* each version's columns that make the key */
};

int ml_match_rows(const struct ml_view *a, const struct ml_view *b, struct ml_match *m);
void ml_match_free(struct ml_match *m);

/* The same value: as numbers where both are (0x10 is 16), else as text. */
bool ml_same_cell(const char *x, const char *y);

int ml_cmd_snap(int argc, char **argv);
int ml_cmd_diff(int argc, char **argv);

#endif
