/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/* The seccomp groups and profiles as shipped data: generated at build time
 * from seccomp/groups.conf and seccomp/profiles.conf. Members are
 * space-separated syscall names and @groups (each with a leading space). */

#include <stddef.h>

typedef struct SeccompGroupData {
        const char *name; /* "@mount" */
        const char *description;
        const char *members;
} SeccompGroupData;

typedef struct SeccompProfileData {
        const char *name; /* "default" */
        const char *mode; /* "deny" or "allow" */
        const char *description;
        const char *members;
} SeccompProfileData;

extern const SeccompGroupData seccomp_groups_data[];
extern const size_t seccomp_groups_data_count;
extern const SeccompProfileData seccomp_profiles_data[];
extern const size_t seccomp_profiles_data_count;
