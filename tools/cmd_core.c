// SPDX-License-Identifier: GPL-2.0
/*
 * The subcommands that know no module: list, show and cmd over any view,
 * and status, load and unload over the modules themselves.
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <spawn.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <unistd.h>

#include "memlab.h"

/* Every file under the root, one level of directories deep, sorted. */
static int ml_files(char ***out, size_t *n)
{
	struct dirent **top, **sub;
	char path[4096], **list = NULL, **bigger;
	int ntop, nsub, i, j;
	struct stat st;

	*n = 0;
	ntop = scandir(ml_root(), &top, NULL, alphasort);
	if (ntop < 0)
		return -errno;
	for (i = 0; i < ntop; i++) {
		const char *name = top[i]->d_name;

		if (name[0] == '.')
			goto next;
		snprintf(path, sizeof(path), "%s/%s", ml_root(), name);
		if (stat(path, &st))
			goto next;
		nsub = S_ISDIR(st.st_mode) ? scandir(path, &sub, NULL, alphasort) : -1;
		for (j = 0; j < (nsub < 0 ? 1 : nsub); j++) {
			char *file;

			if (nsub >= 0 && sub[j]->d_name[0] == '.')
				continue;
			if (nsub >= 0 &&
			    asprintf(&file, "%s/%s", name, sub[j]->d_name) < 0)
				file = NULL;
			else if (nsub < 0)
				file = strdup(name);
			bigger = file ? realloc(list, (*n + 1) * sizeof(*list)) : NULL;
			if (!bigger) {
				free(file);
				continue;
			}
			list = bigger;
			list[(*n)++] = file;
		}
		for (j = 0; j < nsub; j++)
			free(sub[j]);
		if (nsub >= 0)
			free(sub);
next:
		free(top[i]);
	}
	free(top);
	*out = list;
	return 0;
}

static const char *ml_kind(const char *file)
{
	char path[4096];
	struct stat st;

	snprintf(path, sizeof(path), "%s/%s", ml_root(), file);
	if (stat(path, &st))
		return "-";
	if ((st.st_mode & 0444) && (st.st_mode & 0222))
		return "control+view";
	return st.st_mode & 0444 ? "view" : "control";
}

static int ml_cmd_list(int argc, char **argv)
{
	char **files;
	size_t n, i;
	int ret;

	(void)argv;
	if (argc != 1)
		return ml_usage(&ml_core_commands[0], ML_EXIT_USAGE);
	ret = ml_files(&files, &n);
	if (ret)
		return ml_file_error(".", "cannot list", ret);
	if (ml_opt.json) {
		ml_json_begin(stdout, "list");
		fputs(",\"rows\":[", stdout);
	}
	for (i = 0; i < n; i++) {
		if (ml_opt.json) {
			printf("%s{\"file\":", i ? "," : "");
			ml_json_value(stdout, files[i]);
			fputs(",\"kind\":", stdout);
			ml_json_value(stdout, ml_kind(files[i]));
			fputc('}', stdout);
		} else {
			printf("%-24s %s\n", files[i], ml_kind(files[i]));
		}
		free(files[i]);
	}
	free(files);
	if (ml_opt.json) {
		fputc(']', stdout);
		ml_json_end(stdout);
	}
	return ML_EXIT_OK;
}

static int ml_show_one(const char *file, bool banner)
{
	struct ml_view v;
	int ret;

	ret = ml_view_read(&v, file);
	if (ret)
		return ml_file_error(file, "cannot read", ret);
	if (banner && !ml_opt.json)
		printf("==> %s <==\n", file);
	ret = ml_print(&v);
	if (banner && !ml_opt.json)
		putchar('\n');
	ml_view_free(&v);
	return ret ? ML_EXIT_USAGE : ML_EXIT_OK;
}

