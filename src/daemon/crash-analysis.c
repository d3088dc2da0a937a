/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "crash-analysis.h"
#include "string-table.h"
#include "strv.h"

static const char * const timeout_kind_table[_TIMEOUT_KIND_MAX] = {
        [TIMEOUT_NONE] = "none",
        [TIMEOUT_START] = "start",
        [TIMEOUT_STOP] = "stop",
        [TIMEOUT_RUNTIME] = "runtime",
        [TIMEOUT_WATCHDOG] = "watchdog",
};
DEFINE_STRING_TABLE_LOOKUP(timeout_kind, TimeoutKind, timeout_kind_table, strcmp);

void run_verdict_done(RunVerdict *v) {
        v->reason = crash_reason_free(v->reason);
        v->evidence = mfree(v->evidence);
}

/* ---- panic extraction ------------------------------------------------------ */

typedef struct Panic {
        const char *message; /* points into the line buffer */
        size_t message_len;
        const char *source;
        size_t source_len;
} Panic;

static bool startswith(const char *s, const char *prefix) {
        return strncmp(s, prefix, strlen(prefix)) == 0;
}

static bool is_blank(const char *s) {
        return s[strspn(s, " \t")] == 0;
}

static void panic_set(Panic *p, const char *msg, size_t msg_len, const char *src, size_t src_len) {
        /* Trim trailing white space from both. */
        while (msg_len > 0 && strchr(" \t", msg[msg_len - 1]))
                msg_len--;
        while (src_len > 0 && strchr(" \t", src[src_len - 1]))
                src_len--;
        *p = (Panic) { msg, msg_len, src, src_len };
}

/* Rust: "thread 'main' panicked at src/main.rs:2:5:" with the message on the
 * next line (1.73 and later), or "thread 'main' panicked at 'msg', src/main.rs:2:5". */
static bool match_rust(char **lines, size_t i, Panic *p) {
        const char *l = lines[i], *at;

        if (!startswith(l, "thread '") || !(at = strstr(l, "' panicked at ")))
                return false;
        at += strlen("' panicked at ");
        if (*at == '\'') {
                const char *end = strstr(at + 1, "', ");
                if (!end)
                        return false;
                panic_set(p, at + 1, (size_t) (end - at - 1), end + 3, strlen(end + 3));
                return true;
        }
        size_t n = strlen(at);
        if (n == 0 || at[n - 1] != ':' || !lines[i + 1] || is_blank(lines[i + 1]))
                return false;
        panic_set(p, lines[i + 1], strlen(lines[i + 1]), at, n - 1);
        return true;
}

/* Go: "panic: msg" (or the runtime's "fatal error: msg"), with the first
 * stack frame's "\t/path/file.go:12 +0x1d" below it as the source. */
static bool match_go(char **lines, size_t i, Panic *p) {
        const char *l = lines[i], *msg;

        if (startswith(l, "panic: "))
                msg = l + strlen("panic: ");
        else if (startswith(l, "fatal error: "))
                msg = l + strlen("fatal error: ");
        else
                return false;
        if (is_blank(msg))
                return false;

        const char *src = l;
        size_t src_len = strlen(l);
        for (size_t j = i + 1; lines[j]; j++)
                if (lines[j][0] == '\t') {
                        src = lines[j] + 1;
                        const char *off = strstr(src, " +0x");
                        src_len = off ? (size_t) (off - src) : strlen(src);
                        break;
                }
        panic_set(p, msg, strlen(msg), src, src_len);
        return true;
}

/* Python: "Traceback (most recent call last):", indented frames, then the
 * exception on the first line that is not indented. The source is the last
 * 'File "x.py", line 3, in f' frame. */
static bool match_python(char **lines, size_t i, Panic *p) {
        const char *src = NULL;

        if (!streq(lines[i], "Traceback (most recent call last):"))
                return false;
        for (size_t j = i + 1; lines[j]; j++) {
                const char *l = lines[j];
                if (l[0] == ' ' || l[0] == '\t') {
                        const char *t = l + strspn(l, " \t");
                        if (startswith(t, "File \""))
                                src = t;
                        continue;
                }
                if (is_blank(l) || !src)
                        return false;
                panic_set(p, l, strlen(l), src, strlen(src));
                return true;
        }
        return false;
}

