/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The CLI's output as pure functions: the ps table (default, -o wide, cut
 * to the terminal, coloured), JSON, status, a top frame, and the parsing of
 * kill's arguments. Every expected line is written out in full. */
#include <time.h>

#include "test-util.h"

#include "json.h"
#include "kill-signal.h"
#include "log-tail.h"
#include "process-list.h"
#include "ps-format.h"
#include "run-wait.h"
#include "sandbox-info.h"
#include "status-format.h"
#include "strv.h"
#include "table.h"
#include "target-args.h"
#include "terminal.h"
#include "top-format.h"
#include "utf8.h"

#define NOW ((usec_t) 1795675600 * USEC_PER_SEC) /* 2026-11-26 06:46:40 UTC */

static SandboxInfo *mk(const char *id, const char *name, const char *state, const char *status,
                       const char *reason) {
        SandboxInfo *i = calloc(1, sizeof *i);
        assert_non_null(i);
        sandbox_info_init(i);
        i->id = strdup(id);
        i->name = strdup(name);
        i->state = strdup(state);
        i->status = strdup(status);
        i->restart_policy = strdup("On failure");
        i->crash_reason = strdup(reason ?: "");
        i->crash_evidence = strdup("");
        i->policy_file = strdup("");
        i->task_id = 7;
        return i;
}

/* The fixed set: running, failed with each crash kind, restarting, stopped by
 * kill; given out of order so that the sort shows. */
static SandboxInfo **fixed_set(void) {
        SandboxInfo **v = calloc(11, sizeof *v);
        size_t n = 0;
        assert_non_null(v);
        v[n++] = mk("456e789a-112e-45f6-d789-729947207333", "editor", "Running", "Running [restarts: 1]", NULL);
        v[n++] = mk("123e4567-e89b-12d3-a456-426614174000", "logger", "Running", "Running", NULL);
        v[n++] = mk("345e6789-001d-34e5-c678-628836196222", "cli-console", "Failed",
                    "Failed (Exit code: 1) [restarts: 2]", "Exit code: 1");
        v[n++] = mk("a1000000-0000-4000-8000-000000000001", "panics", "Failed", "Failed (Panic: Out of memory)",
                    "Panic: Out of memory");
        v[n++] = mk("a2000000-0000-4000-8000-000000000002", "segv", "Failed", "Failed (Killed by signal: SEGV)",
                    "Killed by signal: SEGV");
        v[n++] = mk("a3000000-0000-4000-8000-000000000003", "hog", "Failed",
                    "Failed (Resource limit exceeded: memory) [restarts: 5]", "Resource limit exceeded: memory");
        v[n++] = mk("a4000000-0000-4000-8000-000000000004", "slow", "Failed", "Failed (Timeout)", "Timeout");
        v[n++] = mk("a5000000-0000-4000-8000-000000000005", "missing", "Failed",
                    "Failed (Error: exec /nonexistent: No such file or directory)",
                    "Error: exec /nonexistent: No such file or directory");
        v[n++] = mk("a6000000-0000-4000-8000-000000000006", "flaky", "Restarting",
                    "Restarting (Exit code: 3) [restarts: 2]", "Exit code: 3");
        v[n++] = mk("234e5678-f90c-23d4-b567-527725185111", "storage", "Stopped", "Stopped (Killed by signal: TERM)",
                    "Killed by signal: TERM");
        sandbox_info_array_sort(v);
        return v;
}

typedef struct Capture {
        char *buf;
        size_t size;
        FILE *f;
} Capture;

static FILE *capture_begin(Capture *c) {
        c->buf = NULL;
        c->f = open_memstream(&c->buf, &c->size);
        assert_non_null(c->f);
        return c->f;
}

static char *capture_end(Capture *c) {
        assert_int_equal(fclose(c->f), 0);
        return c->buf;
}

static char *separator(size_t n) {
        char *s = malloc(n * 3 + 1), *p = s;
        for (size_t i = 0; i < n; i++)
                p = stpcpy(p, "─");
        *p = 0;
        return s;
}

