/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/* The last lines of a service's log file, for status (`logs` comes with
 * the durability issue). Reads backwards from the end, so that a large log
 * costs no more than its tail. */

#include <stddef.h>

/* The last n lines of the file at path (without their newlines), oldest
 * first. Negative errno if it cannot be read. */
int log_tail(const char *path, size_t n, char ***ret);
