"""Thai that a person reads lives in the catalogue (``evalkit/locale``), the templates and the
declaration files (``*.yaml``), not in string literals of the code. The modules below still
hold some, each for its reason and never more than counted here: a module that adds one, or
a module not listed, fails. Docstrings are documentation and are not counted."""

from __future__ import annotations

import ast
import re
from collections import Counter

from helpers import ROOT

THAI = re.compile("[\u0e00-\u0e7f]")

#: module -> (Thai string literals at most, why they are there)
ALLOWED: dict[str, tuple[int, str]] = {
    "sheets/columns.py": (86, "the column declarations: Thai headers and aliases sheets accept"),
    "sheets/forms/__init__.py": (8, "columns of every form: their Thai headers and choices"),
    "sheets/forms/band.py": (2, "the band form's declaration: its Thai sheet name"),
    "sheets/forms/checklist.py": (1, "the checklist form's declaration: its Thai sheet name"),
    "sheets/forms/entry.py": (29, "the entry columns' Thai headers and words (award code)"),
    "sheets/forms/indicators.py": (16, "the direction words and year headers sheets are read by"),
    "sheets/forms/common.py": (10, "yes/no words and the era markers sheets are read by"),
    "sheets/stages.py": (16, "the stage words sheets are read by (consensus code)"),
    "sheets/assessors.py": (11, "the words naming the committee's rows in a sheet"),
    "core/dates.py": (1, "the era markers a written date is read with"),
    "core/outputs.py": (4, "the Thai headers a decision list is recognised by (award code)"),
    "frameworks/model.py": (1, "the default word for a category of a framework file"),
    "frameworks/bandnames.py": (1, "the band word a template's drop-down is read back by"),
    "analysis/poverty.py": (2, "Thai vowels and tone marks: the rules of dictionary order"),
    "cli/feedback.py": (2, "English help quoting the Thai words the document and cover note show"),
    "cli/pdf.py": (1, "English help showing the Thai numerals it asks for"),
    "cli/poverty.py": (1, "English help quoting a Thai column's name as files carry it"),
}


def _docstrings(tree: ast.AST) -> set[int]:
    kinds = (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef)
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, kinds) and node.body:
            first = node.body[0]
            if isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant):
                found.add(id(first.value))
    return found


def thai_literals() -> Counter[str]:
    """Module (relative to evalkit/) -> how many string literals in it hold Thai."""
    counts: Counter[str] = Counter()
    for path in sorted((ROOT / "evalkit").glob("**/*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        documentation = _docstrings(tree)
        module = path.relative_to(ROOT / "evalkit").as_posix()
        for node in ast.walk(tree):
            if (
                isinstance(node, ast.Constant)
                and isinstance(node.value, str)
                and id(node) not in documentation
                and THAI.search(node.value)
            ):
                counts[module] += 1
    return counts


def test_thai_text_is_not_written_in_the_code():
    counts = thai_literals()
    for module, count in sorted(counts.items(), key=lambda pair: -pair[1]):
        print(f"{count:4} {module}")
    print(f"{sum(counts.values()):4} in {len(counts)} modules")
    over = {
        module: (count, ALLOWED.get(module, (0, ""))[0])
        for module, count in counts.items()
        if count > ALLOWED.get(module, (0, ""))[0]
    }
    assert over == {}, "Thai literals in code: say them with msg() (locale/) or in a template"
    stale = sorted(m for m in ALLOWED if counts[m] < ALLOWED[m][0])
    assert stale == [], "fewer Thai literals now: lower their count in ALLOWED"