static void test_ps_default_table(void **state) {
        _cleanup_(sandbox_info_array_freep) SandboxInfo **v = fixed_set();
        _cleanup_free_ char *sep = separator(96), *expected = NULL;
        Capture c;

        assert_int_equal(ps_print_table(capture_begin(&c), v, &(PsOptions) { .legend = true, .now = NOW }), 0);
        _cleanup_free_ char *out = capture_end(&c);
        assert_true(asprintf(&expected,
                "SERVICE ID                           NAME                 STATE           STATUS\n"
                "%s\n"
                "345e6789-001d-34e5-c678-628836196222 cli-console          Failed          Failed (Exit code: 1) [restarts: 2]\n"
                "456e789a-112e-45f6-d789-729947207333 editor               Running         Running [restarts: 1]\n"
                "a6000000-0000-4000-8000-000000000006 flaky                Restarting      Restarting (Exit code: 3) [restarts: 2]\n"
                "a3000000-0000-4000-8000-000000000003 hog                  Failed          Failed (Resource limit exceeded: memory) [restarts: 5]\n"
                "123e4567-e89b-12d3-a456-426614174000 logger               Running         Running\n"
                "a5000000-0000-4000-8000-000000000005 missing              Failed          Failed (Error: exec /nonexistent: No such file or directory)\n"
                "a1000000-0000-4000-8000-000000000001 panics               Failed          Failed (Panic: Out of memory)\n"
                "a2000000-0000-4000-8000-000000000002 segv                 Failed          Failed (Killed by signal: SEGV)\n"
                "a4000000-0000-4000-8000-000000000004 slow                 Failed          Failed (Timeout)\n"
                "234e5678-f90c-23d4-b567-527725185111 storage              Stopped         Stopped (Killed by signal: TERM)\n",
                sep) > 0);
        assert_string_equal(out, expected);

        /* The rows are the core's process_info_format_row(), unchanged. */
        ProcessInfo p = { .name = (char *) "logger", .state = LIFECYCLE_RUNNING, .status = (char *) "Running" };
        assert_int_equal(service_id_from_string("123e4567-e89b-12d3-a456-426614174000", &p.service_id), 0);
        _cleanup_free_ char *row = process_info_format_row(&p);
        assert_non_null(strstr(out, row));

        /* --no-legend: the rows only. */
        assert_int_equal(ps_print_table(capture_begin(&c), v, &(PsOptions) { .legend = false }), 0);
        _cleanup_free_ char *bare = capture_end(&c);
        assert_string_equal(bare, strchr(strchr(out, '\n') + 1, '\n') + 1);
}

static void test_ps_cut_to_width(void **state) {
        _cleanup_(sandbox_info_array_freep) SandboxInfo **v = fixed_set();
        _cleanup_free_ char *sep = separator(80), *expected = NULL;
        Capture c;

        for (size_t k = 3; v[k]; k++) /* keep the first three */
                v[k] = sandbox_info_free(v[k]);
        assert_int_equal(ps_print_table(capture_begin(&c), v, &(PsOptions) { .legend = true, .width = 80 }), 0);
        _cleanup_free_ char *out = capture_end(&c);
        assert_true(asprintf(&expected,
                "SERVICE ID                           NAME                 STATE           STATUS\n"
                "%s\n"
                "345e6789-001d-34e5-c678-628836196222 cli-console          Failed          Faile…\n"
                "456e789a-112e-45f6-d789-729947207333 editor               Running         Runni…\n"
                "a6000000-0000-4000-8000-000000000006 flaky                Restarting      Resta…\n",
                sep) > 0);
        assert_string_equal(out, expected);

        /* Very narrow: even the header is cut, never a line longer than the width. */
        assert_int_equal(ps_print_table(capture_begin(&c), v, &(PsOptions) { .legend = true, .width = 20 }), 0);
        _cleanup_free_ char *narrow = capture_end(&c);
        assert_string_equal(narrow,
                            "SERVICE ID         …\n"
                            "────────────────────\n"
                            "345e6789-001d-34e5-…\n"
                            "456e789a-112e-45f6-…\n"
                            "a6000000-0000-4000-…\n");
}

static void test_ps_long_name_and_utf8(void **state) {
        _cleanup_(sandbox_info_array_freep) SandboxInfo **v = calloc(2, sizeof *v);
        Capture c;
        v[0] = mk("123e4567-e89b-12d3-a456-426614174000", "ünïcödé-service-with-a-long-name", "Running", "Running",
                  NULL);
        assert_int_equal(ps_print_table(capture_begin(&c), v, &(PsOptions) {}), 0);
        _cleanup_free_ char *out = capture_end(&c);
        assert_string_equal(out, "123e4567-e89b-12d3-a456-426614174000 ünïcödé-service-wit… Running         Running\n");
}

static void test_ps_colors(void **state) {
        _cleanup_(sandbox_info_array_freep) SandboxInfo **v = calloc(3, sizeof *v);
        Capture c;
        v[0] = mk("345e6789-001d-34e5-c678-628836196222", "cli-console", "Failed", "Failed (Exit code: 1)", NULL);
        v[1] = mk("123e4567-e89b-12d3-a456-426614174000", "logger", "Running", "Running", NULL);
        assert_int_equal(ps_print_table(capture_begin(&c), v, &(PsOptions) { .colors = true }), 0);
        _cleanup_free_ char *out = capture_end(&c);
        assert_string_equal(out,
                            "345e6789-001d-34e5-c678-628836196222 cli-console          " ANSI_RED "Failed" ANSI_NORMAL
                            "          Failed (Exit code: 1)\n"
                            "123e4567-e89b-12d3-a456-426614174000 logger               " ANSI_GREEN "Running"
                            ANSI_NORMAL "         Running\n");

        /* Colour only on a terminal, never with NO_COLOR. */
        FILE *f = fopen("/dev/null", "we");
        assert_false(terminal_colors(f));
        fclose(f);
        setenv("NO_COLOR", "1", 1);
        assert_false(terminal_colors(stdout));
        unsetenv("NO_COLOR");
}

