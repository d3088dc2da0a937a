/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The origin design's process-info tests (ps table, kill signals and results),
 * with deterministic ids, plus the edges: long and UTF-8 names, every signal
 * spelling, unknown signals. */
#include <signal.h>

#include "test-util.h"

#include "kill-signal.h"
#include "process-list.h"
#include "utf8.h"

static ServiceId make_id(const char *s) {
        ServiceId id;
        assert_int_equal(service_id_from_string(s, &id), 0);
        return id;
}

static ProcessInfo *make_info(const char *id, const char *name, LifecycleState state,
                              CrashReason *reason, unsigned restarts, RestartPolicy policy) {
        ServiceHandle h;
        ProcessInfo *p = NULL;
        ServiceId sid = make_id(id);

        service_handle_init(&h, 42, state);
        service_handle_set_crash_reason(&h, reason);
        h.restart_count = restarts;
        assert_int_equal(process_info_new(&sid, name, &h, policy, &p), 0);
        service_handle_done(&h);
        return p;
}

static CrashReason *exit_code(int code) {
        CrashReason *r = NULL;
        assert_int_equal(crash_reason_new_exit_code(code, &r), 0);
        return r;
}

#define ID_LOGGER "123e4567-e89b-12d3-a456-426614174000"
#define ID_STORAGE "234e5678-f90c-23d4-b567-527725185111"
#define ID_CONSOLE "345e6789-001d-34e5-c678-628836196222"
#define ID_EDITOR "456e789a-112e-45f6-d789-729947207333"

static ProcessList *origin_list(void) {
        ProcessList *l = NULL;
        assert_int_equal(process_list_new(&l), 0);
        /* Added out of order: the table sorts by name. */
        assert_int_equal(process_list_add(l, make_info(ID_EDITOR, "editor", LIFECYCLE_RUNNING,
                                                       exit_code(1), 1, RESTART_ALWAYS)), 0);
        assert_int_equal(process_list_add(l, make_info(ID_CONSOLE, "cli-console", LIFECYCLE_FAILED,
                                                       exit_code(1), 2, RESTART_ON_FAILURE)), 0);
        assert_int_equal(process_list_add(l, make_info(ID_STORAGE, "storage", LIFECYCLE_RUNNING,
                                                       NULL, 0, RESTART_ALWAYS)), 0);
        assert_int_equal(process_list_add(l, make_info(ID_LOGGER, "logger", LIFECYCLE_RUNNING,
                                                       NULL, 0, RESTART_NEVER)), 0);
        return l;
}

static void test_process_info_creation(void **state) {
        _cleanup_(process_info_freep) ProcessInfo *p =
                make_info(ID_CONSOLE, "cli-console", LIFECYCLE_FAILED, exit_code(1), 2,
                          RESTART_ON_FAILURE);
        char buf[SERVICE_ID_STRING_MAX];

        assert_string_equal(service_id_to_string(&p->service_id, buf), ID_CONSOLE);
        assert_int_equal(p->task_id, 42);
        assert_string_equal(p->name, "cli-console");
        assert_int_equal(p->state, LIFECYCLE_FAILED);
        assert_string_equal(p->status, "Failed (Exit code: 1) [restarts: 2]");
        assert_int_equal(p->restart_policy, RESTART_ON_FAILURE);
        assert_string_equal(restart_policy_to_string(p->restart_policy), "On failure");
        assert_string_equal_free(process_info_format_row(p),
                                 ID_CONSOLE " cli-console          Failed          "
                                            "Failed (Exit code: 1) [restarts: 2]");
}

