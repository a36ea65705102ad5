// SPDX-License-Identifier: GPL-2.0
/*
 * config.c - molctl's INI files: the config file (`up --config`) and an
 * instance's state file.  "key = value" lines under "[section]"
 * headers; '#' and ';' start comments.  Every unknown section or key
 * and every bad value is an error naming the file and line.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "molctl.h"

static char *trim(char *s)
{
	char *e;

	while (*s == ' ' || *s == '\t')
		s++;
	e = s + strlen(s);
	while (e > s && strchr(" \t\r\n", e[-1]))
		*--e = '\0';
	return s;
}

static int parse_uint(const char *s, unsigned int lo, unsigned int hi,
		      unsigned int *out)
{
	unsigned long v;
	char *end;

	errno = 0;
	v = strtoul(s, &end, 10);
	if (errno || end == s || *end || *s == '-' || v < lo || v > hi)
		return -1;
	*out = v;
	return 0;
}

static int set_str(char *dst, size_t size, const char *v)
{
	if (strlen(v) >= size)
		return -1;
	strcpy(dst, v);
	return 0;
}

/* "no", or at most 16 absolute paths other than "/" */
static int host_mounts_ok(const char *v)
{
	const char *p = v, *q;
	unsigned int n = 0;

	if (!strcmp(v, "no"))
		return 1;
	for (;;) {
		while (*p == ' ')
			p++;
		if (!*p)
			break;
		q = strchrnul(p, ' ');
		if (*p != '/' || q - p == 1 || ++n > MOLCTL_MAX_HOST_MOUNTS ||
		    q - p >= 256)
			return 0;
		p = q;
	}
	return n > 0;
}

/* One "key = value" of the config file; -1 on a bad key or value. */
static int config_set(struct ctl_config *c, const char *sec, const char *k,
		      const char *v, const char **why)
{
	if (!strcmp(sec, "instance")) {
		if (!strcmp(k, "transport")) {
			*why = "kmod, udp or unix";
			if (strcmp(v, "kmod") && strcmp(v, "udp") &&
			    strcmp(v, "unix"))
				return -1;
			return set_str(c->transport, sizeof(c->transport), v);
		}
		if (!strcmp(k, "kernel_addr")) {
			*why = "a path (unix) or HOST:PORT (udp), < 108 chars";
			return *v ? set_str(c->kernel_addr,
					    sizeof(c->kernel_addr), v) : -1;
		}
		if (!strcmp(k, "nr_procs")) {
			*why = "16..2048";
			return parse_uint(v, MOL_MIN_PROCS, MOL_MAX_PROCS,
					  &c->nr_procs);
		}
		if (!strcmp(k, "hz")) {
			*why = "1..1000";
			return parse_uint(v, 1, 1000, &c->hz);
		}
	} else if (!strcmp(sec, "servers")) {
		*why = "a program path";
		if (!strcmp(k, "clock"))
			return *v ? set_str(c->clock, sizeof(c->clock), v) : -1;
		if (!strcmp(k, "init"))
			return *v ? set_str(c->init, sizeof(c->init), v) : -1;
		if (!strcmp(k, "container")) {
			*why = "yes or no";
			if (strcmp(v, "yes") && strcmp(v, "no"))
				return -1;
			c->no_container = !strcmp(v, "no");
			return 0;
		}
		if (!strcmp(k, "pm")) {
			*why = "a program path, or \"no\"";
			if (!strcmp(v, "no")) {
				c->no_pm = 1;
				return 0;
			}
			return *v ? set_str(c->pm, sizeof(c->pm), v) : -1;
		}
	} else if (!strcmp(sec, "disks")) {
		if (!strcmp(k, "root") || !strcmp(k, "disk")) {
			*why = "IMAGE[:/MOUNTPOINT] (< 256 chars), at most 16 disks";
			if (!*v || c->nr_disks == MOLCTL_MAX_DISKS)
				return -1;
			if (!strcmp(k, "root")) {
				/* the root goes first, whatever the order */
				memmove(c->disk[1], c->disk[0],
					c->nr_disks * sizeof(c->disk[0]));
				c->nr_disks++;
				return set_str(c->disk[0], sizeof(c->disk[0]),
					       v);
			}
			return set_str(c->disk[c->nr_disks++],
				       sizeof(c->disk[0]), v);
		}
		if (!strcmp(k, "driver")) {
			*why = "yes or no";
			if (strcmp(v, "yes") && strcmp(v, "no"))
				return -1;
			c->no_disk_driver = !strcmp(v, "no");
			return 0;
		}
		if (!strcmp(k, "host_mounts")) {
			*why = "absolute host directories (other than /) separated by spaces, or \"no\"";
			if (!host_mounts_ok(v))
				return -1;
			c->host_mounts_set = 1;
			return set_str(c->host_mounts, sizeof(c->host_mounts),
				       v);
		}
	}
	*why = NULL;
	return -1;
}

