/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <ctype.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "macro.h"
#include "policy-values.h"
#include "policy.h"
#include "strv.h"

int parse_boolean(const char *s) {
        static const char * const yes[] = { "yes", "true", "on", "1" };
        static const char * const no[] = { "no", "false", "off", "0" };
        for (size_t i = 0; i < ELEMENTSOF(yes); i++) {
                if (strcasecmp(s, yes[i]) == 0)
                        return 1;
                if (strcasecmp(s, no[i]) == 0)
                        return 0;
        }
        return -EINVAL;
}

/* Reads the digits at *p into *ret; -EINVAL if there are none. */
static int read_digits(const char **p, uint64_t *ret) {
        const char *s = *p;
        uint64_t v = 0;
        bool overflow = false;

        if (!isdigit((unsigned char) *s))
                return -EINVAL;
        for (; isdigit((unsigned char) *s); s++) {
                unsigned d = (unsigned) (*s - '0');
                if (v > (UINT64_MAX - d) / 10)
                        overflow = true; /* keep going, so that "999…9x" is -EINVAL */
                else
                        v = v * 10 + d;
        }
        *p = s;
        *ret = v;
        return overflow ? -ERANGE : 0;
}

int parse_uint64(const char *s, uint64_t *ret) {
        uint64_t v;
        int r = read_digits(&s, &v);
        if (r == -EINVAL || *s != 0)
                return -EINVAL;
        if (r < 0)
                return r;
        *ret = v;
        return 0;
}

int parse_unsigned(const char *s, unsigned *ret) {
        uint64_t v;
        int r = parse_uint64(s, &v);
        if (r < 0)
                return r;
        if (v > UINT_MAX)
                return -ERANGE;
        *ret = (unsigned) v;
        return 0;
}

int parse_size(const char *s, uint64_t *ret) {
        static const struct {
                char suffix;
                unsigned shift;
        } table[] = { { 'K', 10 }, { 'M', 20 }, { 'G', 30 }, { 'T', 40 } };
        uint64_t v;

        if (streq(s, "infinity")) {
                *ret = UINT64_MAX;
                return 0;
        }
        int r = read_digits(&s, &v);
        if (r == -EINVAL)
                return r;
        unsigned shift = 0;
        if (*s != 0) {
                for (size_t i = 0; i < ELEMENTSOF(table); i++)
                        if (*s == table[i].suffix)
                                shift = table[i].shift;
                if (shift == 0 || s[1] != 0)
                        return -EINVAL;
        }
        if (r < 0)
                return r;
        if (v > (UINT64_MAX >> shift) || (v << shift) == UINT64_MAX)
                return -ERANGE;
        *ret = v << shift;
        return 0;
}

int parse_timespan(const char *s, usec_t *ret) {
        static const struct {
                const char *unit;
                usec_t usec;
        } table[] = {
                { "us", 1 },
                { "usec", 1 },
                { "ms", USEC_PER_MSEC },
                { "msec", USEC_PER_MSEC },
                { "s", USEC_PER_SEC },
                { "sec", USEC_PER_SEC },
                { "second", USEC_PER_SEC },
                { "seconds", USEC_PER_SEC },
                { "m", USEC_PER_MINUTE },
                { "min", USEC_PER_MINUTE },
                { "minute", USEC_PER_MINUTE },
                { "minutes", USEC_PER_MINUTE },
                { "h", USEC_PER_HOUR },
                { "hr", USEC_PER_HOUR },
                { "hour", USEC_PER_HOUR },
                { "hours", USEC_PER_HOUR },
                { "d", USEC_PER_DAY },
                { "day", USEC_PER_DAY },
                { "days", USEC_PER_DAY },
                { "w", 7 * USEC_PER_DAY },
                { "week", 7 * USEC_PER_DAY },
                { "weeks", 7 * USEC_PER_DAY },
        };
        usec_t total = 0;
        bool overflow = false;

        if (streq(s, "infinity")) {
                *ret = USEC_INFINITY;
                return 0;
        }
        if (*s == 0)
                return -EINVAL;
        while (*s != 0) {
                uint64_t v;
                int r = read_digits(&s, &v);
                if (r == -EINVAL)
                        return r;
                if (r < 0)
                        overflow = true;
                while (*s == ' ' || *s == '\t')
                        s++;
                size_t n = 0;
                while (isalpha((unsigned char) s[n]))
                        n++;
                usec_t mult = USEC_PER_SEC;
                if (n > 0) {
                        size_t i;
                        for (i = 0; i < ELEMENTSOF(table); i++)
                                if (strlen(table[i].unit) == n && strneq(s, table[i].unit, n))
                                        break;
                        if (i >= ELEMENTSOF(table))
                                return -EINVAL;
                        mult = table[i].usec;
                        s += n;
                }
                if (v > (USEC_INFINITY - 1) / mult || total > USEC_INFINITY - 1 - v * mult)
                        overflow = true;
                else
                        total += v * mult;
                while (*s == ' ' || *s == '\t')
                        s++;
        }
        if (overflow)
                return -ERANGE;
        *ret = total;
        return 0;
}

