// SPDX-License-Identifier: GPL-2.0
/*
 * memlab_slab: a kmem_cache of our own, the slabs behind the objects it
 * holds, and the kmalloc size classes, on a SLUB kernel.
 *
 * The cache "memlab_obj" has a constructor, which keeps SLUB from merging
 * it with another cache of the same geometry: it gets its own
 * /sys/kernel/slab/memlab_obj and its own /proc/slabinfo row, so what we do
 * to it can be checked there.
 *
 * The slab an object sits in is the folio behind its address.  struct slab
 * (mm/slab.h) is not visible to modules, and neither are its counters:
 * since 5.17 struct page no longer names them, they only overlay one of its
 * words.  So:
 *
 *  - a slab's order is folio_order() of that folio;
 *  - its object count is computed as SLUB computes it when it allocates the
 *    slab, (PAGE_SIZE << order) / size, which also covers slabs allocated
 *    at the cache's fallback order;
 *  - its "inuse" is the number of objects this module holds in it.  Nobody
 *    else allocates from memlab_obj, so these are all of its allocated
 *    objects.  It is not SLUB's slab->inuse, which counts the objects
 *    parked on a CPU's freelist as in use too.  "full" and "partial" below
 *    follow from it, and are kept up to date on every alloc and free, so
 *    full_slabs + partial_slabs == slabs_held always holds.
 *
 * The cache's own geometry is measured, not read: struct kmem_cache has
 * been private to mm/ since 6.8, and only its object size is exported
 * (kmem_cache_size()).  See slab_measure() for how the stride, the objects
 * per slab and the slab order are observed on the cache's own objects,
 * the same way on every kernel.
 *
 * The kmalloc view names the kmalloc cache an object came from by its
 * ksize(), which the kernel reads from the slab's own cache pointer: the
 * normal kmalloc caches all differ in size.  Where the kernel has
 * SLAB_BUCKETS, it also names the cache the same request takes from a
 * bucket set of our own, "memlab_bkt" (memlab_compat_slab.h): a set of
 * kmalloc-sized caches that shares no slab with kmalloc's.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/atomic.h>
#include <linux/init.h>
#include <linux/gcd.h>
#include <linux/io.h>
#include <linux/kernel.h>
#include <linux/kfence.h>
#include <linux/log2.h>
#include <linux/minmax.h>
#include <linux/mm.h>
#include <linux/module.h>
#include <linux/mutex.h>
#include <linux/sched.h>
#include <linux/sched/signal.h>
#include <linux/seq_file.h>
#include <linux/slab.h>
#include <linux/sort.h>
#include <linux/string.h>
#include <linux/xarray.h>

#include "memlab.h"
#include "memlab_recorder.h"
#include "memlab_compat.h"
#include "memlab_compat_slab.h"

#define SLAB_CACHE_NAME		"memlab_obj"
#define SLAB_BUCKETS_NAME	"memlab_bkt"
/* Bigger objects are what kmalloc hands to the page allocator. */
#define SLAB_OBJ_SIZE_MAX	KMALLOC_MAX_CACHE_SIZE
#define SLAB_ALIGN_MAX		PAGE_SIZE

static unsigned int slab_param_obj_size = 64;
module_param_named(obj_size, slab_param_obj_size, uint, 0444);
MODULE_PARM_DESC(obj_size, "memlab_obj object size in bytes, up to 8 KiB (default 64)");

static unsigned int slab_param_align;
module_param_named(align, slab_param_align, uint, 0444);
MODULE_PARM_DESC(align, "memlab_obj alignment: 0 or a power of two up to PAGE_SIZE (default 0)");

static bool slab_param_hwcache_align;
module_param_named(hwcache_align, slab_param_hwcache_align, bool, 0444);
MODULE_PARM_DESC(hwcache_align, "create memlab_obj with SLAB_HWCACHE_ALIGN (default no)");

/* A million 64-byte objects take about 80 MiB with their bookkeeping. */
static unsigned long slab_param_max_objects = 1UL << 20;
module_param_named(max_objects, slab_param_max_objects, ulong, 0444);
MODULE_PARM_DESC(max_objects, "most objects held at once (default 1048576)");

static unsigned long slab_param_max_mb = 256;
module_param_named(max_mb, slab_param_max_mb, ulong, 0444);
MODULE_PARM_DESC(max_mb, "most MiB of object footprint held at once (default 256)");

/*
 * What SLUB made of the cache, as /sys/kernel/slab/<cache>/ names it:
 * slab_size, align, objs_per_slab and order.
 */
