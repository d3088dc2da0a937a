/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "bus-util.h"
#include "macro.h"
#include "verbs.h"

#ifndef PGS_VERSION
#define PGS_VERSION "unknown"
#endif

static const Verb verbs[] = {
        { "ps", verb_ps, "List the sandboxes with their state and status" },
        { "status", verb_status, "Show one sandbox in detail, with its last crash" },
        { "top", verb_top, "A live view of the sandboxes with CPU, memory and tasks" },
        { "kill", verb_kill, "Send TERM, KILL or INT to sandboxes" },
        { "start", verb_start, "Start sandboxes" },
        { "stop", verb_stop, "Stop sandboxes" },
        { "restart", verb_restart, "Restart sandboxes" },
        { "reload", verb_reload, "Make pgsandboxd re-read its policy files" },
        { "logs", verb_logs, "Show a sandbox's output, with its runs marked" },
        { "history", verb_history, "List how a sandbox's past runs ended" },
        { "run", verb_run, "Run a command in a new transient sandbox" },
        { "check", verb_check, "Validate policy files and print the effective policy" },
};

static void help(FILE *f) {
        fprintf(f,
                "Usage: pgsandbox [--help] [--version] [--bus ADDRESS] VERB [ARGS...]\n"
                "\n"
                "Manage the sandboxed services that pgsandboxd supervises.\n"
                "\n"
                "Options:\n"
                "  -h --help          Show this help\n"
                "  -V --version       Show the version\n"
                "     --bus ADDRESS   Talk to pgsandboxd at ADDRESS (default: $PGSANDBOX_BUS,\n"
                "                     then unix:path=/run/pgsandbox/bus)\n"
                "\n"
                "Verbs:\n");
        for (size_t i = 0; i < ELEMENTSOF(verbs); i++)
                fprintf(f, "  %-10s %s\n", verbs[i].name, verbs[i].summary);
        fprintf(f, "\nRun 'pgsandbox VERB --help' for a verb's options; see pgsandbox(1).\n");
}

int main(int argc, char *argv[]) {
        enum { ARG_BUS = 0x100 };
        static const struct option options[] = {
                { "help", no_argument, NULL, 'h' },
                { "version", no_argument, NULL, 'V' },
                { "bus", required_argument, NULL, ARG_BUS },
                {},
        };
        int c;

        /* "+": stop at the first non-option, the verb, whose options are its own. */
        while ((c = getopt_long(argc, argv, "+hV", options, NULL)) >= 0)
                switch (c) {
                case 'h':
                        help(stdout);
                        return 0;
                case 'V':
                        printf("pgsandbox %s\n", PGS_VERSION);
                        return 0;
                case ARG_BUS:
                        arg_bus = optarg;
                        break;
                default:
                        fprintf(stderr, "Run 'pgsandbox --help' for usage.\n");
                        return EXIT_USAGE;
                }

        if (optind >= argc) {
                help(stderr);
                return EXIT_USAGE;
        }
        for (size_t i = 0; i < ELEMENTSOF(verbs); i++)
                if (streq(argv[optind], verbs[i].name)) {
                        int first = optind;
                        optind = 0; /* getopt_long starts over for the verb's own options */
                        return verbs[i].run(argc - first, argv + first);
                }
        fprintf(stderr, "pgsandbox: unknown verb '%s'. Run 'pgsandbox --help' for the list.\n",
                argv[optind]);
        return EXIT_USAGE;
}
