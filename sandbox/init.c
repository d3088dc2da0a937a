/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The child half: the init that runs as PID 1 of the sandbox right after
 * clone3(), and the service it forks. Everything here makes system calls
 * only (the memory it reads was prepared by the parent before clone3()):
 * no malloc, no stdio, no locks, no logging. A failing step writes
 * {step, errno} to the setup pipe and exits.
 *
 * The launch checklist, in order:
 *   init:    [signals arrive blocked: the parent blocked all around clone3]
 *            [with a user namespace: wait until the parent wrote the maps]
 *            mounts -> hostname -> loopback -> pivot_root -> fork the service
 *   service: stdio -> signal dispositions and mask reset -> fds CLOEXEC ->
 *            new session (setsid) -> rlimits -> bounding set -> groups ->
 *            gid -> uid -> capabilities (effective, permitted, inheritable,
 *            ambient) -> working directory -> no_new_privs -> [wait until
 *            seized] -> seccomp -> execve
 *   init:    PTRACE_SEIZE the service (exit events only, for the SIGSYS
 *            evidence; only when the filter can kill), let it go on; keep
 *            only CAP_KILL, CAP_SYS_PTRACE, CAP_DAC_READ_SEARCH; close all
 *            but the status pipe; then wait for signals:
 *            forward TERM INT HUP QUIT USR1 USR2 to the service, reap every
 *            child on CHLD; when the service is gone, report its wait status
 *            and exit (the kernel then kills whatever is left in the pid
 *            namespace).
 * The init keeps the signals blocked and takes them with sigwaitinfo():
 * blocked signals are queued even for a namespace's PID 1, which would
 * otherwise drop every signal it has no handler for. The service is not
 * PID 1, so TERM with the default action ends it. */

#include <fcntl.h>
#include <grp.h>
#include <sched.h>
#include <signal.h>
#include <linux/capability.h>
#include <sys/prctl.h>
#include <sys/ptrace.h>
#include <sys/wait.h>

#include "sandbox-internal.h"

#define SANDBOX_INIT_CAPABILITIES                                                    \
        ((UINT64_C(1) << CAP_KILL) | (UINT64_C(1) << CAP_SYS_PTRACE) | (UINT64_C(1) << CAP_DAC_READ_SEARCH))

static const int forwarded_signals[] = { SIGTERM, SIGINT, SIGHUP, SIGQUIT, SIGUSR1, SIGUSR2 };

_noreturn_ void sandbox_child_fail(int fd, SandboxStep step, int error) {
        SandboxSetupReport rep = { .step = step, .error = error < 0 ? -error : error };

        if (fd >= 0)
                (void) !write(fd, &rep, sizeof rep);
        _exit(SANDBOX_EXIT_SETUP);
}

#define CHECK(expr, step)                                                            \
        do {                                                                         \
                int _r_ = (expr);                                                    \
                if (_r_ < 0)                                                         \
                        sandbox_child_fail(a->setup_fd, (step), _r_);                \
        } while (0)

static int syscall_result(long r) {
        return r < 0 ? negative_errno() : 0;
}

static int setup_stdio(const int stdio[3]) {
        int copies[3] = { -1, -1, -1 };

        /* Copy first (to fds >= 3), so that a source equal to another
         * target, or to its own target, is never clobbered. */
        for (int i = 0; i < 3; i++)
                if (stdio[i] >= 0) {
                        copies[i] = fcntl(stdio[i], F_DUPFD_CLOEXEC, 3);
                        if (copies[i] < 0)
                                return negative_errno();
                }
        for (int i = 0; i < 3; i++)
                if (copies[i] >= 0) {
                        if (dup2(copies[i], i) < 0)
                                return negative_errno();
                        (void) close(copies[i]);
                }
        /* Nothing of the caller's leaks into the service. */
        return syscall_result(close_range(3, ~0U, CLOSE_RANGE_CLOEXEC));
}

static int reset_signals(void) {
        struct sigaction sa = { .sa_handler = SIG_DFL };
        sigset_t none;

        for (int sig = 1; sig < _NSIG; sig++)
                (void) sigaction(sig, &sa, NULL); /* KILL, STOP and glibc's own refuse */
        sigemptyset(&none);
        return syscall_result(sigprocmask(SIG_SETMASK, &none, NULL));
}

/* Returns once the init has seized us (it closes its end of the pipe). */
static void wait_for_tracer(int fd) {
        char c;
        while (read(fd, &c, 1) < 0 && errno == EINTR)
                ;
        (void) close(fd);
}