struct slab_geometry {
	unsigned int size;	/* stride: the object and its metadata */
	unsigned int align;
	unsigned int objects;	/* per slab of the preferred order */
	unsigned int order;
};

/* The constructor has no context argument, so its count is global. */
static atomic_long_t slab_ctor_calls = ATOMIC_LONG_INIT(0);

struct slab_lab {
	/*
	 * Serializes commands against each other and against record
	 * lookups.  A command holds it for as long as it runs, up to a
	 * million allocations: the objects and the slab counts must change
	 * as one, or a failed alloc could not put everything back.  Both
	 * sides wait for it killably (the core's memlab_lock()), and the
	 * alloc loop stops on a fatal signal, so nobody waits for it
	 * unkillably.
	 */
	struct mutex lock;
	struct kmem_cache *cache;	/* NULL only if a recreate failed twice */
	struct slab_geometry geo;	/* of cache, measured when created */
	unsigned int obj_size;
	unsigned int align;
	bool hwcache_align;
	/* Held objects, by idx 0..nr_objects-1; "free N" takes the top ones. */
	struct xarray objects;
	unsigned long nr_objects;
	/* Slabs holding our objects: head pfn -> xa_mk_value(objects held). */
	struct xarray slabs;
	unsigned long nr_slabs;
	unsigned long nr_full_slabs;
	/* Our SLAB_BUCKETS set, or NULL where the kernel has none. */
	struct kmem_cache **buckets;
	/* slab/events and slab/timeline: what each alloc cost the kernel. */
	struct memlab_recorder recorder;
	struct memlab_dir *dir;
};

static struct slab_lab slab_lab = {
	.lock = __MUTEX_INITIALIZER(slab_lab.lock),
	.objects = XARRAY_INIT(slab_lab.objects, 0),
	.slabs = XARRAY_INIT(slab_lab.slabs, 0),
};

/* Where an object lives: the slab (folio) behind it. */
struct slab_place {
	void *base;		/* the slab's first byte */
	unsigned long pfn;	/* of the slab's head page */
	unsigned int order;
	unsigned int objects;	/* objects a slab of this order holds */
	bool kfence;		/* a KFENCE page: one object, no slab */
};

static void slab_place_folio(const struct slab_geometry *geo,
			     struct folio *folio, struct slab_place *place)
{
	place->base = folio_address(folio);
	place->pfn = folio_pfn(folio);
	place->order = folio_order(folio);
	/* KFENCE serves a sampled allocation from a page of its own. */
	place->kfence = is_kfence_address(place->base);
	if (place->kfence) {
		place->objects = 1;
		return;
	}
	/* SLUB's order_objects(), for the order this slab really has. */
	place->objects = (PAGE_SIZE << place->order) / geo->size;
}

static void slab_place_of(const struct slab_geometry *geo, const void *obj,
			  struct slab_place *place)
{
	slab_place_folio(geo, virt_to_folio(obj), place);
}

static void slab_obj_ctor(void *obj)
{
	atomic_long_inc(&slab_ctor_calls);
}

/*
 * SLUB's alignment for a cache created with @align and @hwcache, computed
 * as mm/slab_common.c's calculate_alignment() does: the one value of the
 * geometry that no object shows, since objects are often aligned better
 * than they asked for.
 */
static unsigned int slab_align_of(unsigned int size, unsigned int align,
				  bool hwcache)
{
	if (hwcache) {
		unsigned int ralign = cache_line_size();

		while (size <= ralign / 2)
			ralign /= 2;
		align = max(align, ralign);
	}
	align = max(align, arch_slab_minalign());
	return ALIGN(align, sizeof(void *));
}

/* Objects a stride apart from @first: the distance, as a count of bytes. */
static unsigned long slab_distance(const void *obj, const void *first)
{
	return obj > first ? obj - first : first - obj;
}

/*
 * Slabs whose objects slab_measure() looks at.  SLUB hands out every
 * object of a CPU's slab before it takes the next one, so by the time the
 * third slab shows up, at least one before it was handed out whole, even
 * if the task moved to another CPU once in between.
 */
#define SLAB_MEASURE_SLABS	3

/*
 * The stride, the objects per slab and the slab order of @s, a new cache
 * nobody else allocates from, observed on its own objects.  The objects of
 * a slab lie a whole number of strides apart, and in a slab handed out
 * whole some of them are neighbours: the stride is the gcd of the
 * distances between objects of one slab.  The order is that of the slabs'
 * folios, and the objects per slab what SLUB computes for that order.
 * KFENCE serves a sampled allocation from a pool of its own, which says
 * nothing about the cache: such objects are left out.  The objects are
 * freed again and the cache shrunk, so that it starts out empty.
 */
