/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* One run of a service: create its cgroup, start its monitor, follow the
 * monitor's channel and exit, deliver signals, and when the run is over
 * gather the kernel facts (exit record, cgroup counters, timers) for the
 * crash analysis. */
#include <fcntl.h>
#include <signal.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <sys/syscall.h>
#include <sys/wait.h>

#include "exit-record.h"
#include "fileio.h"
#include "log.h"
#include "policy-map.h"
#include "notify.h"
#include "service.h"

static int pidfd_open_(pid_t pid) {
        return (int) syscall(SYS_pidfd_open, pid, 0);
}

static int pidfd_send_signal_(int pidfd, int sig) {
        return (int) syscall(SYS_pidfd_send_signal, pidfd, sig, NULL, 0);
}

static char *service_run_dir(const Service *s) {
        char *p = NULL;
        return asprintf(&p, "%s/sandboxes/%s", s->manager->config.runtime_dir, s->name) < 0 ? NULL : p;
}

static int mkdir_p(const char *path, mode_t mode) {
        _cleanup_free_ char *p = strdup(path);
        if (!p)
                return -ENOMEM;
        for (char *slash = strchr(p + 1, '/');; slash = strchr(slash + 1, '/')) {
                if (slash)
                        *slash = 0;
                if (mkdir(p, mode) < 0 && errno != EEXIST)
                        return -errno;
                if (!slash)
                        return 0;
                *slash = '/';
        }
}

/* Writes the effective policy the monitor will start from: the daemon's
 * loaded version, so that an edited (or broken) file on disk changes nothing
 * until the operator reloads. */
static int write_effective_policy(const Service *s, const char *run_dir, char **ret_path) {
        _cleanup_free_ char *path = NULL, *text = NULL;
        size_t size = 0;
        FILE *f;

        if (asprintf(&path, "%s/%s.policy", run_dir, s->name) < 0)
                return -ENOMEM;
        f = open_memstream(&text, &size);
        if (!f)
                return -ENOMEM;
        int r = policy_print(s->policy, f);
        if (fclose(f) != 0 && r >= 0)
                r = -ENOMEM;
        if (r < 0)
                return r;
        r = write_file_replace(path, text, size, 0600);
        if (r < 0)
                return r;
        *ret_path = TAKE_PTR(path);
        return 0;
}

static void on_counters(CgSandbox *cg, const CgCounters *now, const CgCounters *delta, void *userdata) {
        Service *s = userdata;

        if (delta->memory_oom_kill != CG_COUNTER_UNKNOWN && delta->memory_oom_kill > 0)
                log_warning("Service %s: the kernel OOM-killed a process (memory.max reached)", s->name);
        if (delta->pids_max != CG_COUNTER_UNKNOWN && delta->pids_max > 0)
                log_warning("Service %s: fork refused at pids.max", s->name);
}

