/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* pgsandbox top: the sandboxes with CPU%, memory and tasks, refreshed every
 * second, sortable, q to quit. On a terminal it takes the screen (the
 * alternate screen, restored on exit); otherwise it prints frames. */
#include <getopt.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/signalfd.h>
#include <termios.h>

#include "bus-util.h"
#include "policy-values.h"
#include "sandbox-info.h"
#include "terminal.h"
#include "top-format.h"
#include "verbs.h"

static void top_help(FILE *f) {
        fprintf(f,
                "Usage: pgsandbox top [OPTIONS]\n"
                "\n"
                "A live view of the sandboxes: name, state, CPU use (percent of one CPU\n"
                "since the last refresh), memory and tasks (current/limit), uptime and\n"
                "status. Keys: n, c, m, p, s sort by name, CPU, memory, pids or state;\n"
                "q (or Ctrl+C) quits; any other key refreshes now.\n"
                "\n"
                "Options:\n"
                "  -h --help              Show this help\n"
                "  -d --delay SECONDS     Refresh interval (default 1s; also 500ms, 2s, ...)\n"
                "  -n --iterations N      Stop after N frames\n"
                "     --sort KEY          name, cpu, memory, pids or state (default: cpu)\n"
                "     --bus ADDRESS       Talk to pgsandboxd at ADDRESS\n"
                "\n"
                "When standard output is not a terminal, prints --iterations frames (default\n"
                "1) one after another, without colours.\n");
}

/* CPU use since the previous frame, by service id. */
typedef struct CpuSample {
        char id[40];
        uint64_t usage;
} CpuSample;

typedef struct Top {
        sd_bus *bus;
        TopOptions o;
        bool screen; /* we own a terminal screen */
        CpuSample *prev;
        size_t n_prev;
        usec_t prev_time;
        char *error;  /* why the last refresh failed */
} Top;

static void compute_cpu(Top *t, SandboxInfo **v, double *cpu, usec_t now) {
        size_t n = sandbox_info_array_length(v);
        CpuSample *cur = calloc(n ?: 1, sizeof *cur);

        for (size_t i = 0; i < n; i++) {
                cpu[i] = -1;
                for (size_t k = 0; t->prev_time > 0 && k < t->n_prev; k++)
                        if (streq(t->prev[k].id, v[i]->id) && v[i]->cpu_usage_usec != UINT64_MAX &&
                            t->prev[k].usage != UINT64_MAX && v[i]->cpu_usage_usec >= t->prev[k].usage &&
                            now > t->prev_time)
                                cpu[i] = 100.0 * (double) (v[i]->cpu_usage_usec - t->prev[k].usage) /
                                         (double) (now - t->prev_time);
                if (cur) {
                        snprintf(cur[i].id, sizeof cur[i].id, "%s", v[i]->id);
                        cur[i].usage = v[i]->cpu_usage_usec;
                }
        }
        free(t->prev);
        t->prev = cur;
        t->n_prev = cur ? n : 0;
        t->prev_time = now;
}

static int draw(Top *t) {
        _cleanup_(sd_bus_error_free) sd_bus_error error = SD_BUS_ERROR_NULL;
        _cleanup_(sandbox_info_array_freep) SandboxInfo **v = NULL;
        _cleanup_free_ double *cpu = NULL;
        _cleanup_free_ char *frame = NULL;
        size_t size = 0;
        int r;

        r = sandbox_list(t->bus, &v, &error);
        if (r < 0) {
                /* Said after the screen is restored, or it would vanish with it. */
                if (sd_bus_error_is_set(&error) && error.message)
                        t->error = strdup(error.message);
                return r;
        }
        cpu = calloc(sandbox_info_array_length(v) + 1, sizeof *cpu);
        if (!cpu)
                return -ENOMEM;
        compute_cpu(t, v, cpu, now_usec(CLOCK_MONOTONIC));
        if (t->screen) {
                t->o.width = terminal_columns(stdout);
                t->o.height = terminal_lines(stdout);
        }
        t->o.now = now_usec(CLOCK_REALTIME);

        FILE *m = open_memstream(&frame, &size);
        if (!m)
                return -ENOMEM;
        r = top_render(m, v, cpu, &t->o);
        if (fclose(m) != 0 || r < 0)
                return r < 0 ? r : -ENOMEM;
        if (!t->screen) {
                fputs(frame, stdout);
                return fflush(stdout) == 0 ? 0 : -EIO;
        }
        /* Home, then each line followed by clear-to-end-of-line, then clear
         * below: no flicker, no leftovers from a longer previous frame. The
         * last line has no newline, so that a full screen does not scroll. */
        fputs("\033[H", stdout);
        for (char *p = frame, *nl; *p; p = nl + 1) {
                nl = strchrnul(p, '\n');
                fwrite(p, 1, (size_t) (nl - p), stdout);
                fputs("\033[K", stdout);
                if (!*nl || !nl[1])
                        break;
                fputs("\r\n", stdout);
        }
        fputs("\033[J", stdout);
        return fflush(stdout) == 0 ? 0 : -EIO;
}

static struct termios saved_termios;

static void screen_enter(void) {
        struct termios raw;
        if (tcgetattr(STDIN_FILENO, &saved_termios) >= 0) {
                raw = saved_termios;
                raw.c_lflag &= ~(ICANON | ECHO);
                raw.c_cc[VMIN] = 1;
                raw.c_cc[VTIME] = 0;
                (void) tcsetattr(STDIN_FILENO, TCSANOW, &raw);
        }
        fputs("\033[?1049h\033[?25l", stdout); /* alternate screen, hide the cursor */
        fflush(stdout);
}

