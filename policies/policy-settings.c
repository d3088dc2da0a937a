/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Every key of a policy file: one row each in policy_settings[], with the
 * parser that turns its value into a field of Policy. The parsers check
 * everything that can be checked from the value alone; rules that involve
 * two keys live in policy.c (policy_validate). */
#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <sys/capability.h>
#include <linux/capability.h>

#include "edit-distance.h"
#include "policy-internal.h"
#include "policy-values.h"
#include "strv.h"

const char * const policy_section_names[_POLICY_SECTION_MAX] = {
        [POLICY_SECTION_SERVICE] = "Service",
        [POLICY_SECTION_SANDBOX] = "Sandbox",
        [POLICY_SECTION_RESOURCES] = "Resources",
        [POLICY_SECTION_SECCOMP] = "Seccomp",
};

#define FIELD(p, s, type) ((type *) ((uint8_t *) (p)->policy + (s)->offset))

int policy_value_error(PolicyParser *p, const char *format, ...) {
        _cleanup_free_ char *m = NULL;
        va_list ap;

        va_start(ap, format);
        int k = vasprintf(&m, format, ap);
        va_end(ap);
        if (k < 0)
                return -ENOMEM;
        return unit_error(p->error, -EINVAL, p->filename, p->value_at.line, p->value_at.column, "%s", m);
}

/* The value as quoted in messages: cut, so that a 60 KiB line does not end up in one. */
#define SHOWN(v) (int) MIN(strlen(v), (size_t) 80), (v)

static int words_or_error(PolicyParser *p, const PolicySetting *s, const char *value, char ***ret) {
        const char *reason = NULL;
        int r = split_words(value, ret, &reason);
        if (r == -EINVAL)
                return policy_value_error(p, "invalid quoting in %s=: %s", s->key, reason);
        return r;
}

/* Lists are capped, which also keeps their quadratic duplicate checks cheap. */
static int list_full(PolicyParser *p, const PolicySetting *s, size_t n) {
        if (n < POLICY_LIST_MAX)
                return 0;
        return policy_value_error(p, "too many entries in %s= (at most %u)", s->key, POLICY_LIST_MAX);
}

static int parse_text(PolicyParser *p, const PolicySetting *s, const char *value) {
        char *c = strdup(value);
        if (!c)
                return -ENOMEM;
        free(*FIELD(p, s, char *));
        *FIELD(p, s, char *) = c;
        return 0;
}

static int parse_name(PolicyParser *p, const PolicySetting *s, const char *value) {
        const char *reason = NULL;
        if (!policy_name_is_valid(value, &reason))
                return policy_value_error(p, "invalid name '%.*s' for Name=: %s", SHOWN(value), reason);
        return parse_text(p, s, value);
}

static int normalize_path_or_error(PolicyParser *p, const PolicySetting *s, const char *path, char **ret) {
        const char *reason = NULL;
        int r = path_normalize_absolute(path, ret, &reason);
        if (r == -EINVAL)
                return policy_value_error(p, "%s= needs an absolute path, got '%.*s': %s", s->key,
                                          SHOWN(path), reason);
        return r;
}

static int parse_exec(PolicyParser *p, const PolicySetting *s, const char *value) {
        _cleanup_strv_free_ char **argv = NULL;
        int r = words_or_error(p, s, value, &argv);
        if (r < 0)
                return r;
        if (!argv[0])
                return policy_value_error(p, "Exec= needs a command");
        char *path = NULL;
        r = normalize_path_or_error(p, s, argv[0], &path);
        if (r < 0)
                return r;
        free(argv[0]);
        argv[0] = path;
        strv_free(p->policy->exec);
        p->policy->exec = TAKE_PTR(argv);
        return 0;
}

static int parse_path(PolicyParser *p, const PolicySetting *s, const char *value) {
        char *path = NULL;
        int r = normalize_path_or_error(p, s, value, &path);
        if (r < 0)
                return r;
        free(*FIELD(p, s, char *));
        *FIELD(p, s, char *) = path;
        return 0;
}

typedef int (*list_item_fn)(PolicyParser *p, const PolicySetting *s, const char *word, char **ret);

