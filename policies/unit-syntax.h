/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/* The lexical layer of policy files (systemd.syntax(7)): turns a buffer into
 * section headers and Key=Value assignments, and knows nothing about what
 * the keys mean. Strict: a NUL byte, invalid UTF-8, a control character,
 * a line over POLICY_LINE_MAX, a file over POLICY_FILE_MAX, a dangling
 * continuation or a line that is neither comment, header nor assignment is
 * an error. Accepted: a UTF-8 byte order mark, CRLF line ends.
 *
 *   - comments: lines whose first non-blank character is '#' or ';' (only
 *     there: "a; b" in a value is part of the value)
 *   - a line ending in '\' continues on the next one; the backslash becomes
 *     a space, and comment lines inside a continued line are skipped
 *   - blanks around keys and values are stripped
 */

#include <stddef.h>

#include "policy.h"

typedef struct UnitPosition {
        unsigned line;   /* where the header or key is, from 1 */
        unsigned column; /* from 1, in bytes */
} UnitPosition;

typedef struct UnitSyntaxCallbacks {
        /* Each returns 0 to go on, or a negative errno after filling in the
         * error (use unit_error()). */
        int (*section)(void *userdata, const char *name, UnitPosition at);
        int (*assignment)(void *userdata, const char *key, const char *value, UnitPosition key_at,
                          UnitPosition value_at);
} UnitSyntaxCallbacks;

int unit_syntax_parse(const char *filename, const char *data, size_t size,
                      const UnitSyntaxCallbacks *cb, void *userdata, PolicyError *error);

/* Fills in *error (which may be NULL) and returns r (negative). */
int unit_error(PolicyError *error, int r, const char *file, unsigned line, unsigned column,
               const char *format, ...) _printf_(6, 7);
