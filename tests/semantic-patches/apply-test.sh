#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# apply.sh carries a staged copy of the tree to one kernel and the result
# builds: tools/kbuild-stage.sh does both (copy, apply.sh, Kbuild).
#
#   tests/semantic-patches/apply-test.sh <release> <headers dir> <staging dir> [<probe cache dir>]
#
# With a probe cache dir (the cocci.probes test's), its answers seed the
# staging dir's cache; probe.sh re-checks their key, so stale answers are
# recomputed, never trusted.
set -euo pipefail
[ $# -ge 3 ] || { echo "usage: $0 <release> <headers dir> <staging dir> [<probe cache dir>]" >&2; exit 2; }
release=$1 headers=$2 stage=$3 cache=${4:-}
top=$(cd "$(dirname "$0")/../.." && pwd)

mkdir -p "$stage/.features"
if [ -n "$cache" ] && [ -f "$cache/features.key" ] && [ ! -f "$stage/.features/features.key" ]; then
  cp "$cache/features.txt" "$cache/features.key" "$stage/.features/"
fi
"$top/tools/kbuild-stage.sh" "$release" "$headers" "$stage"
echo "ok: the tree, patched for $release, builds ($stage)"
