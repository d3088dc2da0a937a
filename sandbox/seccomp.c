/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Seccomp: the parent compiles a SandboxSeccompSpec once with libseccomp into
 * a BPF program (exported to a memfd and read back, libseccomp 2.5.4 has no
 * in-memory export); the child installs it with the raw seccomp(2) syscall,
 * which neither allocates nor takes locks. */

#include <fcntl.h>
#include <linux/seccomp.h>
#include <seccomp.h>
#include <stdio.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/syscall.h>

#include "sandbox-internal.h"
#include "strv.h"

static uint32_t action_to_scmp(SandboxSeccompAction a, int errno_value) {
        switch (a) {
        case SANDBOX_SECCOMP_ERRNO:
                return SCMP_ACT_ERRNO((uint32_t) errno_value);
        case SANDBOX_SECCOMP_LOG:
                return SCMP_ACT_LOG;
        default:
                return SCMP_ACT_KILL_PROCESS;
        }
}

static void seccomp_releasep(scmp_filter_ctx *ctx) {
        if (*ctx)
                seccomp_release(*ctx);
}

static int export_to_memory(scmp_filter_ctx ctx, struct sock_fprog *ret) {
        _cleanup_close_ int fd = -EBADF;
        _cleanup_free_ struct sock_filter *insns = NULL;
        struct stat st;
        int r;

        fd = memfd_create("pgs-seccomp", MFD_CLOEXEC);
        if (fd < 0)
                return negative_errno();
        r = seccomp_export_bpf(ctx, fd);
        if (r < 0)
                return r;
        if (fstat(fd, &st) < 0)
                return negative_errno();
        if (st.st_size <= 0 || st.st_size % sizeof(struct sock_filter) != 0 ||
            st.st_size / sizeof(struct sock_filter) > BPF_MAXINSNS)
                return -E2BIG;

        insns = malloc(st.st_size);
        if (!insns)
                return -ENOMEM;
        ssize_t n = pread(fd, insns, st.st_size, 0);
        if (n < 0)
                return negative_errno();
        if (n != st.st_size)
                return -EIO;

        ret->len = (unsigned short) (st.st_size / sizeof(struct sock_filter));
        ret->filter = TAKE_PTR(insns);
        return 0;
}

int sandbox_seccomp_compile(const SandboxSeccompSpec *spec, SandboxSeccompFilter **ret) {
        _cleanup_(seccomp_releasep) scmp_filter_ctx ctx = NULL;
        uint32_t def, rule;
        int r;

        if (!spec || !ret)
                return -EINVAL;
        if (spec->action < 0 || spec->action >= _SANDBOX_SECCOMP_ACTION_MAX)
                return -EINVAL;
        if (spec->action == SANDBOX_SECCOMP_ERRNO && (spec->errno_value <= 0 || spec->errno_value > 4095))
                return -EINVAL;

        switch (spec->mode) {
        case SANDBOX_SECCOMP_DENY_LIST:
                def = SCMP_ACT_ALLOW;
                rule = action_to_scmp(spec->action, spec->errno_value);
                break;
        case SANDBOX_SECCOMP_ALLOW_LIST:
                def = action_to_scmp(spec->action, spec->errno_value);
                rule = SCMP_ACT_ALLOW;
                break;
        default:
                return -EINVAL;
        }

        ctx = seccomp_init(def);
        if (!ctx)
                return -ENOMEM;
        /* The filter is installed after PR_SET_NO_NEW_PRIVS by the child
         * itself; libseccomp must not set it again or need CAP_SYS_ADMIN. */
        r = seccomp_attr_set(ctx, SCMP_FLTATR_CTL_NNP, 0);
        if (r < 0)
                return r;
        /* A binary tree instead of a linear chain: every syscall walks a
         * few instructions, and so does the kernel's per-syscall action
         * cache, computed for every syscall number at each start. */
        r = seccomp_attr_set(ctx, SCMP_FLTATR_CTL_OPTIMIZE, 2);
        if (r < 0)
                return r;

        STRV_FOREACH(name, spec->syscalls) {
                int nr = seccomp_syscall_resolve_name(*name);
                if (nr == __NR_SCMP_ERROR) {
                        if (spec->ignore_unknown)
                                continue;
                        return -EINVAL;
                }
                r = seccomp_rule_add(ctx, rule, nr, 0);
                /* A rule equal to the default action is refused; harmless. */
                if (r < 0 && r != -EACCES && r != -EEXIST)
                        return r;
        }

        SandboxSeccompFilter *f = calloc(1, sizeof *f);
        if (!f)
                return -ENOMEM;
        r = export_to_memory(ctx, &f->prog);
        if (r < 0) {
                free(f);
                return r;
        }
        f->n_ref = 1;
        f->kills = spec->action == SANDBOX_SECCOMP_KILL_PROCESS;
        *ret = f;
        return 0;
}

