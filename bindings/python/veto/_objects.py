# SPDX-License-Identifier: Apache-2.0
"""What a decision hands back: reasons, digests, the decision itself, and
the installed state (which owns a C object)."""
import ctypes
import threading

from . import _handles, _lib
from ._lib import lib
from .errors import check_status

__all__ = ["Reason", "ImageDigests", "Decision", "State"]


def _text(ptr):
    return ptr.decode("utf-8", "replace") if ptr else ""


class Reason:
    """One refusal reason or notice (SPEC section 8).

    code      the contract's name, e.g. "cosignature-missing"
    notice    True for a notice, False for a refusal reason
    index     1-based position of the policy it is about, 0 when none
    role, feature, offered, detail
              str, or None when the detail does not apply
    have, need
              ints (signatures counted / required, counter offered /
              minimum, bytes...), or None when the reason has no counts
    text      one line of plain English
    """

    __slots__ = ("code", "code_number", "notice", "index", "role", "feature",
                 "offered", "detail", "have", "need", "text")

    def __init__(self, ptr):
        number = lib.veto_reason_code(ptr)
        self.code_number = number
        self.code = lib.veto_code_name(number).decode("ascii")
        self.notice = bool(lib.veto_code_is_notice(number))
        self.index = lib.veto_reason_index(ptr)
        self.role = _text(lib.veto_reason_role(ptr)) or None
        self.feature = _text(lib.veto_reason_feature(ptr)) or None
        self.offered = _text(lib.veto_reason_offered(ptr)) or None
        self.detail = _text(lib.veto_reason_detail(ptr)) or None
        have, need = ctypes.c_uint64(), ctypes.c_uint64()
        if lib.veto_reason_counts(ptr, ctypes.byref(have), ctypes.byref(need)):
            self.have, self.need = have.value, need.value
        else:
            self.have = self.need = None
        size = lib.veto_reason_text(None, 0, ptr)
        buf = ctypes.create_string_buffer(size + 1)
        lib.veto_reason_text(buf, len(buf), ptr)
        self.text = buf.value.decode("utf-8", "replace")

    def __str__(self):
        return "%s: %s" % (self.code, self.text)

    def __repr__(self):
        fields = ["code=%r" % self.code]
        for name in ("index", "role", "feature", "offered", "detail", "have", "need"):
            value = getattr(self, name)
            if value not in (None, 0):
                fields.append("%s=%r" % (name, value))
        return "Reason(%s)" % ", ".join(fields)


def read_report(rep):
    """(refusals, notices, json text) of a C report."""
    refusals = tuple(Reason(lib.veto_report_refusal(rep, i))
                     for i in range(lib.veto_report_refusal_count(rep)))
    notices = tuple(Reason(lib.veto_report_notice(rep, i))
                    for i in range(lib.veto_report_notice_count(rep)))
    out, length = ctypes.c_void_p(), ctypes.c_size_t()
    check_status(lib.veto_report_json(ctypes.byref(out), ctypes.byref(length), rep))
    return refusals, notices, _handles.take_text(out, length).decode("utf-8")


class ImageDigests:
    """What the library computed over the image it was fed: size in bytes,
    sha256 and blake2b256 as 32 bytes each (None when the manifest did not
    carry that digest, so it was not computed)."""

    __slots__ = ("size", "sha256", "blake2b256")

    def __init__(self, ptr):
        self.size = lib.veto_image_digests_size(ptr)
        self.sha256 = self.blake2b256 = None
        buf = (ctypes.c_uint8 * 32)()
        if lib.veto_image_digests_sha256(ptr, buf):
            self.sha256 = bytes(buf)
        if lib.veto_image_digests_blake2b256(ptr, buf):
            self.blake2b256 = bytes(buf)

    def __repr__(self):
        return "ImageDigests(size=%d, sha256=%s, blake2b256=%s)" % (
            self.size, self.sha256.hex() if self.sha256 else None,
            self.blake2b256.hex() if self.blake2b256 else None)


class Decision:
    """The outcome of veto.check, veto.trust or veto.preflight.

    accepted   True only when no refusal reason was found (bool(decision))
    reasons    the refusal reasons, a tuple of Reason, in SPEC order
    notices    the notices, a tuple of Reason
    state      the new State to record (after installing, for a check), or
               None: a refusal, a check with no image, a pre-flight
    image      ImageDigests of the image fed, or None when none was
    json       the report as SPEC section 9's JSON text
    """

    def __init__(self, accepted, reasons, notices, json, state=None, image=None,
                 commit_status=0):
        self.accepted = bool(accepted)
        self.reasons = reasons
        self.notices = notices
        self.json = json
        self.state = state
        self.image = image
        self._commit_status = commit_status

    def __bool__(self):
        return self.accepted

    @property
    def codes(self):
        """The refusal reasons' code names, in order."""
        return [r.code for r in self.reasons]

    def close(self):
        """Releases the new state, if any (as State.close)."""
        if self.state is not None:
            self.state.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    def __repr__(self):
        return "Decision(%s, reasons=%r, notices=%r)" % (
            "accept" if self.accepted else "refuse", self.codes, [n.code for n in self.notices])


