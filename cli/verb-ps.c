/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* pgsandbox ps: the sandboxes as the origin design's table, wider with
 * -o wide, as JSON with --json, with their process trees with --tree. */
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "bus-util.h"
#include "lifecycle.h"
#include "proc-tree.h"
#include "ps-format.h"
#include "sandbox-info.h"
#include "terminal.h"
#include "verbs.h"

static void ps_help(FILE *f) {
        fprintf(f,
                "Usage: pgsandbox ps [OPTIONS]\n"
                "\n"
                "Lists the sandboxes pgsandboxd supervises, sorted by name: service id,\n"
                "name, lifecycle state and status summary (with the crash reason and the\n"
                "restart count, e.g. \"Failed (Exit code: 1) [restarts: 2]\").\n"
                "\n"
                "Options:\n"
                "  -h --help           Show this help\n"
                "     --state STATE    Only sandboxes in STATE (Starting, Running, Stopping,\n"
                "                      Stopped, Failed, Restarting; any case)\n"
                "     --tag TAG        Only sandboxes with the tag TAG\n"
                "  -o --output FORMAT  'wide': add restart policy, main PID, uptime, memory\n"
                "                      (current/limit), pids (current/limit) and CPU time;\n"
                "                      'json': the same as --json\n"
                "     --json           Print a JSON array with every field (see pgsandbox(1))\n"
                "     --tree           Show each running sandbox's processes as a tree\n"
                "     --no-legend      Do not print the header and the separator\n"
                "  -l --full           Do not cut lines to the terminal width\n"
                "     --bus ADDRESS    Talk to pgsandboxd at ADDRESS (default: $PGSANDBOX_BUS,\n"
                "                      then unix:path=/run/pgsandbox/bus)\n"
                "\n"
                "Exit status: 0 on success, 1 if pgsandboxd cannot be reached, 2 on a usage\n"
                "error.\n");
}

/* The table as usual, each row followed by its sandbox's process tree. */
static int print_with_trees(SandboxInfo **v, const PsOptions *o) {
        _cleanup_free_ char *buf = NULL;
        size_t size = 0, row = 0;
        FILE *m = open_memstream(&buf, &size);
        int r;

        if (!m)
                return -ENOMEM;
        r = ps_print_table(m, v, o);
        if (fclose(m) != 0 || r < 0)
                return r < 0 ? r : -ENOMEM;
        size_t legend = o->legend ? 2 : 0, line = 0;
        for (char *p = buf, *nl; *p; p = nl + 1, line++) {
                nl = strchrnul(p, '\n');
                fwrite(p, 1, (size_t) (nl - p), stdout);
                fputc('\n', stdout);
                if (line >= legend && v[row]) {
                        if (v[row]->main_pid > 0 && (r = proc_tree_print(stdout, (pid_t) v[row]->main_pid, o->width)) < 0)
                                return r;
                        row++;
                }
                if (!*nl)
                        break;
        }
        return 0;
}

int verb_ps(int argc, char *argv[]) {
        enum { ARG_STATE = 0x100, ARG_TAG, ARG_JSON, ARG_TREE, ARG_NO_LEGEND, ARG_BUS };
        static const struct option options[] = {
                { "help", no_argument, NULL, 'h' },
                { "state", required_argument, NULL, ARG_STATE },
                { "tag", required_argument, NULL, ARG_TAG },
                { "output", required_argument, NULL, 'o' },
                { "json", no_argument, NULL, ARG_JSON },
                { "tree", no_argument, NULL, ARG_TREE },
                { "no-legend", no_argument, NULL, ARG_NO_LEGEND },
                { "full", no_argument, NULL, 'l' },
                { "bus", required_argument, NULL, ARG_BUS },
                {},
        };
        const char *state = NULL, *tag = NULL;
        bool json = false, wide = false, tree = false, legend = true, full = false;
        int c, r;

        while ((c = getopt_long(argc, argv, "ho:l", options, NULL)) >= 0)
                switch (c) {
                case 'h':
                        ps_help(stdout);
                        return 0;
                case ARG_STATE:
                        if (lifecycle_state_from_string(optarg) < 0) {
                                fprintf(stderr, "Unknown state '%s': use Starting, Running, Stopping, Stopped, "
                                                "Failed or Restarting.\n", optarg);
                                return EXIT_USAGE;
                        }
                        state = optarg;
                        break;
                case ARG_TAG:
                        tag = optarg;
                        break;
                case 'o':
                        if (streq(optarg, "wide"))
                                wide = true;
                        else if (streq(optarg, "json"))
                                json = true;
                        else {
                                fprintf(stderr, "Unknown output format '%s': use -o wide or -o json.\n", optarg);
                                return EXIT_USAGE;
                        }
                        break;
                case ARG_JSON:
                        json = true;
                        break;
                case ARG_TREE:
                        tree = true;
                        break;
                case ARG_NO_LEGEND:
                        legend = false;
                        break;
                case 'l':
                        full = true;
                        break;
                case ARG_BUS:
                        arg_bus = optarg;
                        break;
                default:
                        fprintf(stderr, "Run 'pgsandbox ps --help' for usage.\n");
                        return EXIT_USAGE;
                }
        if (optind < argc) {
                fprintf(stderr, "pgsandbox ps takes no arguments ('%s'); to see one sandbox, run "
                                "'pgsandbox status %s'.\n", argv[optind], argv[optind]);
                return EXIT_USAGE;
        }

        _cleanup_(sd_bus_flush_close_unrefp) sd_bus *bus = NULL;
        _cleanup_(sd_bus_error_free) sd_bus_error error = SD_BUS_ERROR_NULL;
        _cleanup_(sandbox_info_array_freep) SandboxInfo **v = NULL;

        if (bus_connect(&bus) < 0)
                return 1;
        r = sandbox_list(bus, &v, &error);
        if (r < 0)
                return bus_log_error(&error, r, "list the sandboxes");
        sandbox_info_array_filter(v, state, tag);

        if (json) {
                ps_print_json(stdout, v);
                return fflush(stdout) == 0 ? 0 : 1;
        }
        PsOptions o = {
                .wide = wide,
                .legend = legend,
                .colors = terminal_colors(stdout),
                .width = full ? 0 : terminal_columns(stdout),
                .now = now_usec(CLOCK_REALTIME),
        };
        r = tree ? print_with_trees(v, &o) : ps_print_table(stdout, v, &o);
        if (r < 0) {
                fprintf(stderr, "Failed to format the table: %s\n", strerror(-r));
                return 1;
        }
        return fflush(stdout) == 0 ? 0 : 1;
}
