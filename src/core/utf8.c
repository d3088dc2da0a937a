/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <string.h>

#include "utf8.h"

/* Length in bytes of the character starting at s (1 for invalid bytes). */
static size_t utf8_char_len(const unsigned char *s) {
        size_t n;

        if (s[0] < 0x80)
                return 1;
        else if ((s[0] & 0xe0) == 0xc0)
                n = 2;
        else if ((s[0] & 0xf0) == 0xe0)
                n = 3;
        else if ((s[0] & 0xf8) == 0xf0)
                n = 4;
        else
                return 1;
        for (size_t i = 1; i < n; i++)
                if ((s[i] & 0xc0) != 0x80)
                        return 1;
        return n;
}

size_t utf8_strlen(const char *s) {
        size_t n = 0;
        for (const unsigned char *p = (const unsigned char *) s; *p; p += utf8_char_len(p))
                n++;
        return n;
}

char *utf8_pad_or_ellipsize(char *out, const char *s, size_t width) {
        const unsigned char *p = (const unsigned char *) s;
        size_t len = utf8_strlen(s);

        if (len <= width) {
                out = stpcpy(out, s);
                memset(out, ' ', width - len);
                out += width - len;
        } else if (width > 0) {
                for (size_t i = 0; i + 1 < width; i++) {
                        size_t k = utf8_char_len(p);
                        memcpy(out, p, k);
                        out += k;
                        p += k;
                }
                out = stpcpy(out, "…");
        }
        *out = 0;
        return out;
}
