#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# Consistency of semantic-patches/: the series, the rules' header comments,
# the probes, the fixtures and the expectation table agree with each other.
#
#   tests/semantic-patches/series-test.sh <work dir>
#
# Every problem is listed before the test fails.
set -euo pipefail
[ $# -eq 1 ] || { echo "usage: $0 <work dir>" >&2; exit 2; }
work=$1
sp_prog=series-test
. "$(dirname "$0")/../../semantic-patches/lib.sh"
fixtures=$(cd "$(dirname "$0")" && pwd)
problems=0
problem() {
  printf 'problem: %s\n' "$*" >&2
  problems=$((problems + 1))
}
mkdir -p "$work"

series=$(sp_series) || exit 1
[ -n "$series" ] || problem "the series lists no rule"

# Each rule: in the series once, a header that says what the series says,
# the kernel conventions, and a fixture pair.
for f in "$sp_dir"/backport/*.cocci "$sp_dir"/forward/*.cocci; do
  rule=${f#"$sp_dir"/}
  rule=${rule%.cocci}
  n=$(awk -v r="$rule" '$1 == r' <<<"$series" | grep -c . || true)
  [ "$n" = 1 ] || problem "$rule.cocci is listed $n times in the series (must be once)"
  grep -q '^virtual patch$' "$f" || problem "$rule.cocci has no 'virtual patch'"
  grep -q 'depends on patch' "$f" || problem "$rule.cocci has no rule guarded by 'depends on patch'"
  for field in Kernel Probe Direction Options Requires; do
    grep -q "^// $field:" "$f" || problem "$rule.cocci has no '// $field:' header line"
  done
  grep -q '^///' "$f" || problem "$rule.cocci has no '///' description"
  [ "${rule%%/*}" = "$(awk -v r="$rule" '$1 == r { print $3 }' <<<"$series")" ] ||
    problem "$rule.cocci is in ${rule%%/*}/ but its series direction differs"
  for ext in c res; do
    [ -f "$fixtures/$rule.$ext" ] || problem "$rule has no fixture tests/semantic-patches/$rule.$ext"
  done
done

while read -r rule feature direction; do
  f=$sp_dir/$rule.cocci
  grep -q "^// Probe: probes/$feature\.c " "$f" ||
    problem "$rule.cocci does not name its series feature ($feature) in '// Probe: probes/$feature.c'"
  grep -q "^// Direction: $direction" "$f" ||
    problem "$rule.cocci does not say '// Direction: $direction'"
  grep -q "$rule" "$sp_dir/probes/$feature.c" ||
    problem "probes/$feature.c does not name $rule in its Selects: line"
  grep -q "$rule" "$sp_dir/README.md" || problem "README.md does not mention $rule"
done <<<"$series"

# Each probe: selects something, says what it is about.
for p in "$sp_dir"/probes/*.c; do
  feature=$(basename "$p" .c)
  awk -v f="$feature" '$2 == f' <<<"$series" | grep -q . ||
    problem "probes/$feature.c selects no rule of the series"
  for field in 'Feature probe' Kernel Yes Selects; do
    grep -q "^ \* $field:" "$p" || problem "probes/$feature.c has no '$field:' line in its header"
  done
  grep -q "^[^#]* $feature " "$sp_dir/expected-features.txt" ||
    problem "expected-features.txt has no answer for $feature"
done

# Forward rules are for kernels past the matrix: their features are "no"
# everywhere today, or apply.sh's default would silently change.
while read -r rule feature direction; do
  [ "$direction" = forward ] || continue
  if awk -v f="$feature" '$2 == f && $3 == "yes"' "$sp_dir/expected-features.txt" | grep -q .; then
    problem "forward rule $rule: its feature $feature is 'yes' on a kernel of the matrix; run forward.sh (README.md)"
  fi
done <<<"$series"

# Each check: report mode, conventions, both fixtures.
for c in "$sp_dir"/checks/*.cocci; do
  name=$(basename "$c" .cocci)
  grep -q '^virtual report$' "$c" || problem "checks/$name.cocci has no 'virtual report'"
  for field in Options Requires; do
    grep -q "^// $field:" "$c" || problem "checks/$name.cocci has no '// $field:' header line"
  done
  for kind in bad clean; do
    [ -f "$fixtures/checks/$name.$kind.c" ] || problem "checks/$name has no fixture checks/$name.$kind.c"
  done
done

# apply.sh never rewrites the repository.
if "$sp_dir/apply.sh" 0 /nonexistent "$sp_dir/.." >"$work/apply-refusal.log" 2>&1; then
  problem "apply.sh accepted the repository as its staging dir"
fi

[ $problems = 0 ] || { echo "$problems problem(s)" >&2; exit 1; }
echo "ok: $(grep -c . <<<"$series") rules in the series, $(ls "$sp_dir"/probes/*.c | wc -l) probes, $(ls "$sp_dir"/checks/*.cocci | wc -l) checks, all consistent"
