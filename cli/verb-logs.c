/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* pgsandbox logs TARGET [-n N] [-f] [--run N|-1]: the service's output, with
 * the boundaries between its runs taken from the log's metadata (NAME.runs
 * beside NAME.log), following across restarts with -f. The daemon says
 * where the log is (LogFile); the files are read directly, so any user who
 * may read them sees the output, as `status` does. */
#include <fcntl.h>
#include <getopt.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/inotify.h>
#include <sys/stat.h>

#include "bus-util.h"
#include "fileio.h"
#include "log-marks.h"
#include "sandbox-info.h"
#include "strv.h"
#include "terminal.h"
#include "verbs.h"

#define LOG_READ_MAX (64U * 1024U * 1024U)

static void logs_help(FILE *f) {
        fprintf(f,
                "Usage: pgsandbox logs [OPTIONS] TARGET\n"
                "\n"
                "Shows what the sandbox's service wrote to stdout and stderr, oldest first,\n"
                "with a line at each run's start and end saying how it ended. A TARGET is a\n"
                "name, a service id or a unique id prefix. Any user who may read the log\n"
                "files (by default every user) may run it.\n"
                "\n"
                "Options:\n"
                "  -h --help          Show this help\n"
                "  -n --lines=N       Only the last N lines\n"
                "  -f --follow        Keep printing what the service writes, across its restarts\n"
                "     --run=N         Only run N (its task id, as 'pgsandbox history' lists them);\n"
                "                     -1: the last run\n"
                "     --bus ADDRESS   Ask pgsandboxd at ADDRESS where the log is\n"
                "\n"
                "Exit status: 0 on success, 1 if the sandbox or its log cannot be found or\n"
                "read, 2 on a usage error.\n");
}

typedef struct Printer {
        LogMark *marks;
        size_t n_marks, next_mark; /* marks[next_mark..] not printed yet */
        uint64_t only_run;         /* --run: the marks of this run only; 0: all */
        bool colors;
} Printer;

/* Prints the marks at or before offset. */
static void print_marks_upto(Printer *p, uint64_t offset) {
        for (; p->next_mark < p->n_marks && p->marks[p->next_mark].offset <= offset; p->next_mark++) {
                if (p->only_run > 0 && p->marks[p->next_mark].run != p->only_run)
                        continue;
                _cleanup_free_ char *s = log_mark_format(&p->marks[p->next_mark]);
                printf("%s%s%s\n", p->colors ? ANSI_GREY : "", s ?: "--", p->colors ? ANSI_NORMAL : "");
        }
}

static int load_marks(const char *log_path, Printer *p) {
        _cleanup_free_ char *path = log_marks_path(log_path), *text = NULL;
        if (!path)
                return -ENOMEM;
        int r = read_full_file(path, LOG_READ_MAX, &text, NULL);
        if (r == -ENOENT)
                return 0; /* no run has started yet */
        if (r < 0)
                return r;
        log_marks_free(p->marks, p->n_marks);
        p->marks = NULL;
        p->n_marks = 0;
        return log_marks_parse(text, &p->marks, &p->n_marks);
}

/* The byte range of run (task id) run; run == -1: the last one. */
static int run_range(const Printer *p, long long run, uint64_t size, uint64_t *from, uint64_t *to,
                     uint64_t *ret_run) {
        ssize_t start = -1;
        for (size_t i = 0; i < p->n_marks; i++)
                if (p->marks[i].kind == LOG_MARK_START && (run < 0 || p->marks[i].run == (uint64_t) run))
                        start = (ssize_t) i;
        if (start < 0)
                return -ENOENT;
        *from = p->marks[start].offset;
        *to = size;
        *ret_run = p->marks[start].run;
        for (size_t i = (size_t) start + 1; i < p->n_marks; i++)
                if (p->marks[i].run == p->marks[start].run && p->marks[i].kind == LOG_MARK_END) {
                        *to = p->marks[i].offset;
                        break;
                }
        return 0;
}

