/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/* The public header of pgs-core: the process model (lifecycle states, crash
 * reasons, status summaries, restart policy, service ids, the ps table, kill
 * signals and results) and the small utilities every module shares. */

#include "fileio.h"
#include "kill-signal.h"
#include "lifecycle.h"
#include "macro.h"
#include "process-list.h"
#include "restart-policy.h"
#include "service-id.h"
#include "strv.h"
#include "time-util.h"
#include "utf8.h"
