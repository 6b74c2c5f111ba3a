#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# apply.sh carries a staged copy of the tree to one kernel and the result
# builds: tools/kbuild-stage.sh does both (copy, apply.sh, Kbuild).
#
#   tests/semantic-patches/apply-test.sh <flavour> <release> <headers dir> <staging dir> [<probe cache dir>]
#
# Then the rules that changed files (.features/applied.txt) must be exactly
# the ones semantic-patches/expected-changes.txt lists for <flavour>: the
# build of an older kernel goes through the rules, the newest needs none.
#
# With a probe cache dir (the cocci.probes test's), its answers seed the
# staging dir's cache; probe.sh re-checks their key, so stale answers are
# recomputed, never trusted.
set -euo pipefail
[ $# -ge 4 ] || { echo "usage: $0 <flavour> <release> <headers dir> <staging dir> [<probe cache dir>]" >&2; exit 2; }
flavour=$1 release=$2 headers=$3 stage=$4 cache=${5:-}
top=$(cd "$(dirname "$0")/../.." && pwd)

mkdir -p "$stage/.features"
if [ -n "$cache" ] && [ -f "$cache/features.key" ] && [ ! -f "$stage/.features/features.key" ]; then
  cp "$cache/features.txt" "$cache/features.key" "$stage/.features/"
fi
"$top/tools/kbuild-stage.sh" "$release" "$headers" "$stage"
echo "ok: the tree, patched for $release, builds ($stage)"

expected=$(awk -v f="$flavour" '$1 == f { print $2 }' "$top/semantic-patches/expected-changes.txt" | sort | paste -sd " " -)
actual=$(awk '$2 > 0 { print $1 }' "$stage/.features/applied.txt" | sort | paste -sd " " -)
echo "rules that changed files for $flavour: ${actual:-none} (expected: ${expected:-none})"
awk '{ printf "  %-40s %d file(s)\n", $1, $2 }' "$stage/.features/applied.txt"
if [ "$expected" != "$actual" ]; then
  echo "FAIL: the rules this build went through differ from semantic-patches/expected-changes.txt for $flavour" >&2
  echo "  expected: ${expected:-none}" >&2
  echo "  actual:   ${actual:-none}" >&2
  echo "  (update expected-changes.txt if linux/ changed its spelling on purpose)" >&2
  exit 1
fi
echo "ok: $flavour builds through exactly the expected rules"
