/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The init: signal forwarding and reaping. Needs root. */
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <stdio.h>

#include "sandbox-test-util.h"

static const SandboxRlimit no_core[] = { { RLIMIT_CORE, { 0, 0 } } };

static void start_helper_as(TestSandbox *t, const char *verb, const char *user) {
        char *argv[] = { (char *) test_helper_path(), (char *) verb, NULL };
        SandboxConfig c;
        SandboxSeccompSpec spec;

        test_default_config(&c, &spec, argv);
        c.rlimits = no_core;
        c.n_rlimits = ELEMENTSOF(no_core);
        c.user = user;
        test_sandbox_start(t, &c, -EBADF);
        assert_true(t->started);
        _cleanup_free_ char *line = test_sandbox_read_line(t);
        assert_string_equal(line, "ready");
}

static void start_helper(TestSandbox *t, const char *verb) {
        start_helper_as(t, verb, NULL);
}

/* The init signals a service of another user (it keeps CAP_KILL). */
static void test_term_reaches_other_user(void **state) {
        TestSandbox t;
        SandboxResult res;

        start_helper_as(&t, "sigcount", "nobody");
        assert_int_equal(sandbox_process_kill(t.process, SIGINT), 0);
        _cleanup_free_ char *line = test_sandbox_read_line(&t);
        assert_string_equal(line, "int 1");
        assert_int_equal(sandbox_process_kill(t.process, SIGTERM), 0);
        _cleanup_free_ char *out = test_sandbox_finish(&t, &res);
        assert_string_equal(out, "term ints=1\n");
}

static void test_term_without_handler_stops(void **state) {
        TestSandbox t;
        SandboxResult res;

        start_helper(&t, "pause");
        assert_int_equal(sandbox_process_kill(t.process, SIGTERM), 0);
        _cleanup_free_ char *out = test_sandbox_finish(&t, &res);
        assert_int_equal(res.kind, SANDBOX_RESULT_SIGNALED);
        assert_string_equal_free(test_result_description(&res), "Killed by signal: TERM");
}

static void test_every_forwarded_signal_reaches_service(void **state) {
        static const int signals[] = { SIGHUP, SIGQUIT, SIGUSR1, SIGUSR2, SIGINT };

        for (size_t i = 0; i < ELEMENTSOF(signals); i++) {
                TestSandbox t;
                SandboxResult res;

                start_helper(&t, "pause");
                assert_int_equal(sandbox_process_kill(t.process, signals[i]), 0);
                _cleanup_free_ char *out = test_sandbox_finish(&t, &res);
                assert_int_equal(res.kind, SANDBOX_RESULT_SIGNALED);
                assert_int_equal(res.signal, signals[i]);
                assert_false(res.core_dumped); /* RLIMIT_CORE 0 reached the service */
        }
}

static void test_int_counted_once(void **state) {
        TestSandbox t;
        SandboxResult res;

        start_helper(&t, "sigcount");
        assert_int_equal(sandbox_process_kill(t.process, SIGINT), 0);
        _cleanup_free_ char *line = test_sandbox_read_line(&t);
        assert_string_equal(line, "int 1");
        assert_int_equal(sandbox_process_kill(t.process, SIGTERM), 0);
        _cleanup_free_ char *out = test_sandbox_finish(&t, &res);
        assert_string_equal(out, "term ints=1\n");
        assert_string_equal_free(test_result_description(&res), "Exit code: 0");
}

static void test_orphans_reaped(void **state) {
        char *argv[] = { (char *) test_helper_path(), "orphans", NULL };
        SandboxConfig c;
        SandboxSeccompSpec spec;
        SandboxResult res;

        test_default_config(&c, &spec, argv);
        _cleanup_free_ char *out = test_sandbox_run(&c, -EBADF, &res);
        assert_string_equal(out, "zombies=0\n");
        assert_string_equal_free(test_result_description(&res), "Exit code: 0");
}