static void test_process_list_add_remove(void **state) {
        _cleanup_(process_list_freep) ProcessList *l = origin_list();
        ServiceId console = make_id(ID_CONSOLE), unknown = make_id("00000000-0000-4000-8000-000000000000");

        assert_int_equal(process_list_size(l), 4);
        assert_non_null(process_list_get(l, &console));
        assert_string_equal(process_list_get(l, &console)->name, "cli-console");

        /* Adding the same id again replaces the entry. */
        assert_int_equal(process_list_add(l, make_info(ID_CONSOLE, "cli-console", LIFECYCLE_RUNNING,
                                                       NULL, 3, RESTART_ON_FAILURE)), 0);
        assert_int_equal(process_list_size(l), 4);
        assert_string_equal(process_list_get(l, &console)->status, "Running [restarts: 3]");

        assert_int_equal(process_list_remove(l, &console), 0);
        assert_int_equal(process_list_size(l), 3);
        assert_null(process_list_get(l, &console));
        assert_null(process_list_get_by_name(l, "cli-console"));
        assert_int_equal(process_list_remove(l, &console), -ENOENT);
        assert_int_equal(process_list_remove(l, &unknown), -ENOENT);
        assert_int_equal(process_list_size(l), 3);
}

static void test_process_list_by_state(void **state) {
        _cleanup_(process_list_freep) ProcessList *l = origin_list();
        _cleanup_free_ const ProcessInfo **running = process_list_list_by_state(l, LIFECYCLE_RUNNING);
        _cleanup_free_ const ProcessInfo **failed = process_list_list_by_state(l, LIFECYCLE_FAILED);
        _cleanup_free_ const ProcessInfo **stopped = process_list_list_by_state(l, LIFECYCLE_STOPPED);
        _cleanup_free_ const ProcessInfo **all = process_list_list_all(l);

        assert_non_null(running);
        assert_string_equal(running[0]->name, "editor");
        assert_string_equal(running[1]->name, "logger");
        assert_string_equal(running[2]->name, "storage");
        assert_null(running[3]);
        assert_string_equal(failed[0]->name, "cli-console");
        assert_null(failed[1]);
        assert_null(stopped[0]);

        static const char * const sorted[] = { "cli-console", "editor", "logger", "storage" };
        for (size_t i = 0; i < ELEMENTSOF(sorted); i++)
                assert_string_equal(all[i]->name, sorted[i]);
        assert_null(all[4]);
}

static void test_process_list_get_by_name(void **state) {
        _cleanup_(process_list_freep) ProcessList *l = origin_list();
        char buf[SERVICE_ID_STRING_MAX];

        const ProcessInfo *p = process_list_get_by_name(l, "logger");
        assert_non_null(p);
        assert_string_equal(service_id_to_string(&p->service_id, buf), ID_LOGGER);
        assert_null(process_list_get_by_name(l, "Logger"));
        assert_null(process_list_get_by_name(l, "log"));
        assert_null(process_list_get_by_name(l, ""));
}

static const char *separator(void) {
        static char buf[PROCESS_TABLE_SEPARATOR_WIDTH * 3 + 1];
        buf[0] = 0;
        for (size_t i = 0; i < PROCESS_TABLE_SEPARATOR_WIDTH; i++)
                strcat(buf, "─");
        return buf;
}

static void test_process_list_format_table(void **state) {
        _cleanup_(process_list_freep) ProcessList *l = origin_list();
        char expected[2048];

        snprintf(expected, sizeof expected,
                 "SERVICE ID                           NAME                 STATE           STATUS\n"
                 "%s\n"
                 ID_CONSOLE " cli-console          Failed          Failed (Exit code: 1) [restarts: 2]\n"
                 ID_EDITOR " editor               Running         Running [restarts: 1]\n"
                 ID_LOGGER " logger               Running         Running\n"
                 ID_STORAGE " storage              Running         Running\n",
                 separator());
        assert_string_equal_free(process_list_format_table(l), expected);
        assert_int_equal(utf8_strlen(separator()), 96);

        /* An empty list is the header and the separator. */
        _cleanup_(process_list_freep) ProcessList *empty = NULL;
        assert_int_equal(process_list_new(&empty), 0);
        snprintf(expected, sizeof expected, "%s\n%s\n", PROCESS_TABLE_HEADER, separator());
        assert_string_equal_free(process_list_format_table(empty), expected);
}

