/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Identity and privilege. The parent resolves the user and its groups (NSS
 * may allocate, open files, talk to daemons) and asks libcap how many
 * capabilities the kernel has; the service child then applies, with raw
 * syscalls only, the fixed order of STYLE.md:
 *   rlimits; bounding set (while still root with CAP_SETPCAP); keep-caps;
 *   setgroups, setresgid, setresuid; capset to exactly the kept set in
 *   effective, permitted and inheritable; ambient cleared and raised to the
 *   kept set (so a non-root user keeps them across execve).
 * PR_SET_NO_NEW_PRIVS and seccomp follow in init.c. */

#include <ctype.h>
#include <grp.h>
#include <linux/capability.h>
#include <pwd.h>
#include <stdio.h>
#include <sys/capability.h>
#include <sys/prctl.h>
#include <sys/syscall.h>

#include "sandbox-internal.h"

int sandbox_capabilities_from_names(char * const *names, uint64_t *ret) {
        uint64_t mask = 0;

        if (!ret)
                return -EINVAL;
        for (char * const *n = names; n && *n; n++) {
                char buf[64];
                cap_value_t v;
                size_t i, o = 0;

                if (strncasecmp(*n, "cap_", 4) != 0)
                        o = (size_t) snprintf(buf, sizeof buf, "cap_");
                for (i = 0; (*n)[i] && o + 1 < sizeof buf; i++)
                        buf[o++] = (char) tolower((unsigned char) (*n)[i]);
                buf[o] = 0;
                if ((*n)[i] || cap_from_name(buf, &v) < 0 || v < 0 || v > 63)
                        return -EINVAL;
                mask |= UINT64_C(1) << v;
        }
        *ret = mask;
        return 0;
}

static int lookup_user(const char *name, uid_t *ret_uid, gid_t *ret_gid) {
        _cleanup_free_ char *buf = NULL;
        struct passwd pw, *result = NULL;
        long size = sysconf(_SC_GETPW_R_SIZE_MAX);

        for (size_t n = size > 0 ? (size_t) size : 4096;; n *= 2) {
                free(buf);
                buf = malloc(n);
                if (!buf)
                        return -ENOMEM;
                int r = getpwnam_r(name, &pw, buf, n, &result);
                if (r == ERANGE && n < (1U << 20))
                        continue;
                if (r != 0)
                        return -r;
                break;
        }
        if (!result)
                return -ESRCH;
        *ret_uid = pw.pw_uid;
        *ret_gid = pw.pw_gid;
        return 0;
}

static int add_gid(Credentials *cr, gid_t g) {
        for (size_t i = 0; i < cr->n_gids; i++)
                if (cr->gids[i] == g)
                        return 0;
        gid_t *l = reallocarray(cr->gids, cr->n_gids + 1, sizeof *l);
        if (!l)
                return -ENOMEM;
        l[cr->n_gids++] = g;
        cr->gids = l;
        return 0;
}

int credentials_build(const SandboxConfig *c, Credentials *ret) {
        _cleanup_(credentials_done) Credentials cr = {
                .uid = c->uid,
                .gid = c->gid,
                .keep = c->capabilities,
        };
        int r;

        if (c->user) {
                r = lookup_user(c->user, &cr.uid, &cr.gid);
                if (r < 0)
                        return r;
                int n = 16;
                for (;;) {
                        _cleanup_free_ gid_t *l = calloc(n, sizeof *l);
                        if (!l)
                                return -ENOMEM;
                        int m = n;
                        if (getgrouplist(c->user, cr.gid, l, &m) >= 0) {
                                for (int i = 0; i < m; i++) {
                                        r = add_gid(&cr, l[i]);
                                        if (r < 0)
                                                return r;
                                }
                                break;
                        }
                        if (m <= n || m > 65536)
                                return -EINVAL;
                        n = m;
                }
        }
        for (size_t i = 0; i < c->n_supplementary_gids; i++) {
                r = add_gid(&cr, c->supplementary_gids[i]);
                if (r < 0)
                        return r;
        }

        int bits = cap_max_bits();
        if (bits <= 0 || bits > 64)
                return -EOPNOTSUPP;
        cr.last_cap = (unsigned) bits - 1;
        if (bits < 64 && (cr.keep >> bits) != 0)
                return -EINVAL;

        if (c->n_rlimits > 0) {
                cr.rlimits = calloc(c->n_rlimits, sizeof *cr.rlimits);
                if (!cr.rlimits)
                        return -ENOMEM;
                memcpy(cr.rlimits, c->rlimits, c->n_rlimits * sizeof *cr.rlimits);
                cr.n_rlimits = c->n_rlimits;
        }

        *ret = cr;
        cr = (Credentials) {};
        return 0;
}

