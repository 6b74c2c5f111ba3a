# SPDX-License-Identifier: GPL-2.0
#
# The kernel matrix: one Kbuild target and one boot test per kernel.
# tools/setup.sh writes ${SOLCOMPAT_CACHE}/matrix.txt, a line per kernel:
#   <flavour> <release> <headers dir> <vmlinuz path>

# Every file Kbuild compiles or includes; the staging script copies these.
# Explicit on purpose (STYLE.md): a new file is added here and to its Kbuild.
set(SOLCOMPAT_KERNEL_SOURCES
  linux/Kbuild
  linux/module.c
  linux/debug.c
  linux/list.c
  linux/avl.c
  linux/spl.c
  linux/xcall.c
  linux/time.c
  linux/kmem.c
  linux/vmem.c
  linux/cmn_err.c
  linux/copy.c
  linux/cpu.c
  linux/cyclic.c
  linux/taskq.c
  linux/sleepq.c
  linux/sleepq.h
  linux/mutex.c
  linux/rwlock.c
  linux/condvar.c
  linux/sema.c
  linux/ddi.c
  linux/trap.c
  linux/modglue.h
  linux/solcompat_init.h
  solcompat/impl/types.h
  solcompat/impl/debug.h
  solcompat/impl/list.h
  solcompat/impl/avl.h
  solcompat/impl/spl.h
  solcompat/impl/xcall.h
  solcompat/impl/time.h
  solcompat/impl/kmem.h
  solcompat/impl/vmem.h
  solcompat/impl/cmn_err.h
  solcompat/impl/copy.h
  solcompat/impl/cpu.h
  solcompat/impl/cyclic.h
  solcompat/impl/taskq.h
  solcompat/impl/mutex.h
  solcompat/impl/rwlock.h
  solcompat/impl/condvar.h
  solcompat/impl/sema.h
  solcompat/impl/ddi.h
  solcompat/impl/trap.h
  solcompat/sys/types.h
  solcompat/sys/debug.h
  solcompat/sys/sysmacros.h
  solcompat/sys/bitmap.h
  solcompat/sys/list.h
  solcompat/sys/avl.h
  solcompat/sys/atomic.h
  solcompat/sys/systm.h
  solcompat/sys/dtrace_subr.h
  solcompat/sys/x_call.h
  solcompat/sys/time.h
  solcompat/sys/kmem.h
  solcompat/sys/vmem.h
  solcompat/sys/sunddi.h
  solcompat/sys/ddi.h
  solcompat/sys/cmn_err.h
  solcompat/sys/varargs.h
  solcompat/sys/errno.h
  solcompat/sys/cpuvar.h
  solcompat/sys/disp.h
  solcompat/sys/thread.h
  solcompat/sys/proc.h
  solcompat/sys/cred.h
  solcompat/sys/cyclic.h
  solcompat/sys/taskq.h
  solcompat/sys/mutex.h
  solcompat/sys/rwlock.h
  solcompat/sys/condvar.h
  solcompat/sys/semaphore.h
  solcompat/sys/ddi_intr.h
  solcompat/sys/modctl.h
  solcompat/sys/conf.h
  solcompat/sys/stat.h
  solcompat/sys/file.h
  solcompat/sys/open.h
  solcompat/sys/trap_probe.h
  solcompat/sys/probe_context.h
  tests/kernel/Kbuild
  tests/kernel/sctest_kmod.c
  tests/kernel/fbt_test_kmod.c
  tests/conformance/sctest.h
  tests/conformance/families.c
  tests/conformance/types_cases.c
  tests/conformance/debug_cases.c
  tests/conformance/atomic_cases.c
  tests/conformance/sysmacros_cases.c
  tests/conformance/list_cases.c
  tests/conformance/avl_cases.c
  tests/conformance/spl_cases.c
  tests/conformance/xcall_cases.c
  tests/conformance/time_cases.c
  tests/conformance/kmem_cases.c
  tests/conformance/vmem_cases.c
  tests/conformance/cmn_err_cases.c
  tests/conformance/copy_cases.c
  tests/conformance/cpu_cases.c
  tests/conformance/cyclic_cases.c
  tests/conformance/taskq_cases.c
  tests/conformance/mutex_cases.c
  tests/conformance/rwlock_cases.c
  tests/conformance/condvar_cases.c
  tests/conformance/sema_cases.c
  tests/conformance/ddi_cases.c
  tests/conformance/fbt_cases.c
  probes/fbt.c
  probes/dis/x86_decode.c
  probes/dis/x86_decode.h
  probes/sys/fbt.h
  probes/Kbuild
  probes/sys/dtrace.h
  probes/sys/dtrace_impl.h
  probes/sys/dtrace_ioctl.h
  probes/sys/sdt.h
  probes/sys/sdt_test.h
  probes/dtrace.c
  probes/dtrace_match.c
  probes/dtrace_state.c
  probes/dtrace_buffer.c
  probes/dtrace_aggregate.c
  probes/dtrace_probe_ctx.c
  probes/dtrace_dev.c
  probes/profile.c
  probes/sdt.c
  probes/sdt_test.c
  probes/sdt_test_mod.c
  linux/glue_dtrace.c
  linux/glue_sdt_test.c
  tests/kernel/dtrace_test_kmod.c
  tests/conformance/dtrace_cases.c
  tests/bench/Kbuild
  tests/bench/bench_kmod.c
  tests/bench/bench_pairs.c
  tests/bench/bench_pairs.h
  tools/kbuild-stage.sh)
