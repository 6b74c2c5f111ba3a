#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# The forward-rule procedure, rehearsed: a copy of the tree is moved to the
# newest spelling with forward.sh, and must still build for one kernel of
# today's matrix once apply.sh has backported it (through
# tools/kbuild-stage.sh of the copy). Proves that every forward rule has the
# backport it will need on the day it is used.
#
#   tests/semantic-patches/roundtrip-test.sh <release> <headers dir> <work dir> <staging dir> [<probe cache dir>]
#
# The copy of the tree goes to <work dir>/src. <staging dir> may be the
# cocci.apply test's (ctest runs this test after it): Kbuild then rebuilds
# only the files forward.sh and apply.sh changed, as tools/kbuild-stage.sh
# rewrites only files whose contents differ, and the next apply test puts
# them back the same way.
set -euo pipefail
[ $# -ge 4 ] || { echo "usage: $0 <release> <headers dir> <work dir> <staging dir> [<probe cache dir>]" >&2; exit 2; }
release=$1 headers=$2 work=$3 stage=$4 cache=${5:-}
top=$(cd "$(dirname "$0")/../.." && pwd -P)

# The working tree as it is (uncommitted files included), without what git
# ignores (build trees, objects), .git, or this test's own work dir.
mkdir -p "$work/src"
work_abs=$(cd "$work" && pwd -P)
exclude=()
case $work_abs/ in "$top"/*) exclude=(--exclude="/${work_abs#"$top"/}/") ;; esac
rsync -rc --delete --exclude=/.git/ --filter=':- .gitignore' "${exclude[@]}" "$top/" "$work/src/"

"$work/src/semantic-patches/forward.sh" "$work/src"
mkdir -p "$stage/.features"
if [ -n "$cache" ] && [ -f "$cache/features.key" ] && [ ! -f "$stage/.features/features.key" ]; then
  cp "$cache/features.txt" "$cache/features.key" "$stage/.features/"
fi
"$work/src/tools/kbuild-stage.sh" "$release" "$headers" "$stage"
echo "ok: the tree, moved forward and backported again for $release, builds"
