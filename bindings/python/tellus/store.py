"""The store: an append-only case register in one SQLite file.

    >>> with tellus.Store("council.tellus") as store:
    ...     s = store.import_csv("cases.csv", "interactions.csv")
    ...     print(s.text)           # "... 1234 new cases, 0 already present ..."
    ...     store.import_csv("cases.csv", "interactions.csv").cases.present
    ...     store.append_event("CMP-2023-0412", event)   # a tellus.v1.Event
    ...     store.case("CMP-2023-0412")                   # with its history
    ...     [c.record.ref for c in store.cases(on="2024-05-01", overdue=True)]
    ...     store.report(period="2023/24", as_of="2024-06-30")
    ...     store.add_restrictions([restriction])   # tellus.v1.Restriction
    ...     store.put_question_set(question_set)    # tellus.v1.QuestionSet
    ...     print(store.digest("Housing", "2024-01"))
    ...     print(store.compliments(team="Repairs North", period="2023/24"))
    ...     print(store.restrictions_in_force("2024-06-30"))

Nothing is updated in place (a correction is a new event), every import is
one transaction, and importing the same records again adds nothing. A
``Store`` is one connection: use it from one thread at a time, and open one
per thread or process (many may read while one writes). A writer that waits
for another beyond ``busy_timeout`` raises :class:`tellus.BusyError`.
"""

from __future__ import annotations

import ctypes
import datetime
import os
from typing import Any, Iterable, List, Optional, Union

from . import _native
from ._native import lib
from .dataset import AsOf, Dataset, PathLike
from .report import Report
from .v1 import (
    case_pb2,
    common_pb2,
    interaction_pb2,
    question_set_pb2,
    restriction_pb2,
    store_pb2,
)

__all__ = ["Store"]

DateLike = Union[str, datetime.date, None]


def _date(value: DateLike) -> Optional[datetime.date]:
    if value is None or isinstance(value, datetime.date):
        return value
    return datetime.date.fromisoformat(value)


def _yyyymmdd(value: DateLike, what: str) -> int:
    day = _date(value)
    if day is None:
        raise TypeError(f"{what} is required")
    return day.year * 10000 + day.month * 100 + day.day


_FORMATS = {"text": _native.FORMAT_TEXT, "markdown": _native.FORMAT_MARKDOWN}


def _listing_format(fmt: str) -> int:
    if fmt not in _FORMATS:
        raise ValueError(f"format {fmt!r} is not 'text' or 'markdown'")
    return _FORMATS[fmt]


def _set_date(target: common_pb2.Date, value: DateLike) -> None:
    day = _date(value)
    if day is not None:
        target.year, target.month, target.day = day.year, day.month, day.day


