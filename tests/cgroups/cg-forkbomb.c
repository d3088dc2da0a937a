/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Test helper: every process forks for ever. When fork fails (pids.max) it
 * backs off for a millisecond, so that a 2-CPU VM stays usable while the
 * test watches the limit hold. */
#include <time.h>
#include <unistd.h>

int main(void) {
        for (;;)
                if (fork() < 0)
                        nanosleep(&(struct timespec) { .tv_nsec = 1000000 }, NULL);
}
