#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# solcompat-tiercheck finds calls out of the tier from global and static
# (NOKPROBE_SYMBOL on a static function) tier functions, and honours the
# allowlist.
#   tiercheck-test.sh <solcompat-tiercheck> <fixture.c> <work dir>
set -u
tiercheck=$1 fixture=$2 work=$3
mkdir -p "$work"
cc -c -O2 -fno-pie -fno-asynchronous-unwind-tables -o "$work/fixture.o" "$fixture" || exit 1
: >"$work/empty.allow"
"$tiercheck" "$work/fixture.o" "$work/empty.allow" >"$work/out.txt" 2>&1
rc=$?
cat "$work/out.txt"
[ $rc = 1 ] || { echo "FAIL: expected exit 1 (problems found), got $rc"; exit 1; }
grep -q 'tier_global calls outside_global' "$work/out.txt" ||
  { echo "FAIL: the global tier function's call was not reported"; exit 1; }
grep -q 'tier_static calls outside_static' "$work/out.txt" ||
  { echo "FAIL: the static tier function's call was not reported"; exit 1; }
grep -q '2 tier functions' "$work/out.txt" ||
  { echo "FAIL: expected 2 tier functions (the static one resolved from .text+offset)"; exit 1; }
printf 'outside_global # fixture\noutside_static # fixture\n' >"$work/both.allow"
"$tiercheck" "$work/fixture.o" "$work/both.allow" >"$work/out2.txt" 2>&1 ||
  { cat "$work/out2.txt"; echo "FAIL: allowlisted calls still reported"; exit 1; }
echo "ok: global and static tier functions checked, allowlist honoured"
