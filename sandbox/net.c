/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The network namespace: a new one holds only "lo", down. Bringing it up is
 * one ioctl on any socket of the namespace, no netlink needed. Child half:
 * syscalls only. */

#include <net/if.h>
#include <sys/ioctl.h>
#include <sys/socket.h>

#include "sandbox-internal.h"

int sandbox_loopback_up(void) {
        struct ifreq ifr = {};
        int fd, r = 0;

        fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
        if (fd < 0)
                return negative_errno();
        memcpy(ifr.ifr_name, "lo", 3);
        if (ioctl(fd, SIOCGIFFLAGS, &ifr) < 0)
                r = negative_errno();
        else if (!(ifr.ifr_flags & IFF_UP)) {
                ifr.ifr_flags |= IFF_UP;
                if (ioctl(fd, SIOCSIFFLAGS, &ifr) < 0)
                        r = negative_errno();
        }
        (void) close(fd);
        return r;
}
