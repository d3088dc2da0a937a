/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* pgsandbox reload: pgsandboxd re-reads its policy directory. */
#include <getopt.h>
#include <stdio.h>

#include "bus-util.h"
#include "verbs.h"

static void reload_help(FILE *f) {
        fprintf(f,
                "Usage: pgsandbox reload [--bus ADDRESS]\n"
                "\n"
                "Makes pgsandboxd re-read its policy directory: new policies are added, a\n"
                "changed policy applies from its sandbox's next start (restart it to apply\n"
                "it now), and a stopped sandbox whose file is gone is forgotten. A file\n"
                "with errors is reported as FILE:LINE:COLUMN: message and its sandbox keeps\n"
                "its old policy. Check files first with 'pgsandbox check'. Needs root.\n"
                "\n"
                "Options:\n"
                "  -h --help          Show this help\n"
                "     --bus ADDRESS   Talk to pgsandboxd at ADDRESS\n"
                "\n"
                "Exit status: 0 if every policy loaded, 1 otherwise, 2 on a usage error.\n");
}

int verb_reload(int argc, char *argv[]) {
        enum { ARG_BUS = 0x100 };
        static const struct option options[] = {
                { "help", no_argument, NULL, 'h' },
                { "bus", required_argument, NULL, ARG_BUS },
                {},
        };
        int c, r;

        while ((c = getopt_long(argc, argv, "h", options, NULL)) >= 0)
                switch (c) {
                case 'h':
                        reload_help(stdout);
                        return 0;
                case ARG_BUS:
                        arg_bus = optarg;
                        break;
                default:
                        fprintf(stderr, "Run 'pgsandbox reload --help' for usage.\n");
                        return EXIT_USAGE;
                }
        if (optind < argc) {
                fprintf(stderr, "pgsandbox reload takes no arguments ('%s'). Run 'pgsandbox reload --help' for "
                                "usage.\n", argv[optind]);
                return EXIT_USAGE;
        }

        _cleanup_(sd_bus_flush_close_unrefp) sd_bus *bus = NULL;
        _cleanup_(sd_bus_message_unrefp) sd_bus_message *reply = NULL;
        _cleanup_(sd_bus_error_free) sd_bus_error error = SD_BUS_ERROR_NULL;
        const char *file, *message;
        size_t n = 0;

        if (bus_connect(&bus) < 0)
                return 1;
        r = sd_bus_call_method(bus, NULL, PGS_BUS_PATH, PGS_BUS_INTERFACE, "Reload", &error, &reply, "");
        if (r < 0)
                return bus_log_error(&error, r, "reload the policies");
        r = sd_bus_message_enter_container(reply, 'a', "(ss)");
        while (r >= 0 && (r = sd_bus_message_read(reply, "(ss)", &file, &message)) > 0) {
                fprintf(stderr, "%s\n", message);
                n++;
        }
        if (r < 0)
                return bus_log_error(NULL, r, "read the reply");
        if (n > 0) {
                fprintf(stderr, "%zu policy file%s failed to load; %s kept the old version. Fix %s and run "
                                "'pgsandbox reload' again.\n", n, n == 1 ? "" : "s", n == 1 ? "its sandbox" : "their sandboxes",
                        n == 1 ? "it" : "them");
                return 1;
        }
        printf("Reloaded the policies.\n");
        return 0;
}
