// SPDX-License-Identifier: GPL-2.0
/*
 * layout/addresses: every kind of address is sampled; a direct-map
 * sample's physical address is its offset from page_offset_base; every
 * physical address agrees with memlab_pgwalk's walk of the page tables;
 * pfn, zone and virt_addr_valid() are consistent with them.
 */
#include "../kselftest_harness.h"
#include "layout_lib.h"
#include "pgwalk_lib.h"

static const char * const sources[] = {
	"kmalloc", "kzalloc", "devm_kmalloc", "vmalloc", "__get_free_pages",
	"alloc_pages+page_address", "kmem_cache_alloc", "stack",
	"module-global", "module-function", "percpu",
};

FIXTURE(addresses) {
	struct layout_region map[LAYOUT_MAX];
	struct layout_sample s[LAYOUT_MAX];
	int nmap, n;
};

FIXTURE_SETUP(addresses)
{
	if (geteuid() != 0)
		SKIP(return, "must be run as root");
	if (!layout_load() || !pgwalk_load())
		SKIP(return, "memlab_layout is not available");
	self->nmap = layout_read_map(self->map);
	ASSERT_GT(self->nmap, 0);
	self->n = layout_read_addresses(self->s);
	ASSERT_GT(self->n, 0);
}

FIXTURE_TEARDOWN(addresses)
{
}

TEST_F(addresses, every_source_is_sampled)
{
	unsigned int i;
	int j;

	for (i = 0; i < ARRAY_SIZE(sources); i++) {
		for (j = 0; j < self->n; j++)
			if (!strcmp(self->s[j].source, sources[i]))
				break;
		EXPECT_LT(j, self->n) TH_LOG("no %s sample", sources[i]);
	}
}

TEST_F(addresses, direct_map_is_an_offset)
{
	const struct layout_region *dm = layout_region(self->map, self->nmap,
						       "direct-map");
	unsigned long offset = 0;
	int j, seen = 0;

	ASSERT_NE(NULL, dm);
	for (j = 0; j < self->n; j++) {
		const struct layout_sample *s = &self->s[j];

		if (strcmp(s->type, "direct-map"))
			continue;
		ASSERT_TRUE(s->has_phys);
		if (!seen++)
			offset = s->virt - s->phys;
		EXPECT_EQ(offset, s->virt - s->phys) TH_LOG("%s", s->source);
		EXPECT_TRUE(s->valid);
	}
	EXPECT_GE(seen, 5);
	/*
	 * x86 maps physical address 0 at the start of the direct map; arm64
	 * maps the start of RAM there, wherever the board puts it.
	 */
#if defined(__x86_64__)
	EXPECT_EQ(dm->start, offset);
#endif
}

#if defined(__aarch64__)
#define LAYOUT_IMAGE_IS_VALID	false
#else
#define LAYOUT_IMAGE_IS_VALID	true
#endif

TEST_F(addresses, phys_agrees_with_the_page_tables)
{
	const struct layout_region *dm = layout_region(self->map, self->nmap,
						       "direct-map");
	const struct layout_region *image = layout_region(self->map, self->nmap,
							  "kernel-image");
	struct pgwalk_result res;
	char cmd[64];
	int j;

	for (j = 0; j < self->n; j++) {
		const struct layout_sample *s = &self->s[j];
		const struct pgwalk_row *page;

		ASSERT_TRUE(s->has_phys) TH_LOG("%s has no phys", s->source);
		EXPECT_EQ(s->phys / memlab_page_size(), s->pfn);
		snprintf(cmd, sizeof(cmd), "kernel 0x%lx", s->virt);
		ASSERT_EQ(0, pgwalk_walk(cmd, &res));
		page = pgwalk_find(&res, "page");
		ASSERT_NE(NULL, page) TH_LOG("%s is not mapped", s->source);
		EXPECT_EQ(s->phys, page->pa) TH_LOG("%s", s->source);
		/*
		 * Only the direct map and, on x86, the image translate by
		 * arithmetic: arm64's virt_addr_valid() refuses the image.
		 */
		EXPECT_EQ(s->valid, layout_in(dm, s->virt) ||
			  (LAYOUT_IMAGE_IS_VALID && layout_in(image, s->virt)))
			TH_LOG("%s", s->source);
	}
}

/* The zone a sample names holds its pfn, by /proc/zoneinfo's ranges. */
TEST_F(addresses, zone_holds_the_pfn)
{
	struct memlab_zone zi[MEMLAB_MAX_ZONES];
	int nzi = memlab_read_zoneinfo(zi, MEMLAB_MAX_ZONES);
	int j;

	ASSERT_LT(0, nzi);
	for (j = 0; j < self->n; j++) {
		const struct layout_sample *s = &self->s[j];
		const struct memlab_zone *z;

		if (!strcmp(s->zone, "-")) {
			/* Only memory without a struct page: the MMIO sample. */
			EXPECT_STREQ("ioremap", s->type);
			continue;
		}
		z = memlab_zone_find(zi, nzi, 0, s->zone);
		ASSERT_NE(NULL, z) TH_LOG("no zone %s", s->zone);
		ASSERT_LE(0, z->start_pfn);
		ASSERT_LE(0, z->spanned);
		EXPECT_GE(s->pfn, z->start_pfn) TH_LOG("%s", s->source);
		EXPECT_LT(s->pfn, z->start_pfn + z->spanned)
			TH_LOG("%s", s->source);
	}
}

TEST_HARNESS_MAIN
