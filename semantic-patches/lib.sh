# SPDX-License-Identifier: GPL-2.0
# Shared by probe.sh, apply.sh, forward.sh, check.sh and the tests in
# tests/semantic-patches/ (sourced, not run). The caller sets sp_prog, the
# name its messages start with.

sp_dir=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)

sp_die() {
  printf '%s: error: %s\n' "${sp_prog:-semantic-patches}" "$*" >&2
  exit 1
}

# spatch's built-in macro file minus DEFINE_PER_CPU and DECLARE_PER_CPU:
# they expand to an attribute spatch's own parser rejects after "static",
# which makes spatch skip the definition and the function after it; without
# them spatch reads the declarations as macro calls, and a --macro-file
# cannot override a built-in. Each script calls this once, in its main
# shell: it makes the file in a temporary directory ($sp_tmp, also free for
# the caller's own use) and sets an EXIT trap that removes it.
sp_builtins=
sp_tmp=
sp_make_builtins() {
  local std
  sp_tmp=$(mktemp -d "${TMPDIR:-/tmp}/semantic-patches.XXXXXX")
  trap 'rm -rf "$sp_tmp"' EXIT
  std=$(spatch --longhelp 2>/dev/null |
    sed -n 's|.*--macro-file-builtins.*(default=\(.*\)).*|\1|p' | head -n 1)
  [ -n "$std" ] && [ -f "$std" ] || return 0
  awk '
    skip { skip = /\\$/; next }
    /^#define[ \t]+(DEFINE_PER_CPU|DECLARE_PER_CPU)[ \t(]/ { skip = /\\$/; next }
    { print }
  ' "$std" >"$sp_tmp/builtins.h"
  sp_builtins=$sp_tmp/builtins.h
}

# spatch with the options every run here needs: the filtered built-ins and
# our macro file, headers processed like .c files, no chatter on stdout.
sp_spatch() {
  spatch ${sp_builtins:+--macro-file-builtins "$sp_builtins"} \
    --macro-file "$sp_dir/macros.h" --include-headers --very-quiet "$@"
}

# The number of functions and declarations of file $1 that spatch cannot
# parse with the same macro files (rules silently do not reach them).
sp_parse_failures() {
  spatch --parse-c "$1" ${sp_builtins:+--macro-file-builtins "$sp_builtins"} \
    --macro-file "$sp_dir/macros.h" 2>&1 |
    sed -n 's/.*nb bad = \([0-9]*\) .*/\1/p' | tail -n 1
}

# The extra spatch options a rule asks for in its "// Options:" header line
# (the kernel's scripts/coccinelle convention), one per line.
sp_rule_options() {
  sed -n 's|^// Options:[[:space:]]*||p' "$1" | head -n 1 | tr -s ' \t' '\n' | grep . || true
}

# The series: "<rule> <feature> <direction>" per rule, comments and blank
# lines dropped. Checks that each rule file exists, that each feature has a
# probe and that the direction is known; dies otherwise.
sp_series() {
  local rule feature direction extra n=0
  while read -r rule feature direction extra; do
    n=$((n + 1))
    case $rule in '' | '#'*) continue ;; esac
    [ -f "$sp_dir/$rule.cocci" ] || sp_die "series line $n: no rule $rule.cocci"
    [ -f "$sp_dir/probes/$feature.c" ] || sp_die "series line $n: no probe probes/$feature.c"
    case $direction in backport | forward) ;; *)
      sp_die "series line $n: direction must be backport or forward, not '$direction'" ;;
    esac
    [ -z "$extra" ] || sp_die "series line $n: trailing text '$extra'"
    printf '%s %s %s\n' "$rule" "$feature" "$direction"
  done <"$sp_dir/series"
}

# The directories of a tree that the rules rewrite: linux/, tests/kernel/ and
# probes/ (the dtrace module), those present.
sp_target_dirs() {
  local top=$1 d
  for d in linux tests/kernel probes; do
    [ -d "$top/$d" ] && printf '%s\n' "$top/$d"
  done
  return 0
}

# Write to $1 an spatch --file-groups list of every .c and .h file under the
# other arguments (directories), one file per group, so that no binding
# crosses files. Prints the number of files.
sp_file_groups() {
  local out=$1 d f
  shift
  for d in "$@"; do
    find "$d" -type f \( -name '*.c' -o -name '*.h' \) -print
  done | sort | while read -r f; do printf '%s\n\n' "$f"; done >"$out"
  grep -c . "$out" || true
}
