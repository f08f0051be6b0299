/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Small helpers shared by memlab's C selftests: reading whole files,
 * picking "key: value" lines, and loading modules.
 */
#ifndef MEMLAB_TEST_H
#define MEMLAB_TEST_H

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <linux/capability.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <unistd.h>

#define MEMLAB_DEBUGFS	"/sys/kernel/debug/memlab"
#define MEMLAB_PROC	"/proc/memlab"

/*
 * What is left to read of @fd, or with @from_start all of it read from
 * offset 0 (with pread(), so a seq_file with its own state per open file
 * shows it again), as a NUL-terminated string; NULL with errno set.
 */
static inline char *memlab_read_all(int fd, bool from_start)
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

/* The whole content of an open file, read from offset 0. */
static inline char *memlab_read_fd(int fd)
{
	return memlab_read_all(fd, true);
}

/*
 * The regular files of every module's directory in both memlab trees
 * whose mode has a bit of @mode (0400: views, 0200: control files), into
 * @paths; returns how many, at most @max.
 */
static inline int memlab_find_files(mode_t mode, char (*paths)[PATH_MAX],
				    int max)
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

/*
 * Every row of the table at @path, read as a stream (a view may have a
 * million rows), into a malloc()ed array of @size-byte rows, each filled
 * by @parse from its line without the newline (0, or -1 if malformed).
 * With a @header, the first line must be it and every other line a row;
 * without one, lines starting with '#' are skipped.  Returns the number of
 * rows, or -1 with *@rows NULL when the file is unreadable or a line is
 * malformed.
 */
static inline long memlab_read_rows(const char *path, const char *header,
				    size_t size,
				    int (*parse)(const char *line, void *row),
				    void **rows)
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

/* The whole file as a NUL-terminated string, or NULL with errno set. */
static inline char *memlab_read_file(const char *path)
{
	int fd = open(path, O_RDONLY);
	char *text;

	if (fd < 0)
		return NULL;
	text = memlab_read_all(fd, false);
	close(fd);
	return text;
}

/*
 * The value of "key: value" in @text, copied into @out.  Returns 0, or -1
 * when the key is missing.
 */
static inline int memlab_kv(const char *text, const char *key, char *out,
			    size_t outlen)
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

static inline long memlab_kv_long(const char *text, const char *key)
{
	char val[64];

	if (memlab_kv(text, key, val, sizeof(val)))
		return -1;
	return strtol(val, NULL, 0);
}

static inline int memlab_modprobe(const char *name)
{
	char cmd[64 + NAME_MAX];

	snprintf(cmd, sizeof(cmd), "modprobe %.*s 2>/dev/null", NAME_MAX, name);
	return system(cmd) == 0 ? 0 : -1;
}

/*
 * Loads every memlab module modprobe knows of.  Returns how many are loaded,
 * or -1 when not even the core loads.
 */
static inline int memlab_load_all(void)
{
	struct utsname u;
	char path[256], line[512];
	int loaded = 0;
	FILE *dep;

	if (memlab_modprobe("memlab"))
		return -1;
	loaded++;
	uname(&u);
	snprintf(path, sizeof(path), "/lib/modules/%s/modules.dep", u.release);
	dep = fopen(path, "r");
	if (!dep)
		return loaded;
	while (fgets(line, sizeof(line), dep)) {
		char *colon = strchr(line, ':');
		char *base, *dot;

		if (!colon)
			continue;
		*colon = '\0';
		base = strrchr(line, '/');
		base = base ? base + 1 : line;
		dot = strstr(base, ".ko");
		if (!dot || strncmp(base, "memlab_", 7))
			continue;
		*dot = '\0';
		if (!memlab_modprobe(base))
			loaded++;
	}
	fclose(dep);
	return loaded;
}

/*
 * Writes @cmd to the control file @path in one write(2), as a shell's
 * echo would.  Returns 0 or the negative errno the write failed with.
 */
static inline int memlab_write_cmd(const char *path, const char *cmd)
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

/*
 * Opens @path in a child that is still uid 0 but has dropped
 * CAP_SYS_ADMIN, the capability memlab asks for before it shows physical
 * addresses.  Returns 0 if the open worked, else its errno.
 */
static inline int memlab_open_without_sys_admin(const char *path, int flags)
{
	int status;
	pid_t pid;

	pid = fork();
	if (pid < 0)
		return -1;
	if (pid == 0) {
		struct __user_cap_header_struct hdr = {
			.version = _LINUX_CAPABILITY_VERSION_3,
		};
		struct __user_cap_data_struct data[2];
		int fd;

		if (syscall(SYS_capget, &hdr, data))
			_exit(255);
		data[CAP_TO_INDEX(CAP_SYS_ADMIN)].effective &=
			~CAP_TO_MASK(CAP_SYS_ADMIN);
		data[CAP_TO_INDEX(CAP_SYS_ADMIN)].permitted &=
			~CAP_TO_MASK(CAP_SYS_ADMIN);
		if (syscall(SYS_capset, &hdr, data))
			_exit(255);
		fd = open(path, flags);
		_exit(fd >= 0 ? 0 : errno);
	}
	if (waitpid(pid, &status, 0) != pid || !WIFEXITED(status))
		return -1;
	return WEXITSTATUS(status);
}

#endif /* MEMLAB_TEST_H */
