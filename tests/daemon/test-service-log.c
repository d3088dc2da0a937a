/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The service log as the monitor writes it: bytes appended, rotation past
 * the cap to NAME.log.1 with a "rotate" mark, and the run marks. */
#include <sys/stat.h>

#include "test-util.h"

#include "fileio.h"
#include "service-log.h"

static void test_service_log_rotates(void **state) {
        char dir[] = "/tmp/pgs-log-XXXXXX", path[128], old[140], runs[128];
        ServiceLog *l = NULL;
        _cleanup_free_ char *text = NULL, *marks = NULL;

        assert_non_null(mkdtemp(dir));
        snprintf(path, sizeof path, "%s/web.log", dir);
        snprintf(old, sizeof old, "%s.1", path);
        snprintf(runs, sizeof runs, "%s/web.runs", dir);

        assert_int_equal(service_log_open(path, "web", 7, 64, &l), 0);
        for (int i = 0; i < 10; i++)
                service_log_write(l, i % 2 ? 2 : 1, "0123456789\n", 11); /* 110 bytes, cap 64 */
        service_log_close(l);
        assert_int_equal(service_log_mark(path, "end run=7 offset=%llu time=1 text=run 7 ended: Exit code: 1; Failed",
                                          (unsigned long long) service_log_offset(path)), 0);

        /* The older bytes went to web.log.1, the newer ones start web.log again. */
        assert_int_equal(read_full_file(old, 0, &text, NULL), 0);
        assert_int_equal(strlen(text) % 11, 0);
        size_t rotated = strlen(text);
        text = mfree(text);
        assert_int_equal(read_full_file(path, 0, &text, NULL), 0);
        assert_int_equal(rotated + strlen(text), 110);
        assert_true(strlen(text) <= 64);

        assert_int_equal(read_full_file(runs, 0, &marks, NULL), 0);
        assert_true(strncmp(marks, "start run=7 offset=0 ", 21) == 0);
        assert_non_null(strstr(marks, "\nrotate time="));
        char want[128];
        snprintf(want, sizeof want, "\nend run=7 offset=%zu time=1 text=run 7 ended: Exit code: 1; Failed\n",
                 strlen(text));
        assert_non_null(strstr(marks, want));

        assert_int_equal(unlink(path), 0);
        assert_int_equal(unlink(old), 0);
        assert_int_equal(unlink(runs), 0);
        assert_int_equal(rmdir(dir), 0);
}

int main(int argc, char *argv[]) {
        const struct CMUnitTest tests[] = {
                cmocka_unit_test(test_service_log_rotates),
        };
        return pgs_run_tests(argc, argv, tests);
}
