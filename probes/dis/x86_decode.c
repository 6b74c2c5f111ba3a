// SPDX-License-Identifier: GPL-2.0
/*
 * x86-64 instruction length and operand decoder; %rip-relative relocation.
 *
 * Big Theory Statement
 * --------------------
 * Why. The fbt provider patches function entries and returns in live kernel
 * text. It must know where each instruction ends (never patch half of one),
 * which instructions return or leave the function, and which operands depend
 * on where the instruction sits: an instruction displaced for single-stepping
 * that uses %rip-relative addressing reads the wrong memory unless its
 * displacement is rewritten, and cannot be rewritten at all when the copy is
 * more than 2 GB from the target (the 2011 port's failure on large machines).
 * Hence: a length and operand decoder, not a disassembler. It prints nothing
 * and names no mnemonics; it answers "how long, where are the displacement
 * and the immediate, is it %rip-relative, what kind of control transfer".
 *
 * Model. 64-bit mode only (kernel text). An instruction is
 *	[legacy prefixes] [REX] opcode [ModRM [SIB] [disp]] [imm]
 *	[legacy prefixes] VEX|EVEX opcode ModRM [SIB] [disp] [imm]
 * The decoder walks it left to right through a cursor that refuses to read
 * byte i unless i < len (X86_ETRUNCATED) and i < 15 (X86_ETOOLONG). That one
 * check is the whole memory-safety argument: there is no other access to the
 * buffer. Every validity check uses only bytes already fetched, so every
 * proper prefix of a valid instruction reports X86_ETRUNCATED.
 *
 * Prefixes. F0 F2 F3 66 67 and the six segment prefixes, any order, any
 * number (the 15-byte limit bounds them). REX counts only when it is the last
 * prefix: a REX followed by a legacy prefix is ignored, as the processor does.
 * The mandatory prefix that selects an SSE form is the last of F2/F3 if any,
 * else 66. VEX and EVEX take no 66/F2/F3/F0/REX before them (#UD).
 *
 * Tables. The two legacy maps that need per-opcode facts, one-byte and 0F,
 * are 256-entry tables of one attribute byte: an immediate kind (none, ib,
 * iw, iz, iv, moffs, enter's iw+ib, rel8, rel32, group 3), "has ModRM",
 * "invalid in 64-bit mode", "ModRM is register-only". Each table row is one
 * high nibble. The few opcodes whose length depends on ModRM.reg or on a
 * prefix (F6/F7, C6/C7, 8F, 0F 78, 0F B8 ...) are settled in code next to a
 * comment, not in the tables. The legacy 0F 38 and 0F 3A maps are uniform
 * (always ModRM; 0F 3A always ib), so they are lists of defined opcode
 * ranges. VEX and EVEX maps are uniform too: every instruction has ModRM
 * (except VEX vzeroupper/vzeroall, 0F 77), map 3 always has ib, map 1 has ib
 * exactly for 70-73 and C2/C4/C5/C6, maps 2, 5 and 6 have none. So VEX/EVEX
 * opcodes are length-decoded by their map's rule without checking that the
 * individual opcode is defined; an undefined one raises #UD wherever it runs.
 *
 * Operand sizes. iz is 2 bytes with 66 unless REX.W, else 4; iv (B8-BF) is
 * 8 with REX.W, 2 with 66, else 4; moffs (A0-A3) is 8 bytes, 4 with 67.
 * enter is iw+ib; F6/F7 /0 and /1 (the undocumented test alias) carry ib/iz;
 * ret/retf iw are always 2; push imm (68) follows iz.
 *
 * Addressing. ModRM mod=11 is a register. Otherwise rm=100 brings a SIB
 * (whose base=101 with mod=00 means disp32, no base), mod=01 disp8,
 * mod=10 disp32, and mod=00 rm=101 disp32 relative to the next instruction:
 * X86_F_RIP_RELATIVE, xi_disp_offset says where the disp32 is. REX.B does not
 * change these special cases (r12 needs a SIB, r13 a disp, like rsp/rbp).
 * 0F 20-23 (mov to/from CR/DR) ignore mod: their ModRM is always a register.
 * With 67 the same forms address through %eip, also flagged rip-relative.
 *
 * Classes. Returns (ret, ret iw, retf, iret), calls and jumps (rel32, rel8,
 * jcc, loop/jrcxz, indirect near and far), xbegin, int3, int, ud2/ud1,
 * endbr64/32, nops. A return through the return thunk is a jmp rel32 here:
 * telling it from a tail call needs the symbol table, the provider's job.
 *
 * Relocation. x86_insn_relocate() rewrites a %rip-relative disp32 or a
 * rel32/rel8 branch so the operand refers to the same absolute address from
 * the new location, computing modulo 2^64 exactly as the processor does.
 * The new displacement must fit its field: [-2^31, 2^31 - 1] for 32 bits,
 * else X86_EREACH and nothing is written. Rel8 branches are rewritten only
 * if they still reach (they practically never do from another page). It
 * refuses %eip-relative operands (67; the address wraps at 4 GB) and 16-bit
 * branches (66 xbegin; the target wraps at 64 KB). It re-decodes the bytes
 * and refuses an x86_insn_t that does not match them, so a stale or forged
 * decode result cannot make it patch the wrong field.
 *
 * Deliberately not decoded, with the reason code returned:
 *   X86_EINVALID      opcodes undefined or removed in 64-bit mode (06, 27,
 *			60, 9A, D4, EA ...), LEA/far call/far jmp with a
 *			register operand, undefined group members (FE /2-7,
 *			FF /7, C6/C7 other than /0 and xabort/xbegin), legacy
 *			0F 38/0F 3A opcodes not defined, VEX/EVEX undefined
 *			maps or reserved bits, prefixes before VEX/EVEX.
 *   X86_EUNSUPPORTED  AMD XOP (8F with map >= 8; AMD-only, dropped after
 *			Bulldozer), APX (REX2 D5, EVEX map 4, EVEX reserved
 *			bits APX redefines), VEX/EVEX map 7. Neither kernel
 *			in the matrix emits them; better refuse than guess.
 *   X86_EVENDOR       encodings whose length differs between Intel and AMD:
 *			66 with rel32 call/jmp/jcc (AMD: rel16, Intel: rel32)
 *			and 0F FF (ud0: Intel has ModRM, AMD does not). No
 *			compiler emits them; an instrumented kernel runs on
 *			both vendors, so no single answer is right.
 * 3DNow! (0F 0F modrm suffix) is decoded, the suffix as a 1-byte immediate;
 * so are VIA PadLock (0F A6/A7 with a register ModRM) and SSE4a
 * extrq/insertq (66/F2 0F 78: two ib).
 *
 * Validation. tests/probes/dis: hand-written encodings of every class and
 * prefix kind (x86_decode_test.cc); every proper prefix of each must report
 * X86_ETRUNCATED; relocation at the exact +-2 GB boundary; a libFuzzer
 * harness under ASan/UBSan; and objdump as an independent oracle over every
 * instruction of all modules of a Debian 6.12 kernel, an extracted vmlinux
 * and large userspace binaries (objdump_compare.cc, full-sweep.sh): length,
 * %rip-relative offset and target, relocation offsets against our field
 * offsets, and the class against objdump's mnemonic. With binutils 2.40 and
 * Debian's 6.12.117 that is 46.7 million instructions (4230 modules,
 * vmlinux, qemu, libc, cmake, gdb, libLLVM) without a mismatch; the lines
 * objdump itself cannot decode are listed by kind in objdump_compare.cc.
 *
 * Context. Pure computation over caller memory: no allocation, no locks, no
 * calls outside this file, no libc. Any context.
 */
