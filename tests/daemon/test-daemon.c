/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* End to end: a real pgsandboxd, real sandboxes, real programs that crash,
 * driven through the D-Bus API as the CLI would. Each test starts its own
 * daemon and proves afterwards that no process, cgroup or socket is left.
 * The crash kinds that need cgroup controllers (OOM, pids) are in the VM
 * tier (test-daemon-limits). */
#include <grp.h>
#include <pwd.h>
#include <signal.h>
#include <sys/stat.h>
#include <sys/wait.h>

#include "test-util.h"

#include "daemon-harness.h"

static Harness H;

static char *policy_text(const char *name, const char *exec_args, const char *extra) {
        char *s = NULL;
        assert_true(asprintf(&s,
                             "[Service]\nName=%s\nExec=%s %s\nAutoStart=yes\n%s",
                             name, harness_crasher(), exec_args, extra ?: "") >= 0);
        return s;
}

static void add_policy(const char *name, const char *exec_args, const char *extra) {
        char *t = policy_text(name, exec_args, extra);
        harness_write_policy(&H, name, t);
        free(t);
}

static void assert_evidence_contains(const char *name, const char *needle) {
        char *e = harness_get_string(&H, name, "CrashEvidence");
        assert_non_null(e);
        if (!strstr(e, needle))
                fail_msg("evidence of %s is '%s', expected it to contain '%s'", name, e, needle);
        free(e);
}

static void test_exit_code_backoff_and_start_limit(void **state) {
        add_policy("exits", "exit 1",
                   "Restart=on-failure\nRestartSec=100ms\nRestartMaxDelaySec=1s\n"
                   "StartLimitBurst=5\nStartLimitIntervalSec=60s\n");
        harness_start(&H);
        harness_wait_status(&H, "exits", "Failed (Exit code: 1) [restarts: 5]", 15000);
        assert_evidence_contains("exits", "start limit hit");
        static const unsigned expected_ms[] = { 100, 200, 400, 800, 1000 };

        /* The delays, from the daemon's own death records (GetHistory,
         * newest first): each run's start minus the previous run's end.
         * The daemon's clock, not this test's, so a loaded machine does
         * not blur them. */
        sd_bus_error error = SD_BUS_ERROR_NULL;
        sd_bus_message *reply = NULL;
        uint64_t started[8], ended[8], task;
        const char *kind, *reason, *evidence;
        uint64_t mem, pids;
        size_t n = 0;
        assert_true(sd_bus_call_method(H.bus, NULL, "/org/pgsandbox1", "org.pgsandbox1.Manager", "GetHistory", &error,
                                       &reply, "s", "exits") >= 0);
        assert_true(sd_bus_message_enter_container(reply, 'a', "(tttssstt)") >= 0);
        while (n < ELEMENTSOF(started) &&
               sd_bus_message_read(reply, "(tttssstt)", &task, &started[n], &ended[n], &kind, &reason, &evidence, &mem,
                                   &pids) > 0) {
                assert_string_equal(reason, "Exit code: 1");
                n++;
        }
        sd_bus_message_unref(reply);
        assert_int_equal(n, 6); /* the first run and five restarts */
        size_t k = 0;
        for (size_t i = n - 1; i > 0; i--, k++) {
                /* run i is older than run i-1 */
                long ms = (long) ((started[i - 1] - ended[i]) / 1000);
                if (labs(ms - (long) expected_ms[k]) > 50)
                        fail_msg("restart %zu came after %ld ms, expected %u ms (±50)", k + 1, ms, expected_ms[k]);
        }
        assert_int_equal(k, 5);
        harness_stop(&H);
}

static void test_panic_from_c_assert(void **state) {
        add_policy("asserts", "assert", NULL);
        harness_start(&H);
        harness_wait_status(&H, "asserts", "Failed (Panic: Assertion `queue_len > 0' failed)", 10000);
        assert_evidence_contains("asserts", "crasher.c:");
        assert_evidence_contains("asserts", "killed by SIGABRT");
        harness_stop(&H);
}

