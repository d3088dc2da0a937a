/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* User, groups and capabilities; and no way out from inside. Needs root. */
#include <sched.h>
#include <stdio.h>

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

int main(int argc, char *argv[]) {
        test_require_sandbox();
        const struct CMUnitTest tests[] = {
                cmocka_unit_test(test_net_bind_service_as_nobody),
                cmocka_unit_test(test_nobody_without_capability_cannot_bind),
                cmocka_unit_test(test_supplementary_groups),
                cmocka_unit_test(test_no_escape),
        };
        return pgs_run_tests(argc, argv, tests);
}
