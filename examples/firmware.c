/* SPDX-License-Identifier: Apache-2.0 */
/*
 * firmware.c - veto linked into device firmware.
 *
 * The device this stands for has no file system and no clock of its own, and
 * a fixed memory budget:
 *   - envelopes arrive as buffers (from the radio);
 *   - the image is read from a flash slot in 512-byte chunks and hashed as a
 *     stream, never held whole by the gatekeeper;
 *   - the installed state is one document kept in a flash page (8 KiB);
 *   - the time comes from outside (here a constant, on a real device the
 *     last authenticated time the hub handed over);
 *   - every allocation, the library's and cJSON's, comes from one 64 KiB
 *     static heap that refuses past its budget.
 *
 * The program is in two halves.  The FACTORY half plays the owner and the
 * vendor: it makes keys from fixed seeds, the trust anchor, the owner's
 * policy and a few signed releases.  It uses malloc and libsodium freely:
 * it stands for other people's machines.  The DEVICE half is the firmware:
 * it only sees bytes, and only calls libveto with its own allocator.
 *
 * It is also a test: it exits non-zero when a decision is not the one
 * expected, when a refused update touched the state page, or when a
 * decision left memory allocated on the device heap.
 */
#include <inttypes.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>
#include <sodium.h>
#include <veto.h>

/* ======================================================================== */
/* The device heap: a small first-fit allocator over a static array         */
/* ======================================================================== */

/*
 * The heap is an array of cells, each the size of a block header, so every
 * block is aligned for any object.  A block is a header followed by
 * `cells` cells; free neighbours are merged lazily while searching.  One
 * heap for the whole firmware: cJSON's hooks carry no context pointer.
 */
#define HEAP_BYTES (64U * 1024U)

typedef union heap_cell {
	struct {
		size_t cells; /* payload cells after this header */
		size_t used;  /* 1 while allocated */
	} h;
	/* cppcheck-suppress unusedStructMember ; aligns every cell for any object type */
	max_align_t align_;
} heap_cell;

#define HEAP_CELLS (HEAP_BYTES / sizeof(heap_cell))

static heap_cell heap[HEAP_CELLS];
static size_t heap_budget; /* bytes, headers included, that may be in use */
static size_t heap_in_use;
static size_t heap_peak;
static size_t heap_failures;

static void heap_init(size_t budget)
{
	heap[0].h.cells = HEAP_CELLS - 1;
	heap[0].h.used = 0;
	heap_budget = budget;
	heap_in_use = 0;
	heap_peak = 0;
	heap_failures = 0;
}

static void *heap_alloc(size_t size)
{
	size_t need;
	size_t i;

	if (size > HEAP_BYTES)
		goto fail;
	need = size == 0 ? 1 : (size + sizeof(heap_cell) - 1) / sizeof(heap_cell);
	if (heap_in_use + (need + 1) * sizeof(heap_cell) > heap_budget)
		goto fail;
	for (i = 0; i < HEAP_CELLS; i += 1 + heap[i].h.cells) {
		size_t next;

		if (heap[i].h.used)
			continue;
		while ((next = i + 1 + heap[i].h.cells) < HEAP_CELLS && !heap[next].h.used)
			heap[i].h.cells += 1 + heap[next].h.cells;
		if (heap[i].h.cells < need)
			continue;
		if (heap[i].h.cells > need + 1) { /* split off the rest, still free */
			size_t rest = i + 1 + need;

			heap[rest].h.cells = heap[i].h.cells - need - 1;
			heap[rest].h.used = 0;
			heap[i].h.cells = need;
		}
		heap[i].h.used = 1;
		heap_in_use += (1 + heap[i].h.cells) * sizeof(heap_cell);
		if (heap_in_use > heap_peak)
			heap_peak = heap_in_use;
		return &heap[i + 1];
	}
fail:
	heap_failures++;
	return NULL;
}

