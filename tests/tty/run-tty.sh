#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# The terminal driver moltty, on transport $1 (default $MOL_TRANSPORT,
# else unix): molctl up --disk on a fresh image, then programs run with
# `molctl run` on a pseudo-terminal that mol-ptydrive allocates and
# types into, as a user would: canonical input line by line, erase,
# word erase and kill editing, echo on and off (stty -echo), ^D at the
# start of a line (EOF for cat and for the shell's read), ^C killing cat
# and sleep through PM (status 130 as a shell reports it), ^Z (SIGTSTP)
# and ^\ (SIGQUIT), a foreground process group of a child, termios and
# ioctls (mol-ttytest), stty -a, /dev/tty, isatty with a pipe, --no-tty,
# stdin not a terminal.  (Malformed driver requests: tests/tty/cdev.c.)
# Prints
# "tty TRANSPORT: N passed, N failed"; exits non-zero on any failure.
# Used by `make tty-host` and tests/tty/vm-tty.sh.
set -u
top=$(cd "$(dirname "$0")/../.." && pwd)
cd "$top"
BUILD=${BUILD:-build}
transport=${1:-${MOL_TRANSPORT:-unix}}
bin=$top/$BUILD/bin
molctl=$bin/molctl
drive=$bin/mol-ptydrive
ttytest=$bin/mol-ttytest
name=tty$$
pass=0
fail=0

for b in molctl molsystem molfs moldisk moltty molfs-tool mol-ptydrive mol-ttytest; do
	if [ ! -x "$bin/$b" ]; then
		echo "tty $transport: $bin/$b missing (make)"
		echo "tty $transport: 0 passed, 1 failed"
		exit 1
	fi
done
if ! command -v mkfs.minix >/dev/null; then
	echo "tty $transport: SKIPPED: mkfs.minix (util-linux) missing"
	exit 0
fi
base=$(mktemp -d /tmp/mol-tty.XXXXXX)
export MOL_RUN_BASE="$base/run"
unset MOL_TRANSPORT MOL_KERNEL_ADDR MOL_INSTANCE MOL_CONTAINER MOL_FS \
	LD_PRELOAD

cleanup() {
	timeout 30 "$molctl" -i "$name" down >/dev/null 2>&1
	rm -rf "$base"
}
trap cleanup EXIT INT TERM

# pty WHAT STEP... -- COMMAND...: one mol-ptydrive session.
pty() {
	what=$1
	shift
	if out=$(timeout 60 "$drive" "$@" 2>&1); then
		pass=$((pass + 1))
	else
		fail=$((fail + 1))
		echo "tty $transport: FAIL: $what"
		echo "$out" | sed 's/^/    /'
	fi
}

run="$molctl -i $name run"
run_plain="$molctl -i $name run --no-tty"

# mol-ttytest runs from the image (the build tree is not in the MoL
# tree; only the host's program directories are mounted).
if ! "$molctl" mkimage "$base/root.img" 16M >/dev/null ||
   ! "$bin/molfs-tool" "$base/root.img" put "$ttytest" /mol-ttytest \
	>/dev/null ||
   ! timeout 30 "$molctl" -i "$name" up --transport "$transport" \
	--disk "$base/root.img" ||
   ! $run_plain /bin/chmod 755 /mol-ttytest; then
	echo "tty $transport: molctl up failed"
	echo "tty $transport: 0 passed, 1 failed"
	exit 1
fi

if timeout 10 "$molctl" -i "$name" ps 2>&1 |
	grep -Eq '^ +5 +TTY .* moltty'; then
	pass=$((pass + 1))
else
	fail=$((fail + 1))
	echo "tty $transport: FAIL: molctl ps shows no moltty at TTY"
	timeout 10 "$molctl" -i "$name" ps
fi

# Canonical input: cat gets whole lines, edited (erase ^?, ^H is not
# erase, word erase ^W, kill ^U), echoed as typed; ^D at a line start
# is end of file.  "go" first: molctl has handed the terminal over.
pty "canonical lines and editing" \
	'expect:go' \
	'send:helo^?lo\r' 'expect:lo\r\nhello\r\n' \
	'send:one two^Wthree\r' 'expect:one three\r\n' \
	'send:garbage^Ugood\r' 'expect:good\r\ngood\r\n' \
	'send:^D' 'status:0' \
	-- $run sh -c 'echo go; exec cat'
# A partial line is delivered at ^D without its newline; a second ^D
# then is end of file.
pty "^D after text, then at line start" \
	'expect:go' 'send:abc^D' 'expect:abcabc' 'send:^D' 'status:0' \
	-- $run sh -c 'echo go; exec cat'
# Echo off (stty -echo) and on again; the shell's read sees the line.
pty "stty -echo, read, stty echo" \
	'expect:pw:' 'send:secret\r' 'expect:got [secret]' \
	'never:secret\r\ngot' 'send:shown\r' 'expect:shown\r\n' \
	'expect:echo [shown]' 'status:0' \
	-- $run sh -c 'stty -echo; printf pw:; read a; stty echo; echo; echo "got [$a]"; read b; echo "echo [$b]"'
pty "^D gives EOF to read" \
	'expect:ready' 'send:^D' 'expect:read status 1' 'status:0' \
	-- $run sh -c 'echo ready; read x; echo "read status $?"'
# ^C: SIGINT through PM; the status a shell reports (130).
pty "^C kills cat" \
	'expect:go' 'send:^C' 'expect:\^C' 'status:130' \
	-- $run sh -c 'echo go; exec cat'
