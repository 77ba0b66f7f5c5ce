"""Adversarial random data sets aimed at the edges of the spec.

generate(seed) -> Scenario: the bytes of cases.csv and interactions.csv and
the report settings (period, as-of, homes, landlord directorates, financial
year start month).  Deterministic for a seed.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass, field

import oracle as o

DAY = dt.timedelta(days=1)
DIRECTORATES = ["Housing", "Adult Social Care", "Environment", "Resources",
                "housing", "Économie", "Z-Last"]
SERVICES = ["Repairs", "Lettings", "Waste", "Council Tax", ""]


@dataclass
class Scenario:
    seed: int
    cases: bytes
    interactions: bytes
    period_arg: str                  # as given to --period
    period: o.Period
    as_of_arg: str
    homes: int | None = None
    landlord: list | None = None
    fy_start_month: int = 4
    publish: bool = False
    notes: list = field(default_factory=list)


# --- value spellings -------------------------------------------------------

def spell_enum(r: random.Random, v: str) -> str:
    forms = [v, v.upper(), v.replace("_", " ").title(), v.replace("_", "-"),
             v.replace("_", " "), v.capitalize()]
    s = r.choice(forms)
    if r.random() < 0.1:
        s = "  " + s + " "
    return s


def spell_date(r: random.Random, d: dt.date) -> str:
    k = r.randrange(4)
    if k == 0:
        return d.isoformat()
    if k == 1:
        return f"{d.day}/{d.month}/{d.year}"
    if k == 2:
        return f"{d.day:02d}/{d.month:02d}/{d.year}"
    return f"{d.day}/{d.month:02d}/{d.year}"


def spell_datetime(r: random.Random, instant: dt.datetime) -> str:
    """An instant written in one of the ISO forms (the spelling may move it
    onto another instant for a local time; the oracle reads the text)."""
    sep = r.choice(["T", " "])
    k = r.randrange(4)
    if k == 0:
        s, suffix = instant, "Z"
    elif k == 1:
        h = r.choice([-5, -1, 1, 2, 5, 0])
        s = instant + dt.timedelta(hours=h)
        suffix = f"{'+' if h >= 0 else '-'}{abs(h):02d}:00"
    else:
        s = instant + o.london_offset(instant)
        suffix = ""
    secs = r.random() < 0.5 or s.second
    fmt = "%Y-%m-%d" + sep + ("%H:%M:%S" if secs else "%H:%M")
    return s.strftime(fmt) + suffix


def tricky_instant(r: random.Random, d: dt.date) -> dt.datetime:
    """An instant on or near London day d: near midnight UTC, in the DST
    gap/overlap, or at random."""
    k = r.randrange(6)
    base = dt.datetime(d.year, d.month, d.day, tzinfo=o.UTC)
    if k == 0:
        return base + dt.timedelta(hours=23, minutes=r.choice([0, 15, 30, 59]))
    if k == 1:
        return base + dt.timedelta(minutes=r.choice([0, 1, 30, 59]))
    if k == 2:
        return base - dt.timedelta(minutes=r.choice([1, 30, 60]))
    return base + dt.timedelta(minutes=r.randrange(24 * 60))


def local_text(r: random.Random, d: dt.date) -> str:
    """A London wall-clock date-time without offset, often in a DST gap or
    overlap."""
    sep = r.choice(["T", " "])
    if r.random() < 0.5:
        hh, mm = r.choice([(1, 0), (1, 30), (1, 59), (0, 59), (2, 0), (23, 59),
                           (0, 0)])
    else:
        hh, mm = r.randrange(24), r.randrange(60)
    sec = f":{r.randrange(60):02d}" if r.random() < 0.4 else ""
    return f"{d.isoformat()}{sep}{hh:02d}:{mm:02d}{sec}"


def dst_days(y: int):
    return [o._last_sunday(y, 3), o._last_sunday(y, 10)]


def spell_money(r: random.Random) -> tuple[str, bool]:
    good = ["150", "150.5", "£1,250.00", "1250.00", "0", "12.05", "£75",
            "1,000,000", " 20 ", "0.99"]
    bad = ["-5", "1,25", "£-3.00", "12.345", "abc", "12,3456", "1.2.3", "£",
           "-0.50", "1 250"]
    if r.random() < 0.8:
        return r.choice(good), True
    return r.choice(bad), False


# --- CSV writing -----------------------------------------------------------

def write_field(r: random.Random, v: str) -> str:
    need = any(ch in v for ch in ',"\n\r')
    if need or r.random() < 0.08:
        return '"' + v.replace('"', '""') + '"'
    return v


def write_csv(r: random.Random, header: list[str], rows: list[list[str]],
              crlf: bool, bom: bool) -> bytes:
    eol = "\r\n" if crlf else "\n"
    out = []
    out.append(",".join(header))
    for row in rows:
        if r.random() < 0.04:
            out.append(r.choice(["", "   ", " "]))
        out.append(",".join(write_field(r, f) for f in row))
    text = eol.join(out) + (eol if r.random() < 0.8 else "")
    if r.random() < 0.1:
        text += eol + "  " + eol
    return (("\ufeff" if bom else "") + text).encode("utf-8", "surrogateescape")


def header_spelling(r: random.Random, name: str) -> str:
    k = r.randrange(5)
    if k == 0:
        return name.upper()
    if k == 1:
        return " " + name.title() + " "
    if k == 2:
        return name.capitalize() + "  "
    return name


# --- data ------------------------------------------------------------------

def choose_period(r: random.Random) -> tuple[str, o.Period, int]:
    y = r.choice([2016, 2019, 2020, 2021, 2022, 2023, 2024])
    k = r.randrange(3)
    if k == 0:
        m = 4 if r.random() < 0.7 else r.choice([1, 7, 10])
        p = o.financial_year(y, m)
        return f"{y}/{(y + 1) % 100:02d}", p, m
    if k == 1:
        return str(y), o.calendar_year(y), 4
    s = dt.date(y, r.randrange(1, 13), r.randrange(1, 29))
    e = s + r.randrange(20, 200) * DAY
    return f"{s.isoformat()}..{e.isoformat()}", o.date_range(s, e), 4


# A day many events are drawn to (the as-of day, in some data sets), so that
# date-time events fall on either side of a date-time T.
MAGNET: list = [None]


def rand_day(r: random.Random, lo: dt.date, hi: dt.date) -> dt.date:
    m = MAGNET[0]
    if m is not None and r.random() < 0.15:
        return m - r.choice([0, 0, 1, 5, 20]) * DAY
    # weight towards holidays, month ends and DST days
    if r.random() < 0.15:
        cands = [d for y in range(lo.year, hi.year + 1)
                 for d in sorted(o.holidays(y)) + dst_days(y)
                 if lo <= d <= hi]
        if cands:
            return r.choice(cands) + r.choice([-1, 0, 0, 1]) * DAY
    return lo + r.randrange((hi - lo).days + 1) * DAY


def after(r: random.Random, d: dt.date, maxdays=40) -> dt.date:
    m = MAGNET[0]
    if m is not None and m >= d and r.random() < 0.2:
        return m
    k = r.random()
    if k < 0.15:
        return d
    if k < 0.25:
        return d + DAY
    return d + r.randrange(1, maxdays) * DAY


def gen_complaint(r: random.Random, rec: dt.date) -> dict:
    """A valid complaint history, as dates (some spelt later)."""
    v = {}
    if r.random() < 0.8:
        ack_due = o.add_working_days(rec, 5)
        v["s1_acknowledged"] = r.choice([rec, ack_due, ack_due + DAY,
                                         after(r, rec, 10)])
    if r.random() < 0.75:
        start = v.get("s1_acknowledged", rec)
        due = o.add_working_days(rec, 15)
        resp = r.choice([due, due + DAY, o.add_working_days(due, 10),
                         o.add_working_days(due, 11), after(r, start, 45)])
        resp = max(resp, start)
        v["s1_responded"] = resp
        v["s1_outcome"] = r.choice(o.OUTCOMES)
        if r.random() < 0.25:
            v["s1_extended_to"] = r.choice([due + 3 * DAY, o.add_working_days(due, 10),
                                            o.add_working_days(due, 12), resp,
                                            resp - DAY])
            v["s1_extended_to"] = max(v["s1_extended_to"], rec)
        if r.random() < 0.35:
            req = after(r, resp, 30)
            v["s2_requested"] = req
            if r.random() < 0.7:
                v["s2_acknowledged"] = r.choice([req, after(r, req, 10)])
            if r.random() < 0.7:
                st = v.get("s2_acknowledged", req)
                due2 = o.add_working_days(o.add_working_days(req, 5), 20)
                r2 = r.choice([due2, due2 + DAY, o.add_working_days(due2, 20),
                               after(r, st, 60)])
                r2 = max(r2, st)
                v["s2_responded"] = r2
                v["s2_outcome"] = r.choice(o.OUTCOMES)
                if r.random() < 0.3:
                    v["s2_extended_to"] = max(req, r.choice(
                        [o.add_working_days(due2, 20), due2 + 10 * DAY, r2]))
            elif r.random() < 0.4:
                v["withdrawn"] = after(r, req, 20)
                for c in ("s2_acknowledged",):
                    if c in v and v[c] > v["withdrawn"]:
                        v["withdrawn"] = v[c]
    elif r.random() < 0.3:
        w = after(r, rec, 20)
        if "s1_acknowledged" in v:
            w = max(w, v["s1_acknowledged"])
        v["withdrawn"] = w
    if r.random() < 0.12:
        body = r.choice(o.BODIES)
        v["ombudsman"] = body
        v["ombudsman_received"] = after(r, rec, 200)
        if r.random() < 0.7:
            v["ombudsman_decision"] = r.choice(o.DECISIONS[body])
            v["ombudsman_decided"] = after(r, v["ombudsman_received"], 200)
    if r.random() < 0.3:
        v["lessons_learnt"] = after(r, rec, 120)
    if r.random() < 0.2:
        v["remedy_amount"] = None  # spelt later
    return v


def break_complaint(r: random.Random, v: dict, rec: dt.date) -> str:
    """Make a valid history invalid in one way; return what was done."""
    for _ in range(20):
        why = _break(r, v, rec)
        if why:
            return why
    v["s1_outcome"] = "sort of upheld"
    v.setdefault("s1_responded", after(r, rec))
    return "bad outcome"


def _break(r, v, rec):
    k = r.randrange(12)
    if k == 0 and "s1_responded" in v:
        v.pop("s1_outcome", None)
        return "response without outcome"
    if k == 1:
        v["s1_outcome"] = "upheld"
        v.pop("s1_responded", None)
        for c in ("s2_requested", "s2_acknowledged", "s2_extended_to",
                  "s2_responded", "s2_outcome", "withdrawn"):
            v.pop(c, None)
        return "outcome without response"
    if k == 2:
        v["s1_acknowledged"] = rec - r.randrange(1, 5) * DAY
        return "ack before receipt"
    if k == 3 and "s1_responded" in v:
        v["s2_requested"] = v["s1_responded"] - DAY
        return "escalation before response"
    if k == 4 and "s1_responded" in v and "s2_requested" not in v:
        v["withdrawn"] = v["s1_responded"]
        return "withdrawn on the day of the response"
    if k == 5 and "s2_responded" in v:
        v["withdrawn"] = v["s2_responded"]
        return "withdrawn on the day of the stage 2 response"
    if k == 6 and "s1_acknowledged" in v and "s1_responded" in v:
        v["s1_responded"] = v["s1_acknowledged"] - DAY
        return "response before ack"
    if k == 7:
        v["ombudsman"] = "lgsco"
        v["ombudsman_received"] = after(r, rec)
        v["ombudsman_decision"] = r.choice(["maladministration", "redress"])
        v["ombudsman_decided"] = after(r, v["ombudsman_received"])
        return "hos decision on lgsco"
    if k == 8:
        v["ombudsman"] = "hos"
        v["ombudsman_received"] = after(r, rec)
        v["ombudsman_decision"] = r.choice(["upheld", "premature", "not_upheld"])
        v["ombudsman_decided"] = after(r, v["ombudsman_received"])
        return "lgsco decision on hos"
    if k == 9 and "s1_responded" not in v:
        v["s2_requested"] = after(r, rec)
        return "stage 2 without stage 1 response"
    if k == 10 and "withdrawn" in v:
        v["s1_acknowledged"] = v["withdrawn"] + DAY
        return "ack after withdrawal"
    if k == 11 and "ombudsman_received" in v:
        v["ombudsman_decided"] = v["ombudsman_received"] - DAY
        v.setdefault("ombudsman_decision", "withdrawn")
        return "decision before referral"
    return None


def generate(seed: int, n_cases: int = 60, n_inter: int = 120) -> Scenario:
    r = random.Random(seed)
    period_arg, p, fym = choose_period(r)
    prev = p.previous()
    lo = prev.start - 60 * DAY
    hi = p.end + 90 * DAY
    # as-of: a date or a date-time, at or after the end of P
    gap = r.choice([0, 0, 1, 5, 20, 60])
    tday = p.end + gap * DAY
    if r.random() < 0.5:
        as_of_arg = spell_date(r, tday) if r.random() < 0.5 else tday.isoformat()
    else:
        if gap == 0:
            as_of_arg = f"{tday.isoformat()}T23:59:59"
        else:
            as_of_arg = local_text(r, tday)
    notes = []
    MAGNET[0] = tday if r.random() < 0.35 else None
    dt_share = 0.1 if MAGNET[0] is None else 0.4

    directorates = r.sample(DIRECTORATES, r.randrange(2, 6))
    rows = []
    refs = []
    for i in range(n_cases):
        ref = f"C-{seed}-{i:03d}"
        if refs and r.random() < 0.05:
            ref = r.choice(refs) + r.choice(["", " ", "  "])  # duplicate
        refs.append(ref.strip())
        typ = r.choices(o.CASE_TYPES, [0.7, 0.15, 0.15])[0]
        rec = rand_day(r, lo, hi)
        row = {"case_ref": ref, "type": spell_enum(r, typ),
               "directorate": r.choice(directorates),
               "service": r.choice(SERVICES)}
        if r.random() < 0.35:
            row["received"] = local_text(r, rec) if r.random() < 0.5 else \
                spell_datetime(r, tricky_instant(r, rec))
            w = o.parse_when(row["received"])
            rec = w.date if w else rec
        else:
            row["received"] = spell_date(r, rec)
        if r.random() < 0.7:
            row["channel"] = spell_enum(r, r.choice(o.CHANNELS))
        if r.random() < 0.02:
            row["channel"] = "pigeon"
        if r.random() < 0.5:
            row["customer"] = f"CUST-{r.randrange(40)}"
        if typ == "complaint":
            v = gen_complaint(r, rec)
            if r.random() < 0.15:
                notes.append((ref, break_complaint(r, v, rec)))
            for c, d in v.items():
                if c == "remedy_amount":
                    row[c] = spell_money(r)[0]
                elif c in ("s1_outcome", "s2_outcome", "ombudsman",
                           "ombudsman_decision"):
                    row[c] = spell_enum(r, d)
                else:
                    if o.OPTIONS["event_datetimes"] and r.random() < dt_share:
                        row[c] = spell_datetime(r, tricky_instant(r, d))
                    else:
                        row[c] = spell_date(r, d)
        else:
            if r.random() < 0.5:
                row["team"] = r.choice(["Team A", "Team, B", 'The "Best"'])
            if r.random() < 0.1:
                c = r.choice(["s1_acknowledged", "lessons_learnt", "withdrawn",
                              "remedy_amount", "ombudsman"])
                row[c] = {"remedy_amount": "10", "ombudsman": "lgsco"}.get(
                    c, spell_date(r, after(r, rec)))
                notes.append((ref, f"{typ} with {c}"))
        if r.random() < 0.03:
            row[r.choice(["received", "s1_acknowledged"])] = r.choice(
                ["31/2/2023", "2023-13-01", "2023/01/05", "5-1-2023",
                 "2023-01-05T25:00", "01/13/2023", "yesterday"])
        if r.random() < 0.02:
            row["case_ref"] = " "
        if r.random() < 0.02:
            row["directorate"] = ""
        if r.random() < 0.02:
            row["type"] = "grumble"
        row["notes"] = r.choice(["", "free text, with comma", "line one\nline two",
                                 'quote "inside"', "cr\r\nlf", "  spaced  "])
        if r.random() < 0.015:  # a byte that is not UTF-8
            c = r.choice(["directorate", "notes", "service", "case_ref"])
            row[c] = row.get(c, "") + "\udcff"
        rows.append(row)

    extra = ["notes"]
    cols = list(o.CASE_COLUMNS)
    r.shuffle(cols)
    # keep the required ones, drop some optional ones
    # optional columns no row uses are often left out (missing = not known)
    used = {c for row in rows for c in row}
    cols = [c for c in cols if c in o.CASE_REQUIRED or c in used
            or r.random() < 0.5]
    header = [header_spelling(r, c) for c in cols] + extra
    out_rows = []
    for row in rows:
        vals = [row.get(c, "") for c in cols] + [row["notes"]]
        if r.random() < 0.02:
            vals = vals[:-1] if r.random() < 0.5 else vals + ["extra"]
        out_rows.append(vals)
    crlf = r.random() < 0.3
    cases = write_csv(r, header, out_rows, crlf, r.random() < 0.3)

    # interactions
    icols = list(o.INTERACTION_COLUMNS)
    r.shuffle(icols)
    irows = []
    ids = []
    good_refs = refs
    for j in range(n_inter):
        iid = f"I-{j:04d}"
        if ids and r.random() < 0.04:
            iid = r.choice(ids)
        ids.append(iid)
        kind = r.choices(o.KINDS, [0.3, 0.15, 0.1, 0.05, 0.4])[0]
        ref = ""
        d = rand_day(r, lo, hi)
        if r.random() < 0.7:
            ref = r.choice(good_refs) if r.random() < 0.85 else f"UNKNOWN-{j}"
            # often aim at the case's own days
            row_i = refs.index(ref) if ref in refs else None
            if row_i is not None and r.random() < 0.7:
                vals = rows[row_i]
                cands = [vals[c] for c in ("received", "s1_responded",
                                           "s2_requested", "s2_responded",
                                           "withdrawn") if vals.get(c)]
                w = o.parse_when(r.choice(cands)) if cands else None
                if w:
                    d = w.date + r.choice([-1, 0, 0, 1, 27, 28, 29, 3]) * DAY
        if r.random() < 0.5:
            at = spell_datetime(r, tricky_instant(r, d))
        elif r.random() < 0.8:
            at = local_text(r, d if r.random() < 0.7 else r.choice(dst_days(d.year)))
        else:
            at = spell_date(r, d)
        row = {"interaction_id": iid, "at": at,
               "channel": spell_enum(r, r.choice(o.CHANNELS)),
               "kind": spell_enum(r, kind), "case_ref": ref}
        if r.random() < 0.8:
            row["directorate"] = r.choice(directorates + ["Interactions Only"])
        if r.random() < 0.5:
            row["service"] = r.choice(SERVICES)
        if r.random() < 0.3:
            row["customer"] = f"CUST-{r.randrange(40)}"
        if r.random() < 0.03:
            row[r.choice(["kind", "channel", "at"])] = r.choice(
                ["", "nonsense", "2023-02-30T10:00"])
        irows.append(row)
    iheader = [header_spelling(r, c) for c in icols]
    if r.random() < 0.5:
        iheader.append("Extra Col")
    out_rows = []
    for row in irows:
        vals = [row.get(c, "") for c in icols]
        if len(iheader) > len(icols):
            vals.append(r.choice(["x", "", "a,b"]))
        if r.random() < 0.02:
            vals = vals[:-1]
        out_rows.append(vals)
    interactions = write_csv(r, iheader, out_rows, r.random() < 0.3,
                             r.random() < 0.3)

    homes = landlord = None
    if r.random() < 0.5:
        homes = r.choice([1, 999, 12000])
        if r.random() < 0.5:
            landlord = r.sample(directorates, r.randrange(1, len(directorates) + 1))
    publish = r.random() < 0.25
    return Scenario(seed, cases, interactions, period_arg, p, as_of_arg,
                    homes, landlord, fym, publish, notes)
