#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# (1.1) Signed receipts from the command line (SPEC 7, 9.1, 10): init
# --device-key and its files, receipts required for changes, every field of
# an accept and a refuse of each kind, the chain with its gaps and forks,
# tampered and foreign receipts, OUT's place, what a failed write leaves,
# and the nonce's rule.  Fields are read with python3 (tests/cli/jget.py).
TESTS=$(cd "$(dirname "$0")" && pwd)
. "$TESTS/lib.sh"

state_is() { test "$(sha st/state.json)" = "$1"; }

newkey owner; newkey vendor; newkey other
printf 'pw\n' >pw; printf 'wrong\n' >wrong
veto keygen enc --passphrase-file pw >/dev/null
head -c 2000 /dev/urandom >img.bin
head -c 10 /dev/urandom >short.bin
IMGSHA=$(sha img.bin)
anchor anchor.json owner
for s in 1 2 3; do policy p$s.json $s owner vendor; sign p$s.dsse p$s.json owner; done
EXPIRES='"2026-01-01T00:00:00Z"' policy pold.json 4 owner vendor
sign pold.dsse pold.json owner
update u3.json 3 '["zigbee"]'; sign u3.dsse u3.json vendor
update u4.json 4 '["zigbee"]'; sign u4.dsse u4.json vendor
update u2.json 2 '[]'; sign u2.dsse u2.json vendor
P1=$(sha p1.json); U3=$(sha u3.json)
POL1="{\"serial\": 1, \"sha256\": \"$P1\"}"
UPD3="{\"sha256\": \"$U3\", \"security_counter\": 3, \"version\": \"v3\"}"
DEV='{"vendor": "acme", "model": "thermo-2"}'
mkdir r

expect 0 "veto --help lists status and receipt verify" veto --help
that "status" has "^  status --state DIR"
that "receipt verify" has "^  receipt verify --key DEVICE.pub RECEIPT"
expect 0 "veto receipt --help" veto receipt --help
that "prints the usage of receipt verify" has "^usage: veto receipt verify --key DEVICE.pub RECEIPT... \[--json\]"
expect 0 "veto receipt verify --help" veto receipt verify --help
that "the same" has "^usage: veto receipt verify"
for c in init trust check commit; do
	expect 0 "veto $c --help" veto $c --help
	that "names --receipt" has "^  --receipt OUT"
done

# -- init --device-key ------------------------------------------------------------
expect 0 "init --device-key --receipt enrols, makes the key, signs the first receipt" \
	veto init --state st --anchor anchor.json --device-key --receipt r/1.dsse --nonce n-1 --now $NOW
DK=$(veto key id st/device.pub)
that "it prints the device keyid" has "device key $DK: st/device.key signs the receipts"
that "device.key has mode 0600" test "$(stat -c %a st/device.key)" = 600
that "device.pub has mode 0644 (less the umask)" test "$(stat -c %a st/device.pub)" = 644
that "device.key is a plain veto secret key, never encrypted" has '"ed25519-seed": ' st/device.key
expect 0 "of the same pair as device.pub" veto key id st/device.key
that "... the keyid printed" test "$(cat out)" = "$DK"
that "nothing else is left in the state directory" test "$(ls -A st | tr '\n' ' ')" = ".lock device.key device.pub state.json "
S1=$(sha st/state.json)
that "the receipt is a DSSE envelope of the receipt type" has '"payloadType": "application/vnd.veto.receipt+json"' r/1.dsse
fields r/1.dsse "a receipt has the members of SPEC 10, in order" \
	"@keys=format kind device time nonce state_before state_after policy update image revocations decision refusals notices"
fields r/1.dsse "init: every field" format='"veto.receipt/1"' kind='"init"' device="$DEV" \
	time="\"$NOW\"" nonce='"n-1"' state_before=null state_after="\"$S1\"" policy=null update=null \
	image=null revocations='[]' decision=null refusals='[]' notices='[]'

