#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# apply.sh fails loudly: a selected rule that spatch cannot parse stops it
# with a non-zero status, naming the rule and showing spatch's message, and
# the rules before it in the series have run.
#
#   tests/semantic-patches/apply-failure-test.sh <release> <headers dir> <probe cache dir> <work dir>
#
# Works on a copy of semantic-patches/ with one broken rule added to the
# series, selected by a feature the kernel lacks, and a one-file staging dir.
set -euo pipefail
[ $# -eq 4 ] || { echo "usage: $0 <release> <headers dir> <probe cache dir> <work dir>" >&2; exit 2; }
release=$1 headers=$2 cache=$3 work=$4
top=$(cd "$(dirname "$0")/../.." && pwd)
fail() { printf 'FAIL: %s\n' "$*" >&2; exit 1; }

"$top/semantic-patches/probe.sh" "$release" "$headers" "$cache" >/dev/null
missing=$(awk '$2 == "no" { print $1; exit }' "$cache/features.txt")
[ -n "$missing" ] || fail "every feature is present on $release: nothing can select the broken rule"

rm -rf "$work"
mkdir -p "$work/stage/linux" "$work/stage/.features"
cp -r "$top/semantic-patches" "$work/sp"
cat >"$work/sp/backport/zz_broken.cocci" <<'RULE'
virtual patch

@depends on patch@
expression e;
@@
- solcompat_broken(e
RULE
echo "backport/zz_broken $missing backport" >>"$work/sp/series"
printf 'int fixture(void);\nint fixture(void)\n{\n\treturn 0;\n}\n' >"$work/stage/linux/fixture.c"
# The copy's probe.sh is identical, so the cached answers carry over.
cp "$cache/features.txt" "$cache/features.key" "$work/stage/.features/"

status=0
"$work/sp/apply.sh" "$release" "$headers" "$work/stage" >"$work/out" 2>"$work/err" || status=$?
cat "$work/out" "$work/err"
[ $status != 0 ] || fail "apply.sh exited 0 with a broken rule selected"
grep -q 'backport/zz_broken' "$work/err" || fail "apply.sh's error does not name the rule"
grep -qi 'parse error' "$work/err" || fail "apply.sh does not show spatch's message"
n=$(grep -c '^\[cocci .*file(s) changed$' "$work/out" || true)
[ "$n" -gt 0 ] || fail "the rules before the broken one did not run"
echo "ok: apply.sh stopped with status $status at the broken rule, after $n rule(s)"
