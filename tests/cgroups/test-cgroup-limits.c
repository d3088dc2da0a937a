/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Limits on a real kernel with the v2 controllers: OOM under MemoryMax=,
 * a fork bomb under PidsMax=, a busy loop under CPUQuota=. Needs memory,
 * pids and cpu in cgroup v2, so it runs in the VM tier (label vm) and skips
 * elsewhere. The counters are checked as the daemon will see them: through
 * the inotify watch, then the explicit read after the exit. */
#include <poll.h>
#include <signal.h>
#include <sys/wait.h>

#include "test-util.h"

#include "cg-test-lib.h"
#include "fileio.h"

typedef struct Seen {
        unsigned calls;
        CgCounters sum;     /* sum of the deltas the handler got */
} Seen;

static void on_change(CgSandbox *s, const CgCounters *now, const CgCounters *delta, void *userdata) {
        Seen *seen = userdata;
        seen->calls++;
        seen->sum.memory_oom_kill += delta->memory_oom_kill == CG_COUNTER_UNKNOWN ? 0 : delta->memory_oom_kill;
        seen->sum.memory_oom_group_kill +=
                delta->memory_oom_group_kill == CG_COUNTER_UNKNOWN ? 0 : delta->memory_oom_group_kill;
        seen->sum.pids_max += delta->pids_max == CG_COUNTER_UNKNOWN ? 0 : delta->pids_max;
}

/* Runs the watch as the daemon's event loop would, until done(seen) or the
 * timeout. */
static void watch_until(CgWatch *w, Seen *seen, bool (*done)(const Seen *), usec_t timeout) {
        usec_t deadline = now_usec(CLOCK_MONOTONIC) + timeout;
        while (!done(seen)) {
                usec_t n = now_usec(CLOCK_MONOTONIC);
                if (n >= deadline)
                        fail_msg("the watch did not report the expected event in time");
                struct pollfd p = { .fd = cg_watch_fd(w), .events = POLLIN };
                assert_true(poll(&p, 1, (int) ((deadline - n) / USEC_PER_MSEC) + 1) >= 0);
                assert_true(cg_watch_process(w) >= 0);
        }
}

static bool saw_oom(const Seen *s) {
        return s->sum.memory_oom_kill > 0 && s->sum.memory_oom_group_kill > 0;
}

static void test_oom(void **state) {
        CgTest t;
        cgt_setup(&t, "oom");
        cgt_require_controllers(&t, CG_MASK(CG_CONTROLLER_MEMORY));
        CgLimits l;
        cg_limits_init(&l);
        l.memory_max = 32 << 20;
        _cleanup_(cg_sandbox_freep) CgSandbox *s = NULL;
        assert_int_equal(cg_sandbox_create(t.root, "oom", &l, &s), 0);
        _cleanup_(cg_watch_freep) CgWatch *w = NULL;
        Seen seen = {};
        assert_int_equal(cg_watch_new(&w), 0);
        assert_int_equal(cg_watch_add(w, s, on_change, &seen), 0);

        pid_t pid = cgt_spawn(s->payload_fd, (char *[]) { (char *) "cg-memhog", (char *) "256", NULL }, false);
        int status;
        assert_int_equal(waitpid(pid, &status, 0), pid);
        assert_true(WIFSIGNALED(status));
        assert_int_equal(WTERMSIG(status), SIGKILL);

        watch_until(w, &seen, saw_oom, 10 * USEC_PER_SEC);
        _cleanup_free_ char *raw = NULL;
        assert_int_equal(read_full_file_at(s->payload_fd, "memory.events", 0, &raw, NULL), 0);
        printf("memory.events after the kill:\n%s", raw);
        /* One group kill. oom_kill counts kill actions per task, and the
         * kernel (6.1 and later) kills the chosen victim, then every member
         * of the group, the victim again among them: a one-process payload
         * reads oom_kill 2. Either is one OOM death. */
        assert_int_equal(seen.sum.memory_oom_group_kill, 1);
        assert_true(seen.sum.memory_oom_kill >= 1 && seen.sum.memory_oom_kill <= 2);

        /* The explicit read after the exit agrees, and nothing more came. */
        assert_true(cg_watch_sync(w, s) >= 0);
        CgCounters total;
        assert_int_equal(cg_watch_get(w, s, NULL, &total), 0);
        assert_int_equal(total.memory_oom_kill, seen.sum.memory_oom_kill);
        assert_int_equal(total.memory_oom_group_kill, 1);
        assert_true(total.memory_max > 0);
        assert_int_not_equal(total.memory_peak, CG_COUNTER_UNKNOWN);
        assert_true(total.memory_peak >= 16 << 20 && total.memory_peak <= 32 << 20);
        printf("oom_kill +%llu, oom_group_kill +%llu, max events +%llu, memory.peak %.1f MiB, "
               "handler called %u times\n",
               (unsigned long long) total.memory_oom_kill, (unsigned long long) total.memory_oom_group_kill,
               (unsigned long long) total.memory_max, (double) total.memory_peak / (1 << 20), seen.calls);

        assert_int_equal(cg_watch_remove(w, s), 0);
        assert_int_equal(cg_sandbox_destroy(s, true, 5 * USEC_PER_SEC), 0);
        cgt_reap_all();
        cgt_assert_gone(&pid, 1);
        cgt_teardown(&t);
}

