#!/usr/bin/env bash
# The whole test suite, from a fresh clone on a Debian 12 machine, as root:
#   tools/test.sh
# 1. tools/setup.sh: packages, kernel headers and images (idempotent);
# 2. configure and build everything (host programs, model tests, and the
#    kernel modules for each kernel of the matrix) in build/;
# 3. ctest: the userspace tests and one QEMU boot per kernel, JUnit XML under
#    build/test-results/;
# 4. the model tests again under AddressSanitizer+UBSan (build-asan/) and
#    ThreadSanitizer (build-tsan/);
# 5. a per-kernel summary.
# Environment: SOLCOMPAT_KERNELS narrows the matrix (e.g. "6.1;6.12");
# SOLCOMPAT_SKIP_SANITIZERS=1 skips step 4; JOBS sets build parallelism.
set -uo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"
jobs=${JOBS:-$(nproc)}
status=0
failed_stages=() # build directories whose ctest failed, named in the summary
t0=$(date +%s)
phase() { printf '\n[test] %s (%ds elapsed)\n' "$*" $(($(date +%s) - t0)); }

phase "set-up"
if [ "$(id -u)" = 0 ]; then
  bash tools/setup.sh || { echo "[test] error: set-up failed (see above)" >&2; exit 1; }
else
  echo "[test] not root: skipping tools/setup.sh (run it once as root)"
fi

configure_and_build() { # $1 = build dir, $2 = target (all), rest = cmake args
  local dir=$1 target=$2; shift 2
  cmake -S . -B "$dir" -G Ninja -DSOLCOMPAT_KERNELS="${SOLCOMPAT_KERNELS:-all}" \
    -DSOLCOMPAT_CACHE="${SOLCOMPAT_CACHE:-/var/cache/solcompat}" "$@" >"$dir.configure.log" 2>&1 ||
    { cat "$dir.configure.log" >&2; echo "[test] error: configure of $dir failed" >&2; return 1; }
  cmake --build "$dir" -j "$jobs" --target "$target" ||
    { echo "[test] error: build of $dir failed" >&2; return 1; }
}

phase "build (build/)"
mkdir -p build
configure_and_build build all || exit 1

phase "ctest (userspace tests and one QEMU boot per kernel)"
rm -f build/test-results/*.xml build/Testing/Temporary/LastTestsFailed.log
ctest --test-dir build -j "$jobs" --timeout 900 --output-on-failure --output-junit test-results/ctest.xml ||
  { status=1; failed_stages+=(build); }

if [ "${SOLCOMPAT_SKIP_SANITIZERS:-0}" != 1 ]; then
  for san in asan tsan; do
    phase "model tests under $san (build-$san/)"
    mkdir -p "build-$san"
    if configure_and_build "build-$san" model-tests -DSOLCOMPAT_SANITIZER=$san -DSOLCOMPAT_WITH_KERNELS=OFF; then
      # Each model test stops starting iterations after its time budget;
      # the sanitizer runs take half of the default (3 s) unless set.
      rm -f "build-$san/Testing/Temporary/LastTestsFailed.log"
      SOLCOMPAT_MODEL_CASE_BUDGET_MS=${SOLCOMPAT_MODEL_CASE_BUDGET_MS:-1500} \
        ctest --test-dir "build-$san" -j "$jobs" --timeout 900 -L model --output-on-failure \
        --output-junit "test-results/ctest-$san.xml" || { status=1; failed_stages+=("build-$san"); }
    else
      status=1
      echo "[test] error: build-$san did not build; its model tests did not run" >&2
    fi
  done
fi

phase "summary"
shopt -s nullglob
for x in build/test-results/kernel-*.xml; do
  release=${x##*/kernel-}; release=${release%.xml}
  total=$(grep -c '<testcase ' "$x")
  failed=$(grep -c '<failure' "$x")
  skipped=$(grep -c '<skipped' "$x")
  echo "kernel $release: $((total - failed - skipped)) passed, $failed failed, $skipped skipped"
done
# Name what failed here, at the end, where a truncated CI log still shows
# it; the failing tests' output is above (--output-on-failure) and in the
# JUnit files.
for dir in "${failed_stages[@]}"; do
  echo "[test] failed in $dir (ctest --test-dir $dir --rerun-failed --output-on-failure):"
  if [ -s "$dir/Testing/Temporary/LastTestsFailed.log" ]; then
    sed 's/^/[test]   /' "$dir/Testing/Temporary/LastTestsFailed.log"
  else
    echo "[test]   (ctest itself failed; see its output above)"
  fi
done
[ -n "$(ls build/test-results/kernel-*.xml 2>/dev/null)" ] || { echo "[test] no kernel results: the kernel tests did not run" >&2; status=1; }
echo "[test] total time $(($(date +%s) - t0)) s; results in build/test-results/"
[ $status = 0 ] && echo "[test] PASS" || echo "[test] FAIL"
exit $status
