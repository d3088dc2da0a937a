/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/* What the daemon remembers of a service across its own restarts and the
 * host's reboots: the service id, the restart count, the backoff position,
 * the last crash with its evidence, and the death records of the last runs.
 * One file per service, STATE_DIR/services/NAME.state, written atomically
 * (write NAME.state.new, fsync, rename), so a crash at any moment leaves
 * either the old or the new state, never a mix. */

#include <stdint.h>

#include "lifecycle.h"
#include "service-id.h"
#include "time-util.h"

#define SERVICE_HISTORY_MAX 100

/* One finished run: its death record. */
typedef struct RunRecord {
        TaskId task_id;
        usec_t started;      /* CLOCK_REALTIME */
        usec_t ended;
        CrashReason *reason; /* NULL: ended cleanly */
        char *evidence;
        uint64_t memory_peak; /* UINT64_MAX: unknown */
        uint64_t pids_peak;
} RunRecord;

typedef struct ServiceState {
        ServiceId id;
        LifecycleState state;  /* the state when last saved */
        unsigned restart_count;
        unsigned backoff_step;
        TaskId last_task_id;
        CrashReason *crash;  /* the last crash, NULL if none */
        char *crash_evidence;
        usec_t crash_time;
        RunRecord history[SERVICE_HISTORY_MAX]; /* oldest first */
        size_t n_history;
} ServiceState;

void run_record_done(RunRecord *r);
void service_state_done(ServiceState *s);

/* Appends a run, dropping the oldest beyond SERVICE_HISTORY_MAX; takes
 * ownership of the record's strings. */
void service_state_add_run(ServiceState *s, RunRecord *r);

/* Text form, "key=value" lines with \\, \n and \t escaped in values. */
char *service_state_format(const ServiceState *s);
/* -EBADMSG for a file that is not a state file (no id). */
int service_state_parse(const char *text, ServiceState *ret);

int service_state_save(const char *state_dir, const char *name, const ServiceState *s);
/* -ENOENT if the service has no saved state. */
int service_state_load(const char *state_dir, const char *name, ServiceState *ret);
