/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/* pgs-cgroup: everything pgsandbox does with cgroup v2.
 *
 *   discovery   the cgroup2 mount (from /proc/self/mountinfo), our own cgroup,
 *               which controllers the kernel offers to v2 and which are bound
 *               to a v1 hierarchy instead (CgHost)
 *   root        the subtree we manage: under systemd Delegate=yes our own
 *               cgroup, after moving ourselves into <own>/supervisor; else a
 *               configured directory, default "pgsandbox" under the mount (CgRoot)
 *   sandboxes   <root>/<name>/{monitor,payload}, the limits on payload, the
 *               controllers enabled exactly where needed on the way down,
 *               kill and destroy (CgSandbox)
 *   counters    memory/pids/cpu event counters and gauges, and an inotify watch
 *               that re-reads and diffs them on every notification (CgWatch)
 *
 * Like every library here it never logs: errors are negative errno, and the
 * one error an operator must read (a limit the host cannot enforce) comes
 * back as a message through an out-parameter. */

#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

#include "macro.h"
#include "time-util.h"

/* ---- controllers ------------------------------------------------------- */

typedef enum CgController {
        CG_CONTROLLER_CPU,
        CG_CONTROLLER_MEMORY,
        CG_CONTROLLER_PIDS,
        _CG_CONTROLLER_MAX,
        _CG_CONTROLLER_INVALID = -EINVAL,
} CgController;

typedef uint32_t CgMask;
#define CG_MASK(c) ((CgMask) 1U << (c))
#define CG_MASK_ALL ((CgMask) (CG_MASK(_CG_CONTROLLER_MAX) - 1))

const char *cg_controller_to_string(CgController c) _const_;
CgController cg_controller_from_string(const char *s) _pure_;
/* "cpu io memory pids" (cgroup.controllers syntax); unknown names are ignored. */
CgMask cg_mask_from_string(const char *s) _pure_;

/* ---- discovery ---------------------------------------------------------- */

typedef struct CgHost {
        char *mount;            /* absolute path of the cgroup2 mount */
        char *own;              /* our cgroup relative to the mount: "/" or "/a/b" */
        CgMask available;       /* cgroup.controllers of the mount root */
        CgMask own_available;   /* cgroup.controllers of our own cgroup */
        CgMask v1;              /* controllers bound to a cgroup v1 hierarchy */
} CgHost;

/* Pure parsers, table-tested: the cgroup2 mount point and the v1-bound
 * controllers from mountinfo text (-ENOMEDIUM: no cgroup2 mount), and the v2
 * path ("0::/x") from /proc/PID/cgroup text (-ENOMEDIUM: none). */
int cg_parse_mountinfo(const char *text, char **ret_mount, CgMask *ret_v1);
int cg_parse_proc_cgroup(const char *text, char **ret_path);

int cg_host_discover(CgHost **ret);
/* Whether systemd delegated our own cgroup to us: it marks such a cgroup
 * with the xattr trusted.delegate=1 (systemd 251 and later). 1 yes, 0 no
 * (or unknown: older systemd, no xattr support); the daemon's flag decides
 * then. */
int cg_host_own_delegated(const CgHost *h);
CgHost *cg_host_free(CgHost *h);
DEFINE_TRIVIAL_CLEANUP_FUNC(CgHost *, cg_host_free);

/* ---- the root ------------------------------------------------------------- */

typedef struct CgRoot {
        char *mount;            /* the cgroup2 mount it is below */
        char *path;             /* absolute */
        int fd;                 /* O_DIRECTORY */
        bool delegated;
        CgMask supported;       /* controllers sandboxes can get below the root */
        CgMask v1;
        CgMask host_available;
        CgMask enabled;         /* known to be on in the root's subtree_control */
} CgRoot;

#define CG_ROOT_DEFAULT "pgsandbox"
#define CG_SUPERVISOR_LEAF "supervisor"

/* delegated: the root is our own cgroup (systemd Delegate=yes). Every process
 * of it, us first, moves into <own>/supervisor, so that controllers can be
 * enabled in <own> (the no-internal-process rule would give EBUSY).
 * Otherwise: configured (relative to the mount, or an absolute path below it;
 * NULL means CG_ROOT_DEFAULT) is created if missing. */
int cg_root_open(const CgHost *h, const char *configured, bool delegated, CgRoot **ret);
CgRoot *cg_root_free(CgRoot *r);   /* closes; never removes anything */
DEFINE_TRIVIAL_CLEANUP_FUNC(CgRoot *, cg_root_free);
/* Makes the controllers of mask available to the root's children: in each
 * cgroup.subtree_control from the mount down (configured root) or only in the
 * root (delegated). Adds, never removes. */
