/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Per-sandbox cgroups: <root>/<name>/{monitor,payload}, limits on payload,
 * and the check that refuses a limit the host cannot enforce. */
#include <dirent.h>
#include <fcntl.h>
#include <inttypes.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <sys/stat.h>

#include "cg-internal.h"
#include "fileio.h"
#include "strv.h"

void cg_limits_init(CgLimits *l) {
        *l = (CgLimits) {
                .memory_max = CG_LIMIT_UNSET,
                .memory_high = CG_LIMIT_UNSET,
                .memory_swap_max = CG_LIMIT_UNSET,
                .pids_max = CG_LIMIT_UNSET,
                .cpu_quota_per_sec_usec = CG_LIMIT_UNSET,
                .cpu_weight = CG_LIMIT_UNSET,
        };
}

/* Each policy key, the field it sets and the controller it needs. */
static const struct {
        const char *key;
        size_t offset;
        CgController controller;
        const char *file;
} limit_table[] = {
        { "MemoryMax", offsetof(CgLimits, memory_max), CG_CONTROLLER_MEMORY, "memory.max" },
        { "MemoryHigh", offsetof(CgLimits, memory_high), CG_CONTROLLER_MEMORY, "memory.high" },
        { "MemorySwapMax", offsetof(CgLimits, memory_swap_max), CG_CONTROLLER_MEMORY, "memory.swap.max" },
        { "PidsMax", offsetof(CgLimits, pids_max), CG_CONTROLLER_PIDS, "pids.max" },
        { "CPUQuota", offsetof(CgLimits, cpu_quota_per_sec_usec), CG_CONTROLLER_CPU, "cpu.max" },
        { "CPUWeight", offsetof(CgLimits, cpu_weight), CG_CONTROLLER_CPU, "cpu.weight" },
};

static uint64_t limit_value(const CgLimits *l, size_t i) {
        return *(const uint64_t *) ((const char *) l + limit_table[i].offset);
}

CgMask cg_limits_mask(const CgLimits *l) {
        CgMask m = 0;
        for (size_t i = 0; i < ELEMENTSOF(limit_table); i++)
                if (limit_value(l, i) != CG_LIMIT_UNSET)
                        m |= CG_MASK(limit_table[i].controller);
        return m;
}

static char *missing_message(const CgRoot *r, const char *key, CgController c) {
        const char *name = cg_controller_to_string(c);
        char *s = NULL;
        int k;
        if (r->v1 & CG_MASK(c))
                k = asprintf(&s, "%s= needs the cgroup v2 %s controller, which this host does not provide: "
                             "the %s controller is bound to cgroup v1 (fix: boot with cgroup_no_v1=%s or "
                             "systemd.unified_cgroup_hierarchy=1, or remove %s= from the policy)",
                             key, name, name, name, key);
        else if (r->host_available & CG_MASK(c))
                k = asprintf(&s, "%s= needs the cgroup v2 %s controller, which is not delegated to %s "
                             "(fix: Delegate=yes in pgsandboxd's unit, or enable %s in the parent's "
                             "cgroup.subtree_control, or remove %s= from the policy)",
                             key, name, r->path, name, key);
        else
                k = asprintf(&s, "%s= needs the cgroup v2 %s controller, which this host does not provide: "
                             "the kernel does not offer it to cgroup v2 (fix: a kernel with the %s "
                             "controller, or remove %s= from the policy)",
                             key, name, name, key);
        return k < 0 ? NULL : s;
}

int cg_limits_check(const CgRoot *r, const CgLimits *l, char **ret_error) {
        _cleanup_free_ char *msg = NULL;
        size_t len = 0;
        for (size_t i = 0; i < ELEMENTSOF(limit_table); i++) {
                CgController c = limit_table[i].controller;
                if (limit_value(l, i) == CG_LIMIT_UNSET || (r->supported & CG_MASK(c)))
                        continue;
                if (!ret_error)
                        return -EOPNOTSUPP;
                _cleanup_free_ char *line = missing_message(r, limit_table[i].key, c);
                if (!line)
                        return -ENOMEM;
                size_t n = strlen(line);
                char *m = realloc(msg, len + n + 2);
                if (!m)
                        return -ENOMEM;
                msg = m;
                if (len > 0)
                        msg[len++] = '\n';
                memcpy(msg + len, line, n + 1);
                len += n;
        }
        if (!msg)
                return 0;
        *ret_error = TAKE_PTR(msg);
        return -EOPNOTSUPP;
}