static int on_channel(sd_event_source *source, int fd, uint32_t revents, void *userdata) {
        Service *s = userdata;
        char buf[512];

        for (;;) {
                ssize_t n = recv(fd, buf, sizeof buf - 1, MSG_DONTWAIT);
                if (n <= 0) {
                        if (n < 0 && errno == EINTR)
                                continue;
                        if (n < 0 && errno == EAGAIN)
                                return 0;
                        /* EOF: the monitor is exiting; its pidfd tells the rest. */
                        s->channel_source = sd_event_source_disable_unref(s->channel_source);
                        return 0;
                }
                buf[n] = 0;
                if (strncmp(buf, "PID=", 4) == 0) {
                        s->init_pid = (pid_t) atoi(buf + 4);
                        s->init_pidfd = safe_close(s->init_pidfd);
                        s->init_pidfd = pidfd_open_(s->init_pid);
                        if (s->init_pidfd < 0)
                                /* ESRCH: it is already gone (a failed exec); the exit says the rest. */
                                log_full_errno(errno == ESRCH ? LOG_DEBUG : LOG_WARNING, errno,
                                               "Service %s: cannot open a pidfd for its init %d: %m", s->name,
                                               (int) s->init_pid);
                } else if (streq(buf, "STARTED") || streq(buf, "READY")) {
                        SuperviseResult res;
                        /* Type=notify services become Running on READY=1 (the
                         * notify protocol); the rest once they are exec'd. */
                        bool notify = s->policy->type == POLICY_SERVICE_NOTIFY;
                        if (notify != streq(buf, "READY"))
                                continue;
                        s->start_timer = sd_event_source_disable_unref(s->start_timer);
                        if (supervision_handle(&s->sup, SUPERVISE_STARTED, NULL, now_usec(CLOCK_MONOTONIC), &res) >= 0 &&
                            res.from != res.to) {
                                log_info("Service %s: Starting -> Running (%s)", s->name, notify ? "READY=1" : "started");
                                manager_bus_emit_state_changed(s->manager, s);
                        }
                } else if (streq(buf, "STOPPING")) {
                        /* STOPPING=1: it is on its way out by itself. */
                        if (s->sup.handle.state == LIFECYCLE_RUNNING) {
                                s->sup.handle.state = LIFECYCLE_STOPPING;
                                log_info("Service %s: Running -> Stopping (STOPPING=1)", s->name);
                                manager_bus_emit_state_changed(s->manager, s);
                        }
                } else if (strncmp(buf, "STATUS=", 7) == 0) {
                        char *t = strdup(buf + 7);
                        if (!t)
                                return log_oom();
                        free(s->status_text);
                        s->status_text = t;
                } else if (strncmp(buf, "REFUSED=", 8) == 0)
                        log_warning("Service %s: refused a notify message from pid %s, which is not in its sandbox",
                                    s->name, buf + 8);
        }
}

static void read_run_facts(Service *s, const char *run_dir, ExitRecord *rec, char **ret_tail) {
        _cleanup_free_ char *path = NULL, *text = NULL;
        int r;

        *ret_tail = NULL;
        if (asprintf(&path, "%s/" EXIT_RECORD_FILE, run_dir) < 0)
                goto missing;
        r = read_full_file(path, 65536, &text, NULL);
        if (r < 0 || exit_record_parse(text, rec) < 0)
                goto missing;
        free(path);
        path = NULL;
        if (asprintf(&path, "%s/" STDERR_TAIL_FILE, run_dir) >= 0)
                (void) read_full_file(path, STDERR_TAIL_MAX, ret_tail, NULL);
        return;
missing:
        *rec = (ExitRecord) { .outcome = RUN_SETUP_ERROR };
        rec->setup_error = strdup("the monitor ended without an exit record (it crashed or was killed)");
}

void run_dir_remove(const char *run_dir, const char *name) {
        static const char * const files[] = {
                EXIT_RECORD_FILE, STDERR_TAIL_FILE, RUN_STATUS_FILE, CONTROL_SOCKET_FILE, NOTIFY_SOCKET_FILE,
        };
        char path[PATH_MAX];

        for (size_t i = 0; i < ELEMENTSOF(files); i++) {
                snprintf(path, sizeof path, "%s/%s", run_dir, files[i]);
                (void) unlink(path);
        }
        snprintf(path, sizeof path, "%s/%s.policy", run_dir, name);
        (void) unlink(path);
        (void) rmdir(run_dir);
}

static uint64_t known(uint64_t v) {
        return v == UINT64_MAX ? 0 : v;
}

/* The run is over (its monitor exited, now or while we were away): gather
 * the facts, decide why, and hand the verdict to the state machine. */
