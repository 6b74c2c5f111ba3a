#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# Unit test of one porting check on its two fixtures.
#
#   tests/semantic-patches/check-test.sh <check.cocci> <bad.c> <clean.c> <work dir>
#
# <bad.c> marks every line the check must report with a trailing
# "/* report */" comment; the check must report exactly those lines, each
# with a reason, and check.sh must exit 1. <clean.c> must give no report,
# from this check or any other, and check.sh must exit 0. Both fixtures must parse completely, or the check would pass by
# never seeing the code.
set -euo pipefail
[ $# -eq 4 ] || { echo "usage: $0 <check.cocci> <bad.c> <clean.c> <work dir>" >&2; exit 2; }
check=$1 bad=$2 clean=$3 work=$4
sp_prog=check-test
. "$(dirname "$0")/../../semantic-patches/lib.sh"
name=checks/$(basename "$check" .cocci)
fail() { printf 'FAIL %s: %s\n' "$name" "$*" >&2; exit 1; }

for f in "$check" "$bad" "$clean"; do [ -f "$f" ] || fail "no file $f"; done
rm -rf "$work"
mkdir -p "$work/bad" "$work/clean"
cp "$bad" "$work/bad/"
cp "$clean" "$work/clean/"
sp_make_builtins
for f in "$work/bad/${bad##*/}" "$work/clean/${clean##*/}"; do
  n=$(sp_parse_failures "$f")
  [ "${n:-1}" = 0 ] || fail "spatch cannot parse $n function(s) of ${f##*/}"
done

# Run check.sh on a directory, with the checks given after $2; its exit
# status must be $2.
run() {
  local dir=$1 expect=$2 status=0
  shift 2
  "$sp_dir/check.sh" "$work/$dir" "$@" >"$work/$dir.out" 2>"$work/$dir.err" || status=$?
  [ $status = "$expect" ] || {
    cat "$work/$dir.out" "$work/$dir.err" >&2
    fail "check.sh on the $dir fixture exited $status, expected $expect"
  }
}

run bad 1 "$check"
grep -n '/\* report \*/' "$bad" | cut -d: -f1 | sort -n >"$work/expected"
[ -s "$work/expected" ] || fail "${bad##*/} marks no line with /* report */"
sed -n 's|^[^:]*:\([0-9]*\): .\{1,\}$|\1|p' "$work/bad.out" | sort -n | uniq >"$work/actual"
[ "$(grep -c . "$work/bad.out")" = "$(grep -c . "$work/actual")" ] || {
  cat "$work/bad.out" >&2
  fail "a line is reported twice, or a report has no reason"
}
diff -u "$work/expected" "$work/actual" >&2 || {
  cat "$work/bad.out" >&2
  fail "reported lines differ from the /* report */ lines of ${bad##*/} (- expected, + actual)"
}

run clean 0
printf 'ok %s (%d reports on the bad fixture, none from any check on the clean one)\n' "$name" "$(grep -c . "$work/actual")"
