/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* End to end: the built pgsandbox binary against a real pgsandboxd (started
 * by tests/daemon/daemon-harness.c, with its own directories and cgroup
 * root, and proved clean afterwards). Checks what an operator sees: each
 * line of output and the exit status, as root and as nobody. */
#include <fcntl.h>
#include <grp.h>
#include <signal.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>

#include "test-util.h"

#include "daemon-harness.h"
#include "strv.h"
#include "utf8.h"

static Harness H;
static bool single_test; /* ctest runs one test per process: a skip can be exit 77 */

/* Skips the current test with a reason; the harness must be stopped. */
#define SKIP_TEST(reason)                                                            \
        do {                                                                         \
                fprintf(stderr, "SKIP: %s\n", reason);                               \
                if (single_test)                                                     \
                        exit(EXIT_TEST_SKIP);                                        \
                skip();                                                              \
        } while (0)

/* On this host (no cgroup v2 controllers) a policy must not ask for a pids
 * limit, and seccomp violations must kill to be seen. */
#define HOST_SETTINGS "[Resources]\nPidsMax=infinity\n[Seccomp]\nAction=kill\n"

static void add_policy(const char *name, const char *exec_args, const char *extra) {
        char *t = NULL;
        /* In the sanitizer build the crasher is instrumented too: LeakSanitizer's
         * exit-time scan cannot run inside the sandbox, and its SEGV handler
         * would turn the crash into an exit code. */
        assert_true(asprintf(&t, "[Service]\nName=%s\nExec=%s %s\nAutoStart=yes\nEnvironment=ASAN_OPTIONS=detect_leaks=0:handle_segv=0\n%s"
                             HOST_SETTINGS, name,
                             harness_crasher(), exec_args, extra ?: "") >= 0);
        harness_write_policy(&H, name, t);
        free(t);
}

static const char *cli_path(void) {
        static char path[512];
        snprintf(path, sizeof path, "%s/cli/pgsandbox", getenv("PGS_BUILD_DIR"));
        return path;
}

typedef struct Result {
        int status; /* exit status */
        char *out, *err;
        char **out_lines, **err_lines;
} Result;

static void result_done(Result *r) {
        free(r->out), free(r->err);
        strv_free(r->out_lines), strv_free(r->err_lines);
        memset(r, 0, sizeof *r);
}

static char *read_all(int fd) {
        char *buf = NULL;
        size_t size = 0;
        FILE *m = open_memstream(&buf, &size);
        char chunk[4096];
        ssize_t n;
        assert_non_null(m);
        assert_int_equal(lseek(fd, 0, SEEK_SET), 0);
        while ((n = read(fd, chunk, sizeof chunk)) > 0)
                fwrite(chunk, 1, (size_t) n, m);
        fclose(m);
        return buf;
}

static char **split_lines(const char *s) {
        char **l = NULL;
        const char *p = s;
        assert_int_equal(strv_extend(&l, ""), 0); /* so that an empty output is an empty vector */
        l = strv_free(l);
        l = calloc(1, sizeof(char *));
        while (*p) {
                size_t n = strcspn(p, "\n");
                char *line = strndup(p, n);
                assert_int_equal(strv_push(&l, line), 0);
                p += n + (p[n] == '\n');
        }
        return l;
}

/* Runs pgsandbox ARGS... with --bus pointing at the harness's daemon (unless
 * bus is given), as uid (0 or 65534), and collects its output. */
static void run_as(Result *res, uid_t uid, const char *bus, char **args) {
        int out = memfd_create("out", MFD_CLOEXEC), err = memfd_create("err", MFD_CLOEXEC);
        char busarg[256];
        assert_true(out >= 0 && err >= 0);
        snprintf(busarg, sizeof busarg, "--bus=%s", bus ?: H.address);

        pid_t pid = fork();
        assert_true(pid >= 0);
        if (pid == 0) {
                char *argv[64] = { (char *) "pgsandbox", busarg };
                size_t n = 2;
                STRV_FOREACH(a, args)
                        if (n < ELEMENTSOF(argv) - 1)
                                argv[n++] = *a;
                argv[n] = NULL;
                if (dup2(out, 1) < 0 || dup2(err, 2) < 0)
                        _exit(120);
                if (uid != 0 && (setgroups(0, NULL) < 0 || setresgid(uid, uid, uid) < 0 ||
                                 setresuid(uid, uid, uid) < 0))
                        _exit(121);
                alarm(60); /* kept across exec: a hung pgsandbox ends the test, not the run */
                unsetenv("COLUMNS");
                unsetenv("PGSANDBOX_BUS");
                setenv("TZ", "UTC", 1);
                execv(cli_path(), argv);
                _exit(127);
        }
        int status;
        assert_int_equal(waitpid(pid, &status, 0), pid);
        assert_true(WIFEXITED(status));
        res->status = WEXITSTATUS(status);
        res->out = read_all(out);
        res->err = read_all(err);
        res->out_lines = split_lines(res->out);
        res->err_lines = split_lines(res->err);
        close(out), close(err);
}

/* cli(&res, "ps", "--json", NULL) */
static void cli_uid(Result *res, uid_t uid, const char *first, ...) {
        char **args = NULL;
        va_list ap;
        va_start(ap, first);
        for (const char *a = first; a; a = va_arg(ap, const char *))
                assert_int_equal(strv_extend(&args, a), 0);
        va_end(ap);
        run_as(res, uid, NULL, args);
        strv_free(args);
}
#define cli(res, ...) cli_uid(res, 0, __VA_ARGS__, NULL)
#define cli_nobody(res, ...) cli_uid(res, 65534, __VA_ARGS__, NULL)

static void expect(const Result *r, int status, const char *out, const char *err) {
        if (r->status != status || (out && !streq(r->out, out)) || (err && !streq(r->err, err)))
                fail_msg("exit %d, stdout:\n%s\nstderr:\n%s\nexpected exit %d, stdout:\n%s\nstderr:\n%s", r->status,
                         r->out, r->err, status, out ?: "(any)", err ?: "(any)");
}

static char *row(const char *name, const char *state, const char *status) {
        char *id = harness_get_string(&H, name, "Id"), *s = NULL;
        assert_non_null(id);
        assert_true(asprintf(&s, "%-36s %-20s %-15s %s", id, name, state, status) > 0);
        free(id);
        return s;
}

