/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Seccomp: kill-process with the blocked syscall named, errno, a strict
 * allow-list, and one compiled filter shared by many starts. Needs root. */
#include <signal.h>
#include <sys/mman.h>
#include <stdio.h>

#include "sandbox-test-util.h"

static void test_default_profile_kills_with_evidence(void **state) {
        static const char * const names[] = { "ptrace", "mount", "kexec_load", "init_module" };

        for (size_t i = 0; i < ELEMENTSOF(names); i++) {
                char *argv[] = { (char *) test_helper_path(), "syscall", (char *) names[i], NULL };
                SandboxConfig c;
                SandboxSeccompSpec spec;
                SandboxResult res;
                char expected[64];

                test_default_config(&c, &spec, argv);
                _cleanup_free_ char *out = test_sandbox_run(&c, -EBADF, &res);
                /* The call never returned: nothing printed. */
                assert_string_equal(out, "");
                assert_int_equal(res.kind, SANDBOX_RESULT_SIGNALED);
                assert_int_equal(res.signal, SIGSYS);
                assert_string_equal_free(test_result_description(&res), "Killed by signal: SYS");
                char *evidence = NULL;
                assert_int_equal(sandbox_result_evidence(&res, &evidence), 0);
                snprintf(expected, sizeof expected, "seccomp blocked %s(2)", names[i]);
                assert_string_equal_free(evidence, expected);
        }
}

/* The same for a service of another user: the init, down to CAP_KILL,
 * CAP_SYS_PTRACE and CAP_DAC_READ_SEARCH, still reads what it was blocked in. */
static void test_evidence_for_other_user(void **state) {
        char *argv[] = { (char *) test_helper_path(), "syscall", "init_module", NULL };
        SandboxConfig c;
        SandboxSeccompSpec spec;
        SandboxResult res;

        test_default_config(&c, &spec, argv);
        c.user = "nobody";
        _cleanup_free_ char *out = test_sandbox_run(&c, -EBADF, &res);
        assert_string_equal_free(test_result_description(&res), "Killed by signal: SYS");
        char *evidence = NULL;
        assert_int_equal(sandbox_result_evidence(&res, &evidence), 0);
        assert_string_equal_free(evidence, "seccomp blocked init_module(2)");
}

static void test_errno_action_continues(void **state) {
        char script[512];
        snprintf(script, sizeof script, "%1$s syscall ptrace; %1$s syscall mount; %1$s syscall kexec_load; "
                 "%1$s syscall init_module; echo after", test_helper_path());
        char *argv[] = { "/bin/sh", "-c", script, NULL };
        SandboxConfig c;
        SandboxSeccompSpec spec;
        SandboxResult res;

        test_default_config(&c, &spec, argv);
        spec.action = SANDBOX_SECCOMP_ERRNO;
        spec.errno_value = EPERM;
        _cleanup_free_ char *out = test_sandbox_run(&c, -EBADF, &res);
        assert_string_equal_free(test_result_description(&res), "Exit code: 0");
        assert_string_equal(out, "ptrace: EPERM\nmount: EPERM\nkexec_load: EPERM\ninit_module: EPERM\nafter\n");
}

/* Action=log: the call is allowed (and audited); what the kernel then says
 * comes from the missing capability, and the program goes on. */
static void test_log_action_allows(void **state) {
        char script[256];
        snprintf(script, sizeof script, "%s syscall ptrace; echo after", test_helper_path());
        char *argv[] = { "/bin/sh", "-c", script, NULL };
        SandboxConfig c;
        SandboxSeccompSpec spec;
        SandboxResult res;

        test_default_config(&c, &spec, argv);
        spec.action = SANDBOX_SECCOMP_LOG;
        _cleanup_free_ char *out = test_sandbox_run(&c, -EBADF, &res);
        assert_string_equal_free(test_result_description(&res), "Exit code: 0");
        assert_string_equal(out, "ptrace: EPERM\nafter\n");
}

/* What a dynamically linked program that reads and writes files needs. */
static char *strict_allow[] = {
        "execve", "brk", "arch_prctl", "mmap", "munmap", "mprotect", "openat", "open", "close", "read",
        "write", "pread64", "pwrite64", "fstat", "newfstatat", "stat", "lseek", "unlink", "unlinkat",
        "exit", "exit_group", "access", "faccessat2", "set_tid_address", "set_robust_list", "rseq",
        "prlimit64", "getrandom", "futex", "rt_sigaction", "rt_sigprocmask", "rt_sigreturn", "ioctl",
        NULL,
};

