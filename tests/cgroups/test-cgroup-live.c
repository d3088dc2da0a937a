/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* pgs-cgroup on the running kernel, with or without controllers: discovery,
 * create and destroy, moving processes, kill (cgroup.kill and the
 * freeze-signal-thaw fallback) of 100 sandboxes, delegation from a populated
 * cgroup, and the error a memory limit gets where there is no v2 memory
 * controller. Runs on the host (label privileged) and in the VM (label vm).
 * Every test removes what it made and proves it: cgroup.procs read empty,
 * every pid gone, every directory gone. */
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/xattr.h>
#include <sys/wait.h>
#include <linux/magic.h>
#include <linux/sched.h>
#include <sys/syscall.h>

#include "test-util.h"

#include "cg-test-lib.h"
#include "fileio.h"
#include "strv.h"

static void test_discover(void **state) {
        _cleanup_(cg_host_freep) CgHost *h = NULL;
        int r = cg_host_discover(&h);
        TEST_SKIP_UNLESS(r >= 0, "no cgroup2 mount (%s)", strerror(-r));

        struct statfs fs;
        assert_int_equal(statfs(h->mount, &fs), 0);
        assert_int_equal(fs.f_type, CGROUP2_SUPER_MAGIC);
        /* Where a v1 hierarchy holds memory, discovery saw it. */
        if (statfs("/sys/fs/cgroup/memory", &fs) == 0 && fs.f_type == CGROUP_SUPER_MAGIC)
                assert_true(h->v1 & CG_MASK(CG_CONTROLLER_MEMORY));
        if (h->v1 & CG_MASK(CG_CONTROLLER_MEMORY))
                assert_false(h->available & CG_MASK(CG_CONTROLLER_MEMORY));

        /* Our own cgroup is where the kernel says we are: its cgroup.procs lists us. */
        _cleanup_free_ char *dir = NULL;
        assert_true(asprintf(&dir, "%s%s", h->mount, h->own) > 0);
        _cleanup_close_ int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
        assert_true(fd >= 0);
        _cleanup_free_ pid_t *pids = NULL;
        size_t n;
        assert_int_equal(cg_read_procs_fd(fd, &pids, &n), 0);
        bool found = false;
        for (size_t i = 0; i < n; i++)
                found |= pids[i] == getpid();
        assert_true(found);
        printf("cgroup2 at %s, own %s, v2 controllers 0x%x, v1-bound 0x%x\n",
               h->mount, h->own, h->available, h->v1);
}

static void test_create_destroy(void **state) {
        CgTest t;
        cgt_setup(&t, "create");
        CgLimits l;
        cg_limits_init(&l);

        _cleanup_(cg_sandbox_freep) CgSandbox *s = NULL;
        assert_int_equal(cg_sandbox_create(t.root, "web", &l, &s), 0);
        _cleanup_free_ char *monitor = NULL, *payload = NULL;
        assert_true(asprintf(&monitor, "%s/monitor", s->path) > 0);
        assert_true(asprintf(&payload, "%s/payload/cgroup.procs", s->path) > 0);
        struct stat st;
        assert_int_equal(stat(monitor, &st), 0);
        assert_int_equal(stat(payload, &st), 0);

        /* The same name again is refused, and leaves the first alone. */
        CgSandbox *again = NULL;
        assert_int_equal(cg_sandbox_create(t.root, "web", &l, &again), -EEXIST);

        /* A name that is an interface file is escaped, and opens again by name. */
        _cleanup_(cg_sandbox_freep) CgSandbox *odd = NULL, *odd2 = NULL;
        assert_int_equal(cg_sandbox_create(t.root, "cgroup.procs", &l, &odd), 0);
        assert_non_null(strstr(odd->path, "/_cgroup.procs"));
        assert_int_equal(cg_sandbox_open(t.root, "cgroup.procs", &odd2), 0);
        assert_string_equal(odd2->path, odd->path);

        /* A restarted daemon finds both by their real names; a directory
         * that is not a sandbox is not listed. */
        char stray[512];
        snprintf(stray, sizeof stray, "%s/not-a-sandbox", t.root->path);
        assert_int_equal(mkdir(stray, 0755), 0);
        _cleanup_strv_free_ char **names = NULL;
        assert_int_equal(cg_root_list_sandboxes(t.root, &names), 0);
        assert_int_equal(strv_length(names), 2);
        assert_string_equal(names[0], "cgroup.procs");
        assert_string_equal(names[1], "web");
        assert_int_equal(rmdir(stray), 0);

        assert_int_equal(cg_sandbox_destroy(s, false, 5 * USEC_PER_SEC), 0);
        assert_int_equal(cg_sandbox_destroy(odd, false, 5 * USEC_PER_SEC), 0);
        strv_free(names);
        assert_int_equal(cg_root_list_sandboxes(t.root, &names), 0);
        assert_int_equal(strv_length(names), 0);
        cgt_assert_no_path(monitor);
        cgt_assert_no_path(odd->path);
        cgt_teardown(&t);
}

