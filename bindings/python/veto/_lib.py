# SPDX-License-Identifier: Apache-2.0
"""Loading libveto and declaring the C functions the binding calls.

Every structure of veto.h stays behind a pointer: the classes below have no
fields on purpose, so that ctypes checks pointer types without ever knowing
a layout.  The library gives accessors for everything the binding reads
(include/veto.h, "Allocated objects and accessors, for bindings").
"""
import ctypes
import ctypes.util
import os

from ctypes import (POINTER, c_char_p, c_int, c_int64, c_size_t, c_uint,
                    c_uint8, c_uint64, c_void_p)

__all__ = ["lib", "library_path", "VERSION"]

# The binding's version: the library's major and minor must be these.
VERSION = "0.2.0"
SONAME = "libveto.so.1"


class Report(ctypes.Structure):
    """veto_report, opaque here."""


class Reason(ctypes.Structure):
    """veto_reason, opaque here."""


class Digests(ctypes.Structure):
    """veto_image_digests, opaque here."""


class Diag(ctypes.Structure):
    """veto_diag, opaque here."""


class Bytes(ctypes.Structure):
    """veto_bytes (a list of them), opaque here."""


class StateT(ctypes.Structure):
    """veto_state, opaque in C too."""


class Check(ctypes.Structure):
    """veto_check, opaque in C too."""


P = POINTER
_PTR_OUT = P(c_void_p)

# name: (return type, argument types)
_PROTOS = {
    "veto_version": (c_char_p, []),
    "veto_init": (c_int, []),
    "veto_strerror": (c_char_p, [c_int]),
    "veto_status_name": (c_char_p, [c_int]),
    "veto_code_name": (c_char_p, [c_int]),
    "veto_code_is_notice": (c_int, [c_int]),
    "veto_free": (None, [c_void_p, c_void_p]),
    "veto_free_secret": (None, [c_void_p, c_void_p, c_size_t]),
    # reports and reasons
    "veto_report_new": (c_int, [P(P(Report)), c_void_p]),
    "veto_report_free": (None, [P(Report)]),
    "veto_report_accepted": (c_int, [P(Report)]),
    "veto_report_json": (c_int, [_PTR_OUT, P(c_size_t), P(Report)]),
    "veto_report_refusal_count": (c_size_t, [P(Report)]),
    "veto_report_notice_count": (c_size_t, [P(Report)]),
    "veto_report_refusal": (P(Reason), [P(Report), c_size_t]),
    "veto_report_notice": (P(Reason), [P(Report), c_size_t]),
    "veto_reason_code": (c_int, [P(Reason)]),
    "veto_reason_index": (c_uint, [P(Reason)]),
    "veto_reason_counts": (c_int, [P(Reason), P(c_uint64), P(c_uint64)]),
    "veto_reason_role": (c_char_p, [P(Reason)]),
    "veto_reason_feature": (c_char_p, [P(Reason)]),
    "veto_reason_offered": (c_char_p, [P(Reason)]),
    "veto_reason_detail": (c_char_p, [P(Reason)]),
    "veto_reason_text": (c_size_t, [c_void_p, c_size_t, P(Reason)]),
    # digests, diagnostics, lists of byte spans
    "veto_image_digests_new": (c_int, [P(P(Digests)), c_void_p]),
    "veto_image_digests_free": (None, [P(Digests)]),
    "veto_image_digests_size": (c_uint64, [P(Digests)]),
    "veto_image_digests_sha256": (c_int, [P(Digests), P(c_uint8)]),
    "veto_image_digests_blake2b256": (c_int, [P(Digests), P(c_uint8)]),
    "veto_diag_new": (c_int, [P(P(Diag)), c_void_p]),
    "veto_diag_free": (None, [P(Diag)]),
    "veto_diag_detail": (c_char_p, [P(Diag)]),
    "veto_bytes_new": (c_int, [P(P(Bytes)), c_void_p, c_size_t]),
    "veto_bytes_set": (c_int, [P(Bytes), c_size_t, c_char_p, c_size_t]),
    "veto_bytes_free": (None, [P(Bytes)]),
    # keys and signing
    "veto_keygen": (c_int, [P(c_uint8), P(c_uint8)]),
    "veto_key_public": (c_int, [P(c_uint8), c_char_p]),
    "veto_key_check": (c_int, [c_char_p]),
    "veto_keyid": (c_int, [c_void_p, c_char_p]),
    "veto_sign": (c_int, [_PTR_OUT, P(c_size_t), P(Diag), c_void_p,
                          c_char_p, c_size_t, c_char_p]),
    "veto_cosign": (c_int, [_PTR_OUT, P(c_size_t), P(c_int), P(Diag), c_void_p,
                            c_char_p, c_size_t, c_char_p]),
    # state
    "veto_state_from_anchor": (c_int, [P(P(StateT)), P(Report), c_void_p, c_char_p,
                                       c_size_t, c_uint64, P(c_char_p), c_size_t]),
    "veto_state_parse": (c_int, [P(P(StateT)), P(Report), c_void_p, c_char_p, c_size_t]),
    "veto_state_format": (c_int, [_PTR_OUT, P(c_size_t), P(StateT)]),
    "veto_state_vendor": (c_char_p, [P(StateT)]),
    "veto_state_model": (c_char_p, [P(StateT)]),
    "veto_state_security_counter": (c_uint64, [P(StateT)]),
    "veto_state_policy_serial": (c_int, [P(StateT), P(c_uint64)]),
    "veto_state_feature_count": (c_size_t, [P(StateT)]),
    "veto_state_feature": (c_char_p, [P(StateT), c_size_t]),
    "veto_state_free": (None, [P(StateT)]),
    # time
    "veto_time_parse": (c_int, [P(c_int64), c_char_p, c_size_t]),
    "veto_time_format": (c_int, [c_void_p, c_int64]),
    # decisions
    "veto_trust": (c_int, [P(P(StateT)), P(Report), c_void_p, P(StateT), P(Bytes),
                           c_size_t, c_int64]),
    "veto_check_begin": (c_int, [P(P(Check)), P(Report), c_void_p, P(StateT), P(Bytes),
                                 c_size_t, c_char_p, c_size_t, c_int64]),
    "veto_preflight_begin": (c_int, [P(P(Check)), P(Report), c_void_p, c_char_p,
                                     c_size_t, c_char_p, c_size_t, c_int64]),
    "veto_check_image": (c_int, [P(Check), c_void_p, c_size_t]),
    "veto_check_finish": (c_int, [P(Check), P(Digests)]),
    "veto_check_commit": (c_int, [P(P(StateT)), P(Check)]),
    "veto_check_free": (None, [P(Check)]),
}


