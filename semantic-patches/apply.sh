#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# Carry a staged copy of the tree to one target kernel with the semantic
# patches its feature probes select.
#
#   semantic-patches/apply.sh <release> <headers dir> <staging dir>
#
# Called by tools/kbuild-stage.sh after it has copied the sources into
# <staging dir>. Steps:
#   1. probe.sh answers the feature probes for the target, cached in
#      <staging dir>/.features/ (features.txt, probe.log);
#   2. every rule of the series, in order, is applied or skipped:
#        backport  applied when its feature is "no";
#        forward   skipped, unless SOLCOMPAT_APPLY_FORWARD=1 is set and its
#                  feature is "yes" (trying a kernel newer than the tree
#                  before forward.sh has moved the tree);
#   3. spatch rewrites the staged linux/, tests/kernel/ and probes/ (those
#      present; headers included) in place, one file per group.
# One line per applied rule, one summary line, and .features/applied.txt
# (<rule> <files changed>); spatch's output per rule in
# <staging dir>/.features/<dir>_<rule>.log, and the files spatch cannot
# fully parse in .features/unparsed.txt. A rule that fails to parse, or any
# spatch error, stops the script with the rule's name and spatch's message.
# The repository itself is never touched: the script refuses a staging dir
# that is the checkout.
set -euo pipefail
sp_prog="cocci ${1:-?}"
. "$(dirname "$0")/lib.sh"

[ $# -eq 3 ] || sp_die "usage: apply.sh <release> <headers dir> <staging dir>"
release=$1 headers=$2 stage=$3
[ -d "$stage" ] || sp_die "no staging dir $stage"
stage=$(cd "$stage" && pwd -P)
top=$(cd "$sp_dir/.." && pwd -P)
[ "$stage" != "$top" ] || sp_die "$stage is the repository; apply.sh rewrites only a staged copy"

cache=$stage/.features
"$sp_dir/probe.sh" "$release" "$headers" "$cache"
features=$cache/features.txt

series=$(sp_series) || exit 1
command -v spatch >/dev/null || sp_die "spatch (Coccinelle) not found; tools/setup.sh installs it"
sp_make_builtins

mapfile -t targets < <(sp_target_dirs "$stage")
[ ${#targets[@]} -gt 0 ] || sp_die "nothing to patch in $stage (no linux/, tests/kernel/ or probes/)"
groups=$cache/files
nfiles=$(sp_file_groups "$groups" "${targets[@]}")

# Code spatch cannot parse is out of reach of every rule. Multi-line macro
# definitions are the usual cause and harmless (rules do not rewrite macro
# bodies); the list is kept for when a rule seems not to apply.
: >"$cache/unparsed.txt"
while read -r f; do
  [ -n "$f" ] || continue
  bad=$(sp_parse_failures "$f")
  [ "${bad:-0}" = 0 ] || printf '%s %s\n' "${f#"$stage"/}" "$bad" >>"$cache/unparsed.txt"
done <"$groups"
if [ -s "$cache/unparsed.txt" ]; then
  printf '[cocci %s] note: %d file(s) with code spatch cannot parse, out of reach of the rules (list: %s)\n' \
    "$release" "$(grep -c . "$cache/unparsed.txt")" "$cache/unparsed.txt"
fi

applied=0 present=0 forward=0 changed_files=0
# <rule> <files changed>, one line per applied rule: what this kernel's
# build depends on (tests/semantic-patches/apply-test.sh checks it against
# expected-changes.txt).
: >"$cache/applied.txt"
while read -r rule feature direction; do
  answer=$(awk -v f="$feature" '$1 == f { print $2 }' "$features")
  case $answer in yes | no) ;; *)
    sp_die "probe.sh gave no answer for feature $feature (rule $rule)" ;;
  esac
  if [ "$direction" = backport ] && [ "$answer" = yes ]; then
    present=$((present + 1))
    continue
  fi
  if [ "$direction" = forward ] &&
    { [ "${SOLCOMPAT_APPLY_FORWARD:-0}" != 1 ] || [ "$answer" = no ]; }; then
    forward=$((forward + 1))
    continue
  fi

  log=$cache/${rule//\//_}.log
  mapfile -t options < <(sp_rule_options "$sp_dir/$rule.cocci")
  if ! sp_spatch "${options[@]}" --sp-file "$sp_dir/$rule.cocci" -D patch \
    --in-place --file-groups "$groups" >"$log" 2>&1; then
    sed 's/^/  /' "$log" >&2
    sp_die "rule $rule failed (spatch's output above, also in $log)"
  fi
  n=$(grep -c '^+++ ' "$log" || true)
  applied=$((applied + 1))
  changed_files=$((changed_files + n))
  printf '%s %d\n' "$rule" "$n" >>"$cache/applied.txt"
  printf '[cocci %s] %-36s %s=%s: %d file(s) changed\n' \
    "$release" "$rule" "$feature" "$answer" "$n"
done <<<"$series"

printf '[cocci %s] %d rule(s) applied to %d file(s) (%d changes), %d not needed (feature present), %d forward rule(s) not applied\n' \
  "$release" "$applied" "$nfiles" "$changed_files" "$present" "$forward"
