/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* pgsandbox-monitor: one per running sandbox, outside it (the conmon
 * pattern). It starts the sandbox from the effective policy the daemon wrote,
 * holds the service's stdout and stderr (appending them to the service's
 * log, keeping the tail of stderr for the panic extraction), and writes the
 * exit record before it exits. It does not need the daemon once started:
 * the daemon may restart or crash and the sandbox runs on.
 *
 *   pgsandbox-monitor --policy FILE --run-dir DIR --payload-cgroup PATH  --log FILE --task N
 *                     --started-at USEC
 *
 * fd 3 is the listening control socket the daemon connects to, now and after
 * any restart of its own (see exit-record.h). */
#include <fcntl.h>
#include <getopt.h>
#include <poll.h>
#include <stdarg.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/timerfd.h>

#include "cgroup.h"
#include "exit-record.h"
#include "fileio.h"
#include "log.h"
#include "notify.h"
#include "policy-map.h"
#include "policy.h"
#include "sandbox.h"
#include "service-log.h"
#include "strv.h"

#define CONTROL_LISTEN_FD 3

static const char *arg_policy, *arg_run_dir, *arg_payload, *arg_log;
static uint64_t arg_task, arg_started_at;
static int arg_seccomp_fd = -EBADF;

/* The daemon's current connection, and what a new one is told first. */
static int channel_fd = -EBADF;
static RunStatus run_status;

typedef struct Tail {
        char buf[STDERR_TAIL_MAX];
        size_t len;
} Tail;

static void tail_append(Tail *t, const char *data, size_t n) {
        if (n >= sizeof t->buf) {
                memcpy(t->buf, data + n - sizeof t->buf, sizeof t->buf);
                t->len = sizeof t->buf;
                return;
        }
        if (t->len + n > sizeof t->buf) {
                size_t drop = t->len + n - sizeof t->buf;
                memmove(t->buf, t->buf + drop, t->len - drop);
                t->len -= drop;
        }
        memcpy(t->buf + t->len, data, n);
        t->len += n;
}

static void channel_send(const char *msg) {
        /* The daemon may be gone (restarting): that is fine, the status file
         * and the exit record are what count. MSG_NOSIGNAL: no SIGPIPE. */
        if (channel_fd >= 0 && send(channel_fd, msg, strlen(msg), MSG_NOSIGNAL | MSG_DONTWAIT) < 0 &&
            errno != EAGAIN)
                channel_fd = safe_close(channel_fd);
}

/* RUN_DIR/status, for a daemon that restarts while we run. */
static void status_save(void) {
        _cleanup_free_ char *text = run_status_format(&run_status), *path = NULL;
        if (!text || asprintf(&path, "%s/" RUN_STATUS_FILE, arg_run_dir) < 0)
                return (void) log_oom();
        int r = write_file_replace(path, text, strlen(text), 0644);
        if (r < 0)
                log_warning_errno(r, "Failed to write '%s': %m", path);
}

/* A daemon connected (the first one, or one that restarted): it gets the
 * state so far, then the events from now on. */
static void channel_accept(void) {
        char msg[300];
        int fd = accept4(CONTROL_LISTEN_FD, NULL, NULL, SOCK_CLOEXEC | SOCK_NONBLOCK);
        if (fd < 0)
                return;
        safe_close(channel_fd);
        channel_fd = fd;
        if (run_status.init_pid > 0) {
                snprintf(msg, sizeof msg, "PID=%d", (int) run_status.init_pid);
                channel_send(msg);
        }
        if (run_status.started)
                channel_send("STARTED");
        if (run_status.status_text[0]) {
                snprintf(msg, sizeof msg, "STATUS=%s", run_status.status_text);
                channel_send(msg);
        }
        if (run_status.ready)
                channel_send("READY");
}

static int write_exit_record(const ExitRecord *rec, const Tail *tail) {
        _cleanup_free_ char *text = exit_record_format(rec), *tail_path = NULL, *path = NULL;
        int r;

        if (!text || asprintf(&tail_path, "%s/" STDERR_TAIL_FILE, arg_run_dir) < 0 ||
            asprintf(&path, "%s/" EXIT_RECORD_FILE, arg_run_dir) < 0)
                return log_oom();
        /* The tail first: once the record exists, the run is complete. */
        r = write_file_replace(tail_path, tail->buf, tail->len, 0600);
        if (r < 0)
                return log_error_errno(r, "Failed to write '%s': %m", tail_path);
        r = write_file_replace(path, text, strlen(text), 0600);
        if (r < 0)
                return log_error_errno(r, "Failed to write '%s': %m", path);
        return 0;
}

