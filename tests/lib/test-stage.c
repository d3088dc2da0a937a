/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <fcntl.h>
#include <sys/stat.h>

#include "test-util.h"

#include "test-stage.h"

#define STAGED_MAX 8

static char staged_dir[64];
static char staged[STAGED_MAX][128];
static pid_t staged_by;

static void unstage(void) {
        if (getpid() != staged_by)
                return; /* a forked child exiting: the copies are the parent's */
        for (size_t i = 0; i < STAGED_MAX; i++)
                if (staged[i][0])
                        (void) unlink(staged[i]);
        (void) rmdir(staged_dir);
}

const char *test_stage(const char *name, const char *src_path) {
        char buf[65536];
        size_t i;

        if (!staged_dir[0]) {
                snprintf(staged_dir, sizeof staged_dir, "/run/pgs-test-bin-XXXXXX");
                assert_non_null(mkdtemp(staged_dir));
                assert_int_equal(chmod(staged_dir, 0755), 0);
                staged_by = getpid();
                atexit(unstage);
        }
        for (i = 0; i < STAGED_MAX && staged[i][0]; i++)
                if (strcmp(strrchr(staged[i], '/') + 1, name) == 0)
                        return staged[i];
        assert_true(i < STAGED_MAX);
        snprintf(staged[i], sizeof staged[i], "%s/%s", staged_dir, name);
        int in = open(src_path, O_RDONLY | O_CLOEXEC);
        int out = open(staged[i], O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0755);
        assert_true(in >= 0 && out >= 0);
        ssize_t n;
        while ((n = read(in, buf, sizeof buf)) > 0)
                assert_int_equal(write(out, buf, (size_t) n), n);
        close(in);
        assert_int_equal(close(out), 0);
        return staged[i];
}
