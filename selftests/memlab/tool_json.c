// SPDX-License-Identifier: GPL-2.0
/*
 * memlab -J prints every view as the view itself has it, field for field:
 * a decimal field as a JSON number of the same digits, "-" as null, and
 * anything else (hex included) as a string of the same text; a table as
 * an array of objects keyed by its header, a key/value view as one
 * object.  Each view is saved first and the tool pointed at the copy
 * (MEMLAB_ROOT), so that the two read the same bytes; the test splits
 * the copy itself and parses the JSON with its own small parser.
 */
#define _GNU_SOURCE
#include <ctype.h>

#include "../kselftest.h"
#include "memlab_lib.h"

#define MAX_VIEWS	128
#define MAX_FIELDS	64

/* A JSON value: what this test needs of one, and no more. */
enum jtype { J_NULL, J_BOOL, J_NUMBER, J_STRING, J_ARRAY, J_OBJECT };

struct jval {
	enum jtype type;
	char *text;		/* a number's digits or a string's text */
	size_t n;
	char **keys;		/* an object's, in order */
	struct jval *kids;	/* an array's items or an object's values */
};

struct jparser {
	const char *p;
	const char *err;
};

static void jskip(struct jparser *j)
{
	while (isspace((unsigned char)*j->p))
		j->p++;
}

static bool jfail(struct jparser *j, const char *why)
{
	if (!j->err)
		j->err = why;
	return false;
}

/* A string's text, the escapes the tool writes undone. */
static bool jstring(struct jparser *j, char **out)
{
	size_t len = 0, cap = 16;
	const char *why = NULL;
	char *s = malloc(cap), *t;
	unsigned int u;
	char c;

	if (!s || *j->p != '"') {
		why = "a string expected";
		goto fail;
	}
	for (j->p++; *j->p != '"'; j->p++) {
		c = *j->p;
		if (!c || (unsigned char)c < 0x20) {
			why = "an unterminated string";
			goto fail;
		}
		if (c == '\\') {
			c = *++j->p;
			if (c == 'u' && sscanf(j->p + 1, "%4x", &u) == 1 && u < 0x80) {
				c = (char)u;
				j->p += 4;
			} else if (c != '"' && c != '\\' && c != '/') {
				why = "an escape the tool never writes";
				goto fail;
			}
		}
		if (len + 2 > cap) {
			cap *= 2;
			t = realloc(s, cap);
			if (!t) {
				why = "out of memory";
				goto fail;
			}
			s = t;
		}
		s[len++] = c;
	}
	j->p++;
	s[len] = '\0';
	*out = s;
	return true;
fail:
	free(s);
	return jfail(j, why);
}

static bool jvalue(struct jparser *j, struct jval *v);

/* The items of an array or the members of an object, after its bracket. */
static bool jlist(struct jparser *j, struct jval *v, char close)
{
	bool object = close == '}';

	jskip(j);
	if (*j->p == close) {
		j->p++;
		return true;
	}
	for (;;) {
		struct jval *kids = realloc(v->kids, (v->n + 1) * sizeof(*kids));
		char **keys = realloc(v->keys, (v->n + 1) * sizeof(*keys));

		if (keys)
			v->keys = keys;
		if (kids)
			v->kids = kids;
		if (!kids || !keys)
			return jfail(j, "out of memory");
		memset(&v->kids[v->n], 0, sizeof(*kids));
		v->keys[v->n] = NULL;
		v->n++;
		jskip(j);
		if (object) {
			if (!jstring(j, &v->keys[v->n - 1]))
				return false;
			jskip(j);
			if (*j->p++ != ':')
				return jfail(j, "a colon expected");
		}
		if (!jvalue(j, &v->kids[v->n - 1]))
			return false;
		jskip(j);
		if (*j->p == close) {
			j->p++;
			return true;
		}
		if (*j->p++ != ',')
			return jfail(j, "a comma expected");
	}
}

static bool jvalue(struct jparser *j, struct jval *v)
{
	const char *start;

	jskip(j);
	switch (*j->p) {
	case '{':
		j->p++;
		v->type = J_OBJECT;
		return jlist(j, v, '}');
	case '[':
		j->p++;
		v->type = J_ARRAY;
		return jlist(j, v, ']');
	case '"':
		v->type = J_STRING;
		return jstring(j, &v->text);
	}
	if (!strncmp(j->p, "null", 4)) {
		j->p += 4;
		v->type = J_NULL;
		return true;
	}
	if (!strncmp(j->p, "true", 4) || !strncmp(j->p, "false", 5)) {
		j->p += *j->p == 't' ? 4 : 5;
		v->type = J_BOOL;
		return true;
	}
	start = j->p;
	if (*j->p == '-')
		j->p++;
	while (isdigit((unsigned char)*j->p) || strchr(".eE+-", *j->p))
		j->p++;
	if (j->p == start)
		return jfail(j, "a value expected");
	v->type = J_NUMBER;
	v->text = strndup(start, j->p - start);
	return v->text ? true : jfail(j, "out of memory");
}

