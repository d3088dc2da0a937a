/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The effective policy, every default filled in: as a policy file (which
 * parses back to the same policy; unset optional keys become comments) and
 * as JSON (times in microseconds, sizes in bytes, null for infinity/unset). */
#include <ctype.h>
#include <linux/capability.h>
#include <string.h>
#include <sys/capability.h>

#include "policy-internal.h"
#include "policy-values.h"
#include "strv.h"

static const struct {
        const char *name;
        unsigned long flag;
} namespaces[] = {
        { "pid", CLONE_NEWPID },     { "mount", CLONE_NEWNS }, { "net", CLONE_NEWNET },
        { "ipc", CLONE_NEWIPC },     { "uts", CLONE_NEWUTS },  { "cgroup", CLONE_NEWCGROUP },
        { "user", CLONE_NEWUSER },
};

/* Keys of the Limit*= rows, in the table's order, with their kinds. */
static bool rlimit_row(size_t i, const char **ret_key, int *ret_resource, int *ret_kind) {
        const PolicySetting *s = &policy_settings[i];
        if (!strneq(s->key, "Limit", 5))
                return false;
        *ret_key = s->key;
        *ret_resource = s->arg / 4;
        *ret_kind = s->arg % 4;
        return true;
}

static void print_word(FILE *f, const char *s) {
        _cleanup_free_ char *q = quote_word(s);
        fputs(q ?: "\"\"", f);
}

static void print_words(FILE *f, const char *key, char * const *l) {
        fprintf(f, "%s=", key);
        STRV_FOREACH(w, l) {
                if (w != l)
                        fputc(' ', f);
                print_word(f, *w);
        }
        fputc('\n', f);
}

/* One line per entry: each can be long, and an empty list is "Key=". */
static void print_list(FILE *f, const char *key, char * const *l) {
        if (!l || !*l) {
                fprintf(f, "%s=\n", key);
                return;
        }
        STRV_FOREACH(w, l) {
                fprintf(f, "%s=", key);
                print_word(f, *w);
                fputc('\n', f);
        }
}

static void print_optional(FILE *f, const char *key, const char *value, const char *unset) {
        if (value)
                fprintf(f, "%s=%s\n", key, value);
        else
                fprintf(f, "# %s= (not set: %s)\n", key, unset);
}

static void print_time(FILE *f, const char *key, usec_t t) {
        char buf[FORMAT_TIMESPAN_MAX];
        fprintf(f, "%s=%s\n", key, format_timespan(buf, sizeof buf, t));
}

static char *format_size(char *buf, size_t len, uint64_t v) {
        static const char suffix[] = "TGMK";
        if (v == UINT64_MAX) {
                snprintf(buf, len, "infinity");
                return buf;
        }
        for (unsigned i = 0; i < 4; i++) {
                unsigned shift = 40 - 10 * i;
                if (v > 0 && (v & ((UINT64_C(1) << shift) - 1)) == 0) {
                        snprintf(buf, len, "%llu%c", (unsigned long long) (v >> shift), suffix[i]);
                        return buf;
                }
        }
        snprintf(buf, len, "%llu", (unsigned long long) v);
        return buf;
}

static char *format_rlimit_value(char *buf, size_t len, uint64_t v, int kind) {
        if (v == RLIM_INFINITY)
                snprintf(buf, len, "infinity");
        else if (kind == 0 /* size */)
                format_size(buf, len, v);
        else
                snprintf(buf, len, "%llu", (unsigned long long) v);
        return buf;
}

