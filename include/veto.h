/* SPDX-License-Identifier: Apache-2.0 */
/*
 * veto.h - the one public header of libveto.
 *
 * libveto decides whether a vendor's firmware update may be installed on a
 * device, under a policy signed by the device's owner.  It verifies DSSE
 * envelopes signed with Ed25519, trusts owner policies (with key rotation,
 * rollback, equivocation and expiry checks), evaluates an update manifest
 * against the trusted policy and the installed state, and hashes the image
 * as a stream.  It never reads the clock, the file system or the network:
 * time, state and storage are handed in by the caller.
 *
 * Conventions
 *   - Outputs first, then context, then inputs.  Every input pointer is
 *     const; sizes are size_t.
 *   - Functions that can fail return veto_status (VETO_OK = 0) and are
 *     marked warn_unused_result.  A decision function returns VETO_OK only
 *     for "accept", so code that tests `== VETO_OK` fails closed.
 *   - Details of what was wrong go into the caller's veto_report (decisions)
 *     or veto_diag (everything else).  There is no global error state.
 *   - Memory the library hands back (strings, objects) is allocated with the
 *     allocator of the veto_config passed in (malloc when NULL) and released
 *     with the matching veto_*_free / veto_free.
 *
 * Thread safety
 *   veto_init() may be called from any thread, any number of times.  After
 *   it returned VETO_OK, every function is reentrant: distinct objects may
 *   be used from distinct threads at once; one object must not be used from
 *   two threads at once without the caller's own locking.  The library keeps
 *   no mutable global state of its own.  cJSON's allocation hooks are
 *   process-wide and belong to the embedder (see veto_config).
 */
#ifndef VETO_H
#define VETO_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#if defined(VETO_BUILDING) && (defined(__GNUC__) || defined(__clang__))
#define VETO_API __attribute__((visibility("default")))
#else
#define VETO_API
#endif

#if defined(__GNUC__) || defined(__clang__)
#define VETO_NODISCARD __attribute__((warn_unused_result))
#else
#define VETO_NODISCARD
#endif

#define VETO_VERSION_STRING "0.2.0"

/* Fixed sizes, each also available as a function for bindings. */
#define VETO_PUBLICKEYBYTES 32U /* Ed25519 public key */
#define VETO_SEEDBYTES 32U      /* Ed25519 secret seed */
#define VETO_SIGBYTES 64U       /* Ed25519 signature */
#define VETO_KEYIDCHARS 64U     /* hex keyid, without the NUL */
#define VETO_DIGESTBYTES 32U    /* SHA-256 and BLAKE2b-256 */

VETO_API size_t veto_publickeybytes(void);
VETO_API size_t veto_seedbytes(void);
VETO_API size_t veto_sigbytes(void);

/* Contract limits (SPEC section 3).  An embedder may lower them at run time
 * through veto_config; it can never raise them. */
#define VETO_MAX_ENVELOPE (1024U * 1024U)
#define VETO_MAX_SIGNATURES 64U
#define VETO_MAX_DEPTH 16U

/* Internal limits of this implementation, below which every document of the
 * contract fits.  An integrator may override them when building the library
 * (-DVETO_MAX_KEYS=...); a document above them is malformed. */
#ifndef VETO_MAX_KEYS
#define VETO_MAX_KEYS 128U /* keys in a policy or anchor */
#endif
#ifndef VETO_MAX_ROLES
#define VETO_MAX_ROLES 32U /* roles in a policy */
#endif
#ifndef VETO_MAX_FEATURES
#define VETO_MAX_FEATURES 256U /* entries in any feature list */
#endif

/* Sizes of the text fields of a veto_reason (without the NUL). */
#define VETO_ROLE_MAX 32U
#define VETO_FEATURE_MAX 144U /* "name@VERSION": 64 + 1 + 79 */
#define VETO_OFFERED_MAX 144U
#define VETO_DETAIL_MAX 191U

/* ------------------------------------------------------------------------ */
/* Status                                                                   */
/* ------------------------------------------------------------------------ */

typedef enum veto_status {
	VETO_OK = 0,           /* done; for a decision: accepted */
	VETO_REFUSED = 1,      /* a decision was made: refuse (see the report) */

	/* 100..199: the input is malformed */
	VETO_E_MALFORMED = 100, /* bad JSON, base64, schema or value */
	VETO_E_TYPE = 101,      /* envelope payloadType is not the one expected */
	VETO_E_LIMIT = 102,     /* input above a size, count or depth limit */
	VETO_E_KEY = 103,       /* public key not canonical or of small order */

	/* 200..299: cryptography.  (201, a signature status that no function
	 * ever returned, is retired and not reused: a signature that does not
	 * verify is a reason in the report, never a status.) */
	VETO_E_CRYPTO = 200,    /* libsodium could not be initialised */
	VETO_E_PASSPHRASE = 202, /* (1.1) an encrypted key file does not open:
	                          * a wrong passphrase or a damaged file */
	VETO_E_SIGNATURE = 203,  /* (1.1) a signature handed in to be attached
	                          * does not verify */

	/* 300..399: misuse of the API */
	VETO_E_ARG = 300,       /* a required argument is NULL or out of range */
	VETO_E_SEQUENCE = 301,  /* call out of order (e.g. commit before finish) */
	VETO_E_NO_POLICY = 302, /* no policy handed in and none stored */
	VETO_E_BUFFER = 303,    /* the caller's output buffer is too small */

	/* 400..499: resources */
	VETO_E_NOMEM = 400      /* the allocator returned NULL */
} veto_status;

/* A short English sentence for a status; "unknown status" for a value that
 * is not one.  Never NULL; the text is static. */
VETO_API const char *veto_strerror(veto_status status);
/* The status's name as spelt above ("VETO_E_MALFORMED"), for tests, logs
 * and bindings; "unknown" for a value that is not a status.  Never NULL;
 * the text is static. */
VETO_API const char *veto_status_name(veto_status status);

/* ------------------------------------------------------------------------ */
/* Reason and notice codes (SPEC section 8), in the order of its tables     */
/* ------------------------------------------------------------------------ */

typedef enum veto_code {
	VETO_R_MALFORMED_ANCHOR = 1,
	VETO_R_MALFORMED_STATE,
	VETO_R_MALFORMED_POLICY,
	VETO_R_MALFORMED_UPDATE,
	VETO_R_POLICY_TYPE,
	VETO_R_UPDATE_TYPE,
	VETO_R_POLICY_SIGNATURE,
	VETO_R_POLICY_NEW_OWNER_SIGNATURE,
	VETO_R_POLICY_ROLLBACK,
	VETO_R_POLICY_EQUIVOCATION,
	VETO_R_POLICY_EXPIRED,
	VETO_R_POLICY_WRONG_DEVICE,
	VETO_R_CLOCK_BEHIND,          /* (1.1) */
	VETO_R_REVOCATION_LIMIT,      /* (1.1) reserved: revocation (SPEC 5.3) */
	VETO_R_UPDATE_UNTRUSTED,
	VETO_R_UPDATE_REVOKED,        /* (1.1) reserved: revocation (SPEC 5.3) */
	VETO_R_COSIGNATURE_MISSING,
	VETO_R_WRONG_DEVICE,
	VETO_R_ROLLBACK,
	VETO_R_FEATURE_REMOVED,
	VETO_R_FEATURE_DOWNGRADED,
	VETO_R_UNDECLARED_REMOVAL,
	VETO_R_FEATURE_FORBIDDEN,     /* (1.1) */
	VETO_R_FEATURE_ADDED,         /* (1.1) */
	VETO_R_DIGEST_NOT_ALLOWED,
	VETO_R_IMAGE_TOO_LARGE,
	VETO_R_IMAGE_SIZE,
	VETO_R_IMAGE_DIGEST,
	VETO_R_LOCAL_TIME_UNKNOWN,    /* (1.1) */
	VETO_R_ON_HOLD,               /* (1.1) */
	VETO_R_OUTSIDE_WINDOW,        /* (1.1) */
	/* notices: reported, never a refusal by themselves */
	VETO_N_FEATURE_REMOVAL_WAIVED,
	VETO_N_FEATURE_ADDITION_WAIVED, /* (1.1) */
	VETO_N_ROLLBACK_WAIVED,         /* (1.1) */
	VETO_N_REVOCATION_INVALID,      /* (1.1) reserved: revocation (SPEC 5.3) */
	VETO_N_KEY_REVOKED,             /* (1.1) reserved: revocation (SPEC 5.3) */
	VETO_N_FAST_PATH_USED,          /* (1.1) */
	VETO_N_FEATURE_DROPPED,
	VETO_N_IMAGE_UNCHECKED,
	VETO_CODE_COUNT_ /* not a code */
} veto_code;

