/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/* A small JSON writer: objects, arrays, strings (escaped per RFC 8259, with
 * invalid UTF-8 replaced by U+FFFD so that the output always parses),
 * unsigned numbers, booleans and null. Never coloured, never cut. */

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#define JSON_DEPTH_MAX 16

typedef struct JsonWriter {
        FILE *f;
        unsigned depth;
        bool comma[JSON_DEPTH_MAX]; /* the next value at this depth needs a ',' */
} JsonWriter;

static inline JsonWriter json_writer(FILE *f) {
        return (JsonWriter) { .f = f };
}

/* s as a quoted JSON string. */
void json_write_string(FILE *f, const char *s);

/* key is the member name inside an object, NULL inside an array or at the top. */
void json_begin_object(JsonWriter *w, const char *key);
void json_end_object(JsonWriter *w);
void json_begin_array(JsonWriter *w, const char *key);
void json_end_array(JsonWriter *w);
void json_string(JsonWriter *w, const char *key, const char *value); /* NULL: null */
void json_unsigned(JsonWriter *w, const char *key, uint64_t value);
void json_integer(JsonWriter *w, const char *key, int64_t value);
/* UINT64_MAX (unlimited or unknown in the API) becomes null. */
void json_unsigned_or_null(JsonWriter *w, const char *key, uint64_t value);
void json_bool(JsonWriter *w, const char *key, bool value);
void json_null(JsonWriter *w, const char *key);
void json_strv(JsonWriter *w, const char *key, char * const *l);
/* A line break between top-level array elements, for readers and for grep. */
void json_newline(JsonWriter *w);
