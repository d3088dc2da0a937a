/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Setup errors give a clear "Error: ..." and leave nothing behind (the
 * test util proves: init reaped, no process in the sandbox's namespaces,
 * mount table unchanged; and here: the cgroup is empty). Needs root. */
#include <fcntl.h>
#include <sched.h>
#include <stdio.h>
#include <sys/mount.h>
#include <sys/stat.h>

#include "sandbox-test-util.h"

#include "fileio.h"

/* Runs in a fresh cgroup and removes it, proving that nothing stayed in it. */
static char *run_in_cgroup(const SandboxConfig *c, SandboxResult *res) {
        char *cg_path = NULL;
        int cg = test_cgroup_new(&cg_path);
        char *out = test_sandbox_run(c, cg, res);
        safe_close(cg);
        test_cgroup_remove(cg_path);
        return out;
}

static void test_missing_binary(void **state) {
        char *argv[] = { "/nonexistent/bin/pgs-service", NULL };
        SandboxConfig c;
        SandboxSeccompSpec spec;
        SandboxResult res;

        test_default_config(&c, &spec, argv);
        _cleanup_free_ char *out = run_in_cgroup(&c, &res);
        assert_int_equal(res.kind, SANDBOX_RESULT_SETUP_ERROR);
        assert_int_equal(res.step, SANDBOX_STEP_EXEC);
        assert_string_equal_free(test_result_description(&res),
                                 "Error: exec /nonexistent/bin/pgs-service: No such file or directory");
}

static void test_not_executable(void **state) {
        char *dir = (char *) test_mkdtemp("noexec");
        char path[64];
        snprintf(path, sizeof path, "%s/service", dir);
        assert_int_equal(write_file_atomic(path, "#!/bin/sh\necho hi\n", 18, 0644), 0);
        char *argv[] = { path, NULL };
        SandboxConfig c;
        SandboxSeccompSpec spec;
        SandboxResult res;
        char expected[128];

        test_default_config(&c, &spec, argv);
        _cleanup_free_ char *out = run_in_cgroup(&c, &res);
        snprintf(expected, sizeof expected, "Error: exec %s: Permission denied", path);
        assert_string_equal_free(test_result_description(&res), expected);
        assert_string_equal(out, "");
        assert_int_equal(unlink(path), 0);
        assert_int_equal(rmdir(dir), 0);
}

static void test_unknown_user(void **state) {
        char *argv[] = { "/bin/true", NULL };
        SandboxConfig c;
        SandboxSeccompSpec spec;
        SandboxResult res = {};
        SandboxPrepared *p = NULL;

        test_default_config(&c, &spec, argv);
        c.user = "pgs-no-such-user";
        /* Resolved before anything is created: nothing to leave behind. */
        assert_int_equal(sandbox_prepare(&c, &p, &res), -ESRCH);
        assert_null(p);
        assert_int_equal(res.kind, SANDBOX_RESULT_SETUP_ERROR);
        assert_string_equal_free(test_result_description(&res), "Error: user 'pgs-no-such-user' does not exist");
}

static void test_unwritable_root_directory(void **state) {
        /* An empty root directory on a read-only mount: the sandbox cannot
         * create /proc and /dev in it. */
        char *dir = (char *) test_mkdtemp("root");
        /* The read-only bind is made in a mount namespace of this test
         * process (one process per test case), a slave of the host's:
         * nothing of it reaches the host or the tests running beside. */
        assert_int_equal(unshare(CLONE_NEWNS), 0);
        assert_int_equal(mount(NULL, "/", NULL, MS_REC | MS_SLAVE, NULL), 0);
        assert_int_equal(mount(dir, dir, NULL, MS_BIND, NULL), 0);
        assert_int_equal(mount(NULL, dir, NULL, MS_BIND | MS_REMOUNT | MS_RDONLY, NULL), 0);

        char *argv[] = { "/bin/true", NULL };
        SandboxConfig c;
        SandboxSeccompSpec spec;
        SandboxResult res;
        test_default_config(&c, &spec, argv);
        c.root_directory = dir;
        _cleanup_free_ char *out = run_in_cgroup(&c, &res);
        assert_int_equal(umount2(dir, 0), 0);

        assert_int_equal(res.kind, SANDBOX_RESULT_SETUP_ERROR);
        assert_string_equal_free(test_result_description(&res),
                                 "Error: setup failed at mounts: Read-only file system");
        assert_int_equal(rmdir(dir), 0);
}

static void test_missing_working_directory(void **state) {
        char *argv[] = { "/bin/true", NULL };
        SandboxConfig c;
        SandboxSeccompSpec spec;
        SandboxResult res;

        test_default_config(&c, &spec, argv);
        c.working_directory = "/nonexistent-pgs-dir";
        _cleanup_free_ char *out = run_in_cgroup(&c, &res);
        assert_string_equal_free(test_result_description(&res),
                                 "Error: setup failed at working-directory: No such file or directory");
}

int main(int argc, char *argv[]) {
        test_require_sandbox();
        const struct CMUnitTest tests[] = {
                cmocka_unit_test_teardown(test_missing_binary, test_cleanup),
                cmocka_unit_test_teardown(test_not_executable, test_cleanup),
                cmocka_unit_test_teardown(test_unknown_user, test_cleanup),
                cmocka_unit_test_teardown(test_unwritable_root_directory, test_cleanup),
                cmocka_unit_test_teardown(test_missing_working_directory, test_cleanup),
        };
        return pgs_run_tests(argc, argv, tests);
}
