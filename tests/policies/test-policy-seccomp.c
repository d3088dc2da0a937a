/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The shipped seccomp data (every name known to libseccomp, every @group
 * reference resolvable, no loops), the resolution of [Seccomp] into a spec,
 * and the profiles on the real kernel: the strict allow list runs a shell
 * and coreutils, the default deny list stops what it should. Loading a
 * filter needs no root (no_new_privs is enough). */
#include <seccomp.h>
#include <sys/mount.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/wait.h>

#include "test-util.h"

#include "policy.h"
#include "strv.h"

static void test_group_data(void **state) {
        size_t n = policy_seccomp_group_count();
        assert_true(n >= 20);
        for (size_t i = 0; i < n; i++) {
                const char *name = policy_seccomp_group_name(i);
                assert_true(name[0] == '@');
                assert_true(strlen(policy_seccomp_group_description(i)) > 0);
                for (size_t j = 0; j < i; j++)
                        if (streq(name, policy_seccomp_group_name(j)))
                                fail_msg("group %s is listed twice", name);

                _cleanup_strv_free_ char **members = policy_seccomp_group_members(name);
                assert_non_null(members);
                assert_non_null(members[0]);
                STRV_FOREACH(m, members) {
                        if ((*m)[0] == '@') {
                                _cleanup_strv_free_ char **sub = policy_seccomp_group_members(*m);
                                if (!sub)
                                        fail_msg("group %s refers to the unknown group %s", name, *m);
                        } else if (seccomp_syscall_resolve_name(*m) == __NR_SCMP_ERROR)
                                fail_msg("group %s: libseccomp does not know the syscall '%s'", name, *m);
                }
                /* Expands (no loops, no unknown groups). */
                char *deny[] = { (char *) name, NULL };
                PolicySeccomp s = { .profile = POLICY_SECCOMP_PROFILE_NONE, .deny = deny };
                PolicySeccompSpec spec = {};
                assert_int_equal(policy_seccomp_resolve(&s, &spec), 0);
                policy_seccomp_spec_done(&spec);
        }
        static const char * const required[] = {
                "@mount", "@module", "@reboot", "@swap", "@raw-io", "@clock", "@debug", "@obsolete",
                "@privileged", "@keyring",
        };
        for (size_t i = 0; i < ELEMENTSOF(required); i++) {
                _cleanup_strv_free_ char **m = policy_seccomp_group_members(required[i]);
                if (!m)
                        fail_msg("the group %s is missing", required[i]);
        }
        assert_null(policy_seccomp_group_members("@nonexistent"));
        for (int p = 0; p < _POLICY_SECCOMP_PROFILE_MAX; p++)
                assert_non_null(policy_seccomp_profile_description(p));
}

static PolicySeccompSpec resolve(PolicySeccompProfile profile, const char *allow, const char *deny) {
        _cleanup_strv_free_ char **a = NULL, **d = NULL;
        if (allow)
                assert_int_equal(strv_extend(&a, allow), 0);
        if (deny)
                assert_int_equal(strv_extend(&d, deny), 0);
        PolicySeccomp s = { .profile = profile, .allow = a, .deny = d, .action = POLICY_SECCOMP_ACTION_KILL };
        PolicySeccompSpec spec = {};
        assert_int_equal(policy_seccomp_resolve(&s, &spec), 0);
        /* Sorted, no duplicates, all on the host architecture. */
        for (char **x = spec.syscalls; x && *x; x++) {
                assert_true(seccomp_syscall_resolve_name(*x) >= 0);
                if (x != spec.syscalls && strcmp(x[-1], *x) >= 0)
                        fail_msg("not sorted or not unique: %s, %s", x[-1], *x);
        }
        return spec;
}

