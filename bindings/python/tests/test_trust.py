# SPDX-License-Identifier: Apache-2.0
"""veto.trust on the project's vectors."""
import pytest

import veto
from conftest import NOW, vec


def test_trust_one_policy(fresh):
    with veto.trust(fresh, vec("cases/policy-1.json"), now=NOW) as d:
        assert d.accepted and d.reasons == ()
        assert d.state.policy_serial == 1
        assert fresh.policy_serial is None  # the old state is untouched
        assert veto.commit(d) is d.state


def test_trust_chain(fresh):
    d = veto.trust(fresh, [vec("cases/policy-2-rotate.json"), vec("cases/policy-3-rotate.json")],
                   now=NOW)
    assert d.accepted and d.state.policy_serial == 3
    d.close()
    assert d.state.closed


@pytest.mark.parametrize("state,policies,code", [
    ("cases/state-p3.json", ["cases/policy-1.json"], "policy-rollback"),
    ("cases/state-p1.json", ["cases/policy-1-equivocation.json"], "policy-equivocation"),
    ("cases/state-p2.json", ["cases/policy-5.json"], "policy-signature"),
    (None, ["cases/policy-expired.json"], "policy-expired"),
    (None, ["cases/policy-2-rotate.json", "cases/policy-3-rotate-expired.json"],
     "policy-expired"),
    (None, ["cases/policy-wrong-device.json"], "policy-wrong-device"),
    (None, ["cases/policy-2-rotate-old-only.json"], "policy-new-owner-signature"),
    (None, ["cases/policy-threshold-65.json"], "malformed-policy"),
    (None, ["cases/update.json"], "policy-type"),
])
def test_trust_refused(fresh, state, policies, code):
    s = veto.State.from_bytes(vec(state)) if state else fresh
    before = s.to_bytes()
    d = veto.trust(s, [vec(p) for p in policies], now=NOW)
    assert not d.accepted and d.state is None
    assert d.codes == [code]
    assert s.to_bytes() == before
    if code == "policy-new-owner-signature":
        assert (d.reasons[0].role, d.reasons[0].have, d.reasons[0].need) == ("owner", 0, 1)


def test_trust_needs_a_policy(fresh):
    with pytest.raises(veto.ArgumentError) as e:
        veto.trust(fresh, [], now=NOW)
    assert e.value.name == "VETO_E_ARG"


def test_trust_bad_state_document():
    with pytest.raises(veto.MalformedError) as e:
        veto.trust(vec("cases/state-serial-mismatch.json"), vec("cases/policy-1.json"), now=NOW)
    assert [r.code for r in e.value.reasons] == ["malformed-state"]
