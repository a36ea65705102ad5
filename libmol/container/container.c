// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * container.c - the MoL container: with LD_PRELOAD=libmol.so and
 * MOL_CONTAINER=1 a program becomes a MoL process (it binds the endpoint
 * the system task registered for it) and its process calls (fork, exec,
 * exit, wait, getpid, ...) become MINIX messages to PM, sent with
 * sendrec: the paper's syscall(who, nr, msg).
 *
 * fork: PM_FORK reserves the child's slot and MINIX pid, the real fork
 * runs, the parent commits the child's Linux pid (PM has the system task
 * register it) and releases the child through a pipe; the child binds a
 * fresh connection.  exec: the bound descriptor is handed to the new
 * image (FD_CLOEXEC cleared, MOL_CONTAINER_FD=fd:endpoint:seq), whose
 * constructor adopts it and tells PM (PM_EXEC).  Documented in
 * Documentation/architecture.md, "Process manager and container".
 */
#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "container.h"

struct ctr_state ctr CTR_HIDDEN = { .mol = { .fd = -1 } };
__thread int ctr_inlib CTR_HIDDEN;

static pthread_mutex_t ctr_lock = PTHREAD_MUTEX_INITIALIZER;
static __thread int ctr_nest;
extern char **environ;

#define ENV_FD		"MOL_CONTAINER_FD"

void *ctr_real(const char *name)
{
	void *f = dlsym(RTLD_NEXT, name);

	if (!f)
		ctr_die("no %s in the C library", name);
	return f;
}

void ctr_die(const char *fmt, ...)
{
	char buf[256];
	va_list ap;
	int n;

	n = snprintf(buf, sizeof(buf), "libmol container: ");
	va_start(ap, fmt);
	n += vsnprintf(buf + n, sizeof(buf) - n, fmt, ap);
	va_end(ap);
	if (n > (int)sizeof(buf) - 2)
		n = sizeof(buf) - 2;
	buf[n++] = '\n';
	if (syscall(SYS_write, 2, buf, n) < 0)
		n = 0;
	syscall(SYS_exit_group, 127);
	__builtin_unreachable();
}

long ctr_ret(int ret)
{
	if (ret < 0) {
		errno = -ret;
		return -1;
	}
	return ret;
}

int ctr_real_sigmask(int how, const sigset_t *set, sigset_t *old)
{
	return syscall(SYS_rt_sigprocmask, how, set, old, _NSIG / 8) ? -errno : 0;
}

/*
 * sendrec to PM.  One endpoint per process: threads are serialised by
 * a mutex.  A call made from a signal handler that interrupted a call
 * of the same thread cannot use the endpoint (it awaits PM's reply) and
 * fails -EINTR.  Calls that cannot block in PM run with signals blocked
 * (delivered right after the reply); waitpid leaves them deliverable.
 */
int ctr_call_to(int dst, int nr, struct mol_message *m, bool may_block,
		const struct ctr_grant *g, unsigned int ng)
{
	sigset_t all, old;
	unsigned int i;
	int ret = 0, id;

	if (!ctr.active)
		return -ENOSYS;
	if (ctr.exited)
		return -ESRCH;
	if (ctr_nest)
		return -EINTR;
	ctr_nest++;
	if (!may_block) {
		sigfillset(&all);
		ctr_real_sigmask(SIG_BLOCK, &all, &old);
	}
	pthread_mutex_lock(&ctr_lock);
	m->m_type = nr;
	ctr_inlib++;
	for (i = 0; i < ng; i++) {
		id = mol_grant_create(&ctr.mol, dst, g[i].addr, g[i].len,
				      g[i].access);
		if (id < 0) {
			ret = id;
			break;
		}
		*g[i].id = id;
	}
	if (!ret)
		ret = mol_sendrec(&ctr.mol, dst, m);
	while (i--)
		mol_grant_revoke(&ctr.mol, *g[i].id);
	ctr_inlib--;
	pthread_mutex_unlock(&ctr_lock);
	if (!may_block)
		ctr_real_sigmask(SIG_SETMASK, &old, NULL);
	ctr_nest--;
	if (ret < 0)
		return ret == MOL_EDEADSRCDST || ret == MOL_EINSTGONE ?
			-ENOSYS : ret;
	return m->m_type;
}