list(TRANSFORM SOLCOMPAT_KERNEL_SOURCES PREPEND "${PROJECT_SOURCE_DIR}/"
     OUTPUT_VARIABLE solcompat_kernel_deps)
# The list is what makes an edit rebuild the modules (the staging copies
# whole directories): a kernel-side file missing from it is an error here,
# not a stale module later.
file(GLOB_RECURSE kernel_side_files CONFIGURE_DEPENDS RELATIVE "${PROJECT_SOURCE_DIR}"
     "${PROJECT_SOURCE_DIR}/linux/*" "${PROJECT_SOURCE_DIR}/solcompat/*.h"
     "${PROJECT_SOURCE_DIR}/probes/*.c" "${PROJECT_SOURCE_DIR}/probes/*.h"
     "${PROJECT_SOURCE_DIR}/probes/Kbuild"
     "${PROJECT_SOURCE_DIR}/tests/kernel/*.c" "${PROJECT_SOURCE_DIR}/tests/kernel/Kbuild"
     "${PROJECT_SOURCE_DIR}/tests/bench/*.c" "${PROJECT_SOURCE_DIR}/tests/bench/*.h"
     "${PROJECT_SOURCE_DIR}/tests/bench/Kbuild")
list(REMOVE_ITEM kernel_side_files ${SOLCOMPAT_KERNEL_SOURCES})
if(kernel_side_files)
  list(JOIN kernel_side_files " " unlisted)
  message(FATAL_ERROR "cmake/kernels.cmake: not in SOLCOMPAT_KERNEL_SOURCES, so editing "
                      "them would not rebuild the kernel modules: ${unlisted}. Add them to the list.")
endif()
# The staging applies semantic patches: a changed rule, probe or series
# rebuilds the modules too.
file(GLOB_RECURSE solcompat_cocci_deps CONFIGURE_DEPENDS
     "${PROJECT_SOURCE_DIR}/semantic-patches/*.sh"
     "${PROJECT_SOURCE_DIR}/semantic-patches/*.cocci"
     "${PROJECT_SOURCE_DIR}/semantic-patches/probes/*.c")
list(APPEND solcompat_kernel_deps ${solcompat_cocci_deps}
     "${PROJECT_SOURCE_DIR}/semantic-patches/series"
     "${PROJECT_SOURCE_DIR}/semantic-patches/macros.h")

set(matrix_file "${SOLCOMPAT_CACHE}/matrix.txt")
set(solcompat_kernel_count 0)
add_custom_target(modules ALL)

if(NOT EXISTS "${matrix_file}")
  message(WARNING "No kernel matrix at ${matrix_file}: run tools/setup.sh as root. "
                  "The kernel tests will fail until then.")
  add_test(NAME kernel.matrix-missing
           COMMAND sh -c "echo 'no kernel matrix at ${matrix_file}: run tools/setup.sh as root' >&2; exit 1")
  return()
endif()

file(STRINGS "${matrix_file}" matrix_lines)
set(sparse_args)
if(SOLCOMPAT_SPARSE)
  find_program(SPARSE_PROGRAM sparse)
  if(SPARSE_PROGRAM)
    set(sparse_args C=1 CHECK=${SPARSE_PROGRAM})
  else()
    message(WARNING "sparse not found: kernel build runs without it (tools/setup.sh installs it)")
  endif()
endif()

