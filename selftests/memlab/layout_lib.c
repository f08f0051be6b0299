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
