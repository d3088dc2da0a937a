/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* User, groups and capabilities; and no way out from inside. Needs root. */
#include <sched.h>
#include <stdio.h>
#include <sys/stat.h>

#include "sandbox-test-util.h"

static void test_net_bind_service_as_nobody(void **state) {
        char script[512];
        snprintf(script, sizeof script,
                 "id -u; id -g; grep -E '^Cap(Prm|Eff|Bnd|Amb|Inh):' /proc/self/status; exec %s bind80",
                 test_helper_path());
        char *argv[] = { "/bin/sh", "-c", script, NULL };
        char *names[] = { "CAP_NET_BIND_SERVICE", NULL };
        SandboxConfig c;
        SandboxSeccompSpec spec;
        SandboxResult res;

        test_default_config(&c, &spec, argv);
        c.user = "nobody";
        assert_int_equal(sandbox_capabilities_from_names(names, &c.capabilities), 0);
        assert_int_equal(c.capabilities, UINT64_C(1) << 10);

        _cleanup_free_ char *out = test_sandbox_run(&c, -EBADF, &res);
        assert_string_equal_free(test_result_description(&res), "Exit code: 0");
        static const char * const expected[] = {
                "65534", "CapInh:\t0000000000000400", "CapPrm:\t0000000000000400",
                "CapEff:\t0000000000000400", "CapBnd:\t0000000000000400", "CapAmb:\t0000000000000400",
                "bind: ok",
        };
        for (size_t i = 0; i < ELEMENTSOF(expected); i++)
                if (!test_has_line(out, expected[i]))
                        fail_msg("'%s' not in:\n%s", expected[i], out);
}

static void test_nobody_without_capability_cannot_bind(void **state) {
        char *argv[] = { (char *) test_helper_path(), "bind80", NULL };
        SandboxConfig c;
        SandboxSeccompSpec spec;
        SandboxResult res;

        test_default_config(&c, &spec, argv);
        c.user = "nobody";
        _cleanup_free_ char *out = test_sandbox_run(&c, -EBADF, &res);
        assert_string_equal(out, "bind: EACCES\n");
}

static void test_supplementary_groups(void **state) {
        char *argv[] = { "/bin/sh", "-c", "id -u; id -g; id -G", NULL };
        gid_t extra[] = { 4242, 4343 };
        SandboxConfig c;
        SandboxSeccompSpec spec;
        SandboxResult res;

        test_default_config(&c, &spec, argv);
        c.uid = 1234;
        c.gid = 5678;
        c.supplementary_gids = extra;
        c.n_supplementary_gids = ELEMENTSOF(extra);
        _cleanup_free_ char *out = test_sandbox_run(&c, -EBADF, &res);
        assert_string_equal_free(test_result_description(&res), "Exit code: 0");
        assert_string_equal(out, "1234\n5678\n5678 4242 4343\n");
}

static void test_rlimits_applied(void **state) {
        char *argv[] = { "/bin/sh", "-c", "ulimit -n; ulimit -c", NULL };
        static const SandboxRlimit limits[] = {
                { RLIMIT_NOFILE, { 123, 456 } },
                { RLIMIT_CORE, { 0, 0 } },
        };
        SandboxConfig c;
        SandboxSeccompSpec spec;
        SandboxResult res;

        test_default_config(&c, &spec, argv);
        c.rlimits = limits;
        c.n_rlimits = ELEMENTSOF(limits);
        _cleanup_free_ char *out = test_sandbox_run(&c, -EBADF, &res);
        assert_string_equal_free(test_result_description(&res), "Exit code: 0");
        assert_string_equal(out, "123\n0\n");
}

/* Every way out fails: with the default profile's calls turned into EPERM
 * (so that the program goes on and reports each), and with no seccomp
 * filter at all (namespaces and dropped capabilities alone hold). */
