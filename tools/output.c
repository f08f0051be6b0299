// SPDX-License-Identifier: GPL-2.0
/*
 * A view as text or as JSON.  Text keeps the view's own format, with
 * -o picking columns and -n dropping the header, as util-linux does.
 * JSON gives each field its type: a number as a number, hex as the
 * string "0x...", "-" as null, anything else as a string.  Tables are
 * arrays of objects, key/value views one object, and every document says
 * what it is: schema_version, the kernel release and the paging levels.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/utsname.h>

#include "memlab.h"

#define ML_SCHEMA_VERSION 1

struct ml_options ml_opt;

static void ml_json_string(FILE *out, const char *s)
{
	fputc('"', out);
	for (; *s; s++) {
		unsigned char c = *s;

		if (c == '"' || c == '\\')
			fprintf(out, "\\%c", c);
		else if (c < 0x20)
			fprintf(out, "\\u%04x", c);
		else
			fputc(c, out);
	}
	fputc('"', out);
}

/* Decimal digits only, with no leading zero: a JSON number as is. */
static bool ml_is_decimal(const char *s)
{
	const char *p = s;

	if (*p == '-')
		p++;
	if (!*p || (p[0] == '0' && p[1]))
		return false;
	for (; *p; p++) {
		if (*p < '0' || *p > '9')
			return false;
	}
	return true;
}

void ml_json_value(FILE *out, const char *field)
{
	if (!field || !strcmp(field, "-"))
		fputs("null", out);
	else if (ml_is_decimal(field))
		fputs(field, out);
	else
		ml_json_string(out, field);
}

/* The columns -o picked, or all of them; -EINVAL names an unknown one. */
static int ml_pick(const struct ml_view *v, int *picked, size_t *n)
{
	char *list, *save, *name;
	int col, ret = 0;

	*n = 0;
	if (!ml_opt.output) {
		for (; *n < v->ncols; (*n)++)
			picked[*n] = *n;
		return 0;
	}
	list = strdup(ml_opt.output);
	if (!list)
		return -ENOMEM;
	for (name = strtok_r(list, ",", &save); name;
	     name = strtok_r(NULL, ",", &save)) {
		col = ml_col(v, name);
		if (col < 0) {
			ml_error(ML_EXIT_USAGE, "%s has no column %s",
				 v->name, name);
			ret = -EINVAL;
			break;
		}
		if (*n < v->ncols)
			picked[(*n)++] = col;
	}
	free(list);
	return ret;
}

/* ml_pick() into an array of its own, which the caller frees; NULL on error. */
static int *ml_picked(const struct ml_view *v, size_t *n, int *ret)
{
	int *picked = calloc(v->ncols + 1, sizeof(*picked));

	*ret = picked ? ml_pick(v, picked, n) : -ENOMEM;
	if (*ret) {
		free(picked);
		return NULL;
	}
	return picked;
}

/* The document's opening: what it is, and where it came from. */
void ml_json_begin(FILE *out, const char *view)
{
	const char *nl = ml_opt.pretty ? "\n  " : "";
	const char *sp = ml_opt.pretty ? " " : "";
	struct utsname u;

	if (uname(&u))
		strcpy(u.release, "-");
	fprintf(out, "{%s\"schema_version\":%s%d,", nl, sp, ML_SCHEMA_VERSION);
	fprintf(out, "%s\"kernel\":%s", nl, sp);
	ml_json_string(out, u.release);
	fprintf(out, ",%s\"paging_levels\":%s", nl, sp);
	ml_json_value(out, ml_version("paging_levels"));
	fprintf(out, ",%s\"view\":%s", nl, sp);
	ml_json_string(out, view);
}

void ml_json_end(FILE *out)
{
	fputs(ml_opt.pretty ? "\n}\n" : "}\n", out);
}

