// SPDX-License-Identifier: GPL-2.0
/*
 * memlab_layout: the kinds of addresses the kernel hands out, this boot's
 * kernel memory map, the zones, and vmalloc against contiguous pages.
 *
 *   map		the kernel virtual memory map with this boot's KASLR bases
 *   addresses		one live sample of each way to get kernel memory, with
 *			what each address is and where it leads
 *   zones		every node's zones, as /proc/zoneinfo counts them
 *   control		"vmalloc PAGES" allocates an area, "vfree" frees it
 *   vmalloc		every page of that area: virtually contiguous, but
 *			physically?
 *   vmalloc_summary	the area against one alloc_pages() of the same size
 *   physmap, pageblocks physical memory by owner and by pageblock
 *			(layout_physmap.c)
 *
 * Physical addresses of anything outside the direct map come from
 * memlab_pgwalk's walk of the page tables.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/device.h>
#include <linux/gfp.h>
#include <linux/io.h>
#include <linux/ioport.h>
#include <linux/kernel.h>
#include <linux/mm.h>
#include <linux/mmzone.h>
#include <linux/module.h>
#include <linux/mutex.h>
#include <linux/nodemask.h>
#include <linux/percpu.h>
#include <linux/printk.h>
#include <linux/seq_file.h>
#include <linux/slab.h>
#include <linux/vmalloc.h>
#include <linux/vmstat.h>

#include "memlab.h"
#include "memlab_compat.h"
#include "memlab_pgwalk.h"
#include "layout_physmap.h"

#if defined(CONFIG_X86_64)
#include "layout_x86.h"
#elif defined(CONFIG_ARM64)
#include "layout_arm64.h"
#else
#error "memlab_layout: no layout_<arch>.h for this architecture yet"
#endif

static unsigned int max_vmalloc_pages = 4096;
module_param(max_vmalloc_pages, uint, 0444);
MODULE_PARM_DESC(max_vmalloc_pages,
		 "the largest area 'vmalloc PAGES' may allocate (default 4096 = 16 MiB with 4K pages)");

/* Where the ioremap sample maps: the HPET of PC-compatible machines. */
static unsigned long ioremap_phys = 0xfed00000;
module_param(ioremap_phys, ulong, 0444);
MODULE_PARM_DESC(ioremap_phys,
		 "MMIO page for the ioremap sample, used only if /proc/iomem has a device there");

/* The samples behind layout/addresses, alive from load to unload. */
struct layout_samples {
	struct device *dev;
	struct kmem_cache *cache;
	void *kmalloc;
	void *kzalloc;
	void *devm_kmalloc;
	void *vmalloc;
	unsigned long free_pages;
	struct page *pages;
	void *cache_obj;
	void __iomem *ioremap;
};

static struct layout_samples layout_samples;
static int layout_global_sample;
static DEFINE_PER_CPU(int, layout_percpu_sample);

/* The area of "vmalloc PAGES" and how alloc_pages() fared for its size. */
struct layout_area {
	void *virt;
	unsigned int pages;
	unsigned int order;
	bool order_tried;		/* false: beyond the buddy's largest */
	bool order_succeeded;
};

static DEFINE_MUTEX(layout_area_lock);
static struct layout_area layout_area;		/* under layout_area_lock */

static struct memlab_dir *layout_dir;

static int layout_map_show(struct seq_file *m, void *v)
{
	struct layout_region regions[LAYOUT_MAX_REGIONS];
	unsigned int i, n;

	n = layout_arch_regions(regions);
	seq_puts(m, "# region start end size\n");
	for (i = 0; i < n; i++)
		seq_printf(m, "%s 0x%lx 0x%lx %lu\n", regions[i].name,
			   regions[i].start, regions[i].end,
			   regions[i].end - regions[i].start);
	return 0;
}

/* The layout/map regions, for telling which one holds an address. */
struct layout_map {
	struct layout_region region[LAYOUT_MAX_REGIONS];
	unsigned int nr;
};

