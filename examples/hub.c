/* SPDX-License-Identifier: Apache-2.0 */
/*
 * hub.c - veto in hub software that looks after several devices.
 *
 * A home hub keeps one state directory per device (the same layout as the
 * `veto` command: a directory of mode 0700 holding state.json, written
 * atomically under a lock held across read, check and write).  When the
 * vendor publishes releases, the hub checks each device's update against
 * that device's trusted policy and installed state, streaming the image
 * from disk, and records the new state only for the updates it accepts.
 *
 *   hub [DIR]     works in a new directory under DIR (kept, for a look
 *                 afterwards) or under $TMPDIR or /tmp (removed at the end)
 *
 * As in firmware.c, a FACTORY part plays the owner and the vendor and
 * writes their files into the hub's "incoming" folder; the HUB part only
 * reads those files.  It is also a test: it exits non-zero when a decision
 * is not the expected one or when a refused update changed a device's
 * state.
 */
#include <dirent.h>
#include <errno.h>
#include <inttypes.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <sodium.h>
#include <veto.h>

#include <veto_statedir.h> /* the companion library: statedir/README.md */

#define PATH_BYTES 4096U
#define IMAGE_CHUNK (64U * 1024U)

static const char now_text[] = "2026-11-21T00:00:00Z";

/* ======================================================================== */
/* Small file helpers                                                        */
/* ======================================================================== */

static int path_join(char out[PATH_BYTES], const char *dir, const char *name)
{
	int n = snprintf(out, PATH_BYTES, "%s/%s", dir, name);

	if (n < 0 || (size_t)n >= PATH_BYTES) {
		fprintf(stderr, "hub: path too long: %s/%s\n", dir, name);
		return -1;
	}
	return 0;
}

static int write_file(const char *path, const void *data, size_t len)
{
	FILE *f = fopen(path, "wb");

	if (f == NULL) {
		fprintf(stderr, "hub: cannot create %s: %s\n", path, strerror(errno));
		return -1;
	}
	if (fwrite(data, 1, len, f) != len || fclose(f) != 0) {
		fprintf(stderr, "hub: cannot write %s\n", path);
		return -1;
	}
	return 0;
}

/* Reads a small file (an envelope) whole; images are streamed instead. */
static int read_small_file(uint8_t **out, size_t *out_len, const char *path, size_t max)
{
	FILE *f = fopen(path, "rb");
	uint8_t *buf = NULL;
	size_t len = 0;

	if (f == NULL) {
		fprintf(stderr, "hub: cannot open %s: %s\n", path, strerror(errno));
		return -1;
	}
	buf = malloc(max + 1);
	if (buf != NULL) {
		len = fread(buf, 1, max, f);
		int c = fgetc(f);
		if (ferror(f) || c != EOF) {
			fprintf(stderr, "hub: %s: unreadable or larger than %zu bytes\n", path, max);
			free(buf);
			buf = NULL;
		}
	}
	(void)fclose(f);
	if (buf == NULL)
		return -1;
	*out = buf;
	*out_len = len;
	return 0;
}

/* Removes a directory tree that this program made. */
static int remove_tree(const char *path) /* NOLINT(misc-no-recursion): only the demo's own two-level tree */
{
	struct stat st;
	DIR *d;
	struct dirent *e;
	int rc = 0;

	if (lstat(path, &st) != 0)
		return -1;
	if (!S_ISDIR(st.st_mode))
		return unlink(path);
	d = opendir(path);
	if (d == NULL)
		return -1;
	while ((e = readdir(d)) != NULL) {
		char child[PATH_BYTES];

		if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
			continue;
		if (path_join(child, path, e->d_name) != 0 || remove_tree(child) != 0)
			rc = -1;
	}
	closedir(d);
	if (rmdir(path) != 0)
		rc = -1;
	return rc;
}

/* ======================================================================== */
/* FACTORY: the owner's and the vendor's files, dropped into incoming/       */
/* ======================================================================== */

