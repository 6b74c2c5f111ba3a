/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Model stand-in for the parts of include/linux/cpuhotplug.h that linux/
 * uses: dynamic online states, single and multi-instance (the callbacks
 * then run per instance, when it is added or removed). The runtime runs the
 * callbacks on each online CPU, on that CPU, in task context, and checks
 * might_sleep at the call. The model's CPUs do not go on- or offline while a
 * state is set up (a test that changes the CPU count does so between module
 * loads).
 */
#ifndef _MODEL_LINUX_CPUHOTPLUG_H
#define _MODEL_LINUX_CPUHOTPLUG_H

#include <linux/list.h>
#include <linux/types.h>
#include <model/abi.h>

enum cpuhp_state {
	CPUHP_INVALID = -1,
	CPUHP_OFFLINE = 0,
	CPUHP_AP_ONLINE_DYN = 200,
	CPUHP_AP_ONLINE_DYN_END = 230,
};

static inline int cpuhp_setup_state(enum cpuhp_state state, const char *name,
				    int (*startup)(unsigned int cpu),
				    int (*teardown)(unsigned int cpu))
{
	return model_cpuhp_setup_state(state, name, startup, teardown, 1);
}

static inline void cpuhp_remove_state(enum cpuhp_state state)
{
	model_cpuhp_remove_state(state, 1);
}

static inline int cpuhp_setup_state_multi(
	enum cpuhp_state state, const char *name,
	int (*startup)(unsigned int cpu, struct hlist_node *node),
	int (*teardown)(unsigned int cpu, struct hlist_node *node))
{
	return model_cpuhp_setup_state_multi(state, name,
					     (model_cpuhp_multi_fn)startup,
					     (model_cpuhp_multi_fn)teardown);
}

static inline int cpuhp_state_add_instance(enum cpuhp_state state,
					   struct hlist_node *node)
{
	return model_cpuhp_state_add_instance(state, node, 1);
}

static inline int cpuhp_state_remove_instance(enum cpuhp_state state,
					      struct hlist_node *node)
{
	return model_cpuhp_state_remove_instance(state, node, 1);
}

static inline void cpuhp_remove_multi_state(enum cpuhp_state state)
{
	model_cpuhp_remove_multi_state(state);
}

#endif /* _MODEL_LINUX_CPUHOTPLUG_H */
