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
from dataclasses import replace
from pathlib import Path

import nbformat

from evalkit.core.errors import Problem
from evalkit.core.i18n import Message, msg

#: an absolute path inside a text: POSIX (``/home/x/data/a.xlsx``) or Windows (``C:\x\a.xlsx``)
_ABSOLUTE = re.compile(
    r"(?<![\w.~/\\])(?:[A-Za-z]:[\\/]|/)(?:[^\s'\"<>|:*?\\/]+[\\/])*[^\s'\"<>|:*?\\/,;)\]]*"
)


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


def scrub(text: str, project: Path) -> str:
    """``text`` with every absolute path in it shown as :func:`shown_path` shows it."""
    if not text:
        return text
    return _ABSOLUTE.sub(lambda m: shown_path(m.group(0), project) or m.group(0), text)


def shareable_problem(problem: Problem, project: Path) -> Problem:
    """``problem`` as a page may show it: the file by its path in the project, paths in its
    text likewise; for a file outside the project, nothing of what was found there."""
    if problem.file and not inside(problem.file, project):
        return replace(
            problem,
            file=shown_path(problem.file, project),
            found=msg("the content of a file outside the project (see the run's log)"),
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
