"""The output folder as a whole, at the end of a run: its index lists every report in it.

A run updates the entries of the reports it planned and keeps every other entry whose page
(or last good page) is still there, so that rendering one params file never shrinks the
index to that file's reports. An entry is dropped when its page is gone, when a page of this
run replaces it (the same agency, framework and year at another path: a page of an older
layout), and, with ``--prune``, when every params file it came from is gone.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any

from evalkit.core.errors import UnavailableError
from evalkit.core.i18n import msg
from evalkit.runner.jobs import ReportResult
from evalkit.runner.manifest import Manifest
from evalkit.runner.plan import Plan
from evalkit.runner.publish.pages import write_index
from evalkit.runner.status import Status

#: What may come of a report in a run, in the order the summary counts them.


def _identity(entry: Mapping[str, Any]) -> tuple[Any, ...]:
    return (entry.get("kind", "agency"), entry.get("agency_id"), entry.get("framework"),
            entry.get("year"))  # fmt: skip


def _inside(out_dir: Path, href: object) -> Path | None:
    """The file an entry links to, when it is a file inside ``out_dir``."""
    if not isinstance(href, str) or not href:
        return None
    path = (out_dir / href).resolve()
    return path if path.is_relative_to(out_dir.resolve()) else None


def _page_exists(out_dir: Path, entry: Mapping[str, Any]) -> bool:
    pages = (_inside(out_dir, entry.get(k)) for k in ("href", "previous"))
    return any(p is not None and p.is_file() for p in pages)


def _params_gone(out_dir: Path, entry: Mapping[str, Any]) -> bool:
    """Whether every params file of ``entry`` is gone (recorded relative to the folder, or
    absolute by older runs)."""
    sources = entry.get("sources") or []
    return bool(sources) and not any((out_dir / s).exists() for s in sources)


def planned_keys(made: Plan) -> set[str]:
    return {j.key for j in made.jobs} | {s.key for r in made.refused for s in r.reports}


def index_entries(
    out_dir: Path, reports: Mapping[str, dict[str, Any]], planned: set[str], prune: bool
) -> tuple[list[dict[str, Any]], list[str]]:
    """The entries the index lists, and the keys the manifest drops."""
    fresh = {_identity(reports[k]) for k in planned if k in reports}
    keep: list[dict[str, Any]] = []
    drop: list[str] = []
    for key, entry in reports.items():
        if key in planned:
            keep.append(entry)
        elif (
            _identity(entry) in fresh
            or (prune and _params_gone(out_dir, entry))
            or not _page_exists(out_dir, entry)
        ):
            drop.append(key)
        else:
            keep.append(entry)
    return keep, drop


def written_folders(out_dir: Path, made: Plan, manifest: Manifest) -> set[Path]:
    """The folders evalkit writes pages to in ``out_dir``: where temporaries may be left."""
    pages = [j.output for j in made.jobs] + [s.output for r in made.refused for s in r.reports]
    linked = (_inside(out_dir, e.get("href")) for e in manifest.reports.values())
    return {out_dir, *(p.parent for p in pages), *(p.parent for p in linked if p is not None)}


def _counts(results: Iterable[ReportResult]) -> str:
    statuses = [r.status for r in results]
    return ", ".join(f"{statuses.count(s)} {s}" for s in Status)


def index_notes(entries: Iterable[Mapping[str, Any]]) -> list[str]:
    """The notes of the agency reports (e.g. "illustrative scores"), once each, for the index."""
    return sorted(
        {e["note"] for e in entries if e.get("note") and e.get("kind", "agency") == "agency"}
    )


def finish(
    out_dir: Path, manifest: Manifest, made: Plan, prune: bool, results: Sequence[ReportResult]
) -> None:
    """Write the folder's index and the manifest's last state; a full disk is one sentence."""
    entries, dropped = index_entries(out_dir, manifest.reports, planned_keys(made), prune)
    notes = index_notes(entries)
    try:
        write_index(out_dir, entries, notes)
        manifest.forget(dropped)
    except OSError as exc:
        raise UnavailableError(
            msg(
                "The index of {folder} could not be written ({reason}) after {count} reports "
                "({counts}). Pages already written stay as they are; free some space and run "
                "again: the next run renders what is missing.",
                folder=out_dir,
                reason=exc.strerror or exc,
                count=len(results),
                counts=_counts(results),
            )
        ) from None


def refresh_index(out_dir: Path) -> None:
    """Write ``out_dir``'s index again from its record, so that it links what was added
    beside the pages since (their PDFs, feedback documents); nothing without a record."""
    reports = Manifest(out_dir).reports
    if not reports or not (out_dir / "index.html").is_file():
        return
    entries, _ = index_entries(out_dir, reports, set(), prune=False)
    notes = index_notes(entries)
    write_index(out_dir, entries, notes)