int cg_root_enable(CgRoot *r, CgMask mask);

/* ---- limits ----------------------------------------------------------------- */

#define CG_LIMIT_UNSET UINT64_MAX           /* leave the kernel default */
#define CG_LIMIT_MAX (UINT64_MAX - 1)       /* "max": explicitly unlimited */

typedef struct CgLimits {
        uint64_t memory_max;            /* MemoryMax=, bytes */
        uint64_t memory_high;           /* MemoryHigh=, bytes */
        uint64_t memory_swap_max;       /* MemorySwapMax=, bytes */
        uint64_t pids_max;              /* PidsMax= */
        uint64_t cpu_quota_per_sec_usec;/* CPUQuota=20% is 200000 */
        uint64_t cpu_weight;            /* CPUWeight=, 1..10000 */
        CgMask accounting;              /* controllers wanted for counters only;
                                         * dropped quietly when missing */
} CgLimits;

#define CG_CPU_PERIOD_USEC 100000ULL

void cg_limits_init(CgLimits *l);
/* Controllers the limits need (without accounting). */
CgMask cg_limits_mask(const CgLimits *l) _pure_;
/* 0 if the root can enforce every limit; else -EOPNOTSUPP and, if ret_error,
 * one line per key whose controller is missing, e.g. "MemoryMax= needs the cgroup v2
 * memory controller, which this host does not provide: the memory controller
 * is bound to cgroup v1 (fix: ...)". */
int cg_limits_check(const CgRoot *r, const CgLimits *l, char **ret_error);
/* "20000 100000" for cpu.max. */
int cg_format_cpu_max(uint64_t quota_per_sec_usec, char *buf, size_t len);

/* ---- names ----------------------------------------------------------------- */

/* A sandbox name as a directory name that cannot collide with an interface
 * file ("cgroup.procs", "memory.max", "tasks") or our own leaf: those, and
 * names already starting with '_', get a '_' in front. -EINVAL for names that
 * are empty, ".", "..", too long, or contain '/' or control characters. */
int cg_escape_name(const char *name, char **ret);
int cg_unescape_name(const char *dirname, char **ret);

/* ---- sandboxes -------------------------------------------------------------- */

typedef enum CgLeaf {
        CG_LEAF_MONITOR,
        CG_LEAF_PAYLOAD,
        CG_LEAF_ALL,            /* <root>/<name> with both leaves */
} CgLeaf;

typedef struct CgSandbox {
        char *name;
        char *path;             /* absolute path of <root>/<escaped name> */
        int fd, monitor_fd, payload_fd;
        int events_fd;          /* payload/cgroup.events, opened on first use */
        CgMask enabled;         /* controllers enabled on payload */
} CgSandbox;

/* Creates <root>/<name>/{monitor,payload}, enables the controllers the limits
 * (and accounting) need on the way down, writes the limits and
 * memory.oom.group=1 on payload. -EOPNOTSUPP if a limit cannot be enforced
 * (see cg_limits_check() for the message); -EEXIST if it exists. On failure
 * nothing is left behind. */
int cg_sandbox_create(CgRoot *r, const char *name, const CgLimits *l, CgSandbox **ret);
/* The names (unescaped) of the sandboxes below the root, sorted: what a
 * restarted daemon re-adopts. Directories that are not sandboxes (the
 * supervisor leaf, anything without a payload leaf) are left out. */
int cg_root_list_sandboxes(CgRoot *r, char ***ret);
/* Opens an existing one (re-adoption after a daemon restart). */
int cg_sandbox_open(CgRoot *r, const char *name, CgSandbox **ret);
int cg_sandbox_set_limits(CgSandbox *s, const CgLimits *l);
CgSandbox *cg_sandbox_free(CgSandbox *s);    /* closes; never removes */
DEFINE_TRIVIAL_CLEANUP_FUNC(CgSandbox *, cg_sandbox_free);

int cg_sandbox_leaf_fd(const CgSandbox *s, CgLeaf leaf) _pure_;   /* for CLONE_INTO_CGROUP */

/* What ps needs per sandbox, from one file (payload/cgroup.events), re-read
 * through a kept fd: cheaper than opening it by path each time. */
typedef struct CgState {
        bool populated;
        bool frozen;
} CgState;
int cg_sandbox_read_state(CgSandbox *s, CgState *ret);
int cg_sandbox_kill(CgSandbox *s, CgLeaf leaf, int sig);
/* Kills (if kill), waits for "populated 0" on <name>/cgroup.events through
 * inotify, then removes payload, monitor, <name>. -ETIMEDOUT after timeout. */
int cg_sandbox_destroy(CgSandbox *s, bool kill, usec_t timeout);