static void screen_leave(void) {
        fputs("\033[?25h\033[?1049l", stdout);
        fflush(stdout);
        (void) tcsetattr(STDIN_FILENO, TCSANOW, &saved_termios);
}

/* Waits for a key, a signal or the next refresh. Returns 1 to go on, 0 to
 * quit. */
static int wait_event(Top *t, int sfd, usec_t deadline) {
        struct pollfd p[2] = { { .fd = sfd, .events = POLLIN }, { .fd = STDIN_FILENO, .events = POLLIN } };
        usec_t now = now_usec(CLOCK_MONOTONIC);
        int timeout = deadline > now ? (int) ((deadline - now + USEC_PER_MSEC - 1) / USEC_PER_MSEC) : 0;

        if (poll(p, t->screen ? 2 : 1, timeout) < 0)
                return errno == EINTR ? 1 : -errno;
        if (p[0].revents & POLLIN) {
                struct signalfd_siginfo si;
                if (read(sfd, &si, sizeof si) == sizeof si && si.ssi_signo != SIGWINCH)
                        return 0;
                return 2; /* resized: redraw now */
        }
        if (t->screen && (p[1].revents & (POLLIN | POLLHUP))) {
                char c;
                if (read(STDIN_FILENO, &c, 1) != 1 || c == 'q' || c == 'Q')
                        return 0;
                TopSort s = top_sort_from_key(c);
                if (s >= 0)
                        t->o.sort = s;
                return 2;
        }
        return 1;
}

static int top_loop(Top *t, usec_t interval, unsigned iterations) {
        sigset_t mask;
        int sfd, r = 0;

        sigemptyset(&mask);
        sigaddset(&mask, SIGINT);
        sigaddset(&mask, SIGTERM);
        sigaddset(&mask, SIGHUP);
        sigaddset(&mask, SIGWINCH);
        if (sigprocmask(SIG_BLOCK, &mask, NULL) < 0 || (sfd = signalfd(-1, &mask, SFD_CLOEXEC)) < 0) {
                fprintf(stderr, "Failed to set up signals: %m\n");
                return 1;
        }
        if (t->screen)
                screen_enter();
        for (unsigned k = 0; iterations == 0 || k < iterations; k++) {
                if (k > 0 && !t->screen)
                        fputc('\n', stdout);
                r = draw(t);
                if (r < 0)
                        break;
                if (iterations > 0 && k + 1 >= iterations)
                        break;
                usec_t deadline = now_usec(CLOCK_MONOTONIC) + interval;
                int e;
                while ((e = wait_event(t, sfd, deadline)) == 1 && now_usec(CLOCK_MONOTONIC) < deadline)
                        ;
                if (e <= 0) {
                        r = e;
                        break;
                }
        }
        if (t->screen)
                screen_leave();
        safe_close(sfd);
        if (r < 0)
                fprintf(stderr, "pgsandbox top: failed to list the sandboxes: %s\n",
                        t->error ?: r == -ECONNRESET || r == -ENOTCONN ? "pgsandboxd closed the connection (did it exit?)"
                                                                        : strerror(-r));
        return r < 0 ? 1 : 0;
}

int verb_top(int argc, char *argv[]) {
        enum { ARG_SORT = 0x100, ARG_BUS };
        static const struct option options[] = {
                { "help", no_argument, NULL, 'h' },
                { "delay", required_argument, NULL, 'd' },
                { "iterations", required_argument, NULL, 'n' },
                { "sort", required_argument, NULL, ARG_SORT },
                { "bus", required_argument, NULL, ARG_BUS },
                {},
        };
        _cleanup_(sd_bus_flush_close_unrefp) sd_bus *bus = NULL;
        Top t = { .o.sort = TOP_SORT_CPU };
        usec_t interval = USEC_PER_SEC;
        unsigned iterations = 0;
        int c, r;

        while ((c = getopt_long(argc, argv, "hd:n:", options, NULL)) >= 0)
                switch (c) {
                case 'h':
                        top_help(stdout);
                        return 0;
                case 'd':
                        if (parse_timespan(optarg, &interval) < 0 || interval < 100 * USEC_PER_MSEC ||
                            interval == USEC_INFINITY) {
                                fprintf(stderr, "Invalid --delay '%s': give a time of at least 100ms, e.g. 2 or "
                                                "500ms.\n", optarg);
                                return EXIT_USAGE;
                        }
                        break;
                case 'n':
                        if (parse_unsigned(optarg, &iterations) < 0 || iterations == 0) {
                                fprintf(stderr, "Invalid --iterations '%s': give a positive number.\n", optarg);
                                return EXIT_USAGE;
                        }
                        break;
                case ARG_SORT:
                        if ((t.o.sort = top_sort_from_string(optarg)) < 0) {
                                fprintf(stderr, "Unknown sort key '%s': use name, cpu, memory, pids or state.\n",
                                        optarg);
                                return EXIT_USAGE;
                        }
                        break;
                case ARG_BUS:
                        arg_bus = optarg;
                        break;
                default:
                        fprintf(stderr, "Run 'pgsandbox top --help' for usage.\n");
                        return EXIT_USAGE;
                }
        if (optind < argc) {
                fprintf(stderr, "pgsandbox top takes no arguments ('%s').\n", argv[optind]);
                return EXIT_USAGE;
        }

        if (bus_connect(&bus) < 0)
                return 1;
        t.bus = bus;
        t.screen = isatty(STDOUT_FILENO) && isatty(STDIN_FILENO);
        t.o.colors = terminal_colors(stdout);
        t.o.interval = interval;
        if (!t.screen) {
                t.o.width = terminal_columns(stdout);
                t.o.height = 0;
                if (iterations == 0)
                        iterations = 1;
        }
        r = top_loop(&t, interval, iterations);
        free(t.prev);
        free(t.error);
        return r;
}