/* Configured roots: relative or absolute below the mount, nested, with
 * stray slashes; anything else is refused. */
static void test_root_paths(void **state) {
        _cleanup_(cg_host_freep) CgHost *h = NULL;
        int k = cg_host_discover(&h);
        TEST_SKIP_UNLESS(k >= 0, "no cgroup2 mount (%s)", strerror(-k));
        char top[64], rel[128], abs[512], expected[512];
        snprintf(top, sizeof top, "pgs-test-%d-paths", (int) getpid());
        cgt_track(h->mount, top);
        snprintf(rel, sizeof rel, "%s//nested/", top);
        snprintf(expected, sizeof expected, "%s/%s/nested", h->mount, top);

        _cleanup_(cg_root_freep) CgRoot *a = NULL, *b = NULL;
        assert_int_equal(cg_root_open(h, rel, false, &a), 0);
        assert_string_equal(a->path, expected);
        snprintf(abs, sizeof abs, "%s/%s/nested", h->mount, top);
        assert_int_equal(cg_root_open(h, abs, false, &b), 0);
        assert_string_equal(b->path, expected);
        /* Sandboxes below a nested root work like anywhere else. */
        CgLimits l;
        cg_limits_init(&l);
        _cleanup_(cg_sandbox_freep) CgSandbox *s = NULL;
        assert_int_equal(cg_sandbox_create(a, "x", &l, &s), 0);
        assert_int_equal(cg_sandbox_destroy(s, false, USEC_PER_SEC), 0);

        CgRoot *bad = NULL;
        assert_int_equal(cg_root_open(h, "/tmp/pgsandbox", false, &bad), -EXDEV);
        assert_int_equal(cg_root_open(h, "../escape", false, &bad), -EINVAL);
        assert_int_equal(cg_root_open(h, "/", false, &bad), -EXDEV);
        assert_int_equal(cg_root_open(h, h->mount, false, &bad), -EINVAL);
        assert_null(bad);

        _cleanup_close_ int mfd = open(h->mount, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
        assert_int_equal(cg_remove_tree_at(mfd, top), 0);
        snprintf(abs, sizeof abs, "%s/%s", h->mount, top);
        cgt_assert_no_path(abs);
}

static void test_move_processes(void **state) {
        CgTest t;
        cgt_setup(&t, "move");
        CgLimits l;
        cg_limits_init(&l);
        _cleanup_(cg_sandbox_freep) CgSandbox *s = NULL;
        assert_int_equal(cg_sandbox_create(t.root, "mover", &l, &s), 0);

        pid_t pid = cgt_spawn(s->monitor_fd, (char *[]) { (char *) "cg-double-forker", NULL }, true);
        _cleanup_free_ pid_t *pids = NULL;
        size_t n;
        assert_int_equal(cg_read_procs_fd(s->monitor_fd, &pids, &n), 0);
        assert_int_equal(n, 3);
        assert_int_equal(cg_is_populated_fd(s->payload_fd), 0);
        CgState st;
        assert_int_equal(cg_sandbox_read_state(s, &st), 0);
        assert_false(st.populated);

        /* Move them one by one into payload. */
        for (size_t i = 0; i < n; i++)
                assert_int_equal(cg_attach_fd(s->payload_fd, pids[i]), 0);
        size_t m;
        _cleanup_free_ pid_t *moved = NULL;
        assert_int_equal(cg_read_procs_fd(s->payload_fd, &moved, &m), 0);
        assert_int_equal(m, 3);
        assert_int_equal(cg_read_procs_fd(s->monitor_fd, NULL, &m), 0);
        assert_int_equal(m, 0);
        assert_int_equal(cg_sandbox_read_state(s, &st), 0);   /* the same kept fd, re-read */
        assert_true(st.populated);
        assert_false(st.frozen);
        char file[64], *text = NULL;
        snprintf(file, sizeof file, "/proc/%d/cgroup", (int) pid);
        assert_int_equal(read_full_file(file, 0, &text, NULL), 0);
        assert_non_null(strstr(text, "/mover/payload\n"));
        free(text);

        assert_int_equal(cg_sandbox_destroy(s, true, 5 * USEC_PER_SEC), 0);
        cgt_reap_all();
        cgt_assert_gone(pids, n);
        cgt_teardown(&t);
}

/* What the sandbox code will do with the payload fd: clone3() with
 * CLONE_INTO_CGROUP starts the child in payload, with no window in which it
 * runs anywhere else. */
static void test_clone_into_payload(void **state) {
        CgTest t;
        cgt_setup(&t, "clone3");
        CgLimits l;
        cg_limits_init(&l);
        _cleanup_(cg_sandbox_freep) CgSandbox *s = NULL;
        assert_int_equal(cg_sandbox_create(t.root, "clone3", &l, &s), 0);

        struct clone_args args = {
                .flags = CLONE_INTO_CGROUP,
                .exit_signal = SIGCHLD,
                .cgroup = (uint64_t) cg_sandbox_leaf_fd(s, CG_LEAF_PAYLOAD),
        };
        long pid = syscall(SYS_clone3, &args, sizeof args);
        if (pid < 0 && (errno == ENOSYS || errno == E2BIG)) {
                cgt_teardown(&t);
                TEST_SKIP_UNLESS(false, "this kernel has no clone3() with CLONE_INTO_CGROUP (5.7+)");
        }
        assert_true(pid >= 0);
        if (pid == 0) {
                for (;;)
                        pause();
        }
        _cleanup_free_ pid_t *pids = NULL;
        size_t n;
        assert_int_equal(cg_read_procs_fd(s->payload_fd, &pids, &n), 0);
        assert_int_equal(n, 1);
        assert_int_equal(pids[0], pid);
        assert_int_equal(cg_sandbox_destroy(s, true, 5 * USEC_PER_SEC), 0);
        cgt_reap_all();
        cgt_assert_gone(pids, n);
        cgt_teardown(&t);
}

#define N_KILL 100

static void kill_and_destroy_many(unsigned flags) {
        CgTest t;
        cgt_setup(&t, flags ? "killfb" : "kill");
        CgLimits l;
        cg_limits_init(&l);
        CgSandbox *s[N_KILL];
        pid_t pids[N_KILL * 3];
        size_t npids = 0;

        for (int i = 0; i < N_KILL; i++) {
                char name[32];
                snprintf(name, sizeof name, "svc-%d", i);
                assert_int_equal(cg_sandbox_create(t.root, name, &l, &s[i]), 0);
                (void) cgt_spawn(s[i]->payload_fd, (char *[]) { (char *) "cg-double-forker", NULL }, true);
                _cleanup_free_ pid_t *p = NULL;
                size_t n;
                assert_int_equal(cg_read_procs_fd(s[i]->payload_fd, &p, &n), 0);
                assert_int_equal(n, 3);     /* parent, child, reparented grandchild */
                memcpy(pids + npids, p, n * sizeof *p);
                npids += n;
        }

        usec_t start = now_usec(CLOCK_MONOTONIC);
        for (int i = 0; i < N_KILL; i++)
                assert_int_equal(cg_kill_fd(s[i]->fd, SIGKILL, flags), 0);
        for (int i = 0; i < N_KILL; i++) {
                assert_int_equal(cg_wait_events_fd(s[i]->fd, false, 10 * USEC_PER_SEC), 0);
                size_t n;
                assert_int_equal(cg_read_procs_fd(s[i]->payload_fd, NULL, &n), 0);
                assert_int_equal(n, 0);
                char *path = strdup(s[i]->path);
                assert_int_equal(cg_sandbox_destroy(s[i], false, 10 * USEC_PER_SEC), 0);
                cgt_assert_no_path(path);
                free(path);
                s[i] = cg_sandbox_free(s[i]);
        }
        printf("killed and removed %d sandboxes (%zu processes) in %.1f ms%s\n", N_KILL, npids,
               (double) (now_usec(CLOCK_MONOTONIC) - start) / 1000.0,
               flags ? " through freeze, signal, thaw" : " through cgroup.kill");

        cgt_reap_all();
        cgt_assert_gone(pids, npids);
        cgt_teardown(&t);
}

static void test_kill_destroy_100(void **state) {
        kill_and_destroy_many(0);
}

static void test_kill_destroy_100_fallback(void **state) {
        kill_and_destroy_many(CG_KILL_NO_CGROUP_KILL);
}

static void test_signal_term(void **state) {
        CgTest t;
        cgt_setup(&t, "term");
        CgLimits l;
        cg_limits_init(&l);
        _cleanup_(cg_sandbox_freep) CgSandbox *s = NULL;
        assert_int_equal(cg_sandbox_create(t.root, "term", &l, &s), 0);
        (void) cgt_spawn(s->payload_fd, (char *[]) { (char *) "cg-double-forker", NULL }, true);
        /* TERM goes to every process (frozen, so none can fork meanwhile);
         * the helpers die of it. */
        assert_int_equal(cg_sandbox_kill(s, CG_LEAF_PAYLOAD, SIGTERM), 0);
        assert_int_equal(cg_wait_events_fd(s->payload_fd, false, 10 * USEC_PER_SEC), 0);
        uint64_t frozen;
        assert_int_equal(cg_read_keyed_at(s->payload_fd, "cgroup.events", "frozen", &frozen), 0);
        assert_int_equal(frozen, 0);   /* thawed again */
        assert_int_equal(cg_sandbox_destroy(s, false, 5 * USEC_PER_SEC), 0);
        cgt_reap_all();
        cgt_teardown(&t);
}

/* Delegation: a "service" cgroup that already holds processes (the daemon and
 * a helper it started), as systemd leaves a Delegate=yes unit. The daemon
 * (a child here) opens the root in delegated mode: every process moves into
 * <service>/supervisor, and a sandbox with limits can then be created, which
 * enables controllers in <service>/cgroup.subtree_control. Without the move
 * that write fails with EBUSY. */
static int delegated_daemon(const char *service_rel, bool marked, int report) {
        _cleanup_(cg_host_freep) CgHost *h = NULL;
        _cleanup_(cg_root_freep) CgRoot *r = NULL;
        _cleanup_(cg_sandbox_freep) CgSandbox *s = NULL;
        CgLimits l;
        int k = cg_host_discover(&h);
        if (k >= 0 && !streq(h->own, service_rel))
                k = -ESRCH;
        if (k >= 0 && marked && cg_host_own_delegated(h) != 1)
                k = -ENOTRECOVERABLE;
        if (k >= 0 && !marked && cg_host_own_delegated(h) != 0)
                k = -ENOTRECOVERABLE;
        if (k >= 0)
                k = cg_root_open(h, NULL, true, &r);
        cg_limits_init(&l);
        if (k >= 0 && (r->supported & CG_MASK(CG_CONTROLLER_MEMORY)))
                l.memory_max = 64 << 20;
        if (k >= 0 && (r->supported & CG_MASK(CG_CONTROLLER_PIDS)))
                l.pids_max = 100;
        if (k >= 0)
                k = cg_sandbox_create(r, "deleg", &l, &s);
        (void) !write(report, &k, sizeof k);
        pause();
        return 0;
}

static void test_delegation(void **state) {
        _cleanup_(cg_host_freep) CgHost *h = NULL;
        int k = cg_host_discover(&h);
        TEST_SKIP_UNLESS(k >= 0, "no cgroup2 mount (%s)", strerror(-k));
        CgMask want = h->available & (CG_MASK(CG_CONTROLLER_MEMORY) | CG_MASK(CG_CONTROLLER_PIDS));

        /* What systemd does for the unit: the controllers made available to it
         * from the top (the root cgroup may have processes), and its cgroup. */
        _cleanup_close_ int mfd = open(h->mount, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
        assert_true(mfd >= 0);
        assert_int_equal(cg_enable_controllers_fd(mfd, want), 0);
        char service[64];
        snprintf(service, sizeof service, "pgs-test-%d-deleg.service", (int) getpid());
        assert_int_equal(mkdirat(mfd, service, 0755), 0);
        cgt_track(h->mount, service);
        char spath[256];
        snprintf(spath, sizeof spath, "%s/%s", h->mount, service);
        /* systemd marks a delegated cgroup; we see the mark. */
        bool marked = setxattr(spath, "trusted.delegate", "1", 1, 0) == 0;
        printf("trusted.delegate %s\n", marked ? "set: cg_host_own_delegated() must see it"
                                             : "not supported here");
        _cleanup_close_ int sfd = cgt_open_dir(mfd, service);

        pid_t helper = cgt_spawn(sfd, (char *[]) { (char *) "cg-double-forker", NULL }, true);
        if (want) {
                /* The rule delegation has to work around. */
                char buf[32];
                snprintf(buf, sizeof buf, "+%s", (want & CG_MASK(CG_CONTROLLER_MEMORY)) ? "memory" : "pids");
                assert_int_equal(write_string_file_at(sfd, "cgroup.subtree_control", buf), -EBUSY);
        }

        int p[2];
        assert_int_equal(pipe2(p, O_CLOEXEC), 0);
        pid_t daemon = fork();
        assert_true(daemon >= 0);
        if (daemon == 0) {
                if (cg_attach_fd(sfd, 0) < 0)
                        _exit(126);
                char rel[80];
                snprintf(rel, sizeof rel, "/%s", service);
                _exit(delegated_daemon(rel, marked, p[1]));
        }
        close(p[1]);
        int result = 1;
        assert_int_equal(read(p[0], &result, sizeof result), sizeof result);
        close(p[0]);
        assert_int_equal(result, 0);

        /* Everything moved: the service cgroup holds no process itself. */
        size_t n;
        assert_int_equal(cg_read_procs_fd(sfd, NULL, &n), 0);
        assert_int_equal(n, 0);
        _cleanup_close_ int supfd = cgt_open_dir(sfd, CG_SUPERVISOR_LEAF);
        _cleanup_free_ pid_t *pids = NULL;
        assert_int_equal(cg_read_procs_fd(supfd, &pids, &n), 0);
        assert_int_equal(n, 4);   /* the daemon and the helper's three */
        bool has_daemon = false, has_helper = false;
        for (size_t i = 0; i < n; i++) {
                has_daemon |= pids[i] == daemon;
                has_helper |= pids[i] == helper;
        }
        assert_true(has_daemon && has_helper);

        /* The controllers are on: in the service and in the sandbox. */
        CgMask enabled;
        assert_int_equal(cg_read_mask_at(sfd, "cgroup.subtree_control", &enabled), 0);
        assert_int_equal(enabled, want);
        _cleanup_close_ int dfd = cgt_open_dir(sfd, "deleg");
        _cleanup_close_ int pfd = cgt_open_dir(dfd, "payload");
        assert_int_equal(cg_read_mask_at(pfd, "cgroup.controllers", &enabled), 0);
        assert_int_equal(enabled, want);
        if (want & CG_MASK(CG_CONTROLLER_MEMORY)) {
                uint64_t v;
                assert_int_equal(cg_read_u64_at(pfd, "memory.max", &v), 0);
                assert_int_equal(v, 64 << 20);
                assert_int_equal(cg_read_u64_at(pfd, "memory.oom.group", &v), 0);
                assert_int_equal(v, 1);
        } else
                printf("no v2 controllers here: checked the move only\n");

        /* Clean up and prove it. */
        assert_int_equal(cg_kill_fd(sfd, SIGKILL, 0), 0);
        assert_int_equal(cg_wait_events_fd(sfd, false, 10 * USEC_PER_SEC), 0);
        cgt_reap_all();
        cgt_assert_gone(pids, n);
        assert_int_equal(cg_remove_tree_at(mfd, service), 0);
        char path[256];
        snprintf(path, sizeof path, "%s/%s", h->mount, service);
        cgt_assert_no_path(path);
}

typedef struct PopulatedSeen {
        unsigned calls;
        bool populated;
} PopulatedSeen;

static void on_populated(CgSandbox *s, const CgCounters *now, const CgCounters *delta, void *userdata) {
        PopulatedSeen *seen = userdata;
        seen->calls++;
        seen->populated = now->populated;
}

static void watch_until_populated(CgWatch *w, PopulatedSeen *seen, bool want) {
        usec_t deadline = now_usec(CLOCK_MONOTONIC) + 10 * USEC_PER_SEC;
        while (seen->populated != want) {
                usec_t n = now_usec(CLOCK_MONOTONIC);
                if (n >= deadline)
                        fail_msg("the watch did not report populated %d", want);
                struct pollfd p = { .fd = cg_watch_fd(w), .events = POLLIN };
                assert_true(poll(&p, 1, (int) ((deadline - n) / USEC_PER_MSEC) + 1) >= 0);
                assert_true(cg_watch_process(w) >= 0);
        }
}

/* The watch without any controller: cgroup.events tells it when the payload
 * gains and loses its processes, as an event (poll on the inotify fd). */
static void test_watch_populated(void **state) {
        CgTest t;
        cgt_setup(&t, "watch");
        CgLimits l;
        cg_limits_init(&l);
        _cleanup_(cg_sandbox_freep) CgSandbox *s = NULL;
        assert_int_equal(cg_sandbox_create(t.root, "watched", &l, &s), 0);
        _cleanup_(cg_watch_freep) CgWatch *w = NULL;
        PopulatedSeen seen = {};
        assert_int_equal(cg_watch_new(&w), 0);
        assert_int_equal(cg_watch_add(w, s, on_populated, &seen), 0);
        assert_int_equal(cg_watch_add(w, s, on_populated, &seen), -EEXIST);
        assert_int_equal(cg_watch_process(w), 0);   /* nothing happened yet */

        (void) cgt_spawn(s->payload_fd, (char *[]) { (char *) "cg-double-forker", NULL }, true);
        watch_until_populated(w, &seen, true);
        unsigned calls = seen.calls;
        assert_int_equal(cg_sandbox_kill(s, CG_LEAF_PAYLOAD, SIGKILL), 0);
        watch_until_populated(w, &seen, false);
        assert_true(seen.calls > calls);

        /* The explicit read finds nothing new. */
        assert_int_equal(cg_watch_sync(w, s), 0);
        CgCounters last;
        assert_int_equal(cg_watch_get(w, s, &last, NULL), 0);
        assert_false(last.populated);
        assert_int_equal(cg_watch_remove(w, s), 0);
        assert_int_equal(cg_watch_remove(w, s), -ENOENT);
        assert_int_equal(cg_sandbox_destroy(s, false, 5 * USEC_PER_SEC), 0);
        cgt_reap_all();
        cgt_teardown(&t);
}

static void test_memory_limit_error(void **state) {
        CgTest t;
        cgt_setup(&t, "nomem");
        if (t.root->supported & CG_MASK(CG_CONTROLLER_MEMORY)) {
                cgt_teardown(&t);
                TEST_SKIP_UNLESS(false, "this host gives cgroup v2 the memory controller, so a "
                                        "MemoryMax= policy is valid here (the limit is tested in the VM tier)");
        }
        CgLimits l;
        cg_limits_init(&l);
        l.memory_max = 32 << 20;
        _cleanup_free_ char *msg = NULL;
        assert_int_equal(cg_limits_check(t.root, &l, &msg), -EOPNOTSUPP);
        printf("%s\n", msg);
        if (t.host->v1 & CG_MASK(CG_CONTROLLER_MEMORY)) {
                static const char expected[] =
                        "MemoryMax= needs the cgroup v2 memory controller, which this host does not provide: "
                        "the memory controller is bound to cgroup v1";
                assert_true(strneq(msg, expected, strlen(expected)));
        } else
                assert_true(strneq(msg, "MemoryMax= needs the cgroup v2 memory controller", 48));

        /* Never a silent run without the limit: create refuses, leaves nothing. */
        CgSandbox *s = NULL;
        assert_int_equal(cg_sandbox_create(t.root, "greedy", &l, &s), -EOPNOTSUPP);
        assert_null(s);
        char path[512];
        snprintf(path, sizeof path, "%s/greedy", t.root->path);
        cgt_assert_no_path(path);
        cgt_teardown(&t);
}

int main(int argc, char *argv[]) {
        struct CMUnitTest tests[] = {
                cmocka_unit_test(test_discover),
                cmocka_unit_test(test_create_destroy),
                cmocka_unit_test(test_root_paths),
                cmocka_unit_test(test_move_processes),
                cmocka_unit_test(test_clone_into_payload),
                cmocka_unit_test(test_kill_destroy_100),
                cmocka_unit_test(test_kill_destroy_100_fallback),
                cmocka_unit_test(test_signal_term),
                cmocka_unit_test(test_delegation),
                cmocka_unit_test(test_watch_populated),
                cmocka_unit_test(test_memory_limit_error),
        };
        /* Every test cleans up after a failure too (a list of
         * cmocka_unit_test() lines, which tests/CMakeLists.txt reads). */
        for (size_t i = 0; i < ELEMENTSOF(tests); i++)
                tests[i].teardown_func = cgt_cleanup;
        cgt_init();
        return pgs_run_tests(argc, argv, tests);
}
