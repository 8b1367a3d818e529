#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# The message audit: runs every row of messages.txt (status | fragment |
# command) in one fixture directory and checks the exact exit status and
# that standard error (or output) holds the fragment.  A message that
# names the wrong thing, or says one thing twice, fails here.
TESTS=$(cd "$(dirname "$0")" && pwd)
. "$TESTS/lib.sh"

newkey owner; newkey vendor
head -c 100 /dev/urandom >img.bin
update upd.json 3 '[]'
policy pol.json 1 owner vendor
anchor anchor.json owner
sign upd.dsse upd.json vendor
sign pol.dsse pol.json owner
sed 's/"serial": 1,/"serial": 1, "min_security_counter": 1,/' pol.json >pol2.json 2>/dev/null
EXPIRES='"2030-01-01T00:00:01Z"' policy pol2.json 1 owner vendor
sign pol2.dsse pol2.json owner
policy pol3.json 2 owner vendor
sign pol3.dsse pol3.json owner
DEV_MODEL=other policy otherp.json 1 owner vendor
sign other.dsse otherp.json owner
veto init --state st --anchor anchor.json >/dev/null 2>&1
veto trust --state st --policy pol.dsse --now 2026-06-01T00:00:00Z >/dev/null 2>&1
veto init --state st3 --anchor anchor.json >/dev/null 2>&1
veto trust --state st3 --policy pol3.dsse --now 2026-06-01T00:00:00Z >/dev/null 2>&1
veto init --state stdk --anchor anchor.json --device-key >/dev/null 2>&1
veto init --state stlk --anchor anchor.json >/dev/null 2>&1
ln -s ../owner.key stlk/device.key
mkdir -m 700 empty.d
printf 'pw\n' >pw; printf 'bad\n' >bad; : >empty
veto keygen enc --passphrase-file pw >/dev/null
sed 's/"opslimit": 2/"opslimit": 17/' enc.key >ops.key; chmod 600 ops.key
cp owner.key loose.key; chmod 644 loose.key
sed "s/\"keyid\": \"[0-9a-f]*\"/\"keyid\": \"$(printf '%064d' 0)\"/" owner.pub >wrongid.pub
for t in feb30:2030-02-30T00:00:00Z leap:2030-06-30T23:59:60Z shape:2030-6-30T23:59:59Z; do
	EXPIRES="\"${t#*:}\"" policy "${t%%:*}.json" 1 owner vendor
done
printf '{"format": "veto.other/1"}\n' >other.json
echo '{"payloadType": "x"' >broken.dsse
sed 's/"sig": "[^"]*"/"sig": "'"$(head -c 200 /dev/zero | tr '\0' A)"'"/' upd.dsse >bigsig.dsse
{
	printf '{"payloadType": "application/vnd.veto.update+json", "payload": "e30=", "signatures": ['
	for i in $(seq 65); do [ "$i" -gt 1 ] && printf ', '; printf '{"keyid": "%064d", "sig": "%s"}' "$i" "$(head -c 86 /dev/zero | tr '\0' A)=="; done
	printf ']}\n'
} >many.dsse
# key import inputs
ssh-keygen -q -t ed25519 -N '' -C k -f sshk
K=$(cut -d' ' -f1,2 sshk.pub)
echo "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOMqqnkVzrm0SdG6UOoqKLsabgH5C9okWi0dh2l9GKJlAAAA" >long.pub
echo "ssh-ed25519 AAAA!!!" >badb64.pub
echo "cert-authority $K" >ca.pub
echo "@revoked $K" >revoked.pub
echo "ssh-ed25519-cert-v01@openssh.com AAAA c" >cert.pub
echo "sk-ssh-ed25519@openssh.com AAAA c" >sk.pub
echo "ssh-rsa AAAAB3NzaC1yc2E= c" >rsa.pub
printf '%s\n%s\n' "$K" "$K" >two.pub
openssl genpkey -algorithm ed25519 -out pkcs8.pem 2>/dev/null
printf -- '-----BEGIN FOO-----\nAAAA\n-----END FOO-----\n' >foo.pem
cp sshk openssh.sec
printf '\0\1\2' >bin.dat
echo "hello there, world" >words.txt
# signatures
veto pae upd.json -o upd.pae
openssl pkeyutl -sign -inkey pkcs8.pem -rawin -in upd.pae -out owner.sig
printf '\001\002\003\200' >short.sig
printf 'QUFB\n' >three.b64
ssh-keygen -Y sign -f sshk -n file upd.pae >/dev/null 2>&1 && cp upd.pae.sig sshsig.sig

while IFS= read -r row; do
	case $row in '#'* | '') continue ;; esac
	want=${row%% | *}; rest=${row#* | }
	frag=${rest%% | *}; cmd=${rest#* | }
	eval "$cmd" >out 2>err
	got=$?
	if [ "$got" -ne "$want" ]; then
		not_ok "$cmd (exit $got, want $want)"
	elif ! grep -qF -- "$frag" err && ! grep -qF -- "$frag" out; then
		not_ok "$cmd: no '$frag'"
	else
		ok "$cmd: $frag"
	fi
done <"$TESTS/messages.txt"
done_testing
