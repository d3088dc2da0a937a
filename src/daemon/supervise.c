/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <string.h>

#include "string-table.h"
#include "supervise.h"

static const char * const supervise_event_table[_SUPERVISE_EVENT_MAX] = {
        [SUPERVISE_START] = "start",
        [SUPERVISE_STARTED] = "started",
        [SUPERVISE_STOP] = "stop",
        [SUPERVISE_EXITED] = "exited",
        [SUPERVISE_RESTART_DUE] = "restart-due",
};
DEFINE_PRIVATE_STRING_TABLE_LOOKUP(supervise_event_name, SuperviseEvent, supervise_event_table, strcmp);

const char *supervise_event_to_string(SuperviseEvent e) {
        return supervise_event_name_to_string(e);
}

static const char * const supervise_action_table[_SUPERVISE_ACTION_MAX] = {
        [SUPERVISE_NOTHING] = "nothing",
        [SUPERVISE_LAUNCH] = "launch",
        [SUPERVISE_SIGNAL] = "signal",
        [SUPERVISE_ARM_RESTART] = "arm-restart",
        [SUPERVISE_CANCEL_RESTART] = "cancel-restart",
};
DEFINE_PRIVATE_STRING_TABLE_LOOKUP(supervise_action_name, SuperviseAction, supervise_action_table, strcmp);

const char *supervise_action_to_string(SuperviseAction a) {
        return supervise_action_name_to_string(a);
}

void supervision_init(Supervision *s, RestartPolicy policy, const RestartBackoff *backoff) {
        *s = (Supervision) {
                .policy = policy,
                .backoff = *backoff,
        };
        service_handle_init(&s->handle, 0, LIFECYCLE_STOPPED);
}

void supervision_done(Supervision *s) {
        service_handle_done(&s->handle);
}

static void launch(Supervision *s, usec_t now, SuperviseResult *res) {
        s->run_started = now;
        s->operator_stop = false;
        s->handle.state = LIFECYCLE_STARTING;
        res->action = SUPERVISE_LAUNCH;
}

static int on_start(Supervision *s, usec_t now, SuperviseResult *res) {
        switch (s->handle.state) {
        case LIFECYCLE_STOPPED:
        case LIFECYCLE_FAILED:
        case LIFECYCLE_RESTARTING: /* start now instead of waiting: the daemon disarms the timer */
                /* The operator's start is a fresh attempt: the backoff and the
                 * start limit begin again, the restart count stays as history. */
                s->backoff_step = 0;
                s->start_limit = (StartLimit) {};
                s->start_limit_hit = false;
                launch(s, now, res);
                return 0;
        case LIFECYCLE_STOPPING:
                return -EBUSY;
        default:
                return -EALREADY;
        }
}

static int on_stop(Supervision *s, SuperviseResult *res) {
        switch (s->handle.state) {
        case LIFECYCLE_STARTING:
        case LIFECYCLE_RUNNING:
        case LIFECYCLE_STOPPING: /* a second stop, e.g. KILL after TERM */
                s->operator_stop = true;
                s->handle.state = LIFECYCLE_STOPPING;
                res->action = SUPERVISE_SIGNAL;
                return 0;
        case LIFECYCLE_RESTARTING:
                /* Nothing runs: cancel the pending restart. The last crash
                 * stays in the death record, not in the status. */
                service_handle_set_crash_reason(&s->handle, NULL);
                s->handle.state = LIFECYCLE_STOPPED;
                res->action = SUPERVISE_CANCEL_RESTART;
                return 0;
        default:
                return -EALREADY;
        }
}

static int on_exited(Supervision *s, RunVerdict *verdict, usec_t now, SuperviseResult *res) {
        if (!verdict)
                return -EINVAL;
        if (s->handle.state != LIFECYCLE_STARTING && s->handle.state != LIFECYCLE_RUNNING &&
            s->handle.state != LIFECYCLE_STOPPING)
                return -EINVAL;

        bool failed = verdict->reason != NULL;
        service_handle_set_crash_reason(&s->handle, TAKE_PTR(verdict->reason));

        if (s->operator_stop) {
                s->operator_stop = false;
                s->handle.state = LIFECYCLE_STOPPED;
                return 0;
        }

        /* A run that stayed up long enough was healthy: start the doubling over. */
        if (now >= s->run_started && now - s->run_started >= s->backoff.reset_after)
                s->backoff_step = 0;

        if (!restart_policy_should_restart(s->policy, failed, false)) {
                s->handle.state = failed ? LIFECYCLE_FAILED : LIFECYCLE_STOPPED;
                return 0;
        }
        if (!start_limit_test(&s->start_limit, &s->backoff, now)) {
                s->start_limit_hit = true;
                s->handle.state = LIFECYCLE_FAILED;
                return 0;
        }
        s->handle.state = LIFECYCLE_RESTARTING;
        service_handle_increment_restart_count(&s->handle);
        res->action = SUPERVISE_ARM_RESTART;
        res->delay = restart_backoff_delay(&s->backoff, s->backoff_step);
        if (s->backoff_step < 64)
                s->backoff_step++;
        return 0;
}

int supervision_handle(Supervision *s, SuperviseEvent event, RunVerdict *verdict, usec_t now,
                       SuperviseResult *ret) {
        SuperviseResult res = { .action = SUPERVISE_NOTHING, .from = s->handle.state };
        int r;

        switch (event) {
        case SUPERVISE_START:
                r = on_start(s, now, &res);
                break;
        case SUPERVISE_STARTED:
                if (s->handle.state == LIFECYCLE_STARTING) {
                        s->handle.state = LIFECYCLE_RUNNING;
                        s->run_started = now;
                        r = 0;
                } else
                        r = s->handle.state == LIFECYCLE_STOPPING ? 0 : -EINVAL;
                break;
        case SUPERVISE_STOP:
                r = on_stop(s, &res);
                break;
        case SUPERVISE_EXITED:
                r = on_exited(s, verdict, now, &res);
                break;
        case SUPERVISE_RESTART_DUE:
                if (s->handle.state != LIFECYCLE_RESTARTING)
                        return -EINVAL;
                launch(s, now, &res);
                r = 0;
                break;
        default:
                return -EINVAL;
        }
        if (r < 0)
                return r;
        res.to = s->handle.state;
        *ret = res;
        return 0;
}
