/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The supervision state machine, driven with synthetic events and a fake
 * clock: transitions, restart policy, backoff and the start limit. */
#include <signal.h>

#include "test-util.h"

#include "supervise.h"

#define MS USEC_PER_MSEC

static RestartBackoff backoff_100ms_1s_burst5(void) {
        RestartBackoff b = RESTART_BACKOFF_DEFAULT;
        b.initial_delay = 100 * MS;
        b.max_delay = 1000 * MS;
        b.burst = 5;
        b.interval = 10 * USEC_PER_SEC;
        b.reset_after = 60 * USEC_PER_SEC;
        return b;
}

static SuperviseResult step(Supervision *s, SuperviseEvent e, RunVerdict *v, usec_t now) {
        SuperviseResult res;
        int r = supervision_handle(s, e, v, now, &res);
        if (r < 0)
                fail_msg("event %s in state %s: %s", supervise_event_to_string(e),
                         lifecycle_state_to_string(s->handle.state), strerror(-r));
        return res;
}

static RunVerdict exit_verdict(int code) {
        RunVerdict v = {};
        if (code != 0)
                assert_int_equal(crash_reason_new_exit_code(code, &v.reason), 0);
        return v;
}

static RunVerdict signal_verdict(int signo) {
        RunVerdict v = {};
        assert_int_equal(crash_reason_new_signal(signo, &v.reason), 0);
        return v;
}

static void assert_status(Supervision *s, const char *expected) {
        assert_string_equal_free(service_handle_status_summary(&s->handle), expected);
}

static void test_supervise_backoff_then_start_limit(void **state) {
        RestartBackoff b = backoff_100ms_1s_burst5();
        Supervision s;
        usec_t now = 1000 * USEC_PER_SEC;
        static const usec_t expected_ms[] = { 100, 200, 400, 800, 1000 };

        supervision_init(&s, RESTART_ALWAYS, &b);
        assert_status(&s, "Stopped");
        SuperviseResult res = step(&s, SUPERVISE_START, NULL, now);
        assert_int_equal(res.action, SUPERVISE_LAUNCH);
        assert_int_equal(res.from, LIFECYCLE_STOPPED);
        assert_int_equal(res.to, LIFECYCLE_STARTING);
        step(&s, SUPERVISE_STARTED, NULL, now);
        assert_status(&s, "Running");

        for (size_t i = 0; i < ELEMENTSOF(expected_ms); i++) {
                RunVerdict v = exit_verdict(1);
                now += 5 * MS;
                res = step(&s, SUPERVISE_EXITED, &v, now);
                assert_null(v.reason); /* moved into the handle */
                assert_int_equal(res.action, SUPERVISE_ARM_RESTART);
                assert_int_equal(res.to, LIFECYCLE_RESTARTING);
                assert_int_equal(res.delay, expected_ms[i] * MS);
                assert_int_equal(s.handle.restart_count, i + 1);
                now += res.delay;
                assert_int_equal(step(&s, SUPERVISE_RESTART_DUE, NULL, now).action, SUPERVISE_LAUNCH);
                step(&s, SUPERVISE_STARTED, NULL, now);
        }
        assert_status(&s, "Running [restarts: 5]");

        /* The sixth failure within the interval is refused a restart. */
        RunVerdict v = exit_verdict(1);
        res = step(&s, SUPERVISE_EXITED, &v, now + 5 * MS);
        assert_int_equal(res.action, SUPERVISE_NOTHING);
        assert_int_equal(res.to, LIFECYCLE_FAILED);
        assert_true(s.start_limit_hit);
        assert_status(&s, "Failed (Exit code: 1) [restarts: 5]");

        /* The operator's start begins again. */
        res = step(&s, SUPERVISE_START, NULL, now + USEC_PER_SEC);
        assert_int_equal(res.action, SUPERVISE_LAUNCH);
        assert_false(s.start_limit_hit);
        assert_int_equal(s.backoff_step, 0);
        supervision_done(&s);
}

static void test_supervise_backoff_resets_after_healthy_uptime(void **state) {
        RestartBackoff b = backoff_100ms_1s_burst5();
        Supervision s;
        usec_t now = 0;

        supervision_init(&s, RESTART_ON_FAILURE, &b);
        step(&s, SUPERVISE_START, NULL, now);
        step(&s, SUPERVISE_STARTED, NULL, now);
        for (int i = 0; i < 3; i++) {
                RunVerdict v = signal_verdict(SIGSEGV);
                SuperviseResult res = step(&s, SUPERVISE_EXITED, &v, now += 10 * MS);
                now += res.delay;
                step(&s, SUPERVISE_RESTART_DUE, NULL, now);
                step(&s, SUPERVISE_STARTED, NULL, now);
        }
        assert_int_equal(s.backoff_step, 3);
        /* Up for RestartResetSec=: the next delay is RestartSec= again. */
        now += b.reset_after;
        RunVerdict v = signal_verdict(SIGSEGV);
        SuperviseResult res = step(&s, SUPERVISE_EXITED, &v, now);
        assert_int_equal(res.delay, 100 * MS);
        assert_status(&s, "Restarting (Killed by signal: SEGV) [restarts: 4]");
        supervision_done(&s);
}