# One QEMU boot test: solcompat-vm boots vmlinuz on cpus vCPUs with the given modules,
# files and parameters (ARGN), serial log and JUnit results named after the
# release plus suffix; boots of one release share its Kbuild stage.
# Optional TIMEOUT <s> replaces SOLCOMPAT_VM_TIMEOUT for this boot; COST <s>
# is about how long it takes under TCG: ctest starts the costliest tests
# first, so a long boot does not start last and run alone (a fresh clone
# has no timing history to order by).
function(solcompat_boot_test name suffix release vmlinuz cpus)
  cmake_parse_arguments(PARSE_ARGV 5 boot "" "TIMEOUT;COST" "")
  if(NOT boot_TIMEOUT)
    set(boot_TIMEOUT ${SOLCOMPAT_VM_TIMEOUT})
  endif()
  if(NOT boot_COST)
    set(boot_COST 60)
  endif()
  add_test(NAME ${name}
           COMMAND solcompat-vm
                   --kernel "${vmlinuz}" --release "${release}" ${boot_UNPARSED_ARGUMENTS}
                   --cpus ${cpus} --timeout ${boot_TIMEOUT}
                   --workdir "${CMAKE_BINARY_DIR}/vm/${release}${suffix}"
                   --log "${SOLCOMPAT_RESULTS_DIR}/serial-${release}${suffix}.log"
                   --junit "${SOLCOMPAT_RESULTS_DIR}/kernel-${release}${suffix}.xml")
  # ctest's own limit: the boot's, plus time to build the initramfs.
  math(EXPR ctest_timeout "${boot_TIMEOUT} + 60")
  if(ctest_timeout LESS 600)
    set(ctest_timeout 600)
  endif()
  set_tests_properties(${name} PROPERTIES LABELS "kernel" TIMEOUT ${ctest_timeout}
                       COST ${boot_COST} RESOURCE_LOCK kbuild-${release})
endfunction()