/* ---- fd-level operations (also used by the tests) ------------------------- */

#define CG_KILL_NO_CGROUP_KILL 1U   /* force freeze + signal + thaw (tests) */

/* Moves pid (0: the caller) into the cgroup. */
int cg_attach_fd(int cgfd, pid_t pid);
/* The pids in cgroup.procs of this cgroup only. */
int cg_read_procs_fd(int cgfd, pid_t **ret, size_t *ret_n);
/* Signals every process of the subtree: SIGKILL through cgroup.kill; other
 * signals, or kernels before 5.14, freeze, signal each pid, thaw. */
int cg_kill_fd(int cgfd, int sig, unsigned flags);
/* > 0 populated, 0 empty. */
int cg_is_populated_fd(int cgfd);
/* Waits for "populated 0" (or "frozen 1" with want_frozen) in cgroup.events,
 * woken by inotify; -ETIMEDOUT. */
int cg_wait_events_fd(int cgfd, bool want_frozen, usec_t timeout);
/* rmdir of a cgroup directory and its children, deepest first. */
int cg_remove_tree_at(int parentfd, const char *name);
/* One "key value" of a flat-keyed file (memory.events, cpu.stat); -ENXIO if
 * the key is missing. */
int cg_read_keyed_at(int dirfd, const char *file, const char *key, uint64_t *ret);
int cg_parse_keyed(const char *text, const char *key, uint64_t *ret);
/* A single number, "max" is CG_LIMIT_MAX. */
int cg_read_u64_at(int dirfd, const char *file, uint64_t *ret);
/* Adds the controllers of mask to cgroup.subtree_control of dirfd (only the
 * ones not yet enabled). */
int cg_enable_controllers_fd(int cgfd, CgMask mask);
int cg_read_mask_at(int dirfd, const char *file, CgMask *ret);

/* ---- counters ----------------------------------------------------------------- */

#define CG_COUNTER_UNKNOWN UINT64_MAX      /* file or key not provided here */

typedef struct CgCounters {
        /* events (monotonic) */
        uint64_t memory_high, memory_max, memory_oom, memory_oom_kill, memory_oom_group_kill;
        uint64_t pids_max;
        uint64_t cpu_usage_usec, cpu_nr_throttled, cpu_throttled_usec;
        /* gauges */
        uint64_t memory_current, memory_peak, pids_current;
        bool populated;
} CgCounters;

/* Reads every counter of the payload leaf; fields the kernel does not
 * provide are CG_COUNTER_UNKNOWN. */
int cg_sandbox_read_counters(CgSandbox *s, CgCounters *ret);
int cg_read_counters_fd(int cgfd, CgCounters *ret);
/* ret = now - old for the monotonic counters (UNKNOWN stays UNKNOWN); gauges
 * are copied from now. Returns true if any event counter moved. */
bool cg_counters_diff(const CgCounters *old, const CgCounters *now, CgCounters *ret);

/* ---- the watch ------------------------------------------------------------------ */

/* One inotify fd for all sandboxes. The kernel merges and rate-limits cgroup
 * file notifications, so a notification only means "something changed": every
 * one re-reads the counters and reports the difference since the last read.
 * Drive it from any loop: poll cg_watch_fd() for POLLIN (an sd-event io
 * source in the daemon) and call cg_watch_process(). */
typedef struct CgWatch CgWatch;
typedef void (*cg_watch_handler_t)(CgSandbox *s, const CgCounters *now,
                                   const CgCounters *delta, void *userdata);

int cg_watch_new(CgWatch **ret);
CgWatch *cg_watch_free(CgWatch *w);
DEFINE_TRIVIAL_CLEANUP_FUNC(CgWatch *, cg_watch_free);
int cg_watch_fd(const CgWatch *w) _pure_;
/* Watches payload's memory.events, pids.events and cgroup.events; reads the
 * baseline. The sandbox must outlive the watch entry. */
int cg_watch_add(CgWatch *w, CgSandbox *s, cg_watch_handler_t handler, void *userdata);
int cg_watch_remove(CgWatch *w, CgSandbox *s);
/* Drains the inotify fd (never blocks) and calls the handlers of the
 * sandboxes whose counters changed. Returns the number of handlers called. */
int cg_watch_process(CgWatch *w);
/* The explicit read after a process exited and before the cgroup goes:
 * re-reads s now, calls its handler if anything moved. */
int cg_watch_sync(CgWatch *w, CgSandbox *s);
/* Counters at the last read, and their sum of deltas since cg_watch_add(). */
int cg_watch_get(const CgWatch *w, const CgSandbox *s, CgCounters *ret_last, CgCounters *ret_total);