static int setup_error_record(ExitRecord *rec, const char *fmt, ...) _printf_(2, 3);
static int setup_error_record(ExitRecord *rec, const char *fmt, ...) {
        va_list ap;
        va_start(ap, fmt);
        int k = vasprintf(&rec->setup_error, fmt, ap);
        va_end(ap);
        rec->outcome = RUN_SETUP_ERROR;
        if (k < 0)
                rec->setup_error = NULL;
        return 0;
}

static void record_from_result(const SandboxResult *res, ExitRecord *rec) {
        switch (res->kind) {
        case SANDBOX_RESULT_EXITED:
                rec->outcome = RUN_EXITED;
                rec->exit_code = res->exit_code;
                break;
        case SANDBOX_RESULT_SIGNALED: {
                char buf[64];
                rec->outcome = RUN_KILLED;
                rec->signo = res->signal;
                rec->core_dumped = res->core_dumped;
                if (res->blocked_syscall >= 0 && sandbox_syscall_name(res->blocked_syscall, buf, sizeof buf))
                        rec->syscall = strdup(buf);
                break;
        }
        default: {
                _cleanup_(crash_reason_freep) CrashReason *reason = NULL;
                rec->outcome = RUN_SETUP_ERROR;
                if (sandbox_result_to_crash_reason(res, &reason) >= 0 && reason->text)
                        rec->setup_error = strdup(reason->text);
        }
        }
}

static void kill_payload(void) {
        _cleanup_free_ char *path = NULL;
        if (asprintf(&path, "%s/cgroup.kill", arg_payload) >= 0)
                (void) write_string_file_at(AT_FDCWD, path, "1");
}

static void watchdog_arm(int tfd, usec_t usec) {
        struct itimerspec its = {
                .it_value = { .tv_sec = (time_t) (usec / USEC_PER_SEC), .tv_nsec = (long) (usec % USEC_PER_SEC) * 1000 },
        };
        (void) timerfd_settime(tfd, 0, &its, NULL);
}

/* One notify datagram: from inside the sandbox, or refused. */
static void handle_notify(int fd, int watchdog_fd, usec_t watchdog_usec, ExitRecord *rec) {
        char buf[4096], proc[64], msg[300];
        size_t len;
        pid_t pid;

        int fds[16];
        size_t n_fds;

        while (notify_receive(fd, buf, sizeof buf, &len, &pid, fds, ELEMENTSOF(fds), &n_fds) >= 0) {
                _cleanup_free_ char *cg = NULL;
                snprintf(proc, sizeof proc, "/proc/%d/cgroup", (int) pid);
                bool ours = pid > 0 && read_full_file(proc, 65536, &cg, NULL) >= 0 &&
                            notify_sender_in_cgroup(cg, arg_payload);
                /* Closing them releases a BARRIER=1 sender: only now. FDSTORE= is not supported. */
                for (size_t i = 0; i < n_fds; i++)
                        safe_close(fds[i]);
                if (!ours) {
                        /* Another sandbox or the host speaking for this one. */
                        snprintf(msg, sizeof msg, "REFUSED=%d", (int) pid);
                        channel_send(msg);
                        continue;
                }
                NotifyMessage m;
                notify_parse(buf, len, &m);
                /* STATUS= first: a service that is Running shows its text. */
                if (m.has_status) {
                        snprintf(run_status.status_text, sizeof run_status.status_text, "%s", m.status);
                        status_save();
                        snprintf(msg, sizeof msg, "STATUS=%s", m.status);
                        channel_send(msg);
                }
                if (m.ready && !run_status.ready) {
                        run_status.ready = true;
                        status_save();
                        channel_send("READY");
                }
                if (m.stopping)
                        channel_send("STOPPING");
                if (m.service_errno > 0)
                        rec->service_errno = m.service_errno;
                if (m.watchdog && watchdog_usec > 0)
                        watchdog_arm(watchdog_fd, watchdog_usec);
                if (m.watchdog_trigger && watchdog_usec > 0) {
                        rec->watchdog = true;
                        kill_payload();
                }
        }
}

