/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The slab allocator's differences between kernel versions, as
 * memlab_slab meets them.
 */
#ifndef MEMLAB_COMPAT_SLAB_H
#define MEMLAB_COMPAT_SLAB_H

#include <linux/kernel.h>
#include <linux/slab.h>
#include <linux/version.h>

/*
 * 6.11 added SLAB_BUCKETS: kmem_buckets_create(NAME) gives its caller a
 * set of kmalloc-sized caches of its own, NAME-8 ... NAME-8k, which
 * kmem_buckets_alloc() picks from as kmalloc() picks from kmalloc-*.
 * memdup_user() and msg_msg allocate from sets of their own, so that what
 * user space sprays through them never shares a slab with other kmalloc
 * objects.  Without it (older kernels, or CONFIG_SLAB_BUCKETS=n) a set is
 * NULL, and memlab shows no bucket.
 */
/* A set has a cache for each kmalloc index, NULL where kmalloc has none. */
#define MEMLAB_NR_BUCKETS	(KMALLOC_SHIFT_HIGH + 1)

#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 11, 0) && IS_ENABLED(CONFIG_SLAB_BUCKETS)
/* A set is a kmem_buckets, an array of caches: we hold its first entry. */
static inline struct kmem_cache **memlab_buckets_create(const char *name)
{
	kmem_buckets *b = kmem_buckets_create(name, 0, 0, 0, NULL);

	return b ? *b : NULL;
}

static inline void *memlab_buckets_alloc(struct kmem_cache **set,
					 size_t size, gfp_t gfp)
{
	return kmem_buckets_alloc((kmem_buckets *)set, size, gfp);
}
#else
static inline struct kmem_cache **memlab_buckets_create(const char *name)
{
	return NULL;
}

static inline void *memlab_buckets_alloc(struct kmem_cache **set,
					 size_t size, gfp_t gfp)
{
	return NULL;
}
#endif

/*
 * There is no kmem_buckets_destroy(): the kernel's own sets live for
 * ever.  A module takes its set apart itself, each cache once (7.x lets
 * two size classes share one, where kmalloc's alignment makes them the
 * same), then the array, which is a slab object and so goes with kfree().
 */
static inline void memlab_buckets_destroy(struct kmem_cache **set)
{
	unsigned int i, j;

	if (!set)
		return;
	for (i = 0; i < MEMLAB_NR_BUCKETS; i++) {
		for (j = 0; j < i && set[j] != set[i]; j++)
			;
		if (j == i)
			kmem_cache_destroy(set[i]);
	}
	kfree(set);
}

/*
 * How SLUB keeps objects near each CPU.  Up to 6.x it hands them out of a
 * per-CPU slab, with per-CPU partial slabs behind it.  7.x replaced both
 * with sheaves, per-CPU arrays of objects refilled from per-node barns,
 * for every cache; SLAB_NO_SHEAVES, the flag that opts a cache out, came
 * with that change.  A cache that slub_debug checks has no sheaves even
 * then: /sys/kernel/slab/CACHE/sheaf_capacity says 0.
 */
#ifdef SLAB_NO_SHEAVES
#define MEMLAB_SLAB_PERCPU_CACHE	"sheaves"
#else
#define MEMLAB_SLAB_PERCPU_CACHE	"cpu_slabs"
#endif

#endif /* MEMLAB_COMPAT_SLAB_H */
