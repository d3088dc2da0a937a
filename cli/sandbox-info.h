/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/* One sandbox as the daemon describes it (GetSandbox's a{sv}, see
 * docs/dbus-api.md), its JSON form, and the helpers the verbs share to list,
 * sort and filter them. Fields the daemon does not send keep their
 * "unknown" value: NULL strings, UINT64_MAX numbers. */

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include <systemd/sd-bus.h>

#include "json.h"
#include "macro.h"
#include "time-util.h"

typedef struct SandboxInfo {
        char *id, *name, *state, *status, *restart_policy;
        uint32_t restarts;
        uint64_t task_id;
        uint32_t main_pid;
        uint64_t started_at;      /* CLOCK_REALTIME µs, 0 when not running */
        char **tags;
        char *policy_file;
        char *log_file;           /* the service's output, <state>/logs/NAME.log */
        uint64_t memory_current, memory_peak, memory_max;
        uint64_t pids_current, pids_max;
        uint64_t cpu_usage_usec;
        char *status_text;        /* the last STATUS= of the notify protocol */
        char *crash_reason, *crash_evidence;
        uint64_t crash_time;      /* CLOCK_REALTIME µs, 0 if none */
        uint64_t next_restart_usec;
        /* Optional fields, shown by status when the daemon sends them. */
        char *description, *cgroup, *seccomp_profile, *capabilities;
        char **namespaces;
} SandboxInfo;

void sandbox_info_init(SandboxInfo *i);
void sandbox_info_done(SandboxInfo *i);
SandboxInfo *sandbox_info_free(SandboxInfo *i);
DEFINE_TRIVIAL_CLEANUP_FUNC(SandboxInfo *, sandbox_info_free);

/* Reads one a{sv} from m; unknown fields are skipped. */
int sandbox_info_read(sd_bus_message *m, SandboxInfo *ret);

/* The JSON object, with the API's field names; UINT64_MAX becomes null. */
void sandbox_info_json(const SandboxInfo *i, JsonWriter *w);

/* An array of sandboxes, NULL-terminated. */
SandboxInfo **sandbox_info_array_free(SandboxInfo **v);
DEFINE_TRIVIAL_CLEANUP_FUNC(SandboxInfo **, sandbox_info_array_free);
size_t sandbox_info_array_length(SandboxInfo * const *v);
/* Sorts by name, then id (the order ps shows). */
void sandbox_info_array_sort(SandboxInfo **v);
/* Keeps the entries whose state (case-insensitive) and tag match; NULL
 * matches anything. Frees the others. */
void sandbox_info_array_filter(SandboxInfo **v, const char *state, const char *tag);

/* ListSandboxes, sorted. */
int sandbox_list(sd_bus *bus, SandboxInfo ***ret, sd_bus_error *error);
/* GetSandbox(target). */
int sandbox_get(sd_bus *bus, const char *target, SandboxInfo **ret, sd_bus_error *error);

/* Uptime of the current run at realtime now, 0 when not running. */
usec_t sandbox_info_uptime(const SandboxInfo *i, usec_t now);
