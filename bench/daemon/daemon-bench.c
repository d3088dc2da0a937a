/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* pgsandboxd under load, in one run (a program that prints figures):
 *   start    N sandboxes from N policies with one Start call, until every one
 *            is Running: sandboxes per second and µs per sandbox
 *   bare     a bare clone3() loop with the same namespace flags, exec of
 *            /bin/true and wait: the floor any sandbox start stands on
 *   rss      the daemon's resident memory with N sandboxes, per sandbox
 *   idle     the daemon's CPU time and context switches over S idle seconds
 *            with N sandboxes running (the target is zero wakeups)
 *
 *   oom      (with "oom" as the only argument; needs the cgroup v2 memory
 *            controller, so in the VM: PGS_VM_LABEL=bench) the time from the
 *            kernel's OOM kill (its /dev/kmsg timestamp) to the crash reason
 *            arriving as the daemon's Crashed signal
 *
 *   pgs-daemon-bench [N [IDLE_SECONDS]]     (default 1000 and 60; root)
 *   pgs-daemon-bench oom
 *
 * Run from the build directory's bench/daemon; it starts its own daemon
 * with temporary directories and its own cgroup root, and removes them. */
#include <dirent.h>
#include <fcntl.h>
#include <linux/sched.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <systemd/sd-bus.h>

#define NAMESPACES (CLONE_NEWNS | CLONE_NEWPID | CLONE_NEWNET | CLONE_NEWUTS | CLONE_NEWIPC | CLONE_NEWCGROUP)

static double now_us(void) {
        struct timespec ts;
        clock_gettime(CLOCK_MONOTONIC, &ts);
        return (double) ts.tv_sec * 1e6 + (double) ts.tv_nsec / 1e3;
}

static void die(const char *what) {
        perror(what);
        exit(1);
}

static double bare_loop(int n) {
        double t0 = now_us();
        for (int i = 0; i < n; i++) {
                struct clone_args args = { .flags = NAMESPACES, .exit_signal = SIGCHLD };
                pid_t pid = (pid_t) syscall(SYS_clone3, &args, sizeof args);
                if (pid < 0)
                        die("clone3");
                if (pid == 0) {
                        execl("/bin/true", "true", (char *) NULL);
                        _exit(127);
                }
                if (waitpid(pid, NULL, 0) != pid)
                        die("waitpid");
        }
        return (now_us() - t0) / n;
}

static long proc_status_field(pid_t pid, const char *key) {
        char path[64], line[256];
        long v = -1;
        snprintf(path, sizeof path, "/proc/%d/status", (int) pid);
        FILE *f = fopen(path, "re");
        if (!f)
                return -1;
        while (fgets(line, sizeof line, f))
                if (strncmp(line, key, strlen(key)) == 0 && line[strlen(key)] == ':')
                        v = atol(line + strlen(key) + 1);
        fclose(f);
        return v;
}

static double proc_cpu_seconds(pid_t pid) {
        char path[64], buf[1024];
        snprintf(path, sizeof path, "/proc/%d/stat", (int) pid);
        FILE *f = fopen(path, "re");
        if (!f || !fgets(buf, sizeof buf, f))
                die("stat");
        fclose(f);
        unsigned long utime, stime;
        char *p = strrchr(buf, ')');
        /* fields 14 and 15 after the comm */
        if (sscanf(p + 2, "%*c %*d %*d %*d %*d %*d %*u %*u %*u %*u %*u %lu %lu", &utime, &stime) != 2)
                die("parse stat");
        return (double) (utime + stime) / (double) sysconf(_SC_CLK_TCK);
}

static unsigned running;
static int on_state(sd_bus_message *m, void *userdata, sd_bus_error *e) {
        const char *id, *name, *state, *status;
        if (sd_bus_message_read(m, "ssss", &id, &name, &state, &status) >= 0 && strcmp(state, "Running") == 0)
                running++;
        return 0;
}

static int call_verb(sd_bus *bus, const char *method, char **names, const char *signal) {
        sd_bus_message *call = NULL, *reply = NULL;
        sd_bus_error error = SD_BUS_ERROR_NULL;
        int r = sd_bus_message_new_method_call(bus, &call, NULL, "/org/pgsandbox1", "org.pgsandbox1.Manager", method);
        if (r >= 0)
                r = sd_bus_message_append_strv(call, names);
        if (r >= 0 && signal)
                r = sd_bus_message_append(call, "s", signal);
        if (r >= 0)
                r = sd_bus_call(bus, call, 120 * 1000000ULL, &error, &reply);
        if (r < 0)
                fprintf(stderr, "%s: %s\n", method, error.message ?: strerror(-r));
        sd_bus_message_unref(call);
        sd_bus_message_unref(reply);
        sd_bus_error_free(&error);
        return r;
}

