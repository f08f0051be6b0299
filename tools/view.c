// SPDX-License-Identifier: GPL-2.0
/*
 * Finding the views, reading them whole, and splitting them by their own
 * header.  A view is read with one open() and read() until EOF, as cat
 * does: the modules snapshot expensive data at open, so one open is one
 * consistent picture.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "memlab.h"

static const char *const ml_roots[] = {
	"/sys/kernel/debug/memlab",
	/* Where debugfs is missing or locked down. */
	"/proc/memlab",
};

const char *ml_root(void)
{
	static const char *root;
	struct stat st;
	size_t i;

	if (root)
		return root;
	/* Tests point the tool at a tree of saved views. */
	root = getenv("MEMLAB_ROOT");
	if (root && *root)
		return root;
	for (i = 0; i < ARRAY_SIZE(ml_roots); i++) {
		if (stat(ml_roots[i], &st) == 0 && S_ISDIR(st.st_mode))
			return root = ml_roots[i];
	}
	return root = ml_roots[0];
}

static int ml_open(const char *name, int flags)
{
	char path[4096];

	if ((size_t)snprintf(path, sizeof(path), "%s/%s", ml_root(), name) >=
	    sizeof(path))
		return -ENAMETOOLONG;
	return open(path, flags | O_CLOEXEC);
}

/* Everything until EOF, NUL-terminated, in a buffer that grows. */
static int ml_slurp(int fd, char **out)
{
	size_t len = 0, size = 16384;
	char *buf = malloc(size), *bigger;
	ssize_t n;

	if (!buf)
		return -ENOMEM;
	for (;;) {
		if (size - len < 4096) {
			bigger = realloc(buf, size * 2);
			if (!bigger) {
				free(buf);
				return -ENOMEM;
			}
			buf = bigger;
			size *= 2;
		}
		n = read(fd, buf + len, size - len - 1);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			n = -errno;
			free(buf);
			return n;
		}
		if (n == 0)
			break;
		len += n;
	}
	buf[len] = '\0';
	*out = buf;
	return 0;
}

int ml_read_text(const char *name, char **text)
{
	int fd, ret;

	fd = ml_open(name, O_RDONLY);
	if (fd < 0)
		return fd == -ENAMETOOLONG ? fd : -errno;
	ret = ml_slurp(fd, text);
	close(fd);
	return ret;
}

int ml_view_read(struct ml_view *v, const char *name)
{
	char *text;
	int ret;

	ret = ml_read_text(name, &text);
	if (ret)
		return ret;
	return ml_view_parse(v, name, text);
}

int ml_view_query(struct ml_view *v, const char *name, const char *request)
{
	size_t len = strlen(request);
	char *text;
	int fd, ret;

	fd = ml_open(name, O_RDWR);
	if (fd < 0)
		return fd == -ENAMETOOLONG ? fd : -errno;
	if (write(fd, request, len) != (ssize_t)len) {
		ret = -errno;
		goto out;
	}
	ret = ml_slurp(fd, &text);
	if (!ret)
		ret = ml_view_parse(v, name, text);
out:
	close(fd);
	return ret;
}

int ml_control(const char *file, const char *command)
{
	size_t len = strlen(command);
	int fd, ret = 0;

	fd = ml_open(file, O_WRONLY);
	if (fd < 0)
		return fd == -ENAMETOOLONG ? fd : -errno;
	if (write(fd, command, len) != (ssize_t)len)
		ret = -errno;
	if (close(fd) && !ret)
		ret = -errno;
	return ret;
}

/* How many fields ml_split() will find in @line, which it leaves alone. */
static size_t ml_count_fields(const char *line)
{
	size_t n = 0;
	bool in = false;

	for (; *line; line++) {
		if (*line == ' ' || *line == '\t')
			in = false;
		else if (!in)
			in = true, n++;
	}
	return n;
}

/* The fields of @line, split in place at runs of blanks. */
static size_t ml_split(char *line, char **fields, size_t max)
{
	size_t n = 0;
	char *save, *f;

	for (f = strtok_r(line, " \t", &save); f;
	     f = strtok_r(NULL, " \t", &save)) {
		if (fields && n < max)
			fields[n] = f;
		n++;
	}
	return n;
}

