/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/* Enum <-> string tables: name##_to_string() returns NULL for out-of-range
 * values, name##_from_string() returns -EINVAL for unknown strings. */

#include <strings.h>

#include "macro.h"

#define _DEFINE_STRING_TABLE_LOOKUP(name, type, table, cmp, scope)                   \
        scope const char *name##_to_string(type i) {                                       \
                if ((int) i < 0 || (size_t) i >= ELEMENTSOF(table))                  \
                        return NULL;                                                 \
                return table[i];                                                     \
        }                                                                            \
        scope type name##_from_string(const char *s) {                                     \
                if (!s)                                                              \
                        return (type) -EINVAL;                                       \
                for (size_t i = 0; i < ELEMENTSOF(table); i++)                       \
                        if (table[i] && cmp(table[i], s) == 0)                       \
                                return (type) i;                                     \
                return (type) -EINVAL;                                               \
        }

#define DEFINE_STRING_TABLE_LOOKUP(name, type, table, cmp)                           \
        _DEFINE_STRING_TABLE_LOOKUP(name, type, table, cmp, )
#define DEFINE_PRIVATE_STRING_TABLE_LOOKUP(name, type, table, cmp)                   \
        _DEFINE_STRING_TABLE_LOOKUP(name, type, table, cmp, static _unused_)
