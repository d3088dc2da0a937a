/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Table-driven: stderr tails -> panic message and source; run facts ->
 * crash reason and evidence. The stderr texts are what the real runtimes
 * print (Rust 1.73+ and older, Go, CPython, glibc). */
#include <signal.h>

#include "test-util.h"

#include "crash-analysis.h"

static void test_panic_extract(void **state) {
        static const struct {
                const char *text;
                const char *message; /* NULL: no panic */
                const char *source;
        } table[] = {
                /* Rust 1.73 and later */
                { "thread 'main' panicked at src/main.rs:2:5:\nout of memory\n"
                  "note: run with `RUST_BACKTRACE=1` environment variable to display a backtrace\n",
                  "out of memory", "src/main.rs:2:5" },
                { "thread 'worker-3' panicked at /rustc/abc/library/core/src/option.rs:935:5:\n"
                  "called `Option::unwrap()` on a `None` value\n",
                  "called `Option::unwrap()` on a `None` value", "/rustc/abc/library/core/src/option.rs:935:5" },
                /* Rust before 1.73 */
                { "thread 'main' panicked at 'index out of bounds: the len is 3 but the index is 5', src/main.rs:4:13\n",
                  "index out of bounds: the len is 3 but the index is 5", "src/main.rs:4:13" },
                /* Go */
                { "panic: runtime error: index out of range [5] with length 3\n\n"
                  "goroutine 1 [running]:\nmain.main()\n\t/tmp/x/main.go:7 +0x1d\nexit status 2\n",
                  "runtime error: index out of range [5] with length 3", "/tmp/x/main.go:7" },
                { "fatal error: all goroutines are asleep - deadlock!\n\ngoroutine 1 [chan receive]:\n"
                  "main.main()\n\t/src/app.go:12 +0x2b\n",
                  "all goroutines are asleep - deadlock!", "/src/app.go:12" },
                { "panic: boom\n", "boom", "panic: boom" },
                /* CPython */
                { "Traceback (most recent call last):\n  File \"/srv/app.py\", line 9, in <module>\n"
                  "    main()\n  File \"/srv/app.py\", line 5, in main\n    1 / 0\n"
                  "ZeroDivisionError: division by zero\n",
                  "ZeroDivisionError: division by zero", "File \"/srv/app.py\", line 5, in main" },
                /* chained exceptions: the last traceback counts */
                { "Traceback (most recent call last):\n  File \"a.py\", line 2, in <module>\nKeyError: 'x'\n\n"
                  "During handling of the above exception, another exception occurred:\n\n"
                  "Traceback (most recent call last):\n  File \"a.py\", line 4, in <module>\n"
                  "RuntimeError: config missing\n",
                  "RuntimeError: config missing", "File \"a.py\", line 4, in <module>" },
                /* C assert (glibc) */
                { "server: src/queue.c:88: queue_pop: Assertion `q->len > 0' failed.\n",
                  "Assertion `q->len > 0' failed", "src/queue.c:88: queue_pop" },
                { "server: src/queue.c:88: queue_pop: Assertion 'q->len > 0' failed.\n",
                  "Assertion 'q->len > 0' failed", "src/queue.c:88: queue_pop" },
                /* musl */
                { "Assertion failed: q->len > 0 (src/queue.c: queue_pop: 88)\n",
                  "Assertion failed: q->len > 0", "src/queue.c: queue_pop: 88" },
                /* glibc abort messages */
                { "free(): double free detected in tcache 2\n", "free(): double free detected in tcache 2",
                  "free(): double free detected in tcache 2" },
                { "*** stack smashing detected ***: terminated\n", "*** stack smashing detected ***: terminated",
                  "*** stack smashing detected ***: terminated" },
                { "malloc(): corrupted top size\r\n", "malloc(): corrupted top size", "malloc(): corrupted top size" },
                /* the last panic wins */
                { "panic: first\nthread 'main' panicked at src/lib.rs:1:1:\nsecond\n", "second", "src/lib.rs:1:1" },
                /* not panics */
                { "", NULL, NULL },
                { "listening on :8080\nerror: connection refused\n", NULL, NULL },
                { "main.c:1:10: fatal error: foo.h: No such file or directory\n", NULL, NULL },
                { "thread 'main' panicked at src/main.rs:2:5:\n", NULL, NULL }, /* message cut off */
                { "Traceback (most recent call last):\n  File \"x.py\", line 1, in <module>\n", NULL, NULL },
                { "panic: \n", NULL, NULL },
                { "don't panic: all is well\n", NULL, NULL },
        };

        for (size_t i = 0; i < ELEMENTSOF(table); i++) {
                _cleanup_free_ char *msg = NULL, *src = NULL;
                int r = panic_extract(table[i].text, &msg, &src);
                if (!table[i].message) {
                        if (r != 0)
                                fail_msg("case %zu: found panic '%s' in text without one", i, msg);
                        continue;
                }
                if (r != 1)
                        fail_msg("case %zu: no panic found, expected '%s'", i, table[i].message);
                assert_string_equal(msg, table[i].message);
                assert_string_equal(src, table[i].source);
        }
        char *m = NULL, *s = NULL;
        assert_int_equal(panic_extract(NULL, &m, &s), 0);
}

