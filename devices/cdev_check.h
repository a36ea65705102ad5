/* SPDX-License-Identifier: GPL-2.0 */
/*
 * cdev_check.h - the field rules of a CDEV_* request
 * (<linux/molcalls.h>, "Character devices"), the same for every
 * character driver: the call number, which fields a call may set and
 * its flags.  Minors, counts and what a call means are each driver's.
 */
#ifndef MOL_DEVICES_CDEV_CHECK_H
#define MOL_DEVICES_CDEV_CHECK_H

#include <errno.h>
#include <stdbool.h>

#include <linux/molcalls.h>

/* 0, or -EINVAL for an unknown call or a field the call may not set. */
static inline int cdev_check_fields(int call, const struct mol_cdev_req *r)
{
	static const unsigned int flags_ok[CDEV_NR_CALLS] = {
		[CDEV_OPEN - CDEV_BASE] = CDEV_R_BIT | CDEV_W_BIT |
					  CDEV_NOCTTY,
		[CDEV_READ - CDEV_BASE] = CDEV_NONBLOCK,
		[CDEV_WRITE - CDEV_BASE] = CDEV_NONBLOCK,
	};
	bool io = call == CDEV_READ || call == CDEV_WRITE;

	if (call < CDEV_BASE || call >= CDEV_BASE + CDEV_NR_CALLS)
		return -EINVAL;
	if (call == CDEV_STATUS)
		return 0;
	if ((r->flags & ~flags_ok[call - CDEV_BASE]) || r->more)
		return -EINVAL;
	if (call != CDEV_IOCTL &&
	    (r->request || r->pid || r->pgid || r->sid))
		return -EINVAL;
	if (!io && call != CDEV_IOCTL && (r->grant || r->count))
		return -EINVAL;
	if (call == CDEV_OPEN && !(r->flags & (CDEV_R_BIT | CDEV_W_BIT)))
		return -EINVAL;
	return 0;
}

#endif /* MOL_DEVICES_CDEV_CHECK_H */
