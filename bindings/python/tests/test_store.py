"""The store: imports, events, listings, reports, retention, errors."""

import datetime

import pytest

import tellus
from tellus.v1 import case_pb2, common_pb2, interaction_pb2, state_pb2


@pytest.fixture
def store(tmp_path, messy):
    with tellus.Store(tmp_path / "council.tellus") as s:
        first = s.import_csv(messy[0], messy[1])
        assert (first.cases.added, first.interactions.added) == (5, 6)
        yield s


def lesson(day, theme=""):
    e = case_pb2.Event()
    e.when.date.CopyFrom(common_pb2.Date(year=day.year, month=day.month,
                                         day=day.day))
    e.lesson_learnt.theme = theme
    return e


def test_import_again_adds_nothing(store, messy):
    again = store.import_csv(messy[0], messy[1])
    assert (again.cases.added, again.cases.present) == (0, 5)
    assert (again.interactions.added, again.interactions.present) == (0, 6)
    assert again.same_content_as == 1
    assert "0 new cases, 5 already present" in again.text
    assert len(again.rejects.rejects) == 15
    with pytest.raises(tellus.FailedPreconditionError, match="--strict"):
        store.import_csv(messy[0], messy[1], strict=True)


def test_cases_events_and_the_state_machine(store):
    c = store.case("CMP-002")
    assert c.customer == "CUST-2" and len(c.events) == 7
    store.append_event("CMP-001", lesson(datetime.date(2023, 7, 1), "roofs"))
    assert store.case("CMP-001").events[-1].lesson_learnt.theme == "roofs"
    bad = case_pb2.Event()
    bad.when.date.CopyFrom(common_pb2.Date(year=2023, month=8, day=1))
    bad.responded.stage = case_pb2.STAGE_2
    bad.responded.outcome = case_pb2.OUTCOME_UPHELD
    with pytest.raises(tellus.InvalidArgumentError,
                       match="has no escalation request before it"):
        store.append_event("CMP-001", bad)
    with pytest.raises(tellus.NotFoundError):
        store.case("NOPE")
    i = interaction_pb2.Interaction(id="I-100",
                                    kind=interaction_pb2.INTERACTION_KIND_CONTACT)
    i.at.date.CopyFrom(common_pb2.Date(year=2023, month=9, day=1))
    store.add_interaction(i)
    with pytest.raises(tellus.InvalidArgumentError):
        store.add_interaction(i)


def test_overdue_and_status(store):
    listed = store.cases(on="2024-05-01", overdue=True)
    assert [c.record.ref for c in listed] == ["CMP-011"]
    assert [o.text for o in listed[0].overdue] == [
        "stage 1 acknowledgement due 2024-04-08, 17 working days late",
        "stage 1 response due 2024-04-22, 7 working days late",
    ]
    recorded = store.cases(status=state_pb2.CASE_STATUS_RECORDED)
    assert [c.record.ref for c in recorded] == ["ENQ-001", "KUD-001"]
    assert len(store.cases(directorate="Housing")) == 4


def test_report_is_the_csv_report(store, messy):
    from_store = store.report(period="2023/24", as_of="2024-06-30")
    from_csv = tellus.Dataset.from_csv(messy[0], messy[1]).report(
        period="2023/24", as_of="2024-06-30")
    assert from_store.to_dict() == from_csv.to_dict()


def test_retention_keeps_the_figures(store, tmp_path):
    before = store.report(period="2023/24", as_of="2024-06-30").to_dict()
    assert len(store.subject_access("CUST-2").cases) == 1
    dry = store.anonymise(datetime.date(2030, 1, 1), dry_run=True)
    assert dry.dry_run and list(dry.cases) == [
        "CMP-001", "CMP-002", "ENQ-001", "KUD-001"]
    assert store.case("CMP-001").customer == "CUST-1"
    done = store.anonymise("2030-01-01")
    assert len(done.cases) == 4
    assert store.case("CMP-001").customer == ""
    assert len(store.subject_access("CUST-2").cases) == 0
    assert store.report(period="2023/24", as_of="2024-06-30").to_dict() == before
    store.export(tmp_path / "export")
    assert (tmp_path / "export" / "cases.binpb").exists()
    store.check()


def test_errors(tmp_path):
    with pytest.raises(tellus.NotFoundError, match="no store here"):
        tellus.Store(tmp_path / "missing.tellus", create=False)
    garbage = tmp_path / "garbage.tellus"
    garbage.write_bytes(b"#" * 8192)
    with pytest.raises(tellus.MalformedError, match="the store is damaged"):
        tellus.Store(garbage)
    assert tellus.BusyError.status == -9
    assert issubclass(tellus.BusyError, OSError)
