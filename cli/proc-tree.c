/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <dirent.h>
#include <stdlib.h>
#include <string.h>

#include "proc-tree.h"
#include "table.h"

typedef struct Proc {
        pid_t pid, ppid;
} Proc;

static int read_ppid(pid_t pid, pid_t *ret) {
        char path[64], buf[1024];
        snprintf(path, sizeof path, "/proc/%d/stat", (int) pid);
        FILE *f = fopen(path, "re");
        if (!f)
                return -errno;
        size_t n = fread(buf, 1, sizeof buf - 1, f);
        fclose(f);
        buf[n] = 0;
        /* "pid (comm) state ppid ...": comm may hold spaces and parentheses. */
        char *p = strrchr(buf, ')');
        int ppid;
        if (!p || sscanf(p + 1, " %*c %d", &ppid) != 1)
                return -EBADMSG;
        *ret = ppid;
        return 0;
}

/* The command line with NULs as spaces, or [comm] for kernel threads. */
static char *read_cmdline(pid_t pid) {
        char path[64], buf[512];
        snprintf(path, sizeof path, "/proc/%d/cmdline", (int) pid);
        FILE *f = fopen(path, "re");
        size_t n = 0;
        if (f) {
                n = fread(buf, 1, sizeof buf - 1, f);
                fclose(f);
        }
        while (n > 0 && buf[n - 1] == 0)
                n--;
        for (size_t i = 0; i < n; i++)
                if (buf[i] == 0 || buf[i] == '\n')
                        buf[i] = ' ';
        buf[n] = 0;
        return strdup(n > 0 ? buf : "?");
}

static int load_procs(Proc **ret, size_t *ret_n) {
        _cleanup_free_ Proc *v = NULL;
        size_t n = 0, allocated = 0;
        DIR *d = opendir("/proc");
        struct dirent *de;

        if (!d)
                return -errno;
        while ((de = readdir(d))) {
                char *end;
                long pid = strtol(de->d_name, &end, 10);
                pid_t ppid;
                if (*end || pid <= 0 || read_ppid((pid_t) pid, &ppid) < 0)
                        continue;
                if (n == allocated) {
                        allocated = allocated ? allocated * 2 : 256;
                        Proc *nv = reallocarray(v, allocated, sizeof *nv);
                        if (!nv) {
                                closedir(d);
                                return -ENOMEM;
                        }
                        v = nv;
                }
                v[n++] = (Proc) { (pid_t) pid, ppid };
        }
        closedir(d);
        *ret = TAKE_PTR(v);
        *ret_n = n;
        return 0;
}

static void print_node(FILE *f, const Proc *v, size_t n, pid_t pid, char *prefix, size_t plen, bool last,
                       size_t width, unsigned depth) {
        /* The root is the sandbox's init, a fork of the monitor: its command
         * line would be the monitor's. */
        _cleanup_free_ char *cmd = depth == 0 ? strdup("(sandbox init)") : read_cmdline(pid), *line = NULL,
                            *cut = NULL;
        if (asprintf(&line, "  %.*s%s%d %s", (int) plen, prefix, depth == 0 ? "" : last ? "└─ " : "├─ ", (int) pid,
                     cmd ?: "?") < 0)
                return;
        cut = ellipsize_line(line, width);
        fprintf(f, "%s\n", cut ?: line);
        if (depth >= 32) /* deeper than anyone reads */
                return;

        /* The children's prefix: "│  " below a middle child, "   " below the last. */
        char sub[32 * 8];
        size_t slen = plen;
        memcpy(sub, prefix, plen);
        if (depth > 0) {
                const char *add = last ? "   " : "│  ";
                memcpy(sub + slen, add, strlen(add));
                slen += strlen(add);
        }
        size_t count = 0, seen = 0;
        for (size_t i = 0; i < n; i++)
                count += v[i].ppid == pid;
        for (size_t i = 0; i < n; i++)
                if (v[i].ppid == pid)
                        print_node(f, v, n, v[i].pid, sub, slen, ++seen == count, width, depth + 1);
}

static int proc_compare(const void *a, const void *b) {
        const Proc *x = a, *y = b;
        return (x->pid > y->pid) - (x->pid < y->pid);
}

int proc_tree_print(FILE *f, pid_t root, size_t width) {
        _cleanup_free_ Proc *v = NULL;
        size_t n = 0;
        int r = load_procs(&v, &n);
        if (r < 0)
                return r;
        qsort(v, n, sizeof *v, proc_compare);
        for (size_t i = 0; i < n; i++)
                if (v[i].pid == root) {
                        char prefix[1] = "";
                        print_node(f, v, n, root, prefix, 0, true, width, 0);
                        break;
                }
        return 0;
}
