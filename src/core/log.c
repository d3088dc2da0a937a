/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <stdarg.h>
#include <stdio.h>

#include "log.h"

static int max_level = LOG_INFO;
static const char *log_prefix = NULL;

void log_set_max_level(int level) {
        max_level = level;
}

int log_get_max_level(void) {
        return max_level;
}

void log_set_prefix(const char *prefix) {
        log_prefix = prefix;
}

int log_internal(int level, int error, const char *file, int line, const char *func,
                 const char *format, ...) {
        error = error < 0 ? -error : error;
        if (level > max_level)
                return -error;

        int saved = errno;
        errno = error; /* so that %m in format prints the error we were given */
        char msg[2048];
        va_list ap;
        va_start(ap, format);
        vsnprintf(msg, sizeof msg, format, ap);
        va_end(ap);
        if (level >= LOG_DEBUG)
                fprintf(stderr, "%s%s%s:%d %s(): %s\n", log_prefix ?: "", log_prefix ? ": " : "",
                        file, line, func, msg);
        else
                fprintf(stderr, "%s%s%s\n", log_prefix ?: "", log_prefix ? ": " : "", msg);
        errno = saved;
        return -error;
}