static void heap_release(void *p)
{
	heap_cell *b;

	if (p == NULL)
		return;
	b = (heap_cell *)p - 1;
	if (b < heap || b >= heap + HEAP_CELLS || !b->h.used) {
		/* A double free or a foreign pointer: on a device, reboot. */
		fprintf(stderr, "firmware: bad free %p\n", p);
		abort();
	}
	b->h.used = 0;
	heap_in_use -= (1 + b->h.cells) * sizeof(heap_cell);
}

/* The two faces of the heap: libveto's (with a context) and cJSON's. */
static void *veto_heap_alloc(void *ctx, size_t size)
{
	(void)ctx;
	return heap_alloc(size);
}

static void veto_heap_release(void *ctx, void *p)
{
	(void)ctx;
	heap_release(p);
}

static void *cjson_heap_alloc(size_t size)
{
	return heap_alloc(size);
}

static void cjson_heap_release(void *p)
{
	heap_release(p);
}

/* ======================================================================== */
/* FACTORY: what the owner and the vendor make on their own machines         */
/* ======================================================================== */

#define B64_KEY sodium_base64_ENCODED_LEN(VETO_PUBLICKEYBYTES, sodium_base64_VARIANT_ORIGINAL)

typedef struct factory_key {
	uint8_t seed[VETO_SEEDBYTES];
	char keyid[VETO_KEYIDCHARS + 1];
	char b64[B64_KEY];
} factory_key;

/* A release as the radio delivers it: the signed manifest and the image. */
typedef struct release {
	const char *name;
	char *envelope; /* DSSE envelope (JSON), malloc'd by libveto */
	size_t envelope_len;
	uint8_t *image; /* the image written to the device's download slot */
	size_t image_len;
} release;

typedef struct factory {
	factory_key owner, vendor, auditor[3];
	char anchor[512];
	size_t anchor_len;
	char *policy; /* the owner's signed policy envelope */
	size_t policy_len;
	release good;     /* 2.5.0: keeps every protected feature */
	release drops;    /* 2.6.0: silently drops works-with-nest */
	release old;      /* 2.4.0: an older release, replayed */
} factory;

/* Fixed seeds, so that every run is the same.  Never do this for real keys:
 * `veto keygen` draws them from the system's random source. */
static int factory_key_make(factory_key *k, uint8_t fill)
{
	uint8_t pk[VETO_PUBLICKEYBYTES];

	memset(k->seed, fill, sizeof k->seed);
	if (veto_key_public(pk, k->seed) != VETO_OK || veto_keyid(k->keyid, pk) != VETO_OK)
		return -1;
	sodium_bin2base64(k->b64, sizeof k->b64, pk, sizeof pk, sodium_base64_VARIANT_ORIGINAL);
	return 0;
}

static int factory_sign(char **out, size_t *out_len, const char *payload,
                        const factory_key *signer, const factory_key *const *cosigners,
                        size_t n_cosigners)
{
	veto_diag d = {{0}};
	size_t i;

	if (veto_sign(out, out_len, &d, NULL, (const uint8_t *)payload, strlen(payload),
	              signer->seed) != VETO_OK) {
		fprintf(stderr, "factory: cannot sign: %s\n", d.detail);
		return -1;
	}
	for (i = 0; i < n_cosigners; i++) {
		char *next = NULL;
		size_t next_len = 0;
		int added = 0;

		if (veto_cosign(&next, &next_len, &added, &d, NULL, (const uint8_t *)*out,
		                *out_len, cosigners[i]->seed) != VETO_OK) {
			fprintf(stderr, "factory: cannot co-sign: %s\n", d.detail);
			return -1;
		}
		veto_free(NULL, *out);
		*out = next;
		*out_len = next_len;
	}
	return 0;
}

/* The vendor's build: an image, its manifest, the vendor's signature and
 * two of the three auditors' co-signatures. */
