/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/* The per-service supervision state machine, as pure logic: one transition
 * function over the origin design's lifecycle states, and the restart
 * decision (policy, exponential backoff, start limit). The daemon feeds it
 * events and carries out the action it returns; nothing here touches a
 * process, a timer or a clock. */

#include <stdbool.h>

#include "crash-analysis.h"
#include "lifecycle.h"
#include "restart-policy.h"

typedef enum SuperviseEvent {
        SUPERVISE_START,    /* the operator (or AutoStart=) starts the service */
        SUPERVISE_STARTED,  /* execve succeeded (Type=simple) or READY=1 came (Type=notify) */
        SUPERVISE_STOP,     /* the operator stops or kills the service */
        SUPERVISE_EXITED,   /* the run ended; the verdict says why */
        SUPERVISE_RESTART_DUE, /* the backoff timer fired */
        _SUPERVISE_EVENT_MAX,
        _SUPERVISE_EVENT_INVALID = -EINVAL,
} SuperviseEvent;

const char *supervise_event_to_string(SuperviseEvent e) _const_;

typedef enum SuperviseAction {
        SUPERVISE_NOTHING,       /* nothing to do (e.g. STARTED while Running) */
        SUPERVISE_LAUNCH,        /* launch a new run (new task id) */
        SUPERVISE_SIGNAL,        /* deliver the operator's signal to the running service */
        SUPERVISE_ARM_RESTART,   /* arm the restart timer for .delay */
        SUPERVISE_CANCEL_RESTART,/* disarm the restart timer (stop while Restarting) */
        _SUPERVISE_ACTION_MAX,
        _SUPERVISE_ACTION_INVALID = -EINVAL,
} SuperviseAction;

const char *supervise_action_to_string(SuperviseAction a) _const_;

typedef struct Supervision {
        ServiceHandle handle;
        RestartPolicy policy;
        RestartBackoff backoff;
        StartLimit start_limit;
        unsigned backoff_step;  /* position in the doubling: 0 = RestartSec= */
        usec_t run_started;     /* when the current run started */
        bool operator_stop;     /* the current run is being stopped by the operator */
        bool start_limit_hit;   /* the last failure was refused a restart by the start limit */
} Supervision;

typedef struct SuperviseResult {
        SuperviseAction action;
        usec_t delay;              /* SUPERVISE_ARM_RESTART */
        LifecycleState from, to;   /* the transition made (from == to: none) */
} SuperviseResult;

void supervision_init(Supervision *s, RestartPolicy policy, const RestartBackoff *backoff);
void supervision_done(Supervision *s);

/* The one transition function. For SUPERVISE_EXITED, verdict is the run's
 * crash analysis and its reason is moved into the handle (verdict->reason is
 * set to NULL); for other events verdict is NULL. now is CLOCK_MONOTONIC.
 * Returns -EINVAL for an event that makes no sense in the current state (the
 * state is left unchanged), else 0 with what the daemon must do. */
int supervision_handle(Supervision *s, SuperviseEvent event, RunVerdict *verdict, usec_t now,
                       SuperviseResult *ret);
