#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# veto --help/--version, keygen, key id, key import (with the real peers).
. "$(dirname "$0")/lib.sh"

expect 0 "--help exits 0" veto --help
that "--help lists every command" eval 'for c in keygen "key id" "key import" sign cosign show init trust check commit preflight; do has "  $c" || exit 1; done'
expect 0 "--version exits 0" veto --version
that "--version prints the version" has '^veto [0-9]'
expect 2 "no command is a usage error" veto
expect 2 "an unknown command is a usage error" veto frobnicate
that "the usage error names the command" has "frobnicate" err
for c in keygen key sign cosign show init trust check commit preflight; do
	expect 0 "veto $c --help exits 0" veto $c --help
	that "veto $c --help prints a usage line" has "^usage: veto $c"
done
expect 2 "an unknown option is a usage error" veto check --bogus
expect 2 "a missing option value is a usage error" veto sign --key

# keygen
expect 0 "keygen writes a key pair" veto keygen alice
that "keygen prints a 64-hex keyid" grep -qE '^[0-9a-f]{64}$' out
id=$(cat out)
that "the secret key is mode 0600" test "$(stat -c %a alice.key)" = 600
that "the public key exists" test -s alice.pub
expect 0 "key id of the .pub" veto key id alice.pub
that "key id of the .pub is the keyid keygen printed" test "$(cat out)" = "$id"
expect 0 "key id of the .key" veto key id alice.key
that "key id of the .key is the same keyid" test "$(cat out)" = "$id"
expect 0 "key id reads standard input" veto key id - <alice.pub
that "key id from stdin is the same keyid" test "$(cat out)" = "$id"
cp alice.pub keep.pub
expect 2 "keygen refuses to overwrite an existing pair" veto keygen alice
that "the refusal names the existing file" has "alice.key already exists" err
that "the existing public key is unchanged" cmp -s alice.pub keep.pub
touch bob.pub
expect 2 "keygen refuses when only NAME.pub exists" veto keygen bob
that "no half pair is left behind" test ! -e bob.key
expect 2 "keygen - is a usage error" veto keygen -
expect 2 "keygen without NAME is a usage error" veto keygen

# Secret key permissions
chmod 640 alice.key
expect 2 "key id refuses a group-readable secret key" veto key id alice.key
that "the message says chmod 600" has "chmod 600 alice.key" err
printf '{"format": "veto.update/1"}\n' >p.json
expect 2 "sign refuses a group-readable secret key" veto sign --key alice.key p.json
that "sign's message says chmod 600" has "chmod 600" err
chmod 604 alice.key
expect 2 "a world-readable secret key is refused too" veto key id alice.key
chmod 600 alice.key

# Bad key files
expect 2 "key id of a missing file" veto key id nosuch.pub
that "the message names the missing file" has "nosuch.pub" err
echo '{"keyid": "00", "ed25519": "AAAA"}' >bad.pub
expect 2 "key id of a malformed key file" veto key id bad.pub
that "the message names the bad file" has "bad.pub" err
sed "s/\"keyid\": \"[0-9a-f]*\"/\"keyid\": \"$(printf '%064d' 0)\"/" alice.pub >wrongid.pub
expect 2 "key id rejects a keyid that is not the key's" veto key id wrongid.pub

# key import: the keyid must be SHA-256 of the 32 raw key bytes, computed
# here independently of veto from the peer's own file.
raw_id() { base64 -d | tail -c 32 | sha256sum | cut -d' ' -f1; }
# A veto .pub built by hand from raw bytes, to compare with the import.
hand_pub() { # b64-of-32-bytes -> file
	printf '{"keyid": "%s", "ed25519": "%s"}\n' "$(printf '%s' "$1" | raw_id)" "$1" >"$2"
}

if command -v minisign >/dev/null; then
	minisign -G -W -p m.pub -s m.key >/dev/null 2>&1
	expect 0 "key import of a minisign key" veto key import m.pub -o m.veto.pub
	want=$(tail -n 1 m.pub | raw_id)
	that "the import prints the keyid of the minisign key bytes" test "$(cat out)" = "$want"
	that "the import warns about signing raw files elsewhere" has "warning" err
	expect 0 "key id of the imported minisign key" veto key id m.veto.pub
	that "its keyid matches the raw key bytes" test "$(cat out)" = "$want"
	hand_pub "$(tail -n 1 m.pub | base64 -d | tail -c 32 | base64 -w0)" m.hand.pub
	expect 0 "a hand-made veto key of the same bytes is valid" veto key id m.hand.pub
	that "and has the same keyid" test "$(cat out)" = "$want"
	expect 0 "the bare base64 line of a minisign key imports to stdout" sh -c "tail -n 1 m.pub | '$VETO' key import -"
	that "stdout holds the veto public key" has "\"keyid\": \"$want\""
	expect 2 "a minisign secret key is refused" veto key import m.key
	that "the message suggests the .pub" has "secret key" err
else
	for i in 1 2 3 4 5 6 7 8 9 10 11; do skip "minisign not installed"; done
fi

if command -v signify-openbsd >/dev/null; then
	signify-openbsd -G -n -p s.pub -s s.sec
	expect 0 "key import of a signify key" veto key import s.pub -o s.veto.pub
	want=$(tail -n 1 s.pub | raw_id)
	expect 0 "key id of the imported signify key" veto key id s.veto.pub
	that "its keyid matches the raw key bytes" test "$(cat out)" = "$want"
	expect 2 "a signify secret key is refused" veto key import s.sec
else
	for i in 1 2 3 4; do skip "signify-openbsd not installed"; done
fi

if command -v ssh-keygen >/dev/null; then
	ssh-keygen -q -t ed25519 -N '' -C 'me@host' -f ssh_id >/dev/null
	expect 0 "key import of an OpenSSH ssh-ed25519 key" veto key import ssh_id.pub -o ssh.veto.pub
	want=$(cut -d' ' -f2 ssh_id.pub | raw_id)
	expect 0 "key id of the imported OpenSSH key" veto key id ssh.veto.pub
	that "its keyid matches the raw key bytes" test "$(cat out)" = "$want"
	expect 0 "OpenSSH import from stdin to stdout" veto key import - <ssh_id.pub
	that "stdout holds the same key" has "\"keyid\": \"$want\""
	expect 2 "an OpenSSH private key is refused" veto key import ssh_id
	ssh-keygen -q -t ecdsa -N '' -f ecdsa_id >/dev/null
	expect 2 "a non-Ed25519 OpenSSH key is refused" veto key import ecdsa_id.pub
	that "the message says Ed25519 only" has "Ed25519" err
else
	for i in 1 2 3 4 5 6 7 8; do skip "ssh-keygen not installed"; done
fi

# Hostile OpenSSH blob: right type string, 33-byte key.
printf 'ssh-ed25519 %s x\n' "$( { printf '\0\0\0\013ssh-ed25519\0\0\0\041'; head -c 33 /dev/zero; } | base64 -w0)" >long.pub
expect 2 "an ssh-ed25519 blob with a 33-byte key is refused" veto key import long.pub
# All-zero key: small order.
printf 'untrusted comment: x\n%s\n' "$( { printf 'Ed12345678'; head -c 32 /dev/zero; } | base64 -w0)" >zero.pub
expect 2 "a small-order (all zero) key is refused" veto key import zero.pub
expect 2 "key import of a missing file" veto key import nosuch.pub
expect 2 "key import of garbage" veto key import p.json

done_testing
