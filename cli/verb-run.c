/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* pgsandbox run [OPTIONS] -- CMD ARGS...: a transient sandbox with the
 * default isolation, like systemd-run; --wait waits for it to end and exits
 * with its status. */
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>

#include "bus-util.h"
#include "lifecycle.h"
#include "policy-values.h"
#include "policy.h"
#include "run-wait.h"
#include "ps-format.h"
#include "strv.h"
#include "verbs.h"

static void run_help(FILE *f) {
        fprintf(f,
                "Usage: pgsandbox run [OPTIONS] [--] COMMAND [ARGS...]\n"
                "\n"
                "Runs COMMAND in a new transient sandbox with the default isolation (new\n"
                "pid, mount, network, IPC, UTS and cgroup namespaces, the default seccomp\n"
                "profile, no restart). COMMAND is looked up in $PATH when it has no '/'.\n"
                "Needs root.\n"
                "\n"
                "Options:\n"
                "  -h --help               Show this help\n"
                "     --name NAME          Name the sandbox (default: run-<id prefix>)\n"
                "     --memory-max SIZE    Memory limit: bytes or K, M, G, T (base 1024)\n"
                "     --pids-max N         Limit on processes and threads\n"
                "     --seccomp PROFILE    default, strict or none\n"
                "     --wait               Wait until it ends; print its crash reason and\n"
                "                          exit with its status (exit code N: N; killed by\n"
                "                          signal S: 128+S; any other failure: 1)\n"
                "     --bus ADDRESS        Talk to pgsandboxd at ADDRESS\n"
                "\n"
                "Without --wait, prints the sandbox's name and exits 0 once it has started.\n"
                "Exit status: 1 if it could not be started, 2 on a usage error.\n");
}

/* COMMAND as an absolute path: as given if it has a '/', else from $PATH. */
static int find_command(const char *cmd, char **ret) {
        if (strchr(cmd, '/')) {
                if (cmd[0] == '/')
                        return (*ret = strdup(cmd)) ? 0 : -ENOMEM;
                return (*ret = realpath(cmd, NULL)) ? 0 : -errno;
        }
        const char *path = getenv("PATH") ?: "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";
        while (*path) {
                size_t n = strcspn(path, ":");
                _cleanup_free_ char *p = NULL;
                if (n > 0 && path[0] == '/' && asprintf(&p, "%.*s/%s", (int) n, path, cmd) >= 0 &&
                    access(p, X_OK) == 0) {
                        *ret = TAKE_PTR(p);
                        return 0;
                }
                path += n + (path[n] == ':');
        }
        return -ENOENT;
}

typedef struct RunArgs {
        const char *name, *seccomp;
        uint64_t memory_max, pids_max;
        bool wait, help;
} RunArgs;

static int parse_run_args(int argc, char *argv[], RunArgs *a) {
        enum { ARG_NAME = 0x100, ARG_MEMORY_MAX, ARG_PIDS_MAX, ARG_SECCOMP, ARG_WAIT, ARG_BUS };
        static const struct option options[] = {
                { "help", no_argument, NULL, 'h' },
                { "name", required_argument, NULL, ARG_NAME },
                { "memory-max", required_argument, NULL, ARG_MEMORY_MAX },
                { "pids-max", required_argument, NULL, ARG_PIDS_MAX },
                { "seccomp", required_argument, NULL, ARG_SECCOMP },
                { "wait", no_argument, NULL, ARG_WAIT },
                { "bus", required_argument, NULL, ARG_BUS },
                {},
        };
        int c;

        *a = (RunArgs) { .memory_max = UINT64_MAX, .pids_max = UINT64_MAX };
        /* "+": stop at COMMAND, whose options are its own. */
        while ((c = getopt_long(argc, argv, "+h", options, NULL)) >= 0)
                switch (c) {
                case 'h':
                        a->help = true;
                        return 0;
                case ARG_NAME:
                        if (!policy_name_is_valid(optarg, NULL)) {
                                fprintf(stderr, "Invalid sandbox name '%s': use letters, digits, '-', '_' and "
                                                "'.'.\n", optarg);
                                return -EINVAL;
                        }
                        a->name = optarg;
                        break;
                case ARG_MEMORY_MAX:
                        if (parse_size(optarg, &a->memory_max) < 0 || a->memory_max == UINT64_MAX) {
                                fprintf(stderr, "Invalid --memory-max '%s': give bytes or a size such as 64M "
                                                "or 1G.\n", optarg);
                                return -EINVAL;
                        }
                        break;
                case ARG_PIDS_MAX:
                        if (parse_uint64(optarg, &a->pids_max) < 0 || a->pids_max == 0 ||
                            a->pids_max == UINT64_MAX) {
                                fprintf(stderr, "Invalid --pids-max '%s': give a positive number.\n", optarg);
                                return -EINVAL;
                        }
                        break;
                case ARG_SECCOMP:
                        if (policy_seccomp_profile_from_string(optarg) < 0) {
                                fprintf(stderr, "Unknown seccomp profile '%s': use default, strict or none.\n",
                                        optarg);
                                return -EINVAL;
                        }
                        a->seccomp = optarg;
                        break;
                case ARG_WAIT:
                        a->wait = true;
                        break;
                case ARG_BUS:
                        arg_bus = optarg;
                        break;
                default:
                        fprintf(stderr, "Run 'pgsandbox run --help' for usage.\n");
                        return -EINVAL;
                }
        if (optind >= argc) {
                fprintf(stderr, "pgsandbox run: no command given. Example: pgsandbox run --wait -- /bin/echo hi\n");
                return -EINVAL;
        }
        return 0;
}