static bool saw_pids_max(const Seen *s) {
        return s->sum.pids_max > 0;
}

static void test_fork_bomb(void **state) {
        CgTest t;
        cgt_setup(&t, "pids");
        cgt_require_controllers(&t, CG_MASK(CG_CONTROLLER_PIDS));
        CgLimits l;
        cg_limits_init(&l);
        l.pids_max = 16;
        _cleanup_(cg_sandbox_freep) CgSandbox *s = NULL;
        assert_int_equal(cg_sandbox_create(t.root, "bomb", &l, &s), 0);
        _cleanup_(cg_watch_freep) CgWatch *w = NULL;
        Seen seen = {};
        assert_int_equal(cg_watch_new(&w), 0);
        assert_int_equal(cg_watch_add(w, s, on_change, &seen), 0);

        (void) cgt_spawn(s->payload_fd, (char *[]) { (char *) "cg-forkbomb", NULL }, false);
        watch_until(w, &seen, saw_pids_max, 20 * USEC_PER_SEC);

        /* It keeps hitting the limit; it never gets past it; and we, outside,
         * can still fork and be scheduled promptly. */
        uint64_t most = 0;
        usec_t slowest = 0;
        for (int i = 0; i < 50; i++) {
                uint64_t cur;
                size_t n;
                assert_int_equal(cg_read_u64_at(s->payload_fd, "pids.current", &cur), 0);
                assert_int_equal(cg_read_procs_fd(s->payload_fd, NULL, &n), 0);
                assert_true(cur <= 16);
                assert_true(n <= 16);
                most = MAX(most, cur);

                usec_t t0 = now_usec(CLOCK_MONOTONIC);
                pid_t p = fork();
                assert_true(p >= 0);
                if (p == 0)
                        _exit(0);
                assert_int_equal(waitpid(p, NULL, 0), p);
                slowest = MAX(slowest, now_usec(CLOCK_MONOTONIC) - t0);
        }
        assert_true(slowest < 2 * USEC_PER_SEC);
        assert_true(cg_watch_sync(w, s) >= 0);
        CgCounters total;
        assert_int_equal(cg_watch_get(w, s, NULL, &total), 0);
        assert_true(total.pids_max > 0);
        printf("pids.current at most %llu of 16, pids.events max +%llu, slowest fork outside %.1f ms\n",
               (unsigned long long) most, (unsigned long long) total.pids_max, (double) slowest / 1000.0);

        assert_int_equal(cg_sandbox_kill(s, CG_LEAF_PAYLOAD, SIGKILL), 0);
        assert_int_equal(cg_wait_events_fd(s->payload_fd, false, 10 * USEC_PER_SEC), 0);
        size_t n;
        assert_int_equal(cg_read_procs_fd(s->payload_fd, NULL, &n), 0);
        assert_int_equal(n, 0);
        assert_int_equal(cg_watch_remove(w, s), 0);
        assert_int_equal(cg_sandbox_destroy(s, false, 5 * USEC_PER_SEC), 0);
        cgt_reap_all();
        cgt_teardown(&t);
}

static void test_cpu_quota(void **state) {
        CgTest t;
        cgt_setup(&t, "cpu");
        cgt_require_controllers(&t, CG_MASK(CG_CONTROLLER_CPU));
        CgLimits l;
        cg_limits_init(&l);
        l.cpu_quota_per_sec_usec = 200000;   /* CPUQuota=20% */
        _cleanup_(cg_sandbox_freep) CgSandbox *s = NULL;
        assert_int_equal(cg_sandbox_create(t.root, "busy", &l, &s), 0);
        CgCounters before, after, d;
        assert_int_equal(cg_sandbox_read_counters(s, &before), 0);

        usec_t t0 = now_usec(CLOCK_MONOTONIC);
        pid_t pid = cgt_spawn(s->payload_fd, (char *[]) { (char *) "cg-busy", (char *) "2", NULL }, false);
        int status;
        assert_int_equal(waitpid(pid, &status, 0), pid);
        usec_t wall = now_usec(CLOCK_MONOTONIC) - t0;
        assert_true(WIFEXITED(status) && WEXITSTATUS(status) == 0);

        assert_int_equal(cg_sandbox_read_counters(s, &after), 0);
        (void) cg_counters_diff(&before, &after, &d);
        double share = (double) d.cpu_usage_usec / (double) wall;
        printf("busy loop for %.2f s: usage %.3f s (%.1f%%), nr_throttled %llu, throttled %.2f s\n",
               (double) wall / 1e6, (double) d.cpu_usage_usec / 1e6, share * 100.0,
               (unsigned long long) d.cpu_nr_throttled, (double) d.cpu_throttled_usec / 1e6);
        assert_true(d.cpu_nr_throttled > 0);
        assert_true(share > 0.12 && share < 0.28);

        assert_int_equal(cg_sandbox_destroy(s, true, 5 * USEC_PER_SEC), 0);
        cgt_reap_all();
        cgt_teardown(&t);
}