void credentials_done(Credentials *cr) {
        cr->gids = mfree(cr->gids);
        cr->rlimits = mfree(cr->rlimits);
        cr->n_gids = cr->n_rlimits = 0;
}

/* ---- child half: syscalls only ----------------------------------------- */

int sandbox_capset(uint64_t eff, uint64_t prm, uint64_t inh) {
        struct __user_cap_header_struct h = { .version = _LINUX_CAPABILITY_VERSION_3, .pid = 0 };
        struct __user_cap_data_struct d[2] = {
                { .effective = (uint32_t) eff, .permitted = (uint32_t) prm, .inheritable = (uint32_t) inh },
                { .effective = (uint32_t) (eff >> 32), .permitted = (uint32_t) (prm >> 32),
                  .inheritable = (uint32_t) (inh >> 32) },
        };
        return syscall(SYS_capset, &h, d) < 0 ? negative_errno() : 0;
}

#define FAIL(s) do { *ret_step = (s); return negative_errno(); } while (0)

int credentials_apply(const Credentials *cr, SandboxStep *ret_step) {
        int r;

        for (size_t i = 0; i < cr->n_rlimits; i++)
                if (setrlimit(cr->rlimits[i].resource, &cr->rlimits[i].limit) < 0)
                        FAIL(SANDBOX_STEP_RLIMITS);

        /* The bounding set needs CAP_SETPCAP, so it goes while we are root. */
        for (unsigned c = 0; c <= cr->last_cap; c++)
                if (!(cr->keep & (UINT64_C(1) << c)) && prctl(PR_CAPBSET_DROP, c, 0, 0, 0) < 0)
                        FAIL(SANDBOX_STEP_CAPABILITIES);
        /* Keep the permitted set across the uid change, trimmed just below. */
        if (cr->keep != 0 && prctl(PR_SET_KEEPCAPS, 1, 0, 0, 0) < 0)
                FAIL(SANDBOX_STEP_CAPABILITIES);

        if (setgroups(cr->n_gids, cr->gids) < 0)
                FAIL(SANDBOX_STEP_GROUPS);
        if (setresgid(cr->gid, cr->gid, cr->gid) < 0)
                FAIL(SANDBOX_STEP_GID);
        if (setresuid(cr->uid, cr->uid, cr->uid) < 0)
                FAIL(SANDBOX_STEP_UID);

        r = sandbox_capset(cr->keep, cr->keep, cr->keep);
        if (r < 0) {
                *ret_step = SANDBOX_STEP_CAPABILITIES;
                return r;
        }
        if (prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_CLEAR_ALL, 0, 0, 0) < 0)
                FAIL(SANDBOX_STEP_CAPABILITIES);
        for (unsigned c = 0; c <= cr->last_cap; c++)
                if ((cr->keep & (UINT64_C(1) << c)) && prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_RAISE, c, 0, 0) < 0)
                        FAIL(SANDBOX_STEP_CAPABILITIES);
        if (cr->keep != 0 && prctl(PR_SET_KEEPCAPS, 0, 0, 0, 0) < 0)
                FAIL(SANDBOX_STEP_CAPABILITIES);
        return 0;
}