static void print_service(const Policy *p, FILE *f) {
        fprintf(f, "[Service]\nName=%s\n", p->name);
        fprintf(f, "Description=%s\n", p->description);
        print_words(f, "Exec", p->exec);
        fprintf(f, "WorkingDirectory=%s\n", p->working_directory);
        print_list(f, "Environment", p->environment);
        print_optional(f, "User", p->user, "root");
        print_optional(f, "Group", p->group, "the user's primary group");
        print_list(f, "SupplementaryGroups", p->supplementary_groups);
        fprintf(f, "Type=%s\n", policy_service_type_to_string(p->type));
        fprintf(f, "Restart=%s\n", restart_policy_to_keyword(p->restart));
        print_time(f, "RestartSec", p->backoff.initial_delay);
        print_time(f, "RestartMaxDelaySec", p->backoff.max_delay);
        print_time(f, "RestartResetSec", p->backoff.reset_after);
        fprintf(f, "StartLimitBurst=%u\n", p->backoff.burst);
        print_time(f, "StartLimitIntervalSec", p->backoff.interval);
        print_time(f, "TimeoutStartSec", p->timeout_start);
        print_time(f, "TimeoutStopSec", p->timeout_stop);
        print_time(f, "RuntimeMaxSec", p->runtime_max);
        print_time(f, "WatchdogSec", p->watchdog);
        print_list(f, "Tags", p->tags);
        fprintf(f, "AutoStart=%s\n", p->auto_start ? "yes" : "no");
}

static void print_sandbox(const Policy *p, FILE *f) {
        char a[64], b[64];

        fprintf(f, "\n[Sandbox]\nNamespaces=");
        for (size_t i = 0, n = 0; i < ELEMENTSOF(namespaces); i++)
                if (p->namespaces & namespaces[i].flag)
                        fprintf(f, "%s%s", n++ ? " " : "", namespaces[i].name);
        fputc('\n', f);
        print_optional(f, "Hostname", p->hostname, "the host's name");
        print_optional(f, "RootDirectory", p->root_directory, "the host's /");
        print_list(f, "ReadOnlyPaths", p->read_only_paths);
        print_list(f, "ReadWritePaths", p->read_write_paths);
        print_list(f, "InaccessiblePaths", p->inaccessible_paths);
        /* In their order (a later mount may cover an earlier one); an
         * empty assignment only where a kind has none. */
        size_t n_ro = 0;
        for (size_t i = 0; i < p->n_bind_mounts; i++)
                n_ro += p->bind_mounts[i].read_only;
        if (n_ro == p->n_bind_mounts)
                fprintf(f, "BindPaths=\n");
        if (n_ro == 0)
                fprintf(f, "BindReadOnlyPaths=\n");
        for (size_t i = 0; i < p->n_bind_mounts; i++) {
                const PolicyBindMount *m = &p->bind_mounts[i];
                bool short_form = streq(m->source, m->destination) && m->recursive;
                _cleanup_free_ char *s = NULL;
                if (asprintf(&s, "%s%s%s%s", m->source, short_form ? "" : ":", short_form ? "" : m->destination,
                             m->recursive ? "" : ":norbind") < 0)
                        continue;
                fprintf(f, "%s=", m->read_only ? "BindReadOnlyPaths" : "BindPaths");
                print_word(f, s);
                fputc('\n', f);
        }
        if (p->n_temporary_file_systems == 0)
                fprintf(f, "TemporaryFileSystem=\n");
        for (size_t i = 0; i < p->n_temporary_file_systems; i++) {
                const PolicyTmpfs *t = &p->temporary_file_systems[i];
                _cleanup_free_ char *s = NULL;
                if (asprintf(&s, "%s%s%s", t->path, *t->options ? ":" : "", t->options) < 0)
                        continue;
                fprintf(f, "TemporaryFileSystem=");
                print_word(f, s);
                fputc('\n', f);
        }
        fprintf(f, "PrivateTmp=%s\n", p->private_tmp ? "yes" : "no");
        fprintf(f, "ProtectSystem=%s\n", policy_protect_system_to_string(p->protect_system));
        fprintf(f, "Capabilities=");
        for (int c = 0, n = 0; c <= CAP_LAST_CAP; c++)
                if (p->capabilities & (UINT64_C(1) << c)) {
                        char *name = cap_to_name(c);
                        fputs(n++ ? " " : "", f);
                        for (char *q = name; q && *q; q++)
                                fputc(toupper((unsigned char) *q), f);
                        cap_free(name);
                }
        fputc('\n', f);
        fprintf(f, "NoNewPrivileges=%s\n", p->no_new_privileges ? "yes" : "no");
        for (size_t i = 0; i < policy_settings_count; i++) {
                const char *key;
                int res, kind;
                if (!rlimit_row(i, &key, &res, &kind))
                        continue;
                const PolicyRlimit *l = &p->rlimits[res];
                if (!l->set)
                        fprintf(f, "# %s= (not set: inherited)\n", key);
                else if (l->soft == l->hard)
                        fprintf(f, "%s=%s\n", key, format_rlimit_value(a, sizeof a, l->soft, kind));
                else
                        fprintf(f, "%s=%s:%s\n", key, format_rlimit_value(a, sizeof a, l->soft, kind),
                                format_rlimit_value(b, sizeof b, l->hard, kind));
        }
}

