/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The D-Bus API (docs/dbus-api.md) on a private socket: one sd-bus server
 * connection per client, the same object on each. Reads are open to every
 * local user; every method that changes something checks the caller's uid
 * from the socket's peer credentials first and changes nothing for others. */
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <sched.h>
#include <sys/capability.h>

#include <systemd/sd-id128.h>

#include "fileio.h"
#include "log.h"
#include "service.h"
#include "strv.h"

#define OBJECT_PATH "/org/pgsandbox1"
#define INTERFACE "org.pgsandbox1.Manager"
#define ERROR_NO_SUCH_SANDBOX "org.pgsandbox1.Error.NoSuchSandbox"

/* ---- connections ----------------------------------------------------------- */

static int on_disconnect_deferred(sd_event_source *source, void *userdata) {
        sd_bus *bus = userdata;
        sd_bus_flush_close_unref(bus);
        sd_event_source_disable_unref(source);
        return 0;
}

static int on_disconnected(sd_bus_message *msg, void *userdata, sd_bus_error *error) {
        Manager *m = userdata;
        sd_bus *bus = sd_bus_message_get_bus(msg);

        for (size_t i = 0; i < m->n_buses; i++)
                if (m->buses[i] == bus) {
                        sd_event_source *defer;
                        m->buses[i] = m->buses[--m->n_buses];
                        /* Not from within the bus's own dispatch: from a defer
                         * source that unrefs itself when it has run. */
                        if (sd_event_add_defer(m->event, &defer, on_disconnect_deferred, bus) < 0)
                                sd_bus_flush_close_unref(bus); /* out of memory: now, carefully */
                        break;
                }
        return 0;
}

extern const sd_bus_vtable manager_vtable[];

/* Clients that speak to a bus (busctl, gdbus) first say Hello to the bus
 * driver. There is none on this private socket, so we answer for it with a
 * unique name, and the usual tools work: busctl --address=unix:path=... */
static int method_hello(sd_bus_message *msg, void *userdata, sd_bus_error *error) {
        static uint64_t counter;
        char name[32];
        snprintf(name, sizeof name, ":1.%llu", (unsigned long long) ++counter);
        return sd_bus_reply_method_return(msg, "s", name);
}

static const sd_bus_vtable driver_vtable[] = {
        SD_BUS_VTABLE_START(0),
        SD_BUS_METHOD_WITH_ARGS("Hello", SD_BUS_NO_ARGS, SD_BUS_RESULT("s", name), method_hello,
                                SD_BUS_VTABLE_UNPRIVILEGED),
        SD_BUS_VTABLE_END,
};

/* Whether the peer is a process of one of our sandboxes. A sandbox without
 * User= runs as uid 0 and may see the API socket: it must not be taken for
 * the operator. The kernel's record of the peer (SO_PEERCRED at connect())
 * gives its pid; its cgroup says where it lives. */
static bool peer_is_sandboxed(Manager *m, int fd) {
        struct ucred cred;
        socklen_t len = sizeof cred;
        _cleanup_free_ char *text = NULL;
        char proc[64];

        if (getsockopt(fd, SOL_SOCKET, SO_PEERCRED, &cred, &len) < 0 || cred.pid <= 0)
                return true; /* cannot tell: refuse */
        snprintf(proc, sizeof proc, "/proc/%d/cgroup", (int) cred.pid);
        if (read_full_file(proc, 65536, &text, NULL) < 0)
                return true;
        /* Below our root ("<mount>/<root>/..."), as the v2 line "0::/<root>/...". */
        const char *root = m->cg_root->path + strlen(m->cg_host->mount);
        for (const char *line = text; line && *line; line = strchr(line, '\n') ? strchr(line, '\n') + 1 : NULL)
                if (strncmp(line, "0::", 3) == 0) {
                        size_t n = strlen(root);
                        return strncmp(line + 3, root, n) == 0 && (line[3 + n] == '/' || line[3 + n] == '\n');
                }
        return false;
}

#define API_CONNECTIONS_MAX 256