static void test_panic_from_python(void **state) {
        struct stat st;
        if (stat("/usr/bin/python3", &st) < 0) {
                skip(); /* cmocka: this one case needs Debian's python3 */
                return;
        }
        harness_write_policy(&H, "py",
                             "[Service]\nExec=/usr/bin/python3 -c \"import sys\\ndef main():\\n    return 1 / 0\\nmain()\"\n"
                             "AutoStart=yes\n");
        harness_start(&H);
        harness_wait_status(&H, "py", "Failed (Panic: ZeroDivisionError: division by zero)", 10000);
        assert_evidence_contains("py", "File \"<string>\", line 3, in main");
        harness_stop(&H);
}

static void test_seccomp_blocked_syscall(void **state) {
        add_policy("tracer", "ptrace", NULL);
        harness_start(&H);
        harness_wait_status(&H, "tracer", "Failed (Killed by signal: SYS)", 10000);
        assert_evidence_contains("tracer", "seccomp blocked ptrace(2)");
        harness_stop(&H);
}

static void test_missing_binary(void **state) {
        harness_write_policy(&H, "missing", "[Service]\nExec=/nonexistent/pgs-no-such-binary --flag\nAutoStart=yes\n");
        harness_start(&H);
        harness_wait_status(&H, "missing",
                            "Failed (Error: exec /nonexistent/pgs-no-such-binary: No such file or directory)", 10000);
        harness_stop(&H);
}

static void test_signal_crash(void **state) {
        add_policy("segv", "segv", "[Sandbox]\nLimitCORE=0\n");
        harness_start(&H);
        harness_wait_status(&H, "segv", "Failed (Killed by signal: SEGV)", 10000);
        harness_stop(&H);
}

static void test_kill_term_is_not_restarted(void **state) {
        char *kind, *msg;

        add_policy("sleeper", "sleep 1000", "Restart=always\n");
        harness_start(&H);
        harness_wait_status(&H, "sleeper", "Running", 10000);
        assert_true(harness_get_number(&H, "sleeper", "MainPID") > 1);

        harness_call_verb(&H, "Kill", "sleeper", "TERM", &kind, &msg);
        assert_string_equal(kind, "success");
        assert_string_equal(msg, "Sent TERM to service sleeper");
        free(kind), free(msg);
        harness_wait_status(&H, "sleeper", "Stopped (Killed by signal: TERM)", 10000);
        assert_int_equal(harness_get_number(&H, "sleeper", "Restarts"), 0);
        assert_int_equal(harness_get_number(&H, "sleeper", "MainPID"), 0);

        harness_call_verb(&H, "Kill", "sleeper", "-9", &kind, &msg);
        assert_string_equal(kind, "already-stopped");
        assert_string_equal(msg, "Service sleeper is already stopped");
        free(kind), free(msg);
        harness_call_verb(&H, "Kill", "nope", "KILL", &kind, &msg);
        assert_string_equal(kind, "not-found");
        assert_string_equal(msg, "Service nope not found");
        free(kind), free(msg);

        /* Started again by the operator, then KILL: the whole sandbox at once. */
        harness_call_verb(&H, "Start", "sleeper", NULL, &kind, &msg);
        assert_string_equal(msg, "Started service sleeper");
        free(kind), free(msg);
        harness_wait_status(&H, "sleeper", "Running", 10000);
        harness_call_verb(&H, "Kill", "sleeper", "SIGKILL", &kind, &msg);
        assert_string_equal(msg, "Sent KILL to service sleeper");
        free(kind), free(msg);
        harness_wait_status(&H, "sleeper", "Stopped (Killed by signal: KILL)", 10000);
        harness_stop(&H);
}

static void test_stop_timeout_escalates_to_kill(void **state) {
        char *kind, *msg;

        /* Type=notify: Running once it ignores TERM (it says so with READY=1). */
        add_policy("stubborn", "ignore-term", "TimeoutStopSec=300ms\nType=notify\n");
        harness_start(&H);
        harness_wait_status(&H, "stubborn", "Running", 10000);
        harness_call_verb(&H, "Stop", "stubborn", NULL, &kind, &msg);
        assert_string_equal(kind, "success");
        free(kind), free(msg);
        harness_wait_status(&H, "stubborn", "Stopped (Timeout)", 10000);
        assert_evidence_contains("stubborn", "stop timeout (TimeoutStopSec=300ms)");
        harness_stop(&H);
}

