/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include <systemd/sd-daemon.h>

#include "fileio.h"
#include "log.h"
#include "service.h"
#include "strv.h"

static int on_signal_exit(sd_event_source *s, const struct signalfd_siginfo *si, void *userdata) {
        Manager *m = userdata;
        log_info("Received SIG%s, exiting; the sandboxes keep running and the next pgsandboxd takes them over.",
                 sigabbrev_np((int) si->ssi_signo));
        return sd_event_exit(m->event, 0);
}

static int on_signal_reload(sd_event_source *s, const struct signalfd_siginfo *si, void *userdata) {
        _cleanup_strv_free_ char **errors = NULL;
        (void) manager_reload(userdata, &errors);
        return 0;
}

static int on_cg_watch(sd_event_source *s, int fd, uint32_t revents, void *userdata) {
        Manager *m = userdata;
        (void) cg_watch_process(m->cg_watch);
        return 0;
}

int manager_new(const ManagerConfig *config, Manager **ret) {
        _cleanup_(manager_freep) Manager *m = calloc(1, sizeof *m);
        sigset_t mask;
        int r;

        if (!m)
                return log_oom();
        m->config = *config;
        m->listen_fd = -EBADF;

        /* Signals arrive as events; SIGCHLD must be blocked for pidfd child sources. */
        sigemptyset(&mask);
        sigaddset(&mask, SIGCHLD);
        sigaddset(&mask, SIGTERM);
        sigaddset(&mask, SIGINT);
        sigaddset(&mask, SIGHUP);
        if (sigprocmask(SIG_BLOCK, &mask, NULL) < 0)
                return log_error_errno(errno, "Failed to block signals: %m");
        (void) signal(SIGPIPE, SIG_IGN);

        r = sd_event_new(&m->event);
        if (r < 0)
                return log_error_errno(r, "Failed to create the event loop: %m");
        r = sd_event_add_signal(m->event, NULL, SIGTERM, on_signal_exit, m);
        if (r >= 0)
                r = sd_event_add_signal(m->event, NULL, SIGINT, on_signal_exit, m);
        if (r >= 0)
                r = sd_event_add_signal(m->event, NULL, SIGHUP, on_signal_reload, m);
        if (r < 0)
                return log_error_errno(r, "Failed to watch signals: %m");

        r = cg_host_discover(&m->cg_host);
        if (r < 0)
                return log_error_errno(r, "Failed to find the cgroup v2 hierarchy: %m. "
                                       "pgsandboxd needs cgroup2 mounted (unified or hybrid mode).");
        r = cg_root_open(m->cg_host, config->cgroup_root, config->cgroup_delegated, &m->cg_root);
        if (r < 0)
                return log_error_errno(r, "Failed to open the cgroup root '%s' under %s: %m",
                                       config->cgroup_root ?: CG_ROOT_DEFAULT, m->cg_host->mount);
        r = cg_watch_new(&m->cg_watch);
        if (r < 0)
                return log_error_errno(r, "Failed to create the cgroup watch: %m");
        r = sd_event_add_io(m->event, &m->cg_watch_source, cg_watch_fd(m->cg_watch), EPOLLIN, on_cg_watch, m);
        if (r < 0)
                return log_error_errno(r, "Failed to watch cgroup events: %m");
        log_debug("cgroup root %s%s", m->cg_root->path, m->cg_root->delegated ? " (delegated)" : "");

        *ret = TAKE_PTR(m);
        return 0;
}

Manager *manager_free(Manager *m) {
        if (!m)
                return NULL;
        manager_bus_close(m);
        /* The sandboxes outlive the daemon: their monitors keep them, and
         * the next daemon takes them over (service_run_adopt()). */
        for (size_t i = 0; i < m->n_services; i++) {
                service_run_detach(m->services[i]);
                service_free(m->services[i]);
        }
        free(m->services);
        sd_event_source_disable_unref(m->cg_watch_source);
        cg_watch_free(m->cg_watch);
        cg_root_free(m->cg_root);
        cg_host_free(m->cg_host);
        sd_event_unref(m->event);
        return mfree(m);
}

