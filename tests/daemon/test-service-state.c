/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <sys/stat.h>

#include "test-util.h"

#include "service-state.h"

static CrashReason *reason(CrashKind k, const char *text) {
        CrashReason *r = NULL;
        assert_int_equal(k == CRASH_EXIT_CODE ? crash_reason_new_exit_code(atoi(text), &r) : crash_reason_new(k, text, &r), 0);
        return r;
}

static void fill(ServiceState *s) {
        *s = (ServiceState) {};
        assert_int_equal(service_id_from_string("123e4567-e89b-42d3-a456-426614174000", &s->id), 0);
        s->state = LIFECYCLE_FAILED;
        s->restart_count = 3;
        s->backoff_step = 2;
        s->last_task_id = 42;
        s->crash = reason(CRASH_PANIC, "tab\there, newline\nthere, backslash \\ end");
        s->crash_evidence = strdup("src/main.rs:2:5; the service exited with status 101");
        s->crash_time = 1795675483992874ULL;
        for (int i = 0; i < 3; i++) {
                RunRecord r = {
                        .task_id = 40 + (TaskId) i, .started = 1000 + (usec_t) i, .ended = 2000 + (usec_t) i,
                        .memory_peak = i == 0 ? UINT64_MAX : 33554432, .pids_peak = 16,
                        .reason = i == 0 ? NULL : i == 1 ? reason(CRASH_EXIT_CODE, "1") : reason(CRASH_TIMEOUT, NULL),
                        .evidence = i == 2 ? strdup("stop timeout (TimeoutStopSec=2s)") : NULL,
                };
                service_state_add_run(s, &r);
        }
}

static void test_service_state_round_trip(void **state) {
        ServiceState a, b;
        fill(&a);
        _cleanup_free_ char *text = service_state_format(&a);
        assert_non_null(text);
        assert_int_equal(service_state_parse(text, &b), 0);

        assert_true(service_id_equal(&a.id, &b.id));
        assert_int_equal(b.state, LIFECYCLE_FAILED);
        assert_int_equal(b.restart_count, 3);
        assert_int_equal(b.backoff_step, 2);
        assert_int_equal(b.last_task_id, 42);
        assert_true(crash_reason_equal(a.crash, b.crash));
        assert_string_equal(b.crash_evidence, a.crash_evidence);
        assert_int_equal(b.crash_time, a.crash_time);
        assert_int_equal(b.n_history, 3);
        for (size_t i = 0; i < 3; i++) {
                assert_int_equal(b.history[i].task_id, a.history[i].task_id);
                assert_int_equal(b.history[i].started, a.history[i].started);
                assert_int_equal(b.history[i].ended, a.history[i].ended);
                assert_int_equal(b.history[i].memory_peak, a.history[i].memory_peak);
                assert_int_equal(b.history[i].pids_peak, 16);
                assert_true(crash_reason_equal(a.history[i].reason, b.history[i].reason));
        }
        assert_null(b.history[0].evidence);
        assert_string_equal(b.history[2].evidence, "stop timeout (TimeoutStopSec=2s)");

        /* Formatting the parsed state gives the same text. */
        _cleanup_free_ char *again = service_state_format(&b);
        assert_string_equal(again, text);
        service_state_done(&a);
        service_state_done(&b);
}

static void test_service_state_history_is_capped(void **state) {
        ServiceState s = {};
        for (TaskId t = 1; t <= SERVICE_HISTORY_MAX + 25; t++) {
                RunRecord r = { .task_id = t, .reason = reason(CRASH_EXIT_CODE, "2") };
                service_state_add_run(&s, &r);
        }
        assert_int_equal(s.n_history, SERVICE_HISTORY_MAX);
        assert_int_equal(s.history[0].task_id, 26);
        assert_int_equal(s.history[SERVICE_HISTORY_MAX - 1].task_id, SERVICE_HISTORY_MAX + 25);
        service_state_done(&s);
}

static void test_service_state_rejects(void **state) {
        ServiceState s;
        assert_int_equal(service_state_parse("", &s), -EBADMSG);
        assert_int_equal(service_state_parse("restarts=3\n", &s), -EBADMSG);
        assert_int_equal(service_state_parse("id=nope\n", &s), -EBADMSG);
        assert_int_equal(service_state_parse("id=123e4567-e89b-42d3-a456-426614174000\ncrash=bogus\t0\t\n", &s),
                         -EBADMSG);
        assert_int_equal(service_state_parse("id=123e4567-e89b-42d3-a456-426614174000\nrun=1\t2\n", &s), -EBADMSG);
}

static void test_service_state_save_load(void **state) {
        char dir[] = "/tmp/pgs-state-XXXXXX", path[128];
        ServiceState a, b;

        assert_non_null(mkdtemp(dir));
        fill(&a);
        assert_int_equal(service_state_load(dir, "web", &b), -ENOENT);
        assert_int_equal(service_state_save(dir, "web", &a), 0);
        assert_int_equal(service_state_load(dir, "web", &b), 0);
        assert_true(service_id_equal(&a.id, &b.id));
        assert_int_equal(b.n_history, 3);
        service_state_done(&a);
        service_state_done(&b);

        snprintf(path, sizeof path, "%s/services/web.state.new", dir);
        assert_int_equal(access(path, F_OK), -1); /* renamed into place */
        snprintf(path, sizeof path, "%s/services/web.state", dir);
        assert_int_equal(unlink(path), 0);
        snprintf(path, sizeof path, "%s/services", dir);
        assert_int_equal(rmdir(path), 0);
        assert_int_equal(rmdir(dir), 0);
}

int main(int argc, char *argv[]) {
        const struct CMUnitTest tests[] = {
                cmocka_unit_test(test_service_state_round_trip),
                cmocka_unit_test(test_service_state_history_is_capped),
                cmocka_unit_test(test_service_state_rejects),
                cmocka_unit_test(test_service_state_save_load),
        };
        return pgs_run_tests(argc, argv, tests);
}