static void service_run_finish(Service *s) {
        _cleanup_free_ char *run_dir = service_run_dir(s), *tail = NULL;
        _cleanup_(run_verdict_done) RunVerdict verdict = {};
        ExitRecord rec = {};
        CgCounters total = {}, last = { .memory_peak = CG_COUNTER_UNKNOWN };
        char mem[32], pids[32], timeout_setting[64];

        if (!run_dir)
                return (void) log_oom();
        /* Drain what the channel still holds (STARTED may come last). */
        if (s->channel_source)
                (void) on_channel(NULL, s->channel_fd, EPOLLIN, s);

        /* The monitor read the payload's counters into the exit record
         * before it exited; the watch's totals are the fallback. */
        if (s->cg) {
                (void) cg_watch_sync(s->manager->cg_watch, s->cg);
                (void) cg_watch_get(s->manager->cg_watch, s->cg, &last, &total);
        }
        read_run_facts(s, run_dir, &rec, &tail);
        /* memory.oom.group=1: the kill of the group is counted by
         * oom_group_kill, its processes by oom_kill; one event is one crash. */
        uint64_t oom = rec.oom_kills != UINT64_MAX ? known(rec.oom_kills) : known(total.memory_oom_kill);
        if (oom == 0)
                oom = rec.oom_group_kills != UINT64_MAX ? known(rec.oom_group_kills) : known(total.memory_oom_group_kill);
        uint64_t pids_events = rec.pids_max_events != UINT64_MAX ? rec.pids_max_events : known(total.pids_max);

        snprintf(pids, sizeof pids, "%llu", (unsigned long long) s->policy->pids_max);
        RunFacts facts = {
                .outcome = rec.outcome,
                .exit_code = rec.exit_code,
                .signo = rec.signo,
                .core_dumped = rec.core_dumped,
                .setup_error = rec.setup_error,
                .seccomp_syscall = rec.syscall,
                .oom_kills = oom,
                .pids_max_events = pids_events,
                .memory_max = format_limit_bytes(s->policy->memory_max, mem, sizeof mem),
                .pids_max = pids,
                .timeout = rec.watchdog ? TIMEOUT_WATCHDOG : s->timeout,
                .stderr_tail = tail,
        };
        if (facts.timeout != TIMEOUT_NONE) {
                static const char * const keys[_TIMEOUT_KIND_MAX] = {
                        [TIMEOUT_START] = "TimeoutStartSec", [TIMEOUT_STOP] = "TimeoutStopSec",
                        [TIMEOUT_RUNTIME] = "RuntimeMaxSec", [TIMEOUT_WATCHDOG] = "WatchdogSec",
                };
                const usec_t values[_TIMEOUT_KIND_MAX] = {
                        [TIMEOUT_START] = s->policy->timeout_start, [TIMEOUT_STOP] = s->policy->timeout_stop,
                        [TIMEOUT_RUNTIME] = s->policy->runtime_max, [TIMEOUT_WATCHDOG] = s->policy->watchdog,
                };
                char span[FORMAT_TIMESPAN_MAX];
                snprintf(timeout_setting, sizeof timeout_setting, "%s=%s", keys[facts.timeout],
                         format_timespan(span, sizeof span, values[facts.timeout]));
                facts.timeout_setting = timeout_setting;
        }

        RunRecord peaks = {
                .task_id = s->sup.handle.task_id,
                .started = s->started_at,
                .memory_peak = rec.memory_peak != UINT64_MAX ? rec.memory_peak
                               : last.memory_peak == CG_COUNTER_UNKNOWN ? UINT64_MAX : last.memory_peak,
                .pids_peak = UINT64_MAX,
        };
        int r = crash_analyze(&facts, &verdict);
        if (r >= 0 && verdict.reason && rec.service_errno > 0) {
                /* The service said why with ERRNO= (sd_notify(3)). */
                char *e = NULL;
                if (asprintf(&e, "%s%sthe service reported ERRNO=%d (%s)", verdict.evidence ?: "",
                             verdict.evidence ? "; " : "", rec.service_errno, strerror(rec.service_errno)) >= 0) {
                        free(verdict.evidence);
                        verdict.evidence = e;
                }
        }
        exit_record_done(&rec);
        service_run_release(s);
        if (r < 0)
                return (void) log_oom();
        /* Recorded (and saved) first, the run's files removed next: a
         * daemon killed in between finds the run again and its task id in
         * the history, and does not count it twice (service_run_adopt()).
         * Only then what comes next, which may be a new run in the same
         * directory. */
        service_run_record(s, &verdict, &peaks);
        run_dir_remove(run_dir, s->name);
        service_run_ended(s, &verdict, &peaks);
}

static int on_monitor_pidfd(sd_event_source *source, int fd, uint32_t revents, void *userdata) {
        Service *s = userdata;
        siginfo_t si = {};

        /* Reap it if it is our child; an adopted monitor (started by the
         * daemon before a restart) is reaped by whoever inherited it. */
        (void) waitid(P_PIDFD, (id_t) fd, &si, WEXITED | WNOHANG);
        service_run_finish(s);
        return 0;
}