/* The address type of a sample, from the region it lies in. */
static const char *layout_type_of(const struct layout_map *map,
				  unsigned long addr)
{
	const struct layout_region *r;

	for (r = map->region; r < map->region + map->nr; r++) {
		if (addr < r->start || addr >= r->end)
			continue;
		return strcmp(r->name, "modules") ? r->name : "module";
	}
	return "-";
}

/*
 * One row of layout/addresses.  virt_to_phys() is only defined where
 * virt_addr_valid() holds (the direct map and the kernel image); anywhere
 * else the page tables are the only answer.
 */
static void layout_show_sample(struct seq_file *m, const struct layout_map *map,
			       const char *source, const void *ptr,
			       const char *type)
{
	unsigned long virt = (unsigned long)ptr;
	bool valid = virt_addr_valid(ptr);
	phys_addr_t phys;
	unsigned long pfn;
	int ret = 0;

	if (!ptr)
		return;
	if (valid)
		phys = virt_to_phys((void *)virt);
	else
		ret = pgwalk_kernel_phys(virt, &phys, NULL);

	seq_printf(m, "%s 0x%lx %s ", source, virt, type ?: layout_type_of(map, virt));
	if (ret) {
		seq_printf(m, "- - - %s\n", valid ? "yes" : "no");
		return;
	}
	pfn = PHYS_PFN(phys);
	seq_printf(m, "0x%llx 0x%lx %s %s\n", (u64)phys, pfn,
		   pfn_valid(pfn) ? page_zone(pfn_to_page(pfn))->name : "-",
		   valid ? "yes" : "no");
}

static int layout_addresses_show(struct seq_file *m, void *v)
{
	const struct layout_samples *s = &layout_samples;
	struct layout_map map_regions;
	struct layout_map *map = &map_regions;
	int on_stack = 0;

	map->nr = layout_arch_regions(map->region);
	seq_puts(m, "# source virt type phys pfn zone valid\n");
	layout_show_sample(m, map, "kmalloc", s->kmalloc, NULL);
	layout_show_sample(m, map, "kzalloc", s->kzalloc, NULL);
	layout_show_sample(m, map, "devm_kmalloc", s->devm_kmalloc, NULL);
	layout_show_sample(m, map, "vmalloc", s->vmalloc, NULL);
	layout_show_sample(m, map, "__get_free_pages", (void *)s->free_pages, NULL);
	layout_show_sample(m, map, "alloc_pages+page_address",
			   page_address(s->pages), NULL);
	layout_show_sample(m, map, "kmem_cache_alloc", s->cache_obj, NULL);
	/* The reader's kernel stack: vmalloc'ed with CONFIG_VMAP_STACK. */
	layout_show_sample(m, map, "stack", &on_stack, NULL);
	layout_show_sample(m, map, "module-global", &layout_global_sample, NULL);
	layout_show_sample(m, map, "module-function", layout_addresses_show, NULL);
	layout_show_sample(m, map, "kernel-function", vfree, NULL);
	/* The first chunk is embedded in the direct map, later ones not. */
	layout_show_sample(m, map, "percpu",
			   per_cpu_ptr(&layout_percpu_sample, 0), "percpu");
	layout_show_sample(m, map, "ioremap", (void __force *)s->ioremap, "ioremap");
	return 0;
}

/* layout/zones: every zone of every online node, as /proc/zoneinfo has them. */
static int layout_zones_fill(struct seq_file *m, void *cursor,
			     unsigned long *key)
{
	struct zone **zonep = cursor;

	*zonep = memlab_zone_at(key, true);
	return !!*zonep;
}