static void jfree(struct jval *v)
{
	size_t i;

	for (i = 0; i < v->n; i++) {
		jfree(&v->kids[i]);
		if (v->keys)
			free(v->keys[i]);
	}
	free(v->kids);
	free(v->keys);
	free(v->text);
	memset(v, 0, sizeof(*v));
}

/* The member @key of object @v, or NULL. */
static struct jval *jget(struct jval *v, const char *key)
{
	size_t i;

	if (v->type != J_OBJECT)
		return NULL;
	for (i = 0; i < v->n; i++) {
		if (!strcmp(v->keys[i], key))
			return &v->kids[i];
	}
	return NULL;
}

/* A decimal with no leading zero: what JSON takes as a number, as is. */
static bool is_decimal(const char *s)
{
	if (*s == '-')
		s++;
	if (!*s || (s[0] == '0' && s[1]))
		return false;
	return strspn(s, "0123456789") == strlen(s);
}

/* Field @field of the view against its JSON value @v; why not, or NULL. */
static const char *field_differs(const char *field, const struct jval *v)
{
	if (!strcmp(field, "-"))
		return v->type == J_NULL ? NULL : "'-' is not null";
	if (is_decimal(field))
		return v->type == J_NUMBER && !strcmp(v->text, field) ?
			NULL : "a number is not the same number";
	return v->type == J_STRING && !strcmp(v->text, field) ?
		NULL : "a field is not the same string";
}

/*
 * One object of the JSON against one row of the view: the same keys in
 * the same order, each with its field.
 */
static const char *row_differs(const struct jval *obj, char **keys,
			       char **fields, size_t n)
{
	const char *why;
	size_t i;

	if (obj->type != J_OBJECT || obj->n != n)
		return "an object has not one member per column";
	for (i = 0; i < n; i++) {
		if (strcmp(obj->keys[i], keys[i]))
			return "a member is not the column of that place";
		why = field_differs(fields[i], &obj->kids[i]);
		if (why)
			return why;
	}
	return NULL;
}

/* The words of @line, split in place at blanks. */
static size_t split_words(char *line, char **words, size_t max)
{
	size_t n = 0;
	char *save, *w;

	for (w = strtok_r(line, " \t", &save); w && n < max;
	     w = strtok_r(NULL, " \t", &save))
		words[n++] = w;
	return n;
}

/* A table: the header's names, then each line's fields, row by row. */
static const char *table_differs(char *text, const struct jval *rows)
{
	char *cols[MAX_FIELDS], *fields[MAX_FIELDS], *line;
	size_t ncols, row = 0;
	const char *why;

	if (!rows || rows->type != J_ARRAY)
		return "no rows array";
	line = memlab_next_line(&text);
	ncols = split_words(line + 1, cols, MAX_FIELDS);
	while ((line = memlab_next_line(&text))) {
		if (split_words(line, fields, MAX_FIELDS) != ncols)
			return "the view has a short row (the test cannot compare it)";
		if (row == rows->n)
			return "the JSON has fewer rows than the view";
		why = row_differs(&rows->kids[row++], cols, fields, ncols);
		if (why)
			return why;
	}
	return row == rows->n ? NULL : "the JSON has more rows than the view";
}

/*
 * A key/value view: its lines in order, as one object.  A setting, such
 * as pgwalk/target, reads back one line as it is written: one member,
 * named after the file.
 */
static const char *kv_differs(const char *name, char *text, const struct jval *values)
{
	char *keys[MAX_FIELDS], *fields[MAX_FIELDS], *line, *colon;
	const char *base = strrchr(name, '/');
	size_t n = 0;

	if (!values)
		return "no values object";
	if (strchr(text, '\n') == text + strlen(text) - 1 && !strstr(text, ": ")) {
		keys[0] = (char *)(base ? base + 1 : name);
		fields[0] = memlab_next_line(&text);
		return row_differs(values, keys, fields, 1);
	}
	while ((line = memlab_next_line(&text)) && n < MAX_FIELDS) {
		colon = strstr(line, ": ");
		if (!colon)
			return "a line of a key/value view without ': '";
		*colon = '\0';
		keys[n] = line;
		fields[n++] = colon + 2;
	}
	return row_differs(values, keys, fields, n);
}

/* The tool's standard output and exit status for @cmd. */
static char *run(const char *cmd, int *status)
{
	FILE *p = popen(cmd, "r");
	char *out;

	if (!p)
		return NULL;
	out = memlab_read_all(fileno(p), false);
	*status = pclose(p);
	return out;
}