static int on_connection(sd_event_source *source, int fd, uint32_t revents, void *userdata) {
        _cleanup_(sd_bus_flush_close_unrefp) sd_bus *bus = NULL;
        _cleanup_close_ int cfd = -EBADF;
        Manager *m = userdata;
        sd_id128_t id;
        int r;

        cfd = accept4(fd, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC);
        if (cfd < 0) {
                if (errno != EAGAIN && errno != EINTR)
                        log_warning_errno(errno, "Failed to accept an API connection: %m");
                return 0;
        }
        if (m->n_buses >= API_CONNECTIONS_MAX) {
                log_warning("Refusing an API connection: %d are open already.", API_CONNECTIONS_MAX);
                return 0;
        }
        if (peer_is_sandboxed(m, cfd)) {
                log_warning("Refusing an API connection from inside a sandbox.");
                return 0;
        }
        sd_bus **v = reallocarray(m->buses, m->n_buses + 1, sizeof *v);
        if (!v)
                return log_oom();
        m->buses = v;

        r = sd_bus_new(&bus);
        if (r >= 0)
                r = sd_bus_set_fd(bus, cfd, cfd);
        if (r >= 0) {
                cfd = -EBADF; /* the bus owns it now */
                r = sd_id128_randomize(&id);
        }
        if (r >= 0)
                r = sd_bus_set_server(bus, 1, id);
        if (r >= 0)
                r = sd_bus_set_anonymous(bus, 1);
        if (r >= 0)
                r = sd_bus_add_object_vtable(bus, NULL, OBJECT_PATH, INTERFACE, manager_vtable, m);
        if (r >= 0)
                r = sd_bus_add_object_vtable(bus, NULL, "/org/freedesktop/DBus", "org.freedesktop.DBus",
                                             driver_vtable, m);
        if (r >= 0)
                r = sd_bus_match_signal(bus, NULL, "org.freedesktop.DBus.Local", "/org/freedesktop/DBus/Local",
                                        "org.freedesktop.DBus.Local", "Disconnected", on_disconnected, m);
        if (r >= 0)
                r = sd_bus_attach_event(bus, m->event, SD_EVENT_PRIORITY_NORMAL);
        if (r >= 0)
                r = sd_bus_start(bus);
        if (r < 0) {
                log_warning_errno(r, "Failed to set up an API connection: %m");
                return 0;
        }
        m->buses[m->n_buses++] = TAKE_PTR(bus);
        return 0;
}

int manager_bus_listen(Manager *m) {
        struct sockaddr_un sa = { .sun_family = AF_UNIX };
        _cleanup_free_ char *path = NULL;
        int r;

        if (asprintf(&path, "%s/bus", m->config.runtime_dir) < 0)
                return log_oom();
        if (strlen(path) >= sizeof sa.sun_path)
                return log_error_errno(ENAMETOOLONG, "The API socket path '%s' is too long.", path);
        strcpy(sa.sun_path, path);

        m->listen_fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
        if (m->listen_fd < 0)
                return log_error_errno(errno, "Failed to create the API socket: %m");
        (void) unlink(path);
        if (bind(m->listen_fd, (struct sockaddr *) &sa, sizeof sa) < 0)
                return log_error_errno(errno, "Failed to bind the API socket '%s': %m", path);
        /* Anyone may connect and read; writes check the peer's uid. */
        if (chmod(path, 0666) < 0)
                return log_error_errno(errno, "Failed to open the API socket '%s' to users: %m", path);
        if (listen(m->listen_fd, SOMAXCONN) < 0)
                return log_error_errno(errno, "Failed to listen on '%s': %m", path);
        r = sd_event_add_io(m->event, &m->listen_source, m->listen_fd, EPOLLIN, on_connection, m);
        if (r < 0)
                return log_error_errno(r, "Failed to watch the API socket: %m");
        return 0;
}

void manager_bus_close(Manager *m) {
        for (size_t i = 0; i < m->n_buses; i++)
                sd_bus_flush_close_unref(m->buses[i]);
        m->buses = mfree(m->buses);
        m->n_buses = 0;
        m->listen_source = sd_event_source_disable_unref(m->listen_source);
        if (m->listen_fd >= 0) {
                char path[PATH_MAX];
                snprintf(path, sizeof path, "%s/bus", m->config.runtime_dir);
                (void) unlink(path);
        }
        m->listen_fd = safe_close(m->listen_fd);
}