/* The numbers follow the contract's table order, which fixes the order of
 * reasons; contract 1.1 inserted its codes at their places in the tables,
 * so a code's number changed from 0.1 to 0.2 (compare names, not numbers,
 * across versions).  The four revocation codes are reserved here at their
 * places and not yet reported by this version. */

/* The contract's name of a code ("cosignature-missing"); "unknown" for a
 * value that is not a code. */
VETO_API const char *veto_code_name(veto_code code);
/* The JSON member name under which a reason's `offered` text is reported:
 * "until" for on-hold (the hold's end), "next_open" for outside-window (the
 * wall-clock time a window next opens), "offered" for every other code.
 * Never NULL; the text is static. */
VETO_API const char *veto_code_offered_name(veto_code code);
/* 1 for a notice, 0 for a refusal reason. */
VETO_API int veto_code_is_notice(veto_code code);

/* ------------------------------------------------------------------------ */
/* Configuration: allocation and limits                                     */
/* ------------------------------------------------------------------------ */

/*
 * An optional SHA-256 engine for the image stream: a hardware engine on a
 * device, or a faster library in a tool.  Only the image goes through it;
 * keyids and payload digests always use libsodium.  begin returns a fresh
 * hashing state (NULL: no resources, the check fails with VETO_E_NOMEM);
 * end writes the digest and releases the state, or only releases it when
 * digest is NULL.  The engine must outlive every check that uses it.
 */
typedef struct veto_sha256_engine {
	void *(*begin)(void *ctx);
	void (*update)(void *state, const uint8_t *data, size_t len);
	void (*end)(void *state, uint8_t digest[32]);
	void *ctx;
} veto_sha256_engine;

/*
 * Every allocation the library itself makes goes through `alloc`/`release`
 * (malloc/free when both are NULL; set both or neither).  `alloc` must return
 * memory aligned for any object type (alignof(max_align_t)), as
 * malloc does.  A decision's peak is documented in docs/API.md; an embedder can bound it by handing in an
 * allocator that fails past a budget, and every entry point then returns
 * VETO_E_NOMEM cleanly, without leaking.
 *
 * cJSON keeps its own process-wide allocation hooks; the library never calls
 * cJSON_InitHooks.  An embedder that wants cJSON's allocations under the
 * same budget calls cJSON_InitHooks once at start-up (examples/firmware.c).
 *
 * The limits may be lowered, never raised: 0 means the contract's limit,
 * and a value above it is clamped to it.
 */
typedef struct veto_config {
	void *(*alloc)(void *ctx, size_t size);
	void (*release)(void *ctx, void *ptr);
	void *alloc_ctx;
	size_t max_envelope;     /* bytes of one envelope; 0: VETO_MAX_ENVELOPE */
	unsigned max_signatures; /* entries in one envelope; 0: VETO_MAX_SIGNATURES */
	unsigned max_depth;      /* JSON nesting; 0: VETO_MAX_DEPTH */
	const veto_sha256_engine *sha256; /* NULL: libsodium's SHA-256 */
} veto_config;

/* Initialises libsodium.  Safe to call repeatedly and from several threads;
 * every other entry point also calls it.  VETO_E_CRYPTO when it fails. */
VETO_API VETO_NODISCARD veto_status veto_init(void);

/* Releases memory that a veto_* function returned through a `char **` or
 * `uint8_t **` output, with the allocator of cfg (NULL: free).  NULL p is a
 * no-op. */
VETO_API void veto_free(const veto_config *cfg, void *p);
/* The same, wiping len bytes first: for buffers that held secrets. */
VETO_API void veto_free_secret(const veto_config *cfg, void *p, size_t len);

/* ------------------------------------------------------------------------ */
/* Reports                                                                  */
/* ------------------------------------------------------------------------ */

/* One refusal reason or notice.  Empty strings and has_counts == 0 mean the
 * detail does not apply.  have/need: signatures counted and required
 * (cosignature-missing), counter offered and minimum (rollback,
 * rollback-waived), bytes declared and allowed (image-too-large), bytes seen
 * and declared (image-size).  offered: the version offered, the digests
 * carried, and (1.1) the hold's end "YYYY-MM-DDTHH:MM:SSZ" (on-hold, JSON
 * member "until") or the wall-clock time a window next opens
 * "YYYY-MM-DDTHH:MM:00" followed by "Z", an offset "+HH:MM" or nothing for
 * the local clock (outside-window, JSON member "next_open").  detail (1.1):
 * "missing" or "inconsistent" (local-time-unknown), the matching entry
 * (feature-forbidden), the codes lifted, comma-separated in table order
 * (fast-path-used).  index: 1-based position of the policy a policy reason is
 * about, in the order handed in; 0 when not about a policy. */
typedef struct veto_reason {
	veto_code code;
	unsigned index;
	int has_counts;
	uint64_t have;
	uint64_t need;
	char role[VETO_ROLE_MAX + 1];
	char feature[VETO_FEATURE_MAX + 1];
	char offered[VETO_OFFERED_MAX + 1];
	char detail[VETO_DETAIL_MAX + 1];
} veto_reason;

/* Everything a decision found.  The arrays are owned by the report and kept
 * in the order of SPEC section 8's tables.  Initialise with
 * veto_report_init before use and release with veto_report_clear. */
typedef struct veto_report {
	veto_reason *refusals;
	size_t n_refusals;
	veto_reason *notices;
	size_t n_notices;
	/* private */
	size_t cap_refusals_;
	size_t cap_notices_;
	int nomem_;
	veto_config cfg_;
} veto_report;

/* Makes r empty, remembering cfg's allocator (NULL: malloc). */
VETO_API void veto_report_init(veto_report *r, const veto_config *cfg);
/* Releases the arrays and makes r empty again; r may be reused. */
VETO_API void veto_report_clear(veto_report *r);
/* 1 when r holds no refusal reason.  Only meaningful once the decision that
 * filled r has finished (veto_check_finish, veto_trust). */
VETO_API int veto_report_accepted(const veto_report *r);
/* The JSON object of SPEC section 9:
 *   {"decision": ..., "refusals": [...], "notices": [...]}
 * written to *out (NUL-terminated, *out_len bytes without the NUL; release
 * with veto_free(cfg_of_r, *out)).  VETO_E_NOMEM. */
