#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# Unit test of one semantic patch on its fixture pair.
#
#   tests/semantic-patches/rule-test.sh <rule.cocci> <fixture.c> <fixture.res> <work dir>
#
# Checks that the rule
#   1. parses (spatch --parse-cocci, with the patch mode selected);
#   2. turns <fixture.c> into exactly <fixture.res> (which must differ from
#      <fixture.c>: a fixture that nothing happens to proves nothing);
#   3. is idempotent: applied to its own output it changes nothing.
# spatch's --compare-with-expected cannot be used: it always exits 0.
set -euo pipefail
[ $# -eq 4 ] || { echo "usage: $0 <rule.cocci> <fixture.c> <fixture.res> <work dir>" >&2; exit 2; }
rule=$1 fixture=$2 expected=$3 work=$4
sp_prog=rule-test
. "$(dirname "$0")/../../semantic-patches/lib.sh"
name=$(basename "$(dirname "$rule")")/$(basename "$rule" .cocci)
fail() { printf 'FAIL %s: %s\n' "$name" "$*" >&2; exit 1; }

[ -f "$rule" ] || fail "no rule at $rule"
[ -f "$fixture" ] || fail "no fixture $fixture"
[ -f "$expected" ] || fail "no expected result $expected"
cmp -s "$fixture" "$expected" && fail "$fixture and $expected are identical"
rm -rf "$work"
mkdir -p "$work"
mapfile -t options < <(sp_rule_options "$rule")
sp_make_builtins

# Run the rule on $1, writing the result to $2 (a copy of $1 if nothing
# changed: spatch -o refuses to write an unmodified file).
transform() {
  local log=$work/${2##*/}.log
  if ! sp_spatch "${options[@]}" --sp-file "$rule" -D patch --no-show-diff \
    "$1" -o "$2" >"$log" 2>&1; then
    if grep -q 'no modified files' "$log"; then
      cp "$1" "$2"
    else
      cat "$log" >&2
      fail "spatch failed on $1"
    fi
  fi
  # A C parse error leaves the function untouched without failing spatch;
  # in a fixture that is a broken test.
  local bad
  bad=$(sp_parse_failures "$1")
  [ "${bad:-1}" = 0 ] || fail "spatch cannot parse $bad function(s) of $1"
}

spatch --parse-cocci "$rule" -D patch >"$work/parse.log" 2>&1 ||
  { cat "$work/parse.log" >&2; fail "does not parse"; }

transform "$fixture" "$work/out.c"
diff -u "$expected" "$work/out.c" >&2 || fail "result differs from ${expected##*/} (- expected, + actual)"

transform "$work/out.c" "$work/again.c"
diff -u "$work/out.c" "$work/again.c" >&2 || fail "not idempotent: a second run changed its own output"
printf 'ok %s\n' "$name"
