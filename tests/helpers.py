"""Shared builders and paths for the tests: import them with ``from helpers import ...``."""

from __future__ import annotations

import re
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pandas as pd
import psutil

ROOT = Path(__file__).resolve().parents[1]
GOLDEN = ROOT / "tests" / "golden"
SAMPLE = ROOT / "data" / "sample" / "trat"

BAND_HEADER = "agency_id,agency_name,year,framework,assessor,item,percent\n"
#: A sheet with known comments per assessor and item (see tests/golden/feedback/README.md).
FEEDBACK = GOLDEN / "feedback" / "sheet.csv"


def item_section(html: str, key: str) -> str:
    """The HTML of one item of a feedback fragment or page (``<section id="fb-KEY">``)."""
    start = html.index(f'<section class="ek-fb-item" id="fb-{key}">')
    return html[start : html.index("</section>", start)]


def read_golden(path: Path) -> pd.DataFrame:
    return pd.read_csv(path, comment="#", dtype={"key": str, "year": "Int64"})


#: What a spreadsheet takes for the start of a formula (OWASP).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def spreadsheet_cells(path: Path) -> list[tuple[str, object, bool]]:
    """Every non-empty cell of a CSV or XLSX file: (where, value, safe), ``safe`` meaning
    that the cell cannot run as a formula whatever its text (an XLSX text cell with Excel's
    quote prefix); a formula cell of a workbook is reported with its formula as its value
    and ``safe`` False."""
    import csv

    import openpyxl

    if path.suffix == ".csv":
        with open(path, encoding="utf-8-sig", newline="") as handle:
            return [
                (f"{path.name}:{r}:{c}", value, False)
                for r, row in enumerate(csv.reader(handle), start=1)
                for c, value in enumerate(row, start=1)
                if value != ""
            ]
    book = openpyxl.load_workbook(path)
    return [
        (f"{path.name}[{ws.title}]{cell.coordinate}", cell.value, bool(cell.quotePrefix))
        for ws in book.worksheets
        for row in ws.iter_rows()
        for cell in row
        if cell.value is not None and cell.data_type != "f"
    ] + [
        (f"{path.name}[{ws.title}]{cell.coordinate}: a formula", cell.value, False)
        for ws in book.worksheets
        for row in ws.iter_rows()
        for cell in row
        if cell.data_type == "f"
    ]


def dangerous_cells(path: Path) -> list[str]:
    """The cells of a spreadsheet file that a spreadsheet program would run as a formula."""
    plain_number = re.compile(r"[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?")
    return [
        f"{where}: {value!r}"
        for where, value, safe in spreadsheet_cells(path)
        if where.endswith("a formula")
        or (
            isinstance(value, str)
            and value.startswith(FORMULA_STARTS)
            and not safe
            and not plain_number.fullmatch(value)
        )
    ]


#: Chromium as the browser tests drive it: Debian's, never a downloaded one.
CHROMIUM_PATH = "/usr/bin/chromium"
CHROMIUM_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def fill_template(path: Path, who: dict[str, object], percent: dict[str, float]) -> Path:
    """A blank template of evalkit (written by ``evalkit init`` or ``evalkit template``)
    filled the way a person fills it in Excel: ``who`` (agency, year, assessor) on every row
    and each item's percent typed in."""
    import openpyxl

    book = openpyxl.load_workbook(path)
    sheet = next(w for w in book.worksheets if w.sheet_state == "visible")
    header = [str(c.value).split(" (")[-1].rstrip(")") for c in sheet[1]]
    for row in sheet.iter_rows(min_row=2):
        cells = dict(zip(header, row, strict=False))
        for column, value in who.items():
            cells[column].value = value
        cells["percent"].value = percent[str(cells["item"].value)]
    book.save(path)
    return path


def edit_meeting(
    path: Path,
    sheet: str,
    edits: dict[str, dict[str, object]],
    delete: tuple[str, ...] = (),
    key: str = "item",
) -> Path:
    """The consensus meeting workbook edited as the secretary edits it in Excel: per item (or
    check, ``key="check"``), values typed (or chosen) into named columns (``agreed_percent``,
    ``reason``, ...), then the rows in ``delete`` deleted; every other cell (the drafts) left
    alone."""
    import openpyxl

    book = openpyxl.load_workbook(path)
    ws = book[sheet]
    header = [str(c.value).rsplit("(", 1)[-1].rstrip(")") for c in ws[1]]
    item = header.index(key)
    rows = {str(r[item].value): r[0].row for r in ws.iter_rows(min_row=2)}
    for key, values in edits.items():
        for column, value in values.items():
            ws.cell(row=rows[key], column=header.index(column) + 1, value=value)
    for number in sorted((rows[k] for k in delete), reverse=True):
        ws.delete_rows(number)
    book.save(path)
    return path


#: Seconds ``evalkit explore`` may take to say it is up (a kernel started, the notebook run).
EXPLORE_START = 180
EXPLORE_STOP = 30


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _heed_interrupt() -> None:
    """In a command's process, before it starts: Ctrl-C (SIGINT) as a terminal delivers it."""
    signal.signal(signal.SIGINT, signal.SIG_DFL)


