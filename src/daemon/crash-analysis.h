/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/* Crash analysis: turns the kernel facts gathered when a run ends (the wait
 * status, the setup step that failed, cgroup counter deltas, the timer that
 * fired, the seccomp decode, the tail of stderr) into the origin design's
 * crash reason plus the evidence behind it. Pure logic, table-tested; the
 * daemon gathers the facts. */

#include <stdbool.h>
#include <stdint.h>

#include "lifecycle.h"

typedef enum RunOutcome {
        RUN_EXITED,      /* exit_code valid */
        RUN_KILLED,      /* signo, core_dumped valid */
        RUN_SETUP_ERROR, /* setup_error valid: the sandbox never reached execve */
        _RUN_OUTCOME_MAX,
        _RUN_OUTCOME_INVALID = -EINVAL,
} RunOutcome;

typedef enum TimeoutKind {
        TIMEOUT_NONE,
        TIMEOUT_START,    /* TimeoutStartSec=: no READY=1 in time */
        TIMEOUT_STOP,     /* TimeoutStopSec=: did not stop on TERM, escalated to KILL */
        TIMEOUT_RUNTIME,  /* RuntimeMaxSec= */
        TIMEOUT_WATCHDOG, /* WatchdogSec=: no WATCHDOG=1 in time */
        _TIMEOUT_KIND_MAX,
        _TIMEOUT_KIND_INVALID = -EINVAL,
} TimeoutKind;

/* "start", "stop", "runtime", "watchdog". */
const char *timeout_kind_to_string(TimeoutKind k) _const_;
TimeoutKind timeout_kind_from_string(const char *s) _pure_;

typedef struct RunFacts {
        RunOutcome outcome;
        int exit_code;
        int signo;
        bool core_dumped;
        const char *setup_error;  /* "exec /usr/bin/foo: No such file or directory" */

        const char *seccomp_syscall; /* the syscall the filter blocked, when signo is SIGSYS */

        uint64_t oom_kills;       /* rise of memory.events oom_kill + oom_group_kill during the run */
        uint64_t pids_max_events; /* rise of pids.events max during the run */
        const char *memory_max;   /* the limits as the policy wrote them, for the text: "64M" */
        const char *pids_max;

        TimeoutKind timeout;      /* the timer that fired, if any */
        const char *timeout_setting; /* e.g. "TimeoutStartSec=5s", for the evidence */

        const char *stderr_tail;  /* the last bytes the service wrote to stderr, or NULL */
} RunFacts;

typedef struct RunVerdict {
        CrashReason *reason; /* NULL: a clean exit 0 */
        char *evidence;      /* NULL when there is nothing more to say */
} RunVerdict;

void run_verdict_done(RunVerdict *v);

/* Decides why a run ended, in this order: setup error, timeout, OOM kill and
 * pids limit (each when the run then failed), seccomp, panic on stderr (when
 * the run failed), signal, non-zero exit code. A clean exit 0 gives no reason. */
int crash_analyze(const RunFacts *facts, RunVerdict *ret);

/* Finds the last panic message in a stderr tail: Rust (thread '…' panicked
 * at …), Go (panic: …), Python (the last line of a traceback), C assert
 * (Assertion `…' failed) and glibc abort messages. On success returns 1 and
 * allocated strings: the message, and where it came from (the source
 * location when the runtime printed one, else the line it was found on).
 * Returns 0 if no panic was found, -ENOMEM on out of memory. */
int panic_extract(const char *text, char **ret_message, char **ret_source);
