"""An independent implementation of tellus's written contract.

Written from /work/shared/spec (METRICS.md, FORMATS.md) alone, without
reading tellus's sources, so that a comparison of the two finds the places
where either departs from the text. It covers:

  * the CSV import of cases.csv and interactions.csv (accept / reject, the
    rule's column, the line a record starts on and the record's text);
  * Europe/London civil dates (BST rules written out, not taken from tzdata);
  * the England and Wales working-day calendar (rules, substitute days and
    the one-off proclamation days);
  * the Complaint Handling Code timescales;
  * every count and ratio of METRICS.md for a period P and its previous
    period, in total, by directorate and by service; the monthly counts, the
    five-year series and the learning / Ombudsman figures.

Plain Python 3.11, no third-party module.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field

UTC = dt.timezone.utc
DAY = dt.timedelta(days=1)

# ---------------------------------------------------------------------------
# Europe/London


def _last_sunday(year: int, month: int) -> dt.date:
    d = dt.date(year + (month == 12), month % 12 + 1, 1) - DAY
    while d.weekday() != 6:
        d -= DAY
    return d


def _bst_utc_bounds(year: int) -> tuple[dt.datetime, dt.datetime]:
    """BST runs from 01:00 UTC on the last Sunday of March to 01:00 UTC on
    the last Sunday of October (the rule since 1996)."""
    s = _last_sunday(year, 3)
    e = _last_sunday(year, 10)
    return (dt.datetime(s.year, s.month, s.day, 1, tzinfo=UTC),
            dt.datetime(e.year, e.month, e.day, 1, tzinfo=UTC))


def london_offset(instant: dt.datetime) -> dt.timedelta:
    s, e = _bst_utc_bounds(instant.year)
    return dt.timedelta(hours=1) if s <= instant < e else dt.timedelta(0)


def london_date(instant: dt.datetime) -> dt.date:
    return (instant + london_offset(instant)).date()


def london_local_to_utc(naive: dt.datetime) -> dt.datetime:
    """A London wall-clock time: in the spring-forward gap read as GMT (as
    if the clocks had not changed yet), in the autumn overlap the first
    (BST) instant."""
    s = _last_sunday(naive.year, 3)
    e = _last_sunday(naive.year, 10)
    bst = (dt.datetime(s.year, s.month, s.day, 2) <= naive
           < dt.datetime(e.year, e.month, e.day, 2))
    off = dt.timedelta(hours=1) if bst else dt.timedelta(0)
    return (naive - off).replace(tzinfo=UTC)


def end_of_london_day(d: dt.date) -> dt.datetime:
    """The last second of London day d, as a UTC instant."""
    nxt = d + DAY
    start_next = london_local_to_utc(dt.datetime(nxt.year, nxt.month, nxt.day))
    return start_next - dt.timedelta(seconds=1)


# ---------------------------------------------------------------------------
# Values

_ISO_DATE = re.compile(r"(\d{4})-(\d{2})-(\d{2})")
_UK_DATE = re.compile(r"(\d{1,2})/(\d{1,2})/(\d{4})")
_DATETIME = re.compile(
    r"(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})(?::(\d{2}))?"
    r"(Z|[+-]\d{2}:\d{2})?")


@dataclass(frozen=True)
class When:
    """A date, or a date-time (then `instant` is set, in UTC)."""
    date: dt.date                       # the London civil date
    instant: dt.datetime | None = None  # set for a date-time

    def seen_at(self, t: dt.datetime) -> bool:
        if self.instant is not None:
            return self.instant <= t
        return self.date <= london_date(t)


def parse_date(s: str) -> dt.date | None:
    m = _ISO_DATE.fullmatch(s)
    try:
        if m:
            return dt.date(int(m[1]), int(m[2]), int(m[3]))
        m = _UK_DATE.fullmatch(s)
        if m:
            return dt.date(int(m[3]), int(m[2]), int(m[1]))
    except ValueError:
        return None
    return None


def parse_datetime(s: str) -> dt.datetime | None:
    m = _DATETIME.fullmatch(s)
    if not m:
        return None
    try:
        sec = int(m[6]) if m[6] else 0
        naive = dt.datetime(int(m[1]), int(m[2]), int(m[3]), int(m[4]),
                            int(m[5]), sec)
    except ValueError:
        return None
    off = m[7]
    if off is None:
        return london_local_to_utc(naive)
    if off == "Z":
        return naive.replace(tzinfo=UTC)
    sign = 1 if off[0] == "+" else -1
    hh, mm = int(off[1:3]), int(off[4:6])
    if hh > 23 or mm > 59:
        return None
    return (naive - sign * dt.timedelta(hours=hh, minutes=mm)).replace(tzinfo=UTC)


def parse_when(s: str, allow_date=True, allow_datetime=True) -> When | None:
    if allow_date:
        d = parse_date(s)
        if d is not None:
            return When(d)
    if allow_datetime:
        i = parse_datetime(s)
        if i is not None:
            return When(london_date(i), i)
    return None


def parse_as_of(s: str) -> dt.datetime | None:
    """T: a date means the end of that London day."""
    w = parse_when(s)
    if w is None:
        return None
    return w.instant if w.instant is not None else end_of_london_day(w.date)


_MONEY = re.compile(r"£?(\d{1,3}(?:,\d{3})+|\d+)(?:\.(\d{1,2}))?")


def parse_money(s: str) -> int | None:
    """Pounds with up to two decimals, to whole pence; negatives invalid."""
    m = _MONEY.fullmatch(s)
    if not m:
        return None
    pounds = int(m[1].replace(",", ""))
    frac = (m[2] or "").ljust(2, "0")
    return pounds * 100 + int(frac or 0)


def enum_key(s: str) -> str:
    return re.sub(r"[ \-_]", "_", s.lower())


CASE_TYPES = ("complaint", "compliment", "enquiry")
CHANNELS = ("phone", "email", "web", "letter", "in_person", "social_media",
            "other")
OUTCOMES = ("upheld", "partly_upheld", "not_upheld")
BODIES = ("lgsco", "hos")
DECISIONS = {
    "lgsco": ("premature", "closed_after_initial_enquiries", "upheld",
              "upheld_satisfactory_remedy", "not_upheld", "withdrawn"),
    "hos": ("no_maladministration", "service_failure", "maladministration",
            "severe_maladministration", "redress", "outside_jurisdiction",
            "withdrawn"),
}
KINDS = ("contact", "enquiry", "complaint", "compliment", "follow_up")


def parse_enum(s: str, values) -> str | None:
    k = enum_key(s)
    return k if k in values else None


# ---------------------------------------------------------------------------
# CSV


@dataclass
class RawRecord:
    line: int          # the physical line the record starts on
    text: str          # the record's text as read (without its line end)
    fields: list[str]
    bad_quote: int | None = None  # index of a field with a stray quote


def read_csv(data: bytes) -> tuple[list[str], int, list[RawRecord]]:
    """RFC 4180. Returns (header fields, header line, records). Lines are
    counted at LF; a blank (or spaces-only) line is skipped. A quote inside
    an unquoted field, text after a closing quote or a quoted field left
    open at the end of the file marks the record (RFC 4180 allows none)."""
    # invalid UTF-8 survives as lone surrogates, so that the row holding it
    # can be rejected with its text kept
    text = data.decode("utf-8", "surrogateescape")
    if text.startswith("\ufeff"):
        text = text[1:]
    records: list[RawRecord] = []
    i, n, line = 0, len(text), 1
    while i < n:
        start, start_line = i, line
        fields: list[str] = []
        cur: list[str] = []
        quoted = False       # the record has a quoted field
        in_quotes = False
        closed = False       # the current field's quotes have closed
        bad = None
        while True:
            if i >= n:
                if in_quotes and bad is None:
                    bad = len(fields)
                fields.append("".join(cur))
                end = i
                break
            c = text[i]
            if in_quotes:
                if c == '"':
                    if i + 1 < n and text[i + 1] == '"':
                        cur.append('"')
                        i += 2
                        continue
                    in_quotes = False
                    closed = True
                    i += 1
                    continue
                if c == "\n":
                    line += 1
                cur.append(c)
                i += 1
                continue
            if c == '"':
                if not closed and not "".join(cur).strip(" "):
                    in_quotes = True
                    quoted = True
                    cur = []
                elif bad is None:
                    bad = len(fields)
                i += 1
                continue
            if c == ",":
                fields.append("".join(cur))
                cur = []
                closed = False
                i += 1
                continue
            if c == "\n" or (c == "\r" and i + 1 < n and text[i + 1] == "\n"):
                fields.append("".join(cur))
                end = i
                i += 2 if c == "\r" else 1
                line += 1
                break
            if closed and c != " " and bad is None:
                bad = len(fields)
            cur.append(c)
            i += 1
        raw = text[start:end]
        if raw.endswith("\n"):       # a quoted field open to the end
            raw = raw[:-2] if raw.endswith("\r\n") else raw[:-1]
        if len(fields) == 1 and not quoted and not fields[0].strip(" \r"):
            continue  # a blank line
        records.append(RawRecord(start_line, raw, fields, bad))
    if not records:
        return [], 1, []
    header = records[0]
    return header.fields, header.line, records[1:]


# ---------------------------------------------------------------------------
# Import


CASE_COLUMNS = (
    "case_ref", "type", "received", "directorate", "service", "channel",
    "customer", "s1_acknowledged", "s1_extended_to", "s1_responded",
    "s1_outcome", "s2_requested", "s2_acknowledged", "s2_extended_to",
    "s2_responded", "s2_outcome", "withdrawn", "ombudsman",
    "ombudsman_received", "ombudsman_decision", "ombudsman_decided",
    "lessons_learnt", "remedy_amount", "team", "staff")
CASE_REQUIRED = ("case_ref", "type", "received", "directorate")
CASE_DATES = ("s1_acknowledged", "s1_extended_to", "s1_responded",
              "s2_requested", "s2_acknowledged", "s2_extended_to",
              "s2_responded", "withdrawn", "ombudsman_received",
              "ombudsman_decided", "lessons_learnt")
NON_COMPLAINT_ALLOWED = {"case_ref", "type", "received", "directorate",
                         "service", "channel", "customer", "team", "staff"}
INTERACTION_COLUMNS = ("interaction_id", "at", "channel", "directorate",
                       "service", "kind", "customer", "case_ref")
INTERACTION_REQUIRED = ("interaction_id", "at", "channel", "kind")

# Settings for the places where the spec can be read two ways.
OPTIONS = {
    # may the date columns of cases.csv (other than `received`) hold a
    # date-time?  FORMATS.md calls them "date".
    "event_datetimes": True,
    # may `at` hold a date only?  FORMATS.md says "date-time".
    "at_date_only": True,
}


@dataclass
class Reject:
    file: str
    line: int
    columns: set        # the columns the oracle would accept as "at fault"
    text: str
    reason: str


@dataclass
class Case:
    ref: str
    type: str
    received: When
    directorate: str
    service: str
    v: dict                               # parsed optional values


@dataclass
class Interaction:
    id: str
    at: When
    directorate: str
    service: str
    kind: str
    case_ref: str


@dataclass
class Dataset:
    cases: dict = field(default_factory=dict)          # ref -> Case
    interactions: list = field(default_factory=list)
    rejects: list = field(default_factory=list)
    read: dict = field(default_factory=dict)           # file -> rows read
    directorates: set = field(default_factory=set)


class FileError(Exception):
    pass


def _index(header: list[str], required, known) -> dict:
    idx = {}
    for i, h in enumerate(header):
        k = h.strip().lower()
        if k in idx and k in known:
            # The spec is silent; tellus refuses the file when a known
            # column is named twice (unknown ones may share a name).
            raise FileError(f"the header names {k} more than once")
        idx.setdefault(k, i)
    missing = [c for c in required if c not in idx]
    if missing:
        raise FileError(f"missing required column {missing[0]}")
    return idx


def _case_faults(vals: dict) -> tuple[list, dict]:
    """Returns (faults, parsed). A fault is (set of columns, reason)."""
    faults = []
    p = {}
    for c in CASE_REQUIRED:
        if not vals.get(c):
            faults.append(({c}, f"missing {c}"))
    t = vals.get("type")
    if t:
        p["type"] = parse_enum(t, CASE_TYPES)
        if p["type"] is None:
            faults.append(({"type"}, "bad type"))
    r = vals.get("received")
    if r:
        p["received"] = parse_when(r)
        if p["received"] is None:
            faults.append(({"received"}, "bad received"))
    if vals.get("channel"):
        if parse_enum(vals["channel"], CHANNELS) is None:
            faults.append(({"channel"}, "bad channel"))
    for c in CASE_DATES:
        if vals.get(c):
            w = parse_when(vals[c], True, OPTIONS["event_datetimes"])
            if w is None:
                faults.append(({c}, f"bad {c}"))
            else:
                p[c] = w
    for c in ("s1_outcome", "s2_outcome"):
        if vals.get(c):
            p[c] = parse_enum(vals[c], OUTCOMES)
            if p[c] is None:
                faults.append(({c}, f"bad {c}"))
    body = None
    if vals.get("ombudsman"):
        body = parse_enum(vals["ombudsman"], BODIES)
        p["ombudsman"] = body
        if body is None:
            faults.append(({"ombudsman"}, "bad ombudsman"))
    if vals.get("ombudsman_decision"):
        dec = enum_key(vals["ombudsman_decision"])
        allowed = DECISIONS.get(body) if body else (
            DECISIONS["lgsco"] + DECISIONS["hos"])
        if dec not in allowed:
            faults.append(({"ombudsman_decision"}, "bad decision"))
        else:
            p["ombudsman_decision"] = dec
    if vals.get("remedy_amount"):
        p["remedy_amount"] = parse_money(vals["remedy_amount"])
        if p["remedy_amount"] is None:
            faults.append(({"remedy_amount"}, "bad money"))
    # "with X": present when X is present, absent when X is absent.
    for c, x in (("s1_outcome", "s1_responded"), ("s2_outcome", "s2_responded"),
                 ("ombudsman_received", "ombudsman"),
                 ("ombudsman_decided", "ombudsman_decision")):
        if bool(vals.get(c)) != bool(vals.get(x)):
            faults.append(({c, x, ""}, f"{c} with {x}"))
    if p.get("type") in ("compliment", "enquiry"):
        for c, v in vals.items():
            if v and c in CASE_COLUMNS and c not in NON_COMPLAINT_ALLOWED:
                faults.append(({c, ""}, f"{c} on a {p['type']}"))
    if p.get("type") == "complaint" and p.get("received"):
        faults += _history_faults(vals, p)
    if vals.get("ombudsman_decision") and not vals.get("ombudsman"):
        faults.append(({"ombudsman_decision", "ombudsman", ""},
                       "decision without a referral"))
    return faults, p


def _history_faults(vals, p) -> list:
    f = []
    d = {c: p[c].date for c in CASE_DATES if c in p}
    rec = p["received"].date

    def bad(cols, why):
        f.append((set(cols) | {""}, why))

    for c in ("s1_acknowledged", "s1_extended_to", "s1_responded",
              "s2_requested", "s2_acknowledged", "s2_extended_to",
              "s2_responded", "withdrawn", "lessons_learnt",
              "ombudsman_received", "ombudsman_decided"):
        if c in d and d[c] < rec:
            bad([c], f"{c} before receipt")
    s2 = [c for c in ("s2_requested", "s2_acknowledged", "s2_extended_to",
                      "s2_responded") if c in d]
    if s2 and "s1_responded" not in d:
        bad(s2, "stage 2 without a stage 1 response")
    if [c for c in ("s2_acknowledged", "s2_extended_to", "s2_responded")
            if c in d] and "s2_requested" not in d:
        bad(["s2_acknowledged", "s2_extended_to", "s2_responded"],
            "stage 2 event without an escalation request")
    if "s1_responded" in d and "s1_acknowledged" in d and \
            d["s1_responded"] < d["s1_acknowledged"]:
        bad(["s1_responded", "s1_acknowledged"], "s1 response before ack")
    if "s2_responded" in d and "s2_acknowledged" in d and \
            d["s2_responded"] < d["s2_acknowledged"]:
        bad(["s2_responded", "s2_acknowledged"], "s2 response before ack")
    if "s2_requested" in d and "s1_responded" in d and \
            d["s2_requested"] < d["s1_responded"]:
        bad(["s2_requested", "s1_responded"], "escalation before s1 response")
    for c in ("s2_acknowledged", "s2_extended_to", "s2_responded"):
        if c in d and "s2_requested" in d and d[c] < d["s2_requested"]:
            bad([c, "s2_requested"], f"{c} before escalation")
    if "ombudsman_decided" in d and "ombudsman_received" in d and \
            d["ombudsman_decided"] < d["ombudsman_received"]:
        bad(["ombudsman_decided", "ombudsman_received"], "decision before referral")
    if "withdrawn" in d:
        w = d["withdrawn"]
        for c in ("s1_acknowledged", "s1_extended_to", "s1_responded",
                  "s2_requested", "s2_acknowledged", "s2_extended_to",
                  "s2_responded"):
            if c in d and d[c] > w:
                bad([c, "withdrawn"], f"{c} after withdrawal")
        pending = False
        if "s1_responded" not in d:
            pending = True
        elif "s2_requested" in d and d["s2_requested"] <= w and \
                "s2_responded" not in d:
            pending = True
        if not pending:
            bad(["withdrawn"], "withdrawal with nothing pending")
    return f


def _utf8_faults(header, r: RawRecord, known) -> list:
    """A known column's value that is not UTF-8 (the spec says UTF-8) is a
    bad value. An unknown column is "never validated, never an error", so
    bytes that are not UTF-8 there leave the row accepted."""
    return [({header[i].strip().lower(), ""}, "not UTF-8")
            for i, f in enumerate(r.fields)
            if header[i].strip().lower() in known
            and any("\udc80" <= ch <= "\udcff" for ch in f)]


def _count_cols(header, r: RawRecord) -> set:
    cols = {""}
    if r.bad_quote is not None and r.bad_quote < len(header):
        cols.add(header[r.bad_quote].strip().lower())
    return cols


def import_csv(cases_bytes: bytes | None, interactions_bytes: bytes | None,
               cases_name="cases.csv", interactions_name="interactions.csv"
               ) -> Dataset:
    ds = Dataset()
    if cases_bytes is not None:
        header, _, recs = read_csv(cases_bytes)
        idx = _index(header, CASE_REQUIRED, CASE_COLUMNS)
        used = set()
        ds.read[cases_name] = len(recs)
        for r in recs:
            if len(r.fields) != len(header):
                ds.rejects.append(Reject(cases_name, r.line, _count_cols(header, r), r.text,
                                         "wrong number of fields"))
                continue
            vals = {k: r.fields[i].strip(" ") for k, i in idx.items()}
            faults, p = _case_faults(vals)
            faults[:0] = _utf8_faults(header, r, CASE_COLUMNS)
            if r.bad_quote is not None:
                faults.insert(0, ({header[r.bad_quote].strip().lower(), ""},
                                  "stray quote"))
            ref = vals.get("case_ref", "")
            if ref and ref in used:
                faults.insert(0, ({"case_ref"}, "duplicate case_ref"))
            if ref:
                used.add(ref)
            if faults:
                cols = set().union(*(c for c, _ in faults))
                ds.rejects.append(Reject(cases_name, r.line, cols, r.text,
                                         "; ".join(w for _, w in faults)))
                continue
            v = {c: p[c] for c in CASE_DATES if c in p}
            for c in ("s1_outcome", "s2_outcome", "ombudsman",
                      "ombudsman_decision", "remedy_amount"):
                if c in p:
                    v[c] = p[c]
            ds.cases[ref] = Case(ref, p["type"], p["received"],
                                 vals["directorate"], vals.get("service", ""),
                                 v)
            ds.directorates.add(vals["directorate"])
    if interactions_bytes is not None:
        header, _, recs = read_csv(interactions_bytes)
        idx = _index(header, INTERACTION_REQUIRED, INTERACTION_COLUMNS)
        used = set()
        ds.read[interactions_name] = len(recs)
        for r in recs:
            if len(r.fields) != len(header):
                ds.rejects.append(Reject(interactions_name, r.line,
                                         _count_cols(header, r), r.text,
                                         "wrong number of fields"))
                continue
            vals = {k: r.fields[i].strip(" ") for k, i in idx.items()}
            faults = _utf8_faults(header, r, INTERACTION_COLUMNS)
            if r.bad_quote is not None:
                faults.append(({header[r.bad_quote].strip().lower(), ""},
                               "stray quote"))
            for c in INTERACTION_REQUIRED:
                if not vals.get(c):
                    faults.append(({c}, f"missing {c}"))
            at = None
            if vals.get("at"):
                at = parse_when(vals["at"], OPTIONS["at_date_only"], True)
                if at is None:
                    faults.append(({"at"}, "bad at"))
            if vals.get("channel") and parse_enum(vals["channel"], CHANNELS) is None:
                faults.append(({"channel"}, "bad channel"))
            kind = None
            if vals.get("kind"):
                kind = parse_enum(vals["kind"], KINDS)
                if kind is None:
                    faults.append(({"kind"}, "bad kind"))
            iid = vals.get("interaction_id", "")
            if iid and iid in used:
                faults.insert(0, ({"interaction_id"}, "duplicate interaction_id"))
            if iid:
                used.add(iid)
            if faults:
                cols = set().union(*(c for c, _ in faults))
                ds.rejects.append(Reject(interactions_name, r.line, cols,
                                         r.text, "; ".join(w for _, w in faults)))
                continue
            ds.interactions.append(Interaction(
                iid, at, vals.get("directorate", ""), vals.get("service", ""),
                kind, vals.get("case_ref", "")))
            if vals.get("directorate"):
                ds.directorates.add(vals["directorate"])
    return ds


# ---------------------------------------------------------------------------
# Working days


def easter(year: int) -> dt.date:
    a = year % 19
    b, c = divmod(year, 100)
    d, e = divmod(b, 4)
    f = (b + 8) // 25
    g = (b - f + 1) // 3
    h = (19 * a + b - d - g + 15) % 30
    i, k = divmod(c, 4)
    l = (32 + 2 * e + 2 * i - h - k) % 7
    m = (a + 11 * h + 22 * l) // 451
    month = (h + l - 7 * m + 114) // 31
    day = (h + l - 7 * m + 114) % 31 + 1
    return dt.date(year, month, day)


ONE_OFF_ADD = [dt.date(1999, 12, 31), dt.date(2002, 6, 3), dt.date(2002, 6, 4),
               dt.date(2011, 4, 29), dt.date(2012, 6, 4), dt.date(2012, 6, 5),
               dt.date(2020, 5, 8), dt.date(2022, 6, 2), dt.date(2022, 6, 3),
               dt.date(2022, 9, 19), dt.date(2023, 5, 8)]
ONE_OFF_REMOVE = [dt.date(2002, 5, 27), dt.date(2012, 5, 28),
                  dt.date(2020, 5, 4), dt.date(2022, 5, 30)]


def _first_monday(y, m):
    d = dt.date(y, m, 1)
    while d.weekday() != 0:
        d += DAY
    return d


def _last_monday(y, m):
    d = dt.date(y + (m == 12), m % 12 + 1, 1) - DAY
    while d.weekday() != 0:
        d -= DAY
    return d


_HOLIDAYS: dict[int, set] = {}


def holidays(year: int) -> set:
    if year in _HOLIDAYS:
        return _HOLIDAYS[year]
    e = easter(year)
    fixed = [dt.date(year, 1, 1), dt.date(year, 12, 25), dt.date(year, 12, 26)]
    h = set(fixed) | {e - 2 * DAY, e + DAY, _first_monday(year, 5),
                      _last_monday(year, 5), _last_monday(year, 8)}
    for d in sorted(fixed):
        if d.weekday() >= 5:
            s = d + DAY
            while s.weekday() >= 5 or s in h:
                s += DAY
            h.add(s)
    for d in ONE_OFF_REMOVE:
        if d.year == year:
            h.discard(d)
    for d in ONE_OFF_ADD:
        if d.year == year:
            h.add(d)
    _HOLIDAYS[year] = h
    return h


def is_working_day(d: dt.date) -> bool:
    return d.weekday() < 5 and d not in holidays(d.year)


def add_working_days(d: dt.date, n: int) -> dt.date:
    while n > 0:
        d += DAY
        if is_working_day(d):
            n -= 1
    return d


# ---------------------------------------------------------------------------
# Timescales

POLICY = {"s1_ack": 5, "s1_resp": 10, "s1_ext": 10,
          "s2_ack": 5, "s2_resp": 20, "s2_ext": 20}


def s1_ack_due(c: Case) -> dt.date:
    return add_working_days(c.received.date, POLICY["s1_ack"])


def s1_resp_due(c: Case) -> dt.date:
    due = s1_ack_due(c)
    ack = c.v.get("s1_acknowledged")
    start = min(ack.date, due) if ack else due
    return add_working_days(start, POLICY["s1_resp"])


def s2_ack_due(c: Case) -> dt.date:
    return add_working_days(c.v["s2_requested"].date, POLICY["s2_ack"])


def s2_resp_due(c: Case) -> dt.date:
    due = s2_ack_due(c)
    ack = c.v.get("s2_acknowledged")
    start = min(ack.date, due) if ack else due
    return add_working_days(start, POLICY["s2_resp"])


def on_time(resp: dt.date, due: dt.date, agreed: dt.date | None, ext: int) -> bool:
    if resp <= due:
        return True
    if agreed is not None:
        return resp <= min(agreed, add_working_days(due, ext))
    return False


def s1_on_time(c: Case) -> bool:
    ext = c.v.get("s1_extended_to")
    return on_time(c.v["s1_responded"].date, s1_resp_due(c),
                   ext.date if ext else None, POLICY["s1_ext"])


def s2_on_time(c: Case) -> bool:
    ext = c.v.get("s2_extended_to")
    return on_time(c.v["s2_responded"].date, s2_resp_due(c),
                   ext.date if ext else None, POLICY["s2_ext"])


# ---------------------------------------------------------------------------
# Periods


@dataclass(frozen=True)
class Period:
    kind: str          # "fy", "cy", "range"
    start: dt.date
    end: dt.date
    fy_start_month: int = 4

    @property
    def label(self) -> str:
        if self.kind == "fy":
            return f"{self.start.year}/{(self.start.year + 1) % 100:02d}"
        if self.kind == "cy":
            return str(self.start.year)
        return f"{self.start.isoformat()}..{self.end.isoformat()}"

    def previous(self) -> "Period":
        if self.kind == "fy":
            return financial_year(self.start.year - 1, self.fy_start_month)
        if self.kind == "cy":
            return calendar_year(self.start.year - 1)
        n = (self.end - self.start).days + 1
        return Period("range", self.start - n * DAY, self.start - DAY)

    def __contains__(self, d: dt.date) -> bool:
        return self.start <= d <= self.end


def financial_year(y: int, start_month: int = 4) -> Period:
    s = dt.date(y, start_month, 1)
    e = dt.date(y + 1, start_month, 1) - DAY
    return Period("fy", s, e, start_month)


def calendar_year(y: int) -> Period:
    return Period("cy", dt.date(y, 1, 1), dt.date(y, 12, 31))


def date_range(s: dt.date, e: dt.date) -> Period:
    return Period("range", s, e)


# ---------------------------------------------------------------------------
# Figures

COUNT_KEYS = ("interactions", "enquiries", "compliments", "complaints_received",
              "stage1_received", "stage2_received", "ombudsman_enquiries",
              "ombudsman_enquiries_lgsco", "ombudsman_enquiries_hos",
              "stage1_responses", "stage2_responses", "follow_up_contacts")
RATIO_KEYS = ("enquiries_share", "upheld_rate", "escalation_rate",
              "escalation_rate_cohort", "lessons_learnt_rate", "stage1_on_time",
              "stage2_on_time", "stage1_ack_on_time")
CH01_KEYS = ("ch01_stage1_per_1000_homes", "ch01_stage2_per_1000_homes")


def _final_response(c: Case, t: dt.datetime):
    """(date, outcome) of the final internal response as seen at T, or None."""
    if "withdrawn" in c.v and c.v["withdrawn"].seen_at(t):
        return None
    if "s2_requested" in c.v and c.v["s2_requested"].seen_at(t):
        r = c.v.get("s2_responded")
        return (r.date, c.v["s2_outcome"]) if r and r.seen_at(t) else None
    r = c.v.get("s1_responded")
    return (r.date, c.v["s1_outcome"]) if r and r.seen_at(t) else None


def _seen(c: Case, col: str, t) -> bool:
    return col in c.v and c.v[col].seen_at(t)


def _in(c: Case, col: str, p: Period, t) -> bool:
    return col in c.v and c.v[col].date in p and c.v[col].seen_at(t)


def _chasing(c: Case, d: dt.date, t) -> bool:
    if "withdrawn" in c.v and c.v["withdrawn"].seen_at(t) and \
            d > c.v["withdrawn"].date:
        return False
    r1 = c.v.get("s1_responded") if _seen(c, "s1_responded", t) else None
    if c.received.date <= d and (r1 is None or d < r1.date):
        return True
    if _seen(c, "s2_requested", t):
        r2 = c.v.get("s2_responded") if _seen(c, "s2_responded", t) else None
        if c.v["s2_requested"].date <= d and (r2 is None or d < r2.date):
            return True
    return False


def _after_response(c: Case, d: dt.date, t) -> bool:
    rs = [c.v[k].date for k in ("s1_responded", "s2_responded")
          if _seen(c, k, t) and c.v[k].date <= d]
    if not rs:
        return False
    return 0 <= (d - max(rs)).days <= 28


def figures(cases, interactions, ds_cases, p: Period, t: dt.datetime,
            homes=None, landlord=None, learning=True) -> dict:
    """Every figure over P for the given cases and interactions (already
    narrowed to a directorate or service by the caller). `ds_cases` is the
    whole data set's cases (for linking). Counts are ints, ratios (n, d)."""
    tdate = london_date(t)
    f = {k: 0 for k in COUNT_KEYS}
    ir = [i for i in interactions if i.at.date in p and i.at.seen_at(t)]
    f["interactions"] = len(ir)
    rec = [c for c in cases if c.received.date in p and c.received.seen_at(t)]
    complaints = [c for c in rec if c.type == "complaint"]
    f["enquiries"] = sum(c.type == "enquiry" for c in rec)
    f["compliments"] = sum(c.type == "compliment" for c in rec)
    f["complaints_received"] = f["stage1_received"] = len(complaints)
    comp_all = [c for c in cases if c.type == "complaint"]
    f["stage2_received"] = sum(_in(c, "s2_requested", p, t) for c in comp_all)
    omb = [c for c in cases if _in(c, "ombudsman_received", p, t)]
    f["ombudsman_enquiries"] = len(omb)
    f["ombudsman_enquiries_lgsco"] = sum(c.v["ombudsman"] == "lgsco" for c in omb)
    f["ombudsman_enquiries_hos"] = sum(c.v["ombudsman"] == "hos" for c in omb)
    s1r = [c for c in comp_all if _in(c, "s1_responded", p, t)]
    s2r = [c for c in comp_all if _in(c, "s2_responded", p, t)]
    f["stage1_responses"], f["stage2_responses"] = len(s1r), len(s2r)
    fu = [i for i in ir if i.kind == "follow_up" and i.case_ref in ds_cases]
    f["follow_up_contacts"] = len(fu)

    f["enquiries_share"] = (f["enquiries"], f["interactions"])
    resolved = []
    for c in comp_all:
        fr = _final_response(c, t)
        if fr and fr[0] in p:
            resolved.append((c, fr))
    f["upheld_rate"] = (sum(fr[1] in ("upheld", "partly_upheld")
                            for _, fr in resolved), len(resolved))
    f["escalation_rate"] = (f["stage2_received"], f["stage1_received"])
    f["escalation_rate_cohort"] = (
        sum(_seen(c, "s2_requested", t) for c in complaints), len(complaints))
    f["lessons_learnt_rate"] = (
        sum(_seen(c, "lessons_learnt", t) for c in complaints), len(complaints))
    f["stage1_on_time"] = (sum(s1_on_time(c) for c in s1r), len(s1r))
    f["stage2_on_time"] = (sum(s2_on_time(c) for c in s2r), len(s2r))
    num = den = 0
    for c in complaints:
        due = s1_ack_due(c)
        if due > tdate:
            continue
        ack = c.v.get("s1_acknowledged") if _seen(c, "s1_acknowledged", t) else None
        w = c.v.get("withdrawn") if _seen(c, "withdrawn", t) else None
        if w is not None and w.date <= due and ack is None:
            continue
        den += 1
        if ack is not None and ack.date <= due:
            num += 1
    f["stage1_ack_on_time"] = (num, den)
    if homes is not None:
        ll = [c for c in comp_all
              if landlord is None or c.directorate in landlord]
        s1 = sum(c.received.date in p and c.received.seen_at(t) for c in ll)
        s2 = sum(_in(c, "s2_requested", p, t) for c in ll)
        f["ch01_stage1_per_1000_homes"] = (s1 * 1000, homes)
        f["ch01_stage2_per_1000_homes"] = (s2 * 1000, homes)
    if learning:
        chasing = after = linked_c = 0
        for i in fu:
            c = ds_cases[i.case_ref]
            if c.type != "complaint":
                continue
            linked_c += 1
            if _chasing(c, i.at.date, t):
                chasing += 1
            elif _after_response(c, i.at.date, t):
                after += 1
        f["follow_up_chasing"] = chasing
        f["follow_up_after_response"] = after
        f["follow_ups_per_complaint"] = (linked_c, len(complaints))
        f["lessons_actions_overdue"] = 0
        f["remedy_pence"] = sum(c.v.get("remedy_amount", 0) for c, _ in resolved)
        for body, decs in DECISIONS.items():
            for d in decs:
                f[f"ombudsman_decisions_{body}_{d}"] = 0
        lg = {d: 0 for d in DECISIONS["lgsco"]}
        for c in cases:
            if _in(c, "ombudsman_decided", p, t):
                b, d = c.v["ombudsman"], c.v["ombudsman_decision"]
                f[f"ombudsman_decisions_{b}_{d}"] += 1
                if b == "lgsco":
                    lg[d] += 1
        up = lg["upheld"] + lg["upheld_satisfactory_remedy"]
        f["ombudsman_upheld_rate"] = (up, up + lg["not_upheld"])
        f["ombudsman_satisfactory_remedy_rate"] = (
            lg["upheld_satisfactory_remedy"], up)
        f["restrictions_active"] = 0
        f["restriction_reviews_overdue"] = 0
    return f


