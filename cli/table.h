/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/* Text tables for the terminal: columns as wide as their widest cell, one
 * space between them, a header and a separator line of '─'. When the table
 * is wider than the terminal, the shrinkable columns give up width first
 * (their cells cut with '…'), then every line is cut to the width. Colour
 * codes never count towards a width and are never cut in half. */

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "macro.h"

/* s cut to width characters, the last one '…' when anything was cut;
 * width 0 means no limit. A new string, NULL on out of memory. */
char *ellipsize_line(const char *s, size_t width);

typedef struct Table Table;

int table_new(const char * const *headers, size_t n_columns, Table **ret);
Table *table_free(Table *t);
DEFINE_TRIVIAL_CLEANUP_FUNC(Table *, table_free);

/* Column col may shrink down to min_width characters; columns shrink in the
 * order of these calls. */
int table_set_shrinkable(Table *t, size_t col, size_t min_width);
void table_set_align_right(Table *t, size_t col);

/* Copies the n_columns cells (NULL prints as "-"); colors (may be NULL) holds
 * an ANSI colour or NULL per cell. */
int table_add_row(Table *t, const char * const *cells, const char * const *colors);
size_t table_rows(const Table *t);

typedef struct TableOptions {
        size_t width;  /* 0: no limit */
        bool legend;   /* header and separator */
        bool colors;
} TableOptions;

int table_print(const Table *t, FILE *f, const TableOptions *o);
