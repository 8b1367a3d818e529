#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""hub.py - veto in Python hub software that looks after several devices.

What examples/hub.c does, through the Python binding (bindings/python):
the hub keeps one state file per device (devices/NAME.json, replaced
atomically: written to a new file, fsynced, renamed over the old one, the
directory fsynced; a lock file held from the read of the state to the write
of the new one).  When the vendor publishes releases, the hub checks each
device's update against that device's trusted policy and installed state,
streaming the image from disk, and records the new state only for the
updates it accepts.

    hub.py [DIR]   works in a new directory under DIR (kept, for a look
                   afterwards) or under $TMPDIR or /tmp (removed at the end)

A FACTORY part plays the owner and the vendor and writes their files into
the hub's "incoming" folder; the HUB part only reads those files.  It is
also a test: it exits non-zero when a decision is not the expected one or
when a refused update changed a device's state.
"""
import base64
import contextlib
import fcntl
import hashlib
import json
import os
import shutil
import sys
import tempfile

import veto

NOW = "2026-11-21T00:00:00Z"
CHUNK = 64 * 1024

# ==========================================================================
# FACTORY: the owner's and the vendor's files, dropped into incoming/
# ==========================================================================


class Key:
    """Fixed seeds so that every run is the same; real keys come from
    `veto keygen`."""

    def __init__(self, fill):
        self.seed = bytes([ord(fill)]) * 32
        pk = veto.key_public(self.seed)
        self.keyid = veto.keyid(pk)
        self.b64 = base64.b64encode(pk).decode("ascii")


def sign_to_file(path, payload, signer, cosigners=()):
    env = veto.sign(payload.encode("utf-8"), signer.seed)
    for k in cosigners:
        env = veto.cosign(env, k.seed)
    with open(path, "wb") as f:
        f.write(env)


def write_release(keys, incoming, version, counter, features, size):
    """The vendor's build: the image written in chunks and hashed on the
    way, and its manifest, co-signed by two of the three auditors."""
    sha, b2 = hashlib.sha256(), hashlib.blake2b(digest_size=32)
    with open(os.path.join(incoming, "image-%s.bin" % version), "wb") as img:
        for off in range(0, size, 4096):
            chunk = bytes(((off + i) * 131 + counter) & 0xff
                          for i in range(min(4096, size - off)))
            sha.update(chunk)
            b2.update(chunk)
            img.write(chunk)
    manifest = {"format": "veto.update/1", "vendor": "acme", "model": "thermo-2",
                "version": version, "security_counter": counter,
                "image": {"size": size, "sha256": sha.hexdigest(),
                          "blake2b-256": b2.hexdigest()},
                "features": features, "released": "2026-11-01T00:00:00Z"}
    sign_to_file(os.path.join(incoming, "update-%s.dsse" % version), json.dumps(manifest),
                 keys["vendor"], [keys["auditor2"], keys["auditor3"]])


def factory_run(incoming):
    keys = {"owner": Key("O"), "vendor": Key("V"), "auditor1": Key("A"),
            "auditor2": Key("B"), "auditor3": Key("C")}
    ids = {n: k.keyid for n, k in keys.items()}
    anchor = {"device": {"vendor": "acme", "model": "thermo-2"},
              "keys": {ids["owner"]: {"ed25519": keys["owner"].b64}}, "threshold": 1}
    with open(os.path.join(incoming, "anchor.json"), "w", encoding="utf-8") as f:
        json.dump(anchor, f)
    policy = {"format": "veto.policy/1", "serial": 1, "expires": "2027-11-21T00:00:00Z",
              "device": {"vendor": "acme", "model": "thermo-2"},
              "keys": {k.keyid: {"ed25519": k.b64} for k in keys.values()},
              "roles": {"owner": {"keys": [ids["owner"]], "threshold": 1},
                        "vendor": {"keys": [ids["vendor"]], "threshold": 1},
                        "auditor": {"keys": [ids["auditor1"], ids["auditor2"],
                                             ids["auditor3"]], "threshold": 2}},
              "require": ["vendor", "auditor"],
              "protected_features": ["local-control", "works-with-nest>=1.0"],
              "removal_requires": ["owner"]}
    sign_to_file(os.path.join(incoming, "policy-1.dsse"), json.dumps(policy), keys["owner"])
    write_release(keys, incoming, "2.4.0", 41,
                  ["local-control", "works-with-nest@1.2", "zigbee"], 300000)
    write_release(keys, incoming, "2.5.0", 42,
                  ["local-control", "works-with-nest@1.2", "zigbee", "matter@1.3"], 310000)

# ==========================================================================
# HUB: one state file per device
# ==========================================================================


class Device:
    def __init__(self, name, devices):
        self.name = name
        self.path = os.path.join(devices, name + ".json")
        self.last = "enrolled"

    @contextlib.contextmanager
    def locked(self):
        """The device's lock, held across read, check and write."""
        fd = os.open(self.path + ".lock", os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o600)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX)
            yield
        finally:
            os.close(fd)

    def read(self):
        """The state file's bytes.  A missing file is an error, never a
        reset to factory trust."""
        with open(self.path, "rb") as f:
            return f.read()

    def write(self, data):
        """Atomic replace: a new file, fsynced, renamed over the old one,
        then the directory fsynced so the rename itself survives a power
        cut."""
        folder = os.path.dirname(self.path)
        fd, tmp = tempfile.mkstemp(prefix="." + self.name + ".", dir=folder)
        try:
            with os.fdopen(fd, "wb") as f:
                f.write(data)
                f.flush()
                os.fsync(f.fileno())
            os.replace(tmp, self.path)
        except BaseException:
            os.unlink(tmp)
            raise
        dfd = os.open(folder, os.O_RDONLY | os.O_DIRECTORY)
        try:
            os.fsync(dfd)
        finally:
            os.close(dfd)