VETO_API VETO_NODISCARD veto_status veto_report_json(char **out, size_t *out_len,
                                                      const veto_report *r);
/* One line of plain English for a reason ("role \"auditor\" has 1 of the 2
 * signatures it needs"), written to the caller's buf as snprintf does: at
 * most cap - 1 bytes and a NUL when cap > 0 (buf may be NULL when cap is
 * 0), a cut never leaving part of a UTF-8 character.  Returns the length of
 * the whole text, without the NUL; no status.  reason must not be NULL. */
VETO_API size_t veto_reason_text(char *buf, size_t cap, const veto_reason *reason);

/* Details for functions that make no decision. */
typedef struct veto_diag {
	char detail[VETO_DETAIL_MAX + 1];
} veto_diag;

/* A byte span handed in. */
typedef struct veto_bytes {
	const uint8_t *ptr;
	size_t len;
} veto_bytes;

/* ------------------------------------------------------------------------ */
/* Keys                                                                     */
/* ------------------------------------------------------------------------ */

/* A fresh key pair from libsodium's random source.  VETO_E_CRYPTO. */
VETO_API VETO_NODISCARD veto_status veto_keygen(uint8_t pk[VETO_PUBLICKEYBYTES],
                                                uint8_t seed[VETO_SEEDBYTES]);
/* The public key of a seed. */
VETO_API VETO_NODISCARD veto_status veto_key_public(uint8_t pk[VETO_PUBLICKEYBYTES],
                                                    const uint8_t seed[VETO_SEEDBYTES]);
/* VETO_OK when pk is a canonical point encoding of large order; VETO_E_KEY
 * otherwise (all zeros, small order, not on the curve, not canonical). */
VETO_API VETO_NODISCARD veto_status veto_key_check(const uint8_t pk[VETO_PUBLICKEYBYTES]);
/* keyid: lowercase hex of SHA-256 over the 32 key bytes, NUL-terminated. */
VETO_API VETO_NODISCARD veto_status veto_keyid(char keyid[VETO_KEYIDCHARS + 1],
                                               const uint8_t pk[VETO_PUBLICKEYBYTES]);

/* Key files (SPEC section 2).  Parsing checks the JSON rules, the key and
 * that the keyid is the key's.  Status VETO_E_MALFORMED or VETO_E_KEY, with
 * the reason in d (may be NULL). */
VETO_API VETO_NODISCARD veto_status veto_pubkey_parse(uint8_t pk[VETO_PUBLICKEYBYTES],
                                                      veto_diag *d,
                                                      const uint8_t *json, size_t len);
VETO_API VETO_NODISCARD veto_status veto_seckey_parse(uint8_t seed[VETO_SEEDBYTES],
                                                      uint8_t pk[VETO_PUBLICKEYBYTES],
                                                      veto_diag *d,
                                                      const uint8_t *json, size_t len);
/* Key file texts, ending in a newline.  The secret one must be released
 * with veto_free_secret(cfg, *out, *out_len). */
VETO_API VETO_NODISCARD veto_status veto_pubkey_format(char **out, size_t *out_len,
                                                       const veto_config *cfg,
                                                       const uint8_t pk[VETO_PUBLICKEYBYTES]);
VETO_API VETO_NODISCARD veto_status veto_seckey_format(char **out, size_t *out_len,
                                                       const veto_config *cfg,
                                                       const uint8_t seed[VETO_SEEDBYTES]);

/* (1.1) Encrypted secret key files (SPEC section 2): the seed in a
 * crypto_secretbox (XSalsa20-Poly1305) under a key that Argon2id13
 * (crypto_pwhash) derives from a passphrase.  The passphrase is the bytes
 * given, never normalised, and never empty.  A reader accepts the KDF
 * parameters within these bounds only, checked before any work is done, so
 * a hostile file cannot make it spend unbounded time or memory. */
#define VETO_KDF_OPSLIMIT_MIN 1U
#define VETO_KDF_OPSLIMIT_MAX 16U
#define VETO_KDF_MEMLIMIT_MIN 8192U
#define VETO_KDF_MEMLIMIT_MAX 1073741824U

/* (1.1) 1 when json is a JSON object with an "ed25519-seed-encrypted"
 * member, an encrypted key file to open with veto_seckey_decrypt; else 0
 * (a plain secret key file for veto_seckey_parse, or no key file).
 * Nothing is derived. */
VETO_API int veto_seckey_is_encrypted(const uint8_t *json, size_t len);
/* (1.1) Opens an encrypted secret key file with pass (pass_len >= 1): the
 * members and KDF bounds are checked first, then the key is derived, the
 * box opened, and the seed's public key compared with the file's keyid.
 * The derived key is wiped; on any failure seed is wiped too.  *weak (may
 * be NULL) is set to 1 when the parameters are below libsodium's
 * INTERACTIVE ones (the caller should warn), else 0.
 * VETO_E_MALFORMED (reason in d: bounds, lengths, keyid mismatch),
 * VETO_E_PASSPHRASE (the box does not open: a wrong passphrase or a damaged
 * file), VETO_E_ARG (NULL or empty pass), VETO_E_NOMEM (the KDF's memory). */
VETO_API VETO_NODISCARD veto_status veto_seckey_decrypt(uint8_t seed[VETO_SEEDBYTES],
                                                        uint8_t pk[VETO_PUBLICKEYBYTES],
                                                        int *weak, veto_diag *d,
                                                        const uint8_t *json, size_t len,
                                                        const uint8_t *pass, size_t pass_len);
/* (1.1) The encrypted key file of seed under pass (pass_len >= 1, else
 * VETO_E_ARG), with libsodium's INTERACTIVE parameters and a fresh random
 * salt and nonce on every call; text ending in a newline, released with
 * veto_free.  VETO_E_NOMEM (also when the KDF cannot have its memory). */
VETO_API VETO_NODISCARD veto_status veto_seckey_encrypt(char **out, size_t *out_len,
                                                        const veto_config *cfg,
                                                        const uint8_t seed[VETO_SEEDBYTES],
                                                        const uint8_t *pass, size_t pass_len);

/* ------------------------------------------------------------------------ */
/* Signing (vendors, co-signers, owners)                                    */
/* ------------------------------------------------------------------------ */

#define VETO_TYPE_POLICY "application/vnd.veto.policy+json"
#define VETO_TYPE_UPDATE "application/vnd.veto.update+json"
#define VETO_TYPE_REVOCATION "application/vnd.veto.revocation+json" /* (1.1) */

/* Validates payload as a policy ("format": "veto.policy/1" or (1.1)
 * "veto.policy/1.1") or an update
 * ("veto.update/1") and wraps it in a new DSSE envelope with one signature
 * by seed.  *out is the envelope JSON (NUL-terminated, with a final newline).
 * VETO_E_MALFORMED (reason in d), VETO_E_LIMIT, VETO_E_NOMEM. */
VETO_API VETO_NODISCARD veto_status veto_sign(char **out, size_t *out_len, veto_diag *d,
                                              const veto_config *cfg,
                                              const uint8_t *payload, size_t payload_len,
                                              const uint8_t seed[VETO_SEEDBYTES]);

/* Adds seed's signature to an existing envelope (whose payload is validated
 * first, as for veto_sign).  When the envelope already holds a signature by
 * this key that verifies, nothing is added and *added is 0; an entry with
 * this key's keyid that does not verify is replaced.  The other entries are
 * kept as they are, in order.  VETO_E_LIMIT when the envelope already holds
 * the maximum number of signatures. */
