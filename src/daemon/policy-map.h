/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/* Maps an effective Policy onto what the libraries take: a SandboxConfig for
 * pgs-sandbox and CgLimits for pgs-cgroup. The libraries know nothing of
 * policies; this is the one place that does the translation. */

#include "cgroup.h"
#include "policy.h"
#include "sandbox.h"

/* Owns the arrays a SandboxConfig borrows. */
typedef struct SandboxConfigStorage {
        SandboxBind *binds;
        SandboxBind *binds_ro;
        SandboxRlimit *rlimits;
        gid_t *gids;
        char **tmpfs;
        SandboxSeccompSpec seccomp;
} SandboxConfigStorage;

void sandbox_config_storage_done(SandboxConfigStorage *st);

/* The config borrows the policy's strings: keep p alive while using it. */
int policy_to_sandbox_config(const Policy *p, SandboxConfig *ret, SandboxConfigStorage *st);

void policy_to_cg_limits(const Policy *p, CgLimits *ret);

/* "64M", "16", "infinity": a limit as an operator would write it. */
char *format_limit_bytes(uint64_t bytes, char *buf, size_t len);