static SandboxInfo **wide_set(void) {
        SandboxInfo **v = calloc(3, sizeof *v);
        v[0] = mk("123e4567-e89b-12d3-a456-426614174000", "logger", "Running", "Running", NULL);
        v[0]->restart_policy = (free(v[0]->restart_policy), strdup("Always"));
        v[0]->main_pid = 4242;
        v[0]->started_at = NOW - 90 * USEC_PER_SEC;
        v[0]->memory_current = 12 * 1024 * 1024 + 300 * 1024;
        v[0]->memory_max = 64 * 1024 * 1024;
        v[0]->pids_current = 3;
        v[0]->pids_max = 16;
        v[0]->cpu_usage_usec = 1234567;
        v[1] = mk("345e6789-001d-34e5-c678-628836196222", "cli-console", "Failed",
                  "Failed (Exit code: 1) [restarts: 2]", "Exit code: 1");
        sandbox_info_array_sort(v);
        return v;
}

static void test_ps_wide(void **state) {
        _cleanup_(sandbox_info_array_freep) SandboxInfo **v = wide_set();
        static const char header[] =
                "SERVICE ID                           NAME        STATE   STATUS                              RESTART     PID UPTIME   MEMORY  PIDS CPU";
        _cleanup_free_ char *sep = separator(135), *expected = NULL;
        Capture c;

        assert_int_equal(ps_print_table(capture_begin(&c), v, &(PsOptions) { .wide = true, .legend = true, .now = NOW }), 0);
        _cleanup_free_ char *out = capture_end(&c);
        assert_true(asprintf(&expected,
                "%s\n"
                "%s\n"
                "345e6789-001d-34e5-c678-628836196222 cli-console Failed  Failed (Exit code: 1) [restarts: 2] On failure    - -        -/∞     -/∞  -\n"
                "123e4567-e89b-12d3-a456-426614174000 logger      Running Running                             Always     4242 1min 30s 12M/64M 3/16 1.2s\n",
                header, sep) > 0);
        assert_string_equal(out, expected);

        /* 100 columns: the status gives up width first, then the id. */
        static const char header2[] =
                "SERVICE ID           NAME        STATE   STATUS           RESTART     PID UPTIME   MEMORY  PIDS CPU";
        _cleanup_free_ char *sep2 = separator(100), *expected2 = NULL;
        assert_int_equal(ps_print_table(capture_begin(&c), v,
                                        &(PsOptions) { .wide = true, .legend = true, .now = NOW, .width = 100 }), 0);
        _cleanup_free_ char *narrow = capture_end(&c);
        if (getenv("PGS_TEST_DEBUG"))
                fputs(narrow, stderr);
        assert_true(asprintf(&expected2,
                "%s\n"
                "%s\n"
                "345e6789-001d-34e5-… cli-console Failed  Failed (Exit co… On failure    - -        -/∞     -/∞  -\n"
                "123e4567-e89b-12d3-… logger      Running Running          Always     4242 1min 30s 12M/64M 3/16 1.2s\n",
                header2, sep2) > 0);
        assert_string_equal(narrow, expected2);

        /* 80 columns: every shrinkable column at its minimum, then the line is cut. */
        assert_int_equal(ps_print_table(capture_begin(&c), v,
                                        &(PsOptions) { .wide = true, .legend = false, .now = NOW, .width = 80 }), 0);
        _cleanup_free_ char *narrower = capture_end(&c);
        if (getenv("PGS_TEST_DEBUG"))
                fputs(narrower, stderr);
        assert_string_equal(narrower,
                "345e6789… cli-conso… Failed  Failed (Exit co… On failure    - -        -/∞     …\n"
                "123e4567… logger     Running Running          Always     4242 1min 30s 12M/64M …\n");
}

