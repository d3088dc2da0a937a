/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/* What `ps`, `top` and `status` print for sandboxes, as pure functions of
 * the SandboxInfo list, the width and the clock, so that unit tests can pin
 * every line. The default table is the origin design's (header, a 96-char
 * '─' separator, rows from process_info_format_row()); `-o wide` adds the
 * restart policy, main PID, uptime, memory, pids and CPU. */

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "sandbox-info.h"
#include "time-util.h"

typedef struct PsOptions {
        bool wide;
        bool legend;  /* header and separator */
        bool colors;
        size_t width; /* 0: no limit */
        usec_t now;   /* CLOCK_REALTIME, for uptimes */
} PsOptions;

int ps_print_table(FILE *f, SandboxInfo * const *v, const PsOptions *o);
/* An array of objects, one per line: "[\n{...},\n{...}\n]\n". */
void ps_print_json(FILE *f, SandboxInfo * const *v);

/* One row of the default table, as process_info_format_row() lays it out. */
char *ps_default_row(const SandboxInfo *i);

#define FORMAT_SHORT_MAX 32
/* "512B", "1.5K", "64M", "2.0G"; "-" for UINT64_MAX. */
char *format_bytes_short(char buf[static FORMAT_SHORT_MAX], uint64_t bytes);
/* "250ms", "12.3s", "5min 3s", "2h 10min", "3d 4h"; "-" for UINT64_MAX. */
char *format_span_short(char buf[static FORMAT_SHORT_MAX], usec_t t);
/* "12M/64M", "12M/∞", "-/∞"; with bytes false, plain numbers ("3/16"). */
char *format_usage(char buf[static 2 * FORMAT_SHORT_MAX], uint64_t current, uint64_t max, bool bytes);