static int slab_measure(struct kmem_cache *s, struct slab_geometry *geo)
{
	unsigned int max = SLAB_MEASURE_SLABS *
		((PAGE_SIZE << PAGE_ALLOC_COSTLY_ORDER) /
		 max(kmem_cache_size(s), 16U) + 1);
	struct folio *slabs[SLAB_MEASURE_SLABS];
	void *first[SLAB_MEASURE_SLABS];
	unsigned int n, i, nr_slabs = 0, order = 0;
	unsigned long stride = 0;
	int ret = 0;
	void **objs;

	objs = kvmalloc_array(max, sizeof(*objs), GFP_KERNEL);
	if (!objs)
		return -ENOMEM;
	for (n = 0; n < max && nr_slabs < SLAB_MEASURE_SLABS; n++) {
		objs[n] = kmem_cache_alloc(s, GFP_KERNEL);
		if (!objs[n]) {
			ret = -ENOMEM;
			break;
		}
		if (is_kfence_address(objs[n]))
			continue;
		for (i = 0; i < nr_slabs; i++)
			if (slabs[i] == virt_to_folio(objs[n]))
				break;
		if (i == nr_slabs) {
			slabs[nr_slabs] = virt_to_folio(objs[n]);
			first[nr_slabs++] = objs[n];
		} else {
			stride = gcd(stride, slab_distance(objs[n], first[i]));
		}
	}
	/*
	 * Read while the slabs are ours: freed, their folios are not.  A
	 * slab SLUB could not get at its order, without reclaim, comes at
	 * the smallest order instead: the largest one seen is the cache's.
	 */
	for (i = 0; i < nr_slabs; i++)
		order = max(order, folio_order(slabs[i]));
	while (n--)
		if (objs[n])
			kmem_cache_free(s, objs[n]);
	kvfree(objs);
	kmem_cache_shrink(s);
	if (ret)
		return ret;
	/* Only a slab with two objects in it shows a stride. */
	if (!stride) {
		pr_err("cannot measure %s: no slab holds two objects\n",
		       SLAB_CACHE_NAME);
		return -EIO;
	}
	geo->size = stride;
	geo->order = order;
	geo->objects = (PAGE_SIZE << geo->order) / stride;
	return 0;
}

/*
 * Creates memlab_obj with this geometry and measures it.  On success the
 * lab uses it, and the constructor count starts from 0 again: the
 * measuring slabs are gone.
 */
static int slab_cache_make(struct slab_lab *lab, unsigned int size,
			   unsigned int align, bool hwcache)
{
	slab_flags_t flags = hwcache ? SLAB_HWCACHE_ALIGN : 0;
	struct slab_geometry geo;
	struct kmem_cache *cache;
	int ret;

	cache = kmem_cache_create(SLAB_CACHE_NAME, size, align, flags,
				  slab_obj_ctor);
	if (!cache)
		return -ENOMEM;
	ret = slab_measure(cache, &geo);
	if (ret) {
		kmem_cache_destroy(cache);
		return ret;
	}
	geo.align = slab_align_of(size, align, hwcache);
	atomic_long_set(&slab_ctor_calls, 0);
	lab->cache = cache;
	lab->geo = geo;
	lab->obj_size = size;
	lab->align = align;
	lab->hwcache_align = hwcache;
	return 0;
}

static bool slab_geometry_valid(unsigned long size, unsigned long align)
{
	if (size < 1 || size > SLAB_OBJ_SIZE_MAX)
		return false;
	return align == 0 || (is_power_of_2(align) && align <= SLAB_ALIGN_MAX);
}

/* Counts @obj against its slab.  Changes nothing on error. */
static int slab_account_add(struct slab_lab *lab, const void *obj)
{
	struct slab_place place;
	unsigned long held;
	void *entry;

	slab_place_of(&lab->geo, obj, &place);
	entry = xa_load(&lab->slabs, place.pfn);
	held = entry ? xa_to_value(entry) : 0;
	entry = xa_store(&lab->slabs, place.pfn, xa_mk_value(held + 1),
			 GFP_KERNEL);
	if (xa_is_err(entry))
		return xa_err(entry);
	if (!held)
		lab->nr_slabs++;
	if (held + 1 == place.objects)
		lab->nr_full_slabs++;
	return 0;
}

