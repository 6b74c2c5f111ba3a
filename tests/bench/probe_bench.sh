#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Probe costs in the guest (tools/bench.sh runs this after loading
# solcompat.ko, solcompat_bench.ko, dtrace.ko and sdt_test.ko): each step
# runs N calls or firings from one sysfs write and is timed with the same
# clock, so the ratios compare like with like. Prints one line per ratio:
#   probe bench: <what>: <ours> vs <native> ns/op, ratio <r>
set -u
N=${PROBE_BENCH_N:-100000}
bench=/sys/module/solcompat_bench/parameters
fire=/sys/module/sdt_test/parameters/fire

now() { cat $bench/clock_ns; }
# timed FILE VALUE: ns per operation for "echo VALUE > FILE".
timed() {
	t0=$(now)
	echo "$2" > "$1" || { echo "probe bench: writing $2 to $1 failed" >&2; exit 1; }
	t1=$(now)
	echo $(( (t1 - t0) / $2 ))
}
# traced 'PROGRAM' FILE VALUE: the same while soltrace runs PROGRAM (one
# count() aggregation without keys, which soltrace prints as the value alone).
traced() {
	soltrace -q -d 6s -n "$1" > /tmp/probe_bench_trace.txt 2>&1 &
	pid=$!
	sleep 2
	per=$(timed "$2" "$3")
	wait $pid || { cat /tmp/probe_bench_trace.txt >&2; exit 1; }
	# The probe must have fired once per operation, or the time means nothing.
	count=$(sed -n 's/^ *\([0-9][0-9]*\)$/\1/p' /tmp/probe_bench_trace.txt)
	[ "$count" = "$3" ] || { echo "probe bench: $1 counted ${count:-nothing}, not $3" >&2; exit 1; }
	echo "$per"
}
ratio() { # ratio NAME OURS NATIVE
	r=$(( $2 * 100 / ($3 > 0 ? $3 : 1) ))
	printf 'probe bench: %s: %s vs %s ns/op, ratio %d.%02d\n' "$1" "$2" "$3" $((r / 100)) $((r % 100))
}

empty=$(timed $bench/call_empty $N)
sdt_off=$(timed $fire $N)
echo 1 > $bench/kp_arm || exit 1
kprobe=$(timed $bench/call_empty $N)
echo 0 > $bench/kp_arm
sdt_on=$(traced 'sdt:sdt_test:fire:hit { @ = count(); }' $fire $N)
fbt_on=$(traced 'fbt:solcompat_bench:bench_empty:entry { @ = count(); }' $bench/call_empty $N)
[ -n "$sdt_on" ] && [ -n "$fbt_on" ] || exit 1

ratio "disabled sdt probe vs an empty function call" "$sdt_off" "$empty"
ratio "enabled sdt probe (count) vs an empty kprobe handler hit" "$sdt_on" "$kprobe"
ratio "enabled fbt entry probe (count) vs an empty kprobe on the same function" "$fbt_on" "$kprobe"