static pid_t start_daemon(const char *self, const char *dir, const char *cgroot) {
        pid_t daemon = fork();
        if (daemon < 0)
                die("fork");
        if (daemon == 0) {
                char a[6][600];
                snprintf(a[0], sizeof a[0], "%s/../../src/daemon/pgsandboxd", self);
                snprintf(a[1], sizeof a[1], "--policy-dir=%s/policies", dir);
                snprintf(a[2], sizeof a[2], "--runtime-dir=%s/run", dir);
                snprintf(a[3], sizeof a[3], "--state-dir=%s/state", dir);
                snprintf(a[4], sizeof a[4], "--monitor=%s/../../src/daemon/pgsandbox-monitor", self);
                snprintf(a[5], sizeof a[5], "--cgroup-root=%s", cgroot);
                int null = open("/dev/null", O_WRONLY);
                dup2(null, 2); /* the daemon logs every start: not part of the figures */
                execl(a[0], a[0], a[1], a[2], a[3], a[4], a[5], (char *) NULL);
                _exit(127);
        }
        return daemon;
}

static sd_bus *connect_daemon(const char *dir) {
        char address[512];
        sd_bus *bus = NULL;

        snprintf(address, sizeof address, "unix:path=%s/run/bus", dir);
        for (int i = 0; i < 500; i++) {
                sd_bus_new(&bus);
                sd_bus_set_address(bus, address);
                if (sd_bus_start(bus) >= 0)
                        return bus;
                bus = sd_bus_unref(bus);
                usleep(20000);
        }
        die("connect");
        return NULL;
}

static void stop_daemon(pid_t daemon, const char *dir, const char *cgroot) {
        char cmd[1024];
        kill(daemon, SIGTERM);
        waitpid(daemon, NULL, 0);
        snprintf(cmd, sizeof cmd, "rm -rf %s; find /sys/fs/cgroup/unified/%s /sys/fs/cgroup/%s -depth -type d "
                 "-exec rmdir {} + 2>/dev/null", dir, cgroot, cgroot);
        (void) system(cmd);
}

static double crashed_at;
static int on_crashed(sd_bus_message *m, void *userdata, sd_bus_error *e) {
        if (crashed_at == 0)
                crashed_at = now_us();
        return 0;
}

/* The latest OOM kill in the kernel log, as CLOCK_MONOTONIC µs (the
 * timestamp field of /dev/kmsg records), or 0. */
static double kmsg_oom_time(int fd) {
        char rec[8192];
        double t = 0;
        ssize_t n;
        while ((n = read(fd, rec, sizeof rec - 1)) > 0) {
                rec[n] = 0;
                unsigned long long usec;
                if (sscanf(rec, "%*u,%*u,%llu", &usec) == 1 &&
                    (strstr(rec, "Memory cgroup out of memory") || strstr(rec, "oom-kill")))
                        t = (double) usec;
        }
        return t;
}

static int bench_oom(const char *self) { /* self: this program's directory */
        char dir[] = "/run/pgs-daemon-bench-XXXXXX", path[1400], cgroot[64], crasher[600], line[256];
        FILE *f;

        f = fopen("/sys/fs/cgroup/cgroup.controllers", "re");
        if (!f || !fgets(line, sizeof line, f) || !strstr(line, "memory")) {
                fprintf(stderr, "SKIP: no cgroup v2 memory controller at /sys/fs/cgroup: run it in the VM "
                                "(PGS_VM_LABEL=bench tests/vm/run-vm-tests BUILD).\n");
                return 77;
        }
        fclose(f);
        if (!mkdtemp(dir))
                die("mkdtemp");
        chmod(dir, 0755);
        snprintf(path, sizeof path, "%s/policies", dir);
        mkdir(path, 0755);
        /* The payload, where the sandbox sees it (/tmp is private in there). */
        snprintf(crasher, sizeof crasher, "%s/pgs-test-crasher", dir);
        snprintf(path, sizeof path, "cp %s/../../tests/daemon/pgs-test-crasher %s", self, crasher);
        if (system(path) != 0)
                die("cp");
        snprintf(path, sizeof path, "%s/policies/hog.policy", dir);
        if (!(f = fopen(path, "we")))
                die("fopen");
        fprintf(f, "[Service]\nExec=%s hog 256\n[Resources]\nMemoryMax=32M\nMemorySwapMax=0\n", crasher);
        fclose(f);

        snprintf(cgroot, sizeof cgroot, "pgs-bench-%d", (int) getpid());
        pid_t daemon = start_daemon(self, dir, cgroot);
        sd_bus *bus = connect_daemon(dir);
        sd_bus_match_signal(bus, NULL, NULL, "/org/pgsandbox1", "org.pgsandbox1.Manager", "Crashed", on_crashed, NULL);
        int kmsg = open("/dev/kmsg", O_RDONLY | O_NONBLOCK | O_CLOEXEC);
        if (kmsg < 0)
                die("/dev/kmsg");
        lseek(kmsg, 0, SEEK_END);

        char *names[] = { "hog", NULL };
        double samples[5];
        int n = 0;
        for (int i = 0; i < 5; i++) {
                crashed_at = 0;
                if (call_verb(bus, "Start", names, NULL) < 0)
                        break;
                while (crashed_at == 0)
                        if (sd_bus_process(bus, NULL) == 0 && sd_bus_wait(bus, 30 * 1000000ULL) <= 0)
                                break;
                double k = kmsg_oom_time(kmsg);
                if (crashed_at == 0 || k == 0)
                        break;
                samples[n++] = crashed_at - k;
        }
        printf("OOM kill (kernel log timestamp) to the crash reason on the API (Crashed signal), MemoryMax=32M:\n");
        for (int i = 0; i < n; i++)
                printf("  run %d: %8.0f µs\n", i + 1, samples[i]);
        sd_bus_flush_close_unref(bus);
        stop_daemon(daemon, dir, cgroot);
        return n == 5 ? 0 : 1;
}

