// SPDX-License-Identifier: GPL-2.0
/*
 * memlab_ring: a FIFO byte stream through a circular singly linked list of
 * device-managed buffers, behind the misc device /dev/memlab_ring.
 *
 * The module registers a platform device and the driver for it.  Probe
 * allocates @blocks nodes, each with a @block_size byte buffer, with
 * devm_kzalloc() and devm_kmalloc(), links them into a ring, and registers
 * the misc device and the memlab/ring/ views.  Unbinding the driver, or
 * unloading the module, gives all of it back through devres.
 *
 * write() appends as much as fits and returns that count; read() consumes
 * from the oldest byte.  Each returns as soon as it has moved a byte: only
 * an empty ring blocks a reader and only a full one blocks a writer (or
 * both fail with -EAGAIN under O_NONBLOCK).  Unread data is never
 * overwritten.
 *
 * Locking: ring_dev->lock guards the positions, the fill counts and the
 * buffers, and data moves between the buffers and user space with it held,
 * but with page faults disabled.  A copy that would fault stops short
 * instead of sleeping in the fault handler: what was copied is committed,
 * the lock is dropped, the user page is faulted in and the copy is retried,
 * as the generic file write path does.  The alternatives were worse here: a
 * bounce buffer costs an allocation and a second copy per call, and on read
 * it either consumes the bytes before copy_to_user() can fail, losing them,
 * or needs the readers serialized across the copy anyway; copying outside
 * the lock would leave a buffer in use while unbind frees it.  This way no
 * byte is lost or duplicated when a user buffer is bad, and unbind never
 * waits for user space.
 *
 * Lifetime: an open file can outlive the device, since unbinding does not
 * wait for files to be closed.  So struct ring_dev itself is refcounted and
 * not device-managed; unbind marks it unbound (reads, writes and FIONREAD
 * then fail with -ENODEV, poll reports EPOLLERR | EPOLLHUP) before devres
 * frees the nodes, and the last close frees it.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/device.h>
#include <linux/fs.h>
#include <linux/init.h>
#include <linux/io.h>
#include <linux/kernel.h>
#include <linux/kref.h>
#include <linux/miscdevice.h>
#include <linux/module.h>
#include <linux/moduleparam.h>
#include <linux/mutex.h>
#include <linux/pagemap.h>
#include <linux/platform_device.h>
#include <linux/poll.h>
#include <linux/sched.h>
#include <linux/sched/signal.h>
#include <linux/seq_file.h>
#include <linux/slab.h>
#include <linux/uaccess.h>
#include <linux/wait.h>
#include <asm/ioctls.h>

#include "memlab.h"

#define RING_NAME		"memlab_ring"
/*
 * At most 16 MiB of data.  devm_kmalloc() puts its header in front of each
 * buffer, so a 16 KiB buffer already takes a 32 KiB allocation.
 */
#define RING_MAX_BLOCKS		1024
#define RING_MAX_BLOCK_SIZE	16384

/*
 * Both sizes are checked as they are parsed, with the number rules of
 * every memlab control file (no sign, no octal), so that any bad value
 * fails the load with -EINVAL.
 * They are read-only afterwards: a rebind builds the same ring.
 */
static int ring_param_set_bounded(const char *val,
				  const struct kernel_param *kp,
				  unsigned int max)
{
	unsigned int n;

	if (memlab_parse_uint(val, &n) || !n || n > max) {
		pr_err("%s=%s is not in 1..%u\n", kp->name, val, max);
		return -EINVAL;
	}
	*(unsigned int *)kp->arg = n;
	return 0;
}

static int ring_blocks_set(const char *val, const struct kernel_param *kp)
{
	return ring_param_set_bounded(val, kp, RING_MAX_BLOCKS);
}

static int ring_block_size_set(const char *val, const struct kernel_param *kp)
{
	return ring_param_set_bounded(val, kp, RING_MAX_BLOCK_SIZE);
}

static const struct kernel_param_ops ring_blocks_ops = {
	.set	= ring_blocks_set,
	.get	= param_get_uint,
};

static const struct kernel_param_ops ring_block_size_ops = {
	.set	= ring_block_size_set,
	.get	= param_get_uint,
};

