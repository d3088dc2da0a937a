/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* A service's life: the operator's verbs and the run's end go through the
 * supervision state machine (supervise.c), and this file carries out the
 * action it returns, logging every transition. */
#include <signal.h>
#include <stdio.h>
#include <string.h>

#include "log.h"
#include "service-log.h"
#include "service.h"

int service_new(Manager *m, Policy *policy, Service **ret) {
        _cleanup_(service_freep) Service *s = calloc(1, sizeof *s);
        int r;

        if (!s)
                return -ENOMEM;
        s->manager = m;
        s->monitor_pidfd = s->channel_fd = s->init_pidfd = s->seccomp_fd = -EBADF;
        s->name = strdup(policy->name);
        if (!s->name)
                return -ENOMEM;
        supervision_init(&s->sup, policy->restart, &policy->backoff);
        s->policy = policy;

        /* A service the daemon knew before keeps its id, restart count,
         * backoff position, last crash and history. */
        r = service_state_load(m->config.state_dir, s->name, &s->saved);
        if (r >= 0) {
                s->id = s->saved.id;
                s->sup.handle.restart_count = s->saved.restart_count;
                s->sup.backoff_step = s->saved.backoff_step;
                s->sup.handle.task_id = s->saved.last_task_id;
                /* Failed stays Failed; a restart that was pending is resumed
                         * by the manager (service_resume()). */
                if (s->saved.state == LIFECYCLE_FAILED || s->saved.state == LIFECYCLE_RESTARTING)
                        s->sup.handle.state = s->saved.state;
                s->sup.handle.crash_reason = TAKE_PTR(s->saved.crash);
                s->crash_evidence = TAKE_PTR(s->saved.crash_evidence);
                s->crash_time = s->saved.crash_time;
                if (m->next_task_id < s->saved.last_task_id)
                        m->next_task_id = s->saved.last_task_id;
        } else {
                if (r != -ENOENT)
                        log_warning_errno(r, "Service %s: ignoring its unreadable saved state: %m", s->name);
                s->saved = (ServiceState) {};
                r = service_id_random(&s->id);
                if (r < 0)
                        return r;
                /* Its id must outlive a daemon crash during its first run:
                 * one write in the service's lifetime. */
                (void) service_save(s);
        }
        *ret = TAKE_PTR(s);
        return 0;
}

int service_save(Service *s) {
        ServiceState *st = &s->saved;
        int r;

        if (s->transient)
                return 0;
        st->id = s->id;
        st->state = s->sup.handle.state;
        st->restart_count = s->sup.handle.restart_count;
        st->backoff_step = s->sup.backoff_step;
        st->last_task_id = s->sup.handle.task_id;
        st->crash = s->sup.handle.crash_reason; /* borrowed for the write */
        st->crash_evidence = s->crash_evidence;
        st->crash_time = s->crash_time;
        r = service_state_save(s->manager->config.state_dir, s->name, st);
        st->crash = NULL;
        st->crash_evidence = NULL;
        if (r < 0)
                log_warning_errno(r, "Service %s: failed to save its state under %s: %m", s->name,
                                  s->manager->config.state_dir);
        return r;
}

Service *service_free(Service *s) {
        if (!s)
                return NULL;
        service_run_release(s);
        sd_event_source_disable_unref(s->restart_timer);
        supervision_done(&s->sup);
        service_state_done(&s->saved);
        policy_free(s->policy);
        policy_free(s->next_policy);
        safe_close(s->seccomp_fd);
        free(s->crash_evidence);
        free(s->name);
        return mfree(s);
}

bool service_is_active(const Service *s) {
        return s->monitor_pid > 0;
}

const char *service_state_string(const Service *s) {
        return lifecycle_state_to_string(s->sup.handle.state);
}

char *service_status_summary(const Service *s) {
        return service_handle_status_summary(&s->sup.handle);
}

static void service_log_transition(Service *s, SuperviseEvent ev, const SuperviseResult *res) {
        if (res->from == res->to)
                return;
        log_info("Service %s: %s -> %s (%s)", s->name, lifecycle_state_to_string(res->from),
                 lifecycle_state_to_string(res->to), supervise_event_to_string(ev));
        manager_bus_emit_state_changed(s->manager, s);
}

static int on_restart_timer(sd_event_source *source, uint64_t usec, void *userdata);

