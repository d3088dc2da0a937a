/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "process-list.h"
#include "ps-format.h"
#include "table.h"
#include "terminal.h"
#include "utf8.h"

char *format_bytes_short(char buf[static FORMAT_SHORT_MAX], uint64_t bytes) {
        static const char units[] = "KMGTPE";
        if (bytes == UINT64_MAX) {
                strcpy(buf, "-");
                return buf;
        }
        if (bytes < 1024) {
                snprintf(buf, FORMAT_SHORT_MAX, "%" PRIu64 "B", bytes);
                return buf;
        }
        size_t u = 0;
        uint64_t div = 1024;
        while (u + 1 < sizeof units - 1 && bytes / div >= 1024) {
                div *= 1024;
                u++;
        }
        uint64_t whole = bytes / div, tenths = (bytes % div) * 10 / div;
        if (whole < 10 && (bytes % div) != 0)
                snprintf(buf, FORMAT_SHORT_MAX, "%" PRIu64 ".%" PRIu64 "%c", whole, tenths, units[u]);
        else
                snprintf(buf, FORMAT_SHORT_MAX, "%" PRIu64 "%c", whole, units[u]);
        return buf;
}

char *format_span_short(char buf[static FORMAT_SHORT_MAX], usec_t t) {
        static const struct {
                const char *name;
                usec_t usec;
        } units[] = {
                { "d", USEC_PER_DAY }, { "h", USEC_PER_HOUR }, { "min", USEC_PER_MINUTE },
        };

        if (t == USEC_INFINITY)
                strcpy(buf, "-");
        else if (t < USEC_PER_SEC)
                snprintf(buf, FORMAT_SHORT_MAX, "%" PRIu64 "ms", t / USEC_PER_MSEC);
        else if (t < USEC_PER_MINUTE)
                snprintf(buf, FORMAT_SHORT_MAX, "%" PRIu64 ".%" PRIu64 "s", t / USEC_PER_SEC,
                         t % USEC_PER_SEC / (100 * USEC_PER_MSEC));
        else
                /* The two largest units: "2h 10min", "5min 3s". */
                for (size_t i = 0; i < ELEMENTSOF(units); i++)
                        if (t >= units[i].usec) {
                                usec_t rest = t % units[i].usec;
                                usec_t next = i + 1 < ELEMENTSOF(units) ? units[i + 1].usec : USEC_PER_SEC;
                                snprintf(buf, FORMAT_SHORT_MAX, "%" PRIu64 "%s %" PRIu64 "%s", t / units[i].usec,
                                         units[i].name, rest / next,
                                         i + 1 < ELEMENTSOF(units) ? units[i + 1].name : "s");
                                break;
                        }
        return buf;
}

char *format_usage(char buf[static 2 * FORMAT_SHORT_MAX], uint64_t current, uint64_t max, bool bytes) {
        char a[FORMAT_SHORT_MAX], b[FORMAT_SHORT_MAX];
        if (bytes) {
                format_bytes_short(a, current);
                format_bytes_short(b, max);
        } else {
                if (current == UINT64_MAX)
                        strcpy(a, "-");
                else
                        snprintf(a, sizeof a, "%" PRIu64, current);
                snprintf(b, sizeof b, "%" PRIu64, max);
        }
        snprintf(buf, 2 * FORMAT_SHORT_MAX, "%s/%s", a, max == UINT64_MAX ? "∞" : b);
        return buf;
}

/* The core's ProcessInfo for a sandbox, borrowing its strings. */
static ProcessInfo process_info_of(const SandboxInfo *i) {
        ProcessInfo p = {
                .name = i->name,
                .state = lifecycle_state_from_string(i->state),
                .status = i->status ?: (char *) "",
                .task_id = i->task_id,
        };
        if (!i->id || service_id_from_string(i->id, &p.service_id) < 0)
                memset(&p.service_id, 0, sizeof p.service_id);
        return p;
}

char *ps_default_row(const SandboxInfo *i) {
        ProcessInfo p = process_info_of(i);
        return process_info_format_row(&p);
}

/* Prints a default-table row cut to the width; the state word is coloured
 * when colours are on and it is still whole after the cut. */
