// SPDX-License-Identifier: GPL-2.0
//
// Credentials checks and CPU hotplug states of the kernel model.
//
// Tasks are model_task.cc's. Each runs as root with CAP_SYS_ADMIN unless a
// test changes a CPU's boot task (SetTaskIdentity). capable() is a
// violation outside process context.
//
// Dynamic CPU hotplug states: cpuhp_setup_state() runs the startup
// callback on every online CPU, on that CPU in task context (directly when
// it is the caller's CPU, else as work posted to it while the caller
// waits, as the kernel's cpuhp threads do), unwinding with the teardown
// callback if one fails; cpuhp_remove_state() runs teardown the same way.
// Both may sleep (might_sleep is checked). The model's CPUs do not change
// while states are registered: Boot() with another CPU count between module
// loads is the only hotplug there is (a known gap, see model_cpu.cc).
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <mutex>

#include "model.hh"
#include "model_internal.hh"

namespace model {

namespace {

constexpr int kDynFirst = 200, kDynLast = 230; // CPUHP_AP_ONLINE_DYN.._END

struct HpState {
  bool used = false;
  const char *name = nullptr;
  model_cpuhp_fn startup = nullptr;
  model_cpuhp_fn teardown = nullptr;
  bool multi = false;
  model_cpuhp_multi_fn multi_startup = nullptr;
  model_cpuhp_multi_fn multi_teardown = nullptr;
  int instances = 0;
};
std::mutex hp_mutex;
HpState hp_states[kDynLast - kDynFirst];

// Run fn(cpu) on `cpu` in task context; its result.
int RunCallback(model_cpuhp_fn fn, int cpu) {
  if (!fn)
    return 0;
  if (cpu == model_cpu_self.cpu)
    return fn(unsigned(cpu));
  int result = 0;
  RunResult r = RunOn(cpu, [&] { result = fn(unsigned(cpu)); });
  if (r.aborted)
    return -EIO;
  return result;
}

} // namespace

} // namespace model

using namespace model;

extern "C" int model_capable(int cap) {
  if (model_cpu_self.preempt_count & (MODEL_HARDIRQ_MASK | MODEL_NMI_MASK)) {
    model_violation("capable",
                    "capable(%d) outside process context: it audits and reads "
                    "current's credentials",
                    cap);
    return 0;
  }
  return cap == 21 /* CAP_SYS_ADMIN */ ? model_current()->cred->cap_sys_admin : 0;
}

extern "C" int model_cpuhp_setup_state(int state, const char *name, model_cpuhp_fn startup,
                                       model_cpuhp_fn teardown, int invoke) {
  model_might_sleep(__FILE__, __LINE__, "cpuhp_setup_state");
  if (state != kDynFirst) {
    model_violation("cpuhp_setup_state", "state %d: the model has only CPUHP_AP_ONLINE_DYN", state);
    return -EINVAL;
  }
  int slot = -1;
  {
    std::lock_guard<std::mutex> lock(hp_mutex);
    for (int i = 0; i < kDynLast - kDynFirst; i++)
      if (!hp_states[i].used) {
        hp_states[i] = {true, name, startup, teardown, false, nullptr, nullptr, 0};
        slot = i;
        break;
      }
  }
  if (slot < 0)
    return -ENOSPC;
  if (invoke) {
    unsigned long online = model_cpu_online_mask();
    for (int cpu = 0; cpu < MODEL_MAX_CPUS; cpu++) {
      if (!(online >> cpu & 1))
        continue;
      int err = RunCallback(startup, cpu);
      if (err) {
        for (int undo = 0; undo < cpu; undo++)
          if (online >> undo & 1)
            RunCallback(teardown, undo);
        std::lock_guard<std::mutex> lock(hp_mutex);
        hp_states[slot].used = false;
        return err;
      }
    }
  }
  return kDynFirst + slot + 1;
}

