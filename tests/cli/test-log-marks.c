/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The run-boundary metadata of a service's log: parsing, rotation, format. */
#include "test-util.h"

#include "log-marks.h"

static void test_log_marks_parse(void **state) {
        static const char text[] =
                "start run=1 offset=0 time=1000000\n"
                "end run=1 offset=26 time=2000000 text=run 1 ended: Exit code: 2; restarting in 100ms\n"
                "garbage line\n"
                "start run=2 offset=26 time=3000000\n";
        LogMark *m = NULL;
        size_t n = 0;

        assert_int_equal(log_marks_parse(text, &m, &n), 0);
        assert_int_equal(n, 3);
        assert_int_equal(m[0].kind, LOG_MARK_START);
        assert_int_equal(m[0].run, 1);
        assert_int_equal(m[0].offset, 0);
        assert_int_equal(m[1].kind, LOG_MARK_END);
        assert_int_equal(m[1].offset, 26);
        assert_string_equal(m[1].text, "run 1 ended: Exit code: 2; restarting in 100ms");
        assert_int_equal(m[2].run, 2);
        assert_int_equal(m[2].time, 3000000);
        assert_string_equal_free(log_mark_format(&m[1]), "-- run 1 ended: Exit code: 2; restarting in 100ms --");
        char *s = log_mark_format(&m[0]);
        assert_true(strncmp(s, "-- run 1 started ", 17) == 0);
        free(s);
        log_marks_free(m, n);
}

static void test_log_marks_rotation(void **state) {
        /* Offsets start over after a rotation: only the later marks apply. */
        LogMark *m = NULL;
        size_t n = 0;
        assert_int_equal(log_marks_parse("start run=1 offset=0 time=1\nrotate time=2\nstart run=2 offset=0 time=3\n",
                                         &m, &n), 0);
        assert_int_equal(n, 1);
        assert_int_equal(m[0].run, 2);
        log_marks_free(m, n);
        assert_int_equal(log_marks_parse("", &m, &n), 0);
        assert_int_equal(n, 0);
        log_marks_free(m, n);
}

static void test_log_marks_path(void **state) {
        assert_string_equal_free(log_marks_path("/var/lib/pgsandbox/logs/web.log"), "/var/lib/pgsandbox/logs/web.runs");
        assert_string_equal_free(log_marks_path("odd"), "odd.runs");
}

int main(int argc, char *argv[]) {
        const struct CMUnitTest tests[] = {
                cmocka_unit_test(test_log_marks_parse),
                cmocka_unit_test(test_log_marks_rotation),
                cmocka_unit_test(test_log_marks_path),
        };
        return pgs_run_tests(argc, argv, tests);
}
