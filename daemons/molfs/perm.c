// SPDX-License-Identifier: GPL-2.0
/*
 * perm.c - permission checks by (uid, gid) and mode, as Linux does them
 * (generic_permission without ACLs or supplementary groups): root may
 * read and write anything and execute anything with an x bit (searching
 * any directory); others get the owner, group or other class.
 */
#include <unistd.h>

#include "mfs_int.h"

int mfs_permission(const struct mfs_cred *cr, const struct mfs_inode *ip,
		   int mask)
{
	uint16_t mode = ip->d.i_mode;
	int bits;

	mask &= R_OK | W_OK | X_OK;
	if (cr->uid == 0) {
		if (!(mask & X_OK) || S_ISDIR(mode) || (mode & 0111))
			return 0;
		return -EACCES;
	}
	if (cr->uid == ip->d.i_uid)
		bits = (mode >> 6) & 7;
	else if (cr->gid == ip->d.i_gid)
		bits = (mode >> 3) & 7;
	else
		bits = mode & 7;
	return (bits & mask) == mask ? 0 : -EACCES;
}

bool mfs_is_owner(const struct mfs_cred *cr, const struct mfs_inode *ip)
{
	return cr->uid == 0 || cr->uid == ip->d.i_uid;
}

/* May cr remove the entry for ip from directory dp? */
int mfs_may_delete(const struct mfs_cred *cr, struct mfs_inode *dp,
		   struct mfs_inode *ip)
{
	int err = mfs_permission(cr, dp, W_OK | X_OK);

	if (err)
		return err;
	if ((dp->d.i_mode & S_ISVTX) && cr->uid != 0 &&
	    cr->uid != ip->d.i_uid && cr->uid != dp->d.i_uid)
		return -EPERM;
	return 0;
}
