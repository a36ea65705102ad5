// SPDX-License-Identifier: GPL-2.0
/*
 * molctl - the MoL launcher: brings instances up and down, runs Linux
 * programs as MoL processes through init, and shows the process table.
 * See Documentation/admin-guide.md.
 */
#include <libgen.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "molctl.h"

const char *ctl_name = "default";
char ctl_dir[256];
char ctl_bindir[256];

void ctl_err(const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "molctl: ");
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

static void usage(FILE *f)
{
	fprintf(f,
"Usage: molctl [--instance NAME] COMMAND [OPTION]... [ARG]...\n"
"Start, use and stop MoL (Minix over Linux) instances.\n"
"\n"
"Commands:\n"
"  up [--transport kmod|udp|unix] [--config FILE] [--kernel-addr ADDR]\n"
"     [--nr-procs N] [--hz N] [--disk IMAGE]... [--no-host-mounts]\n"
"                 start an instance: IPC transport, system task, clock,\n"
"                 PM, the file server (with --disk) and init\n"
"  down           stop the instance and clean up after it\n"
"  run PROGRAM [ARG]...\n"
"                 run a Linux program as a MoL process (child of init) with\n"
"                 this terminal's stdin/stdout/stderr; exit with its status\n"
"                 (128+N if signal N killed it)\n"
"  mkimage IMAGE SIZE\n"
"                 make a fresh MINIX v3 image (SIZE in bytes, or with\n"
"                 K, M, G): truncate and mkfs.minix -3\n"
"  ps             the MINIX process table with IPC states\n"
"  stat           IPC counters per endpoint\n"
"  help           this text\n"
"\n"
"Options (before or after COMMAND):\n"
"  -i, --instance NAME   instance to act on (default \"default\");\n"
"                        letters, digits, '.', '_', '-', at most 31\n"
"  -h, --help            this text\n"
"\n"
"Environment: MOL_RUN_BASE (default /run/mol) holds one directory per\n"
"instance.  Exit status: 0 ok, 1 failure, 2 bad usage; run: the program's.\n");
}

static int valid_name(const char *s)
{
	size_t n = strlen(s), i;

	if (!n || n >= MOLCTL_NAME_MAX || s[0] == '.' || s[0] == '-')
		return 0;
	for (i = 0; i < n; i++)
		if (!strchr("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
			    "0123456789._-", s[i]))
			return 0;
	return 1;
}

/*
 * Take --instance/-i NAME out of argv (anywhere before the program of
 * `run`); returns the new argc or -1.
 */
static int take_instance(int argc, char **argv, int stop_at_cmd_arg)
{
	int i, j, seen_cmd = 0;

	for (i = 1, j = 1; i < argc; i++) {
		const char *a = argv[i];

		if (seen_cmd && stop_at_cmd_arg && a[0] != '-') {
			/* run: everything from PROGRAM on is its own */
			while (i < argc)
				argv[j++] = argv[i++];
			break;
		}
		if (!strcmp(a, "--")) {
			while (i < argc)
				argv[j++] = argv[i++];
			break;
		}
		if (!strcmp(a, "-i") || !strcmp(a, "--instance")) {
			if (i + 1 >= argc) {
				ctl_err("%s needs a NAME", a);
				return -1;
			}
			ctl_name = argv[++i];
			continue;
		}
		if (!strncmp(a, "--instance=", 11)) {
			ctl_name = a + 11;
			continue;
		}
		if (a[0] != '-')
			seen_cmd = 1;
		argv[j++] = argv[i];
	}
	argv[j] = NULL;
	return j;
}

int main(int argc, char **argv)
{
	const char *base = getenv("MOL_RUN_BASE") ?: MOLCTL_RUN_BASE;
	char self[256];
	ssize_t n;
	int i, is_run = 0;
	const char *cmd;

	for (i = 1; i < argc; i++) {
		if (argv[i][0] != '-') {
			is_run = !strcmp(argv[i], "run");
			break;
		}
		if (!strcmp(argv[i], "-i") || !strcmp(argv[i], "--instance"))
			i++;
	}
	argc = take_instance(argc, argv, is_run);
	if (argc < 0)
		return 2;
	if (argc < 2) {
		usage(stderr);
		return 2;
	}
	cmd = argv[1];
	if (!strcmp(cmd, "help") || !strcmp(cmd, "--help") ||
	    !strcmp(cmd, "-h")) {
		usage(stdout);
		return 0;
	}
	if (!valid_name(ctl_name)) {
		ctl_err("bad instance name '%s' (letters, digits, '.', '_', '-'; at most %d)",
			ctl_name, MOLCTL_NAME_MAX - 1);
		return 2;
	}
	if (snprintf(ctl_dir, sizeof(ctl_dir), "%s/%s", base, ctl_name) >=
	    (int)sizeof(ctl_dir) - 32) {
		ctl_err("MOL_RUN_BASE too long");
		return 2;
	}
	n = readlink("/proc/self/exe", self, sizeof(self) - 1);
	if (n > 0) {
		self[n] = '\0';
		snprintf(ctl_bindir, sizeof(ctl_bindir), "%s", dirname(self));
	}
	argc--;
	argv++;
	if (!strcmp(cmd, "up"))
		return cmd_up(argc, argv);
	if (!strcmp(cmd, "down"))
		return cmd_down(argc, argv);
	if (!strcmp(cmd, "run"))
		return cmd_run(argc, argv);
	if (!strcmp(cmd, "ps"))
		return cmd_ps(argc, argv);
	if (!strcmp(cmd, "mkimage"))
		return cmd_mkimage(argc, argv);
	if (!strcmp(cmd, "stat"))
		return cmd_stat(argc, argv);
	if (cmd[0] == '-')
		ctl_err("unknown option '%s' (try molctl --help)", cmd);
	else
		ctl_err("unknown command '%s' (try molctl --help)", cmd);
	return 2;
}
