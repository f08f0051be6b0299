// SPDX-License-Identifier: GPL-2.0
/*
 * pgwalk rejects bad targets with the errno the interface promises and
 * changes nothing: -ESRCH for no such process, -EINVAL for garbage, a
 * non-canonical address or a kernel thread.  An unmapped address is not
 * an error.  Without CAP_SYS_ADMIN nothing opens.
 */
#include "memlab_harness.h"
#include "pgwalk_lib.h"

static const char * const files[] = { "walk", "target", "ranges" };

/* A pid that belonged to a process that is gone now. */
static pid_t dead_pid(void)
{
	pid_t pid = fork();

	if (pid == 0)
		_exit(0);
	if (pid > 0)
		waitpid(pid, NULL, 0);
	return pid;
}

static bool is_kthreadd(pid_t pid)
{
	char path[64], *comm;
	bool yes;

	snprintf(path, sizeof(path), "/proc/%d/comm", pid);
	comm = memlab_read_file(path);
	yes = comm && !strcmp(comm, "kthreadd\n");
	free(comm);
	return yes;
}

/* The lowest address past user space. */
static unsigned long first_noncanonical(void)
{
	return pgwalk_user_va_end();
}

FIXTURE(errors) {
	char *area;
	pid_t me;
};

FIXTURE_SETUP(errors)
{
	if (geteuid() != 0)
		SKIP(return, "must be run as root");
	if (!pgwalk_load())
		SKIP(return, "memlab_pgwalk is not available");
	self->me = getpid();
	self->area = mmap(NULL, PGWALK_PAGE, PROT_READ | PROT_WRITE,
			  MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	ASSERT_NE(MAP_FAILED, self->area);
	self->area[0] = 1;
}

FIXTURE_TEARDOWN(errors)
{
	if (self->area && self->area != MAP_FAILED)
		munmap(self->area, PGWALK_PAGE);
}

TEST_F(errors, walk_targets)
{
	char cmd[128];
	pid_t gone = dead_pid();
	unsigned int i;
	static const char * const garbage[] = {
		"foo", "kernel", "1", "self 0x1000", "kernel 0xzz",
		"-1 0x1000", "1 0x", "1 12abc", "1 0x1000 extra",
		"kernel -0x1000", "1 +4096", "1 010z",
	};

	ASSERT_GT(gone, 0);
	snprintf(cmd, sizeof(cmd), "%d 0x1000", gone);
	EXPECT_EQ(-ESRCH, memlab_write_cmd(PGWALK_DIR "/walk", cmd));
	EXPECT_EQ(-ESRCH, memlab_write_cmd(PGWALK_DIR "/target", cmd));
	EXPECT_EQ(-ESRCH, memlab_write_cmd(PGWALK_DIR "/walk", "0 0x1000"));

	if (is_kthreadd(2)) {
		EXPECT_EQ(-EINVAL, memlab_write_cmd(PGWALK_DIR "/walk",
						    "2 0x400000"));
	} else {
		TH_LOG("pid 2 is not kthreadd, kernel thread case not run");
	}

	snprintf(cmd, sizeof(cmd), "%d 0x%lx", self->me, first_noncanonical());
	EXPECT_EQ(-EINVAL, memlab_write_cmd(PGWALK_DIR "/walk", cmd));
	snprintf(cmd, sizeof(cmd), "kernel 0x%lx", -first_noncanonical() - 1);
	EXPECT_EQ(-EINVAL, memlab_write_cmd(PGWALK_DIR "/walk", cmd));
	EXPECT_EQ(-EINVAL, memlab_write_cmd(PGWALK_DIR "/walk",
					    "kernel 0x8000000000000000"));
	/* Each half of the address space belongs to one kind of target. */
	EXPECT_EQ(-EINVAL, memlab_write_cmd(PGWALK_DIR "/walk",
					    "kernel 0x400000"));
	snprintf(cmd, sizeof(cmd), "%d 0xffffffff81000000", self->me);
	EXPECT_EQ(-EINVAL, memlab_write_cmd(PGWALK_DIR "/walk", cmd));

	for (i = 0; i < ARRAY_SIZE(garbage); i++) {
		EXPECT_EQ(-EINVAL, memlab_write_cmd(PGWALK_DIR "/walk",
						    garbage[i]));
		EXPECT_EQ(-EINVAL, memlab_write_cmd(PGWALK_DIR "/target",
						    garbage[i]));
	}
}

TEST_F(errors, ranges_targets)
{
	char cmd[128];
	pid_t gone = dead_pid();

	ASSERT_GT(gone, 0);
	snprintf(cmd, sizeof(cmd), "%d", gone);
	EXPECT_EQ(-ESRCH, memlab_write_cmd(PGWALK_DIR "/ranges", cmd));
	if (is_kthreadd(2))
		EXPECT_EQ(-EINVAL, memlab_write_cmd(PGWALK_DIR "/ranges", "2"));
	EXPECT_EQ(-EINVAL, memlab_write_cmd(PGWALK_DIR "/ranges", "kernel"));
	snprintf(cmd, sizeof(cmd), "%d 0x2000 0x1000", self->me);
	EXPECT_EQ(-EINVAL, memlab_write_cmd(PGWALK_DIR "/ranges", cmd));
	snprintf(cmd, sizeof(cmd), "%d 0x1000 0x1000", self->me);
	EXPECT_EQ(-EINVAL, memlab_write_cmd(PGWALK_DIR "/ranges", cmd));
	snprintf(cmd, sizeof(cmd), "%d 0x1000", self->me);
	EXPECT_EQ(-EINVAL, memlab_write_cmd(PGWALK_DIR "/ranges", cmd));
	snprintf(cmd, sizeof(cmd), "%d 0x1000 0x%lx", self->me,
		 first_noncanonical() + 1);
	EXPECT_EQ(-EINVAL, memlab_write_cmd(PGWALK_DIR "/ranges", cmd));
	snprintf(cmd, sizeof(cmd), "%d 0x1000 0x2000 0x3000", self->me);
	EXPECT_EQ(-EINVAL, memlab_write_cmd(PGWALK_DIR "/ranges", cmd));
}

/* Walking where nothing is mapped is a walk, not -EFAULT. */
TEST_F(errors, unmapped_is_not_an_error)
{
	struct pgwalk_result res;
	char cmd[64];

	snprintf(cmd, sizeof(cmd), "%d 0x0", self->me);
	ASSERT_EQ(0, pgwalk_walk(cmd, &res));
	EXPECT_GE(res.nr, 1);
	EXPECT_EQ(NULL, pgwalk_find(&res, "page"));
	snprintf(cmd, sizeof(cmd), "%d 0x%lx", self->me,
		 first_noncanonical() - PGWALK_PAGE);
	ASSERT_EQ(0, pgwalk_walk(cmd, &res));
	EXPECT_EQ(NULL, pgwalk_find(&res, "page"));
}

/* A rejected write leaves the fd's target and the default as they were. */
TEST_F(errors, rejected_write_changes_nothing)
{
	struct pgwalk_result res;
	char cmd[64], *before, *after, *text;
	const struct pgwalk_row *page;
	int fd;

	fd = open(PGWALK_DIR "/walk", O_RDWR);
	ASSERT_GE(fd, 0);
	snprintf(cmd, sizeof(cmd), "%d %p", self->me, self->area);
	ASSERT_EQ((ssize_t)strlen(cmd), write(fd, cmd, strlen(cmd)));
	ASSERT_EQ(-1, write(fd, "kernel 0x1000", 13));
	EXPECT_EQ(EINVAL, errno);
	text = memlab_read_fd(fd);
	ASSERT_NE(NULL, text);
	ASSERT_EQ(0, pgwalk_parse(text, &res));
	page = pgwalk_find(&res, "page");
	ASSERT_NE(NULL, page);
	EXPECT_EQ(pgwalk_pagemap_pfn(self->area), page->value);
	free(text);
	close(fd);

	before = memlab_read_file(PGWALK_DIR "/target");
	ASSERT_NE(NULL, before);
	EXPECT_EQ(-EINVAL, memlab_write_cmd(PGWALK_DIR "/target", "junk"));
	after = memlab_read_file(PGWALK_DIR "/target");
	ASSERT_NE(NULL, after);
	EXPECT_STREQ(before, after);
	free(before);
	free(after);
}

TEST_F(errors, needs_cap_sys_admin)
{
	char path[128];
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(files); i++) {
		snprintf(path, sizeof(path), "%s/%s", PGWALK_DIR, files[i]);
		EXPECT_EQ(EPERM, memlab_open_without_sys_admin(path, O_RDONLY));
		EXPECT_EQ(EPERM, memlab_open_without_sys_admin(path, O_WRONLY));
		snprintf(path, sizeof(path), "%s/pgwalk/%s", MEMLAB_PROC,
			 files[i]);
		EXPECT_EQ(EPERM, memlab_open_without_sys_admin(path, O_RDONLY));
		EXPECT_EQ(EPERM, memlab_open_without_sys_admin(path, O_WRONLY));
	}
}

TEST_HARNESS_MAIN
