// SPDX-License-Identifier: GPL-2.0
/* memlab_slab's selftest helpers, see slab_lib.h. */
#include "slab_lib.h"

int slab_setup(void)
{
	if (geteuid() != 0 || memlab_kmod_load("memlab_slab", ""))
		return -1;
	return memlab_write_cmd(SLAB_CONTROL, "free all");
}

int slab_reload(void)
{
	return memlab_kmod_reload("memlab_slab", "");
}

int slab_cmd(const char *cmd)
{
	return memlab_write_cmd(SLAB_CONTROL, cmd);
}

long slab_stat(const char *key)
{
	return memlab_file_kv_long(SLAB_DIR "/stats", key);
}

long slab_cache_attr(const char *attr)
{
	char path[256];

	snprintf(path, sizeof(path), SLAB_SYSFS "/%s", attr);
	return memlab_read_long(path);
}

int slab_slabinfo(const char *name, struct slabinfo_row *row)
{
	char line[512], cache[64];
	int ret = -1;
	FILE *f;

	f = fopen("/proc/slabinfo", "r");
	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f)) {
		if (sscanf(line, "%63s %ld %ld %ld %ld %ld", cache,
			   &row->active_objs, &row->num_objs, &row->objsize,
			   &row->objperslab, &row->pagesperslab) == 6 &&
		    !strcmp(cache, name)) {
			ret = 0;
			break;
		}
	}
	fclose(f);
	return ret;
}

static int slab_parse_obj_row(const char *line, void *row)
{
	struct slab_obj_row *r = row;

	return sscanf(line, "%lu %lx %lx %lx %lx %lu", &r->idx, &r->addr,
		      &r->phys, &r->pfn, &r->slab, &r->offset) == 6 ? 0 : -1;
}

long slab_read_objects(struct slab_obj_row **rows)
{
	return memlab_read_rows(SLAB_DIR "/objects",
				"# idx addr phys pfn slab offset",
				sizeof(**rows), slab_parse_obj_row,
				(void **)rows);
}

static int slab_parse_slab_row(const char *line, void *row)
{
	struct slab_slab_row *r = row;

	return sscanf(line, "%lx %lx %u %u %u %15s", &r->slab, &r->pfn,
		      &r->order, &r->objects, &r->inuse, r->state) == 6 ? 0 : -1;
}

long slab_read_slabs(struct slab_slab_row **rows)
{
	return memlab_read_rows(SLAB_DIR "/slabs",
				"# slab pfn order objects inuse state",
				sizeof(**rows), slab_parse_slab_row,
				(void **)rows);
}

static int slab_parse_kmalloc_row(const char *line, void *row)
{
	struct slab_kmalloc_row *r = row;

	return sscanf(line, "%ld %ld %ld %63s %7s %63s", &r->requested,
		      &r->ksize, &r->waste, r->cache, r->zeroed,
		      r->bucket) == 6 ? 0 : -1;
}

long slab_read_kmalloc(struct slab_kmalloc_row **rows)
{
	return memlab_read_rows(SLAB_DIR "/kmalloc",
				"# requested ksize waste cache zeroed bucket",
				sizeof(**rows), slab_parse_kmalloc_row,
				(void **)rows);
}

int slab_cmp_ulong(const void *a, const void *b)
{
	unsigned long x = *(const unsigned long *)a;
	unsigned long y = *(const unsigned long *)b;

	return x < y ? -1 : x > y;
}
