/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* pgsandbox status TARGET...: one screen per sandbox, like systemctl status. */
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "bus-util.h"
#include "json.h"
#include "log-tail.h"
#include "policy.h"
#include "sandbox-info.h"
#include "status-format.h"
#include "strv.h"
#include "terminal.h"
#include "verbs.h"

static void status_help(FILE *f) {
        fprintf(f,
                "Usage: pgsandbox status [--json] TARGET...\n"
                "\n"
                "Shows one sandbox: name, id, policy file, state and status summary, restart\n"
                "policy and restarts, next restart, main PID and task id, uptime, memory\n"
                "(current, peak, limit), tasks (current, limit), CPU time, tags, namespaces,\n"
                "seccomp profile, capabilities, and the last crash with its evidence and\n"
                "time, and the last 10 lines of its output. A TARGET is a name, a service id\n"
                "or a unique id prefix. Any user may run it (the log needs read access to\n"
                "the log file, normally root).\n"
                "\n"
                "Options:\n"
                "  -h --help          Show this help\n"
                "     --json          Print each sandbox as a JSON object (one per line)\n"
                "     --bus ADDRESS   Talk to pgsandboxd at ADDRESS\n"
                "\n"
                "Exit status: 0 if every sandbox was shown, 1 if any was not found, 2 on a\n"
                "usage error.\n");
}

/* The last lines of the service's output, or why they cannot be shown. */
static void print_log_tail(const SandboxInfo *i) {
        _cleanup_strv_free_ char **lines = NULL;
        if (!i->log_file || !*i->log_file)
                return;
        int r = log_tail(i->log_file, 10, &lines);
        if (r < 0) {
                printf("\nLog: %s (cannot read it: %s%s)\n", i->log_file, strerror(-r),
                       r == -EACCES ? "; run as root to see it" : "");
                return;
        }
        printf("\nLog (%s, the last lines):\n", i->log_file);
        STRV_FOREACH(l, lines)
                printf("  %s\n", *l);
        if (strv_length(lines) == 0)
                printf("  (no output yet)\n");
}

/* What the API does not say (namespaces, seccomp, capabilities) comes from
 * the policy file when we can read it; not being able to is no error. */
static Policy *load_policy(const SandboxInfo *i) {
        Policy *p = NULL;
        PolicyError e = {};
        if (!i->policy_file || !*i->policy_file)
                return NULL;
        if (policy_load_file(i->policy_file, &p, &e) < 0) {
                policy_error_done(&e);
                return NULL;
        }
        return p;
}

int verb_status(int argc, char *argv[]) {
        enum { ARG_JSON = 0x100, ARG_BUS };
        static const struct option options[] = {
                { "help", no_argument, NULL, 'h' },
                { "json", no_argument, NULL, ARG_JSON },
                { "bus", required_argument, NULL, ARG_BUS },
                {},
        };
        bool json = false;
        int c, ret = 0;

        while ((c = getopt_long(argc, argv, "h", options, NULL)) >= 0)
                switch (c) {
                case 'h':
                        status_help(stdout);
                        return 0;
                case ARG_JSON:
                        json = true;
                        break;
                case ARG_BUS:
                        arg_bus = optarg;
                        break;
                default:
                        fprintf(stderr, "Run 'pgsandbox status --help' for usage.\n");
                        return EXIT_USAGE;
                }
        if (optind >= argc) {
                fprintf(stderr, "pgsandbox status: no sandbox given: name one (see 'pgsandbox ps').\n");
                return EXIT_USAGE;
        }

        _cleanup_(sd_bus_flush_close_unrefp) sd_bus *bus = NULL;
        if (bus_connect(&bus) < 0)
                return 1;
        for (int k = optind; k < argc; k++) {
                _cleanup_(sd_bus_error_free) sd_bus_error error = SD_BUS_ERROR_NULL;
                _cleanup_(sandbox_info_freep) SandboxInfo *i = NULL;
                int r = sandbox_get(bus, argv[k], &i, &error);
                if (r < 0) {
                        ret = bus_log_error(&error, r, "get the sandbox");
                        continue;
                }
                if (json) {
                        JsonWriter w = json_writer(stdout);
                        sandbox_info_json(i, &w);
                        json_newline(&w);
                        continue;
                }
                _cleanup_(policy_freep) Policy *p = load_policy(i);
                if (k > optind)
                        fputc('\n', stdout);
                status_print(stdout, i, p, now_usec(CLOCK_REALTIME), terminal_colors(stdout));
                print_log_tail(i);
        }
        if (ret != 0 && !json)
                fprintf(stderr, "'pgsandbox ps' lists the sandboxes.\n");
        return fflush(stdout) == 0 ? ret : 1;
}
