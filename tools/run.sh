#!/usr/bin/env bash
# The main job, from a fresh clone on a Debian 12 machine, as root:
#   tools/run.sh [flavour]        (flavour: 6.12 (default), 6.12-rt, 6.1, 6.1-rt)
# Installs what it needs (tools/setup.sh), builds the modules, boots the kernel
# under QEMU with the modules loaded, and shows what they report on the guest
# console. Nothing touches the host kernel.
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"
flavour=${1:-6.12}
cache=${SOLCOMPAT_CACHE:-/var/cache/solcompat}

echo "[run] set-up"
bash tools/setup.sh
line=$(awk -v f="$flavour" '$1 == f' "$cache/matrix.txt")
[ -n "$line" ] || { echo "[run] error: no kernel flavour '$flavour' in $cache/matrix.txt (choose: $(awk '{printf "%s ", $1}' "$cache/matrix.txt"))" >&2; exit 2; }
read -r _ release headers vmlinuz <<<"$line"

echo "[run] build ($release)"
cmake -S . -B build -G Ninja -DSOLCOMPAT_KERNELS="$flavour" >build.configure.log 2>&1 ||
  { cat build.configure.log >&2; echo "[run] error: configure failed" >&2; exit 1; }
cmake --build build -j "$(nproc)" --target solcompat-vm "kmod-$flavour"

echo "[run] boot $release with solcompat.ko and solcompat_test.ko"
stage=build/kbuild/$release
exec build/tools/vmrun/solcompat-vm --kernel "$vmlinuz" --release "$release" \
  --module "$stage/solcompat.ko" --module "$stage/solcompat_test.ko" \
  --run 'cat /proc/modules' --console \
  --workdir "build/vm/run-$release" --log "build/vm/run-$release/serial.log"