Service *manager_find_service(Manager *m, const char *name) {
        for (size_t i = 0; i < m->n_services; i++)
                if (streq(m->services[i]->name, name))
                        return m->services[i];
        return NULL;
}

static int service_compare(const void *a, const void *b) {
        return strcmp((*(Service * const *) a)->name, (*(Service * const *) b)->name);
}

static int manager_add_service(Manager *m, Policy *p) {
        _cleanup_(service_freep) Service *s = NULL;
        Service **v = reallocarray(m->services, m->n_services + 1, sizeof *v);
        if (!v)
                return -ENOMEM;
        m->services = v;
        int r = service_new(m, p, &s);
        if (r < 0)
                return r;
        m->services[m->n_services++] = TAKE_PTR(s);
        qsort(m->services, m->n_services, sizeof *m->services, service_compare);
        return 0;
}

static void manager_remove_service(Manager *m, Service *s) {
        for (size_t i = 0; i < m->n_services; i++)
                if (m->services[i] == s) {
                        memmove(m->services + i, m->services + i + 1, (m->n_services - i - 1) * sizeof *m->services);
                        m->n_services--;
                        break;
                }
        service_free(s);
}

int manager_resolve_target(Manager *m, const char *target, Service **ret, char **ret_candidates) {
        Service *found = manager_find_service(m, target);
        ServiceId id;
        size_t len = strlen(target);

        if (found) {
                *ret = found;
                return 0;
        }
        if (service_id_from_string(target, &id) >= 0) {
                for (size_t i = 0; i < m->n_services; i++)
                        if (service_id_equal(&m->services[i]->id, &id)) {
                                *ret = m->services[i];
                                return 0;
                        }
                return -ENOENT;
        }
        /* A unique prefix of an id (at least 4 hex digits, as git does). */
        if (len < 4 || len > 36 || strspn(target, "0123456789abcdefABCDEF-") != len)
                return -ENOENT;
        _cleanup_strv_free_ char **names = NULL;
        for (size_t i = 0; i < m->n_services; i++) {
                char buf[SERVICE_ID_STRING_MAX];
                if (strncasecmp(service_id_to_string(&m->services[i]->id, buf), target, len) != 0)
                        continue;
                found = m->services[i];
                if (strv_extend(&names, m->services[i]->name) < 0)
                        return -ENOMEM;
        }
        if (!found)
                return -ENOENT;
        if (strv_length(names) > 1) {
                if (ret_candidates)
                        *ret_candidates = strv_join(names, ", ");
                return -ENOTUNIQ;
        }
        *ret = found;
        return 0;
}

/* Logs each bad file; returns them as "FILE:LINE:COL: message" lines. */
static int report_policy_errors(const PolicySet *set, char ***ret_errors) {
        for (size_t i = 0; i < set->n_errors; i++) {
                _cleanup_free_ char *e = policy_error_to_string(&set->errors[i]);
                if (!e)
                        return log_oom();
                log_error("%s (this policy was not loaded)", e);
                if (ret_errors && strv_extend(ret_errors, e) < 0)
                        return log_oom();
        }
        return 0;
}

static bool policies_equal(const Policy *a, const Policy *b) {
        _cleanup_free_ char *x = NULL, *y = NULL;
        size_t nx = 0, ny = 0;
        FILE *f = open_memstream(&x, &nx), *g = open_memstream(&y, &ny);
        if (f)
                (void) policy_print(a, f), fclose(f);
        if (g)
                (void) policy_print(b, g), fclose(g);
        return x && y && nx == ny && memcmp(x, y, nx) == 0 && streq(a->path, b->path);
}