static char *separator(void) {
        char *s = calloc(96 * 3 + 1, 1);
        for (size_t i = 0; i < 96; i++)
                strcat(s, "─");
        return s;
}

static void start_daemon(void) {
        harness_start(&H);
        /* nobody must reach the socket through the harness's 0700 directory. */
        assert_int_equal(chmod(H.dir, 0755), 0);
}

/* The fixed set: running, failed with each crash kind this host can
 * produce (exit code, panic, signal, seccomp, error, timeout), restarting,
 * stopped by kill. Resource-limit crashes need controllers: the VM tier. */
static const struct {
        const char *name, *state, *status;
} fixed[] = {
        { "asserts", "Failed", "Failed (Panic: Assertion `queue_len > 0' failed)" },
        { "exits", "Failed", "Failed (Exit code: 1)" },
        { "flaky", "Restarting", "Restarting (Exit code: 3) [restarts: 1]" },
        { "killed", "Stopped", "Stopped (Killed by signal: TERM)" },
        { "missing", "Failed", "Failed (Error: exec /nonexistent/pgs-no-such-binary: No such file or directory)" },
        { "segv", "Failed", "Failed (Killed by signal: SEGV)" },
        { "stubborn", "Stopped", "Stopped (Timeout)" },
        { "tracer", "Failed", "Failed (Killed by signal: SYS)" },
        { "web", "Running", "Running" },
};

static void start_fixed_set(void) {
        Result r = {};
        add_policy("asserts", "assert", NULL);
        add_policy("exits", "exit 1", NULL);
        add_policy("flaky", "exit 3", "Restart=on-failure\nRestartSec=1h\nRestartMaxDelaySec=1h\n");
        add_policy("killed", "sleep 1000", "Restart=always\n");
        harness_write_policy(&H, "missing", "[Service]\nExec=/nonexistent/pgs-no-such-binary\nAutoStart=yes\n" HOST_SETTINGS);
        add_policy("segv", "segv", "[Sandbox]\nLimitCORE=0\n");
        add_policy("stubborn", "ignore-term", "TimeoutStopSec=300ms\n");
        add_policy("tracer", "ptrace", NULL);
        add_policy("web", "sleep 1000", "Restart=always\nTags=web frontend\n");
        start_daemon();

        harness_wait_status(&H, "killed", "Running", 10000);
        cli(&r, "kill", "killed");
        expect(&r, 0, "Sent TERM to service killed\n", "");
        result_done(&r);
        harness_wait_status(&H, "stubborn", "Running", 10000);
        cli(&r, "stop", "stubborn");
        expect(&r, 0, "Stopping service stubborn\n", "");
        result_done(&r);
        for (size_t k = 0; k < ELEMENTSOF(fixed); k++)
                harness_wait_status(&H, fixed[k].name, fixed[k].status, 10000);
}

static void test_ps_table_and_json(void **state) {
        Result r = {};
        start_fixed_set();

        cli(&r, "ps");
        expect(&r, 0, NULL, "");
        assert_int_equal(strv_length(r.out_lines), 2 + ELEMENTSOF(fixed));
        assert_string_equal(r.out_lines[0], "SERVICE ID                           NAME                 STATE           STATUS");
        _cleanup_free_ char *sep = separator();
        assert_string_equal(r.out_lines[1], sep);
        for (size_t k = 0; k < ELEMENTSOF(fixed); k++) {
                _cleanup_free_ char *expected = row(fixed[k].name, fixed[k].state, fixed[k].status);
                assert_string_equal(r.out_lines[2 + k], expected);
        }
        result_done(&r);

        /* Filters, the legend, the width. */
        /* --tree: each running sandbox's processes below its row. */
        cli(&r, "ps", "--tree", "--state", "running");
        expect(&r, 0, NULL, "");
        _cleanup_free_ char *web_row = row("web", "Running", "Running"), *init = NULL;
        assert_int_equal(strv_length(r.out_lines), 5);
        assert_string_equal(r.out_lines[2], web_row);
        assert_true(asprintf(&init, "  %llu (sandbox init)", (unsigned long long) harness_get_number(&H, "web", "MainPID")) > 0);
        assert_string_equal(r.out_lines[3], init);
        assert_true(strncmp(r.out_lines[4], "  └─ ", strlen("  └─ ")) == 0);
        assert_non_null(strstr(r.out_lines[4], " sleep 1000"));
        result_done(&r);

        cli(&r, "ps", "--state", "failed", "--no-legend");
        expect(&r, 0, NULL, "");
        assert_int_equal(strv_length(r.out_lines), 5);
        _cleanup_free_ char *tracer = row("tracer", "Failed", "Failed (Killed by signal: SYS)");
        assert_string_equal(r.out_lines[4], tracer);
        result_done(&r);
        cli(&r, "ps", "--tag", "frontend", "--no-legend");
        _cleanup_free_ char *web = row("web", "Running", "Running");
        _cleanup_free_ char *web_line = NULL;
        assert_true(asprintf(&web_line, "%s\n", web) > 0);
        expect(&r, 0, web_line, "");
        result_done(&r);
        setenv("COLUMNS", "70", 1); /* run_as() unsets it: check the env path through the code instead */
        unsetenv("COLUMNS");

        cli(&r, "ps", "-o", "wide");
        expect(&r, 0, NULL, "");
        assert_int_equal(strv_length(r.out_lines), 2 + ELEMENTSOF(fixed));
        assert_true(strncmp(r.out_lines[0], "SERVICE ID                           NAME     STATE      STATUS", 63) == 0);
        assert_non_null(strstr(r.out_lines[0], " RESTART "));
        assert_non_null(strstr(r.out_lines[0], " PID UPTIME "));
        assert_non_null(strstr(r.out_lines[0], " MEMORY "));
        assert_non_null(strstr(r.out_lines[0], " PIDS CPU"));
        assert_non_null(strstr(r.out_lines[10], " Always "));
        result_done(&r);

        cli(&r, "ps", "--json");
        expect(&r, 0, NULL, "");
        assert_int_equal(strv_length(r.out_lines), 2 + ELEMENTSOF(fixed));
        assert_string_equal(r.out_lines[0], "[");
        assert_string_equal(r.out_lines[ELEMENTSOF(fixed) + 1], "]");
        for (size_t k = 0; k < ELEMENTSOF(fixed); k++) {
                _cleanup_free_ char *id = harness_get_string(&H, fixed[k].name, "Id"), *prefix = NULL;
                _cleanup_free_ char *reason = harness_get_string(&H, fixed[k].name, "CrashReason"), *field = NULL;
                /* The status goes through the JSON escaper: no quotes in these. */
                assert_true(asprintf(&prefix, "{\"Id\":\"%s\",\"Name\":\"%s\",\"State\":\"%s\",\"Status\":\"%s\",", id,
                                     fixed[k].name, fixed[k].state, fixed[k].status) > 0);
                assert_true(asprintf(&field, ",\"CrashReason\":\"%s\",", reason) > 0);
                const char *line = r.out_lines[1 + k];
                if (strncmp(line, prefix, strlen(prefix)) != 0 || !strstr(line, field))
                        fail_msg("JSON line %zu is\n%s\nexpected it to start with\n%s\nand hold %s", k, line, prefix, field);
                assert_true(line[strlen(line) - 1] == (k + 1 < ELEMENTSOF(fixed) ? ',' : '}'));
        }
        struct stat st;
        if (stat("/usr/bin/python3", &st) == 0) {
                /* And the whole is JSON a parser accepts. */
                char path[256];
                snprintf(path, sizeof path, "%s/ps.json", H.dir);
                FILE *f = fopen(path, "we");
                fputs(r.out, f);
                fclose(f);
                char cmd[512];
                snprintf(cmd, sizeof cmd,
                         "/usr/bin/python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); "
                         "assert len(d)==%zu and d[0][\"MemoryMax\"] is None' %s", ELEMENTSOF(fixed), path);
                assert_int_equal(system(cmd), 0);
                unlink(path);
        }
        result_done(&r);
        harness_stop(&H);
}

