/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Test helper: spins on the CPU for SECONDS of wall-clock time. */
#include <stdlib.h>
#include <time.h>

static double now(void) {
        struct timespec ts;
        clock_gettime(CLOCK_MONOTONIC, &ts);
        return (double) ts.tv_sec + (double) ts.tv_nsec / 1e9;
}

int main(int argc, char *argv[]) {
        double seconds = argc > 1 ? strtod(argv[1], NULL) : 2.0, end = now() + seconds;
        volatile unsigned long spin = 0;
        while (now() < end)
                for (int i = 0; i < 10000; i++)
                        spin++;
        return 0;
}
