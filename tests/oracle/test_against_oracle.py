"""The tellus CLI against the independent oracle of the spec (oracle.py).

Runs through ctest with the Python suite (bindings/python/CMakeLists.txt
passes this folder to pytest and sets TELLUS_CLI); by hand:

  TELLUS_CLI=build/release/tools/tellus/tellus \
      /usr/bin/python3 -m pytest -q tests/oracle

More seeds, by hand: python3 tests/oracle/compare.py --cli ... 0-999
"""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))
import compare  # noqa: E402
import generate  # noqa: E402
import oracle as o  # noqa: E402

D = dt.date

# Seeds chosen to cover every kind of period (financial years with other
# start months, calendar years, ranges), as-of dates and date-times, CH01
# with and without landlord directorates, and --publish.
SEEDS = [0, 1, 2, 3, 4, 5, 11, 17, 23, 42, 101, 202]


@pytest.fixture(scope="module")
def cli() -> str:
    value = os.environ.get("TELLUS_CLI")
    if not value:
        pytest.skip("TELLUS_CLI is not set (run the tests through ctest)")
    return value


# --- the oracle against the spec's own examples ------------------------------

def test_substitute_days_as_the_spec_words_them():
    # Christmas on a Saturday: Monday 27th, Boxing Day's substitute Tuesday 28th
    assert {D(2021, 12, 27), D(2021, 12, 28)} <= o.holidays(2021)
    # Christmas on a Sunday: Boxing Day Monday 26th, Christmas Tuesday 27th
    assert {D(2022, 12, 26), D(2022, 12, 27)} <= o.holidays(2022)
    assert D(2022, 5, 30) not in o.holidays(2022)
    assert {D(2022, 6, 2), D(2022, 6, 3), D(2022, 9, 19)} <= o.holidays(2022)
    assert D(2020, 5, 4) not in o.holidays(2020)
    assert D(2020, 5, 8) in o.holidays(2020)


def test_add_working_days_never_counts_the_start():
    assert o.add_working_days(D(2021, 12, 24), 1) == D(2021, 12, 29)
    assert o.add_working_days(D(2023, 5, 6), 1) == D(2023, 5, 9)  # coronation


def test_london_dates_and_the_clock_changes():
    UTC = o.UTC
    assert o.london_date(dt.datetime(2023, 6, 30, 23, 30, tzinfo=UTC)) == D(2023, 7, 1)
    assert o.london_date(dt.datetime(2023, 12, 31, 23, 30, tzinfo=UTC)) == D(2023, 12, 31)
    # spring-forward gap: read as if the clocks had not changed yet
    assert o.parse_datetime("2024-03-31T01:30") == dt.datetime(2024, 3, 31, 1, 30, tzinfo=UTC)
    # autumn overlap: the first of the two instants (BST)
    assert o.parse_datetime("2024-10-27 01:30") == dt.datetime(2024, 10, 27, 0, 30, tzinfo=UTC)
    # an as-of date is the last second of that London day
    assert o.parse_as_of("2024-06-30") == dt.datetime(2024, 6, 30, 22, 59, 59, tzinfo=UTC)


def test_money_and_enumerations():
    assert o.parse_money("£1,250.00") == 125000
    assert o.parse_money("150.5") == 15050
    assert o.parse_money("1,25") is None
    assert o.parse_money("-5") is None
    assert o.parse_enum("Partly Upheld", o.OUTCOMES) == "partly_upheld"
    assert o.parse_enum("in-person", o.CHANNELS) == "in_person"


def test_relative_change_divides_by_the_previous_figure():
    assert round(o.change(3730, 3196)["relative"] * 100, 1) == 16.7
    c = o.change((30, 100), (22, 100))
    assert round(c["percentage_points"], 6) == 8
    assert round(c["relative"] * 100) == 36


# --- tellus against the oracle ----------------------------------------------

@pytest.mark.parametrize("seed", SEEDS)
def test_cli_matches_the_oracle(cli, tmp_path, seed):
    sc = generate.generate(seed)
    diffs = compare.compare(cli, sc, tmp_path)
    assert not diffs, (f"seed {seed} ({sc.period_arg}, as-of {sc.as_of_arg!r}, "
                       f"homes {sc.homes}, landlord {sc.landlord}, "
                       f"publish {sc.publish}):\n" + "\n".join(diffs))