SandboxSeccompFilter *sandbox_seccomp_filter_ref(SandboxSeccompFilter *f) {
        if (f)
                f->n_ref++;
        return f;
}

SandboxSeccompFilter *sandbox_seccomp_filter_unref(SandboxSeccompFilter *f) {
        if (!f || --f->n_ref > 0)
                return NULL;
        free(f->prog.filter);
        return mfree(f);
}

size_t sandbox_seccomp_filter_size(const SandboxSeccompFilter *f) {
        return f ? f->prog.len : 0;
}

/* The exported form: a header, then the instructions; in a sealed memfd so
 * that the receiver can trust it not to change under it. */
typedef struct FilterBlob {
        uint32_t magic;
        uint32_t len;   /* instructions */
        uint32_t kills;
        uint32_t reserved;
} FilterBlob;

#define FILTER_BLOB_MAGIC 0x70677362 /* "pgsb" */

int sandbox_seccomp_filter_export(const SandboxSeccompFilter *f, int *ret_fd) {
        _cleanup_close_ int fd = -EBADF;
        FilterBlob h = { .magic = FILTER_BLOB_MAGIC, .len = f ? f->prog.len : 0, .kills = f && f->kills };
        size_t n = (size_t) h.len * sizeof(struct sock_filter);

        if (!f || !ret_fd)
                return -EINVAL;
        fd = memfd_create("pgs-seccomp-bpf", MFD_CLOEXEC | MFD_ALLOW_SEALING);
        if (fd < 0)
                return negative_errno();
        if (pwrite(fd, &h, sizeof h, 0) != (ssize_t) sizeof h ||
            pwrite(fd, f->prog.filter, n, sizeof h) != (ssize_t) n)
                return -EIO;
        if (fcntl(fd, F_ADD_SEALS, F_SEAL_WRITE | F_SEAL_GROW | F_SEAL_SHRINK | F_SEAL_SEAL) < 0)
                return negative_errno();
        *ret_fd = TAKE_FD(fd);
        return 0;
}

int sandbox_seccomp_filter_import(int fd, SandboxSeccompFilter **ret) {
        _cleanup_free_ struct sock_filter *insns = NULL;
        FilterBlob h;
        struct stat st;

        if (fd < 0 || !ret)
                return -EINVAL;
        if (fstat(fd, &st) < 0)
                return negative_errno();
        if (pread(fd, &h, sizeof h, 0) != (ssize_t) sizeof h || h.magic != FILTER_BLOB_MAGIC || h.len == 0 ||
            h.len > BPF_MAXINSNS || (size_t) st.st_size != sizeof h + (size_t) h.len * sizeof(struct sock_filter))
                return -EBADMSG;
        insns = calloc(h.len, sizeof *insns);
        if (!insns)
                return -ENOMEM;
        if (pread(fd, insns, h.len * sizeof *insns, sizeof h) != (ssize_t) (h.len * sizeof *insns))
                return -EIO;

        SandboxSeccompFilter *f = calloc(1, sizeof *f);
        if (!f)
                return -ENOMEM;
        *f = (SandboxSeccompFilter) {
                .n_ref = 1,
                .prog = { .len = (unsigned short) h.len, .filter = TAKE_PTR(insns) },
                .kills = h.kills != 0,
        };
        *ret = f;
        return 0;
}

const char *sandbox_syscall_name(long nr, char *buf, size_t size) {
        _cleanup_free_ char *name = NULL;

        if (nr < 0 || nr > INT32_MAX || !buf || size == 0)
                return NULL;
        name = seccomp_syscall_resolve_num_arch(SCMP_ARCH_NATIVE, (int) nr);
        if (!name)
                return NULL;
        snprintf(buf, size, "%s", name);
        return buf;
}

/* Child half. The program is installed as it was compiled; seccomp(2) copies
 * it into the kernel, so the parent's memory may be shared by any number of
 * children. */
int sandbox_seccomp_load(const SandboxSeccompFilter *f) {
        if (!f)
                return 0;
        if (syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, 0, &f->prog) < 0)
                return negative_errno();
        return 0;
}
