/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/* Just enough UTF-8 for table columns: length in characters and cutting at a
 * character boundary. Invalid bytes count as one character each. */

#include <stddef.h>

size_t utf8_strlen(const char *s);
/* Appends s to out padded with spaces to width characters; if s is longer,
 * it is cut to width-1 characters followed by "…". out must have room for
 * strlen(s) + width + 3 bytes. Returns the end of what was written. */
char *utf8_pad_or_ellipsize(char *out, const char *s, size_t width);
