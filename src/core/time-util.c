/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <stdio.h>

#include "macro.h"
#include "time-util.h"

usec_t now_usec(clockid_t clock) {
        struct timespec ts;
        if (clock_gettime(clock, &ts) < 0)
                abort(); /* only fails for an invalid clock id: a programming error */
        return (usec_t) ts.tv_sec * USEC_PER_SEC + (usec_t) ts.tv_nsec / NSEC_PER_USEC;
}

char *format_timespan(char *buf, size_t len, usec_t t) {
        static const struct {
                const char *suffix;
                usec_t usec;
        } table[] = {
                { "d", USEC_PER_DAY },     { "h", USEC_PER_HOUR }, { "min", USEC_PER_MINUTE },
                { "s", USEC_PER_SEC },     { "ms", USEC_PER_MSEC }, { "us", 1 },
        };

        if (t == USEC_INFINITY) {
                snprintf(buf, len, "infinity");
                return buf;
        }
        if (t == 0) {
                snprintf(buf, len, "0");
                return buf;
        }

        size_t off = 0;
        for (size_t i = 0; i < ELEMENTSOF(table) && t > 0; i++) {
                if (t < table[i].usec)
                        continue;
                usec_t n = t / table[i].usec;
                t %= table[i].usec;
                int k = snprintf(buf + off, len - off, "%s%llu%s", off > 0 ? " " : "",
                                 (unsigned long long) n, table[i].suffix);
                if (k < 0 || (size_t) k >= len - off)
                        break;
                off += (size_t) k;
        }
        return buf;
}