int cg_format_cpu_max(uint64_t quota_per_sec_usec, char *buf, size_t len) {
        int n;
        if (quota_per_sec_usec == CG_LIMIT_MAX)
                n = snprintf(buf, len, "max %llu", CG_CPU_PERIOD_USEC);
        else {
                /* The kernel's minimum quota is 1ms per period. */
                uint64_t q = quota_per_sec_usec / (USEC_PER_SEC / CG_CPU_PERIOD_USEC);
                n = snprintf(buf, len, "%" PRIu64 " %llu", MAX(q, (uint64_t) 1000), CG_CPU_PERIOD_USEC);
        }
        return n < 0 || (size_t) n >= len ? -ENOBUFS : 0;
}

static int write_limit(int fd, const char *file, uint64_t v) {
        char buf[64];
        if (v == CG_LIMIT_MAX)
                strcpy(buf, "max");
        else
                snprintf(buf, sizeof buf, "%" PRIu64, v);
        return write_string_file_at(fd, file, buf);
}

int cg_sandbox_set_limits(CgSandbox *s, const CgLimits *l) {
        if (cg_limits_mask(l) & ~s->enabled)
                return -EOPNOTSUPP;
        for (size_t i = 0; i < ELEMENTSOF(limit_table); i++) {
                uint64_t v = limit_value(l, i);
                int r;
                if (v == CG_LIMIT_UNSET)
                        continue;
                if (limit_table[i].offset == offsetof(CgLimits, cpu_quota_per_sec_usec)) {
                        char buf[64];
                        r = cg_format_cpu_max(v, buf, sizeof buf);
                        if (r >= 0)
                                r = write_string_file_at(s->payload_fd, "cpu.max", buf);
                } else
                        r = write_limit(s->payload_fd, limit_table[i].file, v);
                if (r == -ENOENT)
                        r = -EOPNOTSUPP;   /* e.g. memory.swap.max without swap accounting */
                if (r < 0)
                        return r;
        }
        /* One OOM kill takes the whole payload: a half-killed service is
         * worse than a restarted one, and the event says why. */
        if (s->enabled & CG_MASK(CG_CONTROLLER_MEMORY))
                return write_string_file_at(s->payload_fd, "memory.oom.group", "1");
        return 0;
}

CgSandbox *cg_sandbox_free(CgSandbox *s) {
        if (!s)
                return NULL;
        safe_close(s->fd);
        safe_close(s->monitor_fd);
        safe_close(s->payload_fd);
        safe_close(s->events_fd);
        free(s->name);
        free(s->path);
        return mfree(s);
}

static int sandbox_alloc(CgRoot *r, const char *name, const char *dirname, CgSandbox **ret) {
        CgSandbox *s = calloc(1, sizeof *s);
        if (!s)
                return -ENOMEM;
        s->fd = s->monitor_fd = s->payload_fd = s->events_fd = -EBADF;
        s->name = strdup(name);
        if (!s->name || asprintf(&s->path, "%s/%s", r->path, dirname) < 0) {
                cg_sandbox_free(s);
                return -ENOMEM;
        }
        *ret = s;
        return 0;
}

static int sandbox_open_leaves(CgSandbox *s, CgRoot *r, const char *dirname) {
        if (s->fd < 0) {
                s->fd = cg_open_dir_at(r->fd, dirname);
                if (s->fd < 0)
                        return s->fd;
        }
        s->monitor_fd = cg_open_dir_at(s->fd, "monitor");
        if (s->monitor_fd < 0)
                return s->monitor_fd;
        s->payload_fd = cg_open_dir_at(s->fd, "payload");
        return s->payload_fd < 0 ? s->payload_fd : 0;
}

int cg_sandbox_create(CgRoot *r, const char *name, const CgLimits *l, CgSandbox **ret) {
        _cleanup_(cg_sandbox_freep) CgSandbox *s = NULL;
        _cleanup_free_ char *dirname = NULL;
        int k;

        k = cg_limits_check(r, l, NULL);
        if (k < 0)
                return k;
        k = cg_escape_name(name, &dirname);
        if (k < 0)
                return k;
        k = sandbox_alloc(r, name, dirname, &s);
        if (k < 0)
                return k;
        CgMask need = cg_limits_mask(l) | (l->accounting & r->supported);
        k = cg_root_enable(r, need);
        if (k < 0)
                return k;
        if (mkdirat(r->fd, dirname, 0755) < 0)
                return -errno;

        /* From here on, a failure removes what we made. */
        k = cg_open_dir_at(r->fd, dirname);
        if (k >= 0) {
                s->fd = k;
                k = cg_enable_controllers_fd(s->fd, need);
        }
        if (k >= 0 && (mkdirat(s->fd, "monitor", 0755) < 0 || mkdirat(s->fd, "payload", 0755) < 0))
                k = -errno;
        if (k >= 0)
                k = sandbox_open_leaves(s, r, dirname);
        if (k >= 0) {
                s->enabled = need;
                k = cg_sandbox_set_limits(s, l);
        }
        if (k < 0) {
                (void) cg_remove_tree_at(r->fd, dirname);
                return k;
        }
        *ret = TAKE_PTR(s);
        return 0;
}

