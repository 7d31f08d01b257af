/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Qualcomm APSS minidump: what the crash client shows its KUnit suite.
 */

#ifndef __QCOM_MINIDUMP_CRASH_H__
#define __QCOM_MINIDUMP_CRASH_H__

#include <linux/types.h>
#include <asm/ptrace.h>

struct notifier_block;
struct task_struct;

/* Frames whose code goes into the dump, innermost first. */
#define MD_CRASH_CODE_FRAMES	16U
/* Room for the module note's text: a few "MODULE_TEXT(name)=address" lines. */
#define MD_CRASH_MODTEXT_MAX	512
#define MD_CRASH_MODULES_MAX	8

/**
 * struct md_crash_oops - the registers of an oops, for the panic after it
 * @task:	the task that oopsed, or NULL
 * @start_time:	its start time: a task_struct may be reused
 * @regs:	its registers at the fault
 */
struct md_crash_oops {
	struct task_struct *task;
	u64 start_time;
	struct pt_regs regs;
};

#if IS_ENABLED(CONFIG_KUNIT)
size_t md_crash_note_room(unsigned int cpus);
bool md_crash_module_of(unsigned long addr, const char **name, unsigned long *text);
size_t md_crash_modtext(char *text, size_t size, const unsigned long *addrs, unsigned int nr);
unsigned int md_crash_add_code_at(unsigned int cpu, const unsigned long *pc, unsigned int nr,
				  size_t *bytes);
bool md_crash_oops_matches(const struct md_crash_oops *oops, const struct task_struct *task);
bool md_crash_oops_take(struct pt_regs *regs);
int md_crash_panic(struct notifier_block *nb, unsigned long event, void *msg);
int md_crash_die(struct notifier_block *nb, unsigned long val, void *data);
#endif

#endif /* __QCOM_MINIDUMP_CRASH_H__ */