VETO_API VETO_NODISCARD veto_status veto_cosign(char **out, size_t *out_len, int *added,
                                                veto_diag *d, const veto_config *cfg,
                                                const uint8_t *envelope, size_t envelope_len,
                                                const uint8_t seed[VETO_SEEDBYTES]);

/* The DSSE pre-authentication encoding, for tests and interop:
 *   "DSSEv1" SP LEN(type) SP type SP LEN(payload) SP payload
 * written to out (not NUL-terminated).  With out NULL or cap too small,
 * *out_len is set to the length needed and VETO_E_BUFFER returned. */
VETO_API VETO_NODISCARD veto_status veto_pae(uint8_t *out, size_t cap, size_t *out_len,
                                             const char *type, size_t type_len,
                                             const uint8_t *payload, size_t payload_len);

/* (1.1) Signing elsewhere.  doc is a payload (a JSON object with a
 * "format", validated as veto_sign validates it; its type comes from the
 * format) or an envelope (a JSON object with a "payloadType", parsed and
 * validated as veto_cosign does).  veto_pae_of gives the exact bytes a
 * signer must sign, PAE(type, payload), in *out (release with veto_free);
 * *is_envelope (may be NULL) says which doc was: 1 an envelope, 0 a
 * payload, -1 neither (not a JSON object: the reason in d).  VETO_E_MALFORMED,
 * VETO_E_TYPE, VETO_E_LIMIT (reason in d), VETO_E_NOMEM. */
VETO_API VETO_NODISCARD veto_status veto_pae_of(uint8_t **out, size_t *out_len, int *is_envelope,
                                                veto_diag *d, const veto_config *cfg,
                                                const uint8_t *doc, size_t len);
/* (1.1) Puts sig, a pure Ed25519 signature by pk made elsewhere, into doc:
 * a new envelope for a payload; for an envelope, added as veto_cosign adds
 * (not twice when pk's verifying signature is there: *added 0; an entry
 * with pk's keyid that does not verify is replaced).  sig is verified under
 * pk over the PAE before anything is written: VETO_E_SIGNATURE when it does
 * not verify, VETO_E_KEY when pk is not a valid key; otherwise as
 * veto_pae_of, and VETO_E_LIMIT at the envelope's signature limit. */
VETO_API VETO_NODISCARD veto_status veto_attach(char **out, size_t *out_len, int *added,
                                                veto_diag *d, const veto_config *cfg,
                                                const uint8_t *doc, size_t len,
                                                const uint8_t pk[VETO_PUBLICKEYBYTES],
                                                const uint8_t sig[64]);

/* ------------------------------------------------------------------------ */
/* Inspecting envelopes (for display; no trust is implied)                  */
/* ------------------------------------------------------------------------ */

typedef struct veto_envelope veto_envelope;

/* Parses an envelope under the JSON rules and limits.  Nothing in its
 * payload is read.  VETO_OK with *out the caller's (release with
 * veto_envelope_free); VETO_E_MALFORMED / VETO_E_LIMIT with the reason in d
 * (may be NULL); VETO_E_ARG (out or json NULL); VETO_E_CRYPTO; VETO_E_NOMEM.
 * *out is NULL on any failure. */
VETO_API VETO_NODISCARD veto_status veto_envelope_parse(veto_envelope **out, veto_diag *d,
                                                        const veto_config *cfg,
                                                        const uint8_t *json, size_t len);
/* The accessors below return no status.  Every pointer they return points
 * into e: owned by e, never to be released by the caller, valid until
 * veto_envelope_free(e).  With e NULL they return NULL (or 0). */
/* The payloadType, NUL-terminated. */
VETO_API const char *veto_envelope_type(const veto_envelope *e);
/* The decoded payload, *len bytes (len may be NULL). */
VETO_API const uint8_t *veto_envelope_payload(const veto_envelope *e, size_t *len);
/* Signature entries, in the order of the envelope. */
VETO_API size_t veto_envelope_sig_count(const veto_envelope *e);
/* The keyid of entry i (64 hex digits, NUL-terminated); NULL when i is out
 * of range. */
VETO_API const char *veto_envelope_sig_keyid(const veto_envelope *e, size_t i);
/* 1 when signature i is by pk (its keyid is pk's) and verifies; else 0,
 * also when i is out of range, pk is NULL or memory runs out. */
VETO_API int veto_envelope_sig_verifies(const veto_envelope *e, size_t i,
                                        const uint8_t pk[VETO_PUBLICKEYBYTES]);
/* Releases e and everything the accessors returned from it; NULL is a
 * no-op. */
VETO_API void veto_envelope_free(veto_envelope *e);

/* The keys a policy payload declares, read WITHOUT trusting it (the payload
 * is parsed and validated but no signature is checked): for `veto show` and
 * for tooling.  *keys holds *n_keys entries; release with veto_free. */
VETO_API VETO_NODISCARD veto_status veto_policy_declared_keys(
    uint8_t (**keys)[VETO_PUBLICKEYBYTES], size_t *n_keys, veto_diag *d,
    const veto_config *cfg, const uint8_t *payload, size_t payload_len);

/* (1.1) What a veto.policy/1.1 payload's own members ask, in a few lines of
 * plain English (issued, forbidden features, who consents to additions and
 * downgrades, the clock, windows, holds and fast path), read WITHOUT
 * trusting it, for display.  *out is NUL-terminated, "" for a
 * veto.policy/1; release with veto_free(cfg, *out).  VETO_OK;
 * VETO_E_MALFORMED / VETO_E_LIMIT with the reason in d (may be NULL);
 * VETO_E_ARG (out or payload NULL); VETO_E_CRYPTO; VETO_E_NOMEM. */
VETO_API VETO_NODISCARD veto_status veto_policy_summary(char **out, size_t *out_len,
                                                        veto_diag *d, const veto_config *cfg,
                                                        const uint8_t *payload,
                                                        size_t payload_len);

/* ------------------------------------------------------------------------ */
/* Installed state (SPEC section 7)                                         */
/* ------------------------------------------------------------------------ */

typedef struct veto_state veto_state;

/* Enrolment: a state from a trust anchor and what runs now.  features are
 * update-style entries ("name" or "name@VERSION"), each name once.  A bad
 * anchor (a bad key in it included) is reported as malformed-anchor, a bad
 * feature as malformed-state; status VETO_E_MALFORMED.  rep may be NULL. */
VETO_API VETO_NODISCARD veto_status veto_state_from_anchor(
    veto_state **out, veto_report *rep, const veto_config *cfg,
    const uint8_t *anchor_json, size_t anchor_len, uint64_t security_counter,
    const char *const *features, size_t n_features);

/* Reads a state document.  Anything wrong (bad JSON, a stored policy whose
 * payload digest is not policy_sha256, ...) is reported as malformed-state
 * and returns VETO_E_MALFORMED: never a silent reset. */
VETO_API VETO_NODISCARD veto_status veto_state_parse(veto_state **out, veto_report *rep,
                                                     const veto_config *cfg,
                                                     const uint8_t *json, size_t len);

/* The state document (NUL-terminated, ending in a newline); release with
 * veto_free(cfg, *out), cfg being the config the state was made with. */
VETO_API VETO_NODISCARD veto_status veto_state_format(char **out, size_t *out_len,
                                                      const veto_state *s);