#include <sys/types.h>

#include "x86_decode.h"

/*
 * The layout in x86_decode.h is an ABI, and relocation compares two decode
 * results byte for byte, which requires a struct without padding holes.
 */
_Static_assert(sizeof(x86_insn_t) == 40, "x86_insn_t is 40 bytes");
_Static_assert(__builtin_offsetof(x86_insn_t, xi_vex) == 16, "xi_vex");
_Static_assert(__builtin_offsetof(x86_insn_t, xi_prefixes) == 20, "pfx");
_Static_assert(__builtin_offsetof(x86_insn_t, xi_disp) == 24, "xi_disp");
_Static_assert(__builtin_offsetof(x86_insn_t, xi_imm) == 32, "xi_imm");

/*
 * Opcode attribute byte. Low nibble: the immediate kind. High bits: flags.
 */
/* clang-format off */
#define	A_IMM_MASK	0x0f
#define	A_IMM_NONE	0x00
#define	A_IMM_B		0x01	/* imm8 */
#define	A_IMM_W		0x02	/* imm16 */
#define	A_IMM_Z		0x03	/* imm16 with 66 (and no REX.W), else imm32 */
#define	A_IMM_V		0x04	/* imm64 with REX.W, imm16 with 66, imm32 */
#define	A_IMM_MOFFS	0x05	/* address-sized absolute offset */
#define	A_IMM_ENTER	0x06	/* imm16 then imm8 */
#define	A_IMM_REL8	0x07	/* rel8 branch */
#define	A_IMM_REL32	0x08	/* rel32 branch; 66 is vendor-specific */
#define	A_IMM_GROUP3	0x09	/* F6/F7: ib/iz for /0 and /1 only */
#define	A_MODRM		0x10
#define	A_INVALID	0x20	/* undefined in 64-bit mode */
#define	A_REGONLY	0x40	/* ModRM.mod ignored: always a register */

/* Two-letter spellings so a table row fits one line. */
#define	NO	A_IMM_NONE
#define	MR	A_MODRM
#define	MB	(A_MODRM | A_IMM_B)
#define	MZ	(A_MODRM | A_IMM_Z)
#define	IB	A_IMM_B
#define	IW	A_IMM_W
#define	IZ	A_IMM_Z
#define	IV	A_IMM_V
#define	MO	A_IMM_MOFFS
#define	EN	A_IMM_ENTER
#define	R8	A_IMM_REL8
#define	RZ	A_IMM_REL32
#define	G3	(A_MODRM | A_IMM_GROUP3)
#define	CR	(A_MODRM | A_REGONLY)
#define	XX	A_INVALID
/* clang-format on */

/*
 * One-byte map. Prefixes (26 2E 36 3E 40-4F 64-67 F0 F2 F3) and the escapes
 * (0F, C4/C5 VEX, 62 EVEX, D5 REX2, 8F XOP) are consumed before the table is
 * consulted; their entries are NO and never read.
 */
/* clang-format off */
static const uint8_t x86_map_onebyte[256] = {
/*	 0   1   2   3   4   5   6   7   8   9   A   B   C   D   E   F */
/* 0 */	MR, MR, MR, MR, IB, IZ, XX, XX, MR, MR, MR, MR, IB, IZ, XX, NO,
/* 1 */	MR, MR, MR, MR, IB, IZ, XX, XX, MR, MR, MR, MR, IB, IZ, XX, XX,
/* 2 */	MR, MR, MR, MR, IB, IZ, NO, XX, MR, MR, MR, MR, IB, IZ, NO, XX,
/* 3 */	MR, MR, MR, MR, IB, IZ, NO, XX, MR, MR, MR, MR, IB, IZ, NO, XX,
/* 4 */	NO, NO, NO, NO, NO, NO, NO, NO, NO, NO, NO, NO, NO, NO, NO, NO,
/* 5 */	NO, NO, NO, NO, NO, NO, NO, NO, NO, NO, NO, NO, NO, NO, NO, NO,
/* 6 */	XX, XX, NO, MR, NO, NO, NO, NO, IZ, MZ, IB, MB, NO, NO, NO, NO,
/* 7 */	R8, R8, R8, R8, R8, R8, R8, R8, R8, R8, R8, R8, R8, R8, R8, R8,
/* 8 */	MB, MZ, XX, MB, MR, MR, MR, MR, MR, MR, MR, MR, MR, MR, MR, MR,
/* 9 */	NO, NO, NO, NO, NO, NO, NO, NO, NO, NO, XX, NO, NO, NO, NO, NO,
/* A */	MO, MO, MO, MO, NO, NO, NO, NO, IB, IZ, NO, NO, NO, NO, NO, NO,
/* B */	IB, IB, IB, IB, IB, IB, IB, IB, IV, IV, IV, IV, IV, IV, IV, IV,
/* C */	MB, MB, IW, NO, NO, NO, MB, MZ, EN, NO, IW, NO, NO, IB, XX, NO,
/* D */	MR, MR, MR, MR, XX, NO, XX, NO, MR, MR, MR, MR, MR, MR, MR, MR,
/* E */	R8, R8, R8, R8, IB, IB, IB, IB, RZ, RZ, XX, R8, NO, NO, NO, NO,
/* F */	NO, NO, NO, NO, NO, NO, G3, G3, NO, NO, NO, NO, NO, NO, MR, MR,
};

