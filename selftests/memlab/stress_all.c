// SPDX-License-Identifier: GPL-2.0
/*
 * Everything at once for STRESS_SECONDS: several processes read every view
 * of every module in both trees while others drive every control file and
 * others again read and write the ring device, interrupted by signals all
 * the time, and all are killed wherever they are at the end.  Commands may
 * fail (a cap is reached, a block is already freed); what must not happen
 * is a failed read of a view, a child that dies of anything but the end of
 * the test, or a kernel report, which the lab's log scan and the kmemleak
 * scan after this group catch.  At the end everything the test allocated
 * is given back.
 *
 * With memlab_pgwalk there, more processes walk and dump the ranges of
 * churning processes that map, unmap, mprotect, collapse and split THPs,
 * and exit in the middle of it all.
 */
#define _GNU_SOURCE
#include <sys/prctl.h>
#include <signal.h>
#include <time.h>

#include "memlab_harness.h"
#include "buddy_lib.h"
#include "pgwalk_lib.h"

#define STRESS_SECONDS		60
#define STRESS_READERS		3
#define STRESS_RING_PAIRS	2
#define STRESS_PGWALKERS	2
#define STRESS_CHURN_ROUNDS	20
#define STRESS_MAX_VIEWS	64
#define RING_DEVICE		"/dev/memlab_ring"
#define SLAB_CONTROL		MEMLAB_DEBUGFS "/slab/control"
#define SLAB_STATS		MEMLAB_DEBUGFS "/slab/stats"

/* Only there to interrupt a blocked read or write. */
static void on_usr1(int sig)
{
}

static char views[STRESS_MAX_VIEWS][PATH_MAX];
static int nviews;

/* Reads every view, whole, over and over; exits 1 if a read fails. */
static void reader(int first)
{
	int i = first;

	for (;;) {
		char *text = memlab_read_file(views[i % nviews]);

		if (!text) {
			fprintf(stderr, "# reading %s: %s\n", views[i % nviews],
				strerror(errno));
			_exit(1);
		}
		free(text);
		i++;
	}
}

static unsigned long buddy_start_id;

/* Frees only blocks above buddy_start_id: those this test allocated. */
static void buddy_writer(int unused)
{
	static const char *const cmds[] = {
		"alloc 0 count=16", "alloc 3", "alloc 9", "fragment 64",
		"bench 0 50", "alloc 1 count=4 api=alloc_pages",
	};
	unsigned int i = 0;

	for (;;) {
		buddy_cmd(cmds[i++ % ARRAY_SIZE(cmds)]);
		/* Two writers free each other's blocks too: ENOENT is fine. */
		if (i % 8 == 0)
			buddy_free_after(buddy_start_id);
	}
}

static void slab_writer(int unused)
{
	static const char *const cmds[] = {
		"alloc 64", "alloc 200", "free 64", "shrink", "free 200",
	};
	unsigned int i = 0;

	for (;;)
		memlab_write_cmd(SLAB_CONTROL, cmds[i++ % ARRAY_SIZE(cmds)]);
}

static void ring_writer(int unused)
{
	char buf[1500];
	int fd = open(RING_DEVICE, O_WRONLY);

	if (fd < 0)
		_exit(1);
	memset(buf, 'r', sizeof(buf));
	for (;;)
		if (write(fd, buf, 1 + rand() % sizeof(buf)) < 0 &&
		    errno != EINTR)
			_exit(1);
}

static void ring_reader(int unused)
{
	char buf[2048];
	int fd = open(RING_DEVICE, O_RDONLY);

	if (fd < 0)
		_exit(1);
	for (;;)
		if (read(fd, buf, 1 + rand() % sizeof(buf)) < 0 &&
		    errno != EINTR)
			_exit(1);
}

/* A child running @fn(@arg), which never returns. */
static pid_t spawn(void (*fn)(int), int arg)
{
	pid_t pid = fork();

	if (pid == 0) {
		srand(getpid());
		fn(arg);
	}
	return pid;
}

/*
 * Over and over: a child churns its page tables (pgwalk_churn()) and
 * exits while this one walks it and dumps its ranges.  Until the child is
 * reaped its pid cannot be reused, so -ESRCH, once it has exited, is the
 * only acceptable error.  The child dies with its walker.
 */
static void pgwalker(int unused)
{
	unsigned long walks = 0;
	struct pgwalk_result res;
	char cmd[64];
	pid_t child;
	int ret;

	for (;;) {
		bool reaped = false;

		child = fork();
		if (child < 0)
			_exit(1);
		if (child == 0) {
			prctl(PR_SET_PDEATHSIG, SIGKILL);
			pgwalk_churn(STRESS_CHURN_ROUNDS);
		}
		while (!reaped) {
			size_t off = (walks++ % 512) * PGWALK_PAGE;
			int status;

			reaped = waitpid(child, &status, WNOHANG) == child;
			if (reaped && (!WIFEXITED(status) || WEXITSTATUS(status)))
				_exit(1);
			snprintf(cmd, sizeof(cmd), "%d %p", child,
				 PGWALK_PLAYGROUND + off);
			ret = pgwalk_walk(cmd, &res);
			if (ret && ret != -ESRCH && ret != -EINTR) {
				fprintf(stderr, "# walk %s: %s\n", cmd,
					strerror(-ret));
				_exit(1);
			}
			if (walks % 8)
				continue;
			ret = pgwalk_dump_ranges(child);
			if (ret && ret != -ESRCH && ret != -EINTR) {
				fprintf(stderr, "# ranges %d: %s\n", child,
					strerror(-ret));
				_exit(1);
			}
		}
	}
}