static void layout_zones_show(struct seq_file *m, const void *cursor)
{
	struct zone *zone = *(struct zone * const *)cursor;
	unsigned long start = zone->zone_start_pfn, end = zone_end_pfn(zone);

	seq_printf(m, "%d %s 0x%lx 0x%lx %lu %lu %lu %lu %lu %lu %lu 0x%llx 0x%llx\n",
		   zone_to_nid(zone), zone->name, start, end,
		   zone->spanned_pages, zone->present_pages,
		   zone_managed_pages(zone),
		   zone_page_state(zone, NR_FREE_PAGES),
		   min_wmark_pages(zone), low_wmark_pages(zone),
		   high_wmark_pages(zone), (u64)PFN_PHYS(start),
		   (u64)PFN_PHYS(end));
}

/*
 * layout/vmalloc works on a snapshot of the area taken at open, so that a
 * "vfree" while it is being read frees nothing under the reader.
 */
struct layout_vmalloc_snap {
	unsigned long virt;
	unsigned int pages;
	unsigned long *pfn;
	unsigned int *run;		/* pages in the run of page i */
};

static int layout_vmalloc_open(struct seq_file *m)
{
	struct layout_vmalloc_snap *snap;
	unsigned int i, j, first;
	int ret = 0;

	snap = kzalloc(sizeof(*snap), GFP_KERNEL);
	if (!snap)
		return -ENOMEM;
	mutex_lock(&layout_area_lock);
	if (!layout_area.virt)
		goto out;
	snap->pfn = kvmalloc_array(layout_area.pages, sizeof(*snap->pfn),
				   GFP_KERNEL);
	snap->run = kvmalloc_array(layout_area.pages, sizeof(*snap->run),
				   GFP_KERNEL);
	if (!snap->pfn || !snap->run) {
		ret = -ENOMEM;
		goto out;
	}
	snap->virt = (unsigned long)layout_area.virt;
	snap->pages = layout_area.pages;
	for (i = 0; i < snap->pages; i++)
		snap->pfn[i] = vmalloc_to_pfn(layout_area.virt + i * PAGE_SIZE);
out:
	mutex_unlock(&layout_area_lock);
	if (ret) {
		kvfree(snap->pfn);
		kvfree(snap->run);
		kfree(snap);
		return ret;
	}
	for (first = 0; first < snap->pages; first = i) {
		for (i = first + 1; i < snap->pages; i++)
			if (snap->pfn[i] != snap->pfn[i - 1] + 1)
				break;
		for (j = first; j < i; j++)
			snap->run[j] = i - first;
	}
	memlab_set_private(m, snap);
	return 0;
}

static void layout_vmalloc_release(struct seq_file *m)
{
	struct layout_vmalloc_snap *snap = memlab_private(m);

	kvfree(snap->pfn);
	kvfree(snap->run);
	kfree(snap);
}

/* Record i is page i of the snapshot. */
static int layout_vmalloc_fill(struct seq_file *m, void *cursor,
			       unsigned long *key)
{
	struct layout_vmalloc_snap *snap = memlab_private(m);

	*(unsigned int *)cursor = *key;
	return *key < snap->pages;
}

static void layout_vmalloc_show(struct seq_file *m, const void *cursor)
{
	struct layout_vmalloc_snap *snap = memlab_private(m);
	unsigned int i = *(const unsigned int *)cursor;

	seq_printf(m, "%u 0x%lx 0x%lx 0x%llx %u\n", i,
		   snap->virt + i * PAGE_SIZE, snap->pfn[i],
		   (u64)PFN_PHYS(snap->pfn[i]), snap->run[i]);
}

