/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* pgsandbox restart TARGET... */
#include "target-args.h"
#include "verbs.h"

static const char help[] =
        "Usage: pgsandbox restart [--tag TAG] TARGET...\n"
        "\n"
        "Stops sandboxes and starts them again; starts those that are not running.\n"
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

int verb_restart(int argc, char *argv[]) {
        return target_verb_run(argc, argv, "restart", "Restart", help, false);
}
