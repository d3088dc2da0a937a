/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The default sandbox seen from inside (what the service prints) and from
 * outside (exit status, cgroup, nothing left behind). Needs root. */
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <sys/stat.h>

#include "sandbox-test-util.h"

#include "fileio.h"

static char *run_default(char **argv, SandboxResult *res) {
        SandboxConfig c;
        SandboxSeccompSpec spec;
        test_default_config(&c, &spec, argv);
        return test_sandbox_run(&c, -EBADF, res);
}

static void assert_exited_zero(const SandboxResult *res) {
        assert_string_equal_free(test_result_description(res), "Exit code: 0");
}

static void test_status_privileges_dropped(void **state) {
        char *argv[] = { "/bin/grep", "-E", "^(Cap(Prm|Eff|Bnd|Amb|Inh)|NoNewPrivs|Seccomp):", "/proc/self/status",
                         NULL };
        SandboxResult res;
        char *cg_path = NULL;
        int cg = test_cgroup_new(&cg_path);
        SandboxConfig c;
        SandboxSeccompSpec spec;

        test_default_config(&c, &spec, argv);
        _cleanup_free_ char *out = test_sandbox_run(&c, cg, &res);
        safe_close(cg);
        test_cgroup_remove(cg_path);
        assert_exited_zero(&res);
        static const char * const expected[] = {
                "CapInh:\t0000000000000000", "CapPrm:\t0000000000000000", "CapEff:\t0000000000000000",
                "CapBnd:\t0000000000000000", "CapAmb:\t0000000000000000", "NoNewPrivs:\t1", "Seccomp:\t2",
        };
        for (size_t i = 0; i < ELEMENTSOF(expected); i++)
                if (!test_has_line(out, expected[i]))
                        fail_msg("'%s' not in:\n%s", expected[i], out);
}

/* The service leads a session of its own, without a controlling terminal
 * (fields 1, 6 and 7 of /proc/self/stat: pid, session, tty). */
static void test_own_session(void **state) {
        char *argv[] = { "/bin/sh", "-c", "exec cat /proc/self/stat", NULL };
        SandboxResult res;
        _cleanup_free_ char *out = run_default(argv, &res);
        assert_exited_zero(&res);
        const char *p = strrchr(out, ')');
        assert_non_null(p);
        int pid = atoi(out), ppid = 0, pgrp = 0, session = 0, tty = -1;
        char state_c;
        assert_int_equal(sscanf(p + 2, "%c %d %d %d %d", &state_c, &ppid, &pgrp, &session, &tty), 5);
        assert_int_equal(pid, 2);
        assert_int_equal(ppid, 1);
        assert_int_equal(session, 2);
        assert_int_equal(pgrp, 2);
        assert_int_equal(tty, 0);
}

static void test_namespaces_differ(void **state) {
        char *argv[] = { "/bin/sh", "-c",
                         "for n in mnt pid net uts ipc cgroup time user; do echo $n $(stat -L -c %i /proc/self/ns/$n); done",
                         NULL };
        SandboxResult res;
        _cleanup_free_ char *out = run_default(argv, &res);
        assert_exited_zero(&res);

        static const char * const names[] = { "mnt", "pid", "net", "uts", "ipc", "cgroup", "time", "user" };
        for (size_t i = 0; i < ELEMENTSOF(names); i++) {
                char path[64], line[96];
                struct stat st;
                snprintf(path, sizeof path, "/proc/self/ns/%s", names[i]);
                assert_int_equal(stat(path, &st), 0);
                snprintf(line, sizeof line, "%s %lu", names[i], (unsigned long) st.st_ino);
                bool same = test_has_line(out, line);
                /* Every namespace is new, except user: not asked for. */
                if (same != streq(names[i], "user"))
                        fail_msg("namespace %s: host inode %lu, sandbox said:\n%s", names[i],
                                 (unsigned long) st.st_ino, out);
        }
}

static void test_ps_shows_init_and_service_only(void **state) {
        char *argv[] = { "/bin/ps", "-e", "-o", "pid=,comm=", NULL };
        SandboxResult res;
        _cleanup_free_ char *out = run_default(argv, &res);
        assert_exited_zero(&res);

        int pid1 = 0, pid2 = 0;
        char comm1[32] = "", comm2[32] = "";
        assert_int_equal(sscanf(out, " %d %31s %d %31s", &pid1, comm1, &pid2, comm2), 4);
        assert_int_equal(pid1, 1);
        assert_string_equal(comm1, "pgs-init");
        assert_int_equal(pid2, 2);
        assert_string_equal(comm2, "ps");
        /* Exactly two lines: nothing of the host is visible. */
        int lines = 0;
        for (const char *p = out; *p; p++)
                lines += *p == '\n';
        assert_int_equal(lines, 2);
}