def remedy_resolved_in(c, p, t):
    fr = _final_response(c, t)
    return fr is not None and fr[0] in p


def months(p: Period):
    y, m = p.start.year, p.start.month
    while dt.date(y, m, 1) <= p.end:
        s = max(dt.date(y, m, 1), p.start)
        e = min(dt.date(y + (m == 12), m % 12 + 1, 1) - DAY, p.end)
        yield f"{y:04d}-{m:02d}", Period("range", s, e)
        y, m = (y + 1, 1) if m == 12 else (y, m + 1)


def report(ds: Dataset, p: Period, t: dt.datetime, homes=None,
           landlord=None) -> dict:
    """The figures of a report, in a plain shape:
    {"period", "previous_period", "as_of", "metrics": {key: (cur, prev)},
     "by_directorate": [(name, {key: (cur, prev)}, {service: {...}})],
     "five_year": [(Period, s1, s2)], "monthly": {month: {key: n}}}"""
    if t < end_of_london_day(p.end):
        raise ValueError("as-of before the end of the period")
    prev = p.previous()
    cases = list(ds.cases.values())
    inter = ds.interactions

    def both(cs, its, learning, ch01):
        a = figures(cs, its, ds.cases, p, t, homes if ch01 else None,
                    landlord, learning)
        b = figures(cs, its, ds.cases, prev, t, homes if ch01 else None,
                    landlord, learning)
        return {k: (a[k], b[k]) for k in a}

    out = {"period": p, "previous_period": prev, "as_of": t,
           "metrics": both(cases, inter, True, True), "by_directorate": []}
    for d in sorted(ds.directorates, key=lambda s: s.encode()):
        cs = [c for c in cases if c.directorate == d]
        its = [i for i in inter if i.directorate == d]
        services = sorted({c.service for c in cs} | {i.service for i in its},
                          key=lambda s: s.encode())
        svc = {s: both([c for c in cs if c.service == s],
                       [i for i in its if i.service == s], False, False)
               for s in services}
        out["by_directorate"].append((d, both(cs, its, False, False), svc))
    fy = []
    q = p
    for _ in range(5):
        s1 = figures(cases, [], ds.cases, q, t, learning=False)
        fy.append((q, s1["stage1_received"], s1["stage2_received"]))
        q = q.previous()
    out["five_year"] = fy[::-1]
    out["monthly"] = {}
    for label, mp in months(p):
        mf = figures(cases, inter, ds.cases, mp, t, learning=False)
        out["monthly"][label] = {k: mf[k] for k in COUNT_KEYS}
    return out


