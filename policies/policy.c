/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Loading policies: defaults, the parse driver on top of unit-syntax.c and
 * the settings table, the rules that involve more than one key, and loading
 * a directory all-or-report. */
#include <dirent.h>
#include <linux/capability.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include "edit-distance.h"
#include "fileio.h"
#include "policy-internal.h"
#include "string-table.h"
#include "strv.h"

static const char * const service_type_table[_POLICY_SERVICE_TYPE_MAX] = {
        [POLICY_SERVICE_SIMPLE] = "simple",
        [POLICY_SERVICE_NOTIFY] = "notify",
};
DEFINE_STRING_TABLE_LOOKUP(policy_service_type, PolicyServiceType, service_type_table, strcmp);

static const char * const protect_system_table[_POLICY_PROTECT_SYSTEM_MAX] = {
        [POLICY_PROTECT_SYSTEM_NO] = "no",
        [POLICY_PROTECT_SYSTEM_YES] = "yes",
        [POLICY_PROTECT_SYSTEM_STRICT] = "strict",
};
DEFINE_STRING_TABLE_LOOKUP(policy_protect_system, PolicyProtectSystem, protect_system_table, strcmp);

void policy_error_done(PolicyError *e) {
        if (!e)
                return;
        e->file = mfree(e->file);
        e->message = mfree(e->message);
        e->line = e->column = 0;
}

char *policy_error_to_string(const PolicyError *e) {
        char *s = NULL;
        int r = e->line > 0 ? asprintf(&s, "%s:%u:%u: %s", e->file ?: "?", e->line, e->column, e->message ?: "?")
                            : asprintf(&s, "%s: %s", e->file ?: "?", e->message ?: "?");
        return r < 0 ? NULL : s;
}

Policy *policy_free(Policy *p) {
        if (!p)
                return NULL;
        free(p->path);
        free(p->name);
        free(p->description);
        strv_free(p->exec);
        free(p->working_directory);
        strv_free(p->environment);
        free(p->user);
        free(p->group);
        strv_free(p->supplementary_groups);
        strv_free(p->tags);
        free(p->hostname);
        free(p->root_directory);
        strv_free(p->read_only_paths);
        strv_free(p->read_write_paths);
        strv_free(p->inaccessible_paths);
        for (size_t i = 0; i < p->n_bind_mounts; i++) {
                free(p->bind_mounts[i].source);
                free(p->bind_mounts[i].destination);
        }
        free(p->bind_mounts);
        for (size_t i = 0; i < p->n_temporary_file_systems; i++) {
                free(p->temporary_file_systems[i].path);
                free(p->temporary_file_systems[i].options);
        }
        free(p->temporary_file_systems);
        strv_free(p->seccomp.allow);
        strv_free(p->seccomp.deny);
        policy_seccomp_spec_done(&p->seccomp_spec);
        return mfree(p);
}

/* The secure defaults: every namespace but user, no capabilities,
 * no_new_privs, the default seccomp profile, a pids limit. */
static Policy *policy_new_default(void) {
        Policy *p = calloc(1, sizeof *p);
        if (!p)
                return NULL;
        *p = (Policy) {
                .type = POLICY_SERVICE_SIMPLE,
                .restart = RESTART_NEVER,
                .backoff = RESTART_BACKOFF_DEFAULT,
                .timeout_start = 90 * USEC_PER_SEC,
                .timeout_stop = 10 * USEC_PER_SEC,
                .runtime_max = USEC_INFINITY,
                .watchdog = 0,
                .auto_start = false,
                .namespaces = POLICY_NAMESPACES_DEFAULT,
                .private_tmp = true,
                .protect_system = POLICY_PROTECT_SYSTEM_YES,
                .capabilities = 0,
                .no_new_privileges = true,
                .memory_max = UINT64_MAX,
                .memory_high = UINT64_MAX,
                .memory_swap_max = UINT64_MAX,
                .pids_max = UINT64_MAX, /* a limit is asked for, never imposed: a host without the pids controller must still run services */
                .cpu_quota_percent = 0,
                .cpu_weight = 100,
                .seccomp = {
                        .profile = POLICY_SECCOMP_PROFILE_DEFAULT,
                        .action = POLICY_SECCOMP_ACTION_KILL, /* kill-process, as the sandbox issue specifies */
                        .errno_value = EPERM,
                },
        };
        p->description = strdup("");
        p->working_directory = strdup("/");
        if (!p->description || !p->working_directory)
                return policy_free(p);
        return p;
}

