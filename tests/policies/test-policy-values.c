/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The value parsers of policy files, as input -> expected tables. */
#include <limits.h>

#include "test-util.h"

#include "edit-distance.h"
#include "policy-values.h"
#include "policy.h"
#include "strv.h"

#define KiB 1024ULL
#define MiB (1024ULL * KiB)
#define GiB (1024ULL * MiB)
#define TiB (1024ULL * GiB)

static void test_boolean(void **state) {
        static const struct {
                const char *s;
                int v;
        } table[] = {
                { "yes", 1 },  { "no", 0 },   { "true", 1 },     { "false", 0 },  { "on", 1 },
                { "off", 0 },  { "1", 1 },    { "0", 0 },        { "YES", 1 },    { "Off", 0 },
                { "", -EINVAL }, { "y", -EINVAL }, { "2", -EINVAL }, { "yes ", -EINVAL },
                { "enable", -EINVAL }, { "nope", -EINVAL }, { "01", -EINVAL },
        };
        for (size_t i = 0; i < ELEMENTSOF(table); i++)
                if (parse_boolean(table[i].s) != table[i].v)
                        fail_msg("parse_boolean('%s') = %d, expected %d", table[i].s, parse_boolean(table[i].s),
                                 table[i].v);
}

static void test_size(void **state) {
        static const struct {
                const char *s;
                int r;
                uint64_t v;
        } table[] = {
                { "0", 0, 0 },
                { "1", 0, 1 },
                { "512", 0, 512 },
                { "1K", 0, KiB },
                { "64M", 0, 64 * MiB },
                { "2G", 0, 2 * GiB },
                { "3T", 0, 3 * TiB },
                { "infinity", 0, UINT64_MAX },
                { "16777215T", 0, 16777215ULL * TiB },
                { "18446744073709551614", 0, UINT64_MAX - 1 },
                { "18446744073709551615", -ERANGE, 0 }, /* that is "infinity" */
                { "18446744073709551616", -ERANGE, 0 },
                { "99999999999999999999G", -ERANGE, 0 },
                { "16777216T", -ERANGE, 0 },
                { "17179869184G", -ERANGE, 0 },
                { "", -EINVAL, 0 },
                { "-1", -EINVAL, 0 },
                { "+1", -EINVAL, 0 },
                { "1k", -EINVAL, 0 },
                { "1KB", -EINVAL, 0 },
                { "1 K", -EINVAL, 0 },
                { "1.5G", -EINVAL, 0 },
                { "G", -EINVAL, 0 },
                { "1P", -EINVAL, 0 },
                { "Infinity", -EINVAL, 0 },
                { "0x10", -EINVAL, 0 },
                { " 1", -EINVAL, 0 },
                { "99999999999999999999x", -EINVAL, 0 },
        };
        for (size_t i = 0; i < ELEMENTSOF(table); i++) {
                uint64_t v = 12345;
                int r = parse_size(table[i].s, &v);
                if (r != table[i].r || (r == 0 && v != table[i].v))
                        fail_msg("parse_size('%s') = %d, %llu; expected %d, %llu", table[i].s, r,
                                 (unsigned long long) v, table[i].r, (unsigned long long) table[i].v);
        }
}

static void test_timespan(void **state) {
        static const struct {
                const char *s;
                int r;
                usec_t v;
        } table[] = {
                { "0", 0, 0 },
                { "5", 0, 5 * USEC_PER_SEC },
                { "100ms", 0, 100 * USEC_PER_MSEC },
                { "5s", 0, 5 * USEC_PER_SEC },
                { "1min 30s", 0, 90 * USEC_PER_SEC },
                { "1min30s", 0, 90 * USEC_PER_SEC },
                { "2h", 0, 2 * USEC_PER_HOUR },
                { "1d 1h 1ms 500us", 0, USEC_PER_DAY + USEC_PER_HOUR + 1500 },
                { "1w", 0, 7 * USEC_PER_DAY },
                { "3 seconds", 0, 3 * USEC_PER_SEC },
                { "10 msec", 0, 10 * USEC_PER_MSEC },
                { "1m", 0, USEC_PER_MINUTE },
                { "5 3", 0, 8 * USEC_PER_SEC },
                { "infinity", 0, USEC_INFINITY },
                { "1us", 0, 1 },
                { "", -EINVAL, 0 },
                { "-5s", -EINVAL, 0 },
                { "5x", -EINVAL, 0 },
                { "s", -EINVAL, 0 },
                { "1.5s", -EINVAL, 0 },
                { "5 s s", -EINVAL, 0 },
                { "5sec,", -EINVAL, 0 },
                { "INFINITY", -EINVAL, 0 },
                { "5S", -EINVAL, 0 },
                { "99999999999999999999", -ERANGE, 0 },
                { "999999999999w", -ERANGE, 0 },
                { "18446744073709us", 0, 18446744073709ULL },
                { "18446744073709551615us", -ERANGE, 0 },
                { "18446744073709551614us 1us", -ERANGE, 0 },
        };
        for (size_t i = 0; i < ELEMENTSOF(table); i++) {
                usec_t v = 12345;
                int r = parse_timespan(table[i].s, &v);
                if (r != table[i].r || (r == 0 && v != table[i].v))
                        fail_msg("parse_timespan('%s') = %d, %llu; expected %d, %llu", table[i].s, r,
                                 (unsigned long long) v, table[i].r, (unsigned long long) table[i].v);
        }
}

