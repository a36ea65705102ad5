// SPDX-License-Identifier: GPL-2.0
/*
 * systest - the process-manager suite: a MoL program (run with
 * `molctl run`, or as init) that checks fork, exec, exit, wait, signals,
 * alarm, process groups and ids through the container and PM.
 * Prints "system: N passed, N failed"; exits 1 if anything failed.
 *
 * Usage: systest [TEST...]       all tests, or the ones named
 *        systest exec-step N PID  (internal: one step of an exec chain)
 */
#include <errno.h>
#include <stdbool.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/times.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static const char *self;
static char fail_msg[256];

#define CHECK(cond)							\
	do {								\
		if (!(cond)) {						\
			snprintf(fail_msg, sizeof(fail_msg),		\
				 "%s:%d: %s (errno %d)", __FILE__,	\
				 __LINE__, #cond, errno);		\
			return 1;					\
		}							\
	} while (0)

static void msleep(int ms)
{
	struct timespec ts = { ms / 1000, (ms % 1000) * 1000000L };

	while (nanosleep(&ts, &ts) < 0 && errno == EINTR)
		;
}

static pid_t linux_pid(void)
{
	return syscall(SYS_getpid);
}

static volatile sig_atomic_t got_sig;

static void on_sig(int sig)
{
	got_sig = sig;
}

static int catch(int sig, int flags)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_sig;
	sa.sa_flags = flags;
	sigemptyset(&sa.sa_mask);
	return sigaction(sig, &sa, NULL);
}

/* Fork a child that runs fn(arg) and exits with its result. */
static pid_t spawn(int (*fn)(long), long arg)
{
	pid_t pid = fork();

	if (pid == 0)
		_exit(fn(arg));
	return pid;
}

static int wait_status(pid_t pid)
{
	int st = -1;

	if (waitpid(pid, &st, 0) != pid)
		return -1;
	return st;
}

/* ---------------------------------------------------------------- */

static int t_getpid(void)
{
	int p[2];
	pid_t pid, me = getpid(), got[2];

	CHECK(me > 0);
	CHECK(getppid() >= 0);
	CHECK(pipe(p) == 0);
	pid = fork();
	CHECK(pid >= 0);
	if (pid == 0) {
		got[0] = getpid();
		got[1] = getppid();
		_exit(write(p[1], got, sizeof(got)) == sizeof(got) ? 0 : 1);
	}
	CHECK(read(p[0], got, sizeof(got)) == sizeof(got));
	close(p[0]);
	close(p[1]);
	CHECK(got[0] == pid);
	CHECK(got[1] == me);
	CHECK(pid != linux_pid() || 1);
	CHECK(wait_status(pid) == 0);
	CHECK(getpid() == me);
	return 0;
}

static int c_exit(long code)
{
	if (code == 7)
		exit(7);	/* through exit(3) and on_exit */
	return code;
}

static int t_exit_status(void)
{
	pid_t a = spawn(c_exit, 42), b = spawn(c_exit, 7);
	int st;

	CHECK(a > 0 && b > 0);
	CHECK(waitpid(b, &st, 0) == b);
	CHECK(WIFEXITED(st) && WEXITSTATUS(st) == 7);
	CHECK(waitpid(a, &st, 0) == a);
	CHECK(WIFEXITED(st) && WEXITSTATUS(st) == 42);
	CHECK(waitpid(a, &st, 0) == -1 && errno == ECHILD);
	return 0;
}

static int c_tree(long depth)
{
	int i, st, sum = 0, n = 0;

	if (depth == 0)
		return 1;
	for (i = 0; i < 2; i++)
		if (spawn(c_tree, depth - 1) > 0)
			n++;
	while (wait(&st) > 0)
		sum += WIFEXITED(st) ? WEXITSTATUS(st) : 100;
	return n == 2 ? sum + 1 : 200;
}

static int t_fork_tree(void)
{
	pid_t pid = spawn(c_tree, 3);
	int st;

	CHECK(pid > 0);
	CHECK(waitpid(pid, &st, 0) == pid);
	CHECK(WIFEXITED(st) && WEXITSTATUS(st) == 15);	/* 2^4 - 1 */
	CHECK(wait(&st) == -1 && errno == ECHILD);
	return 0;
}

static int c_sleep(long ms)
{
	msleep(ms);
	return 3;
}

