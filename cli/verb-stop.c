/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* pgsandbox stop TARGET... */
#include "target-args.h"
#include "verbs.h"

static const char help[] =
        "Usage: pgsandbox stop [--tag TAG] TARGET...\n"
        "\n"
        "Stops sandboxes: TERM to the service, KILL to the whole sandbox after its\n"
        "TimeoutStopSec=. A stopped sandbox is not restarted by its policy.\n"
        "A TARGET is a name, a service id, a unique id prefix (4 or more hex digits)\n"
        "or tag:TAG. Needs root.\n"
        "\n"
        "Options:\n"
        "  -h --help          Show this help\n"
        "     --tag TAG       Every sandbox with the tag TAG (repeatable)\n"
        "     --json          Print the results as a JSON array\n"
        "     --bus ADDRESS   Talk to pgsandboxd at ADDRESS\n"
        "\n"
        "Exit status: 0 if every target succeeded (or had nothing to do), 1 if any\n"
        "failed, 2 on a usage error.\n";

int verb_stop(int argc, char *argv[]) {
        return target_verb_run(argc, argv, "stop", "Stop", help, false);
}
