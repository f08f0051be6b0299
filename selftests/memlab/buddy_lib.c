// SPDX-License-Identifier: GPL-2.0
/* memlab_buddy's selftest helpers, see buddy_lib.h. */
#define _GNU_SOURCE
#include <sched.h>
#include <sys/mman.h>

#include "buddy_lib.h"

int buddy_load(void)
{
	return memlab_kmod_load("memlab_buddy", "");
}

int buddy_reload(const char *params)
{
	return memlab_kmod_reload("memlab_buddy", params);
}

int buddy_read_bench(struct buddy_bench_row *rows, int max)
{
	char *text = memlab_read_file(BUDDY_DEBUGFS "/bench"), *p = text;
	char *line;
	int n = 0;

	if (!text)
		return -1;
	while ((line = memlab_next_line(&p)) && n < max) {
		if (line[0] == '#')
			continue;
		if (sscanf(line, "%d %23s %23s %23s %23s %23s", &rows[n].order,
			   rows[n].iterations, rows[n].failed, rows[n].median,
			   rows[n].p99, rows[n].max) != 6)
			break;
		n++;
	}
	free(text);
	return line && n < max ? -1 : n;
}

int buddy_cmd(const char *cmd)
{
	return memlab_write_cmd(BUDDY_CONTROL, cmd);
}

unsigned long buddy_param(const char *name)
{
	char path[128];
	long val;

	snprintf(path, sizeof(path), BUDDY_PARAMS "%s", name);
	val = memlab_read_long(path);
	return val < 0 ? 0 : val;
}

long buddy_shrink_pcp(void)
{
	size_t len = 16 << 20;
	cpu_set_t cpus;
	long old;
	void *p;

	CPU_ZERO(&cpus);
	CPU_SET(0, &cpus);
	if (sched_setaffinity(0, sizeof(cpus), &cpus))
		return -1;
	old = memlab_read_long(BUDDY_PCP_FRACTION);
	if (old < 0)
		return -1;
	/* high = managed pages / fraction, but never under 4 batches */
	if (memlab_write_cmd(BUDDY_PCP_FRACTION, "1000000000"))
		return -1;
	p = mmap(NULL, len, PROT_READ | PROT_WRITE,
		 MAP_PRIVATE | MAP_ANONYMOUS | MAP_POPULATE, -1, 0);
	if (p != MAP_FAILED)
		munmap(p, len);
	return old;
}

void buddy_restore_pcp(long old)
{
	char val[32];

	if (old < 0)
		return;
	snprintf(val, sizeof(val), "%ld", old);
	memlab_write_cmd(BUDDY_PCP_FRACTION, val);
}

static int buddy_parse_alloc_line(const char *line, void *row)
{
	struct buddy_alloc_row *r = row;
	char pfn[32], phys[32], virt[32], node[16], status[16];

	memset(r, 0, sizeof(*r));
	if (sscanf(line, "%lu %d %lu %31s %159s %31s %31s %31s %15s %15s %15s",
		   &r->id, &r->order, &r->pages, r->api, r->gfp, pfn, phys,
		   virt, r->zone, node, status) != 11)
		return -1;
	r->ok = !strcmp(status, "ok");
	if (r->ok) {
		r->pfn = strtoul(pfn, NULL, 0);
		r->phys = strtoull(phys, NULL, 0);
		r->virt = strcmp(virt, "-") ? strtoul(virt, NULL, 0) : 0;
		r->node = atoi(node);
	} else {
		r->node = -1;
	}
	return 0;
}

int buddy_read_allocations(const char *path, struct buddy_alloc_row **rows)
{
	return memlab_read_rows(path, NULL, sizeof(**rows),
				buddy_parse_alloc_line, (void **)rows);
}

static int buddy_parse_buddies_line(const char *line, void *row)
{
	struct buddy_buddies_row *r = row;
	char order[16];

	if (sscanf(line, "%lu %d %li %li %7s %15s %7s", &r->id, &r->order,
		   (long *)&r->pfn, (long *)&r->buddy_pfn, r->buddy_free, order,
		   r->aligned) != 7)
		return -1;
	r->buddy_order = strcmp(order, "-") ? atoi(order) : -1;
	return 0;
}

