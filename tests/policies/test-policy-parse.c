/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The policy parser: bad inputs with their exact error lines, valid files
 * with their expected effective policy (data/good/NAME.policy and
 * NAME.expected), the secure defaults, and print -> parse round trips. */
#include <dirent.h>
#include <linux/capability.h>

#include "test-util.h"

#include "fileio.h"
#include "policy-internal.h"
#include "policy.h"
#include "strv.h"

#define S "[Service]\nExec=/bin/true\n"

static const struct {
        const char *filename; /* NULL: "t.policy" */
        const char *text;
        const char *error;
} bad[] = {
        /* syntax */
        { NULL, "Exec=/bin/true\n", "t.policy:1:1: assignment outside of any section; start with a [Service] header" },
        { NULL, "[Servce]\nExec=/bin/true\n", "t.policy:1:1: unknown section [Servce]; did you mean [Service]?" },
        { NULL, "[Bogus]\n", "t.policy:1:1: unknown section [Bogus]: sections are [Service], [Sandbox], [Resources] and [Seccomp]" },
        { NULL, "[Service\n", "t.policy:1:1: section header must end with ']'" },
        { NULL, "  []\n", "t.policy:1:3: invalid section header '[]'" },
        { NULL, "[Service] x\n", "t.policy:1:1: section header must end with ']'" },
        { NULL, S "garbage\n", "t.policy:3:1: expected 'Key=Value' or '[Section]', got 'garbage'" },
        { NULL, S "=value\n", "t.policy:3:1: missing key before '='" },
        { NULL, S "Ex-ec=1\n", "t.policy:3:1: invalid key 'Ex-ec': keys are letters and digits" },
        { NULL, S "Exec=/bin/true \\\n", "t.policy:3:1: line continuation at the end of the file" },
        { NULL, "[Service]\nExec=/bin/true\rx\n", "t.policy:2:15: control character 0x0d in policy file" },
        { NULL, "[Service]\nExec=/bin/\x1b[31m\n", "t.policy:2:11: control character 0x1b in policy file" },
        { NULL, "[Service]\nDescription=caf\xc3\n", "t.policy:2:16: invalid UTF-8" },
        { NULL, "[Service]\nDescription=\xc0\xaf\n", "t.policy:2:13: invalid UTF-8" },
        { NULL, "[Service]\nDescription=\xed\xa0\x80\n", "t.policy:2:13: invalid UTF-8" },
        /* keys */
        { NULL, S "[Resources]\nMemoryMx=1G\n", "t.policy:4:1: unknown key 'MemoryMx' in [Resources]; did you mean 'MemoryMax'?" },
        { NULL, S "Frobnicate=1\n", "t.policy:3:1: unknown key 'Frobnicate' in [Service]" },
        { NULL, S "exec=/bin/true\n", "t.policy:3:1: unknown key 'exec' in [Service]; did you mean 'Exec'?" },
        { NULL, S "MemoryMax=1G\n", "t.policy:3:1: unknown key 'MemoryMax' in [Service]; it belongs in [Resources]" },
        { NULL, S "Exec=/bin/false\n", "t.policy:3:1: Exec= is already set on line 2; it takes one value" },
        { NULL, S "[Sandbox]\nPrivateTmp=yes\n[Sandbox]\n PrivateTmp=no\n", "t.policy:6:2: PrivateTmp= is already set on line 4; it takes one value" },
        { NULL, "[Service]\nExec=\n", "t.policy:2:6: missing value for Exec=" },
        { NULL, S "User=  \n", "t.policy:3:6: missing value for User=" },
        /* [Service] values */
        { NULL, "[Service]\nDescription=x\n", "t.policy:1:1: missing Exec= in [Service]: a policy needs the command to run" },
        { NULL, "", "t.policy:1:1: missing Exec= in [Service]: a policy needs the command to run" },
        { NULL, "[Service]\nExec=bin/true\n", "t.policy:2:6: Exec= needs an absolute path, got 'bin/true': not an absolute path" },
        { NULL, "[Service]\nExec=/bin/../bin/true\n", "t.policy:2:6: Exec= needs an absolute path, got '/bin/../bin/true': '.' and '..' are not allowed in paths" },
        { NULL, "[Service]\nExec= ''\n", "t.policy:2:7: Exec= needs an absolute path, got '': not an absolute path" },
        { NULL, "[Service]\nExec=/bin/sh -c 'oops\n", "t.policy:2:6: invalid quoting in Exec=: unterminated single quote" },
        { NULL, "[Service]\nExec=/bin/echo \\q\n", "t.policy:2:6: invalid quoting in Exec=: unknown escape sequence" },
        { NULL, "[Service]\nName=../x\nExec=/bin/true\n", "t.policy:2:6: invalid name '../x' for Name=: starts with '.'" },
        { NULL, "[Service]\nName=cgroup.procs\nExec=/bin/true\n", "t.policy:2:6: invalid name 'cgroup.procs' for Name=: starts with a cgroup controller prefix, like a cgroup interface file" },
        { NULL, "[Service]\nName=memory.max\nExec=/bin/true\n", "t.policy:2:6: invalid name 'memory.max' for Name=: starts with a cgroup controller prefix, like a cgroup interface file" },
        { NULL, "[Service]\nName=a/b\nExec=/bin/true\n", "t.policy:2:6: invalid name 'a/b' for Name=: only A-Z a-z 0-9 _ . - are allowed" },
        { NULL, "[Service]\nName=supervisor\nExec=/bin/true\n", "t.policy:2:6: invalid name 'supervisor' for Name=: reserved for the daemon's own cgroup" },
        { NULL, "[Service]\nName=x123456789x123456789x123456789x123456789x123456789x123456789x1234\nExec=/bin/true\n",
          "t.policy:2:6: invalid name 'x123456789x123456789x123456789x123456789x123456789x123456789x1234' for Name=: longer than 64 characters" },
        { "/etc/pgsandbox/cgroup.procs.policy", S, "/etc/pgsandbox/cgroup.procs.policy:1:1: the file name gives the invalid service name 'cgroup.procs' (starts with a cgroup controller prefix, like a cgroup interface file); set Name= in [Service]" },
        { NULL, S "WorkingDirectory=tmp\n", "t.policy:3:18: WorkingDirectory= needs an absolute path, got 'tmp': not an absolute path" },
        { NULL, S "Environment=NOEQUALS\n", "t.policy:3:13: invalid assignment 'NOEQUALS' in Environment=: expected NAME=VALUE" },
        { NULL, S "User=-rf\n", "t.policy:3:6: invalid user '-rf' for User=" },
        { NULL, S "Group=1abc\n", "t.policy:3:7: invalid group '1abc' for Group=" },
        { NULL, S "SupplementaryGroups=wheel 9bad\n", "t.policy:3:21: invalid group '9bad' in SupplementaryGroups=" },
        { NULL, S "Type=forking\n", "t.policy:3:6: invalid value 'forking' for Type=: use simple or notify" },
        { NULL, S "Restart=sometimes\n", "t.policy:3:9: invalid value 'sometimes' for Restart=: use no, on-failure or always" },
        { NULL, S "Restart=on-faliure\n", "t.policy:3:9: invalid value 'on-faliure' for Restart=: use no, on-failure or always; did you mean 'on-failure'?" },
        { NULL, S "RestartSec=5x\n", "t.policy:3:12: invalid time span '5x' for RestartSec=: e.g. 500ms, 5s, 1min 30s or infinity" },
        { NULL, S "RestartSec=-1s\n", "t.policy:3:12: invalid time span '-1s' for RestartSec=: e.g. 500ms, 5s, 1min 30s or infinity" },
        { NULL, S "RestartSec=infinity\n", "t.policy:3:12: RestartSec= cannot be infinity" },
        { NULL, S "TimeoutStopSec=99999999999999999999\n", "t.policy:3:16: time span '99999999999999999999' for TimeoutStopSec= is out of range" },
        { NULL, S "StartLimitBurst=-1\n", "t.policy:3:17: invalid number '-1' for StartLimitBurst=" },
        { NULL, S "StartLimitBurst=4294967296\n", "t.policy:3:17: value '4294967296' for StartLimitBurst= is out of range" },
        { NULL, S "WatchdogSec=10s\n", "t.policy:3:1: WatchdogSec= needs Type=notify (the watchdog is fed with WATCHDOG=1)" },
        { NULL, S "RestartSec=1min\nRestartMaxDelaySec=10s\n", "t.policy:4:1: RestartMaxDelaySec= is below RestartSec=" },
        { NULL, S "RestartSec=1min\n", "t.policy:3:1: RestartMaxDelaySec= is below RestartSec=" },
        { NULL, S "Tags=ok bad/tag\n", "t.policy:3:6: invalid tag 'bad/tag' in Tags=" },
        { NULL, S "AutoStart=perhaps\n", "t.policy:3:11: invalid boolean 'perhaps' for AutoStart=: use yes or no" },
        /* [Sandbox] */
        { NULL, S "[Sandbox]\nNamespaces=pid time\n", "t.policy:4:12: unknown namespace 'time' in Namespaces=: use pid, mount, net, ipc, uts, cgroup or user" },
        { NULL, S "[Sandbox]\nNamespaces=pid\nHostname=web\n", "t.policy:5:1: Hostname= needs the uts namespace (Namespaces=)" },
        { NULL, S "[Sandbox]\nNamespaces=pid uts\nReadOnlyPaths=/usr\n", "t.policy:5:1: ReadOnlyPaths= needs the mount namespace (Namespaces=)" },
        { NULL, S "[Sandbox]\nNamespaces=pid\nPrivateTmp=yes\n", "t.policy:5:1: PrivateTmp=yes needs the mount namespace (Namespaces=)" },
        { NULL, S "[Sandbox]\nNamespaces=\nProtectSystem=strict\n", "t.policy:5:1: ProtectSystem=strict needs the mount namespace (Namespaces=)" },
        { NULL, S "[Sandbox]\nNoNewPrivileges=no\n", "t.policy:4:1: NoNewPrivileges=no needs [Seccomp] Profile=none (a seccomp filter needs no_new_privs or CAP_SYS_ADMIN)" },
        { NULL, S "[Sandbox]\nPrivateTmp=maybe\n", "t.policy:4:12: invalid boolean 'maybe' for PrivateTmp=: use yes or no" },
        { NULL, S "[Sandbox]\nProtectSystem=full\n", "t.policy:4:15: invalid value 'full' for ProtectSystem=: use no, yes or strict" },
        { NULL, S "[Sandbox]\nHostname=-bad\n", "t.policy:4:10: invalid host name '-bad' for Hostname=" },
        { NULL, S "[Sandbox]\nRootDirectory=/srv/../etc\n", "t.policy:4:15: RootDirectory= needs an absolute path, got '/srv/../etc': '.' and '..' are not allowed in paths" },
        { NULL, S "[Sandbox]\nInaccessiblePaths=/home relative\n", "t.policy:4:19: InaccessiblePaths= needs an absolute path, got 'relative': not an absolute path" },
        { NULL, S "[Sandbox]\nBindPaths=/a:/b:/c:/d\n", "t.policy:4:11: invalid bind mount '/a:/b:/c:/d' in BindPaths=: expected SOURCE[:DESTINATION[:OPTIONS]]" },
        { NULL, S "[Sandbox]\nBindReadOnlyPaths=/a:/b:ro\n", "t.policy:4:19: invalid bind mount option 'ro' in BindReadOnlyPaths=: use rbind or norbind" },
        { NULL, S "[Sandbox]\nTemporaryFileSystem=/run:exec,uid=0\n", "t.policy:4:21: invalid option 'uid=0' in TemporaryFileSystem=: use ro, rw, nosuid, nodev, noexec, size=, nr_inodes= or mode=" },
        { NULL, S "[Sandbox]\nCapabilities=CAP_NET_BIND_SERVIC\n", "t.policy:4:14: unknown capability 'CAP_NET_BIND_SERVIC' in Capabilities=; did you mean 'CAP_NET_BIND_SERVICE'?" },
        { NULL, S "[Sandbox]\nCapabilities=CAP_FROBNICATE\n", "t.policy:4:14: unknown capability 'CAP_FROBNICATE' in Capabilities=" },
        { NULL, S "[Sandbox]\nCapabilities=12\n", "t.policy:4:14: unknown capability '12' in Capabilities=" },
        { NULL, S "[Sandbox]\nLimitNOFILE=lots\n", "t.policy:4:13: invalid limit 'lots' for LimitNOFILE=: expected SOFT[:HARD], each a number or infinity" },
        { NULL, S "[Sandbox]\nLimitNOFILE=2048:1024\n", "t.policy:4:13: soft limit above hard limit in LimitNOFILE=2048:1024" },
        { NULL, S "[Sandbox]\nLimitCORE=-1\n", "t.policy:4:11: invalid limit '-1' for LimitCORE=: expected SOFT[:HARD], each a size or infinity" },
        { NULL, S "[Sandbox]\nLimitAS=99999999999999999999G\n", "t.policy:4:9: value '99999999999999999999G' for LimitAS= is out of range" },
        /* [Resources] */
        { NULL, S "[Resources]\nMemoryMax=-1\n", "t.policy:4:11: invalid size '-1' for MemoryMax=: sizes cannot be negative" },
        { NULL, S "[Resources]\nMemoryMax=99999999999999999999G\n", "t.policy:4:11: size '99999999999999999999G' for MemoryMax= is out of range" },
        { NULL, S "[Resources]\nMemoryMax=lots\n", "t.policy:4:11: invalid size 'lots' for MemoryMax=: e.g. 512M, 2G or infinity" },
        { NULL, S "[Resources]\nMemoryMax=0\n", "t.policy:4:11: MemoryMax= must be above 0" },
        { NULL, S "[Resources]\nMemoryMax=1G\nMemoryHigh=2G\n", "t.policy:5:1: MemoryHigh= is above MemoryMax=" },
        { NULL, S "[Resources]\nPidsMax=0\n", "t.policy:4:9: value '0' for PidsMax= is out of range (1.. or infinity)" },
        { NULL, S "[Resources]\nPidsMax=many\n", "t.policy:4:9: invalid number 'many' for PidsMax=" },
        { NULL, S "[Resources]\nCPUQuota=50\n", "t.policy:4:10: invalid percentage '50' for CPUQuota=: e.g. 50% or 200%" },
        { NULL, S "[Resources]\nCPUQuota=0%\n", "t.policy:4:10: value '0%' for CPUQuota= is out of range (1%..102400%)" },
        { NULL, S "[Resources]\nCPUWeight=0\n", "t.policy:4:11: value '0' for CPUWeight= is out of range (1..10000)" },
        /* [Seccomp] */
        { NULL, S "[Seccomp]\nDeny=frobnicate\n", "t.policy:4:6: unknown syscall 'frobnicate' in Deny=" },
        { NULL, S "[Seccomp]\nDeny=mout\n", "t.policy:4:6: unknown syscall 'mout' in Deny=; did you mean 'mount'?" },
        { NULL, S "[Seccomp]\nAllow=@mont\n", "t.policy:4:7: unknown syscall group '@mont' in Allow=; did you mean '@mount'?" },
        { NULL, S "[Seccomp]\nProfile=paranoid\n", "t.policy:4:9: invalid value 'paranoid' for Profile=: use default, strict or none" },
        { NULL, S "[Seccomp]\nAction=errno:EWHAT\n", "t.policy:4:8: unknown errno 'EWHAT' in Action=: e.g. errno:EPERM" },
        { NULL, S "[Seccomp]\nAction=trap\n", "t.policy:4:8: invalid value 'trap' for Action=: use kill, errno[:ERRNO] or log" },
        { NULL, S "[Seccomp]\nAllow=mount\nDeny=mount\n", "t.policy:5:1: 'mount' is in both Allow= and Deny=" },
        { NULL, S "[Seccomp]\nProfile=none\nAllow=read\n", "t.policy:5:1: Allow= has no effect with Profile=none; use Deny= or another profile" },
#if defined(__x86_64__)
        { NULL, S "[Seccomp]\nAllow=stime\n", "t.policy:4:7: syscall 'stime' in Allow= does not exist on this architecture" },
#endif
};