static int build_call(sd_bus *bus, char **cmd, const RunArgs *a, sd_bus_message **ret) {
        _cleanup_(sd_bus_message_unrefp) sd_bus_message *m = NULL;
        int r = sd_bus_message_new_method_call(bus, &m, NULL, PGS_BUS_PATH, PGS_BUS_INTERFACE, "Run");
        if (r >= 0)
                r = sd_bus_message_append_strv(m, cmd);
        if (r >= 0)
                r = sd_bus_message_open_container(m, 'a', "{sv}");
        if (r >= 0 && a->name)
                r = sd_bus_message_append(m, "{sv}", "Name", "s", a->name);
        if (r >= 0 && a->memory_max != UINT64_MAX)
                r = sd_bus_message_append(m, "{sv}", "MemoryMax", "t", a->memory_max);
        if (r >= 0 && a->pids_max != UINT64_MAX)
                r = sd_bus_message_append(m, "{sv}", "PidsMax", "t", a->pids_max);
        if (r >= 0 && a->seccomp)
                r = sd_bus_message_append(m, "{sv}", "Seccomp", "s", a->seccomp);
        if (r >= 0)
                r = sd_bus_message_close_container(m);
        if (r < 0)
                return r;
        *ret = TAKE_PTR(m);
        return 0;
}

static int wait_for_end(sd_bus *bus, RunWait *w, const char *name, const RunEvent **ret_end,
                        const RunEvent **ret_crash) {
        int r;
        while (!(*ret_end = run_wait_end(w, name, ret_crash))) {
                r = sd_bus_process(bus, NULL);
                if (r < 0)
                        return r;
                if (r > 0)
                        continue;
                r = sd_bus_wait(bus, UINT64_MAX);
                if (r < 0)
                        return r;
        }
        return 0;
}

static int report_end(const char *name, const RunEvent *end, const RunEvent *crash, usec_t took) {
        _cleanup_free_ char *from_status = crash ? NULL : status_summary_reason(end->text);
        const char *reason = crash ? crash->text : from_status;
        char t[FORMAT_SHORT_MAX];
        int ret = run_exit_status(reason);

        if (ret == 0 && streq(end->state, "Failed"))
                ret = 1;
        format_span_short(t, took);
        if (ret == 0) {
                fprintf(stderr, "Service %s finished: %s (ran %s)\n", name, end->text, t);
                return 0;
        }
        fprintf(stderr, "Service %s crashed: %s\n", name, reason ?: end->text);
        if (crash && crash->evidence && *crash->evidence)
                fprintf(stderr, "Evidence: %s\n", crash->evidence);
        fprintf(stderr, "Ran %s; exit status %d.\n", t, ret);
        return ret;
}

int verb_run(int argc, char *argv[]) {
        _cleanup_(sd_bus_flush_close_unrefp) sd_bus *bus = NULL;
        _cleanup_(sd_bus_message_unrefp) sd_bus_message *call = NULL, *reply = NULL;
        _cleanup_(sd_bus_error_free) sd_bus_error error = SD_BUS_ERROR_NULL;
        _cleanup_strv_free_ char **cmd = NULL;
        _cleanup_free_ char *exe = NULL;
        RunWait w = {};
        RunArgs a;
        int r;

        r = parse_run_args(argc, argv, &a);
        if (r < 0)
                return EXIT_USAGE;
        if (a.help) {
                run_help(stdout);
                return 0;
        }
        r = find_command(argv[optind], &exe);
        if (r < 0) {
                fprintf(stderr, "Command '%s' not found%s: give an absolute path.\n", argv[optind],
                        strchr(argv[optind], '/') ? "" : " in $PATH");
                return 1;
        }
        if (strv_extend(&cmd, exe) < 0)
                return bus_log_error(NULL, -ENOMEM, "build the request");
        for (int k = optind + 1; k < argc; k++)
                if (strv_extend(&cmd, argv[k]) < 0)
                        return bus_log_error(NULL, -ENOMEM, "build the request");

        if (bus_connect(&bus) < 0)
                return 1;
        r = build_call(bus, cmd, &a, &call);
        if (r < 0)
                return bus_log_error(NULL, r, "build the request");
        if (a.wait) {
                /* Before Run: the run may end before its reply arrives. */
                r = sd_bus_match_signal(bus, NULL, NULL, PGS_BUS_PATH, PGS_BUS_INTERFACE, "StateChanged",
                                        run_wait_on_state_changed, &w);
                if (r >= 0)
                        r = sd_bus_match_signal(bus, NULL, NULL, PGS_BUS_PATH, PGS_BUS_INTERFACE, "Crashed",
                                                run_wait_on_crashed, &w);
                if (r < 0)
                        return bus_log_error(NULL, r, "watch the sandbox");
        }
        usec_t begin = now_usec(CLOCK_MONOTONIC);
        r = sd_bus_call(bus, call, 0, &error, &reply);
        if (r < 0) {
                run_wait_done(&w);
                return bus_log_error(&error, r, "run the sandbox");
        }
        const char *name;
        r = sd_bus_message_read(reply, "s", &name);
        if (r < 0) {
                run_wait_done(&w);
                return bus_log_error(NULL, r, "read the reply");
        }
        if (!a.wait) {
                printf("%s\n", name);
                return 0;
        }
        fprintf(stderr, "Running as sandbox %s\n", name);
        const RunEvent *end, *crash;
        r = wait_for_end(bus, &w, name, &end, &crash);
        if (r < 0)
                r = bus_log_error(NULL, r, "wait for the sandbox");
        else
                r = report_end(name, end, crash, now_usec(CLOCK_MONOTONIC) - begin);
        run_wait_done(&w);
        return r;
}
