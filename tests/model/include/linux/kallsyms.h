/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Model stand-in for include/linux/kallsyms.h: sprint_symbol() over the
 * model's symbol table (model_kprobes.cc): the functions of the test
 * program ("vmlinux") and of each model module (a shared object, printed
 * with " [name]"), from their ELF symbol tables, with kallsyms' sizes (a
 * symbol runs to the next one).
 */
#ifndef _MODEL_LINUX_KALLSYMS_H
#define _MODEL_LINUX_KALLSYMS_H

#define KSYM_NAME_LEN 512
#define KSYM_SYMBOL_LEN (sizeof("%s+%#lx/%#lx [%s %s]") + (KSYM_NAME_LEN - 1) + \
			 2 * (64 * 3 / 10) + (56 - 1) + 1)

int sprint_symbol(char *buffer, unsigned long address);

#endif /* _MODEL_LINUX_KALLSYMS_H */
