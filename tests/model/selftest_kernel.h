/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Kernel code for the model's self-test (selftest_kernel.c), callable from
 * the C++ test. Builtin types only: included by kernel code and by C++.
 */
#ifndef _MODEL_SELFTEST_KERNEL_H
#define _MODEL_SELFTEST_KERNEL_H

#ifdef __cplusplus
extern "C" {
#endif

void st_might_sleep(void);
long st_schedule_timeout(long ticks);
void *st_kmalloc(unsigned long size, int may_sleep);
void st_kfree(const void *p);
void st_preempt_disable(void);
void st_preempt_enable(void);
unsigned long st_irq_save(void);
void st_irq_restore(unsigned long flags);
void st_irq_enable(void);
void st_irq_disable(void);
int st_irqs_disabled(void);
int st_preempt_count(void);
int st_in_nmi(void);
int st_in_hardirq(void);
int st_in_task(void);
void st_lock(void);
void st_unlock(void);
int st_trylock(void);
void st_lock_irqsave_cycle(void);
void st_lock_reset(void);
void st_percpu_set(int value);
int st_percpu_get(int cpu);
int st_smp_processor_id(void);
int st_raw_smp_processor_id(void);
unsigned int st_num_online_cpus(void);
void st_assfail(void);
void st_panic(void);
int st_module_loaded(void);
long st_module_params(void);
void st_printk(void);
void st_printk_cont(void);
unsigned long st_spin(unsigned long iterations);
extern volatile unsigned long st_spin_progress;
int st_ipi(int cpu, int *result);
/* The stand-ins added with xcall/cpu/copy/kmem in the model. */
int st_capable_admin(void);
unsigned int st_current_pid(void);
unsigned long st_copy_from_user(void *to, const void *from, unsigned long n);
void *st_kvmalloc(unsigned long size, int may_sleep);
void st_kvfree(const void *p);
int st_irq_work_queue(void);
void st_irq_work_sync(void);
extern volatile int st_irq_work_runs;
extern volatile int st_irq_work_in_hardirq;
int st_cpuhp_setup(void);
void st_cpuhp_remove(int state);
extern volatile unsigned long st_cpuhp_online_mask;
/* The scheduler. */
void st_schedule_in_state(void);
void st_sleep_forever(void);
void *st_current(void);
int st_wake(void *task);
int st_kthreads_start(int n);
void st_kthreads_go(void);
int st_kthreads_finished(void);
int st_kthreads_stop(int *sum);
extern volatile int st_kthread_cpus_seen;
/* hrtimers and workqueues. */
void st_timer_start(int soft, int runs);
int st_timer_cancel(void);
extern volatile int st_timer_runs, st_timer_cpu, st_timer_hardirq, st_timer_softirq;
int st_work_queue(int cpu);
int st_work_requeue(int cpu);
int st_work_flush(void);
extern volatile int st_work_runs, st_work_cpu, st_work_in_task;

#ifdef __cplusplus
}
#endif

#endif /* _MODEL_SELFTEST_KERNEL_H */