static char *load_error(const char *filename, const char *text, size_t size) {
        Policy *p = NULL;
        PolicyError e = {};
        int r = policy_load_buffer(filename, text, size, &p, &e);
        if (r >= 0) {
                policy_free(p);
                return strdup("(accepted)");
        }
        assert_int_not_equal(r, -ENOMEM);
        char *s = policy_error_to_string(&e);
        policy_error_done(&e);
        return s;
}

static void test_bad_inputs(void **state) {
        size_t failed = 0;
        assert_true(ELEMENTSOF(bad) >= 40);
        for (size_t i = 0; i < ELEMENTSOF(bad); i++) {
                _cleanup_free_ char *got = load_error(bad[i].filename ?: "t.policy", bad[i].text, strlen(bad[i].text));
                if (!streq(got, bad[i].error)) {
                        fprintf(stderr, "case %zu:\n  input: %s\n  expected: %s\n  got:      %s\n", i, bad[i].text,
                                bad[i].error, got);
                        failed++;
                }
        }
        assert_int_equal(failed, 0);
}

/* NUL bytes, long lines, big files: inputs that do not fit in a C string table. */
static void test_bad_sizes(void **state) {
        static const char nul[] = "[Service]\nExec=/bin/tr\0ue\n";
        assert_string_equal_free(load_error("t.policy", nul, sizeof nul - 1), "t.policy:2:13: NUL byte in policy file");

        size_t n = POLICY_LINE_MAX + 64;
        _cleanup_free_ char *line = malloc(n + 64);
        assert_non_null(line);
        char *p = stpcpy(line, "[Service]\nExec=/bin/echo ");
        memset(p, 'x', n - (size_t) (p - line));
        line[n] = 0;
        assert_string_equal_free(load_error("t.policy", line, strlen(line)), "t.policy:2:65537: line longer than 65536 bytes");

        /* Continued lines that are short each but too long together. */
        size_t chunk = 1000, count = POLICY_LINE_MAX / chunk + 2;
        _cleanup_free_ char *cont = malloc(count * (chunk + 3) + 64);
        assert_non_null(cont);
        p = stpcpy(cont, "[Service]\nExec=/bin/echo \\\n");
        for (size_t i = 0; i < count; i++) {
                memset(p, 'y', chunk);
                p += chunk;
                p = stpcpy(p, i + 1 < count ? " \\\n" : "\n");
        }
        assert_string_equal_free(load_error("t.policy", cont, strlen(cont)), "t.policy:2:1: continued line longer than 65536 bytes");

        /* More list entries than POLICY_LIST_MAX, on separate lines. */
        _cleanup_free_ char *many = malloc(POLICY_LIST_MAX * 24 + 64);
        assert_non_null(many);
        p = stpcpy(many, "[Service]\nExec=/bin/true\n[Sandbox]\n");
        for (unsigned i = 0; i <= POLICY_LIST_MAX; i++)
                p += sprintf(p, "ReadOnlyPaths=/p%u\n", i);
        assert_string_equal_free(load_error("t.policy", many, strlen(many)),
                                 "t.policy:4100:15: too many entries in ReadOnlyPaths= (at most 4096)");

        size_t big = POLICY_FILE_MAX + 1;
        _cleanup_free_ char *file = malloc(big + 1);
        assert_non_null(file);
        memset(file, '\n', big);
        memcpy(file, S, strlen(S));
        file[big] = 0;
        assert_string_equal_free(load_error("t.policy", file, big), "t.policy:1:1: file larger than 1048576 bytes");
}

