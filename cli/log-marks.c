/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "log-marks.h"
#include "macro.h"

void log_marks_free(LogMark *m, size_t n) {
        for (size_t i = 0; i < n; i++)
                free(m[i].text);
        free(m);
}

static uint64_t field_u64(const char *line, const char *key) {
        const char *p = strstr(line, key);
        return p ? strtoull(p + strlen(key), NULL, 10) : 0;
}

int log_marks_parse(const char *text, LogMark **ret, size_t *ret_n) {
        LogMark *marks = NULL;
        size_t n = 0;

        for (const char *line = text; line && *line;) {
                const char *nl = strchr(line, '\n');
                size_t len = nl ? (size_t) (nl - line) : strlen(line);
                _cleanup_free_ char *l = strndup(line, len);
                line = nl ? nl + 1 : NULL;
                if (!l)
                        goto oom;
                if (strncmp(l, "rotate ", 7) == 0) {
                        /* Offsets start over in the new file. */
                        log_marks_free(marks, n);
                        marks = NULL;
                        n = 0;
                        continue;
                }
                bool start = strncmp(l, "start ", 6) == 0, end = strncmp(l, "end ", 4) == 0;
                if (!start && !end)
                        continue;
                LogMark *m = realloc(marks, (n + 1) * sizeof *m);
                if (!m)
                        goto oom;
                marks = m;
                const char *t = strstr(l, " text=");
                marks[n] = (LogMark) {
                        .kind = start ? LOG_MARK_START : LOG_MARK_END,
                        .run = field_u64(l, " run="),
                        .offset = field_u64(l, " offset="),
                        .time = field_u64(l, " time="),
                        .text = t ? strdup(t + 6) : NULL,
                };
                if (t && !marks[n].text)
                        goto oom;
                n++;
        }
        *ret = marks;
        *ret_n = n;
        return 0;
oom:
        log_marks_free(marks, n);
        return -ENOMEM;
}

char *log_mark_format(const LogMark *m) {
        char when[32] = "?", *s = NULL;
        time_t t = (time_t) (m->time / 1000000);
        struct tm tm;

        if (m->kind == LOG_MARK_END)
                return asprintf(&s, "-- %s --", m->text ?: "run ended") < 0 ? NULL : s;
        if (localtime_r(&t, &tm))
                strftime(when, sizeof when, "%Y-%m-%d %H:%M:%S", &tm);
        return asprintf(&s, "-- run %llu started %s --", (unsigned long long) m->run, when) < 0 ? NULL : s;
}

char *log_marks_path(const char *log_path) {
        size_t n = strlen(log_path);
        char *p = NULL;
        if (n > 4 && streq(log_path + n - 4, ".log"))
                n -= 4;
        return asprintf(&p, "%.*s.runs", (int) n, log_path) < 0 ? NULL : p;
}
