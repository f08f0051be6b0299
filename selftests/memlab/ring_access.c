// SPDX-License-Identifier: GPL-2.0
/*
 * Who may use what: /dev/memlab_ring is a root-only (0600) misc device
 * whose number is the one sysfs gives it, and it belongs to the memlab_ring
 * platform device; memlab/ring/nodes, which shows kernel pointers and
 * physical addresses, needs CAP_SYS_ADMIN, while state, which shows none,
 * does not.
 */
#define _GNU_SOURCE
#include <grp.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>

#include "memlab_harness.h"
#include "ring_lib.h"

#define MISC_MAJOR 10U

FIXTURE(access) {
	int unused;
};

FIXTURE_SETUP(access)
{
	if (geteuid() != 0)
		SKIP(return, "must be run as root");
	if (ring_load())
		SKIP(return, "memlab_ring.ko does not load");
}

FIXTURE_TEARDOWN(access)
{
}

TEST_F(access, device_node_is_root_only)
{
	struct stat st;
	unsigned int major, minor;
	char *dev;
	int fields;

	ASSERT_EQ(0, stat(RING_DEV, &st));
	EXPECT_TRUE(S_ISCHR(st.st_mode));
	EXPECT_EQ(0600U, st.st_mode & 07777);
	EXPECT_EQ(0U, st.st_uid);
	EXPECT_EQ(0U, st.st_gid);

	dev = memlab_read_file("/sys/class/misc/memlab_ring/dev");
	ASSERT_NE(NULL, dev);
	fields = sscanf(dev, "%u:%u", &major, &minor);
	ASSERT_EQ(2, fields);
	EXPECT_EQ(MISC_MAJOR, major);
	EXPECT_EQ(major, major(st.st_rdev));
	EXPECT_EQ(minor, minor(st.st_rdev));
	free(dev);
}

TEST_F(access, device_belongs_to_platform_device)
{
	char *misc_parent = realpath("/sys/class/misc/memlab_ring/device", NULL);
	char *pdev = realpath("/sys/bus/platform/devices/memlab_ring", NULL);
	char *driver = realpath("/sys/bus/platform/devices/memlab_ring/driver",
				NULL);

	ASSERT_NE(NULL, misc_parent);
	ASSERT_NE(NULL, pdev);
	ASSERT_NE(NULL, driver);
	EXPECT_STREQ("/sys/devices/platform/memlab_ring", pdev);
	EXPECT_STREQ(pdev, misc_parent);
	EXPECT_STREQ(RING_DRIVER, driver);
	free(misc_parent);
	free(pdev);
	free(driver);
}

TEST_F(access, unprivileged_user_cannot_open_device)
{
	int status;
	pid_t pid;

	pid = fork();
	ASSERT_LE(0, pid);
	if (pid == 0) {
		int fd;

		if (setgroups(0, NULL) || setresgid(1000, 1000, 1000) ||
		    setresuid(1000, 1000, 1000))
			_exit(2);
		fd = open(RING_DEV, O_RDWR | O_NONBLOCK);
		_exit(fd < 0 && errno == EACCES ? 0 : 1);
	}
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0);
}

TEST_F(access, nodes_needs_cap_sys_admin)
{
	EXPECT_EQ(EPERM, memlab_open_without_sys_admin(RING_NODES, O_RDONLY));
	EXPECT_EQ(EPERM, memlab_open_without_sys_admin(MEMLAB_PROC
						       "/ring/nodes",
						       O_RDONLY));
}

TEST_F(access, state_does_not)
{
	EXPECT_EQ(0, memlab_open_without_sys_admin(RING_STATE, O_RDONLY));
	EXPECT_EQ(0, memlab_open_without_sys_admin(MEMLAB_PROC "/ring/state",
						   O_RDONLY));
}

/* Views only: neither file takes a write. */
TEST_F(access, views_are_read_only)
{
	EXPECT_EQ(-EACCES, memlab_write_cmd(RING_STATE, "x\n"));
	EXPECT_EQ(-EACCES, memlab_write_cmd(RING_NODES, "x\n"));
}

TEST_HARNESS_MAIN
