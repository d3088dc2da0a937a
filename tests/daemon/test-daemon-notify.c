/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The notify protocol, end to end: the real systemd-notify and libsystemd's
 * sd_notify() inside sandboxes, the start timeout, the watchdog, and a
 * forged READY=1 from another sandbox. */
#include <sys/stat.h>

#include "test-util.h"

#include "daemon-harness.h"

static Harness H;

static const char *notifier(void) {
        return harness_stage("pgs-test-notifier", "tests/daemon/pgs-test-notifier");
}

static void assert_evidence(const char *name, const char *needle) {
        char *e = harness_get_string(&H, name, "CrashEvidence");
        assert_non_null(e);
        if (!strstr(e, needle))
                fail_msg("evidence of %s is '%s', expected '%s' in it", name, e, needle);
        free(e);
}

static void test_systemd_notify_ready(void **state) {
        struct stat st;
        if (stat("/usr/bin/systemd-notify", &st) < 0) {
                skip();
                return;
        }
        harness_write_policy(&H, "shell",
                             "[Service]\nType=notify\nAutoStart=yes\n"
                             "Exec=/bin/sh -c \"sleep 0.3; systemd-notify --ready --status='warmed up'; exec sleep 1000\"\n");
        harness_start(&H);
        harness_wait_status(&H, "shell", "Starting", 5000);
        harness_wait_status(&H, "shell", "Running", 10000);
        char *t = harness_get_string(&H, "shell", "StatusText");
        assert_string_equal(t, "warmed up");
        free(t);
        harness_stop(&H);
}

static void test_sd_notify_ready(void **state) {
        char text[512];
        snprintf(text, sizeof text, "[Service]\nType=notify\nAutoStart=yes\nExec=%s ready\n", notifier());
        harness_write_policy(&H, "lib", text);
        harness_start(&H);
        harness_wait_status(&H, "lib", "Starting", 5000);
        harness_wait_status(&H, "lib", "Running", 10000);
        char *t = harness_get_string(&H, "lib", "StatusText");
        assert_string_equal(t, "serving requests");
        free(t);
        harness_stop(&H);
}

static void test_missing_ready_is_a_start_timeout(void **state) {
        harness_write_policy(&H, "mute", "[Service]\nType=notify\nAutoStart=yes\nTimeoutStartSec=500ms\n"
                                         "Exec=/bin/sleep 1000\n");
        harness_start(&H);
        harness_wait_status(&H, "mute", "Failed (Timeout)", 10000);
        assert_evidence("mute", "start timeout (TimeoutStartSec=500ms)");
        harness_stop(&H);
}

static void test_stopped_watchdog_is_a_timeout(void **state) {
        char text[512];
        snprintf(text, sizeof text, "[Service]\nType=notify\nAutoStart=yes\nWatchdogSec=300ms\nExec=%s watchdog 3\n",
                 notifier());
        harness_write_policy(&H, "dog", text);
        harness_start(&H);
        harness_wait_status(&H, "dog", "Running", 10000);
        harness_wait_status(&H, "dog", "Failed (Timeout)", 10000);
        assert_evidence("dog", "watchdog timeout (WatchdogSec=300ms)");
        harness_stop(&H);
}

static void test_forged_ready_is_refused(void **state) {
        char text[512];
        /* "target" waits for READY=1 that only a forger from another sandbox sends. */
        harness_write_policy(&H, "target", "[Service]\nType=notify\nAutoStart=yes\nTimeoutStartSec=2s\n"
                                           "Exec=/bin/sleep 1000\n");
        snprintf(text, sizeof text, "[Service]\nAutoStart=yes\nExec=%s forge %s/sandboxes/target/notify\n", notifier(),
                 H.runtime_dir);
        harness_write_policy(&H, "forger", text);
        harness_start(&H);
        harness_wait_status(&H, "forger", "Running", 10000);
        /* The forger is still running: its READY=1 was sent (it exits 3 if
         * not). The target stayed Starting, then the start timeout: the
         * forged READY=1 changed nothing. */
        usleep(300000);
        char *f = harness_get_string(&H, "forger", "Status");
        assert_string_equal(f, "Running");
        free(f);
        harness_wait_status(&H, "target", "Failed (Timeout)", 10000);
        harness_stop(&H);
}

/* STOPPING=1 moves it to Stopping; ERRNO= goes into the evidence. */
static void test_stopping_and_errno(void **state) {
        char text[512];
        snprintf(text, sizeof text, "[Service]\nType=notify\nAutoStart=yes\nExec=%s gives-up\n", notifier());
        harness_write_policy(&H, "quitter", text);
        harness_start(&H);
        harness_wait_status(&H, "quitter", "Running", 10000);
        harness_wait_status(&H, "quitter", "Stopping", 10000);
        harness_wait_status(&H, "quitter", "Failed (Exit code: 1)", 10000);
        assert_evidence("quitter", "the service reported ERRNO=5 (Input/output error)");
        harness_stop(&H);
}

int main(int argc, char *argv[]) {
        TEST_REQUIRE_ROOT();
        const struct CMUnitTest tests[] = {
                cmocka_unit_test_prestate_setup_teardown(test_systemd_notify_ready, NULL, harness_teardown, &H),
                cmocka_unit_test_prestate_setup_teardown(test_sd_notify_ready, NULL, harness_teardown, &H),
                cmocka_unit_test_prestate_setup_teardown(test_missing_ready_is_a_start_timeout, NULL, harness_teardown, &H),
                cmocka_unit_test_prestate_setup_teardown(test_stopped_watchdog_is_a_timeout, NULL, harness_teardown, &H),
                cmocka_unit_test_prestate_setup_teardown(test_forged_ready_is_refused, NULL, harness_teardown, &H),
                cmocka_unit_test_prestate_setup_teardown(test_stopping_and_errno, NULL, harness_teardown, &H),
        };
        return pgs_run_tests(argc, argv, tests);
}