/* ---- access control --------------------------------------------------------- */

/* Peer credentials of the connection the message came on (SO_PEERCRED: what
 * the kernel recorded at connect(), not what the client claims). */
static int check_root(sd_bus_message *msg, const char *what, sd_bus_error *error) {
        struct ucred cred;
        socklen_t len = sizeof cred;
        int fd = sd_bus_get_fd(sd_bus_message_get_bus(msg));

        if (fd < 0 || getsockopt(fd, SOL_SOCKET, SO_PEERCRED, &cred, &len) < 0)
                return sd_bus_error_setf(error, SD_BUS_ERROR_ACCESS_DENIED,
                                         "Permission denied: cannot tell who is calling");
        if (cred.uid != 0)
                return sd_bus_error_setf(error, SD_BUS_ERROR_ACCESS_DENIED, "Permission denied: %s requires root",
                                         what);
        return 0;
}

/* ---- sandbox dictionaries ------------------------------------------------------ */

static int append_str(sd_bus_message *r, const char *key, const char *value) {
        return sd_bus_message_append(r, "{sv}", key, "s", value ?: "");
}

static int append_u64(sd_bus_message *r, const char *key, uint64_t value) {
        return sd_bus_message_append(r, "{sv}", key, "t", value);
}

static uint64_t counter(uint64_t v) {
        return v == CG_COUNTER_UNKNOWN ? UINT64_MAX : v;
}

/* "cap_net_bind_service cap_kill", as libcap names them; "" for none. */
static char *capabilities_to_string(uint64_t caps) {
        _cleanup_strv_free_ char **names = NULL;
        for (int i = 0; i < 64; i++)
                if (caps & (UINT64_C(1) << i)) {
                        char *n = cap_to_name(i);
                        int r = n ? strv_extend(&names, n) : -ENOMEM;
                        cap_free(n);
                        if (r < 0)
                                return NULL;
                }
        return strv_join(names, " ");
}

static int append_namespaces(sd_bus_message *reply, unsigned long flags) {
        static const struct {
                unsigned long flag;
                const char *name;
        } table[] = {
                { CLONE_NEWPID, "pid" }, { CLONE_NEWNS, "mount" }, { CLONE_NEWNET, "net" }, { CLONE_NEWIPC, "ipc" },
                { CLONE_NEWUTS, "uts" }, { CLONE_NEWCGROUP, "cgroup" }, { CLONE_NEWUSER, "user" },
        };
        int r = sd_bus_message_open_container(reply, 'a', "s");
        for (size_t i = 0; r >= 0 && i < ELEMENTSOF(table); i++)
                if (flags & table[i].flag)
                        r = sd_bus_message_append(reply, "s", table[i].name);
        return r < 0 ? r : sd_bus_message_close_container(reply);
}

/* What ps and top show of a running sandbox's cgroup, at most a second old:
 * top refreshes once a second, and with 1000 sandboxes a fresh read of
 * every one for every ps would cost more than the rest of the call. Only
 * controllers that are on are read. */
static const CgCounters *service_live_counters(Service *s) {
        usec_t now = now_usec(CLOCK_MONOTONIC);

        if (!s->cg) {
                s->live = (CgCounters) { .memory_current = CG_COUNTER_UNKNOWN, .memory_peak = CG_COUNTER_UNKNOWN,
                                         .pids_current = CG_COUNTER_UNKNOWN, .cpu_usage_usec = CG_COUNTER_UNKNOWN };
                s->live_at = 0;
                return &s->live;
        }
        if (s->live_at > 0 && now - s->live_at < USEC_PER_SEC)
                return &s->live;
        s->live = (CgCounters) { .memory_current = CG_COUNTER_UNKNOWN, .memory_peak = CG_COUNTER_UNKNOWN,
                                 .pids_current = CG_COUNTER_UNKNOWN, .cpu_usage_usec = CG_COUNTER_UNKNOWN };
        if (s->cg->enabled & CG_MASK(CG_CONTROLLER_MEMORY)) {
                (void) cg_read_u64_at(s->cg->payload_fd, "memory.current", &s->live.memory_current);
                (void) cg_read_u64_at(s->cg->payload_fd, "memory.peak", &s->live.memory_peak);
        }
        if (s->cg->enabled & CG_MASK(CG_CONTROLLER_PIDS))
                (void) cg_read_u64_at(s->cg->payload_fd, "pids.current", &s->live.pids_current);
        (void) cg_read_keyed_at(s->cg->payload_fd, "cpu.stat", "usage_usec", &s->live.cpu_usage_usec);
        s->live_at = now;
        return &s->live;
}