def test_cli_matches_the_oracle_on_a_larger_data_set(cli, tmp_path):
    # Enough interactions for the report kernel's blocks of 16,384 rows and
    # the import's batches of 64 linked rows to turn over many times.
    sc = generate.generate(2001, n_cases=3000, n_inter=40000)
    diffs = compare.compare(cli, sc, tmp_path)
    assert not diffs, "seed 2001, 40,000 interactions:\n" + "\n".join(diffs)


def test_working_day_calendar_matches_the_oracle(cli):
    for year in range(1998, 2036):
        out = subprocess.run([cli, "workdays", "holidays", str(year)],
                             capture_output=True, text=True, check=True).stdout
        got = {D.fromisoformat(line.split("\t")[0])
               for line in out.splitlines() if line.strip()}
        # a holiday on a weekend changes no working day; compare the others
        assert {d for d in got if d.weekday() < 5} == \
            {d for d in o.holidays(year) if d.weekday() < 5}, year


CASES_HEADER = ("case_ref,type,received,directorate,s1_acknowledged,"
                "s1_responded,s1_outcome,s2_requested,s2_responded,s2_outcome,"
                "withdrawn,ombudsman,ombudsman_received,ombudsman_decision,"
                "ombudsman_decided,remedy_amount\n")


@pytest.mark.parametrize("name,rows", [
    ("a quote inside an unquoted field",
     'A,complaint,2023-05-02,Hou"sing,,,,,,,,,,,,\nB,complaint,2023-05-02,Housing,,,,,,,,,,,,\n'),
    ("a duplicate after a rejected row",
     "A,grumble,2023-05-02,Housing,,,,,,,,,,,,\nA,complaint,2023-05-02,Housing,,,,,,,,,,,,\n"),
    ("withdrawals on the day of a response or an escalation",
     "W1,complaint,2023-05-02,H,,2023-05-10,upheld,,,,2023-05-10,,,,,\n"
     "W2,complaint,2023-05-02,H,,2023-05-10,upheld,2023-05-10,,,2023-05-10,,,,,\n"
     "W3,complaint,2023-05-02,H,,2023-05-10,upheld,2023-05-12,2023-06-01,upheld,2023-06-01,,,,,\n"),
    ("an Ombudsman decision from the other body's list",
     "O1,complaint,2023-05-02,H,,,,,,,,hos,2023-06-01,upheld,2023-09-01,\n"
     "O2,complaint,2023-05-02,H,,,,,,,,Housing Ombudsman,2023-06-01,redress,2023-09-01,\n"
     "O3,complaint,2023-05-02,H,,,,,,,,LGSCO,2023-06-01,Upheld Satisfactory-Remedy,2023-09-01,\n"),
    ("money forms",
     'M1,complaint,2023-05-02,H,,2023-05-10,upheld,,,,,,,,,"£1,250.00"\n'
     'M2,complaint,2023-05-02,H,,2023-05-10,upheld,,,,,,,,,"1,25"\n'
     'M3,complaint,2023-05-02,H,,2023-05-10,upheld,,,,,,,,,-5\n'),
])
def test_cli_import_edges_match_the_oracle(cli, tmp_path, name, rows):
    sc = generate.Scenario(0, (CASES_HEADER + rows).encode(),
                           b"interaction_id,at,channel,kind\n", "2023/24",
                           o.financial_year(2023), "2024-06-30")
    diffs = compare.compare(cli, sc, tmp_path)
    assert not diffs, name + ":\n" + "\n".join(diffs)


def test_cli_bytes_that_are_not_utf8_match_the_oracle(cli, tmp_path):
    # in a known column the row is rejected; in an unknown one it is kept
    cases = (b"case_ref,type,received,directorate,notes\n"
             b"A,complaint,2023-05-02,Hous\xffing,\n"
             b"B,complaint,2023-05-02,Housing,caf\xe9\n"
             b"C\xc3,complaint,2023-05-02,Housing,\n")
    sc = generate.Scenario(0, cases, b"interaction_id,at,channel,kind\n",
                           "2023/24", o.financial_year(2023), "2024-06-30")
    diffs = compare.compare(cli, sc, tmp_path)
    assert not diffs, "\n".join(diffs)