static unsigned int ring_blocks = 8;
module_param_cb(blocks, &ring_blocks_ops, &ring_blocks, 0444);
MODULE_PARM_DESC(blocks, "nodes in the ring, 1.." __stringify(RING_MAX_BLOCKS) " (default 8)");

static unsigned int ring_block_size = 512;
module_param_cb(block_size, &ring_block_size_ops, &ring_block_size, 0444);
MODULE_PARM_DESC(block_size,
		 "bytes per node, 1.." __stringify(RING_MAX_BLOCK_SIZE) " (default 512)");

struct ring_node {
	struct ring_node *next;
	char *buf;
	unsigned int index;
	unsigned int filled;	/* unread bytes in buf */
};

struct ring_dev {
	struct kref kref;	/* the device's reference and one per open file */
	/* Guards the fields up to unbound, the fill counts and the buffers. */
	struct mutex lock;
	wait_queue_head_t readq;	/* readers waiting for data */
	wait_queue_head_t writeq;	/* writers waiting for room */
	struct ring_node *head;
	struct ring_node *read_node;
	struct ring_node *write_node;
	unsigned int read_offset;
	unsigned int write_offset;
	/* Written under the lock; poll and the wait conditions peek without. */
	unsigned int used;
	bool unbound;
	/* Fixed at probe. */
	unsigned int blocks;
	unsigned int block_size;
	unsigned int capacity;
	struct miscdevice misc;
};

static void ring_free(struct kref *kref)
{
	struct ring_dev *ring = container_of(kref, struct ring_dev, kref);

	mutex_destroy(&ring->lock);
	kfree(ring);
}

static bool ring_readable(struct ring_dev *ring)
{
	return READ_ONCE(ring->used) || READ_ONCE(ring->unbound);
}

static bool ring_writable(struct ring_dev *ring)
{
	return READ_ONCE(ring->used) < ring->capacity ||
	       READ_ONCE(ring->unbound);
}

/* Marks @n bytes at the write position as data.  Under ring->lock. */
static void ring_produce(struct ring_dev *ring, unsigned int n)
{
	ring->write_node->filled += n;
	ring->write_offset += n;
	if (ring->write_offset == ring->block_size) {
		ring->write_node = ring->write_node->next;
		ring->write_offset = 0;
	}
	WRITE_ONCE(ring->used, ring->used + n);
}

/* Gives @n bytes at the read position back as room.  Under ring->lock. */
static void ring_consume(struct ring_dev *ring, unsigned int n)
{
	ring->read_node->filled -= n;
	ring->read_offset += n;
	if (ring->read_offset == ring->block_size) {
		ring->read_node = ring->read_node->next;
		ring->read_offset = 0;
	}
	WRITE_ONCE(ring->used, ring->used - n);
}

/*
 * Moves up to @count bytes that are in the ring now to @ubuf.  Returns how
 * many, or -errno.  When it returns 0, *@fault_len is 0 if the ring was
 * empty, else the length of the copy that faulted on its first byte.
 */
static ssize_t ring_read_some(struct ring_dev *ring, char __user *ubuf,
			      size_t count, size_t *fault_len)
{
	size_t done = 0;
	ssize_t ret;

	*fault_len = 0;
	if (mutex_lock_interruptible(&ring->lock))
		return -ERESTARTSYS;
	if (ring->unbound) {
		ret = -ENODEV;
		goto out_unlock;
	}
	while (done < count && ring->used) {
		const char *src = ring->read_node->buf + ring->read_offset;
		size_t chunk, left;

		chunk = min_t(size_t, count - done, ring->used);
		chunk = min_t(size_t, chunk,
			      ring->block_size - ring->read_offset);
		/* The lock is held: a fault must not be served here. */
		pagefault_disable();
		left = __copy_to_user_inatomic(ubuf + done, src, chunk);
		pagefault_enable();
		ring_consume(ring, chunk - left);
		done += chunk - left;
		if (left) {
			if (!done)
				*fault_len = chunk;
			break;
		}
		cond_resched();
	}
	ret = done;
out_unlock:
	mutex_unlock(&ring->lock);
	if (done)
		wake_up_interruptible_poll(&ring->writeq, EPOLLOUT | EPOLLWRNORM);
	return ret;
}

