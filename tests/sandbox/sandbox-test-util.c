/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <dirent.h>
#include <ftw.h>
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/wait.h>

#include "policy.h"
#include "sandbox-test-util.h"
#include "test-stage.h"

#include "fileio.h"

#ifndef CGROUP2_SUPER_MAGIC
#define CGROUP2_SUPER_MAGIC 0x63677270
#endif


static void closedirp_(DIR **d) {
        if (*d)
                closedir(*d);
}

static const char * const ns_names[] = { "mnt", "pid", "net", "uts", "ipc", "cgroup", "time", "user" };

const unsigned long test_default_namespaces =
        CLONE_NEWNS | CLONE_NEWPID | CLONE_NEWNET | CLONE_NEWUTS | CLONE_NEWIPC | CLONE_NEWCGROUP | CLONE_NEWTIME;

/* The syscalls of the default seccomp profile as the project ships it
 * (policies/seccomp/profiles.conf), resolved once: the sandbox tests check
 * the real profile, not a copy of it. */
char **test_default_deny(void) {
        static PolicySeccompSpec spec;
        if (!spec.syscalls) {
                PolicySeccomp def = { .profile = POLICY_SECCOMP_PROFILE_DEFAULT, .action = POLICY_SECCOMP_ACTION_KILL };
                assert_int_equal(policy_seccomp_resolve(&def, &spec), 0);
                assert_non_null(spec.syscalls);
        }
        return spec.syscalls;
}

void test_require_sandbox(void) {
        TEST_REQUIRE_ROOT();
        struct stat st;
        TEST_SKIP_UNLESS(stat("/proc/self/ns/pid", &st) == 0, "no pid namespaces in this kernel");
        TEST_SKIP_UNLESS(stat("/proc/self/ns/time", &st) == 0, "no time namespaces in this kernel");
}

void test_default_config(SandboxConfig *c, SandboxSeccompSpec *spec, char **argv) {
        *spec = (SandboxSeccompSpec) {
                .mode = SANDBOX_SECCOMP_DENY_LIST,
                .action = SANDBOX_SECCOMP_KILL_PROCESS,
                .syscalls = test_default_deny(),
                .ignore_unknown = true,
        };
        *c = (SandboxConfig) {
                .path = argv[0],
                .argv = argv,
                .namespaces = test_default_namespaces,
                .hostname = "pgs-test",
                .private_tmp = true,
                .no_new_privileges = true,
                .seccomp = spec,
        };
}

/* Where a sandbox mounts (in its own namespace) and so where a leak would
 * show up in ours: the fixed API and tmp paths, plus the paths the tests
 * configure (all under these prefixes). Other engineers' tests mount
 * elsewhere on this host at the same time; the filter keeps their mounts
 * out of the comparison. */
static const char * const watched_prefixes[] = {
        "/proc", "/sys", "/dev", "/tmp", "/var/tmp", "/var/lib/pgs-", "/run/pgs-sbx-", "/mnt/ro", "/usr",
        "/boot", "/efi",
};

static bool watched(const char *mount_point) {
        if (streq(mount_point, "/"))
                return true;
        for (size_t i = 0; i < ELEMENTSOF(watched_prefixes); i++)
                if (strneq(mount_point, watched_prefixes[i], strlen(watched_prefixes[i])))
                        return true;
        return false;
}

/* The test's mount table, lines with a watched mount point only. */
static char *read_mountinfo(void) {
        _cleanup_free_ char *s = NULL;
        char *out, *o;

        assert_int_equal(read_full_file("/proc/self/mountinfo", 0, &s, NULL), 0);
        out = o = calloc(1, strlen(s) + 1);
        assert_non_null(out);
        for (char *line = s, *next; line && *line; line = next) {
                char *e = strchrnul(line, '\n');
                next = *e ? e + 1 : e;
                char mp[4096] = "";
                /* "ID PARENT MAJ:MIN ROOT MOUNTPOINT ..." */
                if (sscanf(line, "%*s %*s %*s %*s %4095s", mp) == 1 && watched(mp)) {
                        memcpy(o, line, next - line);
                        o += next - line;
                }
        }
        return out;
}

static unsigned long ns_inode(const char *pid, const char *name) {
        char path[320];
        struct stat st;
        snprintf(path, sizeof path, "/proc/%s/ns/%s", pid, name);
        return stat(path, &st) == 0 ? (unsigned long) st.st_ino : 0;
}

/* Namespace inode numbers are reused as soon as a namespace is freed (and a
 * concurrent test creating its sandbox gets the same ones), so the proof
 * uses the mount namespace's 64-bit id, never reused (Linux 6.8+). */
#ifndef NS_GET_MNTNS_ID
#define NS_GET_MNTNS_ID _IOR(0xb7, 0x5, uint64_t)
#endif

