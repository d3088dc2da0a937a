/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/* Test programs that run inside sandboxes must be where a sandbox sees them:
 * every default sandbox has a private /tmp, and CI may clone (and build) the
 * tree anywhere, /tmp included. test_stage() copies a program to
 * /run/pgs-test-bin-XXXXXX/NAME once per test process and removes the copies
 * when the process exits (only the process that staged them). */

const char *test_stage(const char *name, const char *src_path);
