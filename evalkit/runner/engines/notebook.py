"""A report notebook's parameters: what its ``parameters`` cell declares, and how a run's
values are put into it.

Values travel as JSON inside a string literal, so that a value from a params file can never
run as code, whatever characters it holds.
"""

from __future__ import annotations

import ast
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import nbformat

from evalkit.core.errors import Problem
from evalkit.core.i18n import msg

PARAMETERS_TAG = "parameters"
INJECTED_TAG = "injected-parameters"
INJECTED_SOURCE = (
    "# Parameters of this report, injected by evalkit run\n"
    "import json as _json\n"
    "globals().update(_json.loads({text}))\n"
    "del _json"
)


@dataclass(frozen=True)
class Declared:
    """A parameter as the notebook declares it: its name, default and the type of the default."""

    name: str
    default: Any
    kind: type | None  # None when the default is None: any value is accepted


def read_notebook(path: str | Path) -> nbformat.NotebookNode:
    notebook: nbformat.NotebookNode = nbformat.read(str(path), as_version=4)
    return notebook


def declared_parameters(notebook: nbformat.NotebookNode) -> dict[str, Declared]:
    """``name = literal`` assignments of the cell tagged ``parameters``."""
    for cell in notebook.cells:
        if PARAMETERS_TAG in cell.get("metadata", {}).get("tags", []):
            found = {}
            for node in ast.parse(cell.source).body:
                target = (
                    node.targets[0]
                    if isinstance(node, ast.Assign)
                    else getattr(node, "target", None)
                )
                value = getattr(node, "value", None)
                if isinstance(target, ast.Name) and value is not None:
                    default = ast.literal_eval(value)
                    kind = None if default is None else type(default)
                    found[target.id] = Declared(target.id, default, kind)
            return found
    return {}


def _fits(value: Any, kind: type | None) -> bool:
    if kind is None or value is None:
        return True
    if kind is float:
        return isinstance(value, int | float) and not isinstance(value, bool)
    if kind is int:
        return isinstance(value, int) and not isinstance(value, bool)
    return isinstance(value, kind)


def _article(noun: str) -> str:
    return f"an {noun}" if noun[0] in "aeiou" else f"a {noun}"


def check_parameters(
    values: dict[str, Any], declared: dict[str, Declared], source: str
) -> list[Problem]:
    """Every value the notebook does not declare, or whose type differs from the default's."""
    problems = []
    for name, value in values.items():
        if name not in declared:
            problems.append(
                Problem(
                    file=source,
                    row=0,
                    column=name,
                    found=msg("a parameter {name} the notebook does not declare", name=repr(name)),
                    expected=msg("one of {choices}", choices=", ".join(declared)),
                )
            )
        elif not _fits(value, declared[name].kind):
            kind = declared[name].kind
            problems.append(
                Problem(
                    file=source,
                    row=0,
                    column=name,
                    found=msg("{value} ({kind})", value=repr(value), kind=type(value).__name__),
                    expected=msg(
                        "{article}, like the notebook's default {default}",
                        article=_article(kind.__name__ if kind else "value"),
                        default=repr(declared[name].default),
                    ),
                )
            )
    return problems


def inject(notebook: nbformat.NotebookNode, values: dict[str, Any]) -> nbformat.NotebookNode:
    """A copy of the notebook with a cell setting ``values`` right after its parameters cell;
    a cell injected before (papermill's, or an earlier run's, saved with the notebook) is
    replaced, so that its old values never win."""
    notebook = nbformat.from_dict(json.loads(json.dumps(notebook)))
    notebook.cells = [
        c for c in notebook.cells if INJECTED_TAG not in c.get("metadata", {}).get("tags", [])
    ]
    if not values:  # as papermill: no values, no cell (an old one is dropped all the same)
        return notebook
    text = repr(json.dumps(values, ensure_ascii=False))
    cell = nbformat.v4.new_code_cell(INJECTED_SOURCE.format(text=text))
    cell.metadata["tags"] = [INJECTED_TAG]
    cell["id"] = INJECTED_TAG
    position = next(
        (
            n + 1
            for n, c in enumerate(notebook.cells)
            if PARAMETERS_TAG in c.get("metadata", {}).get("tags", [])
        ),
        0,
    )
    notebook.cells.insert(position, cell)
    return notebook


#: The report notebooks that ship with evalkit.
AGENCY_NOTEBOOK, PORTFOLIO_NOTEBOOK = "agency_report.ipynb", "portfolio.ipynb"


def packaged_notebooks() -> Path:
    """The folder of the notebooks that ship with evalkit: ``evalkit/notebooks`` in an installed
    wheel (the build maps the repository's ``notebooks/`` there), or the repository's own
    ``notebooks/`` in a development checkout. There is one copy: the repository's."""
    package = Path(__file__).resolve().parents[2]
    inside = package / "notebooks"
    return inside if inside.is_dir() else package.parent / "notebooks"


def find_notebook(name: str, project: Path) -> Path:
    """A project's own ``notebooks/NAME`` when it has one, else the packaged notebook."""
    own = project / "notebooks" / name
    return own if own.is_file() else packaged_notebooks() / name
