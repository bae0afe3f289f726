"""What reading a band sheet costs: evalkit's reader against pandas on the same file.

``python benchmarks/read_bench.py [--sizes 10000 100000 1000000] [--kinds csv xlsx]`` writes
a CSV and an XLSX band sheet (or only the kinds named) of each size (agencies x the 18 items
of pmqa-2562, one assessor) in a temporary folder, then reads each in a process of its own,
so that the peak memory of one reading is the process's own (its high-water mark,
``VmHWM``; Python and pandas imported, about 100 MB, included), timed from after the imports
and the bundled frameworks: evalkit's ``check_sheets`` (read, check, refuse or keep), and as
the baseline ``pandas.read_csv`` or ``pandas.read_excel`` (reading only, no checks). It
prints seconds and peak MB per size, and evalkit's ratio to the baseline.

A file past one of evalkit's budgets (a workbook past 2,000,000 cells; a CSV past 256 MB or
1,048,576 rows) is refused, and what the refusal costs is printed instead. A CSV is read as a
stream, its rows kept as they are read, so the million-row CSV is read. The 1,000,000-row
XLSX is written (about a minute), read by evalkit (refused), but not by
``pandas.read_excel``: openpyxl takes many minutes and gigabytes over it, which is the cost
the budget is there to refuse.

``--against COMMIT`` also times ``check_sheets`` as the code of COMMIT has it (``git archive``
of its ``evalkit`` package, put first on the path of the reading process), on the same file
in the same run, and prints its seconds and this code's ratio to them.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
import zipfile
from pathlib import Path
from xml.sax.saxutils import escape

from evalkit.frameworks.registry import default_registry

#: The items of pmqa-2562, as its framework file declares them.
ITEMS = [i.key for c in default_registry().get("pmqa-2562").categories for i in c.items]
HEADER = ["agency_id", "agency_name", "year", "framework", "assessor", "item", "percent"]
#: pandas.read_excel is skipped past this many rows (see the module's docstring).
EXCEL_BASELINE_ROWS = 100_000

READ = """
import json, resource, sys, time
kind, path = sys.argv[1], sys.argv[2]
sys.path[:0] = sys.argv[3:]  # evalkit's code at another commit (--against), if given
import pandas
from evalkit.frameworks.registry import default_registry
from evalkit.sheets.load import check_sheets
default_registry()  # the bundled frameworks, read once per process whatever it reads
started = time.perf_counter()  # what reading costs, not starting Python
if kind == "evalkit":
    sheets, problems = check_sheets([path])
    rows = sum(len(f) for f in sheets.frames().values())
    outcome = f"refused: {problems[0].found}" if problems else f"{rows:,} rows"
elif path.endswith(".csv"):
    outcome = f"{len(pandas.read_csv(path)):,} rows"
else:
    outcome = f"{len(pandas.read_excel(path, engine='openpyxl')):,} rows"
seconds = time.perf_counter() - started
try:  # this process's own high-water mark (getrusage would count the parent's, forked)
    status = open("/proc/self/status").read()
    peak = int(status.split("VmHWM:")[1].split()[0]) / 1024
