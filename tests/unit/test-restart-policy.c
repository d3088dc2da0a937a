/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "test-util.h"

#include "restart-policy.h"

static void test_restart_policy_names(void **state) {
        assert_string_equal(restart_policy_to_string(RESTART_NEVER), "Never");
        assert_string_equal(restart_policy_to_string(RESTART_ON_FAILURE), "On failure");
        assert_string_equal(restart_policy_to_string(RESTART_ALWAYS), "Always");
        assert_int_equal(restart_policy_from_string("On failure"), RESTART_ON_FAILURE);
        assert_int_equal(restart_policy_from_string("always"), RESTART_ALWAYS);
        assert_int_equal(restart_policy_from_string("sometimes"), -EINVAL);

        assert_string_equal(restart_policy_to_keyword(RESTART_NEVER), "no");
        assert_string_equal(restart_policy_to_keyword(RESTART_ON_FAILURE), "on-failure");
        assert_string_equal(restart_policy_to_keyword(RESTART_ALWAYS), "always");
        assert_int_equal(restart_policy_from_keyword("no"), RESTART_NEVER);
        assert_int_equal(restart_policy_from_keyword("on-failure"), RESTART_ON_FAILURE);
        assert_int_equal(restart_policy_from_keyword("always"), RESTART_ALWAYS);
        assert_int_equal(restart_policy_from_keyword("On failure"), -EINVAL);
        assert_int_equal(restart_policy_from_keyword("Always"), -EINVAL);
        assert_null(restart_policy_to_keyword(_RESTART_POLICY_MAX));
}

static void test_restart_policy_should_restart(void **state) {
        assert_false(restart_policy_should_restart(RESTART_NEVER, true, false));
        assert_false(restart_policy_should_restart(RESTART_NEVER, false, false));
        assert_true(restart_policy_should_restart(RESTART_ON_FAILURE, true, false));
        assert_false(restart_policy_should_restart(RESTART_ON_FAILURE, false, false));
        assert_true(restart_policy_should_restart(RESTART_ALWAYS, true, false));
        assert_true(restart_policy_should_restart(RESTART_ALWAYS, false, false));
        /* The operator's stop or kill wins over every policy. */
        for (RestartPolicy p = 0; p < _RESTART_POLICY_MAX; p++) {
                assert_false(restart_policy_should_restart(p, true, true));
                assert_false(restart_policy_should_restart(p, false, true));
        }
}

static void test_restart_backoff_delay(void **state) {
        RestartBackoff b = RESTART_BACKOFF_DEFAULT;
        b.initial_delay = 100 * USEC_PER_MSEC;
        b.max_delay = 1 * USEC_PER_SEC;

        static const usec_t expected_ms[] = { 100, 200, 400, 800, 1000, 1000, 1000 };
        for (unsigned i = 0; i < ELEMENTSOF(expected_ms); i++)
                assert_int_equal(restart_backoff_delay(&b, i), expected_ms[i] * USEC_PER_MSEC);

        /* Huge attempt numbers and huge delays neither overflow nor wrap. */
        assert_int_equal(restart_backoff_delay(&b, 4000000000u), b.max_delay);
        b.initial_delay = USEC_INFINITY / 3;
        b.max_delay = USEC_INFINITY;
        assert_int_equal(restart_backoff_delay(&b, 1), (USEC_INFINITY / 3) * 2);
        assert_int_equal(restart_backoff_delay(&b, 2), USEC_INFINITY);
        assert_int_equal(restart_backoff_delay(&b, 64), USEC_INFINITY);

        /* A cap below the first delay wins. */
        b.initial_delay = 5 * USEC_PER_SEC;
        b.max_delay = 1 * USEC_PER_SEC;
        assert_int_equal(restart_backoff_delay(&b, 0), USEC_PER_SEC);
        /* A zero delay stays zero. */
        b.initial_delay = 0;
        assert_int_equal(restart_backoff_delay(&b, 10), 0);
}

static void test_start_limit(void **state) {
        RestartBackoff b = RESTART_BACKOFF_DEFAULT;
        StartLimit l = {};
        b.burst = 3;
        b.interval = 10 * USEC_PER_SEC;

        usec_t t = 1000 * USEC_PER_SEC;
        assert_true(start_limit_test(&l, &b, t));
        assert_true(start_limit_test(&l, &b, t + 1 * USEC_PER_SEC));
        assert_true(start_limit_test(&l, &b, t + 2 * USEC_PER_SEC));
        assert_false(start_limit_test(&l, &b, t + 3 * USEC_PER_SEC));
        assert_false(start_limit_test(&l, &b, t + 9 * USEC_PER_SEC));
        /* A new window opens once the interval has passed. */
        assert_true(start_limit_test(&l, &b, t + 10 * USEC_PER_SEC));
        assert_int_equal(l.count, 1);

        /* burst 0 means no limit. */
        b.burst = 0;
        for (int i = 0; i < 100; i++)
                assert_true(start_limit_test(&l, &b, t));
}

int main(int argc, char *argv[]) {
        const struct CMUnitTest tests[] = {
                cmocka_unit_test(test_restart_policy_names),
                cmocka_unit_test(test_restart_policy_should_restart),
                cmocka_unit_test(test_restart_backoff_delay),
                cmocka_unit_test(test_start_limit),
        };
        return pgs_run_tests(argc, argv, tests);
}
