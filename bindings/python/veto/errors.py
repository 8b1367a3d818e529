# SPDX-License-Identifier: Apache-2.0
"""Exceptions: one class per veto_status that is not a decision.

A refusal is not an exception: veto.check and veto.trust return a Decision
whose .accepted is False.  An exception means no decision could be made (or,
for veto.commit, that there is nothing to commit).  Each carries the status
as the library names it (.name, e.g. "VETO_E_MALFORMED"), its number
(.status), the library's detail when it gave one, and the reasons it
reported (a malformed state or anchor, for example).
"""
from ._lib import lib

__all__ = [
    "VetoError", "RefusedError",
    "InputError", "MalformedError", "PayloadTypeError", "LimitError", "BadKeyError",
    "CryptoError",
    "UsageError", "ArgumentError", "SequenceError", "NoPolicyError", "BufferTooSmallError",
    "OutOfMemoryError",
]


def status_name(status):
    """The library's name of a status ("VETO_E_LIMIT"); "unknown" if none."""
    return lib.veto_status_name(status).decode("ascii")


def strerror(status):
    """The library's one English sentence for a status."""
    return lib.veto_strerror(status).decode("utf-8", "replace")


class VetoError(Exception):
    """Base of every error raised by the binding for a library status."""

    def __init__(self, status, detail="", reasons=()):
        self.status = int(status)
        self.name = status_name(self.status)
        self.detail = detail or ""
        self.reasons = tuple(reasons)
        text = "%s: %s" % (self.name, strerror(self.status))
        if self.detail:
            text += ": " + self.detail
        if self.reasons:
            text += " (" + "; ".join(str(r) for r in self.reasons) + ")"
        super().__init__(text)


class RefusedError(VetoError):
    """VETO_REFUSED where a result was demanded (veto.commit of a refusal)."""


class InputError(VetoError):
    """An input document is bad (statuses 100..199)."""


class MalformedError(InputError):
    """VETO_E_MALFORMED: bad JSON, base64, schema or value."""


class PayloadTypeError(InputError):
    """VETO_E_TYPE: the envelope's payloadType is not the one expected."""


class LimitError(InputError):
    """VETO_E_LIMIT: above a size, count or depth limit."""


class BadKeyError(InputError):
    """VETO_E_KEY: a public key that is not canonical or of small order."""


class CryptoError(VetoError):
    """VETO_E_CRYPTO: libsodium could not be initialised."""


class UsageError(VetoError):
    """The library was called wrongly (statuses 300..399)."""


class ArgumentError(UsageError):
    """VETO_E_ARG: a required argument missing or out of range."""


class SequenceError(UsageError):
    """VETO_E_SEQUENCE: a call out of order (commit with no image checked)."""


class NoPolicyError(UsageError):
    """VETO_E_NO_POLICY: no policy handed in and none stored in the state."""


class BufferTooSmallError(UsageError):
    """VETO_E_BUFFER: an output buffer too small."""


class PassphraseError(VetoError):
    """VETO_E_PASSPHRASE: an encrypted key file does not open (a wrong
    passphrase or a damaged file)."""


class SignatureError(VetoError):
    """VETO_E_SIGNATURE: a signature handed in to be attached does not
    verify."""


class OutOfMemoryError(VetoError, MemoryError):
    """VETO_E_NOMEM: the allocator returned NULL."""


_BY_STATUS = {
    1: RefusedError,
    100: MalformedError, 101: PayloadTypeError, 102: LimitError, 103: BadKeyError,
    200: CryptoError, 202: PassphraseError, 203: SignatureError,
    300: ArgumentError, 301: SequenceError, 302: NoPolicyError, 303: BufferTooSmallError,
    400: OutOfMemoryError,
}


def error_for(status, detail="", reasons=()):
    """The exception for a status (a VetoError for one this binding does not
    know)."""
    return _BY_STATUS.get(int(status), VetoError)(status, detail, reasons)


def check_status(status, detail="", reasons=()):
    """Raises the exception for status unless it is VETO_OK."""
    if status != 0:
        raise error_for(status, detail, reasons)