static int factory_release(release *r, const factory *f, const char *version,
                           unsigned counter, const char *features, size_t image_len)
{
	const factory_key *auditors[2] = {&f->auditor[0], &f->auditor[1]};
	uint8_t digest[32];
	char hex[65];
	char payload[1024];
	size_t i;
	int n;

	r->name = version;
	r->image_len = image_len;
	r->image = malloc(image_len);
	if (r->image == NULL)
		return -1;
	for (i = 0; i < image_len; i++)
		r->image[i] = (uint8_t)((i * 31U + counter) & 0xffU);
	crypto_hash_sha256(digest, r->image, image_len);
	sodium_bin2hex(hex, sizeof hex, digest, sizeof digest);

	n = snprintf(payload, sizeof payload,
	             "{\"format\": \"veto.update/1\", \"vendor\": \"acme\", \"model\": \"thermo-2\",\n"
	             " \"version\": \"%s\", \"security_counter\": %u,\n"
	             " \"image\": {\"size\": %zu, \"sha256\": \"%s\"},\n"
	             " \"features\": [%s]}\n",
	             version, counter, image_len, hex, features);
	if (n < 0 || (size_t)n >= sizeof payload)
		return -1;
	return factory_sign(&r->envelope, &r->envelope_len, payload, &f->vendor, auditors, 2);
}

static int factory_make(factory *f)
{
	const factory_key *none[1] = {NULL};
	char policy[4096];
	int n;

	memset(f, 0, sizeof *f);
	if (factory_key_make(&f->owner, 'O') != 0 || factory_key_make(&f->vendor, 'V') != 0 ||
	    factory_key_make(&f->auditor[0], 'A') != 0 ||
	    factory_key_make(&f->auditor[1], 'B') != 0 ||
	    factory_key_make(&f->auditor[2], 'C') != 0)
		return -1;

	/* Enrolment: the owner's key becomes the device's trust anchor. */
	n = snprintf(f->anchor, sizeof f->anchor,
	             "{\"device\": {\"vendor\": \"acme\", \"model\": \"thermo-2\"},\n"
	             " \"keys\": {\"%s\": {\"ed25519\": \"%s\"}},\n"
	             " \"threshold\": 1}\n",
	             f->owner.keyid, f->owner.b64);
	if (n < 0 || (size_t)n >= sizeof f->anchor)
		return -1;
	f->anchor_len = (size_t)n;

	/* The owner's rules: the vendor and two of three auditors sign every
	 * update; local control and the Nest integration stay. */
	n = snprintf(policy, sizeof policy,
	             "{\"format\": \"veto.policy/1\", \"serial\": 1,\n"
	             " \"expires\": \"2027-11-21T00:00:00Z\",\n"
	             " \"device\": {\"vendor\": \"acme\", \"model\": \"thermo-2\"},\n"
	             " \"keys\": {\"%s\": {\"ed25519\": \"%s\"},\n"
	             "          \"%s\": {\"ed25519\": \"%s\"},\n"
	             "          \"%s\": {\"ed25519\": \"%s\"},\n"
	             "          \"%s\": {\"ed25519\": \"%s\"},\n"
	             "          \"%s\": {\"ed25519\": \"%s\"}},\n"
	             " \"roles\": {\"owner\": {\"keys\": [\"%s\"], \"threshold\": 1},\n"
	             "           \"vendor\": {\"keys\": [\"%s\"], \"threshold\": 1},\n"
	             "           \"auditor\": {\"keys\": [\"%s\", \"%s\", \"%s\"], \"threshold\": 2}},\n"
	             " \"require\": [\"vendor\", \"auditor\"],\n"
	             " \"protected_features\": [\"local-control\", \"works-with-nest>=1.0\"],\n"
	             " \"removal_requires\": [\"owner\"]}\n",
	             f->owner.keyid, f->owner.b64, f->vendor.keyid, f->vendor.b64,
	             f->auditor[0].keyid, f->auditor[0].b64, f->auditor[1].keyid,
	             f->auditor[1].b64, f->auditor[2].keyid, f->auditor[2].b64, f->owner.keyid,
	             f->vendor.keyid, f->auditor[0].keyid, f->auditor[1].keyid,
	             f->auditor[2].keyid);
	if (n < 0 || (size_t)n >= sizeof policy)
		return -1;
	if (factory_sign(&f->policy, &f->policy_len, policy, &f->owner, none, 0) != 0)
		return -1;

	if (factory_release(&f->good, f, "2.5.0", 42,
	                    "\"local-control\", \"works-with-nest@1.2\", \"zigbee\", \"matter@1.3\"",
	                    20000) != 0)
		return -1;
	if (factory_release(&f->drops, f, "2.6.0", 43,
	                    "\"local-control\", \"zigbee\", \"matter@1.3\"", 21000) != 0)
		return -1;
	if (factory_release(&f->old, f, "2.4.0", 41,
	                    "\"local-control\", \"works-with-nest@1.2\", \"zigbee\"", 19000) != 0)
		return -1;
	return 0;
}