static int on_stop_timeout(sd_event_source *source, uint64_t usec, void *userdata) {
        Service *s = userdata;

        s->stop_timer = sd_event_source_disable_unref(s->stop_timer);
        if (!s->cg)
                return 0;
        if (s->timeout == TIMEOUT_NONE)
                s->timeout = TIMEOUT_STOP;
        log_warning("Service %s did not stop within TimeoutStopSec=, killing it", s->name);
        int r = cg_sandbox_kill(s->cg, CG_LEAF_PAYLOAD, SIGKILL);
        if (r < 0)
                log_error_errno(r, "Failed to kill the sandbox of %s: %m", s->name);
        return 0;
}

static int arm_stop_timer(Service *s) {
        if (s->stop_timer || s->policy->timeout_stop == USEC_INFINITY)
                return 0;
        return sd_event_add_time_relative(s->manager->event, &s->stop_timer, CLOCK_MONOTONIC,
                                          s->policy->timeout_stop, USEC_PER_MSEC, on_stop_timeout, s);
}

static int on_runtime_max(sd_event_source *source, uint64_t usec, void *userdata) {
        Service *s = userdata;

        s->runtime_timer = sd_event_source_disable_unref(s->runtime_timer);
        s->timeout = TIMEOUT_RUNTIME;
        log_warning("Service %s ran longer than RuntimeMaxSec=, stopping it", s->name);
        (void) service_run_signal(s, SIGTERM);
        return 0;
}

/* Type=notify: READY=1 did not come within TimeoutStartSec=. */
static int on_start_timeout(sd_event_source *source, uint64_t usec, void *userdata) {
        Service *s = userdata;

        s->start_timer = sd_event_source_disable_unref(s->start_timer);
        if (s->sup.handle.state != LIFECYCLE_STARTING)
                return 0;
        s->timeout = TIMEOUT_START;
        log_warning("Service %s did not report READY=1 within TimeoutStartSec=, stopping it", s->name);
        (void) service_run_signal(s, SIGTERM);
        return 0;
}

int service_run_signal(Service *s, int sig) {
        int r;

        if (!s->cg)
                return -ESRCH;
        if (sig == SIGKILL) {
                /* KILL ends the whole sandbox at once: every process of the payload. */
                r = cg_sandbox_kill(s->cg, CG_LEAF_PAYLOAD, SIGKILL);
                return r;
        }
        if (s->init_pidfd < 0)
                /* The init has not reported yet: nothing of the service runs. */
                r = cg_sandbox_kill(s->cg, CG_LEAF_PAYLOAD, SIGKILL);
        else
                /* The init forwards TERM, INT, ... to the service. */
                r = pidfd_send_signal_(s->init_pidfd, sig) < 0 ? -errno : 0;
        /* TERM and INT ask the service to stop: if it has not within
         * TimeoutStopSec=, the whole sandbox is killed. */
        if (r >= 0 && (sig == SIGTERM || sig == SIGINT))
                r = arm_stop_timer(s);
        return r;
}

/* The policy's seccomp filter, compiled once and kept as a sealed memfd
 * that every monitor of this policy imports (fd 4): no monitor runs
 * libseccomp again. -EBADF-free return: 0 with *ret_fd = -EBADF when the
 * policy has no filter. */
static int service_seccomp_fd(Service *s, int *ret_fd) {
        _cleanup_(sandbox_seccomp_filter_unrefp) SandboxSeccompFilter *f = NULL;
        SandboxConfigStorage st = {};
        SandboxConfig c;
        int r;

        if (s->seccomp_fd >= 0 || s->policy->seccomp_spec.mode == POLICY_SECCOMP_MODE_NONE) {
                *ret_fd = s->seccomp_fd;
                return 0;
        }
        r = policy_to_sandbox_config(s->policy, &c, &st);
        if (r >= 0)
                r = sandbox_seccomp_compile(c.seccomp, &f);
        sandbox_config_storage_done(&st);
        if (r >= 0)
                r = sandbox_seccomp_filter_export(f, &s->seccomp_fd);
        if (r < 0)
                return r;
        *ret_fd = s->seccomp_fd;
        return 0;
}

