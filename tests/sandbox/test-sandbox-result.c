/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The sandbox's pure logic: results to crash reasons and evidence, step
 * names, capability names, seccomp compilation. No root needed. */
#include <errno.h>
#include <signal.h>
#include <stdio.h>

#include "test-util.h"

#include "sandbox.h"

static char *describe(const SandboxResult *r) {
        _cleanup_(crash_reason_freep) CrashReason *cr = NULL;
        assert_int_equal(sandbox_result_to_crash_reason(r, &cr), 0);
        return crash_reason_description(cr);
}

static void test_result_descriptions(void **state) {
        static const struct {
                SandboxResult result;
                const char *expected;
        } table[] = {
                { { .kind = SANDBOX_RESULT_EXITED, .exit_code = 0 }, "Exit code: 0" },
                { { .kind = SANDBOX_RESULT_EXITED, .exit_code = 3 }, "Exit code: 3" },
                { { .kind = SANDBOX_RESULT_SIGNALED, .signal = SIGSYS, .blocked_syscall = 101 }, "Killed by signal: SYS" },
                { { .kind = SANDBOX_RESULT_SIGNALED, .signal = SIGSEGV, .core_dumped = true }, "Killed by signal: SEGV" },
                { { .kind = SANDBOX_RESULT_SETUP_ERROR, .step = SANDBOX_STEP_EXEC, .error = ENOENT,
                    .subject = "/usr/bin/foo" },
                  "Error: exec /usr/bin/foo: No such file or directory" },
                { { .kind = SANDBOX_RESULT_SETUP_ERROR, .step = SANDBOX_STEP_EXEC, .error = EACCES,
                    .subject = "/srv/app" },
                  "Error: exec /srv/app: Permission denied" },
                { { .kind = SANDBOX_RESULT_SETUP_ERROR, .step = SANDBOX_STEP_MOUNTS, .error = EACCES },
                  "Error: setup failed at mounts: Permission denied" },
                { { .kind = SANDBOX_RESULT_SETUP_ERROR, .step = SANDBOX_STEP_CAPABILITIES, .error = EPERM },
                  "Error: setup failed at capabilities: Operation not permitted" },
                { { .kind = SANDBOX_RESULT_SETUP_ERROR, .step = SANDBOX_STEP_USER, .error = ESRCH,
                    .subject = "alice" },
                  "Error: user 'alice' does not exist" },
        };
        for (size_t i = 0; i < ELEMENTSOF(table); i++)
                assert_string_equal_free(describe(&table[i].result), table[i].expected);
}

static void test_evidence(void **state) {
        SandboxResult r = { .kind = SANDBOX_RESULT_SIGNALED, .signal = SIGSYS, .blocked_syscall = 101 };
        char *e = NULL;
        assert_int_equal(sandbox_result_evidence(&r, &e), 0);
        assert_string_equal_free(e, "seccomp blocked ptrace(2)"); /* x86_64: 101 */
        r.blocked_syscall = -1;
        assert_int_equal(sandbox_result_evidence(&r, &e), 0);
        assert_null(e);
        r = (SandboxResult) { .kind = SANDBOX_RESULT_EXITED, .blocked_syscall = -1 };
        assert_int_equal(sandbox_result_evidence(&r, &e), 0);
        assert_null(e);
}

static void test_step_names(void **state) {
        for (int s = 0; s < _SANDBOX_STEP_MAX; s++) {
                const char *n = sandbox_step_to_string(s);
                assert_non_null(n);
                assert_int_equal(sandbox_step_from_string(n), s);
        }
        assert_string_equal(sandbox_step_to_string(SANDBOX_STEP_MOUNTS), "mounts");
        assert_int_equal(sandbox_step_from_string("nope"), -EINVAL);
        assert_null(sandbox_step_to_string(_SANDBOX_STEP_MAX));
}

static void test_capability_names(void **state) {
        char *ok[] = { "CAP_NET_BIND_SERVICE", "cap_kill", "SYS_ADMIN", NULL };
        char *bad[] = { "CAP_FLY", NULL };
        uint64_t m = 0;
        assert_int_equal(sandbox_capabilities_from_names(ok, &m), 0);
        assert_int_equal(m, (UINT64_C(1) << 10) | (UINT64_C(1) << 5) | (UINT64_C(1) << 21));
        assert_int_equal(sandbox_capabilities_from_names(bad, &m), -EINVAL);
        assert_int_equal(sandbox_capabilities_from_names(NULL, &m), 0);
        assert_int_equal(m, 0);
}

static void test_seccomp_compile(void **state) {
        char *names[] = { "ptrace", "mount", NULL };
        char *unknown[] = { "ptrace", "pgs_no_such_syscall", NULL };
        SandboxSeccompSpec spec = { .mode = SANDBOX_SECCOMP_DENY_LIST, .syscalls = names };
        _cleanup_(sandbox_seccomp_filter_unrefp) SandboxSeccompFilter *f = NULL;

        assert_int_equal(sandbox_seccomp_compile(&spec, &f), 0);
        assert_true(sandbox_seccomp_filter_size(f) > 2);
        assert_ptr_equal(sandbox_seccomp_filter_ref(f), f);
        assert_null(sandbox_seccomp_filter_unref(f)); /* still one reference left */

        SandboxSeccompFilter *g = NULL;
        spec.syscalls = unknown;
        assert_int_equal(sandbox_seccomp_compile(&spec, &g), -EINVAL);
        spec.ignore_unknown = true;
        assert_int_equal(sandbox_seccomp_compile(&spec, &g), 0);
        sandbox_seccomp_filter_unref(g);

        spec.action = SANDBOX_SECCOMP_ERRNO;
        spec.errno_value = 0;
        assert_int_equal(sandbox_seccomp_compile(&spec, &g), -EINVAL);
        spec.mode = SANDBOX_SECCOMP_NONE;
        spec.errno_value = EPERM;
        assert_int_equal(sandbox_seccomp_compile(&spec, &g), -EINVAL);

        char buf[32];
        assert_string_equal(sandbox_syscall_name(101, buf, sizeof buf), "ptrace");
        assert_null(sandbox_syscall_name(-1, buf, sizeof buf));
}

int main(int argc, char *argv[]) {
        const struct CMUnitTest tests[] = {
                cmocka_unit_test(test_result_descriptions),
                cmocka_unit_test(test_evidence),
                cmocka_unit_test(test_step_names),
                cmocka_unit_test(test_capability_names),
                cmocka_unit_test(test_seccomp_compile),
        };
        return pgs_run_tests(argc, argv, tests);
}
