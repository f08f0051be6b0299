// SPDX-License-Identifier: GPL-2.0
/*
 * The helpers every memlab C selftest shares, compiled once and linked
 * into each test (see memlab_lib.h).
 */
#define _GNU_SOURCE
#include <ftw.h>
#include <linux/capability.h>
#include <sys/prctl.h>

#include "memlab_lib.h"

unsigned long memlab_page_size(void)
{
	static unsigned long page_size;

	if (!page_size)
		page_size = sysconf(_SC_PAGESIZE);
	return page_size;
}

char *memlab_read_all(int fd, bool from_start)
{
	size_t len = 0, size = 4096;
	char *buf = malloc(size);
	ssize_t n;

	if (!buf)
		return NULL;
	for (;;) {
		if (size - len < 2) {
			char *bigger = realloc(buf, size * 2);

			if (!bigger) {
				free(buf);
				return NULL;
			}
			buf = bigger;
			size *= 2;
		}
		n = from_start ? pread(fd, buf + len, size - len - 1, len) :
				 read(fd, buf + len, size - len - 1);
		if (n < 0) {
			free(buf);
			return NULL;
		}
		if (n == 0)
			break;
		len += n;
	}
	buf[len] = '\0';
	return buf;
}

char *memlab_read_fd(int fd)
{
	return memlab_read_all(fd, true);
}

char *memlab_read_file(const char *path)
{
	int fd = open(path, O_RDONLY);
	char *text;

	if (fd < 0)
		return NULL;
	text = memlab_read_all(fd, false);
	close(fd);
	return text;
}

long memlab_read_long(const char *path)
{
	char *text = memlab_read_file(path);
	long val;

	if (!text)
		return -1;
	val = strtol(text, NULL, 0);
	free(text);
	return val;
}

char *memlab_next_line(char **text)
{
	char *line = *text, *nl;

	if (!line || !*line)
		return NULL;
	nl = strchr(line, '\n');
	if (nl) {
		*nl = '\0';
		*text = nl + 1;
	} else {
		*text = line + strlen(line);
	}
	return line;
}

int memlab_kv(const char *text, const char *key, char *out, size_t outlen)
{
	size_t klen = strlen(key);
	const char *line = text;

	while (line && *line) {
		if (!strncmp(line, key, klen) && line[klen] == ':') {
			const char *v = line + klen + 1;
			size_t n;

			while (*v == ' ')
				v++;
			n = strcspn(v, "\n");
			if (n >= outlen)
				n = outlen - 1;
			memcpy(out, v, n);
			out[n] = '\0';
			return 0;
		}
		line = strchr(line, '\n');
		if (line)
			line++;
	}
	return -1;
}

long memlab_kv_long(const char *text, const char *key)
{
	char val[64];

	if (memlab_kv(text, key, val, sizeof(val)))
		return -1;
	return strtol(val, NULL, 0);
}

long memlab_file_kv_long(const char *path, const char *key)
{
	char *text = memlab_read_file(path);
	long val;

	if (!text)
		return -1;
	val = memlab_kv_long(text, key);
	free(text);
	return val;
}

int memlab_find_files(mode_t mode, char paths[][PATH_MAX], int max)
{
	static const char *const trees[] = { MEMLAB_DEBUGFS, MEMLAB_PROC };
	unsigned int t;
	int n = 0;

	for (t = 0; t < ARRAY_SIZE(trees); t++) {
		DIR *top = opendir(trees[t]);
		struct dirent *d;

		if (!top)
			continue;
		while ((d = readdir(top))) {
			char dir[512];
			struct dirent *f;
			DIR *sub;

			if (d->d_name[0] == '.')
				continue;
			snprintf(dir, sizeof(dir), "%s/%s", trees[t], d->d_name);
			sub = opendir(dir);
			if (!sub)
				continue;
			while ((f = readdir(sub)) && n < max) {
				struct stat st;

				snprintf(paths[n], PATH_MAX, "%s/%s", dir,
					 f->d_name);
				if (!stat(paths[n], &st) && S_ISREG(st.st_mode) &&
				    (st.st_mode & mode))
					n++;
			}
			closedir(sub);
		}
		closedir(top);
	}
	return n;
}