static int print_default_row(FILE *f, const SandboxInfo *i, const PsOptions *o) {
        _cleanup_free_ char *row = ps_default_row(i), *line = NULL, *name = NULL;
        const char *color = o->colors ? state_color(i->state) : NULL;

        if (!row)
                return -ENOMEM;
        line = ellipsize_line(row, o->width);
        name = malloc(strlen(i->name) + PROCESS_TABLE_NAME_WIDTH + 4);
        if (!line || !name)
                return -ENOMEM;
        /* "%-36s %s %-15s %s": the state starts after the id and the padded name. */
        size_t at = 36 + 1 + (size_t) (utf8_pad_or_ellipsize(name, i->name, PROCESS_TABLE_NAME_WIDTH) - name) + 1;
        size_t len = i->state ? strlen(i->state) : 0;
        /* A cut inside the state word leaves "Runn…", which does not match. */
        if (!color || len == 0 || strlen(line) < at + len || strncmp(line + at, i->state, len) != 0) {
                fprintf(f, "%s\n", line);
                return 0;
        }
        fprintf(f, "%.*s%s%.*s%s%s\n", (int) at, line, color, (int) len, line + at, ANSI_NORMAL, line + at + len);
        return 0;
}

static int print_default_table(FILE *f, SandboxInfo * const *v, const PsOptions *o) {
        int r;

        if (o->legend) {
                _cleanup_free_ char *header = ellipsize_line(PROCESS_TABLE_HEADER, o->width);
                if (!header)
                        return -ENOMEM;
                fprintf(f, "%s\n", header);
                size_t n = PROCESS_TABLE_SEPARATOR_WIDTH;
                if (o->width > 0)
                        n = MIN(n, o->width);
                for (size_t k = 0; k < n; k++)
                        fputs("─", f);
                fputc('\n', f);
        }
        for (size_t k = 0; v && v[k]; k++)
                if ((r = print_default_row(f, v[k], o)) < 0)
                        return r;
        return 0;
}

enum {
        COL_ID, COL_NAME, COL_STATE, COL_STATUS, COL_RESTART, COL_PID, COL_UPTIME, COL_MEMORY, COL_PIDS, COL_CPU,
        _COL_MAX,
};

static int print_wide_table(FILE *f, SandboxInfo * const *v, const PsOptions *o) {
        static const char * const headers[_COL_MAX] = {
                "SERVICE ID", "NAME", "STATE", "STATUS", "RESTART", "PID", "UPTIME", "MEMORY", "PIDS", "CPU",
        };
        _cleanup_(table_freep) Table *t = NULL;
        int r;

        r = table_new(headers, _COL_MAX, &t);
        if (r < 0)
                return r;
        /* Too wide for the terminal: the status gives up width first, then the
         * id (a prefix is still a valid target), then the name. */
        (void) table_set_shrinkable(t, COL_STATUS, 16);
        (void) table_set_shrinkable(t, COL_ID, 9);
        (void) table_set_shrinkable(t, COL_NAME, 10);
        table_set_align_right(t, COL_PID);
        for (size_t k = 0; v && v[k]; k++) {
                const SandboxInfo *i = v[k];
                char pid[16], uptime[FORMAT_SHORT_MAX], memory[2 * FORMAT_SHORT_MAX], pids[2 * FORMAT_SHORT_MAX],
                        cpu[FORMAT_SHORT_MAX];
                usec_t up = sandbox_info_uptime(i, o->now);

                snprintf(pid, sizeof pid, "%" PRIu32, i->main_pid);
                const char *cells[_COL_MAX] = {
                        i->id, i->name, i->state, i->status, i->restart_policy,
                        i->main_pid > 0 ? pid : "-",
                        up > 0 ? format_span_short(uptime, up) : "-",
                        format_usage(memory, i->memory_current, i->memory_max, true),
                        format_usage(pids, i->pids_current, i->pids_max, false),
                        format_span_short(cpu, i->cpu_usage_usec),
                };
                const char *colors[_COL_MAX] = { [COL_STATE] = state_color(i->state) };
                r = table_add_row(t, cells, colors);
                if (r < 0)
                        return r;
        }
        return table_print(t, f, &(TableOptions) { .width = o->width, .legend = o->legend, .colors = o->colors });
}

int ps_print_table(FILE *f, SandboxInfo * const *v, const PsOptions *o) {
        return o->wide ? print_wide_table(f, v, o) : print_default_table(f, v, o);
}

void ps_print_json(FILE *f, SandboxInfo * const *v) {
        fputc('[', f);
        for (size_t k = 0; v && v[k]; k++) {
                JsonWriter w = json_writer(f);
                fputs(k > 0 ? ",\n" : "\n", f);
                sandbox_info_json(v[k], &w);
        }
        fputs("\n]\n", f);
}