static int append_sandbox(sd_bus_message *reply, Service *s) {
        _cleanup_free_ char *status = service_status_summary(s), *reason = NULL;
        char id[SERVICE_ID_STRING_MAX];
        const CgCounters *c = service_live_counters(s);
        int r;

        if (!status)
                return -ENOMEM;
        if (s->sup.handle.crash_reason && !(reason = crash_reason_description(s->sup.handle.crash_reason)))
                return -ENOMEM;
        usec_t now = now_usec(CLOCK_MONOTONIC);

        r = sd_bus_message_open_container(reply, 'a', "{sv}");
        if (r >= 0) r = append_str(reply, "Id", service_id_to_string(&s->id, id));
        if (r >= 0) r = append_str(reply, "Name", s->name);
        if (r >= 0) r = append_str(reply, "State", service_state_string(s));
        if (r >= 0) r = append_str(reply, "Status", status);
        if (r >= 0) r = append_str(reply, "RestartPolicy", restart_policy_to_string(s->sup.policy));
        if (r >= 0) r = sd_bus_message_append(reply, "{sv}", "Restarts", "u", s->sup.handle.restart_count);
        if (r >= 0) r = append_u64(reply, "TaskId", s->sup.handle.task_id);
        if (r >= 0) r = sd_bus_message_append(reply, "{sv}", "MainPID", "u", (uint32_t) s->init_pid);
        if (r >= 0) r = append_u64(reply, "StartedAt", s->started_at);
        if (r >= 0) r = sd_bus_message_open_container(reply, 'e', "sv");
        if (r >= 0) r = sd_bus_message_append(reply, "s", "Tags");
        if (r >= 0) r = sd_bus_message_open_container(reply, 'v', "as");
        if (r >= 0) r = sd_bus_message_append_strv(reply, s->policy->tags);
        if (r >= 0) r = sd_bus_message_close_container(reply);
        if (r >= 0) r = sd_bus_message_close_container(reply);
        if (r >= 0) r = append_str(reply, "PolicyFile", s->transient ? "" : s->policy->path);
        _cleanup_free_ char *log_path = service_log_path(s);
        if (r >= 0) r = append_str(reply, "LogFile", log_path);
        if (r >= 0) r = append_u64(reply, "MemoryCurrent", counter(c->memory_current));
        if (r >= 0) r = append_u64(reply, "MemoryPeak", counter(c->memory_peak));
        if (r >= 0) r = append_u64(reply, "MemoryMax", s->policy->memory_max);
        if (r >= 0) r = append_u64(reply, "PidsCurrent", counter(c->pids_current));
        if (r >= 0) r = append_u64(reply, "PidsMax", s->policy->pids_max);
        if (r >= 0) r = append_u64(reply, "CPUUsageUSec", counter(c->cpu_usage_usec));
        if (r >= 0) r = append_str(reply, "StatusText", s->status_text);
        if (r >= 0) r = append_str(reply, "Description", s->policy->description);
        char seccomp[128];
        snprintf(seccomp, sizeof seccomp, "%s (%s, action %s)",
                 policy_seccomp_profile_to_string(s->policy->seccomp.profile) ?: "?",
                 policy_seccomp_mode_to_string(s->policy->seccomp_spec.mode) ?: "?",
                 policy_seccomp_action_to_string(s->policy->seccomp_spec.action) ?: "?");
        if (r >= 0) r = append_str(reply, "SeccompProfile", seccomp);
        _cleanup_free_ char *caps = capabilities_to_string(s->policy->capabilities);
        if (r >= 0) r = append_str(reply, "Capabilities", caps ?: "");
        if (r >= 0) r = append_str(reply, "ControlGroup", s->cg ? s->cg->path : "");
        if (r >= 0) r = sd_bus_message_open_container(reply, 'e', "sv");
        if (r >= 0) r = sd_bus_message_append(reply, "s", "Namespaces");
        if (r >= 0) r = sd_bus_message_open_container(reply, 'v', "as");
        if (r >= 0) r = append_namespaces(reply, s->policy->namespaces);
        if (r >= 0) r = sd_bus_message_close_container(reply);
        if (r >= 0) r = sd_bus_message_close_container(reply);
        if (r >= 0) r = append_str(reply, "CrashReason", reason);
        if (r >= 0) r = append_str(reply, "CrashEvidence", s->crash_evidence);
        if (r >= 0) r = append_u64(reply, "CrashTime", s->crash_time);
        if (r >= 0) r = append_u64(reply, "NextRestartUSec", s->restart_due > now ? s->restart_due - now : 0);
        if (r >= 0) r = sd_bus_message_close_container(reply);
        return r;
}

