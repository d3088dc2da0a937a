/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/* Edit distance for "did you mean" suggestions: optimal string alignment
 * (Levenshtein plus adjacent transpositions), ASCII case-insensitive. */

#include <stddef.h>

/* SIZE_MAX if a string is longer than EDIT_DISTANCE_MAX_LEN (the answer
 * would not be a useful suggestion, and the work stays bounded). */
#define EDIT_DISTANCE_MAX_LEN 256
size_t edit_distance(const char *a, const char *b);

/* The candidate closest to s, if it is close enough to be a plausible typo
 * (distance at most max(1, strlen(s) / 3)); NULL otherwise. Ties go to the
 * first candidate. NULL entries in candidates are skipped. */
const char *closest_match(const char *s, const char * const *candidates, size_t n);