#define B64_KEY sodium_base64_ENCODED_LEN(VETO_PUBLICKEYBYTES, sodium_base64_VARIANT_ORIGINAL)

typedef struct factory_key {
	uint8_t seed[VETO_SEEDBYTES];
	char keyid[VETO_KEYIDCHARS + 1];
	char b64[B64_KEY];
} factory_key;

typedef struct factory {
	factory_key owner, vendor, auditor[3];
} factory;

/* Fixed seeds so that every run is the same; real keys come from
 * `veto keygen`. */
static int key_make(factory_key *k, uint8_t fill)
{
	uint8_t pk[VETO_PUBLICKEYBYTES];

	memset(k->seed, fill, sizeof k->seed);
	if (veto_key_public(pk, k->seed) != VETO_OK || veto_keyid(k->keyid, pk) != VETO_OK)
		return -1;
	sodium_bin2base64(k->b64, sizeof k->b64, pk, sizeof pk, sodium_base64_VARIANT_ORIGINAL);
	return 0;
}

/* Signs payload with signer, co-signs with each of cosigners, writes the
 * envelope to path. */
static int sign_to_file(const char *path, const char *payload, const factory_key *signer,
                        const factory_key *const *cosigners, size_t n_cosigners)
{
	veto_diag d = {{0}};
	char *env = NULL;
	size_t env_len = 0;
	size_t i;
	int rc;

	if (veto_sign(&env, &env_len, &d, NULL, (const uint8_t *)payload, strlen(payload),
	              signer->seed) != VETO_OK) {
		fprintf(stderr, "factory: cannot sign %s: %s\n", path, d.detail);
		return -1;
	}
	for (i = 0; i < n_cosigners; i++) {
		char *next = NULL;
		size_t next_len = 0;
		int added = 0;

		if (veto_cosign(&next, &next_len, &added, &d, NULL, (const uint8_t *)env, env_len,
		                cosigners[i]->seed) != VETO_OK) {
			fprintf(stderr, "factory: cannot co-sign %s: %s\n", path, d.detail);
			veto_free(NULL, env);
			return -1;
		}
		veto_free(NULL, env);
		env = next;
		env_len = next_len;
	}
	rc = write_file(path, env, env_len);
	veto_free(NULL, env);
	return rc;
}

static int write_anchor(const factory *f, const char *path)
{
	char text[512];
	int n = snprintf(text, sizeof text,
	                 "{\"device\": {\"vendor\": \"acme\", \"model\": \"thermo-2\"},\n"
	                 " \"keys\": {\"%s\": {\"ed25519\": \"%s\"}},\n"
	                 " \"threshold\": 1}\n",
	                 f->owner.keyid, f->owner.b64);

	if (n < 0 || (size_t)n >= sizeof text)
		return -1;
	return write_file(path, text, (size_t)n);
}

static int write_policy(const factory *f, const char *path)
{
	char text[4096];
	int n = snprintf(
	    text, sizeof text,
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
	    f->owner.keyid, f->owner.b64, f->vendor.keyid, f->vendor.b64, f->auditor[0].keyid,
	    f->auditor[0].b64, f->auditor[1].keyid, f->auditor[1].b64, f->auditor[2].keyid,
	    f->auditor[2].b64, f->owner.keyid, f->vendor.keyid, f->auditor[0].keyid,
	    f->auditor[1].keyid, f->auditor[2].keyid);
	const factory_key *none[1] = {NULL};

	if (n < 0 || (size_t)n >= sizeof text)
		return -1;
	return sign_to_file(path, text, &f->owner, none, 0);
}

/* The vendor's build of one release: the image file, written in chunks and
 * hashed on the way (SHA-256 and BLAKE2b-256), and its signed manifest,
 * co-signed by two of the three auditors. */
