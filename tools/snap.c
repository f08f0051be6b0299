// SPDX-License-Identifier: GPL-2.0
/*
 * snap saves every view as the kernel printed it; diff says what changed
 * between two such moments, cell by cell.  A snap keeps the raw text so
 * that a newer memlab can still read an old one, and a view this tool
 * cannot split is still compared, as a whole:
 *
 *	memlab-snap 1
 *	@@ buddy/freearea
 *	# node zone type 0 1 2 ...
 *	0 DMA Unmovable 0 0 0 ...
 *	@@ slab/stats
 *	name: memlab_obj
 *
 * No view prints a line that starts with "@@ ", so the views need no
 * quoting.  Rows are paired by what they are (ml_match_rows()), not by
 * where they are, so that a row added in the middle shows as one added
 * row rather than as every row after it changed.
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "memlab.h"
#include "snap.h"

#define ML_SNAP_MAGIC	"memlab-snap 1"

/* The columns that name a row on their own. */
static const char *const ml_id_cols[] = { "id", "idx", "index" };

/* The views that answer only a request written first: nothing to save. */
static const char *const ml_needs_request[] = { "pgwalk/walk", "pgwalk/ranges" };

bool ml_same_cell(const char *x, const char *y)
{
	uint64_t a, b;

	x = x ? x : "-";
	y = y ? y : "-";
	if (ml_number(x, &a) && ml_number(y, &b))
		return a == b;
	return !strcmp(x, y);
}

/* A column is a value, not a name, when any of its cells is a number. */
static bool ml_numeric_col(const struct ml_view *v, int col)
{
	uint64_t val;
	size_t row;

	for (row = 0; row < v->nrows; row++) {
		if (ml_number(ml_cell(v, row, col), &val))
			return true;
	}
	return false;
}

/* The columns of @a, by @bmap also @b's, that the key starts from. */
static void ml_pick_key(const struct ml_view *a, const struct ml_view *b,
			const int *bmap, bool *keycol)
{
	size_t i;
	int col;

	for (i = 0; i < ARRAY_SIZE(ml_id_cols); i++) {
		col = ml_col(a, ml_id_cols[i]);
		if (col >= 0 && bmap[col] >= 0) {
			keycol[col] = true;
			return;
		}
	}
	/* node is a number, but it names a zone's row as much as zone does. */
	for (i = 0; i < a->ncols; i++) {
		if (bmap[i] >= 0 &&
		    (!strcmp(a->cols[i], "node") ||
		     (!ml_numeric_col(a, i) && !ml_numeric_col(b, bmap[i]))))
			keycol[i] = true;
	}
}

struct ml_keyed {
	char *key;
	size_t row;
};

static int ml_keyed_cmp(const void *x, const void *y)
{
	const struct ml_keyed *a = x, *b = y;
	int c = strcmp(a->key, b->key);

	if (c)
		return c;
	return a->row < b->row ? -1 : a->row > b->row;
}

static void ml_keyed_free(struct ml_keyed *k, size_t n)
{
	size_t i;

	for (i = 0; k && i < n; i++)
		free(k[i].key);
	free(k);
}

/* Row @row's key cells of @v, @map taking a's columns to @v's, joined by '/'. */
static char *ml_row_key(const struct ml_view *v, size_t row, const int *map,
			const bool *keycol, size_t ncols)
{
	size_t len = 1, i;
	const char *cell;
	char *key, *p;

	for (i = 0; i < ncols; i++) {
		cell = keycol[i] ? ml_cell(v, row, map[i]) : "";
		len += strlen(cell ? cell : "-") + 1;
	}
	key = malloc(len);
	if (!key)
		return NULL;
	p = key;
	for (i = 0; i < ncols; i++) {
		if (!keycol[i])
			continue;
		cell = ml_cell(v, row, map[i]);
		if (p != key)
			*p++ = '/';
		p = stpcpy(p, cell ? cell : "-");
	}
	*p = '\0';
	return key;
}

