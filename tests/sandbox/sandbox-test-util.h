/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/* Shared by the privileged sandbox tests: a default configuration, a run
 * that captures the service's output, and the proofs that a sandbox left
 * nothing behind (no process, no mount, no namespace, no cgroup). */

#include "test-util.h"

#include "sandbox.h"

/* CLONE_NEW* of "the default sandbox": all namespaces but user. */
extern const unsigned long test_default_namespaces;
/* A deny list standing in for the policy library's default profile. */
/* The shipped default profile's deny list (pgs-policy), resolved once. */
char **test_default_deny(void);

/* Skips (77) unless root and namespaces and seccomp work here. */
void test_require_sandbox(void);

/* The default sandbox running argv (argv[0] is the absolute path). */
void test_default_config(SandboxConfig *c, SandboxSeccompSpec *spec, char **argv);

typedef struct TestSandbox {
        SandboxPrepared *prepared;
        SandboxProcess *process;
        int out_fd;             /* read end of the service's stdout+stderr */
        char *mountinfo_before; /* the test's /proc/self/mountinfo before the start */
        unsigned long ns_inodes[8];
        size_t n_ns_inodes;     /* the init's namespaces, captured once started */
        unsigned long mntns_inode;
        uint64_t mntns_id;      /* NS_GET_MNTNS_ID: unique, unlike inode numbers */
        pid_t pid;
        bool started;
} TestSandbox;

/* Prepares and spawns (asserting success), stdout and stderr to a pipe.
 * With cgroup_fd >= 0, starts in that cgroup. */
void test_sandbox_start(TestSandbox *t, const SandboxConfig *c, int cgroup_fd);
/* Reads one line of the service's output (without the newline). */
char *test_sandbox_read_line(TestSandbox *t);
/* Reads the output to EOF, waits, and asserts that the init is reaped, no
 * process is left with the sandbox's namespaces, and the test's mount table
 * is unchanged. Returns the output (caller frees) and the result. */
char *test_sandbox_finish(TestSandbox *t, SandboxResult *ret);
/* Start + finish. */
char *test_sandbox_run(const SandboxConfig *c, int cgroup_fd, SandboxResult *ret);

/* The crash reason's description, for asserting on what a user would see. */
char *test_result_description(const SandboxResult *r);

/* Where cgroup v2 is mounted: /sys/fs/cgroup/unified on a hybrid host,
 * else /sys/fs/cgroup; NULL if neither is cgroup2. */
const char *test_cgroup_root(void);
/* A fresh cgroup v2 directory <root>/pgs-test-<pid>-<n>;
 * skips (77) when there is no cgroup2 mount there. */
int test_cgroup_new(char **ret_path);
/* rmdir()s it, asserting success (which proves it is empty). */
void test_cgroup_remove(char *path);

/* Removes path after the test, passed or failed (test_cleanup is the
 * teardown of every sandbox test): recursively, never across a mount. */
void test_track_path(const char *path);
/* mkdtemp() under /run, tracked. Returns a static-lifetime copy. */
const char *test_mkdtemp(const char *name);
/* cmocka teardown: removes what was tracked, kills and removes cgroups a
 * failed test left. */
int test_cleanup(void **state);

/* Path of the helper program (tests/sandbox/sandbox-helper.c). */
const char *test_helper_path(void);
/* Whether s contains the line line. */
bool test_has_line(const char *s, const char *line);
