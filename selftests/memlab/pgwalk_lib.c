// SPDX-License-Identifier: GPL-2.0
/* memlab_pgwalk's selftest helpers, see pgwalk_lib.h. */
#include "pgwalk_lib.h"

int pgwalk_parse(const char *text, struct pgwalk_result *res)
{
	const char *line = text;

	res->nr = 0;
	if (strncmp(text, "# level index entry_pa entry_value flags\n", 41))
		return -EPROTO;
	while ((line = strchr(line, '\n')) && *++line) {
		struct pgwalk_row *row = &res->row[res->nr];

		if (res->nr == PGWALK_MAX_ROWS)
			return -EPROTO;
		if (sscanf(line, "%7s %lli %llx %llx %255s", row->level,
			   &row->index, &row->pa, &row->value, row->flags) != 5)
			return -EPROTO;
		res->nr++;
	}
	return 0;
}

int pgwalk_walk(const char *target, struct pgwalk_result *res)
{
	char *text;
	int fd, ret;

	fd = open(PGWALK_DIR "/walk", O_RDWR);
	if (fd < 0)
		return -errno;
	if (write(fd, target, strlen(target)) < 0) {
		ret = -errno;
		close(fd);
		return ret;
	}
	text = memlab_read_fd(fd);
	ret = text ? pgwalk_parse(text, res) : -errno;
	free(text);
	close(fd);
	return ret;
}

int pgwalk_walk_self(const void *addr, struct pgwalk_result *res)
{
	char target[64];

	snprintf(target, sizeof(target), "%d %p", getpid(), addr);
	return pgwalk_walk(target, res);
}

const struct pgwalk_row *pgwalk_find(const struct pgwalk_result *res,
				     const char *level)
{
	int i;

	for (i = 0; i < res->nr; i++)
		if (!strcmp(res->row[i].level, level))
			return &res->row[i];
	return NULL;
}

bool pgwalk_has_flag(const char *flags, const char *flag)
{
	size_t len = strlen(flag);
	const char *p = flags;

	while (p) {
		if (!strncmp(p, flag, len) && (p[len] == '|' || !p[len]))
			return true;
		p = strchr(p, '|');
		if (p)
			p++;
	}
	return false;
}

long pgwalk_flag_value(const char *flags, const char *key)
{
	size_t len = strlen(key);
	const char *p = flags;

	while (p) {
		if (!strncmp(p, key, len) && p[len] == '=')
			return strtol(p + len + 1, NULL, 0);
		p = strchr(p, '|');
		if (p)
			p++;
	}
	return -1;
}

unsigned long long pgwalk_pagemap(const void *addr)
{
	unsigned long long e;

	if (memlab_proc_u64("/proc/self/pagemap",
			    (uintptr_t)addr / PGWALK_PAGE, &e))
		return 0;
	return e;
}

/* The pfn in pagemap entry @e, or 0 if not present. */
static unsigned long long pgwalk_entry_pfn(unsigned long long e)
{
	return (e & PAGEMAP_PRESENT) ? (e & PAGEMAP_PFN_MASK) : 0;
}

unsigned long long pgwalk_pagemap_pfn(const void *addr)
{
	return pgwalk_entry_pfn(pgwalk_pagemap(addr));
}

unsigned long long pgwalk_pagemap_pfn_of(pid_t pid, const void *addr)
{
	unsigned long long e;
	char path[64];

	snprintf(path, sizeof(path), "/proc/%d/pagemap", pid);
	if (memlab_proc_u64(path, (uintptr_t)addr / PGWALK_PAGE, &e))
		return 0;
	return pgwalk_entry_pfn(e);
}

char *pgwalk_map_small(size_t pages)
{
	char *area = mmap(NULL, pages * PGWALK_PAGE, PROT_READ | PROT_WRITE,
			  MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	if (area != MAP_FAILED)
		madvise(area, pages * PGWALK_PAGE, MADV_NOHUGEPAGE);
	return area;
}

char *pgwalk_map_thp(void)
{
	const size_t size = PGWALK_HPAGE;
	char *raw, *huge;
	size_t i;

	raw = mmap(NULL, 2 * size, PROT_READ | PROT_WRITE,
		   MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (raw == MAP_FAILED)
		return MAP_FAILED;
	huge = (char *)(((uintptr_t)raw + size - 1) & ~(size - 1));
	if ((huge != raw && munmap(raw, huge - raw)) ||
	    munmap(huge + size, raw + 2 * size - (huge + size)) ||
	    madvise(huge, size, MADV_HUGEPAGE))
		return MAP_FAILED;
	for (i = 0; i < size; i += PGWALK_PAGE)
		huge[i] = 1;
	if (memlab_smaps_kb(huge, "AnonHugePages") != size / 1024) {
		munmap(huge, size);
		return NULL;
	}
	return huge;
}

bool pgwalk_la57(void)
{
	char *cpuinfo = memlab_read_file("/proc/cpuinfo");
	bool la57 = cpuinfo && strstr(cpuinfo, " la57");

	free(cpuinfo);
	return la57;
}

unsigned long pgwalk_user_va_end(void)
{
#if defined(__aarch64__)
	long bits = memlab_file_kv_long(MEMLAB_DEBUGFS "/version", "va_bits");

	return 1UL << (bits < 0 ? 48 : bits);
#else
	return pgwalk_la57() ? 1UL << 56 : 1UL << 47;
#endif
}

void pgwalk_churn(int rounds)
{
	int round;
	size_t i;

	for (round = 0; round < rounds; round++) {
		char *p = mmap(PGWALK_PLAYGROUND, PGWALK_HPAGE,
			       PROT_READ | PROT_WRITE,
			       MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0);

		if (p == MAP_FAILED)
			_exit(1);
		if (round % 2) {
			madvise(p, PGWALK_HPAGE, MADV_NOHUGEPAGE);
			for (i = 0; i < PGWALK_HPAGE; i += 16 * PGWALK_PAGE)
				p[i] = 1;
			madvise(p, PGWALK_HPAGE, MADV_HUGEPAGE);
			madvise(p, PGWALK_HPAGE, MADV_COLLAPSE);
		} else {
			madvise(p, PGWALK_HPAGE, MADV_HUGEPAGE);
			p[0] = 1;
		}
		mprotect(p, PGWALK_HPAGE, PROT_READ);
		mprotect(p, PGWALK_HPAGE, PROT_READ | PROT_WRITE);
		madvise(p + 3 * PGWALK_PAGE, PGWALK_PAGE, MADV_DONTNEED);
		p[5 * PGWALK_PAGE] = 2;
		munmap(p, PGWALK_HPAGE);
	}
	_exit(0);
}

int pgwalk_dump_ranges(pid_t pid)
{
	char cmd[32], *text;
	int fd, ret = 0;

	fd = open(PGWALK_DIR "/ranges", O_RDWR);
	if (fd < 0)
		return -errno;
	snprintf(cmd, sizeof(cmd), "%d", pid);
	if (write(fd, cmd, strlen(cmd)) < 0) {
		ret = -errno;
	} else {
		text = memlab_read_fd(fd);
		if (!text)
			ret = -errno;
		else if (strncmp(text, "# start end size level flags", 28))
			ret = -EPROTO;
		free(text);
	}
	close(fd);
	return ret;
}

bool pgwalk_load(void)
{
	return memlab_kmod_load("memlab_pgwalk", "") == 0 &&
	       access(PGWALK_DIR "/walk", F_OK) == 0;
}