/* Every row's key, sorted; -ENOMEM. */
static int ml_keys(const struct ml_view *v, const int *map, const bool *keycol,
		   size_t ncols, struct ml_keyed **out)
{
	struct ml_keyed *k = calloc(v->nrows + 1, sizeof(*k));
	size_t row;

	*out = k;
	if (!k)
		return -ENOMEM;
	for (row = 0; row < v->nrows; row++) {
		k[row].row = row;
		k[row].key = ml_row_key(v, row, map, keycol, ncols);
		if (!k[row].key)
			return -ENOMEM;
	}
	qsort(k, v->nrows, sizeof(*k), ml_keyed_cmp);
	return 0;
}

static bool ml_dups(const struct ml_keyed *k, size_t n)
{
	size_t i;

	for (i = 1; i < n; i++) {
		if (!strcmp(k[i - 1].key, k[i].key))
			return true;
	}
	return false;
}

/*
 * Rows alike in every column are told apart by their place among their
 * like, "key#2" the second: nothing else can pair them.  The first keeps
 * its key, so that it pairs with the other version's one such row.
 */
static int ml_number_dups(struct ml_keyed *k, size_t n)
{
	size_t i, run, j;
	char *key;

	for (i = 0; i < n; i = run) {
		for (run = i + 1; run < n && !strcmp(k[i].key, k[run].key); run++)
			;
		for (j = i + 1; j < run; j++) {
			if (asprintf(&key, "%s#%zu", k[j].key, j - i + 1) < 0)
				return -ENOMEM;
			free(k[j].key);
			k[j].key = key;
		}
	}
	qsort(k, n, sizeof(*k), ml_keyed_cmp);
	return 0;
}

/* Key/value views: one row each, paired, and keys by their own names. */
static int ml_match_kv(struct ml_match *m)
{
	if (m->na && m->nb) {
		m->a2b[0] = 0;
		m->b2a[0] = 0;
	}
	if (m->na)
		m->akey[0] = strdup("-");
	if (m->nb)
		m->bkey[0] = strdup("-");
	return (m->na && !m->akey[0]) || (m->nb && !m->bkey[0]) ? -ENOMEM : 0;
}

int ml_match_rows(const struct ml_view *a, const struct ml_view *b, struct ml_match *m)
{
	struct ml_keyed *ka = NULL, *kb = NULL;
	int *amap, *bmap, c, ret = -ENOMEM;
	size_t i, j;

	memset(m, 0, sizeof(*m));
	m->na = a->nrows;
	m->nb = b->nrows;
	m->akey = calloc(m->na + 1, sizeof(*m->akey));
	m->bkey = calloc(m->nb + 1, sizeof(*m->bkey));
	m->a2b = malloc((m->na + 1) * sizeof(*m->a2b));
	m->b2a = malloc((m->nb + 1) * sizeof(*m->b2a));
	m->akeycol = calloc(a->ncols + 1, sizeof(*m->akeycol));
	m->bkeycol = calloc(b->ncols + 1, sizeof(*m->bkeycol));
	amap = calloc(a->ncols + 1, sizeof(*amap));
	bmap = calloc(a->ncols + 1, sizeof(*bmap));
	if (!m->akey || !m->bkey || !m->a2b || !m->b2a || !m->akeycol ||
	    !m->bkeycol || !amap || !bmap)
		goto out;
	for (i = 0; i < m->na; i++)
		m->a2b[i] = -1;
	for (i = 0; i < m->nb; i++)
		m->b2a[i] = -1;
	if (a->kv || b->kv) {
		ret = ml_match_kv(m);
		goto out;
	}
	/* The key is made of the columns both versions have, by name. */
	for (i = 0; i < a->ncols; i++) {
		amap[i] = i;
		bmap[i] = ml_col(b, a->cols[i]);
	}
	ml_pick_key(a, b, bmap, m->akeycol);
	for (;;) {
		ret = ml_keys(a, amap, m->akeycol, a->ncols, &ka);
		if (!ret)
			ret = ml_keys(b, bmap, m->akeycol, a->ncols, &kb);
		if (ret)
			goto out;
		if (!ml_dups(ka, m->na) && !ml_dups(kb, m->nb))
			break;
		for (i = 0; i < a->ncols && (m->akeycol[i] || bmap[i] < 0); i++)
			;
		if (i == a->ncols) {
			ret = ml_number_dups(ka, m->na);
			if (!ret)
				ret = ml_number_dups(kb, m->nb);
			if (ret)
				goto out;
			break;
		}
		m->akeycol[i] = true;
		ml_keyed_free(ka, m->na);
		ml_keyed_free(kb, m->nb);
		ka = NULL;
		kb = NULL;
	}
	for (i = 0; i < a->ncols; i++) {
		if (m->akeycol[i])
			m->bkeycol[bmap[i]] = true;
	}
	/* Both sorted by key: pair them as a merge does. */
	for (i = j = 0; i < m->na && j < m->nb;) {
		c = strcmp(ka[i].key, kb[j].key);
		if (c < 0) {
			i++;
		} else if (c > 0) {
			j++;
		} else {
			m->a2b[ka[i].row] = kb[j].row;
			m->b2a[kb[j].row] = ka[i].row;
			i++, j++;
		}
	}
	for (i = 0; i < m->na; i++) {
		m->akey[ka[i].row] = ka[i].key;
		ka[i].key = NULL;
	}
	for (j = 0; j < m->nb; j++) {
		m->bkey[kb[j].row] = kb[j].key;
		kb[j].key = NULL;
	}
	ret = 0;
out:
	ml_keyed_free(ka, m->na);
	ml_keyed_free(kb, m->nb);
	free(amap);
	free(bmap);
	if (ret)
		ml_match_free(m);
	return ret;
}