static int method_list(sd_bus_message *msg, void *userdata, sd_bus_error *error) {
        _cleanup_(sd_bus_message_unrefp) sd_bus_message *reply = NULL;
        Manager *m = userdata;
        int r;

        r = sd_bus_message_new_method_return(msg, &reply);
        if (r >= 0)
                r = sd_bus_message_open_container(reply, 'a', "a{sv}");
        for (size_t i = 0; r >= 0 && i < m->n_services; i++)
                r = append_sandbox(reply, m->services[i]);
        if (r >= 0)
                r = sd_bus_message_close_container(reply);
        if (r < 0)
                return r;
        return sd_bus_send(NULL, reply, NULL);
}

static int resolve_or_error(Manager *m, const char *target, Service **ret, sd_bus_error *error) {
        _cleanup_free_ char *candidates = NULL;
        int r = manager_resolve_target(m, target, ret, &candidates);
        if (r == -ENOTUNIQ)
                return sd_bus_error_setf(error, ERROR_NO_SUCH_SANDBOX, "Service id prefix '%s' is ambiguous: %s",
                                         target, candidates ?: "several match");
        if (r < 0)
                return sd_bus_error_setf(error, ERROR_NO_SUCH_SANDBOX, "Service %s not found", target);
        return 0;
}

static int method_get(sd_bus_message *msg, void *userdata, sd_bus_error *error) {
        _cleanup_(sd_bus_message_unrefp) sd_bus_message *reply = NULL;
        Manager *m = userdata;
        const char *target;
        Service *s;
        int r;

        r = sd_bus_message_read(msg, "s", &target);
        if (r < 0)
                return r;
        r = resolve_or_error(m, target, &s, error);
        if (r < 0)
                return r;
        r = sd_bus_message_new_method_return(msg, &reply);
        if (r >= 0)
                r = append_sandbox(reply, s);
        if (r < 0)
                return r;
        return sd_bus_send(NULL, reply, NULL);
}

static int method_history(sd_bus_message *msg, void *userdata, sd_bus_error *error) {
        _cleanup_(sd_bus_message_unrefp) sd_bus_message *reply = NULL;
        const char *target;
        Service *s;
        int r;

        r = sd_bus_message_read(msg, "s", &target);
        if (r < 0)
                return r;
        r = resolve_or_error(userdata, target, &s, error);
        if (r < 0)
                return r;
        r = sd_bus_message_new_method_return(msg, &reply);
        if (r >= 0)
                r = sd_bus_message_open_container(reply, 'a', "(tttssstt)");
        /* Newest first, as `history` shows them. */
        for (size_t i = s->saved.n_history; r >= 0 && i > 0; i--) {
                const RunRecord *h = &s->saved.history[i - 1];
                _cleanup_free_ char *desc = h->reason ? crash_reason_description(h->reason) : NULL;
                if (h->reason && !desc)
                        return -ENOMEM;
                r = sd_bus_message_append(reply, "(tttssstt)", h->task_id, h->started, h->ended,
                                          h->reason ? crash_kind_to_string(h->reason->kind) : "", desc ?: "",
                                          h->evidence ?: "", h->memory_peak, h->pids_peak);
        }
        if (r >= 0)
                r = sd_bus_message_close_container(reply);
        if (r < 0)
                return r;
        return sd_bus_send(NULL, reply, NULL);
}