static void factory_release_free(release *r)
{
	veto_free(NULL, r->envelope);
	free(r->image);
}

static void factory_free(factory *f)
{
	veto_free(NULL, f->policy);
	factory_release_free(&f->good);
	factory_release_free(&f->drops);
	factory_release_free(&f->old);
	sodium_memzero(f, sizeof *f);
}

/* ======================================================================== */
/* DEVICE: the firmware                                                      */
/* ======================================================================== */

#define FLASH_PAGE_BYTES 8192U
#define FLASH_CHUNK 512U

/* The flash page that holds the installed state document. */
typedef struct flash_page {
	size_t len;
	char data[FLASH_PAGE_BYTES];
} flash_page;

/* The download slot the radio wrote the image to; read in chunks. */
typedef struct flash_slot {
	const uint8_t *base;
	size_t len;
} flash_slot;

static flash_page state_page;

static const veto_config device_cfg = {
	.alloc = veto_heap_alloc,
	.release = veto_heap_release,
	.alloc_ctx = NULL,
	.max_envelope = 16U * 1024U, /* nothing bigger can arrive over this radio */
	.max_signatures = 8,
	.max_depth = 0,
};

static size_t flash_read(const flash_slot *slot, size_t off, uint8_t *buf, size_t cap)
{
	size_t n = slot->len - off < cap ? slot->len - off : cap;

	memcpy(buf, slot->base + off, n);
	return n;
}

static void print_report(const veto_report *rep)
{
	char line[256];
	size_t i;

	for (i = 0; i < rep->n_refusals; i++) {
		veto_reason_text(line, sizeof line, &rep->refusals[i]);
		printf("    refusal  %-22s %s\n", veto_code_name(rep->refusals[i].code), line);
	}
	for (i = 0; i < rep->n_notices; i++) {
		veto_reason_text(line, sizeof line, &rep->notices[i]);
		printf("    notice   %-22s %s\n", veto_code_name(rep->notices[i].code), line);
	}
}

static int has_code(const veto_report *rep, veto_code code)
{
	size_t i;

	for (i = 0; i < rep->n_refusals; i++)
		if (rep->refusals[i].code == code)
			return 1;
	for (i = 0; i < rep->n_notices; i++)
		if (rep->notices[i].code == code)
			return 1;
	return 0;
}

/* Rewrites the state page.  On a real device: erase and program a spare
 * page, then flip a header, so that power loss keeps the old or the new. */
static veto_status page_store(const veto_state *s)
{
	char *text = NULL;
	size_t len = 0;
	veto_status st = veto_state_format(&text, &len, s);

	if (st != VETO_OK)
		return st;
	if (len > sizeof state_page.data) {
		veto_free(&device_cfg, text);
		return VETO_E_LIMIT;
	}
	memcpy(state_page.data, text, len);
	state_page.len = len;
	veto_free(&device_cfg, text);
	return VETO_OK;
}

static veto_status page_load(veto_state **s, veto_report *rep)
{
	return veto_state_parse(s, rep, &device_cfg, (const uint8_t *)state_page.data,
	                        state_page.len);
}