/* Must run before @obj is freed: afterwards its slab may be gone. */
static void slab_account_del(struct slab_lab *lab, const void *obj)
{
	struct slab_place place;
	unsigned long held;

	slab_place_of(&lab->geo, obj, &place);
	held = xa_to_value(xa_load(&lab->slabs, place.pfn));
	if (held == place.objects)
		lab->nr_full_slabs--;
	if (held == 1) {
		xa_erase(&lab->slabs, place.pfn);
		lab->nr_slabs--;
	} else {
		/* Overwrites a present entry, which allocates nothing. */
		xa_store(&lab->slabs, place.pfn, xa_mk_value(held - 1),
			 GFP_KERNEL);
	}
}

static void slab_free_newest(struct slab_lab *lab, unsigned long n)
{
	void *obj;

	lockdep_assert_held(&lab->lock);
	while (n--) {
		obj = xa_erase(&lab->objects, --lab->nr_objects);
		slab_account_del(lab, obj);
		kmem_cache_free(lab->cache, obj);
		cond_resched();
	}
}

/* Adds @n objects, or none: on error, frees what it got so far. */
static int slab_alloc_objects(struct slab_lab *lab, unsigned long n)
{
	unsigned long done = 0;
	void *obj;
	int ret = 0;

	lockdep_assert_held(&lab->lock);
	while (done < n) {
		memlab_timeline_alloc_enter(&lab->recorder.timeline, -1);
		obj = kmem_cache_alloc(lab->cache, GFP_KERNEL);
		memlab_timeline_object_exit(&lab->recorder.timeline, obj);
		if (!obj) {
			ret = -ENOMEM;
			break;
		}
		ret = xa_insert(&lab->objects, lab->nr_objects, obj, GFP_KERNEL);
		if (!ret) {
			ret = slab_account_add(lab, obj);
			if (ret)
				xa_erase(&lab->objects, lab->nr_objects);
		}
		if (ret) {
			kmem_cache_free(lab->cache, obj);
			break;
		}
		lab->nr_objects++;
		done++;
		/* A million allocations take a while; let the writer give up. */
		if (fatal_signal_pending(current)) {
			ret = -EINTR;
			break;
		}
		cond_resched();
	}
	if (ret)
		slab_free_newest(lab, done);
	return ret;
}

/* The footprint cap, on top of the count cap. */
static bool slab_within_caps(struct slab_lab *lab, unsigned long n)
{
	unsigned long total = lab->nr_objects + n;

	if (n > slab_param_max_objects || total > slab_param_max_objects)
		return false;
	return total <= (slab_param_max_mb << 20) / lab->geo.size;
}

/* alloc COUNT */
static int slab_cmd_alloc(struct seq_file *m, const struct memlab_args *args)
{
	struct slab_lab *lab = memlab_data(m);
	struct memlab_probe before;
	unsigned long n;
	int ret;

	if (memlab_parse_count(args->argv[0], ULONG_MAX, &n))
		return -EINVAL;
	if (!lab->cache)
		return -ENODEV;
	if (!slab_within_caps(lab, n))
		return -EINVAL;
	memlab_command_begin(&lab->recorder, memlab_preferred_zone(GFP_KERNEL),
			     &before);
	ret = slab_alloc_objects(lab, n);
	memlab_command_end(&lab->recorder, &before, ret, "alloc", -1, n, n);
	return ret;
}

/* free COUNT|all: the newest COUNT objects, or every one */
static int slab_cmd_free(struct seq_file *m, const struct memlab_args *args)
{
	struct slab_lab *lab = memlab_data(m);
	unsigned long n;
	bool all;

	if (memlab_parse_id_or_all(args->argv[0], &n, &all))
		return -EINVAL;
	if (all)
		n = lab->nr_objects;
	else if (!n || n > lab->nr_objects)
		return -EINVAL;
	slab_free_newest(lab, n);
	return 0;
}

static int slab_cmd_shrink(struct seq_file *m, const struct memlab_args *args)
{
	struct slab_lab *lab = memlab_data(m);

	if (!lab->cache)
		return -ENODEV;
	kmem_cache_shrink(lab->cache);
	return 0;
}

enum { SLAB_KEY_SIZE, SLAB_KEY_ALIGN, SLAB_KEY_HWCACHE };