/*
 * 0F map. 0F 38 and 0F 3A are escapes (NO, never read); 0F 0F (3DNow!),
 * 0F 78 (vmread / SSE4a), 0F A6/A7 (VIA), 0F B8 (popcnt) and 0F FF (ud0) are
 * refined in x86_decode_legacy().
 */
static const uint8_t x86_map_0f[256] = {
/*	 0   1   2   3   4   5   6   7   8   9   A   B   C   D   E   F */
/* 0 */	MR, MR, MR, MR, XX, NO, NO, NO, NO, NO, XX, NO, XX, MR, NO, MB,
/* 1 */	MR, MR, MR, MR, MR, MR, MR, MR, MR, MR, MR, MR, MR, MR, MR, MR,
/* 2 */	CR, CR, CR, CR, XX, XX, XX, XX, MR, MR, MR, MR, MR, MR, MR, MR,
/* 3 */	NO, NO, NO, NO, NO, NO, XX, NO, NO, XX, NO, XX, XX, XX, XX, XX,
/* 4 */	MR, MR, MR, MR, MR, MR, MR, MR, MR, MR, MR, MR, MR, MR, MR, MR,
/* 5 */	MR, MR, MR, MR, MR, MR, MR, MR, MR, MR, MR, MR, MR, MR, MR, MR,
/* 6 */	MR, MR, MR, MR, MR, MR, MR, MR, MR, MR, MR, MR, MR, MR, MR, MR,
/* 7 */	MB, MB, MB, MB, MR, MR, MR, NO, MR, MR, XX, XX, MR, MR, MR, MR,
/* 8 */	RZ, RZ, RZ, RZ, RZ, RZ, RZ, RZ, RZ, RZ, RZ, RZ, RZ, RZ, RZ, RZ,
/* 9 */	MR, MR, MR, MR, MR, MR, MR, MR, MR, MR, MR, MR, MR, MR, MR, MR,
/* A */	NO, NO, NO, MR, MB, MR, MR, MR, NO, NO, NO, MR, MB, MR, MR, MR,
/* B */	MR, MR, MR, MR, MR, MR, MR, MR, MR, MR, MB, MR, MR, MR, MR, MR,
/* C */	MR, MR, MB, MR, MB, MB, MB, MR, NO, NO, NO, NO, NO, NO, NO, NO,
/* D */	MR, MR, MR, MR, MR, MR, MR, MR, MR, MR, MR, MR, MR, MR, MR, MR,
/* E */	MR, MR, MR, MR, MR, MR, MR, MR, MR, MR, MR, MR, MR, MR, MR, MR,
/* F */	MR, MR, MR, MR, MR, MR, MR, MR, MR, MR, MR, MR, MR, MR, MR, MR,
};
/* clang-format on */

#undef NO
#undef MR
#undef MB
#undef MZ
#undef IB
#undef IW
#undef IZ
#undef IV
#undef MO
#undef EN
#undef R8
#undef RZ
#undef G3
#undef CR
#undef XX

/* An inclusive range of defined opcodes in a uniform map. */
typedef struct x86_opcode_range {
	uint8_t xr_first;
	uint8_t xr_last;
} x86_opcode_range_t;

/*
 * Legacy 0F 38: SSSE3, SSE4.1/4.2, VMX/PCID invalidations, SHA, GFNI, AES
 * and Key Locker, movbe/crc32, CET wrss/wruss, adcx/adox, movdiri,
 * movdir64b/enqcmd, RAO-INT. All take ModRM and no immediate.
 */
static const x86_opcode_range_t x86_map_0f38_defined[] = {
	{0x00, 0x0b}, /* pshufb .. pmulhrsw */
	{0x10, 0x10}, /* pblendvb */
	{0x14, 0x15}, /* blendvps, blendvpd */
	{0x17, 0x17}, /* ptest */
	{0x1c, 0x1e}, /* pabsb, pabsw, pabsd */
	{0x20, 0x25}, /* pmovsx* */
	{0x28, 0x2b}, /* pmuldq, pcmpeqq, movntdqa, packusdw */
	{0x30, 0x35}, /* pmovzx* */
	{0x37, 0x41}, /* pcmpgtq, pmin*, pmax*, pmulld, phminposuw */
	{0x80, 0x82}, /* invept, invvpid, invpcid */
	{0xc8, 0xcd}, /* sha1nexte .. sha256msg2 */
	{0xcf, 0xcf}, /* gf2p8mulb */
	{0xd8, 0xd8}, /* Key Locker wide aes */
	{0xdb, 0xdf}, /* aesimc, aesenc .. aesdeclast, Key Locker */
	{0xf0, 0xf1}, /* movbe, crc32 */
	{0xf5, 0xf6}, /* wruss, adcx/adox/wrss */
	{0xf8, 0xfc}, /* movdir64b/enqcmd, movdiri, encodekey, aadd.. */
};

