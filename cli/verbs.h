/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/* The pgsandbox command: one small file per verb, each exporting verb_NAME().
 * A verb gets argv with argv[0] set to its own name and returns the process
 * exit status: 0 success, 1 failure, 2 usage error. */

#define EXIT_USAGE 2

typedef struct Verb {
        const char *name;
        int (*run)(int argc, char *argv[]);
        const char *summary; /* one line for `pgsandbox --help` */
} Verb;

int verb_check(int argc, char *argv[]);
int verb_ps(int argc, char *argv[]);
int verb_status(int argc, char *argv[]);
int verb_top(int argc, char *argv[]);
int verb_kill(int argc, char *argv[]);
int verb_start(int argc, char *argv[]);
int verb_stop(int argc, char *argv[]);
int verb_restart(int argc, char *argv[]);
int verb_reload(int argc, char *argv[]);
int verb_run(int argc, char *argv[]);
int verb_logs(int argc, char *argv[]);
int verb_history(int argc, char *argv[]);