veto init --state s0 --anchor anchor.json >/dev/null
expect 0 "init --state DIR --device-key gives an enrolled device a key" veto init --state s0 --device-key
that "and prints its keyid alone" test "$(cat out)" = "$(veto key id s0/device.pub)"
expect 2 "never a second one" veto init --state s0 --device-key
that "naming the key file" has "s0 already holds a device key (s0/device.key); veto never overwrites a key file" err
expect 2 "a directory without a state gets no key" veto init --state nowhere --device-key
that "and is not made" test ! -e nowhere
expect 2 "without --anchor, init takes --device-key alone" veto init --state s0 --device-key --receipt r/x.dsse
that "saying so" has "without --anchor, init only gives an enrolled device a key" err
expect 2 "init --receipt needs a key" veto init --state si --anchor anchor.json --receipt r/si.dsse
that "naming both ways to give one" has "--receipt OUT needs a key to sign it: give --device-key (the new device key signs it) or --receipt-key K.key" err
expect 0 "init --receipt --receipt-key signs with that key" \
	veto init --state si --anchor anchor.json --receipt r/si.dsse --receipt-key other.key
that "and makes no device key" test ! -e si/device.key
expect 0 "that receipt verifies under other.pub" veto receipt verify --key other.pub r/si.dsse
expect 2 "an enrolment whose receipt cannot be written" \
	veto init --state si3 --anchor anchor.json --device-key --receipt nodir/x.dsse
that "leaves no directory behind" test ! -e si3

# never follow, never block: device.key and device.pub are regular files
veto init --state sl --anchor anchor.json >/dev/null
cp st/device.key elsewhere.key
ln -s ../elsewhere.key sl/device.key
expect 2 "check refuses a device.key that is a symbolic link" veto check --state sl --policy p1.dsse --update u3.dsse --now $NOW
that "naming it" has "sl/device.key is a symbolic link, not a regular file: veto never follows or opens one in a state directory" err
expect 2 "so does status" veto status --state sl
expect 2 "and trust" veto trust --state sl --policy p1.dsse --now $NOW --receipt r/sl.dsse
expect 2 "init --device-key writes nothing through it" veto init --state sl --device-key
that "the link's target is untouched" cmp -s elsewhere.key st/device.key
rm sl/device.key
ln -s ../st/device.pub sl/device.pub
expect 2 "a device.pub that is a symbolic link" veto check --state sl --policy p1.dsse --update u3.dsse --now $NOW
that "is named" has "sl/device.pub is a symbolic link, not a regular file" err
rm sl/device.pub
mkfifo sl/device.key
expect 2 "a FIFO as device.key is refused at once" timeout 20 "$VETO" commit --state sl --policy p1.dsse --update u3.dsse --image img.bin --now $NOW --receipt r/sl.dsse
that "named as a FIFO" has "sl/device.key is a FIFO, not a regular file" err
rm sl/device.key
cp st/device.key sl/device.key; chmod 644 sl/device.key
expect 2 "a device.key others can read does not sign" veto check --state sl --policy p1.dsse --update u3.dsse --now $NOW --receipt r/sl.dsse
that "saying how to fix it" has "run 'chmod 600 sl/device.key'" err
chmod 600 sl/device.key
veto key passphrase sl/device.key --new-passphrase-file pw 2>/dev/null
expect 2 "an encrypted device.key does not sign" veto check --state sl --policy p1.dsse --update u3.dsse --now $NOW --receipt r/sl.dsse
that "a device key is never encrypted" has "sl/device.key is encrypted, and a device key never is" err

# -- every change of state leaves a receipt ------------------------------------------
expect 2 "trust without --receipt, in a directory with a device key" veto trust --state st --policy p1.dsse --now $NOW
that "says what to add" has "veto trust: st holds a device key (st/device.key), and every change of state leaves a receipt: add --receipt OUT (a file outside st)" err
that "and changes nothing" state_is "$S1"
expect 2 "commit likewise" veto commit --state st --policy p1.dsse --update u3.dsse --image img.bin --now $NOW
that "with the same message" has "veto commit: st holds a device key (st/device.key), and every change of state leaves a receipt" err
that "and changes nothing" state_is "$S1"
expect 0 "check needs none" veto check --state st --policy p1.dsse --update u3.dsse --now $NOW

