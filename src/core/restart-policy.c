/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <string.h>
#include <strings.h>

#include "restart-policy.h"
#include "string-table.h"

static const char * const restart_policy_table[_RESTART_POLICY_MAX] = {
        [RESTART_NEVER] = "Never",
        [RESTART_ON_FAILURE] = "On failure",
        [RESTART_ALWAYS] = "Always",
};
DEFINE_STRING_TABLE_LOOKUP(restart_policy, RestartPolicy, restart_policy_table, strcasecmp);

static const char * const restart_keyword_table[_RESTART_POLICY_MAX] = {
        [RESTART_NEVER] = "no",
        [RESTART_ON_FAILURE] = "on-failure",
        [RESTART_ALWAYS] = "always",
};
DEFINE_PRIVATE_STRING_TABLE_LOOKUP(restart_keyword, RestartPolicy, restart_keyword_table, strcmp);

const char *restart_policy_to_keyword(RestartPolicy p) {
        return restart_keyword_to_string(p);
}

RestartPolicy restart_policy_from_keyword(const char *s) {
        return restart_keyword_from_string(s);
}

bool restart_policy_should_restart(RestartPolicy p, bool failed, bool by_operator) {
        if (by_operator)
                return false;
        switch (p) {
        case RESTART_ALWAYS:
                return true;
        case RESTART_ON_FAILURE:
                return failed;
        default:
                return false;
        }
}

usec_t restart_backoff_delay(const RestartBackoff *b, unsigned attempt) {
        usec_t d = b->initial_delay;
        for (unsigned i = 0; i < attempt && d < b->max_delay; i++)
                d = d > b->max_delay / 2 ? b->max_delay : d * 2;
        return MIN(d, b->max_delay);
}

bool start_limit_test(StartLimit *l, const RestartBackoff *b, usec_t now) {
        if (b->burst == 0 || b->interval == 0)
                return true;
        if (l->count == 0 || now < l->begin || now - l->begin >= b->interval) {
                l->begin = now;
                l->count = 0;
        }
        l->count++;
        return l->count <= b->burst;
}