int main(int argc, char *argv[]) {
        char dir[] = "/tmp/pgs-daemon-bench-XXXXXX", path[512], cgroot[64];
        char self[512];

        if (geteuid() != 0) {
                fprintf(stderr, "SKIP: pgs-daemon-bench needs root.\n");
                return 77;
        }
        ssize_t k = readlink("/proc/self/exe", self, sizeof self - 1);
        if (k < 0)
                die("readlink");
        self[k] = 0;
        *strrchr(self, '/') = 0; /* .../bench/daemon */
        if (argc > 1 && strcmp(argv[1], "oom") == 0)
                return bench_oom(self);
        int n = argc > 1 ? atoi(argv[1]) : 1000;
        int idle = argc > 2 ? atoi(argv[2]) : 60;
        if (!mkdtemp(dir))
                die("mkdtemp");
        snprintf(path, sizeof path, "%s/policies", dir);
        if (mkdir(path, 0755) < 0)
                die("mkdir");

        char **names = calloc((size_t) n + 1, sizeof(char *));
        for (int i = 0; i < n; i++) {
                FILE *f;
                if (asprintf(&names[i], "s%04d", i) < 0)
                        die("asprintf");
                snprintf(path, sizeof path, "%s/policies/%s.policy", dir, names[i]);
                if (!(f = fopen(path, "we")))
                        die("fopen");
                fputs("[Service]\nExec=/bin/sleep infinity\n", f);
                fclose(f);
        }

        snprintf(cgroot, sizeof cgroot, "pgs-bench-%d", (int) getpid());
        pid_t daemon = start_daemon(self, dir, cgroot);
        sd_bus *bus = connect_daemon(dir);
        sd_bus_match_signal(bus, NULL, NULL, "/org/pgsandbox1", "org.pgsandbox1.Manager", "StateChanged", on_state, NULL);

        long rss0 = proc_status_field(daemon, "VmRSS");
        double bare = bare_loop(200);

        double t0 = now_us();
        if (call_verb(bus, "Start", names, NULL) < 0)
                return 1;
        while (running < (unsigned) n) {
                if (sd_bus_process(bus, NULL) > 0)
                        continue;
                if (sd_bus_wait(bus, 30 * 1000000ULL) <= 0) {
                        fprintf(stderr, "timed out: %u of %d running\n", running, n);
                        break;
                }
        }
        double start = (now_us() - t0) / n;
        long rss1 = proc_status_field(daemon, "VmRSS");

        double cpu0 = proc_cpu_seconds(daemon);
        long sw0 = proc_status_field(daemon, "voluntary_ctxt_switches") +
                   proc_status_field(daemon, "nonvoluntary_ctxt_switches");
        sleep((unsigned) idle);
        double cpu1 = proc_cpu_seconds(daemon);
        long sw1 = proc_status_field(daemon, "voluntary_ctxt_switches") +
                   proc_status_field(daemon, "nonvoluntary_ctxt_switches");

        printf("pgsandboxd with %d sandboxes (Exec=/bin/sleep infinity), %ld-core machine\n", n,
               sysconf(_SC_NPROCESSORS_ONLN));
        printf("  %-34s %10.0f µs/sandbox   %8.1f sandboxes/s   1.00x\n", "bare clone3 loop (200 starts)", bare,
               1e6 / bare);
        printf("  %-34s %10.0f µs/sandbox   %8.1f sandboxes/s   %.2fx\n", "daemon: Start to Running", start,
               1e6 / start, start / bare);
        printf("  %-34s %10ld KiB total       %8.1f KiB/sandbox\n", "daemon RSS", rss1,
               (double) (rss1 - rss0) / n);
        printf("  %-34s %10.3f s CPU          %8ld context switches over %d s\n", "daemon idle", cpu1 - cpu0, sw1 - sw0,
               idle);

        call_verb(bus, "Kill", names, "KILL");
        /* The daemon leaves sandboxes running when it exits: wait for the kills. */
        for (int i = 0; i < 500; i++) {
                char procs[256];
                snprintf(procs, sizeof procs, "find /sys/fs/cgroup/unified/%s /sys/fs/cgroup/%s -name cgroup.procs "
                         "-exec cat {} + 2>/dev/null | grep -q .", cgroot, cgroot);
                if (system(procs) != 0)
                        break;
                usleep(20000);
        }
        sd_bus_flush_close_unref(bus);
        stop_daemon(daemon, dir, cgroot);
        for (int i = 0; i < n; i++)
                free(names[i]);
        free(names);
        return 0;
}
