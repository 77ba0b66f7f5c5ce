"""Data sets, reports and partial aggregates.

    >>> ds = tellus.Dataset.from_csv(cases="cases.csv",
    ...                              interactions="interactions.csv")
    >>> ds.summary.cases.rejected, len(ds.rejects)
    >>> report = ds.report(period="2023/24", as_of="2024-06-30", homes=28000)
    >>> report.metric("upheld_rate")

Partial aggregates split the work: partials of any split of the rows,
computed under the same settings, merge into exactly the partial of all of
them, and pickle (as their serialized ``tellus.v1.PartialAggregate``), so
threads, processes, cluster workers and councils combine them alike::

    >>> a = ds.partial(period="2023/24", as_of="2024-06-30", cases=range(0, 500))
    >>> b = ds.partial(period="2023/24", as_of="2024-06-30",
    ...                cases=range(500, ds.case_count))
    >>> tellus.report_from_partial(a.merge(b), homes=28000) == report
    True
"""

from __future__ import annotations

import ctypes
import datetime
import os
from typing import IO, Any, Iterable, List, Optional, Union

from . import _native
from ._native import lib
from .calendar import PolicyLike, policy_bytes
from .errors import InvalidArgumentError
from .report import Report
from .v1 import aggregate_pb2, case_pb2, import_pb2, interaction_pb2, report_pb2

__all__ = [
    "Dataset",
    "Partial",
    "report_settings",
    "report_from_partial",
    "merge_partials",
]

PathLike = Union[str, "os.PathLike[str]"]
CsvSource = Union[PathLike, bytes, bytearray, memoryview, IO[str], IO[bytes]]
AsOf = Union[str, datetime.date, datetime.datetime, None]
Rows = Union[range, slice, None]


def _as_of_text(as_of: AsOf) -> str:
    if as_of is None:
        return ""
    if isinstance(as_of, datetime.datetime):
        # Naive: London local time, as in CSV exports; aware: RFC 3339.
        return as_of.isoformat(timespec="seconds")
    if isinstance(as_of, datetime.date):
        return as_of.isoformat()  # the end of that London day
    if isinstance(as_of, str):
        return as_of
    raise TypeError("as_of must be a date, a datetime, a string or None")


def report_settings(
    period: Optional[str] = None,
    as_of: AsOf = None,
    *,
    homes: Optional[int] = None,
    landlord_directorates: Iterable[str] = (),
    publish: bool = False,
    suppression_threshold: Optional[int] = None,
    financial_year_start_month: Optional[int] = None,
    policy: PolicyLike = None,
    region: Optional[str] = None,
    council: Optional[str] = None,
    top_services: Optional[int] = None,
    settings: Optional[report_pb2.ReportSettings] = None,
) -> report_pb2.ReportSettings:
    """A ``tellus.v1.ReportSettings`` message from keyword arguments.

    Args:
        period: "2023/24" (a financial year), "2023" (a calendar year) or
            "2023-04-01..2023-06-30".
        as_of: what was known when: a date (the end of that London day), a
            datetime (naive: London local time), an RFC 3339 string, or None
            for now. It may not be before the end of the period.
        homes: homes owned, for CH01 (omitted when None).
        landlord_directorates: the directorates that are the council as a
            landlord (CH01; empty: all).
        publish: suppress by-directorate cells counting 1..threshold.
        suppression_threshold: the threshold for ``publish`` (default 4).
        financial_year_start_month: 1..12 (default April).
        policy: the timescales (default: the Complaint Handling Code's).
        region: the bank holidays' region (default England and Wales).
        council: the council's name, for rendered reports.
        top_services: how many top services to list (default 10).
        settings: a message to start from; the other arguments override it.
    """
    out = report_pb2.ReportSettings()
    if settings is not None:
        out.CopyFrom(settings)
    if period is not None:
        out.period = period
    if as_of is not None:
        out.as_of = _as_of_text(as_of)
    if homes is not None:
        out.homes = homes
    out.landlord_directorates.extend(landlord_directorates)
    if publish:
        out.publish = True
    if suppression_threshold is not None:
        out.suppression_threshold = suppression_threshold
    if financial_year_start_month is not None:
        out.financial_year_start_month = financial_year_start_month
    if policy is not None:
        out.policy.ParseFromString(policy_bytes(policy) or b"")
    if region is not None:
        out.region = region
    if council is not None:
        out.council = council
    if top_services is not None:
        out.top_services = top_services
    return out