# -- trust ---------------------------------------------------------------------------
expect 0 "trust --receipt" veto trust --state st --policy p1.dsse --now $NOW --receipt r/2.dsse --report rep.json
S2=$(sha st/state.json)
fields r/2.dsse "trust accept: every field" kind='"trust"' device="$DEV" time="\"$NOW\"" nonce=null \
	state_before="\"$S1\"" state_after="\"$S2\"" policy="$POL1" update=null image=null \
	revocations='[]' decision='"accept"' refusals='[]' notices='[]'
expect 1 "a refused trust" veto trust --state st --policy pold.dsse --now $NOW --receipt r/tr.dsse --report rep.json
that "changes nothing" state_is "$S2"
fields r/tr.dsse "trust refuse: every field" kind='"trust"' time="\"$NOW\"" nonce=null state_before="\"$S2\"" \
	state_after=null policy=null update=null image=null revocations='[]' decision='"refuse"' \
	refusals.0.code='"policy-expired"' notices='[]'
that "its refusals are exactly the report's" test "$(jf r/tr.dsse refusals)" = "$(jf rep.json refusals)"

# -- check -----------------------------------------------------------------------------
expect 0 "check --receipt --nonce" veto check --state st --update u3.dsse --image img.bin --now $NOW \
	--receipt r/3.dsse --nonce 'chk-1!~' --json
fields r/3.dsse "check accept: every field" kind='"check"' device="$DEV" time="\"$NOW\"" \
	nonce='"chk-1!~"' state_before="\"$S2\"" state_after=null policy="$POL1" update="$UPD3" \
	image="{\"size\": 2000, \"sha256\": \"$IMGSHA\"}" revocations='[]' decision='"accept"' refusals='[]'
that "its notices are exactly check --json's" test "$(jf r/3.dsse notices)" = "$(jf out notices)"
that "check wrote no state" state_is "$S2"
expect 1 "a refused check" veto check --state st --update u3.dsse --image short.bin --now $NOW --receipt r/c1.dsse --json
fields r/c1.dsse "check refuse: every field" kind='"check"' state_before="\"$S2\"" state_after=null \
	policy="$POL1" update="$UPD3" revocations='[]' decision='"refuse"' refusals.0.code='"image-size"'
that "its refusals are exactly check --json's" test "$(jf r/c1.dsse refusals)" = "$(jf out refusals)"
expect 2 "check --anchor --receipt needs --receipt-key" veto check --anchor anchor.json --policy p1.dsse --update u3.dsse --now $NOW --receipt r/ca.dsse
that "there being no device key" has "--receipt r/ca.dsse: no key to sign it with: give --receipt-key K.key" err
expect 0 "check --anchor --receipt --receipt-key" veto check --anchor anchor.json --policy p1.dsse --update u3.dsse --now $NOW --receipt r/ca.dsse --receipt-key other.key
fields r/ca.dsse "check from an anchor: no state before" kind='"check"' state_before=null state_after=null policy="$POL1" decision='"accept"'

# -- commit ----------------------------------------------------------------------------
expect 0 "commit --receipt" veto commit --state st --update u3.dsse --image img.bin --now $NOW --receipt r/4.dsse
S3=$(sha st/state.json)
fields r/4.dsse "commit accept: every field" kind='"commit"' device="$DEV" time="\"$NOW\"" nonce=null \
	state_before="\"$S2\"" state_after="\"$S3\"" policy="$POL1" update="$UPD3" \
	image="{\"size\": 2000, \"sha256\": \"$IMGSHA\"}" revocations='[]' decision='"accept"' refusals='[]'
expect 1 "a refused commit" veto commit --state st --update u2.dsse --image img.bin --now $NOW --receipt r/5.dsse --nonce c-2
that "changes nothing" state_is "$S3"
fields r/5.dsse "commit refuse: every field" kind='"commit"' nonce='"c-2"' state_before="\"$S3\"" \
	state_after=null policy="$POL1" update.security_counter=2 decision='"refuse"' \
	refusals.0.code='"rollback"' notices.0.code='"feature-dropped"'
expect 0 "trust the next policy" veto trust --state st --policy p2.dsse --now $NOW --receipt r/6.dsse
S4=$(sha st/state.json)

