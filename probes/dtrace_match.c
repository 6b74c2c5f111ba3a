// SPDX-License-Identifier: GPL-2.0
/*
 * Probe description matching: the glob patterns of provider:module:
 * function:name.
 *
 * Big Theory Statement
 * --------------------
 * A probe description field is empty (matches anything) or a shell-style
 * glob: '*' matches any string, '?' any one character, '[...]' one
 * character of a set ('!' or '^' first negates it, 'a-z' is a range, a ']'
 * right after the '[' is literal), and '\' makes the next character
 * literal. This is the matching the DTrace guide describes for probe
 * descriptions; there is no brace expansion.
 *
 * The matcher is iterative with one backtrack point (the position after the
 * last '*'), which is enough for globs: a later '*' can absorb anything an
 * earlier one would have, so retrying from the latest star never misses a
 * match. Time is O(len(pattern) * len(string)) at worst, memory O(1), no
 * recursion: safe on any stack, in any context (it is not used in probe
 * context, but nothing stops it).
 *
 * Context: every function in this file: Any context.
 */
#include <sys/types.h>
#include <sys/dtrace_impl.h>

/*
 * Does c match the set starting after '[' at *pp? On return *pp points
 * past the closing ']'. An unterminated set is matched as a literal '['.
 */
static int dtrace_match_set(const char **pp, char c)
{
	const char *p = *pp;
	int negate = 0, matched = 0;

	if (*p == '!' || *p == '^') {
		negate = 1;
		p++;
	}
	if (*p == ']') { /* literal ']' first in the set */
		matched = (c == ']');
		p++;
	}
	while (*p != '\0' && *p != ']') {
		char lo = *p, hi;

		if (lo == '\\' && p[1] != '\0')
			lo = *++p;
		hi = lo;
		if (p[1] == '-' && p[2] != '\0' && p[2] != ']') {
			hi = p[2];
			if (hi == '\\' && p[3] != '\0') {
				hi = p[3];
				p++;
			}
			p += 2;
		}
		if ((unsigned char)c >= (unsigned char)lo &&
		    (unsigned char)c <= (unsigned char)hi)
			matched = 1;
		p++;
	}
	if (*p != ']') {
		/* No closing bracket: '[' was an ordinary character. */
		*pp = NULL;
		return c == '[';
	}
	*pp = p + 1;
	return matched != negate;
}

int dtrace_match_glob(const char *pattern, const char *s)
{
	const char *p = pattern, *star_p = NULL, *star_s = NULL;

	if (pattern == NULL || *pattern == '\0')
		return 1;
	for (;;) {
		if (*p == '*') {
			while (*p == '*')
				p++;
			if (*p == '\0')
				return 1;
			star_p = p;
			star_s = s;
			continue;
		}
		if (*s == '\0') {
			if (*p == '\0')
				return 1;
			return 0;
		}
		if (*p == '?') {
			p++;
			s++;
			continue;
		}
		if (*p == '[') {
			const char *q = p + 1;

			if (dtrace_match_set(&q, *s)) {
				p = q != NULL ? q : p + 1;
				s++;
				continue;
			}
		} else {
			const char *q = p;

			if (*q == '\\' && q[1] != '\0')
				q++;
			if (*q != '\0' && *q == *s) {
				p = q + 1;
				s++;
				continue;
			}
		}
		/* Mismatch: let the last '*' absorb one more character. */
		if (star_p == NULL)
			return 0;
		p = star_p;
		s = ++star_s;
	}
}

int dtrace_glob_is_literal(const char *pattern)
{
	const char *p;

	for (p = pattern; *p != '\0'; p++)
		if (*p == '*' || *p == '?' || *p == '[' || *p == '\\')
			return 0;
	return 1;
}
