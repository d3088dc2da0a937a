/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/* pgs-sandbox: everything between clone3() and execve().
 *
 * The caller describes a sandbox in a SandboxConfig, turns it once into a
 * SandboxPrepared with sandbox_prepare() (argv, environment, resolved user
 * and groups, capability masks, mount plan, compiled seccomp BPF: everything
 * that allocates), and starts it with sandbox_spawn() as often as it likes.
 * sandbox_spawn() clone3()s an init into the new namespaces (and directly into
 * the given cgroup); the init becomes PID 1, sets up mounts, hostname and
 * loopback, forks the service, which applies rlimits, groups, uid/gid,
 * capabilities, no_new_privs and seccomp in that order and execs. Between
 * clone3() and execve() only system calls are made; a failing step is reported
 * to the parent as {step, errno}. The init reaps every zombie, forwards TERM,
 * INT, HUP, QUIT, USR1 and USR2 to the service, and reports the service's
 * exact wait status (and, for SIGSYS, the syscall seccomp blocked) before it
 * exits. sandbox_wait() collects it all into a SandboxResult, which
 * sandbox_result_to_crash_reason() turns into the core's CrashReason.
 *
 * The library does not log; every function returns a negative errno. */

#include <stdbool.h>
#include <stdint.h>
#include <sys/resource.h>
#include <sys/types.h>

#include "lifecycle.h"
#include "macro.h"

/* ---- seccomp ---------------------------------------------------------- */

typedef enum SandboxSeccompMode {
        SANDBOX_SECCOMP_NONE,
        SANDBOX_SECCOMP_DENY_LIST,  /* default allow, listed syscalls get the action */
        SANDBOX_SECCOMP_ALLOW_LIST, /* default is the action, listed syscalls are allowed */
        _SANDBOX_SECCOMP_MODE_MAX,
        _SANDBOX_SECCOMP_MODE_INVALID = -EINVAL,
} SandboxSeccompMode;

typedef enum SandboxSeccompAction {
        SANDBOX_SECCOMP_KILL_PROCESS, /* the default */
        SANDBOX_SECCOMP_ERRNO,        /* fail the call with errno_value */
        SANDBOX_SECCOMP_LOG,          /* allow, but log to the audit log */
        _SANDBOX_SECCOMP_ACTION_MAX,
        _SANDBOX_SECCOMP_ACTION_INVALID = -EINVAL,
} SandboxSeccompAction;

typedef struct SandboxSeccompSpec {
        SandboxSeccompMode mode;
        SandboxSeccompAction action;
        int errno_value;   /* SANDBOX_SECCOMP_ERRNO only, e.g. EPERM */
        char **syscalls;   /* NULL-terminated names, e.g. "ptrace" */
        bool ignore_unknown; /* skip names this kernel/arch does not have */
} SandboxSeccompSpec;

/* A compiled BPF program for the native architecture, reference counted so
 * that one policy's filter is compiled once and shared by every start. */
typedef struct SandboxSeccompFilter SandboxSeccompFilter;

/* -EINVAL for an unknown syscall name (unless ignore_unknown) or a bad spec. */
int sandbox_seccomp_compile(const SandboxSeccompSpec *spec, SandboxSeccompFilter **ret);
SandboxSeccompFilter *sandbox_seccomp_filter_ref(SandboxSeccompFilter *f);
SandboxSeccompFilter *sandbox_seccomp_filter_unref(SandboxSeccompFilter *f);
DEFINE_TRIVIAL_CLEANUP_FUNC(SandboxSeccompFilter *, sandbox_seccomp_filter_unref);
/* Hands a compiled filter to another process (the daemon compiles once per
 * policy, each monitor imports): a sealed memfd holding the BPF program.
 * Importing needs no libseccomp and checks the blob's shape, not its
 * meaning: import only from a process you trust (the kernel verifies the
 * program itself when it is loaded). */
int sandbox_seccomp_filter_export(const SandboxSeccompFilter *f, int *ret_fd);
int sandbox_seccomp_filter_import(int fd, SandboxSeccompFilter **ret);
/* Number of BPF instructions, for tests and diagnostics. */
size_t sandbox_seccomp_filter_size(const SandboxSeccompFilter *f);
/* Native syscall number -> name ("ptrace"); NULL if unknown. Static storage
 * is not used: the name is written into buf. */
