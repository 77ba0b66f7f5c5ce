"""Run the tellus CLI on a generated scenario and compare with the oracle.

  python3 compare.py --cli build/release/tools/tellus/tellus SEED [SEED...]

compare(cli, scenario, workdir) -> list of differences (strings).
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import io
import json
import os
import subprocess
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import generate as g  # noqa: E402
import oracle as o  # noqa: E402


def _value(v):
    if v is None:
        return None
    if "count" in v:
        return int(v["count"])
    if "ratio" in v:
        r = v["ratio"]
        return (int(r.get("numerator", 0)), int(r.get("denominator", 0)))
    if "suppressed" in v:
        return v["suppressed"].get("shown_as")
    if v == {}:
        return 0  # proto3 JSON may drop a zero count
    return ("?", json.dumps(v))


def _metrics(ms) -> dict:
    return {m["key"]: (_value(m.get("current")), _value(m.get("previous")))
            for m in ms}


def _iso_z(t: dt.datetime) -> str:
    return t.astimezone(o.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def run_cli(cli, sc: g.Scenario, work: Path):
    work.mkdir(parents=True, exist_ok=True)
    cases = work / "cases.csv"
    inter = work / "interactions.csv"
    rejects = work / "rejects.csv"
    cases.write_bytes(sc.cases)
    inter.write_bytes(sc.interactions)
    if rejects.exists():
        rejects.unlink()
    imp = subprocess.run(
        [cli, "import", "--cases", str(cases), "--interactions", str(inter),
         "--rejects", str(rejects), "--out", str(work / "out")],
        capture_output=True, text=True)
    args = [cli, "report", "--cases", str(cases), "--interactions", str(inter),
            "--period", sc.period_arg, "--as-of", sc.as_of_arg,
            "--format", "json"]
    if sc.publish:
        args.append("--publish")
    if sc.fy_start_month != 4:
        args += ["--financial-year-start-month", str(sc.fy_start_month)]
    if sc.homes is not None:
        args += ["--homes", str(sc.homes)]
    if sc.landlord is not None:
        for d in sc.landlord:
            args += ["--landlord-directorates", d]
    rep = subprocess.run(args, capture_output=True, text=True)
    rej_text = (rejects.read_bytes().decode("utf-8", "surrogateescape")
                if rejects.exists() else None)
    return imp, rep, rej_text, str(cases), str(inter)


def compare(cli, sc: g.Scenario, work: Path) -> list[str]:
    diffs: list[str] = []
    imp, rep, rej_text, cname, iname = run_cli(cli, sc, work)
    try:
        ds = o.import_csv(sc.cases, sc.interactions, cname, iname)
    except o.FileError as e:
        if imp.returncode == 0 or rep.returncode == 0:
            diffs.append(f"the oracle refuses the file ({e}) but tellus "
                         f"imported it (rc {imp.returncode}, {rep.returncode})")
        return diffs

    # --- the import's summary: read = accepted + rejected, per file ---
    for name in (cname, iname):
        read = ds.read.get(name, 0)
        rej = sum(x.file == name for x in ds.rejects)
        want_line = (f"{name}: {read} rows read, {read - rej} accepted, "
                     f"{rej} rejected")
        if want_line not in imp.stdout + imp.stderr:
            diffs.append(f"import summary: expected {want_line!r} in "
                         f"{(imp.stdout + imp.stderr)[:300]!r}")

    # --- rejects ---
    if rej_text is None:
        diffs.append(f"import wrote no rejects file: rc={imp.returncode} "
                     f"{imp.stderr.strip()[:300]}")
    else:
        rows = list(csv.DictReader(io.StringIO(rej_text, newline="")))
        got = {(r["file"], int(r["line"])): r for r in rows}
        want = {(x.file, x.line): x for x in ds.rejects}
        for k in sorted(set(got) | set(want)):
            if k not in got:
                diffs.append(f"reject missing in tellus: {k} ({want[k].reason}) "
                             f"record={want[k].text!r}")
            elif k not in want:
                diffs.append(f"tellus rejects what the oracle accepts: {k} "
                             f"column={got[k]['column']!r} "
                             f"reason={got[k]['reason']!r} "
                             f"record={got[k]['record']!r}")
            else:
                a, b = got[k], want[k]
                if a["record"] != b.text:
                    diffs.append(f"reject record text differs at {k}: "
                                 f"tellus={a['record']!r} oracle={b.text!r}")
                if a["column"].strip().lower() not in b.columns:
                    diffs.append(f"reject column differs at {k}: "
                                 f"tellus={a['column']!r} ({a['reason']}) "
                                 f"oracle={sorted(b.columns)} ({b.reason})")

    # --- report ---
    t = o.parse_as_of(sc.as_of_arg)
    try:
        want = o.report(ds, sc.period, t, sc.homes, sc.landlord)
    except ValueError as e:
        if rep.returncode == 0:
            diffs.append(f"report accepted an as-of the oracle refuses: {e}")
        return diffs
    if rep.returncode != 0:
        diffs.append(f"report failed: {rep.stderr.strip()[:400]}")
        return diffs
    j = json.loads(rep.stdout)
    for name, per in (("period", want["period"]),
                      ("previous_period", want["previous_period"])):
        jp = j.get(name, {})
        for f, w in (("label", per.label), ("start", per.start.isoformat()),
                     ("end", per.end.isoformat())):
            if jp.get(f) != w:
                diffs.append(f"{name}.{f}: tellus={jp.get(f)!r} oracle={w!r}")
    if j.get("as_of") != _iso_z(t):
        diffs.append(f"as_of: tellus={j.get('as_of')!r} oracle={_iso_z(t)!r}")

    def cmp_metrics(where, got_list, exp: dict, breakdown=False):
        got = _metrics(got_list)
        if not (breakdown and sc.publish):
            for m in got_list:
                k = m["key"]
                if k not in exp:
                    continue
                wc = o.change(*exp[k])
                gc = m.get("change", {})
                if set(wc) != set(gc) or any(
                        abs(wc[x] - gc[x]) > 1e-9 * max(1, abs(wc[x]))
                        for x in wc):
                    diffs.append(f"{where} {k} change: tellus={gc} oracle={wc}"
                                 f" (values {exp[k]})")
        if breakdown and sc.publish:
            exp = {k: (o.suppress(a), o.suppress(b)) for k, (a, b) in exp.items()}
        for k in sorted(set(got) | set(exp)):
            if k not in exp:
                # keys the oracle does not model (e.g. other sections)
                if not k.startswith(("ch01", "follow_up_", "lessons_", "compliments_route_", "remedies_",
                                     "remedy", "ombudsman_", "restriction")):
                    diffs.append(f"{where}: key {k} only in tellus")
                continue
            if k not in got:
                diffs.append(f"{where}: key {k} missing in tellus")
                continue
            if got[k] != exp[k]:
                diffs.append(f"{where} {k}: tellus={got[k]} oracle={exp[k]}")

    cmp_metrics("totals", j.get("metrics", []), want["metrics"])
    jd = j.get("by_directorate", [])
    names = [d.get("directorate", "") for d in jd]
    wnames = [d for d, _, _ in want["by_directorate"]]
    if names != wnames:
        diffs.append(f"by_directorate listing: tellus={names} oracle={wnames}")
    else:
        for d, (name, m, svc) in zip(jd, want["by_directorate"]):
            cmp_metrics(f"dir {name}", d.get("metrics", []), m, True)
            if "services" in d:
                snames = [s.get("service", "") for s in d["services"]]
                if snames != list(svc):
                    diffs.append(f"dir {name} services: tellus={snames} "
                                 f"oracle={list(svc)}")
                else:
                    for s in d["services"]:
                        cmp_metrics(f"dir {name} svc {s.get('service', '')!r}",
                                    s.get("metrics", []), svc[s.get("service", "")],
                                    True)
    fy = [(p.get("period", {}).get("label"), p.get("period", {}).get("start"),
           p.get("period", {}).get("end"), int(p.get("stage1_received", 0)),
           int(p.get("stage2_received", 0)),
           (int(p.get("escalation_rate", {}).get("numerator", -1)),
            int(p.get("escalation_rate", {}).get("denominator", -1))))
          for p in j.get("five_year", [])]
    wfy = [(p.label, p.start.isoformat(), p.end.isoformat(), a, b, (b, a))
           for p, a, b in want["five_year"]]
    if fy != wfy:
        diffs.append(f"five_year: tellus={fy} oracle={wfy}")
    ts = [(x.get("directorate", ""), x.get("service", ""),
           _value(x.get("complaints_received")), _value(x.get("upheld_rate")),
           _value(x.get("lessons_learnt_rate"))) for x in j.get("top_services", [])]
    wts = o.top_services(ds, sc.period, t)
    if sc.publish:
        wts = [(a, b, o.suppress(c), o.suppress(d), o.suppress(e))
               for a, b, c, d, e in wts]
    if ts != wts:
        diffs.append(f"top_services: tellus={ts} oracle={wts}")
    jm = {m.get("month"): {c["key"]: int(c.get("count", 0))
                           for c in m.get("counts", [])}
          for m in j.get("monthly", [])}
    if list(jm) != list(want["monthly"]):
        diffs.append(f"monthly months: tellus={list(jm)} "
                     f"oracle={list(want['monthly'])}")
    else:
        for mo, counts in jm.items():
            for k, v in counts.items():
                w = want["monthly"][mo].get(k)
                if w is not None and w != v:
                    diffs.append(f"monthly {mo} {k}: tellus={v} oracle={w}")
    return diffs


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--cli", default=os.environ.get("TELLUS_CLI"))
    ap.add_argument("--work", default="/tmp/audit/work")
    ap.add_argument("--n-cases", type=int, default=60)
    ap.add_argument("--n-inter", type=int, default=120)
    ap.add_argument("seeds", nargs="+")
    a = ap.parse_args()
    seeds = []
    for s in a.seeds:
        if "-" in s:
            lo, hi = s.split("-")
            seeds += range(int(lo), int(hi) + 1)
        else:
            seeds.append(int(s))
    bad = 0
    for s in seeds:
        sc = g.generate(s, a.n_cases, a.n_inter)
        d = compare(a.cli, sc, Path(a.work) / str(s))
        if d:
            bad += 1
            print(f"== seed {s}: {sc.period_arg} as-of {sc.as_of_arg!r} "
                  f"homes={sc.homes} landlord={sc.landlord} fym={sc.fy_start_month} "
                  f"publish={sc.publish}")
            for x in d:
                print("  ", x)
    print(f"{len(seeds) - bad}/{len(seeds)} seeds agree")


if __name__ == "__main__":
    main()
