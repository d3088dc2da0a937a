/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The pure parts of pgs-cgroup: parsers, name escaping, limit formatting and
 * the error a policy gets on a host without the controller. No kernel. */
#include "test-util.h"

#include "cgroup.h"

#define HYBRID_MOUNTINFO                                                                          \
        "22 1 0:21 / /proc rw,nosuid - proc proc rw\n"                                            \
        "31 23 0:28 / /sys/fs/cgroup rw,relatime - tmpfs tmpfs rw,mode=755\n"                     \
        "32 31 0:29 / /sys/fs/cgroup/cpu,cpuacct rw,relatime shared:9 - cgroup cgroup rw,cpu,cpuacct\n" \
        "35 31 0:32 / /sys/fs/cgroup/memory rw,relatime - cgroup cgroup rw,memory\n"              \
        "39 31 0:36 / /sys/fs/cgroup/pids rw,relatime - cgroup cgroup rw,pids\n"                  \
        "40 31 0:37 / /sys/fs/cgroup/systemd rw,relatime - cgroup cgroup rw,xattr,name=systemd\n" \
        "41 31 0:38 / /sys/fs/cgroup/unified rw,relatime shared:5 - cgroup2 cgroup2 rw\n"

static void test_parse_mountinfo(void **state) {
        static const struct {
                const char *text;
                int r;
                const char *mount;
                CgMask v1;
        } table[] = {
                { HYBRID_MOUNTINFO, 0, "/sys/fs/cgroup/unified",
                  CG_MASK(CG_CONTROLLER_CPU) | CG_MASK(CG_CONTROLLER_MEMORY) | CG_MASK(CG_CONTROLLER_PIDS) },
                { "25 20 0:22 / /sys/fs/cgroup rw,nosuid shared:4 - cgroup2 cgroup2 rw,nsdelegate\n", 0,
                  "/sys/fs/cgroup", 0 },
                /* a bind mount of a subtree is not the mount */
                { "25 20 0:22 /sub /mnt/x rw - cgroup2 cgroup2 rw\n"
                  "26 20 0:22 / /mnt/my\\040cg rw - cgroup2 cgroup2 rw\n", 0, "/mnt/my cg", 0 },
                { "22 1 0:21 / /proc rw - proc proc rw\n", -ENOMEDIUM, NULL, 0 },
                { "", -ENOMEDIUM, NULL, 0 },
        };
        for (size_t i = 0; i < ELEMENTSOF(table); i++) {
                char *mount = NULL;
                CgMask v1 = 0xff;
                assert_int_equal(cg_parse_mountinfo(table[i].text, &mount, &v1), table[i].r);
                if (table[i].r < 0)
                        continue;
                assert_string_equal(mount, table[i].mount);
                assert_int_equal(v1, table[i].v1);
                free(mount);
        }
}

static void test_parse_proc_cgroup(void **state) {
        char *p = NULL;
        assert_int_equal(cg_parse_proc_cgroup("4:memory:/x\n0::/\n", &p), 0);
        assert_string_equal_free(p, "/");
        assert_int_equal(cg_parse_proc_cgroup("0::/system.slice/pgsandboxd.service\n", &p), 0);
        assert_string_equal_free(p, "/system.slice/pgsandboxd.service");
        assert_int_equal(cg_parse_proc_cgroup("1:name=systemd:/\n", &p), -ENOMEDIUM);
}

static void test_masks(void **state) {
        assert_int_equal(cg_mask_from_string("cpuset cpu io memory hugetlb pids rdma misc\n"),
                         CG_MASK_ALL);
        assert_int_equal(cg_mask_from_string("hugetlb"), 0);
        assert_int_equal(cg_mask_from_string(""), 0);
        assert_int_equal(cg_mask_from_string("memory"), CG_MASK(CG_CONTROLLER_MEMORY));
        assert_string_equal(cg_controller_to_string(CG_CONTROLLER_PIDS), "pids");
        assert_int_equal(cg_controller_from_string("cpu"), CG_CONTROLLER_CPU);
        assert_int_equal(cg_controller_from_string("cpuset"), -EINVAL);
}

