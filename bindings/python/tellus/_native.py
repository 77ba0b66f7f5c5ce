"""Loads libtellus and declares the C ABI of tellus.h for ctypes.

Only opaque handles, integers and byte buffers cross the boundary (domain
data is serialized protobuf), so these declarations never change when the
schema grows.

The library is found, in order:

1. at the path in the ``TELLUS_LIBRARY`` environment variable;
2. next to this package (where ``pip install`` puts it);
3. in the CMake build tree the package was staged into;
4. by the system's dynamic loader (``libtellus.so.0`` installed by
   ``cmake --install``).
"""

from __future__ import annotations

import ctypes
import os
import threading
from ctypes import POINTER, c_char_p, c_int, c_int32, c_size_t, c_void_p
from pathlib import Path
from typing import Callable, Iterator, List, Optional, Tuple

from .errors import Error, error_for_status

# The ABI major version this package speaks: the SONAME's number.
ABI_MAJOR = 0
_SONAME = f"libtellus.so.{ABI_MAJOR}"

_void_pp = POINTER(c_void_p)
_size_p = POINTER(c_size_t)
_int_p = POINTER(c_int)
_int32_p = POINTER(c_int32)
_bytes = c_char_p  # a buffer the library borrows: bytes or None

# name: (result type, argument types)
_PROTOTYPES = {
    "tellus_version": (c_char_p, []),
    "tellus_version_number": (c_int, []),
    "tellus_last_error": (c_char_p, []),
    "tellus_status_string": (c_char_p, [c_int]),
    "tellus_buffer_free": (None, [c_void_p]),
    # Calendar.
    "tellus_calendar_new": (c_int, [_void_pp, c_char_p]),
    "tellus_calendar_from_govuk_json": (
        c_int,
        [_void_pp, _bytes, c_size_t, c_char_p, c_int],
    ),
    "tellus_calendar_free": (None, [c_void_p]),
    "tellus_is_working_day": (c_int, [_int_p, c_void_p, c_int32]),
    "tellus_is_holiday": (c_int, [_int_p, c_void_p, c_int32]),
    "tellus_add_working_days": (c_int, [_int32_p, c_void_p, c_int32, c_int32]),
    "tellus_working_days_between": (
        c_int,
        [_int32_p, c_void_p, c_int32, c_int32],
    ),
    "tellus_calendar_holidays": (c_int, [_void_pp, _size_p, c_void_p, c_int32]),
    # Due dates.
    "tellus_acknowledgement_due": (
        c_int,
        [_int32_p, c_void_p, _bytes, c_size_t, c_int, c_int32],
    ),
    "tellus_response_due": (
        c_int,
        [_int32_p, c_void_p, _bytes, c_size_t, c_int, c_int32, c_int32],
    ),
    "tellus_responded_on_time": (
        c_int,
        [_int_p, c_void_p, _bytes, c_size_t, c_int, c_int32, c_int32, c_int32],
    ),
    # Cases.
    "tellus_case_fold": (
        c_int,
        [_void_pp, _size_p, _bytes, c_size_t, c_void_p, _bytes, c_size_t,
         c_char_p],
    ),
    # Data sets.
    "tellus_dataset_from_csv": (c_int, [_void_pp, c_char_p, c_char_p]),
    "tellus_dataset_from_csv_buffers": (
        c_int,
        [_void_pp, _bytes, c_size_t, _bytes, c_size_t],
    ),
    "tellus_dataset_from_data_dir": (c_int, [_void_pp, c_char_p]),
    "tellus_dataset_from_buffers": (
        c_int,
        [_void_pp, _bytes, c_size_t, _bytes, c_size_t],
    ),
    "tellus_dataset_free": (None, [c_void_p]),
    "tellus_dataset_size": (c_int, [_size_p, _size_p, c_void_p]),
    "tellus_dataset_summary": (c_int, [_void_pp, _size_p, c_void_p]),
    "tellus_dataset_rejects": (c_int, [_void_pp, _size_p, c_void_p]),
    # Reports.
    "tellus_report_build": (
        c_int,
        [_void_pp, _size_p, c_void_p, _bytes, c_size_t, c_int],
    ),
    "tellus_report_render": (c_int, [_void_pp, _size_p, _bytes, c_size_t, c_int]),
    # Partial aggregates.
    "tellus_partial_compute": (
        c_int,
        [_void_pp, c_void_p, _bytes, c_size_t, c_int],
    ),
    "tellus_partial_compute_rows": (
        c_int,
        [_void_pp, c_void_p, _bytes, c_size_t, c_size_t, c_size_t, c_size_t,
         c_size_t],
    ),
    "tellus_partial_merge": (c_int, [c_void_p, c_void_p]),
    "tellus_partial_equal": (c_int, [_int_p, c_void_p, c_void_p]),
    "tellus_partial_serialize": (c_int, [_void_pp, _size_p, c_void_p]),
    "tellus_partial_deserialize": (c_int, [_void_pp, _bytes, c_size_t]),
    "tellus_partial_report": (
        c_int,
        [_void_pp, _size_p, c_void_p, _bytes, c_size_t],
    ),
    "tellus_partial_free": (None, [c_void_p]),
    # The store.
    "tellus_store_open": (c_int, [_void_pp, c_char_p, c_int, c_int]),
    "tellus_store_free": (None, [c_void_p]),
    "tellus_store_import_csv": (
        c_int,
        [_void_pp, _size_p, c_void_p, c_char_p, c_char_p, c_int],
    ),
    "tellus_store_import_data_dir": (
        c_int,
        [_void_pp, _size_p, c_void_p, c_char_p, c_int],
    ),
    "tellus_store_add_case": (c_int, [c_void_p, _bytes, c_size_t]),
    "tellus_store_append_event": (c_int, [c_void_p, c_char_p, _bytes, c_size_t]),
    "tellus_store_add_interaction": (c_int, [c_void_p, _bytes, c_size_t]),
    "tellus_store_get_case": (c_int, [_void_pp, _size_p, c_void_p, c_char_p]),
    "tellus_store_list_cases": (
        c_int,
        [_void_pp, _size_p, c_void_p, _bytes, c_size_t],
    ),
    "tellus_store_load_dataset": (c_int, [_void_pp, c_void_p]),
    "tellus_store_export": (c_int, [c_void_p, c_char_p]),
    "tellus_store_anonymise": (
        c_int,
        [_void_pp, _size_p, c_void_p, c_int32, c_int],
    ),
    "tellus_store_subject_access": (
        c_int,
        [_void_pp, _size_p, c_void_p, c_char_p],
    ),
    "tellus_store_check": (c_int, [c_void_p]),
    # The store's learning records and listings.
    "tellus_store_add_restrictions": (
        c_int,
        [_void_pp, _size_p, c_void_p, _bytes, c_size_t],
    ),
    "tellus_store_get_restrictions": (c_int, [_void_pp, _size_p, c_void_p]),
    "tellus_store_put_question_set": (
        c_int,
        [_int_p, c_void_p, _bytes, c_size_t],
    ),
    "tellus_store_digest": (
        c_int,
        [_void_pp, _size_p, c_void_p, c_char_p, c_int32, c_int32, c_int],
    ),
    "tellus_store_compliments": (
        c_int,
        [_void_pp, _size_p, c_void_p, c_char_p, c_char_p, c_char_p, c_int],
    ),
    "tellus_store_restrictions_in_force": (
        c_int,
        [_void_pp, _size_p, c_void_p, c_int32, c_int],
    ),
}