int buddy_read_buddies(struct buddy_buddies_row **rows)
{
	return memlab_read_rows(BUDDY_DEBUGFS "/buddies", NULL, sizeof(**rows),
				buddy_parse_buddies_line, (void **)rows);
}

unsigned long buddy_last_id(void)
{
	struct buddy_alloc_row *rows;
	unsigned long last = 0;
	int i, n;

	n = buddy_read_allocations(BUDDY_DEBUGFS "/allocations", &rows);
	for (i = 0; i < n; i++)
		if (rows[i].id > last)
			last = rows[i].id;
	free(rows);
	return last;
}

int buddy_free_after(unsigned long last)
{
	struct buddy_alloc_row *rows;
	char cmd[64];
	int i, n, ret = 0;

	n = buddy_read_allocations(BUDDY_DEBUGFS "/allocations", &rows);
	if (n < 0)
		return -1;
	for (i = 0; i < n; i++) {
		if (rows[i].id <= last)
			continue;
		snprintf(cmd, sizeof(cmd), "free %lu", rows[i].id);
		if (buddy_cmd(cmd))
			ret = -1;
	}
	free(rows);
	return ret;
}

int buddy_read_free_rows(const char *path, struct buddy_free_row *rows,
			 int max)
{
	int kernel = !strncmp(path, "/proc/", 6);
	int typed = !kernel || strstr(path, "pagetypeinfo");
	char *text = memlab_read_file(path), *p = text, *line;
	int n = 0;

	if (!text)
		return -1;
	while ((line = memlab_next_line(&p)) && n < max) {
		struct buddy_free_row *r = &rows[n];
		char *tok, *save = NULL;
		int field = 0, order = 0;

		memset(r, 0, sizeof(*r));
		if (kernel && strncmp(line, "Node", 4))
			continue;
		if (!kernel && line[0] == '#')
			continue;
		/* pagetypeinfo's block-count table has no "type" word */
		if (kernel && typed && !strstr(line, " type "))
			continue;
		if (!typed)
			strcpy(r->type, "all");
		for (tok = strtok_r(line, " ,", &save); tok;
		     tok = strtok_r(NULL, " ,", &save)) {
			if (kernel && (!strcmp(tok, "Node") ||
				       !strcmp(tok, "zone") ||
				       !strcmp(tok, "type")))
				continue;
			if (field == 0)
				r->node = atoi(tok);
			else if (field == 1)
				snprintf(r->zone, sizeof(r->zone), "%s", tok);
			else if (field == 2 && typed)
				snprintf(r->type, sizeof(r->type), "%s", tok);
			else if (order < BUDDY_MAX_ORDERS)
				/* ">100000" reads as 100000 */
				r->count[order++] = strtol(tok + (*tok == '>'),
							   NULL, 10);
			field++;
		}
		n++;
	}
	free(text);
	return n;
}

struct buddy_free_row *buddy_find_free_row(struct buddy_free_row *rows, int n,
					   int node, const char *zone,
					   const char *type)
{
	int i;

	for (i = 0; i < n; i++)
		if (rows[i].node == node && !strcmp(rows[i].zone, zone) &&
		    !strcmp(rows[i].type, type))
			return &rows[i];
	return NULL;
}

int buddy_zone_span(int node, const char *zone, unsigned long *start,
		    unsigned long *end)
{
	struct memlab_zone zones[MEMLAB_MAX_ZONES];
	const struct memlab_zone *z;
	int n = memlab_read_zoneinfo(zones, MEMLAB_MAX_ZONES);

	z = n > 0 ? memlab_zone_find(zones, n, node, zone) : NULL;
	if (!z || z->start_pfn < 0 || z->spanned < 0)
		return -1;
	*start = z->start_pfn;
	*end = z->start_pfn + z->spanned;
	return 0;
}

const char *const buddy_counter_names[BUDDY_NR_COUNTERS] = {
	"pgalloc", "allocstall", "pgscan_kswapd", "pgscan_direct",
	"pgsteal_kswapd", "pgsteal_direct", "compact_stall", "compact_fail",
	"compact_success", "pgmigrate_success", "pageoutrun",
};

