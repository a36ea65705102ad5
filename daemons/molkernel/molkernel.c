// SPDX-License-Identifier: GPL-2.0
/*
 * molkernel - MoL's userspace pseudo-kernel.
 *
 * It implements the MoL IPC (mol-spec.md, Documentation/ipc-decisions.txt)
 * exactly as molipc.ko does, for clients that speak the datagram protocol
 * of uapi/linux/molkernel_proto.h over a unix datagram socket and/or UDP
 * (libmol's "unix" and "udp" transports).  Documentation/protocol.md
 * describes the wire format, the identity rules and the numbers.
 *
 * This file: options, sockets, the client table (who may speak for which
 * endpoint), datagram dispatch, pid watches and the main loop.  The IPC
 * state machine is ipc.c/instance.c, the wire format proto.c, the event
 * loops loop_epoll.c and loop_uring.c, exit codes from the kernel's
 * process-events connector procev.c.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <limits.h>
#include <netdb.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

#include "ipc.h"
#include "molkernel.h"
#include "proto.h"

#define MKD_VERSION		"1.0"
#define MKD_MAX_LISTENERS	8
#define MKD_HASH_SIZE		4096
#define MKD_MAX_UNBOUND		1024	/* client records kept unbound */
#define MKD_LOG_BURST		10	/* drop lines per second */
#define MKD_WATCH_HASH		1024	/* watches by pid */
/* How long a fired watch waits for its connector event (procev.c). */
#define MKD_EXIT_WAIT_NS	200000000ULL

#ifndef SYS_pidfd_open
#define SYS_pidfd_open		434
#endif
#ifndef SYS_pidfd_send_signal
#define SYS_pidfd_send_signal	424
#endif

/* PIDFD_GET_INFO (Linux 6.13; PIDFD_INFO_EXIT 6.15), if the headers lack it. */
struct mkd_pidfd_info {
	uint64_t mask;
	uint64_t cgroupid;
	uint32_t pid, tgid, ppid, ruid, rgid, euid, egid, suid, sgid;
	uint32_t fsuid, fsgid;
	int32_t exit_code;
};
#define MKD_PIDFD_GET_INFO	_IOWR(0xFF, 11, struct mkd_pidfd_info)
#define MKD_PIDFD_INFO_EXIT	(1ULL << 3)

/* ---------------------------------------------------------------- */
/* Options, logging, statistics                                      */
/* ---------------------------------------------------------------- */

static int verbosity = 1;		/* 0 errors, 1 info, 2 debug, 3 trace */
static const struct mkd_loop_ops *loop;
static struct mkd_listener listeners[MKD_MAX_LISTENERS];
static int nr_listeners;
static struct mk_kernel kernel;
static struct molk_stats stats;
static uid_t owner_uid;
static ino_t my_userns;
static volatile sig_atomic_t got_term, got_usr1;
static uint64_t nr_exit_waits, nr_exit_fallbacks;

void mkd_log(int level, const char *fmt, ...)
{
	struct timespec ts;
	va_list ap;

	if (level > verbosity)
		return;
	clock_gettime(CLOCK_REALTIME, &ts);
	fprintf(stderr, "molkernel[%d] %lld.%03ld: ", (int)getpid(),
		(long long)ts.tv_sec, ts.tv_nsec / 1000000);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

static uint64_t mono_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ULL + ts.tv_nsec;
}

static void format_addr(const struct mkd_rx *rx, char *out, size_t len)
{
	const struct sockaddr *sa = rx->addr;
	char host[INET6_ADDRSTRLEN + 8], serv[16];

	if (rx->ln->is_unix) {
		const struct sockaddr_un *un = (const void *)sa;
		size_t n = rx->alen > offsetof(struct sockaddr_un, sun_path) ?
			   rx->alen - offsetof(struct sockaddr_un, sun_path) : 0;
		size_t i, o = 0;

		for (i = 0; i < n && o + 5 < len; i++) {
			unsigned char c = un->sun_path[i];

			o += snprintf(out + o, len - o, c >= 0x21 && c < 0x7f ?
				      "%c" : "\\x%02x", c);
		}
		if (!n)
			snprintf(out, len, "(unnamed)");
		else
			out[o] = 0;
		return;
	}
	if (getnameinfo(sa, rx->alen, host, sizeof(host), serv, sizeof(serv),
			NI_NUMERICHOST | NI_NUMERICSERV))
		snprintf(out, len, "?");
	else
		snprintf(out, len, "%s:%s", host, serv);
}

/* Count a dropped datagram; log at most MKD_LOG_BURST lines a second. */
static void drop(int reason, const struct mkd_rx *rx, const char *why)
{
	static uint64_t window;
	static unsigned int lines, suppressed;
	uint64_t now = mono_ns() / 1000000000ULL;
	char addr[160];

	stats.drop[reason]++;
	stats.dropped++;
	if (now != window) {
		if (suppressed)
			mkd_log(1, "%u more dropped datagrams not logged",
				suppressed);
		window = now;
		lines = 0;
		suppressed = 0;
	}
	if (lines >= MKD_LOG_BURST) {
		suppressed++;
		return;
	}
	lines++;
	format_addr(rx, addr, sizeof(addr));
	mkd_log(1, "dropped datagram from %s on %s (%zu bytes): %s%s%s",
		addr, rx->ln->name, rx->len, molk_drop_name(reason),
		why ? ": " : "", why ? why : "");
}

static void dump_stats(void)
{
	int i;

	mkd_log(0, "stats: received %llu replies %llu dropped %llu dups %llu "
		"resent %llu send_errors %llu clients %llu instances %llu "
		"calls %llu blocked %llu cancels %llu deaths %llu",
		(unsigned long long)stats.received,
		(unsigned long long)stats.replies,
		(unsigned long long)stats.dropped,
		(unsigned long long)stats.dups,
		(unsigned long long)stats.resent,
		(unsigned long long)stats.send_errors,
		(unsigned long long)stats.clients,
		(unsigned long long)kernel.nr_instances,
		(unsigned long long)kernel.nr_calls,
		(unsigned long long)kernel.nr_blocked,
		(unsigned long long)stats.cancels,
		(unsigned long long)kernel.nr_deaths);
	if (mkd_procev_active()) {
		uint64_t ev, bad, lost;

		mkd_procev_stats(&ev, &bad, &lost);
		mkd_log(0, "stats: process events %llu bad %llu lost %llu, "
			"exits waited for %llu, fallbacks %llu",
			(unsigned long long)ev, (unsigned long long)bad,
			(unsigned long long)lost,
			(unsigned long long)nr_exit_waits,
			(unsigned long long)nr_exit_fallbacks);
	}
	for (i = 0; i < MOLK_DROP_MAX; i++)
		if (stats.drop[i])
			mkd_log(0, "stats: dropped %-8s %llu",
				molk_drop_name(i),
				(unsigned long long)stats.drop[i]);
}

