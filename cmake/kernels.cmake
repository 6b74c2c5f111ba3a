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
  linux/ddi.c
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
  solcompat/impl/ddi.h
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
  solcompat/sys/modctl.h
  solcompat/sys/conf.h
  solcompat/sys/stat.h
  solcompat/sys/file.h
  solcompat/sys/open.h
  tests/kernel/Kbuild
  tests/kernel/sctest_kmod.c
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
  tests/conformance/ddi_cases.c
  tools/kbuild-stage.sh)
list(TRANSFORM SOLCOMPAT_KERNEL_SOURCES PREPEND "${PROJECT_SOURCE_DIR}/"
     OUTPUT_VARIABLE solcompat_kernel_deps)

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
  set(kos "${stage}/solcompat.ko" "${stage}/solcompat_test.ko")
  add_custom_command(
    OUTPUT ${kos}
    COMMAND "${PROJECT_SOURCE_DIR}/tools/kbuild-stage.sh" "${release}" "${headers}" "${stage}" ${sparse_args}
    DEPENDS ${solcompat_kernel_deps}
    COMMENT "Kbuild for ${release}"
    VERBATIM)
  add_custom_target(kmod-${flavour} DEPENDS ${kos})
  add_dependencies(modules kmod-${flavour})

  add_test(NAME kernel.${flavour}
           COMMAND solcompat-vm
                   --kernel "${vmlinuz}" --release "${release}"
                   --module "${stage}/solcompat.ko" --module "${stage}/solcompat_test.ko"
                   --cpus ${SOLCOMPAT_VM_CPUS} --timeout ${SOLCOMPAT_VM_TIMEOUT}
                   --workdir "${CMAKE_BINARY_DIR}/vm/${release}"
                   --log "${SOLCOMPAT_RESULTS_DIR}/serial-${release}.log"
                   --junit "${SOLCOMPAT_RESULTS_DIR}/kernel-${release}.xml")
  set_tests_properties(kernel.${flavour} PROPERTIES LABELS "kernel" TIMEOUT 600)

  # The probe-context tier calls only into itself (STYLE.md rule 6).
  add_test(NAME kernel.${flavour}.probe-tier
           COMMAND solcompat-tiercheck "${stage}/solcompat.ko"
                   "${PROJECT_SOURCE_DIR}/tools/tiercheck/probe-tier.allow")
  set_tests_properties(kernel.${flavour}.probe-tier PROPERTIES LABELS "kernel;tools")
endforeach()

if(solcompat_kernel_count EQUAL 0)
  message(WARNING "SOLCOMPAT_KERNELS='${SOLCOMPAT_KERNELS}' matches no kernel in ${matrix_file}")
  add_test(NAME kernel.none-selected
           COMMAND sh -c "echo 'SOLCOMPAT_KERNELS matches no kernel in ${matrix_file}' >&2; exit 1")
endif()
