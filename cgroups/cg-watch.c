/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The inotify watch of the payloads' *.events files. cgroup_file_notify()
 * coalesces notifications (at most one per file every 10ms), so a
 * notification is a hint to re-read, never a count. */
#include <stdio.h>
#include <sys/inotify.h>

#include "cg-internal.h"

#define CG_WATCH_FILES 3
static const char * const watched_files[CG_WATCH_FILES] = {
        "memory.events", "pids.events", "cgroup.events",
};

typedef struct CgWatchEntry {
        CgSandbox *sandbox;
        int wd[CG_WATCH_FILES];
        cg_watch_handler_t handler;
        void *userdata;
        CgCounters last, total;
        bool dirty;
} CgWatchEntry;

struct CgWatch {
        int fd;
        CgWatchEntry *entries;
        size_t n, cap;
};

int cg_watch_new(CgWatch **ret) {
        CgWatch *w = calloc(1, sizeof *w);
        if (!w)
                return -ENOMEM;
        w->fd = inotify_init1(IN_CLOEXEC | IN_NONBLOCK);
        if (w->fd < 0) {
                int r = -errno;
                free(w);
                return r;
        }
        *ret = w;
        return 0;
}

CgWatch *cg_watch_free(CgWatch *w) {
        if (!w)
                return NULL;
        safe_close(w->fd);
        free(w->entries);
        return mfree(w);
}

int cg_watch_fd(const CgWatch *w) {
        return w->fd;
}

static CgWatchEntry *find_entry(const CgWatch *w, const CgSandbox *s) {
        for (size_t i = 0; i < w->n; i++)
                if (w->entries[i].sandbox == s)
                        return &w->entries[i];
        return NULL;
}

static void total_add(uint64_t *total, uint64_t delta) {
        if (delta == CG_COUNTER_UNKNOWN)
                return;
        *total = *total == CG_COUNTER_UNKNOWN ? delta : *total + delta;
}

static void zero_total(CgCounters *t, const CgCounters *base) {
        *t = *base;
        uint64_t *events[] = { &t->memory_high, &t->memory_max, &t->memory_oom, &t->memory_oom_kill,
                               &t->memory_oom_group_kill, &t->pids_max, &t->cpu_usage_usec,
                               &t->cpu_nr_throttled, &t->cpu_throttled_usec };
        for (size_t i = 0; i < ELEMENTSOF(events); i++)
                if (*events[i] != CG_COUNTER_UNKNOWN)
                        *events[i] = 0;
}

int cg_watch_add(CgWatch *w, CgSandbox *s, cg_watch_handler_t handler, void *userdata) {
        if (find_entry(w, s))
                return -EEXIST;
        if (w->n == w->cap) {
                size_t cap = w->cap ? w->cap * 2 : 8;
                CgWatchEntry *e = realloc(w->entries, cap * sizeof *e);
                if (!e)
                        return -ENOMEM;
                w->entries = e;
                w->cap = cap;
        }
        CgWatchEntry e = { .sandbox = s, .handler = handler, .userdata = userdata };
        for (size_t i = 0; i < CG_WATCH_FILES; i++) {
                _cleanup_free_ char *path = NULL;
                if (asprintf(&path, "%s/payload/%s", s->path, watched_files[i]) < 0)
                        return -ENOMEM;
                e.wd[i] = inotify_add_watch(w->fd, path, IN_MODIFY);
                if (e.wd[i] < 0 && errno != ENOENT) {
                        int r = -errno;
                        for (size_t j = 0; j < i; j++)
                                if (e.wd[j] >= 0)
                                        (void) inotify_rm_watch(w->fd, e.wd[j]);
                        return r;
                }
        }
        /* The baseline is read after the watches exist, so no change is lost. */
        int r = cg_sandbox_read_counters(s, &e.last);
        if (r < 0) {
                for (size_t j = 0; j < CG_WATCH_FILES; j++)
                        if (e.wd[j] >= 0)
                                (void) inotify_rm_watch(w->fd, e.wd[j]);
                return r;
        }
        zero_total(&e.total, &e.last);
        w->entries[w->n++] = e;
        return 0;
}

int cg_watch_remove(CgWatch *w, CgSandbox *s) {
        CgWatchEntry *e = find_entry(w, s);
        if (!e)
                return -ENOENT;
        for (size_t j = 0; j < CG_WATCH_FILES; j++)
                if (e->wd[j] >= 0)
                        (void) inotify_rm_watch(w->fd, e->wd[j]);   /* gone with the cgroup: fine */
        *e = w->entries[--w->n];
        return 0;
}

/* Re-reads, diffs against the last read, calls the handler if an event
 * counter moved or the populated state changed. */
static int entry_refresh(CgWatchEntry *e) {
        CgCounters now, delta;
        int r = cg_sandbox_read_counters(e->sandbox, &now);
        e->dirty = false;
        if (r < 0)
                return r;
        bool moved = cg_counters_diff(&e->last, &now, &delta);
        moved |= now.populated != e->last.populated;
        total_add(&e->total.memory_high, delta.memory_high);
        total_add(&e->total.memory_max, delta.memory_max);
        total_add(&e->total.memory_oom, delta.memory_oom);
        total_add(&e->total.memory_oom_kill, delta.memory_oom_kill);
        total_add(&e->total.memory_oom_group_kill, delta.memory_oom_group_kill);
        total_add(&e->total.pids_max, delta.pids_max);
        total_add(&e->total.cpu_usage_usec, delta.cpu_usage_usec);
        total_add(&e->total.cpu_nr_throttled, delta.cpu_nr_throttled);
        total_add(&e->total.cpu_throttled_usec, delta.cpu_throttled_usec);
        e->total.memory_current = now.memory_current;
        e->total.memory_peak = now.memory_peak;
        e->total.pids_current = now.pids_current;
        e->total.populated = now.populated;
        e->last = now;
        if (!moved)
                return 0;
        if (e->handler)
                e->handler(e->sandbox, &now, &delta, e->userdata);
        return 1;
}

int cg_watch_process(CgWatch *w) {
        union {
                struct inotify_event ev;
                char buf[4096];
        } u;
        for (;;) {
                ssize_t n = read(w->fd, u.buf, sizeof u.buf);
                if (n < 0) {
                        if (errno == EINTR)
                                continue;
                        if (errno == EAGAIN)
                                break;
                        return -errno;
                }
                for (char *p = u.buf; p < u.buf + n;) {
                        const struct inotify_event *ev = (const struct inotify_event *) p;
                        for (size_t i = 0; i < w->n; i++)
                                for (size_t j = 0; j < CG_WATCH_FILES; j++)
                                        if (w->entries[i].wd[j] == ev->wd)
                                                w->entries[i].dirty = true;
                        p += sizeof *ev + ev->len;
                }
        }
        int called = 0;
        for (size_t i = 0; i < w->n; i++) {
                if (!w->entries[i].dirty)
                        continue;
                int r = entry_refresh(&w->entries[i]);
                if (r > 0)
                        called++;
                /* A cgroup removed under us is not an error of the watch. */
        }
        return called;
}

int cg_watch_sync(CgWatch *w, CgSandbox *s) {
        CgWatchEntry *e = find_entry(w, s);
        if (!e)
                return -ENOENT;
        return entry_refresh(e);
}

int cg_watch_get(const CgWatch *w, const CgSandbox *s, CgCounters *ret_last, CgCounters *ret_total) {
        CgWatchEntry *e = find_entry(w, s);
        if (!e)
                return -ENOENT;
        if (ret_last)
                *ret_last = e->last;
        if (ret_total)
                *ret_total = e->total;
        return 0;
}