void ml_match_free(struct ml_match *m)
{
	size_t i;

	for (i = 0; m->akey && i < m->na; i++)
		free(m->akey[i]);
	for (i = 0; m->bkey && i < m->nb; i++)
		free(m->bkey[i]);
	free(m->akey);
	free(m->bkey);
	free(m->a2b);
	free(m->b2a);
	free(m->akeycol);
	free(m->bkeycol);
	memset(m, 0, sizeof(*m));
}

/* The views of one moment, each as it was read. */
struct ml_snap_view {
	char *name;
	char *text;
};

struct ml_snap {
	size_t n;
	struct ml_snap_view *view;
};

/* Takes @name and @text, or leaves them to the caller on -ENOMEM. */
static int ml_snap_add(struct ml_snap *s, char *name, char *text)
{
	struct ml_snap_view *bigger = realloc(s->view, (s->n + 1) * sizeof(*bigger));

	if (!bigger)
		return -ENOMEM;
	s->view = bigger;
	s->view[s->n].name = name;
	s->view[s->n++].text = text;
	return 0;
}

static void ml_snap_free(struct ml_snap *s)
{
	size_t i;

	for (i = 0; i < s->n; i++) {
		free(s->view[i].name);
		free(s->view[i].text);
	}
	free(s->view);
	memset(s, 0, sizeof(*s));
}

static const struct ml_snap_view *ml_snap_find(const struct ml_snap *s, const char *name)
{
	size_t i;

	for (i = 0; i < s->n; i++) {
		if (!strcmp(s->view[i].name, name))
			return &s->view[i];
	}
	return NULL;
}

/* A file to save: readable, and not one that waits for a request. */
static bool ml_snap_wanted(const char *name)
{
	struct stat st;
	char *path;
	size_t i;
	bool ok;

	for (i = 0; i < ARRAY_SIZE(ml_needs_request); i++) {
		if (!strcmp(name, ml_needs_request[i]))
			return false;
	}
	if (asprintf(&path, "%s/%s", ml_root(), name) < 0)
		return false;
	ok = !stat(path, &st) && S_ISREG(st.st_mode) && (st.st_mode & 0444);
	free(path);
	return ok;
}

/* The views that could not be read, said once the rest are saved. */
struct ml_snap_fail {
	size_t n;
	char **name;
	int *err;
};

static void ml_snap_read_one(struct ml_snap *s, struct ml_snap_fail *f, char *name)
{
	char **names, *text = NULL;
	int *errs, ret;

	ret = ml_read_text(name, &text);
	if (!ret) {
		ret = ml_snap_add(s, name, text);
		if (!ret)
			return;
		free(text);
	}
	names = realloc(f->name, (f->n + 1) * sizeof(*names));
	if (names)
		f->name = names;
	errs = realloc(f->err, (f->n + 1) * sizeof(*errs));
	if (errs)
		f->err = errs;
	if (!names || !errs) {
		free(name);
		return;
	}
	f->name[f->n] = name;
	f->err[f->n++] = ret;
}