/* nftw() passes its callback nothing of the caller's. */
static struct {
	mode_t mode;
	char **paths;
	int n, max;
} tree_walk;

static int tree_path(const char *path, const struct stat *st, int type,
		     struct FTW *ftw)
{
	if (tree_walk.mode && (type != FTW_F || !(st->st_mode & tree_walk.mode)))
		return 0;
	if (tree_walk.n < tree_walk.max)
		tree_walk.paths[tree_walk.n++] = strdup(path);
	return 0;
}

int memlab_tree_paths(const char *tree, mode_t mode, char **paths, int max)
{
	tree_walk.mode = mode;
	tree_walk.paths = paths;
	tree_walk.n = 0;
	tree_walk.max = max;
	if (nftw(tree, tree_path, 16, FTW_PHYS))
		return -1;
	return tree_walk.n;
}

long memlab_read_rows(const char *path, const char *header, size_t size,
		      int (*parse)(const char *line, void *row), void **rows)
{
	FILE *f = fopen(path, "r");
	size_t n = 0, cap = 0, linecap = 0;
	char *line = NULL, *r = NULL;
	bool first = true;
	ssize_t len;

	*rows = NULL;
	if (!f)
		return -1;
	while ((len = getline(&line, &linecap, f)) > 0) {
		if (line[len - 1] == '\n')
			line[len - 1] = '\0';
		if (header && first) {
			first = false;
			if (strcmp(line, header))
				goto err;
			continue;
		}
		if (!header && line[0] == '#')
			continue;
		if (n == cap) {
			char *bigger;

			cap = cap ? cap * 2 : 256;
			bigger = realloc(r, cap * size);
			if (!bigger)
				goto err;
			r = bigger;
		}
		if (parse(line, r + n * size))
			goto err;
		n++;
	}
	if (header && first)
		goto err;
	free(line);
	fclose(f);
	*rows = r;
	return n;
err:
	free(line);
	fclose(f);
	free(r);
	return -1;
}

int memlab_write_cmd(const char *path, const char *cmd)
{
	int fd, ret = 0;
	ssize_t n;

	fd = open(path, O_WRONLY);
	if (fd < 0)
		return -errno;
	n = write(fd, cmd, strlen(cmd));
	if (n < 0)
		ret = -errno;
	else if ((size_t)n != strlen(cmd))
		ret = -EIO;
	close(fd);
	return ret;
}

int memlab_drop_sys_admin(void)
{
	struct __user_cap_header_struct hdr = {
		.version = _LINUX_CAPABILITY_VERSION_3,
	};
	struct __user_cap_data_struct data[2];

	/*
	 * Out of the bounding set too: else a program root executes gets
	 * every capability back.
	 */
	if (prctl(PR_CAPBSET_DROP, CAP_SYS_ADMIN, 0, 0, 0))
		return -1;
	if (syscall(SYS_capget, &hdr, data))
		return -1;
	data[CAP_TO_INDEX(CAP_SYS_ADMIN)].effective &= ~CAP_TO_MASK(CAP_SYS_ADMIN);
	data[CAP_TO_INDEX(CAP_SYS_ADMIN)].permitted &= ~CAP_TO_MASK(CAP_SYS_ADMIN);
	return syscall(SYS_capset, &hdr, data) ? -1 : 0;
}

int memlab_open_without_sys_admin(const char *path, int flags)
{
	int status;
	pid_t pid;

	pid = fork();
	if (pid < 0)
		return -1;
	if (pid == 0) {
		int fd;

		if (memlab_drop_sys_admin())
			_exit(255);
		fd = open(path, flags);
		_exit(fd >= 0 ? 0 : errno);
	}
	if (waitpid(pid, &status, 0) != pid || !WIFEXITED(status))
		return -1;
	return WEXITSTATUS(status);
}