/* Read-only views for display. */
VETO_API const char *veto_state_vendor(const veto_state *s);
VETO_API const char *veto_state_model(const veto_state *s);
VETO_API uint64_t veto_state_security_counter(const veto_state *s);
/* 1 and *serial set when a policy is trusted; 0 otherwise. */
VETO_API int veto_state_policy_serial(const veto_state *s, uint64_t *serial);
VETO_API size_t veto_state_feature_count(const veto_state *s);
/* (1.1) The counter high-water mark: the highest security counter ever
 * committed (equal to the security counter in a veto.state/1); 0 for s
 * NULL. */
VETO_API uint64_t veto_state_counter_max(const veto_state *s);
/* (1.1) 1 and *floor set when the state holds a time floor (the latest
 * owner-signed `issued` trusted); 0 otherwise. */
VETO_API int veto_state_time_floor(const veto_state *s, int64_t *floor);
VETO_API const char *veto_state_feature(const veto_state *s, size_t i);
/* (1.1) The stored revocations (SPEC 5.3, 7), per issuing role: the number
 * of roles; role i's name (NULL when i is out of range); its revoked update
 * digests (32 bytes each) and keyids (64 hex digits, NUL-terminated), each
 * list sorted and distinct, NULL when i or j is out of range.  Pointers are
 * owned by s.  Which of them take effect depends on the governing policy
 * (its revocation_roles and reinstate). */
VETO_API size_t veto_state_revocation_roles(const veto_state *s);
VETO_API const char *veto_state_revocation_role(const veto_state *s, size_t i);
VETO_API size_t veto_state_revoked_update_count(const veto_state *s, size_t i);
VETO_API const uint8_t *veto_state_revoked_update(const veto_state *s, size_t i, size_t j);
VETO_API size_t veto_state_revoked_key_count(const veto_state *s, size_t i);
VETO_API const char *veto_state_revoked_key(const veto_state *s, size_t i, size_t j);
VETO_API void veto_state_free(veto_state *s);

/* ------------------------------------------------------------------------ */
/* Trusting policies (SPEC section 5)                                       */
/* ------------------------------------------------------------------------ */

/*
 * Times are seconds since 1970-01-01T00:00:00Z, handed in by the caller.
 * veto_time_parse reads the contract's "YYYY-MM-DDTHH:MM:SSZ" form: exactly
 * len == 20 bytes of text (no NUL needed), a real calendar date.  VETO_OK
 * with *out set; VETO_E_MALFORMED for anything else, out or text NULL
 * included (*out is then unchanged).
 */
VETO_API VETO_NODISCARD veto_status veto_time_parse(int64_t *out, const char *text, size_t len);
/* Writes the 20 characters and a NUL into the caller's out; VETO_OK, or
 * VETO_E_ARG for out NULL or a time outside years 0000..9999. */
VETO_API VETO_NODISCARD veto_status veto_time_format(char out[21], int64_t t);

/*
 * Trusts policies[0..n-1] in order, each against the one before (the first
 * against the state's trusted owner role: the anchor's, or the stored
 * policy's).  Only the last must be unexpired at `now`.  (1.1) `now` must
 * not be earlier than any policy's `issued`, nor than the state's time floor
 * (clock-behind; a policy with time_floor_reset is held only to its own
 * issued); the new state's floor is the latest issued trusted, policy by
 * policy (a reset sets it to the reset policy's issued).  All or nothing:
 * VETO_OK and *out, a new state governed by the last policy (the caller's:
 * veto_state_free; made with cfg's allocator); or VETO_REFUSED with the
 * reasons in rep and *out NULL.  Also VETO_E_ARG (a NULL pointer, no
 * policy), VETO_E_CRYPTO, VETO_E_NOMEM, with *out NULL.  state and the
 * policies' bytes stay the caller's and are not kept.
 */
VETO_API VETO_NODISCARD veto_status veto_trust(veto_state **out, veto_report *rep,
                                               const veto_config *cfg, const veto_state *state,
                                               const veto_bytes *policies, size_t n_policies,
                                               int64_t now);

/*
 * (1.1) veto_trust with the revocations of *when (when->now is the
 * verifier's time; its local time and `installed` are not used).  Policies
 * may be none (n_policies 0, policies may be NULL) when revocations are
 * handed in: they are then judged under the stored policy (none stored:
 * VETO_E_NO_POLICY).  Revocations are judged under the policy that governs
 * once the policies are trusted, else the stored one, and every accepted
 * one is stored whatever becomes of the policies (SPEC 5.3).
 * VETO_OK: every policy trusted and no revocation refused; VETO_REFUSED:
 * some refusal reason in rep.  In both cases *out is the new state, the
 * caller's (veto_state_free): the policies adopted when trusted, the
 * accepted revocations added (it may be identical to state: compare the
 * veto_state_format texts before writing).  VETO_E_ARG (a NULL pointer,
 * nothing handed in), VETO_E_LIMIT (more than 64 revocations),
 * VETO_E_NO_POLICY, VETO_E_CRYPTO, VETO_E_NOMEM: *out NULL.
 */
typedef struct veto_when veto_when;
VETO_API VETO_NODISCARD veto_status veto_trust_at(veto_state **out, veto_report *rep,
                                                  const veto_config *cfg,
                                                  const veto_state *state,
                                                  const veto_bytes *policies, size_t n_policies,
                                                  const veto_when *when);

/* ------------------------------------------------------------------------ */
/* Checking an update (SPEC section 8)                                      */
/* ------------------------------------------------------------------------ */

typedef struct veto_check veto_check;

/* What the library computed over the image it was fed. */
typedef struct veto_image_digests {
	uint64_t size;
	int has_sha256;  /* the manifest carries sha256: it was computed */
	int has_blake2b; /* the manifest carries blake2b-256 */
	uint8_t sha256[VETO_DIGESTBYTES];
	uint8_t blake2b256[VETO_DIGESTBYTES];
} veto_image_digests;

/*
 * Starts a decision: trusts `policies` as veto_trust does (none: the state's
 * stored policy governs, its expiry checked again at `now`), verifies the
 * update envelope and evaluates the manifest against the governing policy
 * and the state.  Reasons found so far go into rep, which must outlive the
 * check.  Returns VETO_OK when the check object was made, whatever the
 * reasons (*out the caller's: veto_check_free); VETO_E_NO_POLICY when no
 * policy is handed in and none is stored; VETO_E_ARG (a NULL pointer);
 * VETO_E_CRYPTO; VETO_E_NOMEM.  *out is NULL on any failure.  The check
 * keeps pointers to state and rep, which must outlive it; the policy and
 * update bytes are copied as needed and may be released at once.
 */
VETO_API VETO_NODISCARD veto_status veto_check_begin(veto_check **out, veto_report *rep,
                                                     const veto_config *cfg,
                                                     const veto_state *state,
                                                     const veto_bytes *policies, size_t n_policies,
                                                     const uint8_t *update, size_t update_len,
                                                     int64_t now);

/*
 * (1.1) The times a decision is made at, for veto_check_begin_at.
 *   now            the verifier's time, UTC seconds since 1970 (as `now`
 *                  everywhere else).
 *   has_local_time 1 when local_time holds the device's local wall-clock
 *                  reading, 0 when none is known (a policy whose timing is
 *                  on the local clock and has windows then refuses with
 *                  local-time-unknown, detail "missing").
 *   local_time     that reading as if it were UTC: the seconds from
 *                  1970-01-01T00:00:00 on the local calendar to the local
 *                  date and time (veto_local_time_parse makes it).  The
 *                  library never reads a clock or a time-zone database; a
 *                  reading more than 14 hours ahead of or 12 hours behind
 *                  `now` is treated as unknown ("inconsistent").
 *   installed      1 when the decision records an installation that has
 *                  already happened (the tool's `commit`): the owner's
 *                  timing (windows, holds, the local time) is not
 *                  evaluated, as SPEC section 5.2 requires; 0 for a check
 *                  before installing.
 * Zero the struct before filling it, so that members added later read 0.
 */
