/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/* NULL-terminated string vectors (argv, environment, path lists). */

#include <stdbool.h>
#include <stddef.h>

#include "macro.h"

char **strv_free(char **l);
DEFINE_TRIVIAL_CLEANUP_FUNC(char **, strv_free);
#define _cleanup_strv_free_ _cleanup_(strv_freep)

size_t strv_length(char * const *l);
bool strv_contains(char * const *l, const char *s);
/* Copies s and appends it. -ENOMEM on failure, l unchanged. */
int strv_extend(char ***l, const char *s);
/* Takes ownership of s on success only. */
int strv_push(char ***l, char *s);
char **strv_copy(char * const *l);
/* Joins with sep; returns NULL on out of memory. */
char *strv_join(char * const *l, const char *sep);
bool strv_equal(char * const *a, char * const *b);

#define STRV_FOREACH(s, l) for (char * const *s = (l); s && *s; s++)
