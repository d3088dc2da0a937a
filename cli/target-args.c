/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "bus-util.h"
#include "strv.h"
#include "target-args.h"

void target_args_done(TargetArgs *a) {
        a->targets = strv_free(a->targets);
}

/* "-9", "-KILL", "-SIGINT": a signal written as an option, as kill(1) takes it. */
static bool looks_like_signal_option(const char *s) {
        if (s[0] != '-' || s[1] == '-' || s[1] == 0)
                return false;
        if (s[1] >= '0' && s[1] <= '9')
                return true;
        return strspn(s + 1, "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789+") == strlen(s + 1) && strlen(s + 1) >= 2;
}

static int set_signal(TargetArgs *a, const char *s, char **ret_error) {
        KillSignal sig = kill_signal_from_string(s);
        if (sig < 0) {
                if (asprintf(ret_error,
                             "Unknown signal '%s': use TERM, KILL or INT (or 15, 9, 2; -9, SIGKILL and kill "
                             "work too).", s) < 0)
                        return -ENOMEM;
                return -EINVAL;
        }
        a->signal = sig;
        return 0;
}

int target_args_parse(int argc, char *argv[], bool with_signal, TargetArgs *ret, char **ret_error) {
        enum { ARG_JSON = 0x100, ARG_BUS, ARG_TAG };
        static const struct option options[] = {
                { "help", no_argument, NULL, 'h' },
                { "json", no_argument, NULL, ARG_JSON },
                { "bus", required_argument, NULL, ARG_BUS },
                { "tag", required_argument, NULL, ARG_TAG },
                { "signal", required_argument, NULL, 's' },
                {},
        };
        _cleanup_free_ char **args = calloc(argc + 1, sizeof(char *));
        TargetArgs a = { .signal = KILL_SIGNAL_TERMINATE };
        int n = 0, c, r;

        *ret_error = NULL;
        if (!args)
                return -ENOMEM;
        /* Take the -9 style signals out first: getopt would read "-15" as the
         * options 1 and 5. The word after -s is its argument, not a signal. */
        for (int i = 0; i < argc; i++) {
                if (i > 0 && with_signal && looks_like_signal_option(argv[i]) &&
                    !(i > 1 && (streq(argv[i - 1], "-s") || streq(argv[i - 1], "--signal")))) {
                        r = set_signal(&a, argv[i], ret_error);
                        if (r < 0)
                                return r;
                        continue;
                }
                args[n++] = argv[i];
                if (streq(argv[i], "--")) {
                        while (++i < argc)
                                args[n++] = argv[i];
                }
        }

        /* GNU getopt permutes: options may come after targets ("kill web -s
         * KILL"), and everything after "--" is a target. */
        optind = 0;
        opterr = 0;
        while ((c = getopt_long(n, args, with_signal ? ":hs:" : ":h", options, NULL)) >= 0)
                switch (c) {
                case 'h':
                        a.help = true;
                        break;
                case 's':
                        if (!with_signal)
                                goto unknown;
                        r = set_signal(&a, optarg, ret_error);
                        if (r < 0)
                                goto fail;
                        break;
                case ARG_JSON:
                        a.json = true;
                        break;
                case ARG_BUS:
                        arg_bus = optarg;
                        break;
                case ARG_TAG:
                        if (!*optarg) {
                                r = asprintf(ret_error, "--tag needs a tag name.") < 0 ? -ENOMEM : -EINVAL;
                                goto fail;
                        }
                        if ((r = targets_add_tag(&a.targets, optarg)) < 0)
                                goto fail;
                        break;
                case ':':
                        r = asprintf(ret_error, "Option '%s' needs an argument.", args[optind - 1]) < 0 ? -ENOMEM
                                                                                                      : -EINVAL;
                        goto fail;
                default:
                unknown:
                        if (optopt && optopt < 0x100)
                                r = asprintf(ret_error, "Unknown option '-%c'.", optopt);
                        else
                                r = asprintf(ret_error, "Unknown option '%s'.", args[optind - 1]);
                        r = r < 0 ? -ENOMEM : -EINVAL;
                        goto fail;
                }
        for (int i = optind; i < n; i++)
                if ((r = strv_extend(&a.targets, args[i])) < 0)
                        goto fail;
        if (!a.help && strv_length(a.targets) == 0) {
                r = asprintf(ret_error, "No sandbox given: name one or more (a name, a service id, a unique id "
                                        "prefix, or --tag TAG).") < 0 ? -ENOMEM : -EINVAL;
                goto fail;
        }
        *ret = a;
        return 0;
fail:
        target_args_done(&a);
        return r;
}