static Policy *load_ok(const char *filename, const char *text, size_t size) {
        Policy *p = NULL;
        PolicyError e = {};
        int r = policy_load_buffer(filename, text, size, &p, &e);
        if (r < 0) {
                _cleanup_free_ char *s = policy_error_to_string(&e);
                policy_error_done(&e);
                fail_msg("%s was rejected: %s", filename, s);
        }
        return p;
}

static void test_secure_defaults(void **state) {
        _cleanup_(policy_freep) Policy *p = load_ok("/etc/pgsandbox/policies.d/web.policy", S, strlen(S));

        assert_string_equal(p->name, "web");
        assert_string_equal(p->exec[0], "/bin/true");
        assert_null(p->exec[1]);
        assert_true(p->namespaces == (CLONE_NEWPID | CLONE_NEWNS | CLONE_NEWNET | CLONE_NEWIPC | CLONE_NEWUTS | CLONE_NEWCGROUP));
        assert_false(p->namespaces & CLONE_NEWUSER);
        assert_true(p->capabilities == 0);
        assert_true(p->no_new_privileges);
        assert_true(p->private_tmp);
        assert_int_equal(p->protect_system, POLICY_PROTECT_SYSTEM_YES);
        assert_int_equal(p->seccomp.profile, POLICY_SECCOMP_PROFILE_DEFAULT);
        assert_int_equal(p->seccomp_spec.mode, POLICY_SECCOMP_MODE_DENY_LIST);
        assert_int_equal(p->seccomp_spec.action, POLICY_SECCOMP_ACTION_KILL); /* kill-process */
        static const char * const denied[] = {
                "mount", "umount2", "pivot_root", "chroot", "kexec_load", "kexec_file_load", "init_module",
                "finit_module", "delete_module", "bpf", "unshare", "setns", "open_by_handle_at", "userfaultfd",
                "ptrace", "process_vm_readv", "process_vm_writev", "perf_event_open", "reboot", "swapon",
                "iopl", "ioperm", "settimeofday", "clock_settime", "add_key", "keyctl", "request_key", "acct",
                "io_uring_setup",
        };
        for (size_t i = 0; i < ELEMENTSOF(denied); i++)
                if (!strv_contains(p->seccomp_spec.syscalls, denied[i]))
                        fail_msg("the default profile does not deny %s", denied[i]);
        assert_false(strv_contains(p->seccomp_spec.syscalls, "read"));
        assert_false(strv_contains(p->seccomp_spec.syscalls, "clone3"));
        assert_int_equal(p->restart, RESTART_NEVER);
        assert_true(p->backoff.initial_delay == RESTART_BACKOFF_DEFAULT.initial_delay);
        assert_true(p->memory_max == UINT64_MAX);
        assert_true(p->pids_max == UINT64_MAX); /* no limit unless asked for */
        for (int i = 0; i < RLIM_NLIMITS; i++)
                assert_false(p->rlimits[i].set);
}

