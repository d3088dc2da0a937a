/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/* ps --tree: the processes of a sandbox as a tree under its init (the main
 * PID), read from /proc: every process in the sandbox's pid namespace
 * descends from that init, daemonized ones included, since init is their
 * reaper. */

#include <stddef.h>
#include <stdio.h>
#include <sys/types.h>

/* Prints "  ├─ PID COMMAND LINE" lines (cut to width, 0: no limit) for root
 * and its descendants. A root that is gone prints nothing. */
int proc_tree_print(FILE *f, pid_t root, size_t width);