static void test_resolve(void **state) {
        static const struct {
                PolicySeccompProfile profile;
                const char *allow, *deny;
                PolicySeccompMode mode;
                const char *present[4], *absent[4];
        } table[] = {
                { POLICY_SECCOMP_PROFILE_DEFAULT, NULL, NULL, POLICY_SECCOMP_MODE_DENY_LIST,
                  { "mount", "bpf", "kexec_load", "ptrace" }, { "read", "clone3", "execve", "socket" } },
                { POLICY_SECCOMP_PROFILE_DEFAULT, "@mount", "read", POLICY_SECCOMP_MODE_DENY_LIST,
                  { "read", "bpf" }, { "mount", "chroot", "pivot_root" } },
                { POLICY_SECCOMP_PROFILE_DEFAULT, "@privileged", NULL, POLICY_SECCOMP_MODE_DENY_LIST,
                  { "ptrace", "keyctl" }, { "mount", "reboot", "bpf", "settimeofday" } },
                { POLICY_SECCOMP_PROFILE_STRICT, NULL, NULL, POLICY_SECCOMP_MODE_ALLOW_LIST,
                  { "read", "execve", "clone3", "socket" }, { "mount", "ptrace", "bpf", "unshare" } },
                { POLICY_SECCOMP_PROFILE_STRICT, "ptrace", "@network-io", POLICY_SECCOMP_MODE_ALLOW_LIST,
                  { "ptrace", "read" }, { "socket", "connect", "mount" } },
                { POLICY_SECCOMP_PROFILE_NONE, NULL, NULL, POLICY_SECCOMP_MODE_NONE, {}, { "mount" } },
                { POLICY_SECCOMP_PROFILE_NONE, "chroot", "@mount", POLICY_SECCOMP_MODE_DENY_LIST,
                  { "mount", "pivot_root" }, { "chroot", "read" } },
        };
        for (size_t i = 0; i < ELEMENTSOF(table); i++) {
                PolicySeccompSpec spec = resolve(table[i].profile, table[i].allow, table[i].deny);
                assert_int_equal(spec.mode, table[i].mode);
                assert_int_equal(spec.action, POLICY_SECCOMP_ACTION_KILL);
                for (size_t j = 0; j < 4 && table[i].present[j]; j++)
                        if (!strv_contains(spec.syscalls, table[i].present[j]))
                                fail_msg("case %zu: %s is missing", i, table[i].present[j]);
                for (size_t j = 0; j < 4 && table[i].absent[j]; j++)
                        if (strv_contains(spec.syscalls, table[i].absent[j]))
                                fail_msg("case %zu: %s should not be there", i, table[i].absent[j]);
                policy_seccomp_spec_done(&spec);
        }
}

/* Runs argv under the spec's filter (the action is always kill, so that a
 * missing syscall shows as SIGSYS) and returns the wait status. */
static int run_filtered(const PolicySeccompSpec *spec, char * const argv[]) {
        bool allow = spec->mode == POLICY_SECCOMP_MODE_ALLOW_LIST;
        scmp_filter_ctx ctx = seccomp_init(allow ? SCMP_ACT_KILL_PROCESS : SCMP_ACT_ALLOW);
        assert_non_null(ctx);
        STRV_FOREACH(s, spec->syscalls) {
                int nr = seccomp_syscall_resolve_name(*s);
                assert_true(nr >= 0);
                uint32_t action = allow ? SCMP_ACT_ALLOW : SCMP_ACT_ERRNO(EPERM);
                assert_int_equal(seccomp_rule_add(ctx, action, nr, 0), 0);
        }
        fflush(NULL);
        pid_t pid = fork();
        assert_true(pid >= 0);
        if (pid == 0) {
                if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0 || seccomp_load(ctx) < 0)
                        _exit(EXIT_TEST_SKIP);
                execv(argv[0], argv);
                _exit(127);
        }
        seccomp_release(ctx);
        int status;
        assert_int_equal(waitpid(pid, &status, 0), pid);
        return status;
}