/* Legacy 0F 3A: SSE4.1, pclmulqdq, SSE4.2 strings, SHA, GFNI, AES, hreset. */
static const x86_opcode_range_t x86_map_0f3a_defined[] = {
	{0x08, 0x0f}, /* round*, blend*, palignr */
	{0x14, 0x17}, /* pextrb/w/d, extractps */
	{0x20, 0x22}, /* pinsrb, insertps, pinsrd */
	{0x40, 0x42}, /* dpps, dppd, mpsadbw */
	{0x44, 0x44}, /* pclmulqdq */
	{0x60, 0x63}, /* pcmpestrm .. pcmpistri */
	{0xcc, 0xcc}, /* sha1rnds4 */
	{0xce, 0xcf}, /* gf2p8affineqb, gf2p8affineinvqb */
	{0xdf, 0xdf}, /* aeskeygenassist */
	{0xf0, 0xf0}, /* hreset */
};

#define X86_NELEM(a) (sizeof(a) / sizeof((a)[0]))

/* The only way the decoder reads the caller's buffer. */
typedef struct x86_cursor {
	const uint8_t *xc_buf;
	size_t xc_len;
	uint_t xc_pos;
} x86_cursor_t;

static int x86_peek(const x86_cursor_t *xc, uint_t ahead, uint8_t *bytep)
{
	uint_t pos = xc->xc_pos + ahead;

	if (pos >= X86_INSN_MAX_LENGTH)
		return X86_ETOOLONG;
	if (pos >= xc->xc_len)
		return X86_ETRUNCATED;
	*bytep = xc->xc_buf[pos];
	return X86_OK;
}

static int x86_fetch(x86_cursor_t *xc, uint8_t *bytep)
{
	int error = x86_peek(xc, 0, bytep);

	if (error == X86_OK)
		xc->xc_pos++;
	return error;
}

/* Fetch a little-endian field of size bytes, sign-extended. */
static int x86_fetch_signed(x86_cursor_t *xc, uint_t size, int64_t *valuep)
{
	uint64_t value = 0;
	uint8_t byte;
	uint_t i;
	int error;

	for (i = 0; i < size; i++) {
		if ((error = x86_fetch(xc, &byte)) != X86_OK)
			return error;
		value |= (uint64_t)byte << (8 * i);
	}
	if (size < 8 && (value & (1ULL << (8 * size - 1))) != 0)
		value |= ~0ULL << (8 * size);
	*valuep = (int64_t)value;
	return X86_OK;
}

static boolean_t x86_in_ranges(const x86_opcode_range_t *ranges, size_t count,
			       uint8_t opcode)
{
	size_t i;

	for (i = 0; i < count; i++) {
		if (opcode >= ranges[i].xr_first && opcode <= ranges[i].xr_last)
			return B_TRUE;
	}
	return B_FALSE;
}

/* ModRM, then SIB and displacement as ModRM asks. */
static int x86_decode_modrm(x86_cursor_t *xc, x86_insn_t *xi,
			    boolean_t register_only)
{
	uint8_t modrm, sib, mod, rm;
	uint_t disp_size = 0;
	int64_t disp;
	int error;

	if ((error = x86_fetch(xc, &modrm)) != X86_OK)
		return error;
	xi->xi_modrm = modrm;
	xi->xi_flags |= X86_F_MODRM;
	mod = modrm >> 6;
	rm = modrm & 7;
	if (register_only) {
		xi->xi_flags |= X86_F_REGISTER_ONLY;
		return X86_OK;
	}
	if (mod == 3)
		return X86_OK;
	if (rm == 4) {
		if ((error = x86_fetch(xc, &sib)) != X86_OK)
			return error;
		xi->xi_sib = sib;
		xi->xi_flags |= X86_F_SIB;
		if (mod == 0 && (sib & 7) == 5)
			disp_size = 4; /* no base register */
	} else if (mod == 0 && rm == 5) {
		disp_size = 4;
		xi->xi_flags |= X86_F_RIP_RELATIVE;
	}
	if (mod == 1)
		disp_size = 1;
	else if (mod == 2)
		disp_size = 4;
	if (disp_size == 0)
		return X86_OK;
	xi->xi_disp_offset = (uint8_t)xc->xc_pos;
	xi->xi_disp_size = (uint8_t)disp_size;
	if ((error = x86_fetch_signed(xc, disp_size, &disp)) != X86_OK)
		return error;
	xi->xi_disp = disp;
	if (disp_size == 1 && xi->xi_encoding == X86_ENC_EVEX)
		xi->xi_flags |= X86_F_DISP8_SCALED;
	return X86_OK;
}

/* Fetch the immediate bytes; the first size_first of them are xi_imm. */
static int x86_decode_imm(x86_cursor_t *xc, x86_insn_t *xi, uint_t size_first,
			  uint_t size_total)
{
	int64_t value;
	int64_t ignored;
	int error;

	if (size_total == 0)
		return X86_OK;
	xi->xi_imm_offset = (uint8_t)xc->xc_pos;
	xi->xi_imm_size = (uint8_t)size_total;
	if ((error = x86_fetch_signed(xc, size_first, &value)) != X86_OK)
		return error;
	xi->xi_imm = value;
	if (size_total > size_first)
		return x86_fetch_signed(xc, size_total - size_first, &ignored);
	return X86_OK;
}

/*
 * The legacy-encoded instruction whose opcode byte is at the cursor, in
 * xi_map; prefixes and escapes are already consumed.
 */
