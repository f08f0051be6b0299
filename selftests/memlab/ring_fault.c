// SPDX-License-Identifier: GPL-2.0
/*
 * Bad and not-yet-present user buffers: a read into (or write from) pages
 * that were never touched works, since the copy faults them in; a buffer
 * that cannot be faulted in gets EFAULT; and a buffer that turns bad half
 * way moves only the good part, with no byte lost from or added to the
 * ring.
 */
#define _GNU_SOURCE
#include <sys/mman.h>

#include "memlab_harness.h"
#include "ring_fixture.h"

FIXTURE(fault) {
	int fd;
	struct ring_state st;
	long page;
	char *map;	/* two pages: read-write, then PROT_NONE */
};

FIXTURE_SETUP(fault)
{
	self->map = MAP_FAILED;
	if (!ring_fixture_open(_metadata, &self->fd, &self->st))
		return;
	self->page = memlab_page_size();
	self->map = mmap(NULL, 2 * self->page, PROT_READ | PROT_WRITE,
			 MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	ASSERT_NE(MAP_FAILED, self->map);
	ASSERT_EQ(0, mprotect(self->map + self->page, self->page, PROT_NONE));
}

FIXTURE_TEARDOWN(fault)
{
	if (self->map != MAP_FAILED)
		munmap(self->map, 2 * self->page);
	ring_close_empty(self->fd);
}

static long ring_used_now(void)
{
	struct ring_state st;

	return ring_read_state(&st) ? -1 : st.used;
}

TEST_F(fault, untouched_pages_are_faulted_in)
{
	char *fresh = mmap(NULL, self->page, PROT_READ | PROT_WRITE,
			   MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	char *src = mmap(NULL, self->page, PROT_READ | PROT_WRITE,
			 MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	char buf[8] = "abcdefg";

	ASSERT_NE(MAP_FAILED, fresh);
	ASSERT_NE(MAP_FAILED, src);
	/* Never written: reading it maps the zero page, writing a new one. */
	EXPECT_EQ(8, write(self->fd, src, 8));
	EXPECT_EQ(8, read(self->fd, fresh, 8));
	EXPECT_EQ(0, memcmp(fresh, "\0\0\0\0\0\0\0\0", 8));

	EXPECT_EQ(8, write(self->fd, buf, 8));
	EXPECT_EQ(0, madvise(fresh, self->page, MADV_DONTNEED));
	EXPECT_EQ(8, read(self->fd, fresh, 8));
	EXPECT_STREQ("abcdefg", fresh);
	munmap(fresh, self->page);
	munmap(src, self->page);
}

TEST_F(fault, bad_buffer_is_efault_and_moves_nothing)
{
	char *bad = self->map + self->page;

	EXPECT_EQ(-1, write(self->fd, bad, 16));
	EXPECT_EQ(EFAULT, errno);
	/* Through syscall(): write()'s nonnull attribute refuses NULL. */
	EXPECT_EQ(-1, syscall(SYS_write, self->fd, NULL, 16));
	EXPECT_EQ(EFAULT, errno);
	EXPECT_EQ(0, ring_used_now());

	ASSERT_EQ(16, write(self->fd, "0123456789abcdef", 16));
	EXPECT_EQ(-1, read(self->fd, bad, 16));
	EXPECT_EQ(EFAULT, errno);
	/* Kernel addresses are refused before anything is touched. */
	EXPECT_EQ(-1, read(self->fd, (void *)-4096L, 16));
	EXPECT_EQ(EFAULT, errno);
	EXPECT_EQ(16, ring_used_now());
}

/*
 * The user-copy routines may stop a few bytes short of the bad page
 * (arm64's copy_to_user() does), so what holds on every architecture is
 * "some of the good part moves, and the ring keeps exactly the rest".
 */
TEST_F(fault, half_bad_buffer_moves_the_good_half)
{
	char *edge = self->map + self->page - 10;
	char stream[32], back[32] = "";
	ssize_t in, out;

	/* At most the 10 bytes before the PROT_NONE page go in. */
	memcpy(edge, "ABCDEFGHIJ", 10);
	in = write(self->fd, edge, 20);
	ASSERT_TRUE(in >= 1 && in <= 10) TH_LOG("wrote %zd of 10", in);
	EXPECT_EQ(in, ring_used_now());

	/* At most 10 come out: the rest stays for the next read. */
	ASSERT_EQ(10, write(self->fd, "klmnopqrst", 10));
	snprintf(stream, sizeof(stream), "%.*sklmnopqrst", (int)in,
		 "ABCDEFGHIJ");
	memset(edge, 0, 10);
	out = read(self->fd, edge, 20);
	ASSERT_TRUE(out >= 1 && out <= 10) TH_LOG("read %zd of 10", out);
	EXPECT_EQ(0, memcmp(edge, stream, out));
	EXPECT_EQ(in + 10 - out, ring_used_now());
	EXPECT_EQ(in + 10 - out, read(self->fd, back, sizeof(back)));
	EXPECT_STREQ(stream + out, back);
}

TEST_HARNESS_MAIN
