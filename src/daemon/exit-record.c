/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "exit-record.h"
#include "strv.h"

static const char * const outcome_names[_RUN_OUTCOME_MAX] = {
        [RUN_EXITED] = "exited",
        [RUN_KILLED] = "signaled",
        [RUN_SETUP_ERROR] = "setup-error",
};

void exit_record_done(ExitRecord *r) {
        free(r->syscall);
        free(r->setup_error);
        *r = (ExitRecord) {};
}

char *exit_record_format(const ExitRecord *r) {
        char *s = NULL;
        /* Values are single lines: newlines in an error text become spaces. */
        _cleanup_free_ char *err = r->setup_error ? strdup(r->setup_error) : NULL;
        if (r->setup_error && !err)
                return NULL;
        for (char *p = err; p && *p; p++)
                if (*p == '\n')
                        *p = ' ';
        if (asprintf(&s,
                     "kind=%s\nexit_code=%d\nsignal=%d\ncore_dumped=%d\nsyscall=%s\nsetup_error=%s\n"
                     "watchdog=%d\nerrno=%d\noom_kill=%llu\noom_group_kill=%llu\npids_max=%llu\nmemory_peak=%llu\n",
                     outcome_names[r->outcome], r->exit_code, r->signo, r->core_dumped,
                     r->syscall ?: "", err ?: "", r->watchdog, r->service_errno,
                     (unsigned long long) r->oom_kills, (unsigned long long) r->oom_group_kills,
                     (unsigned long long) r->pids_max_events, (unsigned long long) r->memory_peak) < 0)
                return NULL;
        return s;
}

static int parse_int(const char *v, int *ret) {
        char *end;
        long n;

        errno = 0;
        n = strtol(v, &end, 10);
        if (errno != 0 || end == v || *end || n < -2147483647L - 1 || n > 2147483647L)
                return -EBADMSG;
        *ret = (int) n;
        return 0;
}

static int parse_u64(const char *v, uint64_t *ret) {
        char *end;
        errno = 0;
        unsigned long long n = strtoull(v, &end, 10);
        if (errno != 0 || end == v || *end)
                return -EBADMSG;
        *ret = n;
        return 0;
}

int exit_record_parse(const char *text, ExitRecord *ret) {
        ExitRecord r = {
                .outcome = _RUN_OUTCOME_INVALID,
                .oom_kills = UINT64_MAX, .oom_group_kills = UINT64_MAX,
                .pids_max_events = UINT64_MAX, .memory_peak = UINT64_MAX,
        };
        unsigned seen = 0;
        const char *p = text;
        int core = 0, watchdog = 0, k = 0;

        while (*p) {
                size_t n = strcspn(p, "\n");
                _cleanup_free_ char *line = strndup(p, n);
                if (!line) {
                        exit_record_done(&r);
                        return -ENOMEM;
                }
                p += n + (p[n] == '\n');
                char *eq = strchr(line, '=');
                if (!eq)
                        continue;
                *eq = 0;
                const char *v = eq + 1;
                if (streq(line, "kind")) {
                        for (int i = 0; i < _RUN_OUTCOME_MAX; i++)
                                if (streq(v, outcome_names[i]))
                                        r.outcome = (RunOutcome) i;
                        seen |= 1;
                } else if (streq(line, "exit_code"))
                        k = parse_int(v, &r.exit_code), seen |= 2;
                else if (streq(line, "signal"))
                        k = parse_int(v, &r.signo), seen |= 4;
                else if (streq(line, "core_dumped"))
                        k = parse_int(v, &core), seen |= 8;
                else if (streq(line, "watchdog"))
                        k = parse_int(v, &watchdog);
                else if (streq(line, "errno"))
                        k = parse_int(v, &r.service_errno);
                else if (streq(line, "oom_kill"))
                        k = parse_u64(v, &r.oom_kills);
                else if (streq(line, "oom_group_kill"))
                        k = parse_u64(v, &r.oom_group_kills);
                else if (streq(line, "pids_max"))
                        k = parse_u64(v, &r.pids_max_events);
                else if (streq(line, "memory_peak"))
                        k = parse_u64(v, &r.memory_peak);
                else if (streq(line, "syscall") && *v) {
                        free(r.syscall);
                        r.syscall = strdup(v);
                } else if (streq(line, "setup_error") && *v) {
                        free(r.setup_error);
                        r.setup_error = strdup(v);
                }
                if (k < 0)
                        break;
        }
        if (k < 0 || seen != 15 || r.outcome < 0) {
                exit_record_done(&r);
                return -EBADMSG;
        }
        r.core_dumped = core != 0;
        r.watchdog = watchdog != 0;
        *ret = r;
        return 0;
}

char *run_status_format(const RunStatus *st) {
        char *s = NULL;
        _cleanup_free_ char *text = strdup(st->status_text);
        if (!text)
                return NULL;
        for (char *p = text; *p; p++)
                if (*p == '\n')
                        *p = ' ';
        if (asprintf(&s, "monitor_pid=%d\ninit_pid=%d\ntask=%llu\nstarted_at=%llu\nstarted=%d\nready=%d\nstatus_text=%s\n",
                     (int) st->monitor_pid, (int) st->init_pid, (unsigned long long) st->task_id,
                     (unsigned long long) st->started_at, st->started, st->ready, text) < 0)
                return NULL;
        return s;
}

int run_status_parse(const char *text, RunStatus *ret) {
        RunStatus st = {};
        const char *p = text;
        int k = 0, v_int;
        uint64_t v64;

        while (*p && k >= 0) {
                size_t n = strcspn(p, "\n");
                _cleanup_free_ char *line = strndup(p, n);
                if (!line)
                        return -ENOMEM;
                p += n + (p[n] == '\n');
                char *eq = strchr(line, '=');
                if (!eq)
                        continue;
                *eq = 0;
                const char *v = eq + 1;
                if (streq(line, "monitor_pid") && (k = parse_int(v, &v_int)) >= 0)
                        st.monitor_pid = v_int;
                else if (streq(line, "init_pid") && (k = parse_int(v, &v_int)) >= 0)
                        st.init_pid = v_int;
                else if (streq(line, "task") && (k = parse_u64(v, &v64)) >= 0)
                        st.task_id = v64;
                else if (streq(line, "started_at") && (k = parse_u64(v, &v64)) >= 0)
                        st.started_at = v64;
                else if (streq(line, "started") && (k = parse_int(v, &v_int)) >= 0)
                        st.started = v_int != 0;
                else if (streq(line, "ready") && (k = parse_int(v, &v_int)) >= 0)
                        st.ready = v_int != 0;
                else if (streq(line, "status_text"))
                        snprintf(st.status_text, sizeof st.status_text, "%s", v);
        }
        if (k < 0 || st.monitor_pid <= 0)
                return -EBADMSG;
        *ret = st;
        return 0;
}
