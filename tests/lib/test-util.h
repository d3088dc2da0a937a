/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/* Shared by the test programs. cmocka needs these includes in this order. */

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "macro.h"

#include <cmocka.h>

#define EXIT_TEST_SKIP 77

/* Skips the whole test program (ctest SKIP_RETURN_CODE) with a reason. */
#define TEST_SKIP_UNLESS(cond, ...)                                                  \
        do {                                                                         \
                if (!(cond)) {                                                       \
                        fprintf(stderr, "SKIP: " __VA_ARGS__);                       \
                        fputc('\n', stderr);                                         \
                        exit(EXIT_TEST_SKIP);                                        \
                }                                                                    \
        } while (0)

#define TEST_REQUIRE_ROOT()                                                          \
        TEST_SKIP_UNLESS(geteuid() == 0, "this test needs root (run it with sudo)")

/* Asserts two strings are equal and frees the first (an allocated result). */
#define assert_string_equal_free(allocated, expected)                                \
        do {                                                                         \
                char *_s_ = (allocated);                                             \
                assert_non_null(_s_);                                                \
                assert_string_equal(_s_, (expected));                                \
                free(_s_);                                                           \
        } while (0)

/* Runs the group; with an argument, only the test of that name (ctest runs
 * each test by name, see tests/CMakeLists.txt). */
#define pgs_run_tests(argc, argv, tests)                                             \
        ({                                                                           \
                int _r_ = 0;                                                         \
                if ((argc) > 1) {                                                    \
                        _r_ = 1;                                                     \
                        for (size_t _i_ = 0; _i_ < ELEMENTSOF(tests); _i_++)         \
                                if (strcmp((tests)[_i_].name, (argv)[1]) == 0)       \
                                        _r_ = 0;                                     \
                        if (_r_ != 0)                                                \
                                fprintf(stderr, "No test named '%s'.\n", (argv)[1]); \
                        cmocka_set_test_filter((argv)[1]);                           \
                }                                                                    \
                _r_ == 0 ? cmocka_run_group_tests(tests, NULL, NULL) : _r_;          \
        })
