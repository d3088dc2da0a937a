/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The root of our subtree, and enabling controllers on the way down to it. */
#include <fcntl.h>
#include <stdio.h>
#include <sys/stat.h>

#include "cg-internal.h"
#include "fileio.h"

int cg_open_dir_at(int dirfd, const char *name) {
        int fd = openat(dirfd, name, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
        return fd < 0 ? -errno : fd;
}

int cg_fd_path(int cgfd, const char *file, char *buf, size_t len) {
        int n = snprintf(buf, len, "/proc/self/fd/%d/%s", cgfd, file);
        return n < 0 || (size_t) n >= len ? -ENAMETOOLONG : 0;
}

int cg_enable_controllers_fd(int cgfd, CgMask mask) {
        CgMask enabled;
        if (mask == 0)
                return 0;
        int r = cg_read_mask_at(cgfd, "cgroup.subtree_control", &enabled);
        if (r < 0)
                return r;
        for (CgController c = 0; c < _CG_CONTROLLER_MAX; c++) {
                if (!(mask & CG_MASK(c)) || (enabled & CG_MASK(c)))
                        continue;
                char buf[32];
                snprintf(buf, sizeof buf, "+%s", cg_controller_to_string(c));
                r = write_string_file_at(cgfd, "cgroup.subtree_control", buf);
                if (r < 0)
                        return r;
        }
        return 0;
}

CgRoot *cg_root_free(CgRoot *r) {
        if (!r)
                return NULL;
        safe_close(r->fd);
        free(r->mount);
        free(r->path);
        return mfree(r);
}

/* mkdir -p below the mount; every component is a cgroup. */
static int mkdir_below(int mountfd, const char *rel) {
        _cleanup_free_ char *p = strdup(rel);
        if (!p)
                return -ENOMEM;
        for (char *s = p;; s++) {
                if (*s != '/' && *s != 0)
                        continue;
                char saved = *s;
                *s = 0;
                if (*p && mkdirat(mountfd, p, 0755) < 0 && errno != EEXIST)
                        return -errno;
                if (saved == 0)
                        return 0;
                *s = saved;
        }
}

/* Every process of our own cgroup, us first, goes to <own>/supervisor. The
 * others are ours too (a delegated unit's cgroup holds only the daemon and
 * what it started); retried because they may fork while we move them. */
static int move_into_supervisor(int ownfd) {
        if (mkdirat(ownfd, CG_SUPERVISOR_LEAF, 0755) < 0 && errno != EEXIST)
                return -errno;
        _cleanup_close_ int sfd = cg_open_dir_at(ownfd, CG_SUPERVISOR_LEAF);
        if (sfd < 0)
                return sfd;
        int r = cg_attach_fd(sfd, 0);
        if (r < 0)
                return r;
        for (int round = 0; round < 16; round++) {
                _cleanup_free_ pid_t *pids = NULL;
                size_t n;
                r = cg_read_procs_fd(ownfd, &pids, &n);
                if (r < 0)
                        return r;
                if (n == 0)
                        return 0;
                for (size_t i = 0; i < n; i++) {
                        r = cg_attach_fd(sfd, pids[i]);
                        if (r < 0 && r != -ESRCH)
                                return r;
                }
        }
        return -EBUSY;
}

static int root_open_dir(CgRoot *r) {
        r->fd = open(r->path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
        return r->fd < 0 ? -errno : 0;
}

int cg_root_open(const CgHost *h, const char *configured, bool delegated, CgRoot **ret) {
        _cleanup_(cg_root_freep) CgRoot *r = calloc(1, sizeof *r);
        int r_;

        if (!r)
                return -ENOMEM;
        r->fd = -EBADF;
        r->delegated = delegated;
        r->v1 = h->v1;
        r->host_available = h->available;
        r->mount = strdup(h->mount);
        if (!r->mount)
                return -ENOMEM;

        if (delegated) {
                if (streq(h->own, "/"))
                        return -EINVAL;   /* the root cgroup is never delegated */
                if (asprintf(&r->path, "%s%s", h->mount, h->own) < 0)
                        return -ENOMEM;
                r_ = root_open_dir(r);
                if (r_ < 0)
                        return r_;
                r_ = move_into_supervisor(r->fd);
                if (r_ < 0)
                        return r_;
                r->supported = h->own_available;
        } else {
                const char *rel = configured ?: CG_ROOT_DEFAULT;
                size_t m = strlen(h->mount);
                if (rel[0] == '/') {
                        if (!strneq(rel, h->mount, m) || (rel[m] != '/' && rel[m] != 0))
                                return -EXDEV;   /* not below the cgroup2 mount */
                        rel += m;
                }
                if (asprintf(&r->path, "%s/%s", h->mount, rel) < 0)
                        return -ENOMEM;
                /* One slash between components, none at the end. */
                char *o = r->path + m + 1;
                for (const char *i = o; *i; i++)
                        if (*i != '/' || (o > r->path + m + 1 && o[-1] != '/'))
                                *o++ = *i;
                while (o > r->path + m + 1 && o[-1] == '/')
                        o--;
                *o = 0;
                rel = r->path + m + 1;
                if (!*rel || strstr(rel, ".."))
                        return -EINVAL;
                _cleanup_close_ int mfd = open(h->mount, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
                if (mfd < 0)
                        return -errno;
                r_ = mkdir_below(mfd, rel);
                if (r_ < 0)
                        return r_;
                r_ = root_open_dir(r);
                if (r_ < 0)
                        return r_;
                r->supported = h->available;
        }
        *ret = TAKE_PTR(r);
        return 0;
}

int cg_root_enable(CgRoot *r, CgMask mask) {
        int k;
        if (mask == 0)
                return 0;
        if (mask & ~r->supported)
                return -EOPNOTSUPP;
        if ((mask & ~r->enabled) == 0)
                return 0;   /* done for an earlier sandbox */
        if (!r->delegated) {
                /* From the mount down to the root's parent: each makes the
                 * controllers available to the next one. */
                _cleanup_close_ int fd = open(r->mount, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
                if (fd < 0)
                        return -errno;
                const char *p = r->path + strlen(r->mount);
                for (;;) {
                        p += strspn(p, "/");
                        size_t n = strcspn(p, "/");
                        if (p[n] == 0)
                                break;   /* p is the root's own name */
                        k = cg_enable_controllers_fd(fd, mask);
                        if (k < 0)
                                return k;
                        _cleanup_free_ char *c = strndup(p, n);
                        if (!c)
                                return -ENOMEM;
                        int next = cg_open_dir_at(fd, c);
                        if (next < 0)
                                return next;
                        safe_close(fd);
                        fd = next;
                        p += n;
                }
                k = cg_enable_controllers_fd(fd, mask);
                if (k < 0)
                        return k;
        }
        k = cg_enable_controllers_fd(r->fd, mask);
        if (k < 0)
                return k;
        r->enabled |= mask;
        return 0;
}