static void test_long_exec_line(void **state) {
        /* 60 KiB of arguments: accepted, and nothing is cut. */
        size_t n = 60 * 1024;
        _cleanup_free_ char *text = malloc(n + 64);
        assert_non_null(text);
        char *q = stpcpy(text, "[Service]\nExec=/bin/echo");
        size_t words = 0;
        while ((size_t) (q - text) < n) {
                q = stpcpy(q, " 'a; b'");
                words++;
        }
        strcpy(q, "\n");
        _cleanup_(policy_freep) Policy *p = load_ok("long.policy", text, strlen(text));
        assert_int_equal(strv_length(p->exec), words + 1);
        assert_string_equal(p->exec[words], "a; b");
}

static char *print_to_string(const Policy *p, bool json) {
        char *buf = NULL;
        size_t size = 0;
        FILE *f = open_memstream(&buf, &size);
        assert_non_null(f);
        assert_int_equal(json ? policy_print_json(p, f) : policy_print(p, f), 0);
        assert_int_equal(fclose(f), 0);
        return buf;
}

static void test_good_files(void **state) {
        const char *src = getenv("PGS_SOURCE_DIR");
        TEST_SKIP_UNLESS(src, "PGS_SOURCE_DIR is not set (run through ctest)");
        _cleanup_free_ char *dir = NULL;
        assert_true(asprintf(&dir, "%s/tests/policies/data/good", src) > 0);
        DIR *d = opendir(dir);
        assert_non_null(d);
        size_t checked = 0;
        for (struct dirent *de; (de = readdir(d));) {
                size_t len = strlen(de->d_name);
                if (len < 8 || !streq(de->d_name + len - 7, ".policy"))
                        continue;
                _cleanup_free_ char *path = NULL, *expected_path = NULL, *text = NULL, *expected = NULL;
                size_t size;
                assert_true(asprintf(&path, "%s/%s", dir, de->d_name) > 0);
                assert_true(asprintf(&expected_path, "%s/%.*s.expected", dir, (int) (len - 7), de->d_name) > 0);
                assert_int_equal(read_full_file(path, 0, &text, &size), 0);
                assert_int_equal(read_full_file(expected_path, 0, &expected, NULL), 0);

                _cleanup_(policy_freep) Policy *p = load_ok(de->d_name, text, size);
                _cleanup_free_ char *out = print_to_string(p, false);
                if (!streq(out, expected))
                        fail_msg("%s: the effective policy differs from %s:\n%s", de->d_name, expected_path, out);

                /* The printed policy is itself a policy, and the same one. */
                _cleanup_(policy_freep) Policy *again = load_ok(de->d_name, out, strlen(out));
                _cleanup_free_ char *out2 = print_to_string(again, false);
                assert_string_equal(out2, out);
                _cleanup_free_ char *j1 = print_to_string(p, true), *j2 = print_to_string(again, true);
                assert_string_equal(j1, j2);
                checked++;
        }
        closedir(d);
        assert_true(checked >= 5);
}