/* First boot: the owner's anchor and what the device runs now. */
static veto_status device_enrol(const uint8_t *anchor, size_t anchor_len, uint64_t counter,
                                const char *const *features, size_t n_features)
{
	veto_report rep;
	veto_state *s = NULL;
	veto_status st;

	veto_report_init(&rep, &device_cfg);
	st = veto_state_from_anchor(&s, &rep, &device_cfg, anchor, anchor_len, counter,
	                            features, n_features);
	if (st == VETO_OK)
		st = page_store(s);
	else
		print_report(&rep);
	veto_state_free(s);
	veto_report_clear(&rep);
	return st;
}

/* The owner's policy arrives: trust it and keep it in the state page. */
static veto_status device_trust(const uint8_t *policy, size_t policy_len, int64_t now,
                                veto_report *rep)
{
	veto_state *s = NULL;
	veto_state *next = NULL;
	veto_bytes pol = {policy, policy_len};
	veto_status st;

	st = page_load(&s, rep);
	if (st == VETO_OK)
		st = veto_trust(&next, rep, &device_cfg, s, &pol, 1, now);
	if (st == VETO_OK)
		st = page_store(next);
	veto_state_free(next);
	veto_state_free(s);
	return st;
}

/*
 * An update arrives: decide under the stored policy, streaming the image
 * out of the download slot, and commit the new state only when accepted.
 * VETO_OK: installed; VETO_REFUSED: refused; anything else: an error, which
 * the device treats as a refusal too.
 */
static veto_status device_update(const uint8_t *envelope, size_t envelope_len,
                                 const flash_slot *slot, int64_t now, veto_report *rep)
{
	veto_state *s = NULL;
	veto_state *next = NULL;
	veto_check *c = NULL;
	veto_image_digests got;
	uint8_t chunk[FLASH_CHUNK];
	size_t off = 0;
	veto_status st;

	st = page_load(&s, rep);
	if (st != VETO_OK)
		goto done;
	st = veto_check_begin(&c, rep, &device_cfg, s, NULL, 0, envelope, envelope_len, now);
	if (st != VETO_OK)
		goto done;
	do {
		size_t n = flash_read(slot, off, chunk, sizeof chunk);

		st = veto_check_image(c, chunk, n);
		off += n;
		if (st != VETO_OK)
			goto done;
	} while (off < slot->len);
	st = veto_check_finish(c, &got);
	if (st != VETO_OK)
		goto done;
	/* Here the bootloader would be told to boot the slot whose digest is
	 * got.sha256: exactly the bytes that were checked. */
	st = veto_check_commit(&next, c);
	if (st == VETO_OK)
		st = page_store(next);
done:
	veto_state_free(next);
	veto_check_free(c);
	veto_state_free(s);
	return st;
}

/* ======================================================================== */
/* The run: the device's life, step by step, each step checked               */
/* ======================================================================== */

static int failures;

static void expect(int ok, const char *what)
{
	if (!ok) {
		printf("  UNEXPECTED: %s\n", what);
		failures++;
	}
}

/* Every object a step made is freed by its end: the heap must be empty. */
static void expect_heap_empty(void)
{
	if (heap_in_use != 0) {
		printf("  UNEXPECTED: %zu bytes still allocated on the device heap\n", heap_in_use);
		failures++;
	}
}

static const char *decision_name(veto_status st)
{
	switch (st) {
	case VETO_OK:
		return "ACCEPT";
	case VETO_REFUSED:
		return "REFUSE";
	default:
		return veto_strerror(st);
	}
}