static int write_release(const factory *f, const char *dir, const char *version,
                         unsigned counter, const char *features, size_t image_len)
{
	const factory_key *auditors[2] = {&f->auditor[1], &f->auditor[2]};
	char path[PATH_BYTES], name[64];
	crypto_hash_sha256_state sha;
	crypto_generichash_state b2;
	uint8_t sha_out[32], b2_out[32], chunk[4096];
	char sha_hex[65], b2_hex[65], payload[1024];
	size_t off, i;
	FILE *img;
	int n;

	snprintf(name, sizeof name, "image-%s.bin", version);
	if (path_join(path, dir, name) != 0)
		return -1;
	img = fopen(path, "wb");
	if (img == NULL) {
		fprintf(stderr, "factory: cannot create %s: %s\n", path, strerror(errno));
		return -1;
	}
	crypto_hash_sha256_init(&sha);
	if (crypto_generichash_init(&b2, NULL, 0, sizeof b2_out) != 0) {
		(void)fclose(img);
		return -1;
	}
	for (off = 0; off < image_len; off += sizeof chunk) {
		size_t n_chunk = image_len - off < sizeof chunk ? image_len - off : sizeof chunk;

		/* cppcheck-suppress knownConditionTrueFalse ; n_chunk >= 1 while off < image_len */
		for (i = 0; i < n_chunk; i++)
			chunk[i] = (uint8_t)(((off + i) * 131U + counter) & 0xffU);
		crypto_hash_sha256_update(&sha, chunk, n_chunk);
		crypto_generichash_update(&b2, chunk, n_chunk);
		if (fwrite(chunk, 1, n_chunk, img) != n_chunk) {
			(void)fclose(img);
			return -1;
		}
	}
	if (fclose(img) != 0)
		return -1;
	crypto_hash_sha256_final(&sha, sha_out);
	crypto_generichash_final(&b2, b2_out, sizeof b2_out);
	sodium_bin2hex(sha_hex, sizeof sha_hex, sha_out, sizeof sha_out);
	sodium_bin2hex(b2_hex, sizeof b2_hex, b2_out, sizeof b2_out);

	n = snprintf(payload, sizeof payload,
	             "{\"format\": \"veto.update/1\", \"vendor\": \"acme\", \"model\": \"thermo-2\",\n"
	             " \"version\": \"%s\", \"security_counter\": %u,\n"
	             " \"image\": {\"size\": %zu, \"sha256\": \"%s\",\n"
	             "           \"blake2b-256\": \"%s\"},\n"
	             " \"features\": [%s],\n"
	             " \"released\": \"2026-11-01T00:00:00Z\"}\n",
	             version, counter, image_len, sha_hex, b2_hex, features);
	if (n < 0 || (size_t)n >= sizeof payload)
		return -1;
	snprintf(name, sizeof name, "update-%s.dsse", version);
	if (path_join(path, dir, name) != 0)
		return -1;
	return sign_to_file(path, payload, &f->vendor, auditors, 2);
}

static int factory_run(const char *incoming)
{
	factory f;
	char path[PATH_BYTES];
	int rc = -1;

	if (key_make(&f.owner, 'O') != 0 || key_make(&f.vendor, 'V') != 0 ||
	    key_make(&f.auditor[0], 'A') != 0 || key_make(&f.auditor[1], 'B') != 0 ||
	    key_make(&f.auditor[2], 'C') != 0)
		goto done;
	if (path_join(path, incoming, "anchor.json") != 0 || write_anchor(&f, path) != 0)
		goto done;
	if (path_join(path, incoming, "policy-1.dsse") != 0 || write_policy(&f, path) != 0)
		goto done;
	if (write_release(&f, incoming, "2.4.0", 41,
	                  "\"local-control\", \"works-with-nest@1.2\", \"zigbee\"", 300000) != 0)
		goto done;
	if (write_release(&f, incoming, "2.5.0", 42,
	                  "\"local-control\", \"works-with-nest@1.2\", \"zigbee\", \"matter@1.3\"",
	                  310000) != 0)
		goto done;
	rc = 0;
done:
	sodium_memzero(&f, sizeof f);
	return rc;
}