static void test_status(void **state) {
        Result r = {};
        start_fixed_set();

        cli(&r, "status", "web");
        expect(&r, 0, NULL, "");
        _cleanup_free_ char *id = harness_get_string(&H, "web", "Id"), *idline = NULL, *pidline = NULL;
        assert_string_equal(r.out_lines[0], "● web");
        assert_true(asprintf(&idline, "          Id: %s", id) > 0);
        assert_string_equal(r.out_lines[1], idline);
        assert_true(strncmp(r.out_lines[2], "      Policy: ", 14) == 0 && strstr(r.out_lines[2], "/policies/web.policy"));
        assert_true(strncmp(r.out_lines[3], "       State: Running since ", 28) == 0);
        assert_string_equal(r.out_lines[4], "     Restart: Always (restarts: 0)");
        assert_true(asprintf(&pidline, "    Main PID: %llu (task %llu)",
                             (unsigned long long) harness_get_number(&H, "web", "MainPID"),
                             (unsigned long long) harness_get_number(&H, "web", "TaskId")) > 0);
        assert_string_equal(r.out_lines[5], pidline);
        assert_true(strv_contains(r.out_lines, "        Tags: web frontend"));
        assert_true(strv_contains(r.out_lines, "  Namespaces: pid mount net ipc uts cgroup"));
        assert_true(strv_contains(r.out_lines, "     Seccomp: default (deny-list, action kill)"));
        /* The tail of its output: the crasher says hello first. */
        assert_true(strv_contains(r.out_lines, "  crasher sleep 1000 starting"));
        result_done(&r);

        /* A crash: the origin design's three lines, then the evidence. */
        cli(&r, "status", "asserts");
        expect(&r, 0, NULL, "");
        assert_true(strv_contains(r.out_lines, "       State: Failed - Failed (Panic: Assertion `queue_len > 0' failed)"));
        assert_true(strv_contains(r.out_lines, "Service asserts crashed: Panic: Assertion `queue_len > 0' failed"));
        assert_true(strv_contains(r.out_lines, "Restart policy: Never"));
        assert_true(strv_contains(r.out_lines, "Restart attempt: 0"));
        bool evidence = false, time_line = false;
        STRV_FOREACH(l, r.out_lines) {
                evidence = evidence || (strncmp(*l, "Evidence: ", 10) == 0 && strstr(*l, "crasher.c:"));
                time_line = time_line || (strncmp(*l, "Time: ", 6) == 0 && strstr(*l, " UTC ("));
        }
        assert_true(evidence);
        assert_true(time_line);
        result_done(&r);

        cli(&r, "status", "killed");
        assert_true(strv_contains(r.out_lines, "Service killed stopped: Killed by signal: TERM"));
        result_done(&r);

        cli(&r, "status", "--json", "exits");
        expect(&r, 0, NULL, "");
        assert_int_equal(strv_length(r.out_lines), 1);
        assert_non_null(strstr(r.out, "\"Name\":\"exits\",\"State\":\"Failed\",\"Status\":\"Failed (Exit code: 1)\""));
        result_done(&r);

        cli(&r, "status", "nope");
        expect(&r, 1, "", "Service nope not found\n'pgsandbox ps' lists the sandboxes.\n");
        result_done(&r);
        cli(&r, "status");
        expect(&r, 2, "", "pgsandbox status: no sandbox given: name one (see 'pgsandbox ps').\n");
        result_done(&r);
        harness_stop(&H);
}