static void test_only_loopback_up(void **state) {
        char *argv[] = { "/bin/sh", "-c", "ls /sys/class/net; ip -o link show", NULL };
        SandboxResult res;
        _cleanup_free_ char *out = run_default(argv, &res);
        assert_exited_zero(&res);
        /* ls prints "lo", ip one line for lo with UP in its flags. */
        assert_true(test_has_line(out, "lo"));
        const char *ip = strstr(out, "1: lo: <");
        assert_non_null(ip);
        const char *end = strchr(ip, '>');
        assert_non_null(end);
        assert_non_null(memmem(ip, end - ip, ",UP", 3));
        assert_null(strstr(out, "2: "));
        int lines = 0;
        for (const char *p = out; *p; p++)
                lines += *p == '\n';
        assert_int_equal(lines, 2);
}

static void test_hostname(void **state) {
        char *argv[] = { "/bin/hostname", NULL };
        SandboxResult res;
        _cleanup_free_ char *out = run_default(argv, &res);
        assert_exited_zero(&res);
        assert_string_equal(out, "pgs-test\n");
        char host[256];
        assert_int_equal(gethostname(host, sizeof host), 0);
        assert_string_not_equal(host, "pgs-test");
}

static void test_read_only_path_erofs(void **state) {
        char *dir = (char *) test_mkdtemp("ro");
        char *argv[] = { (char *) test_helper_path(), "rw", dir, NULL };
        char *ro[] = { dir, NULL };
        SandboxConfig c;
        SandboxSeccompSpec spec;
        SandboxResult res;

        test_default_config(&c, &spec, argv);
        c.read_only_paths = ro;
        _cleanup_free_ char *out = test_sandbox_run(&c, -EBADF, &res);
        assert_string_equal(out, "rw: EROFS\n");
        assert_string_equal_free(test_result_description(&res), "Exit code: 1");

        /* The same directory is writable outside, and without the setting. */
        c.read_only_paths = NULL;
        _cleanup_free_ char *out2 = test_sandbox_run(&c, -EBADF, &res);
        assert_string_equal(out2, "rw: ok\n");
        assert_int_equal(rmdir(dir), 0);
}

static void test_inaccessible_paths(void **state) {
        char *dir = (char *) test_mkdtemp("inacc");
        char sub[64], file[64], secret[96];
        snprintf(sub, sizeof sub, "%s/dir", dir);
        snprintf(file, sizeof file, "%s/file", dir);
        snprintf(secret, sizeof secret, "%s/secret", sub);
        assert_int_equal(mkdir(sub, 0755), 0);
        assert_int_equal(write_file_atomic(secret, "s3cret\n", 7, 0644), 0);
        assert_int_equal(write_file_atomic(file, "s3cret\n", 7, 0644), 0);

        char script[512];
        snprintf(script, sizeof script, "ls %s; cat %s; cat %s; echo done", sub, secret, file);
        char *argv[] = { "/bin/sh", "-c", script, NULL };
        char *inacc[] = { sub, file, NULL };
        SandboxConfig c;
        SandboxSeccompSpec spec;
        SandboxResult res;

        test_default_config(&c, &spec, argv);
        c.inaccessible_paths = inacc;
        _cleanup_free_ char *out = test_sandbox_run(&c, -EBADF, &res);
        assert_exited_zero(&res);
        assert_null(strstr(out, "s3cret"));
        assert_non_null(strstr(out, "Permission denied"));
        assert_true(test_has_line(out, "done"));

        /* Untouched outside. */
        _cleanup_free_ char *content = NULL;
        assert_int_equal(read_full_file(secret, 0, &content, NULL), 0);
        assert_string_equal(content, "s3cret\n");
        assert_int_equal(unlink(secret), 0);
        assert_int_equal(unlink(file), 0);
        assert_int_equal(rmdir(sub), 0);
        assert_int_equal(rmdir(dir), 0);
}

static void test_private_tmp(void **state) {
        char marker[64];
        snprintf(marker, sizeof marker, "/tmp/pgs-sbx-host-marker-%d", (int) getpid());
        assert_int_equal(write_file_atomic(marker, "x", 1, 0644), 0);
        test_track_path(marker);

        char *argv[] = { "/bin/sh", "-c",
                         "ls -A /tmp; echo inside > /tmp/pgs-sbx-inside && echo written; stat -f -c %T /tmp", NULL };
        SandboxResult res;
        _cleanup_free_ char *out = run_default(argv, &res);
        assert_exited_zero(&res);
        assert_string_equal(out, "written\ntmpfs\n");
        assert_int_equal(access("/tmp/pgs-sbx-inside", F_OK), -1);
        assert_int_equal(unlink(marker), 0);
}

/* uid 0 without capabilities still owns root-owned files: the kernel's
 * global knobs must be read-only, or the service reaches the host. */
