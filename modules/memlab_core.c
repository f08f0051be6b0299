// SPDX-License-Identifier: GPL-2.0
/*
 * memlab core: the two directory trees every memlab module publishes into,
 * /sys/kernel/debug/memlab/ and /proc/memlab/, and memlab/version.
 *
 * Both trees hold the same files and both go through the same open, read,
 * write and release code below, so a file behaves identically in either.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/capability.h>
#include <linux/ctype.h>
#include <linux/debugfs.h>
#include <linux/init.h>
#include <linux/kernel.h>
#include <linux/list.h>
#include <linux/mm.h>		/* kvmalloc() on 6.1 */
#include <linux/module.h>
#include <linux/mmzone.h>
#include <linux/mutex.h>
#include <linux/proc_fs.h>
#include <linux/security.h>
#include <linux/seq_file.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/uaccess.h>
#include <linux/utsname.h>

#include "memlab.h"
#include "memlab_compat.h"

struct memlab_dir {
	struct dentry *debugfs;		/* an ERR_PTR when debugfs is off */
	struct proc_dir_entry *proc;
	struct module *owner;
	void *data;
	const char *name;
	struct list_head nodes;		/* under memlab_dirs_lock */
	struct list_head list;		/* in memlab_dirs */
};

/* One published file; both of its inodes point here. */
struct memlab_node {
	struct list_head list;
	struct memlab_dir *dir;
	const struct memlab_file *file;
	void *data;		/* what memlab_data() gives its callbacks */
};

/*
 * State of one open file, in seq_file->private.  It copies what release
 * needs, so that an open file never looks at its node again: a debugfs file
 * can still be open after its node is gone.
 */
struct memlab_open {
	const struct memlab_file *file;
	struct module *owner;
	void *data;
	void *priv;
	/* A table's cursor, and the key of the record it describes. */
	void *cursor;
	unsigned long key;
	/*
	 * A show_at() file's record is kept in the seq_file's buffer for a
	 * read at @at_next, which continues the last one: where it stopped,
	 * in the same page.
	 */
	bool at_kept;
	u64 at_next;
};

static struct memlab_dir memlab_root;

/* See memlab.h; written once, by memlab_init(). */
char memlab_dec_pairs[100][2] __ro_after_init;
EXPORT_SYMBOL_GPL(memlab_dec_pairs);

static void __init memlab_init_pairs(void)
{
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(memlab_dec_pairs); i++) {
		memlab_dec_pairs[i][0] = '0' + i / 10;
		memlab_dec_pairs[i][1] = '0' + i % 10;
	}
}

/* Every module's directory, for memlab/commands; under memlab_dirs_lock. */
static LIST_HEAD(memlab_dirs);
static DEFINE_MUTEX(memlab_dirs_lock);

void *memlab_data(struct seq_file *m)
{
	struct memlab_open *h = m->private;

	return h->data;
}
EXPORT_SYMBOL_GPL(memlab_data);

void *memlab_private(struct seq_file *m)
{
	struct memlab_open *h = m->private;

	return h->priv;
}
EXPORT_SYMBOL_GPL(memlab_private);

void memlab_set_private(struct seq_file *m, void *priv)
{
	struct memlab_open *h = m->private;

	h->priv = priv;
}
EXPORT_SYMBOL_GPL(memlab_set_private);

/* The file's lock, if it has one, taken so that a signal can end the wait. */
static int memlab_lock(struct seq_file *m)
{
	struct memlab_open *h = m->private;

	if (!h->file->lock)
		return 0;
	return mutex_lock_killable(h->file->lock(m));
}

static void memlab_unlock(struct seq_file *m)
{
	struct memlab_open *h = m->private;

	if (h->file->lock)
		mutex_unlock(h->file->lock(m));
}

/*
 * The one table iterator.  Position 0 is the header; position p > 0 stands
 * for "the first record whose key is at least p - 1", so a read that stops
 * anywhere resumes at the right record however the table changed.
 */
