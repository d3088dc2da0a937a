/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "macro.h"
#include "terminal.h"

bool terminal_colors(FILE *f) {
        const char *e = getenv("NO_COLOR");
        if (e && *e)
                return false;
        e = getenv("TERM");
        if (e && streq(e, "dumb"))
                return false;
        return isatty(fileno(f));
}

static size_t env_size(const char *name) {
        const char *e = getenv(name);
        char *end;
        if (!e || !*e)
                return 0;
        errno = 0;
        unsigned long v = strtoul(e, &end, 10);
        if (errno != 0 || *end || e[0] == '-' || v == 0 || v > 100000)
                return 0;
        return v;
}

size_t terminal_columns(FILE *f) {
        struct winsize ws = {};
        size_t c = env_size("COLUMNS");
        if (c > 0)
                return c;
        if (isatty(fileno(f)) && ioctl(fileno(f), TIOCGWINSZ, &ws) >= 0 && ws.ws_col > 0)
                return ws.ws_col;
        return 0;
}

size_t terminal_lines(FILE *f) {
        struct winsize ws = {};
        size_t l = env_size("LINES");
        if (l > 0)
                return l;
        if (isatty(fileno(f)) && ioctl(fileno(f), TIOCGWINSZ, &ws) >= 0 && ws.ws_row > 0)
                return ws.ws_row;
        return 24;
}

const char *state_color(const char *state) {
        if (!state)
                return NULL;
        if (streq(state, "Running"))
                return ANSI_GREEN;
        if (streq(state, "Failed"))
                return ANSI_RED;
        if (streq(state, "Restarting") || streq(state, "Starting") || streq(state, "Stopping"))
                return ANSI_YELLOW;
        return NULL;
}
