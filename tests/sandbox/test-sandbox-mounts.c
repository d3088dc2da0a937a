/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The mount plan from inside: ProtectSystem=, ReadWritePaths=, BindPaths=,
 * BindReadOnlyPaths=, TemporaryFileSystem=, /dev, RootDirectory=. Needs root. */
#include <stdio.h>
#include <sys/stat.h>

#include "sandbox-test-util.h"

#include "fileio.h"

static void test_protect_system_strict_with_hole(void **state) {
        char *dir = (char *) test_mkdtemp("rw");
        char script[512];
        snprintf(script, sizeof script,
                 "%1$s rw /var/lib; %1$s rw /usr; %1$s rw %2$s; %1$s rw /tmp; %1$s rw /dev/shm", test_helper_path(), dir);
        char *argv[] = { "/bin/sh", "-c", script, NULL };
        char *rw[] = { dir, NULL };
        SandboxConfig c;
        SandboxSeccompSpec spec;
        SandboxResult res;

        test_default_config(&c, &spec, argv);
        c.protect_system = SANDBOX_PROTECT_SYSTEM_STRICT;
        c.read_write_paths = rw;
        _cleanup_free_ char *out = test_sandbox_run(&c, -EBADF, &res);
        assert_string_equal(out, "rw: EROFS\nrw: EROFS\nrw: ok\nrw: ok\nrw: ok\n");
        assert_int_equal(rmdir(dir), 0);
}

static void test_protect_system_yes(void **state) {
        char script[512];
        snprintf(script, sizeof script, "%1$s rw /usr; %1$s rw /var/tmp", test_helper_path());
        char *argv[] = { "/bin/sh", "-c", script, NULL };
        SandboxConfig c;
        SandboxSeccompSpec spec;
        SandboxResult res;

        test_default_config(&c, &spec, argv);
        c.protect_system = SANDBOX_PROTECT_SYSTEM_YES;
        _cleanup_free_ char *out = test_sandbox_run(&c, -EBADF, &res);
        assert_string_equal(out, "rw: EROFS\nrw: ok\n");
}

static void test_binds_and_tmpfs(void **state) {
        char *src = (char *) test_mkdtemp("bind"), *tgt = (char *) test_mkdtemp("tgt");
        char file[64];
        snprintf(file, sizeof file, "%s/hello", src);
        assert_int_equal(write_file_atomic(file, "from host\n", 10, 0644), 0);

        char script[1024];
        snprintf(script, sizeof script,
                 "cat %2$s/hello; %1$s rw %2$s; cat /mnt/ro/hello; %1$s rw /mnt/ro; "
                 "ls -A /var/lib/pgs-empty 2>&1; stat -f -c %%T /var/lib/pgs-empty; %1$s rw /var/lib/pgs-empty; "
                 "ls /dev | tr '\\n' ' '; echo",
                 test_helper_path(), tgt);
        char *argv[] = { "/bin/sh", "-c", script, NULL };
        SandboxBind binds[] = { { src, tgt } };
        SandboxBind ro_binds[] = { { src, "/mnt/ro" } };
        char *tmpfs[] = { "/var/lib/pgs-empty", NULL };
        SandboxConfig c;
        SandboxSeccompSpec spec;
        SandboxResult res;

        /* Mount points for /mnt/ro and the tmpfs exist on the host only for
         * the test's duration; the sandbox never creates host directories. */
        static const char * const points[] = { "/mnt/ro", "/var/lib/pgs-empty" };
        for (size_t i = 0; i < ELEMENTSOF(points); i++) {
                if (mkdir(points[i], 0755) == 0)
                        test_track_path(points[i]); /* ours: removed even if the test fails */
                else
                        assert_int_equal(errno, EEXIST);
        }

        test_default_config(&c, &spec, argv);
        c.bind_paths = binds;
        c.n_bind_paths = 1;
        c.bind_read_only_paths = ro_binds;
        c.n_bind_read_only_paths = 1;
        c.temporary_filesystems = tmpfs;
        _cleanup_free_ char *out = test_sandbox_run(&c, -EBADF, &res);
        assert_string_equal_free(test_result_description(&res), "Exit code: 0");
        assert_string_equal(out, "from host\nrw: ok\nfrom host\nrw: EROFS\ntmpfs\nrw: ok\n"
                                 "fd full null ptmx pts random shm stderr stdin stdout tty urandom zero \n");

        assert_int_equal(unlink(file), 0);
        assert_int_equal(rmdir(src), 0);
        assert_int_equal(rmdir(tgt), 0);
}

static void test_root_directory(void **state) {
        /* A root with only /usr (bound read-only from the host) and the
         * merged-/usr symlinks; /proc, /dev, /sys, /tmp are made by the plan. */
        char *root = (char *) test_mkdtemp("newroot");
        char path[128];
        snprintf(path, sizeof path, "%s/usr", root);
        assert_int_equal(mkdir(path, 0755), 0);
        static const char * const links[][2] = {
                { "usr/bin", "bin" }, { "usr/lib", "lib" }, { "usr/lib64", "lib64" }, { "usr/sbin", "sbin" },
        };
        for (size_t i = 0; i < ELEMENTSOF(links); i++) {
                snprintf(path, sizeof path, "%s/%s", root, links[i][1]);
                assert_int_equal(symlink(links[i][0], path), 0);
        }

        char *argv[] = { "/bin/sh", "-c", "ls / | tr '\\n' ' '; echo; hostname; echo /proc/[0-9]*", NULL };
        SandboxBind usr[] = { { "/usr", "/usr" } };
        SandboxConfig c;
        SandboxSeccompSpec spec;
        SandboxResult res;

        test_default_config(&c, &spec, argv);
        c.root_directory = root;
        c.bind_read_only_paths = usr;
        c.n_bind_read_only_paths = 1;
        c.protect_system = SANDBOX_PROTECT_SYSTEM_STRICT;
        _cleanup_free_ char *out = test_sandbox_run(&c, -EBADF, &res);
        assert_string_equal_free(test_result_description(&res), "Exit code: 0");
        assert_string_equal(out, "bin dev lib lib64 proc sbin sys tmp usr \npgs-test\n/proc/1 /proc/2\n");

        static const char * const created[] = { "usr", "proc", "sys", "dev", "tmp" };
        for (size_t i = 0; i < ELEMENTSOF(created); i++) {
                snprintf(path, sizeof path, "%s/%s", root, created[i]);
                assert_int_equal(rmdir(path), 0); /* empty: nothing stayed mounted */
        }
        for (size_t i = 0; i < ELEMENTSOF(links); i++) {
                snprintf(path, sizeof path, "%s/%s", root, links[i][1]);
                assert_int_equal(unlink(path), 0);
        }
        assert_int_equal(rmdir(root), 0);
}

int main(int argc, char *argv[]) {
        test_require_sandbox();
        const struct CMUnitTest tests[] = {
                cmocka_unit_test_teardown(test_protect_system_strict_with_hole, test_cleanup),
                cmocka_unit_test_teardown(test_protect_system_yes, test_cleanup),
                cmocka_unit_test_teardown(test_binds_and_tmpfs, test_cleanup),
                cmocka_unit_test_teardown(test_root_directory, test_cleanup),
        };
        return pgs_run_tests(argc, argv, tests);
}