static void test_timespan_round_trip(void **state) {
        static const usec_t table[] = {
                0, 1, 999, USEC_PER_MSEC, 100 * USEC_PER_MSEC, 90 * USEC_PER_SEC, 25 * USEC_PER_HOUR + 7,
                USEC_INFINITY, USEC_INFINITY - 1,
        };
        char buf[FORMAT_TIMESPAN_MAX];
        for (size_t i = 0; i < ELEMENTSOF(table); i++) {
                usec_t v;
                assert_int_equal(parse_timespan(format_timespan(buf, sizeof buf, table[i]), &v), 0);
                assert_true(v == table[i]);
        }
}

static void test_percent(void **state) {
        static const struct {
                const char *s;
                unsigned max;
                int r;
                unsigned v;
        } table[] = {
                { "50%", 100, 0, 50 },      { "0%", 100, 0, 0 },         { "100%", 100, 0, 100 },
                { "200%", 102400, 0, 200 }, { "101%", 100, -ERANGE, 0 }, { "50", 100, -EINVAL, 0 },
                { "%", 100, -EINVAL, 0 },   { "-5%", 100, -EINVAL, 0 },  { "5 %", 100, -EINVAL, 0 },
                { "5.5%", 100, -EINVAL, 0 }, { "50%%", 100, -EINVAL, 0 }, { "", 100, -EINVAL, 0 },
                { "99999999999999999999%", 100, -ERANGE, 0 },
        };
        for (size_t i = 0; i < ELEMENTSOF(table); i++) {
                unsigned v = 12345;
                int r = parse_percent(table[i].s, table[i].max, &v);
                if (r != table[i].r || (r == 0 && v != table[i].v))
                        fail_msg("parse_percent('%s') = %d, %u; expected %d, %u", table[i].s, r, v, table[i].r,
                                 table[i].v);
        }
}

static void test_split_words(void **state) {
        static const struct {
                const char *s;
                const char *words[6]; /* NULL-terminated */
                const char *reason;   /* non-NULL: -EINVAL with this reason */
        } table[] = {
                { "", { NULL }, NULL },
                { "   ", { NULL }, NULL },
                { "/bin/true", { "/bin/true" }, NULL },
                { "  /bin/echo  a\tb  ", { "/bin/echo", "a", "b" }, NULL },
                { "/bin/sh -c 'a; b'", { "/bin/sh", "-c", "a; b" }, NULL },
                { "/bin/sh -c \"echo \\\"hi\\\"\"", { "/bin/sh", "-c", "echo \"hi\"" }, NULL },
                { "'it''s'", { "its" }, NULL },
                { "\"it's\"", { "it's" }, NULL },
                { "'a\\nb'", { "a\\nb" }, NULL },
                { "\"a\\nb\"", { "a\nb" }, NULL },
                { "a\\sb", { "a b" }, NULL },
                { "a\\x41\\101", { "aAA" }, NULL },
                { "x\"y z\"w", { "xy zw" }, NULL },
                { "'' \"\"", { "", "" }, NULL },
                { "a\\\\b \\'", { "a\\b", "'" }, NULL },
                { "\\t\\a\\b\\f\\r\\v", { "\t\a\b\f\r\v" }, NULL },
                { "'unterminated", {}, "unterminated single quote" },
                { "\"unterminated", {}, "unterminated double quote" },
                { "a\\q", {}, "unknown escape sequence" },
                { "a\\", {}, "backslash at the end" },
                { "\\x4", {}, "\\x needs two hexadecimal digits" },
                { "\\xzz", {}, "\\x needs two hexadecimal digits" },
                { "\\x00", {}, "escaped NUL byte" },
                { "\\000", {}, "escaped NUL byte" },
                { "\\12", {}, "an octal escape needs three digits" },
                { "\\u00e9", {}, "unknown escape sequence" },
                { "\\xc3\\xa9", { "\xc3\xa9" }, NULL },
                { "a\\x80", {}, "escape sequences that make invalid UTF-8" },
                { "'\\303'\\251", {}, "escape sequences that make invalid UTF-8" },
        };
        for (size_t i = 0; i < ELEMENTSOF(table); i++) {
                _cleanup_strv_free_ char **l = NULL;
                const char *reason = NULL;
                int r = split_words(table[i].s, &l, &reason);
                if (table[i].reason) {
                        if (r != -EINVAL || !reason || !streq(reason, table[i].reason))
                                fail_msg("split_words(%s) = %d '%s', expected -EINVAL '%s'", table[i].s, r,
                                         reason ?: "", table[i].reason);
                        continue;
                }
                assert_int_equal(r, 0);
                if (!strv_equal(l, (char **) table[i].words)) {
                        _cleanup_free_ char *got = strv_join(l, "|");
                        fail_msg("split_words(%s) = '%s'", table[i].s, got);
                }
        }
}