static void test_limit_without_controller_is_an_error(void **state) {
        /* On a host whose memory controller is bound to cgroup v1 (like the CI
         * host), a limit must fail loudly, never run without it. */
        FILE *f = fopen("/sys/fs/cgroup/unified/cgroup.controllers", "re");
        char line[256] = "";
        if (!f || !fgets(line, sizeof line, f) || strstr(line, "memory")) {
                if (f)
                        fclose(f);
                skip(); /* this host has a v2 memory controller: the VM tier tests the OOM */
                return;
        }
        fclose(f);
        add_policy("capped", "sleep 100", "[Resources]\nMemoryMax=64M\n");
        harness_start(&H);
        char *status = NULL;
        harness_wait_status(&H, "capped", "Failed (Error: MemoryMax= needs the cgroup v2 memory controller, which "
                                          "this host does not provide: the memory controller is bound to cgroup v1)",
                            10000);
        free(status);
        harness_stop(&H);
}

/* A non-root caller can read, and every change is refused with nothing done. */
static void test_non_root_is_denied(void **state) {
        add_policy("guarded", "sleep 1000", NULL);
        harness_start(&H);
        harness_wait_status(&H, "guarded", "Running", 10000);
        uint64_t task = harness_get_number(&H, "guarded", "TaskId");

        pid_t pid = fork();
        assert_true(pid >= 0);
        if (pid == 0) {
                /* nobody */
                if (setgroups(0, NULL) < 0 || setresgid(65534, 65534, 65534) < 0 || setresuid(65534, 65534, 65534) < 0)
                        _exit(10);
                sd_bus *bus = harness_connect(&H);
                if (!bus)
                        _exit(11);
                static const struct {
                        const char *method, *sig, *expected;
                } calls[] = {
                        { "Kill", "as", "Permission denied: killing sandboxes requires root" },
                        { "Stop", "as", "Permission denied: stopping sandboxes requires root" },
                        { "Start", "as", "Permission denied: starting sandboxes requires root" },
                        { "Restart", "as", "Permission denied: restarting sandboxes requires root" },
                };
                for (size_t i = 0; i < ELEMENTSOF(calls); i++) {
                        sd_bus_error error = SD_BUS_ERROR_NULL;
                        int r = streq(calls[i].method, "Kill")
                                        ? sd_bus_call_method(bus, NULL, "/org/pgsandbox1", "org.pgsandbox1.Manager",
                                                             "Kill", &error, NULL, "ass", 1, "guarded", "KILL")
                                        : sd_bus_call_method(bus, NULL, "/org/pgsandbox1", "org.pgsandbox1.Manager",
                                                             calls[i].method, &error, NULL, "as", 1, "guarded");
                        if (r >= 0 || !sd_bus_error_has_name(&error, SD_BUS_ERROR_ACCESS_DENIED) ||
                            !streq(error.message, calls[i].expected)) {
                                fprintf(stderr, "%s: r=%d %s: %s\n", calls[i].method, r, error.name, error.message);
                                _exit(20 + (int) i);
                        }
                        sd_bus_error_free(&error);
                }
                sd_bus_error error = SD_BUS_ERROR_NULL;
                if (sd_bus_call_method(bus, NULL, "/org/pgsandbox1", "org.pgsandbox1.Manager", "Reload", &error, NULL,
                                       "") >= 0 ||
                    !streq(error.message, "Permission denied: reloading policies requires root"))
                        _exit(30);
                sd_bus_error_free(&error);
                /* Reads are open. */
                sd_bus_message *reply = NULL;
                if (sd_bus_call_method(bus, NULL, "/org/pgsandbox1", "org.pgsandbox1.Manager", "ListSandboxes", &error,
                                       &reply, "") < 0) {
                        fprintf(stderr, "ListSandboxes: %s: %s\n", error.name, error.message);
                        _exit(31);
                }
                sd_bus_message_unref(reply);
                sd_bus_flush_close_unref(bus);
                _exit(0);
        }
        int status;
        assert_int_equal(waitpid(pid, &status, 0), pid);
        assert_true(WIFEXITED(status));
        assert_int_equal(WEXITSTATUS(status), 0);

        /* Nothing happened: the same run is still running. */
        char *s = harness_get_string(&H, "guarded", "Status");
        assert_string_equal(s, "Running");
        free(s);
        assert_int_equal(harness_get_number(&H, "guarded", "TaskId"), task);
        harness_stop(&H);
}


