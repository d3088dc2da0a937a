/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* A test payload that ends in a chosen way:
 *   crasher exit N | exit-after MS N | exit-when FILE N | hog-when FILE MIB | assert | ptrace | segv | ignore-term | sleep S | hog MIB | forkbomb
 *   | rust-panic | go-panic | python-traceback */
#include <assert.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ptrace.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

/* READY=1 on $NOTIFY_SOCKET, as sd_notify(3) does it, without libsystemd. */
static void notify_ready(void) {
        const char *path = getenv("NOTIFY_SOCKET");
        struct sockaddr_un sa = { .sun_family = AF_UNIX };
        if (!path || strlen(path) >= sizeof sa.sun_path)
                return;
        strcpy(sa.sun_path, path);
        int fd = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
        if (fd >= 0) {
                (void) sendto(fd, "READY=1", 7, 0, (struct sockaddr *) &sa, sizeof sa);
                close(fd);
        }
}

int main(int argc, char *argv[]) {
        const char *mode = argc > 1 ? argv[1] : "exit";
        const char *arg = argc > 2 ? argv[2] : "0";

        setvbuf(stdout, NULL, _IONBF, 0);
        printf("crasher %s %s starting\n", mode, arg);
        if (strcmp(mode, "exit") == 0)
                return atoi(arg);
        if (strcmp(mode, "assert") == 0) {
                int queue_len = 0;
                assert(queue_len > 0);
        }
        if (strcmp(mode, "ptrace") == 0) {
                (void) ptrace(PTRACE_TRACEME, 0, NULL, NULL);
                printf("ptrace returned\n");
                return 0;
        }
        if (strcmp(mode, "segv") == 0)
                raise(SIGSEGV);
        if (strcmp(mode, "ignore-term") == 0) {
                signal(SIGTERM, SIG_IGN);
                notify_ready(); /* Type=notify: Running only once TERM is ignored */
                for (;;)
                        pause();
        }
        if (strcmp(mode, "exit-when") == 0) {
                /* crasher exit-when FILE N: exits N once FILE exists */
                while (access(arg, F_OK) < 0)
                        usleep(10000);
                return argc > 3 ? atoi(argv[3]) : 0;
        }
        if (strcmp(mode, "exit-after") == 0) {
                /* crasher exit-after MS CODE */
                usleep((useconds_t) atoi(arg) * 1000);
                return argc > 3 ? atoi(argv[3]) : 0;
        }
        if (strcmp(mode, "sleep") == 0) {
                sleep((unsigned) atoi(arg));
                return 0;
        }
        if (strcmp(mode, "hog-when") == 0) {
                /* crasher hog-when FILE MIB: waits for FILE, then allocates */
                while (access(arg, F_OK) < 0)
                        usleep(10000);
                mode = "hog";
                arg = argc > 3 ? argv[3] : "256";
        }
        if (strcmp(mode, "hog") == 0) {
                size_t mib = (size_t) atol(arg);
                for (size_t i = 0; i < mib; i++) {
                        char *p = malloc(1 << 20);
                        if (!p)
                                return 3;
                        memset(p, 1, 1 << 20);
                }
                return 0;
        }
        if (strcmp(mode, "forkbomb") == 0) {
                for (int i = 0; i < 1000; i++)
                        if (fork() < 0) {
                                perror("fork");
                                return 1;
                        }
                pause();
        }
        if (strcmp(mode, "rust-panic") == 0) {
                fprintf(stderr, "thread 'main' panicked at src/main.rs:2:5:\nOut of memory\n"
                                "note: run with `RUST_BACKTRACE=1` environment variable to display a backtrace\n");
                return 101;
        }
        if (strcmp(mode, "go-panic") == 0) {
                fprintf(stderr, "panic: runtime error: index out of range [5] with length 3\n\n"
                                "goroutine 1 [running]:\nmain.main()\n\t/src/main.go:7 +0x1d\n");
                return 2;
        }
        if (strcmp(mode, "python-traceback") == 0) {
                fprintf(stderr, "Traceback (most recent call last):\n  File \"/srv/app.py\", line 5, in main\n"
                                "    1 / 0\nZeroDivisionError: division by zero\n");
                return 1;
        }
        fprintf(stderr, "crasher: unknown mode '%s'\n", mode);
        return 64;
}
