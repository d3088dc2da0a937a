/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Counters of a payload cgroup, and their differences. Event counters are
 * what crash analysis needs (an OOM kill is "oom_kill went up by one between
 * start and exit"); gauges are what ps shows. */
#include "cg-internal.h"
#include "fileio.h"

static void read_keys(int fd, const char *file, const char * const *keys, uint64_t * const *out, size_t n) {
        _cleanup_free_ char *text = NULL;
        bool ok = read_full_file_at(fd, file, CG_FILE_MAX, &text, NULL) >= 0;
        for (size_t i = 0; i < n; i++)
                if (!ok || cg_parse_keyed(text, keys[i], out[i]) < 0)
                        *out[i] = CG_COUNTER_UNKNOWN;
}

static void read_value(int fd, const char *file, uint64_t *out) {
        if (cg_read_u64_at(fd, file, out) < 0)
                *out = CG_COUNTER_UNKNOWN;
}

int cg_read_counters_fd(int cgfd, CgCounters *ret) {
        CgCounters c = {};
        int r = cg_is_populated_fd(cgfd);
        if (r < 0)
                return r;   /* no cgroup.events: not a cgroup (or gone) */
        c.populated = r > 0;

        read_keys(cgfd, "memory.events",
                  (const char * const[]) { "high", "max", "oom", "oom_kill", "oom_group_kill" },
                  (uint64_t * const[]) { &c.memory_high, &c.memory_max, &c.memory_oom,
                                         &c.memory_oom_kill, &c.memory_oom_group_kill }, 5);
        read_keys(cgfd, "pids.events", (const char * const[]) { "max" },
                  (uint64_t * const[]) { &c.pids_max }, 1);
        read_keys(cgfd, "cpu.stat",
                  (const char * const[]) { "usage_usec", "nr_throttled", "throttled_usec" },
                  (uint64_t * const[]) { &c.cpu_usage_usec, &c.cpu_nr_throttled, &c.cpu_throttled_usec }, 3);
        read_value(cgfd, "memory.current", &c.memory_current);
        read_value(cgfd, "memory.peak", &c.memory_peak);
        read_value(cgfd, "pids.current", &c.pids_current);
        *ret = c;
        return 0;
}

int cg_sandbox_read_counters(CgSandbox *s, CgCounters *ret) {
        return cg_read_counters_fd(s->payload_fd, ret);
}

static bool diff_one(uint64_t old, uint64_t now, uint64_t *ret) {
        if (old == CG_COUNTER_UNKNOWN || now == CG_COUNTER_UNKNOWN) {
                *ret = now == CG_COUNTER_UNKNOWN ? CG_COUNTER_UNKNOWN : 0;
                return false;
        }
        *ret = now >= old ? now - old : 0;
        return *ret > 0;
}

bool cg_counters_diff(const CgCounters *old, const CgCounters *now, CgCounters *ret) {
        CgCounters d = *now;   /* gauges and populated */
        bool moved = false;
        moved |= diff_one(old->memory_high, now->memory_high, &d.memory_high);
        moved |= diff_one(old->memory_max, now->memory_max, &d.memory_max);
        moved |= diff_one(old->memory_oom, now->memory_oom, &d.memory_oom);
        moved |= diff_one(old->memory_oom_kill, now->memory_oom_kill, &d.memory_oom_kill);
        moved |= diff_one(old->memory_oom_group_kill, now->memory_oom_group_kill, &d.memory_oom_group_kill);
        moved |= diff_one(old->pids_max, now->pids_max, &d.pids_max);
        /* cpu time moves all the time; it is reported, but is not an event. */
        (void) diff_one(old->cpu_usage_usec, now->cpu_usage_usec, &d.cpu_usage_usec);
        moved |= diff_one(old->cpu_nr_throttled, now->cpu_nr_throttled, &d.cpu_nr_throttled);
        (void) diff_one(old->cpu_throttled_usec, now->cpu_throttled_usec, &d.cpu_throttled_usec);
        *ret = d;
        return moved;
}