/* The policy's environment plus what the notify protocol needs. */
static char **service_environment(const Policy *p, const char *notify_path) {
        _cleanup_strv_free_ char **env = strv_copy(p->environment);
        char buf[64];

        if (!env)
                return NULL;
        if (notify_path) {
                _cleanup_free_ char *e = NULL;
                if (asprintf(&e, "NOTIFY_SOCKET=%s", notify_path) < 0 || strv_push(&env, e) < 0)
                        return NULL;
                TAKE_PTR(e);
        }
        if (p->watchdog > 0) {
                snprintf(buf, sizeof buf, "WATCHDOG_USEC=%llu", (unsigned long long) p->watchdog);
                if (strv_extend(&env, buf) < 0)
                        return NULL;
        }
        return TAKE_PTR(env);
}

/* Copies what the service wrote to its log; returns false at EOF. */
static bool pump(int fd, ServiceLog *log, int stream, Tail *tail) {
        char buf[16384];

        for (;;) {
                ssize_t n = read(fd, buf, sizeof buf);
                if (n < 0 && errno == EINTR)
                        continue;
                if (n < 0)
                        return errno == EAGAIN;
                if (n == 0)
                        return false;
                service_log_write(log, stream, buf, (size_t) n);
                if (tail)
                        tail_append(tail, buf, (size_t) n);
        }
}