static void test_runtime_max_is_a_timeout(void **state) {
        add_policy("bounded", "sleep 1000", "RuntimeMaxSec=300ms\n");
        harness_start(&H);
        harness_wait_status(&H, "bounded", "Failed (Timeout)", 10000);
        assert_evidence_contains("bounded", "runtime timeout (RuntimeMaxSec=300ms)");
        harness_stop(&H);
}

/* Reload (SIGHUP here, the API in test-cli): a bad file is reported and the
 * old version of its service stays; a new file adds a service; a running
 * service is not disturbed by its policy changing. */
static void test_reload_keeps_old_version_of_a_bad_file(void **state) {
        add_policy("steady", "sleep 1000", NULL);
        harness_start(&H);
        harness_wait_status(&H, "steady", "Running", 10000);
        uint64_t task = harness_get_number(&H, "steady", "TaskId");

        harness_write_policy(&H, "steady", "[Service]\nExec=relative/path\n"); /* broken */
        add_policy("newcomer", "sleep 1000", NULL);
        assert_int_equal(kill(H.daemon, SIGHUP), 0);
        /* Added, not started: AutoStart= applies when the daemon starts, as
         * systemd's daemon-reload starts nothing. */
        char *n = NULL;
        for (int i = 0; i < 500 && !n; i++) { /* a new Stopped service sends no signal: ask */
                n = harness_get_string(&H, "newcomer", "Status");
                if (!n)
                        usleep(10000);
        }
        assert_non_null(n);
        assert_string_equal(n, "Stopped");
        free(n);
        /* The broken file changed nothing: same run, same policy. */
        char *s = harness_get_string(&H, "steady", "Status");
        assert_string_equal(s, "Running");
        free(s);
        assert_int_equal(harness_get_number(&H, "steady", "TaskId"), task);

        /* A valid change applies from the next start, not to the running sandbox. */
        add_policy("steady", "sleep 2000", "Description=changed\n");
        assert_int_equal(kill(H.daemon, SIGHUP), 0);
        usleep(300000);
        assert_int_equal(harness_get_number(&H, "steady", "TaskId"), task);
        s = harness_get_string(&H, "steady", "Status");
        assert_string_equal(s, "Running");
        free(s);
        harness_stop(&H);
}

/* busctl, the standard tool, works on the private socket. */
static void test_busctl_introspect(void **state) {
        char cmd[512], line[512];
        bool found = false;

        add_policy("any", "sleep 1000", NULL);
        harness_start(&H);
        snprintf(cmd, sizeof cmd, "busctl --address=%s introspect org.pgsandbox1 /org/pgsandbox1 2>&1", H.address);
        FILE *p = popen(cmd, "re");
        assert_non_null(p);
        while (fgets(line, sizeof line, p))
                found = found || strstr(line, ".ListSandboxes");
        assert_int_equal(pclose(p), 0);
        assert_true(found);
        harness_stop(&H);
}

/* A sandbox without User= runs as uid 0 and sees /run: it must still not
 * be able to drive the API (kill another sandbox, start one, reload). */
static void test_sandbox_cannot_use_the_api(void **state) {
        char text[1024];

        add_policy("victim", "sleep 1000", NULL);
        harness_start(&H);
        harness_wait_status(&H, "victim", "Running", 10000);
        harness_kill_daemon(&H, SIGTERM);
        snprintf(text, sizeof text,
                 "[Service]\nExec=/usr/bin/busctl --address=unix:path=%s/bus call org.pgsandbox1 /org/pgsandbox1 "
                 "org.pgsandbox1.Manager Kill ass 1 victim KILL\nAutoStart=yes\n",
                 H.runtime_dir);
        harness_write_policy(&H, "intruder", text);
        harness_respawn_daemon(&H);
        /* busctl fails: the daemon closes connections from inside a sandbox. */
        harness_wait_status(&H, "intruder", "Failed (Exit code: 1)", 10000);
        char *s = harness_get_string(&H, "victim", "Status");
        assert_string_equal(s, "Running");
        free(s);
        harness_stop(&H);
}

