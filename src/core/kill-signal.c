/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <signal.h>
#include <stdio.h>
#include <strings.h>

#include "kill-signal.h"
#include "string-table.h"

static const char * const kill_signal_table[_KILL_SIGNAL_MAX] = {
        [KILL_SIGNAL_TERMINATE] = "TERM",
        [KILL_SIGNAL_KILL] = "KILL",
        [KILL_SIGNAL_INTERRUPT] = "INT",
};
DEFINE_PRIVATE_STRING_TABLE_LOOKUP(kill_signal_name, KillSignal, kill_signal_table, strcasecmp);

static const int kill_signal_signo[_KILL_SIGNAL_MAX] = {
        [KILL_SIGNAL_TERMINATE] = SIGTERM,
        [KILL_SIGNAL_KILL] = SIGKILL,
        [KILL_SIGNAL_INTERRUPT] = SIGINT,
};

const char *kill_signal_to_string(KillSignal s) {
        return kill_signal_name_to_string(s);
}

KillSignal kill_signal_from_signo(int signo) {
        for (size_t i = 0; i < ELEMENTSOF(kill_signal_signo); i++)
                if (kill_signal_signo[i] == signo)
                        return (KillSignal) i;
        return _KILL_SIGNAL_INVALID;
}

KillSignal kill_signal_from_string(const char *s) {
        if (!s)
                return _KILL_SIGNAL_INVALID;
        if (*s == '-')
                s++;
        if (*s >= '0' && *s <= '9') {
                /* Only plain decimal: "15", not "015", "0x0f" or "15abc". */
                if (s[0] == '0' || strspn(s, "0123456789") != strlen(s) || strlen(s) > 2)
                        return _KILL_SIGNAL_INVALID;
                return kill_signal_from_signo(atoi(s));
        }
        if (strncasecmp(s, "SIG", 3) == 0)
                s += 3;
        return kill_signal_name_from_string(s);
}

int kill_signal_to_signo(KillSignal s) {
        if (s < 0 || s >= _KILL_SIGNAL_MAX)
                return -EINVAL;
        return kill_signal_signo[s];
}

bool kill_signal_is_forceful(KillSignal s) {
        return s == KILL_SIGNAL_KILL;
}

static const char * const kill_result_kind_table[_KILL_RESULT_MAX] = {
        [KILL_RESULT_SUCCESS] = "success",
        [KILL_RESULT_NOT_FOUND] = "not-found",
        [KILL_RESULT_ALREADY_STOPPED] = "already-stopped",
        [KILL_RESULT_FAILED] = "failed",
};
DEFINE_STRING_TABLE_LOOKUP(kill_result_kind, KillResultKind, kill_result_kind_table, strcmp);

char *kill_result_format(const KillResult *r) {
        char *s = NULL;
        int k;

        switch (r->kind) {
        case KILL_RESULT_SUCCESS:
                k = asprintf(&s, "Sent %s to service %s", kill_signal_to_string(r->signal) ?: "?",
                             r->service);
                break;
        case KILL_RESULT_NOT_FOUND:
                k = asprintf(&s, "Service %s not found", r->service);
                break;
        case KILL_RESULT_ALREADY_STOPPED:
                k = asprintf(&s, "Service %s is already stopped", r->service);
                break;
        case KILL_RESULT_FAILED:
                k = asprintf(&s, "Failed to kill %s: %s", r->service, r->reason ?: "unknown error");
                break;
        default:
                return NULL;
        }
        return k < 0 ? NULL : s;
}