static void print_resources(const Policy *p, FILE *f) {
        char buf[64];

        fprintf(f, "\n[Resources]\n");
        fprintf(f, "MemoryMax=%s\n", format_size(buf, sizeof buf, p->memory_max));
        fprintf(f, "MemoryHigh=%s\n", format_size(buf, sizeof buf, p->memory_high));
        fprintf(f, "MemorySwapMax=%s\n", format_size(buf, sizeof buf, p->memory_swap_max));
        if (p->pids_max == UINT64_MAX)
                fprintf(f, "PidsMax=infinity\n");
        else
                fprintf(f, "PidsMax=%llu\n", (unsigned long long) p->pids_max);
        if (p->cpu_quota_percent > 0)
                fprintf(f, "CPUQuota=%u%%\n", p->cpu_quota_percent);
        else
                fprintf(f, "# CPUQuota= (not set: no quota)\n");
        fprintf(f, "CPUWeight=%u\n", p->cpu_weight);
}

static void print_seccomp(const Policy *p, FILE *f) {
        const PolicySeccomp *s = &p->seccomp;

        fprintf(f, "\n[Seccomp]\nProfile=%s\n", policy_seccomp_profile_to_string(s->profile));
        print_words(f, "Allow", s->allow);
        print_words(f, "Deny", s->deny);
        if (s->action == POLICY_SECCOMP_ACTION_ERRNO) {
                const char *n = errno_name(s->errno_value);
                if (n)
                        fprintf(f, "Action=errno:%s\n", n);
                else
                        fprintf(f, "Action=errno:%d\n", s->errno_value);
        } else
                fprintf(f, "Action=%s\n", policy_seccomp_action_to_string(s->action));
        fprintf(f, "# Resolved: %s, %zu syscalls\n", policy_seccomp_mode_to_string(p->seccomp_spec.mode),
                strv_length(p->seccomp_spec.syscalls));
}

int policy_print(const Policy *p, FILE *f) {
        fprintf(f, "# %s\n", p->path);
        print_service(p, f);
        print_sandbox(p, f);
        print_resources(p, f);
        print_seccomp(p, f);
        return ferror(f) ? -EIO : 0;
}

/* JSON */

static void json_string(FILE *f, const char *s) {
        fputc('"', f);
        for (const unsigned char *c = (const unsigned char *) s; *c; c++) {
                if (*c == '"' || *c == '\\')
                        fprintf(f, "\\%c", *c);
                else if (*c == '\n')
                        fputs("\\n", f);
                else if (*c == '\t')
                        fputs("\\t", f);
                else if (*c < 0x20 || *c == 0x7f)
                        fprintf(f, "\\u%04x", *c);
                else
                        fputc(*c, f);
        }
        fputc('"', f);
}

static void json_key(FILE *f, bool *first, const char *key) {
        fputs(*first ? "" : ",", f);
        *first = false;
        json_string(f, key);
        fputc(':', f);
}

