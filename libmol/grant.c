// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * grant.c - libmol's memory grants: the grant table a process keeps in
 * its own memory (as MINIX's libsys cpf_* functions do), and safecopy.
 *
 * The table is an array of struct mol_grant registered with
 * MOLIPC_IOC_SETGRANT.  It starts small and doubles (up to
 * MOLIPC_GRANT_MAX): the new table is filled and registered before the
 * old one is freed, so a grantee copying meanwhile reads one or the
 * other, both valid.  An entry is published by writing its flags last
 * (release order), and revoked by clearing them.  Each reuse of an entry
 * bumps its generation (1..MOL_GRANT_MAX_GEN), which is part of the id.
 */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "mol.h"

#define MOL_GRANT_INITIAL	64

struct mol_grant_table {
	struct mol_grant *ent;
	unsigned int nr;		/* entries allocated (registered) */
	unsigned int next;		/* where to look for a free entry */
	pid_t pid;			/* process whose memory it is */
};

static int mol_ctl_raw(struct mol *mol, unsigned long req, void *arg)
{
	if (!mol->ops)
		return MOL_ENOTBOUND;
	return mol->ops->ctl(mol, req, arg);
}

int mol_setgrant(struct mol *mol, struct mol_grant *table, unsigned int nr)
{
	struct molipc_setgrant req = {
		.table_addr = (uintptr_t)table,
		.nr_entries = nr,
	};

	return mol_ctl_raw(mol, MOLIPC_IOC_SETGRANT, &req);
}

int mol_safecopy(struct mol *mol, const struct molipc_safecopy *req)
{
	struct molipc_safecopy r = *req;

	return mol_ctl_raw(mol, MOLIPC_IOC_SAFECOPY, &r);
}

void mol_grant_table_free(struct mol *mol)
{
	struct mol_grant_table *gt = mol->grants;

	if (!gt)
		return;
	free(gt->ent);
	free(gt);
	mol->grants = NULL;
}

/* Make room for one more grant: a table with a free entry. */
static int mol_grant_grow(struct mol *mol)
{
	struct mol_grant_table *gt = mol->grants;
	unsigned int nr = gt->nr ? gt->nr * 2 : MOL_GRANT_INITIAL;
	struct mol_grant *ent;
	int ret;

	if (gt->nr >= MOLIPC_GRANT_MAX)
		return -ENOMEM;
	if (nr > MOLIPC_GRANT_MAX)
		nr = MOLIPC_GRANT_MAX;
	ent = calloc(nr, sizeof(*ent));
	if (!ent)
		return -ENOMEM;
	if (gt->nr)
		memcpy(ent, gt->ent, gt->nr * sizeof(*ent));
	ret = mol_setgrant(mol, ent, nr);
	if (ret) {
		free(ent);
		return ret;
	}
	free(gt->ent);
	gt->next = gt->nr;
	gt->ent = ent;
	gt->nr = nr;
	return MOL_OK;
}

int mol_grant_create(struct mol *mol, int grantee, const void *addr,
		     size_t len, unsigned int access)
{
	struct mol_grant_table *gt;
	struct mol_grant *g;
	unsigned int i, idx;
	int ret;

	if (!access || (access & ~(MOL_GRANT_READ | MOL_GRANT_WRITE)))
		return MOL_EINVAL;
	if (!mol->ops)
		return MOL_ENOTBOUND;
	gt = mol->grants;
	if (gt && gt->pid != getpid()) {
		/* Inherited across fork: the parent's, not registered here. */
		free(gt->ent);
		free(gt);
		gt = mol->grants = NULL;
	}
	if (!gt) {
		gt = calloc(1, sizeof(*gt));
		if (!gt)
			return -ENOMEM;
		gt->pid = getpid();
		mol->grants = gt;
	}

	for (i = 0; i < gt->nr; i++) {
		idx = (gt->next + i) % gt->nr;
		if (!(__atomic_load_n(&gt->ent[idx].flags, __ATOMIC_RELAXED) &
		      MOL_GRANT_VALID))
			break;
	}
	if (i == gt->nr) {
		ret = mol_grant_grow(mol);
		if (ret)
			return ret;
		idx = gt->next;
	}

	g = &gt->ent[idx];
	g->gen = g->gen >= MOL_GRANT_MAX_GEN ? 1 : g->gen + 1;
	g->grantee = grantee;
	g->addr = (uintptr_t)addr;
	g->len = len;
	memset(g->reserved, 0, sizeof(g->reserved));
	__atomic_store_n(&g->flags, MOL_GRANT_VALID | access,
			 __ATOMIC_RELEASE);
	gt->next = (idx + 1) % gt->nr;
	return MOL_GRANT_ID(g->gen, idx);
}

int mol_grant_revoke(struct mol *mol, int id)
{
	struct mol_grant_table *gt = mol->grants;
	unsigned int idx = MOL_GRANT_IDX(id);
	struct mol_grant *g;

	if (!gt || gt->pid != getpid() || id < 0 || idx >= gt->nr)
		return MOL_EINVAL;
	g = &gt->ent[idx];
	if (!(g->flags & MOL_GRANT_VALID) || g->gen != MOL_GRANT_GEN(id))
		return MOL_EINVAL;
	__atomic_store_n(&g->flags, 0, __ATOMIC_RELEASE);
	return MOL_OK;
}

static int mol_safecopy_dir(struct mol *mol, int granter, int id,
			    size_t offset, const void *buf, size_t len,
			    unsigned int dir)
{
	struct molipc_safecopy req = {
		.granter = granter,
		.grant_id = id,
		.offset = offset,
		.local_addr = (uintptr_t)buf,
		.len = len,
		.flags = dir,
	};

	return mol_ctl_raw(mol, MOLIPC_IOC_SAFECOPY, &req);
}

int mol_safecopy_from(struct mol *mol, int granter, int id, size_t offset,
		      void *buf, size_t len)
{
	return mol_safecopy_dir(mol, granter, id, offset, buf, len,
				MOLIPC_SAFECOPY_FROM);
}

int mol_safecopy_to(struct mol *mol, int granter, int id, size_t offset,
		    const void *buf, size_t len)
{
	return mol_safecopy_dir(mol, granter, id, offset, buf, len,
				MOLIPC_SAFECOPY_TO);
}
