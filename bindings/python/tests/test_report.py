"""Reports: the AnnualReport message, metric access, dicts, rendering."""

import json
import pickle
import subprocess
from fractions import Fraction

import pytest

import tellus
from conftest import AS_OF, PERIOD, env_path
from tellus.v1 import report_pb2


def test_report_is_the_annual_report_message(report):
    assert isinstance(report.message, report_pb2.AnnualReport)
    assert report.period.label == PERIOD
    assert report.previous_period.label == "2022/23"
    assert report.as_of.ToJsonString() == "2024-06-30T22:59:59Z"
    assert len(report.five_year) == 5
    assert report.settings.homes == 28000
    assert report == report.message
    assert report == tellus.Report.from_bytes(report.SerializeToString())
    assert "2023/24" in repr(report)


def test_metric_access(report):
    received = report.metric("complaints_received")
    assert isinstance(received, int) and received > 0
    upheld = report.metric("upheld_rate")
    assert isinstance(upheld, Fraction) and 0 < upheld < 1
    m = next(m for m in report.metrics if m.key == "upheld_rate")
    assert upheld == Fraction(m.current.ratio.numerator, m.current.ratio.denominator)
    assert report.metric("complaints_received", previous=True) == next(
        m.previous.count for m in report.metrics if m.key == "complaints_received")
    housing = report.metric("complaints_received", directorate="Housing")
    assert 0 < housing < received
    repairs = report.metric("complaints_received", directorate="Housing",
                            service="Repairs")
    assert 0 < repairs <= housing
    assert tellus.metric(report.message, "upheld_rate") == upheld
    with pytest.raises(KeyError):
        report.metric("no_such_metric")
    with pytest.raises(KeyError):
        report.metric("complaints_received", directorate="Nowhere")
    with pytest.raises(KeyError):
        report.metric("complaints_received", directorate="Housing",
                      service="Nowhere")
    with pytest.raises(tellus.InvalidArgumentError):
        report.metric("complaints_received", service="Repairs")


def test_values_and_plain_dicts(report):
    values = report.values()
    assert list(values) == report.keys()
    assert values["complaints_received"] == report.metric("complaints_received")
    assert isinstance(values["ch01_stage1_per_1000_homes"], Fraction)
    assert tellus.metric_values(report, previous=True).keys() == values.keys()
    d = report.to_dict()
    assert isinstance(d, dict)
    assert d["period"]["label"] == PERIOD
    assert d == json.loads(report.to_json())
    assert d == tellus.report_to_dict(report.message)
    json.dumps(d)  # plain data only


def test_rendering(report):
    assert "complaints were received in 2023/24" in report.to_text()
    assert report.to_markdown().startswith("#")


def test_same_report_as_the_command_line(synthetic_csv, report):
    cli = env_path("TELLUS_CLI")
    out = subprocess.run(
        [cli, "report", "--cases", synthetic_csv[0], "--interactions",
         synthetic_csv[1], "--period", PERIOD, "--as-of", AS_OF,
         "--homes", "28000", "--format", "json"],
        check=True, capture_output=True, text=True).stdout
    assert json.loads(out) == report.to_dict()


def test_settings(dataset):
    import datetime

    by_date = dataset.report(period=PERIOD, as_of=datetime.date(2024, 6, 30))
    by_text = dataset.report(period=PERIOD, as_of=AS_OF)
    assert by_date == by_text
    by_time = dataset.report(
        period=PERIOD,
        as_of=datetime.datetime(2024, 6, 30, 22, 59, 59,
                                tzinfo=datetime.timezone.utc))
    assert by_time == by_text
    published = dataset.report(period=PERIOD, as_of=AS_OF, publish=True,
                               suppression_threshold=100, council="Tellus MBC",
                               top_services=3)
    assert published.settings.council == "Tellus MBC"
    assert len(published.top_services) == 3
    shown = [m.current for d in published.by_directorate for m in d.metrics]
    assert any(v.WhichOneof("kind") == "suppressed" for v in shown)
    assert published.metric("complaints_received") == by_text.metric(
        "complaints_received")  # totals are never suppressed
    calendar_year = dataset.report(period="2023", as_of="2024-06-30")
    assert calendar_year.period.label == "2023"
    settings = tellus.report_settings(PERIOD, AS_OF, homes=5, region="scotland",
                                      landlord_directorates=["Housing"])
    assert settings.homes == 5 and list(settings.landlord_directorates) == ["Housing"]
    assert dataset.report(settings=settings).settings.region == "scotland"


def test_report_errors(dataset):
    with pytest.raises(tellus.InvalidArgumentError, match="2023/25"):
        dataset.report(period="2023/25", as_of=AS_OF)
    with pytest.raises(tellus.InvalidArgumentError, match="before the end"):
        dataset.report(period=PERIOD, as_of="2024-03-30")
    with pytest.raises(ValueError, match="homes"):
        dataset.report(period=PERIOD, as_of=AS_OF, homes=-1)
    with pytest.raises(tellus.InvalidArgumentError, match="threads"):
        dataset.report(period=PERIOD, as_of=AS_OF, threads=-1)
    with pytest.raises(tellus.InvalidArgumentError):
        dataset.report(period=PERIOD, as_of="the day after tomorrow")
    with pytest.raises(tellus.InvalidArgumentError):
        dataset.report(period=PERIOD, as_of=AS_OF, region="mars")
    with pytest.raises(TypeError):
        dataset.report(period=PERIOD, as_of=3.5)


def test_reports_pickle(report):
    again = pickle.loads(pickle.dumps(report))
    assert again == report and again is not report
    assert again.metric("upheld_rate") == report.metric("upheld_rate")
