/* Fixture: abicheck must find the problems the comments name (kept unformatted). */
/* clang-format off */
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

/*
 * A run of declarations split over lines under one comment: all covered,
 * no problem. Code after them ends the comment's reach: the last one has
 * no context line.
 * Context: Any context.
 */
extern int split_first(int a,
		       int b);
extern int split_second(int a,
			int b);
extern int after_the_run;
extern int split_uncovered(int a,
			   int b);

/*
 * A parenthesis in a literal opens nothing: the code after it ends the
 * comment's reach, and the last one has no context line.
 * Context: Any context.
 */
extern const char left_paren[sizeof("(")];
extern int after_the_literal;
extern int uncovered_after_literal(void);

#endif