/* ---- verbs on targets ---------------------------------------------------------- */

typedef enum Verb { VERB_START, VERB_STOP, VERB_RESTART, VERB_KILL } Verb;

static const char * const verb_gerund[] = {
        [VERB_START] = "starting sandboxes", [VERB_STOP] = "stopping sandboxes",
        [VERB_RESTART] = "restarting sandboxes", [VERB_KILL] = "killing sandboxes",
};

/* Expands "tag:TAG" into the names carrying it; other targets stay. */
static int expand_targets(Manager *m, char **targets, char ***ret) {
        _cleanup_strv_free_ char **out = NULL;
        STRV_FOREACH(t, targets) {
                if (strncmp(*t, "tag:", 4) != 0) {
                        if (strv_extend(&out, *t) < 0)
                                return -ENOMEM;
                        continue;
                }
                bool any = false;
                for (size_t i = 0; i < m->n_services; i++)
                        if (strv_contains(m->services[i]->policy->tags, *t + 4)) {
                                if (strv_extend(&out, m->services[i]->name) < 0)
                                        return -ENOMEM;
                                any = true;
                        }
                if (!any && strv_extend(&out, *t) < 0) /* reported as not found */
                        return -ENOMEM;
        }
        *ret = TAKE_PTR(out);
        return 0;
}

static KillResult do_verb(Manager *m, Verb verb, KillSignal sig, const char *target, char **ret_msg) {
        _cleanup_free_ char *candidates = NULL;
        KillResult res = { .kind = KILL_RESULT_SUCCESS, .service = target, .signal = sig };
        Service *s;
        int r;

        *ret_msg = NULL;
        r = manager_resolve_target(m, target, &s, &candidates);
        if (r == -ENOTUNIQ) {
                res.kind = KILL_RESULT_FAILED;
                (void) asprintf(ret_msg, "Failed to %s %s: the id prefix is ambiguous (%s)",
                                verb == VERB_KILL ? "kill" : verb == VERB_START ? "start" : "stop", target,
                                candidates ?: "several match");
                return res;
        }
        if (r < 0) {
                res.kind = KILL_RESULT_NOT_FOUND;
                *ret_msg = kill_result_format(&res);
                return res;
        }
        res.service = s->name;

        switch (verb) {
        case VERB_START:
                r = service_start(s);
                if (r == -EALREADY) {
                        res.kind = KILL_RESULT_ALREADY_STOPPED; /* reused kind: nothing to do */
                        (void) asprintf(ret_msg, "Service %s is already running", s->name);
                } else if (r < 0) {
                        res.kind = KILL_RESULT_FAILED;
                        (void) asprintf(ret_msg, "Failed to start %s: %s", s->name, strerror(-r));
                } else
                        (void) asprintf(ret_msg, "Started service %s", s->name);
                return res;
        case VERB_RESTART:
                if (service_is_active(s)) {
                        s->restart_requested = true;
                        r = service_stop(s);
                } else
                        r = service_start(s);
                if (r < 0 && r != -EALREADY) {
                        res.kind = KILL_RESULT_FAILED;
                        (void) asprintf(ret_msg, "Failed to restart %s: %s", s->name, strerror(-r));
                } else
                        (void) asprintf(ret_msg, "Restarting service %s", s->name);
                return res;
        default:
                s->restart_requested = false; /* the operator's last word wins */
                r = verb == VERB_STOP ? service_stop(s) : service_kill(s, sig);
                if (r == -EALREADY)
                        res.kind = KILL_RESULT_ALREADY_STOPPED;
                else if (r < 0) {
                        res.kind = KILL_RESULT_FAILED;
                        res.reason = strerror(-r);
                }
                if (verb == VERB_STOP && res.kind == KILL_RESULT_SUCCESS)
                        (void) asprintf(ret_msg, "Stopping service %s", s->name);
                else
                        *ret_msg = kill_result_format(&res);
                return res;
        }
}

