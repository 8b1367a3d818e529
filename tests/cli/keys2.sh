#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# (1.1) Encrypted secret keys, key passphrase, pae and attach with every
# recipe of docs/KEYS.md (OpenSSL, signify, minisign -S -l, an ssh-agent),
# signing on a PKCS#11 token (SoftHSM2, keys made by pkcs11-tool), and the
# strict import of PEM blocks and OpenSSH lines with options.
TESTS=$(cd "$(dirname "$0")" && pwd)
. "$TESTS/lib.sh"

newkey vendor; newkey owner
head -c 100 /dev/urandom >img.bin
update upd.json 3 '[]'
policy pol.json 1 owner vendor

# ---- encrypted secret keys --------------------------------------------------
printf 'correct horse\n' >pw
printf 'correct horse\r\n' >pwcrlf
printf 'wrong\n' >bad
: >empty
expect 0 "keygen --passphrase-file writes an encrypted key" veto keygen enc --passphrase-file pw
that "the key file holds an encrypted seed, no plain one" eval 'grep -q ed25519-seed-encrypted enc.key && ! grep -q "\"ed25519-seed\"" enc.key'
that "Argon2id with libsodium's INTERACTIVE parameters" grep -q '"kdf": "argon2id13", "opslimit": 2, "memlimit": 67108864' enc.key
that "the encrypted key is mode 0600" test "$(stat -c %a enc.key)" = 600
expect 0 "sign with an encrypted key and its passphrase file" veto sign --key enc.key upd.json --passphrase-file pw -o e.dsse
expect 0 "show: the signature verifies under enc.pub" veto show e.dsse --key enc.pub
that "verifies (enc.pub)" has "verifies (enc.pub)"
expect 0 "a passphrase file ending in CRLF works too" veto sign --key enc.key upd.json --passphrase-file pwcrlf -o e2.dsse
that "the same signature (the first line, without \\r\\n)" cmp -s e.dsse e2.dsse
expect 2 "a wrong passphrase is exit 2" veto sign --key enc.key upd.json --passphrase-file bad
that "and is called a wrong passphrase" has "enc.key: wrong passphrase, or a damaged file" err
expect 2 "no terminal and no passphrase file" veto sign --key enc.key upd.json </dev/null
that "says there is no terminal and names --passphrase-file" has "no terminal to ask its passphrase on: give --passphrase-file" err
expect 2 "an empty passphrase file is refused" veto sign --key enc.key upd.json --passphrase-file empty
that "named as empty" has "the passphrase file is empty" err
expect 2 "keygen refuses an empty passphrase file" veto keygen enc0 --passphrase-file empty
that "and writes nothing" test ! -e enc0.key
expect 0 "cosign with an encrypted key" veto cosign --key enc.key --passphrase-file pw -o c.dsse - <e.dsse
expect 2 "cosign refuses a payload, saying so" veto cosign --key owner.key upd.json
that "the message says it is a payload and names sign" has "is a payload, not an envelope: make the envelope with 'veto sign'" err
expect 0 "keygen without terminal or option writes a plain key (as version 1)" veto keygen plain </dev/null
that "the plain key has ed25519-seed" grep -q '"ed25519-seed"' plain.key
# Hostile KDF bounds are refused before any work.
sed 's/"opslimit": 2/"opslimit": 17/' enc.key >ops.key; chmod 600 ops.key
expect 2 "opslimit 17 is malformed" veto sign --key ops.key upd.json --passphrase-file pw
that "the bound is named" has "opslimit: 17 is outside 1..16" err
sed 's/"memlimit": 67108864/"memlimit": 1073741825/' enc.key >mem.key; chmod 600 mem.key
expect 2 "memlimit above 1 GiB is malformed" veto sign --key mem.key upd.json --passphrase-file pw
that "the bound is named" has "memlimit: 1073741825 is outside 8192..1073741824" err
sed 's/"memlimit": 67108864/"memlimit": 4096/' enc.key >mem2.key; chmod 600 mem2.key
expect 2 "memlimit below 8192 is malformed" veto sign --key mem2.key upd.json --passphrase-file pw
sed 's/argon2id13/scrypt/' enc.key >kdf.key; chmod 600 kdf.key
expect 2 "another KDF is malformed" veto sign --key kdf.key upd.json --passphrase-file pw
that "named" has 'kdf: "scrypt" is not "argon2id13"' err
sed "s/\"keyid\": \"[0-9a-f]*\"/\"keyid\": \"$(kid vendor)\"/" enc.key >kid.key; chmod 600 kid.key
expect 2 "a keyid that is not the decrypted key's" veto sign --key kid.key upd.json --passphrase-file pw
that "named as a keyid mismatch" has "keyid does not match the decrypted key" err
sed "s/\"box\": \"[^\"]*\"/\"box\": \"$(head -c 64 /dev/zero | tr '\0' A)\"/" enc.key >box.key; chmod 600 box.key
expect 2 "a damaged box does not open" veto sign --key box.key upd.json --passphrase-file pw
that "named as a wrong passphrase or a damaged file" has "wrong passphrase, or a damaged file" err
chmod 640 enc.key
expect 2 "the mode rule applies to encrypted keys" veto sign --key enc.key upd.json --passphrase-file pw
that "with chmod 600" has "chmod 600" err
chmod 600 enc.key
expect 2 "a plain parse of an encrypted key says it is encrypted" veto key id enc.key </dev/null

