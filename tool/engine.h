/* SPDX-License-Identifier: Apache-2.0 */
/*
 * engine.h - the SHA-256 engine the veto command hands to the library.
 *
 * libsodium's SHA-256 is portable C with no hardware path; on a machine
 * with SHA extensions (x86 SHA-NI, ARMv8 SHA2) OpenSSL's libcrypto hashes
 * an image about three times faster.  The library takes any SHA-256
 * through veto_config.sha256 (a device plugs its hardware engine there);
 * the tool plugs libcrypto, loaded on first use, when it was built with
 * its headers (meson option `openssl`).  Keyids and payload digests always stay with libsodium.
 */
#ifndef VETO_TOOL_ENGINE_H
#define VETO_TOOL_ENGINE_H

#include <stdbool.h>

#include <veto.h>

/* The OpenSSL libcrypto engine, or NULL when the tool was built without
 * OpenSSL (the library then uses libsodium's SHA-256).  The engine is a
 * static object: it outlives every check. */
const veto_sha256_engine *veto_tool_sha256_engine(void);
/* Whether the engine hashes with libcrypto (loads it on the first call):
 * for tests and benchmarks. */
bool veto_tool_sha256_openssl(void);

#endif /* VETO_TOOL_ENGINE_H */
