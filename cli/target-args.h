/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/* Command-line parsing shared by the verbs that act on targets (kill,
 * start, stop, restart): TARGET... and --tag TAG (each becomes "tag:TAG"),
 * --json, --bus ADDRESS, --help; for kill also the signal, as -s SIGNAL,
 * --signal=SIGNAL or -9 / -15 / -2 / -KILL / -SIGTERM ..., in any spelling
 * kill_signal_from_string() accepts. Pure: no output, no bus. */

#include <stdbool.h>

#include "kill-signal.h"

typedef struct TargetArgs {
        char **targets;
        KillSignal signal; /* KILL_SIGNAL_TERMINATE unless given */
        bool json;
        bool help;
} TargetArgs;

void target_args_done(TargetArgs *a);

/* Returns 0, or -EINVAL (a usage error) with *ret_error set to an allocated
 * message for stderr, or -ENOMEM. with_signal: accept the kill options.
 * --bus sets arg_bus. */
int target_args_parse(int argc, char *argv[], bool with_signal, TargetArgs *ret, char **ret_error);

/* The whole of kill/start/stop/restart: parse, print help or a usage error,
 * connect, call method and print the results. Returns the exit status. */
int target_verb_run(int argc, char *argv[], const char *verb, const char *method, const char *help,
                    bool with_signal);