/* Every view of the directory @dir of the root ("" for the root itself). */
static int ml_snap_dir(struct ml_snap *s, struct ml_snap_fail *f, const char *dir)
{
	struct dirent **ents;
	char *path, *name;
	struct stat st;
	int n, i;

	if (asprintf(&path, "%s%s%s", ml_root(), *dir ? "/" : "", dir) < 0)
		return -ENOMEM;
	n = scandir(path, &ents, NULL, alphasort);
	free(path);
	if (n < 0)
		return -errno;
	for (i = 0; i < n; i++) {
		if (ents[i]->d_name[0] == '.' ||
		    asprintf(&name, "%s%s%s", dir, *dir ? "/" : "", ents[i]->d_name) < 0)
			goto next;
		if (asprintf(&path, "%s/%s", ml_root(), name) < 0) {
			free(name);
			goto next;
		}
		/* One level deep: the modules' directories. */
		if (!*dir && !stat(path, &st) && S_ISDIR(st.st_mode)) {
			ml_snap_dir(s, f, name);
			free(name);
		} else if (ml_snap_wanted(name)) {
			ml_snap_read_one(s, f, name);
		} else {
			free(name);
		}
		free(path);
next:
		free(ents[i]);
	}
	free(ents);
	return 0;
}

/*
 * Every view now.  A view that cannot be read is left out, and said so,
 * unless none can be: then why is the answer.
 */
static int ml_snap_live(struct ml_snap *s)
{
	struct ml_snap_fail f = { 0 };
	int status = ML_EXIT_OK, ret;
	size_t i;

	ret = ml_snap_dir(s, &f, "");
	if (ret) {
		status = ml_file_error(".", "cannot list", ret);
	} else if (!s->n && f.n) {
		status = ml_file_error(f.name[0], "cannot read", f.err[0]);
	} else if (!s->n) {
		status = ml_error(ML_EXIT_REFUSED, "%s has no views: is memlab loaded?",
				  ml_root());
	} else {
		for (i = 0; i < f.n; i++)
			fprintf(stderr, "memlab: %s: left out: %s\n", f.name[i],
				strerror(-f.err[i]));
	}
	for (i = 0; i < f.n; i++)
		free(f.name[i]);
	free(f.name);
	free(f.err);
	return status;
}

static void ml_snap_write(FILE *out, const struct ml_snap *s)
{
	const char *text;
	size_t i, len;

	fputs(ML_SNAP_MAGIC "\n", out);
	for (i = 0; i < s->n; i++) {
		text = s->view[i].text;
		len = strlen(text);
		fprintf(out, "@@ %s\n%s", s->view[i].name, text);
		if (len && text[len - 1] != '\n')
			fputc('\n', out);
	}
}

/*
 * Into FILE.tmp, then renamed: a snap is whole or absent.  0600, as the
 * views themselves are root's alone: they hold physical and kernel
 * addresses.
 */
static int ml_snap_save(const char *file, const struct ml_snap *s)
{
	const int flags = O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC;
	FILE *out;
	char *tmp;
	int fd, ret = 0;

	if (asprintf(&tmp, "%s.tmp", file) < 0)
		return -ENOMEM;
	fd = open(tmp, flags, 0600);
	/* Left by a snap that was killed: not someone else's, or unlink fails. */
	if (fd < 0 && errno == EEXIST && !unlink(tmp))
		fd = open(tmp, flags, 0600);
	if (fd < 0) {
		ret = -errno;
		goto out;
	}
	out = fdopen(fd, "w");
	if (!out) {
		ret = -errno;
		close(fd);
		goto unlink;
	}
	ml_snap_write(out, s);
	errno = EIO;
	if (fflush(out) || ferror(out) || fsync(fd))
		ret = -errno;
	if (fclose(out) && !ret)
		ret = -errno;
	if (!ret && rename(tmp, file))
		ret = -errno;
unlink:
	if (ret)
		unlink(tmp);
out:
	free(tmp);
	return ret;
}