typedef struct veto_when {
	int64_t now;
	int has_local_time;
	int64_t local_time;
	int installed;
	/* (1.1) revocations handed in (SPEC 5.3): n_revocations envelopes,
	 * at most 64 (more: VETO_E_LIMIT); NULL and 0 when there are none.
	 * Each is judged under the governing policy, reported as
	 * revocation-invalid or revocation-limit when it counts for nothing,
	 * and applies to this decision; veto_check_commit stores the accepted
	 * ones.  The bytes are read during the call only. */
	const veto_bytes *revocations;
	size_t n_revocations;
} veto_when;

/* Reads a local wall-clock time "YYYY-MM-DDTHH:MM:SS" (exactly 19 bytes, no
 * zone designator, a real calendar date, seconds 00..59) into the form of
 * veto_when.local_time.  VETO_OK with *out set; VETO_E_MALFORMED for
 * anything else, out or text NULL included (*out then unchanged). */
VETO_API VETO_NODISCARD veto_status veto_local_time_parse(int64_t *out, const char *text,
                                                          size_t len);

/*
 * veto_check_begin with the times of *when (not NULL; copied, need not
 * outlive the call): the same statuses, ownership and *out.
 * veto_check_begin(..., now) is veto_check_begin_at with when = {now, no
 * local time, installed 0}.
 */
VETO_API VETO_NODISCARD veto_status veto_check_begin_at(veto_check **out, veto_report *rep,
                                                        const veto_config *cfg,
                                                        const veto_state *state,
                                                        const veto_bytes *policies,
                                                        size_t n_policies,
                                                        const uint8_t *update, size_t update_len,
                                                        const veto_when *when);

/*
 * The vendor's pre-flight: one policy trusted on its own owner role (its
 * payload is read to learn that role), its own device as the device, an
 * empty installed state (counter 0, no features, no update).  Statuses,
 * ownership and *out as veto_check_begin (without VETO_E_NO_POLICY); the
 * check cannot be committed (veto_check_commit: VETO_E_SEQUENCE).
 */
VETO_API VETO_NODISCARD veto_status veto_preflight_begin(veto_check **out, veto_report *rep,
                                                         const veto_config *cfg,
                                                         const uint8_t *policy, size_t policy_len,
                                                         const uint8_t *update, size_t update_len,
                                                         int64_t now);

/*
 * Pre-flight of one release against many policies: the update envelope is
 * parsed once, and each of its signatures is verified at most once across
 * all the policies checked through the same veto_preflight.  A malformed
 * update envelope is not an error here: every check reports it.
 * veto_preflight_check is veto_preflight_begin with the update taken from
 * pf; pf must outlive the checks made from it.  Not thread-safe: one
 * veto_preflight per thread.
 *
 * veto_preflight_new: VETO_OK with *out the caller's (veto_preflight_free,
 * after every check made from it); VETO_E_ARG (out or update NULL),
 * VETO_E_CRYPTO, VETO_E_NOMEM, with *out NULL.  The update bytes are copied.
 * veto_preflight_check: VETO_OK with *out a new check, the caller's
 * (veto_check_free), whatever the reasons; VETO_E_ARG (a NULL pointer),
 * VETO_E_CRYPTO, VETO_E_NOMEM, with *out NULL.  rep must outlive the check.
 * veto_preflight_free: NULL is a no-op.
 */
typedef struct veto_preflight veto_preflight;
VETO_API VETO_NODISCARD veto_status veto_preflight_new(veto_preflight **out,
                                                       const veto_config *cfg,
                                                       const uint8_t *update, size_t update_len);
VETO_API VETO_NODISCARD veto_status veto_preflight_check(veto_check **out, veto_report *rep,
                                                         veto_preflight *pf,
                                                         const uint8_t *policy, size_t policy_len,
                                                         int64_t now);
VETO_API void veto_preflight_free(veto_preflight *pf);

/* Feeds the next chunk of the image (no whole-image buffer is kept; data
 * stays the caller's and may be reused at once).  The first call, even with
 * len 0, marks the image as given.  VETO_OK; VETO_E_ARG for c NULL or data
 * NULL with len > 0; VETO_E_SEQUENCE after veto_check_finish.  It never
 * refuses by itself: what the image is worth is said by finish.
 *
 * No more of the image is taken than can matter: once
 * veto_check_wants_image(c) is 0, a call still returns VETO_OK (so a caller
 * that feeds everything stays correct) but its bytes are ignored: neither
 * hashed nor counted, and finish's result is the same as if they had never
 * been fed.  Only the bytes up to the manifest's size plus one are taken
 * from a chunk that crosses that point. */
VETO_API VETO_NODISCARD veto_status veto_check_image(veto_check *c,
                                                     const uint8_t *data, size_t len);

/* 1 while more image bytes could change the decision, 0 once they cannot:
 * the update's manifest was not read (update-untrusted, a malformed or
 * untrusted policy or update: no image can change the decision, so stop at
 * once and read none), the image fed so far already passes the manifest's
 * size by one byte (image-size is then the answer, with no digest compared
 * and no digest handed back by finish), finish was called, or c is NULL.
 * An embedder reading from a stream stops reading when it is 0 (never
 * drains the rest) and calls finish; 1 does not mean the image is complete:
 * end of input is the embedder's to tell, by calling finish. */
VETO_API int veto_check_wants_image(const veto_check *c);

/* Ends the decision: compares the image with the manifest when one was fed
 * (image-size, image-digest), else adds the image-unchecked notice.  Fills
 * *computed (may be NULL; the caller's) with what was computed (for an
 * image longer than the manifest: its size taken, the manifest's plus one,
 * and no digest).  VETO_OK:
 * accept; VETO_REFUSED: refuse (reasons in the check's report);
 * VETO_E_SEQUENCE when called twice; VETO_E_ARG for c NULL; VETO_E_NOMEM
 * when the report could not record a reason (never an accept). */
VETO_API VETO_NODISCARD veto_status veto_check_finish(veto_check *c,
                                                      veto_image_digests *computed);

/* After the embedder installed an accepted update: the state to record
 * (counter, update digest and features from the update; the governing
 * policy; (1.1) the time floor, and the counter high-water mark raised to
 * the update's counter, never lowered), the caller's (veto_state_free), made with the check's
 * allocator.  VETO_REFUSED when the decision was refuse; VETO_E_SEQUENCE
 * when unfinished, when no image was checked, or for a pre-flight;
 * VETO_E_ARG; VETO_E_NOMEM.  *out is NULL on any failure; c is unchanged. */
VETO_API VETO_NODISCARD veto_status veto_check_commit(veto_state **out, const veto_check *c);

/* Releases c (at any point of its life); NULL is a no-op.  The report it
 * wrote into stays the caller's. */
VETO_API void veto_check_free(veto_check *c);

/* ------------------------------------------------------------------------ */
/* (1.1) Signed receipts (SPEC section 10)                                  */
/* ------------------------------------------------------------------------ */

#define VETO_TYPE_RECEIPT "application/vnd.veto.receipt+json"
#define VETO_NONCE_MAX 128U /* characters U+0021..U+007E */

/* What a receipt records: the command whose outcome it is. */
typedef enum veto_receipt_kind {
	VETO_RECEIPT_INIT = 1,
	VETO_RECEIPT_TRUST = 2,
	VETO_RECEIPT_CHECK = 3,
	VETO_RECEIPT_COMMIT = 4,
	VETO_RECEIPT_STATUS = 5
} veto_receipt_kind;