unsigned policy_parser_seen(const PolicyParser *p, const char *key) {
        for (size_t i = 0; i < policy_settings_count; i++)
                if (streq(policy_settings[i].key, key))
                        return p->seen[i];
        return 0;
}

static int on_section(void *userdata, const char *name, UnitPosition at) {
        PolicyParser *p = userdata;
        for (int i = 0; i < _POLICY_SECTION_MAX; i++)
                if (streq(name, policy_section_names[i])) {
                        p->section = i;
                        if (p->section_line[i] == 0)
                                p->section_line[i] = at.line;
                        return 0;
                }
        const char *m = closest_match(name, policy_section_names, _POLICY_SECTION_MAX);
        if (m)
                return unit_error(p->error, -EINVAL, p->filename, at.line, at.column,
                                  "unknown section [%.*s]; did you mean [%s]?", (int) MIN(strlen(name), (size_t) 64),
                                  name, m);
        return unit_error(p->error, -EINVAL, p->filename, at.line, at.column,
                          "unknown section [%.*s]: sections are [Service], [Sandbox], [Resources] and [Seccomp]",
                          (int) MIN(strlen(name), (size_t) 64), name);
}

static int unknown_key(PolicyParser *p, const char *key, UnitPosition at) {
        const char *section = policy_section_names[p->section];
        int k = (int) MIN(strlen(key), (size_t) 64);

        /* A key of another section is a misplaced key, not a typo. */
        for (int s = 0; s < _POLICY_SECTION_MAX; s++)
                if (policy_setting_find(s, key) >= 0)
                        return unit_error(p->error, -EINVAL, p->filename, at.line, at.column,
                                          "unknown key '%.*s' in [%s]; it belongs in [%s]", k, key, section,
                                          policy_section_names[s]);

        const char *candidates[128] = {};
        size_t n = 0;
        for (size_t i = 0; i < policy_settings_count && n < ELEMENTSOF(candidates); i++)
                if ((int) policy_settings[i].section == p->section)
                        candidates[n++] = policy_settings[i].key;
        const char *m = closest_match(key, candidates, n);
        if (m)
                return unit_error(p->error, -EINVAL, p->filename, at.line, at.column,
                                  "unknown key '%.*s' in [%s]; did you mean '%s'?", k, key, section, m);
        return unit_error(p->error, -EINVAL, p->filename, at.line, at.column, "unknown key '%.*s' in [%s]", k,
                          key, section);
}

static int on_assignment(void *userdata, const char *key, const char *value, UnitPosition key_at,
                         UnitPosition value_at) {
        PolicyParser *p = userdata;
        int i = policy_setting_find(p->section, key);
        if (i < 0)
                return unknown_key(p, key, key_at);

        const PolicySetting *s = &policy_settings[i];
        if (!(s->flags & SETTING_LIST)) {
                if (p->seen[i] > 0)
                        return unit_error(p->error, -EINVAL, p->filename, key_at.line, key_at.column,
                                          "%s= is already set on line %u; it takes one value", key, p->seen[i]);
                if (!*value && !(s->flags & SETTING_ALLOW_EMPTY))
                        return unit_error(p->error, -EINVAL, p->filename, value_at.line, value_at.column,
                                          "missing value for %s=", key);
        }
        p->key_at = key_at;
        p->value_at = value_at;
        int r = s->parse(p, s, value);
        if (r < 0)
                return r;
        p->seen[i] = key_at.line;
        return 0;
}

