/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <dirent.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>

#include "test-util.h"

#include "daemon-harness.h"
#include "test-stage.h"

HarnessEvent harness_events[1024];
size_t harness_n_events;
size_t harness_events_dropped;

static uint64_t now_us(void) {
        struct timespec ts;
        clock_gettime(CLOCK_MONOTONIC, &ts);
        return (uint64_t) ts.tv_sec * 1000000ULL + (uint64_t) ts.tv_nsec / 1000;
}

static const char *build_dir(void) {
        const char *b = getenv("PGS_BUILD_DIR");
        if (!b) {
                fprintf(stderr, "PGS_BUILD_DIR is not set: run this test through ctest.\n");
                exit(1);
        }
        return b;
}

/* Test payloads run inside sandboxes: see tests/lib/test-stage.h. */
const char *harness_stage(const char *name, const char *build_path) {
        char src[512];
        snprintf(src, sizeof src, "%s/%s", build_dir(), build_path);
        return test_stage(name, src);
}

const char *harness_crasher(void) {
        return harness_stage("pgs-test-crasher", "tests/daemon/pgs-test-crasher");
}

void harness_write_policy(Harness *h, const char *name, const char *text) {
        char path[512];
        if (!h->dir[0]) {
                /* Under /run, not /tmp: sandboxes see /run (the notify
                 * socket is in the runtime directory); /tmp is private. */
                snprintf(h->dir, sizeof h->dir, "/run/pgs-daemon-XXXXXX");
                assert_non_null(mkdtemp(h->dir));
                /* Other users must reach the API socket (the non-root tests). */
                assert_int_equal(chmod(h->dir, 0755), 0);
                snprintf(h->policy_dir, sizeof h->policy_dir, "%s/policies", h->dir);
                snprintf(h->runtime_dir, sizeof h->runtime_dir, "%s/run", h->dir);
                snprintf(h->state_dir, sizeof h->state_dir, "%s/state", h->dir);
                assert_int_equal(mkdir(h->policy_dir, 0755), 0);
        }
        snprintf(path, sizeof path, "%s/%s.policy", h->policy_dir, name);
        FILE *f = fopen(path, "we");
        assert_non_null(f);
        fputs(text, f);
        assert_int_equal(fclose(f), 0);
}

static int on_state_changed(sd_bus_message *m, void *userdata, sd_bus_error *error) {
        const char *id, *name, *state, *status;
        if (sd_bus_message_read(m, "ssss", &id, &name, &state, &status) < 0)
                return 0;
        size_t max = sizeof harness_events / sizeof harness_events[0];
        if (harness_n_events == max) {
                /* Full: keep the newer half (long tests only wait on recent events). */
                memmove(harness_events, harness_events + max / 2, (max - max / 2) * sizeof *harness_events);
                harness_n_events -= max / 2;
                harness_events_dropped += max / 2;
        }
        {
                HarnessEvent *e = &harness_events[harness_n_events++];
                snprintf(e->name, sizeof e->name, "%s", name);
                snprintf(e->state, sizeof e->state, "%s", state);
                snprintf(e->status, sizeof e->status, "%s", status);
                e->usec = now_us();
                if (sd_bus_message_get_cookie(m, &e->cookie) < 0)
                        e->cookie = 0;
        }
        return 0;
}

sd_bus *harness_connect(const Harness *h) {
        sd_bus *bus = NULL;
        assert_true(sd_bus_new(&bus) >= 0);
        assert_true(sd_bus_set_address(bus, h->address) >= 0);
        int r = sd_bus_start(bus);
        if (r < 0) {
                sd_bus_unref(bus);
                return NULL;
        }
        return bus;
}

static const char *cgroup_mount(void) {
        /* This host: hybrid, cgroup2 at /sys/fs/cgroup/unified; elsewhere /sys/fs/cgroup. */
        struct stat st;
        return stat("/sys/fs/cgroup/unified/cgroup.procs", &st) == 0 ? "/sys/fs/cgroup/unified" : "/sys/fs/cgroup";
}