static int method_verb(sd_bus_message *msg, Manager *m, Verb verb, sd_bus_error *error) {
        _cleanup_(sd_bus_message_unrefp) sd_bus_message *reply = NULL;
        _cleanup_strv_free_ char **targets = NULL, **expanded = NULL;
        KillSignal sig = KILL_SIGNAL_TERMINATE; /* Stop is TERM; Kill reads its own */
        int r;

        r = sd_bus_message_read_strv(msg, &targets);
        if (r < 0)
                return r;
        if (verb == VERB_KILL) {
                const char *signame;
                r = sd_bus_message_read(msg, "s", &signame);
                if (r < 0)
                        return r;
                sig = kill_signal_from_string(signame);
                if (sig < 0)
                        return sd_bus_error_setf(error, SD_BUS_ERROR_INVALID_ARGS,
                                                 "Unknown signal '%s': use TERM, KILL or INT (or 15, 9, 2).", signame);
        }
        r = check_root(msg, verb_gerund[verb], error);
        if (r < 0)
                return r;
        if (strv_length(targets) == 0)
                return sd_bus_error_setf(error, SD_BUS_ERROR_INVALID_ARGS, "No sandbox named: give a name, an id or tag:TAG.");
        r = expand_targets(m, targets, &expanded);
        if (r < 0)
                return r;

        r = sd_bus_message_new_method_return(msg, &reply);
        if (r >= 0)
                r = sd_bus_message_open_container(reply, 'a', "(sss)");
        STRV_FOREACH(t, expanded) {
                _cleanup_free_ char *text = NULL;
                KillResult res = do_verb(m, verb, sig, *t, &text);
                /* Start on a running sandbox: nothing to do, said as such. */
                const char *kind = verb == VERB_START && res.kind == KILL_RESULT_ALREADY_STOPPED
                                           ? "already-running"
                                           : kill_result_kind_to_string(res.kind);
                if (r >= 0)
                        r = sd_bus_message_append(reply, "(sss)", *t, kind, text ?: "out of memory");
        }
        if (r >= 0)
                r = sd_bus_message_close_container(reply);
        if (r < 0)
                return r;
        return sd_bus_send(NULL, reply, NULL);
}

static int method_start(sd_bus_message *msg, void *userdata, sd_bus_error *error) {
        return method_verb(msg, userdata, VERB_START, error);
}
static int method_stop(sd_bus_message *msg, void *userdata, sd_bus_error *error) {
        return method_verb(msg, userdata, VERB_STOP, error);
}
static int method_restart(sd_bus_message *msg, void *userdata, sd_bus_error *error) {
        return method_verb(msg, userdata, VERB_RESTART, error);
}
static int method_kill(sd_bus_message *msg, void *userdata, sd_bus_error *error) {
        return method_verb(msg, userdata, VERB_KILL, error);
}

static int method_reload(sd_bus_message *msg, void *userdata, sd_bus_error *error) {
        _cleanup_(sd_bus_message_unrefp) sd_bus_message *reply = NULL;
        _cleanup_strv_free_ char **errors = NULL;
        int r;

        r = check_root(msg, "reloading policies", error);
        if (r < 0)
                return r;
        r = manager_reload(userdata, &errors);
        if (r < 0)
                return sd_bus_error_set_errnof(error, r, "Failed to reload the policies: %m");
        r = sd_bus_message_new_method_return(msg, &reply);
        if (r >= 0)
                r = sd_bus_message_open_container(reply, 'a', "(ss)");
        STRV_FOREACH(e, errors) {
                /* "FILE:LINE:COL: message" -> (FILE, whole line) */
                _cleanup_free_ char *file = strndup(*e, strcspn(*e, ":"));
                if (r >= 0)
                        r = sd_bus_message_append(reply, "(ss)", file ?: "", *e);
        }
        if (r >= 0)
                r = sd_bus_message_close_container(reply);
        if (r < 0)
                return r;
        return sd_bus_send(NULL, reply, NULL);
}

static int method_run(sd_bus_message *msg, void *userdata, sd_bus_error *error) {
        _cleanup_strv_free_ char **argv = NULL;
        _cleanup_free_ char *name = NULL;
        Service *s;
        int r;

        r = check_root(msg, "running sandboxes", error);
        if (r < 0)
                return r;
        r = sd_bus_message_read_strv(msg, &argv);
        if (r < 0)
                return r;
        r = manager_run_transient(userdata, argv, msg, &s, error);
        if (r < 0)
                return r;
        return sd_bus_reply_method_return(msg, "s", s->name);
}