int ml_cmd_snap(int argc, char **argv)
{
	struct ml_snap s = { 0 };
	int status, ret;

	if (argc != 2 || (argv[1][0] == '-' && argv[1][1]))
		return ml_usage(&ml_watch_commands[1], ML_EXIT_USAGE);
	status = ml_snap_live(&s);
	if (status)
		goto out;
	if (!strcmp(argv[1], "-")) {
		ml_snap_write(stdout, &s);
		if (fflush(stdout) || ferror(stdout))
			status = ml_error(ML_EXIT_REFUSED, "stdout: %s", strerror(errno));
		goto out;
	}
	ret = ml_snap_save(argv[1], &s);
	if (ret)
		status = ml_error(ML_EXIT_REFUSED, "%s: %s", argv[1], strerror(-ret));
out:
	ml_snap_free(&s);
	return status;
}

/* The view being read, @text growing in @mem, is complete: into @s. */
static int ml_snap_end(struct ml_snap *s, char **name, FILE **mem, char **text)
{
	int ret = 0;

	if (!*mem)
		return 0;
	if (fclose(*mem))
		ret = -ENOMEM;
	*mem = NULL;
	if (!ret)
		ret = ml_snap_add(s, *name, *text);
	if (ret) {
		free(*name);
		free(*text);
	}
	*name = *text = NULL;
	return ret;
}

/* @file ("-": stdin) as saved by snap; the exit status. */
static int ml_snap_load(struct ml_snap *s, const char *file)
{
	FILE *in = strcmp(file, "-") ? fopen(file, "re") : stdin;
	char *line = NULL, *name = NULL, *text = NULL;
	unsigned long lineno = 0;
	size_t cap = 0, tlen;
	int status = 0;
	FILE *mem = NULL;
	ssize_t len;

	if (!in)
		return ml_error(ML_EXIT_REFUSED, "%s: %s", file, strerror(errno));
	while ((len = getline(&line, &cap, in)) > 0) {
		if (!lineno++) {
			line[strcspn(line, "\n")] = '\0';
			if (!strcmp(line, ML_SNAP_MAGIC))
				continue;
			if (!strncmp(line, "memlab-snap ", 12))
				status = ml_error(ML_EXIT_REFUSED,
						  "%s: a snap of format %s; this memlab reads format 1",
						  file, line + 12);
			else
				status = ml_error(ML_EXIT_REFUSED,
						  "%s: not a memlab snap (its first line is not \"%s\")",
						  file, ML_SNAP_MAGIC);
			goto out;
		}
		if (!strncmp(line, "@@ ", 3)) {
			if (ml_snap_end(s, &name, &mem, &text))
				goto nomem;
			name = strndup(line + 3, strcspn(line + 3, "\n"));
			if (!name)
				goto nomem;
			if (!*name) {
				status = ml_error(ML_EXIT_REFUSED,
						  "%s: not a memlab snap (line %lu: a view without a name)",
						  file, lineno);
				goto out;
			}
			mem = open_memstream(&text, &tlen);
			if (!mem)
				goto nomem;
			continue;
		}
		if (!mem) {
			status = ml_error(ML_EXIT_REFUSED,
					  "%s: not a memlab snap (line %lu is in no \"@@ VIEW\")",
					  file, lineno);
			goto out;
		}
		fwrite(line, 1, len, mem);
	}
	if (ferror(in))
		status = ml_error(ML_EXIT_REFUSED, "%s: %s", file, strerror(errno));
	else if (!lineno)
		status = ml_error(ML_EXIT_REFUSED, "%s: not a memlab snap (it is empty)", file);
	else if (ml_snap_end(s, &name, &mem, &text))
		goto nomem;
	goto out;
nomem:
	status = ml_error(ML_EXIT_REFUSED, "%s: out of memory", file);
out:
	if (mem)
		fclose(mem);
	free(text);
	free(name);
	free(line);
	if (in != stdin)
		fclose(in);
	return status;
}

/* The table diff prints: one changed cell, row, or view a line. */
static const char *const ml_diff_cols[] = {
	"view", "key", "column", "before", "after", "delta",
};

#define ML_DIFF_COLS	ARRAY_SIZE(ml_diff_cols)

struct ml_diff {
	size_t nrows, cap;
	char **cells;		/* nrows * ML_DIFF_COLS, each malloc()ed */
};