int ctr_call(int nr, struct mol_message *m, bool may_block)
{
	return ctr_call_to(MOL_PM, nr, m, may_block, NULL, 0);
}

/* ---------------------------------------------------------------- */
/* Start-up                                                          */
/* ---------------------------------------------------------------- */

static void ctr_save_env(void)
{
	size_t n = 0, j = 0, i;

	for (i = 0; environ && environ[i]; i++)
		n++;
	ctr.saved_env = calloc(n + 1, sizeof(char *));
	if (!ctr.saved_env)
		ctr_die("out of memory");
	for (i = 0; i < n; i++) {
		if (!strncmp(environ[i], ENV_FD "=", sizeof(ENV_FD)) ||
		    !strncmp(environ[i], ENV_FD "S=", sizeof(ENV_FD) + 1))
			continue;	/* this image's handover only */
		if (!strncmp(environ[i], "MOL_", 4) ||
		    !strncmp(environ[i], "LD_PRELOAD=", 11))
			ctr.saved_env[j++] = strdup(environ[i]);
	}
}

static bool ctr_preloaded(void)
{
	const char *p = getenv("LD_PRELOAD");

	return p && strstr(p, "libmol");
}

/* The new image of an exec: adopt the bound descriptor. */
static void ctr_adopt(const char *spec)
{
	int fd, ep, ret;
	unsigned int seq;

	if (sscanf(spec, "%d:%d:%u", &fd, &ep, &seq) != 3 || fd < 0 ||
	    fcntl(fd, F_GETFD) < 0)
		ctr_die("bad " ENV_FD " \"%s\"", spec);
	ctr_inlib++;
	ret = mol_open(&ctr.mol, NULL);
	if (ret < 0)
		ctr_die("open: %s", mol_strerror(ret));
	if (dup2(fd, ctr.mol.fd) < 0)
		ctr_die("dup2: %s", strerror(errno));
	syscall(SYS_close, fd);
	ctr_inlib--;
	fcntl(ctr.mol.fd, F_SETFD, FD_CLOEXEC);
	ctr.mol.endpoint = ep;
	ctr.mol.instance = ctr.instance;
	ctr.mol.seq = seq;
}

static void ctr_bind(void)
{
	int ret;

	ctr_inlib++;
	ret = mol_open(&ctr.mol, NULL);
	if (ret < 0)
		ctr_die("cannot reach the MoL IPC (%s): %s",
			getenv("MOL_TRANSPORT") ? getenv("MOL_TRANSPORT") :
			"default transport", mol_strerror(ret));
	ret = mol_bind(&ctr.mol, ctr.instance, MOL_ANY, NULL);
	ctr_inlib--;
	if (ret < 0)
		ctr_die("this process (Linux pid %d) is not registered in MoL "
			"instance %u: %s", (int)syscall(SYS_getpid),
			ctr.instance, mol_strerror(ret));
}

static void ctr_on_exit(int status, void *arg)
{
	/* FS forgets our files at PM_EXIT: stdio buffers go out first. */
	if (ctr_fs_on)
		fflush(NULL);
	ctr_report_exit(W_EXITCODE(status & 0xff, 0));
}

