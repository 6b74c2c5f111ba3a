#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# The feature probes answer on one kernel as semantic-patches/expected-features.txt
# says they do.
#
#   tests/semantic-patches/probe-test.sh <flavour> <release> <headers dir> <cache dir>
set -euo pipefail
[ $# -eq 4 ] || { echo "usage: $0 <flavour> <release> <headers dir> <cache dir>" >&2; exit 2; }
flavour=$1 release=$2 headers=$3 cache=$4
sp_prog="probe-test $flavour"
. "$(dirname "$0")/../../semantic-patches/lib.sh"

"$sp_dir/probe.sh" "$release" "$headers" "$cache"
awk -v k="$flavour" '$1 == k { print $2, $3 }' "$sp_dir/expected-features.txt" |
  sort >"$cache/expected.txt"
[ -s "$cache/expected.txt" ] ||
  sp_die "expected-features.txt has no line for flavour $flavour: add its answers"
if ! diff -u "$cache/expected.txt" "$cache/features.txt" >&2; then
  echo "probe answers on $release (+) differ from expected-features.txt (-); compiler log: $cache/probe.log" >&2
  exit 1
fi
echo "ok: $(grep -c . "$cache/features.txt") probe answers on $release match expected-features.txt"
