/* SPDX-License-Identifier: Apache-2.0 */
#include "bad_keys.h"

#include <stddef.h>
#include <string.h>

/* p = 2^255 - 19.  The points of order 8 have y = 26e8...05 (checked by
 * computing 8P) and its negation p - y = c717...7a. */
const tw_key_case tw_bad_keys[TW_BAD_KEY_COUNT] = {
    {"all-zero", "0000000000000000000000000000000000000000000000000000000000000000"}, /* order 4 */
    {"identity", "0100000000000000000000000000000000000000000000000000000000000000"}, /* order 1 */
    {"order-2", "ecffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f"},  /* y = p - 1 */
    {"all-zero-sign-bit", "0000000000000000000000000000000000000000000000000000000000000080"},
    {"order-8b", "c7176a703d4dd84fba3c0b760d10670f2a2053fa2c39ccc64ec7fd7792ac037a"},
    {"order-8a", "26e8958fc2b227b045c3f489f2ef98f0d5dfac05d3c63339b13802886d53fc05"},
    {"order-8b-sign-bit", "c7176a703d4dd84fba3c0b760d10670f2a2053fa2c39ccc64ec7fd7792ac03fa"},
    {"order-8a-sign-bit", "26e8958fc2b227b045c3f489f2ef98f0d5dfac05d3c63339b13802886d53fc85"},
    {"y-is-p", "edffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f"},   /* not canonical */
    {"y-is-p+1", "eeffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f"}, /* not canonical */
    /* y = 3 written as p + 3: not canonical, and no encoding y >= p names a
     * point of the prime-order subgroup, so it cannot be "only" that */
    {"noncanonical", "f0ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f"},
    {"identity-sign-bit", "0100000000000000000000000000000000000000000000000000000000000080"},
    {"not-on-curve", "0200000000000000000000000000000000000000000000000000000000000000"}, /* y = 2 */
};

const tw_key_case tw_odd_good_keys[TW_ODD_GOOD_KEY_COUNT] = {
    {"mixed-order", "0300000000000000000000000000000000000000000000000000000000000000"}, /* y = 3 */
    {"mixed-order-sign-bit", "0300000000000000000000000000000000000000000000000000000000000080"},
};

static int nibble(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	return -1;
}

bool tw_key_bytes(uint8_t pk[32], const char *hex)
{
	if (strlen(hex) != 64)
		return false;
	for (size_t i = 0; i < 32; i++) {
		int hi = nibble(hex[2 * i]), lo = nibble(hex[2 * i + 1]);
		if (hi < 0 || lo < 0)
			return false;
		pk[i] = (uint8_t)(hi << 4 | lo);
	}
	return true;
}

const tw_key_case *tw_key_case_named(const char *name)
{
	for (size_t i = 0; i < TW_BAD_KEY_COUNT; i++)
		if (strcmp(tw_bad_keys[i].name, name) == 0)
			return &tw_bad_keys[i];
	for (size_t i = 0; i < TW_ODD_GOOD_KEY_COUNT; i++)
		if (strcmp(tw_odd_good_keys[i].name, name) == 0)
			return &tw_odd_good_keys[i];
	return NULL;
}
