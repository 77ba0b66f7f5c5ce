"""Working days, bank holidays and the complaints procedure's due dates.

    >>> import datetime, tellus
    >>> tellus.add_working_days(datetime.date(2023, 5, 5), 1)  # coronation
    datetime.date(2023, 5, 9)
    >>> tellus.acknowledgement_due(datetime.date(2023, 5, 2))
    datetime.date(2023, 5, 10)
    >>> scotland = tellus.Calendar("scotland")
    >>> scotland.is_holiday("2023-11-30")  # St Andrew's Day
    True

Dates are :class:`datetime.date` objects or ``"YYYY-MM-DD"`` strings. The
module-level functions use England and Wales's built-in calendar; a
:class:`Calendar` gives another region or GOV.UK's bank-holidays.json.
A timescale ``policy`` is a ``tellus.v1.policy_pb2.TimescalePolicy`` or a
dict such as ``{"stage1": {"acknowledge_days": 3, "respond_days": 10,
"max_extension_days": 10}}``; by default the Complaint Handling Code's.
"""

from __future__ import annotations

import ctypes
import datetime
from typing import Any, List, Mapping, NamedTuple, Optional, Union

from google.protobuf import json_format

from . import _native
from ._native import lib
from .errors import InvalidArgumentError
from .v1 import calendar_pb2, policy_pb2

__all__ = [
    "Calendar",
    "Holiday",
    "DateLike",
    "PolicyLike",
    "is_working_day",
    "is_holiday",
    "add_working_days",
    "working_days_between",
    "acknowledgement_due",
    "response_due",
    "responded_on_time",
]

DateLike = Union[datetime.date, str]
PolicyLike = Union[policy_pb2.TimescalePolicy, Mapping[str, Any], None]


class Holiday(NamedTuple):
    """A bank holiday: the day off and its name."""

    date: datetime.date
    name: str


def _yyyymmdd(day: DateLike, what: str = "date") -> int:
    if isinstance(day, datetime.datetime):
        raise TypeError(
            f"{what} must be a datetime.date, not a datetime: which day is "
            "meant depends on the time zone"
        )
    if isinstance(day, str):
        try:
            day = datetime.date.fromisoformat(day)
        except ValueError:
            raise InvalidArgumentError(
                f"{what} '{day}' is not a date (YYYY-MM-DD)"
            ) from None
    if not isinstance(day, datetime.date):
        raise TypeError(f"{what} must be a datetime.date or 'YYYY-MM-DD'")
    return day.year * 10000 + day.month * 100 + day.day


def _optional_yyyymmdd(day: Optional[DateLike], what: str) -> int:
    return 0 if day is None else _yyyymmdd(day, what)


