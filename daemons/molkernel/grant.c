// SPDX-License-Identifier: GPL-2.0
/*
 * grant.c - MINIX memory grants in the pseudo-kernel: SETGRANT and
 * SAFECOPY, with exactly the semantics and status codes of molipc.ko
 * (uapi/linux/molipc.h, Documentation/ipc.md "Grants").
 *
 * The grant table lives in the granter's memory; molkernel keeps where it
 * is.  A safecopy reads the one entry named by the grant id with
 * process_vm_readv, checks it, then moves the bytes between the two
 * processes with process_vm_readv / process_vm_writev through one bounded
 * buffer, a chunk at a time.  Which process is the caller comes from its
 * verified binding (the slot's owner pid), never from the datagram.
 */
#include <errno.h>
#include <stdint.h>
#include <string.h>
#include <sys/uio.h>

#include "ipc.h"
#include "molkernel.h"

/* The bounce buffer: big enough that a 1 MiB copy is two syscalls. */
#define MK_COPY_CHUNK	(1024 * 1024)
static unsigned char mk_copy_buf[MK_COPY_CHUNK];

int mk_setgrant(struct mk_kernel *k, const struct mk_caller *c,
		struct molipc_setgrant *req)
{
	uint64_t size = (uint64_t)req->nr_entries * sizeof(struct mol_grant);
	struct mk_proc *p;
	int ret;

	if (req->flags || req->nr_entries > MOLIPC_GRANT_MAX ||
	    (req->table_addr & 7) || (!req->nr_entries && req->table_addr) ||
	    req->table_addr + size < req->table_addr)
		return MOL_EINVAL;
	ret = mk_caller_proc(c, &p);
	if (ret)
		return ret;
	p->grant_table = req->table_addr;
	p->grant_nr = req->nr_entries;
	return MOL_OK;
}

/* One transfer between buf and pid's [addr, addr + len); MOL_* status. */
static int mk_mem(pid_t pid, uint64_t addr, void *buf, size_t len,
		  bool write)
{
	struct iovec local = { .iov_base = buf, .iov_len = len };
	struct iovec remote = { .iov_base = (void *)(uintptr_t)addr,
				.iov_len = len };
	ssize_t n;

	if (addr + len < addr || (uintptr_t)addr != addr)
		return MOL_EFAULT;
	n = write ? process_vm_writev(pid, &local, 1, &remote, 1, 0) :
		    process_vm_readv(pid, &local, 1, &remote, 1, 0);
	if (n == (ssize_t)len)
		return MOL_OK;
	if (n >= 0 || errno == EFAULT)
		return MOL_EFAULT;
	if (errno == ESRCH)
		return MOL_EDEADSRCDST;
	if (errno == EPERM)
		mkd_log(0, "safecopy: no right to access pid %d's memory "
			"(molkernel needs root or CAP_SYS_PTRACE)", (int)pid);
	return -errno;
}

static bool mk_grant_valid(const struct mol_grant *ent, int32_t id)
{
	return (ent->flags & MOL_GRANT_VALID) &&
	       !(ent->flags & ~MOL_GRANT_FLAGS) &&
	       ent->gen == MOL_GRANT_GEN(id) &&
	       !ent->reserved[0] && !ent->reserved[1] && !ent->reserved[2];
}

int mk_safecopy(struct mk_kernel *k, const struct mk_caller *c,
		const struct molipc_safecopy *req)
{
	bool to = req->flags == MOLIPC_SAFECOPY_TO;
	uint64_t start, local, len;
	struct mol_grant ent;
	struct mk_proc *p, *g;
	uint32_t idx;
	int ret;

	if ((req->flags != MOLIPC_SAFECOPY_FROM &&
	     req->flags != MOLIPC_SAFECOPY_TO) || req->reserved)
		return MOL_EINVAL;
	ret = mk_caller_proc(c, &p);
	if (ret)
		return ret;
	g = mk_lookup(p->inst, p, req->granter, &ret);
	if (!g)
		return ret;
	idx = MOL_GRANT_IDX(req->grant_id);
	if (idx >= g->grant_nr)
		return MOL_EINVAL;

	ret = mk_mem(g->pid, g->grant_table + (uint64_t)idx * sizeof(ent),
		     &ent, sizeof(ent), false);
	if (ret)
		return ret;
	if (!mk_grant_valid(&ent, req->grant_id))
		return MOL_EINVAL;
	if (ent.grantee != MOL_ANY && ent.grantee != p->endpoint)
		return -EPERM;
	if (!(ent.flags & (to ? MOL_GRANT_WRITE : MOL_GRANT_READ)))
		return -EPERM;
	if (req->offset > ent.len || req->len > ent.len - req->offset)
		return -EPERM;
	if (!req->len)
		return MOL_OK;
	start = ent.addr + req->offset;
	if (start < ent.addr || start + req->len < start)
		return MOL_EFAULT;

	local = req->local_addr;
	len = req->len;
	while (len) {
		size_t n = len < MK_COPY_CHUNK ? (size_t)len : MK_COPY_CHUNK;

		if (to) {
			ret = mk_mem(p->pid, local, mk_copy_buf, n, false);
			if (!ret)
				ret = mk_mem(g->pid, start, mk_copy_buf, n, true);
		} else {
			ret = mk_mem(g->pid, start, mk_copy_buf, n, false);
			if (!ret)
				ret = mk_mem(p->pid, local, mk_copy_buf, n, true);
		}
		if (ret)
			return ret;
		start += n;
		local += n;
		len -= n;
	}
	return MOL_OK;
}
