/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <errno.h>
#include <string.h>
#include <sys/random.h>

#include "service-id.h"

int service_id_random(ServiceId *ret) {
        ServiceId id;
        size_t n = 0;

        while (n < sizeof id.bytes) {
                ssize_t k = getrandom(id.bytes + n, sizeof id.bytes - n, 0);
                if (k < 0) {
                        if (errno == EINTR)
                                continue;
                        return -errno;
                }
                n += (size_t) k;
        }
        id.bytes[6] = (id.bytes[6] & 0x0f) | 0x40; /* version 4 */
        id.bytes[8] = (id.bytes[8] & 0x3f) | 0x80; /* RFC 4122 variant */
        *ret = id;
        return 0;
}

char *service_id_to_string(const ServiceId *id, char buf[static SERVICE_ID_STRING_MAX]) {
        static const char hex[] = "0123456789abcdef";
        char *p = buf;

        for (size_t i = 0; i < 16; i++) {
                if (i == 4 || i == 6 || i == 8 || i == 10)
                        *p++ = '-';
                *p++ = hex[id->bytes[i] >> 4];
                *p++ = hex[id->bytes[i] & 15];
        }
        *p = 0;
        return buf;
}

static int unhex(char c) {
        if (c >= '0' && c <= '9')
                return c - '0';
        if (c >= 'a' && c <= 'f')
                return c - 'a' + 10;
        if (c >= 'A' && c <= 'F')
                return c - 'A' + 10;
        return -EINVAL;
}

int service_id_from_string(const char *s, ServiceId *ret) {
        ServiceId id;
        size_t i = 0;

        if (!s || strlen(s) != 36)
                return -EINVAL;
        for (size_t pos = 0; pos < 36;) {
                if (pos == 8 || pos == 13 || pos == 18 || pos == 23) {
                        if (s[pos] != '-')
                                return -EINVAL;
                        pos++;
                        continue;
                }
                int a = unhex(s[pos]), b = unhex(s[pos + 1]);
                if (a < 0 || b < 0)
                        return -EINVAL;
                id.bytes[i++] = (uint8_t) (a << 4 | b);
                pos += 2;
        }
        *ret = id;
        return 0;
}

bool service_id_equal(const ServiceId *a, const ServiceId *b) {
        return memcmp(a->bytes, b->bytes, sizeof a->bytes) == 0;
}

bool service_id_is_null(const ServiceId *id) {
        static const ServiceId null;
        return service_id_equal(id, &null);
}