pty "^C kills sleep" \
	'expect:go' 'sleep:300' 'send:^C' 'status:130' \
	-- $run sh -c 'echo go; exec sleep 30'
pty "^\\ quits" \
	'expect:go' 'sleep:300' 'send:^\\' 'status:131' \
	-- $run sh -c 'echo go; exec sleep 30'
pty "the shell's trap sees ^C, the child dies" \
	'expect:go' 'sleep:300' 'send:^C' 'expect:trapped INT' 'status:0' \
	-- $run sh -c 'trap "echo trapped INT" INT; echo go; sleep 30; exit 0'
pty "^Z: SIGTSTP ends a blocked read (EINTR)" \
	'expect:tstp ready' 'sleep:200' 'send:^Z' 'expect:tstp ok' \
	'status:0' -- $run /mol-ttytest tstp
pty "a caught alarm ends a blocked read (EINTR)" \
	'expect:eintr ok' 'status:0' -- $run /mol-ttytest eintr
pty "^C goes to the foreground group only" \
	'expect:pgrp ready' 'sleep:200' 'send:^C' 'expect:pgrp ok' \
	'status:0' -- $run /mol-ttytest pgrp
pty "SIGWINCH when the terminal is resized" \
	'expect:winch ready' 'winsize:27x91' 'expect:winch ok' 'status:0' \
	-- $run /mol-ttytest winch
pty "non-canonical, no echo, no ISIG" \
	'expect:raw ready' 'send:x^Cy' 'expect:raw got 78 03 79' \
	'never:x' 'status:0' -- $run /mol-ttytest raw
pty "termios, winsize, pgrp, /dev/tty (mol-ttytest attr)" \
	'expect:via-dev-tty' 'expect:attr ok' 'status:0' \
	-- $run /mol-ttytest attr
pty "stty -a" \
	'expect:speed 38400 baud' 'expect:intr = \^C' \
	'expect:icanon' 'status:0' -- $run stty -a
pty "tty(1) and isatty" \
	'expect:/dev/console' 'expect:tty0=yes' 'status:0' \
	-- $run sh -c 'tty; if [ -t 0 ]; then echo tty0=yes; fi'
pty "a pipe is not a terminal" \
	'expect:notty ok' 'status:0' \
	-- $run sh -c "echo | /mol-ttytest notty"
pty "--no-tty: molctl's own descriptors" \
	'expect:notmol' 'status:0' \
	-- $run --no-tty sh -c 'tty | grep -q console || echo notmol'
# Interactive shells: dash, and bash (readline: raw mode, its own echo;
# job control: the foreground job's group gets ^C, bash reports 130).
pty "interactive sh" \
	'expect:# ' 'send:echo abc\r' 'expect:abc\r\n' 'send:exit\r' \
	'status:0' -- $run sh -i
if command -v bash >/dev/null; then
	pty "interactive bash, ^C of a foreground job" \
		'expect:# ' 'send:sleep 30\r' 'sleep:500' 'send:^C' \
		'expect:# ' 'send:echo after $?\r' 'expect:after 130' \
		'send:exit\r' 'status:0' -- $run bash --norc -i
	# ^Z stops the foreground job (PM tells bash's waitpid WUNTRACED),
	# fg continues it (SIGCONT, WCONTINUED) with the terminal back.
	pty "interactive bash, ^Z then fg" \
		'expect:# ' 'send:cat\r' 'sleep:500' 'send:^Z' \
		'expect:Stopped' 'expect:# ' 'send:fg\r' 'expect:cat' \
		'sleep:300' 'send:again\r' 'expect:again\r\nagain\r\n' \
		'send:^D' 'expect:# ' 'send:exit\r' 'status:0' \
		-- $run bash --norc -i
fi
# --tty with stdout a pipe: stdin (and stderr) are MoL's terminal,
# stdout stays molctl's pipe.
pty "--tty with stdout a pipe" \
	'expect:ready' 'send:hi\r' 'expect:[/dev/console] got hi\n' \
	'status:0' -- sh -c "$run --tty sh -c 'echo ready >&2; read x; echo \"[\$(tty)] got \$x\"' | cat"
pty "output goes through ONLCR" \
	'expect:a\r\nb\r\n' 'status:0' -- $run printf 'a\nb\n'
# Not a terminal at all: the old behaviour (all other suites use it).
if out=$(echo hi | $run cat 2>&1) && [ "$out" = hi ]; then
	pass=$((pass + 1))
else
	fail=$((fail + 1))
	echo "tty $transport: FAIL: pipe stdin: '$out'"
fi
if out=$(echo | $run /mol-ttytest notty 2>&1) &&
   [ "$out" = "notty ok" ]; then
	pass=$((pass + 1))
else
	fail=$((fail + 1))
	echo "tty $transport: FAIL: host pipe stdin: '$out'"
fi
if out=$($run --tty true 2>&1 </dev/null); then
	fail=$((fail + 1))
	echo "tty $transport: FAIL: --tty without a terminal succeeded"
else
	case $out in
	*"not a terminal"*) pass=$((pass + 1)) ;;
	*) fail=$((fail + 1))
	   echo "tty $transport: FAIL: --tty without a terminal: '$out'" ;;
	esac
fi
timeout 30 "$molctl" -i "$name" down >/dev/null 2>&1 || {
	fail=$((fail + 1))
	echo "tty $transport: FAIL: molctl down"
}
echo "tty $transport: $pass passed, $fail failed"
[ $fail -eq 0 ]
