/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* libFuzzer target for the policy parser. Beyond "no crash, no leak, no
 * sanitizer report", it checks a property: a policy that loads prints as a
 * policy file that loads again and prints the same (text and JSON). Any
 * difference aborts, so the fuzzer reports it as a crash. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "policy-values.h"
#include "policy.h"
#include "strv.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static char *print(const Policy *p, bool json) {
        char *buf = NULL;
        size_t n = 0;
        FILE *f = open_memstream(&buf, &n);
        if (!f)
                abort();
        if ((json ? policy_print_json(p, f) : policy_print(p, f)) < 0)
                abort();
        fclose(f);
        return buf;
}

/* The value parsers on their own, with the input as one string. */
static void fuzz_values(const uint8_t *data, size_t size) {
        char *s = strndup((const char *) data, MIN(size, (size_t) 512));
        if (!s)
                return;
        uint64_t v;
        usec_t t;
        unsigned u;
        char **l = NULL;
        (void) parse_size(s, &v);
        (void) parse_timespan(s, &t);
        (void) parse_percent(s, 1000, &u);
        (void) parse_boolean(s);
        if (split_words(s, &l, NULL) >= 0) {
                /* quote_word() must read back as the same word. */
                STRV_FOREACH(w, l) {
                        char *q = quote_word(*w), **back = NULL;
                        if (!q || split_words(q, &back, NULL) < 0 || strv_length(back) != 1 || !streq(back[0], *w))
                                abort();
                        free(q);
                        strv_free(back);
                }
                strv_free(l);
        }
        free(s);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
        Policy *p = NULL;
        PolicyError e = {};

        fuzz_values(data, size);
        int r = policy_load_buffer("fuzz.policy", data, size, &p, &e);
        if (r < 0) {
                /* Every failure but out of memory says where and why. */
                if (r != -ENOMEM && (!e.file || !e.message || e.line == 0))
                        abort();
                char *s = policy_error_to_string(&e);
                free(s);
                policy_error_done(&e);
                return 0;
        }

        char *text = print(p, false), *json = print(p, true);
        Policy *again = NULL;
        r = policy_load_buffer("fuzz.policy", text, strlen(text), &again, &e);
        if (r == -ENOMEM) {
                policy_error_done(&e);
        } else if (r < 0) {
                fprintf(stderr, "The printed policy does not load: %s:%u:%u: %s\n%s\n", e.file, e.line, e.column,
                        e.message, text);
                abort();
        } else {
                char *text2 = print(again, false), *json2 = print(again, true);
                if (!streq(text, text2) || !streq(json, json2)) {
                        fprintf(stderr, "The printed policy changes when loaded again:\n%s\n---\n%s\n", text, text2);
                        abort();
                }
                free(text2);
                free(json2);
                policy_free(again);
        }
        free(text);
        free(json);
        policy_free(p);
        return 0;
}