static void json_str(FILE *f, bool *first, const char *key, const char *v) {
        json_key(f, first, key);
        if (v)
                json_string(f, v);
        else
                fputs("null", f);
}

static void json_strv(FILE *f, bool *first, const char *key, char * const *l) {
        json_key(f, first, key);
        fputc('[', f);
        STRV_FOREACH(w, l) {
                fputs(w != l ? "," : "", f);
                json_string(f, *w);
        }
        fputc(']', f);
}

/* A number, with UINT64_MAX ("infinity") as null. */
static void json_u64(FILE *f, bool *first, const char *key, uint64_t v) {
        json_key(f, first, key);
        if (v == UINT64_MAX)
                fputs("null", f);
        else
                fprintf(f, "%llu", (unsigned long long) v);
}

static void json_bool(FILE *f, bool *first, const char *key, bool v) {
        json_key(f, first, key);
        fputs(v ? "true" : "false", f);
}

static void json_service(const Policy *p, FILE *f) {
        bool first = true;
        fputc('{', f);
        json_str(f, &first, "Name", p->name);
        json_str(f, &first, "Description", p->description);
        json_strv(f, &first, "Exec", p->exec);
        json_str(f, &first, "WorkingDirectory", p->working_directory);
        json_strv(f, &first, "Environment", p->environment);
        json_str(f, &first, "User", p->user);
        json_str(f, &first, "Group", p->group);
        json_strv(f, &first, "SupplementaryGroups", p->supplementary_groups);
        json_str(f, &first, "Type", policy_service_type_to_string(p->type));
        json_str(f, &first, "Restart", restart_policy_to_keyword(p->restart));
        json_u64(f, &first, "RestartUSec", p->backoff.initial_delay);
        json_u64(f, &first, "RestartMaxDelayUSec", p->backoff.max_delay);
        json_u64(f, &first, "RestartResetUSec", p->backoff.reset_after);
        json_u64(f, &first, "StartLimitBurst", p->backoff.burst);
        json_u64(f, &first, "StartLimitIntervalUSec", p->backoff.interval);
        json_u64(f, &first, "TimeoutStartUSec", p->timeout_start);
        json_u64(f, &first, "TimeoutStopUSec", p->timeout_stop);
        json_u64(f, &first, "RuntimeMaxUSec", p->runtime_max);
        json_u64(f, &first, "WatchdogUSec", p->watchdog);
        json_strv(f, &first, "Tags", p->tags);
        json_bool(f, &first, "AutoStart", p->auto_start);
        fputc('}', f);
}

