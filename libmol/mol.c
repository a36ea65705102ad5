// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * mol.c - libmol core: transport selection and the IPC wrappers.
 *
 * Everything here is transport-independent; the transports behind
 * struct mol_transport do the work.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "mol.h"

static const struct mol_transport *mol_transports[] = {
	&mol_transport_kmod,
	&mol_transport_udp,
	&mol_transport_unix,
};

static const struct mol_transport *mol_find_transport(const char *name)
{
	size_t i;

	for (i = 0; i < sizeof(mol_transports) / sizeof(mol_transports[0]); i++)
		if (!strcmp(mol_transports[i]->name, name))
			return mol_transports[i];
	return NULL;
}

int mol_open(struct mol *mol, const char *transport)
{
	const struct mol_transport *ops;
	int ret;

	if (!transport || !*transport) {
		transport = getenv("MOL_TRANSPORT");
		if (!transport || !*transport)
			transport = access(MOLIPC_DEVICE, F_OK) == 0 ?
				    "kmod" : "unix";
	}
	ops = mol_find_transport(transport);
	if (!ops)
		return -ENODEV;

	memset(mol, 0, sizeof(*mol));
	mol->ops = ops;
	mol->fd = -1;
	mol->endpoint = MOL_NONE;
	mol->pid = getpid();
	ret = ops->open(mol);
	if (ret < 0)
		mol->ops = NULL;
	return ret;
}

/* grant.c: the table of mol_grant_create(), freed with the connection. */
void mol_grant_table_free(struct mol *mol);

void mol_close(struct mol *mol)
{
	if (mol->ops)
		mol->ops->close(mol);
	mol_grant_table_free(mol);
	mol->ops = NULL;
	mol->fd = -1;
	mol->endpoint = MOL_NONE;
}

const char *mol_transport_name(const struct mol *mol)
{
	return mol->ops ? mol->ops->name : "none";
}

static int mol_ctl(struct mol *mol, unsigned long req, void *arg)
{
	if (!mol->ops)
		return MOL_ENOTBOUND;
	return mol->ops->ctl(mol, req, arg);
}

int mol_version(struct mol *mol, struct molipc_version *ver)
{
	memset(ver, 0, sizeof(*ver));
	return mol_ctl(mol, MOLIPC_IOC_VERSION, ver);
}

int mol_create_instance(struct mol *mol, unsigned int nr_procs,
			unsigned int *instance)
{
	struct molipc_create req = { .nr_procs = nr_procs };
	int ret;

	ret = mol_ctl(mol, MOLIPC_IOC_CREATE, &req);
	if (ret < 0)
		return ret;
	mol->instance = req.instance;
	mol->endpoint = MOL_SYSTEM;
	if (instance)
		*instance = req.instance;
	return MOL_OK;
}

int mol_register(struct mol *mol, pid_t pid, int slot,
		 const struct molipc_priv *priv, int *endpoint)
{
	struct molipc_register req = { .pid = pid, .slot = slot };
	int ret;

	if (priv)
		req.priv = *priv;
	ret = mol_ctl(mol, MOLIPC_IOC_REGISTER, &req);
	if (ret == 0 && endpoint)
		*endpoint = req.endpoint;
	return ret;
}

int mol_unregister(struct mol *mol, int endpoint)
{
	struct molipc_endpoint_req req = { .endpoint = endpoint };

	return mol_ctl(mol, MOLIPC_IOC_UNREGISTER, &req);
}

int mol_setpriv(struct mol *mol, int endpoint,
		const struct molipc_priv *priv)
{
	struct molipc_endpoint_req req = { .endpoint = endpoint };

	req.priv = *priv;
	return mol_ctl(mol, MOLIPC_IOC_SETPRIV, &req);
}

int mol_bind(struct mol *mol, unsigned int instance, int endpoint,
	     int *bound)
{
	struct molipc_bind req = { .instance = instance, .endpoint = endpoint };
	int ret;

	ret = mol_ctl(mol, MOLIPC_IOC_BIND, &req);
	if (ret < 0)
		return ret;
	mol->instance = instance;
	mol->endpoint = req.endpoint;
	if (bound)
		*bound = req.endpoint;
	return MOL_OK;
}