/* The list settings: an empty value resets the list; otherwise each word,
 * checked (and normalised) by item, is appended unless it is there already. */
static int parse_list(PolicyParser *p, const PolicySetting *s, const char *value, list_item_fn item) {
        _cleanup_strv_free_ char **words = NULL;
        char ***l = FIELD(p, s, char **);
        int r;

        if (!*value) {
                *l = strv_free(*l);
                return 0;
        }
        r = words_or_error(p, s, value, &words);
        if (r < 0)
                return r;
        STRV_FOREACH(w, words) {
                _cleanup_free_ char *x = NULL;
                r = item(p, s, *w, &x);
                if (r < 0)
                        return r;
                if (strv_contains(*l, x))
                        continue;
                r = list_full(p, s, strv_length(*l));
                if (r < 0)
                        return r;
                r = strv_push(l, x);
                if (r < 0)
                        return r;
                TAKE_PTR(x);
        }
        return 0;
}

static int parse_path_list(PolicyParser *p, const PolicySetting *s, const char *value) {
        return parse_list(p, s, value, normalize_path_or_error);
}

static int parse_environment(PolicyParser *p, const PolicySetting *s, const char *value) {
        _cleanup_strv_free_ char **words = NULL;
        char ***l = &p->policy->environment;
        if (!*value) {
                *l = strv_free(*l);
                return 0;
        }
        int r = words_or_error(p, s, value, &words);
        if (r < 0)
                return r;
        STRV_FOREACH(w, words) {
                if (!env_assignment_is_valid(*w))
                        return policy_value_error(p, "invalid assignment '%.*s' in Environment=: expected NAME=VALUE",
                                                  SHOWN(*w));
                size_t n = strcspn(*w, "=") + 1;
                bool replaced = false;
                for (char **e = *l; e && *e; e++)
                        if (strneq(*e, *w, n)) {
                                char *c = strdup(*w);
                                if (!c)
                                        return -ENOMEM;
                                free(*e);
                                *e = c;
                                replaced = true;
                        }
                if (!replaced && ((r = list_full(p, s, strv_length(*l))) < 0 || (r = strv_extend(l, *w)) < 0))
                        return r;
        }
        return 0;
}

static int parse_user_group(PolicyParser *p, const PolicySetting *s, const char *value) {
        if (!user_group_name_is_valid(value))
                return policy_value_error(p, "invalid %s '%.*s' for %s=", s->arg ? "group" : "user",
                                          SHOWN(value), s->key);
        return parse_text(p, s, value);
}

