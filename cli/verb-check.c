/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* pgsandbox check [--json] PATH...: validates policy files without a daemon
 * and prints the effective policies (defaults filled in) or the errors. */
#include <getopt.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include "policy.h"
#include "strv.h"
#include "verbs.h"

static void check_help(FILE *f) {
        fprintf(f,
                "Usage: pgsandbox check [--json] PATH...\n"
                "\n"
                "Validates policy files without a daemon. For each valid file, prints the\n"
                "effective policy with every default filled in (in policy-file syntax, or\n"
                "as JSON with --json); each error is printed to stderr as\n"
                "FILE:LINE:COLUMN: message. A PATH that is a directory stands for the\n"
                "*.policy files in it. Two files with the same service name are an error.\n"
                "\n"
                "Options:\n"
                "  -h --help   Show this help\n"
                "     --json   Print {\"Valid\":…,\"Policies\":[…],\"Errors\":[…]} on stdout\n"
                "\n"
                "Exit status: 0 if every file is valid, 1 if any is not (or cannot be\n"
                "read), 2 on a usage error.\n"
                "See pgsandbox.policy(5) (docs/pgsandbox.policy.5.md) for the syntax.\n");
}

/* Directories become their *.policy files, in order. */
static int expand_paths(char **args, int n, char ***ret) {
        _cleanup_strv_free_ char **paths = calloc(1, sizeof(char *));
        if (!paths)
                return -ENOMEM;
        for (int i = 0; i < n; i++) {
                struct stat st;
                int r;
                if (stat(args[i], &st) >= 0 && S_ISDIR(st.st_mode)) {
                        _cleanup_strv_free_ char **l = NULL;
                        r = policy_list_dir(args[i], &l);
                        if (r < 0) {
                                fprintf(stderr, "%s: cannot read directory: %s\n", args[i], strerror(-r));
                                return r;
                        }
                        if (!l || !l[0]) {
                                /* An empty directory is not a valid set of policies by accident. */
                                fprintf(stderr, "%s: no *.policy files in this directory\n", args[i]);
                                return -ENOENT;
                        }
                        STRV_FOREACH(p, l)
                                if ((r = strv_extend(&paths, *p)) < 0)
                                        return r;
                } else if ((r = strv_extend(&paths, args[i])) < 0)
                        return r;
        }
        *ret = TAKE_PTR(paths);
        return 0;
}

int verb_check(int argc, char *argv[]) {
        enum { ARG_JSON = 0x100 };
        static const struct option options[] = {
                { "help", no_argument, NULL, 'h' },
                { "json", no_argument, NULL, ARG_JSON },
                {},
        };
        bool json = false;
        int c;

        while ((c = getopt_long(argc, argv, "h", options, NULL)) >= 0)
                switch (c) {
                case 'h':
                        check_help(stdout);
                        return 0;
                case ARG_JSON:
                        json = true;
                        break;
                default:
                        fprintf(stderr, "Run 'pgsandbox check --help' for usage.\n");
                        return EXIT_USAGE;
                }
        if (optind >= argc) {
                fprintf(stderr, "pgsandbox check: no policy file given. Run 'pgsandbox check --help' for usage.\n");
                return EXIT_USAGE;
        }

        _cleanup_strv_free_ char **paths = NULL;
        _cleanup_(policy_set_freep) PolicySet *set = NULL;
        int r = expand_paths(argv + optind, argc - optind, &paths);
        if (r >= 0)
                r = policy_load_files(paths, &set);
        if (r < 0) {
                if (r == -ENOMEM)
                        fprintf(stderr, "pgsandbox check: out of memory\n");
                /* Other errors were reported by expand_paths(). */
                return 1;
        }

        for (size_t i = 0; i < set->n_errors; i++) {
                _cleanup_free_ char *line = policy_error_to_string(&set->errors[i]);
                fprintf(stderr, "%s\n", line ?: "out of memory");
        }
        if (json) {
                printf("{\"Valid\":%s,\"Policies\":[", set->n_errors == 0 ? "true" : "false");
                for (size_t i = 0; i < set->n_policies; i++) {
                        fputs(i ? "," : "", stdout);
                        policy_print_json(set->policies[i], stdout);
                }
                fputs("],\"Errors\":[", stdout);
                for (size_t i = 0; i < set->n_errors; i++) {
                        fputs(i ? "," : "", stdout);
                        policy_error_print_json(&set->errors[i], stdout);
                }
                fputs("]}\n", stdout);
        } else
                for (size_t i = 0; i < set->n_policies; i++) {
                        if (i > 0)
                                fputc('\n', stdout);
                        policy_print(set->policies[i], stdout);
                }
        if (fflush(stdout) != 0)
                return 1;
        return set->n_errors == 0 && strv_length(paths) > 0 ? 0 : 1;
}