int cg_sandbox_open(CgRoot *r, const char *name, CgSandbox **ret) {
        _cleanup_(cg_sandbox_freep) CgSandbox *s = NULL;
        _cleanup_free_ char *dirname = NULL;
        int k = cg_escape_name(name, &dirname);
        if (k < 0)
                return k;
        k = sandbox_alloc(r, name, dirname, &s);
        if (k < 0)
                return k;
        k = sandbox_open_leaves(s, r, dirname);
        if (k < 0)
                return k;
        k = cg_read_mask_at(s->payload_fd, "cgroup.controllers", &s->enabled);
        if (k < 0)
                return k;
        *ret = TAKE_PTR(s);
        return 0;
}

int cg_sandbox_leaf_fd(const CgSandbox *s, CgLeaf leaf) {
        switch (leaf) {
        case CG_LEAF_MONITOR:
                return s->monitor_fd;
        case CG_LEAF_PAYLOAD:
                return s->payload_fd;
        case CG_LEAF_ALL:
                return s->fd;
        }
        return -EINVAL;
}

int cg_sandbox_read_state(CgSandbox *s, CgState *ret) {
        char buf[128];
        if (s->events_fd < 0) {
                s->events_fd = openat(s->payload_fd, "cgroup.events", O_RDONLY | O_CLOEXEC);
                if (s->events_fd < 0)
                        return -errno;
        }
        /* kernfs regenerates the text on a read at offset 0. */
        ssize_t n = pread(s->events_fd, buf, sizeof buf - 1, 0);
        if (n < 0)
                return -errno;
        buf[n] = 0;
        uint64_t populated, frozen;
        int r = cg_parse_keyed(buf, "populated", &populated);
        if (r < 0)
                return r;
        if (cg_parse_keyed(buf, "frozen", &frozen) < 0)
                frozen = 0;   /* before 5.2 */
        *ret = (CgState) { .populated = populated > 0, .frozen = frozen > 0 };
        return 0;
}

int cg_sandbox_kill(CgSandbox *s, CgLeaf leaf, int sig) {
        int fd = cg_sandbox_leaf_fd(s, leaf);
        return fd < 0 ? fd : cg_kill_fd(fd, sig, 0);
}

int cg_sandbox_destroy(CgSandbox *s, bool kill, usec_t timeout) {
        int r;
        if (kill) {
                r = cg_kill_fd(s->fd, SIGKILL, 0);
                if (r < 0)
                        return r;
        }
        r = cg_wait_events_fd(s->fd, false, timeout);
        if (r < 0)
                return r;
        /* Children first: a cgroup with children cannot be removed. */
        r = cg_remove_tree_at(s->fd, "payload");
        if (r < 0 && r != -ENOENT)
                return r;
        r = cg_remove_tree_at(s->fd, "monitor");
        if (r < 0 && r != -ENOENT)
                return r;
        return rmdir(s->path) < 0 ? -errno : 0;
}

static int cmp_str(const void *a, const void *b) {
        return strcmp(*(char * const *) a, *(char * const *) b);
}

int cg_root_list_sandboxes(CgRoot *r, char ***ret) {
        _cleanup_strv_free_ char **names = NULL;
        int dfd = fcntl(r->fd, F_DUPFD_CLOEXEC, 3);
        if (dfd < 0)
                return -errno;
        DIR *d = fdopendir(dfd);
        if (!d) {
                safe_close(dfd);
                return -errno;
        }
        /* fdopendir() of a dup shares the offset: start from the top. */
        rewinddir(d);
        int k = 0;
        for (struct dirent *de; (de = readdir(d));) {
                if (de->d_type != DT_DIR || de->d_name[0] == '.' || streq(de->d_name, CG_SUPERVISOR_LEAF))
                        continue;
                char payload[NAME_MAX + 16];
                struct stat st;
                snprintf(payload, sizeof payload, "%s/payload", de->d_name);
                if (fstatat(r->fd, payload, &st, 0) < 0 || !S_ISDIR(st.st_mode))
                        continue;
                char *name = NULL;
                k = cg_unescape_name(de->d_name, &name);
                if (k < 0)
                        break;
                k = strv_push(&names, name);
                if (k < 0) {
                        free(name);
                        break;
                }
        }
        closedir(d);
        if (k < 0)
                return k;
        if (names)
                qsort(names, strv_length(names), sizeof *names, cmp_str);
        else {
                names = calloc(1, sizeof *names);
                if (!names)
                        return -ENOMEM;
        }
        *ret = TAKE_PTR(names);
        return 0;
}