static void *memlab_table_fill(struct seq_file *m, loff_t pos)
{
	struct memlab_open *h = m->private;
	unsigned long key = pos - 1;
	int ret;

	if (pos < 1)
		return NULL;
	ret = memlab_lock(m);
	if (ret)
		return ERR_PTR(ret);
	ret = h->file->table.fill(m, h->cursor, &key);
	memlab_unlock(m);
	if (ret < 0)
		return ERR_PTR(ret);
	if (!ret)
		return NULL;
	h->key = key;
	return h->cursor;
}

static void *memlab_table_start(struct seq_file *m, loff_t *pos)
{
	struct memlab_open *h = m->private;
	int ret;

	if (*pos)
		return memlab_table_fill(m, *pos);
	if (h->file->table.rewind) {
		ret = h->file->table.rewind(m);
		if (ret)
			return ERR_PTR(ret);
	}
	return SEQ_START_TOKEN;
}

static void *memlab_table_next(struct seq_file *m, void *v, loff_t *pos)
{
	struct memlab_open *h = m->private;

	*pos = v == SEQ_START_TOKEN ? 1 : (loff_t)h->key + 2;
	/* A table of a million records is read in one go by cat. */
	cond_resched();
	return memlab_table_fill(m, *pos);
}

static void memlab_table_stop(struct seq_file *m, void *v)
{
}

static int memlab_table_show(struct seq_file *m, void *v)
{
	struct memlab_open *h = m->private;
	const struct memlab_table *t = &h->file->table;

	if (v != SEQ_START_TOKEN) {
		t->show(m, v);
	} else if (t->show_header) {
		t->show_header(m);
	} else {
		seq_puts(m, t->header);
		seq_putc(m, '\n');
	}
	return 0;
}

static const struct seq_operations memlab_table_seq_ops = {
	.start	= memlab_table_start,
	.next	= memlab_table_next,
	.stop	= memlab_table_stop,
	.show	= memlab_table_show,
};

/*
 * A single record, under the file's lock like a table's.  single_open()
 * would do, but it allocates its seq_operations on every open, and a walk
 * is an open, a write, a read and a close: these are static.
 */
static void *memlab_single_start(struct seq_file *m, loff_t *pos)
{
	return *pos ? NULL : SEQ_START_TOKEN;
}

static void *memlab_single_next(struct seq_file *m, void *v, loff_t *pos)
{
	++*pos;
	return NULL;
}

static int memlab_single_show(struct seq_file *m, void *v)
{
	struct memlab_open *h = m->private;
	int ret;

	if (!h->file->show)
		return 0;
	ret = memlab_lock(m);
	if (ret)
		return ret;
	ret = h->file->show(m, v);
	memlab_unlock(m);
	return ret;
}

static const struct seq_operations memlab_single_seq_ops = {
	.start	= memlab_single_start,
	.next	= memlab_single_next,
	.stop	= memlab_table_stop,
	.show	= memlab_single_show,
};

/* Who may open @file, and how: the policy every memlab file shares. */
static int memlab_may_open(const struct memlab_file *file, struct file *filp)
{
	int ret;

	if (file->flags & MEMLAB_F_PRIVILEGED) {
		if (!capable(CAP_SYS_ADMIN))
			return -EPERM;
		/*
		 * These views read out kernel memory's layout and contents
		 * as /proc/kcore would, which confidentiality lockdown
		 * forbids even to root.
		 */
		ret = security_locked_down(LOCKDOWN_KCORE);
		if (ret)
			return ret;
	}
	/* The mode says so, but CAP_DAC_OVERRIDE ignores the mode. */
	if ((filp->f_mode & FMODE_WRITE) && !file->verbs)
		return -EACCES;
	return 0;
}

static struct memlab_open *memlab_open_alloc(const struct memlab_node *node)
{
	const struct memlab_file *file = node->file;
	struct memlab_open *h;