static int layout_summary_show(struct seq_file *m, void *v)
{
	unsigned long pfn, prev = 0;
	unsigned int i, runs = 0, run = 0, longest = 0;
	struct layout_area a;

	a = layout_area;
	for (i = 0; a.virt && i < a.pages; i++) {
		pfn = vmalloc_to_pfn(a.virt + i * PAGE_SIZE);
		if (!i || pfn != prev + 1) {
			runs++;
			run = 0;
		}
		longest = max(longest, ++run);
		prev = pfn;
	}

	seq_printf(m, "pages: %u\n", a.pages);
	seq_printf(m, "size: %lu\n", (unsigned long)a.pages * PAGE_SIZE);
	if (!a.virt) {
		seq_puts(m, "virt: -\nruns: -\nlongest_run: -\nalloc_pages_order: -\nalloc_pages: -\n");
		return 0;
	}
	seq_printf(m, "virt: 0x%lx\n", (unsigned long)a.virt);
	seq_printf(m, "runs: %u\n", runs);
	seq_printf(m, "longest_run: %u\n", longest);
	seq_printf(m, "alloc_pages_order: %u\n", a.order);
	seq_printf(m, "alloc_pages: %s\n", !a.order_tried ? "beyond-max-order" :
		   a.order_succeeded ? "succeeded" : "failed");
	return 0;
}

static int layout_vmalloc_alloc(unsigned int pages)
{
	struct layout_area a = { .pages = pages };
	struct page *page;

	if (layout_area.virt)
		return -EBUSY;
	a.virt = vmalloc(array_size(pages, PAGE_SIZE));
	if (!a.virt)
		return -ENOMEM;
	/*
	 * The same size in one physically contiguous block: this is what
	 * vmalloc() spares us.  Tried once and given back at once.
	 */
	a.order = get_order(array_size(pages, PAGE_SIZE));
	if (a.order <= MEMLAB_MAX_ORDER) {
		a.order_tried = true;
		page = alloc_pages(GFP_KERNEL | __GFP_NOWARN | __GFP_NORETRY,
				   a.order);
		a.order_succeeded = page;
		if (page)
			__free_pages(page, a.order);
	}
	layout_area = a;
	return 0;
}

static int layout_cmd_vmalloc(struct seq_file *m,
			      const struct memlab_args *args)
{
	unsigned long pages;

	if (memlab_parse_count(args->argv[0], max_vmalloc_pages, &pages))
		return -EINVAL;
	return layout_vmalloc_alloc(pages);
}

static int layout_cmd_vfree(struct seq_file *m, const struct memlab_args *args)
{
	if (!layout_area.virt)
		return -EINVAL;
	vfree(layout_area.virt);
	layout_area = (struct layout_area){};
	return 0;
}

static const struct memlab_verb layout_verbs[] = {
	{
		.name = "vmalloc", .usage = "PAGES",
		.min_args = 1, .max_args = 1,
		.run = layout_cmd_vmalloc,
	},
	{ .name = "vfree", .usage = "", .run = layout_cmd_vfree },
	{}
};

static struct mutex *layout_area_mutex(struct seq_file *m)
{
	return &layout_area_lock;
}

static const struct memlab_file layout_files[] = {
	{
		.name	= "map",
		.flags	= MEMLAB_F_PRIVILEGED,
		.show	= layout_map_show,
	},
	{
		.name	= "addresses",
		.flags	= MEMLAB_F_PRIVILEGED,
		.show	= layout_addresses_show,
	},
	{
		.name	= "zones",
		.flags	= MEMLAB_F_PRIVILEGED,
		.table	= {
			.header		=
				"# node zone start_pfn end_pfn spanned present managed free min low high phys_start phys_end",
			.cursor_size	= sizeof(struct zone *),
			.fill		= layout_zones_fill,
			.show		= layout_zones_show,
		},
	},
	{
		.name	= "control",
		.flags	= MEMLAB_F_PRIVILEGED,
		.verbs	= layout_verbs,
		.lock	= layout_area_mutex,
	},
	{
		.name	= "vmalloc",
		.flags	= MEMLAB_F_PRIVILEGED,
		.table	= {
			.header		= "# index virt pfn phys run",
			.cursor_size	= sizeof(unsigned int),
			.fill		= layout_vmalloc_fill,
			.show		= layout_vmalloc_show,
		},
		.open	 = layout_vmalloc_open,
		.release = layout_vmalloc_release,
	},
	{
		.name	= "vmalloc_summary",
		.flags	= MEMLAB_F_PRIVILEGED,
		.show	= layout_summary_show,
		.lock	= layout_area_mutex,
	},
};

