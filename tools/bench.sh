#!/usr/bin/env bash
# Speed ratios of solcompat primitives against the native Linux ones,
# measured in one boot:  tools/bench.sh [--icount] [flavour]   (default 6.12)
#
# Without --icount the guest's clock is the host's, under multi-threaded
# TCG: times include the emulator's costs, which move with code layout.
# With --icount the guest counts time in instructions (QEMU -icount,
# 1 ns per instruction, one host thread): each figure is the number of
# guest instructions per operation, the same in every boot of one build.
# Pairs that sleep (taskq, cv, cross-calls) also count the idle time the
# guest skips to its next timer, so those are not instruction counts.
# SOLCOMPAT_BENCH_CPUS=N sets the number of vCPUs (default 2).
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"
accel=tcg
if [ "${1:-}" = --icount ]; then
  accel=tcg-icount
  shift
fi
flavour=${1:-6.12}
cpus=${SOLCOMPAT_BENCH_CPUS:-2}
if [ "$accel" = tcg-icount ] && [[ "$flavour" == 6.1 || "$flavour" == 6.1-* ]]; then
  # Under -icount, 6.1 never finishes bringing up a second vCPU (it stops
  # at "x86: Booting SMP configuration", also with tsc=reliable; 6.12
  # boots). One vCPU keeps the single-CPU pairs; the cross-call pairs
  # then call this CPU only.
  echo "bench: --icount boots $flavour with one vCPU (6.1 hangs bringing up a second one under -icount)" >&2
  cpus=1
fi
cache=${SOLCOMPAT_CACHE:-/var/cache/solcompat}
bash tools/setup.sh >/dev/null
line=$(awk -v f="$flavour" '$1 == f' "$cache/matrix.txt")
[ -n "$line" ] || { echo "bench: no kernel flavour '$flavour' in $cache/matrix.txt" >&2; exit 2; }
read -r _ release headers vmlinuz <<<"$line"
cmake -S . -B build -G Ninja -DSOLCOMPAT_KERNELS="$flavour" -DSOLCOMPAT_CACHE="$cache" >/dev/null
cmake --build build -j "$(nproc)" --target solcompat-vm soltrace "kmod-$flavour"
stage=build/kbuild/$release
# Under --icount, QEMU 7.2 now and then corrupts the guest's EFLAGS right
# after a cmpxchg16b (seen as a double fault or a kernel #DB inside the
# kernel's own __kmalloc, in native pairs as in solcompat's): a boot that
# did not finish is retried, twice at most, and its log kept.
attempts=1
[ "$accel" = tcg-icount ] && attempts=3
ok=0
for attempt in $(seq 1 "$attempts"); do
  if build/tools/vmrun/solcompat-vm --kernel "$vmlinuz" --release "$release" \
    --module "$stage/solcompat.ko" --module "$stage/solcompat_bench.ko" \
    --module "$stage/dtrace.ko" --module "$stage/sdt_test.ko" \
    --file "build/tools/trace/soltrace:/bin/soltrace" \
    --file "tests/bench/probe_bench.sh:/probe_bench.sh" --run "sh /probe_bench.sh" \
    --workdir "build/vm/bench-$release" --log "build/vm/bench-$release/serial.log" \
    --accel "$accel" --cpus "$cpus" --timeout 900 >/dev/null; then
    ok=1
    break
  fi
  if [ "$attempt" -lt "$attempts" ] && [ -f "build/vm/bench-$release/serial.log" ]; then
    kept="build/vm/bench-$release/serial-failed-$attempt.log"
    cp "build/vm/bench-$release/serial.log" "$kept"
    echo "bench: boot $attempt of $attempts did not finish (log kept in $kept); booting again" >&2
  fi
done
if [ "$ok" != 1 ]; then
  echo "bench: the benchmark boot failed $attempts time(s); see build/vm/bench-$release/serial.log (and serial-failed-*.log), then run tools/bench.sh again" >&2
  exit 1
fi
grep -o 'bench\.[0-9]* # .*' "build/vm/bench-$release/serial.log" | sed 's/^bench\.[0-9]* # //'
grep -o 'probe bench: .*' "build/vm/bench-$release/serial.log" | sed 's/^probe bench: //'