/* ---------------------------------------------------------------- */
/* Processes                                                         */
/* ---------------------------------------------------------------- */

static int pidfd_open(pid_t pid)
{
	return syscall(SYS_pidfd_open, pid, 0);
}

static bool pidfd_exited(int pidfd)
{
	struct pollfd pfd = { .fd = pidfd, .events = POLLIN };

	return poll(&pfd, 1, 0) > 0;
}

/* Read "Name:\t..." of /proc/<pid>/status into buf. */
static bool proc_status_field(pid_t pid, const char *name, char *buf,
			      size_t len)
{
	char path[64], line[256];
	size_t nlen = strlen(name);
	bool found = false;
	FILE *f;

	snprintf(path, sizeof(path), "/proc/%d/status", (int)pid);
	f = fopen(path, "re");
	if (!f)
		return false;
	while (fgets(line, sizeof(line), f)) {
		if (!strncmp(line, name, nlen) && line[nlen] == ':') {
			snprintf(buf, len, "%s", line + nlen + 1);
			found = true;
			break;
		}
	}
	fclose(f);
	return found;
}

static ino_t ns_inode(const char *path)
{
	struct stat st;

	return stat(path, &st) ? 0 : st.st_ino;
}

/*
 * May pid create instances?  As capable(CAP_SYS_ADMIN) in our user
 * namespace, or the user molkernel runs as.
 */
static bool pid_privileged(pid_t pid)
{
	char buf[128], path[64];
	unsigned long long caps;
	unsigned int ruid, euid;

	snprintf(path, sizeof(path), "/proc/%d/ns/user", (int)pid);
	if (ns_inode(path) != my_userns)
		return false;
	if (proc_status_field(pid, "Uid", buf, sizeof(buf)) &&
	    sscanf(buf, "%u %u", &ruid, &euid) == 2 && euid == owner_uid)
		return true;
	if (!proc_status_field(pid, "CapEff", buf, sizeof(buf)) ||
	    sscanf(buf, "%llx", &caps) != 1)
		return false;
	return caps & (1ULL << 21);		/* CAP_SYS_ADMIN */
}

/*
 * Wait status of the exited process of pidfd, as waitpid would report
 * it, or -1, when the process-events connector did not tell (procev.c).
 * molkernel is not the parent, so waitid(P_PIDFD) cannot tell; the
 * kernel keeps it for us in two places: /proc/<pid>/stat (field 52,
 * exit_code, while the zombie exists) and, from Linux 6.15,
 * PIDFD_GET_INFO/PIDFD_INFO_EXIT once the process has been reaped.
 */
static int exit_status(int pidfd, pid_t pid)
{
	struct mkd_pidfd_info info;
	char path[64], buf[1024];
	int status = -1;
	ssize_t n;
	int fd;

	snprintf(path, sizeof(path), "/proc/%d/stat", (int)pid);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd >= 0) {
		n = read(fd, buf, sizeof(buf) - 1);
		close(fd);
		if (n > 0) {
			char *p, *save = NULL;
			int field = 3;

			buf[n] = 0;
			p = strrchr(buf, ')');
			for (p = p ? strtok_r(p + 1, " ", &save) : NULL; p;
			     p = strtok_r(NULL, " ", &save), field++) {
				if (field == 52) {
					status = atoi(p);
					break;
				}
			}
		}
	}
	memset(&info, 0, sizeof(info));
	info.mask = MKD_PIDFD_INFO_EXIT;
	if (!ioctl(pidfd, MKD_PIDFD_GET_INFO, &info) &&
	    (info.mask & MKD_PIDFD_INFO_EXIT))
		return info.exit_code;		/* reaped: authoritative */
	/*
	 * Not reaped (or an older kernel): if the process still exists as a
	 * zombie, the pid was not recycled and what /proc said is ours.
	 */
	if (syscall(SYS_pidfd_send_signal, pidfd, 0, NULL, 0) == 0)
		return status;
	return -1;
}

/*
 * UDP: is the socket that sent from addr one of pid's?  The kernel knows
 * which socket owns a local port (/proc/net/udp*) and which process holds
 * which socket (/proc/<pid>/fd).
 */
static unsigned long udp_inode(const struct sockaddr *sa)
{
	const struct sockaddr_in6 *s6 = (const void *)sa;
	const struct sockaddr_in *s4 = (const void *)sa;
	bool v6 = sa->sa_family == AF_INET6;
	unsigned char want[16], any[16] = { 0 };
	unsigned int port, wlen;
	unsigned long best = 0;
	char line[512];
	FILE *f;

	if (v6 && IN6_IS_ADDR_V4MAPPED(&s6->sin6_addr)) {
		v6 = false;
		memcpy(want, &s6->sin6_addr.s6_addr[12], 4);
		port = ntohs(s6->sin6_port);
	} else if (v6) {
		memcpy(want, &s6->sin6_addr, 16);
		port = ntohs(s6->sin6_port);
	} else {
		memcpy(want, &s4->sin_addr, 4);
		port = ntohs(s4->sin_port);
	}
	wlen = v6 ? 16 : 4;
	f = fopen(v6 ? "/proc/net/udp6" : "/proc/net/udp", "re");
	if (!f)
		return 0;
	while (fgets(line, sizeof(line), f)) {
		char laddr[64];
		unsigned int lport, i, uid, st;
		unsigned long inode;
		unsigned char got[16];
		char ign[64];

		if (sscanf(line, " %*u: %63[0-9A-Fa-f]:%x %63s %x %63s %63s "
			   "%63s %u %63s %lu", laddr, &lport, ign, &st, ign,
			   ign, ign, &uid, ign, &inode) != 10)
			continue;
		if (lport != port || strlen(laddr) != wlen * 2)
			continue;
		/* The kernel prints each 32-bit word as a host-order %08X. */
		for (i = 0; i < wlen / 4; i++) {
			unsigned int w;
			char word[9];

			memcpy(word, laddr + i * 8, 8);
			word[8] = 0;
			w = strtoul(word, NULL, 16);
			memcpy(got + i * 4, &w, 4);
		}
		if (!memcmp(got, want, wlen)) {
			best = inode;
			break;
		}
		if (!memcmp(got, any, wlen))
			best = inode;
	}
	fclose(f);
	return best;
}

