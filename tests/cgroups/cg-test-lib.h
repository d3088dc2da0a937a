/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/* Shared by the cgroup tests that run on a real kernel: a private root per
 * test, helper processes started inside a cgroup, and the proof that nothing
 * is left behind. Include after test-util.h. */

#include <stdbool.h>
#include <sys/types.h>

#include "cgroup.h"

typedef struct CgTest {
        CgHost *host;
        CgRoot *root;
        char *root_name;
} CgTest;

/* Discovers the host, skips (77) without a usable cgroup2 mount, and makes a
 * root "pgs-test-<pid>-<tag>" below the mount. */
void cgt_setup(CgTest *t, const char *tag);
/* Removes the root and asserts that it is gone. */
void cgt_teardown(CgTest *t);
/* Skips the test (77) unless the root can use every controller of mask. */
void cgt_require_controllers(CgTest *t, CgMask mask);

/* Forks, moves the child into cgfd, execs the helper (argv[0] is its name in
 * the build dir). With wait_ready, waits for its "ready" line. */
pid_t cgt_spawn(int cgfd, char *const argv[], bool wait_ready);
/* Reaps every child (the test is a subreaper, so orphans come to it too)
 * until none is left. */
void cgt_reap_all(void);
/* Asserts that none of the pids exists any more. */
void cgt_assert_gone(const pid_t *pids, size_t n);
/* Asserts that a path does not exist. */
void cgt_assert_no_path(const char *path);
/* Marks the caller a child subreaper (call once in main). */
void cgt_init(void);
/* cmocka teardown for every test: if the test failed half-way, kills and
 * removes whatever is left of its root (and of the cgroup given to
 * cgt_track()), so that a failure does not leak cgroups or processes. */
int cgt_cleanup(void **state);
/* A cgroup outside the test's root that cgt_cleanup() must remove too. */
void cgt_track(const char *mount, const char *name);
/* Opens a cgroup directory below dirfd, asserting success. */
int cgt_open_dir(int dirfd, const char *name);