/* Spawns the page-table walkers into @pids; returns how many. */
static int stress_pgwalk(pid_t *pids, int max)
{
	int n = 0;

	if (access(PGWALK_DIR "/walk", W_OK))
		return 0;
	while (n < STRESS_PGWALKERS && n < max)
		pids[n++] = spawn(pgwalker, 0);
	return n;
}

/* Gives back the objects the test left in memlab_obj. */
static int slab_restore(long held_before)
{
	char *text = memlab_read_file(SLAB_STATS);
	long held = text ? memlab_kv_long(text, "objects_held") : -1;
	char cmd[64];

	free(text);
	if (held < held_before)
		return -1;
	if (held == held_before)
		return 0;
	snprintf(cmd, sizeof(cmd), "free %ld", held - held_before);
	return memlab_write_cmd(SLAB_CONTROL, cmd);
}

/* Reads what the ring writers left, so that it is empty as it was. */
static int ring_drain(void)
{
	int fd = open(RING_DEVICE, O_RDONLY | O_NONBLOCK);
	char buf[4096];
	ssize_t n;

	if (fd < 0)
		return -1;
	while ((n = read(fd, buf, sizeof(buf))) > 0)
		;
	close(fd);
	return n < 0 && errno == EAGAIN ? 0 : -1;
}

FIXTURE(stress) {
};

FIXTURE_SETUP(stress)
{
}

FIXTURE_TEARDOWN(stress)
{
}

TEST_F_TIMEOUT(stress, everything_at_once, STRESS_SECONDS + 240)
{
	pid_t pids[64], ring_pids[2 * STRESS_RING_PAIRS];
	int npids = 0, nring = 0, i, failed = 0;
	bool have_buddy, have_slab, have_ring;
	long slab_held = 0;
	struct sigaction sa = { .sa_handler = on_usr1 };
	struct timespec start, now;
	char *text;

	if (geteuid() != 0)
		SKIP(return, "must be run as root");
	if (memlab_load_all() < 0)
		SKIP(return, "memlab.ko does not load");
	nviews = memlab_find_files(0400, views, STRESS_MAX_VIEWS);
	ASSERT_GT(nviews, 0);

	have_buddy = !access(BUDDY_CONTROL, W_OK);
	have_slab = !access(SLAB_CONTROL, W_OK);
	have_ring = !access(RING_DEVICE, R_OK | W_OK);
	buddy_start_id = have_buddy ? buddy_last_id() : 0;
	if (have_slab) {
		text = memlab_read_file(SLAB_STATS);
		ASSERT_NE(NULL, text);
		slab_held = memlab_kv_long(text, "objects_held");
		free(text);
		ASSERT_LE(0, slab_held);
	}
	if (have_ring)
		ASSERT_EQ(0, ring_drain());
	TH_LOG("%d views, buddy %d slab %d ring %d, %d s", nviews, have_buddy,
	       have_slab, have_ring, STRESS_SECONDS);

	/*
	 * Inherited by the children, so that no signal comes before the
	 * handler.  No SA_RESTART: a blocked ring read or write sees EINTR.
	 */
	ASSERT_EQ(0, sigaction(SIGUSR1, &sa, NULL));

	for (i = 0; i < STRESS_READERS; i++)
		pids[npids++] = spawn(reader, i * nviews / STRESS_READERS);
	for (i = 0; have_buddy && i < 2; i++)
		pids[npids++] = spawn(buddy_writer, 0);
	for (i = 0; have_slab && i < 2; i++)
		pids[npids++] = spawn(slab_writer, 0);
	for (i = 0; have_ring && i < STRESS_RING_PAIRS; i++) {
		ring_pids[nring++] = spawn(ring_writer, 0);
		ring_pids[nring++] = spawn(ring_reader, 0);
	}
	npids += stress_pgwalk(pids + npids, ARRAY_SIZE(pids) - npids);
	for (i = 0; i < npids; i++)
		ASSERT_LT(0, pids[i]);
	for (i = 0; i < nring; i++)
		ASSERT_LT(0, ring_pids[i]);

	/* Signals at random moments of the ring's blocking calls. */
	clock_gettime(CLOCK_MONOTONIC, &start);
	do {
		usleep(2000 + rand() % 20000);
		for (i = 0; i < nring; i++)
			kill(ring_pids[i], SIGUSR1);
		clock_gettime(CLOCK_MONOTONIC, &now);
	} while (now.tv_sec - start.tv_sec < STRESS_SECONDS);

	for (i = 0; i < nring; i++)
		pids[npids++] = ring_pids[i];
	/* Wherever they are, in a read of a view or blocked on the ring. */
	for (i = 0; i < npids; i++)
		kill(pids[i], SIGTERM);
	for (i = 0; i < npids; i++) {
		int status;

		ASSERT_EQ(pids[i], waitpid(pids[i], &status, 0));
		if (!WIFSIGNALED(status) || WTERMSIG(status) != SIGTERM) {
			TH_LOG("child %d ended with status 0x%x", pids[i],
			       status);
			failed++;
		}
	}
	EXPECT_EQ(0, failed);

	if (have_buddy)
		EXPECT_EQ(0, buddy_free_after(buddy_start_id));
	if (have_slab)
		EXPECT_EQ(0, slab_restore(slab_held));
	if (have_ring)
		EXPECT_EQ(0, ring_drain());
}

TEST_HARNESS_MAIN
