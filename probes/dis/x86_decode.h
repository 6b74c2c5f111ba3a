/* SPDX-License-Identifier: GPL-2.0 */
/*
 * x86_decode.h: x86-64 instruction length and operand decoder, and the
 * %rip-relative relocation helper used to displace an instruction.
 *
 * This header includes nothing and uses only the compiler's builtin types, so
 * the same file serves the kernel module, the Solaris-style probe code (which
 * sees solcompat's <sys/types.h>) and C++ userspace tests (which see libc's).
 * The theory of operation is at the top of x86_decode.c.
 */
#ifndef _SOLCOMPAT_PROBES_DIS_X86_DECODE_H
#define _SOLCOMPAT_PROBES_DIS_X86_DECODE_H

#ifdef __cplusplus
extern "C" {
#endif

/* The architectural limit: a longer instruction raises #GP. */
#define X86_INSN_MAX_LENGTH 15

/*
 * Return codes of x86_insn_decode(), x86_insn_relocate() and
 * x86_insn_target(). Zero is success; every failure is a distinct reason.
 */
typedef enum x86_insn_error {
	X86_OK = 0,
	X86_ETRUNCATED,	  /* the buffer ends inside the instruction */
	X86_EINVALID,	  /* undefined or #UD in 64-bit mode */
	X86_ETOOLONG,	  /* the encoding needs more than 15 bytes */
	X86_EUNSUPPORTED, /* defined, deliberately not decoded: XOP, */
			  /* APX (REX2, EVEX map 4), VEX/EVEX map 7 */
	X86_EVENDOR,	  /* length differs between Intel and AMD */
	X86_EARGUMENT,	  /* NULL pointer, or x86_insn_t not from */
			  /* x86_insn_decode() of these bytes */
	X86_EREACH,	  /* relocation: target not within +-2 GB of */
			  /* the destination */
	X86_EADDRESS32,	  /* relocation: %eip-relative (67 prefix) */
	X86_EBRANCH16,	  /* relocation: 16-bit relative branch */
	X86_ENOTARGET,	  /* x86_insn_target(): no relative operand */
	X86_NERRORS
} x86_insn_error_t;

/* Where the opcode byte lives: the legacy escape maps and VEX/EVEX maps. */
typedef enum x86_insn_map {
	X86_MAP_ONEBYTE = 0, /* no escape */
	X86_MAP_0F = 1,	     /* 0F xx, VEX/EVEX map 1 */
	X86_MAP_0F38 = 2,    /* 0F 38 xx, VEX/EVEX map 2 */
	X86_MAP_0F3A = 3,    /* 0F 3A xx, VEX/EVEX map 3 */
	X86_MAP_EVEX5 = 5,   /* EVEX map 5 (AVX512-FP16) */
	X86_MAP_EVEX6 = 6    /* EVEX map 6 (AVX512-FP16) */
} x86_insn_map_t;

/* How the opcode is encoded. */
typedef enum x86_insn_encoding {
	X86_ENC_LEGACY = 0, /* legacy prefixes, optional REX */
	X86_ENC_VEX2,	    /* C5 xx */
	X86_ENC_VEX3,	    /* C4 xx xx */
	X86_ENC_EVEX	    /* 62 xx xx xx */
} x86_insn_encoding_t;

/* What the instruction does to control flow, as far as probes care. */
typedef enum x86_insn_class {
	X86_CLASS_OTHER = 0,
	X86_CLASS_RET,		     /* C3 */
	X86_CLASS_RET_IMM,	     /* C2 iw */
	X86_CLASS_RET_FAR,	     /* CB, CA iw */
	X86_CLASS_IRET,		     /* CF */
	X86_CLASS_CALL_REL32,	     /* E8 rel32 */
	X86_CLASS_CALL_INDIRECT,     /* FF /2 */
	X86_CLASS_CALL_FAR_INDIRECT, /* FF /3 (memory operand) */
	X86_CLASS_JMP_REL32,	     /* E9 rel32 */
	X86_CLASS_JMP_REL8,	     /* EB rel8 */
	X86_CLASS_JCC_REL8,	     /* 70-7F rel8 */
	X86_CLASS_JCC_REL32,	     /* 0F 80-8F rel32 */
	X86_CLASS_LOOP_REL8,	     /* E0-E3: loopne, loope, loop, jrcxz */
	X86_CLASS_JMP_INDIRECT,	     /* FF /4 */
	X86_CLASS_JMP_FAR_INDIRECT,  /* FF /5 (memory operand) */
	X86_CLASS_XBEGIN,	     /* C7 F8 rel32 (rel16 with 66) */
	X86_CLASS_INT3,		     /* CC */
	X86_CLASS_INT,		     /* CD ib, F1 (int1) */
	X86_CLASS_UD,		     /* 0F 0B ud2, 0F B9 ud1 */
	X86_CLASS_ENDBR64,	     /* F3 0F 1E FA */
	X86_CLASS_ENDBR32,	     /* F3 0F 1E FB */
	X86_CLASS_NOP,		     /* 90, 66 90, 0F 1F, hint nops */
	X86_NCLASSES
} x86_insn_class_t;

/* xi_prefixes: every prefix seen, in any order. */
#define X86_PFX_LOCK 0x0001	/* F0 */
#define X86_PFX_REPNE 0x0002	/* F2 */
#define X86_PFX_REP 0x0004	/* F3 */
#define X86_PFX_OPSIZE 0x0008	/* 66 */
#define X86_PFX_ADDRSIZE 0x0010 /* 67 */
#define X86_PFX_CS 0x0020	/* 2E (also a "branch not taken" hint) */
#define X86_PFX_DS 0x0040	/* 3E (also notrack, "branch taken") */
#define X86_PFX_ES 0x0080	/* 26 */
#define X86_PFX_SS 0x0100	/* 36 */
#define X86_PFX_FS 0x0200	/* 64 */
#define X86_PFX_GS 0x0400	/* 65 */
#define X86_PFX_REX 0x0800	/* an effective REX (see xi_rex) */
#define X86_PFX_VEX2 0x1000	/* C5 */
#define X86_PFX_VEX3 0x2000	/* C4 */
#define X86_PFX_EVEX 0x4000	/* 62 */

/* xi_flags */
#define X86_F_MODRM 0x0001	   /* xi_modrm valid; it is the byte */
				   /* after the opcode */
#define X86_F_SIB 0x0002	   /* xi_sib valid, right after ModRM */
#define X86_F_RIP_RELATIVE 0x0004  /* mod=00 rm=101: disp32 is relative */
				   /* to the next instruction's address */
#define X86_F_MOFFS 0x0008	   /* A0-A3: xi_disp is an absolute */
				   /* address of xi_disp_size bytes */
#define X86_F_REL_BRANCH 0x0010	   /* xi_imm is a branch displacement */
#define X86_F_3DNOW 0x0020	   /* 0F 0F: xi_imm is the opcode suffix */
#define X86_F_DISP8_SCALED 0x0040  /* EVEX disp8: scaled by the operand */
				   /* size at execution (xi_disp is raw) */
#define X86_F_REGISTER_ONLY 0x0080 /* 0F 20-23: ModRM.mod is ignored, */
				   /* no SIB or displacement follows */

/*
 * One decoded instruction. Fixed layout, 40 bytes, no padding holes; offsets
 * are from the first byte of the instruction (its first prefix). A field
 * whose flag or size says it is absent is zero.
 */
typedef struct x86_insn {
	unsigned char xi_length;	/*  0: 1..15 */
	unsigned char xi_encoding;	/*  1: x86_insn_encoding_t */
	unsigned char xi_map;		/*  2: x86_insn_map_t */
	unsigned char xi_opcode;	/*  3: the opcode byte within the map */
	unsigned char xi_opcode_offset; /*  4: where xi_opcode is */
	unsigned char xi_modrm;		/*  5: ModRM byte (X86_F_MODRM) */
	unsigned char xi_sib;		/*  6: SIB byte (X86_F_SIB) */
	unsigned char xi_rex;		/*  7: effective REX byte (40-4F) */
	unsigned char xi_disp_offset;	/*  8: displacement or moffs */
	unsigned char xi_disp_size;	/*  9: 0, 1, 4 or 8 (moffs) */
	unsigned char xi_imm_offset;	/* 10: first immediate byte */
	unsigned char xi_imm_size;	/* 11: all immediate bytes: 0, 1, 2, */
					/*     3 (enter iw,ib), 4 or 8 */
	unsigned char xi_class;		/* 12: x86_insn_class_t */
	unsigned char xi_mandatory;	/* 13: 0, 0x66, 0xF2 or 0xF3: the */
					/*     prefix selecting the SSE form */
					/*     (VEX/EVEX: from pp) */
	unsigned char xi_prefix_count;	/* 14: legacy and REX prefix bytes */
	unsigned char xi_operand_size;	/* 15: 2, 4 or 8 (legacy rules) */
	unsigned char xi_vex[3];	/* 16: payload after C5/C4/62 */
	unsigned char xi_address_size;	/* 19: 4 (67 prefix) or 8 */
	unsigned short xi_prefixes;	/* 20: X86_PFX_* */
	unsigned short xi_flags;	/* 22: X86_F_* */
	long long xi_disp;		/* 24: displacement, sign-extended */
					/*     (moffs: zero-extended) */
	long long xi_imm;		/* 32: first immediate, sign-extended */
					/*     from its size (enter: the iw; */
					/*     extrq/insertq: the first ib) */
} x86_insn_t;

/*
 * Decode the instruction at buf[0 .. len-1], 64-bit mode. Reads at most
 * min(len, 15) bytes and never past buf[len-1]. On success returns X86_OK and
 * fills *xi with xi_length <= len. On failure returns the reason; *xi then
 * holds what was decoded before the failure, with xi_length 0.
 * Context: Any context.
 */
int x86_insn_decode(const unsigned char *buf, unsigned long len,
		    x86_insn_t *xi);

/*
 * Copy the instruction decoded into *xi from bytes[] (bytes_len >= its
 * length) into out[] (out_len >= its length), adjusted so that an instruction
 * that ran at address from behaves the same when run at address to:
 *  - a %rip-relative disp32 is rewritten to reach the same absolute target;
 *  - a rel32 branch (call, jmp, jcc, xbegin) likewise, and a rel8 branch when
 *    the new displacement still fits in 8 bits;
 *  - any other instruction is copied unchanged.
 * Refuses (and writes nothing) with X86_EREACH when the new displacement does
 * not fit its field, X86_EADDRESS32 for %eip-relative operands and
 * X86_EBRANCH16 for 16-bit branches. A relocated call pushes the copy's
 * return address: fixing that up after a single step is the caller's job.
 * Context: Any context.
 */
int x86_insn_relocate(const unsigned char *bytes, unsigned long bytes_len,
		      const x86_insn_t *xi, unsigned long long from,
		      unsigned long long to, unsigned char *out,
		      unsigned long out_len);

/*
 * The absolute address a %rip-relative operand or a relative branch of the
 * instruction at address addr refers to, in *target. X86_ENOTARGET if the
 * instruction has neither.
 * Context: Any context.
 */
int x86_insn_target(const x86_insn_t *xi, unsigned long long addr,
		    unsigned long long *target);

/*
 * A constant, human-readable description of a return code.
 * Context: Any context.
 */
const char *x86_insn_strerror(int error);

/*
 * A constant short name for an x86_insn_class_t ("ret", "jmp-rel32" ...).
 * Context: Any context.
 */
const char *x86_insn_class_name(int insn_class);

#ifdef __cplusplus
}
#endif

#endif /* _SOLCOMPAT_PROBES_DIS_X86_DECODE_H */
