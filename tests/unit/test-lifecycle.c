/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The origin design's lifecycle tests, plus the edges around them. */
#include <signal.h>

#include "test-util.h"

#include "lifecycle.h"

static CrashReason *reason(CrashKind kind, const char *text) {
        CrashReason *r = NULL;
        assert_int_equal(crash_reason_new(kind, text, &r), 0);
        return r;
}

static CrashReason *exit_code(int code) {
        CrashReason *r = NULL;
        assert_int_equal(crash_reason_new_exit_code(code, &r), 0);
        return r;
}

static void test_crash_reason_description(void **state) {
        static const struct {
                CrashKind kind;
                const char *text;
                const char *expected;
        } table[] = {
                { CRASH_PANIC, "out of memory", "Panic: out of memory" },
                { CRASH_SIGNAL, "TERM", "Killed by signal: TERM" },
                { CRASH_RESOURCE_LIMIT, "CPU", "Resource limit exceeded: CPU" },
                { CRASH_RESOURCE_LIMIT, "memory (memory.max=64M)",
                  "Resource limit exceeded: memory (memory.max=64M)" },
                { CRASH_TIMEOUT, NULL, "Timeout" },
                { CRASH_ERROR, "connection refused", "Error: connection refused" },
        };
        for (size_t i = 0; i < ELEMENTSOF(table); i++) {
                _cleanup_(crash_reason_freep) CrashReason *r = reason(table[i].kind, table[i].text);
                assert_string_equal_free(crash_reason_description(r), table[i].expected);
        }

        _cleanup_(crash_reason_freep) CrashReason *e = exit_code(127);
        assert_string_equal_free(crash_reason_description(e), "Exit code: 127");
        _cleanup_(crash_reason_freep) CrashReason *neg = exit_code(-1);
        assert_string_equal_free(crash_reason_description(neg), "Exit code: -1");
}

static void test_crash_reason_signal_names(void **state) {
        static const struct {
                int signo;
                const char *name;
        } table[] = {
                { SIGTERM, "TERM" }, { SIGKILL, "KILL" }, { SIGSEGV, "SEGV" }, { SIGSYS, "SYS" },
                { SIGABRT, "ABRT" }, { SIGINT, "INT" },   { SIGBUS, "BUS" },   { SIGHUP, "HUP" },
        };
        for (size_t i = 0; i < ELEMENTSOF(table); i++) {
                _cleanup_(crash_reason_freep) CrashReason *r = NULL;
                char expected[64];
                assert_int_equal(crash_reason_new_signal(table[i].signo, &r), 0);
                snprintf(expected, sizeof expected, "Killed by signal: %s", table[i].name);
                assert_string_equal_free(crash_reason_description(r), expected);
                assert_int_equal(signal_from_abbrev(table[i].name), table[i].signo);
        }
        char buf[16];
        assert_string_equal(signal_abbrev(SIGRTMIN + 3, buf), "RTMIN+3");
        assert_int_equal(signal_from_abbrev("SIGterm"), SIGTERM);
        assert_int_equal(signal_from_abbrev("NOPE"), -EINVAL);

        CrashReason *r = NULL;
        assert_int_equal(crash_reason_new_signal(0, &r), -EINVAL);
        assert_null(r);
}

static void test_crash_reason_rejects_bad_text(void **state) {
        CrashReason *r = NULL;
        assert_int_equal(crash_reason_new(CRASH_PANIC, NULL, &r), -EINVAL);
        assert_int_equal(crash_reason_new(CRASH_PANIC, "", &r), -EINVAL);
        assert_int_equal(crash_reason_new(CRASH_TIMEOUT, "x", &r), -EINVAL);
        assert_int_equal(crash_reason_new(CRASH_EXIT_CODE, "1", &r), -EINVAL);
        assert_int_equal(crash_reason_new(_CRASH_KIND_MAX, "x", &r), -EINVAL);
        assert_null(r);
}

static void test_crash_reason_copy_and_kind_names(void **state) {
        _cleanup_(crash_reason_freep) CrashReason *a = reason(CRASH_PANIC, "boom");
        _cleanup_(crash_reason_freep) CrashReason *b = NULL;
        _cleanup_(crash_reason_freep) CrashReason *c = exit_code(3);
        _cleanup_(crash_reason_freep) CrashReason *d = NULL;

        assert_int_equal(crash_reason_copy(a, &b), 0);
        assert_true(crash_reason_equal(a, b));
        assert_ptr_not_equal(a->text, b->text);
        assert_int_equal(crash_reason_copy(c, &d), 0);
        assert_true(crash_reason_equal(c, d));
        assert_false(crash_reason_equal(a, c));
        assert_false(crash_reason_equal(a, NULL));
        assert_true(crash_reason_equal(NULL, NULL));

        assert_string_equal(crash_kind_to_string(CRASH_RESOURCE_LIMIT), "resource-limit");
        assert_int_equal(crash_kind_from_string("exit-code"), CRASH_EXIT_CODE);
        assert_int_equal(crash_kind_from_string("Exit-Code"), -EINVAL);
}

