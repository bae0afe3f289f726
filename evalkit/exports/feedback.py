"""The feedback report (รายงานป้อนกลับ): item by item, the score, what the assessors found
(strengths, opportunities for improvement) and the evidence they saw.

:class:`Feedback` gathers one agency's year in one framework; :func:`items_html` renders its
items as an HTML fragment (the agency report shows it), and :func:`feedback_page` the whole
document a committee sends, Thai first, laid out to print on A4. The markup is in
``templates/feedback/``; every text that came from a sheet is escaped there, and line breaks
inside a comment are kept.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path

import pandas as pd

from evalkit.analysis.feedback import (
    FACTOR_NAMES,
    KINDS,
    comments,
    evidence_items,
    factor_scores,
    item_comments,
)
from evalkit.analysis.steps import level_text
from evalkit.core.dates import thai_date
from evalkit.core.files import write_text_atomic
from evalkit.core.page import render_page
from evalkit.core.templates import fragment
from evalkit.frameworks.model import Category, Framework
from evalkit.frameworks.registry import Registry
from evalkit.scoring.engine import is_panel
from evalkit.scoring.rules import evaluate_rules
from evalkit.sheets.sheetset import SheetSet

#: The feedback templates: the parts (macros) and the whole document.
MACROS = "feedback/macros.html.j2"


def known(value: object) -> bool | None:
    """A rule's ``met`` as the templates take it: ``None`` when the rule does not apply."""
    return None if pd.isna(value) else bool(value)


@dataclass(frozen=True)
class Feedback:
    """One agency's year in one framework: scores, comments, factors and rules."""

    framework: Framework
    agency_id: str
    agency_name: str
    year: int
    result: pd.DataFrame
    comments: pd.DataFrame
    factors: pd.DataFrame
    rules: pd.DataFrame
    assessors: tuple[str, ...]

    @classmethod
    def of(
        cls,
        sheets: SheetSet,
        result: pd.DataFrame,
        registry: Registry,
        agency_id: str,
        year: int,
        framework_id: str,
    ) -> Feedback:
        framework = registry.get(framework_id)
        mine = sheets.where(agency_id=agency_id, year=year, framework=framework_id)
        rows = result[
            (result["agency_id"] == agency_id)
            & (result["year"] == year)
            & (result["framework"] == framework_id)
        ]
        members: dict[str, None] = {}
        for frame in (mine.bands, mine.checks):
            names = frame["assessor"].astype(str)
            for name in names[is_panel(frame["assessor"])]:
                members.setdefault(name, None)
        return cls(
            framework,
            agency_id,
            str(rows["agency_name"].iloc[0]),
            int(year),
            rows,
            comments(mine),
            factor_scores(mine, rows, framework),
            evaluate_rules(rows, registry),
            tuple(members),
        )

    @property
    def total(self) -> pd.Series:
        return self.result[self.result["level"] == "total"].iloc[0]

    def items(self) -> pd.DataFrame:
        """Item rows with the item's name, method, category and the step it stands on (its
        band or level descriptor; ``label`` where the framework describes none)."""
        names = self.framework.item_table().drop(columns="max_points")
        rows = self.result[self.result["level"] == "item"].merge(
            names, left_on="key", right_on="item"
        )
        rows["step"] = [
            level_text(self.framework, m, p)
            for m, p in zip(rows["method"], rows["percent"], strict=True)
        ]
        return rows

    def rules_shown(self) -> list[dict[str, object]]:
        """Each award or target rule: its name, whether it is met, by how much it falls
        short, and the note that says why it does not apply; none where the framework leaves
        the award outcome to the committee to announce (scores and gaps are still shown)."""
        if self.framework.award.announce == "committee":
            return []
        return [
            {
                "name": str(r.rule_name),
                "key": str(r.key),
                "met": known(r.met),
                "shortfall": r.shortfall,
                "note": r.note if pd.isna(r.met) and r.note else "",
            }
            for r in self.rules.itertuples(index=False)
        ]


def _item_view(feedback: Feedback, item: pd.Series) -> dict[str, object]:
    """One item as the template shows it."""
    mine = feedback.comments[feedback.comments["item"].astype(str) == item["key"]]
    factors = feedback.factors[feedback.factors["item"] == item["key"]]
    comments = [
        (
            KINDS[kind],
            [
                {
                    "about": row.about,
                    "text": str(row.text),
                    "who": None if row.consensus or not row.assessor else row.assessor,
                }
                for row in shown.itertuples(index=False)
            ],
        )
        for kind in ("strength", "improvement", "explanation")
        if len(shown := item_comments(mine, kind))
    ]
    return dict(
        item,
        factors=[
            dict(row._asdict(), name=FACTOR_NAMES.get(row.factor, row.factor))
            for row in factors.itertuples(index=False)
        ],
        comments=comments,
        evidence=evidence_items(mine.loc[mine["kind"] == "evidence", "text"]),
        evidence_heading=KINDS["evidence"],
        commented=not mine.empty,
    )


def categories_view(feedback: Feedback) -> list[tuple[Category, list[dict[str, object]]]]:
    """The scored items by category, as the templates show them."""
    items = feedback.items()
    shown = []
    for category in feedback.framework.categories:
        rows = items[items["category"] == category.key]
        if not rows.empty:
            shown.append((category, [_item_view(feedback, row) for _, row in rows.iterrows()]))
    return shown


def items_html(feedback: Feedback, level: int = 3) -> str:
    """Every scored item by category: a heading per category, then its items."""
    return fragment(MACROS, "items", categories=categories_view(feedback), level=level)


def feedback_page(feedback: Feedback, today: date | None = None) -> str:
    """The whole feedback document as a self-contained HTML page that prints on A4."""
    return render_page(
        "feedback/document.html.j2",
        f=feedback,
        assessors=", ".join(feedback.assessors),
        today=thai_date(today or date.today()),
        total=feedback.total,
        rules=feedback.rules_shown(),
        categories=categories_view(feedback),
    )


def write_feedback(
    sheets: SheetSet,
    result: pd.DataFrame,
    registry: Registry,
    out: str | Path,
    today: date | None = None,
) -> list[Path]:
    """A feedback page per agency, year and framework in ``result``:
    ``out/AGENCY/FRAMEWORK-YEAR-feedback.html``."""
    written = []
    units = result[result["level"] == "total"][["agency_id", "year", "framework"]]
    for agency_id, year, framework_id in units.itertuples(index=False):
        feedback = Feedback.of(sheets, result, registry, agency_id, int(year), framework_id)
        path = Path(out) / agency_id / f"{framework_id}-{int(year)}-feedback.html"
        path.parent.mkdir(parents=True, exist_ok=True)
        write_text_atomic(path, feedback_page(feedback, today))
        written.append(path)
    return written
