"""The feedback report (รายงานป้อนกลับ): item by item, the score, what the assessors found
(strengths, opportunities for improvement) and the evidence they saw.

:class:`Feedback` gathers one agency's year in one framework; :func:`items_html` renders its
items as an HTML fragment (the agency report shows it), and :func:`feedback_page` the whole
document a committee sends, Thai first, laid out to print on A4. The markup is in
``templates/feedback/``; every text that came from a sheet is escaped there, and line breaks
inside a comment are kept.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import pandas as pd

from evalkit.analysis.checks import VERDICT_COLUMNS, check_verdicts, indicator_points_table
from evalkit.analysis.feedback import (
    comments,
    evidence_items,
    factor_names,
    factor_scores,
    item_comments,
    kind_headings,
)
from evalkit.analysis.steps import level_text
from evalkit.core.contract import feedback_file
from evalkit.core.dates import thai_date
from evalkit.core.files import write_text_atomic
from evalkit.core.numerals import thai_digits_html
from evalkit.core.page import render_page
from evalkit.core.templates import fragment
from evalkit.exports.cover import Cover
from evalkit.frameworks.model import Category, Framework
from evalkit.frameworks.registry import Registry
from evalkit.scoring.engine import is_panel
from evalkit.scoring.precedence import basis_label, item_basis
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
    basis: pd.DataFrame
    with_assessors: bool = False
    #: the panel's verdict on each check of a checklist framework (empty otherwise)
    verdicts: pd.DataFrame = field(default_factory=pd.DataFrame)
    #: the panel's indicators (target, actual, success rate, points; empty without any)
    indicators: pd.DataFrame = field(default_factory=pd.DataFrame)

    @classmethod
    def of(
        cls,
        sheets: SheetSet,
        result: pd.DataFrame,
        registry: Registry,
        agency_id: str,
        year: int,
        framework_id: str,
        with_assessors: bool = False,
    ) -> Feedback:
        """One agency's year; ``with_assessors`` names each assessor beside their own
        comments (the committee's file), never in what is sent to the agency."""
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
            item_basis(mine, registry),
            with_assessors,
            _verdicts(mine, framework, agency_id, int(year)),
            _indicators(mine, framework, agency_id, int(year)),
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
            level_text(self.framework, m, p, f)
            for m, p, f in zip(rows["method"], rows["percent"], rows["factors"], strict=True)
        ]
        basis = dict(zip(self.basis["item"].astype(str), self.basis["basis"], strict=True))
        rows["basis"] = [basis_label(basis[k]) if k in basis else "" for k in rows["key"]]
        return rows

    @property
    def factor_heading(self) -> str:
        """What the factor table's value is: the framework's rule over the assessors."""
        return basis_label(self.framework.consensus)

    def rules_shown(self) -> list[dict[str, object]]:
        """Each award or target rule as the templates show it (see :func:`shown_rules`);
        none where the framework leaves the award outcome to the committee to announce
        (scores and gaps are still shown)."""
        if self.framework.award.announce == "committee":
            return []
        return shown_rules(self.rules)


def _verdicts(sheets: SheetSet, framework: Framework, agency_id: str, year: int) -> pd.DataFrame:
    if "gated-checklist" not in framework.methods or sheets.checks.empty:
        return pd.DataFrame(columns=VERDICT_COLUMNS)
    return check_verdicts(sheets, framework, agency_id, year)


def _indicators(sheets: SheetSet, framework: Framework, agency_id: str, year: int) -> pd.DataFrame:
    table = indicator_points_table(sheets, framework, agency_id, year)
    return table[table["side"] == "panel"] if len(table) else table


def _said(feedback: Feedback, item: str) -> pd.DataFrame:
    """The comments on one item as shown: nothing that asks for improvement on a check the
    panel counted as met (an assessor outvoted is not the panel's word)."""
    mine = feedback.comments[feedback.comments["item"].astype(str) == item]
    met = set(feedback.verdicts.loc[feedback.verdicts["met"].astype(bool), "check"])
    outvoted = mine["about"].isin(met) & (mine["kind"] == "improvement") & ~mine["consensus"]
    return mine[~outvoted.to_numpy()]


def _unmet(feedback: Feedback, item: str) -> list[dict[str, object]]:
    """The checks of one item the panel did not find met: id, level, text, level descriptor."""
    verdicts = feedback.verdicts
    if verdicts.empty:
        return []
    rows = verdicts[(verdicts["item"] == item) & ~verdicts["met"].astype(bool)]
    return [dict(r._asdict()) for r in rows.itertuples(index=False)]