static int x86_decode_legacy(x86_cursor_t *xc, x86_insn_t *xi)
{
	uint8_t op = xi->xi_opcode;
	uint8_t attr, reg, next;
	uint_t imm_first = 0, imm_total = 0;
	boolean_t rexw = (xi->xi_rex & 0x08) != 0;
	boolean_t opsize = (xi->xi_prefixes & X86_PFX_OPSIZE) != 0;
	int error;

	switch (xi->xi_map) {
	case X86_MAP_ONEBYTE:
		attr = x86_map_onebyte[op];
		break;
	case X86_MAP_0F:
		attr = x86_map_0f[op];
		break;
	case X86_MAP_0F38:
		if (!x86_in_ranges(x86_map_0f38_defined,
				   X86_NELEM(x86_map_0f38_defined), op))
			return X86_EINVALID;
		attr = A_MODRM;
		break;
	default:
		if (!x86_in_ranges(x86_map_0f3a_defined,
				   X86_NELEM(x86_map_0f3a_defined), op))
			return X86_EINVALID;
		attr = A_MODRM | A_IMM_B;
		break;
	}
	if (attr & A_INVALID)
		return X86_EINVALID;

	/* Checks that need only the opcode and the prefixes. */
	if (xi->xi_map == X86_MAP_0F) {
		/* popcnt is F3 0F B8; without F3 it was IA-64's jmpe. */
		if (op == 0xb8 && xi->xi_mandatory != 0xf3)
			return X86_EINVALID;
		/* ud0: Intel decodes a ModRM, AMD does not. */
		if (op == 0xff)
			return X86_EVENDOR;
	}
	if ((attr & A_IMM_MASK) == A_IMM_REL32 && opsize && !rexw)
		return X86_EVENDOR; /* AMD: rel16; Intel: 66 ignored */

	if (attr & A_MODRM) {
		/*
		 * 8F /0 is pop; any other reg field is AMD's XOP escape (map
		 * select >= 8 in the same bits) or undefined. Decide before
		 * consuming the byte as a ModRM.
		 */
		if (xi->xi_map == X86_MAP_ONEBYTE && op == 0x8f) {
			if ((error = x86_peek(xc, 0, &next)) != X86_OK)
				return error;
			if (((next >> 3) & 7) != 0)
				return (next & 0x1f) >= 8 ? X86_EUNSUPPORTED
							  : X86_EINVALID;
		}
		error = x86_decode_modrm(xc, xi, (attr & A_REGONLY) != 0);
		if (error != X86_OK)
			return error;
	}
	reg = (xi->xi_modrm >> 3) & 7;

	switch (attr & A_IMM_MASK) {
	case A_IMM_NONE:
		break;
	case A_IMM_B:
	case A_IMM_REL8:
		imm_first = 1;
		break;
	case A_IMM_W:
		imm_first = 2;
		break;
	case A_IMM_Z:
	case A_IMM_REL32:
		imm_first = (opsize && !rexw) ? 2 : 4;
		break;
	case A_IMM_V:
		imm_first = rexw ? 8 : (opsize ? 2 : 4);
		break;
	case A_IMM_MOFFS:
		imm_first = xi->xi_address_size;
		break;
	case A_IMM_ENTER:
		imm_first = 2;
		imm_total = 3;
		break;
	case A_IMM_GROUP3:
		/* test r/m, imm for /0 and its alias /1; not, neg, mul.. */
		if (reg <= 1)
			imm_first =
				(op == 0xf6) ? 1 : ((opsize && !rexw) ? 2 : 4);
		break;
	}
	if (imm_total == 0)
		imm_total = imm_first;

	/* Group members and forms whose validity or length needs ModRM. */
	if (xi->xi_map == X86_MAP_ONEBYTE) {
		uint8_t mod = xi->xi_modrm >> 6;

		switch (op) {
		case 0x8d: /* lea needs a memory operand */
			if (mod == 3)
				return X86_EINVALID;
			break;
		case 0xc6: /* mov r/m8, ib; xabort ib (C6 F8) */
			if (reg != 0 && xi->xi_modrm != 0xf8)
				return X86_EINVALID;
			break;
		case 0xc7: /* mov r/m, iz; xbegin rel (C7 F8) */
			if (xi->xi_modrm == 0xf8)
				xi->xi_flags |= X86_F_REL_BRANCH;
			else if (reg != 0)
				return X86_EINVALID;
			break;
		case 0xfe: /* inc, dec r/m8 */
			if (reg > 1)
				return X86_EINVALID;
			break;
		case 0xff: /* far call/jmp need memory */
			if (reg == 7 || ((reg == 3 || reg == 5) && mod == 3))
				return X86_EINVALID;
			break;
		}
	} else if (xi->xi_map == X86_MAP_0F) {
		uint8_t mod = xi->xi_modrm >> 6;

		switch (op) {
		case 0x0f:
			/* 3DNow!: the opcode is the trailing suffix byte. */
			xi->xi_flags |= X86_F_3DNOW;
			break;
		case 0x78:
			/* vmread; 66: extrq ib,ib; F2: insertq ib,ib */
			if (xi->xi_mandatory == 0xf3)
				return X86_EINVALID;
			if (xi->xi_mandatory == 0x66 ||
			    xi->xi_mandatory == 0xf2) {
				if (mod != 3)
					return X86_EINVALID;
				imm_first = 1;
				imm_total = 2;
			}
			break;
		case 0xa6:
		case 0xa7:
			/* VIA PadLock: register form only. */
			if (mod != 3)
				return X86_EINVALID;
			break;
		}
	}
	if (attr & A_IMM_MASK) {
		if ((attr & A_IMM_MASK) == A_IMM_REL8 ||
		    (attr & A_IMM_MASK) == A_IMM_REL32)
			xi->xi_flags |= X86_F_REL_BRANCH;
		if ((attr & A_IMM_MASK) == A_IMM_MOFFS)
			xi->xi_flags |= X86_F_MOFFS;
	}
	if (xi->xi_flags & X86_F_MOFFS) {
		/* The absolute address is reported as the displacement. */
		xi->xi_disp_offset = (uint8_t)xc->xc_pos;
		xi->xi_disp_size = (uint8_t)imm_first;
		error = x86_fetch_signed(xc, imm_first, &xi->xi_disp);
		if (error == X86_OK && imm_first == 4)
			xi->xi_disp &= 0xffffffffLL;
		return error;
	}
	return x86_decode_imm(xc, xi, imm_first, imm_total);
}

