/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The parent half: prepare once, spawn with clone3(), collect the result.
 *
 * sandbox_spawn() makes two CLOEXEC pipes: the setup pipe (the init and the
 * service hold its write end until the service is exec'd, so EOF means
 * "started" and a record means "step X failed with errno E") and the status
 * pipe (the init's report on how the service ended). All signals are blocked
 * around clone3() so that the init starts with them blocked and can take
 * them with sigwaitinfo(), not lose them as a PID 1 without handlers. */

#include <fcntl.h>
#include <linux/sched.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <sys/syscall.h>
#include <sys/wait.h>

#include "sandbox-internal.h"
#include "strv.h"

#define SANDBOX_NAMESPACES_SUPPORTED                                                 \
        (CLONE_NEWNS | CLONE_NEWPID | CLONE_NEWNET | CLONE_NEWUTS | CLONE_NEWIPC |   \
         CLONE_NEWCGROUP | CLONE_NEWTIME | CLONE_NEWUSER)

struct SandboxProcess {
        pid_t pid;
        int pidfd;
        int setup_fd;
        int status_fd;
        bool setup_read;   /* the setup pipe reached EOF or gave a record */
        bool setup_failed;
        SandboxSetupReport setup;
        bool reaped;
        siginfo_t init_status;
        char subject[256];
};

SandboxPrepared *sandbox_prepared_free(SandboxPrepared *p) {
        if (!p)
                return NULL;
        free(p->path);
        strv_free(p->argv);
        strv_free(p->envp);
        free(p->working_directory);
        free(p->hostname);
        free(p->root_directory);
        free(p->uid_map);
        free(p->gid_map);
        mount_plan_done(&p->mounts);
        credentials_done(&p->creds);
        sandbox_seccomp_filter_unref(p->filter);
        return mfree(p);
}

static int strdup_or_null(const char *s, char **ret) {
        if (!s) {
                *ret = NULL;
                return 0;
        }
        *ret = strdup(s);
        return *ret ? 0 : -ENOMEM;
}

static void fill_setup_error(SandboxResult *r, SandboxStep step, int error, const char *subject) {
        if (!r)
                return;
        *r = (SandboxResult) { .kind = SANDBOX_RESULT_SETUP_ERROR, .step = step, .error = error,
                               .blocked_syscall = -1 };
        if (subject)
                snprintf(r->subject, sizeof r->subject, "%s", subject);
}

int sandbox_prepare(const SandboxConfig *c, SandboxPrepared **ret, SandboxResult *ret_error) {
        _cleanup_(sandbox_prepared_freep) SandboxPrepared *p = NULL;
        int r;

        if (!c || !ret || !c->path || c->path[0] != '/')
                return -EINVAL;
        if (c->namespaces & ~(unsigned long) SANDBOX_NAMESPACES_SUPPORTED)
                return -EOPNOTSUPP;
        if (c->hostname && !(c->namespaces & CLONE_NEWUTS))
                return -EINVAL;
        if (c->working_directory && c->working_directory[0] != '/')
                return -EINVAL;

        p = calloc(1, sizeof *p);
        if (!p)
                return -ENOMEM;
        p->namespaces = c->namespaces | CLONE_NEWNS | CLONE_NEWPID;

        if (strdup_or_null(c->path, &p->path) < 0 ||
            strdup_or_null(c->working_directory ?: "/", &p->working_directory) < 0 ||
            strdup_or_null(c->hostname, &p->hostname) < 0 ||
            strdup_or_null(c->root_directory, &p->root_directory) < 0)
                return -ENOMEM;
        if (c->namespaces & CLONE_NEWUSER) {
                static const char identity[] = "0 0 4294967295\n";
                if (strdup_or_null(c->uid_map ?: identity, &p->uid_map) < 0 ||
                    strdup_or_null(c->gid_map ?: identity, &p->gid_map) < 0)
                        return -ENOMEM;
        }
        char *default_argv[] = { (char *) c->path, NULL }, *no_env[] = { NULL };
        p->argv = strv_copy(c->argv ?: default_argv);
        p->envp = strv_copy(c->envp ?: no_env);
        if (!p->argv || !p->envp)
                return -ENOMEM;

        r = mount_plan_build(c, &p->mounts);
        if (r < 0)
                return r;

        r = credentials_build(c, &p->creds);
        if (r == -ESRCH)
                fill_setup_error(ret_error, SANDBOX_STEP_USER, ESRCH, c->user);
        if (r < 0)
                return r;

        if (c->seccomp_filter)
                p->filter = sandbox_seccomp_filter_ref(c->seccomp_filter);
        else if (c->seccomp && c->seccomp->mode != SANDBOX_SECCOMP_NONE) {
                r = sandbox_seccomp_compile(c->seccomp, &p->filter);
                if (r < 0)
                        return r;
        }
        /* A filter is only allowed to an unprivileged task with no_new_privs,
         * and is pointless without it. */
        p->no_new_privileges = c->no_new_privileges || p->filter;

        *ret = TAKE_PTR(p);
        return 0;
}

static int write_id_map(pid_t pid, const char *file, const char *map) {
        char path[64];
        _cleanup_close_ int fd = -EBADF;
        size_t n = strlen(map);

        snprintf(path, sizeof path, "/proc/%d/%s", (int) pid, file);
        fd = open(path, O_WRONLY | O_CLOEXEC);
        if (fd < 0)
                return negative_errno();
        ssize_t k = write(fd, map, n);
        if (k < 0)
                return negative_errno();
        return (size_t) k == n ? 0 : -EIO;
}

/* The child waits on userns_fd; on failure the reason goes to the setup
 * pipe as from any other step, and closing the pipe unblocks the child. */
static void setup_user_namespace(const SandboxPrepared *p, pid_t pid, int setup_fd, int userns_fd) {
        int r = write_id_map(pid, "uid_map", p->uid_map);
        if (r >= 0)
                r = write_id_map(pid, "gid_map", p->gid_map);
        if (r < 0) {
                SandboxSetupReport rep = { .step = SANDBOX_STEP_USER_NAMESPACE, .error = -r };
                (void) !write(setup_fd, &rep, sizeof rep);
                return;
        }
        (void) !write(userns_fd, "1", 1);
}

static pid_t clone3_raw(struct clone_args *args) {
        return (pid_t) syscall(SYS_clone3, args, sizeof *args);
}

int sandbox_spawn(const SandboxPrepared *p, int cgroup_fd, const int stdio_fds[3], SandboxProcess **ret) {
        _cleanup_close_pair_ int setup[2] = { -EBADF, -EBADF }, status[2] = { -EBADF, -EBADF },
                userns[2] = { -EBADF, -EBADF };
        _cleanup_free_ SandboxProcess *proc = NULL;
        int pidfd = -EBADF;
        sigset_t all, saved;
        pid_t pid;

        if (!p || !ret)
                return -EINVAL;
        proc = calloc(1, sizeof *proc);
        if (!proc)
                return -ENOMEM;
        if (pipe2(setup, O_CLOEXEC) < 0 || pipe2(status, O_CLOEXEC) < 0)
                return negative_errno();
        if ((p->namespaces & CLONE_NEWUSER) && pipe2(userns, O_CLOEXEC) < 0)
                return negative_errno();

        SandboxChildArgs a = {
                .prepared = p,
                .setup_fd = setup[1],
                .status_fd = status[1],
                .userns_fd = userns[0],
                .userns_write_fd = userns[1],
                .stdio = { -1, -1, -1 },
        };
        for (int i = 0; stdio_fds && i < 3; i++)
                a.stdio[i] = stdio_fds[i];

        struct clone_args ca = {
                .flags = p->namespaces | CLONE_PIDFD | (cgroup_fd >= 0 ? CLONE_INTO_CGROUP : 0),
                .pidfd = (uint64_t) (uintptr_t) &pidfd,
                .exit_signal = SIGCHLD,
                .cgroup = cgroup_fd >= 0 ? (uint64_t) cgroup_fd : 0,
        };

        sigfillset(&all);
        (void) pthread_sigmask(SIG_SETMASK, &all, &saved);
        pid = clone3_raw(&ca);
        if (pid == 0)
                sandbox_init_run(&a); /* never returns */
        int saved_errno = errno;
        (void) pthread_sigmask(SIG_SETMASK, &saved, NULL);
        if (pid < 0)
                return -saved_errno;
        if (p->namespaces & CLONE_NEWUSER)
                setup_user_namespace(p, pid, setup[1], userns[1]);

        proc->pid = pid;
        proc->pidfd = pidfd;
        proc->setup_fd = TAKE_FD(setup[0]);
        proc->status_fd = TAKE_FD(status[0]);
        snprintf(proc->subject, sizeof proc->subject, "%s", p->path);
        *ret = TAKE_PTR(proc);
        return 0;
}

static int reap(SandboxProcess *p) {
        if (p->reaped)
                return 0;
        for (;;) {
                siginfo_t si = {};
                if (waitid(P_PIDFD, p->pidfd, &si, WEXITED) >= 0) {
                        p->init_status = si;
                        p->reaped = true;
                        return 0;
                }
                if (errno == ECHILD) {
                        /* The caller ignores SIGCHLD: the kernel reaped the
                         * init already, and only its report tells. */
                        p->reaped = true;
                        return -ECHILD;
                }
                if (errno != EINTR)
                        return negative_errno();
        }
}

SandboxProcess *sandbox_process_free(SandboxProcess *p) {
        if (!p)
                return NULL;
        if (!p->reaped && p->pidfd >= 0) {
                (void) sandbox_process_kill(p, SIGKILL);
                (void) reap(p);
        }
        safe_close(p->pidfd);
        safe_close(p->setup_fd);
        safe_close(p->status_fd);
        return mfree(p);
}

pid_t sandbox_process_pid(const SandboxProcess *p) {
        return p ? p->pid : -EINVAL;
}
int sandbox_process_pidfd(const SandboxProcess *p) {
        return p ? p->pidfd : -EBADF;
}
int sandbox_process_setup_fd(const SandboxProcess *p) {
        return p ? p->setup_fd : -EBADF;
}
int sandbox_process_status_fd(const SandboxProcess *p) {
        return p ? p->status_fd : -EBADF;
}

int sandbox_process_kill(SandboxProcess *p, int sig) {
        if (!p || p->reaped)
                return -ESRCH;
        return syscall(SYS_pidfd_send_signal, p->pidfd, sig, NULL, 0) < 0 ? negative_errno() : 0;
}

/* Reads one fixed-size record; 0 at EOF, 1 with a full record. */
static int read_record(int fd, void *buf, size_t size) {
        size_t done = 0;

        while (done < size) {
                ssize_t n = read(fd, (char *) buf + done, size - done);
                if (n < 0 && errno == EINTR)
                        continue;
                if (n < 0)
                        return negative_errno();
                if (n == 0)
                        return done == 0 ? 0 : -EPROTO;
                done += (size_t) n;
        }
        return 1;
}

int sandbox_process_wait_started(SandboxProcess *p) {
        if (!p)
                return -EINVAL;
        if (!p->setup_read) {
                int r = read_record(p->setup_fd, &p->setup, sizeof p->setup);
                if (r < 0)
                        return r;
                p->setup_failed = r > 0;
                p->setup_read = true;
        }
        return p->setup_failed ? 0 : 1;
}

int sandbox_wait(SandboxProcess *p, SandboxResult *ret) {
        SandboxStatusReport rep = {};
        int r, have_report;

        if (!p || !ret)
                return -EINVAL;
        /* The status first: by the time it comes, every writer of the setup
         * pipe is gone, so reading that one does not block (one wake-up of
         * the caller, not two). */
        have_report = read_record(p->status_fd, &rep, sizeof rep);
        if (have_report < 0)
                return have_report;
        r = sandbox_process_wait_started(p);
        if (r < 0)
                return r;
        r = reap(p);
        if (r < 0 && !(r == -ECHILD && (p->setup_failed || have_report > 0)))
                return r;

        SandboxResult res = { .blocked_syscall = -1 };
        if (p->setup_failed) {
                fill_setup_error(&res, p->setup.step, p->setup.error,
                                 p->setup.step == SANDBOX_STEP_EXEC ? p->subject : NULL);
        } else if (have_report > 0 && rep.magic == SANDBOX_STATUS_MAGIC) {
                res.kind = rep.code == CLD_EXITED ? SANDBOX_RESULT_EXITED : SANDBOX_RESULT_SIGNALED;
                res.exit_code = rep.code == CLD_EXITED ? rep.status : 0;
                res.signal = rep.code == CLD_EXITED ? 0 : rep.status;
                res.core_dumped = rep.code == CLD_DUMPED;
                res.blocked_syscall = rep.syscall;
        } else {
                /* The init itself ended without a report: killed from
                 * outside (SIGKILL takes the whole sandbox). */
                const siginfo_t *si = &p->init_status;
                res.kind = si->si_code == CLD_EXITED ? SANDBOX_RESULT_EXITED : SANDBOX_RESULT_SIGNALED;
                res.exit_code = si->si_code == CLD_EXITED ? si->si_status : 0;
                res.signal = si->si_code == CLD_EXITED ? 0 : si->si_status;
                res.core_dumped = si->si_code == CLD_DUMPED;
        }
        *ret = res;
        return 0;
}
