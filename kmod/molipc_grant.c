// SPDX-License-Identifier: GPL-2.0
/*
 * molipc_grant.c - MINIX memory grants: MOLIPC_IOC_SETGRANT and
 * MOLIPC_IOC_SAFECOPY.  See Documentation/ipc.md, "Grants".
 *
 * A grant table lives in the granter's own memory; the module only keeps
 * where it is.  A safecopy resolves the granter under the instance lock
 * and takes references on its task and mm, drops the lock, reads the one
 * entry named by the grant id from the granter's memory, checks it, and
 * then copies directly between the granter's pages (pinned a batch at a
 * time) and the caller's buffer: no bounce buffer, no system task, no
 * allocation.
 */
#include <linux/highmem.h>
#include <linux/mm.h>
#include <linux/sched/mm.h>
#include <linux/sched/signal.h>
#include <linux/sched/task.h>
#include <linux/uaccess.h>

#include "molipc_internal.h"
#include "molipc_trace.h"

/* Granter pages pinned at once: 128 KiB with 4 KiB pages. */
#define MOLIPC_PIN_BATCH	32

int molipc_setgrant(struct molipc_file *f, struct molipc_setgrant *req)
{
	u64 size = (u64)req->nr_entries * sizeof(struct mol_grant);
	struct molipc_proc *p;
	int ret;

	if (req->flags || req->nr_entries > MOLIPC_GRANT_MAX ||
	    (req->table_addr & 7) || (!req->nr_entries && req->table_addr) ||
	    req->table_addr + size < req->table_addr)
		return -EINVAL;
	p = molipc_caller(f);
	if (!p)
		return -ENOTCONN;
	spin_lock(&p->inst->lock);
	ret = molipc_check_caller(f, p, false);
	if (!ret && molipc_in_call(p))
		ret = -EBUSY;
	if (!ret) {
		p->grant_table = req->table_addr;
		p->grant_nr = req->nr_entries;
	}
	spin_unlock(&p->inst->lock);
	return ret;
}

/*
 * Copy @len bytes between the granter's [@raddr, @raddr + @len) in @mm
 * and the caller's @ubuf; @to_granter gives the direction.  mmap_lock is
 * held (for reading) only while pinning, never while touching the
 * caller's buffer, whose faults may need the same mm's lock.
 */
static int molipc_copy_mm(struct mm_struct *mm, unsigned long raddr,
			  char __user *ubuf, u64 len, bool to_granter)
{
	unsigned int gup_flags = to_granter ? FOLL_WRITE : 0;
	struct page *pages[MOLIPC_PIN_BATCH];

	while (len) {
		unsigned long off = offset_in_page(raddr);
		unsigned long nr;
		long got, i;
		int ret = 0;

		nr = min_t(u64, MOLIPC_PIN_BATCH,
			   (off + len + PAGE_SIZE - 1) >> PAGE_SHIFT);
		if (fatal_signal_pending(current))
			return -EINTR;
		if (mmap_read_lock_killable(mm))
			return -EINTR;
		got = pin_user_pages_remote(mm, raddr - off, nr, gup_flags,
					    pages, NULL, NULL);
		mmap_read_unlock(mm);
		if (got == -ENOMEM)
			return -ENOMEM;
		if (got <= 0)
			return -EFAULT;
		for (i = 0; i < got && len; i++) {
			size_t chunk = min_t(u64, PAGE_SIZE - off, len);
			char *kaddr = kmap_local_page(pages[i]);
			unsigned long left;

			if (to_granter)
				left = copy_from_user(kaddr + off, ubuf, chunk);
			else
				left = copy_to_user(ubuf, kaddr + off, chunk);
			kunmap_local(kaddr);
			if (left) {
				ret = -EFAULT;
				break;
			}
			ubuf += chunk;
			raddr += chunk;
			len -= chunk;
			off = 0;
		}
		unpin_user_pages_dirty_lock(pages, got, to_granter);
		if (ret)
			return ret;
		cond_resched();
	}
	return 0;
}