static void test_parse_keyed(void **state) {
        static const char text[] = "low 0\nhigh 3\nmax 12\noom 1\noom_kill 1\noom_group_kill 1\n";
        uint64_t v;
        assert_int_equal(cg_parse_keyed(text, "max", &v), 0);
        assert_int_equal(v, 12);
        assert_int_equal(cg_parse_keyed(text, "oom", &v), 0);
        assert_int_equal(v, 1);
        assert_int_equal(cg_parse_keyed(text, "oom_group_kill", &v), 0);
        assert_int_equal(v, 1);
        assert_int_equal(cg_parse_keyed(text, "oom_kil", &v), -ENXIO);
        assert_int_equal(cg_parse_keyed("populated 0\nfrozen 1", "frozen", &v), 0);
        assert_int_equal(v, 1);
        assert_int_equal(cg_parse_keyed("max x\n", "max", &v), -EINVAL);
}

static void test_escape_names(void **state) {
        static const struct {
                const char *name, *escaped;
        } table[] = {
                { "web", "web" },
                { "web.1", "web.1" },
                { "cgroup.procs", "_cgroup.procs" },
                { "memory.max", "_memory.max" },
                { "pids.max", "_pids.max" },
                { "cpu.weight", "_cpu.weight" },
                { "io.x", "_io.x" },
                { "tasks", "_tasks" },
                { "release_agent", "_release_agent" },
                { "supervisor", "_supervisor" },
                { "_web", "__web" },
                { ".hidden", "_.hidden" },
                { "memoryhog", "memoryhog" },
        };
        for (size_t i = 0; i < ELEMENTSOF(table); i++) {
                char *e = NULL, *u = NULL;
                assert_int_equal(cg_escape_name(table[i].name, &e), 0);
                assert_string_equal(e, table[i].escaped);
                assert_int_equal(cg_unescape_name(e, &u), 0);
                assert_string_equal(u, table[i].name);
                free(e);
                free(u);
        }
        static const char * const bad[] = { "", ".", "..", "a/b", "a\nb", "/" };
        for (size_t i = 0; i < ELEMENTSOF(bad); i++) {
                char *e = NULL;
                assert_int_equal(cg_escape_name(bad[i], &e), -EINVAL);
        }
        char longname[300];
        memset(longname, 'a', sizeof longname - 1);
        longname[sizeof longname - 1] = 0;
        char *e = NULL;
        assert_int_equal(cg_escape_name(longname, &e), -EINVAL);
}

static void test_cpu_max(void **state) {
        char buf[64];
        assert_int_equal(cg_format_cpu_max(200000, buf, sizeof buf), 0);   /* CPUQuota=20% */
        assert_string_equal(buf, "20000 100000");
        assert_int_equal(cg_format_cpu_max(1500000, buf, sizeof buf), 0);  /* 150% */
        assert_string_equal(buf, "150000 100000");
        assert_int_equal(cg_format_cpu_max(1000, buf, sizeof buf), 0);     /* below the minimum */
        assert_string_equal(buf, "1000 100000");
        assert_int_equal(cg_format_cpu_max(CG_LIMIT_MAX, buf, sizeof buf), 0);
        assert_string_equal(buf, "max 100000");
}

static void test_limits_mask(void **state) {
        CgLimits l;
        cg_limits_init(&l);
        assert_int_equal(cg_limits_mask(&l), 0);
        l.memory_swap_max = 0;
        assert_int_equal(cg_limits_mask(&l), CG_MASK(CG_CONTROLLER_MEMORY));
        l.cpu_weight = 100;
        l.pids_max = CG_LIMIT_MAX;
        assert_int_equal(cg_limits_mask(&l), CG_MASK_ALL);
}