	h = kzalloc(sizeof(*h), GFP_KERNEL);
	if (!h)
		return NULL;
	h->file = file;
	h->owner = node->dir->owner;
	h->data = node->data;
	if (file->table.cursor_size) {
		h->cursor = kzalloc(file->table.cursor_size, GFP_KERNEL);
		if (!h->cursor) {
			kfree(h);
			return NULL;
		}
	}
	return h;
}

static void memlab_open_free(struct memlab_open *h)
{
	kfree(h->cursor);
	kfree(h);
}

static int memlab_open_node(struct inode *inode, struct file *filp,
			    const struct memlab_node *node)
{
	const struct memlab_file *file = node->file;
	struct memlab_open *h;
	struct seq_file *m;
	size_t size;
	int ret;

	ret = memlab_may_open(file, filp);
	if (ret)
		return ret;
	/*
	 * Pins the module that owns the callbacks for as long as we are open.
	 * A module still in its init may yet fail and be freed whatever its
	 * refcount, and a debugfs file can outlive its removal, so its files
	 * open only once it is live.
	 */
	if (node->dir->owner->state == MODULE_STATE_COMING)
		return -EAGAIN;
	if (!try_module_get(node->dir->owner))
		return -ENODEV;

	h = memlab_open_alloc(node);
	if (!h) {
		ret = -ENOMEM;
		goto err_put;
	}
	ret = seq_open(filp, file->table.fill ? &memlab_table_seq_ops :
						&memlab_single_seq_ops);
	if (ret)
		goto err_free;
	m = filp->private_data;
	m->private = h;
	/*
	 * As single_open_size() does: seq_read() allocates a buffer only
	 * when it has none, and seq_release() frees whichever it has.
	 * Without it, seq_read() starts with a page, doubled as needed.
	 */
	size = file->table.fill ? file->table.read_size : file->show_size;
	if (size) {
		m->buf = kvmalloc(size, GFP_KERNEL_ACCOUNT);
		if (m->buf)
			m->size = size;
	}

	if (file->open) {
		ret = file->open(m);
		if (ret)
			goto err_release;
	}
	return 0;

err_release:
	seq_release(inode, filp);
err_free:
	memlab_open_free(h);
err_put:
	module_put(node->dir->owner);
	return ret;
}

static int memlab_release(struct inode *inode, struct file *filp)
{
	struct seq_file *m = filp->private_data;
	struct memlab_open *h = m->private;

	if (h->file->release)
		h->file->release(m);
	seq_release(inode, filp);
	module_put(h->owner);
	memlab_open_free(h);
	return 0;
}

/* The next space-separated word of *@s, or NULL at the end of the line. */
static char *memlab_next_word(char **s)
{
	char *p = skip_spaces(*s);
	char *word;

	if (!*p) {
		*s = p;
		return NULL;
	}
	word = p;
	while (*p && !isspace(*p))
		p++;
	if (*p)
		*p++ = '\0';
	*s = p;
	return word;
}

static const struct memlab_verb *memlab_find_verb(const struct memlab_verb *verbs,
						  const char *word)
{
	const struct memlab_verb *v;

	if (!verbs->name)
		return verbs;
	for (v = verbs; v->run; v++)
		if (!strcmp(v->name, word))
			return v;
	return NULL;
}

/* The index of @word's key in @keys ("key=VALUE" each), or -1. */
static int memlab_find_key(const char *const *keys, const char *word,
			   size_t len)
{
	int i;

	for (i = 0; keys[i]; i++)
		if (!strncmp(keys[i], word, len) && keys[i][len] == '=')
			return i;
	return -1;
}

/*
 * Splits @line by the file's grammar: the verb, its positional words, then
 * key=value options, each key at most once.  Nothing reaches a verb that
 * its declaration does not allow.
 */
static int memlab_parse_command(const struct memlab_verb *verbs, char *line,
				const struct memlab_verb **verbp,
				struct memlab_args *args)
{
	const struct memlab_verb *verb;
	char *word = memlab_next_word(&line);
	int key;