int parse_percent(const char *s, unsigned max, unsigned *ret) {
        size_t n = strlen(s);
        char buf[32];
        unsigned v;

        if (n < 2 || n >= sizeof buf || s[n - 1] != '%')
                return -EINVAL;
        memcpy(buf, s, n - 1);
        buf[n - 1] = 0;
        int r = parse_unsigned(buf, &v);
        if (r < 0)
                return r;
        if (v > max)
                return -ERANGE;
        *ret = v;
        return 0;
}

static int unhex(char c) {
        if (c >= '0' && c <= '9')
                return c - '0';
        if (c >= 'a' && c <= 'f')
                return c - 'a' + 10;
        if (c >= 'A' && c <= 'F')
                return c - 'A' + 10;
        return -EINVAL;
}

/* Decodes the escape after a backslash at *p (pointing past the backslash);
 * returns the byte or -EINVAL. */
static int read_escape(const char **p, const char **ret_reason) {
        static const char simple[] = "a\ab\bf\fn\nr\rt\tv\v\\\\\"\"''s ";
        const char *s = *p;
        int c;

        for (size_t i = 0; i + 1 < sizeof simple; i += 2)
                if (*s == simple[i]) {
                        *p = s + 1;
                        return (unsigned char) simple[i + 1];
                }
        if (*s == 'x') {
                int a = unhex(s[1]), b = a >= 0 ? unhex(s[2]) : -EINVAL;
                if (a < 0 || b < 0) {
                        *ret_reason = "\\x needs two hexadecimal digits";
                        return -EINVAL;
                }
                c = a * 16 + b;
                s += 3;
        } else if (*s >= '0' && *s <= '7') {
                if (s[1] < '0' || s[1] > '7' || s[2] < '0' || s[2] > '7') {
                        *ret_reason = "an octal escape needs three digits";
                        return -EINVAL;
                }
                c = (s[0] - '0') * 64 + (s[1] - '0') * 8 + (s[2] - '0');
                if (c > 255) {
                        *ret_reason = "octal escape out of range";
                        return -EINVAL;
                }
                s += 3;
        } else {
                *ret_reason = *s == 0 ? "backslash at the end" : "unknown escape sequence";
                return -EINVAL;
        }
        if (c == 0) {
                *ret_reason = "escaped NUL byte";
                return -EINVAL;
        }
        *p = s;
        return c;
}

/* The length of the valid UTF-8 sequence at s (at most n bytes), or 0.
 * Rejects overlong forms, surrogates and code points above U+10FFFF. */
size_t utf8_sequence_length(const unsigned char *s, size_t n) {
        unsigned c = s[0];
        size_t len;
        unsigned cp;

        if (c < 0x80)
                return 1;
        if (c >= 0xc2 && c <= 0xdf)
                len = 2, cp = c & 0x1f;
        else if (c >= 0xe0 && c <= 0xef)
                len = 3, cp = c & 0x0f;
        else if (c >= 0xf0 && c <= 0xf4)
                len = 4, cp = c & 0x07;
        else
                return 0;
        if (len > n)
                return 0;
        for (size_t i = 1; i < len; i++) {
                if ((s[i] & 0xc0) != 0x80)
                        return 0;
                cp = (cp << 6) | (s[i] & 0x3f);
        }
        if ((len == 3 && cp < 0x800) || (len == 4 && (cp < 0x10000 || cp > 0x10ffff)) ||
            (cp >= 0xd800 && cp <= 0xdfff))
                return 0;
        return len;
}

