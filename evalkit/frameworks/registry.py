"""The registry: every framework a command, a run or a report can score against.

Packaged files live in ``evalkit/frameworks/``; a project adds or overrides a framework by
putting a file with the same ``id`` in a ``frameworks/`` folder of its own, and a params file
may name one more folder (``frameworks_dir``). :func:`project_registry` is the one factory.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable, Iterator
from functools import cache
from importlib import resources
from pathlib import Path

from evalkit.core.errors import UnknownFrameworkError
from evalkit.frameworks.model import Framework
from evalkit.frameworks.schema import load_framework_file, parse_framework

#: The folder of a project that holds its own framework files.
FRAMEWORKS_FOLDER = "frameworks"


@cache
def _packaged() -> tuple[Framework, ...]:
    folder = resources.files("evalkit") / "frameworks"
    entries = sorted((e for e in folder.iterdir() if e.name.endswith(".yaml")), key=str)
    return tuple(
        parse_framework(e.read_text(encoding="utf-8"), f"evalkit/frameworks/{e.name}")
        for e in entries
    )


class Registry:
    """The frameworks known to a run: packaged ones, overridden by the project's own files."""

    def __init__(self, extra_dirs: Iterable[str | Path] = ()):
        self._frameworks: dict[str, Framework] = {f.id: f for f in _packaged()}
        for folder in extra_dirs:
            for path in sorted(Path(folder).glob("*.yaml")):
                framework = load_framework_file(path)
                self._frameworks[framework.id] = framework

    def ids(self) -> list[str]:
        return sorted(self._frameworks)

    def __iter__(self) -> Iterator[Framework]:
        return iter(self._frameworks[i] for i in self.ids())

    def __contains__(self, framework_id: object) -> bool:
        return framework_id in self._frameworks

    def get(self, framework_id: str) -> Framework:
        try:
            return self._frameworks[framework_id]
        except KeyError:
            close = difflib.get_close_matches(framework_id, self.ids(), n=1)
            raise UnknownFrameworkError(
                framework_id, self.ids(), close[0] if close else None
            ) from None


def project_registry(
    project: str | Path | None = None, extra_dirs: Iterable[str | Path | None] = ()
) -> Registry:
    """The one way a command, a run or a report finds its frameworks: the packaged ones, then
    the project's ``frameworks/`` folder when it exists (``project`` defaults to the current
    folder), then each of ``extra_dirs``; a later file with the same ``id`` wins."""
    local = Path(project or ".") / FRAMEWORKS_FOLDER
    folders = [local] if local.is_dir() else []
    return Registry([*folders, *(Path(d) for d in extra_dirs if d)])


def default_registry() -> Registry:
    """Packaged frameworks plus those in ``./frameworks`` when that folder exists."""
    return project_registry()