static void test_kill_stop_start_restart(void **state) {
        Result r = {};
        add_policy("alpha", "sleep 1000", "Restart=always\n");
        add_policy("beta", "sleep 1000", "Restart=always\nTags=group\n");
        add_policy("gamma", "sleep 1000", "Restart=always\nTags=group\n");
        start_daemon();
        harness_wait_status(&H, "alpha", "Running", 10000);
        harness_wait_status(&H, "beta", "Running", 10000);
        harness_wait_status(&H, "gamma", "Running", 10000);

        cli(&r, "kill", "alpha");
        expect(&r, 0, "Sent TERM to service alpha\n", "");
        result_done(&r);
        harness_wait_status(&H, "alpha", "Stopped (Killed by signal: TERM)", 10000);
        assert_int_equal(harness_get_number(&H, "alpha", "Restarts"), 0);
        cli(&r, "kill", "-9", "alpha");
        expect(&r, 1, "", "Service alpha is already stopped\n");
        result_done(&r);

        /* A unique id prefix, with -9. */
        _cleanup_free_ char *id = harness_get_string(&H, "beta", "Id");
        id[8] = 0;
        cli(&r, "kill", "-9", id);
        expect(&r, 0, "Sent KILL to service beta\n", "");
        result_done(&r);
        harness_wait_status(&H, "beta", "Stopped (Killed by signal: KILL)", 10000);

        cli(&r, "kill", "-s", "INT", "nope", "gamma");
        expect(&r, 1, "Sent INT to service gamma\n",
               "Service nope not found\n"
               "A target is a name, a service id, a unique id prefix (4 or more hex digits) or tag:TAG; "
               "'pgsandbox ps' lists them.\n");
        result_done(&r);
        harness_wait_status(&H, "gamma", "Stopped (Killed by signal: INT)", 10000);

        /* A full id; gamma is stopped by now. */
        _cleanup_free_ char *gamma_id = harness_get_string(&H, "gamma", "Id");
        cli(&r, "kill", "--signal=KILL", gamma_id);
        expect(&r, 1, "", "Service gamma is already stopped\n");
        result_done(&r);

        cli(&r, "kill", "--signal=HUP", "gamma");
        expect(&r, 2, "", "pgsandbox kill: Unknown signal 'HUP': use TERM, KILL or INT (or 15, 9, 2; -9, SIGKILL and kill "
                          "work too).\nRun 'pgsandbox kill --help' for usage.\n");
        result_done(&r);

        /* start by tag, stop, restart (a new run: a new task id). */
        cli(&r, "start", "--tag", "group");
        expect(&r, 0, "Started service beta\nStarted service gamma\n", "");
        result_done(&r);
        cli(&r, "start", "alpha");
        expect(&r, 0, "Started service alpha\n", "");
        result_done(&r);
        harness_wait_status(&H, "alpha", "Running", 10000);
        cli(&r, "start", "alpha"); /* nothing to do: no error */
        expect(&r, 0, "Service alpha is already running\n", "");
        result_done(&r);
        uint64_t task = harness_get_number(&H, "alpha", "TaskId");
        cli(&r, "restart", "alpha");
        expect(&r, 0, "Restarting service alpha\n", "");
        result_done(&r);
        harness_wait_status(&H, "alpha", "Running", 10000);
        for (int i = 0; i < 500 && harness_get_number(&H, "alpha", "TaskId") == task; i++)
                usleep(10000);
        assert_true(harness_get_number(&H, "alpha", "TaskId") != task);
        cli(&r, "stop", "--json", "alpha");
        expect(&r, 0, "[{\"Target\":\"alpha\",\"Result\":\"success\",\"Message\":\"Stopping service alpha\"}]\n", "");
        result_done(&r);
        /* The daemon records how the run ended: by the TERM of the stop. */
        harness_wait_status(&H, "alpha", "Stopped (Killed by signal: TERM)", 10000);
        cli(&r, "stop", "alpha");
        expect(&r, 0, "Service alpha is already stopped\n", "");
        result_done(&r);

        /* Usage errors exit 2 before any bus traffic. */
        cli(&r, "stop");
        expect(&r, 2, "", "pgsandbox stop: No sandbox given: name one or more (a name, a service id, a unique id "
                          "prefix, or --tag TAG).\nRun 'pgsandbox stop --help' for usage.\n");
        result_done(&r);
        cli(&r, "frobnicate");
        expect(&r, 2, "", "pgsandbox: unknown verb 'frobnicate'. Run 'pgsandbox --help' for the list.\n");
        result_done(&r);
        cli(&r, "reload");
        expect(&r, 0, "Reloaded the policies.\n", "");
        result_done(&r);
        harness_stop(&H);
}

/* 1000 running sandboxes (cheap: /bin/sleep), named in an order unrelated
 * to their files; ps lists them sorted, and a 4-digit id prefix that two
 * share is refused naming both. */
static void test_1000_sorted_and_ambiguous_prefix(void **state) {
        Result r = {};
        char name[32], text[160];

        srand((unsigned) time(NULL));
        for (int k = 0; k < 1000; k++) {
                /* names in an order unrelated to file creation */
                snprintf(name, sizeof name, "s%03d-%04d", (k * 7919) % 1000, k);
                snprintf(text, sizeof text, "[Service]\nName=%s\nExec=/bin/sleep 1000\nAutoStart=yes\n" HOST_SETTINGS,
                         name);
                harness_write_policy(&H, name, text);
        }
        start_daemon();
        struct timespec a, b;
        clock_gettime(CLOCK_MONOTONIC, &a);
        for (int tries = 0;; tries++) {
                cli(&r, "ps", "--state", "running", "--no-legend");
                size_t n = strv_length(r.out_lines);
                result_done(&r);
                if (n == 1000)
                        break;
                if (tries > 400)
                        fail_msg("only %zu of 1000 sandboxes running after 40 s", n);
                usleep(100000);
        }
        clock_gettime(CLOCK_MONOTONIC, &b);
        fprintf(stderr, "1000 sandboxes running after %.1f s\n",
                (double) (b.tv_sec - a.tv_sec) + (double) (b.tv_nsec - a.tv_nsec) / 1e9);

        clock_gettime(CLOCK_MONOTONIC, &a);
        cli(&r, "ps", "--no-legend");
        clock_gettime(CLOCK_MONOTONIC, &b);
        expect(&r, 0, NULL, "");
        fprintf(stderr, "pgsandbox ps of 1000 sandboxes: %.1f ms (fork, exec, connect, list, print)\n",
                (double) (b.tv_sec - a.tv_sec) * 1e3 + (double) (b.tv_nsec - a.tv_nsec) / 1e6);
        assert_int_equal(strv_length(r.out_lines), 1000);
        for (size_t k = 1; k < 1000; k++)
                if (strncmp(r.out_lines[k - 1] + 37, r.out_lines[k] + 37, 20) >= 0)
                        fail_msg("not sorted at %zu:\n%s\n%s", k, r.out_lines[k - 1], r.out_lines[k]);
        for (size_t k = 0; k < 1000; k++)
                assert_non_null(strstr(r.out_lines[k], " Running         Running"));

        /* Find two ids with the same first four hex digits (about 7 such
         * pairs are expected among 1000 random ids). */
        const char *x = NULL, *y = NULL;
        for (size_t i = 0; i < 1000 && !x; i++)
                for (size_t j = i + 1; j < 1000; j++)
                        if (strncmp(r.out_lines[i], r.out_lines[j], 4) == 0) {
                                x = r.out_lines[i], y = r.out_lines[j];
                                break;
                        }
        if (!x) {
                result_done(&r);
                harness_stop(&H);
                SKIP_TEST("no two of the 1000 random ids share four digits (one chance in 2000)");
        }
        char prefix[5], xname[21], yname[21];
        snprintf(prefix, sizeof prefix, "%.4s", x);
        sscanf(x + 37, "%20s", xname);
        sscanf(y + 37, "%20s", yname);
        result_done(&r);

        cli(&r, "kill", prefix);
        assert_int_equal(r.status, 1);
        assert_string_equal(r.out, "");
        _cleanup_free_ char *expected = NULL;
        assert_true(asprintf(&expected, "Failed to kill %s: the id prefix is ambiguous (", prefix) > 0);
        if (strncmp(r.err, expected, strlen(expected)) != 0 || !strstr(r.err, xname) || !strstr(r.err, yname))
                fail_msg("kill %s said: %s; expected the candidates %s and %s", prefix, r.err, xname, yname);
        result_done(&r);
        cli(&r, "kill", "zzzz");
        expect(&r, 1, "", NULL);
        assert_string_equal(r.err_lines[0], "Service zzzz not found");
        result_done(&r);
        harness_stop(&H);
}

