# SPDX-License-Identifier: Apache-2.0
"""veto.check and veto.commit on the project's vectors: accepts, each kind
of refusal as reason objects, images as bytes, file objects and paths."""
import hashlib
import io

import pytest

import veto
from conftest import NOW, VECTORS, vec

POLICY = "cases/policy-1.json"
UPDATE = "cases/update.json"
IMAGE = "cases/image.bin"


def run(state, update=UPDATE, policies=(POLICY,), image=IMAGE, **kw):
    img = vec(image) if isinstance(image, str) else image
    return veto.check(state, vec(update), image=img,
                      policies=[vec(p) for p in policies], now=kw.pop("now", NOW), **kw)


def test_accept_with_image_bytes(fresh):
    with run(fresh) as d:
        assert d.accepted and bool(d)
        assert d.reasons == () and d.notices == ()
        assert d.image.size == 20000
        assert d.image.sha256 == hashlib.sha256(vec(IMAGE)).digest()
        assert d.image.blake2b256 == hashlib.blake2b(vec(IMAGE), digest_size=32).digest()
        assert d.state.security_counter == 42
        assert d.state.policy_serial == 1
        assert d.state.features == ("local-control", "works-with-nest@1.2", "zigbee",
                                    "matter@1.3")
        assert veto.commit(d) is d.state
        assert '"decision": "accept"' in d.json or '"decision":"accept"' in d.json


@pytest.mark.parametrize("chunk", [1, 7, 1000, 1 << 20])
def test_accept_image_file_object(fresh, chunk):
    with open(VECTORS / IMAGE, "rb") as f, run(fresh, image=f, chunk_size=chunk) as d:
        assert d.accepted
        assert d.image.size == 20000


def test_accept_image_read_only_object(fresh):
    class Reader:  # read() but no readinto()
        def __init__(self, data):
            self.inner = io.BytesIO(data)

        def read(self, n):
            return self.inner.read(n)

    with run(fresh, image=Reader(vec(IMAGE)), chunk_size=333) as d:
        assert d.accepted


def test_accept_image_path(fresh):
    with run(fresh, image=str(VECTORS / IMAGE)) as d:
        assert d.accepted
    with run(fresh, image=VECTORS / IMAGE) as d:
        assert d.accepted


def test_accept_without_image_cannot_commit(fresh):
    d = run(fresh, image=None)
    assert d.accepted
    assert [n.code for n in d.notices] == ["image-unchecked"]
    assert d.notices[0].notice
    assert d.image is None and d.state is None
    with pytest.raises(veto.SequenceError) as e:
        veto.commit(d)
    assert e.value.name == "VETO_E_SEQUENCE"


def test_stored_policy_governs_and_state_bytes():
    state = vec("cases/state-p1.json")
    with veto.check(state, vec(UPDATE), image=vec(IMAGE), now=NOW) as d:
        assert d.accepted
    with veto.State.from_bytes(state) as s, veto.check(s, vec(UPDATE), image=vec(IMAGE),
                                                       now=NOW) as d:
        assert d.accepted
        assert s.security_counter != d.state.security_counter


# (update, policies, image, expected refusals as (code, role, feature, have, need))
REFUSALS = {
    "untrusted": ("cases/update-stranger-only.json", None, None,
                  [("update-untrusted", None, None, None, None)]),
    "cosignature": ("cases/update-vendor-only.json", None, None,
                    [("cosignature-missing", "auditor", None, 0, 2)]),
    "cosignature-two-roles": ("cases/update-vendor-only.json",
                              ["cases/policy-security-role.json"], None,
                              [("cosignature-missing", "auditor", None, 0, 2),
                               ("cosignature-missing", "security", None, 0, 1)]),
    "wrong-device": ("cases/update-wrong-model.json", None, None,
                     [("wrong-device", None, None, None, None)]),
    "rollback": ("cases/update-counter-0.json", None, None,
                 [("rollback", None, None, 0, 1)]),
    "feature-removed": ("cases/update-removes-zigbee.json", None, None,
                        [("feature-removed", None, "zigbee", None, None)]),
    "feature-downgraded": ("cases/update-nest-downgrade.json", None, None,
                           [("feature-downgraded", None, "works-with-nest", None, None)]),
    "undeclared-removal": ("cases/update-drops-zigbee.json", None, None,
                           [("undeclared-removal", None, "zigbee", None, None)]),
    "digest-not-allowed": ("cases/update-sha256-only.json",
                           ["cases/policy-digests-blake2b.json"], None,
                           [("digest-not-allowed", None, None, None, None)]),
    "image-too-large": (UPDATE, ["cases/policy-max-image.json"], None,
                        [("image-too-large", None, None, 20000, 1000)]),
    "image-shorter": (UPDATE, None, "cases/image-shorter.bin",
                      [("image-size", None, None, 19999, 20000),
                       ("image-digest", None, None, None, None),
                       ("image-digest", None, None, None, None)]),
    "image-different": (UPDATE, None, "cases/image-different.bin",
                        [("image-digest", None, None, None, None)] * 2),
    "update-type": ("cases/policy-1.json", None, None,
                    [("update-type", None, None, None, None)]),
    "malformed-update": ("cases/update-payload-is-policy.json", None, None,
                         [("malformed-update", None, None, None, None)]),
    "policy-signature": (UPDATE, ["cases/policy-unknown-signer.json"], None,
                         [("policy-signature", "owner", None, 0, 1)]),
    "policy-expired": (UPDATE, ["cases/policy-expired.json"], None,
                       [("policy-expired", None, None, None, None)]),
    "policy-wrong-device": (UPDATE, ["cases/policy-wrong-device.json"], None,
                            [("policy-wrong-device", None, None, None, None)]),
    "policy-equivocation": (UPDATE, ["cases/policy-2-rotate.json",
                                     "cases/policy-2-rotate-equivocation.json"], None,
                            [("policy-equivocation", None, None, None, None)]),
    "policy-type": (UPDATE, ["cases/update.json"], None,
                    [("policy-type", None, None, None, None)]),
    "malformed-policy": (UPDATE, ["cases/policy-threshold-65.json"], None,
                         [("malformed-policy", None, None, None, None)]),
}