/*
 * VEX (C4/C5) or EVEX (62); the escape byte is at the cursor. Fills xi_vex,
 * the map, the opcode and the mandatory prefix, then ModRM and immediate by
 * the map's uniform rule.
 */
static int x86_decode_vex(x86_cursor_t *xc, x86_insn_t *xi, uint8_t escape)
{
	uint8_t map, pp, op;
	uint_t payload, i, imm = 0;
	boolean_t modrm = B_TRUE;
	int error;

	/* No 66, F2, F3, F0 or REX may precede VEX or EVEX. */
	if (xi->xi_prefixes & (X86_PFX_OPSIZE | X86_PFX_REPNE | X86_PFX_REP |
			       X86_PFX_LOCK | X86_PFX_REX))
		return X86_EINVALID;
	xc->xc_pos++; /* the escape byte */
	payload = (escape == 0xc5) ? 1 : ((escape == 0xc4) ? 2 : 3);
	for (i = 0; i < payload; i++) {
		if ((error = x86_fetch(xc, &xi->xi_vex[i])) != X86_OK)
			return error;
	}
	switch (escape) {
	case 0xc5:
		xi->xi_encoding = X86_ENC_VEX2;
		xi->xi_prefixes |= X86_PFX_VEX2;
		map = 1;
		pp = xi->xi_vex[0] & 3;
		break;
	case 0xc4:
		xi->xi_encoding = X86_ENC_VEX3;
		xi->xi_prefixes |= X86_PFX_VEX3;
		map = xi->xi_vex[0] & 0x1f;
		pp = xi->xi_vex[1] & 3;
		if (map == 7)
			return X86_EUNSUPPORTED; /* msr immediates */
		if (map < 1 || map > 3)
			return X86_EINVALID;
		break;
	default:
		xi->xi_encoding = X86_ENC_EVEX;
		xi->xi_prefixes |= X86_PFX_EVEX;
		map = xi->xi_vex[0] & 7;
		pp = xi->xi_vex[1] & 3;
		/*
		 * P0 bit 3 must be 0 and P1 bit 2 must be 1 before APX, which
		 * reuses both as register-extension bits, as it owns map 4.
		 */
		if ((xi->xi_vex[0] & 0x08) != 0 ||
		    (xi->xi_vex[1] & 0x04) == 0 || map == 4 || map == 7)
			return X86_EUNSUPPORTED;
		if (map == 0)
			return X86_EINVALID;
		break;
	}
	xi->xi_map = map;
	xi->xi_mandatory =
		(uint8_t)((pp == 1) ? 0x66
				    : ((pp == 2) ? 0xf3
						 : ((pp == 3) ? 0xf2 : 0)));
	xi->xi_opcode_offset = (uint8_t)xc->xc_pos;
	if ((error = x86_fetch(xc, &op)) != X86_OK)
		return error;
	xi->xi_opcode = op;

	switch (map) {
	case X86_MAP_0F:
		/* vzeroupper, vzeroall: the only VEX forms without ModRM. */
		if (op == 0x77 && xi->xi_encoding != X86_ENC_EVEX)
			modrm = B_FALSE;
		if ((op >= 0x70 && op <= 0x73) || op == 0xc2 ||
		    (op >= 0xc4 && op <= 0xc6))
			imm = 1;
		break;
	case X86_MAP_0F3A:
		imm = 1;
		break;
	default: /* 0F38, EVEX maps 5 and 6 */
		break;
	}
	if (modrm && (error = x86_decode_modrm(xc, xi, B_FALSE)) != X86_OK)
		return error;
	return x86_decode_imm(xc, xi, imm, imm);
}

/* Control-flow class of a decoded instruction. */
static uint8_t x86_classify(const x86_insn_t *xi)
{
	uint8_t op = xi->xi_opcode;
	uint8_t reg = (xi->xi_modrm >> 3) & 7;

	if (xi->xi_encoding != X86_ENC_LEGACY)
		return X86_CLASS_OTHER;
	if (xi->xi_map == X86_MAP_ONEBYTE) {
		if (op >= 0x70 && op <= 0x7f)
			return X86_CLASS_JCC_REL8;
		if (op >= 0xe0 && op <= 0xe3)
			return X86_CLASS_LOOP_REL8;
		switch (op) {
		case 0x90:
			/* 41 90 is xchg %eax,%r8d; F3 90 is pause. */
			if ((xi->xi_rex & 0x01) != 0 ||
			    (xi->xi_prefixes & X86_PFX_REP) != 0)
				return X86_CLASS_OTHER;
			return X86_CLASS_NOP;
		case 0xc2:
			return X86_CLASS_RET_IMM;
		case 0xc3:
			return X86_CLASS_RET;
		case 0xc7:
			return (xi->xi_flags & X86_F_REL_BRANCH)
				       ? X86_CLASS_XBEGIN
				       : X86_CLASS_OTHER;
		case 0xca:
		case 0xcb:
			return X86_CLASS_RET_FAR;
		case 0xcc:
			return X86_CLASS_INT3;
		case 0xcd:
		case 0xf1:
			return X86_CLASS_INT;
		case 0xcf:
			return X86_CLASS_IRET;
		case 0xe8:
			return X86_CLASS_CALL_REL32;
		case 0xe9:
			return X86_CLASS_JMP_REL32;
		case 0xeb:
			return X86_CLASS_JMP_REL8;
		case 0xff:
			switch (reg) {
			case 2:
				return X86_CLASS_CALL_INDIRECT;
			case 3:
				return X86_CLASS_CALL_FAR_INDIRECT;
			case 4:
				return X86_CLASS_JMP_INDIRECT;
			case 5:
				return X86_CLASS_JMP_FAR_INDIRECT;
			}
			break;
		}
		return X86_CLASS_OTHER;
	}
	if (xi->xi_map != X86_MAP_0F)
		return X86_CLASS_OTHER;
	if (op >= 0x80 && op <= 0x8f)
		return X86_CLASS_JCC_REL32;
	switch (op) {
	case 0x0b:
	case 0xb9:
		return X86_CLASS_UD;
	case 0x18:
		/* prefetch hints are /0-/3 on memory; the rest are nops. */
		if (reg >= 4 || (xi->xi_modrm >> 6) == 3)
			return X86_CLASS_NOP;
		break;
	case 0x19:
	case 0x1d:
	case 0x1f:
		return X86_CLASS_NOP;
	case 0x1a:
	case 0x1b:
		/* MPX bound forms; unprefixed on a register they are nops. */
		if (xi->xi_mandatory == 0 && (xi->xi_modrm >> 6) == 3)
			return X86_CLASS_NOP;
		break;
	case 0x1c:
		/* cldemote is 0F 1C /0 on memory; the rest are nops. */
		if (xi->xi_mandatory == 0 && reg == 0 &&
		    (xi->xi_modrm >> 6) != 3)
			break;
		return X86_CLASS_NOP;
	case 0x1e:
		if (xi->xi_mandatory != 0xf3)
			return X86_CLASS_NOP;
		if (xi->xi_modrm == 0xfa)
			return X86_CLASS_ENDBR64;
		if (xi->xi_modrm == 0xfb)
			return X86_CLASS_ENDBR32;
		/* rdsspd/q is F3 0F 1E /1 on a register. */
		if (reg == 1 && (xi->xi_modrm >> 6) == 3)
			break;
		return X86_CLASS_NOP;
	}
	return X86_CLASS_OTHER;
}

