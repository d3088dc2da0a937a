/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* pgsandboxd: argv -> run(). */
#include <getopt.h>
#include <stdio.h>
#include <string.h>
#include <sys/resource.h>
#include <syslog.h>

#include "log.h"
#include "manager.h"

#ifndef PGS_VERSION
#define PGS_VERSION "unknown"
#endif
#ifndef PGS_MONITOR_PATH
#define PGS_MONITOR_PATH "/usr/libexec/pgsandbox/pgsandbox-monitor"
#endif

static const char *arg_policy_dir = "/etc/pgsandbox/policies.d";
static const char *arg_runtime_dir = "/run/pgsandbox";
static const char *arg_state_dir = "/var/lib/pgsandbox";
static const char *arg_cgroup_root = NULL;
static bool arg_cgroup_delegated = false;
static const char *arg_monitor = PGS_MONITOR_PATH;

static void help(void) {
        printf("Usage: pgsandboxd [OPTIONS]\n"
               "\n"
               "Supervise the services declared in policy files, each in its own sandbox.\n"
               "\n"
               "  -h --help                 Show this help and exit\n"
               "     --version              Show the version and exit\n"
               "     --policy-dir=DIR       Policy files (*.policy) to load [%s]\n"
               "     --runtime-dir=DIR      Runtime directory; the API socket is DIR/bus [%s]\n"
               "     --state-dir=DIR        Persistent state and logs [%s]\n"
               "     --cgroup-root=PATH     cgroup v2 directory for the sandboxes, relative to\n"
               "                            the cgroup2 mount or absolute [pgsandbox]\n"
               "     --cgroup-delegated     Our own cgroup is delegated to us (systemd\n"
               "                            Delegate=yes): move into <own>/supervisor and\n"
               "                            create the sandboxes beside it\n"
               "     --monitor=PATH         The per-sandbox monitor binary [%s]\n"
               "  -v --verbose              Log debug messages\n"
               "\n"
               "Signals: TERM and INT stop the daemon; the sandboxes keep running, and the\n"
               "next pgsandboxd takes them over. HUP reloads the policies.\n",
               arg_policy_dir, arg_runtime_dir, arg_state_dir, arg_monitor);
}

static int parse_argv(int argc, char *argv[]) {
        enum { ARG_VERSION = 0x100, ARG_POLICY_DIR, ARG_RUNTIME_DIR, ARG_STATE_DIR, ARG_CGROUP_ROOT,
               ARG_CGROUP_DELEGATED, ARG_MONITOR };
        static const struct option options[] = {
                { "help", no_argument, NULL, 'h' },
                { "version", no_argument, NULL, ARG_VERSION },
                { "policy-dir", required_argument, NULL, ARG_POLICY_DIR },
                { "runtime-dir", required_argument, NULL, ARG_RUNTIME_DIR },
                { "state-dir", required_argument, NULL, ARG_STATE_DIR },
                { "cgroup-root", required_argument, NULL, ARG_CGROUP_ROOT },
                { "cgroup-delegated", no_argument, NULL, ARG_CGROUP_DELEGATED },
                { "monitor", required_argument, NULL, ARG_MONITOR },
                { "verbose", no_argument, NULL, 'v' },
                {},
        };
        int c;

        while ((c = getopt_long(argc, argv, "hv", options, NULL)) >= 0)
                switch (c) {
                case 'h':
                        help();
                        return 0;
                case ARG_VERSION:
                        printf("pgsandboxd %s\n", PGS_VERSION);
                        return 0;
                case ARG_POLICY_DIR:
                        arg_policy_dir = optarg;
                        break;
                case ARG_RUNTIME_DIR:
                        arg_runtime_dir = optarg;
                        break;
                case ARG_STATE_DIR:
                        arg_state_dir = optarg;
                        break;
                case ARG_CGROUP_ROOT:
                        arg_cgroup_root = optarg;
                        break;
                case ARG_CGROUP_DELEGATED:
                        arg_cgroup_delegated = true;
                        break;
                case ARG_MONITOR:
                        arg_monitor = optarg;
                        break;
                case 'v':
                        log_set_max_level(LOG_DEBUG);
                        break;
                default:
                        fprintf(stderr, "Run 'pgsandboxd --help' for usage.\n");
                        return -EINVAL;
                }
        if (optind < argc) {
                fprintf(stderr, "pgsandboxd: unexpected argument '%s'. Run 'pgsandboxd --help' for usage.\n",
                        argv[optind]);
                return -EINVAL;
        }
        return 1;
}

static int run(int argc, char *argv[]) {
        _cleanup_(manager_freep) Manager *m = NULL;
        int r;

        r = parse_argv(argc, argv);
        if (r <= 0)
                return r;
        if (geteuid() != 0)
                return log_error_errno(EPERM, "pgsandboxd must run as root: it creates namespaces and cgroups.");

        /* Each sandbox holds a few fds (pidfds, its channel, its cgroup
         * directories): 1000 sandboxes need more than the soft default of
         * 1024. The hard limit is ours to take. */
        struct rlimit nofile;
        if (getrlimit(RLIMIT_NOFILE, &nofile) >= 0 && nofile.rlim_cur < nofile.rlim_max) {
                nofile.rlim_cur = nofile.rlim_max;
                (void) setrlimit(RLIMIT_NOFILE, &nofile);
        }

        ManagerConfig config = {
                .policy_dir = arg_policy_dir,
                .runtime_dir = arg_runtime_dir,
                .state_dir = arg_state_dir,
                .cgroup_root = arg_cgroup_root,
                .cgroup_delegated = arg_cgroup_delegated,
                .monitor_path = arg_monitor,
        };
        r = manager_new(&config, &m);
        if (r < 0)
                return r;
        r = manager_startup(m);
        if (r < 0)
                return r;
        return manager_run(m);
}

int main(int argc, char *argv[]) {
        log_set_prefix("pgsandboxd");
        int r = run(argc, argv);
        return r < 0 ? (r == -EINVAL ? 2 : 1) : 0;
}
