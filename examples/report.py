#!/usr/bin/env python3
"""The annual report from Python: import two CSV exports, show what was
rejected and why, and print the headline figures (or the whole report).

    python3 examples/report.py cases.csv interactions.csv \\
        --period 2023/24 --as-of 2024-06-30 --homes 28000 [--json | --text]

Needs the tellus package: installed with pip, or from a build tree with
PYTHONPATH=build/release/python.
"""

from __future__ import annotations

import argparse
import json
import sys
from fractions import Fraction

import tellus

HEADLINES = [
    "complaints_received",
    "stage2_received",
    "upheld_rate",
    "stage1_on_time",
    "stage2_on_time",
    "escalation_rate",
    "compliments",
]


def show(value: tellus.report.MetricValue) -> str:
    """A figure for people: ratios as percentages, one decimal."""
    if isinstance(value, Fraction):
        return f"{float(value) * 100:.1f}%"
    return "n/a" if value is None else str(value)


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("cases", help="cases.csv export")
    parser.add_argument("interactions", help="interactions.csv export")
    parser.add_argument("--period", default="2023/24")
    parser.add_argument("--as-of", default=None, help="YYYY-MM-DD (default now)")
    parser.add_argument("--homes", type=int, default=None, help="homes owned (CH01)")
    output = parser.add_mutually_exclusive_group()
    output.add_argument("--json", action="store_true", help="the whole report as JSON")
    output.add_argument("--text", action="store_true", help="the whole report as text")
    args = parser.parse_args(argv)

    try:
        ds = tellus.Dataset.from_csv(cases=args.cases, interactions=args.interactions)
        report = ds.report(period=args.period, as_of=args.as_of, homes=args.homes)
    except tellus.Error as e:
        print(f"report.py: {e}", file=sys.stderr)
        return 1

    for f in (ds.summary.cases, ds.summary.interactions):
        print(f"{f.file}: {f.read} rows, {f.accepted} accepted, {f.rejected} rejected",
              file=sys.stderr)
    for r in ds.rejects[:5]:
        print(f"  {r.file}:{r.line}: {r.reason}", file=sys.stderr)

    if args.json:
        json.dump(report.to_dict(), sys.stdout, indent=2)
        print()
    elif args.text:
        print(report.to_text(), end="")
    else:
        print(f"{report.period.label} (compared with {report.previous_period.label}), "
              f"tellus {tellus.library_version}")
        for key in HEADLINES:
            print(f"  {key:22} {show(report.metric(key)):>8}   "
                  f"previous {show(report.metric(key, previous=True)):>8}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
