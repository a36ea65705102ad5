// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * transport_kmod.c - libmol over molipc.ko: one ioctl per call.
 */
#include <errno.h>
#include <fcntl.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "mol.h"

static const unsigned long mol_kmod_ipc_req[MOLIPC_OP_MAX + 1] = {
	[MOLIPC_OP_SEND]	= MOLIPC_IOC_SEND,
	[MOLIPC_OP_RECEIVE]	= MOLIPC_IOC_RECEIVE,
	[MOLIPC_OP_SENDREC]	= MOLIPC_IOC_SENDREC,
	[MOLIPC_OP_NOTIFY]	= MOLIPC_IOC_NOTIFY,
	[MOLIPC_OP_SENDNB]	= MOLIPC_IOC_SENDNB,
	[MOLIPC_OP_REPLY_RECV]	= MOLIPC_IOC_REPLY_RECV,
};

static int mol_kmod_open(struct mol *mol)
{
	mol->fd = open(MOLIPC_DEVICE, O_RDWR | O_CLOEXEC);
	if (mol->fd < 0)
		return errno == ENOENT ? -ENODEV : -errno;
	return 0;
}

static void mol_kmod_close(struct mol *mol)
{
	if (mol->fd >= 0)
		close(mol->fd);
}

static int mol_kmod_ipc(struct mol *mol, int op, struct molipc_ipc *req)
{
	if (op <= 0 || op > MOLIPC_OP_MAX)
		return MOL_EINVAL;
	if (ioctl(mol->fd, mol_kmod_ipc_req[op], req) < 0)
		return -errno;
	return MOL_OK;
}

static int mol_kmod_ctl(struct mol *mol, unsigned long req, void *arg)
{
	if (ioctl(mol->fd, req, arg) < 0)
		return -errno;
	return MOL_OK;
}

const struct mol_transport mol_transport_kmod = {
	.name	= "kmod",
	.open	= mol_kmod_open,
	.close	= mol_kmod_close,
	.ipc	= mol_kmod_ipc,
	.ctl	= mol_kmod_ctl,
};