static void test_strict_profile_runs_a_shell(void **state) {
        TEST_SKIP_UNLESS(access("/bin/sh", X_OK) == 0, "no /bin/sh");
        PolicySeccompSpec spec = resolve(POLICY_SECCOMP_PROFILE_STRICT, NULL, NULL);
        /* Dynamically linked programs: sh and coreutils. */
        char * const argv[] = {
                (char *) "/bin/sh", (char *) "-ec",
                (char *) "d=$(mktemp -d); cd \"$d\"; echo 'hello world' > a; cat a | tr a-z A-Z | sort | head -n 1 > b;"
                         "grep -q HELLO b; cp a c; mkdir e; mv c e/; ls -la e > /dev/null; wc -l a > /dev/null;"
                         "stat a > /dev/null; date > /dev/null; id > /dev/null; env > /dev/null; sleep 0.01;"
                         "sed -e s/hello/bye/ a > /dev/null; find . -name a > /dev/null; touch -d @0 a; chmod 600 a;"
                         "ln -s a f; readlink f > /dev/null; uname -a > /dev/null; cd /; rm -rf \"$d\"; /bin/true",
                NULL,
        };
        int status = run_filtered(&spec, argv);
        policy_seccomp_spec_done(&spec);
        TEST_SKIP_UNLESS(!(WIFEXITED(status) && WEXITSTATUS(status) == EXIT_TEST_SKIP),
                         "cannot load a seccomp filter here");
        if (WIFSIGNALED(status))
                fail_msg("the shell was killed by signal %d%s", WTERMSIG(status),
                         WTERMSIG(status) == SIGSYS ? " (SIGSYS: the strict profile misses a syscall)" : "");
        assert_true(WIFEXITED(status));
        assert_int_equal(WEXITSTATUS(status), 0);
}

static void test_default_profile_denies(void **state) {
        PolicySeccompSpec spec = resolve(POLICY_SECCOMP_PROFILE_DEFAULT, NULL, NULL);
        scmp_filter_ctx ctx = seccomp_init(SCMP_ACT_ALLOW);
        assert_non_null(ctx);
        STRV_FOREACH(s, spec.syscalls)
                assert_int_equal(seccomp_rule_add(ctx, SCMP_ACT_ERRNO(EPERM), seccomp_syscall_resolve_name(*s), 0), 0);
        policy_seccomp_spec_done(&spec);

        pid_t pid = fork();
        assert_true(pid >= 0);
        if (pid == 0) {
                if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0 || seccomp_load(ctx) < 0)
                        _exit(EXIT_TEST_SKIP);
                /* Each must fail with EPERM from the filter, whatever our privileges. */
                if (syscall(SYS_unshare, CLONE_NEWUSER) != -1 || errno != EPERM)
                        _exit(10);
                if (syscall(SYS_mount, "none", "/tmp", "tmpfs", 0, NULL) != -1 || errno != EPERM)
                        _exit(11);
                if (syscall(SYS_bpf, 0, NULL, 0) != -1 || errno != EPERM)
                        _exit(12);
                if (syscall(SYS_ptrace, 0 /* PTRACE_TRACEME */, 0, 0, 0) != -1 || errno != EPERM)
                        _exit(13);
                if (syscall(SYS_getpid) <= 0)
                        _exit(14);
                _exit(0);
        }
        seccomp_release(ctx);
        int status;
        assert_int_equal(waitpid(pid, &status, 0), pid);
        TEST_SKIP_UNLESS(!(WIFEXITED(status) && WEXITSTATUS(status) == EXIT_TEST_SKIP),
                         "cannot load a seccomp filter here");
        assert_true(WIFEXITED(status));
        assert_int_equal(WEXITSTATUS(status), 0);
}

int main(int argc, char *argv[]) {
        const struct CMUnitTest tests[] = {
                cmocka_unit_test(test_group_data),
                cmocka_unit_test(test_resolve),
                cmocka_unit_test(test_strict_profile_runs_a_shell),
                cmocka_unit_test(test_default_profile_denies),
        };
        return pgs_run_tests(argc, argv, tests);
}