_noreturn_ static void service_run(const SandboxChildArgs *a, int tracer_fd) {
        const SandboxPrepared *p = a->prepared;
        SandboxStep step = SANDBOX_STEP_INIT;
        int r;

        (void) close(a->status_fd);
        CHECK(setup_stdio(a->stdio), SANDBOX_STEP_STDIO);
        CHECK(reset_signals(), SANDBOX_STEP_INIT);
        /* A session of its own and no controlling terminal: a terminal the
         * caller passed as stdio cannot be driven by TIOCSTI from inside,
         * and the caller's job control does not reach in. */
        CHECK(syscall_result(setsid()), SANDBOX_STEP_INIT);

        r = credentials_apply(&p->creds, &step);
        if (r < 0)
                sandbox_child_fail(a->setup_fd, step, r);
        CHECK(syscall_result(chdir(p->working_directory)), SANDBOX_STEP_WORKING_DIRECTORY);
        if (p->no_new_privileges)
                CHECK(syscall_result(prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0)), SANDBOX_STEP_NO_NEW_PRIVILEGES);
        /* Only the filter can kill us with SIGSYS, so the tracer must be in
         * place by now; the setup above ran while the init seized us. */
        wait_for_tracer(tracer_fd);
        CHECK(sandbox_seccomp_load(p->filter), SANDBOX_STEP_SECCOMP);

        execve(p->path, p->argv, p->envp);
        sandbox_child_fail(a->setup_fd, SANDBOX_STEP_EXEC, negative_errno());
}

/* The syscall a task was in, from /proc/PID/syscall ("101 0x0 ..."), for a
 * task stopped at its exit; -1 if unknown. The path is built by hand: no
 * snprintf here. */
static int32_t blocked_syscall(pid_t pid) {
        char path[32] = "/proc/", digits[12], buf[64];
        size_t n = 0, o = 6;
        ssize_t k;
        int fd;

        do {
                digits[n++] = (char) ('0' + pid % 10);
                pid /= 10;
        } while (pid > 0 && n < sizeof digits);
        while (n > 0)
                path[o++] = digits[--n];
        memcpy(path + o, "/syscall", sizeof "/syscall");

        fd = open(path, O_RDONLY | O_CLOEXEC);
        if (fd < 0)
                return -1;
        k = read(fd, buf, sizeof buf - 1);
        (void) close(fd);
        if (k <= 0 || buf[0] < '0' || buf[0] > '9')
                return -1;
        int32_t nr = 0;
        for (ssize_t i = 0; i < k && buf[i] >= '0' && buf[i] <= '9' && nr < 1000000; i++)
                nr = nr * 10 + (buf[i] - '0');
        return nr;
}

/* Reaps every exited child and keeps the traced service running. Returns
 * true once the service is gone, with its status in *rep.
 *
 * The service is traced (PTRACE_SEIZE, exit events only) so that the init
 * sees it at PTRACE_EVENT_EXIT, still whole, after seccomp killed it: once it
 * is a zombie its kernel stack is gone and /proc/PID/syscall only says
 * "running". Being the tracer means restarting the service after each
 * signal-delivery-stop with the same signal, and after a group-stop with
 * PTRACE_LISTEN so that it stays stopped until SIGCONT. */
static bool reap_children(pid_t service, SandboxStatusReport *rep) {
        bool service_done = false;

        for (;;) {
                int status;
                pid_t pid = waitpid(-1, &status, WNOHANG | __WALL);
                if (pid <= 0)
                        return service_done;
                if (pid != service)
                        continue; /* an orphan, now reaped */

                if (WIFSTOPPED(status)) {
                        int sig = WSTOPSIG(status), event = status >> 16;
                        unsigned long msg = 0;

                        if (event == PTRACE_EVENT_EXIT) {
                                if (ptrace(PTRACE_GETEVENTMSG, pid, NULL, &msg) >= 0 && WIFSIGNALED((int) msg) &&
                                    WTERMSIG((int) msg) == SIGSYS)
                                        rep->syscall = blocked_syscall(pid);
                                (void) ptrace(PTRACE_CONT, pid, NULL, NULL);
                        } else if (event == PTRACE_EVENT_STOP)
                                (void) ptrace(sig == SIGSTOP || sig == SIGTSTP || sig == SIGTTIN || sig == SIGTTOU ?
                                                      PTRACE_LISTEN : PTRACE_CONT,
                                              pid, NULL, NULL);
                        else
                                (void) ptrace(PTRACE_CONT, pid, NULL, (void *) (long) sig);
                        continue;
                }
                if (WIFEXITED(status)) {
                        rep->code = CLD_EXITED;
                        rep->status = WEXITSTATUS(status);
                } else if (WIFSIGNALED(status)) {
                        rep->code = WCOREDUMP(status) ? CLD_DUMPED : CLD_KILLED;
                        rep->status = WTERMSIG(status);
                } else
                        continue;
                service_done = true;
        }
}