/* Carries out what the state machine asked for. */
static void service_apply(Service *s, SuperviseEvent ev, const SuperviseResult *res) {
        _cleanup_free_ char *error = NULL;
        int r;

        service_log_transition(s, ev, res);

        switch (res->action) {
        case SUPERVISE_LAUNCH:
                if (s->next_policy) {
                        /* A reload changed the policy while a run was alive: it applies now. */
                        policy_free(s->policy);
                        s->policy = TAKE_PTR(s->next_policy);
                        s->seccomp_fd = safe_close(s->seccomp_fd); /* compiled again for the new one */
                        s->sup.policy = s->policy->restart;
                        s->sup.backoff = s->policy->backoff;
                }
                s->restart_timer = sd_event_source_disable_unref(s->restart_timer);
                s->restart_due = 0;
                s->sup.handle.task_id = ++s->manager->next_task_id;
                r = service_run_launch(s, &error);
                if (r < 0) {
                        /* The run never started: feed its end back in as a setup error.
                         * A "(fix: ...)" hint goes to the evidence, not the status. */
                        RunVerdict v = {};
                        SuperviseResult res2;
                        char *fix = error ? strstr(error, " (fix: ") : NULL;
                        free(s->crash_evidence);
                        s->crash_evidence = NULL;
                        if (fix) {
                                const char *hint = fix + 2; /* "fix: ...)" */
                                size_t n = strlen(hint);
                                if (n > 0 && hint[n - 1] == ')')
                                        n--;
                                s->crash_evidence = strndup(hint, n);
                                *fix = 0;
                        }
                        if (crash_reason_new(CRASH_ERROR, error ?: strerror(-r), &v.reason) < 0)
                                return (void) log_oom();
                        s->crash_time = now_usec(CLOCK_REALTIME);
                        log_error("Service %s failed to start: %s", s->name, error ?: strerror(-r));
                        RunRecord rec = { .task_id = s->sup.handle.task_id, .memory_peak = UINT64_MAX,
                                          .pids_peak = UINT64_MAX };
                        rec.started = rec.ended = s->crash_time;
                        if (crash_reason_copy(v.reason, &rec.reason) >= 0 &&
                            (!s->crash_evidence || (rec.evidence = strdup(s->crash_evidence))))
                                service_state_add_run(&s->saved, &rec);
                        run_record_done(&rec);
                        if (supervision_handle(&s->sup, SUPERVISE_EXITED, &v, now_usec(CLOCK_MONOTONIC), &res2) >= 0)
                                service_apply(s, SUPERVISE_EXITED, &res2);
                        run_verdict_done(&v);
                        manager_bus_emit_crashed(s->manager, s);
                        (void) service_save(s);
                }
                break;
        case SUPERVISE_ARM_RESTART: {
                char buf[FORMAT_TIMESPAN_MAX];
                s->restart_due = now_usec(CLOCK_MONOTONIC) + res->delay;
                r = sd_event_add_time(s->manager->event, &s->restart_timer, CLOCK_MONOTONIC, s->restart_due, USEC_PER_MSEC,
                                      on_restart_timer, s);
                if (r < 0)
                        log_error_errno(r, "Failed to arm the restart timer of %s: %m", s->name);
                else
                        log_info("Service %s: restarting in %s", s->name,
                                 format_timespan(buf, sizeof buf, res->delay));
                break;
        }
        case SUPERVISE_CANCEL_RESTART:
                s->restart_timer = sd_event_source_disable_unref(s->restart_timer);
                s->restart_due = 0;
                break;
        default:
                break;
        }
}

static int on_restart_timer(sd_event_source *source, uint64_t usec, void *userdata) {
        Service *s = userdata;
        SuperviseResult res;

        s->restart_timer = sd_event_source_disable_unref(s->restart_timer);
        if (supervision_handle(&s->sup, SUPERVISE_RESTART_DUE, NULL, now_usec(CLOCK_MONOTONIC), &res) >= 0)
                service_apply(s, SUPERVISE_RESTART_DUE, &res);
        return 0;
}

void service_resume(Service *s, bool same_boot) {
        SuperviseResult res;

        if (service_is_active(s))
                return;
        if (s->sup.handle.state == LIFECYCLE_RESTARTING) {
                /* Its restart timer died with the previous daemon: due now. */
                if (supervision_handle(&s->sup, SUPERVISE_RESTART_DUE, NULL, now_usec(CLOCK_MONOTONIC), &res) >= 0)
                        service_apply(s, SUPERVISE_RESTART_DUE, &res);
                return;
        }
        /* After a reboot every AutoStart= service starts; after a restart of
         * the daemon alone, a Failed one stays Failed. */
        if (!s->policy->auto_start || (same_boot && s->sup.handle.state == LIFECYCLE_FAILED))
                return;
        (void) service_start(s);
}

int service_start(Service *s) {
        SuperviseResult res;
        int r = supervision_handle(&s->sup, SUPERVISE_START, NULL, now_usec(CLOCK_MONOTONIC), &res);
        if (r < 0)
                return r;
        service_apply(s, SUPERVISE_START, &res);
        return 0;
}