static void harness_spawn_daemon(Harness *h) {
        char monitor[512], daemon[512], cgroot[128], pdir[200], rdir[200], sdir[200];

        snprintf(monitor, sizeof monitor, "--monitor=%s/src/daemon/pgsandbox-monitor", build_dir());
        snprintf(daemon, sizeof daemon, "%s/src/daemon/pgsandboxd", build_dir());
        snprintf(cgroot, sizeof cgroot, "--cgroup-root=%s", h->cgroup_root);
        snprintf(pdir, sizeof pdir, "--policy-dir=%s", h->policy_dir);
        snprintf(rdir, sizeof rdir, "--runtime-dir=%s", h->runtime_dir);
        snprintf(sdir, sizeof sdir, "--state-dir=%s", h->state_dir);

        h->daemon = fork();
        assert_true(h->daemon >= 0);
        if (h->daemon == 0) {
                char *argv[] = { daemon, pdir, rdir, sdir, cgroot, monitor, NULL };
                execv(daemon, argv);
                _exit(127);
        }
        /* The socket appears once the daemon is ready; give it 10 s. */
        for (int i = 0; i < 1000; i++) {
                h->bus = harness_connect(h);
                if (h->bus)
                        break;
                int status;
                if (waitpid(h->daemon, &status, WNOHANG) == h->daemon)
                        fail_msg("pgsandboxd exited during startup (status %d)", status);
                usleep(10000);
        }
        assert_non_null(h->bus);
        assert_true(sd_bus_match_signal(h->bus, NULL, NULL, "/org/pgsandbox1", "org.pgsandbox1.Manager",
                                        "StateChanged", on_state_changed, NULL) >= 0);
}

void harness_start(Harness *h) {
        snprintf(h->cgroup_root, sizeof h->cgroup_root, "pgs-test-daemon-%d", (int) getpid());
        snprintf(h->cgroup_path, sizeof h->cgroup_path, "%s/%s", cgroup_mount(), h->cgroup_root);
        snprintf(h->address, sizeof h->address, "unix:path=%s/bus", h->runtime_dir);
        harness_n_events = 0;
        harness_events_dropped = 0;
        harness_spawn_daemon(h);
}

void harness_kill_daemon(Harness *h, int sig) {
        int status;

        h->bus = sd_bus_flush_close_unref(h->bus);
        assert_int_equal(kill(h->daemon, sig), 0);
        assert_int_equal(waitpid(h->daemon, &status, 0), h->daemon);
        h->daemon = 0;
}

void harness_respawn_daemon(Harness *h) {
        harness_spawn_daemon(h);
}

/* Every pid in the cgroup subtree at path. */
static size_t count_procs(const char *path) {
        char file[512], line[64];
        size_t n = 0;
        snprintf(file, sizeof file, "%s/cgroup.procs", path);
        FILE *f = fopen(file, "re");
        if (f) {
                while (fgets(line, sizeof line, f))
                        n++;
                fclose(f);
        }
        DIR *d = opendir(path);
        if (!d)
                return n;
        struct dirent *de;
        while ((de = readdir(d)))
                if (de->d_type == DT_DIR && de->d_name[0] != '.') {
                        char sub[512];
                        snprintf(sub, sizeof sub, "%s/%s", path, de->d_name);
                        n += count_procs(sub);
                }
        closedir(d);
        return n;
}

/* SIGKILL to every pid in the cgroup subtree at path. */
static void kill_procs(const char *path) {
        char file[512], line[64];
        snprintf(file, sizeof file, "%s/cgroup.procs", path);
        FILE *f = fopen(file, "re");
        if (f) {
                while (fgets(line, sizeof line, f))
                        (void) kill((pid_t) atoi(line), SIGKILL);
                fclose(f);
        }
        DIR *d = opendir(path);
        if (!d)
                return;
        struct dirent *de;
        while ((de = readdir(d)))
                if (de->d_type == DT_DIR && de->d_name[0] != '.') {
                        char sub[512];
                        snprintf(sub, sizeof sub, "%s/%s", path, de->d_name);
                        kill_procs(sub);
                }
        closedir(d);
}

static size_t count_subdirs(const char *path) {
        size_t n = 0;
        DIR *d = opendir(path);
        if (!d)
                return 0;
        struct dirent *de;
        while ((de = readdir(d)))
                if (de->d_type == DT_DIR && de->d_name[0] != '.')
                        n++;
        closedir(d);
        return n;
}

static void remove_tree(const char *path) {
        DIR *d = opendir(path);
        if (!d)
                return;
        struct dirent *de;
        while ((de = readdir(d))) {
                char sub[512];
                if (streq(de->d_name, ".") || streq(de->d_name, ".."))
                        continue;
                snprintf(sub, sizeof sub, "%s/%s", path, de->d_name);
                if (de->d_type == DT_DIR)
                        remove_tree(sub);
                else
                        unlink(sub);
        }
        closedir(d);
        rmdir(path);
}

