/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Start cost of a sandbox, next to its baselines, in one run:
 *   full     sandbox_spawn() of the default sandbox (all namespaces but user,
 *            a fresh /proc, /sys and /dev, PrivateTmp, hostname, loopback,
 *            capabilities dropped, no_new_privs, the shipped default seccomp profile
 *            compiled once, the init) exec'ing /bin/true, into a cgroup v2
 *            when one can be made, and sandbox_wait()
 *   bare     clone3() with the same namespace flags, exec of /bin/true, wait
 *   unshare  unshare -pmnuiCf --mount-proc /bin/true
 *   bwrap    bwrap --unshare-all --dev-bind / / /bin/true
 * The kinds run round-robin (one start of each per round) so that a busy
 * machine's load falls on all alike; with --sequential, all starts of one
 * kind, then the next (each kind then also pays for its own asynchronous
 * namespace teardown in the kernel's workers). Prints µs per start and the ratio to
 * the bare loop. Needs root. */

#include <fcntl.h>
#include <linux/sched.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>

#include "macro.h"
#include "policy.h"
#include "sandbox.h"

#define NAMESPACES                                                                   \
        (CLONE_NEWNS | CLONE_NEWPID | CLONE_NEWNET | CLONE_NEWUTS | CLONE_NEWIPC |   \
         CLONE_NEWCGROUP | CLONE_NEWTIME)


static double now(void) {
        struct timespec ts;
        clock_gettime(CLOCK_MONOTONIC, &ts);
        return ts.tv_sec * 1e6 + ts.tv_nsec / 1e3;
}

static int run_full(const SandboxPrepared *p, int cg) {
        SandboxProcess *proc = NULL;
        SandboxResult res;
        int r = sandbox_spawn(p, cg, NULL, &proc);
        if (r < 0)
                return r;
        r = sandbox_wait(proc, &res);
        sandbox_process_free(proc);
        if (r < 0)
                return r;
        return res.kind == SANDBOX_RESULT_EXITED && res.exit_code == 0 ? 0 : -EIO;
}

static int run_bare(void) {
        struct clone_args ca = { .flags = NAMESPACES, .exit_signal = SIGCHLD };
        char *argv[] = { "/bin/true", NULL }, *envp[] = { NULL };
        int status;

        pid_t pid = (pid_t) syscall(SYS_clone3, &ca, sizeof ca);
        if (pid < 0)
                return -errno;
        if (pid == 0) {
                execve(argv[0], argv, envp);
                _exit(127);
        }
        if (waitpid(pid, &status, 0) < 0)
                return -errno;
        return WIFEXITED(status) && WEXITSTATUS(status) == 0 ? 0 : -EIO;
}

static int run_command(char **argv) {
        int status;
        pid_t pid = fork();
        if (pid < 0)
                return -errno;
        if (pid == 0) {
                execv(argv[0], argv);
                _exit(127);
        }
        if (waitpid(pid, &status, 0) < 0)
                return -errno;
        return WIFEXITED(status) && WEXITSTATUS(status) == 0 ? 0 : -EIO;
}

static char *unshare_argv[] = { "/usr/bin/unshare", "-pmnuiCf", "--mount-proc", "/bin/true", NULL };
static char *bwrap_argv[] = { "/usr/bin/bwrap", "--unshare-all", "--dev-bind", "/", "/", "/bin/true", NULL };

enum { FULL, BARE, UNSHARE, BWRAP, N_KINDS };
static const char * const kind_names[N_KINDS] = {
        "full sandbox", "bare clone3 + exec", "unshare -pmnuiCf --mount-proc", "bwrap --unshare-all",
};

static int run_one(int kind, const SandboxPrepared *p, int cg) {
        switch (kind) {
        case FULL:
                return run_full(p, cg);
        case BARE:
                return run_bare();
        case UNSHARE:
                return run_command(unshare_argv);
        default:
                return run_command(bwrap_argv);
        }
}

int main(int argc, char **argv) {
        /* pgs-sandbox-bench [--sequential] [starts] */
        bool sequential = argc > 1 && streq(argv[1], "--sequential");
        if (sequential) {
                argc--;
                argv++;
        }
        int n = argc > 1 ? atoi(argv[1]) : 200;
        char *true_argv[] = { "/bin/true", NULL };
        char cg_path[128] = "";
        int cg = -EBADF, r;

        if (geteuid() != 0) {
                fprintf(stderr, "pgs-sandbox-bench: needs root\n");
                return 77;
        }
        if (n < 1)
                n = 200;

        /* The shipped default profile, as a default policy gets it. */
        PolicySeccomp def = { .profile = POLICY_SECCOMP_PROFILE_DEFAULT, .action = POLICY_SECCOMP_ACTION_KILL };
        PolicySeccompSpec default_profile = {};
        r = policy_seccomp_resolve(&def, &default_profile);
        if (r < 0) {
                fprintf(stderr, "seccomp profile: %s\n", strerror(-r));
                return 1;
        }
        SandboxSeccompSpec spec = {
                .mode = SANDBOX_SECCOMP_DENY_LIST,
                .action = SANDBOX_SECCOMP_KILL_PROCESS,
                .syscalls = default_profile.syscalls,
                .ignore_unknown = true,
        };
        SandboxSeccompFilter *filter = NULL;
        double t0 = now();
        r = sandbox_seccomp_compile(&spec, &filter);
        if (r < 0) {
                fprintf(stderr, "seccomp: %s\n", strerror(-r));
                return 1;
        }
        double compile_us = now() - t0;

        SandboxConfig c = {
                .path = "/bin/true",
                .argv = true_argv,
                .namespaces = NAMESPACES,
                .hostname = "pgs-bench",
                .private_tmp = true,
                .no_new_privileges = true,
                .seccomp_filter = filter,
        };
        SandboxPrepared *p = NULL;
        r = sandbox_prepare(&c, &p, NULL);
        if (r < 0) {
                fprintf(stderr, "prepare: %s\n", strerror(-r));
                return 1;
        }

        /* cgroup2 at .../unified on a hybrid host, else /sys/fs/cgroup. */
        static const char * const cg_roots[] = { "/sys/fs/cgroup/unified", "/sys/fs/cgroup" };
        for (size_t i = 0; cg < 0 && i < ELEMENTSOF(cg_roots); i++) {
                struct statfs sfs;
                if (statfs(cg_roots[i], &sfs) < 0 || sfs.f_type != 0x63677270 /* CGROUP2_SUPER_MAGIC */)
                        continue;
                snprintf(cg_path, sizeof cg_path, "%s/pgs-bench-%d", cg_roots[i], (int) getpid());
                if (mkdir(cg_path, 0755) == 0)
                        cg = open(cg_path, O_DIRECTORY | O_RDONLY | O_CLOEXEC);
                else
                        cg_path[0] = 0;
        }

        double us[N_KINDS] = {};
        bool ok[N_KINDS] = {};
        for (int k = 0; k < N_KINDS; k++) {
                ok[k] = !((k == UNSHARE && access(unshare_argv[0], X_OK) < 0) ||
                          (k == BWRAP && access(bwrap_argv[0], X_OK) < 0));
                for (int i = 0; ok[k] && i < 10; i++) /* warm up */
                        (void) run_one(k, p, cg);
        }
        for (int step = 0; step < n * N_KINDS; step++) {
                /* Round-robin by default; --sequential: all starts of one
                 * kind, then the next kind. */
                int i = sequential ? step % n : step / N_KINDS;
                int k = sequential ? step / n : step % N_KINDS;
                if (!ok[k])
                        continue;
                double start = now();
                r = run_one(k, p, cg);
                us[k] += now() - start;
                if (r < 0) {
                        fprintf(stderr, "%s: start %d failed: %s\n", kind_names[k], i, strerror(-r));
                        return 1;
                }
        }
        for (int k = 0; k < N_KINDS; k++)
                us[k] /= n;

        printf("sandbox start benchmark (%s): %d starts each, seccomp filter %zu BPF instructions "
               "(compiled once in %.0f µs), cgroup: %s\n",
               sequential ? "sequential" : "round-robin", n, sandbox_seccomp_filter_size(filter), compile_us, cg >= 0 ? "yes (CLONE_INTO_CGROUP)" : "no");
        printf("%-32s %12s %10s\n", "", "µs/start", "× bare");
        for (int k = 0; k < N_KINDS; k++)
                if (ok[k])
                        printf("%-32s %12.0f %10.2f\n", kind_names[k], us[k], us[k] / us[BARE]);
                else
                        printf("%-32s %12s\n", kind_names[k], "n/a");

        if (cg >= 0) {
                close(cg);
                if (rmdir(cg_path) < 0)
                        fprintf(stderr, "rmdir %s: %m\n", cg_path);
        }
        sandbox_prepared_free(p);
        sandbox_seccomp_filter_unref(filter);
        return 0;
}