# ---------------------------------------------------------------------------
# Changes, top services, disclosure control


def change(cur, prev) -> dict:
    """{"relative": x, "percentage_points": y}, each only when defined."""
    out = {}
    if isinstance(cur, int):
        if prev:
            out["relative"] = (cur - prev) / prev
        return out
    (cn, cd), (pn, pd) = cur, prev
    if cd and pd:
        c, p = cn / cd, pn / pd
        out["percentage_points"] = (c - p) * 100
        if p:
            out["relative"] = (c - p) / p
    return out


def top_services(ds: Dataset, p: Period, t, n: int = 10) -> list:
    """(directorate, service, complaints_received, upheld_rate,
    lessons_learnt_rate) ranked by complaints received in P; ties by the
    bytes of directorate then service (the spec names no tie order)."""
    rows = []
    cases = list(ds.cases.values())
    for d in ds.directorates:
        for s in {c.service for c in cases if c.directorate == d}:
            cs = [c for c in cases if c.directorate == d and c.service == s]
            f = figures(cs, [], ds.cases, p, t, learning=False)
            if f["complaints_received"]:
                rows.append((d, s, f["complaints_received"], f["upheld_rate"],
                             f["lessons_learnt_rate"]))
    rows.sort(key=lambda r: (-r[2], r[0].encode(), r[1].encode()))
    return rows[:n]


def suppress(v, threshold: int = 4):
    """A breakdown cell under disclosure control: a count of 1..threshold
    reads "<5"; a ratio with such a numerator or denominator is suppressed."""
    if isinstance(v, int):
        return "<5" if 1 <= v <= threshold else v
    n, d = v
    return "<5" if 1 <= n <= threshold or 1 <= d <= threshold else v
