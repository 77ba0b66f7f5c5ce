"""Validating a case and folding its events through the stage state machine.

    >>> folded = tellus.fold_case(case)            # a tellus.v1 Case message
    >>> state_pb2.CaseStatus.Name(folded.status)
    'CASE_STATUS_STAGE_1_RESPONDED'
    >>> folded.stage1.responded_on_time
    True
    >>> tellus.fold_case(case, as_of="2023-05-05").status_text
    'awaiting stage 1 response'

An invalid case raises InvalidArgumentError with a message naming the case,
the event, its date and the rule broken.
"""

from __future__ import annotations

from typing import Optional, Union

from . import _native
from ._native import lib
from .calendar import Calendar, PolicyLike, policy_bytes
from .dataset import AsOf, _as_of_text
from .v1 import case_pb2, state_pb2

__all__ = ["fold_case"]


def fold_case(
    case: Union[case_pb2.Case, bytes],
    *,
    as_of: AsOf = None,
    calendar: Optional[Calendar] = None,
    policy: PolicyLike = None,
) -> state_pb2.FoldedCase:
    """Validates a case and returns its folded state (``tellus.v1.FoldedCase``).

    Args:
        case: a ``tellus.v1.Case`` message or its serialized bytes.
        as_of: fold only the events seen by then (a date: the end of that
            London day; a datetime; an RFC 3339 string); None: all of them.
        calendar: the bank holidays for the due dates (default: England and
            Wales).
        policy: the timescales (default: the Complaint Handling Code's).
    """
    data = case if isinstance(case, bytes) else case.SerializeToString()
    p = policy_bytes(policy)
    when = _as_of_text(as_of).encode() if as_of is not None else None
    cal = None if calendar is None else calendar.pointer
    out = _native.take_buffer(
        lambda buf, size: lib.tellus_case_fold(
            buf, size, data, len(data), cal, p, len(p or b""), when
        )
    )
    return state_pb2.FoldedCase.FromString(out)
