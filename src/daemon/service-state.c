/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "fileio.h"
#include "service-state.h"
#include "strv.h"

void run_record_done(RunRecord *r) {
        crash_reason_free(r->reason);
        free(r->evidence);
        *r = (RunRecord) {};
}

void service_state_done(ServiceState *s) {
        crash_reason_free(s->crash);
        free(s->crash_evidence);
        for (size_t i = 0; i < s->n_history; i++)
                run_record_done(&s->history[i]);
        *s = (ServiceState) {};
}

void service_state_add_run(ServiceState *s, RunRecord *r) {
        if (s->n_history == SERVICE_HISTORY_MAX) {
                run_record_done(&s->history[0]);
                memmove(s->history, s->history + 1, (SERVICE_HISTORY_MAX - 1) * sizeof *s->history);
                s->n_history--;
        }
        s->history[s->n_history++] = *r;
        *r = (RunRecord) {};
}

/* ---- escaping ------------------------------------------------------------------ */

static void put_escaped(FILE *f, const char *s) {
        for (; s && *s; s++)
                switch (*s) {
                case '\\':
                        fputs("\\\\", f);
                        break;
                case '\n':
                        fputs("\\n", f);
                        break;
                case '\t':
                        fputs("\\t", f);
                        break;
                default:
                        fputc(*s, f);
                }
}

/* Unescapes in place; returns s. */
static char *unescape(char *s) {
        char *w = s;
        for (char *r = s; *r; r++) {
                if (*r != '\\' || !r[1]) {
                        *w++ = *r;
                        continue;
                }
                r++;
                *w++ = *r == 'n' ? '\n' : *r == 't' ? '\t' : *r;
        }
        *w = 0;
        return s;
}

/* A crash reason as "kind<TAB>exit code<TAB>text"; "-" for none. */
static void put_reason(FILE *f, const CrashReason *r) {
        if (!r) {
                fputs("-\t0\t", f);
                return;
        }
        fprintf(f, "%s\t%d\t", crash_kind_to_string(r->kind), r->exit_code);
        put_escaped(f, r->text);
}

static int parse_reason(const char *kind, const char *code, const char *text, CrashReason **ret) {
        *ret = NULL;
        if (streq(kind, "-"))
                return 0;
        CrashKind k = crash_kind_from_string(kind);
        if (k < 0)
                return -EBADMSG;
        if (k == CRASH_EXIT_CODE)
                return crash_reason_new_exit_code(atoi(code), ret);
        return crash_reason_new(k, *text ? text : NULL, ret);
}

char *service_state_format(const ServiceState *s) {
        char id[SERVICE_ID_STRING_MAX];
        char *buf = NULL;
        size_t size = 0;
        FILE *f = open_memstream(&buf, &size);

        if (!f)
                return NULL;
        fprintf(f, "# pgsandboxd service state; written by the daemon, do not edit\n");
        fprintf(f, "id=%s\nstate=%s\nrestarts=%u\nbackoff_step=%u\nlast_task=%llu\ncrash_time=%llu\n",
                service_id_to_string(&s->id, id), lifecycle_state_to_string(s->state) ?: "Stopped", s->restart_count, s->backoff_step,
                (unsigned long long) s->last_task_id, (unsigned long long) s->crash_time);
        fputs("crash=", f);
        put_reason(f, s->crash);
        fputs("\ncrash_evidence=", f);
        put_escaped(f, s->crash_evidence);
        fputc('\n', f);
        for (size_t i = 0; i < s->n_history; i++) {
                const RunRecord *r = &s->history[i];
                fprintf(f, "run=%llu\t%llu\t%llu\t%llu\t%llu\t", (unsigned long long) r->task_id,
                        (unsigned long long) r->started, (unsigned long long) r->ended,
                        (unsigned long long) r->memory_peak, (unsigned long long) r->pids_peak);
                put_reason(f, r->reason);
                fputc('\t', f);
                put_escaped(f, r->evidence);
                fputc('\n', f);
        }
        if (fclose(f) != 0) {
                free(buf);
                return NULL;
        }
        return buf;
}

/* Splits line at tabs into exactly n fields (the last takes the rest). */
static int split_tabs(char *line, char **fields, size_t n) {
        for (size_t i = 0; i < n; i++) {
                fields[i] = line;
                if (i + 1 == n)
                        break;
                char *t = strchr(line, '\t');
                if (!t)
                        return -EBADMSG;
                *t = 0;
                line = t + 1;
        }
        return 0;
}

