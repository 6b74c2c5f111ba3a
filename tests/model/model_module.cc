// SPDX-License-Identifier: GPL-2.0
//
// The module registries of linux/module.h and linux/kprobes.h: the linker
// gathers the records of every object linked into the test program into
// sections named after them, bounded by __start_/__stop_ symbols. The
// symbols are weak because a program may link no record of a kind.
#include <cstring>

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

} // namespace

int ModuleLoad() {
  int result = 0;
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
