/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Giving memory back to reclaim, the same way on every kernel: a shrinker
 * that reclaim asks before it gives up (and wakes the OOM killer), and the
 * accounting that tells reclaim the pages it got from one.
 */
#ifndef MEMLAB_COMPAT_RECLAIM_H
#define MEMLAB_COMPAT_RECLAIM_H

#include <linux/sched.h>
#include <linux/shrinker.h>
#include <linux/slab.h>
#include <linux/swap.h>
#include <linux/version.h>

typedef unsigned long (*memlab_shrink_fn)(struct shrinker *s,
					  struct shrink_control *sc);

/*
 * 6.7 made the core allocate shrinkers: shrinker_alloc() and
 * shrinker_register(), with a private_data pointer, and shrinker_free().
 * Before, the owner embedded struct shrinker and called register_shrinker()
 * (which takes a name from 6.0) and unregister_shrinker().
 */
#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 7, 0)

static inline struct shrinker *memlab_shrinker_create(const char *name,
						      memlab_shrink_fn count,
						      memlab_shrink_fn scan,
						      void *data)
{
	struct shrinker *s = shrinker_alloc(0, "%s", name);

	if (!s)
		return NULL;
	s->count_objects = count;
	s->scan_objects = scan;
	s->private_data = data;
	shrinker_register(s);
	return s;
}

static inline void *memlab_shrinker_data(struct shrinker *s)
{
	return s->private_data;
}

static inline void memlab_shrinker_destroy(struct shrinker *s)
{
	shrinker_free(s);
}

#else

struct memlab_shrinker {
	struct shrinker shrinker;
	void *data;
};

static inline struct shrinker *memlab_shrinker_create(const char *name,
						      memlab_shrink_fn count,
						      memlab_shrink_fn scan,
						      void *data)
{
	struct memlab_shrinker *ms = kzalloc(sizeof(*ms), GFP_KERNEL);

	if (!ms)
		return NULL;
	ms->shrinker.count_objects = count;
	ms->shrinker.scan_objects = scan;
	ms->shrinker.seeks = DEFAULT_SEEKS;
	ms->data = data;
	if (register_shrinker(&ms->shrinker, "%s", name)) {
		kfree(ms);
		return NULL;
	}
	return &ms->shrinker;
}

static inline void *memlab_shrinker_data(struct shrinker *s)
{
	return container_of(s, struct memlab_shrinker, shrinker)->data;
}

static inline void memlab_shrinker_destroy(struct shrinker *s)
{
	unregister_shrinker(s);
	kfree(container_of(s, struct memlab_shrinker, shrinker));
}

#endif

/*
 * Pages a shrinker freed, counted as reclaim's progress, as slab's are:
 * else reclaim that found nothing on the LRU lists thinks it failed even
 * though the pages are free.  6.4 renamed reclaim_state's reclaimed_slab
 * to reclaimed, behind mm_account_reclaimed_pages().
 */
#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 4, 0)
#define memlab_account_reclaimed(pages)	mm_account_reclaimed_pages(pages)
#else
static inline void memlab_account_reclaimed(unsigned long pages)
{
	if (current->reclaim_state)
		current->reclaim_state->reclaimed_slab += pages;
}
#endif

#endif
