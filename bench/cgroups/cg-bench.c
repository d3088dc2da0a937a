/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* What pgs-cgroup costs next to the bare syscalls, measured in one run:
 *   1. create, limit and remove a sandbox cgroup (<name>/{monitor,payload})
 *      vs a bare mkdir+rmdir, and vs the same work done with bare syscalls;
 *   2. one pass reading the state of N sandboxes (what ps needs) vs a bare
 *      open+read+close of cgroup.events.
 * Prints figures; asserts nothing. Usage: cg-bench [N] (default 1000).
 * Limits are set where the host gives cgroup v2 the controllers (the VM). */
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <sys/resource.h>
#include <sys/stat.h>

#include "cgroup.h"
#include "fileio.h"
#include "time-util.h"

#define ROUNDS 3

static int n_cgroups = 1000;

static double us_per(usec_t t) {
        return (double) t / n_cgroups;
}

static const char *bench_mount, *bench_rootname;

/* On any error, nothing of the benchmark stays behind. */
static int die(const char *what, int r) {
        fprintf(stderr, "cg-bench: %s: %s\n", what, strerror(-r));
        if (bench_mount) {
                int fd = open(bench_mount, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
                if (fd >= 0) {
                        (void) cg_remove_tree_at(fd, bench_rootname);   /* no process: nothing to kill */
                        close(fd);
                }
        }
        return 1;
}

/* Each sandbox keeps four fds (the sandbox, its two leaves, cgroup.events),
 * as the daemon would; 1000 of them need more than the default 1024. */
static int raise_nofile(rlim_t want) {
        struct rlimit rl;
        if (getrlimit(RLIMIT_NOFILE, &rl) < 0)
                return -errno;
        if (rl.rlim_cur >= want)
                return 0;
        rl.rlim_cur = want;
        if (rl.rlim_max < want)
                rl.rlim_max = want;   /* root with CAP_SYS_RESOURCE (the VM) */
        if (setrlimit(RLIMIT_NOFILE, &rl) < 0) {
                if (getrlimit(RLIMIT_NOFILE, &rl) < 0)
                        return -errno;
                rl.rlim_cur = rl.rlim_max;
                if (setrlimit(RLIMIT_NOFILE, &rl) < 0 || rl.rlim_cur < want)
                        return -EMFILE;
        }
        return 0;
}

/* The same kernel work as cg_sandbox_create() + destroy, without the library. */
static int bare_same_work(int rootfd, const CgLimits *l, CgMask need, int i) {
        char name[32], file[64];
        snprintf(name, sizeof name, "s%d", i);
        if (mkdirat(rootfd, name, 0755) < 0)
                return -errno;
        int fd = openat(rootfd, name, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
        if (fd < 0)
                return -errno;
        if (need & CG_MASK(CG_CONTROLLER_MEMORY))
                (void) write_string_file_at(fd, "cgroup.subtree_control", "+memory");
        if (need & CG_MASK(CG_CONTROLLER_PIDS))
                (void) write_string_file_at(fd, "cgroup.subtree_control", "+pids");
        if (need & CG_MASK(CG_CONTROLLER_CPU))
                (void) write_string_file_at(fd, "cgroup.subtree_control", "+cpu");
        (void) mkdirat(fd, "monitor", 0755);
        (void) mkdirat(fd, "payload", 0755);
        if (need) {
                char v[64];
                snprintf(file, sizeof file, "payload/memory.max");
                snprintf(v, sizeof v, "%" PRIu64, l->memory_max);
                (void) write_string_file_at(fd, file, v);
                snprintf(v, sizeof v, "%" PRIu64, l->pids_max);
                (void) write_string_file_at(fd, "payload/pids.max", v);
                (void) write_string_file_at(fd, "payload/cpu.max", "50000 100000");
                (void) write_string_file_at(fd, "payload/cpu.weight", "100");
                (void) write_string_file_at(fd, "payload/memory.oom.group", "1");
        }
        close(fd);
        return 0;
}

static void bare_same_work_remove(int rootfd, int i) {
        char path[64];
        snprintf(path, sizeof path, "s%d/payload", i);
        (void) unlinkat(rootfd, path, AT_REMOVEDIR);
        snprintf(path, sizeof path, "s%d/monitor", i);
        (void) unlinkat(rootfd, path, AT_REMOVEDIR);
        snprintf(path, sizeof path, "s%d", i);
        (void) unlinkat(rootfd, path, AT_REMOVEDIR);
}

int main(int argc, char *argv[]) {
        if (argc > 1)
                n_cgroups = atoi(argv[1]);
        if (n_cgroups <= 0)
                return 2;
        int k = raise_nofile((rlim_t) n_cgroups * 4 + 64);
        if (k < 0)
                return die("raising RLIMIT_NOFILE", k);
        CgHost *h = NULL;
        CgRoot *root = NULL;
        char rootname[64];
        int r = cg_host_discover(&h);
        if (r < 0)
                return die("discovery", r);
        snprintf(rootname, sizeof rootname, "pgs-bench-%d", (int) getpid());
        r = cg_root_open(h, rootname, false, &root);
        if (r < 0)
                return die("root", r);
        bench_mount = h->mount;
        bench_rootname = rootname;

        CgLimits l;
        cg_limits_init(&l);
        CgMask all = CG_MASK_ALL;
        bool limits = (root->supported & all) == all;
        if (limits) {
                l.memory_max = 64 << 20;
                l.pids_max = 64;
                l.cpu_quota_per_sec_usec = 500000;
                l.cpu_weight = 100;
                r = cg_root_enable(root, all);
                if (r < 0)
                        return die("enable controllers", r);
        }
        CgMask need = cg_limits_mask(&l);
        printf("cgroup benchmark: %d cgroups, %s, limits: %s, best of %d rounds\n", n_cgroups, root->path,
               limits ? "MemoryMax PidsMax CPUQuota CPUWeight + oom.group" : "none (no v2 controllers here)",
               ROUNDS);

        usec_t best_mkdir = USEC_INFINITY, best_same = USEC_INFINITY, best_lib = USEC_INFINITY;
        CgSandbox **s = calloc((size_t) n_cgroups, sizeof *s);
        if (!s)
                return die("alloc", -ENOMEM);
        for (int round = 0; round < ROUNDS; round++) {
                char name[32];
                usec_t t0 = now_usec(CLOCK_MONOTONIC);
                for (int i = 0; i < n_cgroups; i++) {
                        snprintf(name, sizeof name, "b%d", i);
                        if (mkdirat(root->fd, name, 0755) < 0)
                                return die("mkdir", -errno);
                }
                for (int i = 0; i < n_cgroups; i++) {
                        snprintf(name, sizeof name, "b%d", i);
                        if (unlinkat(root->fd, name, AT_REMOVEDIR) < 0)
                                return die("rmdir", -errno);
                }
                usec_t t1 = now_usec(CLOCK_MONOTONIC);
                for (int i = 0; i < n_cgroups; i++)
                        if ((r = bare_same_work(root->fd, &l, need, i)) < 0)
                                return die("bare create", r);
                for (int i = 0; i < n_cgroups; i++)
                        bare_same_work_remove(root->fd, i);
                usec_t t2 = now_usec(CLOCK_MONOTONIC);
                for (int i = 0; i < n_cgroups; i++) {
                        snprintf(name, sizeof name, "svc-%d", i);
                        if ((r = cg_sandbox_create(root, name, &l, &s[i])) < 0)
                                return die("cg_sandbox_create", r);
                }
                for (int i = 0; i < n_cgroups; i++) {
                        if ((r = cg_sandbox_destroy(s[i], false, USEC_PER_SEC)) < 0)
                                return die("cg_sandbox_destroy", r);
                        s[i] = cg_sandbox_free(s[i]);
                }
                usec_t t3 = now_usec(CLOCK_MONOTONIC);
                best_mkdir = MIN(best_mkdir, t1 - t0);
                best_same = MIN(best_same, t2 - t1);
                best_lib = MIN(best_lib, t3 - t2);
        }
        printf("\ncreate + limit + remove, µs per sandbox cgroup\n");
        printf("  bare mkdir + rmdir of one directory          %8.1f\n", us_per(best_mkdir));
        printf("  bare syscalls doing the same work            %8.1f   (3 dirs%s)\n", us_per(best_same),
               limits ? ", 3 controllers, 5 limit files" : "");
        printf("  cg_sandbox_create + cg_sandbox_destroy       %8.1f   x%.2f of the same work, x%.2f of one mkdir\n",
               us_per(best_lib), (double) best_lib / (double) best_same, (double) best_lib / (double) best_mkdir);

        /* State of N sandboxes. */
        for (int i = 0; i < n_cgroups; i++) {
                char name[32];
                snprintf(name, sizeof name, "svc-%d", i);
                if ((r = cg_sandbox_create(root, name, &l, &s[i])) < 0)
                        return die("cg_sandbox_create", r);
        }
        usec_t best_bare = USEC_INFINITY, best_cold = USEC_INFINITY, best_warm = USEC_INFINITY,
               best_all = USEC_INFINITY;
        unsigned populated = 0;
        for (int round = 0; round < ROUNDS; round++) {
                usec_t t0 = now_usec(CLOCK_MONOTONIC);
                for (int i = 0; i < n_cgroups; i++) {
                        char path[512], buf[128];
                        snprintf(path, sizeof path, "%s/payload/cgroup.events", s[i]->path);
                        int fd = open(path, O_RDONLY | O_CLOEXEC);
                        if (fd < 0)
                                return die("open", -errno);
                        if (read(fd, buf, sizeof buf) <= 0)
                                return die("read", -EIO);
                        close(fd);
                        populated += buf[10] == '1';
                }
                usec_t t1 = now_usec(CLOCK_MONOTONIC);
                for (int i = 0; i < n_cgroups; i++)
                        s[i]->events_fd = safe_close(s[i]->events_fd);   /* cold: opens again */
                usec_t t2 = now_usec(CLOCK_MONOTONIC);
                for (int i = 0; i < n_cgroups; i++) {
                        CgState st;
                        if ((r = cg_sandbox_read_state(s[i], &st)) < 0)
                                return die("cg_sandbox_read_state", r);
                        populated += st.populated;
                }
                usec_t t3 = now_usec(CLOCK_MONOTONIC);
                for (int i = 0; i < n_cgroups; i++) {
                        CgState st;
                        if ((r = cg_sandbox_read_state(s[i], &st)) < 0)
                                return die("cg_sandbox_read_state", r);
                        populated += st.populated;
                }
                usec_t t4 = now_usec(CLOCK_MONOTONIC);
                for (int i = 0; i < n_cgroups; i++) {
                        CgCounters c;
                        if ((r = cg_sandbox_read_counters(s[i], &c)) < 0)
                                return die("cg_sandbox_read_counters", r);
                }
                usec_t t5 = now_usec(CLOCK_MONOTONIC);
                best_bare = MIN(best_bare, t1 - t0);
                best_cold = MIN(best_cold, t3 - t2);
                best_warm = MIN(best_warm, t4 - t3);
                best_all = MIN(best_all, t5 - t4);
        }
        printf("\nstate of %d sandboxes in one pass, µs per cgroup\n", n_cgroups);
        printf("  bare open + read + close of cgroup.events    %8.1f\n", us_per(best_bare));
        printf("  cg_sandbox_read_state, first pass (openat)   %8.1f   x%.2f\n", us_per(best_cold),
               (double) best_cold / (double) best_bare);
        printf("  cg_sandbox_read_state, kept fd (pread)       %8.1f   x%.2f\n", us_per(best_warm),
               (double) best_warm / (double) best_bare);
        printf("  cg_sandbox_read_counters, every counter      %8.1f   x%.2f (7 files; not what ps needs)\n",
               us_per(best_all), (double) best_all / (double) best_bare);
        if (populated)
                printf("  (%u populated reads: expected none)\n", populated);

        for (int i = 0; i < n_cgroups; i++) {
                if ((r = cg_sandbox_destroy(s[i], false, USEC_PER_SEC)) < 0)
                        return die("cg_sandbox_destroy", r);
                cg_sandbox_free(s[i]);
        }
        free(s);
        if (rmdir(root->path) < 0)
                return die("rmdir root", -errno);
        cg_root_free(root);
        cg_host_free(h);
        return 0;
}
