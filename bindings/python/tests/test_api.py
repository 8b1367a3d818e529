# SPDX-License-Identifier: Apache-2.0
"""The library itself, errors, time, keys and signing."""
import base64
import hashlib
import json
import os

import pytest

import veto
import veto.errors
from conftest import NOW, vec


def test_library_loaded_from_env_and_version():
    assert veto.library_version() == veto.__version__
    if os.environ.get("VETO_LIBRARY"):
        assert veto.library_path == os.environ["VETO_LIBRARY"]


def test_every_status_has_its_class_and_name():
    want = {
        "VETO_REFUSED": veto.RefusedError, "VETO_E_MALFORMED": veto.MalformedError,
        "VETO_E_TYPE": veto.PayloadTypeError, "VETO_E_LIMIT": veto.LimitError,
        "VETO_E_KEY": veto.BadKeyError, "VETO_E_CRYPTO": veto.CryptoError,
        "VETO_E_ARG": veto.ArgumentError, "VETO_E_SEQUENCE": veto.SequenceError,
        "VETO_E_NO_POLICY": veto.NoPolicyError, "VETO_E_BUFFER": veto.BufferTooSmallError,
        "VETO_E_NOMEM": veto.OutOfMemoryError,
        "VETO_E_PASSPHRASE": veto.errors.PassphraseError,
        "VETO_E_SIGNATURE": veto.errors.SignatureError,
    }
    seen = {}
    for status in range(1, 500):
        name = veto.errors.status_name(status)
        if name != "unknown":
            seen[name] = status
            err = veto.errors.error_for(status)
            assert type(err) is want[name]  # pylint: disable=unidiomatic-typecheck
            assert err.name == name and err.status == status
            assert isinstance(err, veto.VetoError)
    assert sorted(seen) == sorted(want)
    assert isinstance(veto.errors.error_for(400), MemoryError)
    assert type(veto.errors.error_for(999)) is veto.VetoError  # pylint: disable=unidiomatic-typecheck


def test_time():
    assert veto.parse_time("1970-01-01T00:00:00Z") == 0
    assert veto.format_time(veto.parse_time(NOW)) == NOW
    with pytest.raises(veto.MalformedError) as e:
        veto.parse_time("2026-02-30T00:00:00Z")
    assert e.value.name == "VETO_E_MALFORMED"
    with pytest.raises(veto.ArgumentError) as e:
        veto.format_time(1 << 40)
    assert e.value.name == "VETO_E_ARG"


def test_keys():
    pk, seed = veto.keygen()
    assert len(pk) == 32 and len(seed) == 32
    assert veto.key_public(seed) == pk
    assert veto.keyid(pk) == hashlib.sha256(pk).hexdigest()
    veto.check_key(pk)
    with pytest.raises(veto.BadKeyError) as e:
        veto.check_key(bytes(32))
    assert e.value.name == "VETO_E_KEY"
    with pytest.raises(ValueError):
        veto.keyid(b"short")


def test_sign_bad_payload_names_the_problem():
    _, seed = veto.keygen()
    with pytest.raises(veto.MalformedError) as e:
        veto.sign(b'{"format": "veto.nothing/1"}', seed)
    assert e.value.name == "VETO_E_MALFORMED"
    assert e.value.detail


def _world():
    """An owner, a vendor and two auditors, and their policy and update,
    signed through the binding."""
    keys = {n: veto.keygen() for n in ("owner", "vendor", "aud1", "aud2")}
    ids = {n: veto.keyid(pk) for n, (pk, _) in keys.items()}
    b64 = {n: base64.b64encode(pk).decode() for n, (pk, _) in keys.items()}
    entry = {ids[n]: {"ed25519": b64[n]} for n in keys}
    anchor = {"device": {"vendor": "acme", "model": "thermo-2"},
              "keys": {ids["owner"]: entry[ids["owner"]]}, "threshold": 1}
    policy = {"format": "veto.policy/1", "serial": 1, "expires": "2027-11-21T00:00:00Z",
              "device": {"vendor": "acme", "model": "thermo-2"}, "keys": entry,
              "roles": {"owner": {"keys": [ids["owner"]], "threshold": 1},
                        "vendor": {"keys": [ids["vendor"]], "threshold": 1},
                        "auditor": {"keys": [ids["aud1"], ids["aud2"]], "threshold": 2}},
              "require": ["vendor", "auditor"], "protected_features": ["local-control"],
              "removal_requires": ["owner"]}
    image = bytes(range(256)) * 40
    update = {"format": "veto.update/1", "vendor": "acme", "model": "thermo-2",
              "version": "1.1.0", "security_counter": 2,
              "image": {"size": len(image), "sha256": hashlib.sha256(image).hexdigest()},
              "features": ["local-control"]}
    pol_env = veto.sign(json.dumps(policy).encode(), keys["owner"][1])
    upd_env = veto.sign(json.dumps(update).encode(), keys["vendor"][1])
    return keys, json.dumps(anchor).encode(), pol_env, upd_env, image


def test_sign_cosign_check():
    keys, anchor, pol_env, upd_env, image = _world()
    with veto.State.from_anchor(anchor, 1, ["local-control"]) as s:
        d = veto.check(s, upd_env, image=image, policies=pol_env, now=NOW)
        assert d.codes == ["cosignature-missing"]
        assert (d.reasons[0].role, d.reasons[0].have, d.reasons[0].need) == ("auditor", 0, 2)
        env = veto.cosign(upd_env, keys["aud1"][1])
        assert veto.cosign(env, keys["aud1"][1]) == env  # already signed: unchanged
        env = veto.cosign(env, keys["aud2"][1])
        with veto.check(s, env, image=image, policies=pol_env, now=NOW) as ok:
            assert ok.accepted and ok.state.security_counter == 2