foreach(line IN LISTS matrix_lines)
  string(REPLACE " " ";" fields "${line}")
  list(GET fields 0 flavour)
  list(GET fields 1 release)
  list(GET fields 2 headers)
  list(GET fields 3 vmlinuz)
  if(NOT SOLCOMPAT_KERNELS STREQUAL "all")
    if(NOT flavour IN_LIST SOLCOMPAT_KERNELS AND NOT release IN_LIST SOLCOMPAT_KERNELS)
      continue()
    endif()
  endif()
  math(EXPR solcompat_kernel_count "${solcompat_kernel_count} + 1")

  set(stage "${CMAKE_BINARY_DIR}/kbuild/${release}")
  set(kos "${stage}/solcompat.ko" "${stage}/solcompat_test.ko" "${stage}/dtrace.ko"
          "${stage}/dtrace_test.ko" "${stage}/sdt_test.ko" "${stage}/fbt_test.ko")
  add_custom_command(
    OUTPUT ${kos}
    COMMAND "${PROJECT_SOURCE_DIR}/tools/kbuild-stage.sh" "${release}" "${headers}" "${stage}" ${sparse_args}
    DEPENDS ${solcompat_kernel_deps}
    COMMENT "Kbuild for ${release}"
    VERBATIM)
  add_custom_target(kmod-${flavour} DEPENDS ${kos})
  add_dependencies(modules kmod-${flavour})

  # The main boot loads solcompat with the kmem debug header (wrong-size
  # and double frees checked); the other boots run without it, the default.
  # The boots that run the lock families (main, hotplug, smp4) also set
  # mutex_recheck_ms=0: an adaptive mutex's sleeper is then woken only by
  # a release, so a wake-up the protocol loses hangs the case (and fails
  # the boot) instead of costing 100 ms unseen. The re-check exists for a
  # store-buffer reordering (linux/mutex.c) that single-threaded TCG, which
  # runs all vCPUs in turn on one host thread, cannot produce.
  # Single-threaded TCG, as fbt-many and smp4 below: fbt's cases arm and
  # disarm kprobes (text patching) while a timer on the other vCPU runs the
  # probed function, and on multi-threaded TCG a 6.12-rt boot jumped to
  # address 0 at the entry of that function right after its probes were
  # removed (the RIP-0 signature of the stale translations seen before).
  # Every boot here is single-threaded TCG: the hotplug boots kept
  # multi-threaded TCG (no kprobes) until one crashed at boot, before any
  # module, with "Oops: int3" in sched_clock_cpu (the kernel patching its
  # own text), as smp4 boots did before: a fault of the emulator's
  # multi-threaded mode, not of the code under test. Truly parallel CPUs
  # are the userspace model's (host threads, and ThreadSanitizer).
  solcompat_boot_test(kernel.${flavour} "" "${release}" "${vmlinuz}" ${SOLCOMPAT_VM_CPUS}
    --accel tcg-single
    --module "${stage}/solcompat.ko" --params "solcompat.ko=kmem_debug=1 mutex_recheck_ms=0"
    --module "${stage}/solcompat_test.ko"
    --module "${stage}/dtrace.ko" --module "${stage}/dtrace_test.ko"
    --module "${stage}/fbt_test.ko"
    --module "${stage}/sdt_test.ko"
    --file "$<TARGET_FILE:soltrace>:/bin/soltrace"
    --file "$<TARGET_FILE:solcompat-dtrace-misuse>:/bin/solcompat-dtrace-misuse"
    --file "${PROJECT_SOURCE_DIR}/tests/kernel/trace_smoke.sh:/trace_smoke.sh"
    --run "sh /trace_smoke.sh")

  # CPU hotplug in a boot of its own: the conformance cases again with
  # solcompat_test.hotplug=1 (cyclic.omni_follows_cpu_hotplug takes a CPU
  # offline and back), and no kprobe test after it (see sctest_kmod.c).
  # With leak_cyclics=1 the module leaves two cyclics added; leak_check.sh
  # unloads it and checks that solcompat reported and removed both.
  solcompat_boot_test(kernel.${flavour}.hotplug "-hotplug" "${release}" "${vmlinuz}"
    ${SOLCOMPAT_VM_CPUS} --accel tcg-single
    --module "${stage}/solcompat.ko" --module "${stage}/solcompat_test.ko"
    --params "solcompat.ko=mutex_recheck_ms=0"
    --params "solcompat_test.ko=hotplug=1 leak_cyclics=1"
    --file "${PROJECT_SOURCE_DIR}/tests/kernel/leak_check.sh:/leak_check.sh"
    --run "sh /leak_check.sh")

  # Thousands of kernel functions probed at once, under a workload
  # (fbt.many_functions_enabled with fbt_test.many=<prefix>), in a boot of
  # its own: every function whose name starts with SOLCOMPAT_FBT_MANY_PREFIX
  # gets entry and return probes, all enabled, then all removed.
  # Single-threaded TCG, as for smp4 below: arming and disarming thousands
  # of kprobes is text patching, which multi-threaded TCG was seen to run
  # stale (and it is faster here: one thread, no cross-vCPU flushes).
  # The default prefix "a" is about 3300 functions and 5600-6000 probes:
  # about 40-60 s a boot under TCG (6.12: 32 s registering the kprobes,
  # about 12 s arming, 5 s disarming). Entry points are armed in one ftrace
  # update per batch (linux/trap.c, "Batched entry points"); armed one
  # kprobe at a time, each an ftrace update of about 17 ms here, the same
  # boot took 190 s (55 s arming, 55-65 s disarming).
  solcompat_boot_test(kernel.${flavour}.fbt-many "-fbt-many" "${release}" "${vmlinuz}"
    ${SOLCOMPAT_VM_CPUS} --accel tcg-single
    TIMEOUT ${SOLCOMPAT_FBT_MANY_TIMEOUT}
    --module "${stage}/solcompat.ko" --module "${stage}/fbt_test.ko"
    --params "fbt_test.ko=many=${SOLCOMPAT_FBT_MANY_PREFIX}")

  # Cross-calls, cyclics and locks on four vCPUs (the other boots have
  # SOLCOMPAT_VM_CPUS): every CPU cross-calling every other with interrupts
  # off, per-CPU cyclic accuracy, and the lock families' cases with their
  # stress (kthreads plus an hrtimer handler per CPU on the same locks). Single-threaded TCG: with four vCPU
  # threads on two host cores, multi-threaded TCG ran a stale translation
  # of text the kernel had just patched (an "Oops: int3" at boot, before
  # any module, 1 boot in 16); one thread for all vCPUs is also faster here
  # (6 s against 10-25 s).
  solcompat_boot_test(kernel.${flavour}.smp4 "-smp4" "${release}" "${vmlinuz}" 4
    --accel tcg-single
    --module "${stage}/solcompat.ko" --module "${stage}/solcompat_test.ko"
    --params "solcompat.ko=mutex_recheck_ms=0"
    --params "solcompat_test.ko=families=xcall,cyclic,mutex,rwlock,sema,condvar")

  # The probe-context tier calls only into itself (STYLE.md rule 6).
  add_test(NAME kernel.${flavour}.probe-tier
           COMMAND solcompat-tiercheck "${stage}/solcompat.ko"
                   "${PROJECT_SOURCE_DIR}/tools/tiercheck/probe-tier.allow")
  add_test(NAME kernel.${flavour}.probe-tier-dtrace
           COMMAND solcompat-tiercheck "${stage}/dtrace.ko"
                   "${PROJECT_SOURCE_DIR}/probes/probe_context.allow")
  # They read the staged modules, which cocci.apply.<flavour> rebuilds.
  set_tests_properties(kernel.${flavour}.probe-tier kernel.${flavour}.probe-tier-dtrace
                       PROPERTIES LABELS "kernel;tools" RESOURCE_LOCK kbuild-${release})
endforeach()

if(solcompat_kernel_count EQUAL 0)
  message(WARNING "SOLCOMPAT_KERNELS='${SOLCOMPAT_KERNELS}' matches no kernel in ${matrix_file}")
  add_test(NAME kernel.none-selected
           COMMAND sh -c "echo 'SOLCOMPAT_KERNELS matches no kernel in ${matrix_file}' >&2; exit 1")
endif()