# --- re-running with the same T over data that has since grown ---------------

def _grown(sc: generate.Scenario) -> tuple[bytes, bytes]:
    """The scenario's data with a later history: every accepted complaint's
    next step (stage 1 response, escalation or stage 2 response) and a
    Lessons Learnt record dated after T, and new cases and interactions
    after T. (No extension is added: one counts as soon as its response is
    known, METRICS.md.)"""
    import csv
    import io
    t = o.parse_as_of(sc.as_of_arg)
    tday = o.london_date(t)
    header, _, recs = o.read_csv(sc.cases)
    cols = [h.strip().lower() for h in header]
    add = [c for c in ("s1_responded", "s1_outcome", "s2_requested",
                       "s2_responded", "s2_outcome", "lessons_learnt")
           if c not in cols]
    names = cols + add
    ds = o.import_csv(sc.cases, None)
    rejected = {x.line for x in ds.rejects}
    rows = []
    for rec in recs:
        f = list(rec.fields) + [""] * len(add)
        ref = dict(zip(names, f)).get("case_ref", "").strip()
        c = ds.cases.get(ref)
        if rec.line not in rejected and c is not None and c.type == "complaint":
            v = dict(zip(names, (x.strip(" ") for x in f)))
            last = max([w.date for w in c.v.values() if isinstance(w, o.When)]
                       + [c.received.date, tday])
            later = last + dt.timedelta(days=1)
            soon = t + dt.timedelta(minutes=1)
            if last == tday and o.london_date(soon) == tday:
                later = soon.strftime("%Y-%m-%dT%H:%M:%SZ")  # T's day, after T
            else:
                later = later.isoformat()
            if not v.get("withdrawn"):
                if not v.get("s1_responded"):
                    v["s1_responded"], v["s1_outcome"] = later, "upheld"
                elif not v.get("s2_requested"):
                    v["s2_requested"] = later
                elif not v.get("s2_responded"):
                    v["s2_responded"], v["s2_outcome"] = later, "not upheld"
            if not v.get("lessons_learnt"):
                v["lessons_learnt"] = later
            f = [v[k] for k in names]
        rows.append(f)
    directorates = sorted(ds.directorates) or ["Housing"]
    for i in range(5):
        row = dict.fromkeys(names, "")
        row.update(case_ref=f"GROWN-{i}", type="complaint",
                   received=(tday + dt.timedelta(days=i + 1)).isoformat(),
                   directorate=directorates[i % len(directorates)])
        rows.append([row[k] for k in names])
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows([header + add] + rows)
    cases = out.getvalue().encode("utf-8", "surrogateescape")
    iheader, _, irecs = o.read_csv(sc.interactions)
    icols = [h.strip().lower() for h in iheader]
    irows = [r.fields for r in irecs]
    for i in range(5):
        row = dict.fromkeys(icols, "")
        row.update(interaction_id=f"GROWN-I-{i}", channel="phone",
                   kind="follow_up", case_ref=next(iter(ds.cases), ""),
                   at=(t + dt.timedelta(minutes=1 + 600 * i)
                       ).strftime("%Y-%m-%dT%H:%M:%SZ"))
        irows.append([row[k] for k in icols])
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows([iheader] + irows)
    return cases, out.getvalue().encode("utf-8", "surrogateescape")


@pytest.mark.parametrize("seed", [3, 8, 21])
def test_same_t_over_grown_data_gives_the_same_report(cli, tmp_path, seed):
    import json
    sc = generate.generate(seed)
    cases, interactions = _grown(sc)
    grown = generate.Scenario(seed, cases, interactions, sc.period_arg,
                              sc.period, sc.as_of_arg, sc.homes, sc.landlord,
                              sc.fy_start_month, sc.publish)
    reports = []
    for name, s in (("before", sc), ("grown", grown)):
        _, rep, _, _, _ = compare.run_cli(cli, s, tmp_path / name)
        assert rep.returncode == 0, rep.stderr
        reports.append(json.loads(rep.stdout))
    assert reports[0] == reports[1]
    # and the grown data still agrees with the oracle
    assert not compare.compare(cli, grown, tmp_path / "oracle")