static void test_ps_json(void **state) {
        _cleanup_(sandbox_info_array_freep) SandboxInfo **v = wide_set();
        Capture c;

        free(v[0]->crash_evidence);
        v[0]->crash_evidence = strdup("start limit hit\n\"quoted\"\t\\");
        v[0]->crash_time = NOW;
        v[0]->tags = strv_copy((char *[]) { (char *) "web", (char *) "demo", NULL });
        ps_print_json(capture_begin(&c), v);
        _cleanup_free_ char *out = capture_end(&c);
        assert_string_equal(out,
                "[\n"
                "{\"Id\":\"345e6789-001d-34e5-c678-628836196222\",\"Name\":\"cli-console\",\"State\":\"Failed\","
                "\"Status\":\"Failed (Exit code: 1) [restarts: 2]\",\"RestartPolicy\":\"On failure\",\"Restarts\":0,"
                "\"TaskId\":7,\"MainPID\":0,\"StartedAt\":0,\"Tags\":[\"web\",\"demo\"],\"PolicyFile\":\"\",\"LogFile\":\"\","
                "\"MemoryCurrent\":null,\"MemoryPeak\":null,\"MemoryMax\":null,\"PidsCurrent\":null,\"PidsMax\":null,"
                "\"CPUUsageUSec\":null,\"StatusText\":\"\",\"CrashReason\":\"Exit code: 1\","
                "\"CrashEvidence\":\"start limit hit\\n\\\"quoted\\\"\\t\\\\\",\"CrashTime\":1795675600000000,"
                "\"NextRestartUSec\":0},\n"
                "{\"Id\":\"123e4567-e89b-12d3-a456-426614174000\",\"Name\":\"logger\",\"State\":\"Running\","
                "\"Status\":\"Running\",\"RestartPolicy\":\"Always\",\"Restarts\":0,\"TaskId\":7,\"MainPID\":4242,"
                "\"StartedAt\":1795675510000000,\"Tags\":[],\"PolicyFile\":\"\",\"LogFile\":\"\",\"MemoryCurrent\":12890112,"
                "\"MemoryPeak\":null,\"MemoryMax\":67108864,\"PidsCurrent\":3,\"PidsMax\":16,\"CPUUsageUSec\":1234567,\"StatusText\":\"\","
                "\"CrashReason\":\"\",\"CrashEvidence\":\"\",\"CrashTime\":0,\"NextRestartUSec\":0}\n"
                "]\n");

        /* An empty list is still an array. */
        ps_print_json(capture_begin(&c), NULL);
        _cleanup_free_ char *empty = capture_end(&c);
        assert_string_equal(empty, "[\n]\n");
}

static void test_json_strings(void **state) {
        static const struct {
                const char *in, *out;
        } cases[] = {
                { "", "\"\"" },
                { "plain", "\"plain\"" },
                { "a\"b\\c", "\"a\\\"b\\\\c\"" },
                { "\n\r\t\b\f", "\"\\n\\r\\t\\b\\f\"" },
                { "\x01\x1f\x7f", "\"\\u0001\\u001f\\u007f\"" },
                { "ünï…", "\"ünï…\"" },
                { "\xff\xfe", "\"\\ufffd\\ufffd\"" },     /* invalid bytes */
                { "\xc0\xaf", "\"\\ufffd\\ufffd\"" },     /* overlong '/' */
                { "\xed\xa0\x80", "\"\\ufffd\\ufffd\\ufffd\"" }, /* a surrogate */
                { "a\xe2\x82", "\"a\\ufffd\\ufffd\"" },  /* cut short */
                { "😀", "\"😀\"" },
                { "</script>", "\"</script>\"" },
        };
        for (size_t k = 0; k < ELEMENTSOF(cases); k++) {
                Capture c;
                json_write_string(capture_begin(&c), cases[k].in);
                _cleanup_free_ char *out = capture_end(&c);
                assert_string_equal(out, cases[k].out);
        }

        Capture c;
        JsonWriter w = json_writer(capture_begin(&c));
        json_begin_object(&w, NULL);
        json_string(&w, "a", NULL);
        json_unsigned_or_null(&w, "b", UINT64_MAX);
        json_unsigned(&w, "c", UINT64_MAX - 1);
        json_integer(&w, "d", -5);
        json_bool(&w, "e", true);
        json_begin_array(&w, "f");
        json_begin_object(&w, NULL);
        json_end_object(&w);
        json_strv(&w, NULL, NULL);
        json_end_array(&w);
        json_end_object(&w);
        _cleanup_free_ char *out = capture_end(&c);
        assert_string_equal(out, "{\"a\":null,\"b\":null,\"c\":18446744073709551614,\"d\":-5,\"e\":true,\"f\":[{},[]]}");
}

