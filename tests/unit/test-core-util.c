/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <fcntl.h>
#include <sys/stat.h>

#include "test-util.h"

#include "fileio.h"
#include "service-id.h"
#include "strv.h"
#include "time-util.h"

static void test_service_id_round_trip(void **state) {
        ServiceId a, b;
        char s[SERVICE_ID_STRING_MAX], t[SERVICE_ID_STRING_MAX];

        for (int i = 0; i < 100; i++) {
                assert_int_equal(service_id_random(&a), 0);
                service_id_to_string(&a, s);
                assert_int_equal(strlen(s), 36);
                assert_int_equal(s[14], '4');                /* version 4 */
                assert_non_null(strchr("89ab", s[19]));      /* RFC 4122 variant */
                assert_int_equal(service_id_from_string(s, &b), 0);
                assert_true(service_id_equal(&a, &b));
                assert_string_equal(service_id_to_string(&b, t), s);
                assert_false(service_id_is_null(&a));
        }
        assert_int_equal(service_id_from_string("123E4567-E89B-12D3-A456-426614174000", &a), 0);
        assert_string_equal(service_id_to_string(&a, s), "123e4567-e89b-12d3-a456-426614174000");
}

static void test_service_id_rejects(void **state) {
        static const char * const bad[] = {
                "", "123e4567", "123e4567-e89b-12d3-a456-42661417400",
                "123e4567-e89b-12d3-a456-4266141740000", "123e4567e89b-12d3-a456-4266141740000",
                "123e4567-e89b-12d3-a456_426614174000", "g23e4567-e89b-12d3-a456-426614174000",
                "123e4567-e89b-12d3-a456-42661417400 ", "{23e4567-e89b-12d3-a456-42661417400}",
        };
        ServiceId id;
        for (size_t i = 0; i < ELEMENTSOF(bad); i++)
                if (service_id_from_string(bad[i], &id) != -EINVAL)
                        fail_msg("'%s' was accepted as a service id", bad[i]);
        assert_int_equal(service_id_from_string(NULL, &id), -EINVAL);
}

static void test_strv(void **state) {
        _cleanup_strv_free_ char **l = NULL, **c = NULL;
        assert_int_equal(strv_length(l), 0);
        assert_int_equal(strv_extend(&l, "a"), 0);
        assert_int_equal(strv_extend(&l, "bb"), 0);
        assert_int_equal(strv_extend(&l, ""), 0);
        assert_int_equal(strv_length(l), 3);
        assert_true(strv_contains(l, "bb"));
        assert_false(strv_contains(l, "b"));
        assert_string_equal_free(strv_join(l, ", "), "a, bb, ");
        c = strv_copy(l);
        assert_true(strv_equal(l, c));
        assert_int_equal(strv_extend(&c, "x"), 0);
        assert_false(strv_equal(l, c));
        assert_false(strv_equal(c, l));
        assert_true(strv_equal(NULL, NULL));
        assert_string_equal_free(strv_join(NULL, ","), "");
}

static void test_format_timespan(void **state) {
        static const struct {
                usec_t t;
                const char *s;
        } table[] = {
                { 0, "0" },
                { 1, "1us" },
                { 100 * USEC_PER_MSEC, "100ms" },
                { 5 * USEC_PER_SEC, "5s" },
                { 90 * USEC_PER_SEC, "1min 30s" },
                { USEC_PER_DAY + USEC_PER_HOUR + 1500, "1d 1h 1ms 500us" },
                { USEC_INFINITY, "infinity" },
        };
        char buf[FORMAT_TIMESPAN_MAX];
        for (size_t i = 0; i < ELEMENTSOF(table); i++)
                assert_string_equal(format_timespan(buf, sizeof buf, table[i].t), table[i].s);
}

static void test_fileio(void **state) {
        char dir[] = "/tmp/pgs-test-fileio-XXXXXX", path[64];
        _cleanup_free_ char *data = NULL;
        size_t size = 0;

        assert_non_null(mkdtemp(dir));
        snprintf(path, sizeof path, "%s/state", dir);
        assert_int_equal(write_file_atomic(path, "hello\n", 6, 0600), 0);
        assert_int_equal(read_full_file(path, 0, &data, &size), 0);
        assert_string_equal(data, "hello\n");
        assert_int_equal(size, 6);
        data = mfree(data);
        assert_int_equal(read_full_file(path, 3, &data, &size), -E2BIG);
        assert_null(data);
        assert_int_equal(write_string_file_at(AT_FDCWD, path, "bye"), 0);
        assert_int_equal(read_full_file(path, 0, &data, NULL), 0);
        assert_string_equal(data, "byelo\n"); /* no O_TRUNC: knobs are written in place */
        assert_int_equal(read_full_file("/nonexistent/pgs", 0, &data, NULL), -ENOENT);

        /* A large file reads whole. */
        _cleanup_free_ char *big = malloc(100000);
        memset(big, 'x', 100000);
        assert_int_equal(write_file_atomic(path, big, 100000, 0600), 0);
        data = mfree(data);
        assert_int_equal(read_full_file(path, 0, &data, &size), 0);
        assert_int_equal(size, 100000);
        assert_int_equal(access(path, F_OK), 0);

        char tmp[80];
        snprintf(tmp, sizeof tmp, "%s.new", path);
        assert_int_equal(access(tmp, F_OK), -1); /* renamed, nothing left over */
        assert_int_equal(unlink(path), 0);
        assert_int_equal(rmdir(dir), 0);
}

int main(int argc, char *argv[]) {
        const struct CMUnitTest tests[] = {
                cmocka_unit_test(test_service_id_round_trip),
                cmocka_unit_test(test_service_id_rejects),
                cmocka_unit_test(test_strv),
                cmocka_unit_test(test_format_timespan),
                cmocka_unit_test(test_fileio),
        };
        return pgs_run_tests(argc, argv, tests);
}
