"""What may leave the machine: pages are sent to agencies as they are, so nothing on them may
name the machine's folders, its user, or files outside the project.

* A path on a page is relative to the project folder, or the bare file name for a file
  outside it (:func:`shown_path`; :func:`scrub` does the same to every absolute path inside a
  text, such as an error message).
* What a report process writes to stderr (logging, warnings, a library's complaints) belongs
  to the run's log, never to its page (:func:`take_stderr`), whichever engine ran it.
* A problem with a file outside the project is shown by that file's name only: what was
  found there (its first row, the text a symlink points to) stays in the run's log
  (:func:`shareable_problem`).
"""

from __future__ import annotations

import os
import re
from collections.abc import Collection
from dataclasses import replace
from pathlib import Path

import nbformat

from evalkit.core.errors import Problem
from evalkit.core.i18n import Message, msg

#: an absolute path inside a text: POSIX (``/home/x/data/a.xlsx``) or Windows (``C:\x\a.xlsx``)
_ABSOLUTE = re.compile(
    r"(?<![\w.~/\\])(?:[A-Za-z]:[\\/]|/)(?:[^\s'\"<>|:*?\\/]+[\\/])*[^\s'\"<>|:*?\\/,;)\]]*"
)

#: a terminal colour code, as IPython's tracebacks carry them
_COLOUR = re.compile(r"(\x1b\[[0-9;]*m)")


def _root(project: Path) -> Path:
    return Path(os.path.abspath(project))


def inside(path: str | Path, project: Path) -> bool:
    """Whether ``path``, symlinks followed, is a file of the project folder."""
    try:
        return Path(path).resolve().is_relative_to(project.resolve())
    except (OSError, RuntimeError):
        return False


def shown_path(path: str | Path, project: Path) -> str:
    """``path`` as a page may show it: relative to the project, else its bare name."""
    absolute = Path(os.path.abspath(path))
    root = _root(project)
    if absolute.is_relative_to(root) and inside(absolute, project):
        return absolute.relative_to(root).as_posix()
    return absolute.name


def scrub(text: str, project: Path, shown: dict[str, str] | None = None) -> str:
    """``text`` with every absolute path in it shown as :func:`shown_path` shows it (a
    traceback's colour codes, which may touch a path, are kept as they are). ``shown`` keeps
    the paths already looked up, for the texts of one notebook: a report's outputs name the
    same few paths (or a lone ``/``) hundreds of times."""
    if not text:
        return text
    known = {} if shown is None else shown

    def replaced(match: re.Match[str]) -> str:
        path = match.group(0)
        if path not in known:
            known[path] = shown_path(path, project) or path
        return known[path]

    parts = _COLOUR.split(text)
    for n in range(0, len(parts), 2):
        parts[n] = _ABSOLUTE.sub(replaced, parts[n])
    return "".join(parts)


def shareable_problem(problem: Problem, project: Path, named: Collection[Path] = ()) -> Problem:
    """``problem`` as a page may show it: the file by its path in the project, paths in its
    text likewise; for a file outside the project, nothing of what was found there, unless
    it is one of the ``named`` files (a params file given on the command line, not through a
    symbolic link)."""
    given = {Path(os.path.abspath(n)) for n in named if not Path(n).is_symlink()}
    shown = Path(os.path.abspath(problem.file)) in given if problem.file else True
    if problem.file and not shown and not inside(problem.file, project):
        return replace(
            problem,
            file=shown_path(problem.file, project),
            found=msg("the content of a file outside the project (see the run's log)"),
            expected=_scrubbed(problem.expected, project),
            hint="",
        )
    return replace(
        problem,
        file=shown_path(problem.file, project) if problem.file else problem.file,
        found=_scrubbed(problem.found, project),
        expected=_scrubbed(problem.expected, project),
        hint=_scrubbed(problem.hint, project),
    )


def _scrubbed(value: str | Message, project: Path) -> str | Message:
    return scrub(value, project) if isinstance(value, str) else value


def take_stderr(notebook: nbformat.NotebookNode | None) -> str:
    """Remove every stderr stream from ``notebook``'s outputs; their text, for the log."""
    taken = []
    for cell in notebook.cells if notebook is not None else []:
        outputs = cell.get("outputs")
        if not outputs:
            continue
        kept = []
        for output in outputs:
            if output.get("output_type") == "stream" and output.get("name") == "stderr":
                taken.append(str(output.get("text", "")))
            else:
                kept.append(output)
        cell.outputs = kept
    return "".join(taken)


def scrub_outputs(notebook: nbformat.NotebookNode | None, project: Path) -> None:
    """Show the paths in ``notebook``'s text outputs and errors as :func:`scrub` does: what a
    report prints, and the traceback of a failed cell, name no folder of the machine. (Rich
    outputs, HTML and images, are the report's own making and are left as they are.)"""
    shown: dict[str, str] = {}
    for cell in notebook.cells if notebook is not None else []:
        for output in cell.get("outputs", []):
            kind = output.get("output_type")
            if kind == "stream":
                output["text"] = scrub(str(output.get("text", "")), project, shown)
            elif kind == "error":
                output["evalue"] = scrub(str(output.get("evalue", "")), project, shown)
                output["traceback"] = [
                    scrub(str(t), project, shown) for t in output.get("traceback", [])
                ]
            elif "text/plain" in output.get("data", {}):
                plain = str(output["data"]["text/plain"])
                output["data"]["text/plain"] = scrub(plain, project, shown)


def regular_files(folder: Path, suffixes: Collection[str]) -> list[Path]:
    """The files of ``folder`` and below that end in one of ``suffixes``: regular files only,
    found without following a symbolic link (a link could lead anywhere on the machine), and
    neither hidden files nor hidden folders."""
    found = []
    for top, folders, files in os.walk(folder, followlinks=False):
        folders[:] = sorted(d for d in folders if not d.startswith("."))
        for name in files:
            path = Path(top) / name
            if path.suffix in suffixes and not name.startswith(".") and not path.is_symlink():
                found.append(path)
    return sorted(found)