/* ======================================================================== */
/* HUB: one state directory per device                                       */
/* ======================================================================== */

typedef struct device {
	const char *name;
	uint64_t enrolled_counter;
	char dir[PATH_BYTES];
	char last[96]; /* what happened last, for the table */
} device;

static void print_report(const veto_report *rep)
{
	char line[256];
	size_t i;

	for (i = 0; i < rep->n_refusals; i++) {
		veto_reason_text(line, sizeof line, &rep->refusals[i]);
		printf("      refusal  %-20s %s\n", veto_code_name(rep->refusals[i].code), line);
	}
	for (i = 0; i < rep->n_notices; i++) {
		veto_reason_text(line, sizeof line, &rep->notices[i]);
		printf("      notice   %-20s %s\n", veto_code_name(rep->notices[i].code), line);
	}
}

/* Reads and parses a device's state; d must be open (locked). */
static veto_status load_state(veto_state **s, veto_report *rep, veto_sd_dir *d)
{
	char err[256];
	uint8_t *data = NULL;
	size_t len = 0;
	veto_status st;
	int r = veto_sd_read(d, &data, &len, err, sizeof err);

	if (r != VETO_SD_OK) {
		/* A missing state is never a reset to factory trust. */
		fprintf(stderr, "hub: %s: %s\n", d->path,
		        r == VETO_SD_MISSING ? "state.json is missing" : err);
		return VETO_E_MALFORMED;
	}
	st = veto_state_parse(s, rep, NULL, data, len);
	free(data);
	return st;
}

static veto_status store_state(veto_sd_dir *d, const veto_state *s)
{
	char err[256];
	char *text = NULL;
	size_t len = 0;
	veto_status st = veto_state_format(&text, &len, s);

	if (st != VETO_OK)
		return st;
	if (veto_sd_write(d, text, len, err, sizeof err) != VETO_SD_OK) {
		fprintf(stderr, "hub: %s: %s\n", d->path, err);
		st = VETO_E_ARG;
	}
	veto_free(NULL, text);
	return st;
}

static int device_enrol(device *dev, const char *anchor_path,
                        const char *const *features, size_t n_features)
{
	char err[256];
	uint8_t *anchor = NULL;
	size_t anchor_len = 0;
	veto_report rep;
	veto_state *s = NULL;
	veto_sd_dir d;
	veto_status st = VETO_E_ARG;

	if (read_small_file(&anchor, &anchor_len, anchor_path, 64U * 1024U) != 0)
		return -1;
	if (veto_sd_create(dev->dir, err, sizeof err) != VETO_SD_OK ||
	    veto_sd_open(&d, dev->dir, err, sizeof err) != VETO_SD_OK) {
		fprintf(stderr, "hub: %s: %s\n", dev->dir, err);
		free(anchor);
		return -1;
	}
	veto_report_init(&rep, NULL);
	st = veto_state_from_anchor(&s, &rep, NULL, anchor, anchor_len, dev->enrolled_counter,
	                            features, n_features);
	if (st == VETO_OK)
		st = store_state(&d, s);
	else
		print_report(&rep);
	veto_sd_close(&d);
	veto_state_free(s);
	veto_report_clear(&rep);
	free(anchor);
	return st == VETO_OK ? 0 : -1;
}