bool utf8_is_valid(const char *s) {
        size_t n = strlen(s);
        for (size_t i = 0, k; i < n; i += k)
                if ((k = utf8_sequence_length((const unsigned char *) s + i, n - i)) == 0)
                        return false;
        return true;
}

int split_words(const char *s, char ***ret, const char **ret_reason) {
        _cleanup_strv_free_ char **l = NULL;
        _cleanup_free_ char *word = malloc(strlen(s) + 1);
        const char *reason = NULL;

        if (!word)
                return -ENOMEM;
        l = calloc(1, sizeof(char *));
        if (!l)
                return -ENOMEM;
        for (;;) {
                while (*s == ' ' || *s == '\t')
                        s++;
                if (*s == 0)
                        break;
                size_t n = 0;
                char quote = 0;
                while (*s != 0 && (quote || (*s != ' ' && *s != '\t'))) {
                        if (quote == '\'' && *s != '\'') {
                                word[n++] = *s++;
                        } else if (*s == quote) {
                                quote = 0;
                                s++;
                        } else if (!quote && (*s == '\'' || *s == '"')) {
                                quote = *s++;
                        } else if (*s == '\\') {
                                s++;
                                int c = read_escape(&s, &reason);
                                if (c < 0)
                                        goto invalid;
                                word[n++] = (char) c;
                        } else
                                word[n++] = *s++;
                }
                if (quote) {
                        reason = quote == '"' ? "unterminated double quote" : "unterminated single quote";
                        goto invalid;
                }
                word[n] = 0;
                if (!utf8_is_valid(word)) {
                        reason = "escape sequences that make invalid UTF-8";
                        goto invalid;
                }
                int r = strv_extend(&l, word);
                if (r < 0)
                        return r;
        }
        *ret = TAKE_PTR(l);
        return 0;

invalid:
        if (ret_reason)
                *ret_reason = reason;
        return -EINVAL;
}

char *quote_word(const char *s) {
        bool plain = *s != 0;
        for (const char *p = s; *p; p++)
                if (!isalnum((unsigned char) *p) && !strchr("/._-+=:,@%^~", *p) &&
                    !((unsigned char) *p >= 0x80))
                        plain = false;
        if (plain)
                return strdup(s);

        /* Worst case: every byte as \xHH, plus the quotes. */
        char *r = malloc(strlen(s) * 4 + 3), *o = r;
        if (!r)
                return NULL;
        *o++ = '"';
        for (const unsigned char *p = (const unsigned char *) s; *p; p++) {
                if (*p == '"' || *p == '\\') {
                        *o++ = '\\';
                        *o++ = (char) *p;
                } else if (*p == '\n') {
                        o = stpcpy(o, "\\n");
                } else if (*p == '\t') {
                        o = stpcpy(o, "\\t");
                } else if (*p < 0x20 || *p == 0x7f) {
                        o += sprintf(o, "\\x%02x", *p);
                } else
                        *o++ = (char) *p;
        }
        *o++ = '"';
        *o = 0;
        return r;
}

