// SPDX-License-Identifier: GPL-2.0
/*
 * Unbinding the driver takes the ring away cleanly while it is in use: the
 * device node and both view directories go, a reader or writer asleep on
 * the ring is woken with ENODEV, and a file opened before keeps failing
 * with ENODEV (poll says POLLERR | POLLHUP) rather than touching freed
 * memory.  Binding again brings a fresh, empty ring; the old file does not
 * reconnect, and once it is closed the module unloads.
 */
#define _GNU_SOURCE
#include <poll.h>
#include <sys/stat.h>

#include "memlab_harness.h"
#include "ring_lib.h"

FIXTURE(unbind) {
	int unbound;
};

FIXTURE_VARIANT(unbind) {
	int fill;	/* full ring and a blocked writer, or the reverse */
};

FIXTURE_VARIANT_ADD(unbind, blocked_reader) {
	.fill = 0,
};

FIXTURE_VARIANT_ADD(unbind, blocked_writer) {
	.fill = 1,
};

static int driver_ctl(const char *what)
{
	char path[128];

	snprintf(path, sizeof(path), RING_DRIVER "/%s", what);
	return memlab_write_cmd(path, RING_MODULE);
}

static int exists(const char *path)
{
	struct stat st;

	return stat(path, &st) == 0;
}

FIXTURE_SETUP(unbind)
{
	if (geteuid() != 0)
		SKIP(return, "must be run as root");
	if (ring_load())
		SKIP(return, "memlab_ring.ko does not load");
	ASSERT_TRUE(exists(RING_DEV));
}

FIXTURE_TEARDOWN(unbind)
{
	if (self->unbound)
		EXPECT_EQ(0, driver_ctl("bind"));
}

TEST_F(unbind, in_use_ring_goes_away_cleanly)
{
	struct pollfd p = { .events = POLLIN | POLLOUT };
	int fd, view, status, nread;
	struct ring_state st;
	char *buf;
	pid_t pid;

	fd = open(RING_DEV, O_RDWR | O_NONBLOCK);
	ASSERT_LE(0, fd);
	ASSERT_LE(0, ring_drain(fd));
	ASSERT_EQ(0, ring_read_state(&st));
	buf = calloc(1, st.capacity);
	ASSERT_NE(NULL, buf);
	if (variant->fill)
		ASSERT_EQ(st.capacity, write(fd, buf, st.capacity));
	view = open(RING_STATE, O_RDONLY);
	ASSERT_LE(0, view);

	pid = fork();
	ASSERT_LE(0, pid);
	if (pid == 0) {
		int cfd = open(RING_DEV, O_RDWR);
		ssize_t n;

		if (cfd < 0)
			_exit(2);
		n = variant->fill ? write(cfd, buf, 1) : read(cfd, buf, 1);
		_exit(n == -1 && errno == ENODEV ? 0 : 1);
	}
	ASSERT_EQ(0, ring_wait_blocked(pid, variant->fill ? SYS_write :
				       SYS_read, -2));

	ASSERT_EQ(0, driver_ctl("unbind"));
	self->unbound = 1;
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0);

	EXPECT_FALSE(exists(RING_DEV));
	EXPECT_FALSE(exists(MEMLAB_DEBUGFS "/ring"));
	EXPECT_FALSE(exists(MEMLAB_PROC "/ring"));
	EXPECT_FALSE(exists("/sys/bus/platform/devices/memlab_ring/driver"));
	EXPECT_TRUE(ring_loaded());

	EXPECT_EQ(-1, read(fd, buf, 1));
	EXPECT_EQ(ENODEV, errno);
	EXPECT_EQ(-1, write(fd, buf, 1));
	EXPECT_EQ(ENODEV, errno);
	EXPECT_EQ(-1, ioctl(fd, FIONREAD, &nread));
	EXPECT_EQ(ENODEV, errno);
	p.fd = fd;
	EXPECT_EQ(1, poll(&p, 1, 0));
	EXPECT_EQ(POLLERR | POLLHUP, p.revents);
	/* The view was open too: it now fails instead of showing a ghost. */
	EXPECT_EQ(-1, read(view, buf, 1));

	ASSERT_EQ(0, driver_ctl("bind"));
	self->unbound = 0;
	ASSERT_TRUE(exists(RING_DEV));
	ASSERT_EQ(0, ring_read_state(&st));
	EXPECT_EQ(0, st.used);
	EXPECT_EQ(0, st.read_node);
	EXPECT_EQ(0, st.read_offset);
	EXPECT_EQ(0, st.write_node);
	EXPECT_EQ(0, st.write_offset);
	/* The old file stays with the old, dead ring. */
	EXPECT_EQ(-1, write(fd, buf, 1));
	EXPECT_EQ(ENODEV, errno);

	close(view);
	close(fd);
	free(buf);
	/* Every reference is gone with the files: the module unloads. */
	EXPECT_EQ(0, memlab_kmod_unload(RING_MODULE));
	EXPECT_EQ(0, ring_load());
}

TEST_HARNESS_MAIN