static void test_process_table_long_and_utf8_names(void **state) {
        _cleanup_(process_info_freep) ProcessInfo *exact =
                make_info(ID_LOGGER, "abcdefghijklmnopqrst", LIFECYCLE_RUNNING, NULL, 0, RESTART_NEVER);
        _cleanup_(process_info_freep) ProcessInfo *longer =
                make_info(ID_LOGGER, "abcdefghijklmnopqrstuvwxyz", LIFECYCLE_RUNNING, NULL, 0, RESTART_NEVER);
        _cleanup_(process_info_freep) ProcessInfo *utf8 =
                make_info(ID_LOGGER, "größe-dienst", LIFECYCLE_RUNNING, NULL, 0, RESTART_NEVER);
        _cleanup_(process_info_freep) ProcessInfo *utf8_long =
                make_info(ID_LOGGER, "日本語のサービス名前がとても長いですよね本当に", LIFECYCLE_STOPPED,
                          NULL, 0, RESTART_NEVER);

        assert_string_equal_free(process_info_format_row(exact),
                                 ID_LOGGER " abcdefghijklmnopqrst Running         Running");
        assert_string_equal_free(process_info_format_row(longer),
                                 ID_LOGGER " abcdefghijklmnopqrs… Running         Running");
        /* 12 characters (14 bytes), padded with 8 spaces, not 6. */
        assert_string_equal_free(process_info_format_row(utf8),
                                 ID_LOGGER " größe-dienst         Running         Running");
        assert_string_equal_free(process_info_format_row(utf8_long),
                                 ID_LOGGER " 日本語のサービス名前がとても長いですよ… Stopped         Stopped");

        /* Every row keeps STATE at the same character column. */
        ProcessInfo *rows[] = { exact, longer, utf8, utf8_long };
        for (size_t i = 0; i < ELEMENTSOF(rows); i++) {
                _cleanup_free_ char *row = process_info_format_row(rows[i]);
                char *state_col = strstr(row, rows[i]->state == LIFECYCLE_RUNNING ? "Running " : "Stopped ");
                assert_non_null(state_col);
                *state_col = 0;
                assert_int_equal(utf8_strlen(row), 36 + 1 + 20 + 1);
        }
        assert_int_equal(utf8_strlen("größe"), 5);
        assert_int_equal(utf8_strlen("\xff\xfe"), 2); /* invalid bytes count one each */
}

static void test_kill_signal(void **state) {
        assert_string_equal(kill_signal_to_string(KILL_SIGNAL_TERMINATE), "TERM");
        assert_string_equal(kill_signal_to_string(KILL_SIGNAL_KILL), "KILL");
        assert_string_equal(kill_signal_to_string(KILL_SIGNAL_INTERRUPT), "INT");
        assert_false(kill_signal_is_forceful(KILL_SIGNAL_TERMINATE));
        assert_true(kill_signal_is_forceful(KILL_SIGNAL_KILL));
        assert_false(kill_signal_is_forceful(KILL_SIGNAL_INTERRUPT));
        assert_int_equal(kill_signal_to_signo(KILL_SIGNAL_TERMINATE), SIGTERM);
        assert_int_equal(kill_signal_to_signo(KILL_SIGNAL_KILL), SIGKILL);
        assert_int_equal(kill_signal_to_signo(KILL_SIGNAL_INTERRUPT), SIGINT);
        assert_int_equal(kill_signal_from_signo(SIGHUP), -EINVAL);
}

