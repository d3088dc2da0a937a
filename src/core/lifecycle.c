/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "lifecycle.h"
#include "string-table.h"

static const char * const lifecycle_state_table[_LIFECYCLE_STATE_MAX] = {
        [LIFECYCLE_STARTING] = "Starting",
        [LIFECYCLE_RUNNING] = "Running",
        [LIFECYCLE_STOPPING] = "Stopping",
        [LIFECYCLE_STOPPED] = "Stopped",
        [LIFECYCLE_FAILED] = "Failed",
        [LIFECYCLE_RESTARTING] = "Restarting",
};
DEFINE_STRING_TABLE_LOOKUP(lifecycle_state, LifecycleState, lifecycle_state_table, strcasecmp);

static const char * const crash_kind_table[_CRASH_KIND_MAX] = {
        [CRASH_PANIC] = "panic",
        [CRASH_EXIT_CODE] = "exit-code",
        [CRASH_SIGNAL] = "signal",
        [CRASH_RESOURCE_LIMIT] = "resource-limit",
        [CRASH_TIMEOUT] = "timeout",
        [CRASH_ERROR] = "error",
};
DEFINE_STRING_TABLE_LOOKUP(crash_kind, CrashKind, crash_kind_table, strcmp);

CrashReason *crash_reason_free(CrashReason *r) {
        if (!r)
                return NULL;
        free(r->text);
        return mfree(r);
}

static bool crash_kind_has_text(CrashKind kind) {
        return kind != CRASH_EXIT_CODE && kind != CRASH_TIMEOUT;
}

int crash_reason_new(CrashKind kind, const char *text, CrashReason **ret) {
        if (kind < 0 || kind >= _CRASH_KIND_MAX || kind == CRASH_EXIT_CODE)
                return -EINVAL;
        if (crash_kind_has_text(kind) != (text && *text))
                return -EINVAL;

        _cleanup_(crash_reason_freep) CrashReason *r = calloc(1, sizeof *r);
        if (!r)
                return -ENOMEM;
        r->kind = kind;
        if (text) {
                r->text = strdup(text);
                if (!r->text)
                        return -ENOMEM;
        }
        *ret = TAKE_PTR(r);
        return 0;
}

int crash_reason_new_exit_code(int code, CrashReason **ret) {
        CrashReason *r = calloc(1, sizeof *r);
        if (!r)
                return -ENOMEM;
        r->kind = CRASH_EXIT_CODE;
        r->exit_code = code;
        *ret = r;
        return 0;
}

int crash_reason_new_signal(int signo, CrashReason **ret) {
        char buf[16];
        const char *name = signal_abbrev(signo, buf);
        if (!name)
                return -EINVAL;
        return crash_reason_new(CRASH_SIGNAL, name, ret);
}

int crash_reason_copy(const CrashReason *r, CrashReason **ret) {
        if (r->kind == CRASH_EXIT_CODE)
                return crash_reason_new_exit_code(r->exit_code, ret);
        return crash_reason_new(r->kind, r->text, ret);
}

bool crash_reason_equal(const CrashReason *a, const CrashReason *b) {
        if (!a || !b)
                return a == b;
        if (a->kind != b->kind || a->exit_code != b->exit_code)
                return false;
        if (!a->text || !b->text)
                return a->text == b->text;
        return streq(a->text, b->text);
}

char *crash_reason_description(const CrashReason *r) {
        char *s = NULL;
        int k;

        switch (r->kind) {
        case CRASH_PANIC:
                k = asprintf(&s, "Panic: %s", r->text);
                break;
        case CRASH_EXIT_CODE:
                k = asprintf(&s, "Exit code: %d", r->exit_code);
                break;
        case CRASH_SIGNAL:
                k = asprintf(&s, "Killed by signal: %s", r->text);
                break;
        case CRASH_RESOURCE_LIMIT:
                k = asprintf(&s, "Resource limit exceeded: %s", r->text);
                break;
        case CRASH_TIMEOUT:
                k = asprintf(&s, "Timeout");
                break;
        case CRASH_ERROR:
                k = asprintf(&s, "Error: %s", r->text);
                break;
        default:
                k = asprintf(&s, "Unknown crash reason %d", (int) r->kind);
        }
        return k < 0 ? NULL : s;
}

const char *signal_abbrev(int signo, char buf[static 16]) {
        if (signo >= SIGRTMIN && signo <= SIGRTMAX) {
                if (signo == SIGRTMIN)
                        return "RTMIN";
                if (signo == SIGRTMAX)
                        return "RTMAX";
                snprintf(buf, 16, "RTMIN+%d", signo - SIGRTMIN);
                return buf;
        }
        return sigabbrev_np(signo);
}

int signal_from_abbrev(const char *s) {
        if (strncasecmp(s, "SIG", 3) == 0)
                s += 3;
        for (int i = 1; i < SIGRTMIN; i++) {
                const char *n = sigabbrev_np(i);
                if (n && strcasecmp(n, s) == 0)
                        return i;
        }
        return -EINVAL;
}

void service_handle_init(ServiceHandle *h, TaskId task_id, LifecycleState state) {
        *h = (ServiceHandle) {
                .task_id = task_id,
                .state = state,
        };
}

void service_handle_done(ServiceHandle *h) {
        h->crash_reason = crash_reason_free(h->crash_reason);
}

void service_handle_set_state(ServiceHandle *h, LifecycleState state) {
        h->state = state;
}

void service_handle_set_crash_reason(ServiceHandle *h, CrashReason *reason) {
        crash_reason_free(h->crash_reason);
        h->crash_reason = reason;
}

void service_handle_increment_restart_count(ServiceHandle *h) {
        h->restart_count++;
}

bool service_handle_shows_crash_reason(const ServiceHandle *h) {
        if (!h->crash_reason)
                return false;
        return h->state == LIFECYCLE_FAILED || h->state == LIFECYCLE_RESTARTING ||
               h->state == LIFECYCLE_STOPPED;
}

char *service_handle_status_summary(const ServiceHandle *h) {
        _cleanup_free_ char *reason = NULL;
        char restarts[32] = "";
        char *s;

        if (service_handle_shows_crash_reason(h)) {
                reason = crash_reason_description(h->crash_reason);
                if (!reason)
                        return NULL;
        }
        if (h->restart_count > 0)
                snprintf(restarts, sizeof restarts, " [restarts: %u]", h->restart_count);

        if (asprintf(&s, "%s%s%s%s%s", lifecycle_state_to_string(h->state) ?: "Unknown",
                     reason ? " (" : "", reason ?: "", reason ? ")" : "", restarts) < 0)
                return NULL;
        return s;
}