# -- the chain ---------------------------------------------------------------------------
CHAIN="r/1.dsse r/2.dsse r/tr.dsse r/3.dsse r/4.dsse r/5.dsse r/6.dsse"
# shellcheck disable=SC2086
expect 0 "init, trust, refused trust, check, commit, refused commit, trust: verified" veto receipt verify --key st/device.pub $CHAIN
that "one line per receipt and a summary" test "$(wc -l <out)" -eq 8
that "the summary" has "7 receipts: all verify, one chain without gap or fork"
that "a line names file, kind, time and decision" has "r/4.dsse: commit $NOW accept: ok"
that "a refused commit breaks nothing" has "r/5.dsse: commit $NOW refuse: ok"
that "an init has no decision" has "r/1.dsse: init $NOW: ok"
# shellcheck disable=SC2086
expect 0 "--json" veto receipt verify --key st/device.pub $CHAIN --json
fields out "receipt verify --json: the counts" receipts=7 verified=7 gaps=0 forks=0
fields out "receipt verify --json: one result" "@keys=receipts verified gaps forks results" \
	results.4.receipt='"r/4.dsse"' results.4.verified=true results.4.kind='"commit"' \
	results.4.time="\"$NOW\"" results.4.decision='"accept"' results.4.nonce=null \
	results.4.state_before="\"$S2\"" results.4.state_after="\"$S3\"" results.4.problems='[]' \
	results.4.detail=null results.0.decision=null

expect 1 "a missing receipt is a gap" veto receipt verify --key st/device.pub r/1.dsse r/4.dsse r/6.dsse
that "named on the receipt after it" has "r/4.dsse: commit $NOW accept: GAP: it starts from a state that no earlier receipt wrote (a receipt is missing before it)"
that "the rest is fine" has "r/6.dsse: trust $NOW accept: ok"
that "and counted" has "3 receipts: 3 verify, 0 do not; 1 gap, 0 forks"
expect 1 "--json says the same" veto receipt verify --key st/device.pub r/1.dsse r/4.dsse r/6.dsse --json
fields out "a gap in JSON" gaps=1 forks=0 results.1.problems='["gap"]' results.2.problems='[]'
expect 0 "a chain may start anywhere" veto receipt verify --key st/device.pub r/4.dsse r/5.dsse r/6.dsse

cp -a st stbak
expect 0 "a commit" veto commit --state st --update u4.dsse --image img.bin --now $NOW --receipt r/7.dsse
rm -rf st
cp -a stbak st
that "the state restored from an old copy" state_is "$S4"
expect 0 "another change after the restore" veto trust --state st --policy p3.dsse --now $NOW --receipt r/8.dsse
expect 1 "is a fork" veto receipt verify --key st/device.pub r/1.dsse r/2.dsse r/4.dsse r/6.dsse r/7.dsse r/8.dsse
that "named on the later receipt" has "r/8.dsse: trust $NOW accept: FORK: an earlier receipt started from the same state and also wrote one (the state was restored from an old copy)"
that "and counted" has "6 receipts: 6 verify, 0 do not; 0 gaps, 1 fork"
expect 1 "--json" veto receipt verify --key st/device.pub r/6.dsse r/7.dsse r/8.dsse --json
fields out "a fork in JSON" forks=1 results.2.problems='["fork"]' results.1.problems='[]'

python3 - <<'PY'
import base64, json
d = json.load(open("r/4.dsse"))
p = base64.b64decode(d["payload"]).replace(b'"accept"', b'"refuse"')
d["payload"] = base64.b64encode(p).decode()
json.dump(d, open("r/4x.dsse", "w"))
PY
expect 1 "a tampered receipt does not verify" veto receipt verify --key st/device.pub r/2.dsse r/4x.dsse r/6.dsse
that "named, with why" has "r/4x.dsse: does NOT verify: its signature by the device key does not verify: the receipt was changed after it was signed"
that "it counts for nothing in the chain" has "r/6.dsse: trust $NOW accept: GAP"
expect 1 "--json" veto receipt verify --key st/device.pub r/4x.dsse --json
fields out "a tampered receipt in JSON" verified=0 results.0.verified=false results.0.kind=null \
	results.0.problems='["signature"]'
