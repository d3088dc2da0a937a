/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/* Value parsers for policy files, strict and overflow-checked. Each returns
 * 0 (or the parsed value) on success, -EINVAL for malformed input and
 * -ERANGE for well-formed input out of range. None allocates unless it says
 * so; none accepts leading or trailing whitespace (the parser strips it). */

#include <stdbool.h>
#include <stdint.h>

#include "time-util.h"

/* yes/no, true/false, on/off, 1/0 (any case): 1, 0 or -EINVAL. */
int parse_boolean(const char *s);

/* Decimal digits only, no sign. */
int parse_uint64(const char *s, uint64_t *ret);
int parse_unsigned(const char *s, unsigned *ret);

/* A byte count: digits with an optional K, M, G or T suffix (base 1024), or
 * "infinity" (UINT64_MAX). Values that reach UINT64_MAX are -ERANGE. */
int parse_size(const char *s, uint64_t *ret);

/* A time span: one or more "<number>[unit]" separated by optional spaces,
 * e.g. "1min 30s"; units us, ms, s, min, h, d, w and their long forms
 * (usec, msec, sec, second(s), minute(s), hour(s), day(s), week(s)); a bare
 * number is seconds. "infinity" is USEC_INFINITY. */
int parse_timespan(const char *s, usec_t *ret);

/* "50%": the number before '%', 0..max. */
int parse_percent(const char *s, unsigned max, unsigned *ret);

/* The length of the valid UTF-8 sequence at s (at most n bytes), or 0 if
 * there is none (overlong forms, surrogates, > U+10FFFF are invalid). */
size_t utf8_sequence_length(const unsigned char *s, size_t n);
bool utf8_is_valid(const char *s);

/* Splits a command line into words with the quoting rules of systemd's
 * ExecStart=: words are separated by spaces or tabs; '...' quotes literally;
 * "..." and unquoted text take backslash escapes (\a \b \f \n \r \t \v \\ \"
 * \' \s for space, \xHH, \NNN octal); quotes may start anywhere in a word.
 * Each word must be valid UTF-8 after unescaping, and contain no NUL.
 * On -EINVAL, *ret_reason (if given) says what is wrong. Allocates *ret
 * (an empty vector for an empty string). */
int split_words(const char *s, char ***ret, const char **ret_reason);

/* The inverse, for printing: s as one word that split_words() reads back
 * unchanged (quoted and escaped only where needed). NULL on out of memory. */
char *quote_word(const char *s);

/* An absolute path without "." or ".." components, shorter than PATH_MAX.
 * Returns a normalized copy (duplicate and trailing slashes removed) or
 * -EINVAL with a reason. */
int path_normalize_absolute(const char *s, char **ret, const char **ret_reason);

/* A user or group: a name as useradd accepts it (starts with a letter or
 * '_', then letters, digits, '_', '-', '.', at most 31 characters, may end
 * with '$') or a numeric id below 4294967295. */
bool user_group_name_is_valid(const char *s);
/* A DNS-like host name: labels of [A-Za-z0-9-] not starting or ending with
 * '-', separated by single dots, at most 64 characters in all. */
bool hostname_is_valid(const char *s);
/* An environment assignment NAME=value, NAME of [A-Za-z_][A-Za-z0-9_]*. */
bool env_assignment_is_valid(const char *s);

/* errno names such as "EPERM" or a number 1..4095. */
int parse_errno(const char *s);
/* "EPERM"; NULL if the number has no name. */
const char *errno_name(int e);
