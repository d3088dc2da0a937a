/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Kill, wait for empty, remove. cgroup.kill first (5.14+): one write, and the
 * kernel makes it race-free against fork. Without it, freeze the subtree so
 * nothing can fork while we read cgroup.procs, signal every pid, thaw. */
#include <dirent.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/inotify.h>
#include <sys/stat.h>

#include "cg-internal.h"
#include "fileio.h"

/* Frozen cgroups that are stuck (a task in D state) still get the signal. */
#define CG_FREEZE_TIMEOUT (2 * USEC_PER_SEC)

typedef int (*cg_visit_t)(int cgfd, void *userdata);

/* Calls visit on cgfd and every cgroup below it, parents first. */
static int cg_walk(int cgfd, cg_visit_t visit, void *userdata) {
        int r = visit(cgfd, userdata);
        if (r < 0)
                return r;
        int dfd = fcntl(cgfd, F_DUPFD_CLOEXEC, 3);
        if (dfd < 0)
                return -errno;
        DIR *d = fdopendir(dfd);
        if (!d) {
                safe_close(dfd);
                return -errno;
        }
        for (struct dirent *de; (de = readdir(d));) {
                if (de->d_type != DT_DIR || streq(de->d_name, ".") || streq(de->d_name, ".."))
                        continue;
                _cleanup_close_ int child = cg_open_dir_at(dirfd(d), de->d_name);
                if (child == -ENOENT)
                        continue;   /* removed meanwhile */
                if (child < 0) {
                        r = child;
                        break;
                }
                r = cg_walk(child, visit, userdata);
                if (r < 0)
                        break;
        }
        closedir(d);
        return r < 0 ? r : 0;
}

static int signal_procs(int cgfd, void *userdata) {
        int sig = *(int *) userdata;
        _cleanup_free_ pid_t *pids = NULL;
        size_t n;
        int r = cg_read_procs_fd(cgfd, &pids, &n);
        if (r < 0)
                return r;
        for (size_t i = 0; i < n; i++)
                if (kill(pids[i], sig) < 0 && errno != ESRCH)
                        return -errno;
        return 0;
}

static int kill_frozen(int cgfd, int sig) {
        bool frozen = write_string_file_at(cgfd, "cgroup.freeze", "1") >= 0;
        int r;
        if (frozen) {
                r = cg_wait_events_fd(cgfd, true, CG_FREEZE_TIMEOUT);
                if (r < 0 && r != -ETIMEDOUT) {
                        (void) write_string_file_at(cgfd, "cgroup.freeze", "0");
                        return r;
                }
        }
        r = cg_walk(cgfd, signal_procs, &sig);
        if (frozen) {
                int k = write_string_file_at(cgfd, "cgroup.freeze", "0");
                if (r >= 0)
                        r = k;
        }
        return r;
}

int cg_kill_fd(int cgfd, int sig, unsigned flags) {
        if (sig == SIGKILL && !(flags & CG_KILL_NO_CGROUP_KILL)) {
                int r = write_string_file_at(cgfd, "cgroup.kill", "1");
                if (r != -ENOENT)
                        return r;
        }
        return kill_frozen(cgfd, sig);
}

static int events_reached(int cgfd, bool want_frozen) {
        int r = want_frozen ? cg_read_frozen_fd(cgfd) : cg_is_populated_fd(cgfd);
        if (r < 0)
                return r;
        return want_frozen ? r > 0 : r == 0;
}

int cg_wait_events_fd(int cgfd, bool want_frozen, usec_t timeout) {
        char path[64];
        /* Most of the time it is already so: no inotify needed. */
        int r = events_reached(cgfd, want_frozen);
        if (r != 0)
                return r < 0 ? r : 0;
        r = cg_fd_path(cgfd, "cgroup.events", path, sizeof path);
        if (r < 0)
                return r;
        _cleanup_close_ int ino = inotify_init1(IN_CLOEXEC | IN_NONBLOCK);
        if (ino < 0)
                return -errno;
        /* Watch first, then read: a change in between still wakes us. */
        if (inotify_add_watch(ino, path, IN_MODIFY) < 0)
                return -errno;
        usec_t deadline = timeout == USEC_INFINITY ? USEC_INFINITY : now_usec(CLOCK_MONOTONIC) + timeout;
        for (;;) {
                r = events_reached(cgfd, want_frozen);
                if (r != 0)
                        return r < 0 ? r : 0;
                int ms = -1;
                if (deadline != USEC_INFINITY) {
                        usec_t n = now_usec(CLOCK_MONOTONIC);
                        if (n >= deadline)
                                return -ETIMEDOUT;
                        ms = (int) MIN((deadline - n + USEC_PER_MSEC - 1) / USEC_PER_MSEC, (usec_t) INT32_MAX);
                }
                struct pollfd p = { .fd = ino, .events = POLLIN };
                if (poll(&p, 1, ms) < 0 && errno != EINTR)
                        return -errno;
                char buf[4096];
                while (read(ino, buf, sizeof buf) > 0)
                        ;
        }
}

int cg_remove_tree_at(int parentfd, const char *name) {
        /* Leaves are the common case: only list the directory when it has
         * children (listing a cgroup directory is the expensive part). */
        if (unlinkat(parentfd, name, AT_REMOVEDIR) >= 0)
                return 0;
        if (errno != ENOTEMPTY && errno != EBUSY)
                return -errno;
        _cleanup_close_ int fd = cg_open_dir_at(parentfd, name);
        if (fd < 0)
                return fd;
        int dfd = fcntl(fd, F_DUPFD_CLOEXEC, 3);
        if (dfd < 0)
                return -errno;
        DIR *d = fdopendir(dfd);
        if (!d) {
                safe_close(dfd);
                return -errno;
        }
        int r = 0;
        for (struct dirent *de; (de = readdir(d));) {
                if (de->d_type != DT_DIR || streq(de->d_name, ".") || streq(de->d_name, ".."))
                        continue;
                r = cg_remove_tree_at(fd, de->d_name);
                if (r < 0 && r != -ENOENT)
                        break;
                r = 0;
        }
        closedir(d);
        if (r < 0)
                return r;
        return unlinkat(parentfd, name, AT_REMOVEDIR) < 0 ? -errno : 0;
}