/* run: the payloads are /bin/sh, not the crasher, which the sanitizer build
 * instruments (its exit-time leak scan cannot finish in a sandbox). */
static void test_run_wait(void **state) {
        Result r = {};
        harness_write_policy(&H, "unused", "[Service]\nExec=/bin/true\n" HOST_SETTINGS);
        start_daemon();

        cli(&r, "run", "--wait", "--name", "exit3", "--", "sh", "-c", "exit 3");
        expect(&r, 3, "", NULL);
        assert_int_equal(strv_length(r.err_lines), 3);
        assert_string_equal(r.err_lines[0], "Running as sandbox exit3");
        assert_string_equal(r.err_lines[1], "Service exit3 crashed: Exit code: 3");
        assert_true(strncmp(r.err_lines[2], "Ran ", 4) == 0 && strstr(r.err_lines[2], "; exit status 3."));
        result_done(&r);

        cli(&r, "run", "--wait", "--name", "segv", "--", "/bin/sh", "-c", "kill -SEGV $$");
        expect(&r, 128 + SIGSEGV, "", NULL);
        assert_string_equal(r.err_lines[1], "Service segv crashed: Killed by signal: SEGV");
        result_done(&r);

        cli(&r, "run", "--wait", "--name", "ok", "--", "true");
        expect(&r, 0, "", NULL);
        assert_string_equal(r.err_lines[0], "Running as sandbox ok");
        assert_true(strncmp(r.err_lines[1], "Service ok finished: Stopped (ran ", 34) == 0);
        result_done(&r);

        /* Without --wait: the name, once it has started. */
        cli(&r, "run", "--name", "bg", "--", "/bin/sleep", "1000");
        expect(&r, 0, "bg\n", "");
        result_done(&r);
        harness_wait_status(&H, "bg", "Running", 10000);

        cli(&r, "run", "--name", "bg", "--", "/bin/true");
        expect(&r, 1, "", "A sandbox named 'bg' exists already: choose another --name.\n");
        result_done(&r);
        cli_nobody(&r, "run", "--", "/bin/true");
        expect(&r, 1, "", "Permission denied: running sandboxes requires root\n");
        result_done(&r);
        cli(&r, "run", "--memory-max", "lots", "--", "/bin/true");
        expect(&r, 2, "", "Invalid --memory-max 'lots': give bytes or a size such as 64M or 1G.\n");
        result_done(&r);
        harness_stop(&H);
}

static void test_no_daemon(void **state) {
        Result r = {};

        /* --help for every verb needs no daemon. */
        static const char * const verbs[] = { "ps", "status", "top", "logs", "history", "kill", "start", "stop", "restart", "reload",
                                              "run", "check" };
        for (size_t k = 0; k < ELEMENTSOF(verbs); k++) {
                char prefix[64];
                char *help_args[] = { (char *) verbs[k], (char *) "--help", NULL };
                run_as(&r, 0, "unix:path=/nonexistent/pgsandbox/bus", help_args);
                snprintf(prefix, sizeof prefix, "Usage: pgsandbox %s ", verbs[k]);
                expect(&r, 0, NULL, "");
                if (strncmp(r.out, prefix, strlen(prefix)) != 0)
                        fail_msg("pgsandbox %s --help starts with: %.80s", verbs[k], r.out);
                result_done(&r);
        }

        char *args[] = { (char *) "ps", NULL };
        run_as(&r, 0, "unix:path=/nonexistent/pgsandbox/bus", args);
        expect(&r, 1, "", "pgsandboxd is not running (cannot connect to /nonexistent/pgsandbox/bus: No such file or "
                          "directory)\n");
        result_done(&r);
        char *kill_args[] = { (char *) "kill", (char *) "web", NULL };
        run_as(&r, 65534, "unix:path=/nonexistent/pgsandbox/bus", kill_args);
        expect(&r, 1, "", "pgsandboxd is not running (cannot connect to /nonexistent/pgsandbox/bus: No such file or "
                          "directory)\n");
        result_done(&r);
}

