// SPDX-License-Identifier: GPL-2.0
//
// Unit tests for probes/dis/x86_decode.c: hand-picked encodings of every
// class, prefix kind, immediate-size rule, addressing form, VEX/EVEX map and
// refusal reason; every proper prefix of each valid encoding must decode as
// truncated; the %rip-relative relocation at the exact +-2 GB boundary.
//
// Buffers are heap copies of exactly the bytes under test, so ASan (the
// solcompat_dis_tests_asan variant) catches any read past the end.

#include <gtest/gtest.h>

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <memory>
#include <string>
#include <vector>

#include "x86_decode.h"

namespace {

using Bytes = std::vector<uint8_t>;

// An exact-size heap copy: one byte more and ASan would not notice.
struct Exact {
  explicit Exact(const Bytes &b, size_t n) : size(n) {
    data.reset(new uint8_t[n ? n : 1]);
    if (n)
      memcpy(data.get(), b.data(), n);
  }
  std::unique_ptr<uint8_t[]> data;
  size_t size;
};

int decode(const Bytes &b, x86_insn_t *xi, size_t n = SIZE_MAX) {
  Exact e(b, n == SIZE_MAX ? b.size() : n);
  return x86_insn_decode(e.data.get(), e.size, xi);
}

// One expectation; unset fields are not checked. Builders: len (length),
// op (map, opcode), cl (class), set/clear (flags), disp_at/imm_at (offset,
// size), disp_is/imm_is (value), pfx (xi_prefixes), rx (REX), mand
// (mandatory prefix), enc (encoding).
struct Case {
  std::string name;
  Bytes bytes;
  int error = X86_OK;
  int length = -1;
  int map = -1;
  int opcode = -1;
  int cls = X86_CLASS_OTHER;
  unsigned flags_set = 0;
  unsigned flags_clear = 0;
  int disp_offset = -1;
  int disp_size = -1;
  long long disp = 0;
  bool check_disp = false;
  int imm_offset = -1;
  int imm_size = -1;
  long long imm = 0;
  bool check_imm = false;
  int prefixes = -1;
  int rex = -1;
  int mandatory = -1;
  int encoding = -1;