static int t_wnohang(void)
{
	pid_t pid = spawn(c_sleep, 300);
	int st;

	CHECK(pid > 0);
	CHECK(waitpid(pid, &st, WNOHANG) == 0);
	CHECK(waitpid(-1, &st, 0) == pid);
	CHECK(WIFEXITED(st) && WEXITSTATUS(st) == 3);
	CHECK(waitpid(-1, &st, WNOHANG) == -1 && errno == ECHILD);
	CHECK(waitpid(12345, &st, 0) == -1 && errno == ECHILD);
	CHECK(waitpid(-1, &st, 0x4000000) == -1 && errno == EINVAL);
	return 0;
}

static int c_pause(long unused)
{
	for (;;)
		pause();
	return 0;
}

static int t_killed(void)
{
	pid_t pid = spawn(c_pause, 0);
	int st;

	CHECK(pid > 0);
	msleep(50);
	CHECK(kill(pid, SIGTERM) == 0);
	CHECK(waitpid(pid, &st, 0) == pid);
	CHECK(WIFSIGNALED(st) && WTERMSIG(st) == SIGTERM);
	return 0;
}

/* kill -9 from outside MoL: a Linux kill of the child's Linux pid. */
static int t_kill9_outside(void)
{
	int p[2], st;
	pid_t pid, lp;

	CHECK(pipe(p) == 0);
	pid = fork();
	CHECK(pid >= 0);
	if (pid == 0) {
		lp = linux_pid();
		if (write(p[1], &lp, sizeof(lp)) != sizeof(lp))
			_exit(1);
		for (;;)
			pause();
	}
	CHECK(read(p[0], &lp, sizeof(lp)) == sizeof(lp));
	close(p[0]);
	close(p[1]);
	CHECK(syscall(SYS_kill, lp, SIGKILL) == 0);
	CHECK(waitpid(pid, &st, 0) == pid);
	CHECK(WIFSIGNALED(st) && WTERMSIG(st) == SIGKILL);
	msleep(20);
	CHECK(syscall(SYS_kill, lp, 0) < 0);	/* Linux zombie reaped */
	return 0;
}

/* The Linux state letter of Linux pid @lp ('T': stopped). */
static char linux_state(pid_t lp)
{
	char path[64], buf[256], *rp;
	FILE *f;

	snprintf(path, sizeof(path), "/proc/%d/stat", (int)lp);
	f = fopen(path, "r");
	if (!f)
		return '?';
	rp = fgets(buf, sizeof(buf), f) ? strrchr(buf, ')') : NULL;
	fclose(f);
	return rp && rp[1] == ' ' ? rp[2] : '?';
}

/* Wait until Linux pid @lp is stopped (@stopped) or not; 0 if so. */
static int wait_linux_state(pid_t lp, bool stopped)
{
	int i;

	for (i = 0; i < 500; i++) {
		if ((linux_state(lp) == 'T') == stopped)
			return 0;
		msleep(10);
	}
	return -1;
}

/* SIGSTOP, SIGTSTP, SIGCONT and waitpid's WUNTRACED and WCONTINUED. */
static int t_stop_continue(void)
{
	siginfo_t si;
	int p[2], st;
	pid_t pid, lp;

	CHECK(pipe(p) == 0);
	pid = fork();
	CHECK(pid >= 0);
	if (pid == 0) {
		/* a group of its own, not orphaned: we are its parent */
		if (setpgid(0, 0))
			_exit(1);
		lp = linux_pid();
		if (write(p[1], &lp, sizeof(lp)) != sizeof(lp))
			_exit(1);
		for (;;)
			pause();
	}
	CHECK(read(p[0], &lp, sizeof(lp)) == sizeof(lp));
	close(p[0]);
	close(p[1]);
	CHECK(getpgid(pid) == pid);

	CHECK(kill(pid, SIGSTOP) == 0);
	CHECK(waitpid(pid, &st, WUNTRACED) == pid);
	CHECK(WIFSTOPPED(st) && WSTOPSIG(st) == SIGSTOP);
	CHECK(wait_linux_state(lp, true) == 0);
	/* told once; a plain wait does not see stops */
	CHECK(waitpid(pid, &st, WNOHANG | WUNTRACED) == 0);
	CHECK(waitpid(pid, &st, WNOHANG) == 0);

	CHECK(kill(pid, SIGCONT) == 0);
	CHECK(waitpid(pid, &st, WCONTINUED) == pid);
	CHECK(WIFCONTINUED(st));
	CHECK(wait_linux_state(lp, false) == 0);
	CHECK(waitpid(pid, &st, WNOHANG | WCONTINUED | WUNTRACED) == 0);

	/* SIGTSTP left at its default stops too; waitid sees it */
	CHECK(kill(pid, SIGTSTP) == 0);
	memset(&si, 0, sizeof(si));
	CHECK(waitid(P_PID, pid, &si, WEXITED | WSTOPPED) == 0);
	CHECK(si.si_pid == pid && si.si_code == CLD_STOPPED &&
	      si.si_status == SIGTSTP);
	CHECK(wait_linux_state(lp, true) == 0);
	CHECK(kill(pid, SIGCONT) == 0);
	memset(&si, 0, sizeof(si));
	CHECK(waitid(P_PID, pid, &si, WEXITED | WCONTINUED) == 0);
	CHECK(si.si_pid == pid && si.si_code == CLD_CONTINUED);

	/* stopped again, then killed: the exit is reaped as usual */
	CHECK(kill(pid, SIGSTOP) == 0);
	CHECK(waitpid(pid, &st, WUNTRACED) == pid && WIFSTOPPED(st));
	CHECK(kill(pid, SIGKILL) == 0);
	CHECK(waitpid(pid, &st, 0) == pid);
	CHECK(WIFSIGNALED(st) && WTERMSIG(st) == SIGKILL);
	msleep(20);
	CHECK(syscall(SYS_kill, lp, 0) < 0);	/* Linux zombie reaped */
	return 0;
}

