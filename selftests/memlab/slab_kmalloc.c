// SPDX-License-Identifier: GPL-2.0
/*
 * slab/kmalloc: each requested size lands in the smallest kmalloc cache
 * that fits it, as /sys/kernel/slab/kmalloc-* describe them, from 1 byte up
 * to the largest kmalloc cache; and kzalloc hands out zeroed memory.
 */
#include <dirent.h>

#include "memlab_harness.h"
#include "slab_lib.h"

#define MAX_CACHES 64

struct kcache {
	char name[256];
	long object_size;
};

/* The normal kmalloc caches: kmalloc-8 ... kmalloc-8k, not -cg-/-rcl-. */
static int read_caches(struct kcache *c)
{
	struct dirent *d;
	int n = 0;
	DIR *dir;

	dir = opendir("/sys/kernel/slab");
	if (!dir)
		return -1;
	while ((d = readdir(dir)) && n < MAX_CACHES) {
		const char *p = d->d_name;
		char path[320];

		if (strncmp(p, "kmalloc-", 8))
			continue;
		p += 8;
		if (*p < '0' || *p > '9')
			continue;
		while (*p >= '0' && *p <= '9')
			p++;
		if (*p == 'k')
			p++;
		if (*p)
			continue;
		snprintf(c[n].name, sizeof(c[n].name), "%s", d->d_name);
		snprintf(path, sizeof(path), "/sys/kernel/slab/%s/object_size",
			 d->d_name);
		c[n].object_size = memlab_read_long(path);
		n++;
	}
	closedir(dir);
	return n;
}

FIXTURE(kmalloc) {
	struct kcache caches[MAX_CACHES];
	struct slab_kmalloc_row *rows;
	int ncaches, nrows;
	long largest;
};

FIXTURE_SETUP(kmalloc)
{
	int i;

	if (slab_setup())
		SKIP(return, "must be root with memlab_slab installed");
	self->ncaches = read_caches(self->caches);
	ASSERT_GT(self->ncaches, 0);
	self->nrows = slab_read_kmalloc(&self->rows);
	ASSERT_GT(self->nrows, 0);
	for (i = 0; i < self->ncaches; i++)
		if (self->caches[i].object_size > self->largest)
			self->largest = self->caches[i].object_size;
}

FIXTURE_TEARDOWN(kmalloc)
{
	free(self->rows);
}

static long smallest_fit(struct kcache *c, int n, long size)
{
	long best = -1;
	int i;

	for (i = 0; i < n; i++)
		if (c[i].object_size >= size &&
		    (best < 0 || c[i].object_size < best))
			best = c[i].object_size;
	return best;
}

TEST_F(kmalloc, ksize_is_smallest_fitting_cache)
{
	int i;

	for (i = 0; i < self->nrows; i++) {
		struct slab_kmalloc_row *r = &self->rows[i];

		EXPECT_EQ(smallest_fit(self->caches, self->ncaches,
				       r->requested), r->ksize)
			TH_LOG("requested %ld", r->requested);
		EXPECT_EQ(r->ksize - r->requested, r->waste);
	}
}

TEST_F(kmalloc, cache_is_the_sysfs_cache_of_that_size)
{
	int i, j;

	for (i = 0; i < self->nrows; i++) {
		struct slab_kmalloc_row *r = &self->rows[i];

		for (j = 0; j < self->ncaches; j++)
			if (!strcmp(self->caches[j].name, r->cache))
				break;
		ASSERT_LT(j, self->ncaches)
			TH_LOG("requested %ld: no cache %s", r->requested,
			       r->cache);
		EXPECT_EQ(self->caches[j].object_size, r->ksize);
	}
}

TEST_F(kmalloc, covers_one_byte_to_largest_cache)
{
	long p;
	int i;

	EXPECT_EQ(1, self->rows[0].requested);
	EXPECT_EQ(self->largest, self->rows[self->nrows - 1].requested);
	for (i = 1; i < self->nrows; i++)
		EXPECT_LT(self->rows[i - 1].requested, self->rows[i].requested);
	/* Every power of two and its neighbours. */
	for (p = 2; p <= self->largest; p *= 2) {
		int found = 0;

		for (i = 0; i < self->nrows; i++)
			if (self->rows[i].requested >= p - 1 &&
			    self->rows[i].requested <= p + 1)
				found++;
		EXPECT_EQ(p < self->largest ? 3 : 2, found)
			TH_LOG("around %ld", p);
	}
}

TEST_F(kmalloc, kzalloc_zeroes)
{
	int i;

	for (i = 0; i < self->nrows; i++)
		EXPECT_STREQ("yes", self->rows[i].zeroed)
			TH_LOG("requested %ld", self->rows[i].requested);
}

TEST_HARNESS_MAIN