static void json_sandbox(const Policy *p, FILE *f) {
        bool first = true;
        fputc('{', f);
        json_key(f, &first, "Namespaces");
        fputc('[', f);
        for (size_t i = 0, n = 0; i < ELEMENTSOF(namespaces); i++)
                if (p->namespaces & namespaces[i].flag) {
                        fputs(n++ ? "," : "", f);
                        json_string(f, namespaces[i].name);
                }
        fputc(']', f);
        json_str(f, &first, "Hostname", p->hostname);
        json_str(f, &first, "RootDirectory", p->root_directory);
        json_strv(f, &first, "ReadOnlyPaths", p->read_only_paths);
        json_strv(f, &first, "ReadWritePaths", p->read_write_paths);
        json_strv(f, &first, "InaccessiblePaths", p->inaccessible_paths);
        json_key(f, &first, "BindMounts");
        fputc('[', f);
        for (size_t i = 0; i < p->n_bind_mounts; i++) {
                const PolicyBindMount *m = &p->bind_mounts[i];
                bool f2 = true;
                fputs(i ? ",{" : "{", f);
                json_str(f, &f2, "Source", m->source);
                json_str(f, &f2, "Destination", m->destination);
                json_bool(f, &f2, "ReadOnly", m->read_only);
                json_bool(f, &f2, "Recursive", m->recursive);
                fputc('}', f);
        }
        fputc(']', f);
        json_key(f, &first, "TemporaryFileSystem");
        fputc('[', f);
        for (size_t i = 0; i < p->n_temporary_file_systems; i++) {
                bool f2 = true;
                fputs(i ? ",{" : "{", f);
                json_str(f, &f2, "Path", p->temporary_file_systems[i].path);
                json_str(f, &f2, "Options", p->temporary_file_systems[i].options);
                fputc('}', f);
        }
        fputc(']', f);
        json_bool(f, &first, "PrivateTmp", p->private_tmp);
        json_str(f, &first, "ProtectSystem", policy_protect_system_to_string(p->protect_system));
        json_key(f, &first, "Capabilities");
        fputc('[', f);
        for (int c = 0, n = 0; c <= CAP_LAST_CAP; c++)
                if (p->capabilities & (UINT64_C(1) << c)) {
                        char *name = cap_to_name(c);
                        for (char *q = name; q && *q; q++)
                                *q = (char) toupper((unsigned char) *q);
                        fputs(n++ ? "," : "", f);
                        json_string(f, name ?: "?");
                        cap_free(name);
                }
        fputc(']', f);
        json_bool(f, &first, "NoNewPrivileges", p->no_new_privileges);
        for (size_t i = 0; i < policy_settings_count; i++) {
                const char *key;
                int res, kind;
                if (!rlimit_row(i, &key, &res, &kind))
                        continue;
                const PolicyRlimit *l = &p->rlimits[res];
                json_key(f, &first, key);
                if (!l->set) {
                        fputs("null", f);
                        continue;
                }
                bool f2 = true;
                fputc('{', f);
                json_u64(f, &f2, "Soft", l->soft);
                json_u64(f, &f2, "Hard", l->hard);
                fputc('}', f);
        }
        fputc('}', f);
}

static void json_resources_seccomp(const Policy *p, FILE *f) {
        bool first = true;
        fputc('{', f);
        json_u64(f, &first, "MemoryMax", p->memory_max);
        json_u64(f, &first, "MemoryHigh", p->memory_high);
        json_u64(f, &first, "MemorySwapMax", p->memory_swap_max);
        json_u64(f, &first, "PidsMax", p->pids_max);
        json_u64(f, &first, "CPUQuotaPercent", p->cpu_quota_percent > 0 ? p->cpu_quota_percent : UINT64_MAX);
        json_u64(f, &first, "CPUWeight", p->cpu_weight);
        fputs("},\"Seccomp\":{", f);
        first = true;
        json_str(f, &first, "Profile", policy_seccomp_profile_to_string(p->seccomp.profile));
        json_strv(f, &first, "Allow", p->seccomp.allow);
        json_strv(f, &first, "Deny", p->seccomp.deny);
        json_str(f, &first, "Action", policy_seccomp_action_to_string(p->seccomp.action));
        if (p->seccomp.action == POLICY_SECCOMP_ACTION_ERRNO)
                json_str(f, &first, "Errno", errno_name(p->seccomp.errno_value));
        json_str(f, &first, "Mode", policy_seccomp_mode_to_string(p->seccomp_spec.mode));
        json_strv(f, &first, "Syscalls", p->seccomp_spec.syscalls);
        fputc('}', f);
}

int policy_print_json(const Policy *p, FILE *f) {
        fputs("{\"File\":", f);
        json_string(f, p->path);
        fputs(",\"Service\":", f);
        json_service(p, f);
        fputs(",\"Sandbox\":", f);
        json_sandbox(p, f);
        fputs(",\"Resources\":", f);
        json_resources_seccomp(p, f);
        fputs("}", f);
        return ferror(f) ? -EIO : 0;
}

int policy_error_print_json(const PolicyError *e, FILE *f) {
        bool first = true;
        fputc('{', f);
        json_str(f, &first, "File", e->file);
        json_u64(f, &first, "Line", e->line);
        json_u64(f, &first, "Column", e->column);
        json_str(f, &first, "Message", e->message);
        fputc('}', f);
        return ferror(f) ? -EIO : 0;
}
