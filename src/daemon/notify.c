/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>

#include "macro.h"
#include "notify.h"

void notify_parse(const char *text, size_t len, NotifyMessage *ret) {
        *ret = (NotifyMessage) {};
        const char *p = text, *end = text + len;

        while (p < end) {
                const char *nl = memchr(p, '\n', (size_t) (end - p));
                size_t n = nl ? (size_t) (nl - p) : (size_t) (end - p);
#define IS(k) (n == strlen(k) && memcmp(p, k, n) == 0)
#define HAS_PREFIX(k) (n >= strlen(k) && memcmp(p, k, strlen(k)) == 0)
                if (IS("READY=1"))
                        ret->ready = true;
                else if (IS("STOPPING=1"))
                        ret->stopping = true;
                else if (IS("WATCHDOG=1"))
                        ret->watchdog = true;
                else if (IS("WATCHDOG=trigger"))
                        ret->watchdog_trigger = true;
                else if (HAS_PREFIX("STATUS=")) {
                        size_t k = MIN(n - 7, sizeof ret->status - 1);
                        memcpy(ret->status, p + 7, k);
                        ret->status[k] = 0;
                        ret->has_status = true;
                } else if (HAS_PREFIX("ERRNO=")) {
                        char num[16] = "";
                        memcpy(num, p + 6, MIN(n - 6, sizeof num - 1));
                        ret->service_errno = atoi(num);
                }
#undef IS
#undef HAS_PREFIX
                p += n + 1;
        }
}

bool notify_sender_in_cgroup(const char *proc_cgroup, const char *payload_path) {
        const char *line = strstr(proc_cgroup, "0::/");
        /* The v2 line must start a line. */
        while (line && line != proc_cgroup && line[-1] != '\n')
                line = strstr(line + 1, "0::/");
        if (!line)
                return false;
        line += 3;
        size_t n = strcspn(line, "\n");
        size_t plen = strlen(payload_path);

        /* payload_path is "<mount>/<root>/<name>/payload"; the sender's
         * path is relative to the mount. Find it as the tail of payload_path,
         * or as a path below that tail. */
        for (size_t cut = 0; cut < plen; cut++) {
                if (payload_path[cut] != '/')
                        continue;
                const char *tail = payload_path + cut;
                size_t tlen = plen - cut;
                if (tlen == 1)
                        break; /* "/": the whole hierarchy, never a match */
                if (n == tlen && memcmp(line, tail, n) == 0)
                        return true;
                if (n > tlen && memcmp(line, tail, tlen) == 0 && line[tlen] == '/')
                        return true;
        }
        return false;
}

int notify_listen(const char *path) {
        struct sockaddr_un sa = { .sun_family = AF_UNIX };
        int one = 1;

        if (strlen(path) >= sizeof sa.sun_path)
                return -ENAMETOOLONG;
        strcpy(sa.sun_path, path);
        int fd = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
        if (fd < 0)
                return -errno;
        (void) unlink(path);
        if (setsockopt(fd, SOL_SOCKET, SO_PASSCRED, &one, sizeof one) < 0 ||
            bind(fd, (struct sockaddr *) &sa, sizeof sa) < 0 ||
            chmod(path, 0666) < 0) { /* the service may run as any user */
                int r = -errno;
                safe_close(fd);
                return r;
        }
        return fd;
}

int notify_receive(int fd, char *buf, size_t size, size_t *ret_len, pid_t *ret_pid, int *fds, size_t max,
                   size_t *ret_n_fds) {
        union {
                struct cmsghdr h;
                char buf[CMSG_SPACE(sizeof(struct ucred)) + CMSG_SPACE(sizeof(int) * 16)];
        } control;
        size_t n_fds = 0;
        struct iovec iov = { .iov_base = buf, .iov_len = size - 1 };
        struct msghdr mh = {
                .msg_iov = &iov, .msg_iovlen = 1,
                .msg_control = &control, .msg_controllen = sizeof control,
        };

        ssize_t n = recvmsg(fd, &mh, MSG_DONTWAIT | MSG_CMSG_CLOEXEC | MSG_TRUNC);
        if (n < 0)
                return -errno;
        *ret_pid = 0;
        for (struct cmsghdr *c = CMSG_FIRSTHDR(&mh); c; c = CMSG_NXTHDR(&mh, c))
                if (c->cmsg_level == SOL_SOCKET && c->cmsg_type == SCM_CREDENTIALS &&
                    c->cmsg_len == CMSG_LEN(sizeof(struct ucred))) {
                        struct ucred u;
                        memcpy(&u, CMSG_DATA(c), sizeof u);
                        *ret_pid = u.pid;
                } else if (c->cmsg_level == SOL_SOCKET && c->cmsg_type == SCM_RIGHTS) {
                        int *received = (int *) CMSG_DATA(c);
                        for (size_t i = 0; i < (c->cmsg_len - CMSG_LEN(0)) / sizeof(int); i++) {
                                if (n_fds < max)
                                        fds[n_fds++] = received[i];
                                else
                                        safe_close(received[i]);
                        }
                }
        *ret_n_fds = n_fds;
        size_t len = MIN((size_t) n, size - 1);
        buf[len] = 0;
        *ret_len = len;
        return 0;
}
