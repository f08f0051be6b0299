// SPDX-License-Identifier: GPL-2.0
/*
 * memlab watch as a user at a terminal runs it, under a pseudo-terminal
 * of our own: it redraws buddy/freearea in place on the alternate screen,
 * quits at once on q, with status 0, and gives the terminal back as it
 * found it: the normal screen, echo and line editing.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/wait.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>

#include "../kselftest.h"

#define WATCH_VIEW	"buddy/freearea"
#define WATCH_TITLE	"memlab watch " WATCH_VIEW
#define SCREEN_ENTER	"\033[?1049h"
#define SCREEN_LEAVE	"\033[?1049l"
/* Refreshes every 0.2 s: two take 0.4 s, so 5 s is ample even under TCG. */
#define WAIT_MS		5000

struct output {
	char *buf;
	size_t len, size;
};

static long now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* memlab in PATH, as execvp() will find it. */
static bool in_path(const char *prog)
{
	const char *path = getenv("PATH");
	char *dirs, *dir, *save, file[4096];
	bool found = false;

	dirs = strdup(path ? path : "/bin:/usr/bin");
	for (dir = dirs ? strtok_r(dirs, ":", &save) : NULL; dir && !found;
	     dir = strtok_r(NULL, ":", &save)) {
		snprintf(file, sizeof(file), "%s/%s", dir, prog);
		found = !access(file, X_OK);
	}
	free(dirs);
	return found;
}

/* Where the last @what starts, or -1. */
static long last(const struct output *out, const char *what)
{
	size_t len = strlen(what);
	long at = -1;
	const char *p = out->buf;

	while (p && (p = memmem(p, out->len - (p - out->buf), what, len))) {
		at = p - out->buf;
		p += len;
	}
	return at;
}

static size_t count(const struct output *out, const char *what)
{
	size_t n = 0, len = strlen(what);
	const char *p = out->buf;

	while (p && (p = memmem(p, out->len - (p - out->buf), what, len))) {
		n++;
		p += len;
	}
	return n;
}

/* What the terminal shows, for up to @ms, or until @title lines are in. */
static void read_for(int master, struct output *out, long ms, size_t titles)
{
	long end = now_ms() + ms;
	struct pollfd pfd = { .fd = master, .events = POLLIN };
	char *bigger;
	ssize_t n;

	long left;

	while ((left = end - now_ms()) > 0 && (!titles || count(out, WATCH_TITLE) < titles)) {
		if (poll(&pfd, 1, left) <= 0)
			continue;
		if (out->size - out->len < 4096) {
			bigger = realloc(out->buf, out->size + 65536);
			if (!bigger)
				return;
			out->buf = bigger;
			out->size += 65536;
		}
		n = read(master, out->buf + out->len, out->size - out->len);
		/* EIO: the last of the child's descriptors closed. */
		if (n <= 0)
			return;
		out->len += n;
	}
}

/* The child: a session of its own, with the pty as its controlling terminal. */
static void run_watch(const char *pts, int master, int slave)
{
	int fd;

	close(master);
	close(slave);
	if (setsid() < 0)
		_exit(126);
	fd = open(pts, O_RDWR);
	if (fd < 0 || ioctl(fd, TIOCSCTTY, 0))
		_exit(126);
	dup2(fd, STDIN_FILENO);
	dup2(fd, STDOUT_FILENO);
	dup2(fd, STDERR_FILENO);
	if (fd > STDERR_FILENO)
		close(fd);
	/* The terminal's own size, and colour as a user would have it. */
	unsetenv("LINES");
	unsetenv("COLUMNS");
	unsetenv("NO_COLOR");
	execlp("memlab", "memlab", "watch", WATCH_VIEW, "--interval", "0.2", (char *)NULL);
	_exit(127);
}

int main(void)
{
	struct winsize ws = { .ws_row = 40, .ws_col = 120 };
	struct output out = { 0 };
	struct termios before, after;
	int master, slave, status = 0;
	bool exited = false;
	size_t redraws;
	char *pts;
	long end;
	pid_t pid;

	ksft_print_header();
	if (geteuid())
		ksft_exit_skip("must be run as root\n");
	if (!in_path("memlab"))
		ksft_exit_skip("the memlab tool is not installed\n");
	if (system("modprobe memlab_buddy"))
		ksft_exit_skip("memlab_buddy.ko does not load\n");

	master = posix_openpt(O_RDWR | O_NOCTTY);
	pts = master < 0 || grantpt(master) || unlockpt(master) ? NULL : ptsname(master);
	if (!pts)
		ksft_exit_fail_msg("no pseudo-terminal: %s\n", strerror(errno));
	/* Held open here too, to see its modes once memlab is gone. */
	slave = open(pts, O_RDWR | O_NOCTTY);
	if (slave < 0 || ioctl(slave, TIOCSWINSZ, &ws) || tcgetattr(slave, &before))
		ksft_exit_fail_msg("%s: %s\n", pts, strerror(errno));
	ksft_set_plan(5);

	pid = fork();
	if (pid < 0)
		ksft_exit_fail_msg("fork: %s\n", strerror(errno));
	if (!pid)
		run_watch(pts, master, slave);

	read_for(master, &out, WAIT_MS, 2);
	redraws = count(&out, WATCH_TITLE);
	ksft_test_result(count(&out, SCREEN_ENTER) == 1, "watch takes the alternate screen\n");
	ksft_test_result(redraws >= 2, "watch redraws " WATCH_VIEW " in place (%zu times)\n",
			 redraws);

	if (write(master, "q", 1) != 1)
		ksft_print_msg("write q: %s\n", strerror(errno));
	for (end = now_ms() + WAIT_MS; now_ms() < end;) {
		if (waitpid(pid, &status, WNOHANG) == pid) {
			exited = true;
			break;
		}
		read_for(master, &out, 50, 0);
	}
	if (!exited) {
		kill(pid, SIGKILL);
		waitpid(pid, &status, 0);
	}
	/* What it wrote last, still in the pty. */
	read_for(master, &out, 100, 0);
	ksft_test_result(exited && WIFEXITED(status) && !WEXITSTATUS(status),
			 "q quits at once with status 0 (%s, status 0x%x)\n",
			 exited ? "exited" : "killed after 5 s", status);
	ksft_test_result(count(&out, SCREEN_LEAVE) == 1 &&
			 last(&out, SCREEN_LEAVE) > last(&out, WATCH_TITLE),
			 "watch leaves the alternate screen, after its last refresh\n");
	ksft_test_result(!tcgetattr(slave, &after) &&
			 (after.c_lflag & (ECHO | ICANON)) == (before.c_lflag & (ECHO | ICANON)),
			 "echo and line editing are back\n");

	free(out.buf);
	close(slave);
	close(master);
	ksft_finished();
}