OK=$(veto key id other.pub)
expect 1 "a receipt signed by another key" veto receipt verify --key st/device.pub r/1.dsse r/ca.dsse
that "names that key" has "r/ca.dsse: does NOT verify: signed by another key ($OK), not by $DK"
expect 1 "--json" veto receipt verify --key st/device.pub r/ca.dsse --json
fields out "another key in JSON" results.0.problems='["other-key"]'
expect 1 "an update envelope is no receipt" veto receipt verify --key st/device.pub u3.dsse
that "named as not a valid receipt" has "u3.dsse: does NOT verify: not a valid receipt"
expect 2 "a receipt file that cannot be read" veto receipt verify --key st/device.pub r/1.dsse r/missing.dsse
that "is named" has "cannot open r/missing.dsse" err
that "and nothing is judged" test ! -s out
expect 2 "receipt verify needs --key" veto receipt verify r/1.dsse
expect 2 "and a receipt" veto receipt verify --key st/device.pub
expect 2 "a --key that is no public key" veto receipt verify --key st/device.key r/1.dsse
that "says so" has "st/device.key: this is a secret key file: give its public key (.pub) file" err
expect 2 "receipt has one subcommand" veto receipt show r/1.dsse
that "naming it" has "unknown receipt subcommand 'show' (use 'verify')" err

# -- where the receipt goes ----------------------------------------------------------------
touch st/x.dsse
expect 2 "--receipt inside the state directory" veto check --state st --update u3.dsse --now $NOW --receipt st/x.dsse
that "is refused, naming it" has "--receipt st/x.dsse: lies in the state directory st, which holds only the state" err
that "and nothing is removed" test -f st/x.dsse
expect 2 "however it is spelled" veto commit --state st --update u4.dsse --image img.bin --now $NOW --receipt r/../st/x.dsse
that "still there" test -f st/x.dsse
rm st/x.dsse
S5=$(sha st/state.json)
expect 2 "--receipt into a directory that does not exist" veto commit --state st --update u4.dsse --image img.bin --now $NOW --receipt nodir/r.dsse
that "is refused before anything is decided" has "--receipt nodir/r.dsse: cannot open directory nodir" err
that "the state is unchanged" state_is "$S5"
expect 2 "--receipt - is refused" veto check --state st --update u3.dsse --now $NOW --receipt -
that "it is a file" has "--receipt needs a file" err

