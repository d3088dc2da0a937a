/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/* What `ps` shows: one ProcessInfo per service, kept in a ProcessList keyed by
 * service id, listed sorted by name and laid out as the origin design's table. */

#include <stddef.h>

#include "lifecycle.h"
#include "macro.h"
#include "restart-policy.h"
#include "service-id.h"

typedef struct ProcessInfo {
        ServiceId service_id;
        TaskId task_id;
        char *name;
        LifecycleState state;
        char *status; /* the status summary, e.g. "Failed (Exit code: 1) [restarts: 2]" */
        RestartPolicy restart_policy;
} ProcessInfo;

int process_info_new(const ServiceId *id, const char *name, const ServiceHandle *handle,
                     RestartPolicy restart_policy, ProcessInfo **ret);
ProcessInfo *process_info_free(ProcessInfo *p);
DEFINE_TRIVIAL_CLEANUP_FUNC(ProcessInfo *, process_info_free);
/* One table row, "%-36s %-20s %-15s %s" with the name cut to its column. */
char *process_info_format_row(const ProcessInfo *p);

typedef struct ProcessList ProcessList;

int process_list_new(ProcessList **ret);
ProcessList *process_list_free(ProcessList *l);
DEFINE_TRIVIAL_CLEANUP_FUNC(ProcessList *, process_list_free);

/* Takes ownership of info; replaces an entry with the same service id. */
int process_list_add(ProcessList *l, ProcessInfo *info);
/* Returns 0 if removed, -ENOENT if no such service. */
int process_list_remove(ProcessList *l, const ServiceId *id);
const ProcessInfo *process_list_get(const ProcessList *l, const ServiceId *id);
const ProcessInfo *process_list_get_by_name(const ProcessList *l, const char *name);
size_t process_list_size(const ProcessList *l);
/* A new array of the entries sorted by name (then id), NULL-terminated; the
 * entries stay owned by the list. NULL on out of memory. */
const ProcessInfo **process_list_list_all(const ProcessList *l);
const ProcessInfo **process_list_list_by_state(const ProcessList *l, LifecycleState state);

#define PROCESS_TABLE_HEADER                                                         \
        "SERVICE ID                           NAME                 STATE           STATUS"
#define PROCESS_TABLE_NAME_WIDTH 20
#define PROCESS_TABLE_SEPARATOR_WIDTH 96

/* Header, separator and one row per entry, each line ending in '\n'. */
char *process_list_format_table(const ProcessList *l);
