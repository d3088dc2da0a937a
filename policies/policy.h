/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/* pgs-policy: policy files (the syntax of systemd unit files, see
 * docs/pgsandbox.policy.5.md) parsed into one effective Policy with every
 * default filled in, and the built-in seccomp groups and profiles resolved
 * into a flat list of syscall names. A policy file is a security boundary:
 * anything not understood is an error, never ignored, cut or half-applied.
 * The library does not log; errors come back as negative errno plus a
 * PolicyError naming the file, line, column and what is wrong. */

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <sched.h>
#include <sys/resource.h>

#include "macro.h"
#include "restart-policy.h"
#include "time-util.h"

/* Limits of the syntax (documented in pgsandbox.policy(5)). */
#define POLICY_FILE_MAX (1024U * 1024U) /* bytes in a file */
#define POLICY_LINE_MAX (64U * 1024U)   /* bytes in a logical line (after continuations) */
#define POLICY_LIST_MAX 4096U          /* entries in one list setting */
#define POLICY_NAME_MAX 64U
#define POLICY_SUFFIX ".policy"

/* "FILE:LINE:COLUMN: message"; line and column count from 1, and are 0 for
 * errors that are not about a place in the file (it cannot be read). */
typedef struct PolicyError {
        char *file;
        unsigned line;
        unsigned column;
        char *message;
} PolicyError;

void policy_error_done(PolicyError *e);
/* The error line as shown to the operator; NULL on out of memory. */
char *policy_error_to_string(const PolicyError *e);

typedef enum PolicyServiceType {
        POLICY_SERVICE_SIMPLE,
        POLICY_SERVICE_NOTIFY, /* ready once it sends READY=1 on $NOTIFY_SOCKET */
        _POLICY_SERVICE_TYPE_MAX,
        _POLICY_SERVICE_TYPE_INVALID = -EINVAL,
} PolicyServiceType;

typedef enum PolicyProtectSystem {
        POLICY_PROTECT_SYSTEM_NO,
        POLICY_PROTECT_SYSTEM_YES,    /* /usr, /boot, /efi, /etc read-only */
        POLICY_PROTECT_SYSTEM_STRICT, /* everything read-only but /dev, /proc, /sys and ReadWritePaths= */
        _POLICY_PROTECT_SYSTEM_MAX,
        _POLICY_PROTECT_SYSTEM_INVALID = -EINVAL,
} PolicyProtectSystem;

typedef enum PolicySeccompProfile {
        POLICY_SECCOMP_PROFILE_DEFAULT, /* deny list of dangerous syscalls */
        POLICY_SECCOMP_PROFILE_STRICT,  /* allow list for ordinary services */
        POLICY_SECCOMP_PROFILE_NONE,
        _POLICY_SECCOMP_PROFILE_MAX,
        _POLICY_SECCOMP_PROFILE_INVALID = -EINVAL,
} PolicySeccompProfile;

typedef enum PolicySeccompMode {
        POLICY_SECCOMP_MODE_NONE,       /* no filter */
        POLICY_SECCOMP_MODE_DENY_LIST,  /* listed syscalls get the action, the rest run */
        POLICY_SECCOMP_MODE_ALLOW_LIST, /* listed syscalls run, the rest get the action */
        _POLICY_SECCOMP_MODE_MAX,
        _POLICY_SECCOMP_MODE_INVALID = -EINVAL,
} PolicySeccompMode;

typedef enum PolicySeccompAction {
        POLICY_SECCOMP_ACTION_KILL,  /* SCMP_ACT_KILL_PROCESS */
        POLICY_SECCOMP_ACTION_ERRNO, /* SCMP_ACT_ERRNO(errno_value) */
        POLICY_SECCOMP_ACTION_LOG,   /* SCMP_ACT_LOG: allowed, logged by the kernel */
        _POLICY_SECCOMP_ACTION_MAX,
        _POLICY_SECCOMP_ACTION_INVALID = -EINVAL,
} PolicySeccompAction;