/* The module name of a modules.dep path: "extra/memlab.ko" gives memlab. */
static bool kmod_name(const char *path, char *name)
{
	const char *base = strrchr(path, '/');
	const char *dot;

	base = base ? base + 1 : path;
	dot = strstr(base, ".ko");
	if (!dot || dot - base > NAME_MAX)
		return false;
	memcpy(name, base, dot - base);
	name[dot - base] = '\0';
	return true;
}

/*
 * Calls @fn on the name of every module in modules.dep, its path there
 * (relative to /lib/modules/RELEASE, e.g. "updates/dkms/memlab.ko") and
 * the list of what it depends on (a string of paths), until @fn returns
 * non-zero; returns that, 0 at the end, or -errno if there is no
 * modules.dep.
 */
static int kmod_each_dep(int (*fn)(const char *name, const char *path,
				   char *deps, void *arg),
			 void *arg)
{
	char path[256], line[1024], name[NAME_MAX + 1];
	struct utsname u;
	int ret = 0;
	FILE *dep;

	uname(&u);
	snprintf(path, sizeof(path), "/lib/modules/%s/modules.dep", u.release);
	dep = fopen(path, "r");
	if (!dep)
		return -errno;
	while (!ret && fgets(line, sizeof(line), dep)) {
		char *colon = strchr(line, ':');

		if (!colon)
			continue;
		*colon = '\0';
		if (kmod_name(line, name))
			ret = fn(name, line, colon + 1, arg);
	}
	fclose(dep);
	return ret;
}

static int kmod_add(const char *name, const char *path, char *deps,
		    void *arg)
{
	struct memlab_kmods *mods = arg;

	if (strncmp(name, "memlab", 6))
		return 0;
	if (mods->n == MEMLAB_KMOD_MAX)
		return 1;
	snprintf(mods->name[mods->n++], NAME_MAX + 1, "%s", name);
	return 0;
}

int memlab_kmods_find(struct memlab_kmods *mods)
{
	char tmp[NAME_MAX + 1];
	int i;

	mods->n = 0;
	if (kmod_each_dep(kmod_add, mods) < 0)
		return -1;
	/* The core first: every other module needs it. */
	for (i = 1; i < mods->n; i++) {
		if (strcmp(mods->name[i], "memlab"))
			continue;
		strcpy(tmp, mods->name[0]);
		strcpy(mods->name[0], mods->name[i]);
		strcpy(mods->name[i], tmp);
	}
	return mods->n;
}

bool memlab_kmod_loaded(const char *name)
{
	char path[64 + NAME_MAX];

	snprintf(path, sizeof(path), "/sys/module/%s/initstate", name);
	return !access(path, F_OK);
}

struct kmod_deps {
	const char *name;
	char path[PATH_MAX];
	char list[1024];
	bool found;
};

static int kmod_deps_of(const char *name, const char *path, char *deps,
			void *arg)
{
	struct kmod_deps *d = arg;

	if (strcmp(name, d->name))
		return 0;
	snprintf(d->path, sizeof(d->path), "%s", path);
	snprintf(d->list, sizeof(d->list), "%s", deps);
	d->found = true;
	return 1;
}

int memlab_kmod_path(const char *name, char *path, size_t len)
{
	struct kmod_deps d = { .name = name };
	struct utsname u;
	int ret;

	/* Wherever depmod found it: extra/ in the lab, updates/ installed. */
	ret = kmod_each_dep(kmod_deps_of, &d);
	if (ret < 0)
		return ret;
	if (!d.found)
		return -ENOENT;
	uname(&u);
	snprintf(path, len, "/lib/modules/%s/%s", u.release, d.path);
	return 0;
}

int memlab_kmod_insert_path(const char *path, const char *params)
{
	int fd, ret = 0;

	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	if (syscall(SYS_finit_module, fd, params, 0))
		ret = -errno;
	close(fd);
	return ret;
}

int memlab_kmod_insert(const char *name, const char *params)
{
	char path[64 + PATH_MAX];
	int ret;

	ret = memlab_kmod_path(name, path, sizeof(path));
	return ret ? ret : memlab_kmod_insert_path(path, params);
}

