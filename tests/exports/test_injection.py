"""Every command that writes a spreadsheet, run over the injection corpus
(``tests/exports/injection/``): no cell of any file written can run as a formula, and every
hostile text is still there, neutralised."""

from __future__ import annotations

import csv
import json
import re
from pathlib import Path

import pytest
from helpers import dangerous_cells, spreadsheet_cells

from evalkit import Registry
from evalkit.cli.main import build_parser, main
from evalkit.core.outputs import INPUT_SHEETS_PROPERTY, KIND_PROPERTY, KINDS

CORPUS = json.loads((Path(__file__).parent / "injection" / "cells.json").read_text("utf-8"))
CELLS: list[str] = CORPUS["cells"]
#: Assessor names from the corpus: distinct once their spaces are trimmed.
ASSESSORS = ["=1+1", "@ผู้ประเมิน", "-2+3"]


def _cell(n: int) -> str:
    return CELLS[n % len(CELLS)]


def _cells(n: int, *offsets: int) -> list[str]:
    return [_cell(n + k) for k in offsets]


def _indicator(n: int) -> str:
    """A corpus text as the name of an indicator: without the separators of a list."""
    return re.sub(r"[,;/\s]+", " ", _cell(n)).strip()


def _write(path: Path, rows: list[dict[str, object]]) -> Path:
    with open(path, "w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    return path


def _band(folder: Path) -> Path:
    items = Registry().get("pmqa-2562").items
    who = {"agency_id": "hostile-a", "agency_name": CELLS[0], "year": 2565}
    rows = [
        who
        | {"framework": "pmqa-2562", "assessor": assessor, "item": item.key, "percent": 50}
        | dict(zip(("strength", "improvement", "evidence"), _cells(n, 0, 1, 2), strict=True))
        for a, assessor in enumerate(ASSESSORS)
        for n, item in enumerate(items, start=a)
    ]
    return _write(folder / "band.csv", rows)


def _checklist(folder: Path) -> Path:
    checks = Registry().get("pmqa40-status").check_table()
    who = {"agency_id": "hostile-b", "agency_name": CELLS[11], "year": 2564}
    rows = [
        who
        | {"framework": "pmqa40-status", "assessor": assessor, "item": row.item}
        | {"level": row.level, "check": row.check, "met": "ไม่ใช่" if n % 7 == 0 else "ใช่"}
        | {"explanation": _cell(n), "evidence": _cell(n + 3)}
        for assessor in ASSESSORS
        for n, row in enumerate(checks.itertuples())
    ]
    return _write(folder / "checklist.csv", rows)


def _indicators(folder: Path) -> Path:
    who = {"agency_id": "hostile-b", "agency_name": CELLS[11], "year": 2564}
    rows = [
        who
        | {"framework": "pmqa40-status", "item": f"7.{n}", "indicator": _cell(n)}
        | {"target": 100, "actual": 95, "direction": "higher"}
        | {"explanation": _cell(n + 4), "evidence": _cell(n + 5)}
        for n in range(1, 7)
    ]
    return _write(folder / "indicators.csv", rows)


def _broken(folder: Path) -> Path:
    """A band sheet whose every percent is hostile text: each one a problem to list."""
    who = {"agency_id": "hostile-c", "agency_name": CELLS[0], "year": 2565}
    rows = [
        who | {"framework": "pmqa-2562", "assessor": "A", "item": f"{n}.1", "percent": _cell(n)}
        for n in range(6)
    ]
    return _write(folder / "broken.csv", rows)


def _households(folder: Path) -> Path:
    """Households with hostile ids and indicator names, at every level still followed up."""
    rows = [
        {"household_id": f"{_cell(n).strip()} #{n}", "members": 1 + n % 4}
        | {"indicators_failed": 2, "indicators_now_passed": n % 3}
        | {"cannot_help": "ใช่" if n % 5 == 0 else "ไม่ใช่", "menu": "พอเพียง"}
        | {"still_failed": ", ".join(_indicator(n + k) for k in range(2 - n % 3))}
        | {"ชื่อหัวหน้าครัวเรือน": _cell(n + 1).strip(), "โทรศัพท์": _cell(n + 2).strip()}
        | {"อำเภอ": _cell(n % 4).strip(), "ตำบล": _cell(n + 3).strip()}
        for n in range(len(CELLS))
    ]
    return _write(folder / "households.csv", rows)


def _entries(folder: Path) -> Path:
    """The entries of an award (pmqa-2562 declares no types and is given to agencies: the
    corpus reaches the list through the agency's name), a note named with the corpus."""
    rows = [{"agency_id": "hostile-a", "applied": "1, 2", "note": CELLS[4]}]
    return _write(folder / "entries.csv", rows)


def _agencies(folder: Path) -> Path:
    """The agencies of a round, named with the corpus."""
    rows = [{"agency_id": f"agency-{n}", "agency_name": c.strip()} for n, c in enumerate(CELLS)]
    return _write(folder / "agencies.csv", rows)


#: Every command that writes a spreadsheet, with what it is given; ``{name}`` is an input of
#: :func:`inputs`, ``{out}`` the folder the outputs go to.
SHEETS = ["{band}", "{checklist}", "{indicators}"]
ROUND = ["--year", "2566", "--out", "{out}/round"]
DECIDE = ["--framework", "pmqa-2562", "--year", "2565"]
WRITERS = [
    ["score", *SHEETS, "--out", "{out}/s.csv", "--rules", "{out}/r.csv"],
    ["score", *SHEETS, "--out", "{out}/s.xlsx", "--rules", "{out}/r.xlsx"],
    ["export", *SHEETS, "--format", "csv", "--out", "{out}/export"],
    ["export", *SHEETS, "--format", "xlsx", "--out", "{out}/e.xlsx"],
    ["validate", "{broken}", "--out", "{out}/problems.csv"],
    ["template", "pmqa40-status", "--out", "{out}/t.xlsx"],
    ["template", "pmqa40-status", "--out", "{out}/t.csv"],
    ["template", "poverty", "--out", "{out}/h.xlsx"],
    ["poverty", "{households}", "--out", "{out}/p.csv", "--follow-up", "{out}/f.csv"],
    ["poverty", "{households}", "--follow-up", "{out}/f.xlsx"],
    ["init", "{out}/project"],
    ["template", "pmqa-2562", "--agencies", "{agencies}", "--assessors", "{assessors}", *ROUND],
    ["decide", "{band}", *DECIDE, "--entries", "{entries}", "--out", "{out}/decisions.xlsx"],
    ["decide", "{band}", *DECIDE, "--entries", "{entries}", "--out", "{out}/decisions.csv"],
    ["consensus", *SHEETS, "--out", "{out}/consensus.xlsx"],
]


@pytest.fixture(scope="module")
def written(tmp_path_factory) -> list[Path]:
    """Run every writer over the corpus; return every spreadsheet file written."""
    folder = tmp_path_factory.mktemp("injection")
    given = {
        "band": _band(folder),
        "checklist": _checklist(folder),
        "indicators": _indicators(folder),
        "broken": _broken(folder),
        "households": _households(folder),
        "agencies": _agencies(folder),
        "entries": _entries(folder),
        "assessors": ",".join(ASSESSORS),
        "out": folder / "out",
    }
    for argv in WRITERS:
        code = main([arg.format(**given) for arg in argv])
        assert code == (1 if argv[0] == "validate" else 0), argv
    return sorted(p for p in (folder / "out").rglob("*") if p.suffix in (".csv", ".xlsx"))


def test_no_cell_of_any_file_written_can_run(written):
    assert len(written) >= 22
    dangerous = [cell for path in written for cell in dangerous_cells(path)]
    assert dangerous == []


def test_every_hostile_text_is_kept_neutralised(written):
    texts = [
        value.removeprefix("'")
        for path in written
        for _, value, _ in spreadsheet_cells(path)
        if isinstance(value, str)
    ]
    missing = [cell for cell in CELLS if not any(cell.strip() in text for text in texts)]
    assert missing == []


def test_every_workbook_says_what_it_is(written):
    import openpyxl

    for path in (p for p in written if p.suffix == ".xlsx"):
        props = {p.name: p.value for p in openpyxl.load_workbook(path).custom_doc_props}
        assert props[KIND_PROPERTY] in KINDS, path.name
        assert isinstance(json.loads(props[INPUT_SHEETS_PROPERTY]), list), path.name


def _spreadsheet_options() -> set[tuple[str, str]]:
    """(command, option) of every option whose value is a CSV or XLSX file evalkit writes."""
    parser = build_parser()
    (commands,) = [a for a in parser._actions if a.dest == "command"]
    return {
        (name, option.option_strings[0])
        for name, command in commands.choices.items()
        for option in command._actions
        if option.option_strings and any(s in str(option.metavar) for s in (".csv", ".xlsx"))
    }


def test_the_corpus_runs_every_option_that_writes_a_spreadsheet():
    covered = {(argv[0], arg) for argv in WRITERS for arg in argv if arg.startswith("--")}
    options = _spreadsheet_options()
    assert ("poverty", "--follow-up") in options and ("export", "--out") in options
    assert options - covered == set()
