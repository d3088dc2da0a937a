/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/* The run boundaries of a service's log, as the monitor and the daemon
 * write them into NAME.runs beside NAME.log (src/daemon/service-log.h):
 *   start run=7 offset=1234 time=USEC
 *   end run=7 offset=5678 time=USEC text=run 7 ended: Exit code: 1; restarting in 400ms
 *   rotate time=USEC
 * Offsets count bytes of the current NAME.log, so only the marks after the
 * last "rotate" apply to it. Pure parsing and formatting, unit-tested. */

#include <stddef.h>
#include <stdint.h>

typedef enum LogMarkKind {
        LOG_MARK_START,
        LOG_MARK_END,
} LogMarkKind;

typedef struct LogMark {
        LogMarkKind kind;
        uint64_t run;
        uint64_t offset;
        uint64_t time; /* CLOCK_REALTIME µs */
        char *text;    /* END: "run 7 ended: ..." */
} LogMark;

/* The marks that apply to the current log file, in file order. Lines that
 * are not marks are skipped. -ENOMEM only. */
int log_marks_parse(const char *text, LogMark **ret, size_t *ret_n);
void log_marks_free(LogMark *m, size_t n);

/* "-- run 7 started 2026-11-26 07:12:03 --", "-- run 7 ended: ... --";
 * NULL on out of memory. */
char *log_mark_format(const LogMark *m);

/* NAME.runs for NAME.log; NULL on out of memory. */
char *log_marks_path(const char *log_path);