int memlab_kmod_load(const char *name, const char *params)
{
	char *paths[MEMLAB_KMOD_MAX], dep[NAME_MAX + 1], *tok, *save = NULL;
	struct kmod_deps d = { .name = name };
	int n = 0, ret;

	if (memlab_kmod_loaded(name))
		return 0;
	ret = kmod_each_dep(kmod_deps_of, &d);
	if (ret < 0)
		return ret;
	if (!d.found)
		return -ENOENT;
	for (tok = strtok_r(d.list, "\n ", &save); tok && n < MEMLAB_KMOD_MAX;
	     tok = strtok_r(NULL, "\n ", &save))
		paths[n++] = tok;
	/* As modprobe does: the last one needs none of the others. */
	while (n--) {
		if (!kmod_name(paths[n], dep))
			continue;
		ret = memlab_kmod_load(dep, "");
		if (ret)
			return ret;
	}
	ret = memlab_kmod_insert(name, params);
	return ret == -EEXIST ? 0 : ret;
}

int memlab_kmod_unload(const char *name)
{
	if (syscall(SYS_delete_module, name, O_NONBLOCK))
		return -errno;
	return 0;
}

int memlab_kmod_reload(const char *name, const char *params)
{
	int ret;

	if (memlab_kmod_loaded(name)) {
		ret = memlab_kmod_unload(name);
		if (ret)
			return ret;
	}
	return memlab_kmod_load(name, params);
}

int memlab_kmods_unload_all(const struct memlab_kmods *mods)
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

int memlab_kmods_load_all(const struct memlab_kmods *mods)
{
	int i, ret;

	for (i = 0; i < mods->n; i++) {
		ret = memlab_kmod_load(mods->name[i], "");
		if (ret)
			return ret;
	}
	return 0;
}

int memlab_load_all(void)
{
	struct memlab_kmods mods;
	int i, loaded = 1;

	if (memlab_kmod_load("memlab", ""))
		return -1;
	if (memlab_kmods_find(&mods) < 0)
		return loaded;
	for (i = 0; i < mods.n; i++)
		if (strcmp(mods.name[i], "memlab") &&
		    !memlab_kmod_load(mods.name[i], ""))
			loaded++;
	return loaded;
}

int memlab_proc_u64(const char *path, unsigned long long index,
		    unsigned long long *val)
{
	int fd = open(path, O_RDONLY), ret = 0;

	if (fd < 0)
		return -1;
	if (pread(fd, val, sizeof(*val), index * sizeof(*val)) != sizeof(*val))
		ret = -1;
	close(fd);
	return ret;
}

int memlab_kpageflags(unsigned long pfn, unsigned long long *flags)
{
	return memlab_proc_u64("/proc/kpageflags", pfn, flags);
}

long memlab_meminfo_kb(const char *key)
{
	return memlab_file_kv_long("/proc/meminfo", key);
}

int memlab_max_order(void)
{
	char *text = memlab_read_file("/proc/buddyinfo");
	char *line, *tok, *save = NULL;
	int columns = 0;

	if (!text)
		return -1;
	line = strtok_r(text, "\n", &save);
	if (line)
		for (tok = strtok(line, " \t"); tok; tok = strtok(NULL, " \t"))
			columns++;
	free(text);
	/* "Node 0, zone DMA32 n0 n1 ...": four words before the counts */
	return columns - 4 - 1;
}

/* One line of a zone's block in /proc/zoneinfo into @z. */
static void zoneinfo_line(const char *line, struct memlab_zone *z)
{
	static const struct {
		const char *fmt;
		size_t off;
	} keys[] = {
		/* "pages free", not the "nr_free_pages" of the stats */
		{ " pages free %ld", offsetof(struct memlab_zone, free) },
		{ " min %ld", offsetof(struct memlab_zone, min) },
		{ " low %ld", offsetof(struct memlab_zone, low) },
		{ " high %ld", offsetof(struct memlab_zone, high) },
		{ " spanned %ld", offsetof(struct memlab_zone, spanned) },
		{ " present %ld", offsetof(struct memlab_zone, present) },
		{ " managed %ld", offsetof(struct memlab_zone, managed) },
		{ " start_pfn: %ld", offsetof(struct memlab_zone, start_pfn) },
	};
	unsigned int i;
	long count;

	/* One "count:" in the pagesets for each CPU. */
	if (sscanf(line, " count: %ld", &count) == 1) {
		z->pcp += count;
		return;
	}
	for (i = 0; i < ARRAY_SIZE(keys); i++)
		if (sscanf(line, keys[i].fmt, (long *)((char *)z + keys[i].off)) == 1)
			return;
}