static bool pid_has_socket(pid_t pid, unsigned long inode)
{
	char path[64], want[64], link[64];
	struct dirent *de;
	bool found = false;
	DIR *d;

	snprintf(path, sizeof(path), "/proc/%d/fd", (int)pid);
	snprintf(want, sizeof(want), "socket:[%lu]", inode);
	d = opendir(path);
	if (!d)
		return false;
	while (!found && (de = readdir(d))) {
		char fdpath[320];
		ssize_t n;

		if (de->d_name[0] == '.')
			continue;
		snprintf(fdpath, sizeof(fdpath), "%s/%s", path, de->d_name);
		n = readlink(fdpath, link, sizeof(link) - 1);
		if (n <= 0)
			continue;
		link[n] = 0;
		found = !strcmp(link, want);
	}
	closedir(d);
	return found;
}

static bool udp_pid_owns(pid_t pid, const struct sockaddr *sa)
{
	unsigned long inode = udp_inode(sa);
	int pidfd;
	bool ok;

	if (!inode || pid <= 0)
		return false;
	pidfd = pidfd_open(pid);	/* a thread-group leader, alive */
	if (pidfd < 0)
		return false;
	ok = pid_has_socket(pid, inode) && !pidfd_exited(pidfd);
	close(pidfd);
	return ok;
}

static bool is_loopback(const struct sockaddr *sa)
{
	if (sa->sa_family == AF_INET) {
		const struct sockaddr_in *s4 = (const void *)sa;

		return (ntohl(s4->sin_addr.s_addr) >> 24) == 127;
	}
	if (sa->sa_family == AF_INET6) {
		const struct sockaddr_in6 *s6 = (const void *)sa;

		if (IN6_IS_ADDR_LOOPBACK(&s6->sin6_addr))
			return true;
		return IN6_IS_ADDR_V4MAPPED(&s6->sin6_addr) &&
		       s6->sin6_addr.s6_addr[12] == 127;
	}
	return false;
}

/* ---------------------------------------------------------------- */
/* Clients                                                           */
/* ---------------------------------------------------------------- */

/*
 * A client is one socket address of a listener: the unix address a
 * libmol socket bound, or a UDP source address and port.  While bound it
 * speaks for one slot, and only the process that bound it may use it.
 */
struct client {
	struct client *hnext;
	struct list_head lru;		/* unbound clients, oldest first */
	struct mkd_listener *ln;
	socklen_t alen;
	struct sockaddr_storage addr;

	pid_t pid;			/* binder (verified); unbound: the
					 * last sender's claimed pid */
	struct mk_proc *proc;		/* slot bound (maybe taken since) */
	struct mk_inst *inst;		/* a reference while proc is set */
	int endpoint;
	uint32_t instance;
	struct mkd_watch *watch;	/* the binder's death */
	pid_t udp_verified;		/* udp: pid proven to own the port */

	bool pending;			/* a call waits for its answer */
	struct molk_hdr pending_hdr;

	bool have_seq;
	uint32_t last_seq;
	bool have_cache;
	uint32_t cache_seq;
	uint16_t cache_len;
	unsigned char cache[MOLK_MAX_SIZE];
};

static struct client *client_hash[MKD_HASH_SIZE];
/* Live watches by pid; fired ones waiting for their exit event. */
static struct mkd_watch *watch_hash[MKD_WATCH_HASH];
static struct list_head exit_waits = { &exit_waits, &exit_waits };

/* Stop watching w (the loop frees it once safe). */
static void watch_del(struct mkd_watch *w)
{
	struct mkd_watch **pp = &watch_hash[(unsigned int)w->pid %
					      MKD_WATCH_HASH];

	while (*pp && *pp != w)
		pp = &(*pp)->pid_next;
	if (*pp)
		*pp = w->pid_next;
	if (w->waiting) {
		list_del_init(&w->wait_link);
		w->waiting = false;
	}
	loop->del_watch(w);
}
static struct list_head unbound_lru = { &unbound_lru, &unbound_lru };
static unsigned int nr_unbound;

static unsigned int addr_hash(const struct mkd_listener *ln,
			      const void *addr, socklen_t alen)
{
	const unsigned char *b = addr;
	uint32_t h = 2166136261u ^ ln->index;
	socklen_t i;

	for (i = 0; i < alen; i++)
		h = (h ^ b[i]) * 16777619u;
	return h % MKD_HASH_SIZE;
}

static struct client *client_find(const struct mkd_rx *rx)
{
	struct client *c;

	for (c = client_hash[addr_hash(rx->ln, rx->addr, rx->alen)]; c;
	     c = c->hnext)
		if (c->ln == rx->ln && c->alen == rx->alen &&
		    !memcmp(&c->addr, rx->addr, rx->alen))
			return c;
	return NULL;
}

static void client_unhash(struct client *c)
{
	struct client **pp = &client_hash[addr_hash(c->ln, &c->addr,
						      c->alen)];

	while (*pp && *pp != c)
		pp = &(*pp)->hnext;
	if (*pp)
		*pp = c->hnext;
}

static void client_free(struct client *c)
{
	client_unhash(c);
	if (!c->proc) {
		list_del_init(&c->lru);
		nr_unbound--;
	}
	if (c->watch)
		watch_del(c->watch);
	if (c->inst)
		mk_inst_put(c->inst);
	stats.clients--;
	free(c);
}

static struct client *client_new(const struct mkd_rx *rx)
{
	struct client *c;
	unsigned int h;

	if (nr_unbound >= MKD_MAX_UNBOUND)
		client_free(list_first_entry(&unbound_lru, struct client,
					     lru));
	c = calloc(1, sizeof(*c));
	if (!c)
		return NULL;
	c->ln = rx->ln;
	c->alen = rx->alen;
	memcpy(&c->addr, rx->addr, rx->alen);
	c->endpoint = MOL_NONE;
	h = addr_hash(rx->ln, rx->addr, rx->alen);
	c->hnext = client_hash[h];
	client_hash[h] = c;
	list_add_tail(&c->lru, &unbound_lru);
	nr_unbound++;
	stats.clients++;
	return c;
}

static struct mkd_watch *watch_new(pid_t pid, enum mkd_watch_kind kind,
				   void *obj)
{
	uint64_t since = mono_ns();	/* its exit event comes after */
	struct mkd_watch *w, **head;
	int pidfd = pidfd_open(pid);

	if (pidfd < 0)
		return NULL;
	if (pidfd_exited(pidfd)) {
		close(pidfd);
		errno = ESRCH;
		return NULL;
	}
	w = calloc(1, sizeof(*w));
	if (!w) {
		close(pidfd);
		return NULL;
	}
	w->pidfd = pidfd;
	w->pid = pid;
	w->kind = kind;
	w->obj = obj;
	w->since_ns = since;
	INIT_LIST_HEAD(&w->wait_link);
	if (loop->add_watch(w)) {
		close(pidfd);
		free(w);
		return NULL;
	}
	head = &watch_hash[(unsigned int)pid % MKD_WATCH_HASH];
	w->pid_next = *head;
	*head = w;
	return w;
}

