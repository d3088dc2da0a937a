/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* A Type=notify test payload speaking through libsystemd's sd_notify(3):
 *   notifier ready                 READY=1 and a STATUS=, then sleeps
 *   notifier watchdog N            READY=1, then N WATCHDOG=1 pings at half
 *                                  of $WATCHDOG_USEC, then hangs
 *   notifier gives-up              READY=1, then STOPPING=1 and ERRNO=5, exits 1
 *   notifier forge PATH            sends READY=1 to another sandbox's socket */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <systemd/sd-daemon.h>

int main(int argc, char *argv[]) {
        const char *mode = argc > 1 ? argv[1] : "ready";

        if (strcmp(mode, "ready") == 0) {
                usleep(200000); /* Starting, visibly, until READY=1 */
                if (sd_notify(0, "READY=1\nSTATUS=serving requests") <= 0)
                        return 2;
                pause();
        }
        if (strcmp(mode, "watchdog") == 0) {
                uint64_t usec = 0;
                if (sd_watchdog_enabled(0, &usec) <= 0 || sd_notify(0, "READY=1") <= 0)
                        return 2;
                for (int i = 0; i < (argc > 2 ? atoi(argv[2]) : 3); i++) {
                        usleep((useconds_t) (usec / 2));
                        sd_notify(0, "WATCHDOG=1");
                }
                pause(); /* hangs: no more pings */
        }
        if (strcmp(mode, "gives-up") == 0) {
                /* Ready, then on its way out by itself, saying why. */
                if (sd_notify(0, "READY=1") <= 0)
                        return 2;
                usleep(200000);
                sd_notify(0, "STOPPING=1\nERRNO=5");
                usleep(200000);
                return 1;
        }
        if (strcmp(mode, "forge") == 0 && argc > 2) {
                setenv("NOTIFY_SOCKET", argv[2], 1);
                /* The target's monitor makes its socket: wait for it (10 s). */
                for (int i = 0; i < 1000 && access(argv[2], F_OK) < 0; i++)
                        usleep(10000);
                /* It must have been sent (and reached the socket) for the
                 * refusal to mean anything: exit if not, stay if so. */
                if (sd_notify(0, "READY=1") <= 0)
                        return 3;
                pause();
        }
        return 64;
}
