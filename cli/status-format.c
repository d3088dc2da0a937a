/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <inttypes.h>
#include <sched.h>
#include <string.h>
#include <sys/capability.h>
#include <time.h>

#include "ps-format.h"
#include "status-format.h"
#include "strv.h"
#include "terminal.h"

char *format_timestamp(char buf[static 64], usec_t realtime) {
        time_t t = (time_t) (realtime / USEC_PER_SEC);
        struct tm tm;
        if (realtime == 0 || realtime == UINT64_MAX || !localtime_r(&t, &tm) ||
            strftime(buf, 64, "%Y-%m-%d %H:%M:%S %Z", &tm) == 0)
                strcpy(buf, "-");
        return buf;
}

#define LABEL "%13s "

static void print_namespaces(FILE *f, const SandboxInfo *i, const Policy *p) {
        static const struct {
                unsigned long flag;
                const char *name;
        } ns[] = {
                { CLONE_NEWPID, "pid" },   { CLONE_NEWNS, "mount" },     { CLONE_NEWNET, "net" },
                { CLONE_NEWIPC, "ipc" },   { CLONE_NEWUTS, "uts" },      { CLONE_NEWCGROUP, "cgroup" },
                { CLONE_NEWUSER, "user" },
        };

        if (i->namespaces) {
                _cleanup_free_ char *s = strv_join(i->namespaces, " ");
                fprintf(f, LABEL "%s\n", "Namespaces:", s ?: "?");
                return;
        }
        if (!p)
                return;
        fprintf(f, LABEL, "Namespaces:");
        bool any = false;
        for (size_t k = 0; k < ELEMENTSOF(ns); k++)
                if (p->namespaces & ns[k].flag) {
                        fprintf(f, "%s%s", any ? " " : "", ns[k].name);
                        any = true;
                }
        fprintf(f, "%s\n", any ? "" : "none");
}

static void print_capabilities(FILE *f, const SandboxInfo *i, const Policy *p) {
        if (i->capabilities) {
                fprintf(f, LABEL "%s\n", "Capabilities:", *i->capabilities ? i->capabilities : "none");
                return;
        }
        if (!p)
                return;
        fprintf(f, LABEL, "Capabilities:");
        bool any = false;
        for (unsigned c = 0; c < 64; c++)
                if (p->capabilities & (UINT64_C(1) << c)) {
                        char *name = cap_to_name((cap_value_t) c);
                        fprintf(f, "%s%s", any ? " " : "", name ?: "?");
                        cap_free(name);
                        any = true;
                }
        fprintf(f, "%s\n", any ? "" : "none");
}

static void print_seccomp(FILE *f, const SandboxInfo *i, const Policy *p) {
        if (i->seccomp_profile)
                fprintf(f, LABEL "%s\n", "Seccomp:", i->seccomp_profile);
        else if (p)
                fprintf(f, LABEL "%s (%s, action %s)\n", "Seccomp:",
                        policy_seccomp_profile_to_string(p->seccomp.profile) ?: "?",
                        policy_seccomp_mode_to_string(p->seccomp_spec.mode) ?: "?",
                        policy_seccomp_action_to_string(p->seccomp_spec.action) ?: "?");
}

static void print_crash(FILE *f, const SandboxInfo *i, usec_t now, bool colors) {
        char ts[64], ago[FORMAT_SHORT_MAX];
        bool stopped = i->state && streq(i->state, "Stopped");

        if (!i->crash_reason || !*i->crash_reason)
                return;
        /* The origin design's three lines; a kill by the operator is no crash. */
        fputc('\n', f);
        fprintf(f, "Service %s %s: %s%s%s\n", i->name, stopped ? "stopped" : "crashed",
                colors && !stopped ? ANSI_RED : "", i->crash_reason, colors && !stopped ? ANSI_NORMAL : "");
        fprintf(f, "Restart policy: %s\n", i->restart_policy ?: "?");
        fprintf(f, "Restart attempt: %" PRIu32 "\n", i->restarts);
        if (i->crash_evidence && *i->crash_evidence) {
                /* Evidence may span lines (a traceback): indent the rest. */
                fprintf(f, "Evidence: ");
                for (const char *s = i->crash_evidence; *s; s++) {
                        fputc(*s, f);
                        if (*s == '\n' && s[1])
                                fputs("          ", f);
                }
                fputc('\n', f);
        }
        if (i->crash_time > 0 && i->crash_time != UINT64_MAX)
                fprintf(f, "Time: %s (%s ago)\n", format_timestamp(ts, i->crash_time),
                        format_span_short(ago, now > i->crash_time ? now - i->crash_time : 0));
}