class Store(_native.Handle):
    """A store opened (or created) at ``path``.

    Args:
        path: the store's file.
        create: create the file and its schema when missing (else a missing
            store raises NotFoundError).
        busy_timeout: seconds a write waits for another writer before
            raising BusyError (None: the library's default, 10 seconds).
    """

    _free = lib.tellus_store_free

    def __init__(
        self,
        path: PathLike,
        *,
        create: bool = True,
        busy_timeout: Optional[float] = None,
    ) -> None:
        p = os.fsencode(path)
        timeout = -1 if busy_timeout is None else int(busy_timeout * 1000)
        super().__init__(
            _native.new_handle(
                lambda out: lib.tellus_store_open(out, p, int(create), timeout)
            )
        )
        self.path = os.fspath(path)

    # --- Imports ------------------------------------------------------------

    def import_csv(
        self,
        cases: PathLike,
        interactions: Optional[PathLike] = None,
        *,
        strict: bool = False,
    ) -> store_pb2.StoreImportSummary:
        """Imports CSV exports in one transaction.

        Returns the ``tellus.v1.StoreImportSummary``: rows read, accepted
        and rejected; new, already present, extended and conflicting records;
        the rejects; ``text`` for people. With ``strict`` any rejected row or
        conflict raises FailedPreconditionError and nothing is written.
        """
        c = os.fsencode(cases)
        i = None if interactions is None else os.fsencode(interactions)
        data = _native.take_buffer(
            lambda out, size: lib.tellus_store_import_csv(
                out, size, self.pointer, c, i, int(strict)
            )
        )
        return store_pb2.StoreImportSummary.FromString(data)

    def import_data_dir(
        self, path: PathLike, *, strict: bool = False
    ) -> store_pb2.StoreImportSummary:
        """Imports a data directory written by ``tellus import --out DIR``."""
        d = os.fsencode(path)
        data = _native.take_buffer(
            lambda out, size: lib.tellus_store_import_data_dir(
                out, size, self.pointer, d, int(strict)
            )
        )
        return store_pb2.StoreImportSummary.FromString(data)

    # --- Records ------------------------------------------------------------

    def add_case(self, case: case_pb2.Case) -> None:
        """Adds a new case with its history (checked by the state machine)."""
        b = case.SerializeToString()
        _native.check(lib.tellus_store_add_case(self.pointer, b, len(b)))

    def append_event(self, ref: str, event: case_pb2.Event) -> None:
        """Appends an event to a held case; raises InvalidArgumentError,
        naming the rule, when the state machine refuses it."""
        b = event.SerializeToString()
        _native.check(
            lib.tellus_store_append_event(self.pointer, ref.encode(), b, len(b))
        )

    def add_interaction(self, interaction: interaction_pb2.Interaction) -> None:
        """Adds a new interaction."""
        b = interaction.SerializeToString()
        _native.check(lib.tellus_store_add_interaction(self.pointer, b, len(b)))

    def case(self, ref: str) -> case_pb2.Case:
        """The case with its whole history; NotFoundError when not held."""
        data = _native.take_buffer(
            lambda out, size: lib.tellus_store_get_case(
                out, size, self.pointer, ref.encode()
            )
        )
        return case_pb2.Case.FromString(data)

    def cases(
        self,
        *,
        directorate: str = "",
        type: Optional[int] = None,  # noqa: A002 (the schema's name)
        customer: str = "",
        received_from: DateLike = None,
        received_to: DateLike = None,
        status: Optional[int] = None,
        on: DateLike = None,
        overdue: bool = False,
        overdue_stage: Optional[int] = None,
        region: str = "",
        query: Optional[store_pb2.CaseQuery] = None,
    ) -> List[store_pb2.ListedCase]:
        """The cases that match, by reference: each a ``tellus.v1.ListedCase``
        with the record, its folded state (status, due dates) and what is
        overdue.

        Args:
            directorate, customer: exact matches ("" for any).
            type: a ``case_pb2.CaseType`` value.
            received_from, received_to: dates received, inclusive.
            status: a ``state_pb2.CaseStatus`` value, judged on ``on``.
            on: judge status and deadlines on what was known at the end of
                this day; needed for ``overdue``.
            overdue: only complaints with an acknowledgement or response
                overdue on ``on`` (at ``overdue_stage``, 1 or 2, if given).
            region: bank holidays ("" is England and Wales).
            query: a ``tellus.v1.CaseQuery`` to start from.
        """
        q = store_pb2.CaseQuery()
        if query is not None:
            q.CopyFrom(query)
        if directorate:
            q.directorate = directorate
        if type is not None:
            q.type = type
        if customer:
            q.customer = customer
        if received_from is not None:
            _set_date(q.received_from, received_from)
        if received_to is not None:
            _set_date(q.received_to, received_to)
        if status is not None:
            q.status = status
        if on is not None:
            _set_date(q.on, on)
        if overdue:
            q.overdue_only = True
        if overdue_stage is not None:
            q.overdue_stage = overdue_stage
        if region:
            q.region = region
        b = q.SerializeToString()
        data = _native.take_buffer(
            lambda out, size: lib.tellus_store_list_cases(
                out, size, self.pointer, b, len(b)
            )
        )
        return list(store_pb2.CaseListing.FromString(data).cases)

    # --- Restrictions and question sets -------------------------------------

    def add_restrictions(
        self, restrictions: Iterable[restriction_pb2.Restriction]
    ) -> store_pb2.StoreImportCounts:
        """Adds contact restrictions in one transaction.

        Each is validated; one the store holds with the same content (in any
        version) adds nothing (``present``); one with other content, such as
        a review or an end date, becomes the restriction's next version
        (``extended``; the latest version is the one in force). A new
        version must keep the customer. Any error (InvalidArgumentError,
        FailedPreconditionError) writes nothing.
        """
        message = restriction_pb2.RestrictionList()
        message.restrictions.extend(restrictions)
        b = message.SerializeToString()
        data = _native.take_buffer(
            lambda out, size: lib.tellus_store_add_restrictions(
                out, size, self.pointer, b, len(b)
            )
        )
        return store_pb2.StoreImportCounts.FromString(data)

    def restrictions(self) -> List[restriction_pb2.Restriction]:
        """The latest version of every restriction held, by id."""
        data = _native.take_buffer(
            lambda out, size: lib.tellus_store_get_restrictions(
                out, size, self.pointer
            )
        )
        return list(restriction_pb2.RestrictionList.FromString(data).restrictions)

    def put_question_set(self, question_set: question_set_pb2.QuestionSet) -> bool:
        """Writes a question set version: True when added, False when the
        store held the same id and version with the same content. Other
        content under a held id and version raises FailedPreconditionError
        (a revision takes the next version)."""
        b = question_set.SerializeToString()
        added = ctypes.c_int(-1)
        _native.check(
            lib.tellus_store_put_question_set(
                ctypes.byref(added), self.pointer, b, len(b)
            )
        )
        return added.value == 1

    # --- Listings for people ------------------------------------------------

    def digest(
        self,
        directorate: str,
        month: Union[str, datetime.date],
        *,
        as_of: DateLike = None,
        format: str = "text",  # noqa: A002 (as the command line names it)
    ) -> str:
        """A directorate's month for its management team, as known at the
        end of ``as_of`` (default: the month's last day). ``month`` is
        "YYYY-MM" or a date in the month; ``format`` "text" or "markdown"."""
        if isinstance(month, datetime.date):
            yyyymm = month.year * 100 + month.month
        else:
            year, _, mm = month.partition("-")
            if not (year.isdigit() and mm.isdigit()):
                raise ValueError(f"month {month!r} is not of the form YYYY-MM")
            yyyymm = int(year) * 100 + int(mm)
        day = 0 if as_of is None else _yyyymmdd(as_of, "as_of")
        fmt = _listing_format(format)
        d = directorate.encode()
        return _native.take_buffer(
            lambda out, size: lib.tellus_store_digest(
                out, size, self.pointer, d, yyyymm, day, fmt
            )
        ).decode("utf-8")

    def compliments(
        self,
        *,
        staff: str = "",
        team: str = "",
        period: str,
        format: str = "text",  # noqa: A002
    ) -> str:
        """The compliments received in ``period`` about an officer and/or a
        team (at least one), for a 1-2-1 or an appraisal."""
        fmt = _listing_format(format)
        s, t, p = staff.encode(), team.encode(), period.encode()
        return _native.take_buffer(
            lambda out, size: lib.tellus_store_compliments(
                out, size, self.pointer, s, t, p, fmt
            )
        ).decode("utf-8")

    def restrictions_in_force(
        self, on: DateLike, *, format: str = "text"  # noqa: A002
    ) -> str:
        """The contact restrictions in force on a day, overdue reviews
        first."""
        day = _yyyymmdd(on, "on")
        fmt = _listing_format(format)
        return _native.take_buffer(
            lambda out, size: lib.tellus_store_restrictions_in_force(
                out, size, self.pointer, day, fmt
            )
        ).decode("utf-8")

    # --- Reading everything -------------------------------------------------

    def dataset(self) -> Dataset:
        """Everything held, from one snapshot, as a :class:`tellus.Dataset`."""
        return Dataset(
            _native.new_handle(
                lambda out: lib.tellus_store_load_dataset(out, self.pointer)
            )
        )

    def report(
        self,
        period: Optional[str] = None,
        as_of: AsOf = None,
        **settings: Any,
    ) -> Report:
        """The annual report of everything held; see :meth:`Dataset.report`."""
        with self.dataset() as ds:
            return ds.report(period, as_of, **settings)

    def export(self, path: PathLike) -> None:
        """Writes everything to a data directory (protobuf streams)."""
        _native.check(lib.tellus_store_export(self.pointer, os.fsencode(path)))

    # --- Personal data ------------------------------------------------------

    def anonymise(
        self, closed_before: DateLike, *, dry_run: bool = False
    ) -> store_pb2.RetentionSummary:
        """Anonymises cases closed before a date (customer, staff, free text)
        and restrictions that ended before it, each in the audit table;
        report figures do not change."""
        yyyymmdd = _yyyymmdd(closed_before, "closed_before")
        data = _native.take_buffer(
            lambda out, size: lib.tellus_store_anonymise(
                out, size, self.pointer, yyyymmdd, int(dry_run)
            )
        )
        return store_pb2.RetentionSummary.FromString(data)

    def subject_access(self, customer: str) -> store_pb2.SubjectAccessExport:
        """Everything held about one customer (cases with their history,
        interactions, and every version of their restrictions)."""
        data = _native.take_buffer(
            lambda out, size: lib.tellus_store_subject_access(
                out, size, self.pointer, customer.encode()
            )
        )
        return store_pb2.SubjectAccessExport.FromString(data)

    def check(self) -> None:
        """Checks the file's integrity; raises MalformedError when damaged."""
        _native.check(lib.tellus_store_check(self.pointer))

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: Any) -> None:
        self.close()

    def __repr__(self) -> str:
        return f"<tellus.Store {self.path}>"
