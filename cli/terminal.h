/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/* What the CLI needs to know about where it writes: whether to colour
 * (only on a terminal, never with NO_COLOR) and how wide a line may be. */

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#define ANSI_RED "\033[0;31m"
#define ANSI_GREEN "\033[0;32m"
#define ANSI_YELLOW "\033[0;33m"
#define ANSI_BOLD "\033[1m"
#define ANSI_GREY "\033[0;90m"
#define ANSI_NORMAL "\033[0m"

/* True when f is a terminal, $NO_COLOR is unset (or empty, as no-color.org
 * says) and $TERM is not "dumb". */
bool terminal_colors(FILE *f);
/* The width lines on f must fit: $COLUMNS if it is a positive number, else
 * the terminal's width when f is a terminal, else 0 (no limit). */
size_t terminal_columns(FILE *f);
/* The terminal's height, 24 if unknown. */
size_t terminal_lines(FILE *f);

/* The colour for a lifecycle state word ("Failed": red), NULL for none. */
const char *state_color(const char *state);