static void test_status_lines(void **state) {
        _cleanup_(sandbox_info_array_freep) SandboxInfo **v = wide_set();
        SandboxInfo *failed = v[0], *running = v[1];
        Capture c;

        setenv("TZ", "UTC", 1);
        tzset();
        running->policy_file = (free(running->policy_file), strdup("/etc/pgsandbox/policies.d/logger.policy"));
        running->tags = strv_copy((char *[]) { (char *) "web", NULL });
        running->memory_peak = 20 * 1024 * 1024;
        status_print(capture_begin(&c), running, NULL, NOW, false);
        _cleanup_free_ char *out = capture_end(&c);
        assert_string_equal(out,
                "● logger\n"
                "          Id: 123e4567-e89b-12d3-a456-426614174000\n"
                "      Policy: /etc/pgsandbox/policies.d/logger.policy\n"
                "       State: Running since 2026-11-26 06:45:10 UTC; 1min 30s ago\n"
                "     Restart: Always (restarts: 0)\n"
                "    Main PID: 4242 (task 7)\n"
                "      Memory: 12M (peak 20M, limit 64M)\n"
                "       Tasks: 3 (limit 16)\n"
                "         CPU: 1.2s\n"
                "        Tags: web\n");

        failed->restart_policy = (free(failed->restart_policy), strdup("Always"));
        failed->state = (free(failed->state), strdup("Restarting"));
        failed->status = (free(failed->status), strdup("Restarting (Panic: Out of memory) [restarts: 3]"));
        failed->crash_reason = (free(failed->crash_reason), strdup("Panic: Out of memory"));
        failed->crash_evidence = (free(failed->crash_evidence), strdup("thread 'main' panicked at src/main.rs:2:5\nOut of memory"));
        failed->crash_time = NOW - 5 * USEC_PER_SEC;
        failed->restarts = 3;
        failed->next_restart_usec = 1500 * USEC_PER_MSEC;
        status_print(capture_begin(&c), failed, NULL, NOW, false);
        _cleanup_free_ char *out2 = capture_end(&c);
        assert_string_equal(out2,
                "● cli-console\n"
                "          Id: 345e6789-001d-34e5-c678-628836196222\n"
                "      Policy: (transient)\n"
                "       State: Restarting - Restarting (Panic: Out of memory) [restarts: 3]\n"
                "     Restart: Always (restarts: 3)\n"
                "Next restart: in 1.5s\n"
                "    Main PID: - (last task 7)\n"
                "      Memory: - (peak -, limit infinity)\n"
                "       Tasks: - (limit infinity)\n"
                "         CPU: -\n"
                "\n"
                "Service cli-console crashed: Panic: Out of memory\n"
                "Restart policy: Always\n"
                "Restart attempt: 3\n"
                "Evidence: thread 'main' panicked at src/main.rs:2:5\n"
                "          Out of memory\n"
                "Time: 2026-11-26 06:46:35 UTC (5.0s ago)\n");
}

static char **strv_split_lines_for_test(const char *s) {
        char **l = calloc(1, sizeof(char *));
        while (*s) {
                size_t n = strcspn(s, "\n");
                assert_int_equal(strv_push(&l, strndup(s, n)), 0);
                s += n + (s[n] == '\n');
        }
        return l;
}

static void test_top_frame_fits_80x24(void **state) {
        SandboxInfo **v = calloc(41, sizeof *v);
        double cpu[40];
        Capture c;

        setenv("TZ", "UTC", 1);
        tzset();
        for (size_t k = 0; k < 40; k++) {
                char id[37], name[64];
                snprintf(id, sizeof id, "%08zx-0000-4000-8000-000000000000", k);
                snprintf(name, sizeof name, "service-%02zu-with-a-rather-long-name", k);
                v[k] = mk(id, name, k % 3 ? "Running" : "Failed", k % 3 ? "Running" : "Failed (Exit code: 1) [restarts: 5]", NULL);
                v[k]->cpu_usage_usec = k;
                cpu[k] = (double) k / 2;
        }
        TopOptions o = { .width = 80, .height = 24, .sort = TOP_SORT_CPU, .now = NOW, .interval = USEC_PER_SEC };
        assert_int_equal(top_render(capture_begin(&c), v, cpu, &o), 0);
        _cleanup_free_ char *out = capture_end(&c);
        if (getenv("PGS_TEST_DEBUG"))
                fputs(out, stderr);
        size_t lines = 0;
        for (char *p = out, *nl; *p; p = nl + 1, lines++) {
                nl = strchr(p, '\n');
                assert_non_null(nl);
                *nl = 0;
                if (utf8_strlen(p) > 80)
                        fail_msg("line %zu is %zu characters: %s", lines, utf8_strlen(p), p);
                if (lines == 0)
                        assert_string_equal(p, "pgsandbox top - 06:46:40 - 40 sandboxes: 26 running, 14 failed - every 1.0s");
                if (lines == 2)
                        assert_string_equal(p, "NAME             STATE   CPU% MEMORY PIDS UPTIME STATUS");
                if (lines == 4) /* sorted by CPU, busiest first */
                        assert_string_equal(p, "service-39-with… Failed  19.5 -/∞    -/∞  -      Failed (Exit code: 1) [restart…");
        }
        assert_int_equal(lines, 24);

        /* Every sort key: by memory, pids and state (then name), unknown last. */
        for (size_t k = 0; k < 40; k++) { /* v is in CPU order now: go by the number in the name */
                size_t n = (size_t) atoi(v[k]->name + 8);
                v[k]->memory_current = n == 7 ? UINT64_MAX : (uint64_t) ((n * 37) % 40) << 20;
                v[k]->pids_current = (n * 11) % 40;
        }
        static const struct {
                TopSort sort;
                const char *first, *second;
        } orders[] = {
                { TOP_SORT_MEMORY, "service-27-with…", "service-14-with…" }, /* 39M, 38M */
                { TOP_SORT_PIDS, "service-29-with…", "service-18-with…" },   /* 39, 38 */
                { TOP_SORT_STATE, "service-00-with…", "service-03-with…" },  /* Failed first */
                { TOP_SORT_NAME, "service-00-with…", "service-01-with…" },
        };
        for (size_t k = 0; k < ELEMENTSOF(orders); k++) {
                o.sort = orders[k].sort;
                o.height = 6; /* two rows */
                assert_int_equal(top_render(capture_begin(&c), v, cpu, &o), 0);
                _cleanup_free_ char *frame = capture_end(&c);
                _cleanup_strv_free_ char **l = strv_split_lines_for_test(frame);
                assert_int_equal(strv_length(l), 6);
                if (strncmp(l[4], orders[k].first, strlen(orders[k].first)) != 0 ||
                    strncmp(l[5], orders[k].second, strlen(orders[k].second)) != 0)
                        fail_msg("sort %s: %s / %s", top_sort_to_string(orders[k].sort), l[4], l[5]);
        }
        assert_int_equal(top_sort_from_key('m'), TOP_SORT_MEMORY);
        assert_int_equal(top_sort_from_key('x'), _TOP_SORT_INVALID);
        sandbox_info_array_free(v);
}

