/* SPDX-License-Identifier: GPL-2.0 */
/*
 * memlab core API: how a memlab module publishes its files.
 *
 * Every memlab module owns one directory, memlab/<name>/, that exists twice:
 * under /sys/kernel/debug/memlab/ and under /proc/memlab/.  A module creates
 * it with memlab_dir_create(), adds files to it with memlab_publish() (one
 * call puts the file in both trees) and takes everything away again with one
 * memlab_dir_remove().
 *
 * A file is described by a static const struct memlab_file.  What it can do
 * follows from which callbacks are set:
 *
 *   seq_ops	a table that can grow: iterated record by record.
 *   show	a single record, printed in one go (single_open()).
 *   command	makes the file writable: each write() is one command line.
 *
 * The mode follows from the same: 0400 for a view, 0200 for a control file,
 * 0600 for a file that is both.  MEMLAB_F_PRIVILEGED adds the pagemap policy:
 * the open also needs CAP_SYS_ADMIN, for files that show physical or raw
 * kernel addresses.
 */
#ifndef MEMLAB_H
#define MEMLAB_H

#include <linux/module.h>
#include <linux/seq_file.h>
#include <linux/types.h>

#define MEMLAB_VERSION "0.1.0"

/* The longest command line a control file accepts, newline included. */
#define MEMLAB_CMD_MAX 256

/* Opening needs CAP_SYS_ADMIN too: the file shows PFNs or kernel pointers. */
#define MEMLAB_F_PRIVILEGED	BIT(0)

struct memlab_dir;

struct memlab_file {
	const char *name;
	unsigned int flags;
	const struct seq_operations *seq_ops;
	int (*show)(struct seq_file *m, void *v);
	/*
	 * Optional, called once the seq_file exists.  This is where a view
	 * snapshots expensive data; it stores it with memlab_set_private().
	 */
	int (*open)(struct seq_file *m);
	/* Optional: undoes open(). */
	void (*release)(struct seq_file *m);
	/*
	 * Makes the file writable.  @line is one command, NUL terminated,
	 * with its trailing newline removed; it never contains another
	 * newline or a NUL.  Returns 0 or a negative errno.  On error the
	 * command must have changed nothing.
	 */
	int (*command)(struct seq_file *m, char *line);
};

struct memlab_dir *memlab_dir_create(const char *name, struct module *owner,
				     void *data);
int memlab_publish(struct memlab_dir *dir, const struct memlab_file *file);
void memlab_dir_remove(struct memlab_dir *dir);

/* The @data given to memlab_dir_create(): the module's own context. */
void *memlab_data(struct seq_file *m);

/* Per-open state, for open()/release() and for writable views. */
void *memlab_private(struct seq_file *m);
void memlab_set_private(struct seq_file *m, void *priv);

/*
 * Command parsing helpers shared by every control file, so that every file
 * accepts numbers and words the same way.
 *
 * memlab_next_word() returns the next space-separated word of *@s and
 * advances *@s past it, or returns NULL at the end of the line.
 * memlab_parse_u64() takes decimal or 0x-prefixed hex, nothing else: no
 * sign, no octal, no trailing characters.
 */
char *memlab_next_word(char **s);
int memlab_parse_u64(const char *word, u64 *val);
int memlab_parse_ulong(const char *word, unsigned long *val);

#endif /* MEMLAB_H */
