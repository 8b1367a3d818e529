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
 *
 * Built for bare metal (FIRMWARE_BARE_METAL; scripts/firmware.sh runs it on
 * an emulated Cortex-M4) it also measures the stack and the time of a
 * decision, and gives libsodium the board's random source.  With
 * FIRMWARE_DOCS the factory hands its documents to the host; with
 * FIRMWARE_DEVICE_ONLY there is no factory and the device receives them
 * from there: the link a real device makes.  FIRMWARE_LEAN_INIT: see there.
 */
#include <inttypes.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>
#if !defined(FIRMWARE_DEVICE_ONLY) || defined(FIRMWARE_BARE_METAL)
#include <sodium.h> /* the factory's hashing and encoding; the board's random source */
#endif
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

/* A release as the radio delivers it: the signed manifest and the image. */
typedef struct release {
	const char *name;
	char *envelope; /* DSSE envelope (JSON) */
	size_t envelope_len;
	uint8_t *image; /* the image written to the device's download slot */
	size_t image_len;
} release;

/* The three releases: the factory signs them, the device decides on them. */
typedef struct release_spec {
	const char *version;
	unsigned counter;
	size_t image_len;
	const char *features;
	const char *file; /* where the saved envelope goes (FIRMWARE_DOCS) */
} release_spec;

static const release_spec release_specs[3] = {
    /* 2.5.0: keeps every protected feature */
    {"2.5.0", 42, 20000,
     "\"local-control\", \"works-with-nest@1.2\", \"zigbee\", \"matter@1.3\"", "2.5.0.dsse"},
    /* 2.6.0: silently drops works-with-nest */
    {"2.6.0", 43, 21000, "\"local-control\", \"zigbee\", \"matter@1.3\"", "2.6.0.dsse"},
    /* 2.4.0: an older release, replayed */
    {"2.4.0", 41, 19000, "\"local-control\", \"works-with-nest@1.2\", \"zigbee\"", "2.4.0.dsse"},
};

/* What reaches the device: the anchor, the owner's policy, three releases. */
typedef struct deliveries {
	char anchor[512];
	size_t anchor_len;
	char *policy; /* the owner's signed policy envelope */
	size_t policy_len;
	release rel[3]; /* as release_specs */
} deliveries;

enum { GOOD = 0, DROPS = 1, OLD = 2 };

/* The image bytes the vendor built (the same on both sides of the radio). */
static int release_image(release *r, const release_spec *spec)
{
	size_t i;

	r->name = spec->version;
	r->image_len = spec->image_len;
	r->image = malloc(spec->image_len);
	if (r->image == NULL)
		return -1;
	for (i = 0; i < spec->image_len; i++)
		r->image[i] = (uint8_t)((i * 31U + spec->counter) & 0xffU);
	return 0;
}

#ifdef FIRMWARE_DEVICE_ONLY
#define envelope_free(p) free(p) /* loaded into malloc'd buffers */
#else
#define envelope_free(p) veto_free(NULL, (p)) /* made by veto_sign */
#endif

static void deliveries_free(deliveries *d)
{
	size_t i;

	envelope_free(d->policy);
	for (i = 0; i < 3; i++) {
		envelope_free(d->rel[i].envelope);
		free(d->rel[i].image);
	}
	memset(d, 0, sizeof *d);
}

#ifndef FIRMWARE_DEVICE_ONLY

#define B64_KEY sodium_base64_ENCODED_LEN(VETO_PUBLICKEYBYTES, sodium_base64_VARIANT_ORIGINAL)

typedef struct factory_key {
	uint8_t seed[VETO_SEEDBYTES];
	char keyid[VETO_KEYIDCHARS + 1];
	char b64[B64_KEY];
} factory_key;