def _date(yyyymmdd: int) -> datetime.date:
    return datetime.date(yyyymmdd // 10000, yyyymmdd // 100 % 100, yyyymmdd % 100)


def _date_from_proto(d: Any) -> datetime.date:
    return datetime.date(d.year, d.month, d.day)


def policy_bytes(policy: PolicyLike) -> Optional[bytes]:
    """Serializes a timescale policy argument (None: the Code's defaults)."""
    if policy is None:
        return None
    if isinstance(policy, policy_pb2.TimescalePolicy):
        return policy.SerializeToString()
    if isinstance(policy, Mapping):
        return json_format.ParseDict(
            dict(policy), policy_pb2.TimescalePolicy()
        ).SerializeToString()
    raise TypeError("policy must be a TimescalePolicy message or a dict")


def _stage(stage: int) -> int:
    if stage not in (1, 2):
        raise InvalidArgumentError(f"stage {stage} is neither 1 nor 2")
    return stage


class Calendar(_native.Handle):
    """The bank holidays of one UK region, and working-day arithmetic.

    Args:
        region: ``"england-and-wales"`` (the default), ``"scotland"`` or
            ``"northern-ireland"``.
        govuk_json: a GOV.UK bank-holidays.json document (str or bytes) to
            combine with the built-in rules.
        merge: ``"extend"`` adds the document's holidays to the rules;
            ``"replace"`` makes them the holidays of every year it lists.

    A calendar is immutable and may be shared between threads.
    """

    _free = lib.tellus_calendar_free

    def __init__(
        self,
        region: str = "england-and-wales",
        *,
        govuk_json: Union[str, bytes, None] = None,
        merge: str = "extend",
    ) -> None:
        self.region = region
        region_c = region.encode()
        if govuk_json is None:
            pointer = _native.new_handle(
                lambda out: lib.tellus_calendar_new(out, region_c)
            )
        else:
            if merge not in ("extend", "replace"):
                raise InvalidArgumentError(
                    f"merge '{merge}' is neither 'extend' nor 'replace'"
                )
            data = govuk_json.encode() if isinstance(govuk_json, str) else govuk_json
            mode = (
                _native.HOLIDAYS_EXTEND if merge == "extend" else _native.HOLIDAYS_REPLACE
            )
            pointer = _native.new_handle(
                lambda out: lib.tellus_calendar_from_govuk_json(
                    out, data, len(data), region_c, mode
                )
            )
        super().__init__(pointer)

    def __repr__(self) -> str:
        return f"tellus.Calendar({self.region!r})"

    def is_working_day(self, day: DateLike) -> bool:
        """Whether ``day`` is Monday to Friday and not a bank holiday."""
        return _is_working_day(self.pointer, day)

    def is_holiday(self, day: DateLike) -> bool:
        """Whether ``day`` is a bank holiday (a substitute day is)."""
        return _is_holiday(self.pointer, day)

    def add_working_days(self, day: DateLike, n: int) -> datetime.date:
        """The n-th working day after ``day`` (``day`` itself never counts;
        a negative ``n`` counts back)."""
        return _add_working_days(self.pointer, day, n)

    def working_days_between(self, start: DateLike, end: DateLike) -> int:
        """Working days in (start, end]; 0 when end <= start."""
        return _working_days_between(self.pointer, start, end)

    def holidays(self, year: int) -> List[Holiday]:
        """The bank holidays of a calendar year, in date order."""
        data = _native.take_buffer(
            lambda out, size: lib.tellus_calendar_holidays(
                out, size, self.pointer, year
            )
        )
        message = calendar_pb2.HolidayList.FromString(data)
        return [Holiday(_date_from_proto(h.date), h.name) for h in message.holidays]

    def acknowledgement_due(
        self, start: DateLike, *, stage: int = 1, policy: PolicyLike = None
    ) -> datetime.date:
        """When the acknowledgement is due. See tellus.acknowledgement_due."""
        return _acknowledgement_due(self.pointer, start, stage, policy)

    def response_due(
        self,
        start: DateLike,
        acknowledged: Optional[DateLike] = None,
        *,
        stage: int = 1,
        policy: PolicyLike = None,
    ) -> datetime.date:
        """When the response is due. See tellus.response_due."""
        return _response_due(self.pointer, start, acknowledged, stage, policy)

    def responded_on_time(
        self,
        due: DateLike,
        responded: DateLike,
        extended_to: Optional[DateLike] = None,
        *,
        stage: int = 1,
        policy: PolicyLike = None,
    ) -> bool:
        """Whether a response met its due date. See tellus.responded_on_time."""
        return _responded_on_time(
            self.pointer, due, responded, extended_to, stage, policy
        )


# The implementations take a calendar pointer (None: England and Wales).


def _is_working_day(calendar: Optional[ctypes.c_void_p], day: DateLike) -> bool:
    out = ctypes.c_int()
    _native.check(lib.tellus_is_working_day(ctypes.byref(out), calendar, _yyyymmdd(day)))
    return bool(out.value)


def _is_holiday(calendar: Optional[ctypes.c_void_p], day: DateLike) -> bool:
    out = ctypes.c_int()
    _native.check(lib.tellus_is_holiday(ctypes.byref(out), calendar, _yyyymmdd(day)))
    return bool(out.value)


def _add_working_days(
    calendar: Optional[ctypes.c_void_p], day: DateLike, n: int
) -> datetime.date:
    out = ctypes.c_int32()
    _native.check(
        lib.tellus_add_working_days(ctypes.byref(out), calendar, _yyyymmdd(day), n)
    )
    return _date(out.value)


def _working_days_between(
    calendar: Optional[ctypes.c_void_p], start: DateLike, end: DateLike
) -> int:
    out = ctypes.c_int32()
    _native.check(
        lib.tellus_working_days_between(
            ctypes.byref(out),
            calendar,
            _yyyymmdd(start, "start"),
            _yyyymmdd(end, "end"),
        )
    )
    return out.value


def _acknowledgement_due(
    calendar: Optional[ctypes.c_void_p],
    start: DateLike,
    stage: int,
    policy: PolicyLike,
) -> datetime.date:
    out = ctypes.c_int32()
    p = policy_bytes(policy)
    _native.check(
        lib.tellus_acknowledgement_due(
            ctypes.byref(out),
            calendar,
            p,
            len(p or b""),
            _stage(stage),
            _yyyymmdd(start, "start"),
        )
    )
    return _date(out.value)


def _response_due(
    calendar: Optional[ctypes.c_void_p],
    start: DateLike,
    acknowledged: Optional[DateLike],
    stage: int,
    policy: PolicyLike,
) -> datetime.date:
    out = ctypes.c_int32()
    p = policy_bytes(policy)
    _native.check(
        lib.tellus_response_due(
            ctypes.byref(out),
            calendar,
            p,
            len(p or b""),
            _stage(stage),
            _yyyymmdd(start, "start"),
            _optional_yyyymmdd(acknowledged, "acknowledged"),
        )
    )
    return _date(out.value)


def _responded_on_time(
    calendar: Optional[ctypes.c_void_p],
    due: DateLike,
    responded: DateLike,
    extended_to: Optional[DateLike],
    stage: int,
    policy: PolicyLike,
) -> bool:
    out = ctypes.c_int()
    p = policy_bytes(policy)
    _native.check(
        lib.tellus_responded_on_time(
            ctypes.byref(out),
            calendar,
            p,
            len(p or b""),
            _stage(stage),
            _yyyymmdd(due, "due"),
            _yyyymmdd(responded, "responded"),
            _optional_yyyymmdd(extended_to, "extended_to"),
        )
    )
    return bool(out.value)


def _pointer(calendar: Optional[Calendar]) -> Optional[ctypes.c_void_p]:
    return None if calendar is None else calendar.pointer


def is_working_day(day: DateLike, *, calendar: Optional[Calendar] = None) -> bool:
    """Whether ``day`` is a working day: Monday to Friday and not a bank
    holiday (of England and Wales unless ``calendar`` says otherwise)."""
    return _is_working_day(_pointer(calendar), day)


def is_holiday(day: DateLike, *, calendar: Optional[Calendar] = None) -> bool:
    """Whether ``day`` is a bank holiday (a substitute day is; the weekend
    day a holiday fell on is not)."""
    return _is_holiday(_pointer(calendar), day)


def add_working_days(
    day: DateLike, n: int, *, calendar: Optional[Calendar] = None
) -> datetime.date:
    """The n-th working day after ``day``.

    ``day`` itself never counts, working day or not; ``n == 0`` returns
    ``day`` and a negative ``n`` counts back.

        >>> add_working_days(datetime.date(2023, 5, 5), 1)
        datetime.date(2023, 5, 9)
    """
    return _add_working_days(_pointer(calendar), day, n)


def working_days_between(
    start: DateLike, end: DateLike, *, calendar: Optional[Calendar] = None
) -> int:
    """The number of working days in (start, end]; 0 when end <= start."""
    return _working_days_between(_pointer(calendar), start, end)


def acknowledgement_due(
    start: DateLike,
    *,
    stage: int = 1,
    policy: PolicyLike = None,
    calendar: Optional[Calendar] = None,
) -> datetime.date:
    """When a complaint's acknowledgement is due.

    Args:
        start: the receipt (stage 1) or the escalation request (stage 2).
        stage: 1 or 2.
        policy: the timescales (default: the Complaint Handling Code's).
        calendar: the bank holidays (default: England and Wales).
    """
    return _acknowledgement_due(_pointer(calendar), start, stage, policy)


def response_due(
    start: DateLike,
    acknowledged: Optional[DateLike] = None,
    *,
    stage: int = 1,
    policy: PolicyLike = None,
    calendar: Optional[Calendar] = None,
) -> datetime.date:
    """When a complaint's response is due: the earlier of the
    acknowledgement and its due date, plus the stage's response days (a late
    acknowledgement never buys time)."""
    return _response_due(_pointer(calendar), start, acknowledged, stage, policy)


def responded_on_time(
    due: DateLike,
    responded: DateLike,
    extended_to: Optional[DateLike] = None,
    *,
    stage: int = 1,
    policy: PolicyLike = None,
    calendar: Optional[Calendar] = None,
) -> bool:
    """Whether a response on ``responded`` was on time: by ``due``, or by an
    agreed extension ``extended_to`` within the policy's cap."""
    return _responded_on_time(
        _pointer(calendar), due, responded, extended_to, stage, policy
    )