static void test_limits_check_messages(void **state) {
        CgRoot hybrid = {
                .path = (char *) "/sys/fs/cgroup/unified/pgsandbox",
                .v1 = CG_MASK_ALL,
        };
        CgLimits l;
        char *msg = NULL;

        cg_limits_init(&l);
        assert_int_equal(cg_limits_check(&hybrid, &l, &msg), 0);
        assert_null(msg);

        l.memory_max = 32 << 20;
        assert_int_equal(cg_limits_check(&hybrid, &l, NULL), -EOPNOTSUPP);
        assert_int_equal(cg_limits_check(&hybrid, &l, &msg), -EOPNOTSUPP);
        assert_string_equal_free(msg,
                "MemoryMax= needs the cgroup v2 memory controller, which this host does not provide: "
                "the memory controller is bound to cgroup v1 (fix: boot with cgroup_no_v1=memory or "
                "systemd.unified_cgroup_hierarchy=1, or remove MemoryMax= from the policy)");

        /* One line per key; a controller the parent has but did not delegate. */
        CgRoot undelegated = {
                .path = (char *) "/sys/fs/cgroup/system.slice/pgsandboxd.service",
                .delegated = true,
                .host_available = CG_MASK_ALL,
                .supported = CG_MASK(CG_CONTROLLER_MEMORY),
        };
        l.pids_max = 16;
        l.cpu_quota_per_sec_usec = 200000;
        assert_int_equal(cg_limits_check(&undelegated, &l, &msg), -EOPNOTSUPP);
        assert_non_null(strstr(msg, "PidsMax= needs the cgroup v2 pids controller, which is not delegated to "
                                    "/sys/fs/cgroup/system.slice/pgsandboxd.service"));
        assert_non_null(strstr(msg, "\nCPUQuota= needs the cgroup v2 cpu controller"));
        assert_null(strstr(msg, "MemoryMax"));
        free(msg);

        CgRoot nokernel = { .path = (char *) "/x" };
        cg_limits_init(&l);
        l.cpu_weight = 100;
        assert_int_equal(cg_limits_check(&nokernel, &l, &msg), -EOPNOTSUPP);
        assert_string_equal_free(msg,
                "CPUWeight= needs the cgroup v2 cpu controller, which this host does not provide: the "
                "kernel does not offer it to cgroup v2 (fix: a kernel with the cpu controller, or remove "
                "CPUWeight= from the policy)");
}

static void test_counters_diff(void **state) {
        CgCounters a = {
                .memory_oom_kill = 2, .memory_oom_group_kill = 1, .pids_max = 5,
                .memory_high = CG_COUNTER_UNKNOWN, .memory_max = 0, .memory_oom = 2,
                .cpu_usage_usec = 100, .cpu_nr_throttled = 0, .cpu_throttled_usec = 0,
                .memory_current = 10, .memory_peak = 20, .pids_current = 3,
        };
        CgCounters b = a, d;
        assert_false(cg_counters_diff(&a, &b, &d));
        assert_int_equal(d.memory_oom_kill, 0);
        assert_int_equal(d.memory_high, CG_COUNTER_UNKNOWN);
        b.memory_oom_kill = 3;
        b.memory_oom_group_kill = 2;
        b.cpu_usage_usec = 150;
        b.pids_current = 0;
        assert_true(cg_counters_diff(&a, &b, &d));
        assert_int_equal(d.memory_oom_kill, 1);
        assert_int_equal(d.memory_oom_group_kill, 1);
        assert_int_equal(d.pids_max, 0);
        assert_int_equal(d.cpu_usage_usec, 50);
        assert_int_equal(d.pids_current, 0);        /* gauges are copied */
        b = a;
        b.cpu_usage_usec = 500;                     /* cpu time alone is not an event */
        assert_false(cg_counters_diff(&a, &b, &d));
}

int main(int argc, char *argv[]) {
        const struct CMUnitTest tests[] = {
                cmocka_unit_test(test_parse_mountinfo),
                cmocka_unit_test(test_parse_proc_cgroup),
                cmocka_unit_test(test_masks),
                cmocka_unit_test(test_parse_keyed),
                cmocka_unit_test(test_escape_names),
                cmocka_unit_test(test_cpu_max),
                cmocka_unit_test(test_limits_mask),
                cmocka_unit_test(test_limits_check_messages),
                cmocka_unit_test(test_counters_diff),
        };
        return pgs_run_tests(argc, argv, tests);
}
