/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <stdio.h>

#include "bus-util.h"
#include "strv.h"
#include "target-args.h"
#include "verbs.h"

int target_verb_run(int argc, char *argv[], const char *verb, const char *method, const char *help,
                    bool with_signal) {
        _cleanup_(sd_bus_flush_close_unrefp) sd_bus *bus = NULL;
        _cleanup_free_ char *error = NULL;
        TargetArgs a;
        int r;

        r = target_args_parse(argc, argv, with_signal, &a, &error);
        if (r == -ENOMEM) {
                fprintf(stderr, "Out of memory.\n");
                return 1;
        }
        if (r < 0) {
                fprintf(stderr, "pgsandbox %s: %s\nRun 'pgsandbox %s --help' for usage.\n", verb, error, verb);
                return EXIT_USAGE;
        }
        if (a.help) {
                fputs(help, stdout);
                target_args_done(&a);
                return 0;
        }
        if (bus_connect(&bus) < 0)
                r = 1;
        else
                r = bus_call_targets(bus, method, a.targets, with_signal ? kill_signal_to_string(a.signal) : NULL,
                                     a.json, with_signal ? RESULT_ALREADY_IS_ERROR : RESULT_ALREADY_IS_OK);
        target_args_done(&a);
        return r;
}