static int ml_cmd_show(int argc, char **argv)
{
	int status = ML_EXIT_OK, ret, i;
	char **files;
	size_t n, j;

	/* A banner over each view when there are several, as head(1) does. */
	if (argc > 1) {
		for (i = 1; i < argc; i++) {
			ret = ml_show_one(argv[i], !ml_opt.json && argc > 2);
			if (ret > status)
				status = ret;
		}
		return status;
	}
	ret = ml_files(&files, &n);
	if (ret)
		return ml_file_error(".", "cannot list", ret);
	for (j = 0; j < n; j++) {
		if (strcmp(ml_kind(files[j]), "control")) {
			ret = ml_show_one(files[j], !ml_opt.json);
			if (ret > status)
				status = ret;
		}
		free(files[j]);
	}
	free(files);
	return status;
}

/* The words after FILE, joined by spaces: one command, one write. */
static char *ml_join(int argc, char **argv)
{
	size_t len = 1;
	char *cmd;
	int i;

	for (i = 0; i < argc; i++)
		len += strlen(argv[i]) + 1;
	cmd = calloc(1, len);
	for (i = 0; cmd && i < argc; i++) {
		if (i)
			strcat(cmd, " ");
		strcat(cmd, argv[i]);
	}
	return cmd;
}

static int ml_cmd_cmd(int argc, char **argv)
{
	char *words;
	int ret;

	if (argc < 3)
		return ml_usage(&ml_core_commands[2], ML_EXIT_USAGE);
	words = ml_join(argc - 2, argv + 2);
	if (!words)
		return ml_error(ML_EXIT_REFUSED, "out of memory");
	ret = ml_control(argv[1], words);
	if (ret)
		ret = ml_file_error(argv[1], words, ret);
	free(words);
	return ret;
}

/*
 * The memlab modules by name: those modules.dep lists (installed for this
 * kernel) and those /proc/modules lists (loaded, perhaps by insmod from
 * elsewhere), each once, in the order found.
 */
struct ml_modules {
	char **name;
	bool *installed, *loaded;
	size_t n;
};

static void ml_modules_add(struct ml_modules *m, const char *name, size_t len,
			   bool installed)
{
	char **names;
	bool *inst, *load;
	size_t i;

	for (i = 0; i < m->n; i++) {
		if (strlen(m->name[i]) == len && !strncmp(m->name[i], name, len))
			goto found;
	}
	names = realloc(m->name, (m->n + 1) * sizeof(*names));
	if (names)
		m->name = names;
	inst = realloc(m->installed, (m->n + 1) * sizeof(*inst));
	if (inst)
		m->installed = inst;
	load = realloc(m->loaded, (m->n + 1) * sizeof(*load));
	if (load)
		m->loaded = load;
	if (!names || !inst || !load)
		return;
	m->name[m->n] = strndup(name, len);
	if (!m->name[m->n])
		return;
	m->installed[m->n] = false;
	m->loaded[m->n] = false;
	i = m->n++;
found:
	if (installed)
		m->installed[i] = true;
	else
		m->loaded[i] = true;
}

static void ml_modules_read(struct ml_modules *m)
{
	char path[512], *line = NULL, *base, *end;
	struct utsname u;
	size_t cap = 0;
	FILE *f;

	memset(m, 0, sizeof(*m));
	if (!uname(&u)) {
		snprintf(path, sizeof(path), "/lib/modules/%s/modules.dep", u.release);
		f = fopen(path, "re");
		/* ".../memlab_buddy.ko[.xz]: deps": the name is the file's. */
		while (f && getline(&line, &cap, f) > 0) {
			end = strstr(line, ".ko");
			if (!end || end > strchr(line, ':'))
				continue;
			*end = '\0';
			base = strrchr(line, '/');
			base = base ? base + 1 : line;
			if (!strncmp(base, "memlab", 6) && (!base[6] || base[6] == '_'))
				ml_modules_add(m, base, strlen(base), true);
		}
		if (f)
			fclose(f);
	}
	f = fopen("/proc/modules", "re");
	while (f && getline(&line, &cap, f) > 0) {
		if (!strncmp(line, "memlab", 6) && (line[6] == ' ' || line[6] == '_'))
			ml_modules_add(m, line, strcspn(line, " "), false);
	}
	if (f)
		fclose(f);
	free(line);
}