static int ml_diff_add(struct ml_diff *d, const char *view, const char *key,
		       const char *col, const char *before, const char *after,
		       const char *delta)
{
	const char *f[ML_DIFF_COLS] = {
		view, key, col, before ? before : "-", after ? after : "-", delta,
	};
	char **bigger, **row;
	size_t i;

	if (d->nrows == d->cap) {
		bigger = realloc(d->cells, (d->cap ? d->cap * 2 : 64) *
				 ML_DIFF_COLS * sizeof(*bigger));
		if (!bigger)
			return -ENOMEM;
		d->cells = bigger;
		d->cap = d->cap ? d->cap * 2 : 64;
	}
	row = d->cells + d->nrows * ML_DIFF_COLS;
	for (i = 0; i < ML_DIFF_COLS; i++) {
		row[i] = strdup(f[i]);
		if (!row[i]) {
			while (i--)
				free(row[i]);
			return -ENOMEM;
		}
	}
	d->nrows++;
	return 0;
}

static void ml_diff_free(struct ml_diff *d)
{
	size_t i;

	for (i = 0; i < d->nrows * ML_DIFF_COLS; i++)
		free(d->cells[i]);
	free(d->cells);
	memset(d, 0, sizeof(*d));
}

/* @y - @x in decimal, hex or not, so that it reads as pages or bytes; else "-". */
static void ml_delta(const char *x, const char *y, char *buf, size_t size)
{
	uint64_t a, b;

	if (!ml_number(x, &a) || !ml_number(y, &b))
		snprintf(buf, size, "-");
	else if (b >= a)
		snprintf(buf, size, "%llu", (unsigned long long)(b - a));
	else
		snprintf(buf, size, "-%llu", (unsigned long long)(a - b));
}

/* A row that only one version has, as "col=value,..." of its other cells. */
static char *ml_row_text(const struct ml_view *v, size_t row, const bool *keycol)
{
	const char *cell;
	bool first = true;
	size_t len, i;
	char *text;
	FILE *f;

	f = open_memstream(&text, &len);
	if (!f)
		return NULL;
	for (i = 0; i < v->ncols; i++) {
		if (keycol[i])
			continue;
		cell = ml_cell(v, row, i);
		fprintf(f, "%s%s=%s", first ? "" : ",", v->cols[i], cell ? cell : "-");
		first = false;
	}
	if (first)
		fputc('-', f);
	if (fclose(f))
		return NULL;
	return text;
}

static int ml_diff_table(struct ml_diff *d, const char *name, const struct ml_view *a,
			 const struct ml_view *b)
{
	const char *x, *y;
	struct ml_match m;
	char delta[32], *text;
	int *bcol, ret;
	size_t i, c;

	ret = ml_match_rows(a, b, &m);
	if (ret)
		return ret;
	bcol = calloc(a->ncols + 1, sizeof(*bcol));
	if (!bcol) {
		ret = -ENOMEM;
		goto out;
	}
	for (c = 0; c < a->ncols; c++)
		bcol[c] = ml_col(b, a->cols[c]);
	for (i = 0; !ret && i < a->nrows; i++) {
		if (m.a2b[i] < 0) {
			text = ml_row_text(a, i, m.akeycol);
			ret = text ? ml_diff_add(d, name, m.akey[i], "-", text, "-", "removed") :
				     -ENOMEM;
			free(text);
			continue;
		}
		/* A column only one version has is a new module's: no change of a cell. */
		for (c = 0; !ret && c < a->ncols; c++) {
			if (m.akeycol[c] || bcol[c] < 0)
				continue;
			x = ml_cell(a, i, c);
			y = ml_cell(b, m.a2b[i], bcol[c]);
			if (ml_same_cell(x, y))
				continue;
			ml_delta(x, y, delta, sizeof(delta));
			ret = ml_diff_add(d, name, m.akey[i], a->cols[c], x, y, delta);
		}
	}
	for (i = 0; !ret && i < b->nrows; i++) {
		if (m.b2a[i] >= 0)
			continue;
		text = ml_row_text(b, i, m.bkeycol);
		ret = text ? ml_diff_add(d, name, m.bkey[i], "-", "-", text, "added") : -ENOMEM;
		free(text);
	}
out:
	free(bcol);
	ml_match_free(&m);
	return ret;
}