/* One row as an object; pretty, its fields at @depth, its brace below them. */
static void ml_json_row(FILE *out, const struct ml_view *v, size_t row,
			const int *picked, size_t n, int depth)
{
	size_t i;

	fputc('{', out);
	for (i = 0; i < n; i++) {
		fputs(i ? "," : "", out);
		if (ml_opt.pretty)
			fprintf(out, "\n%*s", depth * 2, "");
		ml_json_string(out, v->cols[picked[i]]);
		fputs(ml_opt.pretty ? ": " : ":", out);
		ml_json_value(out, ml_cell(v, row, picked[i]));
	}
	if (ml_opt.pretty)
		fprintf(out, "\n%*s", (depth - 1) * 2, "");
	fputc('}', out);
}

int ml_print_json(FILE *out, const struct ml_view *v)
{
	const char *nl = ml_opt.pretty ? "\n  " : "";
	size_t n, row;
	int *picked, ret;

	picked = ml_picked(v, &n, &ret);
	if (!picked)
		return ret;
	ml_json_begin(out, v->name);
	if (v->kv) {
		fprintf(out, ",%s\"values\":", nl);
		ml_json_row(out, v, 0, picked, n, 2);
	} else {
		fprintf(out, ",%s\"rows\":%s[", nl, ml_opt.pretty ? " " : "");
		for (row = 0; row < v->nrows; row++) {
			fprintf(out, "%s%s", row ? "," : "", ml_opt.pretty ? "\n    " : "");
			ml_json_row(out, v, row, picked, n, 3);
		}
		fprintf(out, "%s]", ml_opt.pretty && v->nrows ? "\n  " : "");
	}
	ml_json_end(out);
	free(picked);
	return 0;
}

int ml_print_text(FILE *out, const struct ml_view *v)
{
	const char *cell;
	size_t n, row, i;
	int *picked, ret;

	picked = ml_picked(v, &n, &ret);
	if (!picked)
		return ret;
	if (v->kv) {
		for (i = 0; i < n; i++) {
			if (ml_opt.noheadings || v->setting)
				fprintf(out, "%s\n", ml_cell(v, 0, picked[i]));
			else
				fprintf(out, "%s: %s\n", v->cols[picked[i]],
					ml_cell(v, 0, picked[i]));
		}
		goto out;
	}
	if (!ml_opt.noheadings) {
		fputc('#', out);
		for (i = 0; i < n; i++)
			fprintf(out, " %s", v->cols[picked[i]]);
		fputc('\n', out);
	}
	for (row = 0; row < v->nrows; row++) {
		for (i = 0; i < n; i++) {
			cell = ml_cell(v, row, picked[i]);
			fprintf(out, "%s%s", i ? " " : "", cell ? cell : "-");
		}
		fputc('\n', out);
	}
out:
	free(picked);
	return ret;
}

int ml_print(const struct ml_view *v)
{
	return ml_opt.json ? ml_print_json(stdout, v) : ml_print_text(stdout, v);
}

/* -o naming a column the view lacks is the user's mistake, said already. */
int ml_print_status(const struct ml_view *v)
{
	int ret = ml_print(v);

	if (ret == -EINVAL)
		return ML_EXIT_USAGE;
	if (ret)
		return ml_error(ML_EXIT_REFUSED, "%s: %s", v->name, strerror(-ret));
	return ML_EXIT_OK;
}

int ml_need_col(const struct ml_view *v, const char *col)
{
	int i = ml_col(v, col);

	if (i < 0)
		ml_error(ML_EXIT_REFUSED, "%s has no column %s", v->name, col);
	return i;
}

int ml_read(struct ml_view *v, const char *file)
{
	int ret = ml_view_read(v, file);

	return ret ? ml_file_error(file, "cannot read", ret) : ML_EXIT_OK;
}

int ml_show(const char *file)
{
	return ml_show_chart(file, NULL);
}

int ml_show_chart(const char *file, int (*draw)(const struct ml_view *v))
{
	struct ml_view v;
	int ret;

	ret = ml_read(&v, file);
	if (ret)
		return ret;
	/* A picture is not JSON: -J prints the view it would be drawn from. */
	if (draw && !ml_opt.json)
		ret = draw(&v);
	else
		ret = ml_print_status(&v);
	ml_view_free(&v);
	return ret;
}