static void test_no_escape(void **state) {
        char *argv[] = { (char *) test_helper_path(), "escape", NULL };
        static const char * const calls[] = { "mount", "umount2", "unshare", "setns", "ptrace",
                                               "chroot", "capset", "ambient" };

        for (int with_filter = 1; with_filter >= 0; with_filter--) {
                SandboxConfig c;
                SandboxSeccompSpec spec;
                SandboxResult res;

                test_default_config(&c, &spec, argv);
                spec.action = SANDBOX_SECCOMP_ERRNO;
                spec.errno_value = EPERM;
                if (!with_filter)
                        c.seccomp = NULL;
                _cleanup_free_ char *out = test_sandbox_run(&c, -EBADF, &res);
                assert_string_equal_free(test_result_description(&res), "Exit code: 0");
                for (size_t i = 0; i < ELEMENTSOF(calls); i++) {
                        char line[64];
                        snprintf(line, sizeof line, "%s: ok", calls[i]);
                        if (strstr(out, line))
                                fail_msg("%s succeeded inside the sandbox (filter: %d):\n%s", calls[i],
                                         with_filter, out);
                        snprintf(line, sizeof line, "%s: E", calls[i]);
                        if (!strstr(out, line))
                                fail_msg("no result for %s:\n%s", calls[i], out);
                }
                if (with_filter) {
                        assert_true(test_has_line(out, "mount: EPERM"));
                        assert_true(test_has_line(out, "ptrace: EPERM"));
                        assert_true(test_has_line(out, "unshare: EPERM"));
                        assert_true(test_has_line(out, "setns: EPERM"));
                }
        }
}

/* Only when asked: a user namespace, mapping the sandbox's root to host
 * uid 100000. Inside, the service is uid 0 without capabilities; a file it
 * creates in a bound host directory belongs to 100000 outside. */
static void test_user_namespace_when_asked(void **state) {
        char *dir = (char *) test_mkdtemp("userns");
        char script[512], path[64];
        assert_int_equal(chmod(dir, 0777), 0);
        snprintf(script, sizeof script,
                 "id -u; cat /proc/self/uid_map; grep -E '^Cap(Eff|Bnd):' /proc/self/status; "
                 "stat -L -c %%i /proc/self/ns/user; echo x > %s/made-inside",
                 dir);
        char *argv[] = { "/bin/sh", "-c", script, NULL };
        SandboxBind bind[] = { { dir, NULL } };
        SandboxConfig c;
        SandboxSeccompSpec spec;
        SandboxResult res;

        test_default_config(&c, &spec, argv);
        c.namespaces |= CLONE_NEWUSER;
        c.uid_map = "0 100000 65536";
        c.gid_map = "0 100000 65536";
        c.bind_paths = bind;
        c.n_bind_paths = 1;
        _cleanup_free_ char *out = test_sandbox_run(&c, -EBADF, &res);
        assert_string_equal_free(test_result_description(&res), "Exit code: 0");

        struct stat st;
        char line[64];
        assert_int_equal(stat("/proc/self/ns/user", &st), 0);
        snprintf(line, sizeof line, "%lu", (unsigned long) st.st_ino);
        assert_false(test_has_line(out, line));
        assert_true(test_has_line(out, "0"));
        assert_non_null(strstr(out, "100000"));
        assert_true(test_has_line(out, "CapEff:\t0000000000000000"));
        assert_true(test_has_line(out, "CapBnd:\t0000000000000000"));

        snprintf(path, sizeof path, "%s/made-inside", dir);
        assert_int_equal(stat(path, &st), 0);
        assert_int_equal(st.st_uid, 100000);
        assert_int_equal(st.st_gid, 100000);
        assert_int_equal(unlink(path), 0);
        assert_int_equal(rmdir(dir), 0);
}

/* A map the kernel refuses is a setup error like any other. */
static void test_user_namespace_bad_map(void **state) {
        char *argv[] = { "/bin/true", NULL };
        SandboxConfig c;
        SandboxSeccompSpec spec;
        SandboxResult res;

        test_default_config(&c, &spec, argv);
        c.namespaces |= CLONE_NEWUSER;
        c.uid_map = "0 100000 65536\n0 200000 1";
        _cleanup_free_ char *out = test_sandbox_run(&c, -EBADF, &res);
        assert_string_equal_free(test_result_description(&res),
                                 "Error: setup failed at user-namespace: Invalid argument");
}

int main(int argc, char *argv[]) {
        test_require_sandbox();
        const struct CMUnitTest tests[] = {
                cmocka_unit_test_teardown(test_net_bind_service_as_nobody, test_cleanup),
                cmocka_unit_test_teardown(test_nobody_without_capability_cannot_bind, test_cleanup),
                cmocka_unit_test_teardown(test_supplementary_groups, test_cleanup),
                cmocka_unit_test_teardown(test_rlimits_applied, test_cleanup),
                cmocka_unit_test_teardown(test_no_escape, test_cleanup),
                cmocka_unit_test_teardown(test_user_namespace_when_asked, test_cleanup),
                cmocka_unit_test_teardown(test_user_namespace_bad_map, test_cleanup),
        };
        return pgs_run_tests(argc, argv, tests);
}
