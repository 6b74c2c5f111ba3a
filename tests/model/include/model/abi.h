/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The C ABI between the model's stand-in kernel headers (include/linux,
 * include/asm) and the model runtime (the .cc files of tests/model). The design
 * is the Big Theory Statement of tests/model/model_cpu.cc.
 *
 * Included by kernel code compiled for the model and by the C++ runtime, so
 * it includes nothing and uses only builtin types. Nothing here is a kernel
 * name: everything is model_/MODEL_ prefixed.
 */
#ifndef _MODEL_ABI_H
#define _MODEL_ABI_H

#ifdef __cplusplus
extern "C" {
#endif

/* Possible CPUs (nr_cpu_ids); per-CPU variables have this many copies. */
#define MODEL_MAX_CPUS 16

/* preempt_count layout, identical to include/linux/preempt.h. */
#define MODEL_PREEMPT_BITS 8
#define MODEL_SOFTIRQ_BITS 8
#define MODEL_HARDIRQ_BITS 4
#define MODEL_NMI_BITS 4
#define MODEL_PREEMPT_SHIFT 0
#define MODEL_SOFTIRQ_SHIFT (MODEL_PREEMPT_SHIFT + MODEL_PREEMPT_BITS)
#define MODEL_HARDIRQ_SHIFT (MODEL_SOFTIRQ_SHIFT + MODEL_SOFTIRQ_BITS)
#define MODEL_NMI_SHIFT (MODEL_HARDIRQ_SHIFT + MODEL_HARDIRQ_BITS)
#define MODEL_PREEMPT_MASK                                                     \
	(((1U << MODEL_PREEMPT_BITS) - 1) << MODEL_PREEMPT_SHIFT)
#define MODEL_SOFTIRQ_MASK                                                     \
	(((1U << MODEL_SOFTIRQ_BITS) - 1) << MODEL_SOFTIRQ_SHIFT)
#define MODEL_HARDIRQ_MASK                                                     \
	(((1U << MODEL_HARDIRQ_BITS) - 1) << MODEL_HARDIRQ_SHIFT)
#define MODEL_NMI_MASK (((1U << MODEL_NMI_BITS) - 1) << MODEL_NMI_SHIFT)
#define MODEL_PREEMPT_OFFSET (1U << MODEL_PREEMPT_SHIFT)
#define MODEL_SOFTIRQ_OFFSET (1U << MODEL_SOFTIRQ_SHIFT)
#define MODEL_HARDIRQ_OFFSET (1U << MODEL_HARDIRQ_SHIFT)
#define MODEL_NMI_OFFSET (1U << MODEL_NMI_SHIFT)

/* x86 EFLAGS.IF: what arch_local_save_flags() returns when IRQs are on. */
#define MODEL_EFLAGS_IF 0x200UL

/*
 * The hot per-CPU state. A simulated CPU is held by one task (a thread) at
 * a time, and its interrupts are signals delivered to that thread, so "this
 * CPU's state" is simply the thread's own copy (cpu is -1 while the thread
 * holds no CPU). The inline helpers of the stand-in headers read and
 * write it directly with compiler barriers (like the kernel's single
 * %gs-relative instructions); nothing else touches another CPU's copy.
 */
struct model_cpu_state {
	unsigned int preempt_count; /* the kernel's fields, see above */
	int irqs_off;		    /* lazy mask: interrupts "disabled" */
	int irq_pending;	    /* an interrupt arrived while masked */
	int nmi_pending; /* an NMI arrived during an NMI (x86 latch) */
	int cpu;	 /* simulated CPU id, -1 on any other thread */
};
extern __thread struct model_cpu_state model_cpu_self;

/* Slow paths of the inline helpers (out of line, in the runtime). */
void model_irq_replay(void);
void model_irq_restore_bogus(void);
void model_preempt_underflow(const char *api);
void model_smp_processor_id_preemptible(void);
__attribute__((__noreturn__)) void model_not_a_cpu(const char *api);

/*
 * Report a violation of a context rule: the test fails with this message,
 * completed with the context (CPU, interrupt nesting, preempt count, IRQ
 * state) and the caller. Any context.
 */
void model_violation(const char *api, const char *fmt, ...)
	__attribute__((__format__(printf, 2, 3)));

/* might_sleep(): a violation unless preemptible task context. */
void model_might_sleep(const char *file, int line, const char *func);

/* printk and panic (the kernel names are defined by the runtime). */
int model_vprintk(const char *fmt, __builtin_va_list ap)
	__attribute__((__format__(printf, 1, 0)));

/* The allocator stand-in behind kmalloc/kfree. */
void *model_kmalloc(unsigned long size, unsigned int gfp_flags,
		    unsigned int gfp_may_sleep, unsigned int gfp_zero,
		    const char *api);
void model_kfree(const void *p, const char *api);
#define MODEL_ZERO_SIZE_PTR ((void *)16)

/*
 * The spinlock stand-in. The lock word names the holder: its CPU and the
 * serial number of the interrupt frame (task, hardirq, NMI, probe) that took
 * it, so a CPU that would spin on a lock held by the code it interrupted can
 * see that at once and report it instead of hanging.
 */
struct model_spinlock {
	unsigned long long owner; /* 0 when free */
};
void model_spin_lock(struct model_spinlock *lock, const char *api);
int model_spin_trylock(struct model_spinlock *lock);
void model_spin_unlock(struct model_spinlock *lock, const char *api);

/* Interrupts. A handler takes one argument, as the kernel's csd funcs do. */
typedef void (*model_handler_t)(void *arg);

/*
 * Run fn(arg) in hardirq context on cpu, as an interrupt delivered there (a
 * signal to that CPU's thread). If the CPU has interrupts masked it runs when
 * they are re-enabled. Returns 0, or -1 if the CPU's mailbox is full or the
 * CPU is offline. Any context, any CPU (the caller's own included).
 */
int model_raise_irq(int cpu, model_handler_t fn, void *arg);

/* The same as an NMI: runs even when interrupts are masked. */
int model_raise_nmi(int cpu, model_handler_t fn, void *arg);

/*
 * Run fn(arg) as a probe handler on this CPU: a frame of its own, with
 * preemption disabled and interrupts as they are (ftrace-based kprobes on
 * the supported kernels), checked to return with both unchanged.
 */
void model_probe(model_handler_t fn, void *arg);

/* IPIs: the model's smp_call_function_single_async() (linux/smp.h). */
struct model_csd {
	unsigned int in_flight;
	void (*func)(void *info);
	void *info;
};
int model_smp_call_async(int cpu, struct model_csd *csd);

/* Bring this thread's jiffies up to date (linux/jiffies.h). */
void model_jiffies_refresh(void);

/* udelay (busy-wait). */
void model_udelay(unsigned long usecs);

/* cpu_relax(): every 64th call on a CPU yields the host core. */
extern __thread unsigned int model_cpu_relax_count;
void model_cpu_relax_yield(void);

/*
 * Tasks and credentials (linux/sched.h, linux/cred.h, linux/capability.h).
 * `current` is the task whose thread runs, in every context, as in the
 * kernel, where an interrupt runs on the interrupted task. The fields are
 * those linux/ reads. A test may change the identity and privilege of a
 * CPU's own task (model.hh SetTaskIdentity).
 */
typedef struct {
	unsigned int val;
} kuid_t;
typedef struct {
	unsigned int val;
} kgid_t;
struct cred {
	kuid_t euid;
	kgid_t egid;
	int cap_sys_admin;
};
#define MODEL_TASK_COMM_LEN 16
struct task_struct {
	int pid;
	int tgid;
	struct task_struct *group_leader;
	char comm[MODEL_TASK_COMM_LEN];
	const struct cred *cred;
	/* The scheduler's (model_task.cc), read by linux/ as the kernel's. */
	unsigned int __state;		   /* MODEL_TASK_* */
	int on_cpu;			   /* running on a CPU right now */
	int model_sigpending;		   /* signal_pending() */
	struct task_struct *model_wq_next; /* wait queue link */
	void *model_wq;			   /* the queue it is on, or NULL */
	int model_refs;			   /* get_task_struct()s not yet put */
} __attribute__((__aligned__(64))); /* as the kernel's (L1_CACHE_BYTES): code
				      may keep flags in a pointer's low bits */
struct task_struct *model_current(void);

/*
 * The scheduler (model_task.cc): tasks are host threads that run kernel code
 * only while they hold a simulated CPU. See its Big Theory Statement.
 * States as include/linux/sched.h.
 */
#define MODEL_TASK_RUNNING 0x0000u
#define MODEL_TASK_INTERRUPTIBLE 0x0001u
#define MODEL_TASK_UNINTERRUPTIBLE 0x0002u
#define MODEL_TASK_WAKEKILL 0x0100u
#define MODEL_TASK_NOLOAD 0x0400u
#define MODEL_TASK_NORMAL                                                      \
	(MODEL_TASK_INTERRUPTIBLE | MODEL_TASK_UNINTERRUPTIBLE)
/*
 * Sleep in the state current->__state holds (schedule()), for at most
 * timeout_ns (< 0: no limit). Returns the nanoseconds left (0: timed out).
 * A violation (no sleep) outside preemptible task context.
 */
long long model_schedule(long long timeout_ns, const char *api);
/* try_to_wake_up(p, state mask): 1 if p was woken. Not from NMI. */
int model_wake_up_state(struct task_struct *p, unsigned int state);
/* A task waits for this CPU (need_resched()). */
int model_need_resched(void);
/* Give the CPU to a waiting task, if any (yield(), cond_resched()). */
void model_yield(const char *api);
/* Make a signal pending on p and wake it from an interruptible sleep. */
void model_signal_task(struct task_struct *p);

/* kthreads (linux/kthread.h): created stopped, woken by wake_up_process. */
struct task_struct *model_kthread_create(int (*fn)(void *data), void *data,
					 const char *name);
int model_kthread_should_stop(void);
int model_kthread_stop(struct task_struct *p);
/* Wait until p returned (without asking it to stop); its result. */
int model_kthread_join(struct task_struct *p);

/*
 * hrtimers (linux/hrtimer.h) and workqueues (linux/workqueue.h), in
 * model_timer.cc. The runtime's part of struct hrtimer and work_struct;
 * `expires` is the kernel's (hrtimer_set_expires/forward write it).
 */
struct model_hrtimer {
	long long expires;     /* absolute CLOCK_MONOTONIC ns */
	int mode;	       /* enum hrtimer_mode */
	int cpu;	       /* where it fires: the CPU that started it */
	unsigned int state;    /* runtime flags */
	unsigned int base;     /* 0x68727472 once hrtimer_init ran */
	struct model_hrtimer *next;
	void *owner;		    /* the struct hrtimer */
	int (*call)(void *owner); /* runs owner->function */
};
void model_hrtimer_init(struct model_hrtimer *t, int mode, void *owner,
			int (*call)(void *owner));
void model_hrtimer_start(struct model_hrtimer *t, long long expires, int mode);
int model_hrtimer_try_to_cancel(struct model_hrtimer *t);
int model_hrtimer_cancel(struct model_hrtimer *t);
int model_hrtimer_active(const struct model_hrtimer *t);
/* The runtime flags, read under the runtime's lock. Not from NMI context. */
unsigned int model_hrtimer_state(const struct model_hrtimer *t);
/* model_hrtimer.state: queued on its CPU's list, not pending or running. */
#define MODEL_HRTIMER_ENQUEUED 1u

struct model_work {
	unsigned int state; /* runtime flags */
	int cpu;	    /* queued or running on */
	struct model_work *next;
	void *owner;		    /* the work_struct */
	void (*call)(void *owner); /* runs owner->func */
};
void model_work_init(struct model_work *w, void *owner,
		     void (*call)(void *owner));
int model_queue_work_on(int cpu, struct model_work *w);
int model_cancel_work_sync(struct model_work *w);
void *model_current_work(void); /* the running item's owner, or NULL */
int model_flush_work(struct model_work *w);

/* Wait queues (linux/wait.h): tasks linked through model_wq_next. */
struct model_wait_queue {
	struct task_struct *first;
};
void model_wait_prepare(struct model_wait_queue *wq, unsigned int state);
void model_wait_finish(struct model_wait_queue *wq);
void model_wake_up_queue(struct model_wait_queue *wq, int nr);
/* capable(): process context only (the kernel audits from current). */
int model_capable(int cap);

/*
 * What user space's open("/dev/<name>", O_RDWR), ioctl(cmd, arg) and
 * close do (tests/model/misc.c): 0 with the ioctl's result in *rval, or a
 * positive errno (ENOENT: no such device). Process context.
 */
int model_dev_call(const char *name, unsigned int cmd, unsigned long arg,
		   int *rval);
/* The same in three steps, for a session of several ioctls on one open
 * file: open (0 or a positive errno), ioctl (as above), close. */
struct model_dev_file;
int model_dev_open(const char *name, struct model_dev_file **fp);
int model_dev_ioctl(struct model_dev_file *f, unsigned int cmd,
		    unsigned long arg, int *rval);
void model_dev_close(struct model_dev_file *f);

/*
 * CPU hotplug states (linux/cpuhotplug.h). setup calls startup on every
 * online CPU, on that CPU in task context, and returns the dynamic state
 * (> 0); remove calls teardown the same way. May sleep.
 */
typedef int (*model_cpuhp_fn)(unsigned int cpu);
int model_cpuhp_setup_state(int state, const char *name, model_cpuhp_fn startup,
			    model_cpuhp_fn teardown, int invoke);
void model_cpuhp_remove_state(int state, int invoke);
/* Multi-instance states: the callbacks run per instance (node). */
typedef int (*model_cpuhp_multi_fn)(unsigned int cpu, void *node);
int model_cpuhp_setup_state_multi(int state, const char *name,
				  model_cpuhp_multi_fn startup,
				  model_cpuhp_multi_fn teardown);
int model_cpuhp_state_add_instance(int state, void *node, int invoke);
int model_cpuhp_state_remove_instance(int state, void *node, int invoke);
void model_cpuhp_remove_multi_state(int state);

/*
 * User memory (linux/uaccess.h): copies that fault outside the regions the
 * test registered; they check might_sleep. Results as the kernel's.
 */
unsigned long model_copy_from_user(void *to, const void *from, unsigned long n);
unsigned long model_copy_to_user(void *to, const void *from, unsigned long n);
long model_strncpy_from_user(char *dst, const char *src, long count);

/* irq_work (linux/irq_work.h); cpu -1: this CPU. Any context. */
struct irq_work;
#define MODEL_IRQ_WORK_PENDING 1u
#define MODEL_IRQ_WORK_BUSY 2u
int model_irq_work_queue(struct irq_work *work, int cpu);
void model_irq_work_sync(struct irq_work *work);

/*
 * kvmalloc/vmalloc (linux/mm.h): blocks above two pages come from a mapping
 * of their own when the flags allow blocking; is_vmalloc_addr knows them.
 * vfree in NMI context is a violation, and may sleep outside interrupts.
 */
void *model_kvmalloc(unsigned long size, unsigned int gfp_flags,
		     unsigned int may_sleep, unsigned int zero);
void model_kvfree(const void *addr);
int model_is_vmalloc_addr(const void *addr);
/*
 * The direct map (linux/mm.h's PAGE_OFFSET, high_memory): the reservation
 * holding every CPU's slab pool; vmalloc space (VMALLOC_START, VMALLOC_END):
 * the span of the vmalloc mappings so far. Any context.
 */
unsigned long model_direct_map_start(void);
unsigned long model_direct_map_end(void);
unsigned long model_vmalloc_start(void);
unsigned long model_vmalloc_end(void);
/*
 * vzalloc/vfree (linux/vmalloc.h): always a mapping of its own; vfree of
 * anything else is a violation.
 */
void *model_vzalloc(unsigned long size);
void model_vfree(const void *addr);

/* CPU bring-up state, for linux/cpumask.h. */
unsigned long model_cpu_online_mask(void);
/*
 * The same as the words of a struct cpumask (cpu_online_mask): written by
 * the runtime when CPUs start or stop, read with READ_ONCE.
 */
#define MODEL_CPUMASK_LONGS 1
extern unsigned long model_cpu_online_bits[MODEL_CPUMASK_LONGS];

/*
 * Instruction-precise interrupt injection (single-step traps). Arm on the
 * current CPU: after `countdown` instructions of the test program's own code,
 * an interrupt (kind MODEL_STEP_IRQ) or an NMI (MODEL_STEP_NMI) arrives as if
 * asynchronously, running the injection workloads. Disarm returns 1 if it
 * was delivered. Counting mode returns the number of instructions executed
 * between begin and end. See the Big Theory Statement.
 */
#define MODEL_STEP_IRQ 0
#define MODEL_STEP_NMI 1
void model_step_arm(unsigned long countdown, int kind);
int model_step_disarm(void);
void model_step_count_begin(void);
unsigned long model_step_count_end(void);

/*
 * Workloads that random interrupts and NMIs run on whatever CPU they hit
 * (the tick of a timer interrupt, the body of an NMI handler). Set by a test
 * program; NULL runs nothing. Not called concurrently with itself on one CPU
 * except nested (an NMI on top of the hardirq workload).
 */
void model_set_workloads(model_handler_t hardirq, model_handler_t nmi,
			 void *arg);

/* Module registries: module_init/module_exit, EXPORT_SYMBOL, NOKPROBE. */
struct model_initcall {
	int (*init)(void);
	void (*exit)(void);
	const char *name;
	const char *file;
};
struct model_ksym {
	const char *name;
	const void *addr;
	int gpl;
};
struct model_modinfo {
	const char *tag;
	const char *value;
};
/* module_param: type is the macro's type argument ("bool", "int", ...). */
struct model_param {
	const char *name;
	const char *type;
	void *arg;
};

#ifdef __cplusplus
}
#endif

#endif /* _MODEL_ABI_H */
