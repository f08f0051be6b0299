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
#include <linux/module.h>
#include <linux/proc_fs.h>
#include <linux/security.h>
#include <linux/seq_file.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/utsname.h>

#include "memlab.h"
#include "memlab_compat.h"

struct memlab_dir {
	struct dentry *debugfs;		/* an ERR_PTR when debugfs is off */
	struct proc_dir_entry *proc;
	struct module *owner;
	void *data;
	struct list_head nodes;
};

/* One published file; both of its inodes point here. */
struct memlab_node {
	struct list_head list;
	struct memlab_dir *dir;
	const struct memlab_file *file;
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
};

static struct memlab_dir memlab_root;

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

static int memlab_show_nothing(struct seq_file *m, void *v)
{
	return 0;
}

static void memlab_seq_release(struct inode *inode, struct file *filp,
			       const struct memlab_file *file)
{
	if (file->seq_ops)
		seq_release(inode, filp);
	else
		single_release(inode, filp);
}

static int memlab_open_node(struct inode *inode, struct file *filp,
			    const struct memlab_node *node)
{
	const struct memlab_file *file = node->file;
	struct memlab_open *h;
	struct seq_file *m;
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
	if ((filp->f_mode & FMODE_WRITE) && !file->command)
		return -EACCES;

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

	h = kzalloc(sizeof(*h), GFP_KERNEL);
	if (!h) {
		ret = -ENOMEM;
		goto err_put;
	}
	h->file = file;
	h->owner = node->dir->owner;
	h->data = node->dir->data;

	if (file->seq_ops)
		ret = seq_open(filp, file->seq_ops);
	else
		ret = single_open(filp, file->show ?: memlab_show_nothing, NULL);
	if (ret)
		goto err_free;
	m = filp->private_data;
	m->private = h;

	if (file->open) {
		ret = file->open(m);
		if (ret)
			goto err_release;
	}
	return 0;

err_release:
	memlab_seq_release(inode, filp, file);
err_free:
	kfree(h);
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
	memlab_seq_release(inode, filp, h->file);
	module_put(h->owner);
	kfree(h);
	return 0;
}

/*
 * One write is one command.  Everything that is wrong with the line as a
 * line, rather than as a command, is refused here, once for every control
 * file: empty or over-long writes, NUL bytes, and a second line.
 */
static ssize_t memlab_write(struct file *filp, const char __user *ubuf,
			    size_t len, loff_t *ppos)
{
	struct seq_file *m = filp->private_data;
	struct memlab_open *h = m->private;
	char *line;
	int ret;

	if (len == 0 || len >= MEMLAB_CMD_MAX)
		return -EINVAL;

	line = memdup_user_nul(ubuf, len);
	if (IS_ERR(line))
		return PTR_ERR(line);

	ret = -EINVAL;
	if (strlen(line) != len)
		goto out;
	if (line[len - 1] == '\n')
		line[len - 1] = '\0';
	if (strchr(line, '\n'))
		goto out;

	ret = h->file->command(m, line);
out:
	kfree(line);
	return ret ? ret : len;
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

static umode_t memlab_file_mode(const struct memlab_file *file)
{
	umode_t mode = 0;

	if (file->seq_ops || file->show)
		mode |= 0400;
	if (file->command)
		mode |= 0200;
	return mode;
}

/**
 * memlab_publish() - put one file into both trees of a module's directory
 * @dir: the directory, from memlab_dir_create()
 * @file: what the file does; must outlive @dir (it is normally static const)
 *
 * Return: 0, or a negative errno with nothing published.
 */
int memlab_publish(struct memlab_dir *dir, const struct memlab_file *file)
{
	umode_t mode = memlab_file_mode(file);
	struct memlab_node *node;

	if (!mode || (file->seq_ops && file->show))
		return -EINVAL;

	node = kzalloc(sizeof(*node), GFP_KERNEL);
	if (!node)
		return -ENOMEM;
	node->dir = dir;
	node->file = file;

	if (!proc_create_data(file->name, mode, dir->proc, &memlab_proc_ops,
			      node)) {
		kfree(node);
		return -ENOMEM;
	}
	/* Without debugfs (lockdown, debugfs=off) /proc alone carries it. */
	debugfs_create_file(file->name, mode, dir->debugfs, node,
			    &memlab_debugfs_fops);

	list_add_tail(&node->list, &dir->nodes);
	return 0;
}
EXPORT_SYMBOL_GPL(memlab_publish);

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

	dir->proc = proc_mkdir_mode(name, 0500, memlab_root.proc);
	if (!dir->proc) {
		kfree(dir);
		return ERR_PTR(-ENOMEM);
	}
	dir->debugfs = debugfs_create_dir(name, memlab_root.debugfs);
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
	list_for_each_entry_safe(node, tmp, &dir->nodes, list) {
		list_del(&node->list);
		kfree(node);
	}
}

/**
 * memlab_dir_remove() - remove a directory and every file in it
 * @dir: the directory, or NULL or an ERR_PTR, which are ignored
 */
void memlab_dir_remove(struct memlab_dir *dir)
{
	if (IS_ERR_OR_NULL(dir))
		return;
	memlab_dir_clear(dir);
	kfree(dir);
}
EXPORT_SYMBOL_GPL(memlab_dir_remove);

char *memlab_next_word(char **s)
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
EXPORT_SYMBOL_GPL(memlab_next_word);

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

int memlab_parse_ulong(const char *word, unsigned long *val)
{
	u64 v;
	int ret;

	ret = memlab_parse_u64(word, &v);
	if (ret)
		return ret;
	if (v > ULONG_MAX)
		return -ERANGE;
	*val = v;
	return 0;
}
EXPORT_SYMBOL_GPL(memlab_parse_ulong);

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

static const struct memlab_file memlab_version_file = {
	.name = "version",
	.show = memlab_version_show,
};

static int __init memlab_init(void)
{
	int ret;

	INIT_LIST_HEAD(&memlab_root.nodes);
	memlab_root.owner = THIS_MODULE;

	memlab_root.proc = proc_mkdir_mode("memlab", 0500, NULL);
	if (!memlab_root.proc)
		return -ENOMEM;
	memlab_root.debugfs = debugfs_create_dir("memlab", NULL);

	ret = memlab_publish(&memlab_root, &memlab_version_file);
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