static void test_ps_1000_sorted(void **state) {
        SandboxInfo **v = calloc(1001, sizeof *v);
        Capture c;

        srand(42);
        for (size_t k = 0; k < 1000; k++) {
                char id[37], name[32];
                snprintf(id, sizeof id, "%08x-0000-4000-8000-%012zx", (unsigned) rand(), k);
                snprintf(name, sizeof name, "svc-%05d", rand() % 100000);
                v[k] = mk(id, name, "Running", "Running", NULL);
        }
        sandbox_info_array_sort(v);
        assert_int_equal(ps_print_table(capture_begin(&c), v, &(PsOptions) { .legend = false }), 0);
        _cleanup_free_ char *out = capture_end(&c);
        size_t n = 0;
        char prev[64] = "";
        for (char *line = strtok(out, "\n"); line; line = strtok(NULL, "\n"), n++) {
                char key[64];
                /* name, then id: the order of process_list_list_all() */
                snprintf(key, sizeof key, "%.20s%.36s", line + 37, line);
                assert_true(strcmp(prev, key) <= 0);
                strcpy(prev, key);
        }
        assert_int_equal(n, 1000);
        sandbox_info_array_free(v);
}

static void test_filter(void **state) {
        _cleanup_(sandbox_info_array_freep) SandboxInfo **v = fixed_set();
        v[0]->tags = strv_copy((char *[]) { (char *) "console", NULL });
        sandbox_info_array_filter(v, "failed", NULL);
        assert_int_equal(sandbox_info_array_length(v), 6);
        assert_string_equal(v[0]->name, "cli-console");
        sandbox_info_array_filter(v, NULL, "console");
        assert_int_equal(sandbox_info_array_length(v), 1);
        sandbox_info_array_filter(v, "running", "console");
        assert_int_equal(sandbox_info_array_length(v), 0);
}

static void test_log_tail(void **state) {
        char path[] = "/tmp/pgs-cli-log-XXXXXX";
        int fd = mkstemp(path);
        _cleanup_strv_free_ char **l = NULL;
        assert_true(fd >= 0);
        FILE *f = fdopen(fd, "w");
        for (int i = 1; i <= 100000; i++) /* ~1 MiB: more than one read from the end */
                fprintf(f, "line %d\n", i);
        fputs("no newline at the end", f);
        fclose(f);
        assert_int_equal(log_tail(path, 3, &l), 0);
        _cleanup_free_ char *j = strv_join(l, "|");
        assert_string_equal(j, "line 99999|line 100000|no newline at the end");
        l = strv_free(l);
        assert_int_equal(truncate(path, 0), 0);
        assert_int_equal(log_tail(path, 10, &l), 0);
        assert_int_equal(strv_length(l), 0);
        unlink(path);
        assert_int_equal(log_tail(path, 10, &l), -ENOENT);
}

