#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# Move a tree to the spelling of a newer kernel with the forward rules.
#
#   semantic-patches/forward.sh [--dry-run] <tree> [<rule>...]
#
# For the day a kernel with a newer API enters the matrix (README.md, "The
# forward-rule procedure"). <tree> is the checkout (its linux/, tests/kernel/
# and probes/ are rewritten, headers included) or any directory of C files.
# Without <rule> arguments every forward rule of the series runs, in series
# order; otherwise only the named ones (e.g. forward/hrtimer_setup), still in
# series order. Unlike apply.sh this edits the files in place wherever they
# are, the repository included: that is its purpose. --dry-run prints the
# diff and changes nothing.
set -euo pipefail
sp_prog=forward
. "$(dirname "$0")/lib.sh"

usage() { sp_die "usage: forward.sh [--dry-run] <tree> [<rule>...]"; }
dry_run=0
if [ "${1:-}" = --dry-run ]; then
  dry_run=1
  shift
fi
[ $# -ge 1 ] || usage
[ -d "$1" ] || sp_die "no directory $1"
tree=$(cd "$1" && pwd -P)
shift
wanted=("$@")

series=$(sp_series) || exit 1
for w in "${wanted[@]}"; do
  awk -v r="${w%.cocci}" '$1 == r && $3 == "forward" { found = 1 } END { exit !found }' <<<"$series" ||
    sp_die "$w is not a forward rule of the series"
done
command -v spatch >/dev/null || sp_die "spatch (Coccinelle) not found; tools/setup.sh installs it"
sp_make_builtins

mapfile -t targets < <(sp_target_dirs "$tree")
[ ${#targets[@]} -gt 0 ] || targets=("$tree")
groups=$sp_tmp/files
nfiles=$(sp_file_groups "$groups" "${targets[@]}")
mode=(--in-place)
[ $dry_run = 0 ] || mode=()

ran=0 changed=0
while read -r rule feature direction; do
  [ "$direction" = forward ] || continue
  if [ ${#wanted[@]} -gt 0 ]; then
    keep=0
    for w in "${wanted[@]}"; do [ "${w%.cocci}" = "$rule" ] && keep=1; done
    [ $keep = 1 ] || continue
  fi
  log=$sp_tmp/${rule//\//_}.log
  mapfile -t options < <(sp_rule_options "$sp_dir/$rule.cocci")
  if ! sp_spatch "${options[@]}" --sp-file "$sp_dir/$rule.cocci" -D patch \
    "${mode[@]}" --file-groups "$groups" >"$log" 2>&1; then
    sed 's/^/  /' "$log" >&2
    sp_die "rule $rule failed (spatch's output above)"
  fi
  [ $dry_run = 0 ] || cat "$log"
  n=$(grep -c '^+++ ' "$log" || true)
  ran=$((ran + 1))
  changed=$((changed + n))
  printf '[forward] %-32s (probe %s): %d file(s) %s\n' "$rule" "$feature" "$n" \
    "$([ $dry_run = 1 ] && echo 'would change' || echo changed)" >&2
done <<<"$series"
printf '[forward] %d rule(s) over %d file(s) of %s: %d change(s)%s\n' \
  "$ran" "$nfiles" "$tree" "$changed" "$([ $dry_run = 1 ] && echo ', dry run' || true)" >&2
