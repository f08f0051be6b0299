// SPDX-License-Identifier: GPL-2.0
/*
 * An unprivileged user can open no memlab file, in either tree, for reading
 * or writing, with every memlab module loaded.
 */
#define _GNU_SOURCE
#include <grp.h>
#include <sys/wait.h>

#include "memlab_harness.h"
#include "memlab_lib.h"

#define UNPRIVILEGED_ID 1000
#define MAX_PATHS 1024

static char *paths[MAX_PATHS];
static int npaths;

/* In a child that has become uid 1000: how many paths it could open. */
static int opens_as_user(void)
{
	int opened = 0, i;

	if (setgroups(0, NULL) || setresgid(UNPRIVILEGED_ID, UNPRIVILEGED_ID,
					    UNPRIVILEGED_ID) ||
	    setresuid(UNPRIVILEGED_ID, UNPRIVILEGED_ID, UNPRIVILEGED_ID))
		return -1;

	for (i = 0; i < npaths; i++) {
		static const int modes[] = { O_RDONLY, O_WRONLY };
		unsigned int m;

		for (m = 0; m < ARRAY_SIZE(modes); m++) {
			int fd = open(paths[i], modes[m] | O_NONBLOCK);

			if (fd >= 0) {
				fprintf(stderr, "# uid %d opened %s\n",
					UNPRIVILEGED_ID, paths[i]);
				close(fd);
				opened++;
			} else if (errno != EACCES && errno != EPERM &&
				   errno != EISDIR) {
				fprintf(stderr, "# %s: unexpected %s\n",
					paths[i], strerror(errno));
				opened++;
			}
		}
	}
	return opened;
}

TEST(unprivileged_user_opens_nothing)
{
	int status, debugfs_paths;
	pid_t pid;

	if (geteuid() != 0)
		SKIP(return, "must be run as root");
	if (memlab_load_all() < 0)
		SKIP(return, "memlab.ko does not load");

	debugfs_paths = memlab_tree_paths(MEMLAB_DEBUGFS, 0, paths, MAX_PATHS);
	ASSERT_LE(0, debugfs_paths);
	npaths = memlab_tree_paths(MEMLAB_PROC, 0, paths + debugfs_paths,
				   MAX_PATHS - debugfs_paths);
	ASSERT_LE(0, npaths);
	npaths += debugfs_paths;
	/* Both trees hold the same files, and at least version. */
	ASSERT_EQ(debugfs_paths, npaths - debugfs_paths);
	ASSERT_GE(debugfs_paths, 2);
	TH_LOG("trying %d paths as uid %d", npaths, UNPRIVILEGED_ID);

	pid = fork();
	ASSERT_GE(pid, 0);
	if (pid == 0)
		_exit(opens_as_user() == 0 ? 0 : 1);
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	ASSERT_TRUE(WIFEXITED(status));
	EXPECT_EQ(0, WEXITSTATUS(status));
}

TEST_HARNESS_MAIN
