/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/* One supervised service: its policy, its supervision state machine and,
 * while a run is alive, the monitor that holds the sandbox, the payload
 * cgroup and the timers. service.c carries out the actions the state machine
 * returns; service-run.c launches a run and collects its end. */

#include <systemd/sd-event.h>

#include "cgroup.h"
#include "crash-analysis.h"
#include "kill-signal.h"
#include "manager.h"
#include "policy.h"
#include "service-id.h"
#include "service-state.h"
#include "supervise.h"

struct Service {
        Manager *manager;
        ServiceId id;
        char *name;
        Policy *policy;     /* owned; the current (or last) run's */
        Policy *next_policy; /* owned; a reloaded policy, applied at the next start */
        int seccomp_fd;      /* the policy's filter, compiled once, as a sealed memfd; -EBADF: none yet */
        bool transient;     /* from the Run API: forgotten once it ends */

        Supervision sup;
        usec_t started_at;  /* CLOCK_REALTIME of the current run's start */

        /* The current run. */
        pid_t monitor_pid;
        int monitor_pidfd;
        sd_event_source *monitor_source;
        int channel_fd;     /* the monitor's event channel */
        sd_event_source *channel_source;
        pid_t init_pid;     /* the sandbox's init, 0 until the monitor reports it */
        int init_pidfd;
        CgSandbox *cg;
        CgCounters run_delta; /* counter rises during this run */
        TimeoutKind timeout;  /* the timer that ended this run, if any */
        char *status_text;    /* the service's last STATUS= */
        CgCounters live;      /* what ps shows of the cgroup, read at live_at (see manager-bus.c) */
        usec_t live_at;

        sd_event_source *restart_timer;
        sd_event_source *stop_timer;
        sd_event_source *runtime_timer;
        sd_event_source *start_timer;
        usec_t restart_due;   /* CLOCK_MONOTONIC */

        bool restart_requested; /* Restart: start again once this run has stopped */

        /* The last crash, for status and the API. */
        char *crash_evidence;
        usec_t crash_time;

        /* The death records of past runs, persisted with the rest. */
        ServiceState saved;
};

/* STATE_DIR/logs/NAME.log (see service-log.h). */
char *service_log_path(const Service *s);

/* Writes the service's state to STATE_DIR/services/NAME.state. */
int service_save(Service *s);

int service_new(Manager *m, Policy *policy, Service **ret);
Service *service_free(Service *s);
DEFINE_TRIVIAL_CLEANUP_FUNC(Service *, service_free);

/* The operator's verbs. Return 0, -EALREADY (already running / already
 * stopped), -EBUSY (stopping), or another negative errno with *ret_error
 * set to a message when useful. */
int service_start(Service *s);
/* At daemon startup, after adoption: AutoStart=, or a pending restart. */
void service_resume(Service *s, bool same_boot);
int service_stop(Service *s);
int service_kill(Service *s, KillSignal sig);

bool service_is_active(const Service *s); /* a run is alive */
const char *service_state_string(const Service *s);
char *service_status_summary(const Service *s);

/* Called by service-run.c when a run is over and its facts are known: first
 * the death record goes into the history and is saved, then (once the run's
 * files are gone) the state machine decides what comes next. */
void service_run_record(Service *s, const RunVerdict *verdict, const RunRecord *peaks);
void service_run_ended(Service *s, RunVerdict *verdict, const RunRecord *peaks);

/* service-run.c */
/* Removes a run's files (exit record, status, sockets, policy) and its directory. */
void run_dir_remove(const char *run_dir, const char *name);
int service_run_launch(Service *s, char **ret_error);
void service_run_release(Service *s);
/* The daemon exits: leave the run alive, close only what is the daemon's. */
void service_run_detach(Service *s);
/* At startup: take over a run a previous daemon started (its monitor is
 * alive), or finish one that ended while no daemon was running. */
int service_run_adopt(Service *s);
int service_run_signal(Service *s, int sig);
