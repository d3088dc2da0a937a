/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* pgsandbox history TARGET: the death records of the sandbox's past runs,
 * newest first (GetHistory): when each ran, how long, why it ended, the
 * evidence, and its memory peak. */
#include <getopt.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "bus-util.h"
#include "json.h"
#include "terminal.h"
#include "time-util.h"
#include "verbs.h"

static void history_help(FILE *f) {
        fprintf(f,
                "Usage: pgsandbox history [--json] TARGET\n"
                "\n"
                "Lists how the sandbox's last runs (up to 100) ended, newest first: the run's\n"
                "task id, start time, duration, crash reason (empty: a clean end), the\n"
                "evidence behind it, and the memory peak where the host measures it.\n"
                "'pgsandbox logs --run N TARGET' shows a run's output. Any user may run it.\n"
                "\n"
                "Options:\n"
                "  -h --help          Show this help\n"
                "     --json          One JSON object per run, one per line\n"
                "     --bus ADDRESS   Talk to pgsandboxd at ADDRESS\n"
                "\n"
                "Exit status: 0 on success, 1 if the sandbox is not found, 2 on a usage error.\n");
}

static void format_when(uint64_t usec, char *buf, size_t len) {
        time_t t = (time_t) (usec / USEC_PER_SEC);
        struct tm tm;
        if (usec == 0 || !localtime_r(&t, &tm) || strftime(buf, len, "%Y-%m-%d %H:%M:%S", &tm) == 0)
                snprintf(buf, len, "-");
}

static void format_bytes(uint64_t b, char *buf, size_t len) {
        if (b == UINT64_MAX)
                snprintf(buf, len, "-");
        else if (b >= (1ULL << 30))
                snprintf(buf, len, "%.1fG", (double) b / (1ULL << 30));
        else if (b >= (1ULL << 20))
                snprintf(buf, len, "%.1fM", (double) b / (1ULL << 20));
        else
                snprintf(buf, len, "%lluK", (unsigned long long) (b >> 10));
}

int verb_history(int argc, char *argv[]) {
        enum { ARG_JSON = 0x100, ARG_BUS };
        static const struct option options[] = {
                { "help", no_argument, NULL, 'h' },
                { "json", no_argument, NULL, ARG_JSON },
                { "bus", required_argument, NULL, ARG_BUS },
                {},
        };
        bool json = false;
        int c, r;

        while ((c = getopt_long(argc, argv, "h", options, NULL)) >= 0)
                switch (c) {
                case 'h':
                        history_help(stdout);
                        return 0;
                case ARG_JSON:
                        json = true;
                        break;
                case ARG_BUS:
                        arg_bus = optarg;
                        break;
                default:
                        fprintf(stderr, "Run 'pgsandbox history --help' for usage.\n");
                        return EXIT_USAGE;
                }
        if (optind + 1 != argc) {
                fprintf(stderr, "pgsandbox history: name one sandbox (see 'pgsandbox ps').\n");
                return EXIT_USAGE;
        }

        _cleanup_(sd_bus_flush_close_unrefp) sd_bus *bus = NULL;
        _cleanup_(sd_bus_error_free) sd_bus_error error = SD_BUS_ERROR_NULL;
        _cleanup_(sd_bus_message_unrefp) sd_bus_message *reply = NULL;
        if (bus_connect(&bus) < 0)
                return 1;
        r = sd_bus_call_method(bus, NULL, PGS_BUS_PATH, PGS_BUS_INTERFACE, "GetHistory", &error, &reply, "s",
                               argv[optind]);
        if (r < 0)
                return bus_log_error(&error, r, "get the history");
        r = sd_bus_message_enter_container(reply, 'a', "(tttssstt)");
        if (r < 0)
                return bus_log_error(&error, r, "read the history");

        bool colors = !json && terminal_colors(stdout);
        if (!json)
                printf("%s%-6s %-19s %-10s %s%s\n", colors ? ANSI_BOLD : "", "RUN", "STARTED", "DURATION", "ENDED BY",
                       colors ? ANSI_NORMAL : "");
        size_t n = 0;
        for (;;) {
                uint64_t task, started, ended, mem, pids;
                const char *kind, *reason, *evidence;
                r = sd_bus_message_read(reply, "(tttssstt)", &task, &started, &ended, &kind, &reason, &evidence, &mem,
                                        &pids);
                if (r < 0)
                        return bus_log_error(&error, r, "read the history");
                if (r == 0)
                        break;
                n++;
                if (json) {
                        JsonWriter w = json_writer(stdout);
                        json_begin_object(&w, NULL);
                        json_unsigned(&w, "Run", task);
                        json_unsigned(&w, "StartedAt", started);
                        json_unsigned(&w, "EndedAt", ended);
                        json_string(&w, "CrashKind", kind);
                        json_string(&w, "CrashReason", reason);
                        json_string(&w, "CrashEvidence", evidence);
                        json_unsigned_or_null(&w, "MemoryPeak", mem);
                        json_unsigned_or_null(&w, "PidsPeak", pids);
                        json_end_object(&w);
                        json_newline(&w);
                        continue;
                }
                char when[32], span[FORMAT_TIMESPAN_MAX], peak[32];
                format_when(started, when, sizeof when);
                usec_t d = ended > started && started > 0 ? ended - started : 0;
                format_timespan(span, sizeof span, d - d % USEC_PER_MSEC);
                format_bytes(mem, peak, sizeof peak);
                printf("%-6llu %-19s %-10s %s%s%s\n", (unsigned long long) task, when, span,
                       colors && *reason ? ANSI_RED : "", *reason ? reason : "exited cleanly",
                       colors && *reason ? ANSI_NORMAL : "");
                if (*evidence)
                        printf("%-6s %s%s%s\n", "", colors ? ANSI_GREY : "", evidence, colors ? ANSI_NORMAL : "");
                if (mem != UINT64_MAX)
                        printf("%-6s memory peak %s\n", "", peak);
        }
        if (!json && n == 0)
                printf("(no run has ended yet)\n");
        return fflush(stdout) == 0 ? 0 : 1;
}
