// SPDX-License-Identifier: GPL-2.0
/*
 * memlab run by a user the kernel turns away says why and what to do, with
 * exit status 1: as "nobody", whom the files' modes keep out (EACCES), and
 * as root without CAP_SYS_ADMIN, whom memlab_buddy keeps away from
 * physical addresses (EPERM).  With -J the same error is a JSON object on
 * standard output.  Who is turned away is the kernel's call, checked here
 * by an open() of the same file under the same credentials.
 */
#define _GNU_SOURCE
#include "memlab_harness.h"
#include <grp.h>

#include "buddy_lib.h"

#define NOBODY		65534
#define NEEDS_ROOT	"needs root (CAP_SYS_ADMIN)"

enum who { AS_NOBODY, WITHOUT_SYS_ADMIN };

struct result {
	int status;		/* the exit status, or -1 */
	int open_errno;		/* what open() of the file gave the same user */
	char out[4096];		/* standard output and error, together */
};

static bool become(enum who who)
{
	if (who == WITHOUT_SYS_ADMIN)
		return !memlab_drop_sys_admin();
	return !setgroups(0, NULL) && !setgid(NOBODY) && !setuid(NOBODY);
}

/* memlab ARGS... as @who, with what it printed in @r. */
static void run_as(enum who who, const char *file, const char * const args[],
		   struct result *r)
{
	int pipefd[2], status, fd;
	ssize_t len, got = 0;
	pid_t pid;

	memset(r, 0, sizeof(*r));
	r->status = -1;
	if (pipe(pipefd))
		return;
	pid = fork();
	if (pid == 0) {
		close(pipefd[0]);
		if (!become(who))
			_exit(255);
		fd = open(file, O_RDONLY);
		/* The errno a plain open() met, for the parent to compare. */
		if (write(pipefd[1], fd < 0 ? &errno : &(int){ 0 }, sizeof(int)) != sizeof(int))
			_exit(255);
		dup2(pipefd[1], STDOUT_FILENO);
		dup2(pipefd[1], STDERR_FILENO);
		execvp("memlab", (char * const *)args);
		_exit(127);
	}
	close(pipefd[1]);
	if (pid > 0 && read(pipefd[0], &r->open_errno, sizeof(int)) == sizeof(int)) {
		while ((len = read(pipefd[0], r->out + got, sizeof(r->out) - 1 - got)) > 0)
			got += len;
	}
	close(pipefd[0]);
	if (pid > 0 && waitpid(pid, &status, 0) == pid && WIFEXITED(status))
		r->status = WEXITSTATUS(status);
}

FIXTURE(tool) {
};

FIXTURE_SETUP(tool)
{
	if (geteuid() != 0)
		SKIP(return, "must be run as root");
	if (system("command -v memlab >/dev/null"))
		SKIP(return, "the memlab tool is not installed");
	if (buddy_load())
		SKIP(return, "memlab_buddy.ko does not load");
}

FIXTURE_TEARDOWN(tool)
{
}

TEST_F(tool, nobody_is_told_to_be_root)
{
	static const char * const args[] = { "memlab", "show", "buddy/freearea", NULL };
	struct result r;

	run_as(AS_NOBODY, MEMLAB_PROC "/buddy/freearea", args, &r);
	ASSERT_EQ(EACCES, r.open_errno);
	EXPECT_EQ(1, r.status);
	EXPECT_NE(NULL, strstr(r.out, "buddy/freearea: " NEEDS_ROOT)) {
		TH_LOG("memlab said: %s", r.out);
	}
}

TEST_F(tool, without_sys_admin_physical_addresses_are_refused)
{
	static const char * const args[] = { "memlab", "show", "buddy/allocations", NULL };
	struct result r;

	run_as(WITHOUT_SYS_ADMIN, BUDDY_DEBUGFS "/allocations", args, &r);
	ASSERT_EQ(EPERM, r.open_errno);
	EXPECT_EQ(1, r.status);
	EXPECT_NE(NULL, strstr(r.out, "buddy/allocations: " NEEDS_ROOT)) {
		TH_LOG("memlab said: %s", r.out);
	}
}

TEST_F(tool, without_sys_admin_json_error_object)
{
	static const char * const args[] = { "memlab", "-J", "show", "buddy/allocations", NULL };
	struct result r;

	run_as(WITHOUT_SYS_ADMIN, BUDDY_DEBUGFS "/allocations", args, &r);
	ASSERT_EQ(EPERM, r.open_errno);
	EXPECT_EQ(1, r.status);
	EXPECT_EQ(0, strncmp(r.out, "{\"schema_version\":", 18));
	EXPECT_NE(NULL, strstr(r.out, "\"error\":{\"status\":1,\"message\":\"buddy/allocations: "
				      NEEDS_ROOT)) {
		TH_LOG("memlab said: %s", r.out);
	}
}

TEST_F(tool, without_sys_admin_address_free_views_still_show)
{
	static const char * const args[] = { "memlab", "show", "buddy/freearea", NULL };
	struct result r;

	run_as(WITHOUT_SYS_ADMIN, BUDDY_DEBUGFS "/freearea", args, &r);
	ASSERT_EQ(0, r.open_errno);
	EXPECT_EQ(0, r.status);
	EXPECT_EQ(0, strncmp(r.out, "# node zone type", 16)) {
		TH_LOG("memlab said: %s", r.out);
	}
}

TEST_HARNESS_MAIN
