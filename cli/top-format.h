/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/* One frame of pgsandbox top, as a pure function: the sandboxes, their CPU
 * use since the last frame, the sort order and the screen size. The frame
 * never has more lines than the screen nor longer lines than its width. */

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "sandbox-info.h"
#include "time-util.h"

typedef enum TopSort {
        TOP_SORT_NAME,
        TOP_SORT_CPU,
        TOP_SORT_MEMORY,
        TOP_SORT_PIDS,
        TOP_SORT_STATE,
        _TOP_SORT_MAX,
        _TOP_SORT_INVALID = -EINVAL,
} TopSort;

const char *top_sort_to_string(TopSort s);
TopSort top_sort_from_string(const char *s);
/* The key that selects it: 'n', 'c', 'm', 'p', 's'. */
TopSort top_sort_from_key(int key);

typedef struct TopOptions {
        size_t width, height; /* the screen; width 0: no limit, height 0: no limit */
        TopSort sort;
        bool colors;
        usec_t now;           /* CLOCK_REALTIME */
        usec_t interval;      /* the refresh interval, for the header */
} TopOptions;

/* cpu[i] is v[i]'s CPU use in percent of one CPU since the last frame, < 0
 * when unknown (the first frame). Sorts v (and cpu along with it). */
int top_render(FILE *f, SandboxInfo **v, double *cpu, const TopOptions *o);