int manager_reload(Manager *m, char ***ret_errors) {
        _cleanup_(policy_set_freep) PolicySet *set = NULL;
        int r;

        r = policy_load_dir(m->config.policy_dir, &set);
        if (r < 0)
                return log_error_errno(r, "Failed to read the policy directory '%s': %m", m->config.policy_dir);
        r = report_policy_errors(set, ret_errors);
        if (r < 0)
                return r;

        /* The names in the directory now (the loop below takes policies out of the set). */
        _cleanup_strv_free_ char **names = NULL;
        for (size_t i = 0; i < set->n_policies; i++)
                if (strv_extend(&names, set->policies[i]->name) < 0)
                        return log_oom();

        /* New and changed policies. A changed policy applies from the next
         * start: a running sandbox is not disturbed. */
        for (size_t i = 0; i < set->n_policies; i++) {
                Policy *p = set->policies[i];
                Service *s = manager_find_service(m, p->name);
                if (!s) {
                        set->policies[i] = NULL;
                        r = manager_add_service(m, p);
                        if (r < 0) {
                                policy_free(p);
                                return log_oom();
                        }
                        log_info("Loaded service %s from %s", p->name, p->path);
                        continue;
                }
                if (policies_equal(s->next_policy ?: s->policy, p))
                        continue;
                if (service_is_active(s)) {
                        /* The running sandbox keeps the policy it started with. */
                        policy_free(s->next_policy);
                        s->next_policy = TAKE_PTR(set->policies[i]);
                } else {
                        policy_free(s->policy);
                        s->policy = TAKE_PTR(set->policies[i]);
                        s->seccomp_fd = safe_close(s->seccomp_fd);
                        s->sup.policy = s->policy->restart;
                        s->sup.backoff = s->policy->backoff;
                }
                log_info("Service %s: policy changed; it applies from the next start%s", s->name,
                         service_is_active(s) ? " ('pgsandbox restart' applies it now)" : "");
        }

        /* Services whose file is gone and whose file did not just fail to
         * load: forgotten once stopped. */
        for (size_t i = 0; i < m->n_services;) {
                Service *s = m->services[i];
                bool keep = strv_contains(names, s->name);
                for (size_t e = 0; !keep && e < set->n_errors; e++)
                        keep = set->errors[e].file && streq(set->errors[e].file, s->policy->path);
                if (keep || service_is_active(s) || s->sup.handle.state == LIFECYCLE_RESTARTING) {
                        i++;
                        continue;
                }
                log_info("Service %s: %s, forgetting the service", s->name,
                         s->transient ? "transient and over" : "policy file removed");
                manager_remove_service(m, s);
        }
        return 0;
}

/* Sandboxes a previous daemon started for services we no longer have (the
 * policy was removed or broke while no daemon ran): nobody would supervise
 * them, so they are stopped, with a warning naming them. */
static void manager_remove_orphans(Manager *m) {
        _cleanup_free_ char *dir = NULL;
        _cleanup_strv_free_ char **names = NULL;

        if (cg_root_list_sandboxes(m->cg_root, &names) < 0)
                return;
        STRV_FOREACH(n, names) {
                _cleanup_(cg_sandbox_freep) CgSandbox *cg = NULL;
                _cleanup_free_ char *run_dir = NULL;
                if (manager_find_service(m, *n))
                        continue;
                log_warning("Stopping sandbox %s: no loaded policy names it any more.", *n);
                if (cg_sandbox_open(m->cg_root, *n, &cg) >= 0)
                        (void) cg_sandbox_destroy(cg, true, 5 * USEC_PER_SEC);
                if (asprintf(&run_dir, "%s/sandboxes/%s", m->config.runtime_dir, *n) >= 0)
                        run_dir_remove(run_dir, *n);
        }
}

/* Whether the previous daemon ran in this boot: /run (the runtime
 * directory) holds the boot id it saw. */
static bool manager_same_boot(Manager *m) {
        _cleanup_free_ char *now = NULL, *before = NULL, *path = NULL;
        bool same;

        if (read_full_file("/proc/sys/kernel/random/boot_id", 64, &now, NULL) < 0 ||
            asprintf(&path, "%s/boot_id", m->config.runtime_dir) < 0)
                return false;
        same = read_full_file(path, 64, &before, NULL) >= 0 && streq(before, now);
        if (!same)
                (void) write_file_replace(path, now, strlen(now), 0644);
        return same;
}