static void ml_modules_free(struct ml_modules *m)
{
	size_t i;

	for (i = 0; i < m->n; i++)
		free(m->name[i]);
	free(m->name);
	free(m->installed);
	free(m->loaded);
}

/* The first line of @path, without its newline, or "-". */
static void ml_first_line(const char *path, char *buf, size_t size)
{
	FILE *f = fopen(path, "re");

	if (!f || !fgets(buf, size, f))
		snprintf(buf, size, "-");
	else
		buf[strcspn(buf, "\n")] = '\0';
	if (f)
		fclose(f);
}

static bool ml_debugfs_mounted(void)
{
	char *line = NULL;
	bool found = false;
	size_t cap = 0;
	FILE *f = fopen("/proc/mounts", "re");

	while (f && !found && getline(&line, &cap, f) > 0)
		found = strstr(line, " debugfs ");
	if (f)
		fclose(f);
	free(line);
	return found;
}

/* "[none] integrity confidentiality": the bracketed one is in force. */
static void ml_lockdown(char *buf, size_t size)
{
	char line[128], *open, *close;

	ml_first_line("/sys/kernel/security/lockdown", line, sizeof(line));
	open = strchr(line, '[');
	close = open ? strchr(open, ']') : NULL;
	if (!close) {
		snprintf(buf, size, "-");
		return;
	}
	*close = '\0';
	snprintf(buf, size, "%s", open + 1);
}

static int ml_cmd_status(int argc, char **argv)
{
	static const char *const keys[] = { "version", "arch", "paging_levels", "va_bits" };
	char lockdown[64], *text = NULL;
	struct ml_modules mods;
	struct ml_view v;
	struct utsname u;
	struct stat st;
	size_t len, i;
	FILE *f;
	int ret;

	(void)argv;
	if (argc != 1)
		return ml_usage(&ml_core_commands[3], ML_EXIT_USAGE);
	if (uname(&u))
		strcpy(u.release, "-");
	ml_lockdown(lockdown, sizeof(lockdown));
	ml_modules_read(&mods);
	/* Written as a key/value view, so that -J and -o work on it too. */
	f = open_memstream(&text, &len);
	if (!f)
		return ml_error(ML_EXIT_REFUSED, "out of memory");
	fprintf(f, "kernel: %s\n", u.release);
	for (i = 0; i < ARRAY_SIZE(keys); i++)
		fprintf(f, "%s: %s\n", keys[i], ml_version(keys[i]) ? ml_version(keys[i]) : "-");
	fprintf(f, "debugfs: %s\n", ml_debugfs_mounted() ? "mounted" : "not-mounted");
	fprintf(f, "lockdown: %s\n", lockdown);
	fprintf(f, "views: %s\n", stat(ml_root(), &st) ? "-" : ml_root());
	for (i = 0; i < mods.n; i++)
		fprintf(f, "%s: %s\n", mods.name[i],
			mods.loaded[i] ? "loaded" : "not-loaded");
	fclose(f);
	ml_modules_free(&mods);
	ret = ml_view_parse(&v, "status", text);
	if (ret)
		return ml_error(ML_EXIT_REFUSED, "out of memory");
	ret = ml_print(&v);
	ml_view_free(&v);
	return ret ? ML_EXIT_USAGE : ML_EXIT_OK;
}