static void test_strict_allow_list_service_runs(void **state) {
        char *argv[] = { (char *) test_helper_path(), "rw", "/tmp", NULL };
        SandboxConfig c;
        SandboxSeccompSpec spec;
        SandboxResult res;

        test_default_config(&c, &spec, argv);
        spec = (SandboxSeccompSpec) {
                .mode = SANDBOX_SECCOMP_ALLOW_LIST,
                .action = SANDBOX_SECCOMP_KILL_PROCESS,
                .syscalls = strict_allow,
                .ignore_unknown = true,
        };
        c.protect_system = SANDBOX_PROTECT_SYSTEM_STRICT;
        _cleanup_free_ char *out = test_sandbox_run(&c, -EBADF, &res);
        char *evidence = NULL;
        assert_int_equal(sandbox_result_evidence(&res, &evidence), 0);
        if (evidence)
                fail_msg("%s", evidence);
        assert_string_equal_free(test_result_description(&res), "Exit code: 0");
        assert_string_equal(out, "rw: ok\n");

        /* And the same list kills a program that does more (ptrace). */
        char *argv2[] = { (char *) test_helper_path(), "syscall", "ptrace", NULL };
        c.path = argv2[0];
        c.argv = argv2;
        _cleanup_free_ char *out2 = test_sandbox_run(&c, -EBADF, &res);
        assert_int_equal(sandbox_result_evidence(&res, &evidence), 0);
        assert_string_equal_free(evidence, "seccomp blocked ptrace(2)");
}

static void test_filter_compiled_once_shared(void **state) {
        SandboxSeccompSpec spec = {
                .mode = SANDBOX_SECCOMP_DENY_LIST,
                .action = SANDBOX_SECCOMP_KILL_PROCESS,
                .syscalls = test_default_deny(),
                .ignore_unknown = true,
        };
        _cleanup_(sandbox_seccomp_filter_unrefp) SandboxSeccompFilter *f = NULL;
        assert_int_equal(sandbox_seccomp_compile(&spec, &f), 0);
        assert_true(sandbox_seccomp_filter_size(f) > 50);

        char *argv[] = { (char *) test_helper_path(), "syscall", "ptrace", NULL };
        SandboxConfig c;
        SandboxSeccompSpec unused;
        test_default_config(&c, &unused, argv);
        c.seccomp = NULL;
        c.seccomp_filter = f;
        _cleanup_(sandbox_prepared_freep) SandboxPrepared *p = NULL;
        assert_int_equal(sandbox_prepare(&c, &p, NULL), 0);
        /* Three starts from one prepared sandbox and one filter. */
        for (int i = 0; i < 3; i++) {
                _cleanup_(sandbox_process_freep) SandboxProcess *proc = NULL;
                SandboxResult res;
                assert_int_equal(sandbox_spawn(p, -EBADF, NULL, &proc), 0);
                assert_int_equal(sandbox_wait(proc, &res), 0);
                assert_int_equal(res.signal, SIGSYS);
                char *evidence = NULL;
                assert_int_equal(sandbox_result_evidence(&res, &evidence), 0);
                assert_string_equal_free(evidence, "seccomp blocked ptrace(2)");
        }
}

/* Compiled in one process, used in another: the daemon-to-monitor path. */
static void test_filter_exported_and_imported(void **state) {
        SandboxSeccompSpec spec = {
                .mode = SANDBOX_SECCOMP_DENY_LIST,
                .syscalls = test_default_deny(),
                .ignore_unknown = true,
        };
        _cleanup_(sandbox_seccomp_filter_unrefp) SandboxSeccompFilter *f = NULL, *g = NULL;
        _cleanup_close_ int fd = -EBADF;
        assert_int_equal(sandbox_seccomp_compile(&spec, &f), 0);
        assert_int_equal(sandbox_seccomp_filter_export(f, &fd), 0);
        /* Sealed: nobody can change the program after the export. */
        assert_true(write(fd, "x", 1) < 0);
        assert_int_equal(sandbox_seccomp_filter_import(fd, &g), 0);
        assert_int_equal(sandbox_seccomp_filter_size(g), sandbox_seccomp_filter_size(f));

        char *argv[] = { (char *) test_helper_path(), "syscall", "mount", NULL };
        SandboxConfig c;
        SandboxSeccompSpec unused;
        SandboxResult res;
        test_default_config(&c, &unused, argv);
        c.seccomp = NULL;
        c.seccomp_filter = g;
        _cleanup_free_ char *out = test_sandbox_run(&c, -EBADF, &res);
        char *evidence = NULL;
        assert_int_equal(sandbox_result_evidence(&res, &evidence), 0);
        assert_string_equal_free(evidence, "seccomp blocked mount(2)");

        /* Garbage is refused. */
        _cleanup_close_ int bad = memfd_create("bad", MFD_CLOEXEC);
        assert_true(bad >= 0);
        assert_int_equal(write(bad, "not a filter at all", 19), 19);
        SandboxSeccompFilter *h = NULL;
        assert_int_equal(sandbox_seccomp_filter_import(bad, &h), -EBADMSG);
}

int main(int argc, char *argv[]) {
        test_require_sandbox();
        const struct CMUnitTest tests[] = {
                cmocka_unit_test_teardown(test_default_profile_kills_with_evidence, test_cleanup),
                cmocka_unit_test_teardown(test_evidence_for_other_user, test_cleanup),
                cmocka_unit_test_teardown(test_errno_action_continues, test_cleanup),
                cmocka_unit_test_teardown(test_log_action_allows, test_cleanup),
                cmocka_unit_test_teardown(test_strict_allow_list_service_runs, test_cleanup),
                cmocka_unit_test_teardown(test_filter_compiled_once_shared, test_cleanup),
                cmocka_unit_test_teardown(test_filter_exported_and_imported, test_cleanup),
        };
        return pgs_run_tests(argc, argv, tests);
}