	if (!word)
		return -EINVAL;
	verb = memlab_find_verb(verbs, word);
	if (!verb)
		return -EINVAL;
	if (verb->name)
		word = memlab_next_word(&line);

	memset(args, 0, sizeof(*args));
	for (; word && !strchr(word, '='); word = memlab_next_word(&line)) {
		if (args->argc == verb->max_args)
			return -EINVAL;
		args->argv[args->argc++] = word;
	}
	if (args->argc < verb->min_args)
		return -EINVAL;
	for (; word; word = memlab_next_word(&line)) {
		char *eq = strchr(word, '=');

		if (!eq)
			return -EINVAL;
		key = memlab_find_key(verb->keys, word, eq - word);
		if (key < 0 || args->val[key])
			return -EINVAL;
		args->val[key] = eq + 1;
	}
	*verbp = verb;
	return 0;
}

static int memlab_command(struct seq_file *m, char *line)
{
	struct memlab_open *h = m->private;
	const struct memlab_verb *verb;
	struct memlab_args args;
	int ret;

	ret = memlab_parse_command(h->file->verbs, line, &verb, &args);
	if (ret)
		return ret;
	if (verb->unlocked)
		return verb->run(m, &args);
	ret = memlab_lock(m);
	if (ret)
		return ret;
	ret = verb->run(m, &args);
	memlab_unlock(m);
	return ret;
}

/*
 * One write is one command.  Everything that is wrong with the line as a
 * line, rather than as a command, is refused here, once for every control
 * file: empty or over-long writes, NUL bytes, and a second line.
 *
 * The command runs under the seq_file's own mutex, which every read of
 * the same open file holds too: a command may change the file's per-open
 * state (pgwalk's target, say), and two threads sharing one descriptor
 * must not see it half changed, or freed under a read.
 */
static ssize_t memlab_write(struct file *filp, const char __user *ubuf,
			    size_t len, loff_t *ppos)
{
	struct seq_file *m = filp->private_data;
	/*
	 * On the stack, not memdup_user_nul()'s allocation: a walk is an
	 * open, a write, a read and a close, timed against a pagemap read.
	 * Only the bytes copied in are read, so it is not zeroed either
	 * (INIT_STACK_ALL_ZERO would, with "rep stos", slow under TCG).
	 */
	char line[MEMLAB_CMD_MAX] __uninitialized;
	int ret;

	if (len == 0 || len >= MEMLAB_CMD_MAX)
		return -EINVAL;
	if (copy_from_user(line, ubuf, len))
		return -EFAULT;
	line[len] = '\0';

	if (strlen(line) != len)
		return -EINVAL;
	if (line[len - 1] == '\n')
		line[len - 1] = '\0';
	if (strchr(line, '\n'))
		return -EINVAL;

	ret = mutex_lock_killable(&m->lock);
	if (ret)
		return ret;
	ret = memlab_command(m, line);
	mutex_unlock(&m->lock);
	return ret ? ret : len;
}

/*
 * Prints the record of the page at @addr into the seq_file's buffer, which
 * a record must fit in a page of.  Called under m->lock.
 */
static int memlab_print_at(struct seq_file *m, u64 addr)
{
	struct memlab_open *h = m->private;
	int ret;

	for (;;) {
		if (!m->buf) {
			m->buf = kvmalloc(PAGE_SIZE, GFP_KERNEL_ACCOUNT);
			if (!m->buf)
				return -ENOMEM;
			m->size = PAGE_SIZE;
		}
		m->count = 0;
		m->from = 0;
		ret = memlab_lock(m);
		if (ret)
			return ret;
		ret = h->file->show_at(m, addr);
		memlab_unlock(m);
		if (ret || !seq_has_overflowed(m))
			return ret;
		/* A record as long as a page would run into the next one. */
		if (m->size >= PAGE_SIZE)
			return -EOVERFLOW;
		kvfree(m->buf);
		m->buf = NULL;
	}
}

