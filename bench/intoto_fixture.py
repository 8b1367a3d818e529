#!/usr/bin/python3
# SPDX-License-Identifier: Apache-2.0
"""The in-toto peer of scripts/bench.sh, made with in-toto's own Python API.

Usage: intoto_fixture.py KEYDIR IMAGEDIR OUTDIR

From the veto secret key files KEYDIR/{owner,vendor,aud1,aud2,aud3}.key (the
same Ed25519 keys the veto side uses), writes to OUTDIR:
  keys/owner.pub          the owner's public key (securesystemslib JSON)
  image.layout            layout signed by the owner: step "release" (the
                          vendor, threshold 1) creates image.bin; step "audit"
                          (3 auditors, threshold 2) takes image.bin, which must
                          match the release's product; inspection "check-image"
                          hashes the image.bin found where in-toto-verify runs
                          and matches it with the release's product;
  manifest.layout         the same without the inspection (metadata only);
  links/*.link            release by the vendor, audit by auditors 1 and 2.
IMAGEDIR holds image.bin (and nothing else): the links are recorded there.
"""
import base64
import binascii
import json
import os
import sys

import nacl.signing
import securesystemslib.keys as sslkeys
from in_toto import runlib
from in_toto.models.layout import Inspection, Layout, Step
from in_toto.models.metadata import Metablock


def key_from_veto(path):
    """A securesystemslib Ed25519 key dict from a veto .key file."""
    with open(path, encoding="utf-8") as f:
        seed = base64.b64decode(json.load(f)["ed25519-seed"])
    public = bytes(nacl.signing.SigningKey(seed).verify_key)
    keyval = {"public": binascii.hexlify(public).decode(), "private": ""}
    keyid = sslkeys._get_keyid("ed25519", "ed25519", keyval)  # pylint: disable=protected-access
    keyval["private"] = binascii.hexlify(seed).decode()
    return {"keytype": "ed25519", "scheme": "ed25519", "keyid": keyid,
            "keyid_hash_algorithms": ["sha256", "sha512"], "keyval": keyval}


def public(key):
    pub = sslkeys.format_keyval_to_metadata(
        key["keytype"], key["scheme"], {"public": key["keyval"]["public"]}, private=False)
    pub["keyid"] = key["keyid"]
    return pub


def layout(owner, vendor, auditors, with_inspection):
    lay = Layout()
    lay.set_relative_expiration(years=10)
    lay.add_functionary_key(public(vendor))
    for a in auditors:
        lay.add_functionary_key(public(a))
    release = Step(name="release")
    release.pubkeys = [vendor["keyid"]]
    release.threshold = 1
    release.expected_command = ["true"]
    release.expected_materials = [["DISALLOW", "*"]]
    release.expected_products = [["CREATE", "image.bin"], ["DISALLOW", "*"]]
    audit = Step(name="audit")
    audit.pubkeys = [a["keyid"] for a in auditors]
    audit.threshold = 2
    audit.expected_command = ["true"]
    audit.expected_materials = [
        ["MATCH", "image.bin", "WITH", "PRODUCTS", "FROM", "release"], ["DISALLOW", "*"]]
    audit.expected_products = [["DISALLOW", "*"]]
    lay.steps = [release, audit]
    if with_inspection:
        check = Inspection(name="check-image")
        check.run = ["true"]
        rule = ["MATCH", "image.bin", "WITH", "PRODUCTS", "FROM", "release"]
        check.expected_materials = [rule, ["DISALLOW", "*"]]
        check.expected_products = [rule, ["DISALLOW", "*"]]
        lay.inspect = [check]
    block = Metablock(signed=lay)
    block.sign(owner)
    return block


def main():
    keydir, imagedir, out = sys.argv[1:4]
    keys = {n: key_from_veto(os.path.join(keydir, n + ".key"))
            for n in ("owner", "vendor", "aud1", "aud2", "aud3")}
    auditors = [keys["aud1"], keys["aud2"], keys["aud3"]]
    os.makedirs(os.path.join(out, "keys"), exist_ok=True)
    os.makedirs(os.path.join(out, "links"), exist_ok=True)
    with open(os.path.join(out, "keys", "owner.pub"), "w", encoding="utf-8") as f:
        json.dump(public(keys["owner"]), f)
    layout(keys["owner"], keys["vendor"], auditors, True).dump(
        os.path.join(out, "image.layout"))
    layout(keys["owner"], keys["vendor"], auditors, False).dump(
        os.path.join(out, "manifest.layout"))
    links = os.path.abspath(os.path.join(out, "links"))
    here = os.getcwd()
    os.chdir(imagedir)
    try:
        # in_toto_run signs the link and writes it as STEP.KEYID8.link.
        runlib.in_toto_run("release", [], ["image.bin"], ["true"],
                           signing_key=keys["vendor"], metadata_directory=links)
        for a in auditors[:2]:
            runlib.in_toto_run("audit", ["image.bin"], [], ["true"], signing_key=a,
                               metadata_directory=links)
    finally:
        os.chdir(here)


if __name__ == "__main__":
    main()