def _rows(rows: Rows, n: int, what: str) -> range:
    """A contiguous range of row numbers (the library checks it is within
    0..n)."""
    if rows is None:
        return range(0, n)
    if isinstance(rows, slice):
        rows = range(n)[rows]
    if not isinstance(rows, range):
        raise TypeError(f"{what} rows must be a range or a slice")
    if len(rows) == 0:
        return range(0, 0)
    if rows.step != 1:
        raise InvalidArgumentError(f"{what} rows must be contiguous (step 1)")
    return rows


def _csv_bytes(source: Any) -> bytes:
    if isinstance(source, (str, os.PathLike)):
        with open(source, "rb") as f:
            return f.read()
    if hasattr(source, "read"):
        data = source.read()
        return data.encode("utf-8") if isinstance(data, str) else bytes(data)
    return bytes(source)


class Dataset(_native.Handle):
    """Cases and interactions ready to report on, with the summary and the
    rejected rows of the import that made them.

    Create one with :meth:`from_csv`, :meth:`from_data_dir` or
    :meth:`from_messages`. A data set is immutable: any number of threads may
    build reports and partials from it at once.
    """

    _free = lib.tellus_dataset_free

    def __init__(self, pointer: ctypes.c_void_p) -> None:
        """Internal: use the ``from_*`` class methods."""
        super().__init__(pointer)
        cases = ctypes.c_size_t()
        interactions = ctypes.c_size_t()
        _native.check(
            lib.tellus_dataset_size(
                ctypes.byref(cases), ctypes.byref(interactions), self.pointer
            )
        )
        self._case_count = cases.value
        self._interaction_count = interactions.value

    @classmethod
    def from_csv(
        cls, cases: CsvSource, interactions: Optional[CsvSource] = None
    ) -> Dataset:
        """Imports CSV exports (FORMATS.md).

        Each of ``cases`` and ``interactions`` is a path (str or PathLike),
        the CSV content itself (bytes), or an open file. Bad rows are
        rejected, not repaired: they are left out and listed in
        :attr:`rejects`. A missing file raises NotFoundError; a missing
        required column, InvalidArgumentError.
        """
        is_path = lambda s: isinstance(s, (str, os.PathLike))  # noqa: E731
        if is_path(cases) and (interactions is None or is_path(interactions)):
            c = os.fsencode(cases)
            i = None if interactions is None else os.fsencode(interactions)
            return cls(
                _native.new_handle(lambda out: lib.tellus_dataset_from_csv(out, c, i))
            )
        c = _csv_bytes(cases)
        i = None if interactions is None else _csv_bytes(interactions)
        return cls(
            _native.new_handle(
                lambda out: lib.tellus_dataset_from_csv_buffers(
                    out, c, len(c), i, len(i or b"")
                )
            )
        )

    @classmethod
    def from_data_dir(cls, path: PathLike) -> Dataset:
        """Reads a data directory written by ``tellus import --out DIR``.

        Protobuf input is the canonical form: a record that does not parse or
        validate raises, naming the file and the record.
        """
        p = os.fsencode(path)
        return cls(
            _native.new_handle(lambda out: lib.tellus_dataset_from_data_dir(out, p))
        )

    @classmethod
    def from_messages(
        cls,
        cases: Union[Iterable[case_pb2.Case], case_pb2.CaseList, bytes] = (),
        interactions: Union[
            Iterable[interaction_pb2.Interaction],
            interaction_pb2.InteractionList,
            bytes,
        ] = (),
    ) -> Dataset:
        """Builds a data set from ``tellus.v1`` messages: Case messages (or a
        CaseList, or its serialized bytes) and Interaction messages (likewise).
        Every case is validated; an invalid one raises, naming it."""
        if isinstance(cases, (bytes, bytearray)):
            c = bytes(cases)
        elif isinstance(cases, case_pb2.CaseList):
            c = cases.SerializeToString()
        else:
            c = case_pb2.CaseList(cases=list(cases)).SerializeToString()
        if isinstance(interactions, (bytes, bytearray)):
            i = bytes(interactions)
        elif isinstance(interactions, interaction_pb2.InteractionList):
            i = interactions.SerializeToString()
        else:
            i = interaction_pb2.InteractionList(
                interactions=list(interactions)
            ).SerializeToString()
        return cls(
            _native.new_handle(
                lambda out: lib.tellus_dataset_from_buffers(out, c, len(c), i, len(i))
            )
        )

    @property
    def case_count(self) -> int:
        """The number of cases (rows of the case table)."""
        return self._case_count

    @property
    def interaction_count(self) -> int:
        """The number of interactions (rows of the interaction table)."""
        return self._interaction_count

    @property
    def summary(self) -> import_pb2.ImportSummary:
        """The import summary (``tellus.v1.ImportSummary``): rows read,
        accepted and rejected by rule for each file, unlinked interactions."""
        data = _native.take_buffer(
            lambda out, size: lib.tellus_dataset_summary(out, size, self.pointer)
        )
        return import_pb2.ImportSummary.FromString(data)

    @property
    def rejects(self) -> List[import_pb2.Reject]:
        """The rejected rows (``tellus.v1.Reject``), each with its file,
        line, column, rule and reason, in the order they were found."""
        data = _native.take_buffer(
            lambda out, size: lib.tellus_dataset_rejects(out, size, self.pointer)
        )
        return list(import_pb2.RejectList.FromString(data).rejects)

    def report(
        self,
        period: Optional[str] = None,
        as_of: AsOf = None,
        *,
        threads: int = 0,
        **settings: Any,
    ) -> Report:
        """Builds the annual report.

        Args:
            period: "2023/24", "2023" or "2023-04-01..2023-06-30".
            as_of: what was known when (default: now); see
                :func:`report_settings`.
            threads: threads to aggregate on (0: one per core).
            **settings: homes, publish, region, ... as for
                :func:`report_settings`.
        """
        s = report_settings(period, as_of, **settings).SerializeToString()
        data = _native.take_buffer(
            lambda out, size: lib.tellus_report_build(
                out, size, self.pointer, s, len(s), threads
            )
        )
        return Report.from_bytes(data)

    def partial(
        self,
        period: Optional[str] = None,
        as_of: AsOf = None,
        *,
        cases: Rows = None,
        interactions: Rows = None,
        threads: int = 0,
        **settings: Any,
    ) -> Partial:
        """The partial aggregate of some or all of the rows.

        Args:
            period, as_of: as for :meth:`report`. Give ``as_of`` explicitly
                when partials computed at different times are to merge
                ("now" differs).
            cases, interactions: contiguous row ranges (``range`` or
                ``slice``) of :attr:`case_count` and :attr:`interaction_count`;
                None is all of them. With ranges the work runs on the calling
                thread.
            threads: threads for a partial of all the rows (0: one per core).
            **settings: as for :func:`report_settings` (only the period,
                as-of, financial year, policy and region matter here).
        """
        s = report_settings(period, as_of, **settings).SerializeToString()
        if cases is None and interactions is None:
            pointer = _native.new_handle(
                lambda out: lib.tellus_partial_compute(
                    out, self.pointer, s, len(s), threads
                )
            )
        else:
            c = _rows(cases, self._case_count, "case")
            i = _rows(interactions, self._interaction_count, "interaction")
            pointer = _native.new_handle(
                lambda out: lib.tellus_partial_compute_rows(
                    out, self.pointer, s, len(s), c.start, c.stop, i.start, i.stop
                )
            )
        return Partial(pointer)

    def __enter__(self) -> Dataset:
        return self

    def __exit__(self, *exc: Any) -> None:
        self.close()

    def __repr__(self) -> str:
        return (
            f"<tellus.Dataset: {self._case_count} cases, "
            f"{self._interaction_count} interactions>"
        )


