"""The bundled sample's other instruments: one illustrative assessment for each framework
besides ``pmqa-2562``, and a household file for poverty follow-up.

The units are Trat's district community development offices, the provincial office, the
women's development fund bodies and two provincial agencies; every score, comment and
household is invented, and every file opens with :data:`NOTICE`. Assessors are named
ผู้ประเมิน 1, 2 and 3. The sheets are the templates of ``evalkit template`` filled in, with
Thai headers (English in parentheses) and comments in Thai. Rows are generated from the
items and checks the framework file holds when the sample is written, so a framework that
changes its checks gets a matching sample from ``make sample``. The units, their entries,
the comments and the indicators are data, in ``sample_data/instruments.yaml``.
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from pathlib import Path
from typing import Any, NamedTuple

import pandas as pd

from evalkit.exports.sample_data import sample_data
from evalkit.exports.sample_households import households
from evalkit.exports.spreadsheet import Sheet, write_csv
from evalkit.exports.template import column_header
from evalkit.frameworks.model import Framework, Item
from evalkit.frameworks.registry import Registry
from evalkit.sheets.forms.common import WRITTEN_NO, WRITTEN_YES

_DATA = sample_data("instruments")
NOTICE: str = _DATA["notice"]
ASSESSORS: tuple[str, ...] = tuple(_DATA["assessors"])


class Unit(NamedTuple):
    """An agency assessed on one framework in the sample."""

    framework: str
    year: int
    agency_id: str
    agency_name: str


#: One or two units per framework; ids are distinct across frameworks (a page is filed
#: under its agency id and year).
UNITS: tuple[Unit, ...] = tuple(Unit(**unit) for unit in _DATA["units"])
#: The award type (and, for an award given to a work, the work and what the eligibility
#: screens read) of a unit, carried by its sheets' entry columns.
ENTRIES: dict[str, dict[str, str]] = _DATA["entries"]
#: Units that also assess themselves (assessor ``self``).
SELF_ASSESSED = ("cdd-muang-trat",)
#: The unit whose report carries the sample household file.
POVERTY_UNIT = "cdd-bo-rai"
HOUSEHOLDS = "poverty_2565_households.csv"
#: An assessor's comments on a rated item ({topic}: the item), on a check and on an indicator.
STRENGTHS: tuple[str, ...] = tuple(_DATA["strengths"])
IMPROVEMENTS: tuple[str, ...] = tuple(_DATA["improvements"])
EVIDENCE: tuple[str, ...] = tuple(_DATA["evidence"])
CHECK: dict[str, str] = _DATA["check"]
INDICATOR: dict[str, str] = _DATA["indicator"]
#: Result indicators of the status assessment's category 7, by item (illustrative).
INDICATORS: dict[str, list[dict[str, Any]]] = _DATA["indicators"]


def _comments(rng: random.Random, topic: str, share: float) -> dict[str, str]:
    """An assessor's strength, improvement and evidence for an item scored ``share`` (0-1);
    evidence names two documents, one a line."""
    strength = rng.choice(STRENGTHS).format(topic=topic) if share >= 0.4 else ""
    improvement = rng.choice(IMPROVEMENTS).format(topic=topic) if share < 0.8 else ""
    evidence = "\n".join(rng.sample(EVIDENCE, 2))
    return {"strength": strength, "improvement": improvement, "evidence": evidence}


def _topic(item: Item) -> str:
    return item.name_th.split(" ")[0] if len(item.name_th) > 40 else item.name_th


def _lead(unit: Unit, assessor: str | None = None) -> dict[str, object]:
    lead: dict[str, object] = {
        "agency_id": unit.agency_id,
        "agency_name": unit.agency_name,
        "year": unit.year,
        "framework": unit.framework,
    }
    return lead | ({"assessor": assessor} if assessor else {}) | ENTRIES.get(unit.agency_id, {})


def _rated(framework: Framework, units: Sequence[Unit], rng: random.Random) -> list[dict[str, Any]]:
    """Rows of a band sheet: a rating (rating items) or a percent (band-percent items)."""
    values = [r.value for r in framework.ratings]
    rows = []
    for unit in units:
        level, bias = (
            rng.uniform(0.45, 0.8),
            {i.key: rng.uniform(-0.15, 0.15) for i in framework.items},
        )
        assessors = [*ASSESSORS, *(["self"] if unit.agency_id in SELF_ASSESSED else [])]
        for assessor in assessors:
            lean = 0.1 if assessor == "self" else rng.choice((-0.05, 0, 0.05))
            for item in framework.items:
                share = min(1.0, max(0.0, level + bias[item.key] + lean + rng.gauss(0, 0.06)))
                if item.method == "rating":
                    value = {"rating": min(values, key=lambda v: abs(v / max(values) - share))}
                else:
                    value = {"percent": min(100, 5 * round(share * 20))}
                comments = _comments(rng, _topic(item), share) if assessor != "self" else {}
                rows.append(
                    _lead(unit, assessor)
                    | {"item": item.key, "item_name": item.name_th}
                    | value
                    | comments
                )
    return rows


def _checklist(framework: Framework, unit: Unit, rng: random.Random) -> list[dict[str, Any]]:
    """Rows of a checklist: every check of the framework file, met more often at Basic."""
    chance = {"basic": 0.9, "advance": 0.6, "significance": 0.3}
    maturity = {i.key: rng.uniform(-0.2, 0.15) for i in framework.items}
    rows = []
    for assessor in ASSESSORS:
        for item in framework.items:
            for check in item.checks:
                met = rng.random() < chance[check.level] + maturity[item.key]
                comment = (
                    {"evidence": CHECK["evidence"].format(check=check.id)}
                    if met
                    else {"improvement": CHECK["improvement"]}
                )
                rows.append(
                    _lead(unit, assessor)
                    | {"item": item.key, "level": check.level, "check": check.id}
                    | {"check_text": check.text_th, "met": WRITTEN_YES if met else WRITTEN_NO}
                    | comment
                )
    return rows


def _indicators(framework: Framework, unit: Unit) -> list[dict[str, Any]]:
    rows = []
    for item in framework.items:
        if item.method != "indicator-success":
            continue
        unlisted = _DATA["unlisted"].format(item=item.key)
        fallback = [{"name": unlisted, "target": 100, "actual": 100, "direction": "higher"}]
        for indicator in INDICATORS.get(item.key, fallback):
            target, actual, direction = (indicator[k] for k in ("target", "actual", "direction"))
            met = actual >= target if direction == "higher" else actual <= target
            rows.append(
                _lead(unit)
                | {"item": item.key, "item_name": item.name_th, "indicator": indicator["name"]}
                | {"target": target, "actual": actual, "direction": direction}
                | {"evidence": INDICATOR["evidence"]}
                | ({} if met else {"improvement": INDICATOR["improvement"]})
            )
    return rows


def _write(frame: pd.DataFrame, path: Path) -> Path:
    headers = {c: column_header(c) for c in frame.columns}
    return write_csv(Sheet(path.stem, frame, headers, above=(NOTICE,)), path)


def _by_assessor(rows: list[dict[str, Any]], stem: str, folder: Path) -> list[Path]:
    frame = pd.DataFrame(rows)
    written = []
    for assessor, sheet in frame.groupby("assessor", sort=True):
        name = "self-assessment" if assessor == "self" else f"assessor-{assessor.split()[-1]}"
        written.append(_write(sheet, folder / f"{stem}_{name}.csv"))
    return written


def write_instruments(
    folder: str | Path, poverty_folder: str | Path, registry: Registry | None = None
) -> list[Path]:
    """Write the sheets of every unit in :data:`UNITS` to ``folder`` (one CSV per framework,
    year and assessor; the status assessment's indicators in a CSV of their own) and the
    household file to ``poverty_folder``; return the paths written."""
    folder, registry = Path(folder), registry or Registry()
    rng = random.Random(2565)
    written = []
    for framework_id in dict.fromkeys(u.framework for u in UNITS):
        framework = registry.get(framework_id)
        units = [u for u in UNITS if u.framework == framework_id]
        stem = f"{framework_id}_{units[0].year}"
        if framework.methods & {"gated-checklist", "indicator-success"}:
            rows = [row for unit in units for row in _checklist(framework, unit, rng)]
            written += _by_assessor(rows, stem, folder)
            indicators = [row for unit in units for row in _indicators(framework, unit)]
            written.append(_write(pd.DataFrame(indicators), folder / f"{stem}_indicators.csv"))
        else:
            written += _by_assessor(_rated(framework, units, rng), stem, folder)
    written.append(_write(households(rng), Path(poverty_folder) / HOUSEHOLDS))
    return written
