/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/* Shared inside pgs-cgroup only. */

#include "cgroup.h"

/* Interface files are small; cgroup.procs is read without a limit. */
#define CG_FILE_MAX (64U * 1024U)

int cg_parse_u64(const char *s, uint64_t *ret);
int cg_read_frozen_fd(int cgfd);
/* Opens name below dirfd as a cgroup directory (O_DIRECTORY|O_CLOEXEC). */
int cg_open_dir_at(int dirfd, const char *name);
/* "/proc/self/fd/N/file", for inotify, which takes paths only. */
int cg_fd_path(int cgfd, const char *file, char *buf, size_t len);