/*
 * Maps the ioremap sample only over a device /proc/iomem knows and never
 * over RAM: an ioremap of RAM would alias the direct map.
 */
static void __iomem *layout_ioremap_sample(void)
{
	phys_addr_t phys = ioremap_phys & PAGE_MASK;

	if (region_intersects(phys, PAGE_SIZE, IORESOURCE_MEM,
			      IORES_DESC_NONE) != REGION_INTERSECTS ||
	    region_intersects(phys, PAGE_SIZE, IORESOURCE_SYSTEM_RAM,
			      IORES_DESC_NONE) != REGION_DISJOINT)
		return NULL;
	return ioremap(phys, PAGE_SIZE);
}

static void layout_free_samples(struct layout_samples *s)
{
	if (s->ioremap)
		iounmap(s->ioremap);
	if (s->cache_obj)
		kmem_cache_free(s->cache, s->cache_obj);
	kmem_cache_destroy(s->cache);
	if (s->pages)
		__free_page(s->pages);
	free_page(s->free_pages);
	vfree(s->vmalloc);
	kfree(s->kzalloc);
	kfree(s->kmalloc);
	/* Frees devm_kmalloc's buffer with the device. */
	if (!IS_ERR_OR_NULL(s->dev))
		root_device_unregister(s->dev);
	*s = (struct layout_samples){};
}

static int layout_alloc_samples(struct layout_samples *s)
{
	s->dev = root_device_register("memlab_layout");
	if (IS_ERR(s->dev))
		return PTR_ERR(s->dev);
	s->cache = kmem_cache_create("memlab_layout", 64, 0, 0, NULL);
	s->kmalloc = kmalloc(64, GFP_KERNEL);
	s->kzalloc = kzalloc(64, GFP_KERNEL);
	s->devm_kmalloc = devm_kmalloc(s->dev, 64, GFP_KERNEL);
	s->vmalloc = vmalloc(PAGE_SIZE);
	s->free_pages = __get_free_pages(GFP_KERNEL, 0);
	s->pages = alloc_pages(GFP_KERNEL, 0);
	s->cache_obj = s->cache ? kmem_cache_alloc(s->cache, GFP_KERNEL) : NULL;
	if (!s->cache || !s->kmalloc || !s->kzalloc || !s->devm_kmalloc ||
	    !s->vmalloc || !s->free_pages || !s->pages || !s->cache_obj) {
		layout_free_samples(s);
		return -ENOMEM;
	}
	/* Optional: a machine without that device simply has no row. */
	s->ioremap = layout_ioremap_sample();
	return 0;
}

static int __init layout_init(void)
{
	int ret;

	ret = layout_alloc_samples(&layout_samples);
	if (ret)
		return ret;
	layout_dir = memlab_dir_create("layout", THIS_MODULE, NULL);
	if (IS_ERR(layout_dir)) {
		ret = PTR_ERR(layout_dir);
		goto err_samples;
	}
	ret = memlab_publish_all(layout_dir, layout_files,
				 ARRAY_SIZE(layout_files));
	if (!ret)
		ret = memlab_publish_all(layout_dir, layout_physmap_files,
					 layout_physmap_nr_files);
	if (ret)
		goto err_dir;
	return 0;

err_dir:
	memlab_dir_remove(layout_dir);
err_samples:
	layout_free_samples(&layout_samples);
	return ret;
}

static void __exit layout_exit(void)
{
	memlab_dir_remove(layout_dir);
	vfree(layout_area.virt);
	layout_free_samples(&layout_samples);
}

module_init(layout_init);
module_exit(layout_exit);

MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("memlab: address kinds, the kernel memory map, zones, vmalloc and physical memory");
MODULE_VERSION(MEMLAB_VERSION);