/* Every limit lands in its file, and each sandbox gets exactly the
 * controllers its limits need. */
static void test_limits_written(void **state) {
        CgTest t;
        cgt_setup(&t, "write");
        cgt_require_controllers(&t, CG_MASK_ALL);
        CgLimits l;
        cg_limits_init(&l);
        l.memory_max = 256 << 20;
        l.memory_high = 200 << 20;
        l.memory_swap_max = 0;
        l.pids_max = 42;
        l.cpu_quota_per_sec_usec = 1500000;   /* CPUQuota=150% */
        l.cpu_weight = 250;
        _cleanup_(cg_sandbox_freep) CgSandbox *all = NULL, *pids = NULL, *acct = NULL;
        assert_int_equal(cg_sandbox_create(t.root, "all", &l, &all), 0);
        static const struct {
                const char *file, *value;
        } expected[] = {
                { "memory.max", "268435456\n" }, { "memory.high", "209715200\n" },
                { "memory.swap.max", "0\n" }, { "pids.max", "42\n" },
                { "cpu.max", "150000 100000\n" }, { "cpu.weight", "250\n" },
                { "memory.oom.group", "1\n" },
        };
        for (size_t i = 0; i < ELEMENTSOF(expected); i++) {
                _cleanup_free_ char *v = NULL;
                assert_int_equal(read_full_file_at(all->payload_fd, expected[i].file, 0, &v, NULL), 0);
                if (!streq(v, expected[i].value))
                        fail_msg("%s is '%s', expected '%s'", expected[i].file, v, expected[i].value);
        }
        CgMask m;
        assert_int_equal(cg_read_mask_at(all->payload_fd, "cgroup.controllers", &m), 0);
        assert_int_equal(m, CG_MASK_ALL);

        /* PidsMax= alone: only pids below <name>. */
        cg_limits_init(&l);
        l.pids_max = CG_LIMIT_MAX;
        assert_int_equal(cg_sandbox_create(t.root, "pids", &l, &pids), 0);
        assert_int_equal(cg_read_mask_at(pids->fd, "cgroup.subtree_control", &m), 0);
        assert_int_equal(m, CG_MASK(CG_CONTROLLER_PIDS));
        _cleanup_free_ char *v = NULL;
        assert_int_equal(read_full_file_at(pids->payload_fd, "pids.max", 0, &v, NULL), 0);
        assert_string_equal(v, "max\n");

        /* Accounting only: the controllers, no limit written. */
        cg_limits_init(&l);
        l.accounting = CG_MASK(CG_CONTROLLER_MEMORY);
        assert_int_equal(cg_sandbox_create(t.root, "acct", &l, &acct), 0);
        assert_int_equal(cg_read_mask_at(acct->payload_fd, "cgroup.controllers", &m), 0);
        assert_int_equal(m, CG_MASK(CG_CONTROLLER_MEMORY));
        CgCounters c;
        assert_int_equal(cg_sandbox_read_counters(acct, &c), 0);
        assert_int_not_equal(c.memory_current, CG_COUNTER_UNKNOWN);
        assert_int_equal(c.pids_current, CG_COUNTER_UNKNOWN);

        assert_int_equal(cg_sandbox_destroy(all, false, 5 * USEC_PER_SEC), 0);
        assert_int_equal(cg_sandbox_destroy(pids, false, 5 * USEC_PER_SEC), 0);
        assert_int_equal(cg_sandbox_destroy(acct, false, 5 * USEC_PER_SEC), 0);
        cgt_teardown(&t);
}

int main(int argc, char *argv[]) {
        struct CMUnitTest tests[] = {
                cmocka_unit_test(test_oom),
                cmocka_unit_test(test_fork_bomb),
                cmocka_unit_test(test_cpu_quota),
                cmocka_unit_test(test_limits_written),
        };
        /* Every test cleans up after a failure too (a list of
         * cmocka_unit_test() lines, which tests/CMakeLists.txt reads). */
        for (size_t i = 0; i < ELEMENTSOF(tests); i++)
                tests[i].teardown_func = cgt_cleanup;
        cgt_init();
        return pgs_run_tests(argc, argv, tests);
}