/* recreate size=SIZE [align=ALIGN] [hwcache=0|1] */
static int slab_cmd_recreate(struct seq_file *m,
			     const struct memlab_args *args)
{
	struct slab_lab *lab = memlab_data(m);
	const char *align_arg = args->val[SLAB_KEY_ALIGN];
	const char *hwcache_arg = args->val[SLAB_KEY_HWCACHE];
	unsigned long size, align = lab->align, hwcache = lab->hwcache_align;
	long ctor_calls;
	int ret;

	if (memlab_parse_ulong(args->val[SLAB_KEY_SIZE], &size) ||
	    (align_arg && memlab_parse_ulong(align_arg, &align)) ||
	    (hwcache_arg && memlab_parse_ulong(hwcache_arg, &hwcache)) ||
	    hwcache > 1 || !slab_geometry_valid(size, align))
		return -EINVAL;
	if (lab->nr_objects)
		return -EBUSY;

	/* Two caches of one name would collide in sysfs: the old one goes first. */
	ctor_calls = atomic_long_read(&slab_ctor_calls);
	kmem_cache_destroy(lab->cache);
	lab->cache = NULL;
	ret = slab_cache_make(lab, size, align, hwcache);
	if (ret) {
		/*
		 * Put the old geometry back, so that the failure changes
		 * nothing.  Should that fail too (only under fault injection
		 * on an empty cache), the module stays without a cache and
		 * every command but recreate answers -ENODEV.
		 */
		slab_cache_make(lab, lab->obj_size, lab->align,
				lab->hwcache_align);
		atomic_long_set(&slab_ctor_calls, ctor_calls);
	}
	return ret;
}

static const struct memlab_verb slab_verbs[] = {
	{
		.name = "alloc", .usage = "COUNT",
		.min_args = 1, .max_args = 1,
		.run = slab_cmd_alloc,
	},
	{
		.name = "free", .usage = "COUNT|all",
		.min_args = 1, .max_args = 1,
		.run = slab_cmd_free,
	},
	{ .name = "shrink", .usage = "", .run = slab_cmd_shrink },
	{
		.name = "recreate", .usage = "",
		.keys = {
			[SLAB_KEY_SIZE] = "size=SIZE",
			[SLAB_KEY_ALIGN] = "align=ALIGN",
			[SLAB_KEY_HWCACHE] = "hwcache=0|1",
		},
		.run = slab_cmd_recreate,
	},
	{}
};

/*
 * object_size is kmem_cache_size(); align is computed as SLUB does; size,
 * objs_per_slab and slab_order were measured (slab_measure()).  The
 * free pointer's offset is nowhere to be seen from outside mm/: "-".
 */
static int slab_stats_show(struct seq_file *m, void *v)
{
	struct slab_lab *lab = memlab_data(m);
	const struct slab_geometry *geo = &lab->geo;
	unsigned int object_size;

	if (!lab->cache)
		return -ENODEV;
	object_size = kmem_cache_size(lab->cache);
	seq_printf(m, "name: %s\n", SLAB_CACHE_NAME);
	seq_printf(m, "object_size: %u\n", object_size);
	seq_printf(m, "size: %u\n", geo->size);
	seq_printf(m, "align: %u\n", geo->align);
	seq_printf(m, "hwcache_align: %d\n", lab->hwcache_align);
	seq_puts(m, "free_pointer_offset: -\n");
	seq_printf(m, "metadata_bytes_per_object: %u\n",
		   geo->size - object_size);
	seq_printf(m, "objs_per_slab: %u\n", geo->objects);
	seq_printf(m, "slab_order: %u\n", geo->order);
	seq_printf(m, "pages_per_slab: %lu\n", 1UL << geo->order);
	seq_printf(m, "bytes_wasted_per_slab: %lu\n",
		   (PAGE_SIZE << geo->order) -
		   (unsigned long)geo->objects * geo->size);
	seq_printf(m, "percpu_cache: %s\n", MEMLAB_SLAB_PERCPU_CACHE);
	seq_printf(m, "objects_held: %lu\n", lab->nr_objects);
	seq_printf(m, "slabs_held: %lu\n", lab->nr_slabs);
	seq_printf(m, "full_slabs: %lu\n", lab->nr_full_slabs);
	seq_printf(m, "partial_slabs: %lu\n",
		   lab->nr_slabs - lab->nr_full_slabs);
	seq_printf(m, "ctor_calls: %ld\n", atomic_long_read(&slab_ctor_calls));
	seq_printf(m, "max_objects: %lu\n", slab_param_max_objects);
	return 0;
}