static veto_status device_trust(device *dev, const char *policy_path, int64_t now)
{
	char err[256];
	uint8_t *policy = NULL;
	size_t policy_len = 0;
	veto_report rep;
	veto_state *s = NULL, *next = NULL;
	veto_bytes pol;
	veto_sd_dir d;
	veto_status st;

	if (read_small_file(&policy, &policy_len, policy_path, VETO_MAX_ENVELOPE) != 0)
		return VETO_E_ARG;
	if (veto_sd_open(&d, dev->dir, err, sizeof err) != VETO_SD_OK) {
		fprintf(stderr, "hub: %s: %s\n", dev->dir, err);
		free(policy);
		return VETO_E_ARG;
	}
	pol.ptr = policy;
	pol.len = policy_len;
	veto_report_init(&rep, NULL);
	st = load_state(&s, &rep, &d);
	if (st == VETO_OK)
		st = veto_trust(&next, &rep, NULL, s, &pol, 1, now);
	if (st == VETO_OK)
		st = store_state(&d, next);
	printf("    %-12s %s\n", dev->name, st == VETO_OK ? "policy serial 1 trusted" : veto_strerror(st));
	print_report(&rep);
	veto_sd_close(&d);
	veto_state_free(next);
	veto_state_free(s);
	veto_report_clear(&rep);
	free(policy);
	return st;
}

/*
 * One update for one device, under the device's lock from the read of its
 * state to the write of the new one: the stored policy governs, the image
 * is streamed from disk, and only an accepted update is recorded.
 */
static veto_status device_update(device *dev, const char *update_path, const char *image_path,
                                 int64_t now, const char *version)
{
	char err[256];
	uint8_t *update = NULL;
	size_t update_len = 0;
	uint8_t *chunk = NULL;
	veto_report rep;
	veto_state *s = NULL, *next = NULL;
	veto_check *c = NULL;
	veto_image_digests got;
	char sha_hex[17] = "";
	FILE *img = NULL;
	veto_sd_dir d;
	veto_status st;

	if (read_small_file(&update, &update_len, update_path, VETO_MAX_ENVELOPE) != 0)
		return VETO_E_ARG;
	if (veto_sd_open(&d, dev->dir, err, sizeof err) != VETO_SD_OK) {
		fprintf(stderr, "hub: %s: %s\n", dev->dir, err);
		free(update);
		return VETO_E_ARG;
	}
	veto_report_init(&rep, NULL);
	st = load_state(&s, &rep, &d);
	if (st != VETO_OK)
		goto done;
	st = veto_check_begin(&c, &rep, NULL, s, NULL, 0, update, update_len, now);
	if (st != VETO_OK)
		goto done;
	img = fopen(image_path, "rb");
	chunk = malloc(IMAGE_CHUNK);
	if (img == NULL || chunk == NULL) {
		fprintf(stderr, "hub: cannot read %s\n", image_path);
		st = VETO_E_ARG;
		goto done;
	}
	for (;;) {
		size_t n = fread(chunk, 1, IMAGE_CHUNK, img);

		if (n == 0 && ferror(img)) {
			fprintf(stderr, "hub: error reading %s\n", image_path);
			st = VETO_E_ARG;
			goto done;
		}
		st = veto_check_image(c, chunk, n);
		if (st != VETO_OK || n == 0)
			break;
	}
	if (st != VETO_OK)
		goto done;
	st = veto_check_finish(c, &got);
	if (st != VETO_OK)
		goto done;
	/* The hub now sends the device the image whose digest is got.sha256
	 * (reading it again, it would check that digest on the way). */
	sodium_bin2hex(sha_hex, sizeof sha_hex, got.sha256, 8);
	st = veto_check_commit(&next, c);
	if (st == VETO_OK)
		st = store_state(&d, next);
done:
	if (st == VETO_OK) {
		snprintf(dev->last, sizeof dev->last, "%s installed", version);
		printf("    %-12s %-6s ACCEPT, committed (image sha256 %s...)\n", dev->name, version,
		       sha_hex);
	} else {
		snprintf(dev->last, sizeof dev->last, "%s %s", version,
		         st == VETO_REFUSED ? "refused" : "failed");
		printf("    %-12s %-6s %s\n", dev->name, version,
		       st == VETO_REFUSED ? "REFUSE" : veto_strerror(st));
	}
	print_report(&rep);
	if (img != NULL)
		(void)fclose(img);
	free(chunk);
	veto_sd_close(&d);
	veto_check_free(c);
	veto_state_free(next);
	veto_state_free(s);
	veto_report_clear(&rep);
	free(update);
	return st;
}