extern "C" void model_cpuhp_remove_state(int state, int invoke) {
  model_might_sleep(__FILE__, __LINE__, "cpuhp_remove_state");
  int slot = state - kDynFirst - 1;
  if (slot < 0 || slot >= kDynLast - kDynFirst || !hp_states[slot].used) {
    model_violation("cpuhp_remove_state", "state %d was not set up", state);
    return;
  }
  if (invoke) {
    unsigned long online = model_cpu_online_mask();
    for (int cpu = 0; cpu < MODEL_MAX_CPUS; cpu++)
      if (online >> cpu & 1)
        RunCallback(hp_states[slot].teardown, cpu);
  }
  std::lock_guard<std::mutex> lock(hp_mutex);
  hp_states[slot].used = false;
}

namespace {

int HpSlot(int state, const char *api) {
  int slot = state - kDynFirst - 1;
  if (slot < 0 || slot >= kDynLast - kDynFirst || !hp_states[slot].used || !hp_states[slot].multi) {
    model_violation(api, "state %d is not a multi-instance state that was set up", state);
    return -1;
  }
  return slot;
}

int RunMulti(model_cpuhp_multi_fn fn, int cpu, void *node) {
  if (!fn)
    return 0;
  if (cpu == model_cpu_self.cpu)
    return fn(unsigned(cpu), node);
  int result = 0;
  RunResult r = RunOn(cpu, [&] { result = fn(unsigned(cpu), node); });
  return r.aborted ? -EIO : result;
}

} // namespace

extern "C" int model_cpuhp_setup_state_multi(int state, const char *name,
                                             model_cpuhp_multi_fn startup,
                                             model_cpuhp_multi_fn teardown) {
  model_might_sleep(__FILE__, __LINE__, "cpuhp_setup_state_multi");
  if (state != kDynFirst) {
    model_violation("cpuhp_setup_state_multi", "state %d: the model has only CPUHP_AP_ONLINE_DYN",
                    state);
    return -EINVAL;
  }
  std::lock_guard<std::mutex> lock(hp_mutex);
  for (int i = 0; i < kDynLast - kDynFirst; i++)
    if (!hp_states[i].used) {
      hp_states[i] = {true, name, nullptr, nullptr, true, startup, teardown, 0};
      return kDynFirst + i + 1;
    }
  return -ENOSPC;
}

extern "C" int model_cpuhp_state_add_instance(int state, void *node, int invoke) {
  model_might_sleep(__FILE__, __LINE__, "cpuhp_state_add_instance");
  int slot = HpSlot(state, "cpuhp_state_add_instance");
  if (slot < 0)
    return -EINVAL;
  if (invoke) {
    unsigned long online = model_cpu_online_mask();
    for (int cpu = 0; cpu < MODEL_MAX_CPUS; cpu++) {
      if (!(online >> cpu & 1))
        continue;
      int err = RunMulti(hp_states[slot].multi_startup, cpu, node);
      if (err) {
        for (int undo = 0; undo < cpu; undo++)
          if (online >> undo & 1)
            RunMulti(hp_states[slot].multi_teardown, undo, node);
        return err;
      }
    }
  }
  std::lock_guard<std::mutex> lock(hp_mutex);
  hp_states[slot].instances++;
  return 0;
}

extern "C" int model_cpuhp_state_remove_instance(int state, void *node, int invoke) {
  model_might_sleep(__FILE__, __LINE__, "cpuhp_state_remove_instance");
  int slot = HpSlot(state, "cpuhp_state_remove_instance");
  if (slot < 0)
    return -EINVAL;
  if (invoke) {
    unsigned long online = model_cpu_online_mask();
    for (int cpu = 0; cpu < MODEL_MAX_CPUS; cpu++)
      if (online >> cpu & 1)
        RunMulti(hp_states[slot].multi_teardown, cpu, node);
  }
  std::lock_guard<std::mutex> lock(hp_mutex);
  hp_states[slot].instances--;
  return 0;
}

extern "C" void model_cpuhp_remove_multi_state(int state) {
  model_might_sleep(__FILE__, __LINE__, "cpuhp_remove_multi_state");
  int slot = HpSlot(state, "cpuhp_remove_multi_state");
  if (slot < 0)
    return;
  std::lock_guard<std::mutex> lock(hp_mutex);
  if (hp_states[slot].instances)
    model_violation("cpuhp_remove_multi_state", "state %d still has %d instances", state,
                    hp_states[slot].instances);
  hp_states[slot].used = false;
}
