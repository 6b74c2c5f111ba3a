#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# Run the porting checks (checks/*.cocci, report mode) over a tree.
#
#   semantic-patches/check.sh <dir> [<check.cocci>...]
#
# Every .c and .h file under <dir> is examined, one file at a time; each
# report is one line, "<file>:<line>: <reason>", sorted. Exit status: 0 when
# nothing was reported, 1 when something was, 2 when a check could not run
# (the check's name and spatch's message are printed). With <check.cocci>
# arguments only those run.
set -euo pipefail
sp_prog=check
. "$(dirname "$0")/lib.sh"
trap 'exit 2' ERR
sp_die() {
  printf 'check: error: %s\n' "$*" >&2
  exit 2
}

[ $# -ge 1 ] || sp_die "usage: check.sh <dir> [<check.cocci>...]"
[ -d "$1" ] || sp_die "no directory $1"
dir=$1
shift
if [ $# -gt 0 ]; then
  checks=("$@")
else
  checks=("$sp_dir"/checks/*.cocci)
fi
command -v spatch >/dev/null || sp_die "spatch (Coccinelle) not found; tools/setup.sh installs it"
sp_make_builtins

groups=$sp_tmp/files
nfiles=$(sp_file_groups "$groups" "$dir")
: >"$sp_tmp/reports"
for c in "${checks[@]}"; do
  [ -f "$c" ] || sp_die "no check $c"
  mapfile -t options < <(sp_rule_options "$c")
  if ! sp_spatch "${options[@]}" --sp-file "$c" -D report --file-groups "$groups" \
    >"$sp_tmp/out" 2>"$sp_tmp/err"; then
    sed 's/^/  /' "$sp_tmp/err" >&2
    sp_die "check ${c##*/} failed (spatch's output above)"
  fi
  # Reports are the only lines a check prints on stdout.
  cat "$sp_tmp/out" >>"$sp_tmp/reports"
done
sort -t: -k1,1 -k2,2n -k3 "$sp_tmp/reports" | uniq >"$sp_tmp/sorted"
n=$(grep -c . "$sp_tmp/sorted" || true)
cat "$sp_tmp/sorted"
printf '[check] %d check(s) over %d file(s) of %s: %d report(s)\n' \
  "${#checks[@]}" "$nfiles" "$dir" "$n" >&2
if [ "$n" = 0 ]; then exit 0; else exit 1; fi