/* The client now speaks for slot p of its instance, as process pid. */
static void client_bind(struct client *c, struct mk_proc *p, pid_t pid)
{
	list_del_init(&c->lru);
	nr_unbound--;
	c->proc = p;
	c->inst = p->inst;		/* mk_create/mk_bind took the ref */
	c->endpoint = p->endpoint;
	c->instance = p->inst->id;
	c->pid = pid;
	c->watch = watch_new(pid, MKD_WATCH_CLIENT, c);
	mkd_log(2, "%s: pid %d bound endpoint %d of instance %u",
		c->ln->name, (int)pid, c->endpoint, c->instance);
}

/* ---------------------------------------------------------------- */
/* The state machine's environment                                   */
/* ---------------------------------------------------------------- */

static int env_watch(void *ctx, struct mk_proc *p, pid_t pid, void **handle)
{
	struct mkd_watch *w = watch_new(pid, MKD_WATCH_PROC, p);

	if (!w)
		return errno == ENOMEM || errno == EMFILE ? -errno :
							    MOL_EDEADSRCDST;
	*handle = w;
	return 0;
}

static void env_unwatch(void *ctx, void *handle)
{
	watch_del(handle);
}

static bool env_alive(void *ctx, pid_t pid)
{
	int pidfd;
	bool ok;

	if (pid <= 0)
		return false;
	pidfd = pidfd_open(pid);
	if (pidfd < 0)
		return false;
	ok = !pidfd_exited(pidfd);
	close(pidfd);
	return ok;
}

static uint64_t env_now(void *ctx)
{
	return mono_ns();
}

/* ---------------------------------------------------------------- */
/* Replies                                                           */
/* ---------------------------------------------------------------- */

static void send_dgram(struct mkd_listener *ln, const struct sockaddr *addr,
		       socklen_t alen, const void *buf, size_t len)
{
	int ret = loop->send(ln, addr, alen, buf, len);

	if (ret) {
		stats.send_errors++;
		mkd_log(2, "reply not sent on %s: %s", ln->name,
			strerror(-ret));
	} else {
		stats.replies++;
	}
}

/*
 * Answer the request rq with ret, the message m (receiving calls) and the
 * control argument arg; kept in c's cache (if any) for retransmits.
 */
static void reply(struct client *c, struct mkd_listener *ln,
		  const struct sockaddr *addr, socklen_t alen,
		  const struct molk_hdr *rq, int ret, uint32_t status,
		  const struct mol_message *m, const void *arg)
{
	unsigned char buf[MOLK_MAX_SIZE];
	struct molk_dgram d;
	size_t len;

	memset(&d, 0, sizeof(d));
	d.h = *rq;
	d.h.op = rq->op | MOLK_OP_REPLY;
	d.h.ret = ret;
	d.h.status = status;
	d.h.timeout_ns = 0;
	if (m)
		d.msg = *m;
	d.arg_len = molk_arg_size(rq->op);
	if (arg && d.arg_len)
		memcpy(&d.arg, arg, d.arg_len);
	len = molk_encode(buf, sizeof(buf), &d);
	if (!len)
		return;
	if (c) {
		c->have_cache = true;
		c->cache_seq = rq->seq;
		c->cache_len = len;
		memcpy(c->cache, buf, len);
	}
	send_dgram(ln, addr, alen, buf, len);
}

static bool op_receives(uint32_t op)
{
	return op == MOLK_OP_RECEIVE || op == MOLK_OP_SENDREC ||
	       op == MOLK_OP_REPLY_RECV;
}

/* env.complete: the blocked call of p ends; answer its client. */
static void env_complete(void *ctx, struct mk_proc *p, int status,
			 uint32_t rstatus, const struct mol_message *msg)
{
	struct client *c = p->owner;
	bool rcv;

	if (!c || !c->pending)
		return;
	c->pending = false;
	rcv = status == MOL_OK && op_receives(c->pending_hdr.op);
	reply(c, c->ln, (struct sockaddr *)&c->addr, c->alen, &c->pending_hdr,
	      status, rcv ? rstatus : 0, rcv ? msg : NULL, NULL);
}

/* ---------------------------------------------------------------- */
/* Requests                                                          */
/* ---------------------------------------------------------------- */

static void do_ipc(struct client *c, const struct mkd_rx *rx,
		   const struct molk_dgram *d, bool same_pid)
{
	struct molipc_ipc req = {
		.endpoint = d->h.peer,
		.src = d->h.src,
		.flags = d->h.flags,
		.timeout_ns = d->h.timeout_ns,
		.msg = d->msg,
	};
	int op = d->h.op;
	struct mk_proc *p = c->proc;
	int ret;

	ret = molk_ipc_check_args(op, &req);
	if (!ret && (!p || !same_pid))
		ret = MOL_ENOTBOUND;
	if (!ret && p->inst->dead)
		ret = MOL_EINSTGONE;
	if (!ret && p->owner != c)
		ret = MOL_ENOTBOUND;
	if (!ret) {
		ret = mk_ipc(&kernel, p, op, &req);
		if (ret == MK_BLOCKED) {
			c->pending = true;
			c->pending_hdr = d->h;
			stats.blocked++;
			return;
		}
	}
	stats.calls++;
	if (ret == MOL_OK && op_receives(op))
		reply(c, rx->ln, rx->addr, rx->alen, &d->h, ret, req.status,
		      &req.msg, NULL);
	else
		reply(c, rx->ln, rx->addr, rx->alen, &d->h, ret, 0, NULL,
		      NULL);
}

/* The pid a request comes from, proven: creds (unix) or ownership (udp). */
static pid_t verified_pid(struct client *c, const struct mkd_rx *rx,
			  const struct molk_dgram *d)
{
	if (rx->ln->is_unix)
		return rx->cred_pid;
	if (c->udp_verified == d->h.pid)
		return d->h.pid;
	if (!udp_pid_owns(d->h.pid, rx->addr))
		return 0;
	c->udp_verified = d->h.pid;
	return d->h.pid;
}

static void do_control(struct client *c, const struct mkd_rx *rx,
		       struct molk_dgram *d, bool same_pid)
{
	struct mk_caller caller = {
		.pid = d->h.pid,
		.same_pid = same_pid,
		.bound = c->proc,
		.owner = c,
	};
	struct mk_proc *bound = NULL;
	int ret;