static void test_kill_ends_whole_sandbox(void **state) {
        /* The service leaves a background child behind; KILL to the init
         * takes the pid namespace with it. */
        char script[256];
        snprintf(script, sizeof script, "%s pause & exec %s pause", test_helper_path(), test_helper_path());
        char *argv[] = { "/bin/sh", "-c", script, NULL };
        SandboxConfig c;
        SandboxSeccompSpec spec;
        TestSandbox t;
        SandboxResult res;

        test_default_config(&c, &spec, argv);
        test_sandbox_start(&t, &c, -EBADF);
        _cleanup_free_ char *l1 = test_sandbox_read_line(&t), *l2 = test_sandbox_read_line(&t);
        assert_string_equal(l1, "ready");
        assert_string_equal(l2, "ready");
        assert_int_equal(sandbox_process_kill(t.process, SIGKILL), 0);
        _cleanup_free_ char *out = test_sandbox_finish(&t, &res);
        assert_string_equal_free(test_result_description(&res), "Killed by signal: KILL");
}

/* A caller that ignores SIGCHLD (auto-reaping its children) still gets the
 * service's exact status: the init does not inherit that. */
static void test_caller_ignoring_sigchld(void **state) {
        char *argv[] = { "/bin/sh", "-c", "exit 7", NULL };
        SandboxConfig c;
        SandboxSeccompSpec spec;
        SandboxResult res;
        struct sigaction ign = { .sa_handler = SIG_IGN }, old;

        test_default_config(&c, &spec, argv);
        assert_int_equal(sigaction(SIGCHLD, &ign, &old), 0);
        _cleanup_free_ char *out = test_sandbox_run(&c, -EBADF, &res);
        assert_int_equal(sigaction(SIGCHLD, &old, NULL), 0);
        assert_string_equal_free(test_result_description(&res), "Exit code: 7");
}

/* A sandbox whose supervisor dies goes with it (PR_SET_PDEATHSIG on the
 * init; SIGKILL to a pid namespace's init ends the namespace). */
static void test_supervisor_death_ends_sandbox(void **state) {
        int pipefd[2];
        /* Staged here, not in the child, which exits without cleaning up. */
        const char *helper = test_helper_path();
        assert_int_equal(pipe2(pipefd, O_CLOEXEC), 0);
        pid_t supervisor = fork();
        assert_true(supervisor >= 0);
        if (supervisor == 0) {
                char *argv[] = { (char *) helper, "pause", NULL };
                SandboxConfig c;
                SandboxSeccompSpec spec;
                SandboxPrepared *p = NULL;
                SandboxProcess *proc = NULL;
                test_default_config(&c, &spec, argv);
                if (sandbox_prepare(&c, &p, NULL) < 0 || sandbox_spawn(p, -EBADF, NULL, &proc) < 0 ||
                    sandbox_process_wait_started(proc) != 1)
                        _exit(1);
                pid_t pid = sandbox_process_pid(proc);
                (void) !write(pipefd[1], &pid, sizeof pid);
                _exit(0); /* without waiting or freeing: the supervisor dies */
        }
        safe_close(pipefd[1]);
        pid_t init = 0;
        assert_int_equal(read(pipefd[0], &init, sizeof init), (ssize_t) sizeof init);
        safe_close(pipefd[0]);
        /* Hold the init by pidfd before the supervisor is reaped. */
        int pidfd = (int) syscall(SYS_pidfd_open, init, 0);
        int status;
        assert_int_equal(waitpid(supervisor, &status, 0), supervisor);
        assert_true(WIFEXITED(status) && WEXITSTATUS(status) == 0);
        if (pidfd >= 0) {
                /* Readable once the init has exited; 10 s at most. */
                struct pollfd pfd = { .fd = pidfd, .events = POLLIN };
                assert_int_equal(poll(&pfd, 1, 10000), 1);
                safe_close(pidfd);
        } else
                assert_int_equal(errno, ESRCH); /* already gone */
}

int main(int argc, char *argv[]) {
        test_require_sandbox();
        const struct CMUnitTest tests[] = {
                cmocka_unit_test_teardown(test_term_without_handler_stops, test_cleanup),
                cmocka_unit_test_teardown(test_every_forwarded_signal_reaches_service, test_cleanup),
                cmocka_unit_test_teardown(test_int_counted_once, test_cleanup),
                cmocka_unit_test_teardown(test_term_reaches_other_user, test_cleanup),
                cmocka_unit_test_teardown(test_orphans_reaped, test_cleanup),
                cmocka_unit_test_teardown(test_kill_ends_whole_sandbox, test_cleanup),
                cmocka_unit_test_teardown(test_caller_ignoring_sigchld, test_cleanup),
                cmocka_unit_test_teardown(test_supervisor_death_ends_sandbox, test_cleanup),
        };
        return pgs_run_tests(argc, argv, tests);
}