/* modprobe NAME, or modprobe -r NAME; its status, or -1 if none ran. */
static int ml_modprobe(const char *name)
{
	char *const args[] = { "modprobe", (char *)name, NULL };
	int status;
	pid_t pid;

	if (posix_spawnp(&pid, "modprobe", NULL, NULL, args, environ))
		return -1;
	if (waitpid(pid, &status, 0) < 0)
		return -1;
	return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

static int ml_cmd_load(int argc, char **argv)
{
	struct ml_modules mods;
	int status = ML_EXIT_OK;
	size_t i, n = 0;

	(void)argv;
	if (argc != 1)
		return ml_usage(&ml_core_commands[4], ML_EXIT_USAGE);
	if (geteuid())
		return ml_error(ML_EXIT_REFUSED, "load needs root (CAP_SYS_MODULE)");
	ml_modules_read(&mods);
	for (i = 0; i < mods.n; i++) {
		if (!mods.installed[i])
			continue;
		n++;
		if (ml_modprobe(mods.name[i])) {
			status = ml_error(ML_EXIT_REFUSED,
					  "modprobe %s failed: dmesg says why", mods.name[i]);
			break;
		}
	}
	ml_modules_free(&mods);
	if (!n)
		return ml_error(ML_EXIT_REFUSED,
				"no memlab module is installed for this kernel: see README, \"Install on your own machine\"");
	return status;
}

/* A module is free to go when no other module holds it. */
static bool ml_held(const char *name)
{
	char path[256];
	struct dirent *d;
	bool held = false;
	DIR *dir;

	snprintf(path, sizeof(path), "/sys/module/%s/holders", name);
	dir = opendir(path);
	while (dir && !held && (d = readdir(dir)))
		held = d->d_name[0] != '.';
	if (dir)
		closedir(dir);
	return held;
}

/*
 * Each round takes away the loaded modules that no other holds
 * (memlab_layout holds memlab_pgwalk, and every one holds memlab), until
 * none is left or a round gets nowhere.
 */
static int ml_cmd_unload(int argc, char **argv)
{
	struct ml_modules mods;
	bool progress = true;
	size_t i, left = 1;
	int err = 0;

	(void)argv;
	if (argc != 1)
		return ml_usage(&ml_core_commands[5], ML_EXIT_USAGE);
	if (geteuid())
		return ml_error(ML_EXIT_REFUSED, "unload needs root (CAP_SYS_MODULE)");
	ml_modules_read(&mods);
	while (left && progress) {
		progress = false;
		left = 0;
		for (i = 0; i < mods.n; i++) {
			if (!mods.loaded[i])
				continue;
			if (ml_held(mods.name[i]) ||
			    syscall(SYS_delete_module, mods.name[i], O_NONBLOCK)) {
				if (!ml_held(mods.name[i]))
					err = errno;
				left++;
				continue;
			}
			mods.loaded[i] = false;
			progress = true;
		}
	}
	for (i = 0; left && i < mods.n; i++) {
		if (mods.loaded[i])
			ml_error(ML_EXIT_REFUSED, "cannot unload %s: %s", mods.name[i],
				 err == EWOULDBLOCK || err == EBUSY ?
				 "in use (a view or /dev/memlab_ring is open)" :
				 err ? strerror(err) : "held by another module");
	}
	ml_modules_free(&mods);
	return left ? ML_EXIT_REFUSED : ML_EXIT_OK;
}

const struct ml_command ml_core_commands[] = {
	{ "list", ml_cmd_list, "", "every file, with its kind (view, control)" },
	{ "show", ml_cmd_show, "[FILE...]",
	  "print views, e.g. \"memlab show version buddy/freearea\"; with no FILE, every view" },
	{ "cmd", ml_cmd_cmd, "FILE WORDS...",
	  "write one command, e.g. \"memlab cmd buddy/control alloc 3\"" },
	{ "status", ml_cmd_status, "",
	  "the kernel, its paging mode, where the views are, and which modules are loaded" },
	{ "load", ml_cmd_load, "", "modprobe every memlab module installed for this kernel" },
	{ "unload", ml_cmd_unload, "",
	  "unload every memlab module, the ones no other holds first" },
	{ NULL },
};