/* An error about a key that was set, at that key's line. */
_printf_(3, 4) static int key_error(PolicyParser *p, const char *key, const char *format, ...) {
        _cleanup_free_ char *m = NULL;
        va_list ap;

        va_start(ap, format);
        int k = vasprintf(&m, format, ap);
        va_end(ap);
        if (k < 0)
                return -ENOMEM;
        unsigned line = policy_parser_seen(p, key);
        return unit_error(p->error, -EINVAL, p->filename, line ?: 1, 1, "%s", m);
}

static int policy_default_name(PolicyParser *p) {
        Policy *pol = p->policy;
        const char *base = strrchr(p->filename, '/');
        base = base ? base + 1 : p->filename;
        size_t n = strlen(base), k = strlen(POLICY_SUFFIX);
        if (n > k && streq(base + n - k, POLICY_SUFFIX))
                n -= k;
        pol->name = strndup(base, n);
        if (!pol->name)
                return -ENOMEM;
        const char *reason = NULL;
        if (!policy_name_is_valid(pol->name, &reason))
                return unit_error(p->error, -EINVAL, p->filename, 1, 1,
                                  "the file name gives the invalid service name '%.*s' (%s); set Name= in [Service]",
                                  (int) MIN(n, (size_t) 80), pol->name, reason);
        return 0;
}

static int policy_validate_sandbox(PolicyParser *p) {
        Policy *pol = p->policy;

        if (pol->hostname && !(pol->namespaces & CLONE_NEWUTS))
                return key_error(p, "Hostname", "Hostname= needs the uts namespace (Namespaces=)");
        if (!(pol->namespaces & CLONE_NEWNS)) {
                const struct {
                        const char *key;
                        bool used;
                } need_mount[] = {
                        { "RootDirectory", pol->root_directory },
                        { "ReadOnlyPaths", pol->read_only_paths },
                        { "ReadWritePaths", pol->read_write_paths },
                        { "InaccessiblePaths", pol->inaccessible_paths },
                        { "BindPaths", pol->n_bind_mounts > 0 },
                        { "BindReadOnlyPaths", pol->n_bind_mounts > 0 },
                        { "TemporaryFileSystem", pol->n_temporary_file_systems > 0 },
                };
                for (size_t i = 0; i < ELEMENTSOF(need_mount); i++)
                        if (need_mount[i].used && policy_parser_seen(p, need_mount[i].key) > 0)
                                return key_error(p, need_mount[i].key, "%s= needs the mount namespace (Namespaces=)",
                                                 need_mount[i].key);
                /* Defaults that need a mount namespace quietly step back;
                 * explicit settings are errors. */
                if (policy_parser_seen(p, "PrivateTmp") && pol->private_tmp)
                        return key_error(p, "PrivateTmp", "PrivateTmp=yes needs the mount namespace (Namespaces=)");
                if (policy_parser_seen(p, "ProtectSystem") && pol->protect_system != POLICY_PROTECT_SYSTEM_NO)
                        return key_error(p, "ProtectSystem", "ProtectSystem=%s needs the mount namespace (Namespaces=)",
                                         policy_protect_system_to_string(pol->protect_system));
                pol->private_tmp = false;
                pol->protect_system = POLICY_PROTECT_SYSTEM_NO;
        }
        /* A seccomp filter can only be loaded with no_new_privs or
         * CAP_SYS_ADMIN, and the filter is the last step before execve(). */
        bool filter = pol->seccomp_spec.mode != POLICY_SECCOMP_MODE_NONE;
        if (!pol->no_new_privileges && filter && !(pol->capabilities & (UINT64_C(1) << CAP_SYS_ADMIN)))
                return key_error(p, "NoNewPrivileges",
                                 "NoNewPrivileges=no needs [Seccomp] Profile=none (a seccomp filter needs no_new_privs or CAP_SYS_ADMIN)");
        return 0;
}

