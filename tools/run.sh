#!/usr/bin/env bash
# The main job, from a fresh clone on a Debian 12 machine, as root:
#   tools/run.sh [flavour] [-- soltrace arguments]
#     flavour: 6.12 (default), 6.12-rt, 6.1, 6.1-rt
# Installs what it needs (tools/setup.sh), builds the modules and the trace
# CLI, boots the kernel under QEMU with solcompat.ko, dtrace.ko and
# sdt_test.ko loaded, and traces with soltrace: by default for 5 s, a
# 997 Hz profile probe counted per CPU, every sdt probe counted by function,
# and the sdt probe sdt_test fires 1000 times (arg0 = 0..999) as power-of-two
# and linear distributions of arg0. Nothing touches the host kernel.
# Example with your own program:
#   tools/run.sh 6.1 -- -d 3s -n 'profile:::profile-997 { @[cpu] = count(); }'
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"
flavour=6.12
if [ $# -gt 0 ] && [ "$1" != -- ]; then flavour=$1; shift; fi
[ "${1:-}" = -- ] && shift
trace_args=("$@")
if [ ${#trace_args[@]} -eq 0 ]; then
  trace_args=(-d 5s
              -n 'profile:::profile-997 { @[cpu] = count(); }'
              -n 'sdt::: { @sdt[probefunc] = count(); }'
              -n 'sdt:sdt_test:fire:hit { @arg0 = quantize(arg0); @linear = lquantize(arg0, 0, 1000, 100); }')
fi
cache=${SOLCOMPAT_CACHE:-/var/cache/solcompat}

echo "[run] set-up"
bash tools/setup.sh
line=$(awk -v f="$flavour" '$1 == f' "$cache/matrix.txt")
[ -n "$line" ] || { echo "[run] error: no kernel flavour '$flavour' in $cache/matrix.txt (choose: $(awk '{printf "%s ", $1}' "$cache/matrix.txt"))" >&2; exit 2; }
read -r _ release headers vmlinuz <<<"$line"

echo "[run] build ($release)"
cmake -S . -B build -G Ninja -DSOLCOMPAT_KERNELS="$flavour" -DSOLCOMPAT_CACHE="$cache" >build.configure.log 2>&1 ||
  { cat build.configure.log >&2; echo "[run] error: configure failed (log above)" >&2; exit 1; }
cmake --build build -j "$(nproc)" --target solcompat-vm soltrace "kmod-$flavour"

# The guest's command: trace while another shell fires the sdt probe.
quoted=$(printf "'%s' " "${trace_args[@]//\'/\'\\\'\'}")
# It fires a second after an sdt_test probe is enabled (the provider then
# holds the module), or after 5 s if the program enables none.
fire='i=0; while [ "$(cat /sys/module/sdt_test/refcnt)" = 0 ] && [ $i -lt 50 ]; do sleep 0.1 2>/dev/null || sleep 1; i=$((i + 1)); done; sleep 1; echo 1000 > /sys/module/sdt_test/parameters/fire'
guest="($fire) & soltrace $quoted; rc=\$?; wait; exit \$rc"

# One host thread runs every vCPU (--accel tcg-single), as in the test
# boots: multi-threaded TCG was seen running stale translations of text the
# kernel had just patched (README, "Each kernel boots four times").
echo "[run] boot $release, load solcompat.ko, dtrace.ko and sdt_test.ko, trace"
stage=build/kbuild/$release
exec build/tools/vmrun/solcompat-vm --kernel "$vmlinuz" --release "$release" \
  --module "$stage/solcompat.ko" --module "$stage/dtrace.ko" --module "$stage/sdt_test.ko" \
  --file "build/tools/trace/soltrace:/bin/soltrace" \
  --run "$guest" --console --timeout 300 --accel tcg-single \
  --workdir "build/vm/run-$release" --log "build/vm/run-$release/serial.log"