static int parse_run(char *v, RunRecord *ret) {
        char *f[8];
        RunRecord r = {};
        int k = split_tabs(v, f, ELEMENTSOF(f));
        if (k < 0)
                return k;
        r.task_id = strtoull(f[0], NULL, 10);
        r.started = strtoull(f[1], NULL, 10);
        r.ended = strtoull(f[2], NULL, 10);
        r.memory_peak = strtoull(f[3], NULL, 10);
        r.pids_peak = strtoull(f[4], NULL, 10);
        k = parse_reason(f[5], f[6], unescape(f[7]), &r.reason);
        if (k < 0)
                return k;
        *ret = r;
        return 0;
}

int service_state_parse(const char *text, ServiceState *ret) {
        _cleanup_free_ char *copy = strdup(text);
        ServiceState s = {};
        bool have_id = false;
        int r = 0;

        if (!copy)
                return -ENOMEM;
        for (char *line = copy, *next; line && *line && r >= 0; line = next) {
                next = strchr(line, '\n');
                if (next)
                        *next++ = 0;
                char *eq = strchr(line, '=');
                if (line[0] == '#' || !eq)
                        continue;
                *eq = 0;
                char *v = eq + 1;
                if (streq(line, "id"))
                        have_id = service_id_from_string(v, &s.id) >= 0;
                else if (streq(line, "state")) {
                        s.state = lifecycle_state_from_string(v);
                        if (s.state < 0)
                                r = -EBADMSG;
                } else if (streq(line, "restarts"))
                        s.restart_count = (unsigned) strtoul(v, NULL, 10);
                else if (streq(line, "backoff_step"))
                        s.backoff_step = (unsigned) strtoul(v, NULL, 10);
                else if (streq(line, "last_task"))
                        s.last_task_id = strtoull(v, NULL, 10);
                else if (streq(line, "crash_time"))
                        s.crash_time = strtoull(v, NULL, 10);
                else if (streq(line, "crash")) {
                        char *f[3];
                        r = split_tabs(v, f, 3);
                        if (r >= 0)
                                r = parse_reason(f[0], f[1], unescape(f[2]), &s.crash);
                } else if (streq(line, "crash_evidence") && *v) {
                        s.crash_evidence = strdup(unescape(v));
                        if (!s.crash_evidence)
                                r = -ENOMEM;
                } else if (streq(line, "run")) {
                        /* The evidence is the 9th field: split it off first. */
                        char *last = strrchr(v, '\t');
                        RunRecord rec = {};
                        if (!last) {
                                r = -EBADMSG;
                                break;
                        }
                        *last = 0;
                        r = parse_run(v, &rec);
                        if (r >= 0 && last[1] && !(rec.evidence = strdup(unescape(last + 1))))
                                r = -ENOMEM;
                        if (r >= 0)
                                service_state_add_run(&s, &rec);
                        run_record_done(&rec);
                }
        }
        if (r >= 0 && !have_id)
                r = -EBADMSG;
        if (r < 0) {
                service_state_done(&s);
                return r;
        }
        *ret = s;
        return 0;
}

static char *state_path(const char *state_dir, const char *name) {
        char *p = NULL;
        return asprintf(&p, "%s/services/%s.state", state_dir, name) < 0 ? NULL : p;
}

int service_state_save(const char *state_dir, const char *name, const ServiceState *s) {
        _cleanup_free_ char *dir = NULL, *path = state_path(state_dir, name), *text = service_state_format(s);

        if (!path || !text || asprintf(&dir, "%s/services", state_dir) < 0)
                return -ENOMEM;
        if (mkdir(dir, 0700) < 0 && errno != EEXIST)
                return -errno;
        return write_file_atomic(path, text, strlen(text), 0600);
}

int service_state_load(const char *state_dir, const char *name, ServiceState *ret) {
        _cleanup_free_ char *path = state_path(state_dir, name), *text = NULL;
        int r;

        if (!path)
                return -ENOMEM;
        r = read_full_file(path, 4 * 1024 * 1024, &text, NULL);
        if (r < 0)
                return r;
        return service_state_parse(text, ret);
}
