/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <fcntl.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "log-tail.h"
#include "strv.h"

#define TAIL_MAX (4U << 20) /* never read more than this from the end */

int log_tail(const char *path, size_t n, char ***ret) {
        _cleanup_close_ int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY);
        _cleanup_free_ char *buf = NULL;
        _cleanup_strv_free_ char **lines = NULL;
        struct stat st;
        size_t want = 64 * 1024, got = 0;

        if (fd < 0 || fstat(fd, &st) < 0)
                return -errno;
        for (;;) {
                size_t size = (size_t) MIN((uint64_t) want, (uint64_t) st.st_size);
                char *b = realloc(buf, size + 1);
                if (!b)
                        return -ENOMEM;
                buf = b;
                ssize_t k = pread(fd, buf, size, st.st_size - (off_t) size);
                if (k < 0)
                        return -errno;
                got = (size_t) k;
                buf[got] = 0;
                size_t newlines = 0;
                for (size_t i = 0; i < got; i++)
                        newlines += buf[i] == '\n';
                /* n lines need n+1 newlines unless we have the whole file. */
                if (newlines > n || size == (size_t) st.st_size || want >= TAIL_MAX)
                        break;
                want *= 4;
        }

        /* Drop a partial first line when we did not read from the start. */
        char *p = buf;
        if (got < (size_t) st.st_size) {
                char *nl = memchr(p, '\n', got);
                p = nl ? nl + 1 : buf + got;
        }
        lines = calloc(1, sizeof(char *));
        if (!lines)
                return -ENOMEM;
        while (*p) {
                size_t len = strcspn(p, "\n");
                char *l = strndup(p, len);
                if (!l || strv_push(&lines, l) < 0) {
                        free(l);
                        return -ENOMEM;
                }
                p += len + (p[len] == '\n');
        }
        size_t total = strv_length(lines);
        if (total > n) {
                for (size_t i = 0; i < total - n; i++)
                        free(lines[i]);
                memmove(lines, lines + (total - n), (n + 1) * sizeof(char *));
        }
        *ret = TAKE_PTR(lines);
        return 0;
}
