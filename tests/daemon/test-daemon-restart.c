/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Nothing lost: sandboxes survive the daemon's crash (kill -9) and stop, the
 * next daemon takes them over with the same ids, task ids, start times and
 * restart counts, and a run that ended while no daemon ran is recorded with
 * its exact reason and restarted once by its policy. */
#include <dirent.h>
#include <signal.h>
#include <sys/stat.h>

#include "test-util.h"

#include "daemon-harness.h"

#define N_STEADY 50

static Harness H;

typedef struct Snapshot {
        char *id;
        uint64_t task, started, restarts, pid;
} Snapshot;

static void snapshot(const char *name, Snapshot *ret) {
        ret->id = harness_get_string(&H, name, "Id");
        assert_non_null(ret->id);
        ret->task = harness_get_number(&H, name, "TaskId");
        ret->started = harness_get_number(&H, name, "StartedAt");
        ret->restarts = harness_get_number(&H, name, "Restarts");
        ret->pid = harness_get_number(&H, name, "MainPID");
}

static size_t count_dirs(const char *path) {
        size_t n = 0;
        DIR *d = opendir(path);
        struct dirent *de;
        while (d && (de = readdir(d)))
                if (de->d_type == DT_DIR && de->d_name[0] != '.')
                        n++;
        if (d)
                closedir(d);
        return n;
}

static void test_sandboxes_survive_daemon_restarts(void **state, int sig) {
        char text[512], name[32];
        Snapshot before[N_STEADY];

        for (int i = 0; i < N_STEADY; i++) {
                snprintf(name, sizeof name, "steady%02d", i);
                snprintf(text, sizeof text, "[Service]\nExec=%s sleep 1000\nRestart=always\nAutoStart=yes\n",
                         harness_crasher());
                harness_write_policy(&H, name, text);
        }
        /* Exits 3 once the test creates the file: while the daemon is down. */
        char trigger[256];
        snprintf(trigger, sizeof trigger, "%s/leave-now", H.dir);
        snprintf(text, sizeof text,
                 "[Service]\nExec=%s exit-when %s 3\nRestart=on-failure\nRestartSec=100ms\nAutoStart=yes\n",
                 harness_crasher(), trigger);
        harness_write_policy(&H, "leaver", text);
        harness_start(&H);
        for (int i = 0; i < N_STEADY; i++) {
                snprintf(name, sizeof name, "steady%02d", i);
                harness_wait_status(&H, name, "Running", 20000);
                snapshot(name, &before[i]);
                assert_true(before[i].pid > 1);
        }
        harness_wait_status(&H, "leaver", "Running", 10000);
        uint64_t leaver_task = harness_get_number(&H, "leaver", "TaskId");

        /* The daemon goes away; the leaver's run ends meanwhile, and its
         * monitor writes the exit record. */
        harness_kill_daemon(&H, sig);
        char record[512];
        snprintf(record, sizeof record, "%s/sandboxes/leaver/exit", H.runtime_dir);
        FILE *f = fopen(trigger, "we");
        assert_non_null(f);
        fclose(f);
        for (int i = 0; i < 1000 && access(record, F_OK) < 0; i++)
                usleep(10000);
        assert_int_equal(access(record, F_OK), 0);
        assert_int_equal(unlink(trigger), 0); /* its next run waits again */
        harness_respawn_daemon(&H);

        /* Every steady sandbox is the same run as before, listed Running at once. */
        for (int i = 0; i < N_STEADY; i++) {
                Snapshot after;
                snprintf(name, sizeof name, "steady%02d", i);
                harness_wait_status(&H, name, "Running", 5000);
                snapshot(name, &after);
                assert_string_equal(after.id, before[i].id);
                assert_int_equal(after.task, before[i].task);
                assert_int_equal(after.started, before[i].started);
                assert_int_equal(after.restarts, before[i].restarts);
                assert_int_equal(after.pid, before[i].pid);
                free(after.id);
        }
        /* The leaver: its exit 3 was recorded and restarted once, by policy. */
        harness_wait_status(&H, "leaver", "Running [restarts: 1]", 10000);
        char *reason = harness_get_string(&H, "leaver", "CrashReason");
        assert_string_equal(reason, "Exit code: 3");
        free(reason);
        assert_true(harness_get_number(&H, "leaver", "TaskId") > leaver_task);

        /* No duplicate or orphan: one cgroup per service, each with its two leaves. */
        assert_int_equal(count_dirs(H.cgroup_path), N_STEADY + 1);
        for (int i = 0; i < N_STEADY; i++) {
                char path[512];
                snprintf(path, sizeof path, "%s/steady%02d", H.cgroup_path, i);
                assert_int_equal(count_dirs(path), 2);
                free(before[i].id);
        }
        harness_stop(&H);
}

static void test_survive_kill_9(void **state) {
        test_sandboxes_survive_daemon_restarts(state, SIGKILL);
}

static void test_survive_term(void **state) {
        test_sandboxes_survive_daemon_restarts(state, SIGTERM);
}

int main(int argc, char *argv[]) {
        TEST_REQUIRE_ROOT();
        const struct CMUnitTest tests[] = {
                cmocka_unit_test_prestate_setup_teardown(test_survive_kill_9, NULL, harness_teardown, &H),
                cmocka_unit_test_prestate_setup_teardown(test_survive_term, NULL, harness_teardown, &H),
        };
        return pgs_run_tests(argc, argv, tests);
}