/*
 * read() of a show_at() file: the record of the page at the offset, from
 * the offset's place in it.  The offset moves on by what was read, so
 * that a read() that follows gets the rest and then 0.
 */
static ssize_t memlab_read_at(struct file *filp, char __user *ubuf,
			      size_t len, loff_t *ppos)
{
	struct seq_file *m = filp->private_data;
	struct memlab_open *h = m->private;
	u64 pos = *ppos, skip = pos & ~PAGE_MASK;
	ssize_t ret;
	size_t n;

	mutex_lock(&m->lock);
	if (!h->at_kept || pos != h->at_next) {
		h->at_kept = false;
		ret = memlab_print_at(m, pos & PAGE_MASK);
		if (ret)
			goto out;
		h->at_kept = true;
	}
	/* The kept record is this page's: @at_next never leaves it. */
	h->at_next = pos;
	ret = 0;
	if (skip >= m->count || !len)
		goto out;
	n = min_t(size_t, len, m->count - skip);
	if (copy_to_user(ubuf, m->buf + skip, n)) {
		h->at_kept = false;
		ret = -EFAULT;
		goto out;
	}
	h->at_next = pos + n;
	*ppos = pos + n;
	ret = n;
out:
	mutex_unlock(&m->lock);
	return ret;
}

static int memlab_debugfs_open(struct inode *inode, struct file *filp)
{
	return memlab_open_node(inode, filp, inode->i_private);
}

static int memlab_proc_open(struct inode *inode, struct file *filp)
{
	return memlab_open_node(inode, filp, pde_data(inode));
}

static const struct file_operations memlab_debugfs_fops = {
	.owner		= THIS_MODULE,
	.open		= memlab_debugfs_open,
	.read		= seq_read,
	.write		= memlab_write,
	.llseek		= seq_lseek,
	.release	= memlab_release,
};

static const struct proc_ops memlab_proc_ops = {
	.proc_open	= memlab_proc_open,
	.proc_read	= seq_read,
	.proc_write	= memlab_write,
	.proc_lseek	= seq_lseek,
	.proc_release	= memlab_release,
};

static const struct file_operations memlab_debugfs_at_fops = {
	.owner		= THIS_MODULE,
	.open		= memlab_debugfs_open,
	.read		= memlab_read_at,
	.write		= memlab_write,
	.llseek		= no_seek_end_llseek,
	.release	= memlab_release,
};

static const struct proc_ops memlab_proc_at_ops = {
	.proc_open	= memlab_proc_open,
	.proc_read	= memlab_read_at,
	.proc_write	= memlab_write,
	.proc_lseek	= no_seek_end_llseek,
	.proc_release	= memlab_release,
};

static umode_t memlab_file_mode(const struct memlab_file *file)
{
	umode_t mode = 0;

	if (file->table.fill || file->show || file->show_at)
		mode |= 0400;
	if (file->verbs)
		mode |= 0200;
	return mode;
}

/* One file in both trees of @dir, whose callbacks get @data. */
static int memlab_publish_node(struct memlab_dir *dir,
			       const struct memlab_file *file, void *data)
{
	umode_t mode = memlab_file_mode(file);
	struct memlab_node *node;

	if (!mode || !!file->table.fill + !!file->show + !!file->show_at > 1)
		return -EINVAL;

	node = kzalloc(sizeof(*node), GFP_KERNEL);
	if (!node)
		return -ENOMEM;
	node->dir = dir;
	node->file = file;
	node->data = data;

	if (!proc_create_data(file->name, mode, dir->proc,
			      file->show_at ? &memlab_proc_at_ops :
					      &memlab_proc_ops, node)) {
		kfree(node);
		return -ENOMEM;
	}
	/* Without debugfs (lockdown, debugfs=off) /proc alone carries it. */
	debugfs_create_file(file->name, mode, dir->debugfs, node,
			    file->show_at ? &memlab_debugfs_at_fops :
					    &memlab_debugfs_fops);

	mutex_lock(&memlab_dirs_lock);
	list_add_tail(&node->list, &dir->nodes);
	mutex_unlock(&memlab_dirs_lock);
	return 0;
}

