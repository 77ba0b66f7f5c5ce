"""tellus: UK councils' customer feedback, from records to the annual report.

The Python face of libtellus, through its stable C ABI. Domain data is the
``tellus.v1`` protobuf schema (``from tellus.v1 import report_pb2``).

    import datetime, tellus

    ds = tellus.Dataset.from_csv(cases="cases.csv",
                                 interactions="interactions.csv")
    print(ds.summary)              # rows read, accepted, rejected by rule
    for r in ds.rejects:           # each rejected row with its reason
        print(f"{r.file}:{r.line}: {r.reason}")

    report = ds.report(period="2023/24", as_of="2024-06-30", homes=28000)
    report.metric("complaints_received")       # int
    report.metric("upheld_rate")               # fractions.Fraction
    report.values()                            # {key: value}
    report.to_dict()                           # the JSON contract
    report.message                             # the tellus.v1 AnnualReport

    # Partial aggregates: compute anywhere, pickle, merge, report.
    p1 = ds.partial(period="2023/24", as_of="2024-06-30", cases=range(0, 100))
    p2 = ds.partial(period="2023/24", as_of="2024-06-30",
                    cases=range(100, ds.case_count))
    tellus.report_from_partial(p1.merge(p2), homes=28000)

    tellus.add_working_days(datetime.date(2023, 5, 5), 1)  # 2023-05-09

Errors are :class:`tellus.Error` subclasses carrying the library's message.
The library is found through ``TELLUS_LIBRARY``, next to the package, in the
build tree, or on the system's library path.
"""

from . import _native
from .calendar import (
    Calendar,
    Holiday,
    acknowledgement_due,
    add_working_days,
    is_holiday,
    is_working_day,
    responded_on_time,
    response_due,
    working_days_between,
)
from .cases import fold_case
from .dataset import (
    Dataset,
    Partial,
    merge_partials,
    report_from_partial,
    report_settings,
)
from .errors import (
    Error,
    FailedPreconditionError,
    FileAccessError,
    InternalError,
    InvalidArgumentError,
    MalformedError,
    NotFoundError,
    OutOfMemoryError,
    UnsupportedError,
)
from .report import Report, metric, metric_values, report_to_dict

__version__ = "0.1.0"

#: The version of the loaded libtellus, "MAJOR.MINOR.PATCH".
library_version: str = _native.lib.tellus_version().decode()
#: Where the loaded libtellus came from.
library_path: str = _native.library_path

__all__ = [
    "Calendar",
    "Dataset",
    "Error",
    "FailedPreconditionError",
    "FileAccessError",
    "Holiday",
    "InternalError",
    "InvalidArgumentError",
    "MalformedError",
    "NotFoundError",
    "OutOfMemoryError",
    "Partial",
    "Report",
    "UnsupportedError",
    "acknowledgement_due",
    "add_working_days",
    "fold_case",
    "is_holiday",
    "is_working_day",
    "library_path",
    "library_version",
    "merge_partials",
    "metric",
    "metric_values",
    "report_from_partial",
    "report_settings",
    "report_to_dict",
    "responded_on_time",
    "response_due",
    "working_days_between",
]