@contextmanager
def explore_server(project: Path, log: Path, *options: str) -> Iterator[str]:
    """The dashboard's address once ``evalkit explore --project PROJECT -v`` says it; its output,
    the server's own messages with it, goes to ``log``. On leaving, the command is ended as
    Ctrl-C ends it at a terminal (it starts with Ctrl-C heeded, even when the tests themselves
    were started in the background of a script, which ignores it), and the test fails when any
    process it started (Voila, kernels) is still there."""
    port = free_port()
    command = [sys.executable, "-m", "evalkit", "explore", "--project", str(project)]
    command += ["--port", str(port), "--no-browser", "-v", *options]
    with log.open("wb") as out:
        server = subprocess.Popen(
            command, stdout=out, stderr=subprocess.STDOUT, preexec_fn=_heed_interrupt
        )
    try:
        deadline = time.monotonic() + EXPLORE_START
        while "The dashboard is open at" not in log.read_text(encoding="utf-8", errors="replace"):
            assert server.poll() is None, log.read_text(encoding="utf-8", errors="replace")
            assert time.monotonic() < deadline, "evalkit explore did not start in time"
            time.sleep(0.5)
        yield f"http://127.0.0.1:{port}/"
    finally:
        children = (
            psutil.Process(server.pid).children(recursive=True) if server.poll() is None else []
        )
        server.send_signal(signal.SIGINT)
        try:
            server.wait(timeout=EXPLORE_STOP)
        finally:
            if server.poll() is None:
                server.kill()
                server.wait(timeout=EXPLORE_STOP)
            _, alive = psutil.wait_procs(children, timeout=EXPLORE_STOP)  # even after a failure
            for process in alive:
                process.kill()
        assert not alive, f"left behind: {[p.pid for p in alive]}"


# --- Thai-first messages ---------------------------------------------------------------------
#: Words that stay as written inside a Thai message: what a user types (framework and params
#: keys, form columns, methods, levels, commands, option values, file kinds) and the names of
#: programs.
_SCHEMA_WORDS: set[str] = set()


def _schema_words() -> set[str]:
    import json

    if not _SCHEMA_WORDS:

        def walk(node: object) -> None:
            if isinstance(node, dict):
                for key, value in node.items():
                    if key in ("properties", "patternProperties", "$defs"):
                        _SCHEMA_WORDS.update(value)
                    elif key == "enum":
                        _SCHEMA_WORDS.update(v for v in value if isinstance(v, str))
                    walk(value)
            elif isinstance(node, list):
                for value in node:
                    walk(value)

        for path in (ROOT / "evalkit" / "schemas").glob("*.json"):
            walk(json.loads(path.read_text(encoding="utf-8")))
    return _SCHEMA_WORDS


_TYPED = """
    assessor check met target actual self yes no higher lower inf nan rating true false
    band checklist factors le t c d l i mapping type
    evalkit validate score ingest export history run pdf bundle feedback template init
    frameworks show check schema explore decide poverty list shell warm papermill
    local dask scheduler worker engine executor manifest stderr tcp utf tis csv xlsx
    sqlite db ipynb html zip yaml yml kB MB GB tpmap pmqa trat cdd
    pip install apt-get chromium playwright make
    data params reports notebooks ledger agency report portfolio year name
"""
TYPED_WORDS = set(_TYPED.split())
#: Names of programs, companies and standards (capitalised as their owners write them).
_PROPER = """
    Dask Jupyter Excel LibreOffice Voila Chromium Chrome Google Microsoft Edge
    Windows IPython Python LocalCluster ADLI LeTCI Ctrl README TPMAP PMQA
"""
PROPER_NAMES = set(_PROPER.split())
_QUOTED = re.compile(r"'[^'\n]*'|\"[^\"\n]*\"|`[^`\n]*`|\[[^\]\n]*\]|\{[^{}\n]*\}|<[^<>\n]*>")
_TOKEN = re.compile(r"(?<![\w./:-])-{0,2}[A-Za-z][\w.:/+*-]*")
THAI = re.compile("[\u0e00-\u0e7f]")
#: An English gloss of the Thai word before it, as labels give one: ``ตาราง (table)``.
_GLOSS = re.compile(r"(?<=[\u0e00-\u0e7f]) ?\((?:[A-Za-z_-]+ ?){1,3}\)")


def english_fragments(text: str) -> list[str]:
    """The words of ``text`` that are English prose rather than data or what a user types:
    quoted values, placeholders, options, paths, identifiers, acronyms and the words of
    :data:`TYPED_WORDS` and :data:`PROPER_NAMES` are not."""
    words = _schema_words() | TYPED_WORDS
    found = []
    text = _GLOSS.sub(" ", text)
    for token in _TOKEN.findall(_QUOTED.sub(" ", text)):
        word = token.rstrip(".:-/")
        if (
            word.startswith("-")
            or re.search(r"[\d_./:+*]|\w-\w", word)
            or word.isupper()
            or word in PROPER_NAMES
            or word in words
            or word.lower() in words
        ):
            continue
        found.append(word)
    return found


def thai_first(text: str) -> bool:
    """Whether ``text`` opens in Thai, once its data and what a user types are set aside:
    no English prose before its first Thai letter."""
    start = THAI.search(text)
    return bool(start) and not english_fragments(text[: start.start()])


def mark_rendered(jobs: list[Any], out: Path) -> None:
    """The folder ``out`` as a run that rendered every one of ``jobs`` leaves it: each page
    written and recorded in the run record, so that the next run finds nothing to render."""
    from evalkit.runner.jobs import ReportResult
    from evalkit.runner.manifest import Manifest
    from evalkit.runner.run import report_entry
    from evalkit.runner.status import Status

    manifest = Manifest(out)
    for job in jobs:
        job.output.parent.mkdir(parents=True, exist_ok=True)
        job.output.write_text("<!doctype html><title>report</title>", "utf-8")
        summary = {"points": 60.0, "max_points": 100.0}
        result = ReportResult(job, Status.OK, 0.01, summary, hashes=job.hashes)
        manifest.reports[job.key] = report_entry(result, out)
    manifest.save()