/* run --wait: the end of a run among the signals, and its exit status. */
static void test_run_wait_logic(void **state) {
        static const struct {
                const char *reason;
                int status;
        } cases[] = {
                { NULL, 0 },
                { "", 0 },
                { "Exit code: 3", 3 },
                { "Exit code: 255", 255 },
                { "Exit code: 256", 0 },
                { "Killed by signal: SEGV", 139 },
                { "Killed by signal: KILL", 137 },
                { "Killed by signal: TERM", 143 },
                { "Killed by signal: SYS", 159 },
                { "Killed by signal: NOSUCH", 1 },
                { "Panic: Out of memory", 1 },
                { "Timeout", 1 },
                { "Resource limit exceeded: memory (memory.max=64M)", 1 },
                { "Error: exec /x: No such file or directory", 1 },
        };
        for (size_t k = 0; k < ELEMENTSOF(cases); k++)
                if (run_exit_status(cases[k].reason) != cases[k].status)
                        fail_msg("'%s' -> %d, expected %d", cases[k].reason ?: "(null)", run_exit_status(cases[k].reason),
                                 cases[k].status);

        static const struct {
                const char *status, *reason;
        } summaries[] = {
                { "Failed (Exit code: 1) [restarts: 2]", "Exit code: 1" },
                { "Stopped (Killed by signal: TERM)", "Killed by signal: TERM" },
                { "Failed (Error: exec /a (b): c)", "Error: exec /a (b): c" },
                { "Running [restarts: 3]", NULL },
                { "Stopped", NULL },
        };
        for (size_t k = 0; k < ELEMENTSOF(summaries); k++) {
                _cleanup_free_ char *r = status_summary_reason(summaries[k].status);
                if (summaries[k].reason)
                        assert_string_equal(r, summaries[k].reason);
                else
                        assert_null(r);
        }

        /* Events of other sandboxes, and ours before Run answered. */
        RunWait w = {};
        const RunEvent *crash, *end;
        assert_int_equal(run_wait_record(&w, "other", "Failed", "Failed (Exit code: 9)", NULL), 0);
        assert_int_equal(run_wait_record(&w, "run-1", "Starting", "Starting", NULL), 0);
        assert_int_equal(run_wait_record(&w, "run-1", "Running", "Running", NULL), 0);
        assert_null(run_wait_end(&w, "run-1", &crash));
        assert_int_equal(run_wait_record(&w, "other", "#crash", "Exit code: 9", ""), 0);
        assert_int_equal(run_wait_record(&w, "run-1", "#crash", "Killed by signal: SEGV", "core dumped"), 0);
        assert_int_equal(run_wait_record(&w, "run-1", "Failed", "Failed (Killed by signal: SEGV)", NULL), 0);
        end = run_wait_end(&w, "run-1", &crash);
        assert_non_null(end);
        assert_string_equal(end->state, "Failed");
        assert_non_null(crash);
        assert_string_equal(crash->text, "Killed by signal: SEGV");
        assert_string_equal(crash->evidence, "core dumped");
        run_wait_done(&w);
}

static void test_formatting_helpers(void **state) {
        char b[2 * FORMAT_SHORT_MAX];
        assert_string_equal(format_bytes_short(b, 0), "0B");
        assert_string_equal(format_bytes_short(b, 1023), "1023B");
        assert_string_equal(format_bytes_short(b, 1536), "1.5K");
        assert_string_equal(format_bytes_short(b, 64ULL << 20), "64M");
        assert_string_equal(format_bytes_short(b, (2ULL << 30) + (1ULL << 29)), "2.5G");
        assert_string_equal(format_bytes_short(b, UINT64_MAX), "-");
        assert_string_equal(format_span_short(b, 250 * USEC_PER_MSEC), "250ms");
        assert_string_equal(format_span_short(b, 12345 * USEC_PER_MSEC), "12.3s");
        assert_string_equal(format_span_short(b, 5 * USEC_PER_MINUTE + 3 * USEC_PER_SEC), "5min 3s");
        assert_string_equal(format_span_short(b, 2 * USEC_PER_HOUR + 10 * USEC_PER_MINUTE), "2h 10min");
        assert_string_equal(format_span_short(b, 3 * USEC_PER_DAY + 4 * USEC_PER_HOUR), "3d 4h");
        assert_string_equal(format_usage(b, 3, 16, false), "3/16");
        assert_string_equal(format_usage(b, UINT64_MAX, UINT64_MAX, true), "-/∞");
        _cleanup_free_ char *l = ellipsize_line("abcdef", 4), *m = ellipsize_line("abc", 4), *u = ellipsize_line("äöüß", 3);
        assert_string_equal(l, "abc…");
        assert_string_equal(m, "abc");
        assert_string_equal(u, "äö…");
}