static int ml_diff_kv(struct ml_diff *d, const char *name, const struct ml_view *a,
		      const struct ml_view *b)
{
	const char *x, *y;
	char delta[32];
	size_t c;
	int bc, ret = 0;

	for (c = 0; !ret && c < a->ncols; c++) {
		bc = ml_col(b, a->cols[c]);
		x = ml_cell(a, 0, c);
		y = ml_cell(b, 0, bc);
		if (bc < 0) {
			ret = ml_diff_add(d, name, "-", a->cols[c], x, "-", "removed");
		} else if (!ml_same_cell(x, y)) {
			ml_delta(x, y, delta, sizeof(delta));
			ret = ml_diff_add(d, name, "-", a->cols[c], x, y, delta);
		}
	}
	for (c = 0; !ret && c < b->ncols; c++) {
		if (ml_col(a, b->cols[c]) < 0)
			ret = ml_diff_add(d, name, "-", b->cols[c], "-",
					  ml_cell(b, 0, c), "added");
	}
	return ret;
}

/*
 * One view in both snaps.  One this tool cannot split, or a table that
 * became a key/value view, is compared as a whole.
 */
static int ml_diff_view(struct ml_diff *d, const char *name, const char *atext,
			const char *btext)
{
	char *ta = strdup(atext), *tb = strdup(btext);
	struct ml_view a, b;
	int ra, rb, ret = 0;

	if (!ta || !tb) {
		free(ta);
		free(tb);
		return -ENOMEM;
	}
	/* ml_view_parse() owns the text from here, whatever it returns. */
	ra = ml_view_parse(&a, name, ta);
	rb = ml_view_parse(&b, name, tb);
	if (ra == -ENOMEM || rb == -ENOMEM)
		ret = -ENOMEM;
	else if (ra || rb || a.kv != b.kv)
		ret = strcmp(atext, btext) ?
		      ml_diff_add(d, name, "-", "-", "-", "-", "changed") : 0;
	else if (a.kv)
		ret = ml_diff_kv(d, name, &a, &b);
	else
		ret = ml_diff_table(d, name, &a, &b);
	if (!ra)
		ml_view_free(&a);
	if (!rb)
		ml_view_free(&b);
	return ret;
}

static int ml_diff_snaps(struct ml_diff *d, const struct ml_snap *a, const struct ml_snap *b)
{
	const struct ml_snap_view *other;
	size_t i;
	int ret = 0;

	for (i = 0; !ret && i < a->n; i++) {
		other = ml_snap_find(b, a->view[i].name);
		if (other)
			ret = ml_diff_view(d, a->view[i].name, a->view[i].text, other->text);
		else
			ret = ml_diff_add(d, a->view[i].name, "-", "-", "-", "-", "removed");
	}
	for (i = 0; !ret && i < b->n; i++) {
		if (!ml_snap_find(a, b->view[i].name))
			ret = ml_diff_add(d, b->view[i].name, "-", "-", "-", "-", "added");
	}
	return ret;
}

/* The columns -o picked, or all; false, said, when one is not diff's. */
static bool ml_diff_pick(size_t *picked, size_t *n)
{
	char *list, *save, *name;
	bool ok = true;
	size_t c;

	*n = 0;
	if (!ml_opt.output) {
		for (; *n < ML_DIFF_COLS; (*n)++)
			picked[*n] = *n;
		return true;
	}
	list = strdup(ml_opt.output);
	if (!list)
		return !ml_error(ML_EXIT_USAGE, "out of memory");
	for (name = strtok_r(list, ",", &save); ok && name; name = strtok_r(NULL, ",", &save)) {
		for (c = 0; c < ML_DIFF_COLS && strcmp(ml_diff_cols[c], name); c++)
			;
		if (c == ML_DIFF_COLS)
			ok = !ml_error(ML_EXIT_USAGE, "diff has no column %s", name);
		else if (*n < ML_DIFF_COLS)
			picked[(*n)++] = c;
	}
	free(list);
	return ok;
}

