// SPDX-License-Identifier: GPL-2.0
/*
 * fsbench: one file system workload, timed from inside the process, so
 * that it can run under `molctl run` (molfs) or directly on a Linux
 * mount (minix.ko) and the two figures mean the same thing.  Used by
 * tests/bench/fsbench.sh; see Documentation/benchmarks.md, "File system:
 * molfs vs. minix.ko".
 *
 *   mol-fsbench write FILE MIB [BS]  write MIB MiB in BS-byte writes
 *                                    (default 65536), then fsync
 *   mol-fsbench read FILE [BS]       read FILE to its end in BS-byte reads
 *   mol-fsbench create DIR N         mkdir DIR, N times open(O_CREAT|O_EXCL)
 *                                    + close of a new name in it, then sync
 *   mol-fsbench tar DIR              fork + exec `tar -xf -` in DIR (the
 *                                    archive on stdin), wait, then sync
 *
 * It prints one line: "fsbench OP ok ns=T sync_ns=S bytes=B ops=N", T
 * the whole time including S, the time of the final fsync/sync (0 for
 * read), or "fsbench OP failed: ..." and exits 1.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static const char *op = "?";

static uint64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ULL + ts.tv_nsec;
}

static void fail(const char *what)
{
	printf("fsbench %s failed: %s: %s\n", op, what, strerror(errno));
	exit(1);
}

static void report(uint64_t ns, uint64_t sync_ns, uint64_t bytes,
		   uint64_t ops)
{
	printf("fsbench %s ok ns=%llu sync_ns=%llu bytes=%llu ops=%llu\n",
	       op, (unsigned long long)ns, (unsigned long long)sync_ns,
	       (unsigned long long)bytes, (unsigned long long)ops);
}

static char *buffer(size_t bs)
{
	char *buf = malloc(bs);
	size_t i;

	if (!buf)
		fail("malloc");
	for (i = 0; i < bs; i++)	/* not all zeros, not compressible */
		buf[i] = (char)(i * 2654435761u >> 13);
	return buf;
}

static int do_write(const char *file, long mib, size_t bs)
{
	uint64_t total = (uint64_t)mib << 20, done = 0, t0, t1, t2;
	char *buf = buffer(bs);
	int fd;

	t0 = now_ns();
	fd = open(file, O_WRONLY | O_CREAT | O_TRUNC, 0644);
	if (fd < 0)
		fail("open");
	while (done < total) {
		size_t n = total - done < bs ? total - done : bs;
		ssize_t r = write(fd, buf, n);

		if (r <= 0)
			fail("write");
		done += r;
	}
	t1 = now_ns();
	if (fsync(fd))
		fail("fsync");
	if (close(fd))
		fail("close");
	t2 = now_ns();
	report(t2 - t0, t2 - t1, done, (done + bs - 1) / bs);
	return 0;
}

static int do_read(const char *file, size_t bs)
{
	uint64_t done = 0, calls = 0, t0, t1;
	char *buf = buffer(bs);
	ssize_t r;
	int fd;

	t0 = now_ns();
	fd = open(file, O_RDONLY);
	if (fd < 0)
		fail("open");
	while ((r = read(fd, buf, bs)) > 0) {
		done += r;
		calls++;
	}
	if (r < 0)
		fail("read");
	close(fd);
	t1 = now_ns();
	report(t1 - t0, 0, done, calls);
	return 0;
}

static int do_create(const char *dir, long n)
{
	char name[4200];
	uint64_t t0, t1, t2;
	long i;

	if (mkdir(dir, 0755))
		fail("mkdir");
	t0 = now_ns();
	for (i = 0; i < n; i++) {
		int fd;

		snprintf(name, sizeof(name), "%s/f%06ld", dir, i);
		fd = open(name, O_WRONLY | O_CREAT | O_EXCL, 0644);
		if (fd < 0)
			fail(name);
		if (close(fd))
			fail("close");
	}
	t1 = now_ns();
	sync();
	t2 = now_ns();
	report(t2 - t0, t2 - t1, 0, n);
	return 0;
}

static int do_tar(const char *dir)
{
	uint64_t t0, t1, t2;
	struct stat st;
	int status;
	pid_t pid;

	/* The archive's size, for MB/s: stdin is a host file. */
	if (fstat(0, &st))
		fail("fstat stdin");
	if (mkdir(dir, 0755))
		fail("mkdir");
	t0 = now_ns();
	pid = fork();
	if (pid < 0)
		fail("fork");
	if (pid == 0) {
		if (chdir(dir))
			_exit(126);
		execlp("tar", "tar", "-xf", "-", (char *)NULL);
		_exit(127);
	}
	if (waitpid(pid, &status, 0) != pid)
		fail("waitpid");
	if (!WIFEXITED(status) || WEXITSTATUS(status)) {
		printf("fsbench %s failed: tar: status 0x%x\n", op, status);
		return 1;
	}
	t1 = now_ns();
	sync();
	t2 = now_ns();
	report(t2 - t0, t2 - t1, st.st_size, 1);
	return 0;
}

int main(int argc, char **argv)
{
	setvbuf(stdout, NULL, _IOLBF, 0);
	if (argc < 2)
		goto usage;
	op = argv[1];
	if (!strcmp(op, "write") && (argc == 4 || argc == 5))
		return do_write(argv[2], atol(argv[3]),
				argc == 5 ? (size_t)atol(argv[4]) : 65536);
	if (!strcmp(op, "read") && (argc == 3 || argc == 4))
		return do_read(argv[2], argc == 4 ? (size_t)atol(argv[3]) : 65536);
	if (!strcmp(op, "create") && argc == 4)
		return do_create(argv[2], atol(argv[3]));
	if (!strcmp(op, "tar") && argc == 3)
		return do_tar(argv[2]);
usage:
	fprintf(stderr, "usage: mol-fsbench write FILE MIB [BS] | read FILE [BS]"
		" | create DIR N | tar DIR < ARCHIVE\n");
	return 2;
}