/* Lists of words that each pass check(): SupplementaryGroups=, Tags=. */
static bool tag_is_valid(const char *s) {
        size_t n = strlen(s);
        return n > 0 && n <= 64 && strspn(s, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_.-") == n;
}

static int tag_or_group_item(PolicyParser *p, const PolicySetting *s, const char *word, char **ret) {
        bool ok = s->arg ? tag_is_valid(word) : user_group_name_is_valid(word);
        if (!ok)
                return policy_value_error(p, "invalid %s '%.*s' in %s=", s->arg ? "tag" : "group", SHOWN(word),
                                          s->key);
        *ret = strdup(word);
        return *ret ? 0 : -ENOMEM;
}

static int parse_word_list(PolicyParser *p, const PolicySetting *s, const char *value) {
        return parse_list(p, s, value, tag_or_group_item);
}

static int parse_bool(PolicyParser *p, const PolicySetting *s, const char *value) {
        int b = parse_boolean(value);
        if (b < 0)
                return policy_value_error(p, "invalid boolean '%.*s' for %s=: use yes or no", SHOWN(value), s->key);
        *FIELD(p, s, bool) = b;
        return 0;
}

/* Enum keys: arg indexes this table. */
static int service_type_from(const char *s) {
        return policy_service_type_from_string(s);
}
static int restart_from(const char *s) {
        return restart_policy_from_keyword(s);
}
static int protect_system_from(const char *s) {
        return policy_protect_system_from_string(s);
}
static int seccomp_profile_from(const char *s) {
        return policy_seccomp_profile_from_string(s);
}

static int parse_enum(PolicyParser *p, const PolicySetting *s, const char *value) {
        static const struct {
                int (*from_string)(const char *s);
                const char *choices;
                const char *names[4];
        } enums[] = {
                { service_type_from, "simple or notify", { "simple", "notify" } },
                { restart_from, "no, on-failure or always", { "no", "on-failure", "always" } },
                { protect_system_from, "no, yes or strict", { "no", "yes", "strict" } },
                { seccomp_profile_from, "default, strict or none", { "default", "strict", "none" } },
        };
        int v = enums[s->arg].from_string(value);
        if (v < 0) {
                const char *m = closest_match(value, enums[s->arg].names, ELEMENTSOF(enums[s->arg].names));
                return policy_value_error(p, "invalid value '%.*s' for %s=: use %s%s%s%s", SHOWN(value), s->key,
                                          enums[s->arg].choices, m ? "; did you mean '" : "", m ?: "",
                                          m ? "'?" : "");
        }
        *FIELD(p, s, int) = v;
        return 0;
}

enum { TIME_PLAIN, TIME_ZERO_IS_INFINITY, TIME_FINITE };

static int parse_time(PolicyParser *p, const PolicySetting *s, const char *value) {
        usec_t t;
        int r = parse_timespan(value, &t);
        if (r == -ERANGE)
                return policy_value_error(p, "time span '%.*s' for %s= is out of range", SHOWN(value), s->key);
        if (r < 0)
                return policy_value_error(p, "invalid time span '%.*s' for %s=: e.g. 500ms, 5s, 1min 30s or infinity",
                                          SHOWN(value), s->key);
        if (s->arg == TIME_ZERO_IS_INFINITY && t == 0)
                t = USEC_INFINITY;
        if (s->arg == TIME_FINITE && t == USEC_INFINITY)
                return policy_value_error(p, "%s= cannot be infinity", s->key);
        *FIELD(p, s, usec_t) = t;
        return 0;
}

static int parse_count(PolicyParser *p, const PolicySetting *s, const char *value) {
        unsigned v;
        int r = parse_unsigned(value, &v);
        if (r == -ERANGE || (r >= 0 && s->arg > 0 && v > (unsigned) s->arg))
                return policy_value_error(p, "value '%.*s' for %s= is out of range", SHOWN(value), s->key);
        if (r < 0)
                return policy_value_error(p, "invalid number '%.*s' for %s=", SHOWN(value), s->key);
        *FIELD(p, s, unsigned) = v;
        return 0;
}

static const struct {
        const char *name;
        unsigned long flag;
} namespace_table[] = {
        { "pid", CLONE_NEWPID },     { "mount", CLONE_NEWNS }, { "net", CLONE_NEWNET },
        { "ipc", CLONE_NEWIPC },     { "uts", CLONE_NEWUTS },  { "cgroup", CLONE_NEWCGROUP },
        { "user", CLONE_NEWUSER },
};

static int parse_namespaces(PolicyParser *p, const PolicySetting *s, const char *value) {
        _cleanup_strv_free_ char **words = NULL;
        unsigned long *ns = &p->policy->namespaces;
        /* The default applies only while the key is absent: the first
         * assignment starts from nothing. */
        if (policy_parser_seen(p, s->key) == 0)
                *ns = 0;
        if (!*value) {
                *ns = 0;
                return 0;
        }
        int r = words_or_error(p, s, value, &words);
        if (r < 0)
                return r;
        STRV_FOREACH(w, words) {
                size_t i;
                for (i = 0; i < ELEMENTSOF(namespace_table); i++)
                        if (streq(*w, namespace_table[i].name))
                                break;
                if (i >= ELEMENTSOF(namespace_table))
                        return policy_value_error(p, "unknown namespace '%.*s' in Namespaces=: use pid, mount, net, ipc, uts, cgroup or user",
                                                  SHOWN(*w));
                *ns |= namespace_table[i].flag;
        }
        return 0;
}

static int parse_hostname(PolicyParser *p, const PolicySetting *s, const char *value) {
        if (!hostname_is_valid(value))
                return policy_value_error(p, "invalid host name '%.*s' for Hostname=", SHOWN(value));
        return parse_text(p, s, value);
}

static int parse_bind(PolicyParser *p, const PolicySetting *s, const char *value) {
        _cleanup_strv_free_ char **words = NULL;
        Policy *pol = p->policy;
        if (!*value) {
                /* Resets only the kind of bind mount this key makes. */
                size_t k = 0;
                for (size_t i = 0; i < pol->n_bind_mounts; i++) {
                        PolicyBindMount *b = &pol->bind_mounts[i];
                        if (b->read_only == (bool) s->arg) {
                                free(b->source);
                                free(b->destination);
                        } else
                                pol->bind_mounts[k++] = *b;
                }
                pol->n_bind_mounts = k;
                return 0;
        }
        int r = words_or_error(p, s, value, &words);
        if (r < 0)
                return r;
        STRV_FOREACH(w, words) {
                _cleanup_strv_free_ char **parts = NULL;
                _cleanup_free_ char *src = NULL, *dst = NULL;
                bool recursive = true;
                size_t n = 0;
                for (const char *c = *w;; c++) {
                        const char *e = strchrnul(c, ':');
                        char *part = strndup(c, (size_t) (e - c));
                        if (!part || (r = strv_push(&parts, part)) < 0) {
                                free(part);
                                return -ENOMEM;
                        }
                        n++;
                        if (!*e)
                                break;
                        c = e;
                }
                if (n > 3)
                        return policy_value_error(p, "invalid bind mount '%.*s' in %s=: expected SOURCE[:DESTINATION[:OPTIONS]]",
                                                  SHOWN(*w), s->key);
                if (n == 3) {
                        if (streq(parts[2], "norbind"))
                                recursive = false;
                        else if (!streq(parts[2], "rbind"))
                                return policy_value_error(p, "invalid bind mount option '%.*s' in %s=: use rbind or norbind",
                                                          SHOWN(parts[2]), s->key);
                }
                r = normalize_path_or_error(p, s, parts[0], &src);
                if (r < 0)
                        return r;
                r = normalize_path_or_error(p, s, n > 1 ? parts[1] : parts[0], &dst);
                if (r < 0)
                        return r;
                if ((r = list_full(p, s, pol->n_bind_mounts)) < 0)
                        return r;
                PolicyBindMount *b = reallocarray(pol->bind_mounts, pol->n_bind_mounts + 1, sizeof *b);
                if (!b)
                        return -ENOMEM;
                pol->bind_mounts = b;
                pol->bind_mounts[pol->n_bind_mounts++] = (PolicyBindMount) {
                        .source = TAKE_PTR(src),
                        .destination = TAKE_PTR(dst),
                        .read_only = s->arg,
                        .recursive = recursive,
                };
        }
        return 0;
}

static bool tmpfs_option_is_valid(const char *o) {
        static const char * const flags[] = { "ro", "rw", "nosuid", "suid", "nodev", "dev", "noexec", "exec" };
        uint64_t v;
        for (size_t i = 0; i < ELEMENTSOF(flags); i++)
                if (streq(o, flags[i]))
                        return true;
        if (strneq(o, "size=", 5))
                return parse_size(o + 5, &v) >= 0 && v != UINT64_MAX;
        if (strneq(o, "nr_inodes=", 10))
                return parse_uint64(o + 10, &v) >= 0;
        if (strneq(o, "mode=", 5))
                return strlen(o + 5) >= 3 && strlen(o + 5) <= 4 && strspn(o + 5, "01234567") == strlen(o + 5);
        return false;
}

static int parse_tmpfs(PolicyParser *p, const PolicySetting *s, const char *value) {
        _cleanup_strv_free_ char **words = NULL;
        Policy *pol = p->policy;
        if (!*value) {
                for (size_t i = 0; i < pol->n_temporary_file_systems; i++) {
                        free(pol->temporary_file_systems[i].path);
                        free(pol->temporary_file_systems[i].options);
                }
                pol->temporary_file_systems = mfree(pol->temporary_file_systems);
                pol->n_temporary_file_systems = 0;
                return 0;
        }
        int r = words_or_error(p, s, value, &words);
        if (r < 0)
                return r;
        STRV_FOREACH(w, words) {
                _cleanup_free_ char *path = NULL, *raw = NULL, *options = NULL;
                const char *colon = strchr(*w, ':');
                raw = strndup(*w, colon ? (size_t) (colon - *w) : strlen(*w));
                options = strdup(colon ? colon + 1 : "");
                if (!raw || !options)
                        return -ENOMEM;
                r = normalize_path_or_error(p, s, raw, &path);
                if (r < 0)
                        return r;
                _cleanup_free_ char *copy = strdup(options);
                if (!copy)
                        return -ENOMEM;
                for (char *save = NULL, *o = strtok_r(copy, ",", &save); o; o = strtok_r(NULL, ",", &save))
                        if (!tmpfs_option_is_valid(o))
                                return policy_value_error(p, "invalid option '%.*s' in TemporaryFileSystem=: use ro, rw, nosuid, nodev, noexec, size=, nr_inodes= or mode=",
                                                          SHOWN(o));
                if ((r = list_full(p, s, pol->n_temporary_file_systems)) < 0)
                        return r;
                PolicyTmpfs *t = reallocarray(pol->temporary_file_systems, pol->n_temporary_file_systems + 1, sizeof *t);
                if (!t)
                        return -ENOMEM;
                pol->temporary_file_systems = t;
                t[pol->n_temporary_file_systems++] = (PolicyTmpfs) { TAKE_PTR(path), TAKE_PTR(options) };
        }
        return 0;
}

static int parse_capabilities(PolicyParser *p, const PolicySetting *s, const char *value) {
        _cleanup_strv_free_ char **words = NULL;
        uint64_t *caps = &p->policy->capabilities;
        if (!*value) {
                *caps = 0;
                return 0;
        }
        int r = words_or_error(p, s, value, &words);
        if (r < 0)
                return r;
        STRV_FOREACH(w, words) {
                cap_value_t c;
                /* cap_from_name() also takes numbers; a policy names them. */
                if (strncasecmp(*w, "CAP_", 4) != 0 || cap_from_name(*w, &c) < 0 || c < 0 || c > CAP_LAST_CAP) {
                        const char *names[CAP_LAST_CAP + 1] = {};
                        char *upper[CAP_LAST_CAP + 1] = {};
                        for (int i = 0; i <= CAP_LAST_CAP; i++) {
                                char *n = cap_to_name(i);
                                if (n) {
                                        upper[i] = strdup(n);
                                        cap_free(n);
                                }
                                for (char *q = upper[i]; q && *q; q++)
                                        *q = (char) toupper((unsigned char) *q);
                                names[i] = upper[i];
                        }
                        const char *m = closest_match(*w, names, ELEMENTSOF(names));
                        r = policy_value_error(p, "unknown capability '%.*s' in Capabilities=%s%s%s", SHOWN(*w),
                                               m ? "; did you mean '" : "", m ?: "", m ? "'?" : "");
                        for (int i = 0; i <= CAP_LAST_CAP; i++)
                                free(upper[i]);
                        return r;
                }
                *caps |= UINT64_C(1) << c;
        }
        return 0;
}

enum { RLIMIT_KIND_SIZE, RLIMIT_KIND_COUNT, RLIMIT_KIND_SECONDS };

static int parse_rlimit_value(const char *s, int kind, uint64_t *ret) {
        if (streq(s, "infinity")) {
                *ret = RLIM_INFINITY;
                return 0;
        }
        if (kind == RLIMIT_KIND_SIZE)
                return parse_size(s, ret);
        if (kind == RLIMIT_KIND_SECONDS) {
                usec_t t;
                int r = parse_timespan(s, &t);
                if (r >= 0)
                        *ret = (t + USEC_PER_SEC - 1) / USEC_PER_SEC;
                return r;
        }
        return parse_uint64(s, ret);
}

static int parse_rlimit(PolicyParser *p, const PolicySetting *s, const char *value) {
        /* arg: RLIMIT_* * 4 + kind */
        int resource = s->arg / 4, kind = s->arg % 4;
        const char *colon = strchr(value, ':');
        _cleanup_free_ char *soft = strndup(value, colon ? (size_t) (colon - value) : strlen(value));
        uint64_t vs, vh;
        if (!soft)
                return -ENOMEM;
        int r = parse_rlimit_value(soft, kind, &vs);
        if (r >= 0)
                r = colon ? parse_rlimit_value(colon + 1, kind, &vh) : (vh = vs, 0);
        if (r == -ERANGE)
                return policy_value_error(p, "value '%.*s' for %s= is out of range", SHOWN(value), s->key);
        if (r < 0)
                return policy_value_error(p, "invalid limit '%.*s' for %s=: expected SOFT[:HARD], each %s or infinity",
                                          SHOWN(value), s->key,
                                          kind == RLIMIT_KIND_SIZE ? "a size" :
                                          kind == RLIMIT_KIND_SECONDS ? "a time span" : "a number");
        if (vs > vh)
                return policy_value_error(p, "soft limit above hard limit in %s=%.*s", s->key, SHOWN(value));
        p->policy->rlimits[resource] = (PolicyRlimit) { .set = true, .soft = vs, .hard = vh };
        return 0;
}

static int parse_bytes(PolicyParser *p, const PolicySetting *s, const char *value) {
        uint64_t v;
        int r = parse_size(value, &v);
        if (r < 0 && value[0] == '-')
                return policy_value_error(p, "invalid size '%.*s' for %s=: sizes cannot be negative", SHOWN(value), s->key);
        if (r == -ERANGE)
                return policy_value_error(p, "size '%.*s' for %s= is out of range", SHOWN(value), s->key);
        if (r < 0)
                return policy_value_error(p, "invalid size '%.*s' for %s=: e.g. 512M, 2G or infinity", SHOWN(value), s->key);
        if (v == 0 && s->arg)
                return policy_value_error(p, "%s= must be above 0", s->key);
        *FIELD(p, s, uint64_t) = v;
        return 0;
}

static int parse_pids(PolicyParser *p, const PolicySetting *s, const char *value) {
        uint64_t v = UINT64_MAX;
        int r = streq(value, "infinity") ? 0 : parse_uint64(value, &v);
        if (r == -ERANGE || v == 0)
                return policy_value_error(p, "value '%.*s' for PidsMax= is out of range (1.. or infinity)", SHOWN(value));
        if (r < 0)
                return policy_value_error(p, "invalid number '%.*s' for PidsMax=", SHOWN(value));
        p->policy->pids_max = v;
        return 0;
}

static int parse_cpu_quota(PolicyParser *p, const PolicySetting *s, const char *value) {
        unsigned v;
        int r = parse_percent(value, 100 * 1024, &v);
        if (r == -ERANGE || (r >= 0 && v == 0))
                return policy_value_error(p, "value '%.*s' for CPUQuota= is out of range (1%%..102400%%)", SHOWN(value));
        if (r < 0)
                return policy_value_error(p, "invalid percentage '%.*s' for CPUQuota=: e.g. 50%% or 200%%", SHOWN(value));
        p->policy->cpu_quota_percent = v;
        return 0;
}

static int parse_cpu_weight(PolicyParser *p, const PolicySetting *s, const char *value) {
        unsigned v;
        int r = parse_unsigned(value, &v);
        if (r == -ERANGE || (r >= 0 && (v < 1 || v > 10000)))
                return policy_value_error(p, "value '%.*s' for CPUWeight= is out of range (1..10000)", SHOWN(value));
        if (r < 0)
                return policy_value_error(p, "invalid number '%.*s' for CPUWeight=", SHOWN(value));
        p->policy->cpu_weight = v;
        return 0;
}

static int syscall_item(PolicyParser *p, const PolicySetting *s, const char *word, char **ret) {
        int r = policy_seccomp_check_name(p, s->key, word);
        if (r < 0)
                return r;
        *ret = strdup(word);
        return *ret ? 0 : -ENOMEM;
}

static int parse_syscalls(PolicyParser *p, const PolicySetting *s, const char *value) {
        return parse_list(p, s, value, syscall_item);
}

static int parse_seccomp_action(PolicyParser *p, const PolicySetting *s, const char *value) {
        PolicySeccomp *sc = &p->policy->seccomp;
        if (streq(value, "kill") || streq(value, "log")) {
                sc->action = streq(value, "kill") ? POLICY_SECCOMP_ACTION_KILL : POLICY_SECCOMP_ACTION_LOG;
                return 0;
        }
        if (streq(value, "errno") || strneq(value, "errno:", 6)) {
                int e = value[5] ? parse_errno(value + 6) : EPERM;
                if (e < 0)
                        return policy_value_error(p, "unknown errno '%.*s' in Action=: e.g. errno:EPERM", SHOWN(value + 6));
                sc->action = POLICY_SECCOMP_ACTION_ERRNO;
                sc->errno_value = e;
                return 0;
        }
        return policy_value_error(p, "invalid value '%.*s' for Action=: use kill, errno[:ERRNO] or log", SHOWN(value));
}

#define OFF(field) offsetof(Policy, field)
#define SERVICE POLICY_SECTION_SERVICE
#define SANDBOX POLICY_SECTION_SANDBOX
#define RESOURCES POLICY_SECTION_RESOURCES
#define SECCOMP POLICY_SECTION_SECCOMP
#define RLIMIT_ROW(key, res, kind) { SANDBOX, key, parse_rlimit, 0, (res) * 4 + (kind), 0 }

const PolicySetting policy_settings[] = {
        { SERVICE, "Name", parse_name, OFF(name), 0, 0 },
        { SERVICE, "Description", parse_text, OFF(description), 0, SETTING_ALLOW_EMPTY },
        { SERVICE, "Exec", parse_exec, OFF(exec), 0, 0 },
        { SERVICE, "WorkingDirectory", parse_path, OFF(working_directory), 0, 0 },
        { SERVICE, "Environment", parse_environment, OFF(environment), 0, SETTING_LIST },
        { SERVICE, "User", parse_user_group, OFF(user), 0, 0 },
        { SERVICE, "Group", parse_user_group, OFF(group), 1, 0 },
        { SERVICE, "SupplementaryGroups", parse_word_list, OFF(supplementary_groups), 0, SETTING_LIST },
        { SERVICE, "Type", parse_enum, OFF(type), 0, 0 },
        { SERVICE, "Restart", parse_enum, OFF(restart), 1, 0 },
        { SERVICE, "RestartSec", parse_time, OFF(backoff.initial_delay), TIME_FINITE, 0 },
        { SERVICE, "RestartMaxDelaySec", parse_time, OFF(backoff.max_delay), TIME_FINITE, 0 },
        { SERVICE, "RestartResetSec", parse_time, OFF(backoff.reset_after), TIME_PLAIN, 0 },
        { SERVICE, "StartLimitBurst", parse_count, OFF(backoff.burst), 0, 0 },
        { SERVICE, "StartLimitIntervalSec", parse_time, OFF(backoff.interval), TIME_FINITE, 0 },
        { SERVICE, "TimeoutStartSec", parse_time, OFF(timeout_start), TIME_ZERO_IS_INFINITY, 0 },
        { SERVICE, "TimeoutStopSec", parse_time, OFF(timeout_stop), TIME_ZERO_IS_INFINITY, 0 },
        { SERVICE, "RuntimeMaxSec", parse_time, OFF(runtime_max), TIME_ZERO_IS_INFINITY, 0 },
        { SERVICE, "WatchdogSec", parse_time, OFF(watchdog), TIME_FINITE, 0 },
        { SERVICE, "Tags", parse_word_list, OFF(tags), 1, SETTING_LIST },
        { SERVICE, "AutoStart", parse_bool, OFF(auto_start), 0, 0 },

        { SANDBOX, "Namespaces", parse_namespaces, OFF(namespaces), 0, SETTING_LIST },
        { SANDBOX, "Hostname", parse_hostname, OFF(hostname), 0, 0 },
        { SANDBOX, "RootDirectory", parse_path, OFF(root_directory), 0, 0 },
        { SANDBOX, "ReadOnlyPaths", parse_path_list, OFF(read_only_paths), 0, SETTING_LIST },
        { SANDBOX, "ReadWritePaths", parse_path_list, OFF(read_write_paths), 0, SETTING_LIST },
        { SANDBOX, "InaccessiblePaths", parse_path_list, OFF(inaccessible_paths), 0, SETTING_LIST },
        { SANDBOX, "BindPaths", parse_bind, 0, 0, SETTING_LIST },
        { SANDBOX, "BindReadOnlyPaths", parse_bind, 0, 1, SETTING_LIST },
        { SANDBOX, "TemporaryFileSystem", parse_tmpfs, 0, 0, SETTING_LIST },
        { SANDBOX, "PrivateTmp", parse_bool, OFF(private_tmp), 0, 0 },
        { SANDBOX, "ProtectSystem", parse_enum, OFF(protect_system), 2, 0 },
        { SANDBOX, "Capabilities", parse_capabilities, 0, 0, SETTING_LIST },
        { SANDBOX, "NoNewPrivileges", parse_bool, OFF(no_new_privileges), 0, 0 },
        RLIMIT_ROW("LimitCPU", RLIMIT_CPU, RLIMIT_KIND_SECONDS),
        RLIMIT_ROW("LimitFSIZE", RLIMIT_FSIZE, RLIMIT_KIND_SIZE),
        RLIMIT_ROW("LimitDATA", RLIMIT_DATA, RLIMIT_KIND_SIZE),
        RLIMIT_ROW("LimitSTACK", RLIMIT_STACK, RLIMIT_KIND_SIZE),
        RLIMIT_ROW("LimitCORE", RLIMIT_CORE, RLIMIT_KIND_SIZE),
        RLIMIT_ROW("LimitRSS", RLIMIT_RSS, RLIMIT_KIND_SIZE),
        RLIMIT_ROW("LimitNOFILE", RLIMIT_NOFILE, RLIMIT_KIND_COUNT),
        RLIMIT_ROW("LimitAS", RLIMIT_AS, RLIMIT_KIND_SIZE),
        RLIMIT_ROW("LimitNPROC", RLIMIT_NPROC, RLIMIT_KIND_COUNT),
        RLIMIT_ROW("LimitMEMLOCK", RLIMIT_MEMLOCK, RLIMIT_KIND_SIZE),
        RLIMIT_ROW("LimitLOCKS", RLIMIT_LOCKS, RLIMIT_KIND_COUNT),
        RLIMIT_ROW("LimitSIGPENDING", RLIMIT_SIGPENDING, RLIMIT_KIND_COUNT),
        RLIMIT_ROW("LimitMSGQUEUE", RLIMIT_MSGQUEUE, RLIMIT_KIND_SIZE),

        { RESOURCES, "MemoryMax", parse_bytes, OFF(memory_max), 1, 0 },
        { RESOURCES, "MemoryHigh", parse_bytes, OFF(memory_high), 1, 0 },
        { RESOURCES, "MemorySwapMax", parse_bytes, OFF(memory_swap_max), 0, 0 },
        { RESOURCES, "PidsMax", parse_pids, OFF(pids_max), 0, 0 },
        { RESOURCES, "CPUQuota", parse_cpu_quota, OFF(cpu_quota_percent), 0, 0 },
        { RESOURCES, "CPUWeight", parse_cpu_weight, OFF(cpu_weight), 0, 0 },

        { SECCOMP, "Profile", parse_enum, OFF(seccomp.profile), 3, 0 },
        { SECCOMP, "Allow", parse_syscalls, OFF(seccomp.allow), 0, SETTING_LIST },
        { SECCOMP, "Deny", parse_syscalls, OFF(seccomp.deny), 0, SETTING_LIST },
        { SECCOMP, "Action", parse_seccomp_action, 0, 0, 0 },
};
const size_t policy_settings_count = ELEMENTSOF(policy_settings);

int policy_setting_find(PolicySection section, const char *key) {
        for (size_t i = 0; i < policy_settings_count; i++)
                if (policy_settings[i].section == section && streq(policy_settings[i].key, key))
                        return (int) i;
        return -1;
}