@pytest.mark.parametrize("name", sorted(REFUSALS))
def test_refusal_reasons(fresh, name):
    update, policies, image, want = REFUSALS[name]
    before = fresh.to_bytes()
    d = run(fresh, update=update, policies=policies or [POLICY], image=image or IMAGE)
    assert not d.accepted and not bool(d)
    assert d.state is None
    got = [(r.code, r.role, r.feature, r.have, r.need) for r in d.reasons]
    if name == "rollback":  # the counts are the vector's; only their presence is fixed
        got = [(c, ro, f, 0, 1) if h is not None else (c, ro, f, h, n)
               for c, ro, f, h, n in got]
    assert got == want
    for r in d.reasons:
        assert not r.notice and r.text and str(r).startswith(r.code)
    assert fresh.to_bytes() == before
    with pytest.raises(veto.RefusedError) as e:
        veto.commit(d)
    assert e.value.name == "VETO_REFUSED"
    assert e.value.reasons == d.reasons
    assert '"decision": "refuse"' in d.json or '"decision":"refuse"' in d.json


def test_policy_index_names_the_policy(fresh):
    d = run(fresh, policies=["cases/policy-2-rotate.json", "cases/policy-3-rotate-expired.json"])
    assert d.codes == ["policy-expired"]
    assert d.reasons[0].index == 2


def test_waiver_is_a_notice(fresh):
    d = run(fresh, update="cases/update-removes-zigbee-waived.json")
    assert d.accepted
    assert [(n.code, n.feature, n.notice) for n in d.notices] == [
        ("feature-removal-waived", "zigbee", True)]


def test_no_policy_at_all():
    with pytest.raises(veto.NoPolicyError) as e:
        veto.check(vec("cases/state-fresh.json"), vec(UPDATE), image=vec(IMAGE), now=NOW)
    assert e.value.name == "VETO_E_NO_POLICY"
    assert isinstance(e.value, veto.UsageError)


def test_now_forms(fresh):
    for now in (NOW, veto.parse_time(NOW), __import__("datetime").datetime(
            2026, 6, 1, tzinfo=__import__("datetime").timezone.utc)):
        assert run(fresh, now=now).accepted
    # the policy has expired by 2030: the system clock is not used when a time is given
    assert run(fresh, now="2030-01-01T00:00:00Z").codes == ["policy-expired"]
    with pytest.raises(ValueError):
        run(fresh, now=__import__("datetime").datetime(2026, 6, 1))


def test_image_read_error_frees_and_propagates(fresh):
    class Broken(io.RawIOBase):
        def readinto(self, b):
            raise OSError(5, "disk on fire")

    with pytest.raises(OSError, match="disk on fire"):
        run(fresh, image=Broken())
    assert run(fresh).accepted  # nothing left half-done


def test_bad_argument_types(fresh):
    with pytest.raises(TypeError):
        veto.check(fresh, vec(UPDATE).decode(), now=NOW)
    with pytest.raises(TypeError):
        run(fresh, image=12)
    with pytest.raises(TypeError):
        run(fresh, image=io.StringIO("text"))


def test_preflight():
    d = veto.preflight(vec(POLICY), vec(UPDATE), image=vec(IMAGE), now=NOW)
    assert d.accepted and d.state is None
    with pytest.raises(veto.SequenceError):
        veto.commit(d)
    d = veto.preflight(vec(POLICY), vec("cases/update-vendor-only.json"), now=NOW)
    assert d.codes == ["cosignature-missing"]