/* What the sandbox loads: the [Seccomp] section with groups expanded and
 * Allow=/Deny= applied. syscalls is sorted, without duplicates, and holds
 * only names that exist on the host architecture. */
typedef struct PolicySeccompSpec {
        PolicySeccompMode mode;
        PolicySeccompAction action;
        int errno_value; /* for POLICY_SECCOMP_ACTION_ERRNO, e.g. EPERM */
        char **syscalls;
} PolicySeccompSpec;

typedef struct PolicySeccomp {
        PolicySeccompProfile profile;
        char **allow; /* syscall names and @groups, as written */
        char **deny;
        PolicySeccompAction action;
        int errno_value;
} PolicySeccomp;

typedef struct PolicyBindMount {
        char *source;
        char *destination; /* same as source unless given */
        bool read_only;    /* BindReadOnlyPaths= */
        bool recursive;    /* rbind (default) or norbind */
} PolicyBindMount;

typedef struct PolicyTmpfs {
        char *path;
        char *options; /* mount options, comma-separated; "" for none */
} PolicyTmpfs;

/* Limit*=: unset limits are inherited from the daemon. RLIM_INFINITY is
 * "infinity". Indexed by RLIMIT_*. */
typedef struct PolicyRlimit {
        bool set;
        uint64_t soft;
        uint64_t hard;
} PolicyRlimit;

#define POLICY_NAMESPACES_ALL                                                        \
        (CLONE_NEWPID | CLONE_NEWNS | CLONE_NEWNET | CLONE_NEWIPC | CLONE_NEWUTS |   \
         CLONE_NEWCGROUP | CLONE_NEWUSER)
#define POLICY_NAMESPACES_DEFAULT (POLICY_NAMESPACES_ALL & ~CLONE_NEWUSER)

typedef struct Policy {
        char *path; /* the file it was read from */

        /* [Service] */
        char *name;
        char *description;         /* "" if not set */
        char **exec;               /* argv; exec[0] is an absolute path */
        char *working_directory;   /* default "/" */
        char **environment;        /* "NAME=value"; a later assignment of a NAME wins */
        char *user;                /* NULL: root */
        char *group;               /* NULL: the user's primary group */
        char **supplementary_groups;
        PolicyServiceType type;
        RestartPolicy restart;
        RestartBackoff backoff;    /* RestartSec=, RestartMaxDelaySec=, RestartResetSec=, StartLimit*= */
        usec_t timeout_start;      /* USEC_INFINITY: none */
        usec_t timeout_stop;
        usec_t runtime_max;
        usec_t watchdog;           /* 0: off */
        char **tags;
        bool auto_start;

        /* [Sandbox] */
        unsigned long namespaces;  /* CLONE_NEW* flags */
        char *hostname;            /* NULL: keep the host's name in the new UTS namespace */
        char *root_directory;      /* NULL: the host's / */
        char **read_only_paths;
        char **read_write_paths;
        char **inaccessible_paths;
        PolicyBindMount *bind_mounts;
        size_t n_bind_mounts;
        PolicyTmpfs *temporary_file_systems;
        size_t n_temporary_file_systems;
        bool private_tmp;
        PolicyProtectSystem protect_system;
        uint64_t capabilities;     /* bit n set: capability n is kept */
        bool no_new_privileges;
        PolicyRlimit rlimits[RLIM_NLIMITS];

        /* [Resources]: UINT64_MAX is "infinity" */
        uint64_t memory_max;
        uint64_t memory_high;
        uint64_t memory_swap_max;
        uint64_t pids_max;
        unsigned cpu_quota_percent; /* 0: no quota; 100: one CPU */
        unsigned cpu_weight;        /* 1..10000 */

        /* [Seccomp] as written, and its resolved form */
        PolicySeccomp seccomp;
        PolicySeccompSpec seccomp_spec;
} Policy;

Policy *policy_free(Policy *p);
DEFINE_TRIVIAL_CLEANUP_FUNC(Policy *, policy_free);