# A file made with parameters below INTERACTIVE opens, with a warning.
cp "$TESTS/../fuzz-corpus/keys/encrypted" weak.key; chmod 600 weak.key; printf 'fuzz' >fz
expect 0 "a key with weak KDF parameters still opens" veto sign --key weak.key --passphrase-file fz upd.json -o /dev/null
that "with a warning naming key passphrase" has "below libsodium's INTERACTIVE ones; run 'veto key passphrase weak.key'" err
expect 0 "key passphrase re-encrypts it at INTERACTIVE" veto key passphrase weak.key --passphrase-file fz --new-passphrase-file fz
that "no warning any more" eval 'veto sign --key weak.key --passphrase-file fz upd.json -o /dev/null 2>err; hasnt INTERACTIVE err'

# On a terminal (a pseudo-terminal driven by tty_answer.py): keygen asks
# twice, sign asks once, key passphrase asks for the old and the new one.
tty() { timeout 60 python3 "$TESTS/tty_answer.py" "$@"; }
expect 0 "keygen on a terminal asks twice and encrypts" tty sesame sesame -- "$VETO" keygen tt
that "it asked twice, without echoing the answer" eval 'has "New passphrase for tt.key" && has "The same passphrase again" && hasnt sesame'
that "the key is encrypted" grep -q ed25519-seed-encrypted tt.key
expect 0 "sign on a terminal asks the passphrase" tty sesame -- "$VETO" sign --key tt.key upd.json -o tt.dsse
that "asked for tt.key's" has "Passphrase for tt.key"
expect 2 "a wrong answer is a wrong passphrase" tty nope -- "$VETO" sign --key tt.key upd.json -o tt2.dsse
that "named so, and nothing written" eval 'has "wrong passphrase" && test ! -e tt2.dsse'
expect 0 "an empty answer to keygen writes an unencrypted key" tty "" -- "$VETO" keygen t2
that "with a warning" has "t2.key is written unencrypted"
expect 0 "key passphrase asks again when the two answers differ" tty a b a a -- "$VETO" key passphrase t2.key
that "said they differ, then encrypted" eval 'has "passphrases differ" && grep -q ed25519-seed-encrypted t2.key'
printf 'sesame\n' >tpw; cp tt.key tt.before
expect 2 "three differing pairs write nothing" tty a x a y a z -- "$VETO" key passphrase tt.key --passphrase-file tpw
that "says so, and the key is as it was" eval 'has "differed three times" && cmp -s tt.key tt.before'
expect 0 "key passphrase on a terminal removes it with an empty answer" tty a "" -- "$VETO" key passphrase t2.key
that "plain again" grep -q '"ed25519-seed"' t2.key

# key passphrase
cp plain.key p2.key
printf 'new one\n' >pw2
expect 0 "key passphrase encrypts a plain key" veto key passphrase p2.key --new-passphrase-file pw2
that "now encrypted" grep -q ed25519-seed-encrypted p2.key
that "still mode 0600" test "$(stat -c %a p2.key)" = 600
expect 0 "and signs with the new passphrase" veto sign --key p2.key upd.json --passphrase-file pw2 -o p2.dsse
expect 0 "the same key as before" veto show p2.dsse --key plain.pub
that "verifies (plain.pub)" has "verifies (plain.pub)"
expect 0 "key passphrase changes it" veto key passphrase p2.key --passphrase-file pw2 --new-passphrase-file pw
expect 2 "the old passphrase no longer opens it" veto sign --key p2.key upd.json --passphrase-file pw2
expect 2 "a wrong old passphrase changes nothing" veto key passphrase p2.key --passphrase-file bad --new-passphrase-file pw2
that "it still opens with the right one" veto sign --key p2.key upd.json --passphrase-file pw -o /dev/null
expect 0 "an empty new passphrase file removes the encryption" veto key passphrase p2.key --passphrase-file pw --new-passphrase-file empty
that "with a warning" has "now stored unencrypted" err
that "the key is plain again, and the same" cmp -s p2.key plain.key
expect 2 "key passphrase without a terminal nor a new file" veto key passphrase p2.key </dev/null
that "says so" has "no terminal to ask the new passphrase on" err
expect 2 "key passphrase - is a usage error" veto key passphrase - --new-passphrase-file pw