/* The mirror image of ring_read_some(). */
static ssize_t ring_write_some(struct ring_dev *ring, const char __user *ubuf,
			       size_t count, size_t *fault_len)
{
	size_t done = 0;
	ssize_t ret;

	*fault_len = 0;
	if (mutex_lock_interruptible(&ring->lock))
		return -ERESTARTSYS;
	if (ring->unbound) {
		ret = -ENODEV;
		goto out_unlock;
	}
	while (done < count && ring->used < ring->capacity) {
		char *dst = ring->write_node->buf + ring->write_offset;
		size_t chunk, left;

		chunk = min_t(size_t, count - done,
			      ring->capacity - ring->used);
		chunk = min_t(size_t, chunk,
			      ring->block_size - ring->write_offset);
		pagefault_disable();
		left = __copy_from_user_inatomic(dst, ubuf + done, chunk);
		pagefault_enable();
		ring_produce(ring, chunk - left);
		done += chunk - left;
		if (left) {
			if (!done)
				*fault_len = chunk;
			break;
		}
		cond_resched();
	}
	ret = done;
out_unlock:
	mutex_unlock(&ring->lock);
	if (done)
		wake_up_interruptible_poll(&ring->readq, EPOLLIN | EPOLLRDNORM);
	return ret;
}

static ssize_t ring_read(struct file *filp, char __user *ubuf, size_t count,
			 loff_t *ppos)
{
	struct ring_dev *ring = filp->private_data;
	size_t fault_len;
	ssize_t ret;

	if (!count)
		return 0;
	if (!access_ok(ubuf, count))
		return -EFAULT;
	for (;;) {
		ret = ring_read_some(ring, ubuf, count, &fault_len);
		if (ret)
			return ret;
		if (fault_len) {
			if (fault_in_writeable(ubuf, fault_len) == fault_len)
				return -EFAULT;
			if (signal_pending(current))
				return -ERESTARTSYS;
			continue;
		}
		if (filp->f_flags & O_NONBLOCK)
			return -EAGAIN;
		if (wait_event_interruptible(ring->readq, ring_readable(ring)))
			return -ERESTARTSYS;
	}
}

static ssize_t ring_write(struct file *filp, const char __user *ubuf,
			  size_t count, loff_t *ppos)
{
	struct ring_dev *ring = filp->private_data;
	size_t fault_len;
	ssize_t ret;

	if (!count)
		return 0;
	if (!access_ok(ubuf, count))
		return -EFAULT;
	for (;;) {
		ret = ring_write_some(ring, ubuf, count, &fault_len);
		if (ret)
			return ret;
		if (fault_len) {
			if (fault_in_readable(ubuf, fault_len) == fault_len)
				return -EFAULT;
			if (signal_pending(current))
				return -ERESTARTSYS;
			continue;
		}
		if (filp->f_flags & O_NONBLOCK)
			return -EAGAIN;
		if (wait_event_interruptible(ring->writeq, ring_writable(ring)))
			return -ERESTARTSYS;
	}
}

static __poll_t ring_poll(struct file *filp, poll_table *wait)
{
	struct ring_dev *ring = filp->private_data;
	__poll_t mask = 0;
	unsigned int used;

	poll_wait(filp, &ring->readq, wait);
	poll_wait(filp, &ring->writeq, wait);
	if (READ_ONCE(ring->unbound))
		return EPOLLERR | EPOLLHUP;
	used = READ_ONCE(ring->used);
	if ((filp->f_mode & FMODE_READ) && used)
		mask |= EPOLLIN | EPOLLRDNORM;
	if ((filp->f_mode & FMODE_WRITE) && used < ring->capacity)
		mask |= EPOLLOUT | EPOLLWRNORM;
	return mask;
}

static long ring_ioctl(struct file *filp, unsigned int cmd, unsigned long arg)
{
	struct ring_dev *ring = filp->private_data;
	int used;

	if (cmd != FIONREAD)
		return -ENOTTY;
	if (READ_ONCE(ring->unbound))
		return -ENODEV;
	/* The capacity caps keep it far below INT_MAX. */
	used = READ_ONCE(ring->used);
	return put_user(used, (int __user *)arg);
}

static int ring_open(struct inode *inode, struct file *filp)
{
	struct miscdevice *misc = filp->private_data;
	struct ring_dev *ring = container_of(misc, struct ring_dev, misc);

	/*
	 * misc_open() calls us under misc_mtx, and unbind drops the device's
	 * reference only after misc_deregister() has taken that mutex: the
	 * ring cannot be freed under us.
	 */
	kref_get(&ring->kref);
	filp->private_data = ring;
	return stream_open(inode, filp);
}