static uint64_t mntns_id(const char *pid) {
        char path[320];
        uint64_t id = 0;
        snprintf(path, sizeof path, "/proc/%s/ns/mnt", pid);
        int fd = open(path, O_RDONLY | O_CLOEXEC);
        if (fd < 0)
                return 0;
        if (ioctl(fd, NS_GET_MNTNS_ID, &id) < 0)
                id = 0;
        close(fd);
        return id;
}

static void capture_namespaces(TestSandbox *t) {
        char pid[16];
        snprintf(pid, sizeof pid, "%d", (int) t->pid);
        t->n_ns_inodes = 0;
        for (size_t i = 0; i < ELEMENTSOF(ns_names); i++) {
                unsigned long ino = ns_inode(pid, ns_names[i]), own = ns_inode("self", ns_names[i]);
                if (ino != 0 && ino != own)
                        t->ns_inodes[t->n_ns_inodes++] = ino;
        }
        t->mntns_id = mntns_id(pid);
        t->mntns_inode = ns_inode(pid, "mnt");
}

/* No process anywhere is still in the sandbox's mount namespace (every
 * process of a sandbox is in it: unshare and setns are refused inside). */
static void assert_namespaces_gone(const TestSandbox *t) {
        _cleanup_(closedirp_) DIR *d = opendir("/proc");
        struct dirent *de;

        assert_non_null(d);
        if (t->mntns_inode == 0)
                return; /* the init was gone before we could look: nothing held its namespaces */
        while ((de = readdir(d))) {
                if (de->d_name[0] < '0' || de->d_name[0] > '9')
                        continue;
                if (ns_inode(de->d_name, "mnt") != t->mntns_inode)
                        continue;
                /* Same inode: ours only if the never-reused id agrees too. */
                uint64_t id = mntns_id(de->d_name);
                if (t->mntns_id == 0 || id == t->mntns_id)
                        fail_msg("process %s is still in the sandbox's mount namespace", de->d_name);
        }
}

void test_sandbox_start(TestSandbox *t, const SandboxConfig *c, int cgroup_fd) {
        int out[2];
        SandboxResult err = {};

        *t = (TestSandbox) { .out_fd = -EBADF };
        t->mountinfo_before = read_mountinfo();
        assert_int_equal(sandbox_prepare(c, &t->prepared, &err), 0);
        assert_int_equal(pipe2(out, O_CLOEXEC), 0);
        int stdio[3] = { -1, out[1], out[1] };
        int null = open("/dev/null", O_RDONLY | O_CLOEXEC);
        assert_true(null >= 0);
        stdio[0] = null;
        assert_int_equal(sandbox_spawn(t->prepared, cgroup_fd, stdio, &t->process), 0);
        safe_close(out[1]);
        safe_close(null);
        t->out_fd = out[0];
        t->pid = sandbox_process_pid(t->process);
        assert_true(t->pid > 0);
        /* The namespaces exist from clone3() on: look before a setup error
         * can end the init. */
        capture_namespaces(t);
        int r = sandbox_process_wait_started(t->process);
        assert_true(r >= 0);
        t->started = r > 0;
}

char *test_sandbox_read_line(TestSandbox *t) {
        char buf[4096];
        size_t n = 0;

        while (n + 1 < sizeof buf) {
                ssize_t k = read(t->out_fd, buf + n, 1);
                if (k < 0 && errno == EINTR)
                        continue;
                assert_true(k >= 0);
                if (k == 0 || buf[n] == '\n')
                        break;
                n++;
        }
        buf[n] = 0;
        return strdup(buf);
}

char *test_sandbox_finish(TestSandbox *t, SandboxResult *ret) {
        _cleanup_free_ char *out = NULL, *after = NULL;
        size_t n = 0, size = 0;

        for (;;) {
                if (n + 4096 > size) {
                        size = size * 2 + 8192;
                        out = realloc(out, size);
                        assert_non_null(out);
                }
                ssize_t k = read(t->out_fd, out + n, size - n - 1);
                if (k < 0 && errno == EINTR)
                        continue;
                assert_true(k >= 0);
                if (k == 0)
                        break;
                n += (size_t) k;
        }
        out[n] = 0;
        t->out_fd = safe_close(t->out_fd);
        if (getenv("PGS_TEST_VERBOSE"))
                fprintf(stderr, "--- sandbox output:\n%s---\n", out);

        assert_int_equal(sandbox_wait(t->process, ret), 0);

        /* From outside: the init is reaped (the pidfd says so: waitid on it
         * now fails with ECHILD) and its pid is free. */
        siginfo_t si = {};
        assert_int_equal(waitid(P_PIDFD, sandbox_process_pidfd(t->process), &si, WEXITED | WNOHANG), -1);
        assert_int_equal(errno, ECHILD);
        assert_int_equal(kill(t->pid, 0), -1);
        assert_int_equal(errno, ESRCH);
        t->process = sandbox_process_free(t->process);
        t->prepared = sandbox_prepared_free(t->prepared);

        assert_namespaces_gone(t);
        after = read_mountinfo();
        assert_string_equal(after, t->mountinfo_before);
        t->mountinfo_before = mfree(t->mountinfo_before);
        return TAKE_PTR(out);
}

