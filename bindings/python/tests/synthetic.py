"""A small synthetic data set in the CSV export format, for the tests.

Deterministic for a seed: cases received from April 2019 (so the five-year
series has data), complaints through both stages with extensions,
withdrawals, Ombudsman referrals and decisions, lessons and remedies, and
interactions linked to them, plus a few bad rows of each file (rejected by
the import).
"""

from __future__ import annotations

import csv
import datetime
import random
from pathlib import Path
from typing import List, Tuple

CASE_COLUMNS = [
    "case_ref", "type", "received", "directorate", "service", "channel",
    "customer", "s1_acknowledged", "s1_extended_to", "s1_responded",
    "s1_outcome", "s2_requested", "s2_acknowledged", "s2_extended_to",
    "s2_responded", "s2_outcome", "withdrawn", "ombudsman",
    "ombudsman_received", "ombudsman_decision", "ombudsman_decided",
    "lessons_learnt", "remedy_amount", "team", "staff",
]
INTERACTION_COLUMNS = [
    "interaction_id", "at", "channel", "directorate", "service", "kind",
    "customer", "case_ref",
]
SERVICES = {
    "Housing": ["Repairs", "Tenancy", "Allocations"],
    "Environment": ["Waste", "Parks"],
    "Regeneration": ["Planning", "Building Control"],
    "Adult Social Care": ["Assessments"],
}
CHANNELS = ["phone", "email", "web", "letter", "in_person", "social_media"]
OUTCOMES = ["upheld", "partly_upheld", "not_upheld"]
DECISIONS = {
    "lgsco": ["premature", "closed_after_initial_enquiries", "upheld",
              "upheld_satisfactory_remedy", "not_upheld", "withdrawn"],
    "hos": ["no_maladministration", "service_failure", "maladministration",
            "severe_maladministration", "redress", "outside_jurisdiction"],
}
START = datetime.date(2019, 4, 1)
END = datetime.date(2024, 3, 31)


def _day(rng: random.Random, start: datetime.date, end: datetime.date):
    return start + datetime.timedelta(days=rng.randrange((end - start).days + 1))


def _plus(day: datetime.date, days: int) -> datetime.date:
    return day + datetime.timedelta(days=days)


def _complaint(rng: random.Random, row: dict, received: datetime.date) -> bool:
    """Fills a complaint's history; True when it has a final response."""
    ack = _plus(received, rng.randrange(0, 9)) if rng.random() < 0.9 else None
    if rng.random() < 0.05:  # withdrawn while awaiting the response
        row["s1_acknowledged"] = ack or ""
        row["withdrawn"] = _plus(ack or received, rng.randrange(1, 10))
        return False
    if rng.random() < 0.08:  # still awaiting (only late in the data)
        if received > datetime.date(2024, 2, 1):
            row["s1_acknowledged"] = ack or ""
            return False
    responded = _plus(ack or received, rng.randrange(2, 30))
    row["s1_acknowledged"] = ack or ""
    if rng.random() < 0.1:
        row["s1_extended_to"] = _plus(responded, rng.randrange(0, 10))
    row["s1_responded"] = responded
    row["s1_outcome"] = rng.choice(OUTCOMES)
    final = responded
    if rng.random() < 0.2:
        requested = _plus(responded, rng.randrange(1, 25))
        row["s2_requested"] = requested
        if rng.random() < 0.9:
            s2_ack = _plus(requested, rng.randrange(0, 8))
            row["s2_acknowledged"] = s2_ack
            final = _plus(s2_ack, rng.randrange(3, 45))
            if rng.random() < 0.1:
                row["s2_extended_to"] = _plus(final, rng.randrange(0, 10))
            row["s2_responded"] = final
            row["s2_outcome"] = rng.choice(OUTCOMES)
        else:
            return False
    if rng.random() < 0.15:
        row["lessons_learnt"] = _plus(received, rng.randrange(5, 90))
    if rng.random() < 0.1:
        row["remedy_amount"] = f"{rng.randrange(25, 2000)}.{rng.randrange(100):02d}"
    if rng.random() < 0.06:
        body = rng.choice(["lgsco", "hos"])
        referred = _plus(final, rng.randrange(10, 90))
        row["ombudsman"] = body
        row["ombudsman_received"] = referred
        if rng.random() < 0.7:
            row["ombudsman_decision"] = rng.choice(DECISIONS[body])
            row["ombudsman_decided"] = _plus(referred, rng.randrange(10, 150))
    return True


