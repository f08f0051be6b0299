/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Loading and unloading the memlab modules straight through finit_module()
 * and delete_module(), for the tests that do it hundreds of times or need
 * the errno of the load itself (modprobe would only say it failed).
 */
#ifndef MEMLAB_KMOD_H
#define MEMLAB_KMOD_H

#include <sys/stat.h>

#include "memlab_test.h"

#define MEMLAB_KMOD_MAX	16

struct memlab_kmods {
	int n;
	char name[MEMLAB_KMOD_MAX][NAME_MAX + 1];
};

/* The memlab modules installed for this kernel, the core first. */
static inline int memlab_kmods_find(struct memlab_kmods *mods)
{
	struct utsname u;
	char path[256], line[512];
	FILE *dep;

	mods->n = 0;
	uname(&u);
	snprintf(path, sizeof(path), "/lib/modules/%s/modules.dep", u.release);
	dep = fopen(path, "r");
	if (!dep)
		return -1;
	while (fgets(line, sizeof(line), dep) && mods->n < MEMLAB_KMOD_MAX) {
		char *colon = strchr(line, ':'), *base, *dot;

		if (!colon)
			continue;
		*colon = '\0';
		base = strrchr(line, '/');
		base = base ? base + 1 : line;
		dot = strstr(base, ".ko");
		if (!dot || strncmp(base, "memlab", 6))
			continue;
		*dot = '\0';
		snprintf(mods->name[mods->n++], NAME_MAX + 1, "%.*s", NAME_MAX,
			 base);
	}
	fclose(dep);
	/* The core first: every other module needs it. */
	for (int i = 1; i < mods->n; i++) {
		if (strcmp(mods->name[i], "memlab"))
			continue;
		strcpy(line, mods->name[0]);
		strcpy(mods->name[0], mods->name[i]);
		strcpy(mods->name[i], line);
	}
	return mods->n;
}

static inline bool memlab_kmod_loaded(const char *name)
{
	char path[64 + NAME_MAX];

	snprintf(path, sizeof(path), "/sys/module/%s/initstate", name);
	return !access(path, F_OK);
}

/* finit_module() of the installed @name; 0 or -errno. */
static inline int memlab_kmod_load(const char *name, const char *params)
{
	struct utsname u;
	char path[128 + NAME_MAX];
	int fd, ret = 0;

	uname(&u);
	snprintf(path, sizeof(path), "/lib/modules/%s/extra/%s.ko", u.release,
		 name);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	if (syscall(SYS_finit_module, fd, params, 0))
		ret = -errno;
	close(fd);
	return ret;
}

static inline int memlab_kmod_unload(const char *name)
{
	if (syscall(SYS_delete_module, name, O_NONBLOCK))
		return -errno;
	return 0;
}

/*
 * Unloads every memlab module, the core last; 0 when none is left.  A
 * module in use by another one is tried again once that one is gone.
 */
static inline int memlab_kmods_unload_all(const struct memlab_kmods *mods)
{
	int round, i;

	for (round = 0; round < mods->n; round++) {
		int left = 0;

		for (i = mods->n - 1; i >= 0; i--) {
			if (!memlab_kmod_loaded(mods->name[i]))
				continue;
			if (memlab_kmod_unload(mods->name[i]))
				left++;
		}
		if (!left)
			return 0;
	}
	return -1;
}

/*
 * Loads every memlab module, in dependency order whatever the order of
 * @mods: a module whose dependency is not there yet is tried again after
 * the others.  0, or the first errno that was not about a dependency.
 */
static inline int memlab_kmods_load_all(const struct memlab_kmods *mods)
{
	int round, i;

	for (round = 0; round < mods->n; round++) {
		int left = 0;

		for (i = 0; i < mods->n; i++) {
			int ret;

			if (memlab_kmod_loaded(mods->name[i]))
				continue;
			ret = memlab_kmod_load(mods->name[i], "");
			if (ret == -ENOENT)
				left++;	/* an unknown symbol: a dependency */
			else if (ret && ret != -EEXIST)
				return ret;
		}
		if (!left)
			return 0;
	}
	return -ENOENT;
}

#endif /* MEMLAB_KMOD_H */