static void test_json(void **state) {
        static const char text[] = "[Service]\nExec=/bin/echo \"a\\\"b\" 'tab\\there'\nDescription=\"quoted\" \\ back\n"
                                   "[Resources]\nMemoryMax=1K\n";
        _cleanup_(policy_freep) Policy *p = load_ok("j.policy", text, strlen(text));
        _cleanup_free_ char *j = print_to_string(p, true);
        assert_non_null(strstr(j, "\"Exec\":[\"/bin/echo\",\"a\\\"b\",\"tab\\\\there\"]"));
        assert_non_null(strstr(j, "\"Description\":\"\\\"quoted\\\" \\\\ back\""));
        assert_non_null(strstr(j, "\"MemoryMax\":1024,\"MemoryHigh\":null"));
        assert_non_null(strstr(j, "\"Namespaces\":[\"pid\",\"mount\",\"net\",\"ipc\",\"uts\",\"cgroup\"]"));
        assert_non_null(strstr(j, "\"Mode\":\"deny-list\""));
        assert_true(j[0] == '{' && j[strlen(j) - 1] == '}');
}

static void test_errors_out_parameter(void **state) {
        PolicyError e = {};
        Policy *p = NULL;
        static const char text[] = S "[Resources]\nMemoryMax=-1\n";
        assert_int_equal(policy_load_buffer("x.policy", text, strlen(text), &p, &e), -EINVAL);
        assert_null(p);
        assert_string_equal(e.file, "x.policy");
        assert_int_equal(e.line, 4);
        assert_int_equal(e.column, 11);
        assert_string_equal(e.message, "invalid size '-1' for MemoryMax=: sizes cannot be negative");
        policy_error_done(&e);
        assert_null(e.file);

        /* A file that cannot be read: no line, errno kept. */
        assert_int_equal(policy_load_file("/nonexistent/x.policy", &p, &e), -ENOENT);
        assert_string_equal_free(policy_error_to_string(&e), "/nonexistent/x.policy: cannot read: No such file or directory");
        policy_error_done(&e);
        assert_int_equal(policy_load_file("/", &p, &e), -EISDIR);
        policy_error_done(&e);
        /* NULL error pointer is fine. */
        assert_int_equal(policy_load_buffer("x.policy", text, strlen(text), &p, NULL), -EINVAL);
}

