// SPDX-License-Identifier: GPL-2.0
/*
 * molipc_main.c - /dev/molipc: MINIX rendezvous IPC for MoL (Minix over
 * Linux) in the host kernel.  The character device, its ioctls and the
 * module parameters.  See Documentation/ipc.md.
 */
#include <linux/fs.h>
#include <linux/miscdevice.h>
#include <linux/module.h>
#include <linux/slab.h>
#include <linux/uaccess.h>

#include "molipc_internal.h"

#define CREATE_TRACE_POINTS
#include "molipc_trace.h"

unsigned int molipc_nr_procs = 256;
unsigned int molipc_max_instances = 64;
struct workqueue_struct *molipc_wq;

static int molipc_param_set_procs(const char *val,
				  const struct kernel_param *kp)
{
	unsigned int n;
	int ret = kstrtouint(val, 0, &n);

	if (ret)
		return ret;
	if (n < MOL_MIN_PROCS || n > MOL_MAX_PROCS)
		return -EINVAL;
	*(unsigned int *)kp->arg = n;
	return 0;
}

static const struct kernel_param_ops molipc_procs_ops = {
	.set = molipc_param_set_procs,
	.get = param_get_uint,
};

module_param_cb(nr_procs, &molipc_procs_ops, &molipc_nr_procs, 0644);
MODULE_PARM_DESC(nr_procs,
		 "default process slots per instance (16..2048, default 256)");
module_param_named(max_instances, molipc_max_instances, uint, 0644);
MODULE_PARM_DESC(max_instances,
		 "maximum number of live instances (default 64)");

static int molipc_open(struct inode *inode, struct file *file)
{
	struct molipc_file *f;

	f = kzalloc(sizeof(*f), GFP_KERNEL);
	if (!f)
		return -ENOMEM;
	mutex_init(&f->bind_lock);
	file->private_data = f;
	return 0;
}

static int molipc_release(struct inode *inode, struct file *file)
{
	struct molipc_file *f = file->private_data;

	molipc_file_release(f);
	kfree(f);
	return 0;
}

static int molipc_ioctl_ipc(struct molipc_file *f, int op,
			    struct molipc_ipc __user *uarg)
{
	bool out = op == MOLIPC_OP_RECEIVE || op == MOLIPC_OP_SENDREC ||
		   op == MOLIPC_OP_REPLY_RECV;
	struct molipc_ipc req;
	int ret;

	if (copy_from_user(&req, uarg, sizeof(req)))
		return -EFAULT;
	/*
	 * A message once received must reach the caller: make sure now
	 * that both ends of the output area are writable.
	 */
	if (out && (put_user(req.status, &uarg->status) ||
		    put_user(req.msg.m_u.m_u64[6], &uarg->msg.m_u.m_u64[6])))
		return -EFAULT;
	ret = molipc_ipc(f, op, &req);
	/* A withdrawn timed call restarts with the time it has left. */
	if (ret == -ERESTARTNOHAND && (req.flags & MOLIPC_IPC_TIMEOUT) &&
	    put_user(req.timeout_ns, &uarg->timeout_ns))
		return -EFAULT;
	if (ret == 0 && out &&
	    copy_to_user(&uarg->status, &req.status,
			 sizeof(req) - offsetof(struct molipc_ipc, status)))
		return -EFAULT;
	return ret;
}

/* An _IOW control request: copy it in and run it; nothing is written. */
#define MOLIPC_CTL_IN(req, fn, uarg)					\
({									\
	long __ret = -EFAULT;						\
	if (!copy_from_user(&(req), (uarg), sizeof(req)))		\
		__ret = fn(f, &(req));					\
	__ret;								\
})

/* An _IOWR one: copy in, check it can be copied back, run, copy out. */
#define MOLIPC_CTL(req, fn, uarg)					\
({									\
	long __ret = -EFAULT;						\
	if (!copy_from_user(&(req), (uarg), sizeof(req)) &&		\
	    !copy_to_user((uarg), &(req), sizeof(req))) {		\
		__ret = fn(f, &(req));					\
		if (!__ret && copy_to_user((uarg), &(req), sizeof(req)))\
			__ret = -EFAULT;				\
	}								\
	__ret;								\
})

