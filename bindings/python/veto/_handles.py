# SPDX-License-Identifier: Apache-2.0
"""Short-lived C objects, each made and released inside one `with`: a
report, image digests, a diagnostic, a list of policies.  Whatever happens
inside the block (an exception included) the object is released on the way
out."""
import contextlib
import ctypes

from . import _lib
from ._lib import lib
from .errors import check_status

_OUT_OF_MEMORY = 400


@contextlib.contextmanager
def report():
    r = ctypes.POINTER(_lib.Report)()
    check_status(lib.veto_report_new(ctypes.byref(r), None))
    try:
        yield r
    finally:
        lib.veto_report_free(r)


@contextlib.contextmanager
def digests():
    d = ctypes.POINTER(_lib.Digests)()
    check_status(lib.veto_image_digests_new(ctypes.byref(d), None))
    try:
        yield d
    finally:
        lib.veto_image_digests_free(d)


@contextlib.contextmanager
def diag():
    d = ctypes.POINTER(_lib.Diag)()
    check_status(lib.veto_diag_new(ctypes.byref(d), None))
    try:
        yield d
    finally:
        lib.veto_diag_free(d)


def diag_detail(d):
    return lib.veto_diag_detail(d).decode("utf-8", "replace")


@contextlib.contextmanager
def bytes_list(items):
    """A veto_bytes list pointing into `items` (a list of bytes objects,
    which the caller keeps alive for the block).  Yields (list, count)."""
    lst = ctypes.POINTER(_lib.Bytes)()
    check_status(lib.veto_bytes_new(ctypes.byref(lst), None, len(items)))
    try:
        for i, data in enumerate(items):
            check_status(lib.veto_bytes_set(lst, i, data, len(data)))
        yield lst, len(items)
    finally:
        lib.veto_bytes_free(lst)


def take_text(ptr, length, secret=False):
    """The bytes of a buffer the library allocated (`char **` output),
    released before returning."""
    try:
        return ctypes.string_at(ptr.value, length.value)
    finally:
        if secret:
            lib.veto_free_secret(None, ptr, length.value)
        else:
            lib.veto_free(None, ptr)
