// SPDX-License-Identifier: GPL-2.0
/*
 * mol-procdemo - an ordinary Linux program, run as a MoL process with
 * `molctl run`: its fork, exec, kill, sigaction and waitpid calls go to
 * MoL's process manager as MINIX messages (the libmol container).  It
 * prints what PM answered.  Exits 0 when everything behaved.
 */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

static volatile sig_atomic_t got_usr1;

static void on_usr1(int sig)
{
	got_usr1 = sig;
}

static int check(int ok, const char *what)
{
	printf("procdemo: %-44s %s\n", what, ok ? "ok" : "WRONG");
	return ok ? 0 : 1;
}

int main(void)
{
	struct sigaction sa;
	int status, bad = 0;
	pid_t child, pid;

	setvbuf(stdout, NULL, _IOLBF, 0);
	printf("procdemo: I am MINIX pid %d, parent %d\n", (int)getpid(),
	       (int)getppid());

	/* fork + exec + exit status */
	child = fork();
	if (child == 0) {
		execl("/bin/sh", "sh", "-c",
		      "echo \"procdemo: child shell is MINIX pid $$\"; exit 7",
		      (char *)NULL);
		_exit(127);
	}
	printf("procdemo: forked child %d, it execs /bin/sh\n", (int)child);
	pid = waitpid(child, &status, 0);
	bad |= check(pid == child && WIFEXITED(status) &&
		     WEXITSTATUS(status) == 7, "waitpid: child exited with 7");

	/* a signal with a handler */
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_usr1;
	sigaction(SIGUSR1, &sa, NULL);
	kill(getpid(), SIGUSR1);
	bad |= check(got_usr1 == SIGUSR1, "kill(self, SIGUSR1): handler ran");

	/* a signal without one: the child is killed */
	child = fork();
	if (child == 0) {
		pause();
		_exit(0);
	}
	usleep(200000);
	kill(child, SIGTERM);
	pid = waitpid(child, &status, 0);
	bad |= check(pid == child && WIFSIGNALED(status) &&
		     WTERMSIG(status) == SIGTERM,
		     "kill(child, SIGTERM): child killed by it");

	bad |= check(waitpid(-1, &status, WNOHANG) == -1,
		     "no children left (ECHILD)");
	printf("procdemo: %s\n", bad ? "something went wrong" : "all done");
	return bad;
}