  Case &len(int v) {
    length = v;
    return *this;
  }
  Case &err(int v) {
    error = v;
    return *this;
  }
  Case &op(int m, int o) {
    map = m;
    opcode = o;
    return *this;
  }
  Case &cl(int v) {
    cls = v;
    return *this;
  }
  Case &set(unsigned f) {
    flags_set |= f;
    return *this;
  }
  Case &clear(unsigned f) {
    flags_clear |= f;
    return *this;
  }
  Case &disp_at(int off, int size) {
    disp_offset = off;
    disp_size = size;
    return *this;
  }
  Case &disp_is(long long v) {
    disp = v;
    check_disp = true;
    return *this;
  }
  Case &imm_at(int off, int size) {
    imm_offset = off;
    imm_size = size;
    return *this;
  }
  Case &imm_is(long long v) {
    imm = v;
    check_imm = true;
    return *this;
  }
  Case &pfx(int v) {
    prefixes = v;
    return *this;
  }
  Case &rx(int v) {
    rex = v;
    return *this;
  }
  Case &mand(int v) {
    mandatory = v;
    return *this;
  }
  Case &enc(int v) {
    encoding = v;
    return *this;
  }
};

Case C(std::string name, Bytes b) {
  Case c;
  c.name = std::move(name);
  c.bytes = std::move(b);
  return c;
}

constexpr uint8_t kPrefixes[] = {0xf0, 0xf2, 0xf3, 0x66, 0x67, 0x2e, 0x3e, 0x26, 0x36, 0x64, 0x65};
constexpr unsigned kPrefixBits[] = {X86_PFX_LOCK,     X86_PFX_REPNE, X86_PFX_REP, X86_PFX_OPSIZE,
                                    X86_PFX_ADDRSIZE, X86_PFX_CS,    X86_PFX_DS,  X86_PFX_ES,
                                    X86_PFX_SS,       X86_PFX_FS,    X86_PFX_GS};

std::vector<Case> cases() {
  const int R = X86_F_RIP_RELATIVE, M = X86_F_MODRM, S = X86_F_SIB, B = X86_F_REL_BRANCH;
  std::vector<Case> v;
  // Returns.
  v.push_back(C("ret", {0xc3}).len(1).op(0, 0xc3).cl(X86_CLASS_RET));
  v.push_back(C("rep_ret", {0xf3, 0xc3}).len(2).cl(X86_CLASS_RET).pfx(X86_PFX_REP));
  v.push_back(C("bnd_ret", {0xf2, 0xc3}).len(2).cl(X86_CLASS_RET));
  v.push_back(
      C("ret_imm16", {0xc2, 0x08, 0x00}).len(3).cl(X86_CLASS_RET_IMM).imm_at(1, 2).imm_is(8));
  v.push_back(C("retf", {0xcb}).len(1).cl(X86_CLASS_RET_FAR));
  v.push_back(C("retf_imm16", {0xca, 0x10, 0x00}).len(3).cl(X86_CLASS_RET_FAR).imm_at(1, 2));
  v.push_back(C("lretq", {0x48, 0xcb}).len(2).cl(X86_CLASS_RET_FAR).rx(0x48));
  v.push_back(C("iretq", {0x48, 0xcf}).len(2).cl(X86_CLASS_IRET));
  // Calls and jumps.
  v.push_back(C("call_rel32", {0xe8, 0x10, 0x20, 0x30, 0x40})
                  .len(5)
                  .cl(X86_CLASS_CALL_REL32)
                  .set(B)
                  .imm_at(1, 4)
                  .imm_is(0x40302010));
  v.push_back(C("call_rel32_backward", {0xe8, 0xfb, 0xff, 0xff, 0xff})
                  .len(5)
                  .cl(X86_CLASS_CALL_REL32)
                  .imm_is(-5));
  v.push_back(
      C("call_indirect_reg", {0xff, 0xd0}).len(2).cl(X86_CLASS_CALL_INDIRECT).set(M).clear(R | B));
  v.push_back(
      C("call_indirect_r11", {0x41, 0xff, 0xd3}).len(3).cl(X86_CLASS_CALL_INDIRECT).rx(0x41));
  v.push_back(C("call_indirect_rip", {0xff, 0x15, 0x78, 0x56, 0x34, 0x12})
                  .len(6)
                  .cl(X86_CLASS_CALL_INDIRECT)
                  .set(M | R)
                  .disp_at(2, 4)
                  .disp_is(0x12345678));
  v.push_back(C("call_far_indirect", {0xff, 0x1c, 0x25, 0, 0, 0, 0})
                  .len(7)
                  .cl(X86_CLASS_CALL_FAR_INDIRECT)
                  .set(S)
                  .clear(R)
                  .disp_at(3, 4));
  v.push_back(
      C("jmp_rel32", {0xe9, 0, 0, 0, 0}).len(5).cl(X86_CLASS_JMP_REL32).set(B).imm_at(1, 4));
  v.push_back(
      C("jmp_rel8", {0xeb, 0xfe}).len(2).cl(X86_CLASS_JMP_REL8).set(B).imm_at(1, 1).imm_is(-2));
  v.push_back(C("je_rel8", {0x74, 0x10}).len(2).cl(X86_CLASS_JCC_REL8).set(B));
  v.push_back(C("jg_rel8", {0x7f, 0x80}).len(2).cl(X86_CLASS_JCC_REL8).imm_is(-128));
  v.push_back(C("jne_rel32", {0x0f, 0x85, 1, 0, 0, 0})
                  .len(6)
                  .op(1, 0x85)
                  .cl(X86_CLASS_JCC_REL32)
                  .set(B)
                  .imm_at(2, 4)
                  .imm_is(1));
  v.push_back(C("jne_rel32_hint", {0x3e, 0x0f, 0x85, 1, 0, 0, 0})
                  .len(7)
                  .cl(X86_CLASS_JCC_REL32)
                  .pfx(X86_PFX_DS));
  v.push_back(C("loop", {0xe2, 0xfe}).len(2).cl(X86_CLASS_LOOP_REL8).set(B));
  v.push_back(C("jrcxz", {0xe3, 0x05}).len(2).cl(X86_CLASS_LOOP_REL8));
  v.push_back(C("jmp_indirect_reg", {0xff, 0xe0}).len(2).cl(X86_CLASS_JMP_INDIRECT));
  v.push_back(
      C("notrack_jmp", {0x3e, 0xff, 0xe0}).len(3).cl(X86_CLASS_JMP_INDIRECT).pfx(X86_PFX_DS));
  v.push_back(C("jmp_indirect_table", {0xff, 0x24, 0xc5, 0x00, 0x10, 0x00, 0x00})
                  .len(7)
                  .cl(X86_CLASS_JMP_INDIRECT)
                  .set(S)
                  .clear(R)
                  .disp_at(3, 4));
  v.push_back(C("jmp_indirect_rip", {0xff, 0x25, 0, 0, 0, 0})
                  .len(6)
                  .cl(X86_CLASS_JMP_INDIRECT)
                  .set(R)
                  .disp_at(2, 4));
  v.push_back(
      C("jmp_far_indirect", {0xff, 0x2d, 0, 0, 0, 0}).len(6).cl(X86_CLASS_JMP_FAR_INDIRECT).set(R));
  v.push_back(
      C("xbegin", {0xc7, 0xf8, 0x10, 0, 0, 0}).len(6).cl(X86_CLASS_XBEGIN).set(B).imm_at(2, 4));
  v.push_back(
      C("xbegin_rel16", {0x66, 0xc7, 0xf8, 0x10, 0}).len(5).cl(X86_CLASS_XBEGIN).imm_at(3, 2));
  v.push_back(C("xabort", {0xc6, 0xf8, 0x01}).len(3).imm_at(2, 1).clear(B));
  // Traps.
  v.push_back(C("int3", {0xcc}).len(1).cl(X86_CLASS_INT3));
  v.push_back(C("int_0x80", {0xcd, 0x80}).len(2).cl(X86_CLASS_INT).imm_at(1, 1));
  v.push_back(C("int1", {0xf1}).len(1).cl(X86_CLASS_INT));
  v.push_back(C("ud2", {0x0f, 0x0b}).len(2).cl(X86_CLASS_UD));
  v.push_back(C("ud1", {0x0f, 0xb9, 0xc0}).len(3).cl(X86_CLASS_UD));
  v.push_back(C("ud1_ubsan", {0x67, 0x0f, 0xb9, 0x40, 0x12})
                  .len(5)
                  .cl(X86_CLASS_UD)
                  .disp_at(4, 1)
                  .disp_is(0x12));
  // CET.
  v.push_back(
      C("endbr64", {0xf3, 0x0f, 0x1e, 0xfa}).len(4).cl(X86_CLASS_ENDBR64).mand(0xf3).op(1, 0x1e));
  v.push_back(C("endbr32", {0xf3, 0x0f, 0x1e, 0xfb}).len(4).cl(X86_CLASS_ENDBR32));
  v.push_back(C("rdsspq", {0xf3, 0x48, 0x0f, 0x1e, 0xc8}).len(5).cl(X86_CLASS_OTHER));
  v.push_back(C("hint_nop_0f1e", {0x0f, 0x1e, 0xfa}).len(3).cl(X86_CLASS_NOP));
  // Nops.
  v.push_back(C("nop", {0x90}).len(1).cl(X86_CLASS_NOP));
  v.push_back(C("xchg_ax_ax", {0x66, 0x90}).len(2).cl(X86_CLASS_NOP));
  v.push_back(C("rex_w_nop", {0x48, 0x90}).len(2).cl(X86_CLASS_NOP));
  v.push_back(C("xchg_eax_r8d", {0x41, 0x90}).len(2).cl(X86_CLASS_OTHER));
  v.push_back(C("pause", {0xf3, 0x90}).len(2).cl(X86_CLASS_OTHER));
  v.push_back(C("nopl_3", {0x0f, 0x1f, 0x00}).len(3).cl(X86_CLASS_NOP));
  v.push_back(C("nopl_4", {0x0f, 0x1f, 0x40, 0x00}).len(4).cl(X86_CLASS_NOP).disp_at(3, 1));
  v.push_back(C("nopl_5", {0x0f, 0x1f, 0x44, 0x00, 0x00}).len(5).cl(X86_CLASS_NOP).set(S));
  v.push_back(C("nopw_6", {0x66, 0x0f, 0x1f, 0x44, 0x00, 0x00}).len(6).cl(X86_CLASS_NOP));
  v.push_back(C("nopl_7", {0x0f, 0x1f, 0x80, 0, 0, 0, 0}).len(7).cl(X86_CLASS_NOP).disp_at(3, 4));
  v.push_back(
      C("nopl_8", {0x0f, 0x1f, 0x84, 0x00, 0, 0, 0, 0}).len(8).cl(X86_CLASS_NOP).disp_at(4, 4));
  v.push_back(
      C("cs_nopw_10", {0x66, 0x2e, 0x0f, 0x1f, 0x84, 0x00, 0, 0, 0, 0}).len(10).cl(X86_CLASS_NOP));
  v.push_back(C("data16_cs_nopw_11", {0x66, 0x66, 0x2e, 0x0f, 0x1f, 0x84, 0x00, 0, 0, 0, 0})
                  .len(11)
                  .cl(X86_CLASS_NOP)
                  .pfx(X86_PFX_OPSIZE | X86_PFX_CS));
  v.push_back(C("prefetch_hint_nop", {0x0f, 0x18, 0x20}).len(3).cl(X86_CLASS_NOP));
  v.push_back(C("prefetcht0", {0x0f, 0x18, 0x08}).len(3).cl(X86_CLASS_OTHER));
  // Each legacy prefix kind.
  v.push_back(
      C("lock_add", {0xf0, 0x48, 0x01, 0x07}).len(4).pfx(X86_PFX_LOCK | X86_PFX_REX).rx(0x48));
  v.push_back(C("lock_cmpxchg", {0xf0, 0x0f, 0xb1, 0x17}).len(4).pfx(X86_PFX_LOCK).op(1, 0xb1));
  v.push_back(C("repne_scasb", {0xf2, 0xae}).len(2).pfx(X86_PFX_REPNE).mand(0xf2));
  v.push_back(C("rep_movsb", {0xf3, 0xa4}).len(2).pfx(X86_PFX_REP));
  v.push_back(C("rep_stosq", {0xf3, 0x48, 0xab}).len(3));
  v.push_back(C("addr32_mov", {0x67, 0x8b, 0x00}).len(3).pfx(X86_PFX_ADDRSIZE));
  v.push_back(C("es_mov", {0x26, 0x8b, 0x00}).len(3).pfx(X86_PFX_ES));
  v.push_back(C("ss_mov", {0x36, 0x8b, 0x00}).len(3).pfx(X86_PFX_SS));
  v.push_back(C("fs_mov", {0x64, 0x48, 0x8b, 0x04, 0x25, 0x28, 0, 0, 0})
                  .len(9)
                  .pfx(X86_PFX_FS | X86_PFX_REX)
                  .set(S)
                  .clear(R)
                  .disp_at(5, 4)
                  .disp_is(0x28));
  v.push_back(C("gs_mov_rip", {0x65, 0x48, 0x8b, 0x05, 0, 0, 0, 0})
                  .len(8)
                  .pfx(X86_PFX_GS | X86_PFX_REX)
                  .set(R)
                  .disp_at(4, 4));
  v.push_back(
      C("cs_call_thunk", {0x2e, 0xe8, 0, 0, 0, 0}).len(6).cl(X86_CLASS_CALL_REL32).pfx(X86_PFX_CS));
  v.push_back(
      C("xacquire_lock", {0xf2, 0xf0, 0x0f, 0xc1, 0x07}).len(5).pfx(X86_PFX_REPNE | X86_PFX_LOCK));
  v.push_back(C("mandatory_last_rep", {0xf2, 0xf3, 0x0f, 0xb8, 0xc0}).len(5).mand(0xf3));
  v.push_back(C("fourteen_prefixes", {0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66,
                                      0x66, 0x66, 0x66, 0x66, 0x90})
                  .len(15)
                  .cl(X86_CLASS_NOP));
  // REX.
  v.push_back(C("rex_w_mov", {0x48, 0x89, 0xe5}).len(3).rx(0x48).pfx(X86_PFX_REX));
  v.push_back(C("rex_then_prefix_ignored", {0x48, 0x66, 0xb8, 0x01, 0x02})
                  .len(5)
                  .rx(0)
                  .pfx(X86_PFX_OPSIZE)
                  .imm_at(3, 2));
  v.push_back(
      C("rex_rex_last_counts", {0x48, 0x41, 0xb8, 1, 2, 3, 4}).len(7).rx(0x41).imm_at(3, 4));
  // Immediate sizes: 66 and REX.W.
  v.push_back(C("add_eax_imm32", {0x05, 1, 2, 3, 4}).len(5).imm_at(1, 4));
  v.push_back(C("add_ax_imm16", {0x66, 0x05, 1, 2}).len(4).imm_at(2, 2));
  v.push_back(C("add_rax_imm32", {0x48, 0x05, 1, 2, 3, 4}).len(6));
  v.push_back(C("rex_w_beats_66", {0x66, 0x48, 0x05, 1, 2, 3, 4}).len(7).imm_at(3, 4));
  v.push_back(C("mov_eax_imm32", {0xb8, 1, 2, 3, 4}).len(5));
  v.push_back(C("mov_ax_imm16", {0x66, 0xb8, 1, 2}).len(4));
  v.push_back(C("movabs_imm64", {0x48, 0xb8, 1, 2, 3, 4, 5, 6, 7, 0x88})
                  .len(10)
                  .imm_at(2, 8)
                  .imm_is((long long)0x8807060504030201ULL));
  v.push_back(C("mov_r15_imm64", {0x49, 0xbf, 0, 0, 0, 0, 0, 0, 0, 0}).len(10));
  v.push_back(C("push_imm32", {0x68, 1, 2, 3, 4}).len(5));
  v.push_back(C("push_imm16", {0x66, 0x68, 1, 2}).len(4));
  v.push_back(C("push_imm8", {0x6a, 0xff}).len(2).imm_is(-1));
  v.push_back(C("imul_imm32", {0x69, 0xc0, 1, 2, 3, 4}).len(6));
  v.push_back(C("imul_imm8", {0x6b, 0xc0, 0x10}).len(3));
  v.push_back(C("grp1_imm32", {0x81, 0xc0, 1, 2, 3, 4}).len(6));
  v.push_back(C("grp1_imm16", {0x66, 0x81, 0xc0, 1, 2}).len(5));
  v.push_back(C("grp1_imm8", {0x48, 0x83, 0xec, 0x08}).len(4).imm_at(3, 1));
  v.push_back(C("test_eax_imm32", {0xa9, 1, 2, 3, 4}).len(5));
  v.push_back(C("test_ax_imm16", {0x66, 0xa9, 1, 2}).len(4));
  v.push_back(C("mov_rm_imm32", {0xc7, 0x00, 1, 2, 3, 4}).len(6));
  v.push_back(C("mov_rm_imm16", {0x66, 0xc7, 0x00, 1, 2}).len(5));
  v.push_back(C("mov_rm8_imm8", {0xc6, 0x00, 1}).len(3));
  v.push_back(C("shl_imm8", {0xc1, 0xe0, 0x04}).len(3));
  v.push_back(C("shld_imm8", {0x0f, 0xa4, 0xc2, 0x04}).len(4));
  v.push_back(C("bt_imm8", {0x0f, 0xba, 0xe0, 0x04}).len(4));
  v.push_back(C("in_imm8", {0xe4, 0x60}).len(2));
  v.push_back(C("enter", {0xc8, 0x10, 0x00, 0x01}).len(4).imm_at(1, 3).imm_is(0x10));
  // Group 3: immediates only for /0 and /1.
  v.push_back(C("test_rm8_imm8", {0xf6, 0xc0, 0x12}).len(3).imm_at(2, 1));
  v.push_back(C("test_rm8_alias", {0xf6, 0xc8, 0x12}).len(3));
  v.push_back(C("not_rm8", {0xf6, 0xd0}).len(2).imm_at(0, 0));
  v.push_back(C("test_rm32_imm32", {0xf7, 0xc0, 1, 2, 3, 4}).len(6));
  v.push_back(C("test_rm32_alias", {0xf7, 0xc8, 1, 2, 3, 4}).len(6));
  v.push_back(C("test_rm16_imm16", {0x66, 0xf7, 0xc0, 1, 2}).len(5));
  v.push_back(C("neg_rm32", {0xf7, 0xd8}).len(2));
  v.push_back(C("div_rm64", {0x48, 0xf7, 0xf1}).len(3));
  v.push_back(
      C("test_rip_imm8", {0xf6, 0x05, 0, 0, 0, 0, 0x01}).len(7).set(R).disp_at(2, 4).imm_at(6, 1));
  // moffs.
  v.push_back(C("moffs64_load", {0xa1, 1, 2, 3, 4, 5, 6, 7, 8})
                  .len(9)
                  .set(X86_F_MOFFS)
                  .disp_at(1, 8)
                  .imm_at(0, 0)
                  .clear(R));
  v.push_back(C("moffs64_store_rex", {0x48, 0xa3, 1, 2, 3, 4, 5, 6, 7, 8}).len(10).disp_at(2, 8));
  v.push_back(C("moffs32_addr32", {0x67, 0xa1, 0x11, 0x22, 0x33, 0xf4})
                  .len(6)
                  .disp_at(2, 4)
                  .disp_is(0xf4332211LL));
  v.push_back(C("moffs8", {0xa0, 0, 0, 0, 0, 0, 0, 0, 0}).len(9));
  v.push_back(C("moffs8_store", {0xa2, 0, 0, 0, 0, 0, 0, 0, 0}).len(9));
  // ModRM and SIB forms.
  v.push_back(C("mod00_base", {0x8b, 0x07}).len(2).set(M).clear(S | R).disp_at(0, 0));
  v.push_back(C("sib_rsp", {0x8b, 0x04, 0x24}).len(3).set(S));
  v.push_back(C("sib_disp8", {0x8b, 0x44, 0x24, 0x08}).len(4).disp_at(3, 1).disp_is(8));
  v.push_back(C("sib_disp32", {0x8b, 0x84, 0x24, 0, 1, 0, 0}).len(7).disp_at(3, 4).disp_is(0x100));
  v.push_back(
      C("sib_no_base", {0x8b, 0x04, 0xc5, 0, 0, 0, 0}).len(7).set(S).clear(R).disp_at(3, 4));
  v.push_back(C("sib_abs32", {0x8b, 0x04, 0x25, 0, 0, 0, 0}).len(7).clear(R));
  v.push_back(C("rbp_disp8", {0x8b, 0x45, 0xf8}).len(3).disp_is(-8));
  v.push_back(C("r13_disp8", {0x41, 0x8b, 0x45, 0x00}).len(4).clear(R));
  v.push_back(C("r12_sib", {0x41, 0x8b, 0x04, 0x24}).len(4).set(S));
  v.push_back(C("r13_sib_no_base_is_disp32", {0x43, 0x8b, 0x04, 0x2d, 0, 0, 0, 0})
                  .len(8)
                  .clear(R)
                  .disp_at(4, 4));
  v.push_back(C("disp32", {0x8b, 0x80, 0, 0, 0, 0x80}).len(6).disp_is(-0x80000000LL));
  v.push_back(C("reg_reg", {0x31, 0xc0}).len(2).clear(S | R));
  v.push_back(C("lea_rip", {0x48, 0x8d, 0x05, 0xf9, 0xff, 0xff, 0xff})
                  .len(7)
                  .set(R)
                  .disp_at(3, 4)
                  .disp_is(-7)
                  .op(0, 0x8d));
  v.push_back(C("mov_rip_r15", {0x4c, 0x8b, 0x3d, 0, 0, 0, 0}).len(7).set(R).disp_at(3, 4));
  v.push_back(C("rip_then_imm32", {0x48, 0xc7, 0x05, 0, 0, 0, 0, 1, 0, 0, 0})
                  .len(11)
                  .set(R)
                  .disp_at(3, 4)
                  .imm_at(7, 4));
  v.push_back(
      C("rip_then_imm8", {0x80, 0x3d, 0, 0, 0, 0, 0x01}).len(7).set(R).disp_at(2, 4).imm_at(6, 1));
  v.push_back(C("rip_then_imm16", {0x66, 0x81, 0x3d, 0, 0, 0, 0, 0x34, 0x12})
                  .len(9)
                  .set(R)
                  .disp_at(3, 4)
                  .imm_at(7, 2));
  v.push_back(
      C("eip_relative", {0x67, 0x8b, 0x05, 0, 0, 0, 0}).len(7).set(R).pfx(X86_PFX_ADDRSIZE));
  v.push_back(C("mov_from_cr0_mod_ignored", {0x0f, 0x20, 0x40})
                  .len(3)
                  .set(X86_F_REGISTER_ONLY)
                  .clear(R)
                  .disp_at(0, 0));
  v.push_back(C("mov_to_cr3", {0x0f, 0x22, 0xd8}).len(3));
  v.push_back(C("mov_from_cr_not_rip", {0x0f, 0x20, 0x05}).len(3).clear(R));
  v.push_back(C("pop_rm", {0x8f, 0xc0}).len(2));
  v.push_back(C("pop_rip", {0x8f, 0x05, 0, 0, 0, 0}).len(6).set(R));
  v.push_back(C("x87", {0xd9, 0x05, 0, 0, 0, 0}).len(6).set(R));
  v.push_back(C("movsxd", {0x48, 0x63, 0xc7}).len(3));
  // 0F, 0F 38, 0F 3A.
  v.push_back(C("syscall", {0x0f, 0x05}).len(2).op(1, 0x05));
  v.push_back(C("cpuid", {0x0f, 0xa2}).len(2));
  v.push_back(C("rdtsc", {0x0f, 0x31}).len(2));
  v.push_back(C("cmovne", {0x48, 0x0f, 0x45, 0xc1}).len(4));
  v.push_back(C("movzbl", {0x0f, 0xb6, 0x07}).len(3));
  v.push_back(C("swapgs", {0x0f, 0x01, 0xf8}).len(3));
  v.push_back(C("lkgs", {0xf2, 0x0f, 0x00, 0xf0}).len(4));
  v.push_back(C("wrmsrns", {0x0f, 0x01, 0xc6}).len(3));
  v.push_back(C("pshufd_imm", {0x66, 0x0f, 0x70, 0xc1, 0x1b}).len(5).mand(0x66).imm_at(4, 1));
  v.push_back(C("psrlq_imm", {0x66, 0x0f, 0x73, 0xd0, 0x04}).len(5));
  v.push_back(C("cmpps_imm", {0x0f, 0xc2, 0xc1, 0x01}).len(4));
  v.push_back(C("movups_rip", {0x0f, 0x10, 0x05, 0, 0, 0, 0}).len(7).set(R));
  v.push_back(C("popcnt", {0xf3, 0x48, 0x0f, 0xb8, 0xc0}).len(5).mand(0xf3));
  v.push_back(C("vmread", {0x0f, 0x78, 0xc1}).len(3).imm_at(0, 0));
  v.push_back(C("extrq", {0x66, 0x0f, 0x78, 0xc1, 0x01, 0x02}).len(6).imm_at(4, 2).imm_is(1));
  v.push_back(C("insertq", {0xf2, 0x0f, 0x78, 0xc1, 0x01, 0x02}).len(6).imm_at(4, 2));
  v.push_back(C("femms", {0x0f, 0x0e}).len(2));
  v.push_back(C("pfmul_3dnow", {0x0f, 0x0f, 0xc1, 0xb4}).len(4).set(X86_F_3DNOW).imm_at(3, 1));
  v.push_back(C("pfadd_3dnow_rip", {0x0f, 0x0f, 0x05, 0, 0, 0, 0, 0x9e})
                  .len(8)
                  .set(R)
                  .disp_at(3, 4)
                  .imm_at(7, 1));
  v.push_back(C("xcrypt_ecb_via", {0xf3, 0x0f, 0xa7, 0xc8}).len(4));
  v.push_back(C("xstore_via", {0x0f, 0xa7, 0xc0}).len(3));
  v.push_back(C("bswap", {0x48, 0x0f, 0xc8}).len(3));
  v.push_back(C("pshufb", {0x66, 0x0f, 0x38, 0x00, 0xc1}).len(5).op(2, 0x00));
  v.push_back(
      C("movbe_rip", {0x0f, 0x38, 0xf0, 0x05, 0, 0, 0, 0}).len(8).op(2, 0xf0).set(R).disp_at(4, 4));
  v.push_back(C("crc32", {0xf2, 0x48, 0x0f, 0x38, 0xf1, 0xc1}).len(6));
  v.push_back(C("invpcid", {0x66, 0x0f, 0x38, 0x82, 0x08}).len(5));
  v.push_back(C("sha256rnds2", {0x0f, 0x38, 0xcb, 0xc1}).len(4));
  v.push_back(C("palignr", {0x66, 0x0f, 0x3a, 0x0f, 0xc1, 0x08}).len(6).op(3, 0x0f).imm_at(5, 1));
  v.push_back(C("pclmulqdq_rip", {0x66, 0x0f, 0x3a, 0x44, 0x05, 0, 0, 0, 0, 0x11})
                  .len(10)
                  .set(R)
                  .disp_at(5, 4)
                  .imm_at(9, 1));
  v.push_back(C("pcmpistri", {0x66, 0x0f, 0x3a, 0x63, 0xc1, 0x0c}).len(6));
  // VEX.
  v.push_back(C("vzeroupper", {0xc5, 0xf8, 0x77})
                  .len(3)
                  .enc(X86_ENC_VEX2)
                  .op(1, 0x77)
                  .clear(M)
                  .pfx(X86_PFX_VEX2));
  v.push_back(C("vmovaps_vex2", {0xc5, 0xfc, 0x28, 0xc1}).len(4).enc(X86_ENC_VEX2).set(M));
  v.push_back(C("vpxor_vex2_66", {0xc5, 0xf9, 0xef, 0xc0}).len(4).mand(0x66));
  v.push_back(C("vmovdqu_vex2_f3", {0xc5, 0xfe, 0x6f, 0x07}).len(4).mand(0xf3));
  v.push_back(C("vpshufd_vex_imm", {0xc5, 0xf9, 0x70, 0xc1, 0x1b}).len(5).imm_at(4, 1));
  v.push_back(C("vbroadcastss_rip", {0xc4, 0xe2, 0x7d, 0x18, 0x05, 0, 0, 0, 0})
                  .len(9)
                  .enc(X86_ENC_VEX3)
                  .op(2, 0x18)
                  .set(R)
                  .disp_at(5, 4)
                  .pfx(X86_PFX_VEX3));
  v.push_back(
      C("vinsertf128_imm", {0xc4, 0xe3, 0x7d, 0x18, 0xc1, 0x01}).len(6).op(3, 0x18).imm_at(5, 1));
  v.push_back(C("vblendvps_is4", {0xc4, 0xe3, 0x7d, 0x4a, 0xc1, 0x20}).len(6).imm_at(5, 1));
  v.push_back(C("vfmadd_vex3_sib", {0xc4, 0xe2, 0xf5, 0xa8, 0x44, 0x24, 0x08})
                  .len(7)
                  .set(S)
                  .disp_at(6, 1)
                  .clear(X86_F_DISP8_SCALED));
  v.push_back(C("andn_bmi", {0xc4, 0xe2, 0x78, 0xf2, 0xc1}).len(5));
  v.push_back(C("rorx_bmi2", {0xc4, 0xe3, 0xfb, 0xf0, 0xc1, 0x05}).len(6));
  v.push_back(C("tilerelease", {0xc4, 0xe2, 0x78, 0x49, 0xc0}).len(5));
  v.push_back(C("gs_vex", {0x65, 0xc5, 0xfc, 0x28, 0x05, 0, 0, 0, 0}).len(9).set(R).disp_at(5, 4));
  // EVEX.
  v.push_back(C("evex_vmovups_rip", {0x62, 0xf1, 0x7c, 0x48, 0x10, 0x05, 0, 0, 0, 0})
                  .len(10)
                  .enc(X86_ENC_EVEX)
                  .op(1, 0x10)
                  .set(R)
                  .disp_at(6, 4)
                  .clear(X86_F_DISP8_SCALED)
                  .pfx(X86_PFX_EVEX));
  v.push_back(C("evex_disp8_scaled", {0x62, 0xf1, 0x7c, 0x48, 0x10, 0x40, 0x01})
                  .len(7)
                  .set(X86_F_DISP8_SCALED)
                  .disp_at(6, 1)
                  .disp_is(1));
  v.push_back(C("evex_map1_imm", {0x62, 0xf1, 0x7d, 0x48, 0x70, 0xc1, 0x1b})
                  .len(7)
                  .mand(0x66)
                  .imm_at(6, 1));
  v.push_back(C("evex_map2", {0x62, 0xf2, 0x7d, 0x48, 0x18, 0xc1}).len(6).op(2, 0x18).imm_at(0, 0));
  v.push_back(C("evex_map3_imm", {0x62, 0xf3, 0xfd, 0x48, 0x00, 0xc1, 0x01})
                  .len(7)
                  .op(3, 0x00)
                  .imm_at(6, 1));
  v.push_back(C("evex_map5_fp16", {0x62, 0xf5, 0x7c, 0x48, 0x58, 0xc1}).len(6).op(5, 0x58));
  v.push_back(C("evex_map6_fp16", {0x62, 0xf6, 0x7d, 0x48, 0x98, 0xc1}).len(6).op(6, 0x98));
  v.push_back(C("evex_sib_disp32", {0x62, 0xf1, 0x7c, 0x48, 0x10, 0x84, 0x24, 0, 1, 0, 0})
                  .len(11)
                  .set(S)
                  .disp_at(7, 4));
  // Refusals.
  for (uint8_t op : {0x06, 0x07, 0x0e, 0x16, 0x17, 0x1e, 0x1f, 0x27, 0x2f, 0x37, 0x3f, 0x60, 0x61,
                     0x82, 0x9a, 0xce, 0xd4, 0xd6, 0xea})
    v.push_back(C("invalid_" + std::to_string(op), {op, 0, 0, 0, 0, 0, 0}).err(X86_EINVALID));
  v.push_back(C("invalid_0f04", {0x0f, 0x04}).err(X86_EINVALID));
  v.push_back(C("invalid_0f0a", {0x0f, 0x0a}).err(X86_EINVALID));
  v.push_back(C("invalid_0f24", {0x0f, 0x24, 0xc0}).err(X86_EINVALID));
  v.push_back(C("invalid_0f36", {0x0f, 0x36}).err(X86_EINVALID));
  v.push_back(C("invalid_0f7a", {0x0f, 0x7a, 0xc0}).err(X86_EINVALID));
  v.push_back(C("invalid_0f38ff", {0x0f, 0x38, 0xff, 0xc0}).err(X86_EINVALID));
  v.push_back(C("invalid_0f3aff", {0x0f, 0x3a, 0xff, 0xc0, 0}).err(X86_EINVALID));
  v.push_back(C("invalid_jmpe", {0x0f, 0xb8, 0, 0, 0, 0}).err(X86_EINVALID));
  v.push_back(C("invalid_f3_0f78", {0xf3, 0x0f, 0x78, 0xc1}).err(X86_EINVALID));
  v.push_back(C("invalid_lea_reg", {0x8d, 0xc0}).err(X86_EINVALID));
  v.push_back(C("invalid_fe_2", {0xfe, 0xd0}).err(X86_EINVALID));
  v.push_back(C("invalid_ff_7", {0xff, 0xff}).err(X86_EINVALID));
  v.push_back(C("invalid_far_call_reg", {0xff, 0xd8}).err(X86_EINVALID));
  v.push_back(C("invalid_far_jmp_reg", {0xff, 0xe8}).err(X86_EINVALID));
  v.push_back(C("invalid_c6_1", {0xc6, 0xc8, 0}).err(X86_EINVALID));
  v.push_back(C("invalid_c7_1", {0xc7, 0xc8, 0, 0, 0, 0}).err(X86_EINVALID));
  v.push_back(C("invalid_8f_4", {0x8f, 0x20}).err(X86_EINVALID));
  v.push_back(C("xop_8f_1_map8", {0x8f, 0xc8}).err(X86_EUNSUPPORTED));
  v.push_back(C("invalid_via_memory", {0x0f, 0xa7, 0x00}).err(X86_EINVALID));
  v.push_back(C("invalid_66_before_vex", {0x66, 0xc5, 0xf8, 0x77}).err(X86_EINVALID));
  v.push_back(C("invalid_rex_before_vex", {0x48, 0xc5, 0xf8, 0x77}).err(X86_EINVALID));
  v.push_back(
      C("invalid_f3_before_evex", {0xf3, 0x62, 0xf1, 0x7c, 0x48, 0x10, 0xc1}).err(X86_EINVALID));
  v.push_back(C("invalid_vex_map0", {0xc4, 0xe0, 0x7d, 0x18, 0xc1}).err(X86_EINVALID));
  v.push_back(C("invalid_vex_map4", {0xc4, 0xe4, 0x7d, 0x18, 0xc1}).err(X86_EINVALID));
  v.push_back(C("invalid_evex_map0", {0x62, 0xf0, 0x7c, 0x48, 0x10, 0xc1}).err(X86_EINVALID));
  v.push_back(C("unsupported_xop", {0x8f, 0xe8, 0x78, 0xc0, 0xc1, 0x01}).err(X86_EUNSUPPORTED));
  v.push_back(C("unsupported_rex2", {0xd5, 0x00, 0x90}).err(X86_EUNSUPPORTED));
  v.push_back(
      C("unsupported_evex_map4", {0x62, 0xf4, 0x7c, 0x48, 0x10, 0xc1}).err(X86_EUNSUPPORTED));
  v.push_back(
      C("unsupported_evex_apx_bit", {0x62, 0xf9, 0x7c, 0x48, 0x10, 0xc1}).err(X86_EUNSUPPORTED));
  v.push_back(C("unsupported_evex_u0", {0x62, 0xf1, 0x78, 0x48, 0x10, 0xc1}).err(X86_EUNSUPPORTED));
  v.push_back(
      C("unsupported_vex_map7", {0xc4, 0xe7, 0x7b, 0xf8, 0xc0, 0, 0, 0, 0}).err(X86_EUNSUPPORTED));
  v.push_back(C("vendor_66_call", {0x66, 0xe8, 0, 0, 0, 0}).err(X86_EVENDOR));
  v.push_back(C("vendor_66_jmp", {0x66, 0xe9, 0, 0, 0, 0}).err(X86_EVENDOR));
  v.push_back(C("vendor_66_jcc", {0x66, 0x0f, 0x84, 0, 0, 0, 0}).err(X86_EVENDOR));
  v.push_back(C("vendor_ud0", {0x0f, 0xff, 0xc0}).err(X86_EVENDOR));
  v.push_back(C("too_long_prefixes", {0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66,
                                      0x66, 0x66, 0x66, 0x66, 0x66, 0x90})
                  .err(X86_ETOOLONG));
  v.push_back(C("too_long_immediate",
                {0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0x67, 0x48,
                 0x81, 0x84, 0x24, 0,    0,    0,    0,    0,    0,    0,    0})
                  .err(X86_ETOOLONG));
  v.push_back(C("too_long_prefix_run", Bytes(16, 0x2e)).err(X86_ETOOLONG));

  // Every legacy prefix alone in front of a plain mov.
  for (size_t i = 0; i < sizeof(kPrefixes); i++) {
    char name[32];
    snprintf(name, sizeof(name), "prefix_%02x", kPrefixes[i]);
    v.push_back(C(name, {kPrefixes[i], 0x89, 0xc8}).len(3).pfx((int)kPrefixBits[i]).op(0, 0x89));
  }
  // REX variants, each alone.
  for (int rex = 0x40; rex <= 0x4f; rex++) {
    char name[32];
    snprintf(name, sizeof(name), "rex_%02x", rex);
    v.push_back(C(name, {(uint8_t)rex, 0x89, 0xc8}).len(3).rx(rex).pfx(X86_PFX_REX));
  }
  return v;
}

void PrintTo(const Case &c, std::ostream *os) { *os << c.name; }

class Encoding : public testing::TestWithParam<Case> {};

TEST_P(Encoding, Decodes) {
  const Case &c = GetParam();
  x86_insn_t xi;
  int err = decode(c.bytes, &xi);
  ASSERT_EQ(err, c.error) << x86_insn_strerror(err);
  if (c.error != X86_OK) {
    EXPECT_EQ(xi.xi_length, 0);
    return;
  }
  ASSERT_GE(xi.xi_length, 1);
  ASSERT_LE(xi.xi_length, X86_INSN_MAX_LENGTH);
  EXPECT_EQ(xi.xi_length, c.length >= 0 ? (size_t)c.length : c.bytes.size());
  if (c.map >= 0) {
    EXPECT_EQ(xi.xi_map, c.map);
  }
  if (c.opcode >= 0) {
    EXPECT_EQ(xi.xi_opcode, c.opcode);
  }
  EXPECT_EQ(xi.xi_class, c.cls) << x86_insn_class_name(xi.xi_class);
  EXPECT_EQ(xi.xi_flags & c.flags_set, c.flags_set);
  EXPECT_EQ(xi.xi_flags & c.flags_clear, 0u);
  if (c.disp_offset >= 0) {
    EXPECT_EQ(xi.xi_disp_offset, c.disp_offset);
  }
  if (c.disp_size >= 0) {
    EXPECT_EQ(xi.xi_disp_size, c.disp_size);
  }
  if (c.check_disp) {
    EXPECT_EQ(xi.xi_disp, c.disp);
  }
  if (c.imm_offset >= 0) {
    EXPECT_EQ(xi.xi_imm_offset, c.imm_offset);
  }
  if (c.imm_size >= 0) {
    EXPECT_EQ(xi.xi_imm_size, c.imm_size);
  }
  if (c.check_imm) {
    EXPECT_EQ(xi.xi_imm, c.imm);
  }
  if (c.prefixes >= 0) {
    EXPECT_EQ(xi.xi_prefixes, c.prefixes);
  }
  if (c.rex >= 0) {
    EXPECT_EQ(xi.xi_rex, c.rex);
  }
  if (c.mandatory >= 0) {
    EXPECT_EQ(xi.xi_mandatory, c.mandatory);
  }
  if (c.encoding >= 0) {
    EXPECT_EQ(xi.xi_encoding, c.encoding);
  }
  // Internal consistency, whatever the case checks.
  EXPECT_EQ(xi.xi_opcode, c.bytes[xi.xi_opcode_offset]);
  if (xi.xi_flags & X86_F_MODRM) {
    EXPECT_EQ(xi.xi_modrm, c.bytes[xi.xi_opcode_offset + 1]);
  }
  if (xi.xi_flags & X86_F_SIB) {
    EXPECT_EQ(xi.xi_sib, c.bytes[xi.xi_opcode_offset + 2]);
  }
  if (xi.xi_flags & X86_F_RIP_RELATIVE) {
    EXPECT_EQ(xi.xi_disp_size, 4);
    EXPECT_EQ(xi.xi_modrm & 0xc7, 0x05);
  }
  if (xi.xi_disp_size) {
    EXPECT_LE(xi.xi_disp_offset + xi.xi_disp_size, xi.xi_length);
  }
  if (xi.xi_imm_size) {
    EXPECT_EQ(xi.xi_imm_offset + xi.xi_imm_size, xi.xi_length);
  }
}

// Every proper prefix of a valid instruction is "truncated", read from an
// exact-size buffer; trailing bytes change nothing. A refused encoding's
// prefixes are truncated or refused for the same reason, never decoded.
TEST_P(Encoding, EveryPrefixIsTruncated) {
  const Case &c = GetParam();
  x86_insn_t full, xi;
  int err = decode(c.bytes, &full);
  if (err != X86_OK) {
    for (size_t n = 0; n < c.bytes.size(); n++) {
      int e = decode(c.bytes, &xi, n);
      EXPECT_TRUE(e == X86_ETRUNCATED || e == err)
          << "prefix of " << n << " bytes: " << x86_insn_strerror(e);
    }
    return;
  }
  for (size_t n = 0; n < full.xi_length; n++) {
    EXPECT_EQ(decode(c.bytes, &xi, n), X86_ETRUNCATED) << "prefix of " << n << " bytes";
  }
  Bytes padded(c.bytes.begin(), c.bytes.begin() + full.xi_length);
  ASSERT_EQ(decode(padded, &xi), X86_OK);
  EXPECT_EQ(memcmp(&xi, &full, sizeof(xi)), 0);
  padded.insert(padded.end(), 16, 0xcc);
  ASSERT_EQ(decode(padded, &xi), X86_OK);
  EXPECT_EQ(memcmp(&xi, &full, sizeof(xi)), 0);
}

INSTANTIATE_TEST_SUITE_P(X86, Encoding, testing::ValuesIn(cases()),
                         [](const testing::TestParamInfo<Case> &i) { return i.param.name; });

TEST(X86Decode, LayoutIsTheDocumentedAbi) {
  EXPECT_EQ(sizeof(x86_insn_t), 40u);
  EXPECT_EQ(offsetof(x86_insn_t, xi_length), 0u);
  EXPECT_EQ(offsetof(x86_insn_t, xi_opcode_offset), 4u);
  EXPECT_EQ(offsetof(x86_insn_t, xi_disp_offset), 8u);
  EXPECT_EQ(offsetof(x86_insn_t, xi_imm_offset), 10u);
  EXPECT_EQ(offsetof(x86_insn_t, xi_class), 12u);
  EXPECT_EQ(offsetof(x86_insn_t, xi_vex), 16u);
  EXPECT_EQ(offsetof(x86_insn_t, xi_address_size), 19u);
  EXPECT_EQ(offsetof(x86_insn_t, xi_prefixes), 20u);
  EXPECT_EQ(offsetof(x86_insn_t, xi_flags), 22u);
  EXPECT_EQ(offsetof(x86_insn_t, xi_disp), 24u);
  EXPECT_EQ(offsetof(x86_insn_t, xi_imm), 32u);
}

TEST(X86Decode, EmptyAndNullBuffers) {
  x86_insn_t xi;
  uint8_t b = 0x90;
  EXPECT_EQ(x86_insn_decode(&b, 0, &xi), X86_ETRUNCATED);
  EXPECT_EQ(x86_insn_decode(nullptr, 1, &xi), X86_EARGUMENT);
  EXPECT_EQ(x86_insn_decode(&b, 1, nullptr), X86_EARGUMENT);
}

TEST(X86Decode, VexPayloadAndOperandSizes) {
  x86_insn_t xi;
  ASSERT_EQ(decode({0xc4, 0xe2, 0xf5, 0xa8, 0xc1}, &xi), X86_OK);
  EXPECT_EQ(xi.xi_vex[0], 0xe2);
  EXPECT_EQ(xi.xi_vex[1], 0xf5);
  EXPECT_EQ(xi.xi_opcode_offset, 3);
  ASSERT_EQ(decode({0x62, 0xf1, 0x7c, 0x48, 0x10, 0xc1}, &xi), X86_OK);
  EXPECT_EQ(xi.xi_vex[2], 0x48);
  ASSERT_EQ(decode({0x66, 0x90}, &xi), X86_OK);
  EXPECT_EQ(xi.xi_operand_size, 2);
  EXPECT_EQ(xi.xi_address_size, 8);
  ASSERT_EQ(decode({0x67, 0x48, 0x90}, &xi), X86_OK);
  EXPECT_EQ(xi.xi_operand_size, 8);
  EXPECT_EQ(xi.xi_address_size, 4);
  EXPECT_EQ(xi.xi_prefix_count, 2);
}

TEST(X86Decode, Names) {
  for (int e = 0; e < X86_NERRORS; e++)
    EXPECT_NE(std::string(x86_insn_strerror(e)), "unknown error");
  for (int c = 0; c < X86_NCLASSES; c++)
    EXPECT_NE(std::string(x86_insn_class_name(c)), "unknown class");
  EXPECT_EQ(std::string(x86_insn_strerror(-1)), "unknown error");
  EXPECT_EQ(std::string(x86_insn_class_name(X86_NCLASSES)), "unknown class");
}

// Relocation ---------------------------------------------------------------

// A vmalloc-area address: +-2^31 around it stays clear of 64-bit wrap.
constexpr unsigned long long kFrom = 0xffffc90000123000ULL;
constexpr unsigned long long k2G = 0x80000000ULL;

struct Relocated {
  int error;
  Bytes out;
};

Relocated relocate(const Bytes &b, unsigned long long from, unsigned long long to) {
  x86_insn_t xi;
  Relocated r{X86_EARGUMENT, Bytes(X86_INSN_MAX_LENGTH, 0xaa)};
  if (x86_insn_decode(b.data(), b.size(), &xi) != X86_OK)
    return r;
  r.error = x86_insn_relocate(b.data(), b.size(), &xi, from, to, r.out.data(), r.out.size());
  if (r.error == X86_OK)
    r.out.resize(xi.xi_length);
  return r;
}

unsigned long long target_of(const Bytes &b, unsigned long long at) {
  x86_insn_t xi;
  unsigned long long t = 0;
  EXPECT_EQ(x86_insn_decode(b.data(), b.size(), &xi), X86_OK);
  EXPECT_EQ(x86_insn_target(&xi, at, &t), X86_OK);
  return t;
}

// The relocated copy must reach the same absolute address.
void expect_same_target(const Bytes &b, unsigned long long from, unsigned long long to) {
  Relocated r = relocate(b, from, to);
  ASSERT_EQ(r.error, X86_OK) << x86_insn_strerror(r.error);
  EXPECT_EQ(target_of(r.out, to), target_of(b, from));
}

const Bytes kMovRip = {0x48, 0x8b, 0x05, 0x00, 0x00, 0x00, 0x00};

TEST(X86Relocate, RipRelativeInReach) {
  Relocated r = relocate(kMovRip, kFrom, kFrom + 0x1000);
  ASSERT_EQ(r.error, X86_OK);
  EXPECT_EQ(r.out, (Bytes{0x48, 0x8b, 0x05, 0x00, 0xf0, 0xff, 0xff}));
  expect_same_target(kMovRip, kFrom, kFrom + 0x1000);
  expect_same_target(kMovRip, kFrom, kFrom - 0x7654321);
  expect_same_target({0x48, 0xc7, 0x05, 0x10, 0, 0, 0, 1, 2, 3, 4}, kFrom, kFrom + 0x123456);
}

// The new disp32 is target - (to + len) = from - to here (disp 0): the
// largest reachable is 2^31 - 1 below, 2^31 above; one more refuses.
TEST(X86Relocate, RipRelativeBoundary) {
  Relocated r = relocate(kMovRip, kFrom, kFrom - (k2G - 1));
  ASSERT_EQ(r.error, X86_OK);
  EXPECT_EQ(r.out, (Bytes{0x48, 0x8b, 0x05, 0xff, 0xff, 0xff, 0x7f}));
  expect_same_target(kMovRip, kFrom, kFrom - (k2G - 1));

  r = relocate(kMovRip, kFrom, kFrom - k2G);
  EXPECT_EQ(r.error, X86_EREACH);
  EXPECT_EQ(r.out, Bytes(X86_INSN_MAX_LENGTH, 0xaa)) << "wrote on refusal";

  r = relocate(kMovRip, kFrom, kFrom + k2G);
  ASSERT_EQ(r.error, X86_OK);
  EXPECT_EQ(r.out, (Bytes{0x48, 0x8b, 0x05, 0x00, 0x00, 0x00, 0x80}));
  expect_same_target(kMovRip, kFrom, kFrom + k2G);

  EXPECT_EQ(relocate(kMovRip, kFrom, kFrom + k2G + 1).error, X86_EREACH);
  EXPECT_EQ(relocate(kMovRip, kFrom, 0x1000).error, X86_EREACH);
}

// Same boundary measured from a non-zero displacement: the target is what
// must stay within 2^31 of the copy's next instruction.
TEST(X86Relocate, RipRelativeBoundaryFromTarget) {
  const Bytes b = {0x8b, 0x05, 0x00, 0x10, 0x00, 0x00}; // +0x1000
  unsigned long long target = kFrom + 6 + 0x1000;
  // to + 6 + 0x7fffffff == target: exactly reachable.
  unsigned long long to = target - 6 - (k2G - 1);
  expect_same_target(b, kFrom, to);
  EXPECT_EQ(relocate(b, kFrom, to - 1).error, X86_EREACH);
  to = target - 6 + k2G; // new disp = -2^31
  expect_same_target(b, kFrom, to);
  EXPECT_EQ(relocate(b, kFrom, to + 1).error, X86_EREACH);
}

TEST(X86Relocate, WrapsModulo64Bits) {
  // Near the top of the address space the target wraps past zero,
  // as the processor computes it.
  const Bytes b = {0x8b, 0x05, 0x00, 0x00, 0x00, 0x01};
  expect_same_target(b, 0xfffffffffff00000ULL, 0xfffffffffff00000ULL - 0x1000);
  EXPECT_EQ(target_of(b, 0xfffffffffff00000ULL), 0xfffffffffff00000ULL + 6 + 0x01000000ULL);
}

TEST(X86Relocate, Rel32Branches) {
  for (const Bytes &b : {Bytes{0xe8, 0x10, 0, 0, 0}, Bytes{0xe9, 0xf0, 0xff, 0xff, 0xff},
                         Bytes{0x0f, 0x84, 0, 1, 0, 0}, Bytes{0x2e, 0xe8, 0, 0, 0, 0},
                         Bytes{0xc7, 0xf8, 8, 0, 0, 0}}) {
    expect_same_target(b, kFrom, kFrom + 0x40000000);
    expect_same_target(b, kFrom, kFrom - 0x40000000);
  }
  const Bytes call = {0xe8, 0, 0, 0, 0};
  expect_same_target(call, kFrom, kFrom - (k2G - 1));
  EXPECT_EQ(relocate(call, kFrom, kFrom - k2G).error, X86_EREACH);
  expect_same_target(call, kFrom, kFrom + k2G);
  EXPECT_EQ(relocate(call, kFrom, kFrom + k2G + 1).error, X86_EREACH);
}

TEST(X86Relocate, Rel8BranchesOnlyWhileTheyReach) {
  const Bytes jmp = {0xeb, 0x10};
  // new rel8 = target - (to + 2) = from + 0x10 - to
  expect_same_target(jmp, kFrom, kFrom - 0x6f); // rel8 127
  EXPECT_EQ(relocate(jmp, kFrom, kFrom - 0x70).error, X86_EREACH);
  expect_same_target(jmp, kFrom, kFrom + 0x90); // rel8 -128
  EXPECT_EQ(relocate(jmp, kFrom, kFrom + 0x91).error, X86_EREACH);
  EXPECT_EQ(relocate({0x74, 0x00}, kFrom, kFrom + 0x1000).error, X86_EREACH);
  EXPECT_EQ(relocate({0xe2, 0xfe}, kFrom, kFrom + 0x1000).error, X86_EREACH);
}

TEST(X86Relocate, RefusesWhatItCannotRelocate) {
  EXPECT_EQ(relocate({0x67, 0x8b, 0x05, 0, 0, 0, 0}, kFrom, kFrom + 1).error, X86_EADDRESS32);
  EXPECT_EQ(relocate({0x66, 0xc7, 0xf8, 0, 0}, kFrom, kFrom + 1).error, X86_EBRANCH16);
}

TEST(X86Relocate, OtherInstructionsCopiedUnchanged) {
  for (const Bytes &b :
       {Bytes{0x48, 0x89, 0xe5}, Bytes{0xc3}, Bytes{0xff, 0xd0}, Bytes{0xf3, 0x0f, 0x1e, 0xfa},
        Bytes{0xa1, 1, 2, 3, 4, 5, 6, 7, 8}, Bytes{0x8b, 0x04, 0x25, 0, 0, 0, 0}}) {
    Relocated r = relocate(b, kFrom, 0x1000);
    ASSERT_EQ(r.error, X86_OK);
    EXPECT_EQ(r.out, b);
  }
}

TEST(X86Relocate, RejectsStaleOrForgedDecodeResults) {
  x86_insn_t xi;
  Bytes out(X86_INSN_MAX_LENGTH, 0xaa);
  ASSERT_EQ(x86_insn_decode(kMovRip.data(), kMovRip.size(), &xi), X86_OK);
  x86_insn_t forged = xi;
  forged.xi_disp_offset = 1;
  EXPECT_EQ(x86_insn_relocate(kMovRip.data(), kMovRip.size(), &forged, kFrom, kFrom, out.data(),
                              out.size()),
            X86_EARGUMENT);
  forged = xi;
  forged.xi_flags &= ~X86_F_RIP_RELATIVE;
  EXPECT_EQ(x86_insn_relocate(kMovRip.data(), kMovRip.size(), &forged, kFrom, kFrom, out.data(),
                              out.size()),
            X86_EARGUMENT);
  Bytes other = {0x48, 0x8b, 0x04, 0x25, 0, 0, 0}; // same length
  EXPECT_EQ(
      x86_insn_relocate(other.data(), other.size(), &xi, kFrom, kFrom, out.data(), out.size()),
      X86_EARGUMENT);
  EXPECT_EQ(x86_insn_relocate(kMovRip.data(), 6, &xi, kFrom, kFrom, out.data(), out.size()),
            X86_EARGUMENT);
  EXPECT_EQ(x86_insn_relocate(kMovRip.data(), kMovRip.size(), &xi, kFrom, kFrom, out.data(), 6),
            X86_EARGUMENT);
  EXPECT_EQ(x86_insn_relocate(nullptr, 7, &xi, kFrom, kFrom, out.data(), out.size()),
            X86_EARGUMENT);
  EXPECT_EQ(out, Bytes(X86_INSN_MAX_LENGTH, 0xaa));
}

TEST(X86Target, RelativeOperands) {
  x86_insn_t xi;
  unsigned long long t;
  ASSERT_EQ(decode({0xe8, 0xfb, 0xff, 0xff, 0xff}, &xi), X86_OK);
  ASSERT_EQ(x86_insn_target(&xi, 0x1000, &t), X86_OK);
  EXPECT_EQ(t, 0x1000u);
  ASSERT_EQ(decode({0x67, 0x8b, 0x05, 0xf0, 0xff, 0xff, 0xff}, &xi), X86_OK);
  ASSERT_EQ(x86_insn_target(&xi, 0x100000000ULL, &t), X86_OK);
  EXPECT_EQ(t, 0xfffffff7ULL) << "%eip wraps at 4 GB";
  ASSERT_EQ(decode({0x48, 0x89, 0xe5}, &xi), X86_OK);
  EXPECT_EQ(x86_insn_target(&xi, 0, &t), X86_ENOTARGET);
  ASSERT_EQ(decode({0x66, 0xc7, 0xf8, 0, 0}, &xi), X86_OK);
  EXPECT_EQ(x86_insn_target(&xi, 0, &t), X86_EBRANCH16);
}

} // namespace
