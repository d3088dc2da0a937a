/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* A small program the sandbox tests run as the service, to look at the
 * sandbox from inside. One verb per check; output is one fact per line.
 *   syscall NAME   call NAME with harmless arguments, print "NAME: ok" or
 *                  "NAME: ERRNO-NAME" (a blocked call under kill-process
 *                  never returns)
 *   escape         try every way out: mount, unshare, setns, ptrace, raising
 *                  capabilities, setuid(0), chroot; prints one line each
 *   bind80         bind 0.0.0.0:80, print "bind: ok" or the error
 *   sigcount       count INT; print "int N" on each, "term ints=N" on TERM
 *   pause          wait forever, no handlers (TERM must still stop it)
 *   orphans        double-fork so that a grandchild is orphaned, then count
 *                  zombies in /proc: "zombies=N"
 *   rw DIR         write, read back and delete DIR/file: "rw: ok"
 *   openw FILE...  open each FILE for writing, write nothing, close:
 *                  "FILE: ok" or the error (harmless even where it works) */

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/capability.h>
#include <netinet/in.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/prctl.h>
#include <sys/ptrace.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static void report(const char *what, long r) {
        if (r < 0)
                printf("%s: %s\n", what, strerrorname_np(errno));
        else
                printf("%s: ok\n", what);
        fflush(stdout);
}

static long call(const char *name) {
        if (strcmp(name, "ptrace") == 0)
                return ptrace(PTRACE_ATTACH, 1, NULL, NULL);
        if (strcmp(name, "mount") == 0)
                return mount("none", "/tmp", "tmpfs", 0, NULL);
        if (strcmp(name, "umount2") == 0)
                return umount2("/proc", MNT_DETACH);
        if (strcmp(name, "kexec_load") == 0)
                return syscall(SYS_kexec_load, 0UL, 0UL, NULL, 0UL);
        if (strcmp(name, "init_module") == 0)
                return syscall(SYS_init_module, NULL, 0UL, "");
        if (strcmp(name, "unshare") == 0)
                return unshare(CLONE_NEWNS);
        if (strcmp(name, "setns") == 0) {
                int fd = open("/proc/self/ns/mnt", O_RDONLY | O_CLOEXEC);
                return fd < 0 ? fd : setns(fd, 0);
        }
        if (strcmp(name, "chroot") == 0)
                return chroot("/tmp");
        if (strcmp(name, "setuid") == 0)
                return setuid(0);
        fprintf(stderr, "unknown syscall %s\n", name);
        exit(2);
}

static long raise_caps(void) {
        struct __user_cap_header_struct h = { .version = _LINUX_CAPABILITY_VERSION_3 };
        struct __user_cap_data_struct d[2];
        memset(d, 0xff, sizeof d);
        return syscall(SYS_capset, &h, d);
}

static volatile sig_atomic_t n_int, got_term;
static void on_signal(int sig) {
        if (sig == SIGINT)
                n_int++;
        else
                got_term = 1;
}

static int sigcount(void) {
        struct sigaction sa = { .sa_handler = on_signal };
        sigset_t block, old;
        int seen = 0;

        sigaction(SIGINT, &sa, NULL);
        sigaction(SIGTERM, &sa, NULL);
        sigemptyset(&block);
        sigaddset(&block, SIGINT);
        sigaddset(&block, SIGTERM);
        sigprocmask(SIG_BLOCK, &block, &old);
        printf("ready\n");
        fflush(stdout);
        while (!got_term) {
                sigsuspend(&old);
                while (seen < n_int) {
                        seen++;
                        printf("int %d\n", seen);
                        fflush(stdout);
                }
        }
        printf("term ints=%d\n", (int) n_int);
        return 0;
}

static int count_zombies(void) {
        DIR *d = opendir("/proc");
        struct dirent *de;
        int n = 0;

        if (!d)
                return -1;
        while ((de = readdir(d))) {
                char path[300], buf[512];
                if (de->d_name[0] < '0' || de->d_name[0] > '9')
                        continue;
                snprintf(path, sizeof path, "/proc/%s/stat", de->d_name);
                FILE *f = fopen(path, "re");
                if (!f)
                        continue;
                if (fgets(buf, sizeof buf, f)) {
                        char *p = strrchr(buf, ')');
                        if (p && p[1] == ' ' && p[2] == 'Z')
                                n++;
                }
                fclose(f);
        }
        closedir(d);
        return n;
}

static int orphans(void) {
        for (int i = 0; i < 5; i++) {
                pid_t child = fork();
                if (child == 0) {
                        if (fork() == 0)
                                _exit(0); /* the grandchild: orphaned, then dead */
                        _exit(0);
                }
                waitpid(child, NULL, 0);
        }
        /* Give the init a moment to reap what was reparented to it. */
        for (int i = 0; i < 50 && count_zombies() > 0; i++)
                nanosleep(&(struct timespec) { .tv_nsec = 20 * 1000 * 1000 }, NULL);
        printf("zombies=%d\n", count_zombies());
        return 0;
}

int main(int argc, char **argv) {
        if (argc < 2)
                return 2;
        const char *verb = argv[1];

        if (strcmp(verb, "syscall") == 0 && argc == 3) {
                report(argv[2], call(argv[2]));
                return 0;
        }
        if (strcmp(verb, "escape") == 0) {
                static const char * const calls[] = { "mount", "umount2", "unshare", "setns", "ptrace",
                                                       "chroot", "setuid" };
                for (size_t i = 0; i < sizeof calls / sizeof calls[0]; i++)
                        report(calls[i], call(calls[i]));
                report("capset", raise_caps());
                report("ambient", prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_RAISE, CAP_SYS_ADMIN, 0, 0));
                return 0;
        }
        if (strcmp(verb, "bind80") == 0) {
                int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
                struct sockaddr_in sa = { .sin_family = AF_INET, .sin_port = htons(80) };
                report("bind", fd < 0 ? -1 : bind(fd, (struct sockaddr *) &sa, sizeof sa));
                return 0;
        }
        if (strcmp(verb, "sigcount") == 0)
                return sigcount();
        if (strcmp(verb, "pause") == 0) {
                printf("ready\n");
                fflush(stdout);
                for (;;)
                        pause();
        }
        if (strcmp(verb, "orphans") == 0)
                return orphans();
        if (strcmp(verb, "openw") == 0) {
                for (int i = 2; i < argc; i++) {
                        int fd = open(argv[i], O_WRONLY | O_CLOEXEC | O_NOCTTY);
                        report(argv[i], fd);
                        if (fd >= 0)
                                close(fd);
                }
                return 0;
        }
        if (strcmp(verb, "rw") == 0 && argc == 3) {
                char path[4096], buf[16] = {};
                snprintf(path, sizeof path, "%s/pgs-rw-test", argv[2]);
                int fd = open(path, O_RDWR | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
                if (fd < 0 || write(fd, "hello", 5) != 5 || pread(fd, buf, 5, 0) != 5 || strcmp(buf, "hello") != 0) {
                        report("rw", -1);
                        return 1;
                }
                close(fd);
                report("rw", unlink(path));
                return 0;
        }
        fprintf(stderr, "unknown verb %s\n", verb);
        return 2;
}
