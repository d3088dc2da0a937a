/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* pgsandbox kill [-s SIGNAL | -9 | -15 | -2] TARGET...: sends TERM, KILL or
 * INT to sandboxes. A killed sandbox ends Stopped with its reason and is not
 * restarted by its policy. */
#include "target-args.h"
#include "verbs.h"

static const char help[] =
        "Usage: pgsandbox kill [-s SIGNAL | -9 | -15 | -2] [--tag TAG] TARGET...\n"
        "\n"
        "Sends a signal to sandboxes: TERM (the default; the service may clean up),\n"
        "KILL (the whole sandbox at once) or INT (like Ctrl+C). A killed sandbox ends\n"
        "Stopped, e.g. \"Stopped (Killed by signal: TERM)\", and its restart policy\n"
        "does not start it again. A TARGET is a name, a service id, a unique id\n"
        "prefix (4 or more hex digits) or tag:TAG. Needs root.\n"
        "\n"
        "Options:\n"
        "  -h --help            Show this help\n"
        "  -s --signal=SIGNAL   TERM, KILL or INT; also SIGKILL, kill, 9 and -9\n"
        "  -9, -15, -2          Short for -s KILL, -s TERM, -s INT\n"
        "     --tag TAG         Every sandbox with the tag TAG (repeatable)\n"
        "     --json            Print the results as a JSON array\n"
        "     --bus ADDRESS     Talk to pgsandboxd at ADDRESS\n"
        "\n"
        "Prints one line per target: \"Sent TERM to service web\", \"Service web not\n"
        "found\", \"Service web is already stopped\" or \"Failed to kill web: ...\".\n"
        "Exit status: 0 if every target was signalled, 1 if any was not, 2 on a\n"
        "usage error.\n";

int verb_kill(int argc, char *argv[]) {
        return target_verb_run(argc, argv, "kill", "Kill", help, true);
}
