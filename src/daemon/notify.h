/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/* The service side of systemd's notify protocol (sd_notify(3)), as the
 * monitor speaks it: a datagram socket per sandbox whose path is the
 * service's $NOTIFY_SOCKET, messages of "KEY=value" lines, and a check of
 * the sender's credentials so that nothing outside the sandbox (another
 * sandbox, the host) can speak for it. */

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

typedef struct NotifyMessage {
        bool ready;        /* READY=1 */
        bool stopping;     /* STOPPING=1 */
        bool watchdog;     /* WATCHDOG=1 */
        bool watchdog_trigger; /* WATCHDOG=trigger: fail now */
        bool has_status;
        char status[256];  /* STATUS=, cut */
        int service_errno; /* ERRNO=, 0 if absent */
} NotifyMessage;

/* Parses one datagram; unknown keys are ignored, as sd_notify(3) says. */
void notify_parse(const char *text, size_t len, NotifyMessage *ret);

/* Whether /proc/PID/cgroup text shows a process inside the cgroup whose
 * absolute path (under the cgroup2 mount) is payload_path: its "0::" path
 * must be payload_path's tail, or below it. */
bool notify_sender_in_cgroup(const char *proc_cgroup, const char *payload_path);

/* Binds a SOCK_DGRAM socket at path with SO_PASSCRED, writable by the
 * service's user. Returns the fd. */
int notify_listen(const char *path);

/* Receives one datagram; *ret_pid is the sender's pid from SCM_CREDENTIALS
 * (0 if it sent none). File descriptors that came with it (BARRIER=1 sends
 * one and waits until it is closed) are returned in fds, at most max; the
 * caller closes them once it has checked the sender, so that the sender is
 * still alive while /proc/PID is read. -EAGAIN when nothing is queued. */
int notify_receive(int fd, char *buf, size_t size, size_t *ret_len, pid_t *ret_pid, int *fds, size_t max,
                   size_t *ret_n_fds);
