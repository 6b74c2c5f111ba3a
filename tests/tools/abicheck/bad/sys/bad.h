/* Fixture: abicheck must reject each function below. */
#ifndef _BAD_H
#define _BAD_H

/* No context line at all. */
static inline int no_context(void)
{
	return 0;
}

/*
 * A class outside the vocabulary.
 * Context: Interrupt context.
 */
static inline int bad_class(void)
{
	return 0;
}

/*
 * Only process context may sleep.
 * Context: Hardirq context. May sleep.
 */
static inline int sleeping_hardirq(void)
{
	return 0;
}

/*
 * Declared, but ABI.md has no row.
 * Context: Any context.
 */
extern int solcompat_unlisted(void);

/*
 * ABI.md disagrees.
 * Context: Process context. May sleep.
 */
extern int solcompat_mismatch(void);

#endif