static int t_handler(void)
{
	struct sigaction old;

	got_sig = 0;
	CHECK(catch(SIGUSR1, 0) == 0);
	CHECK(kill(getpid(), SIGUSR1) == 0);
	CHECK(got_sig == SIGUSR1);
	CHECK(sigaction(SIGUSR1, NULL, &old) == 0 && old.sa_handler == on_sig);
	CHECK(signal(SIGUSR1, SIG_DFL) == on_sig);
	CHECK(sigaction(SIGUSR1, NULL, &old) == 0 &&
	      old.sa_handler == SIG_DFL);
	CHECK(signal(SIGUSR2, SIG_IGN) != SIG_ERR);
	CHECK(raise(SIGUSR2) == 0);	/* ignored */
	CHECK(signal(SIGUSR2, SIG_DFL) == SIG_IGN);
	CHECK(sigaction(SIGKILL, &old, NULL) == -1 && errno == EINVAL);
	return 0;
}

static int t_alarm(void)
{
	got_sig = 0;
	CHECK(catch(SIGALRM, 0) == 0);
	CHECK(alarm(5) == 0);
	CHECK(alarm(1) >= 4);
	CHECK(pause() == -1 && errno == EINTR);
	CHECK(got_sig == SIGALRM);
	CHECK(alarm(0) == 0);
	signal(SIGALRM, SIG_DFL);
	return 0;
}

static int c_kill_parent(long ppid)
{
	msleep(100);
	return kill((pid_t)ppid, SIGUSR1) == 0 ? 0 : 1;
}

static int t_sigsuspend(void)
{
	sigset_t block, old, none;
	pid_t pid;

	got_sig = 0;
	CHECK(catch(SIGUSR1, 0) == 0);
	sigemptyset(&block);
	sigaddset(&block, SIGUSR1);
	CHECK(sigprocmask(SIG_BLOCK, &block, &old) == 0);
	pid = spawn(c_kill_parent, getpid());
	CHECK(pid > 0);
	sigemptyset(&none);
	CHECK(sigsuspend(&none) == -1 && errno == EINTR);
	CHECK(got_sig == SIGUSR1);
	CHECK(sigprocmask(SIG_SETMASK, &old, NULL) == 0);
	CHECK(wait_status(pid) == 0);
	signal(SIGUSR1, SIG_DFL);
	return 0;
}

static int t_sigpending(void)
{
	sigset_t block, pend;

	got_sig = 0;
	CHECK(catch(SIGUSR2, 0) == 0);
	sigemptyset(&block);
	sigaddset(&block, SIGUSR2);
	CHECK(sigprocmask(SIG_BLOCK, &block, NULL) == 0);
	CHECK(kill(getpid(), SIGUSR2) == 0);
	CHECK(got_sig == 0);
	CHECK(sigpending(&pend) == 0 && sigismember(&pend, SIGUSR2) == 1);
	CHECK(sigprocmask(SIG_UNBLOCK, &block, NULL) == 0);
	CHECK(got_sig == SIGUSR2);
	signal(SIGUSR2, SIG_DFL);
	return 0;
}

