/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/* run --wait: the daemon's StateChanged and Crashed signals, recorded as
 * they come (before Run's reply names the sandbox), then searched for the
 * end of that sandbox's run; and the exit status for a crash reason. */

#include <stddef.h>

#include <systemd/sd-bus.h>

typedef struct RunEvent {
        char *name, *state, *text, *evidence; /* state "#crash": text is the reason */
} RunEvent;

typedef struct RunWait {
        RunEvent *events;
        size_t n_events;
} RunWait;

void run_wait_done(RunWait *w);
int run_wait_record(RunWait *w, const char *name, const char *state, const char *text, const char *evidence);
/* sd-bus match callbacks; userdata is the RunWait. */
int run_wait_on_state_changed(sd_bus_message *m, void *userdata, sd_bus_error *error);
int run_wait_on_crashed(sd_bus_message *m, void *userdata, sd_bus_error *error);

/* The event that ended name's run (Stopped or Failed), NULL if none yet;
 * the last crash before it in *ret_crash. */
const RunEvent *run_wait_end(const RunWait *w, const char *name, const RunEvent **ret_crash);

/* "Exit code: N" -> N, "Killed by signal: NAME" -> 128 + its number, "" or
 * NULL -> 0, anything else -> 1. */
int run_exit_status(const char *reason);
/* The crash reason inside a status summary: "Failed (Exit code: 1)
 * [restarts: 2]" -> "Exit code: 1"; NULL if it has none. */
char *status_summary_reason(const char *status);