__attribute__((constructor)) static void ctr_init(void)
{
	const char *c = getenv("MOL_CONTAINER");
	const char *inst = getenv("MOL_INSTANCE");
	const char *fd = getenv(ENV_FD);
	const char *hz = getenv("MOL_HZ");
	struct mol_message m;
	char *end;

	if (!c || strcmp(c, "1")) {
		if (ctr_preloaded())
			ctr_die("libmol.so is preloaded but this program was "
				"not started by MoL (MOL_CONTAINER=1 is not "
				"set); use `molctl run`");
		return;
	}
	if (!inst || !*inst)
		ctr_die("MOL_CONTAINER=1 without MOL_INSTANCE: not started "
			"by MoL; use `molctl run`");
	ctr.instance = strtoul(inst, &end, 0);
	if (*end || !ctr.instance)
		ctr_die("bad MOL_INSTANCE \"%s\"", inst);
	ctr.hz = hz ? strtol(hz, NULL, 10) : 0;
	if (ctr.hz <= 0)
		ctr.hz = sysconf(_SC_CLK_TCK);
	ctr_save_env();
	if (fd) {
		ctr_adopt(fd);
		unsetenv(ENV_FD);
	} else {
		ctr_bind();
	}
	ctr.active = true;
	ctr_fs_init();
	ctr_sig_init();
	on_exit(ctr_on_exit, NULL);
	if (fd) {
		struct mol_pm_exec *e = MOL_BODY(&m, struct mol_pm_exec);

		memset(&m, 0, sizeof(m));
		snprintf(e->name, sizeof(e->name), "%s",
			 program_invocation_short_name);
		ctr_call(PM_EXEC, &m, false);
	}
}

/* ---------------------------------------------------------------- */
/* exit                                                              */
/* ---------------------------------------------------------------- */

/* Tell PM once that we are gone with wait status @status. */
void ctr_report_exit(int status)
{
	struct mol_message m;

	if (!ctr.active || ctr.exited)
		return;
	memset(&m, 0, sizeof(m));
	MOL_BODY(&m, struct mol_pm_exit)->status = status;
	if (ctr_call(PM_EXIT, &m, false) >= 0 || !ctr_nest)
		ctr.exited = true;
}

void _exit(int status)
{
	ctr_report_exit(W_EXITCODE(status & 0xff, 0));
	syscall(SYS_exit_group, status);
	__builtin_unreachable();
}

void _Exit(int status)
{
	_exit(status);
}

/* The bound descriptor is the process's identity: the program may not
 * close it (a shell closing every descriptor, closefrom, ...). */
int close(int fd)
{
	if (ctr.active && !ctr_inlib && fd >= 0 && fd == ctr.mol.fd) {
		errno = EBADF;
		return -1;
	}
	if (ctr_fs_on && !ctr_inlib && ctr_fs_mapped(fd))
		return ctr_fs_close(fd);
	return syscall(SYS_close, fd) ? -1 : 0;
}

/*
 * dup2/dup3 onto the bound descriptor (a program choosing descriptor
 * numbers itself, posix_spawn's file actions, a shell's "exec 5>f"):
 * move ours out of the way first, so that the program gets its number
 * and the process keeps its identity.  0, or -1 with errno.
 */
int ctr_vacate_fd(int fd)
{
	int nfd, ret = 0;

	if (!ctr.active || ctr_inlib || fd < 0 || fd != ctr.mol.fd)
		return 0;
	pthread_mutex_lock(&ctr_lock);
	nfd = syscall(SYS_fcntl, fd, F_DUPFD_CLOEXEC, CTR_BOUND_FD_MIN);
	if (nfd < 0)
		nfd = syscall(SYS_fcntl, fd, F_DUPFD_CLOEXEC, fd + 1);
	if (nfd >= 0) {
		ctr.mol.fd = nfd;
		syscall(SYS_close, fd);
	} else {
		ret = -1;
	}
	pthread_mutex_unlock(&ctr_lock);
	return ret;
}

/* ---------------------------------------------------------------- */
/* fork                                                              */
/* ---------------------------------------------------------------- */

