/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The mount plan. The parent turns the configuration into a flat list of
 * operations with every path already prefixed by the root directory; the
 * init, in its new mount namespace, walks the list with plain syscalls.
 *
 * Order (later entries win over earlier ones on the same path):
 *   1. propagation private, recursively, so nothing leaks back to the host
 *   2. RootDirectory= bound onto itself (pivot_root needs a mount point)
 *   3. ProtectSystem= (yes: /usr /boot /efi; strict: the whole tree) read-only
 *   4. fresh /proc (with /proc/sys, /proc/sysrq-trigger and the like
 *      read-only), /sys read-only (a fresh sysfs in a new net namespace so
 *      that /sys/class/net shows the sandbox's devices), a minimal /dev on a tmpfs
 *      (device nodes made with mknod, or the host's bound in a user
 *      namespace; devpts newinstance, shm)
 *   5. ReadOnlyPaths=, then ReadWritePaths= (punching holes into 3 and 5)
 *   6. BindPaths=, BindReadOnlyPaths=, TemporaryFileSystem=, PrivateTmp=
 *   7. InaccessiblePaths= last, so nothing above can uncover them
 *   8. (in the init, after hostname and loopback) pivot_root into the root
 * Read-only is applied with mount_setattr(AT_RECURSIVE), which covers the
 * submounts too and needs the path to be a mount root, hence the self-binds.
 * No directory is created on the host: mount points are created only under
 * a RootDirectory= (where a missing one on an unwritable root fails the
 * start) or inside tmpfs mounts the plan made itself. */

#include <fcntl.h>
#include <limits.h>
#include <sched.h>
#include <stdio.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/syscall.h>

#include "sandbox-internal.h"
#include "strv.h"

#define MS_NOSUID_NODEV_NOEXEC (MS_NOSUID | MS_NODEV | MS_NOEXEC)

static const char * const proc_read_only[] = {
        "/proc/sys", "/proc/sysrq-trigger", "/proc/irq", "/proc/bus", "/proc/fs", "/proc/asound",
};

static const char * const dev_nodes[] = { "null", "zero", "full", "random", "urandom", "tty" };

static int path_join(const char *root, const char *path, char **ret) {
        size_t a = root ? strlen(root) : 0;
        char *s;

        while (a > 1 && root[a - 1] == '/')
                a--;
        if (a == 1 && root[0] == '/')
                a = 0;
        if (!path || path[0] != '/')
                return -EINVAL;
        s = malloc(a + strlen(path) + 1);
        if (!s)
                return -ENOMEM;
        if (a > 0)
                memcpy(s, root, a);
        strcpy(s + a, path);
        /* "/" under a root directory is the root directory itself. */
        if (a > 0 && streq(path, "/"))
                s[a] = 0;
        *ret = s;
        return 0;
}

/* mk: the target is a mount point in a root directory, created (before the
 * plan makes anything read-only) when missing. */
static int plan_add(MountPlan *plan, MountOpKind kind, const char *root, const char *source,
                    const char *target, const char *data, unsigned long flags, bool optional, bool mk) {
        _cleanup_free_ char *s = NULL, *t = NULL;
        MountOp *ops;
        int r;

        if (source) {
                s = strdup(source);
                if (!s)
                        return -ENOMEM;
        }
        if (target) {
                r = path_join(root, target, &t);
                if (r < 0)
                        return r;
        }
        ops = reallocarray(plan->ops, plan->n_ops + 1, sizeof *ops);
        if (!ops)
                return -ENOMEM;
        plan->ops = ops;
        ops[plan->n_ops++] = (MountOp) {
                .kind = kind, .source = TAKE_PTR(s), .target = TAKE_PTR(t),
                .data = data, .flags = flags, .optional = optional, .mkdir_early = mk,
        };
        return 0;
}

/* A path made read-only (or writable again) must be a mount root first. */
static int plan_add_attr(MountPlan *plan, MountOpKind kind, const char *root, const char *path,
                         bool optional) {
        _cleanup_free_ char *src = NULL;
        int r = path_join(root, path, &src);
        if (r < 0)
                return r;
        r = plan_add(plan, MOUNT_OP_BIND, NULL, src, src, NULL, 0, optional, false);
        if (r < 0)
                return r;
        return plan_add(plan, kind, NULL, NULL, src, NULL, 0, optional, false);
}

static int plan_add_dev(MountPlan *plan, const char *root, bool mk) {
        int r;

        r = plan_add(plan, MOUNT_OP_TMPFS, root, NULL, "/dev", "mode=0755,size=512k", MS_NOSUID | MS_NOEXEC,
                     false, mk);
        if (r < 0)
                return r;
        for (size_t i = 0; i < ELEMENTSOF(dev_nodes); i++) {
                char host[32], inner[32];
                snprintf(host, sizeof host, "/dev/%s", dev_nodes[i]);
                snprintf(inner, sizeof inner, "/dev/%s", dev_nodes[i]);
                struct stat st;
                if (stat(host, &st) < 0 || !S_ISCHR(st.st_mode))
                        continue; /* the host has none: neither will the sandbox */
                r = plan_add(plan, MOUNT_OP_DEV_NODE, root, host, inner, NULL, 0, false, false);
                if (r < 0)
                        return r;
                plan->ops[plan->n_ops - 1].rdev = st.st_rdev;
        }
        r = plan_add(plan, MOUNT_OP_DEVPTS, root, NULL, "/dev/pts", "newinstance,ptmxmode=0666,mode=0620",
                     MS_NOSUID | MS_NOEXEC, false, false);
        if (r < 0)
                return r;
        plan->ops[plan->n_ops - 1].mkdir = true; /* inside our /dev tmpfs */
        r = plan_add(plan, MOUNT_OP_TMPFS, root, NULL, "/dev/shm", "mode=1777", MS_NOSUID_NODEV_NOEXEC,
                     false, false);
        if (r < 0)
                return r;
        plan->ops[plan->n_ops - 1].mkdir = true;
        static const char * const links[][2] = {
                { "pts/ptmx", "/dev/ptmx" },         { "/proc/self/fd", "/dev/fd" },
                { "/proc/self/fd/0", "/dev/stdin" }, { "/proc/self/fd/1", "/dev/stdout" },
                { "/proc/self/fd/2", "/dev/stderr" },
        };
        for (size_t i = 0; i < ELEMENTSOF(links); i++) {
                r = plan_add(plan, MOUNT_OP_SYMLINK, root, links[i][0], links[i][1], NULL, 0, false, false);
                if (r < 0)
                        return r;
        }
        return 0;
}

static int plan_add_paths(MountPlan *plan, const char *root, char * const *paths, MountOpKind kind) {
        STRV_FOREACH(p, paths) {
                int r = plan_add_attr(plan, kind, root, *p, false);
                if (r < 0)
                        return r;
        }
        return 0;
}

static int plan_add_binds(MountPlan *plan, const char *root, const SandboxBind *b, size_t n, bool ro) {
        for (size_t i = 0; i < n; i++) {
                const char *target = b[i].target ?: b[i].source;
                int r;

                if (!b[i].source || b[i].source[0] != '/')
                        return -EINVAL;
                r = plan_add(plan, MOUNT_OP_BIND, root, b[i].source, target, NULL, 0, false, false);
                if (r < 0)
                        return r;
                if (ro) {
                        r = plan_add(plan, MOUNT_OP_READ_ONLY, root, NULL, target, NULL, 0, false, false);
                        if (r < 0)
                                return r;
                }
        }
        return 0;
}

int mount_plan_build(const SandboxConfig *c, MountPlan *ret) {
        _cleanup_(mount_plan_done) MountPlan plan = {};
        const char *root = c->root_directory;
        bool mk = !!root; /* create mount points only inside a root directory */
        int r;

        if (root && root[0] != '/')
                return -EINVAL;

        r = plan_add(&plan, MOUNT_OP_PRIVATE, NULL, NULL, "/", NULL, 0, false, false);
        if (r < 0)
                return r;
        if (root) {
                r = plan_add(&plan, MOUNT_OP_BIND, NULL, root, root, NULL, 0, false, false);
                if (r < 0)
                        return r;
        }

        switch (c->protect_system) {
        case SANDBOX_PROTECT_SYSTEM_NO:
                break;
        case SANDBOX_PROTECT_SYSTEM_YES:
                for (const char * const *p = (const char * const[]) { "/usr", "/boot", "/efi", NULL }; *p; p++) {
                        r = plan_add_attr(&plan, MOUNT_OP_READ_ONLY, root, *p, true);
                        if (r < 0)
                                return r;
                }
                break;
        case SANDBOX_PROTECT_SYSTEM_STRICT:
                r = plan_add(&plan, MOUNT_OP_READ_ONLY, root, NULL, "/", NULL, 0, false, false);
                if (r < 0)
                        return r;
                break;
        default:
                return -EINVAL;
        }

        r = plan_add(&plan, MOUNT_OP_PROC, root, NULL, "/proc", NULL, MS_NOSUID_NODEV_NOEXEC, false, mk);
        if (r < 0)
                return r;
        /* A service running as uid 0 without capabilities still owns every
         * root-owned file by DAC: /proc/sys/kernel/core_pattern or
         * /proc/sysrq-trigger would be writable and reach the host. The
         * kernel's global knobs are therefore read-only, always. */
        for (size_t i = 0; i < ELEMENTSOF(proc_read_only); i++) {
                r = plan_add_attr(&plan, MOUNT_OP_READ_ONLY, root, proc_read_only[i], true);
                if (r < 0)
                        return r;
        }
        /* The same holds for /sys: a fresh one (in a new net namespace, so
         * that /sys/class/net shows the sandbox's devices) or the host's,
         * read-only either way. */
        if (c->namespaces & CLONE_NEWNET)
                r = plan_add(&plan, MOUNT_OP_SYSFS, root, NULL, "/sys", NULL, MS_RDONLY | MS_NOSUID_NODEV_NOEXEC,
                             false, mk);
        else {
                r = plan_add(&plan, MOUNT_OP_BIND, root, "/sys", "/sys", NULL, 0, false, mk);
                if (r >= 0)
                        r = plan_add(&plan, MOUNT_OP_READ_ONLY, root, NULL, "/sys", NULL, 0, false, false);
        }
        if (r < 0)
                return r;
        r = plan_add_dev(&plan, root, mk);
        if (r < 0)
                return r;

        r = plan_add_paths(&plan, root, c->read_only_paths, MOUNT_OP_READ_ONLY);
        if (r < 0)
                return r;
        r = plan_add_paths(&plan, root, c->read_write_paths, MOUNT_OP_READ_WRITE);
        if (r < 0)
                return r;
        r = plan_add_binds(&plan, root, c->bind_paths, c->n_bind_paths, false);
        if (r < 0)
                return r;
        r = plan_add_binds(&plan, root, c->bind_read_only_paths, c->n_bind_read_only_paths, true);
        if (r < 0)
                return r;
        STRV_FOREACH(p, c->temporary_filesystems) {
                r = plan_add(&plan, MOUNT_OP_TMPFS, root, NULL, *p, "mode=0755", MS_NOSUID | MS_NODEV, false, mk);
                if (r < 0)
                        return r;
        }
        if (c->private_tmp) {
                r = plan_add(&plan, MOUNT_OP_TMPFS, root, NULL, "/tmp", "mode=1777", MS_NOSUID | MS_NODEV, false, mk);
                if (r >= 0)
                        r = plan_add(&plan, MOUNT_OP_TMPFS, root, NULL, "/var/tmp", "mode=1777",
                                     MS_NOSUID | MS_NODEV, true, false);
                if (r < 0)
                        return r;
        }
        if (c->inaccessible_paths) {
                r = path_join(root, "/dev/.pgs-inaccessible", &plan.inaccessible_file);
                if (r < 0)
                        return r;
        }
        STRV_FOREACH(p, c->inaccessible_paths) {
                r = plan_add(&plan, MOUNT_OP_INACCESSIBLE, root, plan.inaccessible_file, *p, NULL, 0, false, false);
                if (r < 0)
                        return r;
        }

        *ret = plan;
        plan = (MountPlan) {};
        return 0;
}

void mount_plan_done(MountPlan *plan) {
        for (size_t i = 0; i < plan->n_ops; i++) {
                free(plan->ops[i].source);
                free(plan->ops[i].target);
        }
        plan->ops = mfree(plan->ops);
        plan->n_ops = 0;
        plan->inaccessible_file = mfree(plan->inaccessible_file);
}

/* ---- child half: syscalls only ----------------------------------------- */

static int mkdir_p(const char *path) {
        char buf[PATH_MAX];
        size_t n = strlen(path);

        if (n == 0 || n >= sizeof buf)
                return -ENAMETOOLONG;
        memcpy(buf, path, n + 1);
        for (size_t i = 1; i <= n; i++) {
                if (buf[i] != '/' && buf[i] != 0)
                        continue;
                char saved = buf[i];
                buf[i] = 0;
                if (mkdir(buf, 0755) < 0 && errno != EEXIST)
                        return negative_errno();
                buf[i] = saved;
        }
        return 0;
}

static int set_read_only(const char *path, bool ro) {
        struct mount_attr attr = {
                .attr_set = ro ? MOUNT_ATTR_RDONLY : 0,
                .attr_clr = ro ? 0 : MOUNT_ATTR_RDONLY,
        };
        if (mount_setattr(AT_FDCWD, path, AT_RECURSIVE | AT_SYMLINK_NOFOLLOW, &attr, sizeof attr) < 0)
                return negative_errno();
        return 0;
}

static int make_file(const char *path, mode_t mode) {
        if (mknod(path, S_IFREG | mode, 0) < 0 && errno != EEXIST)
                return negative_errno();
        return 0;
}

static int make_inaccessible(const MountOp *op) {
        struct stat st;
        int r;

        if (lstat(op->target, &st) < 0)
                return negative_errno();
        if (S_ISDIR(st.st_mode)) {
                if (mount("tmpfs", op->target, "tmpfs", MS_RDONLY | MS_NOSUID_NODEV_NOEXEC,
                          "mode=000,size=4k,nr_inodes=1") < 0)
                        return negative_errno();
                return 0;
        }
        /* Anything else gets an empty mode-000 file, staged in our /dev. */
        r = make_file(op->source, 0);
        if (r < 0)
                return r;
        if (mount(op->source, op->target, NULL, MS_BIND, NULL) < 0)
                r = negative_errno();
        (void) unlink(op->source);
        if (r < 0)
                return r;
        return mount(NULL, op->target, NULL, MS_BIND | MS_REMOUNT | MS_RDONLY | MS_NOSUID_NODEV_NOEXEC, NULL) < 0 ?
                negative_errno() : 0;
}

static int apply_one(const MountOp *op) {
        int r;

        if (op->mkdir) {
                r = mkdir_p(op->target);
                if (r < 0)
                        return r;
        }

        switch (op->kind) {
        case MOUNT_OP_PRIVATE:
                return mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) < 0 ? negative_errno() : 0;
        case MOUNT_OP_BIND:
                return mount(op->source, op->target, NULL, MS_BIND | MS_REC, NULL) < 0 ? negative_errno() : 0;
        case MOUNT_OP_READ_ONLY:
        case MOUNT_OP_READ_WRITE:
                return set_read_only(op->target, op->kind == MOUNT_OP_READ_ONLY);
        case MOUNT_OP_TMPFS:
                return mount("tmpfs", op->target, "tmpfs", op->flags, op->data) < 0 ? negative_errno() : 0;
        case MOUNT_OP_PROC:
                return mount("proc", op->target, "proc", op->flags, NULL) < 0 ? negative_errno() : 0;
        case MOUNT_OP_SYSFS:
                return mount("sysfs", op->target, "sysfs", op->flags, NULL) < 0 ? negative_errno() : 0;
        case MOUNT_OP_DEVPTS:
                return mount("devpts", op->target, "devpts", op->flags, op->data) < 0 ? negative_errno() : 0;
        case MOUNT_OP_DEV_NODE:
                /* A node of our own is one syscall and no mount to tear
                 * down; a user namespace may not mknod, so bind the host's. */
                if (mknod(op->target, S_IFCHR | 0666, op->rdev) >= 0)
                        return chmod(op->target, 0666) < 0 ? negative_errno() : 0; /* past the umask */
                if (errno != EPERM)
                        return negative_errno();
                r = make_file(op->target, 0666);
                if (r < 0)
                        return r;
                return mount(op->source, op->target, NULL, MS_BIND, NULL) < 0 ? negative_errno() : 0;
        case MOUNT_OP_SYMLINK:
                return symlink(op->source, op->target) < 0 && errno != EEXIST ? negative_errno() : 0;
        case MOUNT_OP_INACCESSIBLE:
                return make_inaccessible(op);
        default:
                return -EINVAL;
        }
}

int mount_plan_apply(const MountPlan *plan) {
        for (size_t i = 0; i < plan->n_ops; i++)
                if (plan->ops[i].mkdir_early) {
                        int r = mkdir_p(plan->ops[i].target);
                        if (r < 0)
                                return r;
                }
        for (size_t i = 0; i < plan->n_ops; i++) {
                int r = apply_one(&plan->ops[i]);
                if (r == -ENOENT && plan->ops[i].optional)
                        continue;
                if (r < 0)
                        return r;
        }
        return 0;
}

/* Makes root the new "/": pivot_root(".", ".") stacks the old root on top of
 * the new one, and the lazy unmount takes it away (no directory needed). */
int sandbox_pivot_root(const char *root) {
        if (chdir(root) < 0)
                return negative_errno();
        if (syscall(SYS_pivot_root, ".", ".") < 0)
                return negative_errno();
        if (umount2(".", MNT_DETACH) < 0)
                return negative_errno();
        if (chdir("/") < 0)
                return negative_errno();
        return 0;
}
