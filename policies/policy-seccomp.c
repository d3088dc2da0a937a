/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* [Seccomp]: the shipped groups and profiles (seccomp-data.h, generated from
 * seccomp/groups.conf and seccomp/profiles.conf), name checks against
 * libseccomp for the host architecture, and the resolution of a section into
 * the flat, sorted list of names the sandbox turns into a filter. */
#include <seccomp.h>
#include <stdio.h>
#include <string.h>

#include "edit-distance.h"
#include "policy-internal.h"
#include "policy-values.h"
#include "seccomp-data.h"
#include "string-table.h"
#include "strv.h"

static const char * const seccomp_profile_table[_POLICY_SECCOMP_PROFILE_MAX] = {
        [POLICY_SECCOMP_PROFILE_DEFAULT] = "default",
        [POLICY_SECCOMP_PROFILE_STRICT] = "strict",
        [POLICY_SECCOMP_PROFILE_NONE] = "none",
};
DEFINE_STRING_TABLE_LOOKUP(policy_seccomp_profile, PolicySeccompProfile, seccomp_profile_table, strcmp);

static const char * const seccomp_mode_table[_POLICY_SECCOMP_MODE_MAX] = {
        [POLICY_SECCOMP_MODE_NONE] = "none",
        [POLICY_SECCOMP_MODE_DENY_LIST] = "deny-list",
        [POLICY_SECCOMP_MODE_ALLOW_LIST] = "allow-list",
};
DEFINE_PRIVATE_STRING_TABLE_LOOKUP(seccomp_mode, PolicySeccompMode, seccomp_mode_table, strcmp);

const char *policy_seccomp_mode_to_string(PolicySeccompMode m) {
        return seccomp_mode_to_string(m);
}

static const char * const seccomp_action_table[_POLICY_SECCOMP_ACTION_MAX] = {
        [POLICY_SECCOMP_ACTION_KILL] = "kill",
        [POLICY_SECCOMP_ACTION_ERRNO] = "errno",
        [POLICY_SECCOMP_ACTION_LOG] = "log",
};
DEFINE_PRIVATE_STRING_TABLE_LOOKUP(seccomp_action, PolicySeccompAction, seccomp_action_table, strcmp);

const char *policy_seccomp_action_to_string(PolicySeccompAction a) {
        return seccomp_action_to_string(a);
}

size_t policy_seccomp_group_count(void) {
        return seccomp_groups_data_count;
}

const char *policy_seccomp_group_name(size_t i) {
        return i < seccomp_groups_data_count ? seccomp_groups_data[i].name : NULL;
}

const char *policy_seccomp_group_description(size_t i) {
        return i < seccomp_groups_data_count ? seccomp_groups_data[i].description : NULL;
}

static const SeccompGroupData *group_find(const char *name) {
        for (size_t i = 0; i < seccomp_groups_data_count; i++)
                if (streq(seccomp_groups_data[i].name, name))
                        return &seccomp_groups_data[i];
        return NULL;
}

char **policy_seccomp_group_members(const char *name) {
        const SeccompGroupData *g = group_find(name);
        char **l = NULL;
        if (!g || split_words(g->members, &l, NULL) < 0)
                return NULL;
        return l;
}

static const SeccompProfileData *profile_data(PolicySeccompProfile p) {
        const char *name = policy_seccomp_profile_to_string(p);
        for (size_t i = 0; name && i < seccomp_profiles_data_count; i++)
                if (streq(seccomp_profiles_data[i].name, name))
                        return &seccomp_profiles_data[i];
        return NULL;
}

const char *policy_seccomp_profile_description(PolicySeccompProfile p) {
        if (p == POLICY_SECCOMP_PROFILE_NONE)
                return "No seccomp filter";
        const SeccompProfileData *d = profile_data(p);
        return d ? d->description : NULL;
}

/* Syscall names of the host architecture, for suggestions. */
static char **native_syscall_names(void) {
        _cleanup_strv_free_ char **l = NULL;
        for (int nr = 0; nr < 1024; nr++) {
                char *n = seccomp_syscall_resolve_num_arch(SCMP_ARCH_NATIVE, nr);
                if (n && strv_push(&l, n) < 0) {
                        free(n);
                        return NULL;
                }
        }
        return TAKE_PTR(l);
}

