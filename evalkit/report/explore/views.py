"""What each part of the explorer shows, as the agency's page shows it: the sections are the
:class:`~evalkit.report.agency.AgencyReport`'s and the
:class:`~evalkit.report.portfolio.PortfolioReport`'s own, so the explorer and the pages never
say different things. Only what a page has no section for is built here: the problem list,
the items of every agency as a heat map, and the what-if's before and after."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

import pandas as pd

from evalkit.analysis.decisions import decide
from evalkit.core.errors import Problem
from evalkit.core.i18n import set_language
from evalkit.exports.decisions import shown
from evalkit.report.agency import AgencyReport
from evalkit.report.display import Html, section
from evalkit.report.explore.project import ProjectData
from evalkit.report.explore.whatif import Outcome
from evalkit.report.portfolio import PortfolioReport
from evalkit.scoring.rules import evaluate_rules
from evalkit.sheets.skipped import Skipped, skipped_lines


def in_language(problem: Problem, lang: str) -> str:
    """A problem's message in ``lang``, as ``evalkit validate --lang LANG`` prints it."""
    set_language(lang)
    try:
        return str(problem)
    finally:
        set_language(None)


def problem_list(problems: Sequence[Problem]) -> Html:
    """Every problem found, Thai first with the English below, one item each."""
    if not problems:
        return Html("")
    both = [(in_language(p, "th"), in_language(p, "en")) for p in problems]
    return section("explore", "problem_list", problems=both)


def skipped_note(skipped: Sequence[Skipped]) -> Html:
    """What reading left aside, one line per reason, Thai first (as the commands print it)."""

    def lines(lang: str) -> list[str]:
        set_language(lang)
        try:
            return skipped_lines(skipped)
        finally:
            set_language(None)

    both = list(zip(lines("th"), lines("en"), strict=True))
    return section("explore", "skipped", lines=both)


def source_note(project: ProjectData) -> Html:
    """Where the data comes from: the project's files, or the bundled sample."""
    return section(
        "explore",
        "source",
        sample=project.sample,
        name=project.folder.resolve().name,
        sheets=len(project.files),
        ledger=(project.folder / "data" / "ledger.sqlite").is_file(),
    )


def scores_view(report: AgencyReport) -> list[Any]:
    """The agency's total, summary, categories, rules and items, as on its page."""
    items = report.items()
    return [
        report.summary(),
        report.executive_summary(),
        report.category_table(),
        report.rules_table(),
        section("explore", "items", rows=items),
        report.radar_chart(),
    ]


def panel_view(report: AgencyReport) -> list[Any]:
    """How the panel scored: each assessor, agreement, factors, the agency's own view."""
    return [
        report.assessor_heatmap(),
        report.agreement_note(),
        report.factor_table(),
        report.self_assessment_table(),
        report.checks_self_vs_panel(),
        report.unmet_checks_section(),
    ]


def feedback_view(report: AgencyReport) -> list[Any]:
    return [report.feedback_section()]


def item_heatmap(result: pd.DataFrame, portfolio: PortfolioReport) -> Html:
    """Every agency's items (percent) side by side, in the order of the ranking."""
    rows = result[result["level"] == "item"]
    matrix = rows.pivot_table(index="agency_name", columns="key", values="percent", observed=True)
    order = [i.key for i in portfolio.framework.items if i.key in matrix.columns]
    ranked = [n for n in portfolio.ranking()["agency_name"] if n in matrix.index]
    return section("explore", "item_heatmap", matrix=matrix.loc[ranked, order])


def decisions_table(portfolio: PortfolioReport) -> Html:
    """The award decisions of the framework and year, as ``evalkit decide`` lists them: the
    outcome of each entry, conditions met and failed, ties, and the path to the next level."""
    rules = evaluate_rules(portfolio.result, portfolio.registry)
    decisions = shown(decide(portfolio.result, rules, portfolio.framework))
    return section("explore", "decisions", rows=decisions, columns={c: c for c in decisions})


def compare_view(portfolio: PortfolioReport) -> list[Any]:
    """The agencies of the framework and year: ranking, decisions, distribution, categories,
    items."""
    return [
        portfolio.summary(),
        portfolio.ranking_table(),
        decisions_table(portfolio),
        portfolio.distribution_chart(),
        portfolio.category_heatmap(),
        item_heatmap(portfolio.result, portfolio),
    ]


def _value(value: Any) -> Any:
    """A cell as the template shows it: None where there is nothing."""
    return None if pd.isna(value) else value


def rules_rows(before: pd.DataFrame, after: pd.DataFrame) -> pd.DataFrame:
    """Each rule row now and in the what-if, side by side."""
    keys = ["rule", "level", "key"]
    return before.merge(after, on=keys, how="outer", suffixes=("_before", "_after"))


def _rule(row: pd.Series) -> dict[str, Any]:
    name = row["rule_name_after"] if pd.notna(row["rule_name_after"]) else row["rule_name_before"]
    met_before, met_after = _value(row["met_before"]), _value(row["met_after"])
    return {
        "rule": str(row["rule"]),
        "key": str(row["key"]),
        "name": str(name),
        "threshold": _value(row["threshold_after"]),
        "points_before": _value(row["points_before"]),
        "points_after": _value(row["points_after"]),
        "met_before": None if met_before is None else bool(met_before),
        "met_after": None if met_after is None else bool(met_after),
        "shortfall": _value(row["shortfall_after"]),
        "shortfall_raw": str(row["shortfall_after"]),
        "note": str(row["note_after"]) if pd.notna(row["note_after"]) else "",
    }


def whatif_view(base: Outcome, outcome: Outcome, changes: Iterable[str]) -> Html:
    """The total, every rule's verdict and the distance to each threshold, before and after
    the what-if; data attributes carry the numbers for other programs."""
    rows = rules_rows(base.rules, outcome.rules)
    return section(
        "explore",
        "whatif",
        before=base.total,
        after=outcome.total,
        changes=list(changes),
        rules=[_rule(r) for _, r in rows.iterrows()],
    )
