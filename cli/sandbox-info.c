/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "bus-util.h"
#include "sandbox-info.h"
#include "strv.h"

void sandbox_info_init(SandboxInfo *i) {
        *i = (SandboxInfo) {
                .memory_current = UINT64_MAX, .memory_peak = UINT64_MAX, .memory_max = UINT64_MAX,
                .pids_current = UINT64_MAX, .pids_max = UINT64_MAX, .cpu_usage_usec = UINT64_MAX,
        };
}

void sandbox_info_done(SandboxInfo *i) {
        char **strings[] = {
                &i->id, &i->name, &i->state, &i->status, &i->restart_policy, &i->policy_file, &i->crash_reason,
                &i->crash_evidence, &i->log_file, &i->description, &i->cgroup, &i->seccomp_profile, &i->capabilities,
                &i->status_text,
        };
        for (size_t k = 0; k < ELEMENTSOF(strings); k++)
                *strings[k] = mfree(*strings[k]);
        i->tags = strv_free(i->tags);
        i->namespaces = strv_free(i->namespaces);
}

SandboxInfo *sandbox_info_free(SandboxInfo *i) {
        if (!i)
                return NULL;
        sandbox_info_done(i);
        return mfree(i);
}

typedef enum FieldType { FIELD_STRING, FIELD_U32, FIELD_U64, FIELD_STRV } FieldType;

typedef struct Field {
        const char *name;
        FieldType type;
        size_t offset;
} Field;

#define F(n, t, m) { n, t, offsetof(SandboxInfo, m) }
static const Field fields[] = {
        F("Id", FIELD_STRING, id),
        F("Name", FIELD_STRING, name),
        F("State", FIELD_STRING, state),
        F("Status", FIELD_STRING, status),
        F("RestartPolicy", FIELD_STRING, restart_policy),
        F("Restarts", FIELD_U32, restarts),
        F("TaskId", FIELD_U64, task_id),
        F("MainPID", FIELD_U32, main_pid),
        F("StartedAt", FIELD_U64, started_at),
        F("Tags", FIELD_STRV, tags),
        F("PolicyFile", FIELD_STRING, policy_file),
        F("LogFile", FIELD_STRING, log_file),
        F("MemoryCurrent", FIELD_U64, memory_current),
        F("MemoryPeak", FIELD_U64, memory_peak),
        F("MemoryMax", FIELD_U64, memory_max),
        F("PidsCurrent", FIELD_U64, pids_current),
        F("PidsMax", FIELD_U64, pids_max),
        F("CPUUsageUSec", FIELD_U64, cpu_usage_usec),
        F("StatusText", FIELD_STRING, status_text),
        F("CrashReason", FIELD_STRING, crash_reason),
        F("CrashEvidence", FIELD_STRING, crash_evidence),
        F("CrashTime", FIELD_U64, crash_time),
        F("NextRestartUSec", FIELD_U64, next_restart_usec),
        /* Optional: sent by newer daemons. */
        F("Description", FIELD_STRING, description),
        F("ControlGroup", FIELD_STRING, cgroup),
        F("Namespaces", FIELD_STRV, namespaces),
        F("SeccompProfile", FIELD_STRING, seccomp_profile),
        F("Capabilities", FIELD_STRING, capabilities),
};
#undef F
#define N_REQUIRED_FIELDS 23 /* the ones docs/dbus-api.md lists; JSON always has them */

/* The value of a{sv} entry as the field's type; -ENXIO if it has another
 * type. Containers and read_basic, not sd_bus_message_read()'s format
 * strings: ps of 1000 sandboxes reads 25000 of these. */
static int read_field(sd_bus_message *m, const Field *f, SandboxInfo *i) {
        static const char * const signature[] = {
                [FIELD_STRING] = "s", [FIELD_U32] = "u", [FIELD_U64] = "t", [FIELD_STRV] = "as",
        };
        void *p = (uint8_t *) i + f->offset;
        const char *s;
        int r;

        r = sd_bus_message_enter_container(m, 'v', signature[f->type]);
        if (r < 0)
                return r;
        switch (f->type) {
        case FIELD_STRING:
                r = sd_bus_message_read_basic(m, 's', &s);
                if (r > 0) {
                        free(*(char **) p);
                        r = (*(char **) p = strdup(s)) ? 0 : -ENOMEM;
                }
                break;
        case FIELD_U32:
                r = sd_bus_message_read_basic(m, 'u', p);
                break;
        case FIELD_U64:
                r = sd_bus_message_read_basic(m, 't', p);
                break;
        case FIELD_STRV:
                *(char ***) p = strv_free(*(char ***) p);
                r = sd_bus_message_read_strv(m, (char ***) p);
                break;
        }
        if (r < 0)
                return r;
        return sd_bus_message_exit_container(m);
}

/* The daemon sends the fields in the same order every time: look where the
 * last one was found first. */
static const Field *find_field(const char *key, size_t *cursor) {
        for (size_t n = 0; n < ELEMENTSOF(fields); n++) {
                size_t k = (*cursor + n) % ELEMENTSOF(fields);
                if (streq(fields[k].name, key)) {
                        *cursor = k + 1;
                        return &fields[k];
                }
        }
        return NULL;
}

