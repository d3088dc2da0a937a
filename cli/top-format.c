/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <string.h>
#include <strings.h>
#include <time.h>

#include "ps-format.h"
#include "string-table.h"
#include "table.h"
#include "terminal.h"
#include "top-format.h"

static const char * const top_sort_table[_TOP_SORT_MAX] = {
        [TOP_SORT_NAME] = "name", [TOP_SORT_CPU] = "cpu", [TOP_SORT_MEMORY] = "memory",
        [TOP_SORT_PIDS] = "pids", [TOP_SORT_STATE] = "state",
};
DEFINE_STRING_TABLE_LOOKUP(top_sort, TopSort, top_sort_table, strcasecmp);

TopSort top_sort_from_key(int key) {
        for (size_t i = 0; i < ELEMENTSOF(top_sort_table); i++)
                if (key == top_sort_table[i][0])
                        return (TopSort) i;
        return _TOP_SORT_INVALID;
}

typedef struct Entry {
        SandboxInfo *info;
        double cpu;
} Entry;

static TopSort sort_key;

static int cmp_u64_desc(uint64_t a, uint64_t b) {
        /* Unknown (UINT64_MAX) sorts last. */
        if (a == UINT64_MAX)
                a = 0;
        if (b == UINT64_MAX)
                b = 0;
        return (a < b) - (a > b);
}

static int entry_compare(const void *x, const void *y) {
        const Entry *a = x, *b = y;
        int r = 0;
        switch (sort_key) {
        case TOP_SORT_CPU:
                r = (a->cpu < b->cpu) - (a->cpu > b->cpu);
                break;
        case TOP_SORT_MEMORY:
                r = cmp_u64_desc(a->info->memory_current, b->info->memory_current);
                break;
        case TOP_SORT_PIDS:
                r = cmp_u64_desc(a->info->pids_current, b->info->pids_current);
                break;
        case TOP_SORT_STATE:
                r = strcmp(a->info->state ?: "", b->info->state ?: "");
                break;
        default:
                break;
        }
        if (r == 0)
                r = strcmp(a->info->name, b->info->name);
        return r != 0 ? r : strcmp(a->info->id, b->info->id);
}

static int sort_entries(SandboxInfo **v, double *cpu, size_t n, TopSort sort) {
        _cleanup_free_ Entry *e = calloc(n ?: 1, sizeof *e);
        if (!e)
                return -ENOMEM;
        for (size_t i = 0; i < n; i++)
                e[i] = (Entry) { v[i], cpu[i] };
        sort_key = sort;
        qsort(e, n, sizeof *e, entry_compare);
        for (size_t i = 0; i < n; i++) {
                v[i] = e[i].info;
                cpu[i] = e[i].cpu;
        }
        return 0;
}

static void put_line(FILE *f, const char *s, size_t width) {
        _cleanup_free_ char *cut = ellipsize_line(s, width);
        fprintf(f, "%s\n", cut ?: s);
}

enum { COL_NAME, COL_STATE, COL_CPU, COL_MEMORY, COL_PIDS, COL_UPTIME, COL_STATUS, _COL_MAX };

int top_render(FILE *f, SandboxInfo **v, double *cpu, const TopOptions *o) {
        static const char * const headers[_COL_MAX] = {
                "NAME", "STATE", "CPU%", "MEMORY", "PIDS", "UPTIME", "STATUS",
        };
        _cleanup_(table_freep) Table *t = NULL;
        size_t n = sandbox_info_array_length(v), running = 0, failed = 0;
        char clock[16], interval[FORMAT_SHORT_MAX], *line = NULL;
        int r;

        r = sort_entries(v, cpu, n, o->sort);
        if (r < 0)
                return r;
        for (size_t i = 0; i < n; i++) {
                running += v[i]->state && streq(v[i]->state, "Running");
                failed += v[i]->state && streq(v[i]->state, "Failed");
        }
        time_t now = (time_t) (o->now / USEC_PER_SEC);
        struct tm tm;
        if (!localtime_r(&now, &tm) || strftime(clock, sizeof clock, "%H:%M:%S", &tm) == 0)
                strcpy(clock, "-");
        if (asprintf(&line, "pgsandbox top - %s - %zu sandboxes: %zu running, %zu failed - every %s", clock, n,
                     running, failed, format_span_short(interval, o->interval)) < 0)
                return -ENOMEM;
        put_line(f, line, o->width);
        free(line);
        if (asprintf(&line, "Sort by %s. Keys: n name, c cpu, m memory, p pids, s state, q quit",
                     top_sort_to_string(o->sort)) < 0)
                return -ENOMEM;
        put_line(f, line, o->width);
        free(line);

        r = table_new(headers, _COL_MAX, &t);
        if (r < 0)
                return r;
        /* On a small screen the name gives up width first (down to 16), then
         * the status: "Failed (Exit code: 1)" is what top is read for. */
        (void) table_set_shrinkable(t, COL_NAME, 16);
        (void) table_set_shrinkable(t, COL_STATUS, 6);
        table_set_align_right(t, COL_CPU);
        /* Two lines of header above, the table's header and separator: the
         * rest of the screen is for rows. */
        size_t rows = o->height > 4 ? o->height - 4 : o->height == 0 ? n : 0;
        for (size_t i = 0; i < n && i < rows; i++) {
                char c[16], mem[2 * FORMAT_SHORT_MAX], pids[2 * FORMAT_SHORT_MAX], up[FORMAT_SHORT_MAX];
                usec_t u = sandbox_info_uptime(v[i], o->now);
                if (cpu[i] < 0)
                        strcpy(c, "-");
                else
                        snprintf(c, sizeof c, "%.1f", cpu[i]);
                const char *cells[_COL_MAX] = {
                        v[i]->name, v[i]->state, c,
                        format_usage(mem, v[i]->memory_current, v[i]->memory_max, true),
                        format_usage(pids, v[i]->pids_current, v[i]->pids_max, false),
                        u > 0 ? format_span_short(up, u) : "-",
                        v[i]->status,
                };
                const char *colors[_COL_MAX] = { [COL_STATE] = state_color(v[i]->state) };
                r = table_add_row(t, cells, colors);
                if (r < 0)
                        return r;
        }
        return table_print(t, f, &(TableOptions) { .width = o->width, .legend = true, .colors = o->colors });
}
