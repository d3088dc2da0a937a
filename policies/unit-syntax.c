/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "policy-values.h"
#include "unit-syntax.h"

int unit_error(PolicyError *error, int r, const char *file, unsigned line, unsigned column,
               const char *format, ...) {
        va_list ap;

        if (!error)
                return r;
        policy_error_done(error);
        error->file = strdup(file);
        error->line = line;
        error->column = column;
        va_start(ap, format);
        if (vasprintf(&error->message, format, ap) < 0)
                error->message = NULL;
        va_end(ap);
        return r;
}

/* Checks the bytes of one physical line (without its '\n'). */
static int check_line_bytes(const char *filename, const char *line, size_t n, unsigned lineno,
                            PolicyError *error) {
        const unsigned char *s = (const unsigned char *) line;

        for (size_t i = 0; i < n;) {
                unsigned col = (unsigned) i + 1;
                if (s[i] == 0)
                        return unit_error(error, -EBADMSG, filename, lineno, col, "NUL byte in policy file");
                if ((s[i] < 0x20 && s[i] != '\t') || s[i] == 0x7f)
                        return unit_error(error, -EBADMSG, filename, lineno, col,
                                          "control character 0x%02x in policy file", s[i]);
                size_t k = utf8_sequence_length(s + i, n - i);
                if (k == 0)
                        return unit_error(error, -EBADMSG, filename, lineno, col, "invalid UTF-8");
                i += k;
        }
        return 0;
}

static bool is_blank(char c) {
        return c == ' ' || c == '\t';
}

typedef struct Lexer {
        const char *filename;
        const char *p, *end;
        unsigned lineno;
        PolicyError *error;
} Lexer;

/* The next physical line: *ret points into the buffer, CR of a CRLF and
 * trailing blanks dropped. Returns 1, or 0 at the end of the data. */
static int next_line(Lexer *lx, const char **ret, size_t *ret_len) {
        if (lx->p >= lx->end)
                return 0;
        const char *nl = memchr(lx->p, '\n', (size_t) (lx->end - lx->p));
        const char *e = nl ? nl : lx->end;
        const char *s = lx->p;
        size_t n = (size_t) (e - s);

        lx->p = nl ? nl + 1 : lx->end;
        lx->lineno++;
        if (n > 0 && s[n - 1] == '\r')
                n--;
        if (n > POLICY_LINE_MAX)
                return unit_error(lx->error, -E2BIG, lx->filename, lx->lineno, POLICY_LINE_MAX + 1,
                                  "line longer than %u bytes", POLICY_LINE_MAX);
        int r = check_line_bytes(lx->filename, s, n, lx->lineno, lx->error);
        if (r < 0)
                return r;
        while (n > 0 && is_blank(s[n - 1]))
                n--;
        *ret = s;
        *ret_len = n;
        return 1;
}

static int parse_section_header(Lexer *lx, const char *s, size_t n, unsigned col,
                                const UnitSyntaxCallbacks *cb, void *userdata) {
        if (s[n - 1] != ']')
                return unit_error(lx->error, -EINVAL, lx->filename, lx->lineno, col,
                                  "section header must end with ']'");
        size_t len = n - 2;
        if (len == 0 || memchr(s + 1, '[', len) || memchr(s + 1, ']', len))
                return unit_error(lx->error, -EINVAL, lx->filename, lx->lineno, col,
                                  "invalid section header '%.*s'", (int) MIN(n, (size_t) 64), s);
        _cleanup_free_ char *name = strndup(s + 1, len);
        if (!name)
                return -ENOMEM;
        return cb->section(userdata, name, (UnitPosition) { lx->lineno, col });
}

