"""What each report's notebook receives besides its params file's values: the command line's
one-off values (``-p``, ``-f``) and consensus rule, and only the run's own names that the
notebook declares."""

from __future__ import annotations

import json
from dataclasses import replace
from typing import Any

from evalkit.runner.jobs import ReportJob
from evalkit.runner.manifest import hash_bytes
from evalkit.runner.plan.params import RUNNER_OWNED


def with_overrides(job: ReportJob, overrides: dict[str, Any]) -> ReportJob:
    """``job`` with the one-off values of the command line (``-p``, ``-f``), which a change
    of renders again."""
    if not overrides:
        return job
    values = {**job.values, **overrides}
    hashes = {**job.hashes, "overrides": hash_bytes(json.dumps(overrides, sort_keys=True).encode())}
    return replace(job, values=values, hashes=hashes)


def with_consensus(job: ReportJob, consensus: str | None) -> ReportJob:
    if not consensus:
        return job
    values, hashes = {**job.values, "consensus": consensus}, {**job.hashes, "consensus": consensus}
    return replace(job, values=values, hashes=hashes)


#: what the run sets by itself: given to a notebook that declares it, and only then
OFFERED = frozenset({*RUNNER_OWNED, "consensus"})


def declared_only(job: ReportJob, declared: dict[str, Any]) -> ReportJob:
    """``job`` without the run's own values its notebook does not declare: a papermill
    notebook runs as it is, with only the names it declares required."""
    values = {k: v for k, v in job.values.items() if k in declared or k not in OFFERED}
    return job if values == job.values else replace(job, values=values)
