// SPDX-License-Identifier: GPL-2.0
/* Fixture for semantic-patches/backport/class_create_owner.cocci. */
#include <linux/device/class.h>
#include <linux/err.h>
#include <linux/module.h>

static struct class *fixture_class;

int fixture_class_create_owner_init(const char *name);
int fixture_class_create_owner_init(const char *name)
{
	struct class *other = class_create(name);

	if (IS_ERR(other))
		return PTR_ERR(other);
	class_destroy(other);
	fixture_class = class_create("solcompat");
	return PTR_ERR_OR_ZERO(fixture_class);
}

struct class *fixture_class_create_owner_nested(void);
struct class *fixture_class_create_owner_nested(void)
{
	return fixture_class ?: class_create("solcompat-" "spare");
}