int sandbox_info_read(sd_bus_message *m, SandboxInfo *ret) {
        size_t cursor = 0;
        int r;

        sandbox_info_init(ret);
        r = sd_bus_message_enter_container(m, 'a', "{sv}");
        if (r <= 0)
                return r < 0 ? r : -EBADMSG;
        while ((r = sd_bus_message_enter_container(m, 'e', "sv")) > 0) {
                const char *key;
                const Field *f;

                r = sd_bus_message_read_basic(m, 's', &key);
                if (r < 0)
                        goto fail;
                f = find_field(key, &cursor);
                /* An unknown field, or one of another type than we know, is
                 * skipped, not fatal: the API may grow. */
                r = f ? read_field(m, f, ret) : sd_bus_message_skip(m, "v");
                if (r == -ENXIO)
                        r = sd_bus_message_skip(m, "v");
                if (r < 0)
                        goto fail;
                r = sd_bus_message_exit_container(m);
                if (r < 0)
                        goto fail;
        }
        if (r < 0)
                goto fail;
        r = sd_bus_message_exit_container(m);
        if (r < 0)
                goto fail;
        if (!ret->id || !ret->name) {
                r = -EBADMSG;
                goto fail;
        }
        return 0;
fail:
        sandbox_info_done(ret);
        return r;
}

void sandbox_info_json(const SandboxInfo *i, JsonWriter *w) {
        json_begin_object(w, NULL);
        for (size_t k = 0; k < ELEMENTSOF(fields); k++) {
                const Field *f = &fields[k];
                const void *p = (const uint8_t *) i + f->offset;
                switch (f->type) {
                case FIELD_STRING:
                        if (k < N_REQUIRED_FIELDS)
                                json_string(w, f->name, *(char * const *) p ?: "");
                        else if (*(char * const *) p)
                                json_string(w, f->name, *(char * const *) p);
                        break;
                case FIELD_U32:
                        json_unsigned(w, f->name, *(const uint32_t *) p);
                        break;
                case FIELD_U64:
                        json_unsigned_or_null(w, f->name, *(const uint64_t *) p);
                        break;
                case FIELD_STRV:
                        if (k < N_REQUIRED_FIELDS || *(char ** const *) p)
                                json_strv(w, f->name, *(char ** const *) p);
                        break;
                }
        }
        json_end_object(w);
}

SandboxInfo **sandbox_info_array_free(SandboxInfo **v) {
        for (SandboxInfo **i = v; i && *i; i++)
                sandbox_info_free(*i);
        return mfree(v);
}

size_t sandbox_info_array_length(SandboxInfo * const *v) {
        size_t n = 0;
        while (v && v[n])
                n++;
        return n;
}

static int sandbox_info_compare(const void *a, const void *b) {
        const SandboxInfo *x = *(SandboxInfo * const *) a, *y = *(SandboxInfo * const *) b;
        int r = strcmp(x->name, y->name);
        return r != 0 ? r : strcmp(x->id, y->id);
}

void sandbox_info_array_sort(SandboxInfo **v) {
        qsort(v, sandbox_info_array_length(v), sizeof *v, sandbox_info_compare);
}

void sandbox_info_array_filter(SandboxInfo **v, const char *state, const char *tag) {
        size_t k = 0;
        for (size_t i = 0; v[i]; i++) {
                bool keep = (!state || (v[i]->state && strcasecmp(v[i]->state, state) == 0)) &&
                            (!tag || strv_contains(v[i]->tags, tag));
                if (keep)
                        v[k++] = v[i];
                else
                        sandbox_info_free(v[i]);
        }
        v[k] = NULL;
}

int sandbox_list(sd_bus *bus, SandboxInfo ***ret, sd_bus_error *error) {
        _cleanup_(sd_bus_message_unrefp) sd_bus_message *reply = NULL;
        _cleanup_(sandbox_info_array_freep) SandboxInfo **v = calloc(1, sizeof *v);
        size_t n = 0, allocated = 1;
        int r;

        if (!v)
                return -ENOMEM;
        r = sd_bus_call_method(bus, NULL, PGS_BUS_PATH, PGS_BUS_INTERFACE, "ListSandboxes", error, &reply, "");
        if (r < 0)
                return r;
        r = sd_bus_message_enter_container(reply, 'a', "a{sv}");
        if (r < 0)
                return r;
        for (;;) {
                _cleanup_(sandbox_info_freep) SandboxInfo *i = calloc(1, sizeof *i);
                if (!i)
                        return -ENOMEM;
                sandbox_info_init(i);
                r = sd_bus_message_at_end(reply, false);
                if (r < 0)
                        return r;
                if (r > 0)
                        break;
                r = sandbox_info_read(reply, i);
                if (r < 0)
                        return r;
                if (n + 1 >= allocated) {
                        allocated *= 2;
                        SandboxInfo **nv = reallocarray(v, allocated, sizeof *nv);
                        if (!nv)
                                return -ENOMEM;
                        v = nv;
                }
                v[n++] = TAKE_PTR(i);
                v[n] = NULL;
        }
        sandbox_info_array_sort(v);
        *ret = TAKE_PTR(v);
        return 0;
}

int sandbox_get(sd_bus *bus, const char *target, SandboxInfo **ret, sd_bus_error *error) {
        _cleanup_(sd_bus_message_unrefp) sd_bus_message *reply = NULL;
        _cleanup_(sandbox_info_freep) SandboxInfo *i = calloc(1, sizeof *i);
        int r;

        if (!i)
                return -ENOMEM;
        sandbox_info_init(i);
        r = sd_bus_call_method(bus, NULL, PGS_BUS_PATH, PGS_BUS_INTERFACE, "GetSandbox", error, &reply, "s", target);
        if (r >= 0)
                r = sandbox_info_read(reply, i);
        if (r < 0)
                return r;
        *ret = TAKE_PTR(i);
        return 0;
}

usec_t sandbox_info_uptime(const SandboxInfo *i, usec_t now) {
        if (i->started_at == 0 || i->started_at == UINT64_MAX || i->main_pid == 0 || now < i->started_at)
                return 0;
        return now - i->started_at;
}
