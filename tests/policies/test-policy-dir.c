/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Loading a directory all-or-report (data/dir): a bad file is reported and
 * the others load; two files with one name are one error naming both, and
 * neither loads; hidden files and other suffixes are skipped. */
#include <sys/stat.h>

#include "test-util.h"

#include "policy.h"
#include "strv.h"

static char *data_dir(void) {
        const char *src = getenv("PGS_SOURCE_DIR");
        TEST_SKIP_UNLESS(src, "PGS_SOURCE_DIR is not set (run through ctest)");
        char *d = NULL;
        assert_true(asprintf(&d, "%s/tests/policies/data/dir", src) > 0);
        return d;
}

static void test_load_dir_all_or_report(void **state) {
        _cleanup_free_ char *dir = data_dir();
        _cleanup_(policy_set_freep) PolicySet *s = NULL;
        assert_int_equal(policy_load_dir(dir, &s), 0);

        assert_int_equal(s->n_policies, 2);
        assert_string_equal(s->policies[0]->name, "c");
        assert_string_equal(s->policies[1]->name, "f");
        assert_non_null(policy_set_find(s, "f"));
        assert_null(policy_set_find(s, "web"));
        assert_null(policy_set_find(s, "b-bad"));

        assert_int_equal(s->n_errors, 2);
        _cleanup_free_ char *e0 = NULL, *e1 = NULL, *x0 = NULL, *x1 = NULL;
        assert_true(asprintf(&x0, "%s/b-bad.policy:4:11: invalid size '-1' for MemoryMax=: sizes cannot be negative", dir) > 0);
        assert_true(asprintf(&x1, "%s/d-web-again.policy:1:1: duplicate service name 'web': also used by %s/a-web.policy; neither file is loaded",
                             dir, dir) > 0);
        e0 = policy_error_to_string(&s->errors[0]);
        e1 = policy_error_to_string(&s->errors[1]);
        assert_string_equal(e0, x0);
        assert_string_equal(e1, x1);
}

static void test_list_dir(void **state) {
        _cleanup_free_ char *dir = data_dir();
        _cleanup_strv_free_ char **l = NULL;
        assert_int_equal(policy_list_dir(dir, &l), 0);
        assert_int_equal(strv_length(l), 5);
        static const char * const names[] = { "a-web", "b-bad", "c", "d-web-again", "f" };
        for (size_t i = 0; i < ELEMENTSOF(names); i++) {
                _cleanup_free_ char *x = NULL;
                assert_true(asprintf(&x, "%s/%s.policy", dir, names[i]) > 0);
                assert_string_equal(l[i], x);
        }
}

static void test_load_files_and_errors(void **state) {
        _cleanup_free_ char *dir = data_dir(), *a = NULL, *c = NULL;
        assert_true(asprintf(&a, "%s/a-web.policy", dir) > 0);
        assert_true(asprintf(&c, "%s/c.policy", dir) > 0);

        /* The same file twice is a duplicate name too. */
        char *paths[] = { a, c, a, (char *) "/nonexistent/x.policy", NULL };
        _cleanup_(policy_set_freep) PolicySet *s = NULL;
        assert_int_equal(policy_load_files(paths, &s), 0);
        assert_int_equal(s->n_policies, 1);
        assert_string_equal(s->policies[0]->name, "c");
        assert_int_equal(s->n_errors, 2);
        assert_string_equal(s->errors[0].message, "cannot read: No such file or directory");
        assert_int_equal(s->errors[0].line, 0);
        assert_non_null(strstr(s->errors[1].message, "duplicate service name 'web'"));

        _cleanup_(policy_set_freep) PolicySet *none = NULL;
        assert_int_equal(policy_load_dir("/nonexistent-policy-dir", &none), -ENOENT);
        assert_null(none);
}

static void test_empty_dir(void **state) {
        char tmpl[] = "/tmp/pgs-policy-test-XXXXXX";
        assert_non_null(mkdtemp(tmpl));
        _cleanup_(policy_set_freep) PolicySet *s = NULL;
        int r = policy_load_dir(tmpl, &s);
        assert_int_equal(rmdir(tmpl), 0);
        assert_int_equal(r, 0);
        assert_int_equal(s->n_policies, 0);
        assert_int_equal(s->n_errors, 0);
}

int main(int argc, char *argv[]) {
        const struct CMUnitTest tests[] = {
                cmocka_unit_test(test_load_dir_all_or_report),
                cmocka_unit_test(test_list_dir),
                cmocka_unit_test(test_load_files_and_errors),
                cmocka_unit_test(test_empty_dir),
        };
        return pgs_run_tests(argc, argv, tests);
}
