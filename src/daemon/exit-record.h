/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/* What the monitor tells the daemon, and what outlives both.
 *
 * The channel: the monitor's fd 3 is a listening SOCK_SEQPACKET socket bound
 * at RUN_DIR/control. The daemon connects to it when it starts the monitor,
 * and again after a restart of its own; the monitor serves one connection at
 * a time and replays the current state (PID=, STARTED, READY, STATUS=) to
 * each new one. One message per packet, plain text:
 *   "PID=<n>"   the sandbox's init started, host pid n
 *   "STARTED"   the service was exec'd
 *   "READY"     the service sent READY=1 on its notify socket
 *   "STATUS=…"  the service's STATUS= text
 *   "STOPPING"  the service sent STOPPING=1
 *   "REFUSED=…" a notify message from outside the sandbox was refused
 *   "EXITED"    the run is over and the exit record is written
 * The daemon may go away at any time; the monitor ignores a broken channel.
 *
 * The exit record: RUN_DIR/exit, written atomically (write, fsync, rename)
 * before the monitor exits, so that a daemon that was down learns exactly how
 * the run ended. "key=value" lines: kind (exited, signaled, setup-error),
 * exit_code, signal, core_dumped, syscall (the name seccomp blocked),
 * setup_error (the text after "Error: "), watchdog (1 if the monitor killed
 * the sandbox because WATCHDOG=1 stopped coming), errno (the service's
 * ERRNO=). The tail of the service's stderr
 * is in RUN_DIR/stderr-tail. */

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

#include "crash-analysis.h"

#define EXIT_RECORD_FILE "exit"
#define STDERR_TAIL_FILE "stderr-tail"
#define STDERR_TAIL_MAX 8192
#define NOTIFY_SOCKET_FILE "notify"
#define CONTROL_SOCKET_FILE "control"
#define RUN_STATUS_FILE "status"

typedef struct ExitRecord {
        RunOutcome outcome;
        int exit_code;
        int signo;
        bool core_dumped;
        char *syscall;
        char *setup_error;
        bool watchdog;
        int service_errno;
        /* The payload's counters when the sandbox was over (a cgroup lives
         * for one run, so they are the run's totals); UINT64_MAX: unknown. */
        uint64_t oom_kills, oom_group_kills, pids_max_events, memory_peak;
} ExitRecord;

void exit_record_done(ExitRecord *r);
/* Formats into a new string; NULL on out of memory. */
char *exit_record_format(const ExitRecord *r);
/* -EBADMSG if the text is not a complete record. */
int exit_record_parse(const char *text, ExitRecord *ret);

/* RUN_DIR/status, rewritten atomically by the monitor whenever it changes:
 * what a restarted daemon needs to take the run over. */
typedef struct RunStatus {
        pid_t monitor_pid;
        pid_t init_pid;     /* 0 until the sandbox started */
        uint64_t task_id;
        uint64_t started_at; /* CLOCK_REALTIME µs */
        bool started;       /* the service was exec'd */
        bool ready;         /* READY=1 came */
        char status_text[256];
} RunStatus;

char *run_status_format(const RunStatus *s);
int run_status_parse(const char *text, RunStatus *ret);
