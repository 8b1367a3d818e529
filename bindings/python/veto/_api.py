# SPDX-License-Identifier: Apache-2.0
"""The decisions (check, trust, preflight, commit), keys and signing, time."""
import contextlib
import ctypes
import datetime
import os
import time as _time

from . import _handles, _lib
from ._lib import lib
from ._objects import Decision, ImageDigests, State, _as_bytes, read_report
from .errors import check_status, error_for

__all__ = ["check", "trust", "preflight", "commit", "keygen", "key_public", "keyid",
           "sign", "cosign", "check_key", "parse_time", "format_time", "library_version",
           "CHUNK_SIZE"]

OK, REFUSED, E_SEQUENCE = 0, 1, 301
CHUNK_SIZE = 64 * 1024
_INT64 = 1 << 63


def library_version():
    """The version of the libveto that was loaded ("0.2.0")."""
    return lib.veto_version().decode("ascii")


# ---- time ------------------------------------------------------------------

def parse_time(text):
    """Seconds since 1970 of "YYYY-MM-DDTHH:MM:SSZ"; MalformedError else."""
    raw = text.encode("ascii", "replace") if isinstance(text, str) else _as_bytes(text, "time")
    out = ctypes.c_int64()
    check_status(lib.veto_time_parse(ctypes.byref(out), raw, len(raw)))
    return out.value


def format_time(seconds):
    """"YYYY-MM-DDTHH:MM:SSZ" of seconds since 1970 (years 0000..9999)."""
    buf = ctypes.create_string_buffer(21)
    check_status(lib.veto_time_format(buf, _seconds(seconds)))
    return buf.value.decode("ascii")


def _seconds(value):
    if isinstance(value, bool) or not isinstance(value, int):
        raise TypeError("a time in seconds must be an int")
    if not -_INT64 <= value < _INT64:
        raise ValueError("time out of range")
    return value


def _now(now):
    """The verifier's time: None is the system clock (as the command's
    default); an int is seconds since 1970; an aware datetime; or the
    contract's text form."""
    if now is None:
        return int(_time.time())
    if isinstance(now, datetime.datetime):
        if now.tzinfo is None:
            raise ValueError("now: a datetime must carry its time zone")
        return int(now.timestamp())
    if isinstance(now, (str, bytes)):
        return parse_time(now)
    return _seconds(now)


# ---- inputs ----------------------------------------------------------------

def _policies(policies):
    if policies is None:
        return []
    if isinstance(policies, (bytes, bytearray, memoryview)):
        return [_as_bytes(policies, "policy")]
    return [_as_bytes(p, "each policy") for p in policies]


@contextlib.contextmanager
def _state_handle(state):
    """A State's pointer; a state document (bytes) is read for the call."""
    if isinstance(state, State):
        yield state.handle()
        return
    with State.from_bytes(state) as s:
        yield s.handle()


def _feed(c, image, chunk_size):
    """Streams image into check c.  bytes-like: handed over at once (it is in
    memory already); a binary file object (anything with readinto or read):
    read in chunks of chunk_size; a path (str or os.PathLike): opened and
    read so.  Returns False when image is None (no image)."""
    if image is None:
        return False
    if isinstance(image, (bytes, bytearray, memoryview)):
        data = _as_bytes(image, "image")
        check_status(lib.veto_check_image(c, data, len(data)))
        return True
    if isinstance(image, (str, os.PathLike)):
        with open(image, "rb") as f:
            return _feed(c, f, chunk_size)
    if chunk_size <= 0:
        raise ValueError("chunk_size must be positive")
    if hasattr(image, "readinto"):
        _feed_readinto(c, image, chunk_size)
    elif hasattr(image, "read"):
        _feed_read(c, image, chunk_size)
    else:
        raise TypeError("image must be bytes, a binary file object or a path, not %s"
                        % type(image).__name__)
    return True


def _feed_readinto(c, f, chunk_size):
    buf = bytearray(chunk_size)
    view = (ctypes.c_char * chunk_size).from_buffer(buf)
    try:
        while True:
            n = f.readinto(buf)
            if n is None:
                raise BlockingIOError("image: a non-blocking file returned no data")
            check_status(lib.veto_check_image(c, view, n))
            if n == 0:
                return
    finally:
        del view  # releases the bytearray's export


def _feed_read(c, f, chunk_size):
    while True:
        data = f.read(chunk_size)
        if not isinstance(data, (bytes, bytearray)):
            raise TypeError("image: read() must return bytes (open the file in 'rb' mode)")
        data = bytes(data)
        check_status(lib.veto_check_image(c, data, len(data)))
        if not data:
            return


def _run(begin, image, chunk_size, committable):
    """One decision: begin(byref(check), report) starts it; the image is
    fed; finish; the new state taken when accepted.  Every C object is
    released here, whatever is raised."""
    c = ctypes.POINTER(_lib.Check)()
    with _handles.report() as rep:
        st = begin(ctypes.byref(c), rep)
        if st != OK:
            raise error_for(st, reasons=read_report(rep)[0])
        try:
            fed = _feed(c, image, chunk_size)
            with _handles.digests() as dg:
                st = lib.veto_check_finish(c, dg)
                digests = ImageDigests(dg) if fed else None
            if st not in (OK, REFUSED):
                raise error_for(st, reasons=read_report(rep)[0])
            new_state, commit_status = None, st if committable else E_SEQUENCE
            if st == OK and committable:
                out = ctypes.POINTER(_lib.StateT)()
                commit_status = lib.veto_check_commit(ctypes.byref(out), c)
                if commit_status == OK:
                    new_state = State(out)
                elif commit_status not in (REFUSED, E_SEQUENCE):
                    raise error_for(commit_status)
            refusals, notices, text = read_report(rep)
        finally:
            lib.veto_check_free(c)
    return Decision(st == OK, refusals, notices, text, new_state, digests, commit_status)


