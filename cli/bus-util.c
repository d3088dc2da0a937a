/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bus-util.h"
#include "json.h"
#include "kill-signal.h"
#include "strv.h"

const char *arg_bus = NULL;

const char *bus_address(void) {
        const char *e;
        if (arg_bus)
                return arg_bus;
        e = getenv("PGSANDBOX_BUS");
        if (e && *e)
                return e;
        return PGS_BUS_DEFAULT_ADDRESS;
}

char *bus_address_pretty(const char *address) {
        if (strncmp(address, "unix:path=", 10) == 0)
                return strndup(address + 10, strcspn(address + 10, ","));
        return strdup(address);
}

int bus_connect(sd_bus **ret) {
        _cleanup_(sd_bus_flush_close_unrefp) sd_bus *bus = NULL;
        const char *address = bus_address();
        int r;

        /* sd-bus would take a bare word for something and fail obscurely. */
        if (!strchr(address, ':') || !strchr(address, '=')) {
                fprintf(stderr, "Invalid bus address '%s': give unix:path=/PATH/TO/SOCKET (the default is %s).\n",
                        address, PGS_BUS_DEFAULT_ADDRESS);
                return -EINVAL;
        }
        r = sd_bus_new(&bus);
        if (r < 0) {
                fprintf(stderr, "Failed to allocate a bus connection: %s\n", strerror(-r));
                return r;
        }
        r = sd_bus_set_address(bus, address);
        if (r >= 0)
                r = sd_bus_start(bus);
        if (r < 0) {
                _cleanup_free_ char *pretty = bus_address_pretty(address);
                if (r == -ENOENT || r == -ECONNREFUSED)
                        fprintf(stderr, "pgsandboxd is not running (cannot connect to %s: %s)\n", pretty ?: address,
                                strerror(-r));
                else if (r == -EINVAL)
                        fprintf(stderr, "Invalid bus address '%s': give unix:path=/PATH/TO/SOCKET.\n", address);
                else
                        fprintf(stderr, "Cannot connect to pgsandboxd at %s: %s\n", pretty ?: address, strerror(-r));
                return r;
        }
        *ret = TAKE_PTR(bus);
        return 0;
}

int bus_log_error(const sd_bus_error *error, int r, const char *what) {
        if (sd_bus_error_is_set(error) && error->message) {
                if (sd_bus_error_has_name(error, SD_BUS_ERROR_ACCESS_DENIED) ||
                    strncmp(error->name, "org.pgsandbox1.", 15) == 0 ||
                    sd_bus_error_has_name(error, SD_BUS_ERROR_INVALID_ARGS))
                        fprintf(stderr, "%s\n", error->message);
                else
                        fprintf(stderr, "Failed to %s: %s\n", what, error->message);
        } else if (r == -ECONNRESET || r == -ENOTCONN)
                fprintf(stderr, "Failed to %s: pgsandboxd closed the connection (did it exit?)\n", what);
        else
                fprintf(stderr, "Failed to %s: %s\n", what, strerror(r < 0 ? -r : r));
        return 1;
}

static bool result_ok(const char *kind, ResultMode mode) {
        KillResultKind k = kill_result_kind_from_string(kind);
        /* "already-running" answers Start on a running sandbox. */
        bool nothing_to_do = k == KILL_RESULT_ALREADY_STOPPED || streq(kind, "already-running");
        return k == KILL_RESULT_SUCCESS || (nothing_to_do && mode == RESULT_ALREADY_IS_OK);
}

int bus_call_targets(sd_bus *bus, const char *method, char * const *targets, const char *signal, bool json,
                     ResultMode mode) {
        _cleanup_(sd_bus_message_unrefp) sd_bus_message *call = NULL, *reply = NULL;
        _cleanup_(sd_bus_error_free) sd_bus_error error = SD_BUS_ERROR_NULL;
        const char *target, *kind, *message;
        JsonWriter w = json_writer(stdout);
        bool ok = true, not_found = false;
        int r;

        r = sd_bus_message_new_method_call(bus, &call, NULL, PGS_BUS_PATH, PGS_BUS_INTERFACE, method);
        if (r >= 0)
                r = sd_bus_message_append_strv(call, (char **) targets);
        if (r >= 0 && signal)
                r = sd_bus_message_append(call, "s", signal);
        if (r < 0)
                return bus_log_error(NULL, r, "build the request");
        _cleanup_free_ char *what = NULL;
        if (asprintf(&what, "call %s", method) < 0)
                return bus_log_error(NULL, -ENOMEM, "call");
        r = sd_bus_call(bus, call, 0, &error, &reply);
        if (r < 0)
                return bus_log_error(&error, r, what);

        r = sd_bus_message_enter_container(reply, 'a', "(sss)");
        if (r < 0)
                return bus_log_error(NULL, r, "read the reply");
        if (json)
                json_begin_array(&w, NULL);
        while ((r = sd_bus_message_read(reply, "(sss)", &target, &kind, &message)) > 0) {
                bool good = result_ok(kind, mode);
                ok = ok && good;
                not_found = not_found || streq(kind, "not-found");
                if (json) {
                        json_begin_object(&w, NULL);
                        json_string(&w, "Target", target);
                        json_string(&w, "Result", kind);
                        json_string(&w, "Message", message);
                        json_end_object(&w);
                } else
                        fprintf(good ? stdout : stderr, "%s\n", message);
        }
        if (json) {
                json_end_array(&w);
                json_newline(&w);
        }
        if (r < 0)
                return bus_log_error(NULL, r, "read the reply");
        if (not_found && !json)
                fprintf(stderr, "A target is a name, a service id, a unique id prefix (4 or more hex digits) or "
                                "tag:TAG; 'pgsandbox ps' lists them.\n");
        return ok ? 0 : 1;
}

int targets_add_tag(char ***targets, const char *tag) {
        _cleanup_free_ char *t = NULL;
        if (asprintf(&t, "tag:%s", tag) < 0)
                return -ENOMEM;
        int r = strv_push(targets, t);
        if (r >= 0)
                TAKE_PTR(t);
        return r;
}