# -- what a failed write leaves ------------------------------------------------------------
echo stale >r/w.dsse
# (through a pipe: under the limit, a message written to a file would be lost too)
(ulimit -f 0; exec "$VETO" commit --state st --update u4.dsse --image img.bin --now $NOW --receipt r/w.dsse) 2>&1 >/dev/null | cat >err
rc=${PIPESTATUS[0]}
that "a receipt that cannot be written is exit 2 (got $rc)" test "$rc" -eq 2
that "saying why" has "--receipt r/w.dsse: cannot write the receipt: File too large" err
that "before the state is written" state_is "$S5"
that "the old OUT is gone, no temporary is left" test "$(ls -A r | grep -c -v '\.dsse$')" -eq 0 -a ! -e r/w.dsse
mkdir -p st/.state.json.tmp/x
echo stale >r/w.dsse
expect 2 "a state that cannot be written" veto commit --state st --update u4.dsse --image img.bin --now $NOW --receipt r/w.dsse
that "is named" has "cannot remove stale st/.state.json.tmp" err
that "drops the receipt: no OUT" test ! -e r/w.dsse
that "and no temporary file" test "$(ls -A r | grep -c -v '\.dsse$')" -eq 0
that "the state is unchanged" state_is "$S5"
rm -r st/.state.json.tmp
mkdir -p r/d.dsse/x
expect 2 "OUT that is a directory" veto commit --state st --update u4.dsse --image img.bin --now $NOW --receipt r/d.dsse
that "is refused before the state is written" state_is "$S5"
rmdir r/d.dsse/x r/d.dsse
echo stale >r/w.dsse
expect 2 "a run that exits 2" veto commit --state st --update u4.dsse --image missing.bin --now $NOW --receipt r/w.dsse
that "removes an existing OUT" test ! -e r/w.dsse
echo stale >r/w.dsse
expect 2 "a receipt key that cannot be read" veto commit --state st --update u4.dsse --image img.bin --now $NOW --receipt r/w.dsse --receipt-key missing.key
that "is named" has "cannot open missing.key" err
that "before anything is decided" state_is "$S5"
that "and so is a stale OUT" test ! -e r/w.dsse
expect 2 "a wrong passphrase" veto commit --state st --update u4.dsse --image img.bin --now $NOW --receipt r/w.dsse --receipt-key enc.key --passphrase-file wrong
that "is named" has "enc.key: wrong passphrase" err
that "before anything is decided" state_is "$S5"
expect 0 "an encrypted --receipt-key opens with --passphrase-file" veto commit --state st --update u4.dsse --image img.bin --now $NOW --receipt r/e.dsse --receipt-key enc.key --passphrase-file pw
expect 0 "and signs" veto receipt verify --key enc.pub r/e.dsse
expect 2 "--passphrase-file is for --receipt-key only" veto check --state st --update u3.dsse --now $NOW --receipt r/w.dsse --passphrase-file pw
that "the device key is never encrypted" has "--passphrase-file opens an encrypted --receipt-key; the device key DIR/device.key is never encrypted" err
expect 2 "--receipt-key alone" veto check --state st --update u3.dsse --now $NOW --receipt-key other.key
that "belongs to a receipt" has "--receipt-key belongs to a receipt: give --receipt OUT too" err

veto init --state sc --anchor anchor.json --device-key >/dev/null
echo '{"format": ' >sc/state.json
echo stale >r/mc.dsse
expect 1 "a check on a corrupt state is still a refusal" veto check --state sc --policy p1.dsse --update u3.dsse --now $NOW --receipt r/mc.dsse
that "with no receipt, and it says so" has "--receipt r/mc.dsse: no receipt was written: the refusal came before any decision from a readable state" err
that "a stale OUT is removed" test ! -e r/mc.dsse
expect 1 "a trust on a corrupt state" veto trust --state sc --policy p1.dsse --now $NOW --receipt r/mc.dsse
that "writes no receipt either" test ! -e r/mc.dsse

# -- the nonce -------------------------------------------------------------------------------
N128=$(printf 'x%.0s' $(seq 128))
expect 0 "a nonce of 128 characters" veto check --state st --update u4.dsse --now $NOW --receipt r/n.dsse --nonce "$N128"
fields r/n.dsse "is carried as given" nonce="\"$N128\""
expect 0 "every character from ! to ~" veto check --state st --update u4.dsse --now $NOW --receipt r/n.dsse --nonce '!"#$%&()*+,-./09:;<=>?@AZ[\]^_`az{|}~'"'"
fields r/n.dsse "... carried as given" nonce='"!\"#$%&()*+,-./09:;<=>?@AZ[\\]^_`az{|}~'"'"'"'
expect 2 "129 characters are too many" veto check --state st --update u4.dsse --now $NOW --receipt r/n.dsse --nonce "${N128}x"
that "saying the rule" has "--nonce is 129 characters long; a nonce is 1 to 128 characters" err
expect 2 "a space is not allowed" veto check --state st --update u4.dsse --now $NOW --receipt r/n.dsse --nonce 'a b'
that "naming the character" has "--nonce: character 2 is not one of U+0021..U+007E" err
expect 2 "nor a character past ASCII" veto check --state st --update u4.dsse --now $NOW --receipt r/n.dsse --nonce 'é'
that "naming it" has "--nonce: character 1 is not one of U+0021..U+007E" err
expect 2 "nor an empty nonce" veto check --state st --update u4.dsse --now $NOW --receipt r/n.dsse --nonce=
expect 2 "--nonce without --receipt" veto trust --state st --policy p3.dsse --now $NOW --nonce abc
that "belongs to a receipt" has "--nonce belongs to a receipt: give --receipt OUT too" err

done_testing