int policy_seccomp_check_name(PolicyParser *p, const char *key, const char *name) {
        int k = (int) MIN(strlen(name), (size_t) 80);

        if (name[0] == '@') {
                if (group_find(name))
                        return 0;
                const char *names[256] = {};
                for (size_t i = 0; i < seccomp_groups_data_count && i < ELEMENTSOF(names); i++)
                        names[i] = seccomp_groups_data[i].name;
                const char *m = closest_match(name, names, MIN(seccomp_groups_data_count, ELEMENTSOF(names)));
                return policy_value_error(p, "unknown syscall group '%.*s' in %s=%s%s%s", k, name, key,
                                          m ? "; did you mean '" : "", m ?: "", m ? "'?" : "");
        }
        int nr = seccomp_syscall_resolve_name(name);
        if (nr >= 0)
                return 0;
        if (nr != __NR_SCMP_ERROR)
                return policy_value_error(p, "syscall '%.*s' in %s= does not exist on this architecture", k, name, key);
        _cleanup_strv_free_ char **all = native_syscall_names();
        const char *m = all ? closest_match(name, (const char * const *) all, strv_length(all)) : NULL;
        return policy_value_error(p, "unknown syscall '%.*s' in %s=%s%s%s", k, name, key,
                                  m ? "; did you mean '" : "", m ?: "", m ? "'?" : "");
}

/* Appends the syscalls that name stands for (itself, or a group's members
 * recursively), keeping only names that exist on the host architecture. */
static int expand(const char *name, char ***l, unsigned depth) {
        if (name[0] != '@') {
                if (seccomp_syscall_resolve_name(name) < 0)
                        return 0;
                return strv_extend(l, name);
        }
        const SeccompGroupData *g = group_find(name);
        if (!g || depth > 8)
                return -EINVAL; /* unknown group, or a loop in the data */
        _cleanup_strv_free_ char **members = NULL;
        int r = split_words(g->members, &members, NULL);
        if (r < 0)
                return r;
        STRV_FOREACH(m, members)
                if ((r = expand(*m, l, depth + 1)) < 0)
                        return r;
        return 0;
}

static int expand_all(char * const *names, char ***l) {
        STRV_FOREACH(n, names) {
                int r = expand(*n, l, 0);
                if (r < 0)
                        return r;
        }
        return 0;
}

static int compare_strings(const void *a, const void *b) {
        return strcmp(*(char * const *) a, *(char * const *) b);
}

/* Sorts l and removes duplicates and the names in minus (sorted). */
static void sort_unique_minus(char **l, char **minus) {
        size_t n = strv_length(l), m = strv_length(minus), k = 0;
        if (n > 1)
                qsort(l, n, sizeof(char *), compare_strings);
        for (size_t i = 0; i < n; i++) {
                bool drop = (k > 0 && streq(l[k - 1], l[i])) ||
                            (m > 0 && bsearch(&l[i], minus, m, sizeof(char *), compare_strings));
                if (drop)
                        free(l[i]);
                else
                        l[k++] = l[i];
        }
        if (l)
                l[k] = NULL;
}

void policy_seccomp_spec_done(PolicySeccompSpec *s) {
        if (!s)
                return;
        s->syscalls = strv_free(s->syscalls);
}

int policy_seccomp_resolve(const PolicySeccomp *s, PolicySeccompSpec *ret) {
        _cleanup_strv_free_ char **set = NULL, **minus = NULL;
        PolicySeccompMode mode;
        int r;

        if (s->profile == POLICY_SECCOMP_PROFILE_NONE) {
                mode = s->deny ? POLICY_SECCOMP_MODE_DENY_LIST : POLICY_SECCOMP_MODE_NONE;
                if ((r = expand_all(s->deny, &set)) < 0 || (r = expand_all(s->allow, &minus)) < 0)
                        return r;
        } else {
                const SeccompProfileData *d = profile_data(s->profile);
                _cleanup_strv_free_ char **members = NULL;
                if (!d)
                        return -EINVAL;
                r = split_words(d->members, &members, NULL);
                if (r < 0)
                        return r;
                if ((r = expand_all(members, &set)) < 0)
                        return r;
                mode = streq(d->mode, "allow") ? POLICY_SECCOMP_MODE_ALLOW_LIST : POLICY_SECCOMP_MODE_DENY_LIST;
                char * const *add = mode == POLICY_SECCOMP_MODE_ALLOW_LIST ? s->allow : s->deny;
                char * const *sub = mode == POLICY_SECCOMP_MODE_ALLOW_LIST ? s->deny : s->allow;
                if ((r = expand_all(add, &set)) < 0 || (r = expand_all(sub, &minus)) < 0)
                        return r;
        }
        sort_unique_minus(minus, NULL);
        sort_unique_minus(set, minus);
        if (!set && !(set = calloc(1, sizeof(char *))))
                return -ENOMEM;

        *ret = (PolicySeccompSpec) {
                .mode = mode,
                .action = s->action,
                .errno_value = s->action == POLICY_SECCOMP_ACTION_ERRNO ? s->errno_value : 0,
                .syscalls = TAKE_PTR(set),
        };
        return 0;
}