static int ring_release(struct inode *inode, struct file *filp)
{
	struct ring_dev *ring = filp->private_data;

	kref_put(&ring->kref, ring_free);
	return 0;
}

static const struct file_operations ring_fops = {
	.owner		= THIS_MODULE,
	.open		= ring_open,
	.release	= ring_release,
	.read		= ring_read,
	.write		= ring_write,
	.poll		= ring_poll,
	.unlocked_ioctl	= ring_ioctl,
	.compat_ioctl	= compat_ptr_ioctl,
	/*
	 * No .llseek: stream_open() in ring_open() makes every seek fail
	 * with -ESPIPE, which is why 6.12 could drop no_llseek.
	 */
};

static struct mutex *ring_lock(struct seq_file *m)
{
	struct ring_dev *ring = memlab_data(m);

	return &ring->lock;
}

/*
 * The views exist only while the driver is bound: unbind removes them
 * before anything else, and removal waits for readers already inside.
 * The core holds ring->lock (ring_lock()) while one is shown.
 */
static int ring_state_show(struct seq_file *m, void *v)
{
	struct ring_dev *ring = memlab_data(m);

	seq_printf(m, "capacity: %u\n", ring->capacity);
	seq_printf(m, "used: %u\n", ring->used);
	seq_printf(m, "free: %u\n", ring->capacity - ring->used);
	seq_printf(m, "blocks: %u\n", ring->blocks);
	seq_printf(m, "block_size: %u\n", ring->block_size);
	seq_printf(m, "read_node: %u\n", ring->read_node->index);
	seq_printf(m, "read_offset: %u\n", ring->read_offset);
	seq_printf(m, "write_node: %u\n", ring->write_node->index);
	seq_printf(m, "write_offset: %u\n", ring->write_offset);
	return 0;
}

/* What ring/nodes shows of one node. */
struct ring_node_row {
	const struct ring_node *node;
	unsigned int filled;
};

/*
 * The list never changes while bound, so a node is found by walking from
 * the head; the lock is for its fill count.
 */
static int ring_nodes_fill(struct seq_file *m, void *cursor,
			   unsigned long *key)
{
	struct ring_dev *ring = memlab_data(m);
	struct ring_node_row *row = cursor;
	const struct ring_node *node = ring->head;
	unsigned long i;

	if (*key >= ring->blocks)
		return 0;
	for (i = 0; i < *key; i++)
		node = node->next;
	row->node = node;
	row->filled = node->filled;
	return 1;
}

static void ring_nodes_show(struct seq_file *m, const void *cursor)
{
	const struct ring_node_row *row = cursor;

	seq_printf(m, "%u 0x%lx 0x%lx 0x%llx %u\n", row->node->index,
		   (unsigned long)row->node, (unsigned long)row->node->buf,
		   (unsigned long long)virt_to_phys(row->node->buf),
		   row->filled);
}

static const struct memlab_file ring_files[] = {
	{
		.name	= "state",
		.show	= ring_state_show,
		.lock	= ring_lock,
	},
	{
		.name	= "nodes",
		/* kernel pointers, physical addresses */
		.flags	= MEMLAB_F_PRIVILEGED,
		.table	= {
			.header		=
				"# index node buffer buffer_phys filled",
			.cursor_size	= sizeof(struct ring_node_row),
			.fill		= ring_nodes_fill,
			.show		= ring_nodes_show,
		},
		.lock	= ring_lock,
	},
};

static int ring_alloc_nodes(struct device *dev, struct ring_dev *ring)
{
	struct ring_node *node, *prev = NULL;
	unsigned int i;

	for (i = 0; i < ring->blocks; i++) {
		node = devm_kzalloc(dev, sizeof(*node), GFP_KERNEL);
		if (!node)
			return -ENOMEM;
		/* Only bytes written are ever read back: no need to zero. */
		node->buf = devm_kmalloc(dev, ring->block_size, GFP_KERNEL);
		if (!node->buf)
			return -ENOMEM;
		node->index = i;
		if (prev)
			prev->next = node;
		else
			ring->head = node;
		prev = node;
	}
	prev->next = ring->head;
	ring->read_node = ring->head;
	ring->write_node = ring->head;
	return 0;
}

