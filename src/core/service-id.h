/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/* Service ids: random 128-bit UUIDs (version 4), printed 8-4-4-4-12 in lower
 * case. A service keeps its id across its restarts and the daemon's. */

#include <stdbool.h>
#include <stdint.h>

typedef struct ServiceId {
        uint8_t bytes[16];
} ServiceId;

#define SERVICE_ID_STRING_MAX 37 /* 36 characters and the NUL */

int service_id_random(ServiceId *ret);
/* Writes 36 characters and a NUL into buf, returns buf. */
char *service_id_to_string(const ServiceId *id, char buf[static SERVICE_ID_STRING_MAX]);
/* Accepts exactly the 8-4-4-4-12 form, either case; -EINVAL otherwise. */
int service_id_from_string(const char *s, ServiceId *ret);
bool service_id_equal(const ServiceId *a, const ServiceId *b);
bool service_id_is_null(const ServiceId *id);