/* Parses a policy from memory. filename is used in errors and, unless Name=
 * is given, its stem (without ".policy") is the service's name. Returns 0,
 * -EINVAL (or -E2BIG, -EBADMSG) with *ret_error filled in, or -ENOMEM.
 * *ret is written only on success. ret_error may be NULL; if not, it must be
 * initialized (PolicyError e = {}), and any old contents are freed. */
int policy_load_buffer(const char *filename, const void *data, size_t size, Policy **ret,
                       PolicyError *ret_error);
/* Reads and parses one file; on any failure *ret_error says why. */
int policy_load_file(const char *path, Policy **ret, PolicyError *ret_error);

/* A set of policies loaded all-or-report: each bad file is reported and the
 * others still load. Two files with the same name are an error naming both
 * files, and neither is loaded. */
typedef struct PolicySet {
        Policy **policies; /* sorted by file name */
        size_t n_policies;
        PolicyError *errors;
        size_t n_errors;
} PolicySet;

PolicySet *policy_set_free(PolicySet *s);
DEFINE_TRIVIAL_CLEANUP_FUNC(PolicySet *, policy_set_free);
/* Loads every "*.policy" in dir (other files and hidden files are skipped).
 * Fails only if dir cannot be read or on out of memory; bad files end up in
 * (*ret)->errors. */
int policy_load_dir(const char *dir, PolicySet **ret);
/* The paths of the "*.policy" files in dir, sorted. */
int policy_list_dir(const char *dir, char ***ret);
/* The same as policy_load_dir() for a list of files (`pgsandbox check`). */
int policy_load_files(char * const *paths, PolicySet **ret);

const Policy *policy_set_find(const PolicySet *s, const char *name);

/* The effective policy, defaults filled in: in unit-file syntax (which
 * parses back to the same policy), or as one JSON object. */
int policy_print(const Policy *p, FILE *f);
int policy_print_json(const Policy *p, FILE *f);
/* {"File":…,"Line":…,"Column":…,"Message":…} */
int policy_error_print_json(const PolicyError *e, FILE *f);

/* Resolves a [Seccomp] section into *ret (overwritten, free it with
 * policy_seccomp_spec_done()); -EINVAL if it names an unknown group. A
 * loaded Policy has its spec resolved already, in seccomp_spec. */
int policy_seccomp_resolve(const PolicySeccomp *s, PolicySeccompSpec *ret);
void policy_seccomp_spec_done(PolicySeccompSpec *s);

/* The built-in syscall groups (names start with '@') and profiles. */
size_t policy_seccomp_group_count(void);
const char *policy_seccomp_group_name(size_t i);
const char *policy_seccomp_group_description(size_t i);
/* The group's members as written in the data file (names and @groups), NULL
 * if there is no such group. */
char **policy_seccomp_group_members(const char *name);
const char *policy_seccomp_profile_description(PolicySeccompProfile p);

const char *policy_service_type_to_string(PolicyServiceType t) _const_;
PolicyServiceType policy_service_type_from_string(const char *s) _pure_;
const char *policy_protect_system_to_string(PolicyProtectSystem p) _const_;
PolicyProtectSystem policy_protect_system_from_string(const char *s) _pure_;
const char *policy_seccomp_profile_to_string(PolicySeccompProfile p) _const_;
PolicySeccompProfile policy_seccomp_profile_from_string(const char *s) _pure_;
const char *policy_seccomp_mode_to_string(PolicySeccompMode m) _const_;
const char *policy_seccomp_action_to_string(PolicySeccompAction a) _const_;

/* Name=: 1..64 of [A-Za-z0-9_.-], not starting with '.', and not something
 * that could be taken for a cgroup interface file or the daemon's own
 * cgroup: no "<controller>." prefix (cgroup., memory., cpu., io., pids., ...)
 * and not "supervisor". On failure, *ret_reason (if given) says why. */
bool policy_name_is_valid(const char *name, const char **ret_reason);