/* A per-zone line of /proc/vmstat: "pgalloc_dma32" for "pgalloc". */
static bool buddy_zone_counter(const char *key, const char *name)
{
	static const char *const zones[] = {
		"dma", "dma32", "normal", "high", "movable", "device",
	};
	size_t len = strlen(name), i;

	if (strncmp(key, name, len) || key[len] != '_')
		return false;
	for (i = 0; i < ARRAY_SIZE(zones); i++)
		if (!strcmp(key + len + 1, zones[i]))
			return true;
	return false;
}

int buddy_vmstat_counters(struct buddy_counters *c)
{
	FILE *f = fopen("/proc/vmstat", "r");
	bool seen[BUDDY_NR_COUNTERS] = { false };
	char key[64];
	long val;
	int i;

	if (!f)
		return -1;
	memset(c, 0, sizeof(*c));
	while (fscanf(f, "%63s %ld", key, &val) == 2) {
		for (i = 0; i < BUDDY_NR_COUNTERS; i++) {
			if (i < 2 ? buddy_zone_counter(key, buddy_counter_names[i]) :
				    !strcmp(key, buddy_counter_names[i])) {
				c->v[i] += val;
				seen[i] = true;
			}
		}
	}
	fclose(f);
	for (i = 0; i < BUDDY_NR_COUNTERS; i++)
		if (!seen[i])
			return -1;
	return 0;
}

/* The words of @line into @words, at most @max. */
static int buddy_split(char *line, char (*words)[64], int max)
{
	char *save, *w;
	int n = 0;

	for (w = strtok_r(line, " ", &save); w && n < max;
	     w = strtok_r(NULL, " ", &save))
		snprintf(words[n++], sizeof(words[0]), "%s", w);
	return n;
}

int buddy_read_records(const char *path, struct buddy_record **rows)
{
	char *text = memlab_read_file(path), *p = text, *line;
	struct buddy_record head, *all = NULL, *grown;
	int n = 0;

	*rows = NULL;
	line = text ? memlab_next_line(&p) : NULL;
	if (!line || line[0] != '#') {
		free(text);
		return -1;
	}
	memset(&head, 0, sizeof(head));
	head.n = buddy_split(line + 1, head.name, BUDDY_MAX_FIELDS);
	while ((line = memlab_next_line(&p))) {
		grown = realloc(all, (n + 1) * sizeof(*all));
		if (!grown)
			goto fail;
		all = grown;
		all[n] = head;
		if (buddy_split(line, all[n].field, BUDDY_MAX_FIELDS) != head.n)
			goto fail;
		n++;
	}
	free(text);
	*rows = all;
	return n;
fail:
	free(all);
	free(text);
	return -1;
}

int buddy_read_record(const char *path, int index, struct buddy_record *r)
{
	struct buddy_record *rows;
	int n = buddy_read_records(path, &rows);

	memset(r, 0, sizeof(*r));
	if (index < 0)
		index = n - 1;
	if (n < 0 || index < 0 || index >= n) {
		free(rows);
		return -1;
	}
	*r = rows[index];
	free(rows);
	return n;
}

const char *buddy_counter_beyond_vmstat(const struct buddy_record *r,
					const struct buddy_counters *before,
					const struct buddy_counters *after)
{
	long delta, moved;
	int i;

	for (i = 0; i < BUDDY_NR_COUNTERS; i++) {
		delta = buddy_field_long(r, buddy_counter_names[i]);
		moved = after->v[i] - before->v[i];
		if (delta < 0 || delta > moved) {
			printf("# %s moved %ld, /proc/vmstat %ld\n",
			       buddy_counter_names[i], delta, moved);
			return buddy_counter_names[i];
		}
	}
	return NULL;
}

const char *buddy_field(const struct buddy_record *r, const char *name)
{
	int i;

	for (i = 0; i < r->n; i++)
		if (!strcmp(r->name[i], name))
			return r->field[i];
	return NULL;
}

long buddy_field_long(const struct buddy_record *r, const char *name)
{
	const char *f = buddy_field(r, name);

	return f && strcmp(f, "-") ? strtol(f, NULL, 0) : -1;
}