/**
 * memlab_publish() - put one file into both trees of a module's directory
 * @dir: the directory, from memlab_dir_create()
 * @file: what the file does; must outlive @dir (it is normally static const)
 *
 * Its callbacks get the directory's data from memlab_data().
 *
 * Return: 0, or a negative errno with nothing published.
 */
int memlab_publish(struct memlab_dir *dir, const struct memlab_file *file)
{
	return memlab_publish_node(dir, file, dir->data);
}
EXPORT_SYMBOL_GPL(memlab_publish);

/**
 * memlab_publish_all_data() - publish an array of files, with data of their
 * own
 * @dir: the directory, from memlab_dir_create()
 * @files: the files, normally a static const array
 * @count: how many, normally ARRAY_SIZE(@files)
 * @data: what memlab_data() returns to the files' callbacks, in place of
 *	the directory's: a part of the module with views of its own, such as
 *	its recorder (memlab_recorder_publish())
 *
 * Return: 0, or a negative errno.  The files published before the one that
 * failed stay: memlab_dir_remove() takes them away with the rest.
 */
int memlab_publish_all_data(struct memlab_dir *dir,
			    const struct memlab_file *files, size_t count,
			    void *data)
{
	size_t i;
	int ret;

	for (i = 0; i < count; i++) {
		ret = memlab_publish_node(dir, &files[i], data);
		if (ret)
			return ret;
	}
	return 0;
}
EXPORT_SYMBOL_GPL(memlab_publish_all_data);

/**
 * memlab_publish_all() - publish an array of files
 * @dir: the directory, from memlab_dir_create()
 * @files: the files, normally a static const array
 * @count: how many, normally ARRAY_SIZE(@files)
 *
 * Return: as memlab_publish_all_data(), whose data is the directory's.
 */
int memlab_publish_all(struct memlab_dir *dir, const struct memlab_file *files,
		       size_t count)
{
	return memlab_publish_all_data(dir, files, count, dir->data);
}
EXPORT_SYMBOL_GPL(memlab_publish_all);

/**
 * memlab_dir_create() - create memlab/@name/ in both trees
 * @name: the directory name, normally the module's name without "memlab_"
 * @owner: THIS_MODULE; it stays pinned while one of the files is open
 * @data: the module's context, handed back by memlab_data()
 *
 * Return: the directory, or an ERR_PTR.
 */
struct memlab_dir *memlab_dir_create(const char *name, struct module *owner,
				     void *data)
{
	struct memlab_dir *dir;

	dir = kzalloc(sizeof(*dir), GFP_KERNEL);
	if (!dir)
		return ERR_PTR(-ENOMEM);
	INIT_LIST_HEAD(&dir->nodes);
	dir->owner = owner;
	dir->data = data;
	dir->name = name;

	dir->proc = proc_mkdir_mode(name, 0500, memlab_root.proc);
	if (!dir->proc) {
		kfree(dir);
		return ERR_PTR(-ENOMEM);
	}
	dir->debugfs = debugfs_create_dir(name, memlab_root.debugfs);
	mutex_lock(&memlab_dirs_lock);
	list_add_tail(&dir->list, &memlab_dirs);
	mutex_unlock(&memlab_dirs_lock);
	return dir;
}
EXPORT_SYMBOL_GPL(memlab_dir_create);

/*
 * Both removals wait for callers already inside an open, read or write of
 * these files, so the nodes can go right after.
 */
static void memlab_dir_clear(struct memlab_dir *dir)
{
	struct memlab_node *node, *tmp;

	debugfs_remove(dir->debugfs);
	proc_remove(dir->proc);
	mutex_lock(&memlab_dirs_lock);
	list_for_each_entry_safe(node, tmp, &dir->nodes, list) {
		list_del(&node->list);
		kfree(node);
	}
	mutex_unlock(&memlab_dirs_lock);
}

