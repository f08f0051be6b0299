// SPDX-License-Identifier: GPL-2.0
/*
 * Kernel walks: a kmalloc'ed address (memlab_layout's sample) walks to the
 * physical address virt_to_phys() gives and to a slab page, a vmalloc'ed
 * page walks to vmalloc_to_pfn()'s frame (as memlab_layout reports it),
 * and module text is mapped executable and read-only; the levels are the
 * paging mode's.
 */
#include "memlab_harness.h"
#include "layout_lib.h"
#include "pgwalk_lib.h"

static const struct layout_sample *sample(const struct layout_sample *s,
					  int n, const char *source)
{
	int i;

	for (i = 0; i < n; i++)
		if (!strcmp(s[i].source, source))
			return &s[i];
	return NULL;
}

static int walk_kernel(unsigned long addr, struct pgwalk_result *res)
{
	char cmd[64];

	snprintf(cmd, sizeof(cmd), "kernel 0x%lx", addr);
	return pgwalk_walk(cmd, res);
}

FIXTURE(kernel) {
	struct layout_sample s[LAYOUT_MAX];
	int n;
};

FIXTURE_SETUP(kernel)
{
	if (geteuid() != 0)
		SKIP(return, "must be run as root");
	if (!pgwalk_load())
		SKIP(return, "memlab_pgwalk is not available");
	if (!layout_load())
		SKIP(return, "memlab_layout, the source of kernel addresses, is not available");
	self->n = layout_read_addresses(self->s);
	ASSERT_GT(self->n, 0);
}

FIXTURE_TEARDOWN(kernel)
{
}

TEST_F(kernel, kmalloc_walks_to_virt_to_phys)
{
	static const char * const slab[] = {
		"kmalloc", "kzalloc", "kmem_cache_alloc",
	};
	struct pgwalk_result res;
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(slab); i++) {
		const struct layout_sample *s = sample(self->s, self->n, slab[i]);
		const struct pgwalk_row *page;

		ASSERT_NE(NULL, s);
		ASSERT_TRUE(s->valid);
		ASSERT_EQ(0, walk_kernel(s->virt, &res));
		page = pgwalk_find(&res, "page");
		ASSERT_NE(NULL, page);
		EXPECT_EQ(s->phys, page->pa);
		EXPECT_EQ(s->phys / memlab_page_size(), page->value);
		EXPECT_TRUE(pgwalk_has_flag(page->flags, "slab")) TH_LOG("%s", page->flags);
		/* The direct map uses the largest leaves it can. */
		TH_LOG("%s: %s leaf, %s", slab[i], res.row[res.nr - 2].level,
		       page->flags);
	}
}

TEST_F(kernel, vmalloc_walks_to_vmalloc_to_pfn)
{
	char *text, *line;
	unsigned long virt, pfn;
	struct pgwalk_result res;
	const struct pgwalk_row *page, *pte;
	int pages = 0, fields;

	ASSERT_EQ(0, memlab_write_cmd(LAYOUT_DIR "/control", "vmalloc 8"));
	text = layout_table(LAYOUT_DIR "/vmalloc", "# index virt pfn phys run\n");
	ASSERT_NE(NULL, text);
	for (line = strchr(text, '\n') + 1; *line; line = strchr(line, '\n') + 1) {
		fields = sscanf(line, "%*u %lx %lx", &virt, &pfn);
		ASSERT_EQ(2, fields);
		ASSERT_EQ(0, walk_kernel(virt + 0x321, &res));
		page = pgwalk_find(&res, "page");
		pte = pgwalk_find(&res, "pte");
		ASSERT_NE(NULL, page);
		ASSERT_NE(NULL, pte);
		EXPECT_EQ(pfn, page->value);
		EXPECT_EQ((unsigned long long)pfn * memlab_page_size() + 0x321, page->pa);
		EXPECT_TRUE(pgwalk_has_flag(pte->flags, "RW"));
		EXPECT_TRUE(pgwalk_has_flag(pte->flags, PGWALK_F_KERNEL_NX));
		EXPECT_FALSE(pgwalk_has_flag(pte->flags, PGWALK_F_USER));
		pages++;
	}
	free(text);
	EXPECT_EQ(8, pages);
	EXPECT_EQ(0, memlab_write_cmd(LAYOUT_DIR "/control", "vfree"));
}

/*
 * Module text is mapped by 4K ptes, except where x86's execmem keeps it in
 * 2M pages mapped read-only and executable once (its ROX cache, 6.14 on):
 * the leaf is a pte or a pmd, and either way not writable.
 */
TEST_F(kernel, module_text_is_executable_read_only)
{
	const struct layout_sample *s = sample(self->s, self->n, "module-function");
	const struct pgwalk_row *leaf, *p4d;
	struct pgwalk_result res;

	ASSERT_NE(NULL, s);
	ASSERT_EQ(0, walk_kernel(s->virt, &res));
	ASSERT_NE(NULL, pgwalk_find(&res, "page"));
	EXPECT_EQ(s->phys, pgwalk_find(&res, "page")->pa);
	ASSERT_GE(res.nr, 2);
	leaf = &res.row[res.nr - 2];
	TH_LOG("module text: %s leaf", leaf->level);
	EXPECT_TRUE(!strcmp(leaf->level, "pte") || !strcmp(leaf->level, "pmd"));
	EXPECT_FALSE(pgwalk_has_flag(leaf->flags, PGWALK_F_KERNEL_NX));
	EXPECT_FALSE(pgwalk_has_flag(leaf->flags, "RW"));
	p4d = pgwalk_find(&res, "p4d");
	ASSERT_NE(NULL, p4d);
	EXPECT_EQ(!pgwalk_la57(), !strcmp(p4d->flags, "folded"));
}

TEST_HARNESS_MAIN