/* NAME saved under @root, as ROOT/NAME; false if the view is unreadable. */
static bool save_view(const char *root, const char *name, char **text)
{
	char path[PATH_MAX], *slash;
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", MEMLAB_DEBUGFS, name);
	*text = memlab_read_file(path);
	if (!*text || !**text)
		return false;
	snprintf(path, sizeof(path), "%s/%s", root, name);
	slash = strrchr(path, '/');
	*slash = '\0';
	mkdir(path, 0700);
	*slash = '/';
	f = fopen(path, "w");
	if (!f)
		return false;
	fputs(*text, f);
	return !fclose(f);
}

static void check_view(const char *root, const char *name, const char *text)
{
	char cmd[PATH_MAX * 2], *out, *copy = strdup(text);
	struct jparser j = { 0 };
	struct jval doc = { 0 }, *v;
	const char *why = NULL;
	struct utsname u;
	int status;

	snprintf(cmd, sizeof(cmd), "MEMLAB_ROOT=%s memlab -J show %s", root, name);
	out = run(cmd, &status);
	uname(&u);
	if (!out || !copy || status) {
		why = "memlab -J show failed";
	} else {
		j.p = out;
		if (!jvalue(&j, &doc))
			why = j.err;
		jskip(&j);
		if (!why && *j.p)
			why = "more than one document";
	}
	v = jget(&doc, "schema_version");
	if (!why && (!v || v->type != J_NUMBER))
		why = "no schema_version number";
	v = jget(&doc, "kernel");
	if (!why && (!v || v->type != J_STRING || strcmp(v->text, u.release)))
		why = "kernel is not uname -r";
	v = jget(&doc, "view");
	if (!why && (!v || v->type != J_STRING || strcmp(v->text, name)))
		why = "view is not the view's name";
	if (!why && !jget(&doc, "paging_levels"))
		why = "no paging_levels";
	if (!why)
		why = copy[0] == '#' ? table_differs(copy, jget(&doc, "rows")) :
				       kv_differs(name, copy, jget(&doc, "values"));
	if (why)
		ksft_print_msg("%s: %s\n", name, why);
	ksft_test_result(!why, "-J show %s is the view, field for field\n", name);
	jfree(&doc);
	free(out);
	free(copy);
}

/* With -J an error is a JSON "error" object too, and the status stays 1. */
static void check_error(const char *root)
{
	char cmd[PATH_MAX + 64], *out;
	struct jparser j = { 0 };
	struct jval doc = { 0 }, *err, *st, *msg;
	int status;

	snprintf(cmd, sizeof(cmd), "MEMLAB_ROOT=%s memlab -J show buddy/none 2>/dev/null",
		 root);
	out = run(cmd, &status);
	j.p = out ? out : "";
	jvalue(&j, &doc);
	err = jget(&doc, "error");
	st = err ? jget(err, "status") : NULL;
	msg = err ? jget(err, "message") : NULL;
	ksft_test_result(WIFEXITED(status) && WEXITSTATUS(status) == 1 && !j.err &&
			 st && st->type == J_NUMBER && !strcmp(st->text, "1") &&
			 msg && msg->type == J_STRING && strstr(msg->text, "buddy/none"),
			 "-J show of a missing view exits 1 with an error object\n");
	jfree(&doc);
	free(out);
}

int main(void)
{
	static char *paths[MAX_VIEWS], *names[MAX_VIEWS], *texts[MAX_VIEWS];
	char root[] = "/tmp/memlab-json.XXXXXX", cmd[PATH_MAX];
	size_t skip = strlen(MEMLAB_DEBUGFS "/");
	int n, i, nviews = 0;

	ksft_print_header();
	if (geteuid())
		ksft_exit_skip("must be run as root\n");
	if (system("command -v memlab >/dev/null"))
		ksft_exit_skip("the memlab tool is not installed\n");
	if (memlab_load_all() < 0)
		ksft_exit_skip("the memlab modules do not load\n");
	if (!mkdtemp(root))
		ksft_exit_fail_msg("mkdtemp: %s\n", strerror(errno));
	n = memlab_tree_paths(MEMLAB_DEBUGFS, 0400, paths, MAX_VIEWS);
	if (n <= 0)
		ksft_exit_fail_msg("no views under %s\n", MEMLAB_DEBUGFS);
	/* Every view that shows something without a request first. */
	for (i = 0; i < n; i++) {
		if (save_view(root, paths[i] + skip, &texts[nviews]))
			names[nviews++] = paths[i] + skip;
		else
			free(texts[nviews]);
	}
	ksft_set_plan(nviews + 1);
	for (i = 0; i < nviews; i++) {
		check_view(root, names[i], texts[i]);
		free(texts[i]);
	}
	check_error(root);
	for (i = 0; i < n; i++)
		free(paths[i]);
	snprintf(cmd, sizeof(cmd), "rm -rf %s", root);
	if (system(cmd))
		ksft_print_msg("could not remove %s\n", root);
	ksft_finished();
}