static int run_sandbox(ExitRecord *rec, Tail *tail) {
        _cleanup_(policy_freep) Policy *p = NULL;
        _cleanup_(sandbox_prepared_freep) SandboxPrepared *prepared = NULL;
        _cleanup_(sandbox_process_freep) SandboxProcess *proc = NULL;
        _cleanup_(service_log_closep) ServiceLog *log = NULL;
        _cleanup_close_ int payload_fd = -EBADF, null_fd = -EBADF, notify_fd = -EBADF,
                            watchdog_fd = -EBADF;
        _cleanup_free_ char *notify_path = NULL;
        _cleanup_strv_free_ char **env = NULL;
        _cleanup_close_pair_ int out[2] = { -EBADF, -EBADF }, err[2] = { -EBADF, -EBADF };
        SandboxConfigStorage st = {};
        SandboxConfig config;
        SandboxResult res = {};
        PolicyError perr = {};
        int r;

        r = policy_load_file(arg_policy, &p, &perr);
        if (r < 0) {
                _cleanup_free_ char *msg = policy_error_to_string(&perr);
                policy_error_done(&perr);
                return setup_error_record(rec, "policy: %s", msg ?: strerror(-r));
        }
        if (asprintf(&notify_path, "%s/" NOTIFY_SOCKET_FILE, arg_run_dir) < 0)
                return log_oom();
        notify_fd = notify_listen(notify_path);
        if (notify_fd < 0)
                return setup_error_record(rec, "setup failed at notify socket %s: %s", notify_path,
                                          strerror(-notify_fd));
        watchdog_fd = timerfd_create(CLOCK_MONOTONIC, TFD_CLOEXEC | TFD_NONBLOCK);
        if (watchdog_fd < 0)
                return setup_error_record(rec, "setup failed at watchdog timer: %s", strerror(errno));
        env = service_environment(p, notify_path);
        if (!env)
                return log_oom();

        r = policy_to_sandbox_config(p, &config, &st);
        config.envp = env;
        /* The daemon compiled the policy's filter once; we only import it. */
        _cleanup_(sandbox_seccomp_filter_unrefp) SandboxSeccompFilter *filter = NULL;
        if (r >= 0 && arg_seccomp_fd >= 0) {
                int k = sandbox_seccomp_filter_import(arg_seccomp_fd, &filter);
                arg_seccomp_fd = safe_close(arg_seccomp_fd);
                if (k < 0) {
                        sandbox_config_storage_done(&st);
                        return setup_error_record(rec, "setup failed at seccomp: the daemon's filter: %s",
                                                  strerror(-k));
                }
                config.seccomp_filter = filter;
        }
        if (r == -ESRCH)
                return setup_error_record(rec, "a group of SupplementaryGroups= does not exist");
        if (r < 0)
                return setup_error_record(rec, "preparing the sandbox: %s", strerror(-r));
        r = sandbox_prepare(&config, &prepared, &res);
        sandbox_config_storage_done(&st);
        if (r < 0) {
                if (res.kind == SANDBOX_RESULT_SETUP_ERROR) {
                        record_from_result(&res, rec);
                        return 0;
                }
                return setup_error_record(rec, "preparing the sandbox: %s", strerror(-r));
        }

        payload_fd = open(arg_payload, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
        if (payload_fd < 0)
                return setup_error_record(rec, "setup failed at cgroup: %s: %s", arg_payload, strerror(errno));
        r = service_log_open(arg_log, p->name, arg_task, 0, &log);
        if (r < 0)
                return setup_error_record(rec, "setup failed at log: %s: %s", arg_log, strerror(-r));
        null_fd = open("/dev/null", O_RDONLY | O_CLOEXEC);
        if (null_fd < 0 || pipe2(out, O_CLOEXEC) < 0 || pipe2(err, O_CLOEXEC) < 0)
                return setup_error_record(rec, "setup failed at stdio: %s", strerror(errno));

        int stdio[3] = { null_fd, out[1], err[1] };
        r = sandbox_spawn(prepared, payload_fd, stdio, &proc);
        if (r < 0)
                return setup_error_record(rec, "setup failed at clone3: %s", strerror(-r));
        out[1] = safe_close(out[1]);
        err[1] = safe_close(err[1]);
        (void) fcntl(out[0], F_SETFL, O_NONBLOCK);
        (void) fcntl(err[0], F_SETFL, O_NONBLOCK);

        char msg[32];
        run_status.init_pid = sandbox_process_pid(proc);
        status_save();
        snprintf(msg, sizeof msg, "PID=%d", (int) run_status.init_pid);
        channel_send(msg);

        /* Event loop: the setup pipe (EOF once exec'd), the two output pipes,
         * and the init's pidfd (readable when the sandbox is over). */
        int setup_fd = sandbox_process_setup_fd(proc);
        bool out_open = true, err_open = true, setup_open = setup_fd >= 0, exited = false;
        while (!exited || out_open || err_open) {
                struct pollfd fds[8] = {
                        { .fd = out_open ? out[0] : -1, .events = POLLIN },
                        { .fd = err_open ? err[0] : -1, .events = POLLIN },
                        { .fd = setup_open ? setup_fd : -1, .events = POLLIN },
                        { .fd = exited ? -1 : sandbox_process_pidfd(proc), .events = POLLIN },
                        { .fd = exited ? -1 : notify_fd, .events = POLLIN },
                        { .fd = exited ? -1 : watchdog_fd, .events = POLLIN },
                        { .fd = CONTROL_LISTEN_FD, .events = POLLIN },
                        { .fd = channel_fd, .events = POLLIN }, /* only EOF or errors come */
                };
                if (poll(fds, ELEMENTSOF(fds), -1) < 0) {
                        if (errno == EINTR)
                                continue;
                        break;
                }
                if (fds[0].revents)
                        out_open = pump(out[0], log, 1, NULL);
                if (fds[1].revents)
                        err_open = pump(err[0], log, 2, tail);
                if (fds[2].revents) {
                        setup_open = false;
                        if (sandbox_process_wait_started(proc) > 0) {
                                run_status.started = true;
                                status_save();
                                channel_send("STARTED");
                                if (p->watchdog > 0)
                                        watchdog_arm(watchdog_fd, p->watchdog);
                        }
                }
                if (fds[4].revents)
                        handle_notify(notify_fd, watchdog_fd, p->watchdog, rec);
                if (fds[5].revents) {
                        uint64_t ticks;
                        (void) read(watchdog_fd, &ticks, sizeof ticks);
                        /* No WATCHDOG=1 within WatchdogSec=: the service hangs. */
                        rec->watchdog = true;
                        kill_payload();
                }
                if (fds[6].revents)
                        channel_accept();
                if (fds[7].revents) {
                        char drop[64];
                        if (recv(channel_fd, drop, sizeof drop, MSG_DONTWAIT) <= 0)
                                channel_fd = safe_close(channel_fd); /* the daemon went away */
                }
                if (fds[3].revents)
                        /* The pid namespace is gone with its init, so the
                         * pipes reach EOF once the last writer is dead. */
                        exited = true;
        }

        (void) unlink(notify_path);
        r = sandbox_wait(proc, &res);
        if (r < 0)
                return setup_error_record(rec, "waiting for the sandbox: %s", strerror(-r));
        record_from_result(&res, rec);

        /* The counters go into the record with the rest, before anyone
         * removes the cgroup: a daemon that was down reads them there. The
         * cgroup is new for each run, so they are this run's totals. */
        CgCounters c;
        if (cg_read_counters_fd(payload_fd, &c) >= 0) {
                rec->oom_kills = c.memory_oom_kill;
                rec->oom_group_kills = c.memory_oom_group_kill;
                rec->pids_max_events = c.pids_max;
                rec->memory_peak = c.memory_peak;
        }
        return 0;
}

static int parse_argv(int argc, char *argv[]) {
        enum { ARG_POLICY = 0x100, ARG_RUN_DIR, ARG_PAYLOAD, ARG_LOG, ARG_TASK, ARG_STARTED_AT, ARG_SECCOMP_FD };
        static const struct option options[] = {
                { "policy", required_argument, NULL, ARG_POLICY },
                { "run-dir", required_argument, NULL, ARG_RUN_DIR },
                { "payload-cgroup", required_argument, NULL, ARG_PAYLOAD },
                { "log", required_argument, NULL, ARG_LOG },
                { "task", required_argument, NULL, ARG_TASK },
                { "started-at", required_argument, NULL, ARG_STARTED_AT },
                { "seccomp-fd", required_argument, NULL, ARG_SECCOMP_FD },
                {},
        };
        int c;

        while ((c = getopt_long(argc, argv, "", options, NULL)) >= 0)
                switch (c) {
                case ARG_POLICY:
                        arg_policy = optarg;
                        break;
                case ARG_RUN_DIR:
                        arg_run_dir = optarg;
                        break;
                case ARG_PAYLOAD:
                        arg_payload = optarg;
                        break;
                case ARG_LOG:
                        arg_log = optarg;
                        break;
                case ARG_TASK:
                        arg_task = strtoull(optarg, NULL, 10);
                        break;
                case ARG_STARTED_AT:
                        arg_started_at = strtoull(optarg, NULL, 10);
                        break;
                case ARG_SECCOMP_FD:
                        arg_seccomp_fd = atoi(optarg);
                        break;
                default:
                        return -EINVAL;
                }
        if (!arg_policy || !arg_run_dir || !arg_payload || !arg_log || optind < argc) {
                log_error("usage: pgsandbox-monitor --policy FILE --run-dir DIR --payload-cgroup PATH --log FILE "
                          "--task N (started by pgsandboxd, not by hand)");
                return -EINVAL;
        }
        return 0;
}

int main(int argc, char *argv[]) {
        ExitRecord rec = { .oom_kills = UINT64_MAX, .oom_group_kills = UINT64_MAX,
                           .pids_max_events = UINT64_MAX, .memory_peak = UINT64_MAX };
        static Tail tail;
        int r;

        log_set_prefix("pgsandbox-monitor");
        if (parse_argv(argc, argv) < 0)
                return 2;
        /* The daemon's death must not take us along. */
        (void) signal(SIGPIPE, SIG_IGN);
        (void) signal(SIGHUP, SIG_IGN);

        /* A record of an earlier run must never pass for this one's. */
        {
                _cleanup_free_ char *old = NULL;
                if (asprintf(&old, "%s/" EXIT_RECORD_FILE, arg_run_dir) >= 0)
                        (void) unlink(old);
        }
        run_status = (RunStatus) {
                .monitor_pid = getpid(),
                .task_id = arg_task,
                .started_at = arg_started_at ?: now_usec(CLOCK_REALTIME),
        };
        status_save();
        (void) fcntl(CONTROL_LISTEN_FD, F_SETFL, O_NONBLOCK);
        channel_accept(); /* the daemon connected right after starting us */

        r = run_sandbox(&rec, &tail);
        if (r >= 0)
                r = write_exit_record(&rec, &tail);
        exit_record_done(&rec);
        channel_accept(); /* a daemon that just reconnected hears it too */
        channel_send("EXITED");
        return r < 0 ? 1 : 0;
}
