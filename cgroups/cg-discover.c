/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Discovery: where cgroup2 is mounted, where we are in it, and which
 * controllers it has. Nothing here assumes /sys/fs/cgroup: hybrid hosts mount
 * cgroup2 at /sys/fs/cgroup/unified and keep memory, pids and cpu on v1. */
#include <fcntl.h>
#include <stdio.h>
#include <sys/xattr.h>

#include "cg-internal.h"
#include "fileio.h"

/* mountinfo escapes space, tab, newline and backslash as \ooo. */
static char *unescape_octal(const char *s, size_t n) {
        char *out = malloc(n + 1), *o = out;
        if (!out)
                return NULL;
        for (size_t i = 0; i < n; i++) {
                if (s[i] == '\\' && i + 3 < n && s[i + 1] >= '0' && s[i + 1] <= '3' &&
                    s[i + 2] >= '0' && s[i + 2] <= '7' && s[i + 3] >= '0' && s[i + 3] <= '7') {
                        *o++ = (char) (((s[i + 1] - '0') << 6) | ((s[i + 2] - '0') << 3) | (s[i + 3] - '0'));
                        i += 3;
                } else
                        *o++ = s[i];
        }
        *o = 0;
        return out;
}

/* Field i (0-based, space separated) of line [p, end). */
static bool field(const char *p, const char *end, unsigned i, const char **ret, size_t *ret_n) {
        for (;;) {
                while (p < end && *p == ' ')
                        p++;
                if (p >= end)
                        return false;
                const char *e = p;
                while (e < end && *e != ' ')
                        e++;
                if (i-- == 0) {
                        *ret = p;
                        *ret_n = (size_t) (e - p);
                        return true;
                }
                p = e;
        }
}

static CgMask mask_from_options(const char *s, size_t n) {
        CgMask m = 0;
        while (n > 0) {
                size_t k = 0;
                while (k < n && s[k] != ',')
                        k++;
                for (CgController c = 0; c < _CG_CONTROLLER_MAX; c++) {
                        const char *name = cg_controller_to_string(c);
                        if (strlen(name) == k && strneq(s, name, k))
                                m |= CG_MASK(c);
                }
                s += k;
                n -= k;
                if (n > 0) {
                        s++;
                        n--;
                }
        }
        return m;
}

int cg_parse_mountinfo(const char *text, char **ret_mount, CgMask *ret_v1) {
        _cleanup_free_ char *mount = NULL;
        CgMask v1 = 0;

        for (const char *p = text; p && *p;) {
                const char *end = strchrnul(p, '\n');
                /* After the optional fields: " - fstype source superopts". */
                const char *sep = NULL;
                for (const char *q = p; q + 2 < end; q++)
                        if (q[0] == ' ' && q[1] == '-' && q[2] == ' ') {
                                sep = q + 2;
                                break;
                        }
                const char *fstype, *mp, *opts, *root;
                size_t fstype_n, mp_n, opts_n, root_n;
                if (sep && field(sep, end, 0, &fstype, &fstype_n) &&
                    field(p, sep, 3, &root, &root_n) && field(p, sep, 4, &mp, &mp_n)) {
                        if (fstype_n == 7 && strneq(fstype, "cgroup2", 7) && !mount &&
                            root_n == 1 && root[0] == '/') {
                                mount = unescape_octal(mp, mp_n);
                                if (!mount)
                                        return -ENOMEM;
                        } else if (fstype_n == 6 && strneq(fstype, "cgroup", 6) &&
                                   field(sep, end, 2, &opts, &opts_n))
                                v1 |= mask_from_options(opts, opts_n);
                }
                p = *end ? end + 1 : NULL;
        }
        if (!mount)
                return -ENOMEDIUM;
        if (ret_mount)
                *ret_mount = TAKE_PTR(mount);
        if (ret_v1)
                *ret_v1 = v1;
        return 0;
}

int cg_parse_proc_cgroup(const char *text, char **ret_path) {
        for (const char *p = text; p && *p;) {
                const char *end = strchrnul(p, '\n');
                if (strneq(p, "0::", 3) && p[3] == '/') {
                        char *s = strndup(p + 3, (size_t) (end - p - 3));
                        if (!s)
                                return -ENOMEM;
                        *ret_path = s;
                        return 0;
                }
                p = *end ? end + 1 : NULL;
        }
        return -ENOMEDIUM;
}

CgHost *cg_host_free(CgHost *h) {
        if (!h)
                return NULL;
        free(h->mount);
        free(h->own);
        return mfree(h);
}

int cg_host_discover(CgHost **ret) {
        _cleanup_(cg_host_freep) CgHost *h = calloc(1, sizeof *h);
        _cleanup_free_ char *mountinfo = NULL, *self = NULL;
        int r;

        if (!h)
                return -ENOMEM;
        r = read_full_file("/proc/self/mountinfo", 0, &mountinfo, NULL);
        if (r < 0)
                return r;
        r = cg_parse_mountinfo(mountinfo, &h->mount, &h->v1);
        if (r < 0)
                return r;
        r = read_full_file("/proc/self/cgroup", CG_FILE_MAX, &self, NULL);
        if (r < 0)
                return r;
        r = cg_parse_proc_cgroup(self, &h->own);
        if (r < 0)
                return r;

        _cleanup_close_ int mfd = open(h->mount, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
        if (mfd < 0)
                return -errno;
        r = cg_read_mask_at(mfd, "cgroup.controllers", &h->available);
        if (r < 0)
                return r;
        if (streq(h->own, "/"))
                h->own_available = h->available;
        else {
                _cleanup_close_ int ofd = cg_open_dir_at(mfd, h->own + 1);
                if (ofd < 0)
                        return ofd;
                r = cg_read_mask_at(ofd, "cgroup.controllers", &h->own_available);
                if (r < 0)
                        return r;
        }
        *ret = TAKE_PTR(h);
        return 0;
}

int cg_host_own_delegated(const CgHost *h) {
        _cleanup_free_ char *path = NULL;
        char v[8] = {};
        if (streq(h->own, "/"))
                return 0;
        if (asprintf(&path, "%s%s", h->mount, h->own) < 0)
                return -ENOMEM;
        ssize_t n = getxattr(path, "trusted.delegate", v, sizeof v - 1);
        if (n < 0)
                return errno == ENODATA || errno == EOPNOTSUPP || errno == ENOTSUP ? 0 : -errno;
        return streq(v, "1");
}