static void x86_insn_clear(x86_insn_t *xi)
{
	uint8_t *p = (uint8_t *)xi;
	size_t i;

	for (i = 0; i < sizeof(*xi); i++)
		p[i] = 0;
}

/*
 * Decode one instruction; see x86_decode.h.
 * Context: Any context.
 */
int x86_insn_decode(const unsigned char *buf, unsigned long len, x86_insn_t *xi)
{
	x86_cursor_t xc;
	uint8_t byte, last_rep = 0;
	int error;

	if (xi == NULL)
		return X86_EARGUMENT;
	x86_insn_clear(xi);
	if (buf == NULL)
		return X86_EARGUMENT;
	xc.xc_buf = buf;
	xc.xc_len = len;
	xc.xc_pos = 0;
	xi->xi_address_size = 8;

	/* Legacy prefixes and REX. */
	for (;;) {
		uint_t pfx = 0;

		if ((error = x86_peek(&xc, 0, &byte)) != X86_OK)
			return error;
		switch (byte) {
		case 0xf0:
			pfx = X86_PFX_LOCK;
			break;
		case 0xf2:
			pfx = X86_PFX_REPNE;
			last_rep = byte;
			break;
		case 0xf3:
			pfx = X86_PFX_REP;
			last_rep = byte;
			break;
		case 0x66:
			pfx = X86_PFX_OPSIZE;
			break;
		case 0x67:
			pfx = X86_PFX_ADDRSIZE;
			xi->xi_address_size = 4;
			break;
		case 0x2e:
			pfx = X86_PFX_CS;
			break;
		case 0x3e:
			pfx = X86_PFX_DS;
			break;
		case 0x26:
			pfx = X86_PFX_ES;
			break;
		case 0x36:
			pfx = X86_PFX_SS;
			break;
		case 0x64:
			pfx = X86_PFX_FS;
			break;
		case 0x65:
			pfx = X86_PFX_GS;
			break;
		}
		if (pfx != 0) {
			/* A REX followed by a legacy prefix is ignored. */
			xi->xi_rex = 0;
			xi->xi_prefixes &= ~X86_PFX_REX;
			xi->xi_prefixes |= (uint16_t)pfx;
		} else if ((byte & 0xf0) == 0x40) {
			xi->xi_rex = byte; /* the last REX counts */
			xi->xi_prefixes |= X86_PFX_REX;
		} else {
			break;
		}
		xc.xc_pos++;
		xi->xi_prefix_count++;
	}
	if (last_rep != 0)
		xi->xi_mandatory = last_rep;
	else if (xi->xi_prefixes & X86_PFX_OPSIZE)
		xi->xi_mandatory = 0x66;
	xi->xi_operand_size =
		(xi->xi_rex & 0x08)
			? 8
			: ((xi->xi_prefixes & X86_PFX_OPSIZE) ? 2 : 4);

	/* The opcode, through the escapes. */
	switch (byte) {
	case 0xc4:
	case 0xc5:
	case 0x62:
		error = x86_decode_vex(&xc, xi, byte);
		break;
	case 0xd5:
		return X86_EUNSUPPORTED; /* APX REX2 */
	default:
		xi->xi_map = X86_MAP_ONEBYTE;
		if (byte == 0x0f) {
			xc.xc_pos++;
			if ((error = x86_peek(&xc, 0, &byte)) != X86_OK)
				return error;
			xi->xi_map = X86_MAP_0F;
			if (byte == 0x38 || byte == 0x3a) {
				xi->xi_map = (byte == 0x38) ? X86_MAP_0F38
							    : X86_MAP_0F3A;
				xc.xc_pos++;
				error = x86_peek(&xc, 0, &byte);
				if (error != X86_OK)
					return error;
			}
		}
		xi->xi_opcode_offset = (uint8_t)xc.xc_pos;
		xi->xi_opcode = byte;
		xc.xc_pos++;
		error = x86_decode_legacy(&xc, xi);
		break;
	}
	if (error != X86_OK)
		return error;
	xi->xi_class = x86_classify(xi);
	xi->xi_length = (uint8_t)xc.xc_pos;
	return X86_OK;
}

/* Is value, taken modulo 2^64, a signed integer of size bytes? */
static boolean_t x86_fits(uint64_t value, uint_t size)
{
	uint64_t half = 1ULL << (8 * size - 1);

	return value < half || value >= (uint64_t)0 - half;
}

/*
 * Copy an instruction for execution elsewhere; see x86_decode.h.
 * Context: Any context.
 */
