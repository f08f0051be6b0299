// SPDX-License-Identifier: GPL-2.0
/*
 * layout/map: the regions are sorted and do not overlap, each sample of
 * layout/addresses lies in the region its type names, and the kernel's
 * own views agree: /proc/kallsyms puts _text, _etext and this module's
 * functions in kernel-image and modules, /proc/vmallocinfo puts every
 * area in vmalloc or modules (or, on a KASAN kernel, the shadow of a
 * module in kasan-shadow), and user space ends where "user" does.
 */
#include "memlab_harness.h"
#include "layout_lib.h"

/* The regions a sample of @type may lie in. */
static bool type_fits(const struct layout_region *map, int n,
		      const char *type, unsigned long virt)
{
	if (!strcmp(type, "percpu"))
		/* The first chunk is embedded in the direct map. */
		return layout_in(layout_region(map, n, "direct-map"), virt) ||
		       layout_in(layout_region(map, n, "vmalloc"), virt);
	if (!strcmp(type, "ioremap"))
		/* x86_64 ioremaps into the vmalloc area. */
		return layout_in(layout_region(map, n, "vmalloc"), virt);
	if (!strcmp(type, "module"))
		return layout_in(layout_region(map, n, "modules"), virt);
	return layout_in(layout_region(map, n, type), virt);
}

FIXTURE(map) {
	struct layout_region r[LAYOUT_MAX];
	int n;
};

FIXTURE_SETUP(map)
{
	if (geteuid() != 0)
		SKIP(return, "must be run as root");
	if (!layout_load())
		SKIP(return, "memlab_layout is not available");
	self->n = layout_read_map(self->r);
	ASSERT_GE(self->n, 7);
}

FIXTURE_TEARDOWN(map)
{
}

TEST_F(map, regions_are_sorted_and_disjoint)
{
	static const char * const needed[] = {
		"user", "direct-map", "vmalloc", "vmemmap", "kernel-image",
		"modules", "fixmap",
	};
	unsigned int k;
	int i;

	for (i = 0; i < self->n; i++) {
		EXPECT_LT(self->r[i].start, self->r[i].end) TH_LOG("%s", self->r[i].name);
		EXPECT_EQ(self->r[i].end - self->r[i].start, self->r[i].size);
		if (i)
			EXPECT_LE(self->r[i - 1].end, self->r[i].start)
				TH_LOG("%s overlaps %s", self->r[i - 1].name, self->r[i].name);
	}
	for (k = 0; k < ARRAY_SIZE(needed); k++) {
		const struct layout_region *r;

		r = layout_region(self->r, self->n, needed[k]);
		EXPECT_TRUE(!!r) TH_LOG("a %s region is missing", needed[k]);
	}
}

TEST_F(map, samples_lie_in_their_region)
{
	struct layout_sample s[LAYOUT_MAX];
	int j, n = layout_read_addresses(s);

	ASSERT_GT(n, 0);
	for (j = 0; j < n; j++)
		EXPECT_TRUE(type_fits(self->r, self->n, s[j].type, s[j].virt))
			TH_LOG("%s 0x%lx is no %s", s[j].source, s[j].virt, s[j].type);
}

TEST_F(map, kallsyms_agrees)
{
	const struct layout_region *image = layout_region(self->r, self->n,
							  "kernel-image");
	const struct layout_region *modules = layout_region(self->r, self->n,
							    "modules");
	unsigned long text = memlab_kallsyms("_text", NULL);
	unsigned long etext = memlab_kallsyms("_etext", NULL);
	unsigned long init = memlab_kallsyms("layout_init", "[memlab_layout]");
	unsigned long mod_text = memlab_kallsyms("layout_map_show", "[memlab_layout]");

	if (!text || !mod_text)
		SKIP(return, "/proc/kallsyms hides addresses");
	EXPECT_TRUE(layout_in(image, text));
	EXPECT_TRUE(layout_in(image, etext - 1));
	EXPECT_TRUE(layout_in(modules, mod_text));
	/* __init text is freed after load; if still listed it is a module's. */
	if (init)
		EXPECT_TRUE(layout_in(modules, init));
}

TEST_F(map, vmallocinfo_agrees)
{
	const struct layout_region *vmalloc = layout_region(self->r, self->n,
							    "vmalloc");
	const struct layout_region *modules = layout_region(self->r, self->n,
							    "modules");
	/* arm64 maps its kernel image through vmalloc areas of its own. */
	const struct layout_region *image = layout_region(self->r, self->n,
							  "kernel-image");
	/* Only in KASAN kernels, where module_alloc() vmallocs shadow there. */
	const struct layout_region *shadow = layout_region(self->r, self->n,
							   "kasan-shadow");
	char *restrict_was, *info, *line;
	unsigned long start, end;
	int areas = 0;

	/*
	 * vmallocinfo prints %pK when it is read: with kptr_restrict 0 a
	 * hash (or nothing before the RNG is ready), with 1 the address, to
	 * CAP_SYSLOG.
	 */
	restrict_was = memlab_read_file("/proc/sys/kernel/kptr_restrict");
	ASSERT_NE(NULL, restrict_was);
	ASSERT_EQ(0, memlab_write_cmd("/proc/sys/kernel/kptr_restrict", "1"));
	info = memlab_read_file("/proc/vmallocinfo");
	EXPECT_EQ(0, memlab_write_cmd("/proc/sys/kernel/kptr_restrict",
				      restrict_was));
	free(restrict_was);
	ASSERT_NE(NULL, info);

	for (line = info; line && *line; line = strchr(line, '\n'), line += !!line) {
		if (sscanf(line, "0x%lx-0x%lx", &start, &end) != 2)
			continue;
		areas++;
		EXPECT_TRUE((layout_in(vmalloc, start) && end <= vmalloc->end) ||
			    (layout_in(modules, start) && end <= modules->end) ||
			    (layout_in(image, start) && end <= image->end) ||
			    (layout_in(shadow, start) && end <= shadow->end))
			TH_LOG("%.80s", line);
	}
	free(info);
	EXPECT_GT(areas, 0);
}

/* The last user page can be mapped, the first page past "user" cannot. */
TEST_F(map, user_space_ends_at_task_size)
{
	const struct layout_region *user = layout_region(self->r, self->n, "user");
	long page = memlab_page_size();
	void *last, *past, *p;

	ASSERT_NE(NULL, user);
	EXPECT_EQ(0UL, user->start);
	last = (void *)(user->end - page);
	past = (void *)user->end;
	p = mmap(last, page, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS |
		 MAP_FIXED_NOREPLACE, -1, 0);
	EXPECT_EQ(last, p);
	if (p != MAP_FAILED)
		munmap(p, page);
	p = mmap(past, page, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS |
		 MAP_FIXED_NOREPLACE, -1, 0);
	EXPECT_EQ(MAP_FAILED, p);
	if (p != MAP_FAILED)
		munmap(p, page);
}

TEST_HARNESS_MAIN