/* glibc's assert(): "prog: file.c:12: main: Assertion `x > 0' failed." (or
 * with 'x > 0' quoted, as newer glibc prints it); musl's "Assertion failed:
 * x > 0 (file.c: main: 12)". */
static bool match_assert(char **lines, size_t i, Panic *p) {
        const char *l = lines[i];
        const char *a = strstr(l, ": Assertion `");
        if (!a)
                a = strstr(l, ": Assertion '");
        const char *end = a ? strstr(a, "' failed.") : NULL;
        const char *colon = strstr(l, ": ");

        if (startswith(l, "Assertion failed: ")) {
                const char *open = strrchr(l, '(');
                size_t n = open && open > l + 18 ? (size_t) (open - l - 1) : strlen(l);
                const char *src = open ? open + 1 : l;
                size_t slen = open ? strcspn(src, ")") : strlen(l);
                panic_set(p, l, n, src, slen);
                return true;
        }
        if (!a || !end)
                return false;
        const char *src = colon < a ? colon + 2 : l; /* drop the program name */
        panic_set(p, a + 2, (size_t) (end + strlen("' failed") - (a + 2)), src, (size_t) (a - src));
        return true;
}

/* glibc's fatal messages before abort(): heap corruption, fortify, stack protector. */
static bool match_glibc(char **lines, size_t i, Panic *p) {
        static const char * const prefixes[] = {
                "free(): ", "malloc(): ", "realloc(): ", "calloc(): ", "munmap_chunk(): ",
                "double free or corruption", "corrupted size vs. prev_size", "corrupted double-linked list",
                "malloc_consolidate(): ", "*** stack smashing detected ***", "*** buffer overflow detected ***",
                "Fatal glibc error: ",
        };
        const char *l = lines[i];

        for (size_t k = 0; k < ELEMENTSOF(prefixes); k++)
                if (startswith(l, prefixes[k])) {
                        panic_set(p, l, strlen(l), l, strlen(l));
                        return true;
                }
        return false;
}

static char **split_lines(const char *text) {
        _cleanup_strv_free_ char **lines = NULL;
        const char *p = text;

        while (*p) {
                size_t n = strcspn(p, "\n");
                size_t m = n;
                if (m > 0 && p[m - 1] == '\r')
                        m--;
                char *l = strndup(p, m);
                if (!l || strv_push(&lines, l) < 0) {
                        free(l);
                        return NULL;
                }
                p += n;
                if (*p == '\n')
                        p++;
        }
        if (!lines)
                lines = calloc(1, sizeof(char *));
        return TAKE_PTR(lines);
}

int panic_extract(const char *text, char **ret_message, char **ret_source) {
        static bool (* const matchers[])(char **, size_t, Panic *) = {
                match_rust, match_go, match_python, match_assert, match_glibc,
        };
        Panic found = {}, p;

        if (!text)
                return 0;
        _cleanup_strv_free_ char **lines = split_lines(text);
        if (!lines)
                return -ENOMEM;

        /* The last panic wins: it is the one closest to the death. */
        for (size_t i = 0; lines[i]; i++)
                for (size_t k = 0; k < ELEMENTSOF(matchers); k++)
                        if (matchers[k](lines, i, &p)) {
                                found = p;
                                break;
                        }
        if (!found.message || found.message_len == 0)
                return 0;

        _cleanup_free_ char *msg = strndup(found.message, found.message_len);
        _cleanup_free_ char *src = strndup(found.source, found.source_len);
        if (!msg || !src)
                return -ENOMEM;
        *ret_message = TAKE_PTR(msg);
        *ret_source = TAKE_PTR(src);
        return 1;
}

/* ---- classification -------------------------------------------------------- */

static int verdict_set(RunVerdict *v, CrashReason *reason, const char *evidence_fmt, ...)
        _printf_(3, 4);

static int verdict_set(RunVerdict *v, CrashReason *reason, const char *evidence_fmt, ...) {
        v->reason = reason;
        if (evidence_fmt) {
                va_list ap;
                va_start(ap, evidence_fmt);
                int k = vasprintf(&v->evidence, evidence_fmt, ap);
                va_end(ap);
                if (k < 0) {
                        v->evidence = NULL;
                        return -ENOMEM;
                }
        }
        return 0;
}