def check(state, update, *, image=None, policies=None, now=None, chunk_size=CHUNK_SIZE):
    """Decides whether `update` (a DSSE envelope, bytes) may be installed on
    the device whose installed state is `state` (a State, or its document as
    bytes).

    policies  None: the state's stored policy governs; else one policy
              envelope (bytes) or a list of them, trusted in order first
    image     None (the decision then carries the image-unchecked notice and
              cannot be committed), bytes, a binary file object (streamed
              in chunks of chunk_size bytes) or a path
    now       None (the system clock), seconds since 1970, an aware
              datetime, or "YYYY-MM-DDTHH:MM:SSZ"

    Returns a Decision; when accepted with an image, decision.state is the
    state to record once the update is installed.  Raises NoPolicyError,
    MalformedError (a bad state document), ... when no decision is made;
    OSError from reading the image propagates.
    """
    update = _as_bytes(update, "update")
    pols = _policies(policies)
    t = _now(now)
    with _state_handle(state) as s, _handles.bytes_list(pols) as (lst, n):
        return _run(lambda out, rep: lib.veto_check_begin(out, rep, None, s, lst, n, update,
                                                          len(update), t),
                    image, chunk_size, True)


def preflight(policy, update, *, image=None, now=None, chunk_size=CHUNK_SIZE):
    """The vendor's pre-flight: would devices governed by `policy` accept
    `update`, from an empty installed state?  A Decision that can never be
    committed (its .state is None)."""
    policy = _as_bytes(policy, "policy")
    update = _as_bytes(update, "update")
    t = _now(now)
    return _run(lambda out, rep: lib.veto_preflight_begin(out, rep, None, policy, len(policy),
                                                          update, len(update), t),
                image, chunk_size, False)


def commit(decision):
    """The state to record after installing an accepted update: the
    decision's new state.  RefusedError when it was refused, SequenceError
    when no image was checked (or for a pre-flight)."""
    if decision.state is not None:
        return decision.state
    raise error_for(decision._commit_status or E_SEQUENCE,  # pylint: disable=protected-access
                    reasons=decision.reasons)


def trust(state, policies, *, now=None):
    """Trusts one policy envelope or a list of them, in order, on the
    device's state (SPEC section 5).  A Decision whose .state is the new
    state when accepted.  ArgumentError when no policy is given."""
    pols = _policies(policies)
    t = _now(now)
    out = ctypes.POINTER(_lib.StateT)()
    with _state_handle(state) as s, _handles.bytes_list(pols) as (lst, n), \
            _handles.report() as rep:
        st = lib.veto_trust(ctypes.byref(out), rep, None, s, lst, n, t)
        if st not in (OK, REFUSED):
            raise error_for(st, reasons=read_report(rep)[0])
        new_state = State(out) if st == OK else None
        refusals, notices, text = read_report(rep)
    return Decision(st == OK, refusals, notices, text, new_state, None,
                    OK if st == OK else REFUSED)


# ---- keys and signing ------------------------------------------------------

def _key(value, what, size=32):
    value = _as_bytes(value, what)
    if len(value) != size:
        raise ValueError("%s must be %d bytes" % (what, size))
    return value


def keygen():
    """A fresh Ed25519 key pair: (public key, secret seed), 32 bytes each.
    Python cannot wipe the seed's bytes: keep seeds out of long-lived
    processes where that matters."""
    pk, seed = (ctypes.c_uint8 * 32)(), (ctypes.c_uint8 * 32)()
    try:
        check_status(lib.veto_keygen(pk, seed))
        return bytes(pk), bytes(seed)
    finally:
        ctypes.memset(seed, 0, 32)


def key_public(seed):
    """The public key (32 bytes) of a secret seed."""
    pk = (ctypes.c_uint8 * 32)()
    check_status(lib.veto_key_public(pk, _key(seed, "seed")))
    return bytes(pk)


def check_key(public_key):
    """Returns nothing when public_key is a canonical Ed25519 point of large
    order; BadKeyError (VETO_E_KEY) otherwise."""
    check_status(lib.veto_key_check(_key(public_key, "public key")))


def keyid(public_key):
    """The keyid of a public key: 64 lowercase hex digits."""
    buf = ctypes.create_string_buffer(65)
    check_status(lib.veto_keyid(buf, _key(public_key, "public key")))
    return buf.value.decode("ascii")


def sign(payload, seed):
    """A new DSSE envelope (bytes) over a policy or update payload (checked
    first), signed by seed."""
    payload = _as_bytes(payload, "payload")
    out, length = ctypes.c_void_p(), ctypes.c_size_t()
    with _handles.diag() as d:
        st = lib.veto_sign(ctypes.byref(out), ctypes.byref(length), d, None, payload,
                           len(payload), _key(seed, "seed"))
        check_status(st, _handles.diag_detail(d))
    return _handles.take_text(out, length)


def cosign(envelope, seed):
    """The envelope (bytes) with seed's signature added; unchanged when it
    already holds a valid signature by that key."""
    envelope = _as_bytes(envelope, "envelope")
    out, length, added = ctypes.c_void_p(), ctypes.c_size_t(), ctypes.c_int()
    with _handles.diag() as d:
        st = lib.veto_cosign(ctypes.byref(out), ctypes.byref(length), ctypes.byref(added), d,
                             None, envelope, len(envelope), _key(seed, "seed"))
        check_status(st, _handles.diag_detail(d))
    return _handles.take_text(out, length)
