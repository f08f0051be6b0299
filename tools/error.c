// SPDX-License-Identifier: GPL-2.0
/*
 * What went wrong, said so that the user knows what to do next.  An errno
 * from a view's directory is translated into its likely cause: ENOENT is
 * a module that is not loaded (or, where its directory is there, one
 * older than the view), EACCES and EPERM a user who is not root.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "memlab.h"

int ml_error(int status, const char *fmt, ...)
{
	char msg[1024];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	if (ml_opt.json) {
		ml_json_begin(stdout, "error");
		fputs(",\"error\":{\"status\":", stdout);
		fprintf(stdout, "%d,\"message\":", status);
		ml_json_value(stdout, msg);
		fputc('}', stdout);
		ml_json_end(stdout);
	} else {
		fprintf(stderr, "memlab: %s\n", msg);
	}
	return status;
}

/* The module that publishes @file: "buddy/x" is memlab_buddy's. */
static void ml_owner(const char *file, char *mod, size_t size)
{
	const char *slash = strchr(file, '/');

	if (!slash)
		snprintf(mod, size, "memlab");
	else
		snprintf(mod, size, "memlab_%.*s", (int)(slash - file), file);
}

/* Whether the directory @file is in, "buddy" of "buddy/x", is there. */
static bool ml_dir_exists(const char *file)
{
	const char *slash = strchr(file, '/');
	char path[4096];
	struct stat st;

	if (!slash)
		return false;
	snprintf(path, sizeof(path), "%s/%.*s", ml_root(), (int)(slash - file), file);
	return !stat(path, &st) && S_ISDIR(st.st_mode);
}

int ml_file_error(const char *file, const char *what, int err)
{
	char mod[64];

	ml_owner(file, mod, sizeof(mod));
	switch (err) {
	case -ENOENT:
		if (ml_dir_exists(file))
			return ml_error(ML_EXIT_REFUSED,
					"%s: this %s has no such view (older than the tool?)",
					file, mod);
		return ml_error(ML_EXIT_REFUSED,
				"%s: %s is not loaded: run modprobe %s",
				file, mod, mod);
	case -EACCES:
	case -EPERM:
		return ml_error(ML_EXIT_REFUSED,
				"%s: needs root (CAP_SYS_ADMIN): physical addresses are privileged",
				file);
	case -EPROTO:
		return ml_error(ML_EXIT_REFUSED,
				"%s: not in memlab's format (a newer module than this tool?)",
				file);
	default:
		return ml_error(ML_EXIT_REFUSED, "%s: %s%s%s", file,
				what ? what : "", what ? ": " : "",
				strerror(-err));
	}
}
