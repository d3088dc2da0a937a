/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <stdio.h>

#include "verbs.h"

/* Placeholder until the policy parser lands (issue: policy files). */
int verb_check(int argc, char *argv[]) {
        fprintf(stderr, "pgsandbox check: the policy parser is not built yet.\n");
        return 1;
}