static veto_status step_update(const char *title, const release *r, int64_t now,
                               veto_code expected_code)
{
	veto_report rep;
	flash_slot slot = {r->image, r->image_len};
	flash_page before = state_page;
	veto_status st;

	printf("\n%s\n", title);
	heap_peak = heap_in_use;
	veto_report_init(&rep, &device_cfg);
	st = device_update((const uint8_t *)r->envelope, r->envelope_len, &slot, now, &rep);
	printf("  update %s (%zu-byte manifest, %zu-byte image in %u-byte chunks): %s\n",
	       r->name, r->envelope_len, r->image_len, FLASH_CHUNK, decision_name(st));
	print_report(&rep);
	if (expected_code == 0) {
		expect(st == VETO_OK, "the update should have been accepted");
		expect(state_page.len != before.len ||
		           memcmp(state_page.data, before.data, before.len) != 0,
		       "the state page should have been rewritten");
	} else {
		char what[96];

		snprintf(what, sizeof what, "the refusal should give the reason %s",
		         veto_code_name(expected_code));
		expect(st == VETO_REFUSED, "the update should have been refused");
		expect(has_code(&rep, expected_code), what);
		expect(state_page.len == before.len &&
		           memcmp(state_page.data, before.data, before.len) == 0,
		       "a refused update must leave the state page as it was");
	}
	veto_report_clear(&rep);
	printf("  heap peak %zu bytes\n", heap_peak);
	expect_heap_empty();
	return st;
}

static void print_state(void)
{
	veto_report rep;
	veto_state *s = NULL;
	uint64_t serial = 0;
	size_t i;

	veto_report_init(&rep, &device_cfg);
	if (page_load(&s, &rep) != VETO_OK) {
		expect(0, "the state page should parse");
		veto_report_clear(&rep);
		return;
	}
	printf("  state page: %zu of %u bytes; %s/%s, counter %" PRIu64 ", policy ",
	       state_page.len, FLASH_PAGE_BYTES, veto_state_vendor(s), veto_state_model(s),
	       veto_state_security_counter(s));
	if (veto_state_policy_serial(s, &serial))
		printf("serial %" PRIu64, serial);
	else
		printf("none yet");
	printf(", features:");
	for (i = 0; i < veto_state_feature_count(s); i++)
		printf(" %s", veto_state_feature(s, i));
	printf("\n");
	veto_state_free(s);
	veto_report_clear(&rep);
}