/*
 * The objects and slabs views copy one record at a time under lab->lock
 * into their per-open cursor, so a command waits for at most one record.
 * An object's key is its index, the order it was allocated in.
 */
struct slab_object_rec {
	unsigned long idx;
	void *obj;
	void *slab;
};

static int slab_objects_fill(struct seq_file *m, void *cursor,
			     unsigned long *key)
{
	struct slab_lab *lab = memlab_data(m);
	struct slab_object_rec *rec = cursor;
	struct slab_place place;

	if (*key >= lab->nr_objects)
		return 0;
	rec->idx = *key;
	rec->obj = xa_load(&lab->objects, rec->idx);
	slab_place_of(&lab->geo, rec->obj, &place);
	rec->slab = place.base;
	return 1;
}

static void slab_objects_show(struct seq_file *m, const void *cursor)
{
	const struct slab_object_rec *rec = cursor;
	phys_addr_t phys;

	/*
	 * Raw addresses on purpose: the file needs CAP_SYS_ADMIN, and hashed
	 * pointers could not be matched against the slabs view or pfns.
	 */
	phys = virt_to_phys(rec->obj);
	seq_printf(m, "%lu 0x%lx %pa 0x%llx 0x%lx %lu\n", rec->idx,
		   (unsigned long)rec->obj, &phys,
		   (unsigned long long)PHYS_PFN(phys), (unsigned long)rec->slab,
		   (unsigned long)(rec->obj - rec->slab));
}

/* A slab's key is its first pfn, the index of lab->slabs. */
struct slab_slab_rec {
	unsigned long pfn;
	struct slab_place place;
	unsigned long inuse;
};

static int slab_slabs_fill(struct seq_file *m, void *cursor,
			   unsigned long *key)
{
	struct slab_lab *lab = memlab_data(m);
	struct slab_slab_rec *rec = cursor;
	void *entry;

	entry = xa_find(&lab->slabs, key, ULONG_MAX, XA_PRESENT);
	if (!entry)
		return 0;
	rec->pfn = *key;
	rec->inuse = xa_to_value(entry);
	slab_place_folio(&lab->geo, pfn_folio(rec->pfn), &rec->place);
	return 1;
}

static void slab_slabs_show(struct seq_file *m, const void *cursor)
{
	const struct slab_slab_rec *rec = cursor;

	const char *state = rec->inuse == rec->place.objects ? "full" : "partial";

	/*
	 * A raw address, as in the objects view.  A KFENCE object counts as
	 * a full slab of one, and says what it is.
	 */
	if (rec->place.kfence)
		state = "kfence";
	seq_printf(m, "0x%lx 0x%lx %u %u %lu %s\n",
		   (unsigned long)rec->place.base, rec->pfn,
		   rec->place.order, rec->place.objects, rec->inuse, state);
}

/*
 * kmalloc size classes.  Every row is measured while it is printed: one
 * kmalloc() of the requested size, then one kzalloc() of it, then one
 * allocation of it from our bucket set.
 */
struct slab_kmalloc_sample {
	size_t requested;
	size_t ksize;
	bool from_cache;	/* from a normal kmalloc slab cache */
	bool zeroed;
	size_t bucket_size;	/* of the bucket it came from, or 0 */
};

/*
 * Did @obj come from the one cache of its size in @caches, a set of
 * kmalloc-sized caches?  The cache a slab belongs to is private to mm/,
 * but ksize() reads it for us: it is that cache's object size, and the
 * caches of a set all have different sizes.
 */
static bool slab_from_set(struct kmem_cache *const *caches, unsigned int n,
			  const void *obj, size_t ksize)
{
	unsigned int i;

	if (!folio_test_slab(virt_to_folio(obj)))
		return false;
	for (i = 0; i < n; i++)
		if (caches[i] && kmem_cache_size(caches[i]) == ksize)
			return true;
	return false;
}

/*
 * The name of a set's cache of @size bytes, as mm/slab_common.c names them
 * ("kmalloc-96", "kmalloc-8k", and a bucket set's "memlab_bkt-96"): since
 * 6.8 struct kmem_cache, and so its name, is private to mm/.
 */
static void slab_kmalloc_name(struct seq_file *m, const char *set, size_t size)
{
	if (size >= SZ_1K && !(size % SZ_1K))
		seq_printf(m, "%s-%zuk", set, size / SZ_1K);
	else
		seq_printf(m, "%s-%zu", set, size);
}

