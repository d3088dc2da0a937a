/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lifecycle.h"
#include "macro.h"
#include "run-wait.h"

void run_wait_done(RunWait *w) {
        for (size_t k = 0; k < w->n_events; k++) {
                RunEvent *e = &w->events[k];
                free(e->name), free(e->state), free(e->text), free(e->evidence);
        }
        free(w->events);
}

int run_wait_record(RunWait *w, const char *name, const char *state, const char *text, const char *evidence) {
        RunEvent *v = reallocarray(w->events, w->n_events + 1, sizeof *v);
        if (!v)
                return -ENOMEM;
        w->events = v;
        RunEvent *e = &v[w->n_events];
        *e = (RunEvent) { strdup(name), strdup(state), strdup(text), evidence ? strdup(evidence) : NULL };
        if (!e->name || !e->state || !e->text || (evidence && !e->evidence)) {
                free(e->name), free(e->state), free(e->text), free(e->evidence);
                return -ENOMEM;
        }
        w->n_events++;
        return 0;
}

int run_wait_on_state_changed(sd_bus_message *m, void *userdata, sd_bus_error *error) {
        const char *id, *name, *state, *status;
        if (sd_bus_message_read(m, "ssss", &id, &name, &state, &status) >= 0)
                (void) run_wait_record(userdata, name, state, status, NULL);
        return 0;
}

int run_wait_on_crashed(sd_bus_message *m, void *userdata, sd_bus_error *error) {
        const char *id, *name, *reason, *evidence;
        uint32_t restarts;
        if (sd_bus_message_read(m, "ssssu", &id, &name, &reason, &evidence, &restarts) >= 0)
                (void) run_wait_record(userdata, name, "#crash", reason, evidence);
        return 0;
}

const RunEvent *run_wait_end(const RunWait *w, const char *name, const RunEvent **ret_crash) {
        *ret_crash = NULL;
        for (size_t k = 0; k < w->n_events; k++) {
                const RunEvent *e = &w->events[k];
                if (!streq(e->name, name))
                        continue;
                if (streq(e->state, "#crash"))
                        *ret_crash = e;
                else if (streq(e->state, "Stopped") || streq(e->state, "Failed"))
                        return e;
        }
        return NULL;
}

int run_exit_status(const char *reason) {
        int code, sig;
        if (!reason || !*reason)
                return 0;
        if (sscanf(reason, "Exit code: %d", &code) == 1)
                return code & 0xff;
        if (strncmp(reason, "Killed by signal: ", 18) == 0 && (sig = signal_from_abbrev(reason + 18)) > 0)
                return 128 + sig;
        return 1;
}

char *status_summary_reason(const char *status) {
        const char *open = strstr(status, " ("), *close = strrchr(status, ')');
        if (!open || !close || close < open)
                return NULL;
        return strndup(open + 2, (size_t) (close - open - 2));
}