int x86_insn_relocate(const unsigned char *bytes, unsigned long bytes_len,
		      const x86_insn_t *xi, unsigned long long from,
		      unsigned long long to, unsigned char *out,
		      unsigned long out_len)
{
	x86_insn_t check;
	const uint8_t *a, *b;
	uint64_t value;
	uint_t offset, size, len, i;
	size_t k;

	if (bytes == NULL || xi == NULL || out == NULL)
		return X86_EARGUMENT;
	len = xi->xi_length;
	if (len == 0 || len > bytes_len || len > out_len)
		return X86_EARGUMENT;
	/* Patch only fields that these very bytes have. */
	if (x86_insn_decode(bytes, len, &check) != X86_OK)
		return X86_EARGUMENT;
	a = (const uint8_t *)&check;
	b = (const uint8_t *)xi;
	for (k = 0; k < sizeof(check); k++) {
		if (a[k] != b[k])
			return X86_EARGUMENT;
	}

	if (xi->xi_flags & X86_F_RIP_RELATIVE) {
		if (xi->xi_prefixes & X86_PFX_ADDRSIZE)
			return X86_EADDRESS32;
		offset = xi->xi_disp_offset;
		size = xi->xi_disp_size;
		value = (uint64_t)xi->xi_disp;
	} else if (xi->xi_flags & X86_F_REL_BRANCH) {
		if (xi->xi_imm_size == 2)
			return X86_EBRANCH16;
		offset = xi->xi_imm_offset;
		size = xi->xi_imm_size;
		value = (uint64_t)xi->xi_imm;
	} else {
		for (i = 0; i < len; i++)
			out[i] = bytes[i];
		return X86_OK;
	}

	/*
	 * target = from + len + old = to + len + new (mod 2^64), so
	 * new = old + from - to. The processor sign-extends the field, so
	 * the representative in [-2^63, 2^63) must fit it.
	 */
	value = value + (uint64_t)from - (uint64_t)to;
	if (!x86_fits(value, size))
		return X86_EREACH;
	for (i = 0; i < len; i++)
		out[i] = bytes[i];
	for (i = 0; i < size; i++)
		out[offset + i] = (uint8_t)(value >> (8 * i));
	return X86_OK;
}

/*
 * Absolute address of a relative operand; see x86_decode.h.
 * Context: Any context.
 */
int x86_insn_target(const x86_insn_t *xi, unsigned long long addr,
		    unsigned long long *target)
{
	uint64_t next;

	if (xi == NULL || target == NULL || xi->xi_length == 0)
		return X86_EARGUMENT;
	next = (uint64_t)addr + xi->xi_length;
	if (xi->xi_flags & X86_F_RIP_RELATIVE) {
		next += (uint64_t)xi->xi_disp;
		if (xi->xi_prefixes & X86_PFX_ADDRSIZE)
			next &= 0xffffffffULL; /* %eip wraps at 4 GB */
		*target = next;
		return X86_OK;
	}
	if (xi->xi_flags & X86_F_REL_BRANCH) {
		if (xi->xi_imm_size == 2)
			return X86_EBRANCH16;
		*target = next + (uint64_t)xi->xi_imm;
		return X86_OK;
	}
	return X86_ENOTARGET;
}

static const char *const x86_error_names[X86_NERRORS] = {
	[X86_OK] = "ok",
	[X86_ETRUNCATED] = "truncated: the buffer ends inside the instruction",
	[X86_EINVALID] = "invalid: undefined in 64-bit mode",
	[X86_ETOOLONG] = "too long: more than 15 bytes",
	[X86_EUNSUPPORTED] = "unsupported: XOP, APX or map 7 encoding",
	[X86_EVENDOR] = "vendor-specific: length differs on Intel and AMD",
	[X86_EARGUMENT] = "bad argument or stale decode result",
	[X86_EREACH] = "out of reach: displacement does not fit from there",
	[X86_EADDRESS32] = "%eip-relative operand (67 prefix)",
	[X86_EBRANCH16] = "16-bit relative branch",
	[X86_ENOTARGET] = "no relative operand",
};

static const char *const x86_class_names[X86_NCLASSES] = {
	[X86_CLASS_OTHER] = "other",
	[X86_CLASS_RET] = "ret",
	[X86_CLASS_RET_IMM] = "ret-imm16",
	[X86_CLASS_RET_FAR] = "ret-far",
	[X86_CLASS_IRET] = "iret",
	[X86_CLASS_CALL_REL32] = "call-rel32",
	[X86_CLASS_CALL_INDIRECT] = "call-indirect",
	[X86_CLASS_CALL_FAR_INDIRECT] = "call-far-indirect",
	[X86_CLASS_JMP_REL32] = "jmp-rel32",
	[X86_CLASS_JMP_REL8] = "jmp-rel8",
	[X86_CLASS_JCC_REL8] = "jcc-rel8",
	[X86_CLASS_JCC_REL32] = "jcc-rel32",
	[X86_CLASS_LOOP_REL8] = "loop-rel8",
	[X86_CLASS_JMP_INDIRECT] = "jmp-indirect",
	[X86_CLASS_JMP_FAR_INDIRECT] = "jmp-far-indirect",
	[X86_CLASS_XBEGIN] = "xbegin",
	[X86_CLASS_INT3] = "int3",
	[X86_CLASS_INT] = "int",
	[X86_CLASS_UD] = "ud",
	[X86_CLASS_ENDBR64] = "endbr64",
	[X86_CLASS_ENDBR32] = "endbr32",
	[X86_CLASS_NOP] = "nop",
};

/*
 * Name of a return code; see x86_decode.h.
 * Context: Any context.
 */
const char *x86_insn_strerror(int error)
{
	if (error < 0 || error >= X86_NERRORS)
		return "unknown error";
	return x86_error_names[error];
}

/*
 * Name of a class; see x86_decode.h.
 * Context: Any context.
 */
const char *x86_insn_class_name(int insn_class)
{
	if (insn_class < 0 || insn_class >= X86_NCLASSES)
		return "unknown class";
	return x86_class_names[insn_class];
}