	switch (d->h.op) {
	case MOLK_OP_VERSION:
		mk_version(&kernel, &d->arg.version);
		ret = 0;
		break;
	case MOLK_OP_STATS:
		stats.instances = kernel.nr_instances;
		stats.calls = kernel.nr_calls;
		stats.blocked = kernel.nr_blocked;
		stats.deaths = kernel.nr_deaths;
		d->arg.stats = stats;
		ret = 0;
		break;
	case MOLK_OP_CREATE:
		caller.pid = verified_pid(c, rx, d);
		caller.privileged = caller.pid > 0 &&
				    pid_privileged(caller.pid);
		ret = mk_create(&kernel, &caller, &d->arg.create, &bound);
		if (!ret && bound)
			client_bind(c, bound, caller.pid);
		if (!ret)
			mkd_log(1, "instance %u created by pid %d (%u procs)",
				d->arg.create.instance, (int)caller.pid,
				bound ? bound->inst->nr_procs : 0);
		break;
	case MOLK_OP_BIND:
		caller.pid = verified_pid(c, rx, d);
		ret = mk_bind(&kernel, &caller, &d->arg.bind, &bound);
		if (!ret)
			client_bind(c, bound, caller.pid);
		break;
	case MOLK_OP_REGISTER:
		ret = mk_register(&kernel, &caller, &d->arg.reg);
		break;
	case MOLK_OP_UNREGISTER:
		ret = mk_unregister(&kernel, &caller, &d->arg.epreq);
		break;
	case MOLK_OP_SETPRIV:
		ret = mk_setpriv(&kernel, &caller, &d->arg.epreq);
		break;
	case MOLK_OP_DEAD:
		ret = mk_take_dead(&kernel, &caller, &d->arg.dead);
		break;
	case MOLK_OP_PROCINFO:
		ret = mk_procinfo(&kernel, &caller, &d->arg.procinfo);
		break;
	case MOLK_OP_SETGRANT:
		ret = mk_setgrant(&kernel, &caller, &d->arg.setgrant);
		break;
	case MOLK_OP_SAFECOPY:
		ret = mk_safecopy(&kernel, &caller, &d->arg.safecopy);
		break;
	default:
		ret = MOL_EINVAL;
		break;
	}
	reply(c, rx->ln, rx->addr, rx->alen, &d->h, ret, 0, NULL,
	      ret ? NULL : &d->arg);
}

/* The client closes its socket: a bound endpoint dies with it. */
static void do_close(struct client *c, const struct mkd_rx *rx,
		     const struct molk_dgram *d, bool same_pid)
{
	struct molk_hdr h = d->h;

	if (!same_pid && c->proc) {
		/* A forked child's close does not release the parent's. */
		reply(c, rx->ln, rx->addr, rx->alen, &h, 0, 0, NULL, NULL);
		return;
	}
	if (c->proc && c->proc->owner == c)
		mk_proc_gone(&kernel, c->proc, -1);
	client_free(c);
	reply(NULL, rx->ln, rx->addr, rx->alen, &h, 0, 0, NULL, NULL);
}

void mkd_datagram(const struct mkd_rx *rx)
{
	struct molk_dgram d;
	struct client *c;
	bool same_pid;
	pid_t pid;
	int why;

	stats.received++;
	if (rx->truncated) {
		drop(MOLK_DROP_LENGTH, rx, "truncated");
		return;
	}
	why = molk_decode_request(rx->buf, rx->len, &d);
	if (why >= 0) {
		drop(why, rx, NULL);
		return;
	}

	/* Who sent it, as far as the kernel can tell. */
	if (rx->ln->is_unix) {
		if (rx->alen <= offsetof(struct sockaddr_un, sun_path)) {
			drop(MOLK_DROP_CREDS, rx, "unnamed socket");
			return;
		}
		if (!rx->have_creds || rx->cred_pid <= 0) {
			drop(MOLK_DROP_CREDS, rx, "no credentials");
			return;
		}
		if (rx->cred_pid != d.h.pid) {
			drop(MOLK_DROP_CREDS, rx, "pid is not the sender's");
			return;
		}
	} else if (!is_loopback(rx->addr)) {
		drop(MOLK_DROP_NONLOCAL, rx, NULL);
		return;
	}
	pid = d.h.pid;

	c = client_find(rx);
	/* The identity claimed must be the one bound from this address. */
	if (c ? (c->endpoint != d.h.endpoint ||
		 (c->proc && c->instance != d.h.instance)) :
		d.h.endpoint != MOL_NONE) {
		drop(MOLK_DROP_SPOOF, rx, "endpoint not bound here");
		return;
	}

	if (d.h.op == MOLK_OP_CANCEL) {
		if (c && c->pending && c->pending_hdr.seq == d.h.seq &&
		    c->pending_hdr.pid == pid) {
			stats.cancels++;
			mk_cancel(&kernel, c->proc, MOL_EINTR);
		} else if (c && c->have_cache && c->cache_seq == d.h.seq) {
			stats.resent++;
			send_dgram(rx->ln, rx->addr, rx->alen, c->cache,
				   c->cache_len);
		} else {
			drop(MOLK_DROP_CANCEL, rx, NULL);
		}
		return;
	}

	if (c && !c->proc && c->pid != pid) {
		/*
		 * An unbound address used by another process (an autobind
		 * name or a port reused after its owner exited): a new
		 * client, whose sequence numbers start anywhere.
		 */
		c->pid = pid;
		c->have_seq = false;
		c->have_cache = false;
	}
	if (c && c->pending && c->pending_hdr.seq == d.h.seq) {
		stats.dups++;		/* a retransmit of the call in progress */
		return;
	}
	if (c && c->have_cache && c->cache_seq == d.h.seq) {
		stats.resent++;
		send_dgram(rx->ln, rx->addr, rx->alen, c->cache, c->cache_len);
		return;
	}
	if (c && c->have_seq && (int32_t)(d.h.seq - c->last_seq) <= 0) {
		drop(MOLK_DROP_SEQ, rx, NULL);
		return;
	}

	if (d.h.op == MOLK_OP_CLOSE) {
		if (c)
			do_close(c, rx, &d, !c->proc || c->pid == pid);
		else
			reply(NULL, rx->ln, rx->addr, rx->alen, &d.h, 0, 0,
			      NULL, NULL);
		return;
	}

	if (!c && (d.h.op == MOLK_OP_VERSION || d.h.op == MOLK_OP_STATS)) {
		/* Stateless questions of strangers leave no record. */
		struct client tmp = { .ln = rx->ln, .endpoint = MOL_NONE };

		do_control(&tmp, rx, &d, false);
		return;
	}
	if (!c) {
		c = client_new(rx);
		if (!c) {
			drop(MOLK_DROP_NOMEM, rx, NULL);
			return;
		}
		c->pid = pid;
	} else if (!c->proc) {
		/* Recently used unbound clients are evicted last. */
		list_del_init(&c->lru);
		list_add_tail(&c->lru, &unbound_lru);
	}
	c->have_seq = true;
	c->last_seq = d.h.seq;
	same_pid = c->proc && c->pid == pid;

	mkd_log(3, "%s: pid %d seq %u %s ep %d peer %d", rx->ln->name,
		(int)pid, d.h.seq, molk_op_name(d.h.op), d.h.endpoint,
		d.h.peer);
	if (c->pending) {
		/* Another thread of the client while a call is blocked. */
		reply(c, rx->ln, rx->addr, rx->alen, &d.h,
		      molk_is_ipc(d.h.op) &&
		      molk_ipc_check_args(d.h.op, &(struct molipc_ipc){
				.endpoint = d.h.peer, .src = d.h.src,
				.flags = d.h.flags,
				.timeout_ns = d.h.timeout_ns }) ?
		      MOL_EINVAL : MOL_EBUSY, 0, NULL, NULL);
		return;
	}
	if (molk_is_ipc(d.h.op))
		do_ipc(c, rx, &d, same_pid);
	else
		do_control(c, rx, &d, same_pid);
}