static void test_crash_analyze(void **state) {
        static const struct {
                RunFacts facts;
                const char *description; /* NULL: clean exit */
                const char *evidence;    /* NULL: none */
        } table[] = {
                { { .outcome = RUN_EXITED, .exit_code = 0 }, NULL, NULL },
                { { .outcome = RUN_EXITED, .exit_code = 1 }, "Exit code: 1", NULL },
                { { .outcome = RUN_EXITED, .exit_code = 127 }, "Exit code: 127", NULL },
                { { .outcome = RUN_KILLED, .signo = SIGTERM }, "Killed by signal: TERM", NULL },
                { { .outcome = RUN_KILLED, .signo = SIGSEGV, .core_dumped = true },
                  "Killed by signal: SEGV", "core dumped" },
                { { .outcome = RUN_SETUP_ERROR, .setup_error = "exec /usr/bin/foo: No such file or directory" },
                  "Error: exec /usr/bin/foo: No such file or directory", NULL },
                /* an OOM kill is a resource limit, not "Killed by signal: KILL" */
                { { .outcome = RUN_KILLED, .signo = SIGKILL, .oom_kills = 1, .memory_max = "64M" },
                  "Resource limit exceeded: memory (memory.max=64M)",
                  "memory.events oom_kill rose by 1; the service killed by SIGKILL" },
                /* pids.max only counts when the run then failed */
                { { .outcome = RUN_EXITED, .exit_code = 1, .pids_max_events = 12, .pids_max = "16" },
                  "Resource limit exceeded: pids (pids.max=16)",
                  "pids.events max rose by 12 (fork refused); the service exited with status 1" },
                { { .outcome = RUN_EXITED, .exit_code = 0, .pids_max_events = 3, .pids_max = "16" }, NULL, NULL },
                /* seccomp */
                { { .outcome = RUN_KILLED, .signo = SIGSYS, .seccomp_syscall = "ptrace" },
                  "Killed by signal: SYS", "seccomp blocked ptrace(2)" },
                { { .outcome = RUN_KILLED, .signo = SIGSYS }, "Killed by signal: SYS", NULL },
                /* timeouts */
                { { .outcome = RUN_KILLED, .signo = SIGKILL, .timeout = TIMEOUT_STOP,
                    .timeout_setting = "TimeoutStopSec=2s" },
                  "Timeout", "stop timeout (TimeoutStopSec=2s); the service killed by SIGKILL" },
                { { .outcome = RUN_KILLED, .signo = SIGTERM, .timeout = TIMEOUT_START },
                  "Timeout", "start timeout; the service killed by SIGTERM" },
                /* panics, only when the run failed */
                { { .outcome = RUN_EXITED, .exit_code = 101,
                    .stderr_tail = "thread 'main' panicked at src/main.rs:2:5:\nOut of memory\n" },
                  "Panic: Out of memory", "src/main.rs:2:5; the service exited with status 101" },
                { { .outcome = RUN_KILLED, .signo = SIGABRT, .core_dumped = true,
                    .stderr_tail = "app: app.c:3: main: Assertion `0' failed.\n" },
                  "Panic: Assertion `0' failed", "app.c:3: main; the service killed by SIGABRT (core dumped)" },
                { { .outcome = RUN_EXITED, .exit_code = 0, .stderr_tail = "panic: recovered later\n" }, NULL, NULL },
                /* a child OOM-killed while the service goes on and exits 0 is no crash */
                { { .outcome = RUN_EXITED, .exit_code = 0, .oom_kills = 1, .memory_max = "32M" }, NULL, NULL },
                /* the OOM kill wins over a panic the allocator printed */
                { { .outcome = RUN_KILLED, .signo = SIGKILL, .oom_kills = 2, .memory_max = "32M",
                    .stderr_tail = "panic: runtime: out of memory\n" },
                  "Resource limit exceeded: memory (memory.max=32M)",
                  "memory.events oom_kill rose by 2; the service killed by SIGKILL" },
        };

        for (size_t i = 0; i < ELEMENTSOF(table); i++) {
                _cleanup_(run_verdict_done) RunVerdict v = {};
                assert_int_equal(crash_analyze(&table[i].facts, &v), 0);
                if (!table[i].description) {
                        if (v.reason)
                                fail_msg("case %zu: expected a clean exit, got a reason", i);
                        continue;
                }
                if (!v.reason)
                        fail_msg("case %zu: expected '%s', got no reason", i, table[i].description);
                assert_string_equal_free(crash_reason_description(v.reason), table[i].description);
                if (table[i].evidence)
                        assert_string_equal(v.evidence, table[i].evidence);
                else if (v.evidence)
                        fail_msg("case %zu: unexpected evidence '%s'", i, v.evidence);
        }
}

static void test_timeout_kind_names(void **state) {
        assert_string_equal(timeout_kind_to_string(TIMEOUT_WATCHDOG), "watchdog");
        assert_int_equal(timeout_kind_from_string("runtime"), TIMEOUT_RUNTIME);
        assert_int_equal(timeout_kind_from_string("later"), -EINVAL);
}

int main(int argc, char *argv[]) {
        const struct CMUnitTest tests[] = {
                cmocka_unit_test(test_panic_extract),
                cmocka_unit_test(test_crash_analyze),
                cmocka_unit_test(test_timeout_kind_names),
        };
        return pgs_run_tests(argc, argv, tests);
}