/* Is @ent a live grant for id @id?  (Else: no such grant, EINVAL.) */
static bool molipc_grant_valid(const struct mol_grant *ent, s32 id)
{
	return (ent->flags & MOL_GRANT_VALID) &&
	       !(ent->flags & ~MOL_GRANT_FLAGS) &&
	       ent->gen == MOL_GRANT_GEN(id) &&
	       !ent->reserved[0] && !ent->reserved[1] && !ent->reserved[2];
}

static int molipc_do_safecopy(struct task_struct *task, struct mm_struct *mm,
			      u64 table, int caller_ep,
			      const struct molipc_safecopy *req)
{
	bool to = req->flags & MOLIPC_SAFECOPY_TO;
	u64 ent_addr = table + (u64)MOL_GRANT_IDX(req->grant_id) *
			       sizeof(struct mol_grant);
	struct mol_grant ent;
	u64 start;

	if (ent_addr > ULONG_MAX - sizeof(ent) ||
	    access_process_vm(task, ent_addr, &ent, sizeof(ent), 0) !=
	    sizeof(ent))
		return -EFAULT;
	if (!molipc_grant_valid(&ent, req->grant_id))
		return -EINVAL;
	if (ent.grantee != MOL_ANY && ent.grantee != caller_ep)
		return -EPERM;
	if (!(ent.flags & (to ? MOL_GRANT_WRITE : MOL_GRANT_READ)))
		return -EPERM;
	if (req->offset > ent.len || req->len > ent.len - req->offset)
		return -EPERM;
	if (!req->len)
		return 0;
	start = ent.addr + req->offset;
	if (start < ent.addr || start + req->len < start ||
	    start + req->len - 1 > ULONG_MAX)
		return -EFAULT;
	return molipc_copy_mm(mm, start, u64_to_user_ptr(req->local_addr),
			      req->len, to);
}

/*
 * molipc_safecopy - copy through a grant of another endpoint (or of the
 * caller itself), in the order of checks of <linux/molipc.h>.
 */
int molipc_safecopy(struct molipc_file *f, const struct molipc_safecopy *req)
{
	struct molipc_instance *inst;
	struct task_struct *task = NULL;
	struct mm_struct *mm = NULL;
	struct molipc_proc *p, *g;
	struct pid *pid = NULL;
	int ret, caller_ep = MOL_NONE;
	u64 table = 0;
	u32 nr = 0;

	if ((req->flags != MOLIPC_SAFECOPY_FROM &&
	     req->flags != MOLIPC_SAFECOPY_TO) || req->reserved)
		return -EINVAL;
	p = molipc_caller(f);
	if (!p)
		return -ENOTCONN;
	inst = p->inst;

	spin_lock(&inst->lock);
	ret = molipc_check_caller(f, p, false);
	if (!ret && molipc_in_call(p))
		ret = -EBUSY;	/* as molkernel: one call at a time */
	if (!ret) {
		g = molipc_lookup(inst, p, req->granter);
		if (IS_ERR(g)) {
			ret = PTR_ERR(g);
		} else {
			caller_ep = p->endpoint;
			table = g->grant_table;
			nr = g->grant_nr;
			pid = get_pid(g->pid);
		}
	}
	spin_unlock(&inst->lock);
	if (ret)
		goto out;

	if (MOL_GRANT_IDX(req->grant_id) >= nr) {
		ret = -EINVAL;
		goto put;
	}
	/* The granter as it was when looked up; it may die meanwhile. */
	task = get_pid_task(pid, PIDTYPE_TGID);
	if (task)
		mm = get_task_mm(task);
	if (!mm)
		ret = -ESRCH;
	else
		ret = molipc_do_safecopy(task, mm, table, caller_ep, req);
put:
	if (mm)
		mmput(mm);
	if (task)
		put_task_struct(task);
	put_pid(pid);
out:
	trace_molipc_safecopy(inst->id, caller_ep, req->granter,
			      req->grant_id, req->offset, req->len, req->flags,
			      ret);
	return ret;
}