int ctl_config_read(const char *path, struct ctl_config *cfg)
{
	char line[512], sec[32] = "", *s, *eq, *k, *v;
	const char *why;
	int lineno = 0, ret = 0;
	FILE *f = fopen(path, "r");

	if (!f) {
		ctl_err("config file %s: %s", path, strerror(errno));
		return -1;
	}
	while (fgets(line, sizeof(line), f)) {
		lineno++;
		s = trim(line);
		if (!*s || *s == '#' || *s == ';')
			continue;
		if (*s == '[') {
			char *e = strchr(s, ']');

			if (!e || e[1] || e - s - 1 >= (long)sizeof(sec)) {
				ctl_err("%s:%d: bad section header", path, lineno);
				ret = -1;
				break;
			}
			*e = '\0';
			strcpy(sec, s + 1);
			if (strcmp(sec, "instance") && strcmp(sec, "servers") &&
			    strcmp(sec, "disks")) {
				ctl_err("%s:%d: unknown section [%s] (known: [instance], [servers], [disks])",
					path, lineno, sec);
				ret = -1;
				break;
			}
			continue;
		}
		eq = strchr(s, '=');
		if (!eq || !*sec) {
			ctl_err("%s:%d: expected \"key = value\" in a [section]",
				path, lineno);
			ret = -1;
			break;
		}
		*eq = '\0';
		k = trim(s);
		v = trim(eq + 1);
		if (config_set(cfg, sec, k, v, &why) < 0) {
			if (why)
				ctl_err("%s:%d: bad value '%s' for %s (%s)",
					path, lineno, v, k, why);
			else
				ctl_err("%s:%d: unknown key '%s' in [%s]",
					path, lineno, k, sec);
			ret = -1;
			break;
		}
	}
	fclose(f);
	return ret;
}

int ctl_state_read(struct ctl_state *st)
{
	char path[300], line[256], *eq, *k, *v;
	FILE *f;

	snprintf(path, sizeof(path), "%s/state", ctl_dir);
	f = fopen(path, "r");
	if (!f)
		return -errno;
	memset(st, 0, sizeof(*st));
	while (fgets(line, sizeof(line), f)) {
		eq = strchr(line, '=');
		if (!eq)
			continue;
		*eq = '\0';
		k = trim(line);
		v = trim(eq + 1);
		if (!strcmp(k, "transport"))
			set_str(st->transport, sizeof(st->transport), v);
		else if (!strcmp(k, "kernel_addr"))
			set_str(st->kernel_addr, sizeof(st->kernel_addr), v);
		else if (!strcmp(k, "instance_id"))
			st->instance = strtoul(v, NULL, 10);
		else if (!strcmp(k, "molsystem_pid"))
			st->molsystem_pid = atoi(v);
		else if (!strcmp(k, "molkernel_pid"))
			st->molkernel_pid = atoi(v);
		else if (!strcmp(k, "module_loaded"))
			st->module_loaded = atoi(v);
		else if (!strcmp(k, "disks"))
			st->disks = strtoul(v, NULL, 10);
	}
	fclose(f);
	return 0;
}

int ctl_state_write(const struct ctl_state *st)
{
	char path[300], tmp[310];
	FILE *f;

	snprintf(path, sizeof(path), "%s/state", ctl_dir);
	snprintf(tmp, sizeof(tmp), "%s.tmp", path);
	f = fopen(tmp, "w");
	if (!f)
		return -errno;
	fprintf(f, "# MoL instance state, written by molctl up\n"
		"[instance]\n"
		"name = %s\n"
		"transport = %s\n"
		"kernel_addr = %s\n"
		"instance_id = %u\n"
		"molsystem_pid = %d\n"
		"molkernel_pid = %d\n"
		"module_loaded = %d\n"
		"disks = %u\n",
		ctl_name, st->transport, st->kernel_addr, st->instance,
		(int)st->molsystem_pid, (int)st->molkernel_pid,
		st->module_loaded, st->disks);
	if (fclose(f) || rename(tmp, path))
		return -errno;
	return 0;
}