int memlab_read_zoneinfo(struct memlab_zone *zones, int max)
{
	char *text = memlab_read_file("/proc/zoneinfo"), *p = text, *line;
	struct memlab_zone *z = NULL;
	int n = 0;

	if (!text)
		return -1;
	while ((line = memlab_next_line(&p))) {
		/* -1: a line zoneinfo does not have for this zone */
		struct memlab_zone next = {
			.start_pfn = -1, .spanned = -1, .present = -1,
			.managed = -1, .free = -1, .min = -1, .low = -1,
			.high = -1, .pcp = 0,
		};

		if (sscanf(line, "Node %d, zone %15s", &next.node, next.name) == 2) {
			z = n < max ? &zones[n++] : NULL;
			if (z)
				*z = next;
			continue;
		}
		if (z)
			zoneinfo_line(line, z);
	}
	free(text);
	return n;
}

const struct memlab_zone *memlab_zone_find(const struct memlab_zone *zones,
					   int n, int node, const char *name)
{
	int i;

	for (i = 0; i < n; i++)
		if (zones[i].node == node && !strcmp(zones[i].name, name))
			return &zones[i];
	return NULL;
}

long memlab_smaps_kb(const void *start, const char *field)
{
	char *smaps = memlab_read_file("/proc/self/smaps");
	char head[32], key[64];
	const char *entry, *p;
	long kb = -1;

	if (!smaps)
		return -1;
	/* An entry starts a line: "7f..-7f.. rw-p ..." */
	snprintf(head, sizeof(head), "\n%lx-", (unsigned long)start);
	entry = strstr(smaps, head);
	if (!entry && !strncmp(smaps, head + 1, strlen(head + 1)))
		entry = smaps;
	snprintf(key, sizeof(key), "\n%s:", field);
	if (entry) {
		p = strstr(entry + 1, key);
		if (p)
			kb = strtol(p + strlen(key), NULL, 10);
	}
	free(smaps);
	return kb;
}

unsigned long memlab_kallsyms(const char *name, const char *mod)
{
	char line[512], sym[256], owner[256];
	unsigned long addr, found = 0;
	FILE *f = fopen("/proc/kallsyms", "r");
	char type;
	int fields;

	if (!f)
		return 0;
	while (!found && fgets(line, sizeof(line), f)) {
		fields = sscanf(line, "%lx %c %255s %255s", &addr, &type, sym,
				owner);
		if (fields < 3 || strcmp(sym, name))
			continue;
		if (mod ? fields == 4 && !strcmp(owner, mod) : fields == 3)
			found = addr;
	}
	fclose(f);
	return found;
}

int memlab_iomem_ranges(const char *name, int depth, unsigned long long *start,
			unsigned long long *end, int max)
{
	FILE *f = fopen("/proc/iomem", "r");
	char line[256];
	int n = 0;

	if (!f)
		return -1;
	/* "  00100000-3ffdffff : System RAM", two spaces a level */
	while (fgets(line, sizeof(line), f) && n < max) {
		int indent = strspn(line, " ");
		char *colon = strstr(line, " : ");

		if (!colon || (depth >= 0 && indent != 2 * depth))
			continue;
		colon[strcspn(colon, "\n")] = '\0';
		if (strcmp(colon + 3, name))
			continue;
		if (sscanf(line + indent, "%llx-%llx", &start[n], &end[n]) == 2)
			n++;
	}
	fclose(f);
	return n;
}