/* waitpid interrupted by a caught signal without SA_RESTART. */
static int t_wait_eintr(void)
{
	pid_t pid = spawn(c_sleep, 1500);
	int st;

	CHECK(pid > 0);
	got_sig = 0;
	CHECK(catch(SIGALRM, 0) == 0);
	alarm(1);
	CHECK(waitpid(pid, &st, 0) == -1 && errno == EINTR);
	CHECK(got_sig == SIGALRM);
	CHECK(waitpid(pid, &st, 0) == pid && WEXITSTATUS(st) == 3);
	signal(SIGALRM, SIG_DFL);
	return 0;
}

static int exec_step(int n, pid_t expect)
{
	char a[16], b[16];

	if (getpid() != expect)
		return 90;
	if (n == 0)
		return 33;
	snprintf(a, sizeof(a), "%d", n - 1);
	snprintf(b, sizeof(b), "%d", (int)expect);
	if (n % 2)
		execl(self, self, "exec-step", a, b, (char *)NULL);
	else
		execlp(self, self, "exec-step", a, b, (char *)NULL);
	return 91;
}

static int c_exec(long n)
{
	return exec_step((int)n, getpid());
}

static int t_exec_chain(void)
{
	pid_t pid = spawn(c_exec, 4);
	int st;

	CHECK(pid > 0);
	CHECK(waitpid(pid, &st, 0) == pid);
	CHECK(WIFEXITED(st) && WEXITSTATUS(st) == 33);
	/* exec failure: the process keeps its identity */
	CHECK(execl("/nonexistent", "x", (char *)NULL) == -1 &&
	      errno == ENOENT);
	CHECK(getppid() >= 0);
	return 0;
}

static int c_orphan(long fd)
{
	pid_t pid = fork();
	int i, ok = 0;

	if (pid != 0)
		return pid > 0 ? 0 : 1;	/* the parent leaves at once */
	for (i = 0; i < 200 && !ok; i++) {
		ok = getppid() == 1;
		if (!ok)
			msleep(10);
	}
	if (write((int)fd, &ok, sizeof(ok)) != sizeof(ok))
		_exit(2);
	_exit(0);
}

static int t_orphan(void)
{
	int p[2], ok = 0;
	pid_t pid;

	CHECK(pipe(p) == 0);
	pid = spawn(c_orphan, p[1]);
	CHECK(pid > 0);
	CHECK(wait_status(pid) == 0);
	CHECK(read(p[0], &ok, sizeof(ok)) == sizeof(ok));
	close(p[0]);
	close(p[1]);
	CHECK(ok == 1);
	return 0;
}

static int c_group_member(long unused)
{
	for (;;)
		pause();
	return 0;
}

static int t_groups(void)
{
	pid_t a, b;
	int st;

	CHECK(getpgrp() > 0);
	a = spawn(c_group_member, 0);
	CHECK(a > 0);
	CHECK(setpgid(a, a) == 0);
	CHECK(getpgid(a) == a);
	b = spawn(c_group_member, 0);
	CHECK(b > 0);
	CHECK(setpgid(b, a) == 0);
	CHECK(getpgid(b) == a);
	CHECK(setpgid(b, 77777) == -1 && errno == EPERM);
	CHECK(setpgid(54321, 0) == -1 && errno == ESRCH);
	CHECK(kill(-a, SIGTERM) == 0);
	CHECK(waitpid(-a, &st, 0) > 0 && WTERMSIG(st) == SIGTERM);
	CHECK(waitpid(-a, &st, 0) > 0 && WTERMSIG(st) == SIGTERM);
	CHECK(kill(-a, 0) == -1 && errno == ESRCH);
	return 0;
}

static int c_setsid(long unused)
{
	if (setsid() != getpid())
		return 1;
	if (getsid(0) != getpid() || getpgrp() != getpid())
		return 2;
	if (setsid() != -1 || errno != EPERM)
		return 3;
	return 0;
}

static int t_setsid(void)
{
	pid_t pid = spawn(c_setsid, 0);

	CHECK(pid > 0);
	CHECK(wait_status(pid) == 0);
	return 0;
}

static int c_uid(long ppid)
{
	if (getuid() != 0 || geteuid() != 0)
		return 1;
	if (setgid(100) != 0 || getgid() != 100)
		return 2;
	if (setuid(1000) != 0 || getuid() != 1000 || geteuid() != 1000)
		return 3;
	if (setuid(0) != -1 || errno != EPERM)
		return 4;
	if (kill((pid_t)ppid, 0) != -1 || errno != EPERM)
		return 5;
	return 0;
}