/* Kills every sandbox through the API and waits until none runs. */
static void harness_kill_all(Harness *h) {
        sd_bus_error error = SD_BUS_ERROR_NULL;
        sd_bus_message *reply = NULL;
        char **names = NULL;
        size_t n = 0;

        assert_true(sd_bus_call_method(h->bus, NULL, "/org/pgsandbox1", "org.pgsandbox1.Manager", "ListSandboxes",
                                       &error, &reply, "") >= 0);
        assert_true(sd_bus_message_enter_container(reply, 'a', "a{sv}") >= 0);
        while (sd_bus_message_enter_container(reply, 'a', "{sv}") > 0) {
                while (sd_bus_message_enter_container(reply, 'e', "sv") > 0) {
                        const char *key, *v;
                        assert_true(sd_bus_message_read(reply, "s", &key) >= 0);
                        if (streq(key, "Name")) {
                                assert_true(sd_bus_message_read(reply, "v", "s", &v) >= 0);
                                names = realloc(names, (n + 2) * sizeof *names);
                                names[n++] = strdup(v);
                                names[n] = NULL;
                        } else
                                assert_true(sd_bus_message_skip(reply, "v") >= 0);
                        assert_true(sd_bus_message_exit_container(reply) >= 0);
                }
                assert_true(sd_bus_message_exit_container(reply) >= 0);
        }
        reply = sd_bus_message_unref(reply);
        for (size_t i = 0; i < n; i++) {
                char *kind, *msg;
                harness_call_verb(h, "Kill", names[i], "KILL", &kind, &msg);
                free(kind), free(msg);
        }
        /* Then until no sandbox has a main process left (10 s at most). */
        for (int round = 0; round < 1000; round++) {
                bool any = false;
                for (size_t i = 0; i < n && !any; i++) {
                        char *state = harness_get_string(h, names[i], "State");
                        any = state && !streq(state, "Stopped") && !streq(state, "Failed");
                        free(state);
                }
                if (!any)
                        break;
                usleep(10000);
        }
        for (size_t i = 0; i < n; i++)
                free(names[i]);
        free(names);
        sd_bus_error_free(&error);
}

void harness_stop(Harness *h) {
        int status;
        char sock[256];

        /* The daemon leaves sandboxes running when it exits: stop them first. */
        harness_kill_all(h);
        h->bus = sd_bus_flush_close_unref(h->bus);
        assert_int_equal(kill(h->daemon, SIGTERM), 0);
        assert_int_equal(waitpid(h->daemon, &status, 0), h->daemon);
        if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
                fail_msg("pgsandboxd did not exit cleanly on TERM (status 0x%x)", status);

        /* Nothing left: no process in the tree, no sandbox cgroup, no socket. */
        assert_int_equal(count_procs(h->cgroup_path), 0);
        assert_int_equal(count_subdirs(h->cgroup_path), 0);
        assert_int_equal(rmdir(h->cgroup_path), 0);
        snprintf(sock, sizeof sock, "%s/bus", h->runtime_dir);
        assert_int_equal(access(sock, F_OK), -1);
        remove_tree(h->dir);
        memset(h, 0, sizeof *h);
}

static int get_sandbox(Harness *h, const char *name, sd_bus_message **ret) {
        sd_bus_error error = SD_BUS_ERROR_NULL;
        int r = sd_bus_call_method(h->bus, NULL, "/org/pgsandbox1", "org.pgsandbox1.Manager", "GetSandbox",
                                   &error, ret, "s", name);
        sd_bus_error_free(&error);
        return r;
}

/* Positions m at the variant of field; returns its type char, 0 if absent. */
static char seek_field(sd_bus_message *m, const char *field) {
        assert_true(sd_bus_message_enter_container(m, 'a', "{sv}") > 0);
        while (sd_bus_message_enter_container(m, 'e', "sv") > 0) {
                const char *key, *contents;
                char type;
                assert_true(sd_bus_message_read(m, "s", &key) >= 0);
                assert_true(sd_bus_message_peek_type(m, &type, &contents) >= 0);
                if (streq(key, field))
                        return contents[0];
                assert_true(sd_bus_message_skip(m, "v") >= 0);
                assert_true(sd_bus_message_exit_container(m) >= 0);
        }
        return 0;
}

char *harness_get_string(Harness *h, const char *name, const char *field) {
        sd_bus_message *m = NULL;
        const char *s;
        char *ret = NULL;
        if (get_sandbox(h, name, &m) < 0)
                return NULL;
        if (seek_field(m, field) == 's' && sd_bus_message_read(m, "v", "s", &s) >= 0)
                ret = strdup(s);
        sd_bus_message_unref(m);
        return ret;
}

uint64_t harness_get_number(Harness *h, const char *name, const char *field) {
        sd_bus_message *m = NULL;
        uint64_t v = UINT64_MAX;
        uint32_t u;
        if (get_sandbox(h, name, &m) < 0)
                return UINT64_MAX;
        char t = seek_field(m, field);
        if (t == 't')
                assert_true(sd_bus_message_read(m, "v", "t", &v) >= 0);
        else if (t == 'u' && sd_bus_message_read(m, "v", "u", &u) >= 0)
                v = u;
        sd_bus_message_unref(m);
        return v;
}

