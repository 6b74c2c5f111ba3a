// SPDX-License-Identifier: GPL-2.0
/*
 * Feature probe: class_create_name_only
 *
 * Kernel:   6.4, "driver core: class: remove module * from class_create()";
 *           before it the first argument was the owner, THIS_MODULE.
 * Yes:      class_create(name) takes the name alone.
 * Selects:  backport/class_create_owner when "no".
 */
#include <linux/device/class.h>

struct class *solcompat_probe_class_create_name_only(void);
struct class *solcompat_probe_class_create_name_only(void)
{
	return class_create("solcompat_probe");
}