char *test_sandbox_run(const SandboxConfig *c, int cgroup_fd, SandboxResult *ret) {
        TestSandbox t;
        test_sandbox_start(&t, c, cgroup_fd);
        return test_sandbox_finish(&t, ret);
}

char *test_result_description(const SandboxResult *r) {
        _cleanup_(crash_reason_freep) CrashReason *cr = NULL;
        assert_int_equal(sandbox_result_to_crash_reason(r, &cr), 0);
        return crash_reason_description(cr);
}

#define MAX_TRACKED 32
static char *tracked[MAX_TRACKED];
static size_t n_tracked;
static char *tracked_cgroups[MAX_TRACKED];
static size_t n_tracked_cgroups;

void test_track_path(const char *path) {
        assert_true(n_tracked < MAX_TRACKED);
        tracked[n_tracked] = strdup(path);
        assert_non_null(tracked[n_tracked]);
        n_tracked++;
}

const char *test_mkdtemp(const char *name) {
        char *p = NULL;
        assert_true(asprintf(&p, "/run/pgs-sbx-%s-XXXXXX", name) > 0);
        assert_non_null(mkdtemp(p));
        test_track_path(p);
        free(p);
        return tracked[n_tracked - 1];
}

static int remove_one(const char *path, const struct stat *st, int flag, struct FTW *ftw) {
        (void) remove(path);
        return 0;
}

int test_cleanup(void **state) {
        /* Newest first: later paths may live inside earlier ones. */
        while (n_tracked > 0) {
                char *p = tracked[--n_tracked];
                if (access(p, F_OK) == 0 || errno != ENOENT)
                        (void) nftw(p, remove_one, 16, FTW_DEPTH | FTW_PHYS | FTW_MOUNT);
                free(p);
        }
        while (n_tracked_cgroups > 0) {
                char *p = tracked_cgroups[--n_tracked_cgroups];
                if (access(p, F_OK) == 0) {
                        /* A failed test may have left a sandbox in it. */
                        char kill_path[512];
                        snprintf(kill_path, sizeof kill_path, "%s/cgroup.kill", p);
                        (void) write_string_file_at(AT_FDCWD, kill_path, "1");
                        for (int i = 0; i < 100 && rmdir(p) < 0 && errno == EBUSY; i++)
                                usleep(10000);
                }
                free(p);
        }
        return 0;
}

const char *test_cgroup_root(void) {
        /* Hybrid hosts (like this project's VM) have cgroup2 at .../unified;
         * pure cgroup v2 hosts at /sys/fs/cgroup. */
        static const char * const roots[] = { "/sys/fs/cgroup/unified", "/sys/fs/cgroup" };
        struct statfs sfs;
        for (size_t i = 0; i < ELEMENTSOF(roots); i++)
                if (statfs(roots[i], &sfs) == 0 && sfs.f_type == CGROUP2_SUPER_MAGIC)
                        return roots[i];
        return NULL;
}

int test_cgroup_new(char **ret_path) {
        static unsigned counter;
        const char *root = test_cgroup_root();
        char *path = NULL;

        TEST_SKIP_UNLESS(root, "no cgroup v2 hierarchy at /sys/fs/cgroup/unified or /sys/fs/cgroup");
        assert_true(asprintf(&path, "%s/pgs-test-%d-%u", root, (int) getpid(), counter++) > 0);
        assert_int_equal(mkdir(path, 0755), 0);
        assert_true(n_tracked_cgroups < MAX_TRACKED);
        tracked_cgroups[n_tracked_cgroups++] = strdup(path);
        int fd = open(path, O_DIRECTORY | O_RDONLY | O_CLOEXEC);
        assert_true(fd >= 0);
        *ret_path = path;
        return fd;
}

void test_cgroup_remove(char *path) {
        if (rmdir(path) < 0)
                fail_msg("rmdir %s: %s", path, strerror(errno));
        free(path);
}

/* The helper runs inside sandboxes: see tests/lib/test-stage.h. */
const char *test_helper_path(void) {
        return test_stage("pgs-sandbox-helper", PGS_SANDBOX_HELPER);
}

bool test_has_line(const char *s, const char *line) {
        size_t n = strlen(line);
        for (const char *p = s; p && *p;) {
                const char *e = strchrnul(p, '\n');
                if ((size_t) (e - p) == n && strneq(p, line, n))
                        return true;
                p = *e ? e + 1 : e;
        }
        return false;
}