int path_normalize_absolute(const char *s, char **ret, const char **ret_reason) {
        const char *reason = NULL;

        if (*s != '/')
                reason = "not an absolute path";
        else if (strlen(s) >= PATH_MAX)
                reason = "path too long";
        else
                for (const char *p = s; *p; p++)
                        if ((unsigned char) *p < 0x20 || *p == 0x7f)
                                reason = "control character in path";
        if (reason)
                goto invalid;

        char *r = malloc(strlen(s) + 1), *o = r;
        if (!r)
                return -ENOMEM;
        for (const char *p = s; *p;) {
                while (*p == '/')
                        p++;
                size_t n = strcspn(p, "/");
                if (n == 0)
                        break;
                if ((n == 1 && p[0] == '.') || (n == 2 && p[0] == '.' && p[1] == '.')) {
                        free(r);
                        reason = "'.' and '..' are not allowed in paths";
                        goto invalid;
                }
                *o++ = '/';
                memcpy(o, p, n);
                o += n;
                p += n;
        }
        if (o == r)
                *o++ = '/';
        *o = 0;
        *ret = r;
        return 0;

invalid:
        if (ret_reason)
                *ret_reason = reason;
        return -EINVAL;
}

bool user_group_name_is_valid(const char *s) {
        uint64_t id;
        size_t n = strlen(s);

        if (parse_uint64(s, &id) >= 0)
                return id < UINT32_MAX; /* (uid_t) -1 is "no id" */
        if (n == 0 || n > 31)
                return false;
        if (!isalpha((unsigned char) s[0]) && s[0] != '_')
                return false;
        for (size_t i = 1; i < n; i++)
                if (!isalnum((unsigned char) s[i]) && !strchr("_-.", s[i]) && !(s[i] == '$' && i == n - 1))
                        return false;
        return true;
}

bool hostname_is_valid(const char *s) {
        size_t n = strlen(s), label = 0;

        if (n == 0 || n > 64)
                return false;
        for (size_t i = 0; i < n; i++) {
                if (s[i] == '.') {
                        if (label == 0 || s[i - 1] == '-')
                                return false;
                        label = 0;
                } else if (isalnum((unsigned char) s[i]) || s[i] == '-') {
                        if (s[i] == '-' && label == 0)
                                return false;
                        label++;
                } else
                        return false;
        }
        return label > 0 && s[n - 1] != '-';
}

bool env_assignment_is_valid(const char *s) {
        if (!isalpha((unsigned char) *s) && *s != '_')
                return false;
        for (s++; *s != '='; s++)
                if (*s == 0 || (!isalnum((unsigned char) *s) && *s != '_'))
                        return false;
        return true;
}

int parse_errno(const char *s) {
        unsigned v;

        if (parse_unsigned(s, &v) >= 0)
                return v >= 1 && v <= 4095 ? (int) v : -ERANGE;
        for (int e = 1; e < 4096; e++) {
                const char *n = strerrorname_np(e);
                if (n && streq(n, s))
                        return e;
        }
        return -EINVAL;
}

const char *errno_name(int e) {
        return strerrorname_np(e);
}

/* Cgroup v1 and v2 controller names and the "cgroup." core prefix: a service
 * called "memory.max" would make <root>/memory.max, which the kernel already
 * has as a file in a cgroup directory. */
static const char * const cgroup_prefixes[] = {
        "cgroup", "cpu", "cpuacct", "cpuset", "io", "blkio", "memory", "devices", "freezer",
        "net_cls", "net_prio", "perf_event", "hugetlb", "pids", "rdma", "misc",
};

bool policy_name_is_valid(const char *name, const char **ret_reason) {
        const char *reason = NULL;
        size_t n = strlen(name);

        if (n == 0)
                reason = "empty";
        else if (n > POLICY_NAME_MAX)
                reason = "longer than 64 characters";
        else if (name[0] == '.')
                reason = "starts with '.'";
        else if (strspn(name, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_.-") != n)
                reason = "only A-Z a-z 0-9 _ . - are allowed";
        else if (streq(name, "supervisor"))
                reason = "reserved for the daemon's own cgroup";
        else {
                const char *dot = strchr(name, '.');
                for (size_t i = 0; dot && i < ELEMENTSOF(cgroup_prefixes); i++)
                        if (strlen(cgroup_prefixes[i]) == (size_t) (dot - name) &&
                            strneq(name, cgroup_prefixes[i], (size_t) (dot - name)))
                                reason = "starts with a cgroup controller prefix, like a cgroup interface file";
        }
        if (reason && ret_reason)
                *ret_reason = reason;
        return !reason;
}
