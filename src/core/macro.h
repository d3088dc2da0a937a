/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/* Small language helpers used by every module: cleanup attributes, ownership
 * transfer, array sizes. Nothing here allocates or logs. */

#include <errno.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define _cleanup_(f) __attribute__((cleanup(f)))
#define _unused_ __attribute__((unused))
#define _pure_ __attribute__((pure))
#define _const_ __attribute__((const))
#define _noreturn_ __attribute__((noreturn))
#define _printf_(a, b) __attribute__((format(printf, a, b)))
#define _likely_(x) (__builtin_expect(!!(x), 1))
#define _unlikely_(x) (__builtin_expect(!!(x), 0))
#define _warn_unused_result_ __attribute__((warn_unused_result))

#define ELEMENTSOF(x)                                                                \
        (__builtin_choose_expr(                                                      \
                !__builtin_types_compatible_p(typeof(x), typeof(&*(x))),             \
                sizeof(x) / sizeof((x)[0]),                                          \
                (void) 0))

#define MIN(a, b) ((a) < (b) ? (a) : (b))
#define MAX(a, b) ((a) > (b) ? (a) : (b))

#define streq(a, b) (strcmp((a), (b)) == 0)
#define strneq(a, b, n) (strncmp((a), (b), (n)) == 0)

/* Hand over ownership: returns the value and resets the variable so that its
 * cleanup attribute does nothing. */
#define TAKE_GENERIC(var, type, nullvalue)                                           \
        ({                                                                           \
                type *_pvar_ = &(var);                                               \
                type _var_ = *_pvar_;                                                \
                *_pvar_ = (nullvalue);                                               \
                _var_;                                                               \
        })
#define TAKE_PTR(p) TAKE_GENERIC(p, typeof(p), NULL)
#define TAKE_FD(fd) TAKE_GENERIC(fd, int, -EBADF)

static inline void *mfree(void *p) {
        free(p);
        return NULL;
}

static inline void freep(void *p) {
        free(*(void **) p);
}
#define _cleanup_free_ _cleanup_(freep)

/* close() that keeps errno and accepts negative fds; returns -EBADF so that
 * "fd = safe_close(fd);" leaves the variable in the closed state. */
static inline int safe_close(int fd) {
        if (fd >= 0) {
                int saved = errno;
                (void) close(fd);
                errno = saved;
        }
        return -EBADF;
}

static inline void closep(int *fd) {
        safe_close(*fd);
}
#define _cleanup_close_ _cleanup_(closep)

static inline void close_pairp(int (*p)[2]) {
        (*p)[0] = safe_close((*p)[0]);
        (*p)[1] = safe_close((*p)[1]);
}
#define _cleanup_close_pair_ _cleanup_(close_pairp)

/* Defines foo_freep() for a type with foo_free() returning NULL. */
#define DEFINE_TRIVIAL_CLEANUP_FUNC(type, func)                                      \
        static inline void func##p(type *p) {                                        \
                if (*p)                                                              \
                        *p = func(*p);                                               \
        }

/* errno as a negative return value, never 0 even if errno was not set. */
static inline int negative_errno(void) {
        return errno > 0 ? -errno : -EIO;
}

#define RET_NERRNO(expr)                                                             \
        ({                                                                           \
                typeof(expr) _r_ = (expr);                                           \
                _r_ < 0 ? negative_errno() : _r_;                                    \
        })