static void test_non_root(void **state) {
        Result r = {};
        add_policy("guarded", "sleep 1000", NULL);
        start_daemon();
        harness_wait_status(&H, "guarded", "Running", 10000);
        uint64_t task = harness_get_number(&H, "guarded", "TaskId");

        cli_nobody(&r, "ps");
        expect(&r, 0, NULL, "");
        _cleanup_free_ char *guarded = row("guarded", "Running", "Running");
        assert_string_equal(r.out_lines[2], guarded);
        result_done(&r);
        cli_nobody(&r, "status", "guarded");
        expect(&r, 0, NULL, "");
        assert_string_equal(r.out_lines[0], "● guarded");
        result_done(&r);
        cli_nobody(&r, "ps", "--json");
        expect(&r, 0, NULL, "");
        result_done(&r);

        static const struct {
                const char *verb, *message;
        } denied[] = {
                { "kill", "Permission denied: killing sandboxes requires root\n" },
                { "stop", "Permission denied: stopping sandboxes requires root\n" },
                { "start", "Permission denied: starting sandboxes requires root\n" },
                { "restart", "Permission denied: restarting sandboxes requires root\n" },
        };
        for (size_t k = 0; k < ELEMENTSOF(denied); k++) {
                cli_nobody(&r, denied[k].verb, "guarded");
                expect(&r, 1, "", denied[k].message);
                result_done(&r);
        }
        cli_nobody(&r, "reload");
        expect(&r, 1, "", "Permission denied: reloading policies requires root\n");
        result_done(&r);

        /* Nothing happened. */
        char *s = harness_get_string(&H, "guarded", "Status");
        assert_string_equal(s, "Running");
        free(s);
        assert_int_equal(harness_get_number(&H, "guarded", "TaskId"), task);
        harness_stop(&H);
}

/* tmux on a private socket, so that nothing else's sessions are touched. */
static int tmux(const char *sock, const char *fmt, ...) _printf_(2, 3);
static int tmux(const char *sock, const char *fmt, ...) {
        char cmd[1024], *args = NULL;
        va_list ap;
        va_start(ap, fmt);
        assert_true(vasprintf(&args, fmt, ap) >= 0);
        va_end(ap);
        snprintf(cmd, sizeof cmd, "tmux -L %s %s", sock, args);
        free(args);
        int r = system(cmd);
        return WIFEXITED(r) ? WEXITSTATUS(r) : -1;
}

static char **capture_pane_opts(const char *sock, const char *opts) {
        char cmd[256];
        snprintf(cmd, sizeof cmd, "tmux -L %s capture-pane -p %s -t top", sock, opts);
        FILE *p = popen(cmd, "re");
        assert_non_null(p);
        char *buf = NULL;
        size_t size = 0;
        FILE *m = open_memstream(&buf, &size);
        char chunk[4096];
        size_t n;
        while ((n = fread(chunk, 1, sizeof chunk, p)) > 0)
                fwrite(chunk, 1, n, m);
        fclose(m);
        pclose(p);
        char **l = split_lines(buf);
        free(buf);
        return l;
}

static char **capture_pane(const char *sock) {
        return capture_pane_opts(sock, "");
}

/* Waits until a line of the pane contains needle; returns the pane. */
static char **wait_pane(const char *sock, const char *needle, unsigned timeout_ms) {
        for (unsigned waited = 0;; waited += 50) {
                char **l = capture_pane(sock);
                STRV_FOREACH(s, l)
                        if (strstr(*s, needle))
                                return l;
                if (waited >= timeout_ms) {
                        _cleanup_free_ char *all = strv_join(l, "\n");
                        strv_free(l);
                        fail_msg("no '%s' on the screen after %u ms:\n%s", needle, timeout_ms, all);
                }
                strv_free(l);
                usleep(50000);
        }
}

static void test_top_in_tmux(void **state) {
        struct stat st;
        char sock[64];
        if (stat("/usr/bin/tmux", &st) < 0)
                SKIP_TEST("needs tmux");
        add_policy("web", "sleep 1000", NULL);
        add_policy("exits", "exit 1", NULL);
        start_daemon();
        harness_wait_status(&H, "web", "Running", 10000);
        harness_wait_status(&H, "exits", "Failed (Exit code: 1)", 10000);

        snprintf(sock, sizeof sock, "pgs-cli-test-%d", (int) getpid());
        assert_int_equal(tmux(sock, "-f /dev/null new-session -d -s top -x 80 -y 24 "
                                    "'%s --bus=%s top; echo TOP-EXITED-$?; sleep 60'", cli_path(), H.address), 0);
        /* A row of the table, not only the first line: top draws line by
         * line, and a loaded machine may show a half-drawn screen. */
        char **l = wait_pane(sock, "web   Running", 5000);
        assert_true(strv_length(l) <= 24);
        char first[128] = "";
        STRV_FOREACH(s, l) {
                if (utf8_strlen(*s) > 80)
                        fail_msg("a line wider than 80 columns: '%s'", *s);
                if (strstr(*s, "pgsandbox top - "))
                        snprintf(first, sizeof first, "%s", *s);
        }
        assert_string_equal(l[2], "NAME  STATE   CPU% MEMORY PIDS UPTIME STATUS");
        assert_true(strncmp(l[4], "web   Running", 13) == 0 || strncmp(l[5], "web   Running", 13) == 0);
        strv_free(l);

        /* It refreshes: the clock in the first line moves on. */
        for (int i = 0;; i++) {
                usleep(200000);
                l = capture_pane(sock);
                bool changed = l[0] && strstr(l[0], "pgsandbox top - ") && !streq(l[0], first);
                strv_free(l);
                if (changed)
                        break;
                if (i > 20)
                        fail_msg("the screen did not refresh within 4 s");
        }
        /* Keys sort; q quits, with exit status 0 and the screen restored. */
        assert_int_equal(tmux(sock, "send-keys -t top n"), 0);
        l = wait_pane(sock, "Sort by name.", 3000);
        assert_true(strncmp(l[4], "exits ", 6) == 0);
        strv_free(l);
        assert_int_equal(tmux(sock, "send-keys -t top q"), 0);
        l = wait_pane(sock, "TOP-EXITED-0", 3000);
        strv_free(l);
        assert_int_equal(tmux(sock, "kill-server"), 0);
        harness_stop(&H);
}

/* A line as a terminal of 80 columns shows it: cut with '…'. */
static char *cut80(const char *line) {
        char *s = NULL;
        if (strlen(line) <= 80)
                return strdup(line);
        assert_true(asprintf(&s, "%.79s…", line) > 0);
        return s;
}

/* On a terminal: colour (but not with NO_COLOR, nor into a pipe) and lines
 * cut to its width with '…' (not into a pipe). */
