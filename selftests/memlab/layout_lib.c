// SPDX-License-Identifier: GPL-2.0
/* memlab_layout's selftest helpers, see layout_lib.h. */
#include "layout_lib.h"

bool layout_load(void)
{
	return memlab_kmod_load("memlab_layout", "") == 0 &&
	       access(LAYOUT_DIR "/map", F_OK) == 0;
}

char *layout_table(const char *path, const char *header)
{
	char *text = memlab_read_file(path);

	if (text && strncmp(text, header, strlen(header))) {
		free(text);
		text = NULL;
	}
	return text;
}

int layout_read_map(struct layout_region *r)
{
	char *text = layout_table(LAYOUT_DIR "/map", "# region start end size\n");
	char *line;
	int n = 0;

	if (!text)
		return -1;
	for (line = strchr(text, '\n') + 1; *line && n < LAYOUT_MAX;
	     line = strchr(line, '\n') + 1) {
		if (sscanf(line, "%31s %lx %lx %lu", r[n].name, &r[n].start,
			   &r[n].end, &r[n].size) != 4) {
			n = -1;
			break;
		}
		n++;
	}
	free(text);
	return n;
}

const struct layout_region *layout_region(const struct layout_region *r, int n,
					  const char *name)
{
	int i;

	for (i = 0; i < n; i++)
		if (!strcmp(r[i].name, name))
			return &r[i];
	return NULL;
}

bool layout_in(const struct layout_region *r, unsigned long addr)
{
	return r && addr >= r->start && addr < r->end;
}

int layout_read_addresses(struct layout_sample *s)
{
	char *text = layout_table(LAYOUT_DIR "/addresses",
				  "# source virt type phys pfn zone valid\n");
	char phys[32], pfn[32], valid[8], *line;
	int n = 0;

	if (!text)
		return -1;
	for (line = strchr(text, '\n') + 1; *line && n < LAYOUT_MAX;
	     line = strchr(line, '\n') + 1) {
		if (sscanf(line, "%31s %lx %31s %31s %31s %15s %7s", s[n].source,
			   &s[n].virt, s[n].type, phys, pfn, s[n].zone,
			   valid) != 7) {
			n = -1;
			break;
		}
		s[n].has_phys = strcmp(phys, "-");
		s[n].phys = strtoull(phys, NULL, 16);
		s[n].pfn = strtoul(pfn, NULL, 16);
		s[n].valid = !strcmp(valid, "yes");
		n++;
	}
	free(text);
	return n;
}

const char * const layout_owner_names[LAYOUT_NR_OWNERS] = {
	"hole", "offline", "free", "kernel", "memmap", "reserved", "slab",
	"pagetable", "anon", "file", "other",
};

int layout_owner(const char *name)
{
	int i;

	for (i = 0; i < LAYOUT_NR_OWNERS; i++)
		if (!strcmp(name, layout_owner_names[i]))
			return i;
	return -1;
}

int layout_kpf_owner(unsigned long long f, unsigned long long head)
{
	unsigned long long any = f | head;

	if (MEMLAB_KPF(f, KPF_NOPAGE))
		return LAYOUT_HOLE;
	if (MEMLAB_KPF(f, KPF_BUDDY))
		return LAYOUT_FREE;
	if (MEMLAB_KPF(f, KPF_OFFLINE))
		return LAYOUT_OFFLINE;
	if (MEMLAB_KPF(f, LAYOUT_KPF_RESERVED))
		return LAYOUT_RESERVED;
	if (MEMLAB_KPF(f, KPF_PGTABLE))
		return LAYOUT_PAGETABLE;
	if (MEMLAB_KPF(any, KPF_SLAB))
		return LAYOUT_SLAB;
	if (MEMLAB_KPF(any, KPF_ANON))
		return LAYOUT_ANON;
	if (MEMLAB_KPF(any, KPF_LRU))
		return LAYOUT_FILE;
	return LAYOUT_OTHER;
}

static int layout_parse_run(const char *line, void *row)
{
	struct layout_run *r = row;
	char owner[16], order[8];

	if (sscanf(line, "%d %15s %lx %lx %lu %15s %15s %7s", &r->node, r->zone,
		   &r->start, &r->end, &r->pages, r->type, owner, order) != 8)
		return -1;
	r->owner = layout_owner(owner);
	r->order = strcmp(order, "-") ? atoi(order) : -1;
	return r->owner < 0 ? -1 : 0;
}

long layout_read_physmap(struct layout_run **runs)
{
	return memlab_read_rows(LAYOUT_DIR "/physmap", LAYOUT_PHYSMAP_HEADER,
				sizeof(**runs), layout_parse_run, (void **)runs);
}

const struct layout_run *layout_run_at(const struct layout_run *runs, long n,
				       unsigned long pfn)
{
	long i;

	for (i = 0; i < n; i++)
		if (pfn >= runs[i].start && pfn < runs[i].end)
			return &runs[i];
	return NULL;
}

static int layout_orders;

static int layout_parse_blocks(const char *line, void *row)
{
	struct layout_blocks *b = row;
	char kind[8];
	int at, i;

	if (sscanf(line, "%7s %d %15s %lx %lx %lu %15s%n", kind, &b->node,
		   b->zone, &b->start, &b->end, &b->blocks, b->type, &at) != 7)
		return -1;
	b->zone_row = !strcmp(kind, "zone");
	if (!b->zone_row && strcmp(kind, "run"))
		return -1;
	line += at;
	for (i = 0; i < layout_orders + LAYOUT_NR_OWNERS; i++) {
		long *v = i < layout_orders ? &b->free[i] :
			  &b->owner[i - layout_orders];
		char *end;

		*v = strtol(line, &end, 10);
		if (end == line)
			return -1;
		line = end;
	}
	return *line ? -1 : 0;
}

long layout_read_pageblocks(struct layout_blocks **rows, int orders)
{
	char header[1024];
	int len, i;

	if (orders > LAYOUT_MAX_ORDERS)
		return -1;
	len = snprintf(header, sizeof(header),
		       "# kind node zone start_pfn end_pfn blocks type");
	for (i = 0; i < orders; i++)
		len += snprintf(header + len, sizeof(header) - len, " free_o%d", i);
	for (i = 0; i < LAYOUT_NR_OWNERS; i++)
		len += snprintf(header + len, sizeof(header) - len, " %s",
				layout_owner_names[i]);
	layout_orders = orders;
	return memlab_read_rows(LAYOUT_DIR "/pageblocks", header,
				sizeof(**rows), layout_parse_blocks,
				(void **)rows);
}