def _candidates():
    """Where to look, in order: $VETO_LIBRARY alone when set (a path chosen
    on purpose is never replaced by another library), else what the dynamic
    linker would find by soname."""
    explicit = os.environ.get("VETO_LIBRARY")
    if explicit:
        return [explicit]
    found = ctypes.util.find_library("veto")
    return [n for n in (found, SONAME) if n]


def _load():
    problems = []
    for name in _candidates():
        try:
            return ctypes.CDLL(name), name
        except OSError as e:
            problems.append("%s: %s" % (name, e))
    raise ImportError("veto: cannot load libveto (set VETO_LIBRARY to its path, or "
                      "install it): " + "; ".join(problems))


def _declare(handle, name):
    try:
        fn = getattr(handle, name)
    except AttributeError:
        raise ImportError("veto: %s has no %s: the library is older than this binding "
                          "(%s)" % (library_path, name, VERSION)) from None
    fn.restype, fn.argtypes = _PROTOS[name]


lib, library_path = _load()
for _name in _PROTOS:
    _declare(lib, _name)

_have = lib.veto_version().decode("ascii")
if _have.split(".")[:2] != VERSION.split(".")[:2]:
    raise ImportError("veto: %s is libveto %s; this binding is for %s"
                      % (library_path, _have, VERSION))
if lib.veto_init() != 0:
    raise ImportError("veto: libveto could not initialise libsodium")
