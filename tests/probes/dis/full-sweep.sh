#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The decoder's full objdump sweep: every instruction objdump prints in
#   - all kernel modules (.ko) of Debian's 6.12 kernel image package,
#   - that kernel's vmlinux (extracted from its vmlinuz: no symbols, so
#     objdump decodes .text linearly, padding and data included),
#   - several large userspace binaries,
# checked by solcompat-dis-compare (see objdump_compare.cc for the checks).
#
# usage: tests/probes/dis/full-sweep.sh [--fetch-only] [BUILD_DIR]
#   BUILD_DIR     a configured build tree (default: build); the tool is built
#                 there with `cmake --build BUILD_DIR --target solcompat-dis-compare`
#   --fetch-only  only download and unpack the kernel (what the ctest sample
#                 test dis.objdump-sample needs), then exit
# Environment: SOLCOMPAT_CACHE (default /var/cache/solcompat),
#   SOLCOMPAT_DIS_RELEASE (default: the 6.12 entry of matrix.txt),
#   JOBS (default: nproc).
# The report is printed and kept in BUILD_DIR/test-results/dis-full-sweep.txt.
# Needs root only for the first download (apt-get download into the cache).
set -euo pipefail

fetch_only=0
if [ "${1:-}" = "--fetch-only" ]; then
	fetch_only=1
	shift
fi
top=$(cd "$(dirname "$0")/../../.." && pwd)
build=${1:-$top/build}
cache=${SOLCOMPAT_CACHE:-/var/cache/solcompat}
jobs=${JOBS:-$(nproc)}

release=${SOLCOMPAT_DIS_RELEASE:-}
if [ -z "$release" ] && [ -r "$cache/matrix.txt" ]; then
	release=$(awk '$1 == "6.12" { print $2 }' "$cache/matrix.txt")
fi
release=${release:-6.12.117+deb12-amd64}
dest=$cache/dis/$release
modules=$dest/lib/modules/$release

# 1. The image package's modules, decompressed (.ko.xz -> .ko).
if [ ! -d "$modules" ]; then
	mkdir -p "$dest"
	deb=$(ls "$cache"/dis/linux-image-"$release"-unsigned_*.deb 2>/dev/null | head -1 || true)
	if [ -z "$deb" ]; then
		(cd "$cache/dis" && apt-get download "linux-image-$release-unsigned")
		deb=$(ls "$cache"/dis/linux-image-"$release"-unsigned_*.deb | head -1)
	fi
	dpkg-deb --fsys-tarfile "$deb" | tar -x -C "$dest" ./lib/modules ./boot
fi
find "$modules" -name '*.ko.xz' -print0 | xargs -0 -r -n 64 -P "$jobs" xz -d -f

# 2. vmlinux from vmlinuz: the compressed payload follows the setup code;
# find its magic (Debian uses zstd; xz and gzip handled too) and inflate.
vmlinux=$dest/vmlinux
if [ ! -s "$vmlinux" ]; then
	vmlinuz=$dest/boot/vmlinuz-$release
	[ -r "$vmlinuz" ] || vmlinuz=$cache/kernels/$release/boot/vmlinuz-$release
	for magic in '\x28\xb5\x2f\xfd:zstd -dcq' '\xfd7zXZ\x00:xz -dcq' '\x1f\x8b\x08:gzip -dcq'; do
		offset=$(LC_ALL=C grep -obUaP "${magic%%:*}" "$vmlinuz" | head -1 | cut -d: -f1)
		[ -n "$offset" ] || continue
		# Trailing bytes after the stream make the tools complain: the
		# ELF check below is what decides.
		tail -c +$((offset + 1)) "$vmlinuz" | ${magic#*:} > "$vmlinux.tmp" 2>/dev/null || true
		if [ "$(head -c 4 "$vmlinux.tmp" | od -An -tx1 | tr -d ' ')" = 7f454c46 ]; then
			mv "$vmlinux.tmp" "$vmlinux"
			break
		fi
	done
	rm -f "$vmlinux.tmp"
fi
if [ "$fetch_only" = 1 ]; then
	echo "modules: $modules ($(find "$modules" -name '*.ko' | wc -l) .ko files)"
	exit 0
fi

# 3. Inputs: the modules directory, vmlinux, and large userspace binaries.
inputs=("$modules")
[ -s "$vmlinux" ] && inputs+=("$vmlinux") || echo "warning: no vmlinux extracted from $release" >&2
for f in /usr/bin/qemu-system-x86_64 /usr/lib/x86_64-linux-gnu/libc.so.6 \
    /usr/bin/cmake /usr/bin/gdb /usr/lib/x86_64-linux-gnu/libLLVM-14.so.1; do
	[ -r "$f" ] && inputs+=("$f")
done

cmake --build "$build" --target solcompat-dis-compare >/dev/null
tool=$(find "$build" -name solcompat-dis-compare -type f -perm -u+x | head -1)
mkdir -p "$build/test-results"
report=$build/test-results/dis-full-sweep.txt
set +e
"$tool" --jobs "$jobs" --examples 20 "${inputs[@]}" | tee "$report"
rc=${PIPESTATUS[0]}
echo "report: $report (exit $rc)"
exit "$rc"