/* Prints bytes [from, to) of the log, the last max_lines lines of it if set,
 * with the marks in between. */
static int print_range(int fd, Printer *p, uint64_t from, uint64_t to, long max_lines) {
        if (to - from > LOG_READ_MAX)
                from = to - LOG_READ_MAX;
        size_t n = (size_t) (to - from);
        _cleanup_free_ char *buf = malloc(n + 1);
        if (!buf)
                return -ENOMEM;
        ssize_t k = pread(fd, buf, n, (off_t) from);
        if (k < 0)
                return -errno;
        n = (size_t) k;

        /* -n: begin after the max_lines-th newline from the end (the last
         * line's own newline aside). */
        size_t begin = 0;
        if (max_lines == 0)
                begin = n;
        else if (max_lines > 0) {
                long seen = 0;
                for (size_t i = n > 0 && buf[n - 1] == '\n' ? n - 1 : n; i > 0; i--)
                        if (buf[i - 1] == '\n' && ++seen == max_lines) {
                                begin = i;
                                break;
                        }
        }
        /* Marks before the shown part are skipped, not printed. */
        while (p->next_mark < p->n_marks && p->marks[p->next_mark].offset < from + begin)
                p->next_mark++;
        for (size_t i = begin; i < n;) {
                char *nl = memchr(buf + i, '\n', n - i);
                size_t len = nl ? (size_t) (nl - (buf + i)) + 1 : n - i;
                print_marks_upto(p, from + i);
                fwrite(buf + i, 1, len, stdout);
                i += len;
        }
        print_marks_upto(p, from + n);
        return 0;
}

/* -f: prints what comes, woken by inotify on the log and its marks. */
static int follow(const char *log_path, Printer *p, uint64_t pos) {
        _cleanup_free_ char *marks_path = log_marks_path(log_path);
        _cleanup_close_ int ifd = inotify_init1(IN_CLOEXEC), fd = -EBADF;

        if (!marks_path || ifd < 0)
                return -ENOMEM;
        /* The directory: the files may be created or renamed (rotation). */
        _cleanup_free_ char *dir = strdup(log_path);
        if (!dir)
                return -ENOMEM;
        char *slash = strrchr(dir, '/');
        if (slash)
                *slash = 0;
        if (inotify_add_watch(ifd, slash ? dir : ".", IN_MODIFY | IN_CREATE | IN_MOVED_TO) < 0)
                return -errno;
        fflush(stdout);
        for (;;) {
                char events[4096];
                struct stat st;

                size_t before = p->n_marks;
                (void) load_marks(log_path, p);
                if (p->n_marks < before || p->next_mark > p->n_marks) {
                        /* Rotated: a new file, from its start. */
                        pos = 0;
                        p->next_mark = 0;
                        fd = safe_close(fd);
                }
                if (fd < 0)
                        fd = open(log_path, O_RDONLY | O_CLOEXEC);
                if (fd >= 0 && fstat(fd, &st) >= 0 && (uint64_t) st.st_size > pos) {
                        int r = print_range(fd, p, pos, (uint64_t) st.st_size, -1);
                        if (r < 0)
                                return r;
                        pos = (uint64_t) st.st_size;
                } else
                        print_marks_upto(p, pos);
                if (fflush(stdout) != 0)
                        return 0; /* the reader went away */
                if (read(ifd, events, sizeof events) < 0 && errno != EINTR)
                        return -errno;
        }
}