/* The bytes of a device's state.json, read under its lock. */
static int snapshot(uint8_t **data, size_t *len, const device *dev)
{
	char err[256];
	veto_sd_dir d;
	int r;

	if (veto_sd_open(&d, dev->dir, err, sizeof err) != VETO_SD_OK) {
		fprintf(stderr, "hub: %s: %s\n", dev->dir, err);
		return -1;
	}
	r = veto_sd_read(&d, data, len, err, sizeof err);
	veto_sd_close(&d);
	if (r != VETO_SD_OK) {
		fprintf(stderr, "hub: %s: %s\n", dev->dir, r == VETO_SD_MISSING ? "no state.json" : err);
		return -1;
	}
	return 0;
}

static int print_table(device *devs, size_t n, uint64_t *counters)
{
	size_t i, j;

	printf("\n  %-12s %-14s %-7s %-8s %-32s %s\n", "device", "class", "policy", "counter",
	       "last update", "features");
	for (i = 0; i < n; i++) {
		veto_report rep;
		veto_state *s = NULL;
		uint64_t serial = 0;
		char klass[80], pol[24];
		uint8_t *data = NULL;
		size_t len = 0;

		if (snapshot(&data, &len, &devs[i]) != 0)
			return -1;
		veto_report_init(&rep, NULL);
		if (veto_state_parse(&s, &rep, NULL, data, len) != VETO_OK) {
			fprintf(stderr, "hub: %s: state.json does not parse\n", devs[i].dir);
			veto_report_clear(&rep);
			free(data);
			return -1;
		}
		snprintf(klass, sizeof klass, "%s/%s", veto_state_vendor(s), veto_state_model(s));
		if (veto_state_policy_serial(s, &serial))
			snprintf(pol, sizeof pol, "%" PRIu64, serial);
		else
			snprintf(pol, sizeof pol, "none");
		counters[i] = veto_state_security_counter(s);
		printf("  %-12s %-14s %-7s %-8" PRIu64 " %-32s", devs[i].name, klass, pol, counters[i],
		       devs[i].last);
		for (j = 0; j < veto_state_feature_count(s); j++)
			printf(" %s", veto_state_feature(s, j));
		printf("\n");
		veto_state_free(s);
		veto_report_clear(&rep);
		free(data);
	}
	return 0;
}

static int failures;

static void expect(int ok, const char *what)
{
	if (!ok) {
		printf("  UNEXPECTED: %s\n", what);
		failures++;
	}
}