int manager_startup(Manager *m) {
        int r;

        if (mkdir(m->config.runtime_dir, 0755) < 0 && errno != EEXIST)
                return log_error_errno(errno, "Failed to create the runtime directory '%s': %m",
                                       m->config.runtime_dir);
        if (mkdir(m->config.state_dir, 0755) < 0 && errno != EEXIST)
                return log_error_errno(errno, "Failed to create the state directory '%s': %m", m->config.state_dir);
        if (access(m->config.monitor_path, X_OK) < 0)
                return log_error_errno(errno, "Cannot run the monitor '%s': %m. Install pgsandbox completely "
                                       "or pass --monitor=PATH.", m->config.monitor_path);

        r = manager_reload(m, NULL);
        if (r < 0)
                return r;
        /* Runs started by a previous daemon: take over the live ones, finish
         * the ones that ended meanwhile, before anything new starts. */
        for (size_t i = 0; i < m->n_services; i++)
                (void) service_run_adopt(m->services[i]);
        manager_remove_orphans(m);
        r = manager_bus_listen(m);
        if (r < 0)
                return r;
        log_info("pgsandboxd ready: %zu services from %s, API on %s/bus, cgroups under %s", m->n_services,
                 m->config.policy_dir, m->config.runtime_dir, m->cg_root->path);

        bool same_boot = manager_same_boot(m);
        for (size_t i = 0; i < m->n_services; i++)
                service_resume(m->services[i], same_boot);
        /* Our own supervisor (systemd Type=notify) hears we are ready only now. */
        (void) sd_notify(0, "READY=1");
        return 0;
}

int manager_run(Manager *m) {
        int r = sd_event_loop(m->event);
        if (r < 0)
                return log_error_errno(r, "Event loop failed: %m");
        return 0;
}

/* Appends s to f as one ExecStart-style word: double-quoted, with \ and "
 * escaped and control characters as \xHH, so that the policy parser splits
 * it back exactly and no byte of it can end the line. */
static void fputs_quoted(const char *s, FILE *f) {
        fputc('"', f);
        for (; *s; s++) {
                unsigned char c = (unsigned char) *s;
                if (c == '"' || c == '\\')
                        fprintf(f, "\\%c", c);
                else if (c < 0x20 || c == 0x7f)
                        fprintf(f, "\\x%02x", c);
                else
                        fputc(c, f);
        }
        fputc('"', f);
}

/* The settings become a policy text that goes through the same parser and
 * validation as a file: a transient sandbox is held to the same rules. */