static void test_service_handle_crash_reason(void **state) {
        ServiceHandle h;
        service_handle_init(&h, 7, LIFECYCLE_RUNNING);
        assert_null(h.crash_reason);

        service_handle_set_crash_reason(&h, reason(CRASH_PANIC, "Out of memory"));
        assert_non_null(h.crash_reason);
        assert_int_equal(h.crash_reason->kind, CRASH_PANIC);
        assert_string_equal(h.crash_reason->text, "Out of memory");

        /* Replacing frees the old reason (ASan would see a leak otherwise). */
        service_handle_set_crash_reason(&h, exit_code(1));
        assert_int_equal(h.crash_reason->kind, CRASH_EXIT_CODE);
        assert_int_equal(h.crash_reason->exit_code, 1);

        service_handle_set_crash_reason(&h, NULL);
        assert_null(h.crash_reason);
        service_handle_done(&h);
}

static void test_service_handle_restart_count(void **state) {
        ServiceHandle h;
        service_handle_init(&h, 1, LIFECYCLE_STARTING);
        assert_int_equal(h.restart_count, 0);
        service_handle_increment_restart_count(&h);
        service_handle_increment_restart_count(&h);
        service_handle_increment_restart_count(&h);
        assert_int_equal(h.restart_count, 3);
        assert_int_equal(h.task_id, 1);
        service_handle_done(&h);
}

static void test_service_handle_status_summary(void **state) {
        ServiceHandle h;
        service_handle_init(&h, 1, LIFECYCLE_STARTING);

        assert_string_equal_free(service_handle_status_summary(&h), "Starting");
        service_handle_set_state(&h, LIFECYCLE_RUNNING);
        assert_string_equal_free(service_handle_status_summary(&h), "Running");

        /* The origin design's walk-through: crash, restart, run again. */
        service_handle_set_crash_reason(&h, exit_code(1));
        service_handle_set_state(&h, LIFECYCLE_FAILED);
        assert_string_equal_free(service_handle_status_summary(&h), "Failed (Exit code: 1)");
        service_handle_set_state(&h, LIFECYCLE_RESTARTING);
        service_handle_increment_restart_count(&h);
        assert_string_equal_free(service_handle_status_summary(&h),
                                 "Restarting (Exit code: 1) [restarts: 1]");
        service_handle_set_state(&h, LIFECYCLE_RUNNING);
        assert_string_equal_free(service_handle_status_summary(&h), "Running [restarts: 1]");

        service_handle_increment_restart_count(&h);
        service_handle_increment_restart_count(&h);
        assert_string_equal_free(service_handle_status_summary(&h), "Running [restarts: 3]");

        service_handle_set_crash_reason(&h, reason(CRASH_PANIC, "out of memory"));
        service_handle_set_state(&h, LIFECYCLE_FAILED);
        h.restart_count = 2;
        assert_string_equal_free(service_handle_status_summary(&h),
                                 "Failed (Panic: out of memory) [restarts: 2]");

        /* Stopped after a kill shows why; a clean stop has no reason. */
        service_handle_set_crash_reason(&h, reason(CRASH_SIGNAL, "TERM"));
        service_handle_set_state(&h, LIFECYCLE_STOPPED);
        h.restart_count = 0;
        assert_string_equal_free(service_handle_status_summary(&h), "Stopped (Killed by signal: TERM)");
        service_handle_set_crash_reason(&h, NULL);
        assert_string_equal_free(service_handle_status_summary(&h), "Stopped");

        /* Stopping and Starting never show the last run's reason. */
        service_handle_set_crash_reason(&h, reason(CRASH_TIMEOUT, NULL));
        service_handle_set_state(&h, LIFECYCLE_STOPPING);
        assert_string_equal_free(service_handle_status_summary(&h), "Stopping");
        service_handle_set_state(&h, LIFECYCLE_FAILED);
        assert_string_equal_free(service_handle_status_summary(&h), "Failed (Timeout)");
        service_handle_done(&h);
        assert_null(h.crash_reason);
}

static void test_lifecycle_state_as_str(void **state) {
        static const char * const names[] = {
                "Starting", "Running", "Stopping", "Stopped", "Failed", "Restarting",
        };
        assert_int_equal(ELEMENTSOF(names), _LIFECYCLE_STATE_MAX);
        for (LifecycleState s = 0; s < _LIFECYCLE_STATE_MAX; s++) {
                assert_string_equal(lifecycle_state_to_string(s), names[s]);
                assert_int_equal(lifecycle_state_from_string(names[s]), s);
        }
        assert_int_equal(lifecycle_state_from_string("running"), LIFECYCLE_RUNNING);
        assert_int_equal(lifecycle_state_from_string("RESTARTING"), LIFECYCLE_RESTARTING);
        assert_int_equal(lifecycle_state_from_string("Run"), -EINVAL);
        assert_int_equal(lifecycle_state_from_string(""), -EINVAL);
        assert_int_equal(lifecycle_state_from_string(NULL), -EINVAL);
        assert_null(lifecycle_state_to_string(_LIFECYCLE_STATE_MAX));
        assert_null(lifecycle_state_to_string(_LIFECYCLE_STATE_INVALID));
}

int main(int argc, char *argv[]) {
        const struct CMUnitTest tests[] = {
                cmocka_unit_test(test_crash_reason_description),
                cmocka_unit_test(test_crash_reason_signal_names),
                cmocka_unit_test(test_crash_reason_rejects_bad_text),
                cmocka_unit_test(test_crash_reason_copy_and_kind_names),
                cmocka_unit_test(test_service_handle_crash_reason),
                cmocka_unit_test(test_service_handle_restart_count),
                cmocka_unit_test(test_service_handle_status_summary),
                cmocka_unit_test(test_lifecycle_state_as_str),
        };
        return pgs_run_tests(argc, argv, tests);
}
