/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/* The manager: pgsandboxd's state. One sd-event loop drives everything: the
 * API socket and its peer connections, each service's monitor pidfd and
 * timers, the cgroup counter watch and the signals (TERM/INT: exit, HUP:
 * reload). Nothing polls. */

#include <systemd/sd-bus.h>
#include <systemd/sd-event.h>

#include "cgroup.h"
#include "macro.h"

typedef struct Service Service;

typedef struct ManagerConfig {
        const char *policy_dir;   /* --policy-dir */
        const char *runtime_dir;  /* --runtime-dir */
        const char *state_dir;    /* --state-dir */
        const char *cgroup_root;  /* --cgroup-root, NULL: default */
        bool cgroup_delegated;    /* --cgroup-delegated: our own cgroup is delegated to us */
        const char *monitor_path; /* the pgsandbox-monitor binary */
} ManagerConfig;

typedef struct Manager {
        ManagerConfig config;
        sd_event *event;

        int listen_fd;
        sd_event_source *listen_source;
        sd_bus **buses;  /* one per API client connection */
        size_t n_buses;

        CgHost *cg_host;
        CgRoot *cg_root;
        CgWatch *cg_watch;
        sd_event_source *cg_watch_source;

        Service **services; /* sorted by name */
        size_t n_services;
        uint64_t next_task_id;
} Manager;

int manager_new(const ManagerConfig *config, Manager **ret);
Manager *manager_free(Manager *m);
DEFINE_TRIVIAL_CLEANUP_FUNC(Manager *, manager_free);

/* Loads the policies, opens the API socket, starts the AutoStart= services. */
int manager_startup(Manager *m);
int manager_run(Manager *m);

/* Re-reads the policy directory: new services are added, changed ones get
 * their new policy for the next start, removed ones that are stopped go.
 * A bad file is reported in *ret_errors ("FILE: message" lines) and the old
 * version of its service stays. */
int manager_reload(Manager *m, char ***ret_errors);

Service *manager_find_service(Manager *m, const char *name);

/* Resolves an operator's target: a name, a full id or a unique id prefix.
 * -ENOENT if nothing matches; -ENOTUNIQ for an ambiguous prefix, with the
 * candidates' names in *ret_candidates. */
int manager_resolve_target(Manager *m, const char *target, Service **ret, char **ret_candidates);

/* A transient sandbox (the Run API, like systemd-run): argv[0] must be an
 * absolute path; msg holds the a{sv} settings still to read (Name s,
 * MemoryMax t, PidsMax t, Seccomp s). Starts it and returns it. */
int manager_run_transient(Manager *m, char **argv, sd_bus_message *msg, Service **ret, sd_bus_error *error);

/* The API (manager-bus.c). */
int manager_bus_listen(Manager *m);
void manager_bus_close(Manager *m);
void manager_bus_emit_state_changed(Manager *m, Service *s);
void manager_bus_emit_crashed(Manager *m, Service *s);