static bool run_failed(const RunFacts *f) {
        return f->outcome != RUN_EXITED || f->exit_code != 0;
}

static int describe_wait_status(const RunFacts *f, char *buf, size_t len) {
        char sig[16];
        if (f->outcome == RUN_EXITED)
                return snprintf(buf, len, "exited with status %d", f->exit_code);
        return snprintf(buf, len, "killed by SIG%s%s", signal_abbrev(f->signo, sig) ?: "?",
                        f->core_dumped ? " (core dumped)" : "");
}

int crash_analyze(const RunFacts *f, RunVerdict *ret) {
        _cleanup_(run_verdict_done) RunVerdict v = {};
        CrashReason *reason = NULL;
        char status[64];
        int r;

        if (f->outcome == RUN_SETUP_ERROR) {
                r = crash_reason_new(CRASH_ERROR, f->setup_error ?: "setup failed", &reason);
                if (r < 0)
                        return r;
                r = verdict_set(&v, reason, NULL);
                goto done;
        }

        describe_wait_status(f, status, sizeof status);

        if (f->timeout != TIMEOUT_NONE) {
                r = crash_reason_new(CRASH_TIMEOUT, NULL, &reason);
                if (r < 0)
                        return r;
                r = verdict_set(&v, reason, "%s timeout%s%s%s; the service %s",
                                timeout_kind_to_string(f->timeout) ?: "unknown",
                                f->timeout_setting ? " (" : "", f->timeout_setting ?: "",
                                f->timeout_setting ? ")" : "", status);
                goto done;
        }

        if (f->oom_kills > 0 && run_failed(f)) {
                _cleanup_free_ char *what = NULL;
                if (asprintf(&what, "memory (memory.max=%s)", f->memory_max ?: "?") < 0)
                        return -ENOMEM;
                r = crash_reason_new(CRASH_RESOURCE_LIMIT, what, &reason);
                if (r < 0)
                        return r;
                r = verdict_set(&v, reason, "memory.events oom_kill rose by %llu; the service %s",
                                (unsigned long long) f->oom_kills, status);
                goto done;
        }

        if (f->pids_max_events > 0 && run_failed(f)) {
                _cleanup_free_ char *what = NULL;
                if (asprintf(&what, "pids (pids.max=%s)", f->pids_max ?: "?") < 0)
                        return -ENOMEM;
                r = crash_reason_new(CRASH_RESOURCE_LIMIT, what, &reason);
                if (r < 0)
                        return r;
                r = verdict_set(&v, reason, "pids.events max rose by %llu (fork refused); the service %s",
                                (unsigned long long) f->pids_max_events, status);
                goto done;
        }

        if (f->outcome == RUN_KILLED && f->signo == SIGSYS && f->seccomp_syscall) {
                r = crash_reason_new_signal(SIGSYS, &reason);
                if (r < 0)
                        return r;
                r = verdict_set(&v, reason, "seccomp blocked %s(2)", f->seccomp_syscall);
                goto done;
        }

        if (run_failed(f)) {
                _cleanup_free_ char *msg = NULL, *src = NULL;
                r = panic_extract(f->stderr_tail, &msg, &src);
                if (r < 0)
                        return r;
                if (r > 0) {
                        r = crash_reason_new(CRASH_PANIC, msg, &reason);
                        if (r < 0)
                                return r;
                        r = verdict_set(&v, reason, "%s; the service %s", src, status);
                        goto done;
                }
        }

        if (f->outcome == RUN_KILLED) {
                r = crash_reason_new_signal(f->signo, &reason);
                if (r < 0)
                        return r;
                r = verdict_set(&v, reason, f->core_dumped ? "core dumped" : NULL);
                goto done;
        }

        if (f->exit_code != 0) {
                r = crash_reason_new_exit_code(f->exit_code, &reason);
                if (r < 0)
                        return r;
                r = verdict_set(&v, reason, NULL);
                goto done;
        }
        r = 0; /* a clean exit: no crash reason */

done:
        if (r < 0)
                return r;
        *ret = v;
        v = (RunVerdict) {};
        return 0;
}
