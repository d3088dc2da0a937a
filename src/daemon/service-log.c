/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <syslog.h>

#include <sys/socket.h>
#include <sys/un.h>

#include "macro.h"
#include "service-log.h"
#include "time-util.h"

#define LINE_MAX_JOURNAL 4096

struct ServiceLog {
        char *path;
        char *name;
        uint64_t task;
        uint64_t size, max_size;
        int fd;
        int journal_fd; /* a datagram socket to journald, or -EBADF */
        struct sockaddr_un journal;
        char line[3][LINE_MAX_JOURNAL]; /* partial lines per stream, for the journal */
        size_t line_len[3];
};

static char *runs_path(const char *log_path) {
        size_t n = strlen(log_path);
        char *p = NULL;
        if (n > 4 && streq(log_path + n - 4, ".log"))
                n -= 4;
        return asprintf(&p, "%.*s.runs", (int) n, log_path) < 0 ? NULL : p;
}

int service_log_mark(const char *log_path, const char *fmt, ...) {
        _cleanup_free_ char *path = runs_path(log_path), *line = NULL;
        va_list ap;
        int k;

        if (!path)
                return -ENOMEM;
        va_start(ap, fmt);
        k = vasprintf(&line, fmt, ap);
        va_end(ap);
        if (k < 0)
                return -ENOMEM;
        _cleanup_close_ int fd = open(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC | O_NOCTTY, 0644);
        if (fd < 0)
                return -errno;
        /* One write per line: O_APPEND keeps lines from the monitor and the
         * daemon whole. */
        line[k] = '\n';
        return write(fd, line, (size_t) k + 1) == k + 1 ? 0 : -EIO;
}

uint64_t service_log_offset(const char *log_path) {
        struct stat st;
        return stat(log_path, &st) < 0 ? 0 : (uint64_t) st.st_size;
}

int service_log_open(const char *log_path, const char *name, uint64_t task, uint64_t max_size, ServiceLog **ret) {
        ServiceLog *l = calloc(1, sizeof *l);
        struct stat st;

        if (!l)
                return -ENOMEM;
        l->fd = l->journal_fd = -EBADF;
        l->path = strdup(log_path);
        l->name = strdup(name);
        if (!l->path || !l->name) {
                service_log_close(l);
                return -ENOMEM;
        }
        l->task = task;
        l->max_size = max_size ?: SERVICE_LOG_MAX_DEFAULT;
        l->fd = open(log_path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC | O_NOCTTY, 0644);
        if (l->fd < 0) {
                int r = -errno;
                service_log_close(l);
                return r;
        }
        l->size = fstat(l->fd, &st) >= 0 ? (uint64_t) st.st_size : 0;
        /* journald's native protocol, spoken directly: "KEY=value" lines in
         * one datagram. (Not libsystemd: loading it and its dependencies
         * cost the monitor more than half a millisecond at every start.) */
        l->journal = (struct sockaddr_un) { .sun_family = AF_UNIX, .sun_path = "/run/systemd/journal/socket" };
        if (access(l->journal.sun_path, W_OK) >= 0)
                l->journal_fd = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
        (void) service_log_mark(log_path, "start run=%llu offset=%llu time=%llu", (unsigned long long) task,
                                (unsigned long long) l->size, (unsigned long long) now_usec(CLOCK_REALTIME));
        *ret = l;
        return 0;
}

static void log_rotate(ServiceLog *l) {
        _cleanup_free_ char *old = NULL;
        if (asprintf(&old, "%s.1", l->path) < 0)
                return;
        if (rename(l->path, old) < 0)
                return;
        int fd = open(l->path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC | O_NOCTTY, 0644);
        if (fd < 0)
                return;
        safe_close(l->fd);
        l->fd = fd;
        l->size = 0;
        (void) service_log_mark(l->path, "rotate time=%llu", (unsigned long long) now_usec(CLOCK_REALTIME));
}

static void journal_line(ServiceLog *l, int stream, const char *s, size_t n) {
        char buf[LINE_MAX_JOURNAL + 512];
        /* The line holds no newline (they split it), so the text form will do. */
        int k = snprintf(buf, sizeof buf, "MESSAGE=%.*s\nPRIORITY=%d\nSYSLOG_IDENTIFIER=%s\nPGSANDBOX_SERVICE=%s\n"
                         "PGSANDBOX_RUN=%llu\n", (int) n, s, stream == 2 ? LOG_WARNING : LOG_INFO, l->name, l->name,
                         (unsigned long long) l->task);
        if (k > 0 && (size_t) k < sizeof buf)
                (void) sendto(l->journal_fd, buf, (size_t) k, MSG_NOSIGNAL, (struct sockaddr *) &l->journal,
                              sizeof l->journal);
}

static void journal_write(ServiceLog *l, int stream, const char *buf, size_t n) {
        char *line = l->line[stream];
        size_t *len = &l->line_len[stream];

        for (size_t i = 0; i < n; i++) {
                if (buf[i] == '\n' || *len == LINE_MAX_JOURNAL) {
                        journal_line(l, stream, line, *len);
                        *len = 0;
                        if (buf[i] == '\n')
                                continue;
                }
                line[(*len)++] = buf[i];
        }
}

void service_log_write(ServiceLog *l, int stream, const char *buf, size_t n) {
        if (stream < 1 || stream > 2)
                return;
        if (l->size > 0 && l->size + n > l->max_size)
                log_rotate(l);
        ssize_t k = write(l->fd, buf, n);
        if (k > 0)
                l->size += (uint64_t) k;
        if (l->journal_fd >= 0)
                journal_write(l, stream, buf, n);
}

ServiceLog *service_log_close(ServiceLog *l) {
        if (!l)
                return NULL;
        for (int s = 1; l->journal_fd >= 0 && s <= 2; s++)
                if (l->line_len[s] > 0)
                        journal_line(l, s, l->line[s], l->line_len[s]);
        safe_close(l->journal_fd);
        safe_close(l->fd);
        free(l->path);
        free(l->name);
        return mfree(l);
}