static void test_quote_word_round_trip(void **state) {
        static const char * const table[] = {
                "/bin/true", "a b", "a; b", "it's", "say \"hi\"", "back\\slash", "tab\there", "new\nline",
                "\x01\x7f", "", "#hash", "$HOME", "ünïcödé", "'", "\"", "a=b,c:d@e%f",
        };
        for (size_t i = 0; i < ELEMENTSOF(table); i++) {
                _cleanup_free_ char *q = quote_word(table[i]);
                _cleanup_strv_free_ char **l = NULL;
                assert_non_null(q);
                assert_int_equal(split_words(q, &l, NULL), 0);
                assert_int_equal(strv_length(l), 1);
                assert_string_equal(l[0], table[i]);
        }
        assert_string_equal_free(quote_word("/usr/bin/x"), "/usr/bin/x");
        assert_string_equal_free(quote_word("a b"), "\"a b\"");
}

static void test_path_normalize(void **state) {
        static const struct {
                const char *s;
                const char *v; /* NULL: -EINVAL */
        } table[] = {
                { "/", "/" },           { "//", "/" },          { "/usr/bin", "/usr/bin" },
                { "/usr//bin/", "/usr/bin" }, { "/a/.b/c..", "/a/.b/c.." }, { "relative", NULL },
                { "", NULL },           { "./x", NULL },        { "/a/../b", NULL },
                { "/a/./b", NULL },     { "/..", NULL },        { "/a/..", NULL },
                { "/a\nb", NULL },      { "~/x", NULL },
        };
        for (size_t i = 0; i < ELEMENTSOF(table); i++) {
                _cleanup_free_ char *p = NULL;
                const char *reason = NULL;
                int r = path_normalize_absolute(table[i].s, &p, &reason);
                if (table[i].v) {
                        assert_int_equal(r, 0);
                        assert_string_equal(p, table[i].v);
                } else {
                        assert_int_equal(r, -EINVAL);
                        assert_non_null(reason);
                }
        }
        char *big = malloc(PATH_MAX + 2);
        assert_non_null(big);
        memset(big, 'a', PATH_MAX + 1);
        big[0] = '/';
        big[PATH_MAX + 1] = 0;
        char *p = NULL;
        assert_int_equal(path_normalize_absolute(big, &p, NULL), -EINVAL);
        free(big);
}

static void test_names(void **state) {
        static const struct {
                const char *s;
                bool valid;
        } table[] = {
                { "web", true },           { "web-1.example_x", true }, { "a", true },
                { "memory", true },        { "cpu-hog", true },         { "cgroupish", true },
                { "", false },             { ".hidden", false },         { "..", false },
                { "../x", false },         { "a/b", false },            { "a b", false },
                { "cgroup.procs", false }, { "memory.max", false },     { "cpu.max", false },
                { "pids.max", false },     { "io.weight", false },      { "cgroup.anything", false },
                { "supervisor", false },   { "ünicode", false },        { "a\n", false },
                { "0123456789012345678901234567890123456789012345678901234567890123", true },
                { "01234567890123456789012345678901234567890123456789012345678901234", false },
        };
        for (size_t i = 0; i < ELEMENTSOF(table); i++) {
                const char *reason = NULL;
                if (policy_name_is_valid(table[i].s, &reason) != table[i].valid)
                        fail_msg("policy_name_is_valid('%s') != %d", table[i].s, table[i].valid);
                assert_true(table[i].valid == !reason);
        }
}