static pid_t ctr_fork(void)
{
	pid_t (*real_fork)(void) = CTR_REAL(pid_t (*)(void), fork);
	struct mol_pm_fork *f;
	struct mol_message m;
	sigset_t all, old;
	int go[2], ret, slot;
	pid_t pid, mpid;
	char c;

	memset(&m, 0, sizeof(m));
	ret = ctr_call(PM_FORK, &m, false);
	if (ret < 0)
		return ctr_ret(ret);
	f = MOL_BODY(&m, struct mol_pm_fork);
	slot = f->child_slot;
	mpid = f->child_pid;
	/* host calls: the container's own pipe, never an FS one */
	if (syscall(SYS_pipe2, go, O_CLOEXEC) < 0) {
		ret = -errno;
		goto abort;
	}
	sigfillset(&all);
	ctr_real_sigmask(SIG_BLOCK, &all, &old);
	pthread_mutex_lock(&ctr_lock);
	pid = real_fork();
	if (pid == 0) {
		pthread_mutex_init(&ctr_lock, NULL);
		syscall(SYS_close, go[1]);
		if (syscall(SYS_read, go[0], &c, 1) != 1)
			syscall(SYS_exit_group, 127);	/* parent failed */
		syscall(SYS_close, go[0]);
		ctr_inlib++;
		mol_close(&ctr.mol);
		ctr_inlib--;
		ctr_bind();
		ctr.pid = mpid;
		ctr.ppid = 0;
		ctr.exited = false;
		ctr_sig_after_fork();
		ctr_fs_after_fork();
		ctr_real_sigmask(SIG_SETMASK, &old, NULL);
		return 0;
	}
	pthread_mutex_unlock(&ctr_lock);
	ctr_real_sigmask(SIG_SETMASK, &old, NULL);
	syscall(SYS_close, go[0]);
	if (pid < 0) {
		ret = -errno;
		syscall(SYS_close, go[1]);
		goto abort;
	}
	memset(&m, 0, sizeof(m));
	f = MOL_BODY(&m, struct mol_pm_fork);
	f->child_slot = slot;
	f->linux_pid = pid;
	ret = ctr_call(PM_FORK_COMMIT, &m, false);
	if (ret < 0) {
		/* Not registered: the child must not run. */
		syscall(SYS_close, go[1]);
		syscall(SYS_kill, pid, SIGKILL);
		while (syscall(SYS_wait4, pid, NULL, 0, NULL) < 0 &&
		       errno == EINTR)
			;
		return ctr_ret(ret == -ENOSYS ? -EAGAIN : ret);
	}
	if (syscall(SYS_write, go[1], "g", 1) != 1)
		ret = -errno;
	syscall(SYS_close, go[1]);
	return mpid;
abort:
	memset(&m, 0, sizeof(m));
	MOL_BODY(&m, struct mol_pm_fork)->child_slot = slot;
	ctr_call(PM_FORK_ABORT, &m, false);
	return ctr_ret(ret);
}

pid_t fork(void)
{
	if (!ctr.active)
		return CTR_REAL(pid_t (*)(void), fork)();
	return ctr_fork();
}

pid_t vfork(void)
{
	return fork();
}

/* ---------------------------------------------------------------- */
/* exec                                                              */
/* ---------------------------------------------------------------- */

/* @envp without LD_PRELOAD and MOL_*, plus ours and the handover. */
static char **ctr_exec_env(char *const envp[], char *fdspec, size_t len)
{
	size_t n = 0, s = 0, i, j = 0;
	char **env, *fds = NULL;

	while (envp && envp[n])
		n++;
	while (ctr.saved_env[s])
		s++;
	if (ctr_fs_on) {
		fds = ctr_fs_exec_env();
		if (!fds)
			return NULL;
	}
	env = malloc((n + s + 3) * sizeof(char *));
	if (!env)
		return NULL;
	for (i = 0; i < n; i++)
		if (strncmp(envp[i], "MOL_", 4) &&
		    strncmp(envp[i], "LD_PRELOAD=", 11))
			env[j++] = envp[i];
	for (i = 0; i < s; i++)
		env[j++] = ctr.saved_env[i];
	snprintf(fdspec, len, ENV_FD "=%d:%d:%u", ctr.mol.fd,
		 ctr.mol.endpoint, ctr.mol.seq);
	env[j++] = fdspec;
	if (fds)
		env[j++] = fds;	/* freed with the process image */
	env[j] = NULL;
	return env;
}

typedef int (*ctr_execfn)(const char *, char *const [], char *const []);