int service_kill(Service *s, KillSignal sig) {
        SuperviseResult res;
        int r;

        if (!service_is_active(s) && s->sup.handle.state != LIFECYCLE_RESTARTING)
                return -EALREADY;
        r = supervision_handle(&s->sup, SUPERVISE_STOP, NULL, now_usec(CLOCK_MONOTONIC), &res);
        if (r < 0)
                return r;
        service_apply(s, SUPERVISE_STOP, &res);
        if (res.action != SUPERVISE_SIGNAL)
                return 0;
        return service_run_signal(s, kill_signal_to_signo(sig));
}

int service_stop(Service *s) {
        return service_kill(s, KILL_SIGNAL_TERMINATE);
}

char *service_log_path(const Service *s) {
        char *p = NULL;
        return asprintf(&p, "%s/logs/%s.log", s->manager->config.state_dir, s->name) < 0 ? NULL : p;
}

/* "run 7 ended: Exit code: 1; restarting in 400ms" in the log's metadata. */
static void service_log_end_mark(Service *s, TaskId task, const SuperviseResult *res) {
        _cleanup_free_ char *path = service_log_path(s), *why = NULL;
        char next[64], span[FORMAT_TIMESPAN_MAX];

        if (!path)
                return;
        if (s->sup.handle.crash_reason && !(why = crash_reason_description(s->sup.handle.crash_reason)))
                return;
        if (res->action == SUPERVISE_ARM_RESTART)
                snprintf(next, sizeof next, "restarting in %s", format_timespan(span, sizeof span, res->delay));
        else if (s->sup.start_limit_hit)
                snprintf(next, sizeof next, "start limit hit, not restarting");
        else
                snprintf(next, sizeof next, "%s", lifecycle_state_to_string(s->sup.handle.state));
        (void) service_log_mark(path, "end run=%llu offset=%llu time=%llu text=run %llu ended: %s; %s",
                                (unsigned long long) task, (unsigned long long) service_log_offset(path),
                                (unsigned long long) now_usec(CLOCK_REALTIME), (unsigned long long) task,
                                why ?: "exited cleanly", next);
}

void service_run_record(Service *s, const RunVerdict *verdict, const RunRecord *peaks) {
        RunRecord rec = *peaks;

        rec.ended = now_usec(CLOCK_REALTIME);
        rec.reason = NULL;
        rec.evidence = NULL;
        if ((verdict->reason && crash_reason_copy(verdict->reason, &rec.reason) < 0) ||
            (verdict->evidence && !(rec.evidence = strdup(verdict->evidence))))
                log_oom();
        service_state_add_run(&s->saved, &rec);
        (void) service_save(s);
}

void service_run_ended(Service *s, RunVerdict *verdict, const RunRecord *peaks) {
        SuperviseResult res;
        int r;

        if (verdict->reason) {
                _cleanup_free_ char *desc = crash_reason_description(verdict->reason);
                free(s->crash_evidence);
                s->crash_evidence = TAKE_PTR(verdict->evidence);
                s->crash_time = now_usec(CLOCK_REALTIME);
                if (!s->sup.operator_stop) {
                        log_warning("Service %s crashed: %s", s->name, desc ?: "?");
                        if (s->crash_evidence)
                                log_info("Evidence: %s", s->crash_evidence);
                }
        }
        r = supervision_handle(&s->sup, SUPERVISE_EXITED, verdict, now_usec(CLOCK_MONOTONIC), &res);
        if (r < 0) {
                log_error_errno(r, "Service %s: unexpected exit in state %s", s->name, service_state_string(s));
                return;
        }
        if (s->sup.handle.crash_reason && res.to != LIFECYCLE_STOPPED) {
                log_info("Restart policy: %s", restart_policy_to_string(s->sup.policy));
                if (res.action == SUPERVISE_ARM_RESTART)
                        log_info("Restart attempt: %u", s->sup.handle.restart_count);
                else if (s->sup.start_limit_hit)
                        log_warning("Service %s: start limit hit (%u restarts within %s), not restarting",
                                    s->name, s->sup.backoff.burst,
                                    format_timespan((char[FORMAT_TIMESPAN_MAX]) {}, FORMAT_TIMESPAN_MAX,
                                                    s->sup.backoff.interval));
        }
        if (s->sup.start_limit_hit) {
                char *e = NULL;
                if (asprintf(&e, "%s%sstart limit hit", s->crash_evidence ?: "", s->crash_evidence ? "; " : "") >= 0) {
                        free(s->crash_evidence);
                        s->crash_evidence = e;
                }
        }
        if (s->sup.handle.crash_reason)
                manager_bus_emit_crashed(s->manager, s);
        service_apply(s, SUPERVISE_EXITED, &res);
        service_log_end_mark(s, peaks->task_id, &res);
        (void) service_save(s);
        if (s->restart_requested && !service_is_active(s)) {
                s->restart_requested = false;
                (void) service_start(s);
        }
}