/*
 * Exit codes from the process-events connector (procev.c): pid, in the
 * initial pid namespace (the connector works only when molkernel is in
 * it), is a thread-group leader.  Kept in pid's live watches only, if
 * the event is younger than the watch (an older one was a previous
 * process with that pid) and than the last exec (a non-leader thread's
 * execve kills the old leader, who reports an exit: not the process's).
 */
void mkd_proc_exited(pid_t pid, int status, uint64_t ts_ns)
{
	struct mkd_watch *w;

	for (w = watch_hash[(unsigned int)pid % MKD_WATCH_HASH]; w;
	     w = w->pid_next) {
		if (w->pid != pid || w->removed || ts_ns <= w->since_ns ||
		    ts_ns <= w->exec_ns)
			continue;
		w->exit_status = status;
		w->exit_ns = ts_ns;
		w->have_exit = true;
	}
}

void mkd_proc_execed(pid_t pid, uint64_t ts_ns)
{
	struct mkd_watch *w;

	for (w = watch_hash[(unsigned int)pid % MKD_WATCH_HASH]; w;
	     w = w->pid_next) {
		if (w->pid != pid || w->removed || ts_ns <= w->since_ns)
			continue;
		if (ts_ns > w->exec_ns)
			w->exec_ns = ts_ns;
		if (w->have_exit && w->exit_ns < ts_ns)
			w->have_exit = false;
	}
}

/* The watched process is gone: free its slot or client, report it. */
static void watch_death(struct mkd_watch *w)
{
	int status;

	if (w->have_exit) {
		status = w->exit_status;
	} else {
		status = exit_status(w->pidfd, w->pid);
		if (mkd_procev_active())
			nr_exit_fallbacks++;
	}
	mkd_log(2, "pid %d exited, status %#x%s", (int)w->pid, status,
		w->have_exit ? "" : " (no process event)");
	if (w->kind == MKD_WATCH_PROC) {
		struct mk_proc *p = w->obj;

		mk_proc_gone(&kernel, p, status);
		/* mk_proc_gone unwatched p; in any case never fire again. */
		if (!w->removed) {
			if (p->watch == w)
				p->watch = NULL;
			watch_del(w);
		}
	} else {
		struct client *c = w->obj;

		c->watch = NULL;
		watch_del(w);
		if (c->proc && c->proc->owner == c)
			mk_proc_gone(&kernel, c->proc, status);
		client_free(c);
	}
}

/*
 * A watched process exited (its pidfd is readable; the loops report it
 * once).  Its exit event may not be here yet: Linux sends it after
 * exit_notify(), which makes the pidfd readable.  Then the death waits,
 * without blocking the loop, until the event or MKD_EXIT_WAIT_NS.
 */
void mkd_watch_fired(struct mkd_watch *w)
{
	if (mkd_procev_active()) {
		/*
		 * What is queued, even with a code: an exec that voids it
		 * may follow.  This only records, w stays.
		 */
		mkd_procev_read();
		if (!w->have_exit && mkd_procev_active()) {
			w->waiting = true;
			w->wait_until = mono_ns() + MKD_EXIT_WAIT_NS;
			list_add_tail(&w->wait_link, &exit_waits);
			nr_exit_waits++;
			return;
		}
	}
	watch_death(w);
}

/* Deaths whose event came, or whose wait is over; next deadline. */
static uint64_t exit_waits_run(void)
{
	struct list_head *pos, *tmp;
	uint64_t now;

	if (list_empty(&exit_waits))
		return UINT64_MAX;
	now = mono_ns();
again:
	list_for_each_safe(pos, tmp, &exit_waits) {
		struct mkd_watch *w = list_entry(pos, struct mkd_watch,
						 wait_link);

		if (!w->have_exit && now < w->wait_until && mkd_procev_active())
			continue;
		list_del_init(&w->wait_link);
		w->waiting = false;
		watch_death(w);
		goto again;		/* it may have deleted others */
	}
	/* Same delay for all: the first waits least. */
	return list_empty(&exit_waits) ? UINT64_MAX :
	       list_first_entry(&exit_waits, struct mkd_watch,
				wait_link)->wait_until;
}

/* ---------------------------------------------------------------- */
/* Sockets                                                           */
/* ---------------------------------------------------------------- */

static char *unix_paths[MKD_MAX_LISTENERS];

static int mkdir_p(const char *dir)
{
	char tmp[PATH_MAX];
	char *p;

	snprintf(tmp, sizeof(tmp), "%s", dir);
	for (p = tmp + 1; *p; p++) {
		if (*p != '/')
			continue;
		*p = 0;
		if (mkdir(tmp, 0755) && errno != EEXIST)
			return -errno;
		*p = '/';
	}
	if (mkdir(tmp, 0755) && errno != EEXIST)
		return -errno;
	return 0;
}

static int listen_unix(struct mkd_listener *ln, const char *path)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	int one = 1, bufsz = 4 << 20;
	char dir[PATH_MAX], *slash;
	int fd;

	if (strlen(path) >= sizeof(sa.sun_path)) {
		mkd_log(0, "unix socket path too long: %s", path);
		return -1;
	}
	snprintf(dir, sizeof(dir), "%s", path);
	slash = strrchr(dir, '/');
	if (slash && slash != dir) {
		*slash = 0;
		mkdir_p(dir);
	}
	strcpy(sa.sun_path, path);
	fd = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
	if (fd < 0)
		return -1;
	setsockopt(fd, SOL_SOCKET, SO_PASSCRED, &one, sizeof(one));
	setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &bufsz, sizeof(bufsz));
	setsockopt(fd, SOL_SOCKET, SO_SNDBUF, &bufsz, sizeof(bufsz));
	/* A stale socket of a dead molkernel: take its place. */
	if (bind(fd, (struct sockaddr *)&sa, sizeof(sa))) {
		int probe;

		if (errno != EADDRINUSE) {
			close(fd);
			return -1;
		}
		probe = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
		if (probe >= 0 && connect(probe, (struct sockaddr *)&sa,
					  sizeof(sa)) == 0) {
			close(probe);
			mkd_log(0, "%s: another molkernel is listening", path);
			close(fd);
			errno = EADDRINUSE;
			return -1;
		}
		if (probe >= 0)
			close(probe);
		unlink(path);
		if (bind(fd, (struct sockaddr *)&sa, sizeof(sa))) {
			close(fd);
			return -1;
		}
	}
	/* Anyone may talk to us: what they may do is decided per request. */
	chmod(path, 0666);
	ln->fd = fd;
	ln->is_unix = true;
	snprintf(ln->name, sizeof(ln->name), "unix:%s", path);
	unix_paths[ln->index] = strdup(path);
	return 0;
}

