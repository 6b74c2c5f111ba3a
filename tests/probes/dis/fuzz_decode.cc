// SPDX-License-Identifier: GPL-2.0
//
// libFuzzer harness for probes/dis/x86_decode.c, built with
// -fsanitize=fuzzer,address,undefined. For any byte string:
//   - decoding never crashes and never reads past the buffer (the input is
//     copied to an exact-size heap block so ASan sees any over-read);
//   - a success has 1 <= length <= 15 and length <= the buffer, and fields
//     that lie inside the instruction;
//   - every proper prefix of a decoded instruction reports "truncated", and
//     the exact-length buffer decodes identically;
//   - relocating it to a derived address either refuses with a reason, or
//     yields bytes that decode to the same shape and refer to the same
//     absolute target.

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <memory>

#include "x86_decode.h"

namespace {

void check(bool ok) {
  if (!ok)
    abort();
}

int decode_exact(const uint8_t *p, size_t n, x86_insn_t *xi) {
  std::unique_ptr<uint8_t[]> copy(new uint8_t[n ? n : 1]);
  if (n)
    memcpy(copy.get(), p, n);
  return x86_insn_decode(copy.get(), n, xi);
}

uint64_t mix(const uint8_t *p, size_t n) {
  uint64_t h = 0xcbf29ce484222325ULL;
  for (size_t i = 0; i < n; i++)
    h = (h ^ p[i]) * 0x100000001b3ULL;
  return h;
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  x86_insn_t xi, again;
  int err = decode_exact(data, size, &xi);
  check(err >= 0 && err < X86_NERRORS);
  if (err != X86_OK) {
    check(xi.xi_length == 0);
    return 0;
  }
  size_t len = xi.xi_length;
  check(len >= 1 && len <= X86_INSN_MAX_LENGTH && len <= size);
  check(xi.xi_class < X86_NCLASSES);
  check(xi.xi_opcode_offset < len);
  if (xi.xi_disp_size)
    check(xi.xi_disp_offset + xi.xi_disp_size <= len);
  if (xi.xi_imm_size)
    check(xi.xi_imm_offset + xi.xi_imm_size == len);
  if (xi.xi_flags & X86_F_RIP_RELATIVE)
    check(xi.xi_disp_size == 4);

  for (size_t n = 0; n < len; n++)
    check(decode_exact(data, n, &again) == X86_ETRUNCATED);
  check(decode_exact(data, len, &again) == X86_OK);
  check(memcmp(&again, &xi, sizeof(xi)) == 0);

  // Relocation: near, at the +-2 GB edges, and anywhere.
  uint64_t h = mix(data, size);
  uint64_t from = h & ~0xfULL;
  static const int64_t deltas[] = {0,
                                   1,
                                   -1,
                                   0x7fffffff,
                                   0x80000000LL,
                                   -0x7fffffffLL,
                                   -0x80000000LL,
                                   0x80000001LL,
                                   -0x80000001LL,
                                   127,
                                   -128,
                                   0x12345678};
  uint64_t to = (h >> 60) < 12 ? from + (uint64_t)deltas[h >> 60] : mix(data, len) * 31;
  uint8_t out[X86_INSN_MAX_LENGTH];
  memset(out, 0xa5, sizeof(out));
  int rerr = x86_insn_relocate(data, len, &xi, from, to, out, sizeof(out));
  if (rerr != X86_OK) {
    check(rerr == X86_EREACH || rerr == X86_EADDRESS32 || rerr == X86_EBRANCH16);
    for (uint8_t b : out)
      check(b == 0xa5);
    return 0;
  }
  check(decode_exact(out, len, &again) == X86_OK);
  check(again.xi_length == xi.xi_length && again.xi_flags == xi.xi_flags &&
        again.xi_class == xi.xi_class && again.xi_disp_offset == xi.xi_disp_offset &&
        again.xi_imm_offset == xi.xi_imm_offset);
  unsigned long long t1, t2;
  int terr = x86_insn_target(&xi, from, &t1);
  check(terr == x86_insn_target(&again, to, &t2));
  if (terr == X86_OK)
    check(t1 == t2);
  else
    check(memcmp(out, data, len) == 0);
  return 0;
}