/* kill's arguments: every signal spelling, targets, tags, errors. */
static void test_kill_arguments(void **state) {
        static const struct {
                const char *args; /* space-separated, after "kill" */
                int r;
                KillSignal signal;
                const char *targets; /* space-separated */
                const char *error;
        } cases[] = {
                { "web", 0, KILL_SIGNAL_TERMINATE, "web", NULL },
                { "-9 web", 0, KILL_SIGNAL_KILL, "web", NULL },
                { "-15 web", 0, KILL_SIGNAL_TERMINATE, "web", NULL },
                { "-2 web db", 0, KILL_SIGNAL_INTERRUPT, "web db", NULL },
                { "web -9", 0, KILL_SIGNAL_KILL, "web", NULL },
                { "-s KILL web", 0, KILL_SIGNAL_KILL, "web", NULL },
                { "-s SIGINT web", 0, KILL_SIGNAL_INTERRUPT, "web", NULL },
                { "-s 9 web", 0, KILL_SIGNAL_KILL, "web", NULL },
                { "-s -9 web", 0, KILL_SIGNAL_KILL, "web", NULL },
                { "-skill web", 0, KILL_SIGNAL_KILL, "web", NULL },
                { "--signal=term web", 0, KILL_SIGNAL_TERMINATE, "web", NULL },
                { "--signal INT web", 0, KILL_SIGNAL_INTERRUPT, "web", NULL },
                { "-KILL web", 0, KILL_SIGNAL_KILL, "web", NULL },
                { "-SIGTERM web", 0, KILL_SIGNAL_TERMINATE, "web", NULL },
                { "--tag demo", 0, KILL_SIGNAL_TERMINATE, "tag:demo", NULL },
                { "-9 --tag a --tag b web", 0, KILL_SIGNAL_KILL, "tag:a tag:b web", NULL },
                { "-- -9", 0, KILL_SIGNAL_TERMINATE, "-9", NULL },
                { "123e4567", 0, KILL_SIGNAL_TERMINATE, "123e4567", NULL },
                { "-1 web", -EINVAL, 0, NULL, "Unknown signal '-1': use TERM, KILL or INT (or 15, 9, 2; -9, SIGKILL and kill work too)." },
                { "-HUP web", -EINVAL, 0, NULL, "Unknown signal '-HUP': use TERM, KILL or INT (or 15, 9, 2; -9, SIGKILL and kill work too)." },
                { "-s 09 web", -EINVAL, 0, NULL, "Unknown signal '09': use TERM, KILL or INT (or 15, 9, 2; -9, SIGKILL and kill work too)." },
                { "--signal=USR1 web", -EINVAL, 0, NULL, "Unknown signal 'USR1': use TERM, KILL or INT (or 15, 9, 2; -9, SIGKILL and kill work too)." },
                { "", -EINVAL, 0, NULL, "No sandbox given: name one or more (a name, a service id, a unique id prefix, or --tag TAG)." },
                { "-9", -EINVAL, 0, NULL, "No sandbox given: name one or more (a name, a service id, a unique id prefix, or --tag TAG)." },
                { "-x web", -EINVAL, 0, NULL, "Unknown option '-x'." },
                { "--frobnicate web", -EINVAL, 0, NULL, "Unknown option '--frobnicate'." },
                { "-s", -EINVAL, 0, NULL, "Option '-s' needs an argument." },
        };
        for (size_t k = 0; k < ELEMENTSOF(cases); k++) {
                _cleanup_strv_free_ char **argv = NULL;
                _cleanup_free_ char *copy = strdup(cases[k].args), *error = NULL;
                TargetArgs a;
                assert_int_equal(strv_extend(&argv, "kill"), 0);
                for (char *w = strtok(copy, " "); w; w = strtok(NULL, " "))
                        assert_int_equal(strv_extend(&argv, w), 0);
                int r = target_args_parse((int) strv_length(argv), argv, true, &a, &error);
                if (r != cases[k].r)
                        fail_msg("kill %s: returned %d (%s), expected %d", cases[k].args, r, error ?: "", cases[k].r);
                if (r < 0) {
                        assert_string_equal(error, cases[k].error);
                        continue;
                }
                _cleanup_free_ char *targets = strv_join(a.targets, " ");
                assert_int_equal(a.signal, cases[k].signal);
                assert_string_equal(targets, cases[k].targets);
                target_args_done(&a);
        }

        /* Without signals (start/stop/restart), -9 is an unknown option. */
        _cleanup_free_ char *error = NULL;
        TargetArgs a;
        char *argv[] = { (char *) "stop", (char *) "-9", (char *) "web", NULL };
        assert_int_equal(target_args_parse(3, argv, false, &a, &error), -EINVAL);
        assert_string_equal(error, "Unknown option '-9'.");
}

int main(int argc, char *argv[]) {
        const struct CMUnitTest tests[] = {
                cmocka_unit_test(test_ps_default_table),
                cmocka_unit_test(test_ps_cut_to_width),
                cmocka_unit_test(test_ps_long_name_and_utf8),
                cmocka_unit_test(test_ps_colors),
                cmocka_unit_test(test_ps_wide),
                cmocka_unit_test(test_ps_json),
                cmocka_unit_test(test_json_strings),
                cmocka_unit_test(test_status_lines),
                cmocka_unit_test(test_top_frame_fits_80x24),
                cmocka_unit_test(test_ps_1000_sorted),
                cmocka_unit_test(test_filter),
                cmocka_unit_test(test_formatting_helpers),
                cmocka_unit_test(test_log_tail),
                cmocka_unit_test(test_run_wait_logic),
                cmocka_unit_test(test_kill_arguments),
        };
        return pgs_run_tests(argc, argv, tests);
}
