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
    "sheets/forms/band.py": (1, "a message naming the rating column by its Thai header"),
    "sheets/forms/entry.py": (2, "messages quoting the Thai a date or yes/no cell may hold"),
    "sheets/forms/indicators.py": (1, "a message quoting the Thai direction words"),
    "sheets/forms/common.py": (1, "a message quoting the Thai yes/no words"),
    "sheets/stages.py": (1, "a message quoting the Thai stage words"),
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