/*
 * Unbind runs these devres actions in the reverse of the order probe added
 * them: views, then the misc device, then ring_disconnect(), then devres
 * frees the nodes, and ring_put() drops the device's reference last.
 */
static void ring_put(void *data)
{
	struct ring_dev *ring = data;

	kref_put(&ring->kref, ring_free);
}

/* After this, nothing touches the nodes any more; devres frees them next. */
static void ring_disconnect(void *data)
{
	struct ring_dev *ring = data;

	mutex_lock(&ring->lock);
	WRITE_ONCE(ring->unbound, true);
	ring->head = NULL;
	ring->read_node = NULL;
	ring->write_node = NULL;
	mutex_unlock(&ring->lock);
	wake_up_interruptible_all(&ring->readq);
	wake_up_interruptible_all(&ring->writeq);
}

static void ring_misc_deregister(void *data)
{
	misc_deregister(data);
}

static void ring_dir_remove(void *data)
{
	memlab_dir_remove(data);
}

static int ring_probe(struct platform_device *pdev)
{
	struct device *dev = &pdev->dev;
	struct memlab_dir *dir;
	struct ring_dev *ring;
	int ret;

	ring = kzalloc(sizeof(*ring), GFP_KERNEL);
	if (!ring)
		return -ENOMEM;
	kref_init(&ring->kref);
	mutex_init(&ring->lock);
	init_waitqueue_head(&ring->readq);
	init_waitqueue_head(&ring->writeq);
	ring->blocks = ring_blocks;
	ring->block_size = ring_block_size;
	ring->capacity = ring_blocks * ring_block_size;
	ret = devm_add_action_or_reset(dev, ring_put, ring);
	if (ret)
		return ret;

	ret = ring_alloc_nodes(dev, ring);
	if (ret)
		return ret;
	ret = devm_add_action_or_reset(dev, ring_disconnect, ring);
	if (ret)
		return ret;

	ring->misc.minor = MISC_DYNAMIC_MINOR;
	ring->misc.name = RING_NAME;
	ring->misc.fops = &ring_fops;
	ring->misc.parent = dev;
	/* One shared stream: whoever opens it reads others' data. */
	ring->misc.mode = 0600;
	ret = misc_register(&ring->misc);
	if (ret)
		return ret;
	ret = devm_add_action_or_reset(dev, ring_misc_deregister, &ring->misc);
	if (ret)
		return ret;

	dir = memlab_dir_create("ring", THIS_MODULE, ring);
	if (IS_ERR(dir))
		return PTR_ERR(dir);
	ret = devm_add_action_or_reset(dev, ring_dir_remove, dir);
	if (ret)
		return ret;
	ret = memlab_publish_all(dir, ring_files, ARRAY_SIZE(ring_files));
	if (ret)
		return ret;

	platform_set_drvdata(pdev, ring);
	dev_dbg(dev, "%u blocks of %u bytes\n", ring->blocks, ring->block_size);
	return 0;
}

static struct platform_driver ring_driver = {
	.probe	= ring_probe,
	.driver	= {
		.name = RING_NAME,
	},
};

static struct platform_device *ring_pdev;

static int __init ring_init(void)
{
	int ret;

	ret = platform_driver_register(&ring_driver);
	if (ret)
		return ret;
	ring_pdev = platform_device_register_simple(RING_NAME,
						    PLATFORM_DEVID_NONE,
						    NULL, 0);
	if (IS_ERR(ring_pdev)) {
		ret = PTR_ERR(ring_pdev);
		goto err_driver;
	}
	/*
	 * A failed probe does not fail the registration.  A module that
	 * loads but serves nothing would only confuse: fail the load.
	 */
	if (!platform_get_drvdata(ring_pdev)) {
		ret = -ENODEV;
		goto err_device;
	}
	return 0;

err_device:
	platform_device_unregister(ring_pdev);
err_driver:
	platform_driver_unregister(&ring_driver);
	return ret;
}

static void __exit ring_exit(void)
{
	platform_device_unregister(ring_pdev);
	platform_driver_unregister(&ring_driver);
}

module_init(ring_init);
module_exit(ring_exit);

MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("memlab: a FIFO character device over a ring of devm_kmalloc'd buffers");
MODULE_VERSION(MEMLAB_VERSION);
