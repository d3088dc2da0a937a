/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/* The process model of the origin design: lifecycle states, crash reasons and
 * the per-service handle with its status summary ("Failed (Exit code: 1)
 * [restarts: 2]"). Pure logic, no system calls. */

#include <errno.h>
#include <stdbool.h>
#include <stdint.h>

#include "macro.h"

typedef enum LifecycleState {
        LIFECYCLE_STARTING,
        LIFECYCLE_RUNNING,
        LIFECYCLE_STOPPING,
        LIFECYCLE_STOPPED,
        LIFECYCLE_FAILED,
        LIFECYCLE_RESTARTING,
        _LIFECYCLE_STATE_MAX,
        _LIFECYCLE_STATE_INVALID = -EINVAL,
} LifecycleState;

/* "Starting", "Running", ...; from_string is case-insensitive ("running"). */
const char *lifecycle_state_to_string(LifecycleState s) _const_;
LifecycleState lifecycle_state_from_string(const char *s) _pure_;

typedef enum CrashKind {
        CRASH_PANIC,          /* "Panic: <message>" */
        CRASH_EXIT_CODE,      /* "Exit code: <n>" */
        CRASH_SIGNAL,         /* "Killed by signal: <NAME>" */
        CRASH_RESOURCE_LIMIT, /* "Resource limit exceeded: <what>" */
        CRASH_TIMEOUT,        /* "Timeout" */
        CRASH_ERROR,          /* "Error: <message>" */
        _CRASH_KIND_MAX,
        _CRASH_KIND_INVALID = -EINVAL,
} CrashKind;

/* Machine names for JSON and persisted state: "panic", "exit-code", ... */
const char *crash_kind_to_string(CrashKind k) _const_;
CrashKind crash_kind_from_string(const char *s) _pure_;

typedef struct CrashReason {
        CrashKind kind;
        int exit_code; /* CRASH_EXIT_CODE only */
        char *text;    /* message, signal name or limit; NULL for exit code and timeout */
} CrashReason;

CrashReason *crash_reason_free(CrashReason *r);
DEFINE_TRIVIAL_CLEANUP_FUNC(CrashReason *, crash_reason_free);

/* Constructors return -ENOMEM or -EINVAL (NULL or empty text where one is needed). */
int crash_reason_new(CrashKind kind, const char *text, CrashReason **ret);
int crash_reason_new_exit_code(int code, CrashReason **ret);
/* Names the signal without its SIG prefix: SIGSEGV -> "SEGV". */
int crash_reason_new_signal(int signo, CrashReason **ret);
int crash_reason_copy(const CrashReason *r, CrashReason **ret);
bool crash_reason_equal(const CrashReason *a, const CrashReason *b);

/* "Panic: out of memory", "Exit code: 1", "Killed by signal: TERM", ...
 * Returns a new string, NULL on out of memory. */
char *crash_reason_description(const CrashReason *r);

/* "TERM" for SIGTERM, "RTMIN+3" for real-time signals; NULL if not a signal. */
const char *signal_abbrev(int signo, char buf[static 16]);
/* Parses "TERM", "SIGTERM", "term" into a signal number, -EINVAL otherwise. */
int signal_from_abbrev(const char *s);

typedef uint64_t TaskId;

typedef struct ServiceHandle {
        TaskId task_id;            /* new for every run of the service */
        LifecycleState state;
        CrashReason *crash_reason; /* owned; the last run's reason, or NULL */
        unsigned restart_count;
} ServiceHandle;

void service_handle_init(ServiceHandle *h, TaskId task_id, LifecycleState state);
void service_handle_done(ServiceHandle *h);
void service_handle_set_state(ServiceHandle *h, LifecycleState state);
/* Takes ownership of reason (NULL clears it). */
void service_handle_set_crash_reason(ServiceHandle *h, CrashReason *reason);
void service_handle_increment_restart_count(ServiceHandle *h);
/* Whether the status summary shows the crash reason: while Failed or
 * Restarting, and while Stopped when the run ended with a reason (a kill). */
bool service_handle_shows_crash_reason(const ServiceHandle *h) _pure_;
/* "Running", "Failed (Exit code: 1)", "Running [restarts: 3]",
 * "Failed (Panic: out of memory) [restarts: 2]"; NULL on out of memory. */
char *service_handle_status_summary(const ServiceHandle *h);