static void test_users_hosts_env(void **state) {
        assert_true(user_group_name_is_valid("www-data"));
        assert_true(user_group_name_is_valid("_apt"));
        assert_true(user_group_name_is_valid("0"));
        assert_true(user_group_name_is_valid("4294967294"));
        assert_true(user_group_name_is_valid("machine$"));
        assert_false(user_group_name_is_valid("4294967295"));
        assert_false(user_group_name_is_valid("-rf"));
        assert_false(user_group_name_is_valid("1abc"));
        assert_false(user_group_name_is_valid("a:b"));
        assert_false(user_group_name_is_valid(""));
        assert_false(user_group_name_is_valid("abcdefghijklmnopqrstuvwxyzabcdef"));

        assert_true(hostname_is_valid("web"));
        assert_true(hostname_is_valid("web-1.example.org"));
        assert_false(hostname_is_valid(""));
        assert_false(hostname_is_valid("-web"));
        assert_false(hostname_is_valid("web-"));
        assert_false(hostname_is_valid("a..b"));
        assert_false(hostname_is_valid(".a"));
        assert_false(hostname_is_valid("a."));
        assert_false(hostname_is_valid("a_b"));

        assert_true(env_assignment_is_valid("A=b"));
        assert_true(env_assignment_is_valid("_X1="));
        assert_true(env_assignment_is_valid("PATH=/bin:/usr/bin=x"));
        assert_false(env_assignment_is_valid("A"));
        assert_false(env_assignment_is_valid("=b"));
        assert_false(env_assignment_is_valid("1A=b"));
        assert_false(env_assignment_is_valid("A-B=c"));
}

static void test_errno_and_numbers(void **state) {
        assert_int_equal(parse_errno("EPERM"), EPERM);
        assert_int_equal(parse_errno("ENOSYS"), ENOSYS);
        assert_int_equal(parse_errno("38"), 38);
        assert_int_equal(parse_errno("EFOO"), -EINVAL);
        assert_int_equal(parse_errno("eperm"), -EINVAL);
        assert_int_equal(parse_errno("0"), -ERANGE);
        assert_int_equal(parse_errno("4096"), -ERANGE);
        assert_string_equal(errno_name(EACCES), "EACCES");

        unsigned u;
        uint64_t v;
        assert_int_equal(parse_unsigned("4294967295", &u), 0);
        assert_true(u == UINT_MAX);
        assert_int_equal(parse_unsigned("4294967296", &u), -ERANGE);
        assert_int_equal(parse_unsigned("-1", &u), -EINVAL);
        assert_int_equal(parse_uint64("18446744073709551615", &v), 0);
        assert_int_equal(parse_uint64("18446744073709551616", &v), -ERANGE);
        assert_int_equal(parse_uint64("1 ", &v), -EINVAL);
}

static void test_edit_distance(void **state) {
        static const struct {
                const char *a, *b;
                size_t d;
        } table[] = {
                { "", "", 0 },         { "a", "", 1 },        { "MemoryMx", "MemoryMax", 1 },
                { "Exce", "Exec", 1 }, { "memorymax", "MemoryMax", 0 }, { "kitten", "sitting", 3 },
                { "Servce", "Service", 1 }, { "abc", "xyz", 3 },
        };
        for (size_t i = 0; i < ELEMENTSOF(table); i++)
                if (edit_distance(table[i].a, table[i].b) != table[i].d)
                        fail_msg("edit_distance('%s', '%s') = %zu, expected %zu", table[i].a, table[i].b,
                                 edit_distance(table[i].a, table[i].b), table[i].d);
        static const char * const keys[] = { "MemoryMax", "MemoryHigh", "PidsMax", NULL };
        assert_string_equal(closest_match("MemoryMx", keys, 4), "MemoryMax");
        assert_string_equal(closest_match("PidMax", keys, 4), "PidsMax");
        assert_null(closest_match("Foo", keys, 4));
        assert_null(closest_match("CompletelyDifferent", keys, 4));
}

int main(int argc, char *argv[]) {
        const struct CMUnitTest tests[] = {
                cmocka_unit_test(test_boolean),
                cmocka_unit_test(test_size),
                cmocka_unit_test(test_timespan),
                cmocka_unit_test(test_timespan_round_trip),
                cmocka_unit_test(test_percent),
                cmocka_unit_test(test_split_words),
                cmocka_unit_test(test_quote_word_round_trip),
                cmocka_unit_test(test_path_normalize),
                cmocka_unit_test(test_names),
                cmocka_unit_test(test_users_hosts_env),
                cmocka_unit_test(test_errno_and_numbers),
                cmocka_unit_test(test_edit_distance),
        };
        return pgs_run_tests(argc, argv, tests);
}