static int hub_run(const char *base)
{
	static const char *const shipped[] = {"local-control", "works-with-nest@1.2", "zigbee"};
	device devs[3] = {
	    {"living-room", 41, "", "enrolled"},
	    {"bedroom", 41, "", "enrolled"},
	    {"office", 41, "", "enrolled"},
	};
	const size_t n_devs = sizeof devs / sizeof devs[0];
	char incoming[PATH_BYTES], devices[PATH_BYTES], path[PATH_BYTES], path2[PATH_BYTES];
	uint64_t counters[3];
	uint8_t *before = NULL, *after = NULL;
	size_t before_len = 0, after_len = 0;
	int64_t now = 0;
	size_t i;

	if (veto_time_parse(&now, now_text, strlen(now_text)) != VETO_OK)
		return -1;
	if (path_join(incoming, base, "incoming") != 0 || path_join(devices, base, "devices") != 0)
		return -1;
	if (mkdir(incoming, 0700) != 0 || mkdir(devices, 0700) != 0) {
		fprintf(stderr, "hub: cannot make folders in %s: %s\n", base, strerror(errno));
		return -1;
	}

	printf("factory: the owner's anchor and policy, the vendor's releases 2.4.0 and 2.5.0\n"
	       "         -> %s\n", incoming);
	if (factory_run(incoming) != 0)
		return -1;

	printf("\n1. Enrol three thermostats, each running 2.4.0 (counter 41)\n");
	if (path_join(path, incoming, "anchor.json") != 0)
		return -1;
	for (i = 0; i < n_devs; i++) {
		if (path_join(devs[i].dir, devices, devs[i].name) != 0 ||
		    device_enrol(&devs[i], path, shipped, sizeof shipped / sizeof shipped[0]) != 0)
			return -1;
		printf("    %-12s state directory %s\n", devs[i].name, devs[i].dir);
	}

	printf("\n2. Trust the owner's policy on every device\n");
	if (path_join(path, incoming, "policy-1.dsse") != 0)
		return -1;
	for (i = 0; i < n_devs; i++)
		expect(device_trust(&devs[i], path, now) == VETO_OK, "the policy should be trusted");

	printf("\n3. One batch: 2.5.0 for every device, then a replay of 2.4.0 to the office\n");
	if (path_join(path, incoming, "update-2.5.0.dsse") != 0 ||
	    path_join(path2, incoming, "image-2.5.0.bin") != 0)
		return -1;
	for (i = 0; i < n_devs; i++)
		expect(device_update(&devs[i], path, path2, now, "2.5.0") == VETO_OK,
		       "2.5.0 should be accepted");

	if (snapshot(&before, &before_len, &devs[2]) != 0)
		return -1;
	if (path_join(path, incoming, "update-2.4.0.dsse") != 0 ||
	    path_join(path2, incoming, "image-2.4.0.bin") != 0) {
		free(before);
		return -1;
	}
	expect(device_update(&devs[2], path, path2, now, "2.4.0") == VETO_REFUSED,
	       "the replayed 2.4.0 should be refused");
	if (snapshot(&after, &after_len, &devs[2]) != 0) {
		free(before);
		return -1;
	}
	expect(before_len == after_len && memcmp(before, after, before_len) == 0,
	       "the office's state.json should be byte for byte what it was");
	printf("    office: state.json re-read after the refusal: %s\n",
	       before_len == after_len && memcmp(before, after, before_len) == 0
	           ? "unchanged, byte for byte"
	           : "CHANGED");
	free(before);
	free(after);
	/* The office still runs 2.5.0: say so in the table, next to the refusal. */
	snprintf(devs[2].last, sizeof devs[2].last, "2.5.0 installed; 2.4.0 refused");

	if (print_table(devs, n_devs, counters) != 0)
		return -1;
	for (i = 0; i < n_devs; i++)
		expect(counters[i] == 42, "every device should end at counter 42");
	return 0;
}

int main(int argc, char **argv)
{
	const char *parent = argc > 1 ? argv[1] : getenv("TMPDIR");
	char base[PATH_BYTES];
	int keep = argc > 1;
	int rc;

	if (argc > 2) {
		fprintf(stderr, "usage: hub [DIR]\n");
		return 2;
	}
	if (parent == NULL || parent[0] == '\0')
		parent = "/tmp";
	if (veto_init() != VETO_OK || sodium_init() < 0) {
		fprintf(stderr, "hub: cannot initialise the crypto library\n");
		return 1;
	}
	if (path_join(base, parent, "veto-hub-XXXXXX") != 0)
		return 1;
	if (mkdtemp(base) == NULL) {
		fprintf(stderr, "hub: cannot make a directory in %s: %s\n", parent, strerror(errno));
		return 1;
	}
	printf("hub: working in %s (time %s)\n", base, now_text);

	rc = hub_run(base);
	if (rc != 0)
		failures++;
	if (keep)
		printf("\nhub: files kept in %s\n", base);
	else if (remove_tree(base) != 0)
		fprintf(stderr, "hub: could not remove %s\n", base);
	printf("\n%s\n", failures == 0 ? "hub example: every decision as expected"
	                              : "hub example: FAILED");
	return failures == 0 ? 0 : 1;
}
