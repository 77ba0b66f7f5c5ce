"""The annual report: the ``tellus.v1.AnnualReport`` message and helpers.

    >>> report = ds.report(period="2023/24", as_of="2024-06-30")
    >>> report.metric("complaints_received")          # an int
    3730
    >>> report.metric("upheld_rate")                  # an exact Fraction
    Fraction(45, 100)
    >>> report.metric("upheld_rate", previous=True)   # 2022/23
    >>> report.metric("complaints_received", directorate="Housing")
    >>> report.values()                               # {key: value}
    >>> report.to_dict()                              # the JSON contract
    >>> report.message                                # the AnnualReport
    >>> report.period.label                           # fields read through
    '2023/24'

Values: a count is an ``int``; a ratio is an exact
:class:`fractions.Fraction`, or ``None`` when undefined (denominator 0); a
cell suppressed for publication is the text shown instead (``"<5"``).
"""

from __future__ import annotations

import json
from fractions import Fraction
from typing import Any, Dict, Iterable, List, Optional, Union

from . import _native
from ._native import lib
from .errors import InvalidArgumentError
from .v1 import report_pb2

__all__ = ["Report", "MetricValue", "metric", "metric_values", "report_to_dict"]

MetricValue = Union[int, Fraction, str, None]
AnyReport = Union["Report", report_pb2.AnnualReport]  # Report is defined below


def _message(report: AnyReport) -> report_pb2.AnnualReport:
    if isinstance(report, Report):
        return report.message
    if isinstance(report, report_pb2.AnnualReport):
        return report
    raise TypeError("expected a tellus.Report or a tellus.v1 AnnualReport")


def value_of(value: report_pb2.Value) -> MetricValue:
    """The Python value of a ``tellus.v1.Value``."""
    kind = value.WhichOneof("kind")
    if kind == "count":
        return value.count
    if kind == "ratio":
        r = value.ratio
        return Fraction(r.numerator, r.denominator) if r.denominator else None
    if kind == "suppressed":
        return value.suppressed.shown_as
    return None


def _metrics(
    message: report_pb2.AnnualReport,
    directorate: Optional[str],
    service: Optional[str],
) -> Iterable[report_pb2.Metric]:
    if directorate is None:
        if service is not None:
            raise InvalidArgumentError("a service needs its directorate")
        return message.metrics
    for d in message.by_directorate:
        if d.directorate == directorate:
            if service is None:
                return d.metrics
            for s in d.services:
                if s.service == service:
                    return s.metrics
            raise KeyError(f"no service '{service}' in directorate '{directorate}'")
    raise KeyError(f"no directorate '{directorate}' in the report")


def metric(
    report: AnyReport,
    key: str,
    *,
    previous: bool = False,
    directorate: Optional[str] = None,
    service: Optional[str] = None,
) -> MetricValue:
    """The value of metric ``key`` (a key of METRICS.md, e.g.
    ``"upheld_rate"``) for the period, or the previous period.

    Without ``directorate``, the council's totals; with it, that
    directorate's figure (and with ``service``, that service's). Raises
    KeyError for an unknown key, directorate or service.
    """
    for m in _metrics(_message(report), directorate, service):
        if m.key == key:
            return value_of(m.previous if previous else m.current)
    raise KeyError(f"no metric '{key}' in the report")


def metric_values(
    report: AnyReport,
    *,
    previous: bool = False,
    directorate: Optional[str] = None,
    service: Optional[str] = None,
) -> Dict[str, MetricValue]:
    """Every metric as ``{key: value}``, in the report's order."""
    return {
        m.key: value_of(m.previous if previous else m.current)
        for m in _metrics(_message(report), directorate, service)
    }


def render(report: AnyReport, fmt: int) -> str:
    data = _message(report).SerializeToString()
    text = _native.take_buffer(
        lambda out, size: lib.tellus_report_render(out, size, data, len(data), fmt)
    )
    return text.decode("utf-8")


def report_to_dict(report: AnyReport) -> Dict[str, Any]:
    """The report as plain Python data: FORMATS.md's JSON contract (every
    field, zeros included; field names as in the .proto)."""
    return json.loads(render(report, _native.FORMAT_JSON))


class Report:
    """An annual report: a ``tellus.v1.AnnualReport`` message with helpers.

    Every field of the message reads straight through (``report.metrics``,
    ``report.by_directorate``, ``report.period.label``, ...); ``message`` is
    the message itself. Reports compare equal when their messages do, and
    pickle as their serialized bytes.
    """

    __slots__ = ("_message",)

    def __init__(self, message: report_pb2.AnnualReport) -> None:
        if not isinstance(message, report_pb2.AnnualReport):
            raise TypeError("Report wraps a tellus.v1 AnnualReport message")
        self._message = message

    @classmethod
    def from_bytes(cls, data: bytes) -> Report:
        """A report from a serialized ``tellus.v1.AnnualReport``."""
        return cls(report_pb2.AnnualReport.FromString(data))

    @property
    def message(self) -> report_pb2.AnnualReport:
        """The ``tellus.v1.AnnualReport`` message."""
        return self._message

    def __getattr__(self, name: str) -> Any:
        # Only called for names Report itself lacks: the message's fields.
        if name.startswith("__") or name == "_message":
            raise AttributeError(name)
        return getattr(self._message, name)

    def metric(
        self,
        key: str,
        *,
        previous: bool = False,
        directorate: Optional[str] = None,
        service: Optional[str] = None,
    ) -> MetricValue:
        """The value of one metric; see :func:`tellus.metric`."""
        return metric(
            self, key, previous=previous, directorate=directorate, service=service
        )

    def values(
        self,
        *,
        previous: bool = False,
        directorate: Optional[str] = None,
        service: Optional[str] = None,
    ) -> Dict[str, MetricValue]:
        """Every metric as ``{key: value}``; see :func:`tellus.metric_values`."""
        return metric_values(
            self, previous=previous, directorate=directorate, service=service
        )

    def keys(self) -> List[str]:
        """The keys of the council's metrics, in order."""
        return [m.key for m in self._message.metrics]

    def to_dict(self) -> Dict[str, Any]:
        """The report as plain Python data (FORMATS.md's JSON contract)."""
        return report_to_dict(self)

    def to_json(self) -> str:
        """The report as JSON text (FORMATS.md's JSON contract)."""
        return render(self, _native.FORMAT_JSON)

    def to_text(self) -> str:
        """The report as plain text for people."""
        return render(self, _native.FORMAT_TEXT)

    def to_markdown(self) -> str:
        """The report as Markdown."""
        return render(self, _native.FORMAT_MARKDOWN)

    def to_bytes(self) -> bytes:
        """The serialized ``tellus.v1.AnnualReport``."""
        return self._message.SerializeToString()

    def __eq__(self, other: object) -> bool:
        if isinstance(other, Report):
            return self._message == other._message
        if isinstance(other, report_pb2.AnnualReport):
            return self._message == other
        return NotImplemented

    __hash__ = None  # type: ignore[assignment]  # mutable, like the message

    def __reduce__(self) -> Any:
        return (Report.from_bytes, (self.to_bytes(),))

    def __repr__(self) -> str:
        m = self._message
        return (
            f"<tellus.Report {m.period.label} as of "
            f"{m.as_of.ToJsonString()}: {len(m.metrics)} metrics, "
            f"{len(m.by_directorate)} directorates>"
        )