static int transient_policy_text(char **argv, sd_bus_message *msg, const char *default_name, char **ret,
                                 char **ret_name, sd_bus_error *error) {
        _cleanup_free_ char *text = NULL, *name = strdup(default_name);
        uint64_t memory_max = UINT64_MAX, pids_max = UINT64_MAX;
        const char *seccomp = NULL;
        size_t size = 0;
        int r;

        if (!name)
                return -ENOMEM;
        r = sd_bus_message_enter_container(msg, 'a', "{sv}");
        if (r < 0)
                return r;
        while ((r = sd_bus_message_enter_container(msg, 'e', "sv")) > 0) {
                const char *key, *s;
                r = sd_bus_message_read(msg, "s", &key);
                if (r < 0)
                        return r;
                if (streq(key, "Name")) {
                        r = sd_bus_message_read(msg, "v", "s", &s);
                        if (r >= 0 && !(free(name), name = strdup(s)))
                                return -ENOMEM;
                } else if (streq(key, "MemoryMax"))
                        r = sd_bus_message_read(msg, "v", "t", &memory_max);
                else if (streq(key, "PidsMax"))
                        r = sd_bus_message_read(msg, "v", "t", &pids_max);
                else if (streq(key, "Seccomp"))
                        r = sd_bus_message_read(msg, "v", "s", &seccomp);
                else
                        return sd_bus_error_setf(error, SD_BUS_ERROR_INVALID_ARGS,
                                                 "Unknown setting '%s' (known: Name, MemoryMax, PidsMax, Seccomp).", key);
                if (r < 0)
                        return r;
                r = sd_bus_message_exit_container(msg);
                if (r < 0)
                        return r;
        }
        if (r < 0)
                return r;
        r = sd_bus_message_exit_container(msg);
        if (r < 0)
                return r;
        /* Values go into a policy text: nothing of them may add a key or a
         * section. The parser checks them again. */
        const char *why = NULL;
        if (!policy_name_is_valid(name, &why))
                return sd_bus_error_setf(error, SD_BUS_ERROR_INVALID_ARGS, "Invalid name '%s': %s.", name,
                                         why ?: "use 1-64 of A-Z a-z 0-9 _ . -");
        if (seccomp && policy_seccomp_profile_from_string(seccomp) < 0)
                return sd_bus_error_setf(error, SD_BUS_ERROR_INVALID_ARGS,
                                         "Unknown seccomp profile '%s': use default, strict or none.", seccomp);

        FILE *f = open_memstream(&text, &size);
        if (!f)
                return -ENOMEM;
        fprintf(f, "[Service]\nName=%s\nRestart=no\nExec=", name);
        STRV_FOREACH(a, argv) {
                if (a != argv)
                        fputc(' ', f);
                fputs_quoted(*a, f);
        }
        fputs("\n[Resources]\n", f);
        if (memory_max != UINT64_MAX)
                fprintf(f, "MemoryMax=%llu\n", (unsigned long long) memory_max);
        if (pids_max != UINT64_MAX)
                fprintf(f, "PidsMax=%llu\n", (unsigned long long) pids_max);
        if (seccomp)
                fprintf(f, "[Seccomp]\nProfile=%s\n", seccomp);
        if (fclose(f) != 0)
                return -ENOMEM;
        *ret = TAKE_PTR(text);
        *ret_name = TAKE_PTR(name);
        return 0;
}

int manager_run_transient(Manager *m, char **argv, sd_bus_message *msg, Service **ret, sd_bus_error *error) {
        _cleanup_free_ char *text = NULL, *name = NULL, *e = NULL;
        _cleanup_(policy_freep) Policy *p = NULL;
        PolicyError perr = {};
        char default_name[32], id[SERVICE_ID_STRING_MAX];
        ServiceId rid;
        int r;

        if (strv_length(argv) == 0 || argv[0][0] != '/')
                return sd_bus_error_setf(error, SD_BUS_ERROR_INVALID_ARGS,
                                         "The command must start with an absolute path, not '%s'.",
                                         argv && argv[0] ? argv[0] : "");
        r = service_id_random(&rid);
        if (r < 0)
                return r;
        snprintf(default_name, sizeof default_name, "run-%.8s", service_id_to_string(&rid, id));
        r = transient_policy_text(argv, msg, default_name, &text, &name, error);
        if (r < 0)
                return r;
        if (manager_find_service(m, name))
                return sd_bus_error_setf(error, SD_BUS_ERROR_INVALID_ARGS,
                                         "A sandbox named '%s' exists already: choose another --name.", name);
        r = policy_load_buffer("(transient)", text, strlen(text), &p, &perr);
        if (r < 0) {
                e = policy_error_to_string(&perr);
                policy_error_done(&perr);
                return sd_bus_error_setf(error, SD_BUS_ERROR_INVALID_ARGS, "Invalid settings: %s",
                                         e ?: "out of memory");
        }
        r = manager_add_service(m, p);
        if (r < 0)
                return r;
        Service *s = manager_find_service(m, TAKE_PTR(p)->name);
        s->transient = true;
        log_info("Transient service %s: %s", s->name, text);
        r = service_start(s);
        if (r < 0)
                return sd_bus_error_set_errnof(error, r, "Failed to start %s: %m", s->name);
        *ret = s;
        return 0;
}
