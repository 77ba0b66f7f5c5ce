"""The store: an append-only case register in one SQLite file.

    >>> with tellus.Store("council.tellus") as store:
    ...     s = store.import_csv("cases.csv", "interactions.csv")
    ...     print(s.text)           # "... 1234 new cases, 0 already present ..."
    ...     store.import_csv("cases.csv", "interactions.csv").cases.present
    ...     store.append_event("CMP-2023-0412", event)   # a tellus.v1.Event
    ...     store.case("CMP-2023-0412")                   # with its history
    ...     [c.record.ref for c in store.cases(on="2024-05-01", overdue=True)]
    ...     store.report(period="2023/24", as_of="2024-06-30")

Nothing is updated in place (a correction is a new event), every import is
one transaction, and importing the same records again adds nothing. A
``Store`` is one connection: use it from one thread at a time, and open one
per thread or process (many may read while one writes). A writer that waits
for another beyond ``busy_timeout`` raises :class:`tellus.BusyError`.
"""

from __future__ import annotations

import datetime
import os
from typing import Any, List, Optional, Union

from . import _native
from ._native import lib
from .dataset import AsOf, Dataset, PathLike
from .report import Report
from .v1 import case_pb2, common_pb2, interaction_pb2, store_pb2

__all__ = ["Store"]

DateLike = Union[str, datetime.date, None]


def _date(value: DateLike) -> Optional[datetime.date]:
    if value is None or isinstance(value, datetime.date):
        return value
    return datetime.date.fromisoformat(value)


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
        """Anonymises cases closed before a date (customer, staff, free text),
        each in the audit table; report figures do not change."""
        day = _date(closed_before)
        if day is None:
            raise TypeError("closed_before is required")
        yyyymmdd = day.year * 10000 + day.month * 100 + day.day
        data = _native.take_buffer(
            lambda out, size: lib.tellus_store_anonymise(
                out, size, self.pointer, yyyymmdd, int(dry_run)
            )
        )
        return store_pb2.RetentionSummary.FromString(data)

    def subject_access(self, customer: str) -> store_pb2.SubjectAccessExport:
        """Everything held about one customer (cases with their history, and
        interactions)."""
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
