#!/usr/bin/env bash
# Installs everything the build and the tests need on a Debian 12 machine, and
# resolves the kernel matrix: the newest Debian 12 build of each flavour.
#
#   tools/setup.sh            install packages, headers, and fetch kernel images
#   tools/setup.sh --matrix   only print the resolved matrix
#
# Kernel images are fetched with `apt-get download` of the -unsigned image
# package and unpacked with `dpkg -x` into $SOLCOMPAT_CACHE (default
# /var/cache/solcompat); they are never installed into /boot by this script.
# (Debian's 6.12 header packages themselves depend on an image package, so apt
# installs one as a dependency; we do not boot or use that copy.)
#
# Writes $SOLCOMPAT_CACHE/matrix.txt, one kernel per line:
#   <flavour> <release> <headers dir> <vmlinuz path>
set -euo pipefail

cache=${SOLCOMPAT_CACHE:-/var/cache/solcompat}
quiet_apt=(-y -qq -o=Dpkg::Use-Pty=0 --no-install-recommends)
export DEBIAN_FRONTEND=noninteractive

step() { printf '[setup] %s\n' "$*"; }
die() { printf '[setup] error: %s\n' "$*" >&2; exit 1; }

[ "$(id -u)" = 0 ] || die "run as root (apt-get needs it): sudo $0"
command -v apt-get >/dev/null || die "apt-get not found: this script supports Debian 12 only"

stamp=$cache/apt-updated
mkdir -p "$cache" || die "cannot create $cache (set SOLCOMPAT_CACHE to a writable folder)"
avail=$(df -Pm "$cache" | awk 'NR==2 {print $4}')
[ "${avail:-0}" -ge 3072 ] || [ -s "$cache/matrix.txt" ] ||
  die "only ${avail} MiB free under $cache; the kernel matrix and the decoder's module sample need about 3 GiB"

if [ ! -e "$stamp" ] || [ -n "$(find "$stamp" -mmin +720 2>/dev/null)" ]; then
  step "apt-get update"
  apt-get update -qq || die "apt-get update failed: check the network and /etc/apt/sources.list"
  touch "$stamp"
fi

# Resolve the four kernel releases from the package index.
newest() { # $1 = regex on package names; prints the newest matching package
  apt-cache search --names-only "$1" | awk '{print $1}' | sort -V | tail -n 1
}
rel61=$(apt-cache depends linux-headers-amd64 2>/dev/null | awk '/Depends: linux-headers-/ {sub("linux-headers-","",$2); print $2; exit}')
rel61rt=$(apt-cache depends linux-headers-rt-amd64 2>/dev/null | awk '/Depends: linux-headers-/ {sub("linux-headers-","",$2); print $2; exit}')
p612=$(newest '^linux-headers-6\.12\.[0-9]+\+deb12-amd64$')
p612rt=$(newest '^linux-headers-6\.12\.[0-9]+\+deb12-rt-amd64$')
rel612=${p612#linux-headers-}
rel612rt=${p612rt#linux-headers-}
for v in rel61 rel61rt rel612 rel612rt; do
  [ -n "${!v}" ] || die "could not resolve the $v kernel from the package index (is bookworm-backports/security in sources.list? run apt-get update)"
done
matrix=("6.1 $rel61" "6.1-rt $rel61rt" "6.12 $rel612" "6.12-rt $rel612rt")
if [ "${1:-}" = --matrix ]; then printf '%s\n' "${matrix[@]}"; exit 0; fi

pkgs=(build-essential cmake ninja-build git pkg-config libgtest-dev libgmock-dev
      libbenchmark-dev qemu-system-x86 busybox-static coccinelle sparse kmod
      clang-format binutils rsync clang libclang-rt-14-dev)
for m in "${matrix[@]}"; do pkgs+=("linux-headers-${m#* }"); done
missing=()
for p in "${pkgs[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'ok installed' || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  step "apt-get install ${missing[*]}"
  apt-get install "${quiet_apt[@]}" "${missing[@]}" >"$cache/apt-install.log" 2>&1 ||
    { tail -n 20 "$cache/apt-install.log" >&2; die "apt-get install failed (log: $cache/apt-install.log)"; }
fi

out=$cache/matrix.txt.new
: >"$out"
for m in "${matrix[@]}"; do
  flavour=${m% *} release=${m#* }
  dir=$cache/kernels/$release
  vmlinuz=$dir/boot/vmlinuz-$release
  if [ ! -s "$vmlinuz" ]; then
    step "fetching kernel image $release"
    tmp=$(mktemp -d)
    (cd "$tmp" && apt-get download -qq "linux-image-$release-unsigned") >"$cache/download.log" 2>&1 ||
      { rm -rf "$tmp"; die "apt-get download linux-image-$release-unsigned failed (log: $cache/download.log)"; }
    # Only the kernel image and its config are needed: the initramfs carries
    # busybox and our modules, nothing from the kernel's own module tree.
    # Unpacked beside and renamed when whole: an interrupted unpack is
    # never taken for a complete one.
    rm -rf "$dir" "$dir.new" && mkdir -p "$dir.new"
    dpkg-deb --fsys-tarfile "$tmp"/*.deb | tar -x -C "$dir.new" ./boot && mv "$dir.new" "$dir" ||
      { rm -rf "$tmp" "$dir.new"; die "unpacking linux-image-$release-unsigned failed (disk full? see above)"; }
    rm -rf "$tmp"
  fi
  headers=/usr/src/linux-headers-$release
  [ -f "$headers/Makefile" ] ||
    die "headers for $release missing at $headers (apt-get install linux-headers-$release, then run this again)"
  echo "$flavour $release $headers $vmlinuz" >>"$out"
done
mv "$out" "$cache/matrix.txt"

# The decoder's objdump oracle (ctest dis.objdump-sample) reads real module
# code: unpack the 6.12 image's modules once (about 650 MB, cached).
step "kernel modules for the decoder's objdump comparison"
SOLCOMPAT_CACHE=$cache bash "$(dirname "$0")/../tests/probes/dis/full-sweep.sh" --fetch-only |
  sed 's/^/[setup]   /' || die "fetching the modules for the decoder tests failed"
step "kernel matrix ($cache/matrix.txt):"
sed 's/^/[setup]   /' "$cache/matrix.txt"