static int control_socket_address(const char *run_dir, struct sockaddr_un *sa) {
        *sa = (struct sockaddr_un) { .sun_family = AF_UNIX };
        if ((size_t) snprintf(sa->sun_path, sizeof sa->sun_path, "%s/" CONTROL_SOCKET_FILE, run_dir) >=
            sizeof sa->sun_path)
                return -ENAMETOOLONG;
        return 0;
}

static int control_socket_listen(const char *run_dir) {
        struct sockaddr_un sa;
        int r = control_socket_address(run_dir, &sa);
        if (r < 0)
                return r;
        _cleanup_close_ int fd = socket(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0);
        if (fd < 0)
                return -errno;
        (void) unlink(sa.sun_path);
        /* Only root may connect: a connection takes the monitor's channel over. */
        if (bind(fd, (struct sockaddr *) &sa, sizeof sa) < 0 || chmod(sa.sun_path, 0600) < 0 ||
            listen(fd, 4) < 0)
                return -errno;
        return TAKE_FD(fd);
}

/* Connects to the monitor's control socket and follows the monitor: its
 * events on the channel, its end on its pidfd, the payload's counters. */
static int service_run_attach(Service *s, const char *run_dir) {
        Manager *m = s->manager;
        struct sockaddr_un sa;
        int r = control_socket_address(run_dir, &sa);
        if (r < 0)
                return r;
        s->channel_fd = socket(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
        if (s->channel_fd < 0)
                return -errno;
        if (connect(s->channel_fd, (struct sockaddr *) &sa, sizeof sa) < 0)
                return -errno;
        r = sd_event_add_io(m->event, &s->channel_source, s->channel_fd, EPOLLIN, on_channel, s);
        if (r >= 0)
                r = sd_event_add_io(m->event, &s->monitor_source, s->monitor_pidfd, EPOLLIN, on_monitor_pidfd, s);
        if (r >= 0)
                r = cg_watch_add(m->cg_watch, s->cg, on_counters, s);
        return r;
}

static int spawn_monitor(Service *s, const char *policy_path, const char *run_dir, int channel, int seccomp) {
        _cleanup_free_ char *payload = NULL, *log_path = NULL, *log_dir = NULL;
        const ManagerConfig *c = &s->manager->config;
        char task[32], started[32];

        snprintf(task, sizeof task, "%llu", (unsigned long long) s->sup.handle.task_id);
        snprintf(started, sizeof started, "%llu", (unsigned long long) s->started_at);
        if (asprintf(&payload, "%s/payload", s->cg->path) < 0 ||
            asprintf(&log_dir, "%s/logs", c->state_dir) < 0 || !(log_path = service_log_path(s)))
                return -ENOMEM;
        int r = mkdir_p(log_dir, 0755); /* logs are readable by every user, as `pgsandbox logs` is */
        if (r < 0)
                return r;

        char *argv[] = {
                (char *) c->monitor_path, "--policy", (char *) policy_path, "--run-dir", (char *) run_dir,
                "--payload-cgroup", payload, "--log", log_path, "--task", task, "--started-at", started,
                seccomp >= 0 ? "--seccomp-fd=4" : NULL, NULL,
        };
        int monitor_cg = cg_sandbox_leaf_fd(s->cg, CG_LEAF_MONITOR);
        pid_t pid = fork();
        if (pid < 0)
                return -errno;
        if (pid == 0) {
                /* Child: only system calls until exec. */
                sigset_t all;
                sigemptyset(&all);
                (void) sigprocmask(SIG_SETMASK, &all, NULL);
                if (cg_attach_fd(monitor_cg, 0) < 0)
                        _exit(126);
                /* fd 3 for the monitor, without CLOEXEC (dup2 onto itself
                 * would keep the flag). */
                if (channel == 3 ? fcntl(3, F_SETFD, 0) < 0 : dup2(channel, 3) < 0)
                        _exit(126);
                if (seccomp >= 0 && (seccomp == 4 ? fcntl(4, F_SETFD, 0) < 0 : dup2(seccomp, 4) < 0))
                        _exit(126);
                (void) close_range(seccomp >= 0 ? 5 : 4, ~0U, 0);
                (void) setsid();
                execv(argv[0], argv);
                _exit(127);
        }
        s->monitor_pidfd = pidfd_open_(pid);
        if (s->monitor_pidfd < 0) {
                /* Out of fds: without a pidfd we cannot follow it. End it. */
                r = -errno;
                (void) kill(pid, SIGKILL);
                (void) waitpid(pid, NULL, 0);
                return r;
        }
        s->monitor_pid = pid;
        return 0;
}

int service_run_launch(Service *s, char **ret_error) {
        _cleanup_free_ char *run_dir = service_run_dir(s), *policy_path = NULL, *limit_error = NULL;
        _cleanup_close_ int listen_fd = -EBADF;
        Manager *m = s->manager;
        CgLimits limits;
        int r;

        if (!run_dir)
                return -ENOMEM;
        s->timeout = TIMEOUT_NONE;
        s->started_at = now_usec(CLOCK_REALTIME);
        policy_to_cg_limits(s->policy, &limits);
        if (cg_limits_check(m->cg_root, &limits, &limit_error) < 0) {
                *ret_error = TAKE_PTR(limit_error);
                return -EOPNOTSUPP;
        }
        /* A cgroup left by a run we lost track of (a daemon crash before
         * re-adoption existed) would make create fail: clear it first. */
        r = cg_sandbox_create(m->cg_root, s->name, &limits, &s->cg);
        if (r == -EEXIST) {
                _cleanup_(cg_sandbox_freep) CgSandbox *old = NULL;
                if (cg_sandbox_open(m->cg_root, s->name, &old) >= 0)
                        (void) cg_sandbox_destroy(old, true, 5 * USEC_PER_SEC);
                r = cg_sandbox_create(m->cg_root, s->name, &limits, &s->cg);
        }
        if (r < 0) {
                (void) asprintf(ret_error, "setup failed at cgroup: %s", strerror(-r));
                return r;
        }
        run_dir_remove(run_dir, s->name); /* nothing of an earlier run may be taken for this one */
        r = mkdir_p(run_dir, 0755);
        if (r >= 0)
                r = write_effective_policy(s, run_dir, &policy_path);
        if (r < 0) {
                (void) asprintf(ret_error, "setup failed at runtime directory %s: %s", run_dir, strerror(-r));
                goto fail;
        }
        /* The control socket: bound here, listened on by the monitor (its
         * fd 3), connected to by us now and by any later daemon. */
        listen_fd = control_socket_listen(run_dir);
        if (listen_fd < 0) {
                r = listen_fd;
                (void) asprintf(ret_error, "setup failed at control socket in %s: %s", run_dir, strerror(-r));
                goto fail;
        }
        int seccomp_fd;
        r = service_seccomp_fd(s, &seccomp_fd);
        if (r < 0) {
                (void) asprintf(ret_error, "setup failed at seccomp: %s", strerror(-r));
                goto fail;
        }
        r = spawn_monitor(s, policy_path, run_dir, listen_fd, seccomp_fd);
        if (r < 0) {
                (void) asprintf(ret_error, "starting the monitor %s: %s", m->config.monitor_path, strerror(-r));
                goto fail;
        }
        r = service_run_attach(s, run_dir);
        if (r < 0)
                goto fail;
        if (r >= 0 && s->policy->type == POLICY_SERVICE_NOTIFY && s->policy->timeout_start != USEC_INFINITY)
                r = sd_event_add_time_relative(m->event, &s->start_timer, CLOCK_MONOTONIC,
                                               s->policy->timeout_start, USEC_PER_MSEC, on_start_timeout, s);
        if (r >= 0 && s->policy->runtime_max != USEC_INFINITY)
                r = sd_event_add_time_relative(m->event, &s->runtime_timer, CLOCK_MONOTONIC,
                                               s->policy->runtime_max, USEC_PER_MSEC, on_runtime_max, s);
        if (r < 0)
                goto fail;
        log_info("Service %s: started run %llu (monitor %d)", s->name, (unsigned long long) s->sup.handle.task_id,
                 (int) s->monitor_pid);
        /* No save here: nothing durable changed (a restarted daemon learns
         * the task id from the run's status file), and an fsync per start
         * would cost more than the start itself. */
        return 0;

fail:
        service_run_release(s);
        return r;
}

void service_run_release(Service *s) {
        s->monitor_source = sd_event_source_disable_unref(s->monitor_source);
        s->channel_source = sd_event_source_disable_unref(s->channel_source);
        s->stop_timer = sd_event_source_disable_unref(s->stop_timer);
        s->runtime_timer = sd_event_source_disable_unref(s->runtime_timer);
        s->start_timer = sd_event_source_disable_unref(s->start_timer);
        if (s->monitor_pid > 0 && s->monitor_pidfd >= 0) {
                /* Only on teardown paths: the monitor is still alive. */
                siginfo_t si;
                if (waitid(P_PIDFD, (id_t) s->monitor_pidfd, &si, WEXITED | WNOHANG) >= 0 && si.si_pid == 0) {
                        (void) pidfd_send_signal_(s->monitor_pidfd, SIGKILL);
                        (void) waitid(P_PIDFD, (id_t) s->monitor_pidfd, &si, WEXITED);
                }
        }
        s->monitor_pid = 0;
        s->monitor_pidfd = safe_close(s->monitor_pidfd);
        s->channel_fd = safe_close(s->channel_fd);
        s->init_pidfd = safe_close(s->init_pidfd);
        s->init_pid = 0;
        if (s->cg) {
                (void) cg_watch_remove(s->manager->cg_watch, s->cg);
                int r = cg_sandbox_destroy(s->cg, true, 5 * USEC_PER_SEC);
                if (r < 0)
                        log_warning_errno(r, "Failed to remove the cgroup %s: %m", s->cg->path);
                s->cg = cg_sandbox_free(s->cg);
        }
        s->started_at = 0;
        s->status_text = mfree(s->status_text);
}

void service_run_detach(Service *s) {
        /* The daemon is going away; the sandbox is not. Close what is ours,
         * leave the monitor, the sandbox and the cgroup as they are. */
        s->monitor_source = sd_event_source_disable_unref(s->monitor_source);
        s->channel_source = sd_event_source_disable_unref(s->channel_source);
        s->stop_timer = sd_event_source_disable_unref(s->stop_timer);
        s->runtime_timer = sd_event_source_disable_unref(s->runtime_timer);
        s->start_timer = sd_event_source_disable_unref(s->start_timer);
        s->monitor_pid = 0;
        s->monitor_pidfd = safe_close(s->monitor_pidfd);
        s->channel_fd = safe_close(s->channel_fd);
        s->init_pidfd = safe_close(s->init_pidfd);
        s->init_pid = 0;
        if (s->cg) {
                (void) cg_watch_remove(s->manager->cg_watch, s->cg);
                s->cg = cg_sandbox_free(s->cg);
        }
}

/* Whether pid is a process in the cgroup dir (absolute path). */
static bool pid_in_cgroup(pid_t pid, const char *cgroup_path) {
        _cleanup_free_ char *text = NULL;
        char proc[64];
        snprintf(proc, sizeof proc, "/proc/%d/cgroup", (int) pid);
        return read_full_file(proc, 65536, &text, NULL) >= 0 && notify_sender_in_cgroup(text, cgroup_path);
}

int service_run_adopt(Service *s) {
        _cleanup_free_ char *run_dir = service_run_dir(s), *text = NULL, *path = NULL, *monitor_leaf = NULL;
        Manager *m = s->manager;
        RunStatus st;
        int r;

        if (!run_dir || asprintf(&path, "%s/" RUN_STATUS_FILE, run_dir) < 0)
                return log_oom();
        r = read_full_file(path, 65536, &text, NULL);
        if (r == -ENOENT)
                return 0; /* nothing ran while we were away */
        if (r < 0 || run_status_parse(text, &st) < 0) {
                log_warning("Service %s: ignoring the unreadable run status %s", s->name, path);
                return 0;
        }
        /* Finished and recorded already (a daemon died between recording
         * the run and removing its files): only the files are left to go. */
        for (size_t i = 0; i < s->saved.n_history; i++)
                if (s->saved.history[i].task_id == st.task_id) {
                        run_dir_remove(run_dir, s->name);
                        return 0;
                }
        r = cg_sandbox_open(m->cg_root, s->name, &s->cg);
        if (r < 0) {
                log_warning_errno(r, "Service %s: run %llu left %s but no cgroup (%m); removing what is left",
                                  s->name, (unsigned long long) st.task_id, run_dir);
                run_dir_remove(run_dir, s->name);
                return 0;
        }
        if (asprintf(&monitor_leaf, "%s/monitor", s->cg->path) < 0)
                return log_oom();

        /* The run as it was: task id, start time, state. */
        s->sup.handle.task_id = st.task_id;
        if (m->next_task_id < st.task_id)
                m->next_task_id = st.task_id;
        s->started_at = st.started_at;
        usec_t real = now_usec(CLOCK_REALTIME), mono = now_usec(CLOCK_MONOTONIC);
        usec_t uptime = real > st.started_at ? real - st.started_at : 0;
        s->sup.run_started = mono > uptime ? mono - uptime : 0; /* for RestartResetSec= */
        bool running = s->policy->type == POLICY_SERVICE_NOTIFY ? st.ready : st.started;
        s->sup.handle.state = running ? LIFECYCLE_RUNNING : LIFECYCLE_STARTING;
        if (st.status_text[0] && !(s->status_text = strdup(st.status_text)))
                return log_oom();

        /* Is its monitor still there? Not if it wrote the exit record (it may
         * linger as a zombie nobody reaped). The pid alone could have been
         * reused: it must be in this sandbox's monitor cgroup. */
        _cleanup_free_ char *record = NULL;
        if (asprintf(&record, "%s/" EXIT_RECORD_FILE, run_dir) < 0)
                return log_oom();
        bool ended = access(record, F_OK) >= 0;
        s->monitor_pidfd = ended ? -EBADF : pidfd_open_(st.monitor_pid);
        if (s->monitor_pidfd >= 0 && pid_in_cgroup(st.monitor_pid, monitor_leaf)) {
                s->monitor_pid = st.monitor_pid;
                _cleanup_free_ char *payload_leaf = NULL;
                if (st.init_pid > 0 && asprintf(&payload_leaf, "%s/payload", s->cg->path) >= 0) {
                        /* The same check as for the monitor: a reused pid is not our init. */
                        s->init_pidfd = pidfd_open_(st.init_pid);
                        if (s->init_pidfd >= 0 && pid_in_cgroup(st.init_pid, payload_leaf))
                                s->init_pid = st.init_pid;
                        else
                                s->init_pidfd = safe_close(s->init_pidfd);
                }
                r = service_run_attach(s, run_dir);
                if (r == -ECONNREFUSED) {
                        /* Exiting right now: its pidfd tells when, the record says how. */
                        log_info("Service %s: its monitor %d is exiting", s->name, (int) st.monitor_pid);
                        r = sd_event_add_io(m->event, &s->monitor_source, s->monitor_pidfd, EPOLLIN,
                                            on_monitor_pidfd, s);
                }
                if (r < 0) {
                        /* Without the channel we still follow its end through
                         * the pidfd and can stop it through the cgroup. */
                        log_warning_errno(r, "Service %s: cannot reconnect to its monitor %d (%m); following "
                                          "it by its pidfd only", s->name, (int) st.monitor_pid);
                        if (!s->monitor_source)
                                r = sd_event_add_io(m->event, &s->monitor_source, s->monitor_pidfd, EPOLLIN,
                                                    on_monitor_pidfd, s);
                        if (r < 0) {
                                log_error_errno(r, "Service %s: cannot follow its monitor %d: %m. Stop it with "
                                                "'pgsandbox kill -s KILL %s'.", s->name, (int) st.monitor_pid,
                                                s->name);
                                service_run_detach(s);
                                return r;
                        }
                }
                log_info("Service %s: re-adopted run %llu (monitor %d, %s)", s->name, (unsigned long long) st.task_id,
                         (int) st.monitor_pid, service_state_string(s));
                return 0;
        }

        /* It ended while we were away: its exit record says how, and the
         * restart policy applies now, once. */
        s->monitor_pidfd = safe_close(s->monitor_pidfd);
        s->monitor_pid = st.monitor_pid; /* "active" until finished */
        log_info("Service %s: run %llu ended while pgsandboxd was not running", s->name,
                 (unsigned long long) st.task_id);
        r = cg_watch_add(m->cg_watch, s->cg, on_counters, s);
        if (r < 0)
                log_warning_errno(r, "Service %s: cannot read its cgroup counters: %m", s->name);
        service_run_finish(s);
        return 0;
}
