/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* A main() for builds without libFuzzer: runs the fuzz target once on each
 * file given (the seed corpus and any crash reproducers), so that the corpus
 * is a regression test in every build, including gcc with ASan/UBSan. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "fileio.h"
#include "macro.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int main(int argc, char *argv[]) {
        for (int i = 1; i < argc; i++) {
                _cleanup_free_ char *data = NULL;
                size_t size;
                int r = read_full_file(argv[i], 0, &data, &size);
                if (r < 0) {
                        fprintf(stderr, "%s: cannot read: %s\n", argv[i], strerror(-r));
                        return 1;
                }
                (void) LLVMFuzzerTestOneInput((const uint8_t *) data, size);
        }
        printf("%d inputs, no crash\n", argc - 1);
        return 0;
}
