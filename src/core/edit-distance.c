/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <ctype.h>
#include <stdint.h>
#include <string.h>

#include "edit-distance.h"
#include "macro.h"

size_t edit_distance(const char *a, const char *b) {
        size_t n = strlen(a), m = strlen(b);
        if (n > EDIT_DISTANCE_MAX_LEN || m > EDIT_DISTANCE_MAX_LEN)
                return SIZE_MAX;

        /* Three rolling rows: two back for transpositions. */
        size_t rows[3][EDIT_DISTANCE_MAX_LEN + 1];
        size_t *pp = rows[0], *prev = rows[1], *cur = rows[2];
        for (size_t j = 0; j <= m; j++)
                prev[j] = j;
        for (size_t i = 1; i <= n; i++) {
                cur[0] = i;
                for (size_t j = 1; j <= m; j++) {
                        int ca = tolower((unsigned char) a[i - 1]), cb = tolower((unsigned char) b[j - 1]);
                        size_t cost = ca == cb ? 0 : 1;
                        size_t d = MIN(prev[j] + 1, cur[j - 1] + 1);
                        d = MIN(d, prev[j - 1] + cost);
                        if (i > 1 && j > 1 && ca == tolower((unsigned char) b[j - 2]) &&
                            tolower((unsigned char) a[i - 2]) == cb)
                                d = MIN(d, pp[j - 2] + 1);
                        cur[j] = d;
                }
                size_t *t = pp;
                pp = prev;
                prev = cur;
                cur = t;
        }
        return prev[m];
}

const char *closest_match(const char *s, const char * const *candidates, size_t n) {
        size_t best = SIZE_MAX, limit = MAX((size_t) 1, strlen(s) / 3);
        const char *match = NULL;
        for (size_t i = 0; i < n; i++) {
                if (!candidates[i])
                        continue;
                size_t d = edit_distance(s, candidates[i]);
                if (d <= limit && d < best) {
                        best = d;
                        match = candidates[i];
                }
        }
        return match;
}
