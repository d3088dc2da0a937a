/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/wait.h>

#include "test-util.h"

#include "cg-test-lib.h"

static CgTest *cgt_current;
static char cgt_tracked_mount[4096], cgt_tracked_name[256];

static void kill_and_remove(const char *mount, const char *name) {
        int mfd = open(mount, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
        if (mfd < 0)
                return;
        int fd = openat(mfd, name, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
        if (fd >= 0) {
                (void) cg_kill_fd(fd, SIGKILL, 0);
                (void) cg_wait_events_fd(fd, false, 10 * USEC_PER_SEC);
                close(fd);
                (void) cg_remove_tree_at(mfd, name);
        }
        close(mfd);
}

void cgt_track(const char *mount, const char *name) {
        snprintf(cgt_tracked_mount, sizeof cgt_tracked_mount, "%s", mount);
        snprintf(cgt_tracked_name, sizeof cgt_tracked_name, "%s", name);
}

int cgt_cleanup(void **state) {
        if (cgt_current && cgt_current->root) {
                fprintf(stderr, "cleanup: removing what is left of %s\n", cgt_current->root->path);
                kill_and_remove(cgt_current->host->mount, cgt_current->root_name);
                cgt_current->root = cg_root_free(cgt_current->root);
                cgt_current->host = cg_host_free(cgt_current->host);
                cgt_current->root_name = mfree(cgt_current->root_name);
        }
        cgt_current = NULL;
        if (cgt_tracked_name[0]) {
                char path[sizeof cgt_tracked_mount + sizeof cgt_tracked_name + 1];
                snprintf(path, sizeof path, "%s/%s", cgt_tracked_mount, cgt_tracked_name);
                if (access(path, F_OK) == 0) {
                        fprintf(stderr, "cleanup: removing what is left of %s\n", path);
                        kill_and_remove(cgt_tracked_mount, cgt_tracked_name);
                }
                cgt_tracked_name[0] = 0;
        }
        /* Reap what died (the test is a subreaper). */
        while (waitpid(-1, NULL, WNOHANG) > 0)
                ;
        return 0;
}

void cgt_init(void) {
        TEST_REQUIRE_ROOT();
        if (prctl(PR_SET_CHILD_SUBREAPER, 1) < 0)
                abort();
}

void cgt_setup(CgTest *t, const char *tag) {
        *t = (CgTest) {};
        int r = cg_host_discover(&t->host);
        TEST_SKIP_UNLESS(r >= 0, "no usable cgroup2 mount (%s)", strerror(-r));
        assert_true(asprintf(&t->root_name, "pgs-test-%d-%s", (int) getpid(), tag) > 0);
        r = cg_root_open(t->host, t->root_name, false, &t->root);
        TEST_SKIP_UNLESS(r >= 0, "cannot create a cgroup below %s (%s)", t->host->mount, strerror(-r));
        cgt_current = t;
}

void cgt_teardown(CgTest *t) {
        if (t->root) {
                char *path = strdup(t->root->path);
                assert_non_null(path);
                if (rmdir(path) < 0)
                        fail_msg("rmdir %s: %s", path, strerror(errno));
                cgt_assert_no_path(path);
                free(path);
        }
        t->root = cg_root_free(t->root);
        t->host = cg_host_free(t->host);
        t->root_name = mfree(t->root_name);
        cgt_current = NULL;
}

void cgt_require_controllers(CgTest *t, CgMask mask) {
        if ((t->root->supported & mask) == mask)
                return;
        fprintf(stderr, "SKIP: this host does not give cgroup v2 the controllers this test needs "
                        "(needs 0x%x, has 0x%x; v1-bound 0x%x): it runs in the VM tier (tests/vm)\n",
                mask, t->root->supported, t->host->v1);
        cgt_teardown(t);
        exit(EXIT_TEST_SKIP);
}

pid_t cgt_spawn(int cgfd, char *const argv[], bool wait_ready) {
        int p[2];
        assert_int_equal(pipe2(p, O_CLOEXEC), 0);
        pid_t pid = fork();
        assert_true(pid >= 0);
        if (pid == 0) {
                char path[4096];
                if (cg_attach_fd(cgfd, 0) < 0)
                        _exit(126);
                if (dup2(p[1], STDOUT_FILENO) < 0)
                        _exit(126);
                snprintf(path, sizeof path, "%s/%s", CG_TEST_HELPER_DIR, argv[0]);
                execv(path, argv);
                _exit(127);
        }
        close(p[1]);
        if (wait_ready) {
                char buf[8] = {};
                ssize_t n = read(p[0], buf, 6);
                if (n != 6 || !streq(buf, "ready\n"))
                        fail_msg("helper %s did not get ready (read %zd)", argv[0], n);
        }
        close(p[0]);
        return pid;
}

void cgt_reap_all(void) {
        for (;;) {
                pid_t pid = waitpid(-1, NULL, 0);
                if (pid < 0 && errno == EINTR)
                        continue;
                if (pid < 0) {
                        assert_int_equal(errno, ECHILD);
                        return;
                }
        }
}

void cgt_assert_gone(const pid_t *pids, size_t n) {
        for (size_t i = 0; i < n; i++)
                if (kill(pids[i], 0) == 0 || errno != ESRCH)
                        fail_msg("process %d still exists", (int) pids[i]);
}

void cgt_assert_no_path(const char *path) {
        struct stat st;
        if (stat(path, &st) == 0 || errno != ENOENT)
                fail_msg("%s still exists", path);
}

int cgt_open_dir(int dirfd, const char *name) {
        int fd = openat(dirfd, name, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
        if (fd < 0)
                fail_msg("open %s: %s", name, strerror(errno));
        return fd;
}
