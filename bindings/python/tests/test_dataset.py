"""Loading data sets: CSV files and text, data directories, messages."""

import io
import subprocess

import pytest

import tellus
from tellus.v1 import case_pb2, import_pb2, interaction_pb2


def test_csv_files_summary_and_rejects(messy):
    ds = tellus.Dataset.from_csv(cases=messy[0], interactions=str(messy[1]))
    assert (ds.case_count, ds.interaction_count) == (5, 6)
    s = ds.summary
    assert isinstance(s, import_pb2.ImportSummary)
    assert (s.cases.read, s.cases.accepted, s.cases.rejected) == (16, 5, 11)
    assert (s.interactions.read, s.interactions.accepted) == (10, 6)
    assert s.cases.rejected_by_rule["bad_value"] == 4
    assert s.unlinked_interactions == 2
    rejects = ds.rejects
    assert len(rejects) == 15
    first = rejects[0]
    assert first.file.endswith("cases.csv") and first.line > 1
    assert first.reason and first.rule and first.record
    assert any("CMP-001" in r.reason for r in rejects)  # the duplicate
    assert repr(ds) == "<tellus.Dataset: 5 cases, 6 interactions>"


def test_csv_content_and_open_files(messy):
    from_bytes = tellus.Dataset.from_csv(
        cases=messy[0].read_bytes(), interactions=messy[1].read_bytes())
    with open(messy[0], encoding="utf-8-sig") as c:
        from_files = tellus.Dataset.from_csv(
            cases=c, interactions=io.BytesIO(messy[1].read_bytes()))
    mixed = tellus.Dataset.from_csv(cases=messy[0],
                                    interactions=messy[1].read_bytes())
    for ds in (from_bytes, from_files, mixed):
        assert (ds.case_count, ds.interaction_count) == (5, 6)
    assert from_bytes.rejects[0].file == "<cases>"
    only_cases = tellus.Dataset.from_csv(cases=messy[0])
    assert only_cases.interaction_count == 0


def test_csv_errors(messy, tmp_path):
    with pytest.raises(tellus.NotFoundError, match="no-such.csv") as e:
        tellus.Dataset.from_csv(cases=tmp_path / "no-such.csv")
    assert isinstance(e.value, FileNotFoundError)
    with pytest.raises(tellus.InvalidArgumentError, match="column"):
        tellus.Dataset.from_csv(cases=messy[1])
    with pytest.raises(tellus.InvalidArgumentError):
        tellus.Dataset.from_csv(cases=b"")


def test_data_directory_written_by_tellus_import(synthetic_csv, tmp_path):
    from conftest import env_path

    cli = env_path("TELLUS_CLI")
    out = tmp_path / "data"
    subprocess.run(
        [cli, "import", "--cases", synthetic_csv[0], "--interactions",
         synthetic_csv[1], "--out", out],
        check=True, capture_output=True)
    from_dir = tellus.Dataset.from_data_dir(out)
    from_csv = tellus.Dataset.from_csv(cases=synthetic_csv[0],
                                       interactions=synthetic_csv[1])
    assert from_dir.case_count == from_csv.case_count
    assert from_dir.interaction_count == from_csv.interaction_count
    assert from_dir.rejects == []
    assert from_dir.summary.cases.accepted == from_dir.case_count
    assert (from_dir.report(period="2023/24", as_of="2024-06-30")
            == from_csv.report(period="2023/24", as_of="2024-06-30"))

    # A corrupt stream fails the whole read, naming the file.
    stream = next(out.glob("cases.*"))
    stream.write_bytes(stream.read_bytes()[:-7])
    with pytest.raises((tellus.MalformedError, tellus.InvalidArgumentError),
                       match="cases"):
        tellus.Dataset.from_data_dir(out)
    with pytest.raises(tellus.NotFoundError):
        tellus.Dataset.from_data_dir(tmp_path / "missing")


def test_messages():
    c = case_pb2.Case(ref="E1", type=case_pb2.CASE_TYPE_ENQUIRY,
                      directorate="Housing")
    c.received.date.year, c.received.date.month, c.received.date.day = 2023, 6, 1
    i = interaction_pb2.Interaction(
        id="I1", directorate="Housing",
        kind=interaction_pb2.INTERACTION_KIND_FOLLOW_UP, case_ref="E1")
    i.at.date.year, i.at.date.month, i.at.date.day = 2023, 6, 2
    for cases, interactions in (
        ([c], [i]),
        (case_pb2.CaseList(cases=[c]),
         interaction_pb2.InteractionList(interactions=[i])),
        (case_pb2.CaseList(cases=[c]).SerializeToString(),
         interaction_pb2.InteractionList(interactions=[i]).SerializeToString()),
    ):
        ds = tellus.Dataset.from_messages(cases, interactions)
        assert (ds.case_count, ds.interaction_count) == (1, 1)
        assert ds.summary.unlinked_interactions == 0
    with pytest.raises(tellus.InvalidArgumentError, match="already used"):
        tellus.Dataset.from_messages([c, c])
    with pytest.raises(tellus.MalformedError, match="CaseList"):
        tellus.Dataset.from_messages(b"\x0a\x80")
    assert tellus.Dataset.from_messages().case_count == 0


def test_closed_dataset(messy):
    with tellus.Dataset.from_csv(cases=messy[0]) as ds:
        pass
    with pytest.raises(tellus.Error, match="closed"):
        ds.summary
    ds.close()  # twice is fine