static long molipc_ioctl(struct file *file, unsigned int cmd,
			 unsigned long arg)
{
	struct molipc_file *f = file->private_data;
	void __user *uarg = (void __user *)arg;
	union {
		struct molipc_version version;
		struct molipc_create create;
		struct molipc_register reg;
		struct molipc_endpoint_req ep;
		struct molipc_bind bind;
		struct molipc_dead dead;
		struct molipc_procinfo info;
		struct molipc_setgrant setgrant;
		struct molipc_safecopy safecopy;
	} u;

	switch (cmd) {
	case MOLIPC_IOC_SEND:
		return molipc_ioctl_ipc(f, MOLIPC_OP_SEND, uarg);
	case MOLIPC_IOC_RECEIVE:
		return molipc_ioctl_ipc(f, MOLIPC_OP_RECEIVE, uarg);
	case MOLIPC_IOC_SENDREC:
		return molipc_ioctl_ipc(f, MOLIPC_OP_SENDREC, uarg);
	case MOLIPC_IOC_NOTIFY:
		return molipc_ioctl_ipc(f, MOLIPC_OP_NOTIFY, uarg);
	case MOLIPC_IOC_SENDNB:
		return molipc_ioctl_ipc(f, MOLIPC_OP_SENDNB, uarg);
	case MOLIPC_IOC_REPLY_RECV:
		return molipc_ioctl_ipc(f, MOLIPC_OP_REPLY_RECV, uarg);
	case MOLIPC_IOC_VERSION:
		memset(&u.version, 0, sizeof(u.version));
		u.version.major = MOLIPC_ABI_MAJOR;
		u.version.minor = MOLIPC_ABI_MINOR;
		u.version.msg_size = MOL_MSG_SIZE;
		u.version.nr_tasks = MOL_NR_TASKS;
		u.version.default_procs = READ_ONCE(molipc_nr_procs);
		u.version.max_instances = READ_ONCE(molipc_max_instances);
		if (copy_to_user(uarg, &u.version, sizeof(u.version)))
			return -EFAULT;
		return 0;
	case MOLIPC_IOC_CREATE:
		return MOLIPC_CTL(u.create, molipc_create, uarg);
	case MOLIPC_IOC_REGISTER:
		return MOLIPC_CTL(u.reg, molipc_register, uarg);
	case MOLIPC_IOC_UNREGISTER:
		return MOLIPC_CTL_IN(u.ep, molipc_unregister, uarg);
	case MOLIPC_IOC_SETPRIV:
		return MOLIPC_CTL_IN(u.ep, molipc_setpriv, uarg);
	case MOLIPC_IOC_BIND:
		return MOLIPC_CTL(u.bind, molipc_bind, uarg);
	case MOLIPC_IOC_DEAD:
		return MOLIPC_CTL(u.dead, molipc_take_dead, uarg);
	case MOLIPC_IOC_PROCINFO:
		return MOLIPC_CTL(u.info, molipc_procinfo, uarg);
	case MOLIPC_IOC_SETGRANT:
		if (copy_from_user(&u.setgrant, uarg, sizeof(u.setgrant)))
			return -EFAULT;
		return molipc_setgrant(f, &u.setgrant);
	case MOLIPC_IOC_SAFECOPY:
		if (copy_from_user(&u.safecopy, uarg, sizeof(u.safecopy)))
			return -EFAULT;
		return molipc_safecopy(f, &u.safecopy);
	}
	return -ENOTTY;
}

static const struct file_operations molipc_fops = {
	.owner		= THIS_MODULE,
	.open		= molipc_open,
	.release	= molipc_release,
	.unlocked_ioctl	= molipc_ioctl,
	.compat_ioctl	= compat_ptr_ioctl,
	.llseek		= noop_llseek,
};

static struct miscdevice molipc_misc = {
	.minor	= MISC_DYNAMIC_MINOR,
	.name	= "molipc",
	.fops	= &molipc_fops,
	.mode	= 0666,
};

static int __init molipc_init(void)
{
	int ret;

	molipc_wq = alloc_workqueue("molipc", WQ_UNBOUND, 0);
	if (!molipc_wq)
		return -ENOMEM;
	ret = molipc_instances_init();
	if (ret)
		goto err_wq;
	molipc_debugfs_init();
	ret = misc_register(&molipc_misc);
	if (ret)
		goto err_debugfs;
	pr_info("molipc: MINIX IPC for MoL, ABI %u.%u, %u procs/instance\n",
		MOLIPC_ABI_MAJOR, MOLIPC_ABI_MINOR, molipc_nr_procs);
	return 0;

err_debugfs:
	molipc_debugfs_exit();
	molipc_instances_exit();
err_wq:
	destroy_workqueue(molipc_wq);
	return ret;
}

static void __exit molipc_exit(void)
{
	misc_deregister(&molipc_misc);
	molipc_instances_exit();
	destroy_workqueue(molipc_wq);
	molipc_debugfs_exit();
}

module_init(molipc_init);
module_exit(molipc_exit);

MODULE_DESCRIPTION("MoL: MINIX rendezvous IPC for Minix over Linux");
MODULE_AUTHOR("The MoL developers");
MODULE_LICENSE("GPL");