static int run(const factory *f)
{
	static const char boot_time[] = "2026-11-21T00:00:00Z";
	static const char *const shipped[] = {"local-control", "works-with-nest@1.2", "zigbee"};
	cJSON_Hooks hooks = {cjson_heap_alloc, cjson_heap_release};
	veto_report rep;
	size_t overall_peak = 0;
	int64_t now = 0;
	veto_status st;

	/* Boot: one heap for everything, cJSON included. */
	heap_init(HEAP_BYTES);
	cJSON_InitHooks(&hooks);
	if (veto_init() != VETO_OK || veto_time_parse(&now, boot_time, strlen(boot_time)) != VETO_OK) {
		printf("device: cannot start\n");
		return 1;
	}
	printf("device: acme/thermo-2 booted; time handed in: %s; heap %u bytes\n", boot_time,
	       HEAP_BYTES);

	printf("\n1. Enrolment: the owner's trust anchor, firmware 2.4.0 (counter 41)\n");
	st = device_enrol((const uint8_t *)f->anchor, f->anchor_len, 41, shipped,
	                  sizeof shipped / sizeof shipped[0]);
	printf("  enrol: %s\n", veto_strerror(st));
	expect(st == VETO_OK, "enrolment should succeed");
	print_state();
	printf("  heap peak %zu bytes\n", heap_peak);
	expect_heap_empty();
	overall_peak = heap_peak;

	printf("\n2. The owner's policy arrives (serial 1: vendor + 2 of 3 auditors,\n"
	       "   local-control and works-with-nest>=1.0 protected)\n");
	heap_peak = 0;
	veto_report_init(&rep, &device_cfg);
	st = device_trust((const uint8_t *)f->policy, f->policy_len, now, &rep);
	printf("  trust: %s\n", st == VETO_OK ? "TRUSTED" : decision_name(st));
	print_report(&rep);
	veto_report_clear(&rep);
	expect(st == VETO_OK, "the owner's policy should be trusted");
	print_state();
	printf("  heap peak %zu bytes\n", heap_peak);
	expect_heap_empty();
	overall_peak = heap_peak > overall_peak ? heap_peak : overall_peak;

	(void)step_update("3. Update 2.5.0 (counter 42), signed by the vendor and two auditors",
	                  &f->good, now, (veto_code)0);
	print_state();
	overall_peak = heap_peak > overall_peak ? heap_peak : overall_peak;

	(void)step_update("4. Update 2.6.0 (counter 43) quietly drops works-with-nest",
	                  &f->drops, now, VETO_R_UNDECLARED_REMOVAL);
	overall_peak = heap_peak > overall_peak ? heap_peak : overall_peak;

	(void)step_update("5. The old 2.4.0 (counter 41) is replayed", &f->old, now,
	                  VETO_R_ROLLBACK);
	overall_peak = heap_peak > overall_peak ? heap_peak : overall_peak;

	/* The budget is the embedder's.  The 2.5.0 decision again (a re-install
	 * of the update the state records, so it is accepted when memory
	 * allows), under every budget from 1 KiB to 32 KiB: below what it needs
	 * the library reports it, the device refuses, nothing leaks and the
	 * state page is untouched.  The allocator's choices do not depend on
	 * the budget, so the budgets that pass are exactly those above one
	 * threshold. */
	printf("\n6. How much heap does a decision need?  The 2.5.0 decision again, under\n"
	       "   every budget from 1 KiB to 32 KiB in 256-byte steps\n");
	{
		const flash_page saved = state_page;
		const flash_slot slot = {f->good.image, f->good.image_len};
		size_t budget, min_ok = 0, n_nomem = 0, n_other = 0;

		for (budget = 1024; budget <= 32U * 1024U; budget += 256) {
			heap_budget = budget;
			heap_peak = 0;
			veto_report_init(&rep, &device_cfg);
			st = device_update((const uint8_t *)f->good.envelope, f->good.envelope_len,
			                   &slot, now, &rep);
			veto_report_clear(&rep);
			expect_heap_empty();
			if (st == VETO_OK) {
				if (min_ok == 0)
					min_ok = budget;
				if (heap_peak > overall_peak)
					overall_peak = heap_peak;
			} else {
				if (st == VETO_E_NOMEM)
					n_nomem++;
				else
					n_other++;
				expect(min_ok == 0, "a budget failed after a smaller one was enough");
				expect(state_page.len == saved.len &&
				           memcmp(state_page.data, saved.data, saved.len) == 0,
				       "a failed decision must leave the state page as it was");
			}
			state_page = saved; /* the re-install rewrote it: start again */
		}
		heap_budget = HEAP_BYTES;
		printf("  below %zu bytes: refused every time (%zu x \"%s\", %zu x other),\n"
		       "  nothing leaked, the state page untouched; from %zu bytes: accepted\n",
		       min_ok, n_nomem, veto_strerror(VETO_E_NOMEM), n_other, min_ok);
		expect(n_nomem > 0 && min_ok > 0, "small budgets should fail and large ones pass");
		expect(n_other == 0, "running out of memory should be reported as VETO_E_NOMEM");
	}

	printf("\n7. After all of it\n");
	print_state();
	printf("peak heap use over all decisions: %zu of %u bytes\n", overall_peak, HEAP_BYTES);
	expect_heap_empty();
	cJSON_InitHooks(NULL);
	return failures == 0 ? 0 : 1;
}

int main(void)
{
	factory f;
	int rc;

	if (veto_init() != VETO_OK || sodium_init() < 0) {
		fprintf(stderr, "firmware: cannot initialise the crypto library\n");
		return 1;
	}
	printf("factory: making keys, the anchor, the owner's policy and three releases\n");
	if (factory_make(&f) != 0) {
		fprintf(stderr, "firmware: the factory could not make its documents\n");
		factory_free(&f);
		return 1;
	}
	rc = run(&f);
	factory_free(&f);
	printf("\n%s\n", rc == 0 ? "firmware example: every decision as expected"
	                          : "firmware example: FAILED");
	return rc;
}