def print_reasons(decision):
    for r in decision.reasons:
        print("      refusal  %-20s %s" % (r.code, r.text))
    for n in decision.notices:
        print("      notice   %-20s %s" % (n.code, n.text))


def read_file(path):
    with open(path, "rb") as f:
        return f.read()


def device_enrol(dev, anchor, features):
    with dev.locked(), veto.State.from_anchor(anchor, 41, features) as s:
        if os.path.exists(dev.path):
            raise FileExistsError(dev.path)
        dev.write(s.to_bytes())


def device_trust(dev, policy, now):
    with dev.locked():
        with veto.State.from_bytes(dev.read()) as s, veto.trust(s, policy, now=now) as d:
            if d.accepted:
                dev.write(d.state.to_bytes())
            print("    %-12s %s" % (dev.name, "policy serial %d trusted" % d.state.policy_serial
                                    if d.accepted else "REFUSE"))
            print_reasons(d)
            return d.accepted


def device_update(dev, update, image_path, now, version):
    """One update for one device, under its lock from the read of its state
    to the write of the new one: the stored policy governs, the image is
    streamed from disk, and only an accepted update is recorded."""
    with dev.locked():
        with veto.State.from_bytes(dev.read()) as s, open(image_path, "rb") as image, \
                veto.check(s, update, image=image, now=now, chunk_size=CHUNK) as d:
            if d.accepted:
                # The hub now sends the device the image whose digest is
                # d.image.sha256 (reading it again, it would check it).
                dev.write(veto.commit(d).to_bytes())
                dev.last = version + " installed"
                print("    %-12s %-6s ACCEPT, committed (image sha256 %s...)"
                      % (dev.name, version, d.image.sha256[:8].hex()))
            else:
                dev.last = version + " refused"
                print("    %-12s %-6s REFUSE" % (dev.name, version))
            print_reasons(d)
            return d.accepted


def print_table(devs):
    print("\n  %-12s %-14s %-7s %-8s %-32s %s" % ("device", "class", "policy", "counter",
                                                  "last update", "features"))
    counters = []
    for dev in devs:
        with dev.locked(), veto.State.from_bytes(dev.read()) as s:
            counters.append(s.security_counter)
            serial = s.policy_serial
            print("  %-12s %-14s %-7s %-8d %-32s %s" % (
                dev.name, "%s/%s" % (s.vendor, s.model),
                "none" if serial is None else serial, s.security_counter, dev.last,
                " ".join(s.features)))
    return counters


FAILURES = []


def expect(ok, what):
    if not ok:
        print("  UNEXPECTED: " + what)
        FAILURES.append(what)


def hub_run(base):
    now = veto.parse_time(NOW)
    incoming, devices = os.path.join(base, "incoming"), os.path.join(base, "devices")
    os.mkdir(incoming, 0o700)
    os.mkdir(devices, 0o700)
    print("factory: the owner's anchor and policy, the vendor's releases 2.4.0 and 2.5.0\n"
          "         -> " + incoming)
    factory_run(incoming)

    print("\n1. Enrol three thermostats, each running 2.4.0 (counter 41)")
    devs = [Device(n, devices) for n in ("living-room", "bedroom", "office")]
    anchor = read_file(os.path.join(incoming, "anchor.json"))
    for dev in devs:
        device_enrol(dev, anchor, ["local-control", "works-with-nest@1.2", "zigbee"])
        print("    %-12s state file %s" % (dev.name, dev.path))

    print("\n2. Trust the owner's policy on every device")
    policy = read_file(os.path.join(incoming, "policy-1.dsse"))
    for dev in devs:
        expect(device_trust(dev, policy, now), "the policy should be trusted")

    print("\n3. One batch: 2.5.0 for every device, then a replay of 2.4.0 to the office")
    update = read_file(os.path.join(incoming, "update-2.5.0.dsse"))
    for dev in devs:
        expect(device_update(dev, update, os.path.join(incoming, "image-2.5.0.bin"), now,
                             "2.5.0"), "2.5.0 should be accepted")
    office = devs[2]
    before = office.read()
    replay = read_file(os.path.join(incoming, "update-2.4.0.dsse"))
    expect(not device_update(office, replay, os.path.join(incoming, "image-2.4.0.bin"), now,
                             "2.4.0"), "the replayed 2.4.0 should be refused")
    same = office.read() == before
    expect(same, "the office's state file should be byte for byte what it was")
    print("    office: state file re-read after the refusal: %s"
          % ("unchanged, byte for byte" if same else "CHANGED"))
    office.last = "2.5.0 installed; 2.4.0 refused"

    for counter in print_table(devs):
        expect(counter == 42, "every device should end at counter 42")


def main(argv):
    if len(argv) > 2:
        print("usage: hub.py [DIR]", file=sys.stderr)
        return 2
    keep = len(argv) == 2
    parent = argv[1] if keep else (os.environ.get("TMPDIR") or "/tmp")
    base = tempfile.mkdtemp(prefix="veto-hub-py-", dir=parent)
    print("hub: working in %s (time %s, libveto %s)" % (base, NOW, veto.library_version()))
    try:
        hub_run(base)
    except (veto.VetoError, OSError) as e:
        print("hub: %s" % e, file=sys.stderr)
        FAILURES.append(str(e))
    finally:
        if keep:
            print("\nhub: files kept in " + base)
        else:
            shutil.rmtree(base, ignore_errors=True)
    print("\nhub example: " + ("every decision as expected" if not FAILURES else "FAILED"))
    return 0 if not FAILURES else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv))