typedef struct factory {
	factory_key owner, vendor, auditor[3];
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
static int factory_release(release *r, const factory *f, const release_spec *spec)
{
	const factory_key *auditors[2] = {&f->auditor[0], &f->auditor[1]};
	uint8_t digest[32];
	char hex[65];
	char payload[1024];
	int n;

	if (release_image(r, spec) != 0)
		return -1;
	crypto_hash_sha256(digest, r->image, r->image_len);
	sodium_bin2hex(hex, sizeof hex, digest, sizeof digest);

	n = snprintf(payload, sizeof payload,
	             "{\"format\": \"veto.update/1\", \"vendor\": \"acme\", \"model\": \"thermo-2\",\n"
	             " \"version\": \"%s\", \"security_counter\": %u,\n"
	             " \"image\": {\"size\": %zu, \"sha256\": \"%s\"},\n"
	             " \"features\": [%s]}\n",
	             spec->version, spec->counter, r->image_len, hex, spec->features);
	if (n < 0 || (size_t)n >= sizeof payload)
		return -1;
	return factory_sign(&r->envelope, &r->envelope_len, payload, &f->vendor, auditors, 2);
}

static int factory_make(deliveries *out)
{
	const factory_key *none[1] = {NULL};
	factory keys;
	factory *f = &keys;
	char policy[4096];
	size_t i;
	int n;

	memset(out, 0, sizeof *out);
	if (factory_key_make(&f->owner, 'O') != 0 || factory_key_make(&f->vendor, 'V') != 0 ||
	    factory_key_make(&f->auditor[0], 'A') != 0 ||
	    factory_key_make(&f->auditor[1], 'B') != 0 ||
	    factory_key_make(&f->auditor[2], 'C') != 0)
		goto fail;

	/* Enrolment: the owner's key becomes the device's trust anchor. */
	n = snprintf(out->anchor, sizeof out->anchor,
	             "{\"device\": {\"vendor\": \"acme\", \"model\": \"thermo-2\"},\n"
	             " \"keys\": {\"%s\": {\"ed25519\": \"%s\"}},\n"
	             " \"threshold\": 1}\n",
	             f->owner.keyid, f->owner.b64);
	if (n < 0 || (size_t)n >= sizeof out->anchor)
		goto fail;
	out->anchor_len = (size_t)n;

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
		goto fail;
	if (factory_sign(&out->policy, &out->policy_len, policy, &f->owner, none, 0) != 0)
		goto fail;

	for (i = 0; i < 3; i++)
		if (factory_release(&out->rel[i], f, &release_specs[i]) != 0)
			goto fail;
	sodium_memzero(&keys, sizeof keys);
	return 0;
fail:
	sodium_memzero(&keys, sizeof keys);
	return -1;
}

#ifdef FIRMWARE_DOCS
/* The emulated board hands what the factory made to the host (semihosting),
 * for the device-only build of this example to receive. */
static int save_file(const char *name, const void *data, size_t len)
{
	char path[128];
	FILE *fp;
	int ok;

	snprintf(path, sizeof path, "%s/%s", FIRMWARE_DOCS, name);
	fp = fopen(path, "wb");
	if (fp == NULL)
		return -1;
	ok = fwrite(data, 1, len, fp) == len;
	return fclose(fp) == 0 && ok ? 0 : -1;
}

static int deliveries_save(const deliveries *d)
{
	size_t i;

	if (save_file("anchor.json", d->anchor, d->anchor_len) != 0 ||
	    save_file("policy.dsse", d->policy, d->policy_len) != 0)
		return -1;
	for (i = 0; i < 3; i++)
		if (save_file(release_specs[i].file, d->rel[i].envelope, d->rel[i].envelope_len) != 0)
			return -1;
	return 0;
}
#endif

#else /* FIRMWARE_DEVICE_ONLY */

/* The device-only build has no factory: what the factory made arrives as
 * files (over semihosting, the emulated board's radio). */
static int load_file(char **out, size_t *out_len, const char *name)
{
	enum { MAX = 16 * 1024 };
	char path[128];
	FILE *fp;
	size_t n;

	snprintf(path, sizeof path, "%s/%s", FIRMWARE_DOCS, name);
	fp = fopen(path, "rb");
	*out = malloc(MAX);
	if (fp == NULL || *out == NULL) {
		if (fp != NULL)
			fclose(fp);
		return -1;
	}
	n = fread(*out, 1, MAX, fp);
	fclose(fp);
	*out_len = n;
	return n > 0 && n < MAX ? 0 : -1;
}

static int factory_make(deliveries *out)
{
	char *anchor = NULL;
	size_t i;
	int rc;

	memset(out, 0, sizeof *out);
	rc = load_file(&anchor, &out->anchor_len, "anchor.json");
	if (rc == 0 && out->anchor_len <= sizeof out->anchor)
		memcpy(out->anchor, anchor, out->anchor_len);
	else
		rc = -1;
	free(anchor);
	if (rc == 0)
		rc = load_file(&out->policy, &out->policy_len, "policy.dsse");
	for (i = 0; i < 3 && rc == 0; i++) {
		rc = load_file(&out->rel[i].envelope, &out->rel[i].envelope_len,
		               release_specs[i].file);
		if (rc == 0)
			rc = release_image(&out->rel[i], &release_specs[i]);
	}
	return rc;
}

#endif /* FIRMWARE_DEVICE_ONLY */

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
	static uint8_t chunk[FLASH_CHUNK]; /* static, as a DMA buffer would be */
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
/* PROBES: what a decision costs on the board (bare-metal builds)            */
/* ======================================================================== */

#ifdef FIRMWARE_BARE_METAL
/* Filled in around each update decision (step 3's are printed). */
typedef struct probe {
	unsigned long ticks;       /* board counter ticks for the whole decision */
	unsigned long parse_ticks; /* reading the state page back, alone */
	size_t stack;              /* bytes of stack below the caller's */
} probe;

static probe last_probe;

/*
 * The mps2 boards' FPGA counter runs at 25 MHz.  Under QEMU with
 * -icount shift=0 every instruction takes one nanosecond, so one tick is 40
 * instructions.  On real hardware use the DWT cycle counter instead.
 */
static unsigned long probe_ticks(void)
{
	return *(volatile const uint32_t *)0x40028018U;
}

static uintptr_t probe_sp(void)
{
	uintptr_t sp;

	__asm__ volatile("mov %0, sp" : "=r"(sp));
	return sp;
}

/* The stack below the caller is painted with a pattern; after the
 * decision, the lowest word no longer holding it marks the deepest use. */
#define PAINT_WORDS (32U * 1024U / 4U)
#define PAINT_GAP_WORDS 32U /* left alone under the painter's own frame */
#define PAINT_VALUE 0x5a17c0deU

static volatile uint32_t *paint_low;

static __attribute__((noinline)) void stack_paint(void)
{
	volatile uint32_t *top = (volatile uint32_t *)(probe_sp() & ~(uintptr_t)3) - PAINT_GAP_WORDS;
	volatile uint32_t *p;

	paint_low = top - PAINT_WORDS;
	for (p = paint_low; p < top; p++)
		*p = PAINT_VALUE;
}

static size_t stack_used(uintptr_t sp)
{
	volatile uint32_t *p = paint_low;

	while (p < paint_low + PAINT_WORDS && *p == PAINT_VALUE)
		p++;
	return (size_t)(sp - (uintptr_t)p);
}

/*
 * libsodium built for bare metal has no random source of its own
 * (scripts/firmware.sh builds it so): the firmware installs one before
 * veto_init.  Verifying needs no random bytes, but sodium_init draws 16 for
 * the canary of its guarded allocator.  A real device reads its hardware
 * generator here; the emulated board has none, so the host's /dev/urandom,
 * read through semihosting, stands in for it.  No bytes, no boot.
 */
static void board_random_buf(void *const buf, const size_t size)
{
	FILE *fp = fopen("/dev/urandom", "rb");
	size_t n = fp != NULL ? fread(buf, 1, size, fp) : 0;

	if (fp != NULL)
		fclose(fp);
	if (n != size) {
		fprintf(stderr, "firmware: the board's random source failed\n");
		abort();
	}
}

static uint32_t board_random_u32(void)
{
	uint32_t r;

	board_random_buf(&r, sizeof r);
	return r;
}

static const char *board_random_name(void)
{
	return "board";
}

static randombytes_implementation board_random = {
    .implementation_name = board_random_name,
    .random = board_random_u32,
    .stir = NULL,
    .uniform = NULL,
    .buf = board_random_buf,
    .close = NULL,
};
#endif /* FIRMWARE_BARE_METAL */

#ifdef FIRMWARE_LEAN_INIT
/*
 * Linked with -Wl,--wrap=sodium_init, veto_init's call to sodium_init lands
 * here.  libsodium 1.0.18's sodium_init chooses an implementation for each
 * primitive it has, which keeps every one of them in the link (some 45 KiB
 * on this board, a 30 KiB table that only signing uses among them).  A
 * verifier on a Cortex-M4 needs nothing it does: each primitive starts out
 * with its portable implementation, there are no CPU features to detect,
 * and verifying draws no random bytes.  Check again with a newer libsodium.
 */
int __wrap_sodium_init(void);
int __wrap_sodium_init(void)
{
	return 0;
}
#endif

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
#ifdef FIRMWARE_BARE_METAL
	{
		veto_state *s = NULL;
		const uintptr_t sp = probe_sp();
		unsigned long t0 = probe_ticks();

		/* Reading the state page back alone, then the whole decision. */
		(void)page_load(&s, &rep);
		veto_state_free(s);
		last_probe.parse_ticks = probe_ticks() - t0;
		veto_report_clear(&rep);
		veto_report_init(&rep, &device_cfg);
		stack_paint();
		t0 = probe_ticks();
		st = device_update((const uint8_t *)r->envelope, r->envelope_len, &slot, now, &rep);
		last_probe.ticks = probe_ticks() - t0;
		last_probe.stack = stack_used(sp);
	}
#else
	st = device_update((const uint8_t *)r->envelope, r->envelope_len, &slot, now, &rep);
#endif
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

static int run(const deliveries *f)
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
	                  &f->rel[GOOD], now, (veto_code)0);
