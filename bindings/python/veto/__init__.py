# SPDX-License-Identifier: Apache-2.0
"""veto: the owner's veto over vendor firmware updates, for Python.

A thin layer over libveto (loaded with ctypes; no compiled extension):

    import veto
    state = veto.State.from_bytes(open("state.json", "rb").read())
    with open("image.bin", "rb") as image:
        decision = veto.check(state, update_bytes, image=image)
    if decision.accepted:
        install(...)
        store(decision.state.to_bytes())
    else:
        for reason in decision.reasons:
            print(reason.code, reason.role, reason.feature, reason.text)

libveto is found through $VETO_LIBRARY (a path), else by its soname
libveto.so.1.  See bindings/python/README.md.
"""
from ._lib import VERSION as __version__
from ._lib import library_path
from ._api import (CHUNK_SIZE, check, check_key, commit, cosign, format_time, key_public, keygen,
                   keyid, library_version, parse_time, preflight, sign, trust)
from ._objects import Decision, ImageDigests, Reason, State
from .errors import (ArgumentError, BadKeyError, BufferTooSmallError, CryptoError,
                     InputError, LimitError, MalformedError, NoPolicyError,
                     OutOfMemoryError, PayloadTypeError, RefusedError, SequenceError,
                     UsageError, VetoError)

__all__ = [
    "__version__", "library_path", "library_version", "CHUNK_SIZE",
    "check", "trust", "preflight", "commit",
    "State", "Decision", "Reason", "ImageDigests",
    "keygen", "key_public", "keyid", "check_key", "sign", "cosign", "parse_time", "format_time",
    "VetoError", "RefusedError", "InputError", "MalformedError", "PayloadTypeError",
    "LimitError", "BadKeyError", "CryptoError", "UsageError", "ArgumentError",
    "SequenceError", "NoPolicyError", "BufferTooSmallError", "OutOfMemoryError",
]