static int policy_validate(PolicyParser *p) {
        Policy *pol = p->policy;
        int r;

        if (!pol->exec)
                return unit_error(p->error, -EINVAL, p->filename, p->section_line[POLICY_SECTION_SERVICE] ?: 1, 1,
                                  "missing Exec= in [Service]: a policy needs the command to run");
        if (!pol->name && (r = policy_default_name(p)) < 0)
                return r;
        if (pol->watchdog > 0 && pol->type != POLICY_SERVICE_NOTIFY)
                return key_error(p, "WatchdogSec", "WatchdogSec= needs Type=notify (the watchdog is fed with WATCHDOG=1)");
        if (pol->backoff.max_delay < pol->backoff.initial_delay)
                return key_error(p, policy_parser_seen(p, "RestartMaxDelaySec") ? "RestartMaxDelaySec" : "RestartSec",
                                 "RestartMaxDelaySec= is below RestartSec=");
        if (pol->memory_high != UINT64_MAX && pol->memory_high > pol->memory_max)
                return key_error(p, "MemoryHigh", "MemoryHigh= is above MemoryMax=");

        /* [Seccomp]: resolved here, so that conflicts are errors now. */
        if (pol->seccomp.profile == POLICY_SECCOMP_PROFILE_NONE && pol->seccomp.allow && !pol->seccomp.deny)
                return key_error(p, "Allow", "Allow= has no effect with Profile=none; use Deny= or another profile");
        /* Overlaps through groups are exceptions (Deny=@mount with
         * Allow=chroot); the same entry on both sides is a mistake. */
        STRV_FOREACH(a, pol->seccomp.allow)
                if (strv_contains(pol->seccomp.deny, *a))
                        return key_error(p, "Deny", "'%s' is in both Allow= and Deny=", *a);
        r = policy_seccomp_resolve(&pol->seccomp, &pol->seccomp_spec);
        if (r < 0)
                return r;
        return policy_validate_sandbox(p);
}

int policy_load_buffer(const char *filename, const void *data, size_t size, Policy **ret,
                       PolicyError *ret_error) {
        _cleanup_(policy_freep) Policy *pol = policy_new_default();
        _cleanup_free_ unsigned *seen = calloc(policy_settings_count, sizeof(unsigned));
        static const UnitSyntaxCallbacks cb = { .section = on_section, .assignment = on_assignment };

        if (!pol || !seen)
                return -ENOMEM;
        if (ret_error)
                policy_error_done(ret_error);
        PolicyParser p = { .filename = filename, .policy = pol, .error = ret_error, .section = -1, .seen = seen };
        pol->path = strdup(filename);
        if (!pol->path)
                return -ENOMEM;
        int r = unit_syntax_parse(filename, data, size, &cb, &p, ret_error);
        if (r < 0)
                return r;
        r = policy_validate(&p);
        if (r < 0)
                return r;
        *ret = TAKE_PTR(pol);
        return 0;
}

int policy_load_file(const char *path, Policy **ret, PolicyError *ret_error) {
        _cleanup_free_ char *data = NULL;
        size_t size;
        struct stat st;

        if (stat(path, &st) >= 0 && !S_ISREG(st.st_mode))
                return unit_error(ret_error, -EISDIR, path, 0, 0, "not a regular file");
        int r = read_full_file(path, POLICY_FILE_MAX, &data, &size);
        if (r == -E2BIG)
                return unit_error(ret_error, r, path, 1, 1, "file larger than %u bytes", POLICY_FILE_MAX);
        if (r < 0)
                return unit_error(ret_error, r, path, 0, 0, "cannot read: %s", strerror(-r));
        return policy_load_buffer(path, data, size, ret, ret_error);
}

PolicySet *policy_set_free(PolicySet *s) {
        if (!s)
                return NULL;
        for (size_t i = 0; i < s->n_policies; i++)
                policy_free(s->policies[i]);
        free(s->policies);
        for (size_t i = 0; i < s->n_errors; i++)
                policy_error_done(&s->errors[i]);
        free(s->errors);
        return mfree(s);
}

static int set_add_error(PolicySet *s, PolicyError *e) {
        PolicyError *n = reallocarray(s->errors, s->n_errors + 1, sizeof *n);
        if (!n)
                return -ENOMEM;
        s->errors = n;
        s->errors[s->n_errors++] = *e;
        *e = (PolicyError) {};
        return 0;
}

