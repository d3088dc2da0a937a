/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Test helper: leaves three processes that wait for a signal: itself, a
 * child, and a grandchild whose parent has exited (so it is reparented to
 * the nearest subreaper, as a daemonised service would be). Prints "ready"
 * on stdout once all three exist. */
#include <stdio.h>
#include <sys/wait.h>
#include <unistd.h>

int main(void) {
        int p[2];
        char c;
        if (pipe(p) < 0)
                return 2;
        pid_t child = fork();
        if (child < 0)
                return 2;
        if (child == 0) {
                (void) !write(p[1], "c", 1);
                for (;;)
                        pause();
        }
        pid_t middle = fork();
        if (middle < 0)
                return 2;
        if (middle == 0) {
                pid_t grandchild = fork();
                if (grandchild == 0) {
                        (void) !write(p[1], "g", 1);
                        for (;;)
                                pause();
                }
                _exit(grandchild < 0 ? 2 : 0);
        }
        int status;
        if (waitpid(middle, &status, 0) < 0 || !WIFEXITED(status) || WEXITSTATUS(status) != 0)
                return 2;
        close(p[1]);
        for (int i = 0; i < 2; i++)
                if (read(p[0], &c, 1) != 1)
                        return 2;
        printf("ready\n");
        fflush(stdout);
        for (;;)
                pause();
}