const char *sandbox_syscall_name(long nr, char *buf, size_t size);

/* ---- configuration ---------------------------------------------------- */

typedef enum SandboxProtectSystem {
        SANDBOX_PROTECT_SYSTEM_NO,
        SANDBOX_PROTECT_SYSTEM_YES,    /* /usr, /boot, /efi read-only */
        SANDBOX_PROTECT_SYSTEM_STRICT, /* everything read-only but /dev /proc /sys and ReadWritePaths= */
        _SANDBOX_PROTECT_SYSTEM_MAX,
        _SANDBOX_PROTECT_SYSTEM_INVALID = -EINVAL,
} SandboxProtectSystem;

typedef struct SandboxBind {
        const char *source; /* host path */
        const char *target; /* path inside the sandbox; NULL: same as source */
} SandboxBind;

typedef struct SandboxRlimit {
        int resource; /* RLIMIT_* */
        struct rlimit limit;
} SandboxRlimit;

/* Everything the sandbox needs, already validated by the policy layer. The
 * pointers are borrowed during sandbox_prepare() only. */
typedef struct SandboxConfig {
        const char *path;   /* absolute path of the program */
        char **argv;        /* NULL: { path, NULL } */
        char **envp;        /* NULL: empty environment */
        const char *working_directory; /* inside the sandbox; NULL: "/" */

        unsigned long namespaces; /* CLONE_NEW*; CLONE_NEWNS and CLONE_NEWPID are always added */
        /* With CLONE_NEWUSER: /proc/PID/uid_map and gid_map contents, e.g.
         * "0 100000 65536"; NULL: the identity map "0 0 4294967295". The
         * ids below (uid, gid, user's) are then ids inside the namespace. */
        const char *uid_map;
        const char *gid_map;
        const char *hostname;     /* needs CLONE_NEWUTS */
        const char *root_directory;

        /* Mount plan, NULL-terminated path lists (paths inside the sandbox). */
        char **read_only_paths;
        char **read_write_paths;
        char **inaccessible_paths;
        char **temporary_filesystems;
        const SandboxBind *bind_paths; size_t n_bind_paths;
        const SandboxBind *bind_read_only_paths; size_t n_bind_read_only_paths;
        bool private_tmp;
        SandboxProtectSystem protect_system;

        /* Identity: a user name resolved in sandbox_prepare() (its primary
         * group and supplementary groups from the group database), or, with
         * user == NULL, numeric ids (uid 0 and gid 0 by default). */
        const char *user;
        uid_t uid;
        gid_t gid;
        const gid_t *supplementary_gids; size_t n_supplementary_gids; /* added to the user's */

        uint64_t capabilities; /* kept set, bit n = capability n */
        bool no_new_privileges; /* implied by a seccomp filter */
        const SandboxRlimit *rlimits; size_t n_rlimits;

        /* Either a spec (compiled by sandbox_prepare()) or a filter compiled
         * once with sandbox_seccomp_compile() and shared; the filter wins. */
        const SandboxSeccompSpec *seccomp;
        SandboxSeccompFilter *seccomp_filter;
} SandboxConfig;

/* "CAP_NET_BIND_SERVICE", "net_bind_service" -> bit mask (libcap names). */
int sandbox_capabilities_from_names(char * const *names, uint64_t *ret);

/* ---- results ---------------------------------------------------------- */

typedef enum SandboxStep {
        SANDBOX_STEP_USER,        /* resolving User= (in the parent) */
        SANDBOX_STEP_MOUNTS,
        SANDBOX_STEP_HOSTNAME,
        SANDBOX_STEP_LOOPBACK,
        SANDBOX_STEP_ROOT_DIRECTORY, /* pivot_root */
        SANDBOX_STEP_INIT,        /* the init's own plumbing: signals, fork */
        SANDBOX_STEP_STDIO,
        SANDBOX_STEP_WORKING_DIRECTORY,
        SANDBOX_STEP_RLIMITS,
        SANDBOX_STEP_GROUPS,
        SANDBOX_STEP_GID,
        SANDBOX_STEP_UID,
        SANDBOX_STEP_CAPABILITIES,
        SANDBOX_STEP_NO_NEW_PRIVILEGES,
        SANDBOX_STEP_SECCOMP,
        SANDBOX_STEP_EXEC,
        SANDBOX_STEP_USER_NAMESPACE, /* writing uid_map/gid_map (in the parent) */
        _SANDBOX_STEP_MAX,
        _SANDBOX_STEP_INVALID = -EINVAL,
} SandboxStep;

