/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Test helper: allocates and touches MIB mebibytes, page by page, then
 * prints "done" and exits 0 (it should be OOM-killed first). */
#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <unistd.h>

int main(int argc, char *argv[]) {
        size_t mib = argc > 1 ? strtoul(argv[1], NULL, 10) : 256;
        size_t size = mib << 20, page = (size_t) sysconf(_SC_PAGESIZE);
        char *p = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
        if (p == MAP_FAILED) {
                perror("mmap");
                return 2;
        }
        for (size_t i = 0; i < size; i += page)
                p[i] = 1;
        printf("done\n");
        return 0;
}
