"""Why a report is rendered again: what changed since its last good render, by the hashes of
the run record (:mod:`evalkit.runner.manifest`), said in the run's summary."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace
from pathlib import Path
from typing import Any

from evalkit.core.i18n import Message, msg
from evalkit.runner.jobs import ReportJob, ReportResult
from evalkit.runner.manifest import Manifest
from evalkit.runner.status import Status

#: what each reason says, in the order the summary lists them
REASONS: dict[str, Message] = {
    "new": msg("never rendered into this folder"),
    "forced": msg("--force renders every report"),
    "not ok": msg("its last render did not succeed"),
    "missing": msg("its page is missing"),
    "rows": msg("the rows it reads changed"),
    "params": msg("its params file changed"),
    "overrides": msg("the -p/-f values changed"),
    "consensus": msg("the consensus rule changed"),
    "notebook": msg("its notebook changed"),
    "files": msg("a framework or household file it reads changed"),
    "evalkit": msg("evalkit changed"),
    "other": msg("what it was made from changed"),
}
#: the most pages a line of the summary names
NAMED = 5


def changes(job: ReportJob, entry: dict[str, Any] | None, force: bool) -> tuple[str, ...]:
    """The reasons ``job`` is rendered, against its run record ``entry``; none when current."""
    if force:
        return ("forced",)
    if entry is None:
        return ("new",)
    if entry.get("status") != Status.OK:
        return ("not ok",)
    recorded = entry.get("hashes") or {}
    changed = {
        k for k in job.hashes.keys() | recorded.keys() if job.hashes.get(k) != recorded.get(k)
    }
    if changed:
        return tuple(r for r in REASONS if r in changed) + (
            ("other",) if changed - set(REASONS) else ()
        )
    return () if Path(job.output).exists() else ("missing",)


def to_render(
    jobs: list[ReportJob], manifest: Manifest, force: bool
) -> tuple[list[ReportJob], list[ReportResult]]:
    """The reports to render, each with why, and the current ones, skipped."""
    todo, skipped = [], []
    for job in jobs:
        if force or not manifest.is_current(job.key, job.hashes, job.output):
            found = changes(job, manifest.reports.get(job.key), force) or ("other",)
            todo.append(replace(job, changes=found))
        else:
            skipped.append(_skipped(job, manifest))
    return todo, skipped


def _skipped(job: ReportJob, manifest: Manifest) -> ReportResult:
    entry = manifest.reports[job.key]
    summary = {"points": entry.get("points"), "max_points": entry.get("max_points")}
    return ReportResult(job, Status.SKIPPED, 0.0, summary)


def because_lines(results: Iterable[ReportResult]) -> list[Message]:
    """One line per reason reports were rendered: how many, and the first pages."""
    by_reason: dict[str, list[str]] = {}
    for result in results:
        for reason in result.job.changes:
            by_reason.setdefault(reason, []).append(result.job.key)
    lines = []
    for reason in (r for r in REASONS if r in by_reason):
        keys = sorted(by_reason[reason])
        shown = ", ".join(keys[:NAMED]) + (
            f", … (+{len(keys) - NAMED})" if len(keys) > NAMED else ""
        )
        lines.append(
            msg(
                "{count} rendered because {reason}: {pages}",
                count=len(keys),
                reason=REASONS[reason],
                pages=shown,
            )
        )
    return lines
