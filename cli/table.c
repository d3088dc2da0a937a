/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "table.h"
#include "terminal.h"
#include "utf8.h"

struct Table {
        size_t n_columns;
        char **headers;
        char **cells;           /* n_rows * n_columns */
        const char **colors;    /* likewise; static strings */
        size_t n_rows, allocated;
        size_t *min_width;      /* per column; SIZE_MAX: does not shrink */
        size_t *shrink_order;   /* columns in the order they shrink */
        size_t n_shrink;
        bool *align_right;
};

char *ellipsize_line(const char *s, size_t width) {
        size_t len = utf8_strlen(s);
        if (width == 0 || len <= width)
                return strdup(s);
        /* utf8_pad_or_ellipsize() cuts at width-1 characters and adds '…'. */
        char *out = malloc(strlen(s) + width + 4);
        if (!out)
                return NULL;
        utf8_pad_or_ellipsize(out, s, width);
        return out;
}

int table_new(const char * const *headers, size_t n_columns, Table **ret) {
        Table *t = calloc(1, sizeof *t);
        if (!t)
                return -ENOMEM;
        t->n_columns = n_columns;
        t->headers = calloc(n_columns, sizeof(char *));
        t->min_width = calloc(n_columns, sizeof(size_t));
        t->shrink_order = calloc(n_columns, sizeof(size_t));
        t->align_right = calloc(n_columns, sizeof(bool));
        if (!t->headers || !t->min_width || !t->shrink_order || !t->align_right) {
                table_free(t);
                return -ENOMEM;
        }
        for (size_t i = 0; i < n_columns; i++) {
                t->min_width[i] = SIZE_MAX;
                if (!(t->headers[i] = strdup(headers[i]))) {
                        table_free(t);
                        return -ENOMEM;
                }
        }
        *ret = t;
        return 0;
}

Table *table_free(Table *t) {
        if (!t)
                return NULL;
        for (size_t i = 0; t->headers && i < t->n_columns; i++)
                free(t->headers[i]);
        for (size_t i = 0; i < t->n_rows * t->n_columns; i++)
                free(t->cells[i]);
        free(t->headers);
        free(t->cells);
        free(t->colors);
        free(t->min_width);
        free(t->shrink_order);
        free(t->align_right);
        return mfree(t);
}

int table_set_shrinkable(Table *t, size_t col, size_t min_width) {
        if (col >= t->n_columns || t->min_width[col] != SIZE_MAX)
                return -EINVAL;
        t->min_width[col] = min_width;
        t->shrink_order[t->n_shrink++] = col;
        return 0;
}

void table_set_align_right(Table *t, size_t col) {
        if (col < t->n_columns)
                t->align_right[col] = true;
}

int table_add_row(Table *t, const char * const *cells, const char * const *colors) {
        size_t n = t->n_columns;
        if (t->n_rows == t->allocated) {
                size_t a = t->allocated ? t->allocated * 2 : 16;
                char **c = reallocarray(t->cells, a * n, sizeof *c);
                if (!c)
                        return -ENOMEM;
                t->cells = c;
                const char **k = reallocarray(t->colors, a * n, sizeof *k);
                if (!k)
                        return -ENOMEM;
                t->colors = k;
                t->allocated = a;
        }
        char **row = t->cells + t->n_rows * n;
        for (size_t i = 0; i < n; i++) {
                row[i] = strdup(cells[i] ?: "-");
                t->colors[t->n_rows * n + i] = colors ? colors[i] : NULL;
                if (!row[i]) {
                        while (i > 0) {
                                i--;
                                row[i] = mfree(row[i]);
                        }
                        return -ENOMEM;
                }
        }
        t->n_rows++;
        return 0;
}

size_t table_rows(const Table *t) {
        return t->n_rows;
}

/* Column widths: natural, then shrunk to fit o->width where allowed. */
static void table_widths(const Table *t, size_t width, size_t *w) {
        size_t total = t->n_columns > 0 ? t->n_columns - 1 : 0;

        for (size_t c = 0; c < t->n_columns; c++) {
                w[c] = utf8_strlen(t->headers[c]);
                for (size_t r = 0; r < t->n_rows; r++)
                        w[c] = MAX(w[c], utf8_strlen(t->cells[r * t->n_columns + c]));
                total += w[c];
        }
        for (size_t i = 0; width > 0 && total > width && i < t->n_shrink; i++) {
                size_t c = t->shrink_order[i];
                size_t give = MIN(total - width, w[c] > t->min_width[c] ? w[c] - t->min_width[c] : 0);
                w[c] -= give;
                total -= give;
        }
}

/* One cell, cut to w and padded to it (except at the end of the line),
 * coloured: the text, not the padding. */
static void put_cell(FILE *f, const char *s, size_t w, bool last, bool right, const char *color) {
        _cleanup_free_ char *text = ellipsize_line(s, w);
        if (!text)
                return;
        size_t pad = w - MIN(w, utf8_strlen(text));
        if (right)
                fprintf(f, "%*s", (int) pad, "");
        fprintf(f, "%s%s%s", color ?: "", text, color ? ANSI_NORMAL : "");
        if (!right && !last)
                fprintf(f, "%*s", (int) pad, "");
}

/* Writes one line into a memory buffer first so that it can be cut to the
 * terminal width as a whole; colour is added only when nothing was cut. */
static int print_line(const Table *t, FILE *f, const char * const *cells, const char * const *colors,
                      const size_t *w, const TableOptions *o) {
        _cleanup_free_ char *plain = NULL;
        size_t size = 0;
        FILE *m = open_memstream(&plain, &size);
        if (!m)
                return -ENOMEM;
        for (size_t c = 0; c < t->n_columns; c++) {
                if (c > 0)
                        fputc(' ', m);
                put_cell(m, cells[c], w[c], c + 1 == t->n_columns, t->align_right[c], NULL);
        }
        if (fclose(m) != 0)
                return -ENOMEM;
        if (o->width > 0 && utf8_strlen(plain) > o->width) {
                _cleanup_free_ char *cut = ellipsize_line(plain, o->width);
                if (!cut)
                        return -ENOMEM;
                fprintf(f, "%s\n", cut);
                return 0;
        }
        if (!o->colors || !colors) {
                fprintf(f, "%s\n", plain);
                return 0;
        }
        for (size_t c = 0; c < t->n_columns; c++) {
                if (c > 0)
                        fputc(' ', f);
                put_cell(f, cells[c], w[c], c + 1 == t->n_columns, t->align_right[c], colors[c]);
        }
        fputc('\n', f);
        return 0;
}

int table_print(const Table *t, FILE *f, const TableOptions *o) {
        _cleanup_free_ size_t *w = calloc(t->n_columns ?: 1, sizeof *w);
        int r;

        if (!w)
                return -ENOMEM;
        table_widths(t, o->width, w);
        if (o->legend) {
                size_t total = t->n_columns > 0 ? t->n_columns - 1 : 0;
                for (size_t c = 0; c < t->n_columns; c++)
                        total += w[c];
                r = print_line(t, f, (const char * const *) t->headers, NULL, w, o);
                if (r < 0)
                        return r;
                if (o->width > 0)
                        total = MIN(total, o->width);
                for (size_t i = 0; i < total; i++)
                        fputs("─", f);
                fputc('\n', f);
        }
        for (size_t r_ = 0; r_ < t->n_rows; r_++) {
                r = print_line(t, f, (const char * const *) t->cells + r_ * t->n_columns,
                               t->colors + r_ * t->n_columns, w, o);
                if (r < 0)
                        return r;
        }
        return 0;
}
