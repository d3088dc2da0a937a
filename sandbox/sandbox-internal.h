/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/* Shared between the parent half (prepare, spawn, wait) and the child half
 * (the init and the service's hardening sequence) of the sandbox. Every
 * child-half function here makes system calls only: no allocation, no stdio,
 * no locks; errors are returned as negative errno. */

#include <linux/filter.h>
#include <stdint.h>

#include "sandbox.h"

/* ---- the reports the child halves write to the parent ----------------- */

/* On the setup pipe: one record, then the writer exits. */
typedef struct SandboxSetupReport {
        int32_t step;
        int32_t error; /* positive errno */
} SandboxSetupReport;

#define SANDBOX_STATUS_MAGIC 0x70677331 /* "pgs1" */

/* On the status pipe, from the init when the service has ended. */
typedef struct SandboxStatusReport {
        int32_t magic;
        int32_t code;    /* CLD_EXITED, CLD_KILLED, CLD_DUMPED */
        int32_t status;  /* exit code or signal */
        int32_t syscall; /* SIGSYS: the blocked syscall, else -1 */
} SandboxStatusReport;

/* The init and the service exit with this when a setup step failed. */
#define SANDBOX_EXIT_SETUP 127

/* ---- seccomp (seccomp.c) ----------------------------------------------- */

struct SandboxSeccompFilter {
        unsigned n_ref;
        struct sock_fprog prog;
        bool kills; /* some syscall kills the process: the init traces for evidence */
};

/* Child: installs the filter with the raw seccomp(2) syscall. */
int sandbox_seccomp_load(const SandboxSeccompFilter *f);

/* ---- mounts (mounts.c) ------------------------------------------------- */

typedef enum MountOpKind {
        MOUNT_OP_PRIVATE,      /* MS_REC|MS_PRIVATE on / */
        MOUNT_OP_BIND,         /* recursive bind source -> target */
        MOUNT_OP_READ_ONLY,    /* recursive MOUNT_ATTR_RDONLY on target (a mount root) */
        MOUNT_OP_READ_WRITE,   /* recursive clear of MOUNT_ATTR_RDONLY */
        MOUNT_OP_TMPFS,        /* tmpfs with data and flags */
        MOUNT_OP_PROC,
        MOUNT_OP_SYSFS,
        MOUNT_OP_DEVPTS,
        MOUNT_OP_DEV_NODE,     /* mknod rdev at target; in a user namespace bind the host's node source */
        MOUNT_OP_SYMLINK,      /* symlink source (content) at target */
        MOUNT_OP_INACCESSIBLE, /* empty mode-000 node of the target's type over it */
} MountOpKind;

typedef struct MountOp {
        MountOpKind kind;
        char *source;
        char *target;        /* absolute, with the root directory prefixed */
        const char *data;    /* mount(2) data, static */
        unsigned long flags; /* mount(2) flags */
        dev_t rdev;          /* MOUNT_OP_DEV_NODE: the host node's device number */
        bool optional;       /* a missing target is not an error */
        bool mkdir;          /* create the target directory if missing, when applying */
        bool mkdir_early;    /* ...before any step, while the root directory is still writable */
} MountOp;

typedef struct MountPlan {
        MountOp *ops;
        size_t n_ops;
        char *inaccessible_file; /* staging file for InaccessiblePaths= on files */
} MountPlan;

int mount_plan_build(const SandboxConfig *c, MountPlan *ret);
void mount_plan_done(MountPlan *plan);
/* Child: applies the plan in order. */
int mount_plan_apply(const MountPlan *plan);
/* Child: makes root the new "/". */
int sandbox_pivot_root(const char *root);

/* ---- credentials (credentials.c) ---------------------------------------- */

typedef struct Credentials {
        uid_t uid;
        gid_t gid;
        gid_t *gids;
        size_t n_gids;
        uint64_t keep;      /* capabilities kept */
        unsigned last_cap;  /* highest capability the kernel knows */
        SandboxRlimit *rlimits;
        size_t n_rlimits;
} Credentials;

/* Parent: resolves the user; -ESRCH when it does not exist. */
int credentials_build(const SandboxConfig *c, Credentials *ret);
void credentials_done(Credentials *cr);
/* Child: capset(2) of the three sets, bit n = capability n. */
int sandbox_capset(uint64_t effective, uint64_t permitted, uint64_t inheritable);
/* Child: each returns the step that failed through *ret_step. */
int credentials_apply(const Credentials *cr, SandboxStep *ret_step);

/* ---- network and hostname (net.c) --------------------------------------- */

int sandbox_loopback_up(void);

/* ---- the prepared sandbox (spawn.c) ------------------------------------- */

struct SandboxPrepared {
        char *path;
        char **argv;
        char **envp;
        char *working_directory;
        char *hostname;
        char *root_directory;
        char *uid_map;
        char *gid_map;
        unsigned long namespaces;
        bool no_new_privileges;
        MountPlan mounts;
        Credentials creds;
        SandboxSeccompFilter *filter;
};

/* The per-spawn plumbing the child halves need. */
typedef struct SandboxChildArgs {
        const SandboxPrepared *prepared;
        int setup_fd;   /* write end, CLOEXEC */
        int status_fd;  /* write end, CLOEXEC */
        int userns_fd;  /* read end: one byte once the parent wrote the id maps, or -1 */
        int userns_write_fd; /* the parent's end, closed first thing in the child */
        int stdio[3];   /* negative: inherit */
} SandboxChildArgs;

/* Child (init.c): runs as PID 1 right after clone3(), never returns. */
_noreturn_ void sandbox_init_run(const SandboxChildArgs *a);

/* Child: writes {step, error} to fd (errors ignored) and _exit()s. */
_noreturn_ void sandbox_child_fail(int fd, SandboxStep step, int error);