static int listen_udp(struct mkd_listener *ln, const char *spec)
{
	struct addrinfo hints = {
		.ai_family = AF_UNSPEC,
		.ai_socktype = SOCK_DGRAM,
		.ai_flags = AI_PASSIVE | AI_NUMERICSERV,
	}, *res = NULL;
	char host[256], *colon;
	const char *port;
	int fd, bufsz = 4 << 20, err;

	snprintf(host, sizeof(host), "%s", spec);
	colon = strrchr(host, ':');
	if (!colon) {
		mkd_log(0, "udp listen address needs HOST:PORT: %s", spec);
		return -1;
	}
	*colon = 0;
	port = colon + 1;
	if (host[0] == '[' && host[strlen(host) - 1] == ']') {
		memmove(host, host + 1, strlen(host));
		host[strlen(host) - 1] = 0;
	}
	err = getaddrinfo(host[0] ? host : NULL, port, &hints, &res);
	if (err) {
		mkd_log(0, "udp:%s: %s", spec, gai_strerror(err));
		return -1;
	}
	fd = socket(res->ai_family, SOCK_DGRAM | SOCK_CLOEXEC | SOCK_NONBLOCK,
		    0);
	if (fd < 0 || bind(fd, res->ai_addr, res->ai_addrlen)) {
		mkd_log(0, "udp:%s: %s", spec, strerror(errno));
		if (fd >= 0)
			close(fd);
		freeaddrinfo(res);
		return -1;
	}
	freeaddrinfo(res);
	setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &bufsz, sizeof(bufsz));
	setsockopt(fd, SOL_SOCKET, SO_SNDBUF, &bufsz, sizeof(bufsz));
	ln->fd = fd;
	ln->is_unix = false;
	snprintf(ln->name, sizeof(ln->name), "udp:%s", spec);
	return 0;
}

static int add_listen(const char *spec)
{
	struct mkd_listener *ln;
	int ret;

	if (nr_listeners == MKD_MAX_LISTENERS) {
		mkd_log(0, "too many --listen");
		return -1;
	}
	ln = &listeners[nr_listeners];
	ln->index = nr_listeners;
	if (!strncmp(spec, "unix:", 5))
		ret = listen_unix(ln, spec + 5);
	else if (!strncmp(spec, "udp:", 4))
		ret = listen_udp(ln, spec + 4);
	else {
		mkd_log(0, "--listen wants unix:PATH or udp:HOST:PORT, not %s",
			spec);
		return -1;
	}
	if (ret) {
		mkd_log(0, "cannot listen on %s: %s", spec, strerror(errno));
		return -1;
	}
	nr_listeners++;
	mkd_log(1, "listening on %s", ln->name);
	return 0;
}

/* ---------------------------------------------------------------- */
/* Main                                                              */
/* ---------------------------------------------------------------- */

static void on_signal(int sig)
{
	if (sig == SIGUSR1)
		got_usr1 = 1;
	else
		got_term = 1;
}

static void usage(FILE *f)
{
	fprintf(f,
"Usage: molkernel [OPTION]...\n"
"MoL's userspace pseudo-kernel: MINIX IPC between Linux processes over\n"
"datagram sockets, with the semantics of molipc.ko (libmol transports\n"
"\"unix\" and \"udp\").\n"
"\n"
"  -l, --listen=ADDR        unix:PATH or udp:HOST:PORT; may be repeated\n"
"                           (default unix:%s)\n"
"  -f, --foreground         stay in the foreground (the default)\n"
"  -d, --daemon             detach: double fork, setsid, chdir /\n"
"  -p, --pidfile=FILE       write the daemon's pid to FILE\n"
"  -L, --loop=epoll|uring   event loop (default $MOLKERNEL_LOOP, else\n"
"                           uring when built with liburing)\n"
"  -n, --procs=N            default slots per instance (default 256)\n"
"  -m, --max-instances=N    instances at most (default 64)\n"
"  -v, --verbose            more log lines on stderr (repeatable)\n"
"  -q, --quiet              errors only\n"
"  -h, --help               this text\n"
"  -V, --version            print the version\n"
"\n"
"Signals: SIGUSR1 logs the counters (also MOLK_OP_STATS), SIGTERM and\n"
"SIGINT stop.  See Documentation/protocol.md.\n", MOLK_DEFAULT_UNIX_PATH);
}

/*
 * Detach (double fork, setsid).  The first process exits only when the
 * daemon has written its pid file (daemon_ready()), so that whoever
 * started molkernel finds the sockets bound and the pid file written.
 */
static int ready_fd = -1;

static int daemonize(void)
{
	int pfd[2], fd;
	pid_t pid;
	char c;

	if (pipe2(pfd, O_CLOEXEC))
		return -1;
	pid = fork();
	if (pid < 0)
		return -1;
	if (pid > 0) {
		close(pfd[1]);
		_exit(read(pfd[0], &c, 1) == 1 ? 0 : 1);
	}
	close(pfd[0]);
	setsid();
	pid = fork();
	if (pid < 0)
		return -1;
	if (pid > 0)
		_exit(0);
	if (chdir("/"))
		return -1;
	fd = open("/dev/null", O_RDWR | O_CLOEXEC);
	if (fd >= 0) {
		dup2(fd, 0);
		dup2(fd, 1);
		if (fd > 2)
			close(fd);
	}
	ready_fd = pfd[1];
	return 0;
}

static void daemon_ready(void)
{
	if (ready_fd >= 0) {
		if (write(ready_fd, "r", 1) != 1)
			mkd_log(0, "cannot tell the parent we are ready");
		close(ready_fd);
		ready_fd = -1;
	}
}

