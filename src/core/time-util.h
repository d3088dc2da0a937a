/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/* Microsecond time spans and clocks, as sd-event uses them. */

#include <stdint.h>
#include <time.h>

typedef uint64_t usec_t;

#define USEC_INFINITY ((usec_t) UINT64_MAX)
#define USEC_PER_MSEC ((usec_t) 1000ULL)
#define USEC_PER_SEC  ((usec_t) 1000000ULL)
#define USEC_PER_MINUTE (60ULL * USEC_PER_SEC)
#define USEC_PER_HOUR (60ULL * USEC_PER_MINUTE)
#define USEC_PER_DAY (24ULL * USEC_PER_HOUR)
#define NSEC_PER_USEC ((uint64_t) 1000ULL)

usec_t now_usec(clockid_t clock);

/* "1min 30s", "250ms", "infinity": the shortest exact rendering of a span. */
char *format_timespan(char *buf, size_t len, usec_t t);
#define FORMAT_TIMESPAN_MAX 64