# ---- pae and attach -----------------------------------------------------------
expect 0 "pae of a payload" veto pae upd.json -o upd.pae
that "begins with DSSEv1 and the update type" grep -q '^DSSEv1 32 application/vnd.veto.update+json [0-9]* {' upd.pae
expect 0 "pae of an envelope is the same bytes" veto pae e.dsse -o -
that "same" cmp -s out upd.pae
expect 2 "pae refuses a payload that is not a policy or update" veto pae empty
printf '{"format": "veto.other/1"}\n' >other.json
expect 2 "pae names a bad format" veto pae other.json
that "as sign does" has "not a valid policy or update" err
echo '{"payloadType": "x"' >broken.dsse
expect 2 "pae refuses a broken envelope" veto pae broken.dsse

# OpenSSL: a PEM key, signing the PAE with pkeyutl -rawin
openssl genpkey -algorithm ed25519 -out ossl.pem 2>/dev/null
openssl pkey -in ossl.pem -pubout -out ossl.pub.pem 2>/dev/null
expect 0 "key import of an OpenSSL PEM public key" veto key import ossl.pub.pem -o ossl.pub
that "the format is named PEM" has "(PEM format)" err
openssl pkeyutl -sign -inkey ossl.pem -rawin -in upd.pae -out ossl.sig
expect 0 "attach an openssl pkeyutl -rawin signature to a payload" veto attach --key ossl.pub --sig ossl.sig upd.json -o o.dsse
expect 0 "it verifies" veto show o.dsse --key ossl.pub
that "verifies (ossl.pub)" has "verifies (ossl.pub)"
expect 0 "attach takes the PEM file itself as --key" veto attach --key ossl.pub.pem --sig ossl.sig e.dsse -o oe.dsse
expect 0 "the envelope now has two signatures" veto show oe.dsse --key ossl.pub --key enc.pub
that "both verify" eval 'has "verifies (ossl.pub)" && has "verifies (enc.pub)"'
base64 -w0 ossl.sig >ossl.b64; echo >>ossl.b64
expect 0 "one line of base64 works too" veto attach --key ossl.pub --sig ossl.b64 upd.json -o o2.dsse
that "the same envelope" cmp -s o.dsse o2.dsse
cp oe.dsse in.dsse; chmod 640 in.dsse
expect 0 "attach into an envelope rewrites it in place" veto attach --key ossl.pub --sig ossl.sig e.dsse
that "e.dsse now holds the signature" grep -q "$(kid ossl)" e.dsse
expect 0 "attaching the same signature again adds nothing" veto attach --key ossl.pub --sig ossl.sig e.dsse
that "and says so" has "already holds a verifying signature" err
expect 2 "a signature by another key does not verify" veto attach --key vendor.pub --sig ossl.sig upd.json -o x.dsse
that "says it does not verify over the PAE, and wrote nothing" eval 'has "does not verify as a pure Ed25519 signature" err && test ! -e x.dsse'
openssl pkeyutl -sign -inkey ossl.pem -rawin -in upd.json -out wrong.sig
expect 2 "a signature of the payload instead of the PAE does not verify" veto attach --key ossl.pub --sig wrong.sig upd.json -o x.dsse
head -c 63 ossl.sig >short.sig
expect 2 "63 bytes are not a signature" veto attach --key ossl.pub --sig short.sig upd.json
that "named" has "neither 64 raw bytes nor a signature text" err
printf 'QUFB\n' >b64short.sig
expect 2 "base64 of 3 bytes is not a signature" veto attach --key ossl.pub --sig b64short.sig upd.json
that "the length is named" has "decodes to 3 bytes, not the 64" err
expect 2 "attach refuses a payload that is not valid" veto attach --key ossl.pub --sig ossl.sig other.json
expect 2 "attach needs --sig" veto attach --key ossl.pub upd.json

