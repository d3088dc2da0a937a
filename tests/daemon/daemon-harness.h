/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/* Runs a real pgsandboxd for end-to-end tests: its own policy, runtime and
 * state directories under /tmp, its own cgroup root, and an sd-bus client on
 * its API socket. harness_stop() stops it and checks that nothing of it is
 * left: no process in its cgroup tree, no cgroup below its root, no socket. */

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

#include <systemd/sd-bus.h>

typedef struct Harness {
        char dir[128];          /* /run/pgs-daemon-XXXXXX */
        char policy_dir[160];
        char runtime_dir[160];
        char state_dir[160];
        char cgroup_root[64];   /* relative to the cgroup2 mount */
        char cgroup_path[256];  /* absolute */
        char address[200];      /* unix:path=... */
        pid_t daemon;
        sd_bus *bus;
} Harness;

/* Writes DIR/policies/NAME.policy with the given text. */
void harness_write_policy(Harness *h, const char *name, const char *text);
/* Starts the daemon on the policies written so far and connects. */
void harness_start(Harness *h);
/* Kills the daemon with sig (SIGKILL: a crash; SIGTERM: a stop), which
 * leaves the sandboxes running; respawn starts a new one on the same
 * directories and cgroup root. */
void harness_kill_daemon(Harness *h, int sig);
void harness_respawn_daemon(Harness *h);
/* Kills every sandbox, stops the daemon with SIGTERM and proves the cleanup. */
void harness_stop(Harness *h);
/* cmocka teardown (state: the Harness): cleans up after a failed test. */
int harness_teardown(void **state);
sd_bus *harness_connect(const Harness *h);

/* A field of GetSandbox(name) as a string (s) or number (u, t); NULL/-1 if
 * the sandbox does not exist. */
char *harness_get_string(Harness *h, const char *name, const char *field);
uint64_t harness_get_number(Harness *h, const char *name, const char *field);

/* Waits (on StateChanged signals, not by sleeping) until the sandbox's
 * Status is exactly expected; fails the test with the last status after
 * timeout_ms. */
void harness_wait_status(Harness *h, const char *name, const char *expected, unsigned timeout_ms);

/* Calls Kill/Stop/Start/Restart with one target; returns the result's
 * (kind, message) as allocated strings. */
void harness_call_verb(Harness *h, const char *method, const char *target, const char *signal, char **ret_kind,
                       char **ret_message);

/* Each StateChanged the client saw: name, state, CLOCK_MONOTONIC µs. */
typedef struct HarnessEvent {
        char name[64];
        char state[16];
        char status[256];
        uint64_t usec;
        uint64_t cookie; /* the daemon's message number: its order of sending */
} HarnessEvent;
extern HarnessEvent harness_events[1024];
extern size_t harness_n_events;
extern size_t harness_events_dropped; /* older events dropped when the buffer filled */

/* A test program from the build directory, copied where sandboxes see it
 * (/run); the copy is removed when the test program exits. */
const char *harness_stage(const char *name, const char *build_path);
/* The test payload (tests/daemon/crasher.c), staged. */
const char *harness_crasher(void);