def shown_rules(rules: pd.DataFrame) -> list[dict[str, object]]:
    """Each award or target rule of :func:`~evalkit.scoring.rules.evaluate_rules`: its name,
    whether it is met, by how much it falls short, and the note that says why it does not
    apply."""
    return [
        {
            "name": str(r.rule_name),
            "key": str(r.key),
            "met": known(r.met),
            "shortfall": r.shortfall,
            "note": r.note if pd.isna(r.met) and r.note else "",
        }
        for r in rules.itertuples(index=False)
    ]


def _item_view(feedback: Feedback, item: pd.Series, detail: bool = True) -> dict[str, object]:
    """One item as the template shows it; with ``detail``, a status item's unmet checks and
    indicators (the agency report shows them in sections of their own)."""
    mine = _said(feedback, item["key"])
    factors = feedback.factors[feedback.factors["item"] == item["key"]]
    comments = [
        (
            kind_headings()[kind],
            [
                {
                    "about": row.about,
                    "text": str(row.text),
                    "agreed": bool(row.consensus),
                    "who": row.assessor if feedback.with_assessors and not row.consensus else "",
                }
                for row in shown.itertuples(index=False)
            ],
        )
        for kind in ("strength", "improvement", "explanation", "reason")
        if len(shown := item_comments(mine, kind, feedback.with_assessors))
    ]
    return dict(
        item,
        factors=[
            dict(row._asdict(), name=factor_names().get(row.factor, row.factor))
            for row in factors.itertuples(index=False)
        ],
        comments=comments,
        evidence=evidence_items(mine.loc[mine["kind"] == "evidence", "text"]),
        evidence_heading=kind_headings()["evidence"],
        factor_heading=feedback.factor_heading,
        category_word=feedback.framework.category_word,
        unmet=_unmet(feedback, item["key"]) if detail else [],
        indicators=[
            dict(r._asdict())
            for r in feedback.indicators.itertuples(index=False)
            if r.item == item["key"]
        ]
        if detail and len(feedback.indicators)
        else [],
        commented=not mine.empty,
    )


def categories_view(
    feedback: Feedback, detail: bool = True
) -> list[tuple[Category, list[dict[str, object]]]]:
    """The scored items by category, as the templates show them (see :func:`_item_view`)."""
    items = feedback.items()
    shown = []
    for category in feedback.framework.categories:
        rows = items[items["category"] == category.key]
        if not rows.empty:
            views = [_item_view(feedback, row, detail) for _, row in rows.iterrows()]
            shown.append((category, views))
    return shown


def items_html(feedback: Feedback, level: int = 3) -> str:
    """Every scored item by category: a heading per category, then its items."""
    return fragment(MACROS, "items", categories=categories_view(feedback), level=level)


def feedback_page(
    feedback: Feedback,
    today: date | None = None,
    cover: Cover | None = None,
    thai_digits: bool = False,
) -> str:
    """The whole feedback document as a self-contained HTML page that prints on A4; with a
    ``cover`` note as its first page; with ``thai_digits``, its numbers and dates in Thai
    numerals."""
    today = today or date.today()
    page = render_page(
        "feedback/document.html.j2",
        f=feedback,
        assessors=", ".join(feedback.assessors) if feedback.with_assessors else "",
        today=thai_date(today),
        total=feedback.total,
        rules=feedback.rules_shown(),
        categories=categories_view(feedback),
        cover=cover,
        cover_date=thai_date(cover.day or today) if cover else "",
    )
    return thai_digits_html(page) if thai_digits else page


def write_feedback(
    sheets: SheetSet,
    result: pd.DataFrame,
    registry: Registry,
    out: str | Path,
    today: date | None = None,
    cover: Cover | None = None,
    thai_digits: bool = False,
    with_assessors: bool = False,
) -> list[Path]:
    """A feedback page per agency, year and framework in ``result``:
    ``out/AGENCY/FRAMEWORK-YEAR-feedback.html``; no assessor is named unless
    ``with_assessors`` (the committee's own file)."""
    written = []
    units = result[result["level"] == "total"][["agency_id", "year", "framework"]]
    for agency_id, year, framework_id in units.itertuples(index=False):
        feedback = Feedback.of(
            sheets, result, registry, agency_id, int(year), framework_id, with_assessors
        )
        path = Path(out) / feedback_file(agency_id, framework_id, int(year))
        path.parent.mkdir(parents=True, exist_ok=True)
        write_text_atomic(path, feedback_page(feedback, today, cover, thai_digits))
        written.append(path)
    return written