# signify -S over the PAE file
if command -v signify-openbsd >/dev/null; then
	signify-openbsd -G -n -p sg.pub -s sg.sec
	signify-openbsd -S -s sg.sec -m upd.pae -x sg.sig
	expect 0 "attach a signify signature (the .pub as --key)" veto attach --key sg.pub --sig sg.sig upd.json -o sg.dsse
	veto key import sg.pub -o sg.vpub >/dev/null 2>&1
	expect 0 "it verifies" veto show sg.dsse --key sg.vpub
	that "verifies" has "verifies (sg.vpub)"
else
	not_ok "signify-openbsd is installed (scripts/deps.sh test)"
fi
# minisign -S -l (legacy: pure Ed25519); the prehashed default is refused
if command -v minisign >/dev/null; then
	minisign -G -W -p mn.pub -s mn.sec >/dev/null
	minisign -S -l -s mn.sec -m upd.pae -x legacy.minisig </dev/null >/dev/null
	expect 0 "attach a legacy minisign signature" veto attach --key mn.pub --sig legacy.minisig upd.json -o mn.dsse
	minisign -S -s mn.sec -m upd.pae -x hashed.minisig </dev/null >/dev/null
	expect 2 "a prehashed minisign signature is refused" veto attach --key mn.pub --sig hashed.minisig upd.json
	that "naming it and minisign -S -l" has "prehashed minisign signature (algorithm ED).*minisign -S -l" err
else
	not_ok "minisign is installed (scripts/deps.sh test)"
fi
# ssh-agent through a small client; ssh-keygen -Y sign is refused
ssh-keygen -q -t ed25519 -N '' -C agent -f agent_key
eval "$(ssh-agent -s)" >/dev/null
ssh-add -q agent_key 2>/dev/null
if python3 "$TESTS/agent_sign.py" agent_key.pub upd.pae agent.sig; then
	expect 0 "attach a signature from an ssh-agent" veto attach --key agent_key.pub --sig agent.sig upd.json -o ag.dsse
	veto key import agent_key.pub -o agent.vpub >/dev/null 2>&1
	expect 0 "it verifies" veto show ag.dsse --key agent.vpub
	that "verifies" has "verifies (agent.vpub)"
else
	not_ok "the ssh-agent client signed"
fi
kill "$SSH_AGENT_PID" 2>/dev/null
ssh-keygen -Y sign -f agent_key -n file upd.pae >/dev/null 2>&1
expect 2 "an OpenSSH SSHSIG is refused" veto attach --key agent_key.pub --sig upd.pae.sig upd.json
that "naming it and what to use instead" has "OpenSSH SSHSIG.*ssh-agent client" err

# ---- PKCS#11 ------------------------------------------------------------------
veto sign --key 'pkcs11:token=none' upd.json >out 2>err
if has "built without PKCS#11" err; then
	ok "a build without p11-kit says it was built without PKCS#11"