def generate(
    n_cases: int = 1500, n_interactions: int = 6000, seed: int = 7
) -> Tuple[List[dict], List[dict]]:
    """Rows of cases.csv and interactions.csv (dicts keyed by column)."""
    rng = random.Random(seed)
    cases: List[dict] = []
    complaints: List[str] = []
    for i in range(n_cases):
        directorate = rng.choice(sorted(SERVICES))
        kind = rng.choices(["complaint", "compliment", "enquiry"], [70, 15, 15])[0]
        received = _day(rng, START, END)
        ref = f"{kind[:3].upper()}-{i:05d}"
        row = dict.fromkeys(CASE_COLUMNS, "")
        row.update(
            case_ref=ref,
            type=kind,
            received=received,
            directorate=directorate,
            service=rng.choice(SERVICES[directorate]),
            channel=rng.choice(CHANNELS),
            customer=f"CUST-{rng.randrange(n_cases // 2)}",
        )
        if kind == "complaint":
            _complaint(rng, row, received)
            complaints.append(ref)
        elif kind == "compliment" and rng.random() < 0.5:
            row["team"] = f"{row['service']} Team"
        cases.append(row)
    # Rows the import rejects: an impossible date, a response before the
    # receipt, a reference used twice.
    bad = dict.fromkeys(CASE_COLUMNS, "")
    bad.update(case_ref="BAD-1", type="complaint", received="2023-02-30",
               directorate="Housing")
    cases.append(bad)
    bad = dict(bad, case_ref="BAD-2", received="2023-06-01",
               s1_responded="2023-05-01", s1_outcome="upheld")
    cases.append(bad)
    cases.append(dict(cases[0]))

    interactions: List[dict] = []
    first = datetime.datetime(2022, 4, 1, 8, 0)
    span = int((datetime.datetime(2024, 6, 30, 18, 0) - first).total_seconds())
    for k in range(n_interactions):
        at = first + datetime.timedelta(seconds=rng.randrange(span))
        directorate = rng.choice(sorted(SERVICES)) if rng.random() < 0.9 else ""
        kind = rng.choices(
            ["contact", "enquiry", "complaint", "compliment", "follow_up"],
            [60, 10, 10, 5, 15],
        )[0]
        case_ref = ""
        if kind == "follow_up" or (kind == "complaint" and rng.random() < 0.5):
            case_ref = rng.choice(complaints) if rng.random() < 0.95 else "CMP-99999"
        interactions.append(
            dict(
                interaction_id=f"I-{k:06d}",
                at=at.isoformat(timespec="seconds"),
                channel=rng.choice(CHANNELS),
                directorate=directorate,
                service=rng.choice(SERVICES[directorate]) if directorate else "",
                kind=kind,
                customer=f"CUST-{rng.randrange(n_cases // 2)}",
                case_ref=case_ref,
            )
        )
    interactions.append(dict(interactions[0]))  # a duplicate id
    interactions.append(dict(interactions[1], interaction_id="I-BAD", at="2023-13-01"))
    return cases, interactions


def write(directory: Path, **kwargs) -> Tuple[Path, Path]:
    """Writes cases.csv and interactions.csv into ``directory``."""
    cases, interactions = generate(**kwargs)
    paths = directory / "cases.csv", directory / "interactions.csv"
    for path, columns, rows in (
        (paths[0], CASE_COLUMNS, cases),
        (paths[1], INTERACTION_COLUMNS, interactions),
    ):
        with open(path, "w", newline="", encoding="utf-8") as f:
            writer = csv.DictWriter(f, fieldnames=columns)
            writer.writeheader()
            writer.writerows(rows)
    return paths