/*
 * Measures what kmalloc(@size) really hands out, and whether kzalloc(@size)
 * zeroes: the kzalloc comes right after a dirtied object of the same size
 * was freed, which the CPU's freelist normally hands straight back.  With
 * init_on_alloc=1 (Debian's default) plain kmalloc() zeroes as well; the
 * column proves the kzalloc() contract, not the difference.
 */
static int slab_kmalloc_sample(const struct slab_lab *lab, size_t size,
			       struct slab_kmalloc_sample *out)
{
	size_t bucket_size;
	void *p;

	out->requested = size;
	p = kmalloc(size, GFP_KERNEL);
	if (!p)
		return -ENOMEM;
	out->ksize = ksize(p);
	out->from_cache = slab_from_set(kmalloc_caches[KMALLOC_NORMAL],
					ARRAY_SIZE(kmalloc_caches[KMALLOC_NORMAL]),
					p, out->ksize);
	memset(p, 0xa5, size);
	kfree(p);

	p = kzalloc(size, GFP_KERNEL);
	if (!p)
		return -ENOMEM;
	out->zeroed = !memchr_inv(p, 0, size);
	kfree(p);

	out->bucket_size = 0;
	if (!lab->buckets)
		return 0;
	p = memlab_buckets_alloc(lab->buckets, size, GFP_KERNEL);
	if (!p)
		return -ENOMEM;
	bucket_size = ksize(p);
	if (slab_from_set(lab->buckets, MEMLAB_NR_BUCKETS, p, bucket_size))
		out->bucket_size = bucket_size;
	kfree(p);
	return 0;
}

/* 1 byte, every power of two and its neighbours, the 96 and 192 classes. */
static const unsigned int slab_kmalloc_odd_sizes[] = {
	1, 3, 24, 40, 95, 96, 97, 100, 191, 192, 193, 250, 1000, 1500, 3000,
	5000,
};

#define SLAB_KMALLOC_ROWS_MAX \
	(ARRAY_SIZE(slab_kmalloc_odd_sizes) + 3 * (KMALLOC_SHIFT_HIGH + 1))

static unsigned int slab_kmalloc_sizes[SLAB_KMALLOC_ROWS_MAX];
static unsigned int slab_kmalloc_rows;

static int slab_cmp_uint(const void *a, const void *b)
{
	unsigned int x = *(const unsigned int *)a, y = *(const unsigned int *)b;

	return x < y ? -1 : x > y;
}

static void slab_kmalloc_add(unsigned int *n, unsigned long size)
{
	if (size >= 1 && size <= KMALLOC_MAX_CACHE_SIZE)
		slab_kmalloc_sizes[(*n)++] = size;
}

static void __init slab_kmalloc_sizes_init(void)
{
	unsigned int i, n = 0, rows = 0;

	for (i = 0; i < ARRAY_SIZE(slab_kmalloc_odd_sizes); i++)
		slab_kmalloc_add(&n, slab_kmalloc_odd_sizes[i]);
	for (i = 1; i <= KMALLOC_SHIFT_HIGH; i++) {
		slab_kmalloc_add(&n, (1UL << i) - 1);
		slab_kmalloc_add(&n, 1UL << i);
		slab_kmalloc_add(&n, (1UL << i) + 1);
	}
	sort(slab_kmalloc_sizes, n, sizeof(*slab_kmalloc_sizes),
	     slab_cmp_uint, NULL);
	for (i = 0; i < n; i++)
		if (!rows || slab_kmalloc_sizes[rows - 1] != slab_kmalloc_sizes[i])
			slab_kmalloc_sizes[rows++] = slab_kmalloc_sizes[i];
	slab_kmalloc_rows = rows;
}

/* Record i is slab_kmalloc_sizes[i], measured as it is shown. */
static int slab_kmalloc_fill(struct seq_file *m, void *cursor,
			     unsigned long *key)
{
	if (*key >= slab_kmalloc_rows)
		return 0;
	*(unsigned int *)cursor = slab_kmalloc_sizes[*key];
	return 1;
}

static void slab_kmalloc_show(struct seq_file *m, const void *cursor)
{
	unsigned int size = *(const unsigned int *)cursor;
	struct slab_kmalloc_sample sample;

	if (slab_kmalloc_sample(memlab_data(m), size, &sample)) {
		seq_printf(m, "%u - - - - -\n", size);
		return;
	}
	seq_printf(m, "%zu %zu %zu ", sample.requested, sample.ksize,
		   sample.ksize - sample.requested);
	if (sample.from_cache)
		slab_kmalloc_name(m, "kmalloc", sample.ksize);
	else
		seq_putc(m, '-');
	seq_printf(m, " %s ", sample.zeroed ? "yes" : "no");
	if (sample.bucket_size)
		slab_kmalloc_name(m, SLAB_BUCKETS_NAME, sample.bucket_size);
	else
		seq_putc(m, '-');
	seq_putc(m, '\n');
}