void harness_wait_status(Harness *h, const char *name, const char *expected, unsigned timeout_ms) {
        uint64_t deadline = now_us() + (uint64_t) timeout_ms * 1000;
        sd_bus_message *m = NULL;
        uint64_t asked = 0;
        char *status = NULL;
        const char *s;

        /* Once by asking, then from the StateChanged signals alone, so that
         * no method call delays their timestamps. Signals the daemon sent
         * before it answered (they may still be queued here, from earlier
         * calls) are older than the answer: the message cookies, which the
         * daemon numbers in order, tell them apart. */
        if (get_sandbox(h, name, &m) >= 0) {
                (void) sd_bus_message_get_cookie(m, &asked);
                if (seek_field(m, "Status") == 's' && sd_bus_message_read(m, "v", "s", &s) >= 0)
                        status = strdup(s);
                m = sd_bus_message_unref(m);
        }
        size_t seen = harness_events_dropped + harness_n_events; /* absolute event number */
        while (!status || !streq(status, expected)) {
                uint64_t now = now_us();
                if (now >= deadline)
                        fail_msg("sandbox %s: status '%s' after %u ms, expected '%s'", name, status ?: "(none)",
                                 timeout_ms, expected);
                if (sd_bus_process(h->bus, NULL) == 0)
                        (void) sd_bus_wait(h->bus, deadline - now);
                if (seen < harness_events_dropped)
                        seen = harness_events_dropped;
                for (; seen < harness_events_dropped + harness_n_events; seen++) {
                        const HarnessEvent *e = &harness_events[seen - harness_events_dropped];
                        if (streq(e->name, name) && e->cookie > asked) {
                                free(status);
                                status = strdup(e->status);
                        }
                }
        }
        free(status);
}

void harness_call_verb(Harness *h, const char *method, const char *target, const char *signal, char **ret_kind,
                       char **ret_message) {
        sd_bus_error error = SD_BUS_ERROR_NULL;
        sd_bus_message *call = NULL, *reply = NULL;
        const char *t, *kind, *msg;

        assert_true(sd_bus_message_new_method_call(h->bus, &call, NULL, "/org/pgsandbox1", "org.pgsandbox1.Manager",
                                                   method) >= 0);
        assert_true(sd_bus_message_append(call, "as", 1, target) >= 0);
        if (signal)
                assert_true(sd_bus_message_append(call, "s", signal) >= 0);
        int r = sd_bus_call(h->bus, call, 0, &error, &reply);
        if (r < 0)
                fail_msg("%s(%s): %s", method, target, error.message ?: strerror(-r));
        assert_true(sd_bus_message_read(reply, "a(sss)", 1, &t, &kind, &msg) > 0);
        *ret_kind = strdup(kind);
        *ret_message = strdup(msg);
        sd_bus_message_unref(reply);
        sd_bus_message_unref(call);
        sd_bus_error_free(&error);
}

int harness_teardown(void **state) {
        Harness *h = *state;

        /* A test that failed half-way: stop what it started, without asserting. */
        if (h->bus)
                h->bus = sd_bus_flush_close_unref(h->bus);
        if (h->daemon > 0) {
                (void) kill(h->daemon, SIGTERM);
                (void) waitpid(h->daemon, NULL, 0);
        }
        if (h->cgroup_path[0]) {
                /* Everything the test started lives in this cgroup tree:
                 * cgroup.kill, and each pid by hand in case the write failed. */
                char kill_file[300];
                snprintf(kill_file, sizeof kill_file, "%s/cgroup.kill", h->cgroup_path);
                int kfd = open(kill_file, O_WRONLY | O_CLOEXEC);
                if (kfd >= 0) {
                        if (write(kfd, "1", 1) != 1)
                                fprintf(stderr, "teardown: cgroup.kill of %s: %m\n", h->cgroup_path);
                        close(kfd);
                }
                kill_procs(h->cgroup_path);
                for (int i = 0; i < 300 && count_procs(h->cgroup_path) > 0; i++)
                        usleep(10000);
                if (count_procs(h->cgroup_path) > 0)
                        fprintf(stderr, "teardown: processes are left in %s\n", h->cgroup_path);
                remove_tree(h->cgroup_path); /* cgroup dirs: rmdir only, children first */
        }
        if (h->dir[0])
                remove_tree(h->dir);
        memset(h, 0, sizeof *h);
        return 0;
}