static int ctr_exec(const char *name, ctr_execfn fn, const char *path,
		    char *const argv[], char *const envp[])
{
	char fdspec[64];
	char **env;
	int err;

	if (!ctr.active)
		return ((ctr_execfn)ctr_real(name))(path, argv, envp);
	env = ctr_exec_env(envp, fdspec, sizeof(fdspec));
	if (!env) {
		errno = ENOMEM;
		return -1;
	}
	/*
	 * Holding the lock, we count as inside a call: a fatal signal
	 * (^C during a PATH search) must not wait for the lock in its
	 * PM_EXIT; PM then learns the end from the death notice.
	 */
	ctr_nest++;
	pthread_mutex_lock(&ctr_lock);
	fcntl(ctr.mol.fd, F_SETFD, 0);
	fn(path, argv, env);
	err = errno;
	fcntl(ctr.mol.fd, F_SETFD, FD_CLOEXEC);
	pthread_mutex_unlock(&ctr_lock);
	ctr_nest--;
	free(env);
	errno = err;
	return -1;
}

static int ctr_exec_real(const char *path, char *const argv[],
			 char *const envp[])
{
	return ctr_exec("execve", (ctr_execfn)ctr_real("execve"), path, argv,
			envp);
}

/* With a file server the path is the MINIX tree's (path.c). */
int execve(const char *path, char *const argv[], char *const envp[])
{
	if (ctr.active && ctr_fs_on && !ctr_inlib)
		return ctr_fs_execve(path, argv, envp, ctr_exec_real);
	return ctr_exec_real(path, argv, envp);
}

int execvpe(const char *file, char *const argv[], char *const envp[])
{
	if (ctr.active && ctr_fs_on && !ctr_inlib)
		return ctr_fs_execvpe(file, argv, envp);
	return ctr_exec("execvpe", (ctr_execfn)ctr_real("execvpe"), file,
			argv, envp);
}

int execv(const char *path, char *const argv[])
{
	return execve(path, argv, environ);
}

int execvp(const char *file, char *const argv[])
{
	return execvpe(file, argv, environ);
}

int fexecve(int fd, char *const argv[], char *const envp[])
{
	char path[64];

	snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
	return execve(path, argv, envp);
}

/* The execl family: collect the arguments (and envp for execle). */
#define CTR_ARGV(arg, ap, argv, envp_out)				\
	do {								\
		size_t __n = 1;						\
		va_list __c;						\
		va_copy(__c, ap);					\
		while (va_arg(__c, char *))				\
			__n++;						\
		va_end(__c);						\
		argv = alloca((__n + 1) * sizeof(char *));		\
		argv[0] = (char *)arg;					\
		for (size_t __i = 1; __i <= __n; __i++)			\
			argv[__i] = va_arg(ap, char *);			\
		envp_out = va_arg(ap, char **);				\
	} while (0)

int execl(const char *path, const char *arg, ...)
{
	char **argv, **envp;
	va_list ap;

	va_start(ap, arg);
	CTR_ARGV(arg, ap, argv, envp);
	va_end(ap);
	(void)envp;
	return execve(path, argv, environ);
}

int execlp(const char *file, const char *arg, ...)
{
	char **argv, **envp;
	va_list ap;

	va_start(ap, arg);
	CTR_ARGV(arg, ap, argv, envp);
	va_end(ap);
	(void)envp;
	return execvpe(file, argv, environ);
}

int execle(const char *path, const char *arg, ...)
{
	char **argv, **envp;
	va_list ap;

	va_start(ap, arg);
	CTR_ARGV(arg, ap, argv, envp);
	va_end(ap);
	return execve(path, argv, envp);
}

/* ---------------------------------------------------------------- */
/* wait                                                              */
/* ---------------------------------------------------------------- */

/* PM_WAITPID; then reap the Linux child so no Linux zombie stays. */
static pid_t ctr_wait(pid_t pid, int *status, int options,
		      struct rusage *ru)
{
	struct mol_pm_wait *w;
	struct mol_message m;
	int ret;

