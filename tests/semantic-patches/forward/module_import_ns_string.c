// SPDX-License-Identifier: GPL-2.0
/* Fixture for semantic-patches/forward/module_import_ns_string.cocci. */
#define DEFAULT_SYMBOL_NAMESPACE SOLCOMPAT_DEFAULT
#include <linux/export.h>
#include <linux/module.h>

int fixture_ns_exported(void);
int fixture_ns_exported(void)
{
	return 0;
}
EXPORT_SYMBOL_NS_GPL(fixture_ns_exported, SOLCOMPAT);

int fixture_ns_exported_any(void);
int fixture_ns_exported_any(void)
{
	return 1;
}
EXPORT_SYMBOL_NS(fixture_ns_exported_any, SOLCOMPAT_ANY);

MODULE_IMPORT_NS(DMA_BUF);
MODULE_IMPORT_NS(CRYPTO_INTERNAL);
