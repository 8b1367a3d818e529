#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# veto sign, cosign and show; standard input and output.
. "$(dirname "$0")/lib.sh"

newkey owner; newkey vendor; newkey aud; newkey stranger
head -c 5000 /dev/urandom >img.bin
policy pol.json 1 owner vendor aud
update upd.json 3 '["zigbee"]'

expect 0 "sign a policy to a file" veto sign --key owner.key pol.json -o pol.dsse
that "the envelope has the policy type" grep -q '"payloadType": "application/vnd.veto.policy+json"' pol.dsse
expect 0 "sign an update to standard output" veto sign --key vendor.key upd.json
cp out upd.dsse
that "the envelope has the update type" has '"payloadType": "application/vnd.veto.update+json"'
that "the envelope holds one signature by the vendor" has "\"keyid\": \"$(kid vendor)\""
expect 0 "sign reads the payload from standard input" veto sign --key vendor.key - <upd.json
that "the same payload signs the same (Ed25519 is deterministic)" cmp -s out upd.dsse
expect 0 "sign -o - writes standard output" veto sign --key vendor.key upd.json -o -
that "same envelope again" cmp -s out upd.dsse
expect 2 "the key and the payload cannot both be standard input" veto sign --key - - <upd.json

# Bad payloads: sign refuses what is not a valid policy or update.
echo '{"format": "veto.update/1", "vendor": "acme"' >trunc.json
expect 2 "sign refuses truncated JSON" veto sign --key vendor.key trunc.json
that "the message names the file" has "trunc.json" err
sed 's/"model"/"mode1"/' upd.json >unknown.json
expect 2 "sign refuses an unknown member" veto sign --key vendor.key unknown.json
printf '{"format": "veto.other/1"}\n' >other.json
expect 2 "sign refuses an unknown format" veto sign --key vendor.key other.json
expect 2 "sign refuses a missing payload file" veto sign --key vendor.key nosuch.json
that "the message names the missing file" has "nosuch.json" err
expect 2 "sign needs --key" veto sign upd.json
expect 2 "sign refuses a public key as the secret key" veto sign --key vendor.pub upd.json

# cosign in place
cp upd.dsse before.dsse
expect 0 "cosign adds a signature in place" veto cosign --key aud.key upd.dsse
that "the envelope now holds the auditor's signature" grep -q "$(kid aud)" upd.dsse
that "and still the vendor's" grep -q "$(kid vendor)" upd.dsse
that "cosign kept the file's mode" test "$(stat -c %a upd.dsse)" = "$(stat -c %a before.dsse)"
cp upd.dsse cosigned.dsse
expect 0 "cosign by a key that already signed exits 0" veto cosign --key aud.key upd.dsse
that "it says nothing was added" has "nothing added" err
that "the envelope is unchanged byte for byte" cmp -s upd.dsse cosigned.dsse
expect 0 "cosign by the first signer again adds nothing" veto cosign --key vendor.key upd.dsse
that "the envelope is still unchanged" cmp -s upd.dsse cosigned.dsse
expect 0 "cosign from standard input to standard output" veto cosign --key owner.key - <before.dsse
that "the output holds the new signature" has "$(kid owner)"
that "the input file was not touched" hasnt "$(kid owner)" before.dsse
expect 0 "cosign -o writes elsewhere" veto cosign --key aud.key before.dsse -o other.dsse
that "the source is unchanged" hasnt "$(kid aud)" before.dsse
that "the output is the cosigned envelope" cmp -s other.dsse cosigned.dsse
cp before.dsse target.dsse; ln -s target.dsse link.dsse
expect 0 "cosign through a symbolic link" veto cosign --key aud.key link.dsse
that "the link is still a link" test -L link.dsse
that "its target got the signature" grep -q "$(kid aud)" target.dsse
echo 'not json' >junk.dsse
cp junk.dsse junk.orig
expect 2 "cosign refuses a malformed envelope" veto cosign --key aud.key junk.dsse
that "and leaves it as it was" cmp -s junk.dsse junk.orig
expect 2 "cosign of a missing envelope" veto cosign --key aud.key nosuch.dsse

# show
expect 0 "show an update with its signers' keys" veto show cosigned.dsse --key vendor.pub --key aud.pub
that "show prints the payload type" has "payloadType: application/vnd.veto.update+json"
that "show prints the payload" has '"security_counter": 3'
that "the vendor's signature verifies" has "$(kid vendor)  verifies (vendor.pub)"
that "the auditor's signature verifies" has "$(kid aud)  verifies (aud.pub)"
expect 0 "show without keys" veto show cosigned.dsse
that "every signature is 'key unknown'" test "$(grep -c 'key unknown' out)" = 2
# A signature whose keyid names the vendor key but whose bytes are another's.
vid=$(kid vendor); sid=$(kid stranger)
veto sign --key stranger.key upd.json | sed "s/$sid/$vid/" >forged.dsse
expect 0 "show a forged signature" veto show forged.dsse --key vendor.pub
that "it does NOT verify" has "does NOT verify (vendor.pub)"
expect 0 "show a policy: checked against its own declared keys" veto show pol.dsse
that "the owner's signature verifies against the declared key" has "$(kid owner)  verifies (key declared by the policy itself, unverified)"
that "show warns that declared keys are not trust" has "note:"
expect 0 "show reads standard input" veto show - <pol.dsse
expect 2 "show refuses a malformed envelope" veto show junk.dsse
that "the message names the file" has "junk.dsse" err
expect 2 "show refuses a malformed --key" veto show pol.dsse --key junk.dsse
# A hostile payload cannot drive the terminal.
printf '{"payloadType": "text/plain", "payload": "%s", "signatures": []}\n' \
	"$(printf 'hi\033]0;pwned\007' | base64 -w0)" >esc.dsse
expect 0 "show an envelope whose payload holds escape sequences" veto show esc.dsse
that "the escape character is shown escaped" has 'hi\\x1b'
that "no raw escape character reaches the output" sh -c '! grep -q "$(printf "\033")" out'

# Options are parsed by getopt_long, held to the tool's own rules.
expect 2 "a long option must be named in full" veto show pol.dsse --ke owner.pub
that "the message names it as written" has "unknown option '--ke'" err
expect 2 "short options do not cluster or take an attached value" veto sign --key owner.key pol.json -ox.dsse
that "the message names it as written" has "unknown option '-ox.dsse'" err
expect 0 "options may follow the operands even under POSIXLY_CORRECT" env POSIXLY_CORRECT=1 "$VETO" show pol.dsse --key owner.pub
that "the --key after the operand was taken" has "verifies (owner.pub)"
expect 0 "-- ends the options" veto show --key owner.pub -- pol.dsse

done_testing