	memset(&m, 0, sizeof(m));
	w = MOL_BODY(&m, struct mol_pm_wait);
	w->pid = pid;
	w->options = options;
	ret = ctr_call(PM_WAITPID, &m, !(options & WNOHANG));
	if (ret < 0)
		return ctr_ret(ret);
	if (ru)
		memset(ru, 0, sizeof(*ru));
	/* a stop or continue report leaves the child alive */
	if (w->ret_pid > 0 && w->linux_pid > 0 &&
	    !WIFSTOPPED(w->status) && !WIFCONTINUED(w->status)) {
		while (syscall(SYS_wait4, w->linux_pid, NULL, __WALL, ru) < 0 &&
		       errno == EINTR)
			;
	}
	if (status && w->ret_pid > 0)
		*status = w->status;
	return w->ret_pid;
}

pid_t waitpid(pid_t pid, int *status, int options)
{
	if (!ctr.active)
		return ((pid_t (*)(pid_t, int *, int))ctr_real("waitpid"))
			(pid, status, options);
	return ctr_wait(pid, status, options, NULL);
}

pid_t wait(int *status)
{
	return waitpid(-1, status, 0);
}

pid_t wait4(pid_t pid, int *status, int options, struct rusage *ru)
{
	if (!ctr.active)
		return ((pid_t (*)(pid_t, int *, int, struct rusage *))
			ctr_real("wait4"))(pid, status, options, ru);
	return ctr_wait(pid, status, options, ru);
}

pid_t wait3(int *status, int options, struct rusage *ru)
{
	return wait4(-1, status, options, ru);
}

int waitid(idtype_t idtype, id_t id, siginfo_t *info, int options)
{
	pid_t pid, ret;
	int status = 0;

	if (!ctr.active)
		return ((int (*)(idtype_t, id_t, siginfo_t *, int))
			ctr_real("waitid"))(idtype, id, info, options);
	if (!(options & WEXITED) || (options & WNOWAIT) ||
	    (options & ~(WEXITED | WNOHANG | WSTOPPED | WCONTINUED)) ||
	    !info) {
		errno = EINVAL;
		return -1;
	}
	switch (idtype) {
	case P_ALL:
		pid = -1;
		break;
	case P_PID:
		if ((pid_t)id <= 0)
			goto inval;
		pid = id;
		break;
	case P_PGID:
		if ((pid_t)id < 0)
			goto inval;
		pid = id ? -(pid_t)id : 0;
		break;
	default:
		goto inval;
	}
	ret = ctr_wait(pid, &status,
		       options & (WNOHANG | WSTOPPED | WCONTINUED), NULL);
	if (ret < 0)
		return -1;
	memset(info, 0, sizeof(*info));
	if (ret == 0)
		return 0;
	info->si_signo = SIGCHLD;
	info->si_pid = ret;
	if (WIFSTOPPED(status)) {
		info->si_code = CLD_STOPPED;
		info->si_status = WSTOPSIG(status);
	} else if (WIFCONTINUED(status)) {
		info->si_code = CLD_CONTINUED;
		info->si_status = SIGCONT;
	} else if (WIFEXITED(status)) {
		info->si_code = CLD_EXITED;
		info->si_status = WEXITSTATUS(status);
	} else {
		info->si_code = WCOREDUMP(status) ? CLD_DUMPED : CLD_KILLED;
		info->si_status = WTERMSIG(status);
	}
	return 0;
inval:
	errno = EINVAL;
	return -1;
}

/* system(3): glibc's uses posix_spawn (a child PM would not know). */
int system(const char *cmd)
{
	int status;
	pid_t pid;

	if (!ctr.active)
		return ((int (*)(const char *))ctr_real("system"))(cmd);
	if (!cmd)
		return 1;
	pid = fork();
	if (pid < 0)
		return -1;
	if (pid == 0) {
		execl("/bin/sh", "sh", "-c", cmd, (char *)NULL);
		_exit(127);
	}
	if (waitpid(pid, &status, 0) < 0)
		return -1;
	return status;
}