class State:
    """A device's installed state (SPEC section 7): its trust anchor or
    trusted policy, security counter and features.

    Holds a C object: released by close(), by leaving a `with` block, or at
    the latest when the object is collected.  A State may be read from
    several threads; close() must not race with its use.
    """

    def __init__(self, _ptr):
        if not _ptr:
            raise ValueError("State objects come from State.from_bytes, "
                             "State.from_anchor or a decision")
        self._ptr = _ptr
        self._lock = threading.Lock()

    @classmethod
    def from_bytes(cls, data):
        """Reads a state document.  MalformedError (with the
        malformed-state reason in .reasons) for anything wrong: never a
        silent reset."""
        data = _as_bytes(data, "state")
        out = ctypes.POINTER(_lib.StateT)()
        with _handles.report() as rep:
            st = lib.veto_state_parse(ctypes.byref(out), rep, None, data, len(data))
            if st != 0:
                check_status(st, reasons=read_report(rep)[0])
        return cls(out)

    @classmethod
    def from_anchor(cls, anchor, security_counter=0, features=()):
        """Enrolment: a state from a trust anchor document and what the
        device runs now (features "name" or "name@VERSION", each name
        once)."""
        anchor = _as_bytes(anchor, "anchor")
        if isinstance(features, (str, bytes)):
            raise TypeError("features must be a list of strings")
        names = [f.encode("utf-8") if isinstance(f, str) else bytes(f) for f in features]
        array = (ctypes.c_char_p * max(len(names), 1))(*names)
        out = ctypes.POINTER(_lib.StateT)()
        with _handles.report() as rep:
            st = lib.veto_state_from_anchor(ctypes.byref(out), rep, None, anchor, len(anchor),
                                            _u64(security_counter, "security_counter"),
                                            array, len(names))
            if st != 0:
                check_status(st, reasons=read_report(rep)[0])
        return cls(out)

    def handle(self):
        """The C pointer, for the binding's own calls."""
        if self._ptr is None:
            raise ValueError("the state is closed")
        return self._ptr

    def to_bytes(self):
        """The state document (JSON text ending in a newline), to store."""
        out, length = ctypes.c_void_p(), ctypes.c_size_t()
        check_status(lib.veto_state_format(ctypes.byref(out), ctypes.byref(length),
                                           self.handle()))
        return _handles.take_text(out, length)

    @property
    def vendor(self):
        return _text(lib.veto_state_vendor(self.handle()))

    @property
    def model(self):
        return _text(lib.veto_state_model(self.handle()))

    @property
    def security_counter(self):
        return lib.veto_state_security_counter(self.handle())

    @property
    def policy_serial(self):
        """The trusted policy's serial, or None when only the anchor is."""
        serial = ctypes.c_uint64()
        if lib.veto_state_policy_serial(self.handle(), ctypes.byref(serial)):
            return serial.value
        return None

    @property
    def features(self):
        h = self.handle()
        return tuple(_text(lib.veto_state_feature(h, i))
                     for i in range(lib.veto_state_feature_count(h)))

    @property
    def closed(self):
        return self._ptr is None

    def close(self):
        with self._lock:
            ptr, self._ptr = self._ptr, None
        if ptr is not None:
            lib.veto_state_free(ptr)

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    def __del__(self):
        # A safety net only: at interpreter exit the module may be gone.
        try:
            self.close()
        except Exception:  # pylint: disable=broad-except
            pass

    def __repr__(self):
        if self._ptr is None:
            return "State(closed)"
        return "State(%s/%s, counter=%d, policy=%s)" % (
            self.vendor, self.model, self.security_counter, self.policy_serial)


def _as_bytes(value, what):
    """A document handed in: bytes-like only (a str would leave its
    encoding to guess)."""
    if isinstance(value, bytes):
        return value
    if isinstance(value, (bytearray, memoryview)):
        return bytes(value)
    raise TypeError("%s must be bytes (read the file in binary mode), not %s"
                    % (what, type(value).__name__))


def _u64(value, what):
    if isinstance(value, bool) or not isinstance(value, int):
        raise TypeError("%s must be an int" % what)
    if not 0 <= value < 1 << 64:
        raise ValueError("%s must be in 0..2**64-1" % what)
    return value
