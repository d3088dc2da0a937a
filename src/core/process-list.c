/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "process-list.h"
#include "utf8.h"

struct ProcessList {
        ProcessInfo **items;
        size_t n, allocated;
};

int process_info_new(const ServiceId *id, const char *name, const ServiceHandle *handle,
                     RestartPolicy restart_policy, ProcessInfo **ret) {
        _cleanup_(process_info_freep) ProcessInfo *p = calloc(1, sizeof *p);
        if (!p)
                return -ENOMEM;
        p->service_id = *id;
        p->task_id = handle->task_id;
        p->state = handle->state;
        p->restart_policy = restart_policy;
        p->name = strdup(name);
        p->status = service_handle_status_summary(handle);
        if (!p->name || !p->status)
                return -ENOMEM;
        *ret = TAKE_PTR(p);
        return 0;
}

ProcessInfo *process_info_free(ProcessInfo *p) {
        if (!p)
                return NULL;
        free(p->name);
        free(p->status);
        return mfree(p);
}

char *process_info_format_row(const ProcessInfo *p) {
        char id[SERVICE_ID_STRING_MAX];
        _cleanup_free_ char *name = malloc(strlen(p->name) + PROCESS_TABLE_NAME_WIDTH + 4);
        char *s;

        if (!name)
                return NULL;
        utf8_pad_or_ellipsize(name, p->name, PROCESS_TABLE_NAME_WIDTH);
        if (asprintf(&s, "%-36s %s %-15s %s", service_id_to_string(&p->service_id, id), name,
                     lifecycle_state_to_string(p->state) ?: "Unknown", p->status) < 0)
                return NULL;
        return s;
}

int process_list_new(ProcessList **ret) {
        ProcessList *l = calloc(1, sizeof *l);
        if (!l)
                return -ENOMEM;
        *ret = l;
        return 0;
}

ProcessList *process_list_free(ProcessList *l) {
        if (!l)
                return NULL;
        for (size_t i = 0; i < l->n; i++)
                process_info_free(l->items[i]);
        free(l->items);
        return mfree(l);
}

static ssize_t process_list_find(const ProcessList *l, const ServiceId *id) {
        for (size_t i = 0; i < l->n; i++)
                if (service_id_equal(&l->items[i]->service_id, id))
                        return (ssize_t) i;
        return -1;
}

int process_list_add(ProcessList *l, ProcessInfo *info) {
        ssize_t i = process_list_find(l, &info->service_id);
        if (i >= 0) {
                process_info_free(l->items[i]);
                l->items[i] = info;
                return 0;
        }
        if (l->n == l->allocated) {
                size_t a = l->allocated ? l->allocated * 2 : 16;
                ProcessInfo **items = reallocarray(l->items, a, sizeof *items);
                if (!items)
                        return -ENOMEM;
                l->items = items;
                l->allocated = a;
        }
        l->items[l->n++] = info;
        return 0;
}

int process_list_remove(ProcessList *l, const ServiceId *id) {
        ssize_t i = process_list_find(l, id);
        if (i < 0)
                return -ENOENT;
        process_info_free(l->items[i]);
        memmove(l->items + i, l->items + i + 1, (l->n - (size_t) i - 1) * sizeof *l->items);
        l->n--;
        return 0;
}

const ProcessInfo *process_list_get(const ProcessList *l, const ServiceId *id) {
        ssize_t i = process_list_find(l, id);
        return i < 0 ? NULL : l->items[i];
}

const ProcessInfo *process_list_get_by_name(const ProcessList *l, const char *name) {
        for (size_t i = 0; i < l->n; i++)
                if (streq(l->items[i]->name, name))
                        return l->items[i];
        return NULL;
}

size_t process_list_size(const ProcessList *l) {
        return l->n;
}

static int process_info_compare(const void *a, const void *b) {
        const ProcessInfo *x = *(const ProcessInfo * const *) a, *y = *(const ProcessInfo * const *) b;
        int r = strcmp(x->name, y->name);
        return r != 0 ? r : memcmp(x->service_id.bytes, y->service_id.bytes, sizeof x->service_id.bytes);
}

static const ProcessInfo **process_list_filter(const ProcessList *l, LifecycleState state) {
        const ProcessInfo **v = calloc(l->n + 1, sizeof *v);
        size_t k = 0;

        if (!v)
                return NULL;
        for (size_t i = 0; i < l->n; i++)
                if (state < 0 || l->items[i]->state == state)
                        v[k++] = l->items[i];
        qsort(v, k, sizeof *v, process_info_compare);
        return v;
}

const ProcessInfo **process_list_list_all(const ProcessList *l) {
        return process_list_filter(l, _LIFECYCLE_STATE_INVALID);
}

const ProcessInfo **process_list_list_by_state(const ProcessList *l, LifecycleState state) {
        return process_list_filter(l, state);
}

char *process_list_format_table(const ProcessList *l) {
        _cleanup_free_ const ProcessInfo **v = process_list_list_all(l);
        char *buf = NULL;
        size_t size = 0;
        FILE *f;

        if (!v)
                return NULL;
        f = open_memstream(&buf, &size);
        if (!f)
                return NULL;
        fputs(PROCESS_TABLE_HEADER "\n", f);
        for (size_t i = 0; i < PROCESS_TABLE_SEPARATOR_WIDTH; i++)
                fputs("─", f);
        fputc('\n', f);
        for (size_t i = 0; v[i]; i++) {
                _cleanup_free_ char *row = process_info_format_row(v[i]);
                if (!row) {
                        fclose(f);
                        free(buf);
                        return NULL;
                }
                fputs(row, f);
                fputc('\n', f);
        }
        if (fclose(f) != 0) {
                free(buf);
                return NULL;
        }
        return buf;
}