/* Joins continued lines into *buf (which grows). */
static int read_logical_line(Lexer *lx, const char *s, size_t n, char **buf, size_t *cap) {
        size_t len = 0;
        unsigned first = lx->lineno;

        for (;;) {
                bool more = n > 0 && s[n - 1] == '\\';
                if (more)
                        n--;
                if (len + n + 2 > POLICY_LINE_MAX + 1)
                        return unit_error(lx->error, -E2BIG, lx->filename, first, 1,
                                          "continued line longer than %u bytes", POLICY_LINE_MAX);
                if (len + n + 2 > *cap) {
                        size_t c = MAX(*cap * 2, len + n + 2);
                        char *b = realloc(*buf, c);
                        if (!b)
                                return -ENOMEM;
                        *buf = b;
                        *cap = c;
                }
                memcpy(*buf + len, s, n);
                len += n;
                if (!more)
                        break;
                (*buf)[len++] = ' ';
                /* Skip comment lines inside the continuation, as systemd does. */
                for (;;) {
                        int r = next_line(lx, &s, &n);
                        if (r < 0)
                                return r;
                        if (r == 0)
                                return unit_error(lx->error, -EINVAL, lx->filename, lx->lineno, 1,
                                                  "line continuation at the end of the file");
                        size_t k = 0;
                        while (k < n && is_blank(s[k]))
                                k++;
                        if (k < n && (s[k] == '#' || s[k] == ';'))
                                continue;
                        break;
                }
        }
        (*buf)[len] = 0;
        return 0;
}

static int parse_assignment(Lexer *lx, const char *s, size_t n, unsigned col, char **buf, size_t *cap,
                            const UnitSyntaxCallbacks *cb, void *userdata) {
        unsigned lineno = lx->lineno;
        const char *eq = memchr(s, '=', n);
        /* The value's column on the first line: after '=' and its blanks. */
        size_t vcol = 0;
        if (eq) {
                vcol = (size_t) (eq - s) + 1;
                while (vcol < n && is_blank(s[vcol]))
                        vcol++;
        }

        int r = read_logical_line(lx, s, n, buf, cap);
        if (r < 0)
                return r;
        char *line = *buf;
        char *e = strchr(line, '=');
        if (!e)
                return unit_error(lx->error, -EINVAL, lx->filename, lineno, col,
                                  "expected 'Key=Value' or '[Section]', got '%.*s'",
                                  (int) MIN(strlen(line), (size_t) 64), line);
        size_t klen = (size_t) (e - line);
        while (klen > 0 && is_blank(line[klen - 1]))
                klen--;
        if (klen == 0)
                return unit_error(lx->error, -EINVAL, lx->filename, lineno, col, "missing key before '='");
        for (size_t i = 0; i < klen; i++)
                if (!((line[i] >= 'A' && line[i] <= 'Z') || (line[i] >= 'a' && line[i] <= 'z') ||
                      (line[i] >= '0' && line[i] <= '9')))
                        return unit_error(lx->error, -EINVAL, lx->filename, lineno, col,
                                          "invalid key '%.*s': keys are letters and digits",
                                          (int) MIN(klen, (size_t) 64), line);
        line[klen] = 0;
        char *value = e + 1;
        while (is_blank(*value))
                value++;
        size_t vlen = strlen(value);
        while (vlen > 0 && is_blank(value[vlen - 1]))
                value[--vlen] = 0;

        return cb->assignment(userdata, line, value, (UnitPosition) { lineno, col },
                              (UnitPosition) { lineno, col + (unsigned) vcol });
}

int unit_syntax_parse(const char *filename, const char *data, size_t size,
                      const UnitSyntaxCallbacks *cb, void *userdata, PolicyError *error) {
        Lexer lx = { .filename = filename, .p = data, .end = data + size, .error = error };
        _cleanup_free_ char *buf = NULL;
        size_t cap = 0;
        bool in_section = false;

        if (size > POLICY_FILE_MAX)
                return unit_error(error, -E2BIG, filename, 1, 1, "file larger than %u bytes",
                                  POLICY_FILE_MAX);
        if (size >= 3 && memcmp(data, "\xef\xbb\xbf", 3) == 0)
                lx.p += 3;

        for (;;) {
                const char *s;
                size_t n;
                int r = next_line(&lx, &s, &n);
                if (r <= 0)
                        return r;
                size_t k = 0;
                while (k < n && is_blank(s[k]))
                        k++;
                if (k == n || s[k] == '#' || s[k] == ';')
                        continue;
                unsigned col = (unsigned) k + 1;
                if (s[k] == '[') {
                        r = parse_section_header(&lx, s + k, n - k, col, cb, userdata);
                        in_section = true;
                } else if (!in_section)
                        r = unit_error(error, -EINVAL, filename, lx.lineno, col,
                                       "assignment outside of any section; start with a [Service] header");
                else
                        r = parse_assignment(&lx, s + k, n - k, col, &buf, &cap, cb, userdata);
                if (r < 0)
                        return r;
        }
}
