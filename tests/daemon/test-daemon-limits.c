/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* End to end, for the crash kinds that need cgroup v2 controllers: a real
 * OOM kill under MemoryMax= and a real fork refusal under PidsMax=. They run
 * in the VM tier (tests/vm), where the kernel boots with cgroup_no_v1=all;
 * elsewhere they skip unless the host delegates memory and pids to v2. */
#include <signal.h>
#include <sys/stat.h>

#include "test-util.h"

#include "daemon-harness.h"

static Harness H;

static bool host_has_controllers(void) {
        static const char * const roots[] = { "/sys/fs/cgroup/unified", "/sys/fs/cgroup" };
        for (size_t i = 0; i < ELEMENTSOF(roots); i++) {
                char path[128], line[512] = "";
                snprintf(path, sizeof path, "%s/cgroup.controllers", roots[i]);
                FILE *f = fopen(path, "re");
                if (!f)
                        continue;
                bool ok = fgets(line, sizeof line, f) && strstr(line, "memory") && strstr(line, "pids");
                fclose(f);
                return ok;
        }
        return false;
}

static void test_oom_kill_is_a_resource_limit(void **state) {
        char text[1024];
        snprintf(text, sizeof text,
                 "[Service]\nName=hog\nExec=%s hog 256\nAutoStart=yes\nRestart=on-failure\nRestartSec=100ms\n"
                 "StartLimitBurst=2\n[Resources]\nMemoryMax=32M\nMemorySwapMax=0\n",
                 harness_crasher());
        harness_write_policy(&H, "hog", text);
        harness_start(&H);
        harness_wait_status(&H, "hog", "Failed (Resource limit exceeded: memory (memory.max=32M)) [restarts: 2]",
                            60000);
        char *e = harness_get_string(&H, "hog", "CrashEvidence");
        assert_non_null(e);
        if (!strstr(e, "memory.events oom_kill rose by"))
                fail_msg("evidence '%s' does not name memory.events", e);
        free(e);
        harness_stop(&H);
}

static void test_pids_limit_is_a_resource_limit(void **state) {
        char text[1024];
        snprintf(text, sizeof text,
                 "[Service]\nName=forks\nExec=%s forkbomb\nAutoStart=yes\n[Resources]\nPidsMax=16\n",
                 harness_crasher());
        harness_write_policy(&H, "forks", text);
        harness_start(&H);
        harness_wait_status(&H, "forks", "Failed (Resource limit exceeded: pids (pids.max=16))", 60000);
        char *e = harness_get_string(&H, "forks", "CrashEvidence");
        assert_non_null(e);
        if (!strstr(e, "pids.events max rose by"))
                fail_msg("evidence '%s' does not name pids.events", e);
        free(e);
        harness_stop(&H);
}

/* An OOM kill while no daemon runs: the next daemon reads it from the exit
 * record (the monitor put the cgroup's counters there before anything was
 * removed) and applies the restart policy once. */
static void test_oom_while_daemon_is_down(void **state) {
        char text[1024], trigger[256], record[512];

        harness_write_policy(&H, "placeholder", "[Service]\nExec=/bin/true\n");
        snprintf(trigger, sizeof trigger, "%s/hog-now", H.dir);
        snprintf(text, sizeof text,
                 "[Service]\nName=hog\nExec=%s hog-when %s 256\nAutoStart=yes\nRestart=on-failure\nRestartSec=100ms\n"
                 "[Resources]\nMemoryMax=32M\nMemorySwapMax=0\n",
                 harness_crasher(), trigger);
        harness_write_policy(&H, "hog", text);
        harness_start(&H);
        harness_wait_status(&H, "hog", "Running", 20000);
        harness_kill_daemon(&H, SIGKILL);

        FILE *f = fopen(trigger, "we");
        assert_non_null(f);
        fclose(f);
        snprintf(record, sizeof record, "%s/sandboxes/hog/exit", H.runtime_dir);
        for (int i = 0; i < 3000 && access(record, F_OK) < 0; i++)
                usleep(10000);
        assert_int_equal(access(record, F_OK), 0);
        assert_int_equal(unlink(trigger), 0); /* the restarted run waits again */

        harness_respawn_daemon(&H);
        harness_wait_status(&H, "hog", "Running [restarts: 1]", 30000);
        char *reason = harness_get_string(&H, "hog", "CrashReason");
        assert_string_equal(reason, "Resource limit exceeded: memory (memory.max=32M)");
        free(reason);
        harness_stop(&H);
}

int main(int argc, char *argv[]) {
        TEST_REQUIRE_ROOT();
        TEST_SKIP_UNLESS(host_has_controllers(),
                         "the cgroup v2 memory and pids controllers are not available here (bound to cgroup v1); "
                         "tests/vm/run-vm-tests runs this test in a VM that has them");
        const struct CMUnitTest tests[] = {
                cmocka_unit_test_prestate_setup_teardown(test_oom_kill_is_a_resource_limit, NULL, harness_teardown, &H),
                cmocka_unit_test_prestate_setup_teardown(test_pids_limit_is_a_resource_limit, NULL, harness_teardown, &H),
                cmocka_unit_test_prestate_setup_teardown(test_oom_while_daemon_is_down, NULL, harness_teardown, &H),
        };
        return pgs_run_tests(argc, argv, tests);
}
