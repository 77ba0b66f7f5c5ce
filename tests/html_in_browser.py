#!/usr/bin/env python3
"""The published HTML report, checked in a real browser (headless Chromium).

For two reports -- the hand-built fixture (plus a directorate whose name needs
escaping) and a realistic sample council, published with small numbers
suppressed -- html_report_page writes the page and the report's JSON. This
script loads each page in Chromium and fails unless:

  * Chromium logs no console message at all: the page runs no script and
    fetches nothing, so any message (a script error, a Content-Security-Policy
    violation, a failed load) is a fault. A canary page first proves that
    console messages do reach the log, so the check cannot pass vacuously;
  * the DOM Chromium built from the page holds the report's figures: every
    bar of the five-year and monthly charts, every cell of the directorate,
    five-year, monthly and top-services tables, every headline panel with
    its change in words, all as the JSON says (names unescaped back to the
    original, suppressed cells as "<5");
  * the charts are images with a title and a description, the tables have
    captions and scoped header cells, and nothing refers outside the page;
  * a 1200x3000 screenshot is a PNG of that size, and printing gives A4 pages.

Usage (ctest runs it; see tests/CMakeLists.txt):
  html_in_browser.py --page-tool PATH --out-dir DIR [--docs-screenshot PNG]

--docs-screenshot also writes the sample's screenshot for the README.
Standard library only. Exits 1 on any failure, including a missing Chromium.
"""

import argparse
import json
import os
import re
import shutil
import struct
import subprocess
import sys
import tempfile
from html.parser import HTMLParser

# No network, no first-run UI, no background services, a fresh profile.
CHROMIUM_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-extensions",
    "--disable-default-apps",
    "--hide-scrollbars",
    "--enable-logging=stderr",
    "--v=0",
]

# Chromium logs each console message as '...:INFO:CONSOLE:<line>] "<text>"'
# (older builds: 'CONSOLE(<line>)').
CONSOLE_LINE = re.compile(r":CONSOLE[:(]\d*\)?\]\s*(.*)")

CANARY = """<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">
<title>canary</title></head><body><p>canary</p>
<script>console.error("tellus-canary-console-error");</script></body></html>
"""

HEADLINE_KEYS = [
    "complaints_received", "compliments", "enquiries", "interactions",
    "stage2_received", "ombudsman_enquiries", "upheld_rate",
    "lessons_learnt_rate", "escalation_rate", "stage1_on_time",
    "stage2_on_time",
]

RATIO_KEYS = {
    "enquiries_share", "upheld_rate", "escalation_rate",
    "escalation_rate_cohort", "lessons_learnt_rate", "stage1_on_time",
    "stage2_on_time", "stage1_ack_on_time",
}


class Failures:
    def __init__(self):
        self.messages = []

    def check(self, condition, message):
        if not condition:
            self.messages.append(message)
        return condition


# --- A small DOM from Chromium's serialisation ---------------------------

VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link",
        "meta", "source", "track", "wbr"}


class Node:
    def __init__(self, tag, attrs, parent):
        self.tag = tag
        self.attrs = dict(attrs)
        self.parent = parent
        self.children = []

    def text(self):
        return "".join(c if isinstance(c, str) else c.text()
                       for c in self.children)

    def elements(self):
        return [c for c in self.children if isinstance(c, Node)]

    def classes(self):
        return self.attrs.get("class", "").split()

    def walk(self):
        yield self
        for c in self.elements():
            yield from c.walk()

    def find_all(self, tag=None, cls=None, **attrs):
        out = []
        for n in self.walk():
            if tag is not None and n.tag != tag:
                continue
            if cls is not None and cls not in n.classes():
                continue
            if any(n.attrs.get(k.replace("_", "-")) != v
                   for k, v in attrs.items()):
                continue
            out.append(n)
        return out

    def find(self, tag=None, cls=None, **attrs):
        found = self.find_all(tag, cls, **attrs)
        return found[0] if found else None


