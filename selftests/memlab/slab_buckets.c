// SPDX-License-Identifier: GPL-2.0
/*
 * slab/kmalloc's bucket column.  Where the kernel has SLAB_BUCKETS (its
 * own memdup_user-* caches in /sys/kernel/slab say so), every size class
 * names a cache of memlab_slab's own bucket set, memlab_bkt-SIZE, and
 * /sys/kernel/slab shows that cache as one of its own: a directory, not a
 * link to a cache it was merged into, with the row's ksize as its object
 * size.  The column names every cache of the set, and unloading the
 * module takes the set away.  Where the kernel has no buckets, the column
 * is "-" and there is no such cache.
 */
#include <dirent.h>
#include <sys/stat.h>

#include "memlab_harness.h"
#include "slab_lib.h"

#define SYS_SLAB	"/sys/kernel/slab"
#define SET_PREFIX	"memlab_bkt-"
#define MAX_NAMES	64
#define NAME_LEN	256

/* The names in /sys/kernel/slab that start with @prefix, up to @max. */
static int sysfs_caches(const char *prefix, char names[][NAME_LEN], int max)
{
	struct dirent *d;
	int n = 0;
	DIR *dir;

	dir = opendir(SYS_SLAB);
	if (!dir)
		return -1;
	while ((d = readdir(dir)))
		if (!strncmp(d->d_name, prefix, strlen(prefix)) && n < max)
			snprintf(names[n++], NAME_LEN, "%s", d->d_name);
	closedir(dir);
	return n;
}

static bool in_names(char names[][NAME_LEN], int n, const char *name)
{
	int i;

	for (i = 0; i < n; i++)
		if (!strcmp(names[i], name))
			return true;
	return false;
}

FIXTURE(buckets) {
	struct slab_kmalloc_row *rows;
	long nrows;
	bool kernel_has_buckets;
};

FIXTURE_SETUP(buckets)
{
	char names[1][NAME_LEN];

	if (slab_setup())
		SKIP(return, "must be root with memlab_slab installed");
	self->nrows = slab_read_kmalloc(&self->rows);
	ASSERT_GT(self->nrows, 0);
	self->kernel_has_buckets = sysfs_caches("memdup_user-", names, 1) > 0;
	TH_LOG("the kernel %s SLAB_BUCKETS",
	       self->kernel_has_buckets ? "has" : "has no");
}

FIXTURE_TEARDOWN(buckets)
{
	free(self->rows);
}

TEST_F(buckets, each_bucket_is_a_cache_of_its_own)
{
	char path[320], attr[400];
	struct stat st;
	long i;

	for (i = 0; i < self->nrows; i++) {
		const struct slab_kmalloc_row *r = &self->rows[i];

		if (!self->kernel_has_buckets) {
			EXPECT_STREQ("-", r->bucket)
				TH_LOG("requested %ld", r->requested);
			continue;
		}
		ASSERT_EQ(0, strncmp(r->bucket, SET_PREFIX, strlen(SET_PREFIX)))
			TH_LOG("requested %ld: bucket %s", r->requested, r->bucket);
		/* SLUB shows a merged cache as a link to the one it joined. */
		snprintf(path, sizeof(path), SYS_SLAB "/%s", r->bucket);
		ASSERT_EQ(0, lstat(path, &st)) TH_LOG("no %s", path);
		EXPECT_TRUE(S_ISDIR(st.st_mode)) TH_LOG("%s is a link", path);
		snprintf(attr, sizeof(attr), "%s/object_size", path);
		EXPECT_EQ(r->ksize, memlab_read_long(attr))
			TH_LOG("requested %ld: %s", r->requested, r->bucket);
	}
}

TEST_F(buckets, the_column_names_the_whole_set)
{
	char names[MAX_NAMES][NAME_LEN], seen[MAX_NAMES][NAME_LEN];
	int n, nseen = 0;
	long i;

	n = sysfs_caches(SET_PREFIX, names, MAX_NAMES);
	ASSERT_GE(n, 0);
	ASSERT_LT(n, MAX_NAMES);
	if (!self->kernel_has_buckets) {
		EXPECT_EQ(0, n);
		return;
	}
	for (i = 0; i < self->nrows; i++) {
		const char *b = self->rows[i].bucket;

		EXPECT_TRUE(in_names(names, n, b)) TH_LOG("%s not in sysfs", b);
		if (!in_names(seen, nseen, b) && nseen < MAX_NAMES)
			snprintf(seen[nseen++], NAME_LEN, "%s", b);
	}
	EXPECT_EQ(n, nseen);
}

TEST_F(buckets, unload_takes_the_set_away)
{
	char names[MAX_NAMES][NAME_LEN];

	ASSERT_EQ(0, memlab_kmod_unload("memlab_slab"));
	EXPECT_EQ(0, sysfs_caches(SET_PREFIX, names, MAX_NAMES));
	ASSERT_EQ(0, slab_setup());
	EXPECT_EQ(self->kernel_has_buckets ? 1 : 0,
		  sysfs_caches(SET_PREFIX, names, 1));
}

TEST_HARNESS_MAIN
