/* SPDX-License-Identifier: GPL-2.0 */
/*
 * fst.h - the molfs host test suite's little harness: checks that count,
 * scratch images made with mkfs.minix -3, fsck.minix after workloads.
 */
#ifndef FST_H
#define FST_H

#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "mfs.h"

extern int fst_passed, fst_failed, fst_verbose;
extern const char *fst_dir;
extern const struct mfs_cred fst_root;

bool fst_check(bool ok, const char *file, int line, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

/* CHECK(cond, fmt, ...): one test point, failures are reported. */
#define CHECK(cond, ...) fst_check(!!(cond), __FILE__, __LINE__, __VA_ARGS__)
/* CHECK_ERR(expr, want): expr returns want (0, a count or -errno). */
#define CHECK_ERR(expr, want) ({					\
	long long __r = (expr), __w = (want);				\
	fst_check(__r == __w, __FILE__, __LINE__, "%s = %lld, want %lld", \
		  #expr, __r, __w); })

/* A fresh image path under fst_dir, made with mkfs.minix -3. */
const char *fst_mkimage(const char *name, unsigned int blocks,
			unsigned int inodes);
/* fsck.minix -f on img: true if clean (exit 0). */
bool fst_fsck(const char *img);
struct mfs *fst_mount(const char *img);
/* Unmount (sync) and check with fsck. */
void fst_umount_fsck(struct mfs *fs, const char *img, const char *what);

void test_basic(void);
void test_diff(void);
void test_big(void);
void test_many(void);
void test_corrupt(void);
void test_redo(void);

#endif /* FST_H */