static void test_terminal_colors_and_width(void **state) {
        struct stat st;
        char sock[64];
        if (stat("/usr/bin/tmux", &st) < 0)
                SKIP_TEST("needs tmux");
        add_policy("web", "sleep 1000", NULL);
        add_policy("exits", "exit 1", NULL);
        start_daemon();
        harness_wait_status(&H, "web", "Running", 10000);
        harness_wait_status(&H, "exits", "Failed (Exit code: 1)", 10000);

        snprintf(sock, sizeof sock, "pgs-cli-test-%d", (int) getpid());
        assert_int_equal(tmux(sock, "-f /dev/null new-session -d -s top -x 80 -y 24 "
                                    "'unset COLUMNS NO_COLOR; B=\"%s --bus=%s\"; $B ps --no-legend; echo ---; "
                                    "NO_COLOR=1 $B ps --no-legend; echo ---; $B ps --no-legend | cat; echo DONE; sleep 60'",
                              cli_path(), H.address), 0);
        strv_free(wait_pane(sock, "DONE", 5000));

        _cleanup_free_ char *exits = row("exits", "Failed", "Failed (Exit code: 1)"), *web = row("web", "Running", "Running");
        _cleanup_free_ char *exits80 = cut80(exits), *web80 = cut80(web);
        char **l = capture_pane_opts(sock, "-J"); /* wrapped lines joined */
        const char *expected[] = { exits80, web80, "---", exits80, web80, "---", exits, web, "DONE" };
        for (size_t k = 0; k < ELEMENTSOF(expected); k++) {
                assert_non_null(l[k]);
                assert_string_equal(l[k], expected[k]);
        }
        strv_free(l);

        l = capture_pane_opts(sock, "-e -J"); /* with the colours */
        assert_non_null(strstr(l[0], " \033[31mFailed\033[39m "));
        assert_non_null(strstr(l[1], " \033[32mRunning\033[39m "));
        for (size_t k = 3; k < 8; k++)
                if (strchr(l[k], '\033'))
                        fail_msg("line %zu is coloured: %s", k, l[k]);
        strv_free(l);
        assert_int_equal(tmux(sock, "kill-server"), 0);
        harness_stop(&H);
}

/* The bash completion: verbs, options, and the names and tags of the
 * sandboxes from the daemon named by --bus on the line being completed. */
static void test_bash_completion(void **state) {
        struct stat st;
        if (stat("/bin/bash", &st) < 0)
                SKIP_TEST("needs bash");
        add_policy("web", "sleep 1000", "Tags=frontend\n");
        add_policy("db", "sleep 1000", "Tags=storage\n");
        add_policy("a-name-longer-than-twenty-characters", "exit 0", NULL);
        start_daemon();

        static const struct {
                const char *line; /* what is typed; completion at its end */
                const char *expected;
        } cases[] = {
                { "pgsandbox ", "ps status top logs history kill start stop restart reload run check" },
                { "pgsandbox st", "status start stop" },
                { "pgsandbox --bus BUS kill ", "a-name-longer-than-twenty-characters db web" },
                { "pgsandbox --bus=BUS status w", "web" },
                { "pgsandbox --bus BUS ps --tag ", "frontend storage" },
                { "pgsandbox ps --state R", "Running Restarting" },
                { "pgsandbox kill -s ", "TERM KILL INT" },
                { "pgsandbox kill --s", "--signal" },
                { "pgsandbox ps -o ", "wide json" },
                { "pgsandbox top --sort ", "name cpu memory pids state" },
        };
        for (size_t k = 0; k < ELEMENTSOF(cases); k++) {
                char line[512], script[2048], *out = NULL;
                /* BUS -> the daemon's address */
                const char *b = strstr(cases[k].line, "BUS");
                if (b)
                        snprintf(line, sizeof line, "%.*s%s%s", (int) (b - cases[k].line), cases[k].line, H.address, b + 3);
                else
                        snprintf(line, sizeof line, "%s", cases[k].line);
                /* Split as bash does for completion: at spaces, ':' and '='. */
                snprintf(script, sizeof script,
                         "source \"$PGS_SOURCE_DIR/packaging/pgsandbox.bash-completion\"; "
                         "COMP_LINE='%s'; COMP_POINT=${#COMP_LINE}; "
                         "w=$(printf '%%s' \"$COMP_LINE\" | sed 's/\\([:=]\\)/ \\1 /g'); read -ra COMP_WORDS <<< \"$w\"; "
                         "[[ $COMP_LINE == *' ' ]] && COMP_WORDS+=(''); COMP_CWORD=$((${#COMP_WORDS[@]}-1)); "
                         "_pgsandbox; echo \"${COMPREPLY[*]}\"", line);
                char *argv[] = { (char *) "/bin/bash", (char *) "-c", script, NULL };
                int fd = memfd_create("out", MFD_CLOEXEC);
                pid_t pid = fork();
                assert_true(pid >= 0);
                if (pid == 0) {
                        char path[1024];
                        snprintf(path, sizeof path, "%s/cli:/usr/bin:/bin", getenv("PGS_BUILD_DIR"));
                        setenv("PATH", path, 1);
                        dup2(fd, 1);
                        execv(argv[0], argv);
                        _exit(127);
                }
                int status;
                assert_int_equal(waitpid(pid, &status, 0), pid);
                out = read_all(fd);
                close(fd);
                out[strcspn(out, "\n")] = 0;
                if (!streq(out, cases[k].expected))
                        fail_msg("completing '%s' gave '%s', expected '%s'", line, out, cases[k].expected);
                free(out);
        }
        harness_stop(&H);
}

/* After a failed test: no tmux server of ours is left, then the daemon. */
/* logs: every run's output with the boundaries from the metadata, -n, --run;
 * history: the death records, newest first; both for any user. */