int verb_logs(int argc, char *argv[]) {
        enum { ARG_RUN = 0x100, ARG_BUS };
        static const struct option options[] = {
                { "help", no_argument, NULL, 'h' },
                { "lines", required_argument, NULL, 'n' },
                { "follow", no_argument, NULL, 'f' },
                { "run", required_argument, NULL, ARG_RUN },
                { "bus", required_argument, NULL, ARG_BUS },
                {},
        };
        long max_lines = -1;
        long long run = 0;
        bool follow_on = false, want_run = false;
        char *end;
        int c, r;

        while ((c = getopt_long(argc, argv, "hn:f", options, NULL)) >= 0)
                switch (c) {
                case 'h':
                        logs_help(stdout);
                        return 0;
                case 'n':
                        max_lines = strtol(optarg, &end, 10);
                        if (*optarg == 0 || *end || max_lines < 0) {
                                fprintf(stderr, "pgsandbox logs: -n takes a number of lines, not '%s'.\n", optarg);
                                return EXIT_USAGE;
                        }
                        break;
                case 'f':
                        follow_on = true;
                        break;
                case ARG_RUN:
                        run = strtoll(optarg, &end, 10);
                        if (*optarg == 0 || *end || (run < 1 && run != -1)) {
                                fprintf(stderr, "pgsandbox logs: --run takes a run's task id or -1, not '%s'.\n",
                                        optarg);
                                return EXIT_USAGE;
                        }
                        want_run = true;
                        break;
                case ARG_BUS:
                        arg_bus = optarg;
                        break;
                default:
                        fprintf(stderr, "Run 'pgsandbox logs --help' for usage.\n");
                        return EXIT_USAGE;
                }
        if (optind + 1 != argc) {
                fprintf(stderr, "pgsandbox logs: name one sandbox (see 'pgsandbox ps').\n");
                return EXIT_USAGE;
        }

        _cleanup_(sd_bus_flush_close_unrefp) sd_bus *bus = NULL;
        _cleanup_(sd_bus_error_free) sd_bus_error error = SD_BUS_ERROR_NULL;
        _cleanup_(sandbox_info_freep) SandboxInfo *i = NULL;
        if (bus_connect(&bus) < 0)
                return 1;
        r = sandbox_get(bus, argv[optind], &i, &error);
        if (r < 0)
                return bus_log_error(&error, r, "get the sandbox");
        if (!i->log_file || !*i->log_file) {
                fprintf(stderr, "pgsandbox logs: pgsandboxd does not say where the log of %s is (an older "
                                "daemon?).\n", i->name);
                return 1;
        }

        Printer p = { .colors = terminal_colors(stdout) };
        _cleanup_close_ int fd = open(i->log_file, O_RDONLY | O_CLOEXEC);
        struct stat st = {};
        if (fd < 0 && errno != ENOENT) {
                fprintf(stderr, "pgsandbox logs: cannot read %s: %m%s\n", i->log_file,
                        errno == EACCES ? " (run as root)" : "");
                return 1;
        }
        r = load_marks(i->log_file, &p);
        if (r >= 0 && fd >= 0 && fstat(fd, &st) < 0)
                r = -errno;
        if (r < 0) {
                fprintf(stderr, "pgsandbox logs: cannot read the log of %s: %s\n", i->name, strerror(-r));
                log_marks_free(p.marks, p.n_marks);
                return 1;
        }
        uint64_t from = 0, to = (uint64_t) st.st_size;
        if (want_run && run_range(&p, run, to, &from, &to, &p.only_run) < 0) {
                fprintf(stderr, "pgsandbox logs: no run %lld of %s in its current log ('pgsandbox history %s' "
                                "lists the runs).\n", run, i->name, i->name);
                log_marks_free(p.marks, p.n_marks);
                return 1;
        }
        if (fd >= 0)
                r = print_range(fd, &p, from, to, max_lines);
        else if (!follow_on)
                printf("(%s has written nothing yet)\n", i->name);
        if (r >= 0 && follow_on)
                r = follow(i->log_file, &p, to);
        log_marks_free(p.marks, p.n_marks);
        if (r < 0) {
                fprintf(stderr, "pgsandbox logs: %s: %s\n", i->log_file, strerror(-r));
                return 1;
        }
        return fflush(stdout) == 0 ? 0 : 1;
}
