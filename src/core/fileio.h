/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/* Whole-file reads and atomic writes (write "<path>.new", fsync, rename,
 * fsync the directory). */

#include <stddef.h>

/* Reads at most max bytes (0: no limit); -E2BIG if the file is larger.
 * The result is NUL-terminated; *ret_size excludes the NUL. */
int read_full_file_at(int dirfd, const char *path, size_t max, char **ret, size_t *ret_size);
static inline int read_full_file(const char *path, size_t max, char **ret, size_t *ret_size) {
        return read_full_file_at(-100 /* AT_FDCWD */, path, max, ret, ret_size);
}
int write_file_atomic(const char *path, const void *data, size_t size, int mode);
/* The same rename into place, without the fsyncs: for files under /run
 * (tmpfs), which must survive a crash of the writer, never a reboot. */
int write_file_replace(const char *path, const void *data, size_t size, int mode);
/* Writes a short string to an existing file, e.g. a cgroup or proc knob. */
int write_string_file_at(int dirfd, const char *path, const char *s);