/**
 * memlab_dir_remove() - remove a directory and every file in it
 * @dir: the directory, or NULL or an ERR_PTR, which are ignored
 */
void memlab_dir_remove(struct memlab_dir *dir)
{
	if (IS_ERR_OR_NULL(dir))
		return;
	mutex_lock(&memlab_dirs_lock);
	list_del(&dir->list);
	mutex_unlock(&memlab_dirs_lock);
	memlab_dir_clear(dir);
	kfree(dir);
}
EXPORT_SYMBOL_GPL(memlab_dir_remove);

int memlab_parse_u64(const char *word, u64 *val)
{
	if (!word)
		return -EINVAL;
	/*
	 * kstrto*() would also take a sign, a trailing newline and, in base
	 * 16, a second "0x".
	 */
	if (word[0] == '0' && (word[1] == 'x' || word[1] == 'X')) {
		if (!isxdigit(word[2]) || strpbrk(word + 2, "xX"))
			return -EINVAL;
		return kstrtou64(word + 2, 16, val);
	}
	if (!isdigit(word[0]))
		return -EINVAL;
	return kstrtou64(word, 10, val);
}
EXPORT_SYMBOL_GPL(memlab_parse_u64);

/* A number no larger than @max, which its type can hold; -ERANGE if not. */
static int memlab_parse_bounded(const char *word, u64 max, u64 *val)
{
	int ret = memlab_parse_u64(word, val);

	if (!ret && *val > max)
		ret = -ERANGE;
	return ret;
}

int memlab_parse_ulong(const char *word, unsigned long *val)
{
	u64 v;
	int ret = memlab_parse_bounded(word, ULONG_MAX, &v);

	if (!ret)
		*val = v;
	return ret;
}
EXPORT_SYMBOL_GPL(memlab_parse_ulong);

int memlab_parse_uint(const char *word, unsigned int *val)
{
	u64 v;
	int ret = memlab_parse_bounded(word, UINT_MAX, &v);

	if (!ret)
		*val = v;
	return ret;
}
EXPORT_SYMBOL_GPL(memlab_parse_uint);

int memlab_parse_count(const char *word, unsigned long max,
		       unsigned long *count)
{
	unsigned long val;

	if (memlab_parse_ulong(word, &val) || !val || val > max)
		return -EINVAL;
	*count = val;
	return 0;
}
EXPORT_SYMBOL_GPL(memlab_parse_count);

int memlab_parse_id_or_all(const char *word, unsigned long *id, bool *all)
{
	*all = word && !strcmp(word, "all");
	if (*all)
		return 0;
	return memlab_parse_ulong(word, id) ? -EINVAL : 0;
}
EXPORT_SYMBOL_GPL(memlab_parse_id_or_all);

struct zone *memlab_zone_at(unsigned long *key, bool all_zones)
{
	unsigned long k;
	int nid;

	for_each_online_node(nid) {
		pg_data_t *pgdat = NODE_DATA(nid);
		unsigned long first = (unsigned long)nid * MAX_NR_ZONES;

		for (k = max(*key, first); k < first + MAX_NR_ZONES; k++) {
			struct zone *zone = &pgdat->node_zones[k - first];

			if (all_zones || populated_zone(zone)) {
				*key = k;
				return zone;
			}
		}
	}
	return NULL;
}
EXPORT_SYMBOL_GPL(memlab_zone_at);

/* Named as in /proc/pagetypeinfo, which has no exported table of them. */
static const char * const memlab_migratetype_names[MIGRATE_TYPES] = {
	[MIGRATE_UNMOVABLE]	= "Unmovable",
	[MIGRATE_MOVABLE]	= "Movable",
	[MIGRATE_RECLAIMABLE]	= "Reclaimable",
	[MIGRATE_HIGHATOMIC]	= "HighAtomic",
#ifdef CONFIG_CMA
	[MIGRATE_CMA]		= "CMA",
#endif
#ifdef CONFIG_MEMORY_ISOLATION
	[MIGRATE_ISOLATE]	= "Isolate",
#endif
};

