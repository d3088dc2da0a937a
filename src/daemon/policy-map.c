/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <grp.h>
#include <stdio.h>
#include <stdlib.h>

#include "policy-map.h"
#include "strv.h"

void sandbox_config_storage_done(SandboxConfigStorage *st) {
        free(st->binds);
        free(st->binds_ro);
        free(st->rlimits);
        free(st->gids);
        strv_free(st->tmpfs);
        *st = (SandboxConfigStorage) {};
}

static int map_binds(const Policy *p, bool read_only, SandboxBind **ret, size_t *ret_n) {
        SandboxBind *b = calloc(p->n_bind_mounts + 1, sizeof *b);
        size_t n = 0;

        if (!b)
                return -ENOMEM;
        for (size_t i = 0; i < p->n_bind_mounts; i++)
                if (p->bind_mounts[i].read_only == read_only)
                        b[n++] = (SandboxBind) { p->bind_mounts[i].source, p->bind_mounts[i].destination };
        *ret = b;
        *ret_n = n;
        return 0;
}

static int map_groups(const Policy *p, gid_t **ret, size_t *ret_n) {
        size_t n = strv_length(p->supplementary_groups);
        gid_t *g = calloc(n + 1, sizeof *g);

        if (!g)
                return -ENOMEM;
        for (size_t i = 0; i < n; i++) {
                /* Resolved here, in the monitor, before clone3: the child
                 * makes no NSS calls. */
                const char *name = p->supplementary_groups[i];
                char *end;
                unsigned long v = strtoul(name, &end, 10);
                if (*name && !*end) {
                        g[i] = (gid_t) v;
                        continue;
                }
                struct group *gr = getgrnam(name);
                if (!gr) {
                        free(g);
                        return -ESRCH;
                }
                g[i] = gr->gr_gid;
        }
        *ret = g;
        *ret_n = n;
        return 0;
}

static SandboxSeccompMode map_seccomp_mode(PolicySeccompMode m) {
        switch (m) {
        case POLICY_SECCOMP_MODE_DENY_LIST:
                return SANDBOX_SECCOMP_DENY_LIST;
        case POLICY_SECCOMP_MODE_ALLOW_LIST:
                return SANDBOX_SECCOMP_ALLOW_LIST;
        default:
                return SANDBOX_SECCOMP_NONE;
        }
}

static SandboxSeccompAction map_seccomp_action(PolicySeccompAction a) {
        switch (a) {
        case POLICY_SECCOMP_ACTION_ERRNO:
                return SANDBOX_SECCOMP_ERRNO;
        case POLICY_SECCOMP_ACTION_LOG:
                return SANDBOX_SECCOMP_LOG;
        default:
                return SANDBOX_SECCOMP_KILL_PROCESS;
        }
}

int policy_to_sandbox_config(const Policy *p, SandboxConfig *ret, SandboxConfigStorage *st) {
        SandboxConfig c = {
                .path = p->exec[0],
                .argv = p->exec,
                .envp = p->environment,
                .working_directory = p->working_directory,
                .namespaces = p->namespaces,
                .hostname = p->hostname,
                .root_directory = p->root_directory,
                .read_only_paths = p->read_only_paths,
                .read_write_paths = p->read_write_paths,
                .inaccessible_paths = p->inaccessible_paths,
                .private_tmp = p->private_tmp,
                .protect_system = (SandboxProtectSystem) p->protect_system,
                .user = p->user,
                .capabilities = p->capabilities,
                .no_new_privileges = p->no_new_privileges,
        };
        int r;

        *st = (SandboxConfigStorage) {};
        r = map_binds(p, false, &st->binds, &c.n_bind_paths);
        if (r >= 0)
                r = map_binds(p, true, &st->binds_ro, &c.n_bind_read_only_paths);
        if (r >= 0)
                r = map_groups(p, &st->gids, &c.n_supplementary_gids);
        if (r < 0)
                goto fail;
        c.bind_paths = st->binds;
        c.bind_read_only_paths = st->binds_ro;
        c.supplementary_gids = st->gids;

        for (size_t i = 0; i < p->n_temporary_file_systems; i++)
                if (strv_extend(&st->tmpfs, p->temporary_file_systems[i].path) < 0) {
                        r = -ENOMEM;
                        goto fail;
                }
        c.temporary_filesystems = st->tmpfs;

        st->rlimits = calloc(RLIM_NLIMITS, sizeof *st->rlimits);
        if (!st->rlimits) {
                r = -ENOMEM;
                goto fail;
        }
        for (int i = 0; i < RLIM_NLIMITS; i++)
                if (p->rlimits[i].set)
                        st->rlimits[c.n_rlimits++] = (SandboxRlimit) {
                                .resource = i,
                                .limit = { .rlim_cur = p->rlimits[i].soft, .rlim_max = p->rlimits[i].hard },
                        };
        c.rlimits = st->rlimits;

        st->seccomp = (SandboxSeccompSpec) {
                .mode = map_seccomp_mode(p->seccomp_spec.mode),
                .action = map_seccomp_action(p->seccomp_spec.action),
                .errno_value = p->seccomp_spec.errno_value,
                .syscalls = p->seccomp_spec.syscalls,
        };
        c.seccomp = &st->seccomp;

        *ret = c;
        return 0;
fail:
        sandbox_config_storage_done(st);
        return r;
}

void policy_to_cg_limits(const Policy *p, CgLimits *ret) {
        CgLimits l;

        cg_limits_init(&l);
        /* The policy's "infinity" (UINT64_MAX) is CG_LIMIT_UNSET: the
         * controller is not needed at all. */
        l.memory_max = p->memory_max;
        l.memory_high = p->memory_high;
        l.memory_swap_max = p->memory_swap_max;
        l.pids_max = p->pids_max;
        if (p->cpu_quota_percent > 0)
                l.cpu_quota_per_sec_usec = (uint64_t) p->cpu_quota_percent * USEC_PER_SEC / 100;
        if (p->cpu_weight != 100)
                l.cpu_weight = p->cpu_weight;
        /* Counters for status and ps, where the host has the controllers. */
        l.accounting = CG_MASK(CG_CONTROLLER_MEMORY) | CG_MASK(CG_CONTROLLER_PIDS) | CG_MASK(CG_CONTROLLER_CPU);
        *ret = l;
}

char *format_limit_bytes(uint64_t bytes, char *buf, size_t len) {
        static const char suffixes[] = "KMGTPE";

        if (bytes == UINT64_MAX) {
                snprintf(buf, len, "infinity");
                return buf;
        }
        for (int i = 6; i > 0; i--) {
                uint64_t unit = 1ULL << (10 * i);
                if (bytes >= unit && bytes % unit == 0) {
                        snprintf(buf, len, "%llu%c", (unsigned long long) (bytes / unit), suffixes[i - 1]);
                        return buf;
                }
        }
        snprintf(buf, len, "%llu", (unsigned long long) bytes);
        return buf;
}
