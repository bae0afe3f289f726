"""The registry: every framework a command, a run or a report can score against.

Packaged files live in ``evalkit/frameworks/``; a project adds a framework, or overrides a
packaged one, by putting a file (``*.yaml`` or ``*.yml``) in a ``frameworks/`` folder of its own,
and a params file or ``--frameworks-dir`` may name more folders. :func:`project_registry` is the
one factory. Nothing is resolved in silence: two project files with one ``id`` are refused,
naming both; a project file that overrides a packaged framework is recorded in
:attr:`Registry.overrides`, for commands to say so.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable, Iterator
from functools import cache
from importlib import resources
from pathlib import Path

from evalkit.core.errors import FrameworkError, UnknownFrameworkError
from evalkit.core.i18n import msg
from evalkit.frameworks.model import Framework
from evalkit.frameworks.schema import MissingBaseError, load_framework_file, parse_framework

#: The folder of a project that holds its own framework files.
FRAMEWORKS_FOLDER = "frameworks"
#: The endings of framework files, read alike.
SUFFIXES = (".yaml", ".yml")


@cache
def _packaged() -> tuple[Framework, ...]:
    folder = resources.files("evalkit") / "frameworks"
    entries = sorted((e for e in folder.iterdir() if e.name.endswith(SUFFIXES)), key=str)
    return tuple(
        parse_framework(e.read_text(encoding="utf-8"), f"evalkit/frameworks/{e.name}")
        for e in entries
    )


def packaged_ids() -> set[str]:
    """The ids of the frameworks evalkit ships."""
    return {f.id for f in _packaged()}


def framework_files(folder: Path) -> list[Path]:
    """The framework files of a folder, in name order (hidden and temporary files aside)."""
    return sorted(
        p for p in folder.iterdir() if p.suffix.lower() in SUFFIXES and not p.name.startswith(".")
    )


class Registry:
    """The frameworks known to a run: packaged ones, overridden by the project's own files.

    With ``tolerant`` a broken project file does not stop the registry: it is left out and kept
    in :attr:`broken` for the command to say (``frameworks list`` and ``show`` use it, so that a
    file being written by ``show > frameworks/ID.yaml`` does not stop ``show`` itself)."""

    def __init__(self, extra_dirs: Iterable[str | Path] = (), tolerant: bool = False):
        self._frameworks: dict[str, Framework] = {f.id: f for f in _packaged()}
        #: id -> the packaged file a project file overrides
        self.overrides: dict[str, str] = {}
        self.broken: list[FrameworkError] = []
        own: dict[str, Framework] = {}
        pending = [path for folder in extra_dirs for path in framework_files(Path(folder))]
        while pending:  # overlays wait for the frameworks they extend
            waiting = [path for path in pending if not self._load(path, own, tolerant)]
            if len(waiting) == len(pending):
                for path in waiting:
                    self._load(path, own, tolerant, last=True)
                break
            pending = waiting

    def _load(
        self, path: Path, own: dict[str, Framework], tolerant: bool, last: bool = False
    ) -> bool:
        """Read one file into the registry; False when it extends a framework not read yet
        (and ``last`` is False)."""
        try:
            framework = load_framework_file(path, self._frameworks.get)
        except MissingBaseError as exc:
            if not last:
                return False
            if not tolerant:
                raise
            self.broken.append(exc)
            return True
        except FrameworkError as exc:
            if not tolerant:
                raise
            self.broken.append(exc)
            return True
        self._add(framework, own)
        return True

    def _add(self, framework: Framework, own: dict[str, Framework]) -> None:
        earlier = own.get(framework.id)
        if earlier is not None:
            raise FrameworkError(
                framework.origin,
                [
                    msg(
                        "found the id {id}, which {other} declares too; expected one file per "
                        "framework id (rename one id, or remove one file)",
                        id=repr(framework.id),
                        other=earlier.origin,
                    )
                ],
            )
        packaged = self._frameworks.get(framework.id)
        if packaged is not None and framework.id not in own:
            self.overrides[framework.id] = packaged.origin
        own[framework.id] = self._frameworks[framework.id] = framework

    def ids(self) -> list[str]:
        return sorted(self._frameworks)

    def __iter__(self) -> Iterator[Framework]:
        return iter(self._frameworks[i] for i in self.ids())

    def __contains__(self, framework_id: object) -> bool:
        return framework_id in self._frameworks

    def get_known(self, framework_id: str) -> Framework | None:
        """The framework called ``framework_id``, or None."""
        return self._frameworks.get(framework_id)

    def get(self, framework_id: str) -> Framework:
        try:
            return self._frameworks[framework_id]
        except KeyError:
            close = difflib.get_close_matches(framework_id, self.ids(), n=1)
            raise UnknownFrameworkError(
                framework_id, self.ids(), close[0] if close else None
            ) from None


def project_registry(
    project: str | Path | None = None,
    extra_dirs: Iterable[str | Path | None] = (),
    tolerant: bool = False,
) -> Registry:
    """The one way a command, a run or a report finds its frameworks: the packaged ones, then
    the project's ``frameworks/`` folder when it exists (``project`` defaults to the current
    folder), then each of ``extra_dirs``. Two files of those folders with one ``id`` are
    refused; a file with the ``id`` of a packaged framework overrides it."""
    local = Path(project or ".") / FRAMEWORKS_FOLDER
    folders = [local] if local.is_dir() else []
    extra = [Path(d) for d in extra_dirs if d]
    unique = [
        f
        for n, f in enumerate([*folders, *extra])
        if f.resolve() not in {g.resolve() for g in [*folders, *extra][:n]}
    ]
    return Registry(unique, tolerant=tolerant)


def default_registry() -> Registry:
    """Packaged frameworks plus those in ``./frameworks`` when that folder exists."""
    return project_registry()