/* view, key and column name things: strings even when they are digits. */
static void ml_json_text(FILE *out, const char *s)
{
	if (!strcmp(s, "-")) {
		fputs("null", out);
		return;
	}
	fputc('"', out);
	for (; *s; s++) {
		if (*s == '"' || *s == '\\')
			fprintf(out, "\\%c", *s);
		else if ((unsigned char)*s < 0x20)
			fprintf(out, "\\u%04x", *s);
		else
			fputc(*s, out);
	}
	fputc('"', out);
}

/*
 * As ml_print_json() lays a table out, but with the names as strings: a
 * key "2" or a column "10" is not a count.  before, after and delta are
 * values: numbers as numbers, hex as "0x...", "-" as null.
 */
static int ml_diff_json(const struct ml_diff *d)
{
	const char *nl = ml_opt.pretty ? "\n  " : "";
	size_t picked[ML_DIFF_COLS], n, row, i;
	const char *cell;

	if (!ml_diff_pick(picked, &n))
		return ML_EXIT_USAGE;
	ml_json_begin(stdout, "diff");
	printf(",%s\"rows\":%s[", nl, ml_opt.pretty ? " " : "");
	for (row = 0; row < d->nrows; row++) {
		printf("%s%s{", row ? "," : "", ml_opt.pretty ? "\n    " : "");
		for (i = 0; i < n; i++) {
			cell = d->cells[row * ML_DIFF_COLS + picked[i]];
			printf("%s%s\"%s\":%s", i ? "," : "", ml_opt.pretty ? "\n      " : "",
			       ml_diff_cols[picked[i]], ml_opt.pretty ? " " : "");
			if (picked[i] < 3)
				ml_json_text(stdout, cell);
			else
				ml_json_value(stdout, cell);
		}
		printf("%s}", ml_opt.pretty ? "\n    " : "");
	}
	printf("%s]", ml_opt.pretty && d->nrows ? "\n  " : "");
	ml_json_end(stdout);
	return ML_EXIT_OK;
}

/* As a view of its own, so that -o and -n work on it as on any. */
static int ml_diff_text(struct ml_diff *d)
{
	struct ml_view v;
	int status;
	size_t c;

	memset(&v, 0, sizeof(v));
	v.name = strdup("diff");
	v.cols = calloc(ML_DIFF_COLS, sizeof(*v.cols));
	if (!v.name || !v.cols) {
		ml_view_free(&v);
		return ml_error(ML_EXIT_REFUSED, "out of memory");
	}
	for (c = 0; c < ML_DIFF_COLS; c++)
		v.cols[c] = (char *)ml_diff_cols[c];
	v.ncols = ML_DIFF_COLS;
	v.nrows = d->nrows;
	v.cells = d->cells;
	status = ml_print_text(stdout, &v) ? ML_EXIT_USAGE : ML_EXIT_OK;
	/* The cells stay d's. */
	v.cells = NULL;
	ml_view_free(&v);
	return status;
}

int ml_cmd_diff(int argc, char **argv)
{
	struct ml_snap a = { 0 }, b = { 0 };
	struct ml_diff d = { 0 };
	int status, i;

	if (argc < 2 || argc > 3)
		return ml_usage(&ml_watch_commands[2], ML_EXIT_USAGE);
	for (i = 1; i < argc; i++) {
		if (argv[i][0] == '-' && argv[i][1])
			return ml_usage(&ml_watch_commands[2], ML_EXIT_USAGE);
	}
	if (argc == 3 && !strcmp(argv[1], "-") && !strcmp(argv[2], "-"))
		return ml_error(ML_EXIT_USAGE, "diff: only one snap can come from stdin");
	status = ml_snap_load(&a, argv[1]);
	if (status)
		goto out;
	status = argc == 3 ? ml_snap_load(&b, argv[2]) : ml_snap_live(&b);
	if (status)
		goto out;
	if (ml_diff_snaps(&d, &a, &b)) {
		status = ml_error(ML_EXIT_REFUSED, "out of memory");
		goto out;
	}
	status = ml_opt.json ? ml_diff_json(&d) : ml_diff_text(&d);
out:
	ml_diff_free(&d);
	ml_snap_free(&a);
	ml_snap_free(&b);
	return status;
}
