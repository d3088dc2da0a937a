/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Small cgroupfs helpers: controller names, flat-keyed files, cgroup.procs,
 * and the escaping of sandbox names. */
#include <ctype.h>
#include <fcntl.h>
#include <inttypes.h>
#include <limits.h>
#include <stdio.h>

#include "cg-internal.h"
#include "fileio.h"
#include "string-table.h"

static const char * const cg_controller_table[_CG_CONTROLLER_MAX] = {
        [CG_CONTROLLER_CPU] = "cpu",
        [CG_CONTROLLER_MEMORY] = "memory",
        [CG_CONTROLLER_PIDS] = "pids",
};

DEFINE_STRING_TABLE_LOOKUP(cg_controller, CgController, cg_controller_table, strcmp);

CgMask cg_mask_from_string(const char *s) {
        CgMask m = 0;
        if (!s)
                return 0;
        while (*s) {
                size_t n = strcspn(s, " \t\n");
                for (CgController c = 0; c < _CG_CONTROLLER_MAX; c++)
                        if (strlen(cg_controller_table[c]) == n && strneq(s, cg_controller_table[c], n))
                                m |= CG_MASK(c);
                s += n;
                s += strspn(s, " \t\n");
        }
        return m;
}

int cg_parse_u64(const char *s, uint64_t *ret) {
        if (streq(s, "max")) {
                *ret = CG_LIMIT_MAX;
                return 0;
        }
        if (!isdigit((unsigned char) *s))
                return -EINVAL;
        char *end;
        errno = 0;
        unsigned long long v = strtoull(s, &end, 10);
        if (errno != 0)
                return -errno;
        if (*end != 0 && *end != '\n')
                return -EINVAL;
        *ret = v;
        return 0;
}

int cg_parse_keyed(const char *text, const char *key, uint64_t *ret) {
        size_t k = strlen(key);
        for (const char *p = text; p && *p; p = strchr(p, '\n'), p = p ? p + 1 : NULL) {
                if (strneq(p, key, k) && p[k] == ' ') {
                        char buf[32];
                        size_t n = strcspn(p + k + 1, "\n");
                        if (n == 0 || n >= sizeof buf)
                                return -EINVAL;
                        memcpy(buf, p + k + 1, n);
                        buf[n] = 0;
                        return cg_parse_u64(buf, ret);
                }
        }
        return -ENXIO;
}

int cg_read_keyed_at(int dirfd, const char *file, const char *key, uint64_t *ret) {
        _cleanup_free_ char *text = NULL;
        int r = read_full_file_at(dirfd, file, CG_FILE_MAX, &text, NULL);
        if (r < 0)
                return r;
        return cg_parse_keyed(text, key, ret);
}

int cg_read_u64_at(int dirfd, const char *file, uint64_t *ret) {
        _cleanup_free_ char *text = NULL;
        int r = read_full_file_at(dirfd, file, CG_FILE_MAX, &text, NULL);
        if (r < 0)
                return r;
        return cg_parse_u64(text, ret);
}

int cg_read_mask_at(int dirfd, const char *file, CgMask *ret) {
        _cleanup_free_ char *text = NULL;
        int r = read_full_file_at(dirfd, file, CG_FILE_MAX, &text, NULL);
        if (r < 0)
                return r;
        *ret = cg_mask_from_string(text);
        return 0;
}

int cg_attach_fd(int cgfd, pid_t pid) {
        char buf[32];
        snprintf(buf, sizeof buf, "%d", (int) pid);
        return write_string_file_at(cgfd, "cgroup.procs", buf);
}

int cg_read_procs_fd(int cgfd, pid_t **ret, size_t *ret_n) {
        _cleanup_free_ char *text = NULL;
        int r = read_full_file_at(cgfd, "cgroup.procs", 0, &text, NULL);
        if (r < 0)
                return r;
        size_t n = 0, cap = 0;
        _cleanup_free_ pid_t *pids = NULL;
        for (char *p = text, *end; *p; p = end) {
                long v = strtol(p, &end, 10);
                if (end == p || v <= 0 || v > INT_MAX)
                        return -EINVAL;
                end += strspn(end, "\n");
                if (n == cap) {
                        cap = cap ? cap * 2 : 16;
                        pid_t *q = realloc(pids, cap * sizeof *pids);
                        if (!q)
                                return -ENOMEM;
                        pids = q;
                }
                pids[n++] = (pid_t) v;
        }
        if (ret)
                *ret = TAKE_PTR(pids);
        if (ret_n)
                *ret_n = n;
        return 0;
}

int cg_is_populated_fd(int cgfd) {
        uint64_t v;
        int r = cg_read_keyed_at(cgfd, "cgroup.events", "populated", &v);
        if (r < 0)
                return r;
        return v > 0;
}

int cg_read_frozen_fd(int cgfd) {
        uint64_t v;
        int r = cg_read_keyed_at(cgfd, "cgroup.events", "frozen", &v);
        if (r < 0)
                return r;
        return v > 0;
}

/* Directory names the kernel (v1 or v2) or we use next to a sandbox. A name
 * "<prefix>.<anything>" with one of these prefixes may be an interface file
 * now or in a future kernel. */
static const char * const interface_prefixes[] = {
        "cgroup", "cpu", "cpuacct", "cpuset", "io", "blkio", "memory", "memsw",
        "devices", "freezer", "hugetlb", "net_cls", "net_prio", "perf_event",
        "pids", "rdma", "misc", "irq",
};
static const char * const reserved_names[] = {
        "tasks", "notify_on_release", "release_agent", CG_SUPERVISOR_LEAF,
};

static bool name_needs_escape(const char *name) {
        if (name[0] == '_' || name[0] == '.')
                return true;
        for (size_t i = 0; i < ELEMENTSOF(reserved_names); i++)
                if (streq(name, reserved_names[i]))
                        return true;
        const char *dot = strchr(name, '.');
        if (!dot)
                return false;
        for (size_t i = 0; i < ELEMENTSOF(interface_prefixes); i++)
                if (strlen(interface_prefixes[i]) == (size_t) (dot - name) &&
                    strneq(name, interface_prefixes[i], (size_t) (dot - name)))
                        return true;
        return false;
}

int cg_escape_name(const char *name, char **ret) {
        if (!name || !*name || streq(name, ".") || streq(name, "..") || strlen(name) >= NAME_MAX)
                return -EINVAL;
        for (const char *p = name; *p; p++)
                if (*p == '/' || (unsigned char) *p < 0x20 || *p == 0x7f)
                        return -EINVAL;
        char *s = name_needs_escape(name) ? NULL : strdup(name);
        if (!s && asprintf(&s, "_%s", name) < 0)
                return -ENOMEM;
        *ret = s;
        return 0;
}

int cg_unescape_name(const char *dirname, char **ret) {
        if (!dirname || !*dirname)
                return -EINVAL;
        char *s = strdup(dirname[0] == '_' ? dirname + 1 : dirname);
        if (!s)
                return -ENOMEM;
        *ret = s;
        return 0;
}