const char *memlab_migratetype_name(unsigned int migratetype)
{
	return migratetype < MIGRATE_TYPES ? memlab_migratetype_names[migratetype] : "-";
}
EXPORT_SYMBOL_GPL(memlab_migratetype_name);

static int memlab_version_show(struct seq_file *m, void *v)
{
	seq_printf(m, "version: %s\n", MEMLAB_VERSION);
	seq_printf(m, "kernel: %s\n", utsname()->release);
	seq_printf(m, "arch: %s\n", utsname()->machine);
	seq_printf(m, "page_size: %lu\n", PAGE_SIZE);
	seq_printf(m, "paging_levels: %u\n", memlab_paging_levels());
	seq_printf(m, "va_bits: %u\n", memlab_va_bits());
	seq_printf(m, "max_order: %u\n", MEMLAB_MAX_ORDER);
	return 0;
}

/* Space-separated words of a declaration, as one field: joined by ','. */
static void memlab_show_words(struct seq_file *m, const char *words)
{
	const char *p;

	if (!words || !*words) {
		seq_puts(m, " -");
		return;
	}
	seq_putc(m, ' ');
	for (p = words; *p; p++)
		seq_putc(m, *p == ' ' ? ',' : *p);
}

static void memlab_show_verb(struct seq_file *m, const struct memlab_dir *dir,
			     const struct memlab_node *node,
			     const struct memlab_verb *verb)
{
	unsigned int i;

	seq_printf(m, "%s/%s %s %u %u", dir->name, node->file->name,
		   verb->name ?: "-", verb->min_args, verb->max_args);
	memlab_show_words(m, verb->usage);
	seq_puts(m, verb->keys[0] ? " " : " -");
	for (i = 0; verb->keys[i]; i++)
		seq_printf(m, "%s%s", i ? "," : "", verb->keys[i]);
	seq_putc(m, '\n');
}

/*
 * memlab/commands: the grammar of every control file of every loaded
 * module, as the core parses it, so that tools and the fuzzer never keep
 * a copy of their own.  It is a few dozen lines, printed in one go.
 */
static int memlab_commands_show(struct seq_file *m, void *v)
{
	const struct memlab_verb *verb;
	const struct memlab_node *node;
	const struct memlab_dir *dir;

	seq_puts(m, "# file verb min_args max_args args keys\n");
	mutex_lock(&memlab_dirs_lock);
	list_for_each_entry(dir, &memlab_dirs, list)
		list_for_each_entry(node, &dir->nodes, list)
			for (verb = node->file->verbs; verb && verb->run; verb++)
				memlab_show_verb(m, dir, node, verb);
	mutex_unlock(&memlab_dirs_lock);
	return 0;
}

static const struct memlab_file memlab_core_files[] = {
	{
		.name = "version",
		.show = memlab_version_show,
	},
	{
		.name = "commands",
		.show = memlab_commands_show,
	},
};

static int __init memlab_init(void)
{
	int ret;

	memlab_init_pairs();
	INIT_LIST_HEAD(&memlab_root.nodes);
	memlab_root.owner = THIS_MODULE;

	memlab_root.proc = proc_mkdir_mode("memlab", 0500, NULL);
	if (!memlab_root.proc)
		return -ENOMEM;
	memlab_root.debugfs = debugfs_create_dir("memlab", NULL);

	ret = memlab_publish_all(&memlab_root, memlab_core_files,
				 ARRAY_SIZE(memlab_core_files));
	if (ret)
		memlab_dir_clear(&memlab_root);
	return ret;
}

static void __exit memlab_exit(void)
{
	memlab_dir_clear(&memlab_root);
}

module_init(memlab_init);
module_exit(memlab_exit);

MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("memlab core: memory-management views in debugfs and procfs");
MODULE_VERSION(MEMLAB_VERSION);