else
	MOD=$(ls /usr/lib/softhsm/libsofthsm2.so /usr/lib/*/softhsm/libsofthsm2.so 2>/dev/null | head -1)
	if [ -z "$MOD" ] || ! command -v pkcs11-tool >/dev/null || ! command -v softhsm2-util >/dev/null; then
		not_ok "SoftHSM2 and pkcs11-tool are installed (scripts/deps.sh test)"
	else
		mkdir tokens
		printf 'directories.tokendir = %s/tokens\nobjectstore.backend = file\nlog.level = ERROR\n' "$T" >softhsm2.conf
		export SOFTHSM2_CONF=$T/softhsm2.conf
		# SoftHSM2's own leaks, for the sanitizer build (softhsm.supp says why)
		export LSAN_OPTIONS="suppressions=$TESTS/softhsm.supp:print_suppressions=0${LSAN_OPTIONS:+:$LSAN_OPTIONS}"
		softhsm2-util --init-token --free --label veto --pin 1234 --so-pin 5678 >/dev/null
		p11() { pkcs11-tool --module "$MOD" --token-label veto --login --pin 1234 "$@" >/dev/null 2>&1; }
		p11 --keypairgen --key-type EC:edwards25519 --id 01 --label release
		p11 --keypairgen --key-type EC:edwards25519 --id 02 --label twin-a
		p11 --keypairgen --key-type EC:edwards25519 --id 03 --label twin-b
		p11 --keypairgen --key-type EC:prime256v1 --id 04 --label p256
		printf '1234\n' >pin
		printf '9999\n' >badpin
		U="pkcs11:token=veto;object=release?pin-source=file:$T/pin"
		expect 0 "sign with a key on the token (pin-source)" veto sign --key "$U" upd.json -o hsm.dsse
		pkcs11-tool --module "$MOD" --token-label veto --read-object --type pubkey --id 01 -o hsm.pem >/dev/null 2>&1
		expect 0 "the public key pkcs11-tool writes (PEM) imports" veto key import hsm.pem -o hsm.pub
		expect 0 "the token's signature verifies" veto show hsm.dsse --key hsm.pub
		that "verifies (hsm.pub)" has "verifies (hsm.pub)"
		expect 0 "cosign with the token key" veto cosign --key "$U" e.dsse
		that "e.dsse holds the token's signature" grep -q "$(veto key id hsm.pub)" e.dsse
		expect 0 "cosign again adds nothing" veto cosign --key "$U" e.dsse
		that "and says so" has "already holds a verifying signature" err
		expect 0 "module-path typed in the URI" veto sign --key "pkcs11:token=veto;object=release?module-path=$MOD&pin-source=$T/pin" upd.json -o hsm2.dsse
		that "the same signature (pure Ed25519 is deterministic)" cmp -s hsm.dsse hsm2.dsse
		expect 0 "pin-value works" veto sign --key "pkcs11:token=veto;object=release?pin-value=1234" upd.json -o /dev/null
		that "with a warning, and the PIN never shown" eval 'has "pin-value shows the PIN" err && hasnt 1234 err'
		expect 2 "a wrong PIN" veto sign --key "pkcs11:token=veto;object=release?pin-source=$T/badpin" upd.json
		that "the token refused the PIN" has "refused the PIN" err
		expect 2 "no matching key" veto sign --key "pkcs11:token=veto;object=nosuch?pin-source=$T/pin" upd.json
		that "says none matches" has "no Ed25519 private key matches" err
		expect 2 "several matching keys" veto sign --key "pkcs11:token=veto?pin-source=$T/pin" upd.json
		that "says more than one, and how to pick" has "more than one Ed25519 private key matches this URI: add id= or object=" err
		expect 2 "a P-256 key is no Ed25519 key" veto sign --key "pkcs11:token=veto;object=p256?pin-source=$T/pin" upd.json
		expect 0 "the PIN asked on the terminal" timeout 60 python3 "$TESTS/tty_answer.py" 1234 -- "$VETO" sign --key "pkcs11:token=veto;object=release" upd.json -o hsm3.dsse
		that "asked for the token's PIN, and signed the same" eval 'has "PIN for token veto" && cmp -s hsm.dsse hsm3.dsse'
		expect 2 "no PIN and no terminal" veto sign --key "pkcs11:token=veto;object=release" upd.json </dev/null
		that "says to add pin-source" has "add pin-source=FILE" err
		expect 2 "a URI p11-kit cannot parse" veto sign --key "pkcs11:token=%zz" upd.json
		that "named as not a valid PKCS#11 URI" has "not a valid PKCS#11 URI" err
		expect 2 "--passphrase-file with a token is a usage error" veto sign --key "$U" --passphrase-file pw upd.json
		expect 2 "sign with the token refuses an envelope" veto sign --key "$U" e.dsse
		that "and names cosign" has "use cosign\|'veto cosign'" err
		expect 0 "pkcs11-tool signs the PAE (CKM_EDDSA) and attach puts it in" pkcs11-tool --module "$MOD" --token-label veto --login --pin 1234 --sign --mechanism EDDSA --id 01 -i upd.pae -o tool.sig
		expect 0 "attach of pkcs11-tool's signature" veto attach --key hsm.pub --sig tool.sig upd.json -o tool.dsse
		that "the same envelope as veto's own token signing" cmp -s tool.dsse hsm.dsse
	fi
fi

# ---- strict import: PEM ----------------------------------------------------------
veto key import agent_key.pub -o agent.vpub >/dev/null 2>&1
if ssh-keygen -e -m PKCS8 -f agent_key.pub >ssh.pem 2>/dev/null; then
	expect 0 "ssh-keygen -e -m PKCS8 output imports" veto key import ssh.pem -o ssh.vpub
	that "the same key as the OpenSSH line" test "$(veto key id ssh.vpub)" = "$(veto key id agent.vpub)"
else
	skip "this ssh-keygen cannot write an Ed25519 key as PKCS8 (OpenSSH before 9.6)"
fi
sed '2s/^MCowBQYDK2Vw/MCowBQYDK2Vu/' ossl.pub.pem >x25519.pem
expect 2 "an X25519 key, one OID byte away, is refused" veto key import x25519.pem
that "named X25519" has "X25519 key (OID 1.3.101.110), not Ed25519" err
expect 2 "a PKCS#8 secret key is refused" veto key import ossl.pem
that "named a PKCS#8 secret key" has "PKCS#8 secret key" err
openssl req -x509 -key ossl.pem -subj /CN=x -days 1 -out cert.pem 2>/dev/null
expect 2 "an X.509 certificate is refused" veto key import cert.pem
that "named a certificate" has "X.509 certificate" err
cat ossl.pub.pem ossl.pub.pem >two.pem
expect 2 "two PEM blocks are refused" veto key import two.pem
that "named several" has "several keys or blocks" err
{ echo "junk"; cat ossl.pub.pem; } >pre.pem
expect 2 "text before the block is refused" veto key import pre.pem
openssl genpkey -algorithm ed448 2>/dev/null | openssl pkey -pubout >ed448.pem 2>/dev/null
expect 2 "an Ed448 key is refused" veto key import ed448.pem
that "named Ed448" has "Ed448" err
openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 2>/dev/null | openssl pkey -pubout >p256.pem 2>/dev/null
expect 2 "an ECDSA key is refused" veto key import p256.pem
that "named ECDSA" has "ECDSA public key" err
sed 's/$/\r/' ossl.pub.pem >crlf.pem
expect 0 "a PEM file with CRLF line ends imports" veto key import crlf.pem

# ---- strict import: OpenSSH lines ---------------------------------------------------
K=$(cut -d' ' -f1,2 agent_key.pub)
KID=$(veto key id agent.vpub)
imp() { printf '%s\n' "$1" >line.pub; veto key import line.pub -o line.vpub >out 2>err; }
for line in \
	"restrict $K c" \
	"from=\"10.0.0.1,192.168.0.0/24\",no-pty $K c" \
	"from=\"a b, c\" $K c" \
	"command=\"echo \\\"hi\\\"\",restrict $K c" \
	"command=\"echo ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOMqqnkVzrm0SdG6UOoqKLsabgH5C9okWi0dh2l9GKJl\" $K c" \
	"user@example.com $K" \
	"user@example.com,*@example.org namespaces=\"file\",valid-after=\"20240101\" $K"; do
	imp "$line"
	if [ $? -eq 0 ] && [ "$(veto key id line.vpub)" = "$KID" ]; then ok "imports: ${line:0:50}"; else not_ok "imports: $line"; fi
done
printf '# my key\r\n\r\nrestrict %s c\r\n' "$K" >crlf.pub
expect 0 "an authorized_keys file with CRLF and a comment line" veto key import crlf.pub
refuse() { imp "$1"; if [ $? -eq 2 ] && has "$2" err; then ok "refused: $3"; else not_ok "refused: $3"; cat err; fi; }
refuse "cert-authority $K" "certificate authority key" "the cert-authority option"
refuse "@cert-authority *.example.com $K" "@cert-authority" "a @cert-authority line"
refuse "@revoked $K" "@revoked" "a @revoked line"
refuse "ssh-ed25519-cert-v01@openssh.com AAAA c" "OpenSSH certificate" "a certificate"
refuse "sk-ssh-ed25519@openssh.com AAAA c" "security-key (FIDO)" "an sk- key"
refuse "ssh-rsa AAAAB3NzaC1yc2E= c" "of type 'ssh-rsa'" "an RSA key"
refuse "ecdsa-sha2-nistp256 AAAA c" "of type 'ecdsa-sha2-nistp256'" "an ECDSA key"
refuse "command=\"x $K" "not closed" "an unclosed quote"
refuse "$(printf '%s\n%s' "$K" "$K")" "several lines with keys" "two keys"
refuse "ssh-ed25519 $(printf 'AAAAC3NzaC1lZDI1NTE5AAAAIOMqqnkVzrm0SdG6UOoqKLsabgH5C9okWi0dh2l9GKJlAAAA')" "decodes to 54 bytes, not the 51" "a valid base64 blob too long for the key type"
refuse "ssh-ed25519 AAAA!!!" "not valid base64" "bad base64"
refuse "hello world" "not a minisign, signify, PEM or OpenSSH" "text that is not a key"
printf 'untrusted comment: signify secret key\nRWRCSwAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=\n' >sec.sec
expect 2 "a signify secret key is refused, named" veto key import sec.sec
that "named a signify secret key" has "signify secret key" err
done_testing
