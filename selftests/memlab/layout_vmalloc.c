// SPDX-License-Identifier: GPL-2.0
/*
 * "vmalloc PAGES" on layout/control: layout/vmalloc lists every page of a
 * virtually contiguous area, each pfn is what memlab_pgwalk's walk of the
 * page tables finds there, the run column and the summary count the
 * physically contiguous runs, and "vfree" gives it all back.
 */
#include "memlab_harness.h"
#include "layout_lib.h"
#include "pgwalk_lib.h"

#define PAGES 64

struct vpage {
	unsigned int index, run;
	unsigned long virt, pfn;
	unsigned long long phys;
};

TEST(vmalloc_area_pages_and_runs)
{
	struct layout_region map[LAYOUT_MAX];
	const struct layout_region *vmalloc;
	struct vpage p[PAGES];
	struct pgwalk_result res;
	unsigned int runs = 0, longest = 0, len = 0;
	char *text, *line, *summary, cmd[64];
	int i, n = 0, nmap;

	if (geteuid() != 0)
		SKIP(return, "must be run as root");
	if (!layout_load() || !pgwalk_load())
		SKIP(return, "memlab_layout is not available");
	nmap = layout_read_map(map);
	vmalloc = layout_region(map, nmap, "vmalloc");
	ASSERT_NE(NULL, vmalloc);

	snprintf(cmd, sizeof(cmd), "vmalloc %d", PAGES);
	ASSERT_EQ(0, memlab_write_cmd(LAYOUT_DIR "/control", cmd));

	text = layout_table(LAYOUT_DIR "/vmalloc", "# index virt pfn phys run\n");
	ASSERT_NE(NULL, text);
	for (line = strchr(text, '\n') + 1; *line && n < PAGES;
	     line = strchr(line, '\n') + 1, n++)
		ASSERT_EQ(5, sscanf(line, "%u %lx %lx %llx %u", &p[n].index,
				    &p[n].virt, &p[n].pfn, &p[n].phys, &p[n].run));
	EXPECT_EQ(0, *line);
	free(text);
	ASSERT_EQ(PAGES, n);

	for (i = 0; i < PAGES; i++) {
		const struct pgwalk_row *page;

		EXPECT_EQ(i, (int)p[i].index);
		EXPECT_EQ(p[0].virt + i * memlab_page_size(), p[i].virt);
		EXPECT_TRUE(layout_in(vmalloc, p[i].virt));
		EXPECT_EQ((unsigned long long)p[i].pfn * memlab_page_size(), p[i].phys);
		snprintf(cmd, sizeof(cmd), "kernel 0x%lx", p[i].virt);
		ASSERT_EQ(0, pgwalk_walk(cmd, &res));
		page = pgwalk_find(&res, "page");
		ASSERT_NE(NULL, page);
		EXPECT_EQ(p[i].pfn, page->value);
		/* Runs: a page continues one when its frame follows. */
		if (!i || p[i].pfn != p[i - 1].pfn + 1) {
			runs++;
			len = 0;
		}
		len++;
		if (len > longest)
			longest = len;
	}
	/* Every page of a run reports the run's length. */
	for (i = 0; i < PAGES; i++) {
		int first = i, last = i;

		while (first > 0 && p[first].pfn == p[first - 1].pfn + 1)
			first--;
		while (last < PAGES - 1 && p[last + 1].pfn == p[last].pfn + 1)
			last++;
		EXPECT_EQ(last - first + 1, (int)p[i].run);
	}

	summary = memlab_read_file(LAYOUT_DIR "/vmalloc_summary");
	ASSERT_NE(NULL, summary);
	EXPECT_EQ(PAGES, memlab_kv_long(summary, "pages"));
	EXPECT_EQ(PAGES * memlab_page_size(), memlab_kv_long(summary, "size"));
	ASSERT_EQ(0, memlab_kv(summary, "virt", cmd, sizeof(cmd)));
	EXPECT_EQ(p[0].virt, strtoul(cmd, NULL, 16));
	EXPECT_EQ((long)runs, memlab_kv_long(summary, "runs"));
	EXPECT_EQ((long)longest, memlab_kv_long(summary, "longest_run"));
	/* 64 pages: order 6 is the smallest block that covers them. */
	EXPECT_EQ(6, memlab_kv_long(summary, "alloc_pages_order"));
	ASSERT_EQ(0, memlab_kv(summary, "alloc_pages", cmd, sizeof(cmd)));
	EXPECT_TRUE(!strcmp(cmd, "succeeded") || !strcmp(cmd, "failed"))
		TH_LOG("alloc_pages: %s", cmd);
	free(summary);
	TH_LOG("%d pages in %u physically contiguous runs", PAGES, runs);

	ASSERT_EQ(0, memlab_write_cmd(LAYOUT_DIR "/control", "vfree"));
	summary = memlab_read_file(LAYOUT_DIR "/vmalloc_summary");
	ASSERT_NE(NULL, summary);
	EXPECT_EQ(0, memlab_kv_long(summary, "pages"));
	free(summary);
	text = memlab_read_file(LAYOUT_DIR "/vmalloc");
	ASSERT_NE(NULL, text);
	EXPECT_STREQ("# index virt pfn phys run\n", text);
	free(text);
}

TEST_HARNESS_MAIN