/* Two policies with one name: neither is loaded, and one error names both. */
static int set_drop_duplicates(PolicySet *s) {
        size_t n = s->n_policies;
        _cleanup_free_ bool *drop = calloc(n + 1, sizeof(bool));
        if (!drop)
                return -ENOMEM;
        for (size_t i = 0; i < n; i++)
                for (size_t j = i + 1; j < n; j++) {
                        if (drop[j] || !streq(s->policies[i]->name, s->policies[j]->name))
                                continue;
                        PolicyError e = {};
                        (void) unit_error(&e, -EEXIST, s->policies[j]->path, 1, 1,
                                           "duplicate service name '%s': also used by %s; neither file is loaded",
                                           s->policies[j]->name, s->policies[i]->path);
                        if (!e.message)
                                return -ENOMEM;
                        int r = set_add_error(s, &e);
                        if (r < 0)
                                return r;
                        drop[i] = drop[j] = true;
                }
        size_t k = 0;
        for (size_t i = 0; i < n; i++) {
                if (drop[i])
                        policy_free(s->policies[i]);
                else
                        s->policies[k++] = s->policies[i];
        }
        s->n_policies = k;
        return 0;
}

int policy_load_files(char * const *paths, PolicySet **ret) {
        _cleanup_(policy_set_freep) PolicySet *s = calloc(1, sizeof *s);
        if (!s)
                return -ENOMEM;
        s->policies = calloc(strv_length(paths) + 1, sizeof(Policy *));
        if (!s->policies)
                return -ENOMEM;
        STRV_FOREACH(path, paths) {
                PolicyError e = {};
                Policy *pol = NULL;
                int r = policy_load_file(*path, &pol, &e);
                if (r == -ENOMEM) {
                        policy_error_done(&e);
                        return r;
                }
                if (r < 0) {
                        r = set_add_error(s, &e);
                        policy_error_done(&e);
                        if (r < 0)
                                return r;
                        continue;
                }
                s->policies[s->n_policies++] = pol;
        }
        int r = set_drop_duplicates(s);
        if (r < 0)
                return r;
        *ret = TAKE_PTR(s);
        return 0;
}

static int compare_strings(const void *a, const void *b) {
        return strcmp(*(char * const *) a, *(char * const *) b);
}

int policy_list_dir(const char *dir, char ***ret) {
        _cleanup_strv_free_ char **paths = NULL;
        DIR *d = opendir(dir);
        if (!d)
                return -errno;
        struct dirent *de;
        int r = 0;
        for (;;) {
                errno = 0;
                de = readdir(d);
                if (!de)
                        break;
                size_t n = strlen(de->d_name), k = strlen(POLICY_SUFFIX);
                if (de->d_name[0] == '.' || n <= k || !streq(de->d_name + n - k, POLICY_SUFFIX))
                        continue;
                char *path = NULL;
                if (asprintf(&path, "%s/%s", dir, de->d_name) < 0 || (r = strv_push(&paths, path)) < 0) {
                        free(path);
                        r = -ENOMEM;
                        break;
                }
        }
        if (r == 0 && errno != 0)
                r = -errno;
        closedir(d);
        if (r < 0)
                return r;
        size_t n = strv_length(paths);
        if (n > 1)
                qsort(paths, n, sizeof(char *), compare_strings);
        if (!paths && !(paths = calloc(1, sizeof(char *))))
                return -ENOMEM;
        *ret = TAKE_PTR(paths);
        return 0;
}

int policy_load_dir(const char *dir, PolicySet **ret) {
        _cleanup_strv_free_ char **paths = NULL;
        int r = policy_list_dir(dir, &paths);
        if (r < 0)
                return r;
        return policy_load_files(paths, ret);
}

const Policy *policy_set_find(const PolicySet *s, const char *name) {
        for (size_t i = 0; i < s->n_policies; i++)
                if (streq(s->policies[i]->name, name))
                        return s->policies[i];
        return NULL;
}