/* SD_BUS_VTABLE_UNPRIVILEGED everywhere: sd-bus's own check would refuse
 * every other uid; ours (check_root) is per method and says why. */
const sd_bus_vtable manager_vtable[] = {
        SD_BUS_VTABLE_START(0),
        SD_BUS_METHOD_WITH_ARGS("ListSandboxes", SD_BUS_NO_ARGS, SD_BUS_RESULT("aa{sv}", sandboxes),
                                method_list, SD_BUS_VTABLE_UNPRIVILEGED),
        SD_BUS_METHOD_WITH_ARGS("GetSandbox", SD_BUS_ARGS("s", target), SD_BUS_RESULT("a{sv}", sandbox),
                                method_get, SD_BUS_VTABLE_UNPRIVILEGED),
        SD_BUS_METHOD_WITH_ARGS("GetHistory", SD_BUS_ARGS("s", target),
                                SD_BUS_RESULT("a(tttssstt)", runs), method_history, SD_BUS_VTABLE_UNPRIVILEGED),
        SD_BUS_METHOD_WITH_ARGS("Start", SD_BUS_ARGS("as", targets), SD_BUS_RESULT("a(sss)", results),
                                method_start, SD_BUS_VTABLE_UNPRIVILEGED),
        SD_BUS_METHOD_WITH_ARGS("Stop", SD_BUS_ARGS("as", targets), SD_BUS_RESULT("a(sss)", results),
                                method_stop, SD_BUS_VTABLE_UNPRIVILEGED),
        SD_BUS_METHOD_WITH_ARGS("Restart", SD_BUS_ARGS("as", targets), SD_BUS_RESULT("a(sss)", results),
                                method_restart, SD_BUS_VTABLE_UNPRIVILEGED),
        SD_BUS_METHOD_WITH_ARGS("Kill", SD_BUS_ARGS("as", targets, "s", signal), SD_BUS_RESULT("a(sss)", results),
                                method_kill, SD_BUS_VTABLE_UNPRIVILEGED),
        SD_BUS_METHOD_WITH_ARGS("Reload", SD_BUS_NO_ARGS, SD_BUS_RESULT("a(ss)", errors), method_reload,
                                SD_BUS_VTABLE_UNPRIVILEGED),
        SD_BUS_METHOD_WITH_ARGS("Run", SD_BUS_ARGS("as", argv, "a{sv}", settings), SD_BUS_RESULT("s", name),
                                method_run, SD_BUS_VTABLE_UNPRIVILEGED),
        SD_BUS_SIGNAL_WITH_ARGS("StateChanged", SD_BUS_ARGS("s", id, "s", name, "s", state, "s", status), 0),
        SD_BUS_SIGNAL_WITH_ARGS("Crashed",
                                SD_BUS_ARGS("s", id, "s", name, "s", reason, "s", evidence, "u", restarts), 0),
        SD_BUS_VTABLE_END,
};

/* ---- signals ------------------------------------------------------------------- */

void manager_bus_emit_state_changed(Manager *m, Service *s) {
        _cleanup_free_ char *status = service_status_summary(s);
        char id[SERVICE_ID_STRING_MAX];

        service_id_to_string(&s->id, id);
        for (size_t i = 0; i < m->n_buses; i++)
                (void) sd_bus_emit_signal(m->buses[i], OBJECT_PATH, INTERFACE, "StateChanged", "ssss", id, s->name,
                                          service_state_string(s), status ?: "");
}

void manager_bus_emit_crashed(Manager *m, Service *s) {
        _cleanup_free_ char *reason = NULL;
        char id[SERVICE_ID_STRING_MAX];

        if (!s->sup.handle.crash_reason || !(reason = crash_reason_description(s->sup.handle.crash_reason)))
                return;
        service_id_to_string(&s->id, id);
        for (size_t i = 0; i < m->n_buses; i++)
                (void) sd_bus_emit_signal(m->buses[i], OBJECT_PATH, INTERFACE, "Crashed", "ssssu", id, s->name, reason,
                                          s->crash_evidence ?: "", s->sup.handle.restart_count);
}