int mol_dead(struct mol *mol, struct molipc_dead *dead)
{
	return mol_ctl(mol, MOLIPC_IOC_DEAD, dead);
}

int mol_procinfo(struct mol *mol, struct molipc_procinfo *info)
{
	return mol_ctl(mol, MOLIPC_IOC_PROCINFO, info);
}

int mol_ipc(struct mol *mol, int op, struct molipc_ipc *req)
{
	if (!mol->ops)
		return MOL_ENOTBOUND;
	return mol->ops->ipc(mol, op, req);
}

/* One IPC call with a message in and (maybe) out. */
static int mol_ipc_msg(struct mol *mol, int op, int ep, int src,
		       struct mol_message *m, unsigned int *status)
{
	struct molipc_ipc req = { .endpoint = ep, .src = src };
	int ret;

	if (m && op != MOLIPC_OP_RECEIVE)
		req.msg = *m;
	ret = mol_ipc(mol, op, &req);
	if (ret == MOL_OK && m && (op == MOLIPC_OP_RECEIVE ||
				   op == MOLIPC_OP_SENDREC ||
				   op == MOLIPC_OP_REPLY_RECV))
		*m = req.msg;
	if (ret == MOL_OK && status)
		*status = req.status;
	return ret;
}

int mol_send(struct mol *mol, int dst, struct mol_message *m)
{
	return mol_ipc_msg(mol, MOLIPC_OP_SEND, dst, 0, m, NULL);
}

int mol_receive(struct mol *mol, int src, struct mol_message *m,
		unsigned int *status)
{
	return mol_ipc_msg(mol, MOLIPC_OP_RECEIVE, src, 0, m, status);
}

int mol_sendrec(struct mol *mol, int dst, struct mol_message *m)
{
	struct molipc_ipc req = { .endpoint = dst };
	int ret;

	req.msg = *m;
	ret = mol_ipc(mol, MOLIPC_OP_SENDREC, &req);
	/*
	 * The request was delivered but a signal interrupted the wait for
	 * the reply: the handler has run by now; wait again, without
	 * sending anything.
	 */
	while (ret == MOL_EREPLYPENDING) {
		req.flags = MOLIPC_IPC_RESUME;
		ret = mol_ipc(mol, MOLIPC_OP_SENDREC, &req);
	}
	if (ret == MOL_OK)
		*m = req.msg;
	return ret;
}

int mol_notify(struct mol *mol, int dst)
{
	return mol_ipc_msg(mol, MOLIPC_OP_NOTIFY, dst, 0, NULL, NULL);
}

int mol_sendnb(struct mol *mol, int dst, struct mol_message *m)
{
	return mol_ipc_msg(mol, MOLIPC_OP_SENDNB, dst, 0, m, NULL);
}

int mol_reply_receive(struct mol *mol, int dst, struct mol_message *m,
		      int src, unsigned int *status)
{
	return mol_ipc_msg(mol, MOLIPC_OP_REPLY_RECV, dst, src, m, status);
}

const char *mol_strerror(int status)
{
	switch (status) {
	case MOL_OK:		return "OK";
	case MOL_ELOCKED:	return "ELOCKED: deadlock";
	case MOL_EDEADSRCDST:	return "EDEADSRCDST: partner is dead";
	case MOL_EBADSRCDST:	return "EBADSRCDST: bad endpoint";
	case MOL_ECALLDENIED:	return "ECALLDENIED: destination not allowed";
	case MOL_ETRAPDENIED:	return "ETRAPDENIED: operation not allowed";
	case MOL_ENOTREADY:	return "ENOTREADY: partner not ready";
	case MOL_EINTR:		return "EINTR: interrupted, withdrawn";
	case MOL_ETIMEDOUT:	return "ETIMEDOUT: timed out, withdrawn";
	case MOL_EREPLYPENDING:	return "EREPLYPENDING: reply still owed";
	case MOL_EBUSY:		return "EBUSY: endpoint busy";
	case MOL_ENOTBOUND:	return "ENOTBOUND: no endpoint bound";
	case MOL_EINSTGONE:	return "EINSTGONE: instance destroyed";
	default:
		return status < 0 ? strerror(-status) : "unknown status";
	}
}