_noreturn_ void sandbox_init_run(const SandboxChildArgs *a) {
        const SandboxPrepared *p = a->prepared;
        SandboxStatusReport rep = { .magic = SANDBOX_STATUS_MAGIC, .syscall = -1 };
        sigset_t set;
        pid_t service;

        (void) prctl(PR_SET_NAME, "pgs-init", 0, 0, 0);
        /* A caller ignoring SIGCHLD would have our children reaped behind
         * our back, and the service's status lost. */
        struct sigaction dfl = { .sa_handler = SIG_DFL };
        (void) sigaction(SIGCHLD, &dfl, NULL);
        /* The init belongs to its supervisor: no supervisor, no sandbox. */
        (void) prctl(PR_SET_PDEATHSIG, SIGKILL, 0, 0, 0);

        /* In a new user namespace, wait for the parent to write the id maps;
         * if it could not, it has reported why, and EOF tells us to go. */
        if (a->userns_fd >= 0) {
                char c;
                (void) close(a->userns_write_fd);
                ssize_t n;
                while ((n = read(a->userns_fd, &c, 1)) < 0 && errno == EINTR)
                        ;
                if (n != 1)
                        _exit(SANDBOX_EXIT_SETUP);
                (void) close(a->userns_fd);
                /* We still carry the host's ids, which the namespace may not
                 * map (files we create would fail with EOVERFLOW): become
                 * the namespace's root, keeping its full capability set. */
                if (setgroups(0, NULL) < 0 || setresgid(0, 0, 0) < 0 || setresuid(0, 0, 0) < 0)
                        sandbox_child_fail(a->setup_fd, SANDBOX_STEP_USER_NAMESPACE, negative_errno());
        }

        CHECK(mount_plan_apply(&p->mounts), SANDBOX_STEP_MOUNTS);
        if (p->hostname)
                CHECK(syscall_result(sethostname(p->hostname, strlen(p->hostname))), SANDBOX_STEP_HOSTNAME);
        if (p->namespaces & CLONE_NEWNET)
                CHECK(sandbox_loopback_up(), SANDBOX_STEP_LOOPBACK);
        if (p->root_directory)
                CHECK(sandbox_pivot_root(p->root_directory), SANDBOX_STEP_ROOT_DIRECTORY);

        /* The service waits on this pipe until the init has seized it. */
        int sync[2];
        CHECK(syscall_result(pipe2(sync, O_CLOEXEC)), SANDBOX_STEP_INIT);
        service = _Fork();
        if (service < 0)
                sandbox_child_fail(a->setup_fd, SANDBOX_STEP_INIT, negative_errno());
        if (service == 0) {
                (void) close(sync[1]);
                service_run(a, sync[0]);
        }
        /* Only where seccomp may kill, and best effort: without it (a host
         * forbidding ptrace) only the SIGSYS evidence is lost. */
        if (p->filter && p->filter->kills)
                (void) ptrace(PTRACE_SEIZE, service, NULL,
                              (void *) (long) (PTRACE_O_TRACEEXIT | PTRACE_O_EXITKILL));
        (void) close(sync[1]);
        (void) close(sync[0]);

        /* From here on the init only waits, signals, reaps and reads the
         * service's /proc/PID/syscall: it keeps CAP_KILL (the service may
         * run as another user), CAP_SYS_PTRACE and CAP_DAC_READ_SEARCH
         * (that file is 0400 and may belong to the service's user), nothing
         * else. */
        CHECK(sandbox_capset(SANDBOX_INIT_CAPABILITIES, SANDBOX_INIT_CAPABILITIES, 0), SANDBOX_STEP_INIT);

        /* Only the status pipe stays: the service's stdout must reach EOF
         * when the service ends, and nothing of the caller's stays inside. */
        if (a->status_fd > 0)
                (void) close_range(0, a->status_fd - 1, 0);
        (void) close_range(a->status_fd + 1, ~0U, 0);

        sigemptyset(&set);
        sigaddset(&set, SIGCHLD);
        for (size_t i = 0; i < ELEMENTSOF(forwarded_signals); i++)
                sigaddset(&set, forwarded_signals[i]);

        for (bool done = false; !done;) {
                int sig = sigwaitinfo(&set, NULL);
                if (sig < 0)
                        continue; /* EINTR only: the set is valid */
                if (sig == SIGCHLD)
                        done = reap_children(service, &rep);
                else
                        (void) kill(service, sig);
        }

        (void) !write(a->status_fd, &rep, sizeof rep);
        _exit(rep.code == CLD_EXITED ? rep.status & 0xff : 128 + rep.status);
}