static void test_logs_and_history(void **state) {
        Result r = {};
        harness_write_policy(&H, "flaky",
                             "[Service]\nExec=/bin/sh -c \"echo out; echo err >&2; exit 3\"\nAutoStart=yes\n"
                             "Restart=on-failure\nRestartSec=100ms\nStartLimitBurst=1\n" HOST_SETTINGS);
        start_daemon();
        harness_wait_status(&H, "flaky", "Failed (Exit code: 3) [restarts: 1]", 10000);

        cli_nobody(&r, "logs", "flaky");
        expect(&r, 0, NULL, "");
        assert_int_equal(strv_length(r.out_lines), 8);
        assert_true(strncmp(r.out_lines[0], "-- run ", 7) == 0 && strstr(r.out_lines[0], " started "));
        assert_string_equal(r.out_lines[1], "out");
        assert_string_equal(r.out_lines[2], "err");
        assert_non_null(strstr(r.out_lines[3], " ended: Exit code: 3; restarting in 100ms --"));
        assert_true(strncmp(r.out_lines[4], "-- run ", 7) == 0 && strstr(r.out_lines[4], " started "));
        assert_string_equal(r.out_lines[5], "out");
        assert_string_equal(r.out_lines[6], "err");
        assert_non_null(strstr(r.out_lines[7], " ended: Exit code: 3; start limit hit, not restarting --"));
        result_done(&r);

        cli(&r, "logs", "--run", "-1", "-n", "1", "flaky");
        expect(&r, 0, NULL, "");
        assert_int_equal(strv_length(r.out_lines), 2);
        assert_string_equal(r.out_lines[0], "err");
        assert_non_null(strstr(r.out_lines[1], "start limit hit"));
        result_done(&r);

        cli(&r, "logs", "--run", "999", "flaky");
        expect(&r, 1, "", NULL);
        assert_non_null(strstr(r.err, "no run 999 of flaky"));
        result_done(&r);

        cli_nobody(&r, "history", "flaky");
        expect(&r, 0, NULL, "");
        assert_int_equal(strv_length(r.out_lines), 3);
        assert_true(strncmp(r.out_lines[0], "RUN    STARTED", 14) == 0);
        assert_non_null(strstr(r.out_lines[1], "Exit code: 3"));
        assert_non_null(strstr(r.out_lines[2], "Exit code: 3"));
        result_done(&r);

        cli(&r, "history", "--json", "flaky");
        expect(&r, 0, NULL, "");
        assert_int_equal(strv_length(r.out_lines), 2);
        assert_non_null(strstr(r.out_lines[0], "\"CrashReason\":\"Exit code: 3\""));
        result_done(&r);

        cli(&r, "history", "nope");
        expect(&r, 1, "", "Service nope not found\n");
        result_done(&r);
        harness_stop(&H);
}

/* logs -f follows the output across the service's restarts, with the
 * boundaries, until it is stopped. */
static void test_logs_follow(void **state) {
        harness_write_policy(&H, "ticker",
                             "[Service]\nExec=/bin/sh -c \"echo tick; sleep 0.3; exit 2\"\nAutoStart=yes\n"
                             "Restart=on-failure\nRestartSec=100ms\nStartLimitBurst=3\nStartLimitIntervalSec=1min\n"
                             HOST_SETTINGS);
        start_daemon();
        harness_wait_status(&H, "ticker", "Running", 10000);

        int out = memfd_create("follow", MFD_CLOEXEC);
        char busarg[256];
        assert_true(out >= 0);
        snprintf(busarg, sizeof busarg, "--bus=%s", H.address);
        pid_t pid = fork();
        assert_true(pid >= 0);
        if (pid == 0) {
                if (dup2(out, 1) < 0)
                        _exit(120);
                alarm(60);
                execl(cli_path(), "pgsandbox", busarg, "logs", "-f", "ticker", (char *) NULL);
                _exit(127);
        }
        /* It follows while the service runs, fails and is restarted three times. */
        harness_wait_status(&H, "ticker", "Failed (Exit code: 2) [restarts: 3]", 20000);
        usleep(300000);
        assert_int_equal(kill(pid, SIGTERM), 0);
        int status;
        assert_int_equal(waitpid(pid, &status, 0), pid);
        char *text = read_all(out);
        close(out);
        char **lines = split_lines(text);
        size_t ticks = 0, starts = 0, ends = 0;
        STRV_FOREACH(l, lines) {
                ticks += streq(*l, "tick");
                starts += strncmp(*l, "-- run ", 7) == 0 && strstr(*l, " started ") != NULL;
                ends += strstr(*l, " ended: Exit code: 2; ") != NULL;
        }
        if (ticks != 4 || starts != 4 || ends != 4)
                fail_msg("logs -f printed %zu ticks, %zu starts, %zu ends (expected 4 each):\n%s", ticks, starts, ends,
                         text);
        strv_free(lines);
        free(text);
        harness_stop(&H);
}

static int cli_teardown(void **state) {
        char cmd[128];
        snprintf(cmd, sizeof cmd, "tmux -L pgs-cli-test-%d kill-server 2>/dev/null", (int) getpid());
        (void) system(cmd);
        return harness_teardown(state);
}

int main(int argc, char *argv[]) {
        TEST_REQUIRE_ROOT();
        single_test = argc > 1;
        const struct CMUnitTest tests[] = {
                cmocka_unit_test_prestate_setup_teardown(test_ps_table_and_json, NULL, cli_teardown, &H),
                cmocka_unit_test_prestate_setup_teardown(test_status, NULL, cli_teardown, &H),
                cmocka_unit_test_prestate_setup_teardown(test_kill_stop_start_restart, NULL, cli_teardown, &H),
                cmocka_unit_test_prestate_setup_teardown(test_1000_sorted_and_ambiguous_prefix, NULL, cli_teardown, &H),
                cmocka_unit_test_prestate_setup_teardown(test_run_wait, NULL, cli_teardown, &H),
                cmocka_unit_test_prestate_setup_teardown(test_no_daemon, NULL, cli_teardown, &H),
                cmocka_unit_test_prestate_setup_teardown(test_non_root, NULL, cli_teardown, &H),
                cmocka_unit_test_prestate_setup_teardown(test_top_in_tmux, NULL, cli_teardown, &H),
                cmocka_unit_test_prestate_setup_teardown(test_terminal_colors_and_width, NULL, cli_teardown, &H),
                cmocka_unit_test_prestate_setup_teardown(test_bash_completion, NULL, cli_teardown, &H),
                cmocka_unit_test_prestate_setup_teardown(test_logs_and_history, NULL, cli_teardown, &H),
                cmocka_unit_test_prestate_setup_teardown(test_logs_follow, NULL, cli_teardown, &H),
        };
        return pgs_run_tests(argc, argv, tests);
}