/* The transient Run API: its values cannot add keys or sections. */
static void test_run_rejects_injection(void **state) {
        sd_bus_error error = SD_BUS_ERROR_NULL;
        sd_bus_message *call = NULL;

        add_policy("anchor", "sleep 1000", NULL);
        harness_start(&H);
        assert_true(sd_bus_message_new_method_call(H.bus, &call, NULL, "/org/pgsandbox1", "org.pgsandbox1.Manager",
                                                   "Run") >= 0);
        assert_true(sd_bus_message_append(call, "as", 2, "/bin/sleep", "1") >= 0);
        assert_true(sd_bus_message_append(call, "a{sv}", 1, "Name", "s", "x\n[Sandbox]\nCapabilities=CAP_SYS_ADMIN") >= 0);
        assert_true(sd_bus_call(H.bus, call, 0, &error, NULL) < 0);
        assert_true(sd_bus_error_has_name(&error, SD_BUS_ERROR_INVALID_ARGS));
        assert_non_null(strstr(error.message, "Invalid name"));
        sd_bus_error_free(&error);
        call = sd_bus_message_unref(call);
        assert_null(harness_get_string(&H, "x", "Status"));

        /* A newline inside an argument stays inside the argument. */
        const char *name;
        sd_bus_message *reply = NULL;
        assert_true(sd_bus_message_new_method_call(H.bus, &call, NULL, "/org/pgsandbox1", "org.pgsandbox1.Manager",
                                                   "Run") >= 0);
        assert_true(sd_bus_message_append(call, "as", 3, "/bin/sh", "-c", "exit 4\n[Sandbox]\nCapabilities=CAP_SYS_ADMIN") >= 0);
        assert_true(sd_bus_message_append(call, "a{sv}", 1, "Name", "s", "oneshot") >= 0);
        assert_true(sd_bus_call(H.bus, call, 0, &error, &reply) >= 0);
        assert_true(sd_bus_message_read(reply, "s", &name) >= 0);
        assert_string_equal(name, "oneshot");
        harness_wait_status(&H, "oneshot", "Failed (Exit code: 4)", 10000);
        sd_bus_message_unref(reply);
        sd_bus_message_unref(call);
        harness_stop(&H);
}

int main(int argc, char *argv[]) {
        TEST_REQUIRE_ROOT();
        const struct CMUnitTest tests[] = {
                cmocka_unit_test_prestate_setup_teardown(test_exit_code_backoff_and_start_limit, NULL, harness_teardown, &H),
                cmocka_unit_test_prestate_setup_teardown(test_panic_from_c_assert, NULL, harness_teardown, &H),
                cmocka_unit_test_prestate_setup_teardown(test_panic_from_python, NULL, harness_teardown, &H),
                cmocka_unit_test_prestate_setup_teardown(test_seccomp_blocked_syscall, NULL, harness_teardown, &H),
                cmocka_unit_test_prestate_setup_teardown(test_missing_binary, NULL, harness_teardown, &H),
                cmocka_unit_test_prestate_setup_teardown(test_signal_crash, NULL, harness_teardown, &H),
                cmocka_unit_test_prestate_setup_teardown(test_kill_term_is_not_restarted, NULL, harness_teardown, &H),
                cmocka_unit_test_prestate_setup_teardown(test_stop_timeout_escalates_to_kill, NULL, harness_teardown, &H),
                cmocka_unit_test_prestate_setup_teardown(test_limit_without_controller_is_an_error, NULL, harness_teardown, &H),
                cmocka_unit_test_prestate_setup_teardown(test_non_root_is_denied, NULL, harness_teardown, &H),
                cmocka_unit_test_prestate_setup_teardown(test_sandbox_cannot_use_the_api, NULL, harness_teardown, &H),
                cmocka_unit_test_prestate_setup_teardown(test_runtime_max_is_a_timeout, NULL, harness_teardown, &H),
                cmocka_unit_test_prestate_setup_teardown(test_reload_keeps_old_version_of_a_bad_file, NULL,
                                                         harness_teardown, &H),
                cmocka_unit_test_prestate_setup_teardown(test_busctl_introspect, NULL, harness_teardown, &H),
                cmocka_unit_test_prestate_setup_teardown(test_run_rejects_injection, NULL, harness_teardown, &H),
        };
        return pgs_run_tests(argc, argv, tests);
}