/* "mounts", "capabilities", "exec", ... */
const char *sandbox_step_to_string(SandboxStep s) _const_;
SandboxStep sandbox_step_from_string(const char *s) _pure_;

typedef enum SandboxResultKind {
        SANDBOX_RESULT_EXITED,
        SANDBOX_RESULT_SIGNALED,
        SANDBOX_RESULT_SETUP_ERROR,
        _SANDBOX_RESULT_KIND_MAX,
        _SANDBOX_RESULT_KIND_INVALID = -EINVAL,
} SandboxResultKind;

typedef struct SandboxResult {
        SandboxResultKind kind;
        int exit_code;        /* EXITED */
        int signal;           /* SIGNALED */
        bool core_dumped;     /* SIGNALED */
        long blocked_syscall; /* SIGNALED by SIGSYS: the syscall seccomp blocked, else -1 */
        SandboxStep step;     /* SETUP_ERROR */
        int error;            /* SETUP_ERROR: positive errno */
        char subject[256];    /* SETUP_ERROR: the program (exec) or user name */
} SandboxResult;

/* Exit code N -> "Exit code: N", signal -> "Killed by signal: SYS",
 * setup errors -> "Error: exec /usr/bin/foo: No such file or directory",
 * "Error: user 'foo' does not exist", "Error: setup failed at mounts: ...". */
int sandbox_result_to_crash_reason(const SandboxResult *r, CrashReason **ret);
/* Extra facts for the death record: "seccomp blocked ptrace(2)"; *ret is
 * NULL (and 0 returned) when there is nothing to add. */
int sandbox_result_evidence(const SandboxResult *r, char **ret);

/* ---- prepare, spawn, wait --------------------------------------------- */

typedef struct SandboxPrepared SandboxPrepared;
typedef struct SandboxProcess SandboxProcess;

/* Builds everything a start needs. On a failure that the configuration
 * causes (unknown user), also fills *ret_error (may be NULL) with a setup
 * error result, so that the caller can report it like any other. */
int sandbox_prepare(const SandboxConfig *c, SandboxPrepared **ret, SandboxResult *ret_error);
SandboxPrepared *sandbox_prepared_free(SandboxPrepared *p);
DEFINE_TRIVIAL_CLEANUP_FUNC(SandboxPrepared *, sandbox_prepared_free);

/* Starts one sandbox. cgroup_fd: an open cgroup v2 directory (O_DIRECTORY)
 * to start in via CLONE_INTO_CGROUP, or -EBADF. stdio_fds: the service's
 * stdin, stdout, stderr (negative entries or NULL: inherit the caller's). */
int sandbox_spawn(const SandboxPrepared *p, int cgroup_fd, const int stdio_fds[3], SandboxProcess **ret);

/* Kills (SIGKILL, which takes the whole pid namespace) and reaps the init
 * if it was not waited for, then frees. */
SandboxProcess *sandbox_process_free(SandboxProcess *p);
DEFINE_TRIVIAL_CLEANUP_FUNC(SandboxProcess *, sandbox_process_free);

pid_t sandbox_process_pid(const SandboxProcess *p);   /* init, in the caller's pid namespace */
int sandbox_process_pidfd(const SandboxProcess *p);   /* readable when the init has exited */
int sandbox_process_setup_fd(const SandboxProcess *p);  /* EOF once the service is exec'd */
int sandbox_process_status_fd(const SandboxProcess *p); /* the init's report on the service */

/* Blocks until the service has been exec'd (returns 1) or setup failed
 * (returns 0; sandbox_wait() gives the details). */
int sandbox_process_wait_started(SandboxProcess *p);
/* Sends sig to the init, which forwards TERM INT HUP QUIT USR1 USR2 to the
 * service; KILL ends the whole sandbox. Uses the pidfd. */
int sandbox_process_kill(SandboxProcess *p, int sig);
/* Blocks until the sandbox has ended, reaps the init and decodes the result.
 * Works in a caller that ignores SIGCHLD too (the init's report suffices),
 * except when the init was killed before it could report: -ECHILD. */
int sandbox_wait(SandboxProcess *p, SandboxResult *ret);
