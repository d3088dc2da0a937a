/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/* A service's output, as the monitor keeps it: the bytes the service wrote
 * (stdout and stderr, as they came) appended to STATE/logs/NAME.log, rotated
 * to NAME.log.1 past a size cap; the boundaries between runs as metadata in
 * STATE/logs/NAME.runs, never in the service's own bytes:
 *
 *   start run=7 offset=1234 time=USEC
 *   end run=7 offset=5678 time=USEC text=run 7 ended: Exit code: 1; restarting in 400ms
 *   rotate time=USEC
 *
 * (offsets count bytes of NAME.log since the last "rotate"); and, where
 * journald listens, each line to the journal with fields naming the sandbox
 * and the run. */

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define SERVICE_LOG_MAX_DEFAULT (8U * 1024U * 1024U)

typedef struct ServiceLog ServiceLog;

/* log_path is STATE/logs/NAME.log. Appends the "start" mark. */
int service_log_open(const char *log_path, const char *name, uint64_t task, uint64_t max_size, ServiceLog **ret);
/* stream: 1 stdout, 2 stderr. Never fails the service: a full disk drops bytes. */
void service_log_write(ServiceLog *l, int stream, const char *buf, size_t n);
ServiceLog *service_log_close(ServiceLog *l);
static inline void service_log_closep(ServiceLog **l) {
        *l = service_log_close(*l);
}

/* Appends one metadata line to the .runs file beside log_path. */
int service_log_mark(const char *log_path, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* The current size of the log (the offset of the next byte). */
uint64_t service_log_offset(const char *log_path);
