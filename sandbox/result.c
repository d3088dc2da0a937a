/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Turning what the sandbox reported into the core's crash reasons and the
 * death record's evidence. Pure logic apart from the syscall name lookup. */

#include <signal.h>
#include <stdio.h>
#include <string.h>

#include "sandbox-internal.h"

static const char * const step_table[_SANDBOX_STEP_MAX] = {
        [SANDBOX_STEP_USER] = "user",
        [SANDBOX_STEP_MOUNTS] = "mounts",
        [SANDBOX_STEP_HOSTNAME] = "hostname",
        [SANDBOX_STEP_LOOPBACK] = "loopback",
        [SANDBOX_STEP_ROOT_DIRECTORY] = "root-directory",
        [SANDBOX_STEP_INIT] = "init",
        [SANDBOX_STEP_STDIO] = "stdio",
        [SANDBOX_STEP_WORKING_DIRECTORY] = "working-directory",
        [SANDBOX_STEP_RLIMITS] = "rlimits",
        [SANDBOX_STEP_GROUPS] = "groups",
        [SANDBOX_STEP_GID] = "gid",
        [SANDBOX_STEP_UID] = "uid",
        [SANDBOX_STEP_CAPABILITIES] = "capabilities",
        [SANDBOX_STEP_NO_NEW_PRIVILEGES] = "no-new-privileges",
        [SANDBOX_STEP_SECCOMP] = "seccomp",
        [SANDBOX_STEP_EXEC] = "exec",
        [SANDBOX_STEP_USER_NAMESPACE] = "user-namespace",
};

const char *sandbox_step_to_string(SandboxStep s) {
        return s >= 0 && s < _SANDBOX_STEP_MAX ? step_table[s] : NULL;
}

SandboxStep sandbox_step_from_string(const char *s) {
        for (int i = 0; s && i < _SANDBOX_STEP_MAX; i++)
                if (streq(step_table[i], s))
                        return (SandboxStep) i;
        return _SANDBOX_STEP_INVALID;
}

static const char *error_text(int error) {
        const char *d = error > 0 ? strerrordesc_np(error) : NULL;
        return d ?: "Unknown error";
}

static char *setup_error_text(const SandboxResult *r) {
        const char *step = sandbox_step_to_string(r->step) ?: "unknown step";
        char *s = NULL;
        int k;

        if (r->step == SANDBOX_STEP_EXEC && r->subject[0])
                k = asprintf(&s, "exec %s: %s", r->subject, error_text(r->error));
        else if (r->step == SANDBOX_STEP_USER && r->error == ESRCH && r->subject[0])
                k = asprintf(&s, "user '%s' does not exist", r->subject);
        else
                k = asprintf(&s, "setup failed at %s: %s", step, error_text(r->error));
        return k < 0 ? NULL : s;
}

int sandbox_result_to_crash_reason(const SandboxResult *r, CrashReason **ret) {
        if (!r || !ret)
                return -EINVAL;
        switch (r->kind) {
        case SANDBOX_RESULT_EXITED:
                return crash_reason_new_exit_code(r->exit_code, ret);
        case SANDBOX_RESULT_SIGNALED:
                return crash_reason_new_signal(r->signal, ret);
        case SANDBOX_RESULT_SETUP_ERROR: {
                _cleanup_free_ char *text = setup_error_text(r);
                if (!text)
                        return -ENOMEM;
                return crash_reason_new(CRASH_ERROR, text, ret);
        }
        default:
                return -EINVAL;
        }
}

int sandbox_result_evidence(const SandboxResult *r, char **ret) {
        char name[64], *s = NULL;

        if (!r || !ret)
                return -EINVAL;
        if (r->kind != SANDBOX_RESULT_SIGNALED || r->signal != SIGSYS || r->blocked_syscall < 0) {
                *ret = NULL;
                return 0;
        }
        if (sandbox_syscall_name(r->blocked_syscall, name, sizeof name))
                s = strdup(name);
        else if (asprintf(&s, "syscall %ld", r->blocked_syscall) < 0)
                s = NULL;
        if (!s)
                return -ENOMEM;
        char *e = NULL;
        int k = asprintf(&e, "seccomp blocked %s(2)", s);
        free(s);
        if (k < 0)
                return -ENOMEM;
        *ret = e;
        return 0;
}