/* "init", "trust", "check", "commit", "status"; "unknown" otherwise.
 * Never NULL; static text. */
VETO_API const char *veto_receipt_kind_name(veto_receipt_kind kind);

/*
 * The facts of one command, from which the library writes the receipt
 * payload.  Zero the struct before filling it, so that members added later
 * read 0.  Every pointer is borrowed for the call only.
 *   kind     what the command was.
 *   time     the verifier's time (UTC seconds since 1970, years 0000..9999),
 *            as handed to the decision.
 *   nonce    NULL (the payload's null) or a challenge of 1..VETO_NONCE_MAX
 *            characters U+0021..U+007E, NUL-terminated.
 *   before   the state the command started from (its digest is SHA-256 of
 *            veto_state_format's bytes); NULL: none (init, or a check made
 *            from an anchor alone).  Required for status.
 *   after    the state the command wrote, or would write: the new state of
 *            veto_trust_at, veto_check_commit or veto_state_from_anchor;
 *            NULL when nothing is written.  Required for init; must be NULL
 *            for check, status and a commit whose check refused.  When its
 *            document is byte-identical to before's, state_after is null:
 *            nothing was written.  A trust needs before or after.
 *   check    check and commit: the finished check the decision was made
 *            with (its governing policy, update, image digests, the
 *            revocations accepted and the decision), begun against a state
 *            (not a pre-flight's); NULL otherwise.
 *   report   trust, check and commit: the decision's report (its refusals
 *            and notices, exactly as veto_report_json writes them); for
 *            check and commit the check's own report; NULL for init and
 *            status.
 *   revocations, n_revocations
 *            trust only (at most 64): the revocations handed to
 *            veto_trust_at, in the same order, so that those accepted (not
 *            named by a revocation-invalid notice or a revocation-limit
 *            refusal of report) are listed by payload digest.
 * Where the fields come from (SPEC 10): `device` is after's, else before's,
 * or the check's; `policy` is the check's governing policy when it was
 * trusted (check, commit), the new state's policy for a trust whose
 * policies were not refused (no refusal but revocation-limit; none handed
 * in: the stored one), the state's policy for status, null otherwise;
 * `update` is the check's when its payload was read, else null; `image` is
 * null without an image or when the update was not read, else the bytes
 * taken and the digests the manifest carries, computed over them, except
 * for an image longer than the manifest says (reading stopped at the size
 * plus one byte): that size alone; `revocations` of check and commit are
 * those the check accepted; `decision` is the check's verdict (check,
 * commit), "refuse" for a trust with any refusal, null for init and status.
 */
typedef struct veto_receipt_facts {
	veto_receipt_kind kind;
	int64_t time;
	const char *nonce;
	const veto_state *before;
	const veto_state *after;
	const veto_check *check;
	const veto_report *report;
	const veto_bytes *revocations;
	size_t n_revocations;
} veto_receipt_facts;

/*
 * The receipt payload (a veto.receipt/1 JSON document, NUL-terminated,
 * ending in a newline) for f, in *out (release with veto_free(cfg, *out)).
 * veto_receipt_sign wraps it in a DSSE envelope of type VETO_TYPE_RECEIPT
 * with one signature by the device's seed, the text veto_sign writes
 * (NUL-terminated, with a final newline).  A device whose key lives
 * elsewhere signs veto_pae(VETO_TYPE_RECEIPT, payload) itself and writes
 * the envelope (veto_sign, veto_cosign and veto_attach refuse receipts:
 * only the gatekeeper signs them).
 * VETO_OK; VETO_E_ARG (a NULL pointer, an unknown kind, a time outside
 * years 0000..9999, a nonce that breaks the rule above, a pointer of f
 * missing where its kind needs it or set where it must be NULL, as said
 * above); VETO_E_SEQUENCE (check or commit with an unfinished check);
 * VETO_E_MALFORMED (a revocation handed in that cannot be read although
 * report does not name it); VETO_E_LIMIT (veto_receipt_sign: the envelope
 * would pass cfg's envelope limit); VETO_E_CRYPTO; VETO_E_NOMEM (also for a
 * report that ran out of memory).  *out is NULL and *out_len 0 on any
 * failure.  Reentrant: f's objects are only read.
 */
VETO_API VETO_NODISCARD veto_status veto_receipt_payload(char **out, size_t *out_len,
                                                         const veto_config *cfg,
                                                         const veto_receipt_facts *f);
VETO_API VETO_NODISCARD veto_status veto_receipt_sign(char **out, size_t *out_len,
                                                      const veto_config *cfg,
                                                      const veto_receipt_facts *f,
                                                      const uint8_t seed[VETO_SEEDBYTES]);

/* A receipt whose signature verified, read (SPEC 10). */
typedef struct veto_receipt veto_receipt;

/*
 * Reads one receipt envelope, verifying before parsing: the envelope must
 * be a DSSE envelope of type VETO_TYPE_RECEIPT, and a signature in it by
 * device_pk (its keyid, then Ed25519 over the PAE) must verify before the
 * payload is read; then the payload must be a valid veto.receipt/1 (strict
 * JSON rules, SPEC 4): every member present and of its shape, no other;
 * `refusals` and `notices` objects as veto_report_json writes them (each
 * code a refusal's or a notice's name, the other members those of that
 * code); and members that agree with the kind: `decision` null exactly
 * for init and status, which also list no revocation, refusal or notice;
 * `update` and `image` null but for check and commit, `image` null when
 * `update` is; `policy` null for init; `state_after` null for check,
 * status and a refused commit, and never equal to `state_before`; an
 * accepted decision without refusals; a refused trust with one.
 * VETO_OK with *out the caller's (veto_receipt_free); VETO_REFUSED when no
 * signature by device_pk verifies (a tampered receipt, or one signed by
 * another key); VETO_E_MALFORMED, VETO_E_TYPE or VETO_E_LIMIT for a bad
 * envelope or payload (what is wrong in d, which may be NULL); VETO_E_KEY
 * (device_pk not a valid key); VETO_E_ARG; VETO_E_CRYPTO; VETO_E_NOMEM.
 * *out is NULL on any failure.  Reentrant.
 */
VETO_API VETO_NODISCARD veto_status veto_receipt_read(veto_receipt **out, veto_diag *d,
                                                      const veto_config *cfg,
                                                      const uint8_t *envelope, size_t len,
                                                      const uint8_t device_pk[VETO_PUBLICKEYBYTES]);
/* The fields of a receipt read.  Strings are NUL-terminated and owned by
 * r (NULL: the payload's null): the nonce, the decision ("accept" or
 * "refuse"; NULL for init and status), the device's vendor and model.
 * veto_receipt_time: UTC seconds since 1970.  veto_receipt_state_before /
 * _after: 1 and the 32 digest bytes in out (when not NULL), or 0 for null.
 * veto_receipt_payload_json: the verified payload bytes (*len of them,
 * then a NUL), owned by r: the whole receipt, its other members included.
 * All answer 0 or NULL (and *len 0) for r NULL.  A receipt read never
 * changes: any number of threads may read it at once. */