static int ml_parse_kv(struct ml_view *v, char **lines, size_t nlines)
{
	size_t i;
	char *sep;

	v->kv = true;
	v->nrows = 1;
	v->cols = calloc(nlines ? nlines : 1, sizeof(*v->cols));
	v->cells = calloc(nlines ? nlines : 1, sizeof(*v->cells));
	if (!v->cols || !v->cells)
		return -ENOMEM;
	/*
	 * A setting such as pgwalk/target reads back one line in the syntax
	 * it is written in: one value, named after the file.
	 */
	if (nlines == 1 && !strstr(lines[0], ": ")) {
		sep = strrchr(v->name, '/');
		v->setting = true;
		v->cols[0] = sep ? sep + 1 : v->name;
		v->cells[0] = lines[0];
		v->ncols = 1;
		return 0;
	}
	for (i = 0; i < nlines; i++) {
		sep = strstr(lines[i], ": ");
		if (!sep)
			return -EPROTO;
		*sep = '\0';
		v->cols[v->ncols] = lines[i];
		v->cells[v->ncols++] = sep + 2;
	}
	return 0;
}

static int ml_parse_table(struct ml_view *v, char **lines, size_t nlines)
{
	size_t i;

	/* The header, "# column ...", without its "#". */
	v->ncols = ml_count_fields(lines[0] + 1);
	v->cols = calloc(v->ncols ? v->ncols : 1, sizeof(*v->cols));
	if (!v->cols)
		return -ENOMEM;
	ml_split(lines[0] + 1, v->cols, v->ncols);
	v->nrows = nlines - 1;
	v->cells = calloc(v->nrows * v->ncols + 1, sizeof(*v->cells));
	if (!v->cells)
		return -ENOMEM;
	for (i = 1; i < nlines; i++) {
		/* A row with more fields than the header is not this format. */
		if (ml_split(lines[i], v->cells + (i - 1) * v->ncols,
			     v->ncols) > v->ncols)
			return -EPROTO;
	}
	return 0;
}

int ml_view_parse(struct ml_view *v, const char *name, char *text)
{
	size_t nlines = 0, i = 0;
	char **lines, *p, *save;
	int ret;

	memset(v, 0, sizeof(*v));
	v->text = text;
	v->name = strdup(name);
	for (p = text; *p; p++)
		nlines += *p == '\n';
	lines = calloc(nlines + 2, sizeof(*lines));
	if (!v->name || !lines) {
		free(lines);
		ml_view_free(v);
		return -ENOMEM;
	}
	for (p = strtok_r(text, "\n", &save); p; p = strtok_r(NULL, "\n", &save))
		lines[i++] = p;
	if (i && lines[0][0] == '#')
		ret = ml_parse_table(v, lines, i);
	else
		ret = ml_parse_kv(v, lines, i);
	free(lines);
	if (ret)
		ml_view_free(v);
	return ret;
}

void ml_view_free(struct ml_view *v)
{
	free(v->name);
	free(v->text);
	free(v->cols);
	free(v->cells);
	memset(v, 0, sizeof(*v));
}

int ml_col(const struct ml_view *v, const char *col)
{
	size_t i;

	for (i = 0; i < v->ncols; i++) {
		if (!strcmp(v->cols[i], col))
			return i;
	}
	return -1;
}

const char *ml_cell(const struct ml_view *v, size_t row, int col)
{
	if (row >= v->nrows || col < 0 || (size_t)col >= v->ncols)
		return NULL;
	return v->cells[row * v->ncols + col];
}

const char *ml_get(const struct ml_view *v, size_t row, const char *col)
{
	return ml_cell(v, row, ml_col(v, col));
}

bool ml_number(const char *field, uint64_t *val)
{
	char *end;

	if (!field || !*field || *field == '-' || *field == '+')
		return false;
	errno = 0;
	*val = strtoull(field, &end, 0);
	/* "010" is ten, not eight: the views print decimal or 0x. */
	if (field[0] == '0' && field[1] && field[1] != 'x')
		*val = strtoull(field, &end, 10);
	return !errno && !*end;
}
