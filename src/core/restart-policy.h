/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/* Restart policy and its backoff parameters, as pure logic: the daemon asks
 * "restart?" and "after how long?", and keeps a StartLimit per service. */

#include <errno.h>
#include <stdbool.h>

#include "macro.h"
#include "time-util.h"

typedef enum RestartPolicy {
        RESTART_NEVER,
        RESTART_ON_FAILURE,
        RESTART_ALWAYS,
        _RESTART_POLICY_MAX,
        _RESTART_POLICY_INVALID = -EINVAL,
} RestartPolicy;

/* Display names: "Never", "On failure", "Always". */
const char *restart_policy_to_string(RestartPolicy p) _const_;
RestartPolicy restart_policy_from_string(const char *s) _pure_;
/* Policy-file keywords: "no", "on-failure", "always". */
const char *restart_policy_to_keyword(RestartPolicy p) _const_;
RestartPolicy restart_policy_from_keyword(const char *s) _pure_;

typedef struct RestartBackoff {
        usec_t initial_delay;  /* RestartSec=: delay before the first restart */
        usec_t max_delay;      /* RestartMaxDelaySec=: the doubling stops here */
        usec_t reset_after;    /* RestartResetSec=: healthy uptime that resets the backoff */
        unsigned burst;        /* StartLimitBurst=: starts allowed per interval (0: no limit) */
        usec_t interval;       /* StartLimitIntervalSec= */
} RestartBackoff;

#define RESTART_BACKOFF_DEFAULT                                                      \
        ((RestartBackoff) {                                                          \
                .initial_delay = 100 * USEC_PER_MSEC,                                \
                .max_delay = 30 * USEC_PER_SEC,                                      \
                .reset_after = 60 * USEC_PER_SEC,                                    \
                .burst = 5,                                                          \
                .interval = 10 * USEC_PER_SEC,                                       \
        })

/* Whether a run that ended (failed: not a clean exit 0) is restarted. A
 * service the operator stopped or killed is never restarted by policy. */
bool restart_policy_should_restart(RestartPolicy p, bool failed, bool by_operator) _const_;

/* Delay before restart number attempt (0 = the first restart):
 * initial_delay * 2^attempt, capped at max_delay, never overflowing. */
usec_t restart_backoff_delay(const RestartBackoff *b, unsigned attempt) _pure_;

/* The start limit: at most burst starts in any window of interval. */
typedef struct StartLimit {
        usec_t begin;    /* start of the current window */
        unsigned count;  /* starts in it */
} StartLimit;

/* Records a start at time now; false if this start exceeds the limit. */
bool start_limit_test(StartLimit *l, const RestartBackoff *b, usec_t now);
