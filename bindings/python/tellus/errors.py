"""The exceptions of tellus: one hierarchy, each carrying the library's message.

Every failure of the C library becomes a subclass of :class:`tellus.Error`
whose text is the library's own message (naming the file and line, the case,
the event and the rule involved). Each subclass also derives from the
built-in exception a Python caller would expect, so ``except ValueError`` and
``except FileNotFoundError`` work too::

    try:
        ds = tellus.Dataset.from_csv(cases="missing.csv")
    except tellus.NotFoundError as e:       # also a FileNotFoundError
        print(e)                            # "cannot open missing.csv: ..."
"""

from __future__ import annotations

from typing import Dict, Optional, Type

__all__ = [
    "Error",
    "InvalidArgumentError",
    "MalformedError",
    "NotFoundError",
    "FileAccessError",
    "FailedPreconditionError",
    "UnsupportedError",
    "OutOfMemoryError",
    "InternalError",
]


class Error(Exception):
    """A failure reported by the tellus library.

    Attributes:
        message: the library's message, as ``str(error)`` shows it.
        status: the C ABI's status code (``TELLUS_E_*``, negative).
    """

    status: Optional[int] = None

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class InvalidArgumentError(Error, ValueError):
    """A bad argument or input that breaks a rule: a bad date or period, an
    as-of before the period ends, a case the state machine refuses."""

    status = -1


class MalformedError(Error, ValueError):
    """Bytes that are not the expected serialized message (garbage,
    truncated), or a corrupt stream or file."""

    status = -2


class NotFoundError(Error, FileNotFoundError):
    """A file or directory that does not exist."""

    status = -3


class FileAccessError(Error, OSError):
    """A file that exists but cannot be read or written."""

    status = -4


class FailedPreconditionError(Error, ValueError):
    """An operation that cannot run on what it was given, such as merging
    partial aggregates computed under different settings."""

    status = -5


class UnsupportedError(Error, NotImplementedError):
    """Something this build of the library does not provide."""

    status = -6


class OutOfMemoryError(Error, MemoryError):
    """The library ran out of memory."""

    status = -7


class InternalError(Error):
    """A bug in tellus; please report it with the message."""

    status = -8


_BY_STATUS: Dict[int, Type[Error]] = {
    cls.status: cls  # type: ignore[misc]
    for cls in (
        InvalidArgumentError,
        MalformedError,
        NotFoundError,
        FileAccessError,
        FailedPreconditionError,
        UnsupportedError,
        OutOfMemoryError,
        InternalError,
    )
}


def error_for_status(status: int, message: str) -> Error:
    """The exception for a C status code and the library's message."""
    cls = _BY_STATUS.get(status)
    if cls is not None:
        return cls(message)
    error = Error(message)
    error.status = status
    return error