static void test_kill_signal_spellings(void **state) {
        static const struct {
                KillSignal signal;
                const char *spellings[10];
        } table[] = {
                { KILL_SIGNAL_TERMINATE,
                  { "TERM", "SIGTERM", "term", "sigterm", "Term", "15", "-15", "-TERM", "-SIGTERM", "-term" } },
                { KILL_SIGNAL_KILL,
                  { "KILL", "SIGKILL", "kill", "sigkill", "Kill", "9", "-9", "-KILL", "-SIGKILL", "-kill" } },
                { KILL_SIGNAL_INTERRUPT,
                  { "INT", "SIGINT", "int", "sigint", "Int", "2", "-2", "-INT", "-SIGINT", "-int" } },
        };
        for (size_t i = 0; i < ELEMENTSOF(table); i++)
                for (size_t j = 0; j < ELEMENTSOF(table[i].spellings); j++) {
                        KillSignal s = kill_signal_from_string(table[i].spellings[j]);
                        if (s != table[i].signal)
                                fail_msg("'%s' parsed as %d, expected %d", table[i].spellings[j], s,
                                         table[i].signal);
                }
}

static void test_kill_signal_unknown(void **state) {
        static const char * const bad[] = {
                "", "-", "--15", "HUP", "SIGHUP", "1", "0", "3", "16", "99", "015", "0x0f", "15abc",
                "TERM ", " TERM", "SIG", "SIGSIGTERM", "TERMINATE", "KILLALL", "-INTERRUPT", "+15",
                "१५", /* Devanagari digits are not digits here */
        };
        for (size_t i = 0; i < ELEMENTSOF(bad); i++)
                if (kill_signal_from_string(bad[i]) != -EINVAL)
                        fail_msg("'%s' was accepted as a kill signal", bad[i]);
        assert_int_equal(kill_signal_from_string(NULL), -EINVAL);
}

static void test_kill_result_display(void **state) {
        KillResult r = { .kind = KILL_RESULT_SUCCESS, .service = "cli-console", .signal = KILL_SIGNAL_TERMINATE };
        assert_string_equal_free(kill_result_format(&r), "Sent TERM to service cli-console");
        r.signal = KILL_SIGNAL_KILL;
        r.service = "editor";
        assert_string_equal_free(kill_result_format(&r), "Sent KILL to service editor");
        r.signal = KILL_SIGNAL_INTERRUPT;
        assert_string_equal_free(kill_result_format(&r), "Sent INT to service editor");

        r = (KillResult) { .kind = KILL_RESULT_NOT_FOUND, .service = "cli-console" };
        assert_string_equal_free(kill_result_format(&r), "Service cli-console not found");
        r = (KillResult) { .kind = KILL_RESULT_ALREADY_STOPPED, .service = "cli-console" };
        assert_string_equal_free(kill_result_format(&r), "Service cli-console is already stopped");
        r = (KillResult) { .kind = KILL_RESULT_FAILED, .service = "cli-console",
                           .reason = "Operation not permitted" };
        assert_string_equal_free(kill_result_format(&r), "Failed to kill cli-console: Operation not permitted");

        assert_string_equal(kill_result_kind_to_string(KILL_RESULT_ALREADY_STOPPED), "already-stopped");
        assert_int_equal(kill_result_kind_from_string("not-found"), KILL_RESULT_NOT_FOUND);
        r.kind = _KILL_RESULT_MAX;
        assert_null(kill_result_format(&r));
}

int main(int argc, char *argv[]) {
        const struct CMUnitTest tests[] = {
                cmocka_unit_test(test_process_info_creation),
                cmocka_unit_test(test_process_list_add_remove),
                cmocka_unit_test(test_process_list_by_state),
                cmocka_unit_test(test_process_list_get_by_name),
                cmocka_unit_test(test_process_list_format_table),
                cmocka_unit_test(test_process_table_long_and_utf8_names),
                cmocka_unit_test(test_kill_signal),
                cmocka_unit_test(test_kill_signal_spellings),
                cmocka_unit_test(test_kill_signal_unknown),
                cmocka_unit_test(test_kill_result_display),
        };
        return pgs_run_tests(argc, argv, tests);
}