# Constants of tellus.h.
FORMAT_JSON = 1
FORMAT_TEXT = 2
FORMAT_MARKDOWN = 3
FORMAT_HTML = 4
HOLIDAYS_REPLACE = 0
HOLIDAYS_EXTEND = 1


def _candidates() -> Iterator[Tuple[str, str]]:
    """(path or name, where it came from), in the order they are tried."""
    env = os.environ.get("TELLUS_LIBRARY")
    if env:
        yield env, "TELLUS_LIBRARY"
        return
    here = Path(__file__).resolve().parent
    for name in (_SONAME, "libtellus.so"):
        if (here / name).exists():
            yield str(here / name), "next to the package"
    try:
        from . import _build_tree  # written when staged into a build tree
    except ImportError:
        pass
    else:
        yield _build_tree.LIBRARY, "the build tree"
    yield _SONAME, "the system's library path"


def _load() -> Tuple[ctypes.CDLL, str]:
    tried: List[str] = []
    for candidate, where in _candidates():
        try:
            lib = ctypes.CDLL(candidate)
        except OSError as e:
            tried.append(f"{candidate} ({where}): {e}")
            continue
        major = lib.tellus_version_number() // 10000
        if major != ABI_MAJOR:
            tried.append(
                f"{candidate} ({where}): ABI version {major}, "
                f"this package needs {ABI_MAJOR}"
            )
            continue
        return lib, candidate
    raise ImportError(
        "cannot load libtellus; set TELLUS_LIBRARY to its path, install the "
        "package with pip from a build, or install the library. Tried:\n  "
        + "\n  ".join(tried)
    )


lib, library_path = _load()
for _name, (_result, _args) in _PROTOTYPES.items():
    _function = getattr(lib, _name)
    _function.restype = _result
    _function.argtypes = _args


def check(status: int) -> None:
    """Raises the tellus.Error for a failed call's status.

    Must run right after the call, on the same thread: the library's message
    is per thread and the next call replaces it.
    """
    if status != 0:
        message = lib.tellus_last_error().decode("utf-8", "replace")
        raise error_for_status(status, message)


def take_buffer(call: Callable[[ctypes.c_void_p, ctypes.c_size_t], int]) -> bytes:
    """Runs ``call(out, out_size)`` and returns the bytes it produced, freeing
    the library's buffer."""
    out = c_void_p()
    size = c_size_t()
    check(call(ctypes.byref(out), ctypes.byref(size)))
    try:
        return ctypes.string_at(out.value, size.value) if size.value else b""
    finally:
        lib.tellus_buffer_free(out)


class Handle:
    """Owns one opaque handle of the library and frees it exactly once."""

    _free: Callable[[c_void_p], None]

    def __init__(self, pointer: c_void_p) -> None:
        self._pointer: Optional[c_void_p] = pointer
        self._lock = threading.Lock()

    @property
    def pointer(self) -> c_void_p:
        """The library's handle; raises tellus.Error once closed."""
        if self._pointer is None:
            raise Error(f"this {type(self).__name__} has been closed")
        return self._pointer

    def close(self) -> None:
        """Frees the handle now rather than when it is garbage-collected."""
        with self._lock:
            pointer, self._pointer = self._pointer, None
        if pointer is not None:
            type(self)._free(pointer)

    def __del__(self) -> None:
        try:
            self.close()
        except Exception:  # interpreter shutdown
            pass


def new_handle(call: Callable[[ctypes.c_void_p], int]) -> c_void_p:
    """Runs ``call(out)`` for a constructor and returns the new handle."""
    out = c_void_p()
    check(call(ctypes.byref(out)))
    return out