static void test_kernel_knobs_read_only(void **state) {
        char *argv[] = { (char *) test_helper_path(), "openw", "/proc/sys/kernel/core_pattern", "/proc/sysrq-trigger",
                         "/proc/sys/vm/drop_caches", "/sys/kernel/mm/transparent_hugepage/enabled", "/dev/null", NULL };
        SandboxResult res;
        _cleanup_free_ char *out = run_default(argv, &res);
        assert_exited_zero(&res);
        assert_true(test_has_line(out, "/proc/sys/kernel/core_pattern: EROFS"));
        assert_true(test_has_line(out, "/proc/sys/vm/drop_caches: EROFS"));
        assert_true(test_has_line(out, "/sys/kernel/mm/transparent_hugepage/enabled: EROFS"));
        assert_true(test_has_line(out, "/dev/null: ok"));
        /* Kernels without CONFIG_MAGIC_SYSRQ have no sysrq-trigger. */
        assert_true(test_has_line(out, "/proc/sysrq-trigger: EROFS") ||
                    (test_has_line(out, "/proc/sysrq-trigger: ENOENT") && access("/proc/sysrq-trigger", F_OK) < 0));
}

static void test_cgroup_placement(void **state) {
        char *cg_path = NULL;
        int cg = test_cgroup_new(&cg_path);
        char *argv[] = { (char *) test_helper_path(), "pause", NULL };
        SandboxConfig c;
        SandboxSeccompSpec spec;
        TestSandbox t;
        SandboxResult res;

        test_default_config(&c, &spec, argv);
        test_sandbox_start(&t, &c, cg);
        assert_true(t.started);
        _cleanup_free_ char *ready = test_sandbox_read_line(&t);
        assert_string_equal(ready, "ready");

        /* From outside: the init is in the cgroup, and so is the service. */
        char path[64], expected[128];
        _cleanup_free_ char *own = NULL, *procs = NULL;
        snprintf(path, sizeof path, "/proc/%d/cgroup", (int) t.pid);
        assert_int_equal(read_full_file(path, 0, &own, NULL), 0);
        snprintf(expected, sizeof expected, "0::%s", cg_path + strlen(test_cgroup_root()));
        if (!test_has_line(own, expected))
                fail_msg("'%s' not in %s:\n%s", expected, path, own);
        snprintf(path, sizeof path, "%s/cgroup.procs", cg_path);
        assert_int_equal(read_full_file(path, 0, &procs, NULL), 0);
        char pid[16];
        snprintf(pid, sizeof pid, "%d", (int) t.pid);
        assert_true(test_has_line(procs, pid));
        int n = 0;
        for (const char *p = procs; *p; p++)
                n += *p == '\n';
        assert_int_equal(n, 2); /* init and service */

        /* The init, once the service runs, keeps only CAP_KILL,
         * CAP_SYS_PTRACE and CAP_DAC_READ_SEARCH. */
        _cleanup_free_ char *init_status = NULL;
        snprintf(path, sizeof path, "/proc/%d/status", (int) t.pid);
        assert_int_equal(read_full_file(path, 0, &init_status, NULL), 0);
        assert_non_null(strstr(init_status, "\nCapEff:\t0000000000080024\n"));
        assert_non_null(strstr(init_status, "\nCapPrm:\t0000000000080024\n"));

        assert_int_equal(sandbox_process_kill(t.process, SIGTERM), 0);
        _cleanup_free_ char *out = test_sandbox_finish(&t, &res);
        assert_string_equal_free(test_result_description(&res), "Killed by signal: TERM");
        safe_close(cg);
        test_cgroup_remove(cg_path);
}

int main(int argc, char *argv[]) {
        test_require_sandbox();
        const struct CMUnitTest tests[] = {
                cmocka_unit_test_teardown(test_status_privileges_dropped, test_cleanup),
                cmocka_unit_test_teardown(test_own_session, test_cleanup),
                cmocka_unit_test_teardown(test_namespaces_differ, test_cleanup),
                cmocka_unit_test_teardown(test_ps_shows_init_and_service_only, test_cleanup),
                cmocka_unit_test_teardown(test_only_loopback_up, test_cleanup),
                cmocka_unit_test_teardown(test_hostname, test_cleanup),
                cmocka_unit_test_teardown(test_read_only_path_erofs, test_cleanup),
                cmocka_unit_test_teardown(test_inaccessible_paths, test_cleanup),
                cmocka_unit_test_teardown(test_private_tmp, test_cleanup),
                cmocka_unit_test_teardown(test_kernel_knobs_read_only, test_cleanup),
                cmocka_unit_test_teardown(test_cgroup_placement, test_cleanup),
        };
        return pgs_run_tests(argc, argv, tests);
}