/* docs/pgsandbox.policy.5.md lists every key and every seccomp group, and
 * its ```ini examples load. */
static void test_docs(void **state) {
        const char *src = getenv("PGS_SOURCE_DIR");
        TEST_SKIP_UNLESS(src, "PGS_SOURCE_DIR is not set (run through ctest)");
        _cleanup_free_ char *path = NULL, *doc = NULL;
        assert_true(asprintf(&path, "%s/docs/pgsandbox.policy.5.md", src) > 0);
        assert_int_equal(read_full_file(path, 0, &doc, NULL), 0);

        for (size_t i = 0; i < policy_settings_count; i++) {
                _cleanup_free_ char *row = NULL;
                assert_true(asprintf(&row, "| `%s=` | ", policy_settings[i].key) > 0);
                if (!strstr(doc, row))
                        fail_msg("the man page has no row for %s=", policy_settings[i].key);
        }
        for (size_t i = 0; i < policy_seccomp_group_count(); i++) {
                _cleanup_free_ char *row = NULL;
                assert_true(asprintf(&row, "| `%s` | %s |", policy_seccomp_group_name(i),
                                     policy_seccomp_group_description(i)) > 0);
                if (!strstr(doc, row))
                        fail_msg("the man page has no row for %s (or its description differs)", policy_seccomp_group_name(i));
        }
        size_t examples = 0;
        for (const char *p = doc; (p = strstr(p, "```ini\n"));) {
                p += 7;
                const char *end = strstr(p, "```");
                assert_non_null(end);
                Policy *pol = load_ok("doc-example.policy", p, (size_t) (end - p));
                policy_free(pol);
                examples++;
                p = end + 3;
        }
        assert_true(examples >= 2);
}

int main(int argc, char *argv[]) {
        const struct CMUnitTest tests[] = {
                cmocka_unit_test(test_bad_inputs),
                cmocka_unit_test(test_bad_sizes),
                cmocka_unit_test(test_secure_defaults),
                cmocka_unit_test(test_long_exec_line),
                cmocka_unit_test(test_good_files),
                cmocka_unit_test(test_json),
                cmocka_unit_test(test_errors_out_parameter),
                cmocka_unit_test(test_docs),
        };
        return pgs_run_tests(argc, argv, tests);
}
