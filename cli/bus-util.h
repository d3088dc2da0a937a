/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/* The CLI's side of the D-Bus API: finding and connecting to pgsandboxd
 * (--bus ADDRESS, then $PGSANDBOX_BUS, then the default socket), turning bus
 * errors into the messages the operator sees, and the verbs that act on
 * targets and answer a(sss) results. */

#include <stdbool.h>

#include <systemd/sd-bus.h>

#include "macro.h"

#define PGS_BUS_PATH "/org/pgsandbox1"
#define PGS_BUS_INTERFACE "org.pgsandbox1.Manager"
#define PGS_BUS_DEFAULT_ADDRESS "unix:path=/run/pgsandbox/bus"

/* --bus, set by main() or a verb; NULL: $PGSANDBOX_BUS or the default. */
extern const char *arg_bus;

const char *bus_address(void);
/* What to call the address in messages: the socket path for unix:path=. */
char *bus_address_pretty(const char *address);

/* Connects; on failure prints "pgsandboxd is not running (cannot connect to
 * PATH: ERROR)" (or why else it failed) to stderr and returns < 0. */
int bus_connect(sd_bus **ret);

/* Prints a failed call's error to stderr. Access denied and the daemon's own
 * errors are printed as the daemon worded them; others as "Failed to WHAT:
 * MESSAGE". Returns 1, the exit status. */
int bus_log_error(const sd_bus_error *error, int r, const char *what);

typedef enum ResultMode {
        RESULT_ALREADY_IS_OK,    /* start/stop: nothing to do is success */
        RESULT_ALREADY_IS_ERROR, /* kill: signalling a stopped service fails */
} ResultMode;

/* Calls METHOD(as targets[, s signal]) and prints each (target, kind,
 * message) result: successes to stdout, the others to stderr; with json, an
 * array of {"Target","Result","Message"} on stdout. Returns the exit
 * status: 0 if every target succeeded, 1 otherwise. */
int bus_call_targets(sd_bus *bus, const char *method, char * const *targets, const char *signal, bool json,
                     ResultMode mode);

/* Adds "tag:TAG" for each --tag and the positional targets to *targets. */
int targets_add_tag(char ***targets, const char *tag);
