/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/* Shared between the parts of pgs-policy: the settings table (one row per
 * key, policy-settings.c) and the state of one parse (policy.c). */

#include <stdint.h>

#include "policy.h"
#include "unit-syntax.h"

typedef enum PolicySection {
        POLICY_SECTION_SERVICE,
        POLICY_SECTION_SANDBOX,
        POLICY_SECTION_RESOURCES,
        POLICY_SECTION_SECCOMP,
        _POLICY_SECTION_MAX,
} PolicySection;

extern const char * const policy_section_names[_POLICY_SECTION_MAX];

typedef struct PolicySetting PolicySetting;

typedef struct PolicyParser {
        const char *filename;
        Policy *policy;
        PolicyError *error;
        int section;                 /* PolicySection, -1 before the first header */
        unsigned section_line[_POLICY_SECTION_MAX];
        UnitPosition key_at, value_at;
        unsigned *seen;              /* per setting: line of the last assignment, 0 if none */
} PolicyParser;

enum {
        SETTING_LIST = 1 << 0,        /* repeatable; an empty assignment resets it */
        SETTING_ALLOW_EMPTY = 1 << 1, /* single-valued, but "" is a value */
};

struct PolicySetting {
        PolicySection section;
        const char *key;
        int (*parse)(PolicyParser *p, const PolicySetting *s, const char *value);
        size_t offset;  /* of the field in Policy */
        int arg;        /* parser-specific */
        unsigned flags;
};

extern const PolicySetting policy_settings[];
extern const size_t policy_settings_count;

/* -1 if there is no such key in that section. */
int policy_setting_find(PolicySection section, const char *key);
/* The line the key was last assigned on, 0 if never. */
unsigned policy_parser_seen(const PolicyParser *p, const char *key);

/* Reports a bad value at the value's position; returns -EINVAL. */
int policy_value_error(PolicyParser *p, const char *format, ...) _printf_(2, 3);

/* seccomp: is this a known syscall name on the host architecture or a known
 * @group? 0, or -EINVAL with a message written through policy_value_error(). */
int policy_seccomp_check_name(PolicyParser *p, const char *key, const char *name);