VETO_API veto_receipt_kind veto_receipt_get_kind(const veto_receipt *r);
VETO_API int64_t veto_receipt_time(const veto_receipt *r);
VETO_API const char *veto_receipt_nonce(const veto_receipt *r);
VETO_API const char *veto_receipt_decision(const veto_receipt *r);
VETO_API const char *veto_receipt_vendor(const veto_receipt *r);
VETO_API const char *veto_receipt_model(const veto_receipt *r);
VETO_API int veto_receipt_state_before(const veto_receipt *r, uint8_t out[VETO_DIGESTBYTES]);
VETO_API int veto_receipt_state_after(const veto_receipt *r, uint8_t out[VETO_DIGESTBYTES]);
VETO_API const uint8_t *veto_receipt_payload_json(const veto_receipt *r, size_t *len);
/* NULL is a no-op. */
VETO_API void veto_receipt_free(veto_receipt *r);

/* What the chain check found about one receipt (a bit set). */
#define VETO_LINK_GAP 1U  /* its non-null state_before was written by no earlier receipt */
#define VETO_LINK_FORK 2U /* an earlier receipt started from the same state and also wrote one */

/*
 * The chain of states through receipts r[0..n) in the order given (SPEC
 * 10): flags[i] gets VETO_LINK_GAP and/or VETO_LINK_FORK, or 0.  A NULL
 * r[i] (a receipt that did not verify) counts for nothing and gets 0.  The
 * first receipt given that is not NULL never has a gap (a chain may be
 * checked from any point).  A gap: a non-null state_before that no earlier
 * receipt wrote as its state_after.  A fork: a receipt that writes a state
 * and starts from the same state_before as an earlier receipt that also
 * wrote one; two receipts that both start from no state and write one (two
 * enrolments) are a fork too: the device's history was thrown away.  A
 * receipt that refused and wrote nothing breaks nothing: it gets 0 and
 * links nothing.
 * VETO_OK; VETO_E_ARG (flags or r NULL with n > 0); VETO_E_NOMEM.
 * Reentrant (the receipts are only read); O(n log n) time, O(n) memory.
 */
VETO_API VETO_NODISCARD veto_status veto_receipt_chain(unsigned *flags, const veto_config *cfg,
                                                       const veto_receipt *const *r, size_t n);

/* ------------------------------------------------------------------------ */
/* Allocated objects and accessors, for bindings                            */
/* ------------------------------------------------------------------------ */

/*
 * A foreign-function binding (Python's ctypes, cffi in ABI mode, ...) sees
 * only symbols, not this header: it cannot lay out veto_report, veto_reason,
 * veto_image_digests, veto_diag, veto_bytes or veto_config by hand without
 * copying them, and a copy would break silently when they change.  The
 * functions below let such a caller hold every one of them behind a pointer
 * and read them through accessors; it passes NULL for every veto_config.
 * C callers may keep using the structures directly; both ways are the same
 * objects, so an allocated report goes to veto_trust or veto_check_begin
 * like any other.
 *
 * Ownership: each *_new hands the caller an object made with cfg's
 * allocator (malloc when NULL), to be released only with the matching
 * *_free, which uses that same allocator, wipes the object and accepts
 * NULL.  A *_free must never be given an object that its *_new did not make
 * (a veto_report on the stack, say).  Every *_new returns VETO_OK, or
 * VETO_E_ARG when out is NULL, or VETO_E_NOMEM; *out is NULL on failure.
 *
 * Thread safety: as everywhere (see the top of this file): one object, one
 * thread at a time; distinct objects from distinct threads at once.
 */

/* The library's version, VETO_VERSION_STRING of the build ("0.2.0"): a
 * binding compares it with the version it was written for.  Never NULL;
 * static text. */
VETO_API const char *veto_version(void);

/* A report, initialised as by veto_report_init(r, cfg).  veto_report_free
 * clears it (veto_report_clear) and releases it. */
VETO_API VETO_NODISCARD veto_status veto_report_new(veto_report **out, const veto_config *cfg);
VETO_API void veto_report_free(veto_report *r);
/* The number of refusal reasons and of notices in r (0 for r NULL). */
VETO_API size_t veto_report_refusal_count(const veto_report *r);
VETO_API size_t veto_report_notice_count(const veto_report *r);
/* Refusal or notice i (0-based) of r, in the order of SPEC section 8's
 * tables; NULL when r is NULL or i is out of range.  The reason is owned by
 * r: valid until r is cleared, freed or handed to another decision. */
VETO_API const veto_reason *veto_report_refusal(const veto_report *r, size_t i);
VETO_API const veto_reason *veto_report_notice(const veto_report *r, size_t i);

/* The fields of a reason (see veto_reason).  With x NULL: code 0 (which
 * veto_code_name calls "unknown"), index 0, no counts, empty strings.
 * veto_reason_counts returns has_counts (1 or 0) and writes have and need
 * (0 and 0 without counts) through the pointers that are not NULL.  The
 * strings are NUL-terminated, at most VETO_ROLE_MAX, VETO_FEATURE_MAX,
 * VETO_OFFERED_MAX and VETO_DETAIL_MAX bytes of UTF-8, "" when the detail
 * does not apply; they are owned by x, whose lifetime they share. */
VETO_API veto_code veto_reason_code(const veto_reason *x);
VETO_API unsigned veto_reason_index(const veto_reason *x);
VETO_API int veto_reason_counts(const veto_reason *x, uint64_t *have, uint64_t *need);
VETO_API const char *veto_reason_role(const veto_reason *x);
VETO_API const char *veto_reason_feature(const veto_reason *x);
VETO_API const char *veto_reason_offered(const veto_reason *x);
VETO_API const char *veto_reason_detail(const veto_reason *x);

/* Image digests for veto_check_finish, zeroed.  _size: the bytes fed
 * (0 for d NULL).  _sha256 / _blake2b256: 1 and the 32 digest bytes written
 * to out (when out is not NULL) when the digest was computed; 0 otherwise,
 * out untouched. */
VETO_API VETO_NODISCARD veto_status veto_image_digests_new(veto_image_digests **out,
                                                           const veto_config *cfg);
VETO_API void veto_image_digests_free(veto_image_digests *d);
VETO_API uint64_t veto_image_digests_size(const veto_image_digests *d);
VETO_API int veto_image_digests_sha256(const veto_image_digests *d,
                                       uint8_t out[VETO_DIGESTBYTES]);
VETO_API int veto_image_digests_blake2b256(const veto_image_digests *d,
                                           uint8_t out[VETO_DIGESTBYTES]);

/* A veto_diag, empty.  veto_diag_detail: its text (UTF-8, at most
 * VETO_DETAIL_MAX bytes, NUL-terminated, "" for d NULL or nothing said),
 * owned by d. */
VETO_API VETO_NODISCARD veto_status veto_diag_new(veto_diag **out, const veto_config *cfg);
VETO_API void veto_diag_free(veto_diag *d);
VETO_API const char *veto_diag_detail(const veto_diag *d);

/* A list of n byte spans (n may be 0), all {NULL, 0}, to hand policies to
 * veto_trust and veto_check_begin.  veto_bytes_set makes entry i point at
 * ptr[0..len): the bytes are NOT copied and must stay the caller's until the
 * call that reads the list returned.  VETO_OK; VETO_E_ARG for list NULL, i
 * not below the n it was made with, or ptr NULL with len > 0. */
VETO_API VETO_NODISCARD veto_status veto_bytes_new(veto_bytes **out, const veto_config *cfg,
                                                   size_t n);
VETO_API VETO_NODISCARD veto_status veto_bytes_set(veto_bytes *list, size_t i,
                                                   const uint8_t *ptr, size_t len);
VETO_API void veto_bytes_free(veto_bytes *list);

#ifdef __cplusplus
}
#endif

#endif /* VETO_H */
