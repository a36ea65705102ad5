// SPDX-License-Identifier: GPL-2.0
/*
 * iops.c - inode helpers of the server (the attribute rules themselves
 * are the core's, by inode number: mfs_chmod_ino() and friends).
 */
#include <string.h>
#include <unistd.h>

#include "fs.h"
#include "../mfs_int.h"