static int t_creds(void)
{
	pid_t pid = spawn(c_uid, getpid());
	int st;

	CHECK(pid > 0);
	st = wait_status(pid);
	CHECK(WIFEXITED(st));
	CHECK(WEXITSTATUS(st) == 0);
	CHECK(kill(99999, 0) == -1 && errno == ESRCH);
	CHECK(kill(getpid(), 0) == 0);
	CHECK(kill(getpid(), 99) == -1 && errno == EINVAL);
	return 0;
}

/* A process killed (outside) while it is blocked in a PM call. */
static int c_midcall(long fd)
{
	pid_t g = spawn(c_sleep, 400);
	pid_t lp = linux_pid();
	int st;

	if (g < 0 || write((int)fd, &lp, sizeof(lp)) != sizeof(lp))
		return 1;
	waitpid(g, &st, 0);	/* killed in here */
	return 2;
}

static int t_kill_midcall(void)
{
	int p[2], st;
	pid_t pid, lp;

	CHECK(pipe(p) == 0);
	pid = spawn(c_midcall, p[1]);
	CHECK(pid > 0);
	CHECK(read(p[0], &lp, sizeof(lp)) == sizeof(lp));
	close(p[0]);
	close(p[1]);
	msleep(50);
	CHECK(syscall(SYS_kill, lp, SIGKILL) == 0);
	CHECK(waitpid(pid, &st, 0) == pid);
	CHECK(WIFSIGNALED(st) && WTERMSIG(st) == SIGKILL);
	CHECK(getpid() > 0 && getppid() >= 0);	/* PM still serves */
	return 0;
}

static int t_times(void)
{
	struct tms t;

	CHECK(times(&t) != (clock_t)-1);
	return 0;
}

static int t_shell(void)
{
	int st;

	if (access("/bin/sh", X_OK))
		return 0;
	st = system("exit 3");
	CHECK(WIFEXITED(st) && WEXITSTATUS(st) == 3);
	st = system("sleep 0 & wait; (exit 5); r=$?; exit $r");
	CHECK(WIFEXITED(st) && WEXITSTATUS(st) == 5);
	st = system("kill -TERM $$");
	CHECK(WIFSIGNALED(st) && WTERMSIG(st) == SIGTERM);
	return 0;
}

static const struct {
	const char *name;
	int (*fn)(void);
} tests[] = {
	{ "getpid", t_getpid },
	{ "exit-status", t_exit_status },
	{ "fork-tree", t_fork_tree },
	{ "wnohang-echild", t_wnohang },
	{ "killed-by-signal", t_killed },
	{ "kill9-outside", t_kill9_outside },
	{ "stop-continue", t_stop_continue },
	{ "handler", t_handler },
	{ "alarm", t_alarm },
	{ "sigsuspend", t_sigsuspend },
	{ "sigpending", t_sigpending },
	{ "wait-eintr", t_wait_eintr },
	{ "exec-chain", t_exec_chain },
	{ "orphan-to-init", t_orphan },
	{ "process-groups", t_groups },
	{ "setsid", t_setsid },
	{ "creds-kill-perm", t_creds },
	{ "kill-midcall", t_kill_midcall },
	{ "times", t_times },
	{ "shell", t_shell },
};

int main(int argc, char **argv)
{
	int passed = 0, failed = 0, i, j, run;

	static char exe[4096];
	ssize_t n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);

	self = n > 0 ? (exe[n] = 0, exe) : argv[0];
	if (argc == 4 && !strcmp(argv[1], "exec-step"))
		return exec_step(atoi(argv[2]), atoi(argv[3]));
	setvbuf(stdout, NULL, _IOLBF, 0);
	for (i = 0; i < (int)(sizeof(tests) / sizeof(tests[0])); i++) {
		run = argc < 2 || argv[1][0] == '-';
		for (j = 1; j < argc && !run; j++)
			run = !strcmp(argv[j], tests[i].name);
		if (!run)
			continue;
		fail_msg[0] = 0;
		if (tests[i].fn() == 0) {
			printf("ok   %s\n", tests[i].name);
			passed++;
		} else {
			printf("not ok %s: %s\n", tests[i].name, fail_msg);
			failed++;
		}
	}
	printf("system: %d passed, %d failed\n", passed, failed);
	return failed ? 1 : 0;
}
