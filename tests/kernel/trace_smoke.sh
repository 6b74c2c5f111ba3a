#!/bin/sh
# The main job's end-to-end check, run inside the guest after solcompat.ko,
# dtrace.ko and sdt_test.ko are loaded: /dev/dtrace under misuse
# (solcompat-dtrace-misuse, when present), list probes, then trace a tick
# probe and an sdt probe fired a known number of times with the CLI, and
# check what it printed. Exit 0 only if every check holds.
set -u
fail() { echo "trace_smoke: FAIL: $*"; exit 1; }

# First the hostile use: unprivileged open, bad pointers, unknown and
# random half-valid commands; the device must survive it (an oops fails the
# boot test through the serial log).
if [ -x /bin/solcompat-dtrace-misuse ]; then
	solcompat-dtrace-misuse --iterations 20000 || fail "dtrace misuse test failed"
fi

solcompat-trace list > /tmp/list.txt 2>&1 || { cat /tmp/list.txt; fail "list failed"; }
grep -q ' profile ' /tmp/list.txt || fail "no profile probes listed"
grep -q 'sdt_test' /tmp/list.txt || fail "no sdt_test probe listed"
echo "trace_smoke: $(grep -c . /tmp/list.txt) lines of probes listed"

# Fire the sdt probe 100 times while tracing runs.
(sleep 1; echo 100 > /sys/module/sdt_test/parameters/fire) &
solcompat-trace -t 3s -q \
	-e 'profile:::tick-10ms count' \
	-e 'sdt:sdt_test:fire:hit count' \
	-e 'sdt:sdt_test:fire:hit quantize(arg0)' > /tmp/trace.txt 2>&1
rc=$?
wait
cat /tmp/trace.txt
[ $rc = 0 ] || fail "solcompat-trace exited $rc"
grep -Eq 'sdt:sdt_test:fire:hit +100$' /tmp/trace.txt || fail "sdt probe count is not exactly 100"
grep -Eq 'profile:::tick-10ms +[1-9][0-9]*$' /tmp/trace.txt || fail "tick-10ms never fired"
grep -q 'Distribution' /tmp/trace.txt || fail "no quantize distribution printed"
echo "trace_smoke: ok"
