/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/* The three kill signals of the origin design and the four kill results with
 * their messages ("Sent TERM to service cli-console", ...). */

#include <errno.h>
#include <stdbool.h>

#include "macro.h"

typedef enum KillSignal {
        KILL_SIGNAL_TERMINATE, /* TERM: graceful, the service may clean up */
        KILL_SIGNAL_KILL,      /* KILL: immediate, the whole sandbox */
        KILL_SIGNAL_INTERRUPT, /* INT: a user interrupt, like Ctrl+C */
        _KILL_SIGNAL_MAX,
        _KILL_SIGNAL_INVALID = -EINVAL,
} KillSignal;

/* "TERM", "KILL", "INT". */
const char *kill_signal_to_string(KillSignal s) _const_;
/* Accepts TERM, SIGTERM, term, 15, -15, -TERM, -SIGTERM (likewise KILL/9 and
 * INT/2); -EINVAL for anything else, including other real signals. */
KillSignal kill_signal_from_string(const char *s) _pure_;
int kill_signal_to_signo(KillSignal s) _const_;
KillSignal kill_signal_from_signo(int signo) _const_;
bool kill_signal_is_forceful(KillSignal s) _const_;

typedef enum KillResultKind {
        KILL_RESULT_SUCCESS,
        KILL_RESULT_NOT_FOUND,
        KILL_RESULT_ALREADY_STOPPED,
        KILL_RESULT_FAILED,
        _KILL_RESULT_MAX,
        _KILL_RESULT_INVALID = -EINVAL,
} KillResultKind;

/* Machine names for the API: "success", "not-found", "already-stopped", "failed". */
const char *kill_result_kind_to_string(KillResultKind k) _const_;
KillResultKind kill_result_kind_from_string(const char *s) _pure_;

typedef struct KillResult {
        KillResultKind kind;
        const char *service; /* the name or id the operator gave */
        KillSignal signal;   /* KILL_RESULT_SUCCESS */
        const char *reason;  /* KILL_RESULT_FAILED */
} KillResult;

/* "Sent TERM to service cli-console", "Service cli-console not found",
 * "Service cli-console is already stopped", "Failed to kill cli-console: <reason>".
 * NULL on out of memory. */
char *kill_result_format(const KillResult *r);