except (OSError, IndexError):
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
print(json.dumps({"seconds": seconds, "peak_mb": peak, "outcome": outcome}))
"""


def rows(size: int) -> list[list[str]]:
    """``size`` rows of a valid band sheet (whole agencies of 18 items; the last one cut)."""
    found = []
    for n in range(size):
        agency, item = divmod(n, len(ITEMS))
        found.append(
            [
                f"agency-{agency:06d}",
                f"สำนักงานพัฒนาชุมชนอำเภอ {agency}",
                "2567",
                "pmqa-2562",
                "ผู้ประเมิน 1",
                ITEMS[item],
                str(50 + 5 * (n % 5)),
            ]
        )
    whole = size - size % len(ITEMS)
    return found[:whole] if whole else found


def write_csv(path: Path, body: list[list[str]]) -> None:
    with path.open("w", encoding="utf-8", newline="") as handle:
        handle.write(",".join(HEADER) + "\n")
        for row in body:
            handle.write(",".join(row) + "\n")


_PARTS = {
    "[Content_Types].xml": '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/><Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/></Types>',  # noqa: E501
    "_rels/.rels": '<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>',  # noqa: E501
    "xl/workbook.xml": '<?xml version="1.0"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="คะแนน" sheetId="1" r:id="rId1"/></sheets></workbook>',  # noqa: E501
    "xl/_rels/workbook.xml.rels": '<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/><Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings" Target="sharedStrings.xml"/></Relationships>',  # noqa: E501
}


def write_xlsx(path: Path, body: list[list[str]]) -> None:
    """A workbook as Excel writes one: text in shared strings, numbers as numbers."""
    strings: dict[str, int] = {}

    def cell(column: int, value: str) -> str:
        if column in (2, 6):  # year and percent
            return f"<c><v>{value}</v></c>"
        index = strings.setdefault(value, len(strings))
        return f'<c t="s"><v>{index}</v></c>'

    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, text in _PARTS.items():
            archive.writestr(name, text)
        with archive.open("xl/worksheets/sheet1.xml", "w") as sheet:
            sheet.write(
                b'<?xml version="1.0"?><worksheet xmlns="http://schemas.openxmlformats.org/'
                b'spreadsheetml/2006/main"><sheetData>'
            )
            for number, row in enumerate([HEADER, *body], start=1):
                cells = "".join(cell(c, v) if number > 1 else cell(0, v) for c, v in enumerate(row))
                sheet.write(f'<row r="{number}">{cells}</row>'.encode())
            sheet.write(b"</sheetData></worksheet>")
        shared = "".join(f"<si><t>{escape(s)}</t></si>" for s in strings)
        archive.writestr(
            "xl/sharedStrings.xml",
            '<?xml version="1.0"?><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/'
            f'2006/main">{shared}</sst>',
        )


def measure(kind: str, path: Path, code: Path | None = None) -> dict[str, object]:
    done = subprocess.run(
        [sys.executable, "-c", READ, kind, str(path), *([str(code)] if code else [])],
        capture_output=True,
        text=True,
        check=True,
        timeout=3600,
    )
    return dict(json.loads(done.stdout.strip().splitlines()[-1]))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000, 1_000_000])
    parser.add_argument("--kinds", nargs="+", choices=["csv", "xlsx"], default=["csv", "xlsx"])
    parser.add_argument(
        "--against",
        metavar="COMMIT",
        help="also time check_sheets as the code of COMMIT (main, a tag) has it, on the same file",
    )
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        code = _code_at(args.against, Path(folder)) if args.against else None
        _run(args.sizes, args.kinds, args.against, code)


def _code_at(commit: str, folder: Path) -> Path:
    """The evalkit package as ``commit`` has it, unpacked under ``folder``."""
    archive = subprocess.run(
        ["git", "archive", commit, "evalkit"], capture_output=True, check=True, timeout=120
    ).stdout
    subprocess.run(["tar", "-x", "-C", str(folder)], input=archive, check=True, timeout=120)
    return folder


def _run(sizes: list[int], kinds: list[str], against: str | None, code: Path | None) -> None:
    if against:
        print(f"(evalkit as {against} has it: its seconds and this code's ratio to them)")
    print(
        "| file | rows | MB | evalkit s | evalkit peak MB | evalkit read | baseline s | "
        "baseline peak MB | x time | x memory |" + (f" {against} s | x {against} |" if code else "")
    )
    print("|---|---:|---:|---:|---:|---|---:|---:|---:|---:|" + ("---:|---:|" if code else ""))
    with tempfile.TemporaryDirectory() as folder:
        for size in sizes:
            body = rows(size)
            count = len(body)
            paths = []
            for suffix, write in ((".csv", write_csv), (".xlsx", write_xlsx)):
                if suffix[1:] not in kinds:
                    continue
                path = Path(folder) / f"band-{size}{suffix}"
                started = time.perf_counter()
                write(path, body)
                print(
                    f"  ({path.name} written in {time.perf_counter() - started:.0f} s)",
                    file=sys.stderr,
                )
                paths.append((suffix, path))
            del body
            for suffix, path in paths:
                ours = measure("evalkit", path)
                skip = suffix == ".xlsx" and size > EXCEL_BASELINE_ROWS
                base = None if skip else measure("baseline", path)
                ratio = (
                    f"{ours['seconds'] / base['seconds']:.1f} | "  # type: ignore[operator]
                    f"{ours['peak_mb'] / base['peak_mb']:.1f}"  # type: ignore[operator]
                    if base
                    else "- | -"
                )
                print(
                    f"| {suffix[1:]} | {count:,} | {path.stat().st_size / 2**20:,.1f} | "
                    f"{ours['seconds']:.1f} | {ours['peak_mb']:,.0f} | {ours['outcome']} | "
                    + (
                        f"{base['seconds']:.1f} | {base['peak_mb']:,.0f} | "
                        if base
                        else "skipped (see above) | - | "
                    )
                    + f"{ratio} |"
                    + (_against(ours, measure("evalkit", path, code)) if code else ""),
                    flush=True,
                )
                path.unlink()


def _against(ours: dict[str, object], theirs: dict[str, object]) -> str:
    seconds = float(theirs["seconds"])  # type: ignore[arg-type]
    return f" {seconds:.1f} | {float(ours['seconds']) / seconds:.2f} |"  # type: ignore[arg-type]


if __name__ == "__main__":
    main()
