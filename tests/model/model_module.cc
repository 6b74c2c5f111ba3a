// SPDX-License-Identifier: GPL-2.0
//
// The module registries of linux/module.h and linux/kprobes.h: the linker
// gathers the records of every object linked into the test program into
// sections named after them, bounded by __start_/__stop_ symbols. The
// symbols are weak because a program may link no record of a kind.
#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <sstream>
#include <string>

#include "model.hh"
#include "model_internal.hh"

extern "C" {
#define MODEL_SECTION_BOUNDS(type, name)                                                           \
  extern type *const __start_##name[] __attribute__((weak, visibility("hidden")));                 \
  extern type *const __stop_##name[] __attribute__((weak, visibility("hidden")));
MODEL_SECTION_BOUNDS(const model_initcall, model_initcall)
MODEL_SECTION_BOUNDS(const model_ksym, model_ksymtab)
MODEL_SECTION_BOUNDS(const model_ksym, model_nokprobe)
MODEL_SECTION_BOUNDS(const model_modinfo, model_modinfo)
MODEL_SECTION_BOUNDS(const model_param, model_param)
#undef MODEL_SECTION_BOUNDS
}

namespace model {

namespace {

template <typename T> struct Section {
  T *const *begin_, *const *end_;
  T *const *begin() const { return begin_ ? begin_ : end_; }
  T *const *end() const { return end_; }
};

Section<const model_initcall> Initcalls() {
  return {__start_model_initcall, __stop_model_initcall};
}

// Sets one parameter as the kernel's param_set_* would; false if the name
// or the value is not one the module declares or accepts.
bool SetParam(const std::string &name, const std::string &value) {
  for (const model_param *p : Section<const model_param>{__start_model_param, __stop_model_param}) {
    if (name != p->name)
      continue;
    std::string type = p->type;
    char *end = nullptr;
    errno = 0;
    if (type == "bool") {
      bool v;
      if (value == "1" || value == "y" || value == "Y" || value == "true")
        v = true;
      else if (value == "0" || value == "n" || value == "N" || value == "false")
        v = false;
      else
        return false;
      *static_cast<bool *>(p->arg) = v;
      return true;
    }
    if (type == "int") {
      long v = strtol(value.c_str(), &end, 0);
      if (errno || end == value.c_str() || *end || v != static_cast<int>(v))
        return false;
      *static_cast<int *>(p->arg) = static_cast<int>(v);
      return true;
    }
    if (type == "uint" || type == "ulong") {
      unsigned long v = strtoul(value.c_str(), &end, 0);
      if (errno || end == value.c_str() || *end || value[0] == '-')
        return false;
      if (type == "uint") {
        if (v != static_cast<unsigned int>(v))
          return false;
        *static_cast<unsigned int *>(p->arg) = static_cast<unsigned int>(v);
      } else {
        *static_cast<unsigned long *>(p->arg) = v;
      }
      return true;
    }
    return false;
  }
  return false;
}

// The model's own defaults, set before SOLCOMPAT_MODEL_PARAMS (which may
// override them) where the module declares the parameter.
//  - spin_report_ms=10000: a simulated CPU is a host thread, and a loaded
//    host (a CI machine booting QEMU beside the tests) can deschedule the
//    one holding a lock for over the kernel's default second while another
//    spins; that is the host's doing, not a lock held across a sleep. Ten
//    seconds is still far below the hang watchdog (model_gtest.cc).
//  - mutex_recheck_ms=0: an adaptive mutex's sleeper re-checks the owner
//    word on a timer in the kernel, against a store-buffer reordering of
//    the scheduler's on_cpu store (linux/mutex.c). The model's context
//    switch is fully ordered, and with no re-check a lost wake-up hangs
//    the sleeper, which the hung-task check (model_task.cc) reports.
void ApplyModelDefaults() {
  SetParam("spin_report_ms", "10000");
  SetParam("mutex_recheck_ms", "0");
}

// SOLCOMPAT_MODEL_PARAMS="name=value ...": -EINVAL (and a message saying
// which) for a name the module does not declare or a value it refuses.
int ApplyParams() {
  ApplyModelDefaults();
  const char *env = getenv("SOLCOMPAT_MODEL_PARAMS");
  if (!env)
    return 0;
  std::istringstream in(env);
  std::string word;
  while (in >> word) {
    size_t eq = word.find('=');
    std::string name = word.substr(0, eq);
    std::string value = eq == std::string::npos ? "1" : word.substr(eq + 1);
    if (!SetParam(name, value)) {
      fprintf(stderr,
              "model: SOLCOMPAT_MODEL_PARAMS: unknown parameter or bad value '%s' "
              "(the module's parameters are its module_param declarations)\n",
              word.c_str());
      return -EINVAL;
    }
  }
  return 0;
}

} // namespace

int ModuleLoad() {
  int result = ApplyParams();
  if (result)
    return result;
  RunOn(0, [&] {
    for (const model_initcall *c : Initcalls())
      if (c->init && !result)
        result = c->init();
  });
  return result;
}

void ModuleUnload() {
  RunOn(0, [] {
    for (const model_initcall *c : Initcalls())
      if (c->exit)
        c->exit();
  });
}

const model_ksym *FindExport(std::string_view name) {
  for (const model_ksym *s : Section<const model_ksym>{__start_model_ksymtab, __stop_model_ksymtab})
    if (name == s->name)
      return s;
  return nullptr;
}

bool IsNoKprobe(const void *addr) {
  for (const model_ksym *s :
       Section<const model_ksym>{__start_model_nokprobe, __stop_model_nokprobe})
    if (s->addr == addr)
      return true;
  return false;
}

std::vector<std::pair<std::string, std::string>> ModInfo() {
  std::vector<std::pair<std::string, std::string>> out;
  for (const model_modinfo *m :
       Section<const model_modinfo>{__start_model_modinfo, __stop_model_modinfo})
    out.emplace_back(m->tag, m->value);
  return out;
}

} // namespace model
