/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/* pgsandbox status: one screen about one sandbox, like systemctl status.
 * Pure: the sandbox as the daemon describes it, its policy file if it could
 * be read (for what the API does not carry: namespaces, seccomp,
 * capabilities), and the clock. */

#include <stdbool.h>
#include <stdio.h>

#include "policy.h"
#include "sandbox-info.h"
#include "time-util.h"

/* "2026-11-26 07:00:01 UTC" in the local time zone; "-" for 0. */
char *format_timestamp(char buf[static 64], usec_t realtime);

void status_print(FILE *f, const SandboxInfo *i, const Policy *policy, usec_t now, bool colors);
