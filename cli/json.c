/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <inttypes.h>

#include "json.h"
#include "strv.h"

/* Length of the valid UTF-8 sequence at s, 0 if it is not one (overlong
 * forms, surrogates and code points above U+10FFFF are invalid). */
static size_t utf8_valid_len(const unsigned char *s) {
        uint32_t cp;
        size_t n;

        if (s[0] < 0x80)
                return 1;
        if (s[0] >= 0xc2 && s[0] <= 0xdf)
                n = 2, cp = s[0] & 0x1f;
        else if (s[0] >= 0xe0 && s[0] <= 0xef)
                n = 3, cp = s[0] & 0x0f;
        else if (s[0] >= 0xf0 && s[0] <= 0xf4)
                n = 4, cp = s[0] & 0x07;
        else
                return 0;
        for (size_t i = 1; i < n; i++) {
                if ((s[i] & 0xc0) != 0x80)
                        return 0;
                cp = (cp << 6) | (s[i] & 0x3f);
        }
        if ((n == 3 && cp < 0x800) || (n == 4 && (cp < 0x10000 || cp > 0x10ffff)) ||
            (cp >= 0xd800 && cp <= 0xdfff))
                return 0;
        return n;
}

void json_write_string(FILE *f, const char *s) {
        fputc('"', f);
        for (const unsigned char *p = (const unsigned char *) (s ?: ""); *p;) {
                size_t n = utf8_valid_len(p);
                if (n == 0) {
                        fputs("\\ufffd", f);
                        p++;
                        continue;
                }
                if (n > 1) {
                        fwrite(p, 1, n, f);
                        p += n;
                        continue;
                }
                switch (*p) {
                case '"':  fputs("\\\"", f); break;
                case '\\': fputs("\\\\", f); break;
                case '\b': fputs("\\b", f); break;
                case '\f': fputs("\\f", f); break;
                case '\n': fputs("\\n", f); break;
                case '\r': fputs("\\r", f); break;
                case '\t': fputs("\\t", f); break;
                default:
                        if (*p < 0x20 || *p == 0x7f)
                                fprintf(f, "\\u%04x", *p);
                        else
                                fputc(*p, f);
                }
                p++;
        }
        fputc('"', f);
}

/* The separator and member name before a value. */
static void json_prefix(JsonWriter *w, const char *key) {
        if (w->comma[w->depth])
                fputc(',', w->f);
        w->comma[w->depth] = true;
        if (key) {
                json_write_string(w->f, key);
                fputc(':', w->f);
        }
}

static void json_open(JsonWriter *w, const char *key, char c) {
        json_prefix(w, key);
        fputc(c, w->f);
        if (w->depth + 1 < JSON_DEPTH_MAX)
                w->depth++;
        w->comma[w->depth] = false;
}

static void json_close(JsonWriter *w, char c) {
        fputc(c, w->f);
        if (w->depth > 0)
                w->depth--;
}

void json_begin_object(JsonWriter *w, const char *key) {
        json_open(w, key, '{');
}
void json_end_object(JsonWriter *w) {
        json_close(w, '}');
}
void json_begin_array(JsonWriter *w, const char *key) {
        json_open(w, key, '[');
}
void json_end_array(JsonWriter *w) {
        json_close(w, ']');
}

void json_string(JsonWriter *w, const char *key, const char *value) {
        json_prefix(w, key);
        if (value)
                json_write_string(w->f, value);
        else
                fputs("null", w->f);
}

void json_unsigned(JsonWriter *w, const char *key, uint64_t value) {
        json_prefix(w, key);
        fprintf(w->f, "%" PRIu64, value);
}

void json_integer(JsonWriter *w, const char *key, int64_t value) {
        json_prefix(w, key);
        fprintf(w->f, "%" PRIi64, value);
}

void json_unsigned_or_null(JsonWriter *w, const char *key, uint64_t value) {
        if (value == UINT64_MAX)
                json_null(w, key);
        else
                json_unsigned(w, key, value);
}

void json_bool(JsonWriter *w, const char *key, bool value) {
        json_prefix(w, key);
        fputs(value ? "true" : "false", w->f);
}

void json_null(JsonWriter *w, const char *key) {
        json_prefix(w, key);
        fputs("null", w->f);
}

void json_strv(JsonWriter *w, const char *key, char * const *l) {
        json_begin_array(w, key);
        STRV_FOREACH(s, l)
                json_string(w, NULL, *s);
        json_end_array(w);
}

void json_newline(JsonWriter *w) {
        fputc('\n', w->f);
}