void status_print(FILE *f, const SandboxInfo *i, const Policy *p, usec_t now, bool colors) {
        char buf[2 * FORMAT_SHORT_MAX], ts[64];
        const char *color = colors ? state_color(i->state) : NULL;
        const char *description = i->description && *i->description ? i->description
                                  : p && p->description && *p->description ? p->description
                                  : NULL;

        fprintf(f, "%s●%s %s%s%s\n", color ?: "", color ? ANSI_NORMAL : "", i->name, description ? " - " : "",
                description ?: "");
        fprintf(f, LABEL "%s\n", "Id:", i->id);
        fprintf(f, LABEL "%s\n", "Policy:", i->policy_file && *i->policy_file ? i->policy_file : "(transient)");
        fprintf(f, LABEL "%s%s%s", "State:", color ?: "", i->state ?: "?", color ? ANSI_NORMAL : "");
        if (i->status && !streq(i->status, i->state ?: ""))
                fprintf(f, " - %s", i->status);
        usec_t up = sandbox_info_uptime(i, now);
        if (up > 0)
                fprintf(f, " since %s; %s ago", format_timestamp(ts, i->started_at), format_span_short(buf, up));
        fputc('\n', f);
        fprintf(f, LABEL "%s (restarts: %" PRIu32 ")\n", "Restart:", i->restart_policy ?: "?", i->restarts);
        if (i->next_restart_usec > 0 && i->next_restart_usec != UINT64_MAX)
                fprintf(f, LABEL "in %s\n", "Next restart:", format_span_short(buf, i->next_restart_usec));
        if (i->main_pid > 0)
                fprintf(f, LABEL "%" PRIu32 " (task %" PRIu64 ")\n", "Main PID:", i->main_pid, i->task_id);
        else
                fprintf(f, LABEL "- (last task %" PRIu64 ")\n", "Main PID:", i->task_id);
        {
                char cur[FORMAT_SHORT_MAX], peak[FORMAT_SHORT_MAX], max[FORMAT_SHORT_MAX];
                fprintf(f, LABEL "%s (peak %s, limit %s)\n", "Memory:", format_bytes_short(cur, i->memory_current),
                        format_bytes_short(peak, i->memory_peak),
                        i->memory_max == UINT64_MAX ? "infinity" : format_bytes_short(max, i->memory_max));
        }
        if (i->pids_current == UINT64_MAX)
                fprintf(f, LABEL "-", "Tasks:");
        else
                fprintf(f, LABEL "%" PRIu64, "Tasks:", i->pids_current);
        if (i->pids_max == UINT64_MAX)
                fprintf(f, " (limit infinity)\n");
        else
                fprintf(f, " (limit %" PRIu64 ")\n", i->pids_max);
        fprintf(f, LABEL "%s\n", "CPU:", format_span_short(buf, i->cpu_usage_usec));
        if (i->tags && *i->tags) {
                _cleanup_free_ char *tags = strv_join(i->tags, " ");
                fprintf(f, LABEL "%s\n", "Tags:", tags ?: "?");
        }
        print_namespaces(f, i, p);
        print_seccomp(f, i, p);
        print_capabilities(f, i, p);
        if (i->cgroup)
                fprintf(f, LABEL "%s\n", "CGroup:", i->cgroup);
        if (i->status_text && *i->status_text)
                fprintf(f, LABEL "%s\n", "Status text:", i->status_text);
        print_crash(f, i, now, colors);
}