static void test_supervise_policies(void **state) {
        static const struct {
                RestartPolicy policy;
                int exit_code;
                LifecycleState to;
                const char *status;
        } table[] = {
                { RESTART_NEVER, 0, LIFECYCLE_STOPPED, "Stopped" },
                { RESTART_NEVER, 3, LIFECYCLE_FAILED, "Failed (Exit code: 3)" },
                { RESTART_ON_FAILURE, 0, LIFECYCLE_STOPPED, "Stopped" },
                { RESTART_ON_FAILURE, 3, LIFECYCLE_RESTARTING, "Restarting (Exit code: 3) [restarts: 1]" },
                { RESTART_ALWAYS, 0, LIFECYCLE_RESTARTING, "Restarting [restarts: 1]" },
                { RESTART_ALWAYS, 3, LIFECYCLE_RESTARTING, "Restarting (Exit code: 3) [restarts: 1]" },
        };
        RestartBackoff b = backoff_100ms_1s_burst5();

        for (size_t i = 0; i < ELEMENTSOF(table); i++) {
                Supervision s;
                supervision_init(&s, table[i].policy, &b);
                step(&s, SUPERVISE_START, NULL, 0);
                step(&s, SUPERVISE_STARTED, NULL, 0);
                RunVerdict v = exit_verdict(table[i].exit_code);
                SuperviseResult res = step(&s, SUPERVISE_EXITED, &v, 50 * MS);
                assert_int_equal(res.to, table[i].to);
                assert_int_equal(res.action,
                                 table[i].to == LIFECYCLE_RESTARTING ? SUPERVISE_ARM_RESTART : SUPERVISE_NOTHING);
                assert_status(&s, table[i].status);
                supervision_done(&s);
        }
}

static void test_supervise_operator_stop_is_never_restarted(void **state) {
        RestartBackoff b = backoff_100ms_1s_burst5();
        Supervision s;

        supervision_init(&s, RESTART_ALWAYS, &b);
        step(&s, SUPERVISE_START, NULL, 0);
        step(&s, SUPERVISE_STARTED, NULL, 0);
        SuperviseResult res = step(&s, SUPERVISE_STOP, NULL, MS);
        assert_int_equal(res.action, SUPERVISE_SIGNAL);
        assert_int_equal(res.to, LIFECYCLE_STOPPING);
        assert_status(&s, "Stopping");
        /* A second stop (KILL after TERM) signals again. */
        assert_int_equal(step(&s, SUPERVISE_STOP, NULL, 2 * MS).action, SUPERVISE_SIGNAL);

        RunVerdict v = signal_verdict(SIGTERM);
        res = step(&s, SUPERVISE_EXITED, &v, 3 * MS);
        assert_int_equal(res.action, SUPERVISE_NOTHING);
        assert_int_equal(res.to, LIFECYCLE_STOPPED);
        assert_status(&s, "Stopped (Killed by signal: TERM)");

        /* Stopping a stopped service: the origin design's "already stopped". */
        SuperviseResult unused;
        assert_int_equal(supervision_handle(&s, SUPERVISE_STOP, NULL, 4 * MS, &unused), -EALREADY);

        /* A service that handles TERM and exits 0 ends plainly Stopped. */
        step(&s, SUPERVISE_START, NULL, 5 * MS);
        step(&s, SUPERVISE_STOP, NULL, 6 * MS);
        RunVerdict clean = exit_verdict(0);
        step(&s, SUPERVISE_EXITED, &clean, 7 * MS);
        assert_status(&s, "Stopped");
        supervision_done(&s);
}

static void test_supervise_stop_while_restarting(void **state) {
        RestartBackoff b = backoff_100ms_1s_burst5();
        Supervision s;

        supervision_init(&s, RESTART_ALWAYS, &b);
        step(&s, SUPERVISE_START, NULL, 0);
        RunVerdict v = exit_verdict(2);
        step(&s, SUPERVISE_EXITED, &v, MS);
        assert_int_equal(s.handle.state, LIFECYCLE_RESTARTING);
        SuperviseResult res = step(&s, SUPERVISE_STOP, NULL, 2 * MS);
        assert_int_equal(res.action, SUPERVISE_CANCEL_RESTART);
        assert_status(&s, "Stopped [restarts: 1]");
        supervision_done(&s);
}

static void test_supervise_rejects_nonsense(void **state) {
        RestartBackoff b = backoff_100ms_1s_burst5();
        Supervision s;
        SuperviseResult res;
        RunVerdict v = {};

        supervision_init(&s, RESTART_NEVER, &b);
        assert_int_equal(supervision_handle(&s, SUPERVISE_STARTED, NULL, 0, &res), -EINVAL);
        assert_int_equal(supervision_handle(&s, SUPERVISE_EXITED, &v, 0, &res), -EINVAL);
        assert_int_equal(supervision_handle(&s, SUPERVISE_RESTART_DUE, NULL, 0, &res), -EINVAL);
        assert_int_equal(s.handle.state, LIFECYCLE_STOPPED);
        step(&s, SUPERVISE_START, NULL, 0);
        assert_int_equal(supervision_handle(&s, SUPERVISE_START, NULL, 0, &res), -EALREADY);
        assert_int_equal(supervision_handle(&s, SUPERVISE_EXITED, NULL, 0, &res), -EINVAL);
        assert_int_equal(supervision_handle(&s, _SUPERVISE_EVENT_MAX, NULL, 0, &res), -EINVAL);
        step(&s, SUPERVISE_STOP, NULL, 0);
        assert_int_equal(supervision_handle(&s, SUPERVISE_START, NULL, 0, &res), -EBUSY);
        assert_int_equal(s.handle.state, LIFECYCLE_STOPPING);
        supervision_done(&s);
}

int main(int argc, char *argv[]) {
        const struct CMUnitTest tests[] = {
                cmocka_unit_test(test_supervise_backoff_then_start_limit),
                cmocka_unit_test(test_supervise_backoff_resets_after_healthy_uptime),
                cmocka_unit_test(test_supervise_policies),
                cmocka_unit_test(test_supervise_operator_stop_is_never_restarted),
                cmocka_unit_test(test_supervise_stop_while_restarting),
                cmocka_unit_test(test_supervise_rejects_nonsense),
        };
        return pgs_run_tests(argc, argv, tests);
}