static struct mutex *slab_lock(struct seq_file *m)
{
	struct slab_lab *lab = memlab_data(m);

	return &lab->lock;
}

static const struct memlab_file slab_files[] = {
	{
		.name	= "control",
		.verbs	= slab_verbs,
		.lock	= slab_lock,
	},
	{
		.name	= "stats",
		.show	= slab_stats_show,
		.lock	= slab_lock,
	},
	{
		.name	= "objects",
		.flags	= MEMLAB_F_PRIVILEGED,
		.table	= {
			.header		= "# idx addr phys pfn slab offset",
			.cursor_size	= sizeof(struct slab_object_rec),
			.fill		= slab_objects_fill,
			.show		= slab_objects_show,
		},
		.lock	= slab_lock,
	},
	{
		.name	= "slabs",
		.flags	= MEMLAB_F_PRIVILEGED,
		.table	= {
			.header		= "# slab pfn order objects inuse state",
			.cursor_size	= sizeof(struct slab_slab_rec),
			.fill		= slab_slabs_fill,
			.show		= slab_slabs_show,
		},
		.lock	= slab_lock,
	},
	{
		.name	= "kmalloc",
		.table	= {
			.header		= "# requested ksize waste cache zeroed bucket",
			.cursor_size	= sizeof(unsigned int),
			.fill		= slab_kmalloc_fill,
			.show		= slab_kmalloc_show,
		},
	},
};

static int __init slab_init(void)
{
	struct slab_lab *lab = &slab_lab;
	int ret;

	/*
	 * Both caps are bounded by the machine, which also keeps the cap
	 * arithmetic in slab_within_caps() far from overflowing.
	 */
	if (!slab_geometry_valid(slab_param_obj_size, slab_param_align) ||
	    !slab_param_max_objects || !slab_param_max_mb ||
	    slab_param_max_objects > totalram_pages() * (PAGE_SIZE / 8) ||
	    slab_param_max_mb > totalram_pages() >> (20 - PAGE_SHIFT)) {
		pr_err("invalid obj_size, align, max_objects or max_mb\n");
		return -EINVAL;
	}
	slab_kmalloc_sizes_init();

	ret = slab_cache_make(lab, slab_param_obj_size, slab_param_align,
			      slab_param_hwcache_align);
	if (ret)
		return ret;
	/* A kernel without SLAB_BUCKETS gives NULL, and the view shows none. */
	lab->buckets = memlab_buckets_create(SLAB_BUCKETS_NAME);
	ret = memlab_recorder_init(&lab->recorder, &lab->lock);
	if (ret)
		goto err_cache;

	lab->dir = memlab_dir_create("slab", THIS_MODULE, lab);
	if (IS_ERR(lab->dir)) {
		ret = PTR_ERR(lab->dir);
		goto err_recorder;
	}
	ret = memlab_publish_all(lab->dir, slab_files, ARRAY_SIZE(slab_files));
	if (ret)
		goto err_dir;
	ret = memlab_recorder_publish(lab->dir, &lab->recorder);
	if (ret)
		goto err_dir;
	return 0;

err_dir:
	memlab_dir_remove(lab->dir);
err_recorder:
	memlab_recorder_destroy(&lab->recorder);
err_cache:
	memlab_buckets_destroy(lab->buckets);
	kmem_cache_destroy(lab->cache);
	return ret;
}

static void __exit slab_exit(void)
{
	struct slab_lab *lab = &slab_lab;

	/* No file is open (each open pins us) and none can be opened now. */
	memlab_dir_remove(lab->dir);
	mutex_lock(&lab->lock);
	slab_free_newest(lab, lab->nr_objects);
	mutex_unlock(&lab->lock);
	memlab_recorder_destroy(&lab->recorder);
	memlab_buckets_destroy(lab->buckets);
	kmem_cache_destroy(lab->cache);
	xa_destroy(&lab->objects);
	xa_destroy(&lab->slabs);
}

module_init(slab_init);
module_exit(slab_exit);

MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("memlab: a kmem_cache, its slabs and objects, and the kmalloc size classes");
MODULE_VERSION(MEMLAB_VERSION);
