# SPDX-License-Identifier: Apache-2.0
"""State in and out: enrolment, the document round trip, lifetime."""
import gc

import pytest

import veto
from conftest import VECTORS, vec


@pytest.mark.parametrize("name", ["state-p1.json", "state-p2.json", "state-p3.json",
                                  "state-fresh.json", "state-p1-counter-50.json"])
def test_round_trip(name):
    data = vec("cases/" + name)
    with veto.State.from_bytes(data) as s:
        out = s.to_bytes()
        assert out.endswith(b"\n")
        with veto.State.from_bytes(out) as again:
            assert again.to_bytes() == out
            assert again.features == s.features
            assert again.security_counter == s.security_counter


def test_from_anchor():
    with veto.State.from_anchor(vec("cases/anchor.json"), 41,
                                ["local-control", "works-with-nest@1.2", "zigbee"]) as s:
        assert (s.vendor, s.model) == ("acme", "thermo-2")
        assert s.security_counter == 41
        assert s.policy_serial is None
        assert s.features == ("local-control", "works-with-nest@1.2", "zigbee")
        assert "acme/thermo-2" in repr(s)


def test_malformed_anchor_is_an_exception_with_its_reason():
    with pytest.raises(veto.MalformedError) as e:
        veto.State.from_anchor(vec("cases/anchor-threshold-0.json"))
    assert e.value.name == "VETO_E_MALFORMED"
    assert [r.code for r in e.value.reasons] == ["malformed-anchor"]
    assert "VETO_E_MALFORMED" in str(e.value)


def test_bad_feature_is_malformed_state():
    with pytest.raises(veto.MalformedError) as e:
        veto.State.from_anchor(vec("cases/anchor.json"), 0, ["Not A Feature"])
    assert [r.code for r in e.value.reasons] == ["malformed-state"]


@pytest.mark.parametrize("data", [b"", b"not json", b"{}", b"[]",
                                  (VECTORS / "hand/state-not-json.txt").read_bytes()])
def test_malformed_state(data):
    with pytest.raises(veto.MalformedError) as e:
        veto.State.from_bytes(data)
    assert isinstance(e.value, veto.InputError)
    assert e.value.status == 100


def test_close_and_context():
    s = veto.State.from_bytes(vec("cases/state-p1.json"))
    s.close()
    s.close()  # twice is fine
    assert s.closed and repr(s) == "State(closed)"
    with pytest.raises(ValueError):
        s.to_bytes()
    with pytest.raises(ValueError):
        veto.check(s, vec("cases/update.json"))


def test_collected_without_close():
    for _ in range(200):
        veto.State.from_bytes(vec("cases/state-p1.json"))
    gc.collect()


def test_arguments():
    with pytest.raises(TypeError):
        veto.State.from_bytes("text, not bytes")
    with pytest.raises(TypeError):
        veto.State.from_anchor(vec("cases/anchor.json"), 0, "zigbee")
    with pytest.raises(ValueError):
        veto.State.from_anchor(vec("cases/anchor.json"), -1)
    with pytest.raises(ValueError):
        veto.State(None)
    assert veto.State.from_bytes(bytearray(vec("cases/state-p1.json"))).policy_serial == 1
