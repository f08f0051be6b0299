// SPDX-License-Identifier: GPL-2.0
/*
 * layout/addresses: every kind of address is sampled; a direct-map
 * sample's physical address is its offset from page_offset_base; every
 * physical address agrees with memlab_pgwalk's walk of the page tables;
 * pfn, zone and virt_addr_valid() are consistent with them.
 *
 * memlab_layout translates what virt_addr_valid() refuses with
 * memlab_pgwalk's own walk, so for those samples the walk is no witness:
 * the kernel's files are.  The image's physical address is where
 * /proc/iomem puts "Kernel code", at the offset /proc/kallsyms gives;
 * every sample with a struct page is in /proc/iomem's System RAM and the
 * MMIO one is not; /proc/kpageflags calls the slab samples' pages slab
 * pages and the page allocator's neither slab nor free.
 */
#include "memlab_harness.h"
#include "layout_lib.h"
#include "pgwalk_lib.h"

/*
 * /proc/iomem's "Kernel code" runs from __pa_symbol() of _text (x86,
 * arm64 from 6.12 on) or _stext (arm64 before) to _etext (x86) or
 * __init_begin (arm64): the symbol it starts at is the one whose distance
 * to one of the ends is its length.
 */
static unsigned long layout_code_symbol(unsigned long long code,
					unsigned long long code_end)
{
	static const char *const starts[] = { "_text", "_stext" };
	static const char *const ends[] = { "_etext", "__init_begin" };
	unsigned long sym, end;
	unsigned int i, j;

	for (i = 0; i < ARRAY_SIZE(starts); i++) {
		sym = memlab_kallsyms(starts[i], NULL);
		for (j = 0; sym && j < ARRAY_SIZE(ends); j++) {
			end = memlab_kallsyms(ends[j], NULL);
			if (end && end - sym == code_end + 1 - code)
				return sym;
		}
	}
	return 0;
}

#define LAYOUT_MAX_RANGES	64

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

/* Is @phys inside one of the @n ranges @start..@end (inclusive)? */
static bool in_ranges(unsigned long long phys, const unsigned long long *start,
		      const unsigned long long *end, int n)
{
	int i;

	for (i = 0; i < n; i++)
		if (phys >= start[i] && phys <= end[i])
			return true;
	return false;
}

/*
 * The image is mapped at one offset: an image sample's physical address is
 * where /proc/iomem puts "Kernel code" plus its distance from the symbol
 * that code starts at in /proc/kallsyms, inside the image's iomem ranges.
 */
TEST_F(addresses, image_agrees_with_iomem_and_kallsyms)
{
	static const char *const parts[] = {
		"Kernel code", "Kernel data", "Kernel bss",
	};
	unsigned long long start[LAYOUT_MAX_RANGES], end[LAYOUT_MAX_RANGES];
	unsigned long long code, code_end;
	int j, n = 0, seen = 0;
	unsigned long text;
	unsigned int i;

	if (!memlab_kallsyms("_text", NULL))
		SKIP(return, "/proc/kallsyms hides addresses");
	ASSERT_EQ(1, memlab_iomem_ranges("Kernel code", -1, &code, &code_end, 1));
	text = layout_code_symbol(code, code_end);
	ASSERT_NE(0, text) TH_LOG("no symbol starts \"Kernel code\"");
	for (i = 0; i < ARRAY_SIZE(parts); i++) {
		int got = memlab_iomem_ranges(parts[i], -1, start + n, end + n,
					      LAYOUT_MAX_RANGES - n);

		ASSERT_LE(0, got);
		n += got;
	}
	ASSERT_NE(0ULL, code) TH_LOG("/proc/iomem hides addresses");
	for (j = 0; j < self->n; j++) {
		const struct layout_sample *s = &self->s[j];

		if (strcmp(s->type, "kernel-image"))
			continue;
		seen++;
		ASSERT_TRUE(s->has_phys) TH_LOG("%s", s->source);
		EXPECT_LE(text, s->virt) TH_LOG("%s", s->source);
		EXPECT_EQ(code + (s->virt - text), s->phys)
			TH_LOG("%s", s->source);
		EXPECT_TRUE(in_ranges(s->phys, start, end, n))
			TH_LOG("%s 0x%llx is not the image's", s->source, s->phys);
	}
	EXPECT_LE(1, seen);
}

/* RAM is what /proc/iomem calls System RAM; the MMIO sample is not in it. */
TEST_F(addresses, phys_is_system_ram_or_mmio)
{
	unsigned long long start[LAYOUT_MAX_RANGES], end[LAYOUT_MAX_RANGES];
	int n = memlab_iomem_ranges("System RAM", 0, start, end,
				    LAYOUT_MAX_RANGES);
	int j;

	ASSERT_LT(0, n);
	ASSERT_NE(0ULL, end[0]) TH_LOG("/proc/iomem hides addresses");
	for (j = 0; j < self->n; j++) {
		const struct layout_sample *s = &self->s[j];

		ASSERT_TRUE(s->has_phys) TH_LOG("%s", s->source);
		EXPECT_EQ(strcmp(s->type, "ioremap") != 0,
			  in_ranges(s->phys, start, end, n))
			TH_LOG("%s at 0x%llx", s->source, s->phys);
	}
}

/*
 * kpageflags knows who owns each page: the slab samples' are slab pages,
 * the page allocator's and vmalloc's are in use and not slab.
 */
TEST_F(addresses, kpageflags_knows_the_owner)
{
	static const struct {
		const char *source;
		bool slab;
	} owners[] = {
		{ "kmalloc", true }, { "kzalloc", true },
		{ "devm_kmalloc", true }, { "kmem_cache_alloc", true },
		{ "__get_free_pages", false },
		{ "alloc_pages+page_address", false }, { "vmalloc", false },
	};
	unsigned int i, seen = 0;
	int j;

	for (j = 0; j < self->n; j++) {
		const struct layout_sample *s = &self->s[j];
		unsigned long long flags;

		for (i = 0; i < ARRAY_SIZE(owners); i++) {
			if (strcmp(s->source, owners[i].source))
				continue;
			seen++;
			ASSERT_EQ(0, memlab_kpageflags(s->pfn, &flags));
			EXPECT_EQ(owners[i].slab, MEMLAB_KPF(flags, KPF_SLAB))
				TH_LOG("%s: pfn 0x%lx", s->source, s->pfn);
			EXPECT_FALSE(MEMLAB_KPF(flags, KPF_BUDDY))
				TH_LOG("%s: pfn 0x%lx", s->source, s->pfn);
			EXPECT_FALSE(MEMLAB_KPF(flags, KPF_NOPAGE));
		}
	}
	EXPECT_EQ(ARRAY_SIZE(owners), seen);
}

TEST_HARNESS_MAIN