int main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "listen", required_argument, NULL, 'l' },
		{ "foreground", no_argument, NULL, 'f' },
		{ "daemon", no_argument, NULL, 'd' },
		{ "pidfile", required_argument, NULL, 'p' },
		{ "loop", required_argument, NULL, 'L' },
		{ "procs", required_argument, NULL, 'n' },
		{ "max-instances", required_argument, NULL, 'm' },
		{ "verbose", no_argument, NULL, 'v' },
		{ "quiet", no_argument, NULL, 'q' },
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ NULL, 0, NULL, 0 },
	};
	const struct mk_env env = {
		.complete = env_complete,
		.watch = env_watch,
		.unwatch = env_unwatch,
		.alive = env_alive,
		.now = env_now,
	};
	const char *specs[MKD_MAX_LISTENERS];
	const char *pidfile = NULL, *loop_name = NULL;
	unsigned long procs = 256, max_inst = 64;
	int nr_specs = 0, daemon_mode = 0, opt, i;
	struct sigaction sa;
	struct rlimit rl;
	char *end;

	while ((opt = getopt_long(argc, argv, "l:fdp:L:n:m:vqhV", opts,
				  NULL)) != -1) {
		switch (opt) {
		case 'l':
			if (nr_specs == MKD_MAX_LISTENERS) {
				fprintf(stderr, "molkernel: too many --listen\n");
				return 2;
			}
			specs[nr_specs++] = optarg;
			break;
		case 'f':
			daemon_mode = 0;
			break;
		case 'd':
			daemon_mode = 1;
			break;
		case 'p':
			pidfile = optarg;
			break;
		case 'L':
			loop_name = optarg;
			break;
		case 'n':
			procs = strtoul(optarg, &end, 0);
			if (*end || procs < MOL_MIN_PROCS ||
			    procs > MOL_MAX_PROCS) {
				fprintf(stderr, "molkernel: --procs must be "
					"%d..%d\n", MOL_MIN_PROCS,
					MOL_MAX_PROCS);
				return 2;
			}
			break;
		case 'm':
			max_inst = strtoul(optarg, &end, 0);
			if (*end || !max_inst || max_inst > 65536) {
				fprintf(stderr, "molkernel: bad --max-instances\n");
				return 2;
			}
			break;
		case 'v':
			verbosity++;
			break;
		case 'q':
			verbosity = 0;
			break;
		case 'h':
			usage(stdout);
			return 0;
		case 'V':
			printf("molkernel %s (protocol %d, MoL ABI %d.%d)\n",
			       MKD_VERSION, MOLK_VERSION, MOLIPC_ABI_MAJOR,
			       MOLIPC_ABI_MINOR);
			return 0;
		default:
			usage(stderr);
			return 2;
		}
	}
	if (optind < argc) {
		usage(stderr);
		return 2;
	}

	if (!loop_name)
		loop_name = getenv("MOLKERNEL_LOOP");
	if (loop_name && !*loop_name)
		loop_name = NULL;
	loop = &mkd_loop_epoll;
#ifdef MOLK_HAVE_URING
	loop = &mkd_loop_uring;
#endif
	if (loop_name && !strcmp(loop_name, "epoll")) {
		loop = &mkd_loop_epoll;
	} else if (loop_name && strcmp(loop_name, "uring")) {
		fprintf(stderr, "molkernel: --loop is epoll or uring\n");
		return 2;
	}
#ifndef MOLK_HAVE_URING
	if (loop_name && !strcmp(loop_name, "uring")) {
		fprintf(stderr, "molkernel: built without liburing\n");
		return 2;
	}
#endif

	owner_uid = geteuid();
	my_userns = ns_inode("/proc/self/ns/user");
	if (!getrlimit(RLIMIT_NOFILE, &rl) && rl.rlim_cur < rl.rlim_max) {
		rl.rlim_cur = rl.rlim_max;
		setrlimit(RLIMIT_NOFILE, &rl);
	}

	if (!nr_specs)
		specs[nr_specs++] = "unix:" MOLK_DEFAULT_UNIX_PATH;
	for (i = 0; i < nr_specs; i++)
		if (add_listen(specs[i]))
			return 1;

	if (daemon_mode && daemonize()) {
		mkd_log(0, "cannot daemonize: %s", strerror(errno));
		return 1;
	}
	if (pidfile) {
		FILE *f = fopen(pidfile, "we");

		if (!f || fprintf(f, "%d\n", (int)getpid()) < 0 || fclose(f)) {
			mkd_log(0, "cannot write %s: %s", pidfile,
				strerror(errno));
			return 1;
		}
	}

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGUSR1, &sa, NULL);
	sa.sa_handler = SIG_IGN;
	sigaction(SIGPIPE, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL);

	if (loop->init()) {
		mkd_log(0, "%s event loop: %s", loop->name, strerror(errno));
		if (loop == &mkd_loop_epoll || loop_name)
			return 1;
		loop = &mkd_loop_epoll;
		mkd_log(0, "falling back to epoll");
		if (loop->init())
			return 1;
	}
	for (i = 0; i < nr_listeners; i++) {
		if (!loop->add_listener(&listeners[i]))
			continue;
		mkd_log(0, "%s: cannot add to the %s loop",
			listeners[i].name, loop->name);
		if (loop == &mkd_loop_epoll || loop_name)
			return 1;
		/* e.g. no provided-buffer rings (before Linux 5.19) */
		loop->fini();
		loop = &mkd_loop_epoll;
		mkd_log(0, "falling back to epoll");
		if (loop->init())
			return 1;
		i = -1;
	}
	mkd_procev_open(loop);
	mk_kernel_init(&kernel, &env, procs, max_inst);
	daemon_ready();
	mkd_log(1, "molkernel %s ready (%s loop, %lu procs, %lu instances)",
		MKD_VERSION, loop->name, procs, max_inst);

	while (!got_term) {
		uint64_t dl = mk_next_deadline(&kernel), now;
		uint64_t wdl = exit_waits_run();
		int64_t tmo = 1000000000LL;	/* bound signal latency */

		if (wdl < dl)
			dl = wdl;
		now = mono_ns();
		if (dl != UINT64_MAX)
			tmo = dl <= now ? 0 : (int64_t)(dl - now) < tmo ?
					  (int64_t)(dl - now) : tmo;
		if (loop->run_once(tmo) < 0) {
			mkd_log(0, "event loop failed: %s", strerror(errno));
			break;
		}
		mk_expire(&kernel, mono_ns());
		if (got_usr1) {
			got_usr1 = 0;
			dump_stats();
		}
	}

	mkd_log(1, "stopping");
	if (verbosity >= 2)
		dump_stats();
	mk_kernel_fini(&kernel);
	/* Send what the shutdown answered (EIDRM to blocked callers). */
	loop->run_once(0);
	loop->fini();
	mkd_procev_close();
	for (i = 0; i < nr_listeners; i++) {
		close(listeners[i].fd);
		if (unix_paths[i]) {
			unlink(unix_paths[i]);
			free(unix_paths[i]);
		}
	}
	if (pidfile)
		unlink(pidfile);
	return 0;
}