class DomBuilder(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.root = Node("#document", {}, None)
        self.current = self.root

    def handle_starttag(self, tag, attrs):
        node = Node(tag, attrs, self.current)
        self.current.children.append(node)
        if tag not in VOID:
            self.current = node

    def handle_startendtag(self, tag, attrs):
        self.current.children.append(Node(tag, attrs, self.current))

    def handle_endtag(self, tag):
        node = self.current
        while node is not None and node.tag != tag:
            node = node.parent
        if node is not None and node.parent is not None:
            self.current = node.parent

    def handle_data(self, data):
        self.current.children.append(data)


def parse_dom(html):
    builder = DomBuilder()
    builder.feed(html)
    builder.close()
    return builder.root


def squash(s):
    return " ".join(s.split())


# --- The report's figures, formatted independently of the C++ renderers ---

def one_decimal(x):
    s = "%.1f" % x
    if s == "-0.0":
        s = "0.0"
    return s[:-2] if s.endswith(".0") else s


def raw(value):
    """The figure exactly: "8", "4/7", "<5"."""
    if "count" in value:
        return str(int(value["count"]))
    if "ratio" in value:
        r = value["ratio"]
        return "%d/%d" % (int(r.get("numerator", 0)),
                          int(r.get("denominator", 0)))
    if "suppressed" in value:
        return value["suppressed"]["shown_as"]
    return ""


def shown(value):
    """As a reader sees it: "8", "57.1%", "n/a", "<5"."""
    if "ratio" in value:
        r = value["ratio"]
        n, d = int(r.get("numerator", 0)), int(r.get("denominator", 0))
        return "n/a" if d == 0 else one_decimal(100.0 * n / d) + "%"
    if "count" in value:
        return str(int(value["count"]))
    if "suppressed" in value:
        return value["suppressed"]["shown_as"]
    return "n/a"


def metric(metrics, key):
    for m in metrics:
        if m["key"] == key:
            return m
    return None


def change_words(key, m):
    """The panel's change in words, or None when undefined."""
    change = m.get("change", {})
    if key in RATIO_KEYS:
        cur, prev = m["current"], m["previous"]
        defined = all("ratio" in v and int(v["ratio"].get("denominator", 0))
                      for v in (cur, prev))
        if not defined or "percentage_points" not in change:
            return None
        pp = change["percentage_points"]
        points = one_decimal(abs(pp))
        if points == "0":
            return "same", "no change"
        unit = "percentage point" if points == "1" else "percentage points"
        return (("up", "%s %s more" % (points, unit)) if pp > 0 else
                ("down", "%s %s fewer" % (points, unit)))
    if "relative" not in change:
        return None
    rel = 100.0 * change["relative"]
    if abs(rel) < 0.05:
        return "same", "no change"
    return (("up", "an increase of %.1f%%" % abs(rel)) if rel > 0 else
            ("down", "a decrease of %.1f%%" % abs(rel)))


# --- Checks of one page's DOM against its report --------------------------

def check_self_contained(f, dom, name):
    f.check(not dom.find_all("script"), f"{name}: the page has a <script>")
    for tag in ("link", "img", "iframe", "object", "embed", "base"):
        f.check(not dom.find_all(tag), f"{name}: the page has a <{tag}>")
    for node in dom.walk():
        for attr in ("src", "href", "xlink:href", "action", "data", "srcset"):
            value = node.attrs.get(attr)
            if value is not None:
                f.check(value.startswith("#"),
                        f"{name}: <{node.tag} {attr}=\"{value}\"> leaves the "
                        "page")


def check_semantics(f, dom, name):
    f.check(len(dom.find_all("h1")) == 1, f"{name}: not exactly one <h1>")
    f.check(len(dom.find_all("h2")) >= 8, f"{name}: fewer than 8 <h2>")
    html = dom.find("html")
    f.check(html is not None and html.attrs.get("lang") == "en-GB",
            f"{name}: <html> has no lang=en-GB")
    f.check(dom.find("meta", name="viewport") is not None,
            f"{name}: no viewport meta")
    svgs = dom.find_all("svg")
    f.check(len(svgs) == 2, f"{name}: {len(svgs)} charts, expected 2")
    for svg in svgs:
        sid = svg.attrs.get("id", "?")
        f.check(svg.attrs.get("role") == "img", f"{name}: {sid} has no role=img")
        f.check("viewbox" in svg.attrs or "viewBox" in svg.attrs,
                f"{name}: {sid} has no viewBox")
        ids = svg.attrs.get("aria-labelledby", "").split()
        f.check(len(ids) == 2, f"{name}: {sid} aria-labelledby is not "
                "title and desc")
        for want_tag, ref in zip(("title", "desc"), ids):
            node = svg.find(want_tag, id=ref)
            f.check(node is not None and node.parent is svg and
                    node.text().strip(),
                    f"{name}: {sid} has no <{want_tag} id={ref}> with text")
    for table in dom.find_all("table"):
        tid = table.attrs.get("id", "?")
        caption = table.find("caption")
        f.check(caption is not None and caption.text().strip(),
                f"{name}: table {tid} has no caption")
        for th in table.find_all("th"):
            f.check(th.attrs.get("scope") in ("col", "row"),
                    f"{name}: table {tid} has a <th> without scope")


def bars(f, dom, name, chart_id):
    chart = dom.find("svg", id=chart_id)
    if not f.check(chart is not None, f"{name}: no #{chart_id}"):
        return {}
    out = {}
    for rect in chart.find_all("rect", cls="bar"):
        out[(rect.attrs.get("data-series"), rect.attrs.get("data-category"))] = (
            rect)
    return out


def check_bar(f, name, found, series, category, value):
    rect = found.get((series, category))
    where = f"{name}: bar {series} {category}"
    if not f.check(rect is not None, f"{where} is missing"):
        return
    f.check(rect.attrs.get("data-value") == str(value),
            f"{where}: data-value {rect.attrs.get('data-value')} != {value}")
    title = rect.find("title")
    f.check(title is not None and
            re.search(r": %d " % value, title.text()) is not None,
            f"{where}: <title> {title.text() if title else None!r} lacks "
            f"{value}")
    # The label drawn over the bar is the element right after it.
    siblings = rect.parent.elements()
    after = siblings[siblings.index(rect) + 1:]
    label = after[0] if after else None
    f.check(label is not None and label.tag == "text" and
            "value" in label.classes() and label.text() == str(value),
            f"{where}: label {label.text() if label else None!r} != {value}")
    height = float(rect.attrs.get("height", "-1"))
    f.check((height > 0) == (value > 0), f"{where}: height {height} for "
            f"{value}")


def check_charts(f, dom, name, report):
    five = bars(f, dom, name, "five-year-chart")
    f.check(len(five) == 2 * len(report["five_year"]),
            f"{name}: {len(five)} five-year bars for "
            f"{len(report['five_year'])} years")
    for p in report["five_year"]:
        label = p["period"]["label"]
        check_bar(f, name, five, "stage1_received", label,
                  int(p["stage1_received"]))
        check_bar(f, name, five, "stage2_received", label,
                  int(p["stage2_received"]))
    chart = dom.find("svg", id="five-year-chart")
    if chart is not None:
        sublabels = [t.text() for t in chart.find_all("text", cls="sublabel")]
        want = [shown({"ratio": p["escalation_rate"]}) + " escalated"
                for p in report["five_year"]]
        f.check(sublabels == want,
                f"{name}: escalation rates {sublabels} != {want}")
    monthly = bars(f, dom, name, "monthly-chart")
    for m in report["monthly"]:
        counts = {c["key"]: int(c["count"]) for c in m["counts"]}
        for key in ("complaints_received", "compliments"):
            check_bar(f, name, monthly, key, m["month"], counts[key])


def table_parts(dom, table_id):
    table = dom.find("table", id=table_id)
    if table is None:
        return None, [], []
    head = table.find("thead")
    keys = [th.attrs.get("data-key", "") for th in head.find_all("th")]
    def rows(section):
        node = table.find(section)
        if node is None:
            return []
        return [(tr.find("th"), tr.find_all("td")) for tr in
                node.find_all("tr")]
    return keys, rows("tbody"), rows("tfoot")


def check_cells(f, where, keys, tds, metrics):
    for key, td in zip(keys[1:], tds):
        if not key:
            continue
        m = metric(metrics, key)
        if not f.check(m is not None, f"{where}: no metric {key}"):
            continue
        f.check(td.attrs.get("data-value") == raw(m["current"]),
                f"{where} {key}: data-value {td.attrs.get('data-value')!r} "
                f"!= {raw(m['current'])!r}")
        f.check(td.text() == shown(m["current"]),
                f"{where} {key}: {td.text()!r} != {shown(m['current'])!r}")


def check_tables(f, dom, name, report):
    keys, body, foot = table_parts(dom, "directorate-table")
    if f.check(keys is not None, f"{name}: no directorate table"):
        for want in ("complaints_received", "upheld_rate", "stage1_on_time",
                     "stage2_on_time", "lessons_learnt_rate", "compliments"):
            f.check(want in keys, f"{name}: directorate table lacks {want}")
        names = [th.text() for th, _ in body]
        want_names = [d["directorate"] for d in report["by_directorate"]]
        f.check(names == want_names,
                f"{name}: directorates {names} != {want_names}")
        for (th, tds), d in zip(body, report["by_directorate"]):
            check_cells(f, f"{name}: {d['directorate']!r}", keys, tds,
                        d["metrics"])
        f.check(len(foot) == 1 and foot[0][0].text() == "All directorates",
                f"{name}: no totals row")
        if foot:
            check_cells(f, f"{name}: totals", keys, foot[0][1],
                        report["metrics"])

    keys, body, _ = table_parts(dom, "five-year-table")
    f.check(len(body) == len(report["five_year"]),
            f"{name}: five-year table has {len(body)} rows")
    for (th, tds), p in zip(body, report["five_year"]):
        got = [th.text()] + [td.text() for td in tds]
        want = [p["period"]["label"], str(int(p["stage1_received"])),
                str(int(p["stage2_received"])),
                shown({"ratio": p["escalation_rate"]})]
        f.check(got == want, f"{name}: five-year row {got} != {want}")

    keys, body, _ = table_parts(dom, "monthly-table")
    f.check(len(body) == len(report["monthly"]),
            f"{name}: monthly table has {len(body)} rows")
    for (th, tds), m in zip(body, report["monthly"]):
        counts = {c["key"]: str(int(c["count"])) for c in m["counts"]}
        got = [td.text() for td in tds]
        want = [counts.get(k, "") for k in keys[1:]]
        f.check(got == want, f"{name}: {m['month']} {got} != {want}")

    keys, body, _ = table_parts(dom, "services-table")
    f.check(len(body) == len(report["top_services"]),
            f"{name}: top services table has {len(body)} rows")
    for (th, tds), s in zip(body, report["top_services"]):
        got = [th.text()] + [td.text() for td in tds]
        want = [s["service"] or "(no service)", s["directorate"],
                shown(s["complaints_received"]), shown(s["upheld_rate"]),
                shown(s["lessons_learnt_rate"])]
        f.check(got == want, f"{name}: top service {got} != {want}")


def check_panels(f, dom, name, report):
    for key in HEADLINE_KEYS:
        m = metric(report["metrics"], key)
        panel = dom.find("li", cls="panel", data_key=key)
        where = f"{name}: panel {key}"
        if not f.check(m is not None and panel is not None, f"{where} missing"):
            continue
        figure = panel.find("p", cls="figure")
        f.check(figure is not None and figure.text() == shown(m["current"]) and
                figure.attrs.get("data-value") == raw(m["current"]),
                f"{where}: figure {figure.text() if figure else None!r} != "
                f"{shown(m['current'])!r}")
        previous = panel.find("p", cls="previous")
        f.check(previous is not None and squash(previous.text()) ==
                "%s: %s" % (report["previous_period"]["label"],
                            shown(m["previous"])),
                f"{where}: previous {previous.text() if previous else None!r}")
        change = panel.find("p", cls="change")
        if not f.check(change is not None, f"{where}: no change"):
            continue
        arrow = change.find("span", cls="arrow")
        f.check(arrow is not None and arrow.attrs.get("aria-hidden") == "true",
                f"{where}: the arrow is not hidden from screen readers")
        words = squash(change.text()[len(arrow.text()) if arrow else 0:])
        want = change_words(key, m)
        if want is None:
            f.check(change.attrs.get("data-direction") == "none" and
                    words == "No comparison possible",
                    f"{where}: change {words!r} for an undefined change")
        else:
            direction, text = want
            f.check(change.attrs.get("data-direction") == direction and
                    words == text,
                    f"{where}: change {change.attrs.get('data-direction')} "
                    f"{words!r} != {direction} {text!r}")
            if direction in ("up", "down") and arrow is not None:
                f.check(arrow.text() == ("▲" if direction == "up" else "▼"),
                        f"{where}: arrow {arrow.text()!r} for {direction}")


# --- Chromium -------------------------------------------------------------

def chromium_binary():
    for candidate in (shutil.which("chromium"), "/usr/bin/chromium"):
        if candidate and os.access(candidate, os.X_OK):
            return candidate
    return None


def run_chromium(chromium, args, path, work):
    """Runs Chromium on a local file; returns (stdout, console messages)."""
    profile = tempfile.mkdtemp(prefix="profile-", dir=work)
    try:
        proc = subprocess.run(
            [chromium, *CHROMIUM_FLAGS, f"--user-data-dir={profile}", *args,
             "file://" + os.path.abspath(path)],
            capture_output=True, timeout=180, check=False)
    finally:
        shutil.rmtree(profile, ignore_errors=True)
    stderr = proc.stderr.decode("utf-8", "replace")
    console = [m.group(1) for m in map(CONSOLE_LINE.search,
                                       stderr.splitlines()) if m]
    if proc.returncode != 0:
        raise RuntimeError(f"chromium {' '.join(args)} exited with "
                           f"{proc.returncode}:\n{stderr[-3000:]}")
    return proc.stdout, console


def png_size(path):
    with open(path, "rb") as f:
        head = f.read(24)
    if len(head) < 24 or head[:8] != b"\x89PNG\r\n\x1a\n" or head[12:16] != b"IHDR":
        return None
    return struct.unpack(">II", head[16:24])


def pdf_pages(path):
    """The MediaBox (width, height) of every page, in points."""
    with open(path, "rb") as f:
        data = f.read()
    if not data.startswith(b"%PDF-"):
        return None
    boxes = re.findall(rb"/MediaBox\s*\[\s*0\s+0\s+([\d.]+)\s+([\d.]+)\s*\]",
                       data)
    return [(float(w), float(h)) for w, h in boxes]


def check_page(f, chromium, page_tool, which, out_dir, docs_screenshot):
    prefix = os.path.join(out_dir, which)
    subprocess.run([page_tool, which, prefix], check=True)
    with open(prefix + ".json", encoding="utf-8") as fh:
        report = json.load(fh)
    html_path = prefix + ".html"

    dom_bytes, console = run_chromium(chromium, ["--dump-dom"], html_path,
                                      out_dir)
    f.check(not console, f"{which}: console messages: {console}")
    dom_text = dom_bytes.decode("utf-8")
    with open(prefix + ".dom.html", "w", encoding="utf-8") as fh:
        fh.write(dom_text)
    f.check("http:" not in dom_text and "https:" not in dom_text,
            f"{which}: the DOM names a web address")
    dom = parse_dom(dom_text)
    check_self_contained(f, dom, which)
    check_semantics(f, dom, which)
    check_charts(f, dom, which, report)
    check_tables(f, dom, which, report)
    check_panels(f, dom, which, report)

    png = prefix + ".png"
    _, console = run_chromium(
        chromium, [f"--screenshot={png}", "--window-size=1200,3000"],
        html_path, out_dir)
    f.check(not console, f"{which}: console messages: {console}")
    size = png_size(png) if os.path.exists(png) else None
    f.check(size == (1200, 3000) and os.path.getsize(png) > 20000,
            f"{which}: screenshot {png} is not a 1200x3000 PNG ({size})")

    # A phone, for people to look at (layout is checked by eye).
    _, console = run_chromium(
        chromium, [f"--screenshot={prefix}.phone.png", "--window-size=390,2400"],
        html_path, out_dir)
    f.check(not console, f"{which}: console messages: {console}")

    pdf = prefix + ".pdf"
    _, console = run_chromium(
        chromium, [f"--print-to-pdf={pdf}", "--no-pdf-header-footer"],
        html_path, out_dir)
    f.check(not console, f"{which}: console messages: {console}")
    pages = pdf_pages(pdf) if os.path.exists(pdf) else None
    f.check(bool(pages) and all(594 <= w <= 597 and 841 <= h <= 843.5
                                for w, h in pages),
            f"{which}: printing does not give A4 pages: {pages}")

    if docs_screenshot and which == "sample":
        _, console = run_chromium(
            chromium, [f"--screenshot={docs_screenshot}",
                       "--window-size=1000,2250"], html_path, out_dir)
        f.check(not console, f"{which}: console messages: {console}")
    return report


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--page-tool", required=True)
    parser.add_argument("--out-dir", required=True)
    parser.add_argument("--docs-screenshot")
    args = parser.parse_args()

    chromium = chromium_binary()
    if chromium is None:
        print("FAIL: Chromium is not installed, so the HTML report cannot be "
              "checked in a browser. Install Debian's chromium package: "
              "scripts/install-deps.sh (or apt-get install -y chromium).",
              file=sys.stderr)
        return 1

    os.makedirs(args.out_dir, exist_ok=True)
    f = Failures()

    canary = os.path.join(args.out_dir, "canary.html")
    with open(canary, "w", encoding="utf-8") as fh:
        fh.write(CANARY)
    _, console = run_chromium(chromium, ["--dump-dom"], canary, args.out_dir)
    f.check(any("tellus-canary-console-error" in m for m in console),
            "a console.error on the canary page did not reach Chromium's "
            "log: the console check cannot be trusted")

    fixture = check_page(f, chromium, args.page_tool, "fixture", args.out_dir,
                         None)
    sample = check_page(f, chromium, args.page_tool, "sample", args.out_dir,
                        args.docs_screenshot)

    # The pages exercise what they are there for.
    f.check(any(d["directorate"] == '<Parks & "Open" Spaces>'
                for d in fixture["by_directorate"]),
            "fixture: no directorate that needs escaping")
    f.check(any("suppressed" in m["current"] for d in sample["by_directorate"]
                for m in d["metrics"]),
            "sample: no suppressed cell")

    if f.messages:
        print(f"FAIL: {len(f.messages)} problem(s):", file=sys.stderr)
        for m in f.messages:
            print("  " + m, file=sys.stderr)
        return 1
    print(f"OK: fixture and sample pages checked in {chromium}; pages, DOMs, "
          f"screenshots and PDFs in {args.out_dir}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