class Partial(_native.Handle):
    """A partial aggregate: the counters the report needs from some rows.

    Partials computed under the same settings (period, as-of, financial
    year, policy, region) merge by addition: ``a.merge(b)`` (or ``a + b``)
    is a new partial, and merging partials of any split of the rows gives
    exactly the partial of all of them. Partials pickle as their serialized
    ``tellus.v1.PartialAggregate``, and compare equal when they hold the same
    counters under the same settings.
    """

    _free = lib.tellus_partial_free

    def __init__(self, pointer: ctypes.c_void_p) -> None:
        """Internal: use Dataset.partial or Partial.from_bytes."""
        super().__init__(pointer)

    @classmethod
    def from_bytes(cls, data: bytes) -> Partial:
        """Reads a serialized ``tellus.v1.PartialAggregate``."""
        data = bytes(data)
        return cls(
            _native.new_handle(
                lambda out: lib.tellus_partial_deserialize(out, data, len(data))
            )
        )

    @classmethod
    def from_message(cls, message: aggregate_pb2.PartialAggregate) -> Partial:
        """A partial from a ``tellus.v1.PartialAggregate`` message."""
        return cls.from_bytes(message.SerializeToString())

    def to_bytes(self) -> bytes:
        """The serialized ``tellus.v1.PartialAggregate``."""
        return _native.take_buffer(
            lambda out, size: lib.tellus_partial_serialize(out, size, self.pointer)
        )

    @property
    def message(self) -> aggregate_pb2.PartialAggregate:
        """The partial as a ``tellus.v1.PartialAggregate`` message."""
        return aggregate_pb2.PartialAggregate.FromString(self.to_bytes())

    @property
    def settings(self) -> report_pb2.ReportSettings:
        """What the partial was computed under (as-of resolved)."""
        return self.message.settings

    def copy(self) -> Partial:
        """An independent copy."""
        return Partial.from_bytes(self.to_bytes())

    def merge(self, *others: Partial) -> Partial:
        """A new partial: this one plus ``others``.

        Raises FailedPreconditionError when they were computed under
        different settings.
        """
        merged = self.copy()
        for other in others:
            if not isinstance(other, Partial):
                raise TypeError("can only merge tellus.Partial objects")
            _native.check(lib.tellus_partial_merge(merged.pointer, other.pointer))
        return merged

    def __add__(self, other: Partial) -> Partial:
        if not isinstance(other, Partial):
            return NotImplemented
        return self.merge(other)

    def report(self, **settings: Any) -> Report:
        """The report of this partial, which must cover all the rows.

        Report-only settings (homes, landlord_directorates, publish,
        suppression_threshold, council, top_services) are keyword arguments
        as for :func:`report_settings`; a period, when given, must be the
        partial's.
        """
        s = report_settings(**settings).SerializeToString()
        data = _native.take_buffer(
            lambda out, size: lib.tellus_partial_report(
                out, size, self.pointer, s, len(s)
            )
        )
        return Report.from_bytes(data)

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Partial):
            return NotImplemented
        out = ctypes.c_int()
        _native.check(
            lib.tellus_partial_equal(ctypes.byref(out), self.pointer, other.pointer)
        )
        return bool(out.value)

    __hash__ = None  # type: ignore[assignment]

    def __reduce__(self) -> Any:
        return (Partial.from_bytes, (self.to_bytes(),))

    def __repr__(self) -> str:
        s = self.settings
        return f"<tellus.Partial {s.period} as of {s.as_of}>"


def report_from_partial(partial: Partial, **settings: Any) -> Report:
    """The report of a merged partial; see :meth:`Partial.report`."""
    return partial.report(**settings)


def merge_partials(partials: Iterable[Partial]) -> Partial:
    """Merges partials computed under the same settings into a new one."""
    items = list(partials)
    if not items:
        raise InvalidArgumentError("no partial aggregates to merge")
    return items[0].merge(*items[1:])