#ifdef FIRMWARE_BARE_METAL
	/* One line for scripts/firmware.sh: the accepted decision's costs. */
	printf("  figures: heap %zu stack %zu ticks %lu parse-ticks %lu\n", heap_peak,
	       last_probe.stack, last_probe.ticks, last_probe.parse_ticks);
#endif
	print_state();
	overall_peak = heap_peak > overall_peak ? heap_peak : overall_peak;

	(void)step_update("4. Update 2.6.0 (counter 43) quietly drops works-with-nest",
	                  &f->rel[DROPS], now, VETO_R_UNDECLARED_REMOVAL);
	overall_peak = heap_peak > overall_peak ? heap_peak : overall_peak;

	(void)step_update("5. The old 2.4.0 (counter 41) is replayed", &f->rel[OLD], now,
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
		const flash_slot slot = {f->rel[GOOD].image, f->rel[GOOD].image_len};
		size_t budget, min_ok = 0, n_nomem = 0, n_other = 0;

		for (budget = 1024; budget <= 32U * 1024U; budget += 256) {
			heap_budget = budget;
			heap_peak = 0;
			veto_report_init(&rep, &device_cfg);
			st = device_update((const uint8_t *)f->rel[GOOD].envelope, f->rel[GOOD].envelope_len,
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
	deliveries f;
	int rc;

#ifdef FIRMWARE_BARE_METAL
	randombytes_set_implementation(&board_random);
#endif
	if (veto_init() != VETO_OK) {
		fprintf(stderr, "firmware: cannot initialise the crypto library\n");
		return 1;
	}
#ifndef FIRMWARE_DEVICE_ONLY
	printf("factory: making keys, the anchor, the owner's policy and three releases\n");
#else
	printf("radio: receiving the anchor, the owner's policy and three releases\n");
#endif
	if (factory_make(&f) != 0) {
		fprintf(stderr, "firmware: the documents could not be made or received\n");
		deliveries_free(&f);
		return 1;
	}
#if defined(FIRMWARE_DOCS) && !defined(FIRMWARE_DEVICE_ONLY)
	if (deliveries_save(&f) != 0) {
		fprintf(stderr, "firmware: cannot hand the documents to the host (%s)\n", FIRMWARE_DOCS);
		deliveries_free(&f);
		return 1;
	}
#endif
	rc = run(&f);
	deliveries_free(&f);
	printf("\n%s\n", rc == 0 ? "firmware example: every decision as expected"
	                          : "firmware example: FAILED");
	return rc;
}
