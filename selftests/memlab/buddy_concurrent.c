// SPDX-License-Identifier: GPL-2.0
/*
 * Reading allocations and buddies while another process allocates and
 * frees gives well-formed tables: every row complete, ids strictly
 * increasing, even though each read spans several pages of output and so
 * several restarts of the iterator while blocks come and go under it.
 */
#define _GNU_SOURCE
#include <signal.h>

#include "memlab_harness.h"
#include "buddy_lib.h"

#define ROUNDS	100
/* How long the child may take to get its first blocks in: 10 s. */
#define START_POLLS	1000

/* Child: churns the table until killed. */
static void churn(unsigned long last_id)
{
	for (;;) {
		if (buddy_cmd("fragment 512") || buddy_cmd("alloc 3 count=64"))
			_exit(1);
		if (buddy_free_after(last_id))
			_exit(1);
	}
}

/* Every data line has @fields words and ids grow; returns rows or -1. */
static int check_table(struct __test_metadata *_metadata, const char *path,
		       int fields)
{
	char *text = memlab_read_file(path), *p = text, *line;
	unsigned long last = 0;
	int rows = 0;

	ASSERT_NE(NULL, text);
	while ((line = memlab_next_line(&p))) {
		unsigned long id;
		char *tok, *save = NULL;
		int n = 0;

		if (line[0] == '#')
			continue;
		id = strtoul(line, NULL, 10);
		for (tok = strtok_r(line, " ", &save); tok;
		     tok = strtok_r(NULL, " ", &save))
			n++;
		EXPECT_EQ(fields, n);
		EXPECT_GT(id, last) TH_LOG("%s: id %lu after %lu", path, id,
					   last);
		if (n != fields || id <= last) {
			rows = -1;
			break;
		}
		last = id;
		rows++;
	}
	free(text);
	return rows;
}

TEST(read_while_allocating_and_freeing)
{
	int round, status, most = 0;
	unsigned long last_id;
	pid_t pid;

	if (geteuid() != 0)
		SKIP(return, "must be run as root");
	if (buddy_load())
		SKIP(return, "memlab_buddy.ko does not load");
	last_id = buddy_last_id();

	pid = fork();
	ASSERT_GE(pid, 0);
	if (pid == 0)
		churn(last_id);

	/*
	 * The reads start once the child's blocks are in: on two vCPUs
	 * under TCG, 100 reads can otherwise all run before the child's
	 * first command does, and see an empty table.
	 */
	for (round = 0; round < START_POLLS && buddy_last_id() <= last_id; round++)
		usleep(10000);
	for (round = 0; round < ROUNDS; round++) {
		int a = check_table(_metadata, BUDDY_DEBUGFS "/allocations", 11);
		int b = check_table(_metadata, BUDDY_PROC "/buddies", 7);

		if (a < 0 || b < 0)
			break;
		if (a > most)
			most = a;
	}
	kill(pid, SIGKILL);
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	/* killed, not failed on its own */
	EXPECT_TRUE(WIFSIGNALED(status));
	EXPECT_EQ(0, buddy_free_after(last_id));
	TH_LOG("%d rounds, up to %d rows in one read", round, most);
	EXPECT_EQ(ROUNDS, round);
	/* more than one page of output in at least one read */
	EXPECT_GT(most, 100);
}

TEST_HARNESS_MAIN
