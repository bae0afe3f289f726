"""The consensus meeting workbook (``evalkit consensus``): what the committee works on when it
meets to agree one score per item, or one verdict per check.

One sheet per agency, year and form: a row per item (or check), the agenda first (the items
whose assessors are more than one band, rating level or verdict apart), every assessor's value
and comments side by side with the median and the spread, then the committee's columns, empty:
the agreed value (a drop-down of the template's values), the reason, and the agreed strengths,
improvements and evidence, prefilled with the assessors' comments as drafts (marked
:data:`~evalkit.sheets.stages.DRAFT`). Each row names the assessor and the stage ``ฉันทามติ``,
so the sheet reads back as it is, as the committee's rows: the assessors' columns are
evalkit's own (read=False columns, left aside), an agreed value left empty or a deleted row
leaves the item to the assessors' rule, and a draft left alone is not the committee's text.
Written by the one spreadsheet writer, kind ``consensus-meeting``.
"""

from __future__ import annotations

from collections.abc import Iterator
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

import pandas as pd
import yaml

from evalkit.analysis.agreement import panel_values, stepped_methods
from evalkit.core.errors import EvalkitError
from evalkit.core.i18n import msg
from evalkit.exports.spreadsheet import Sheet, write_xlsx
from evalkit.exports.template import column_choices, percent_rows
from evalkit.frameworks.model import Framework
from evalkit.frameworks.registry import Registry
from evalkit.scoring.precedence import independent_rows
from evalkit.sheets.assessors import CONSENSUS, named
from evalkit.sheets.columns import thai_header
from evalkit.sheets.sheetset import KEYS, SheetSet
from evalkit.sheets.stages import DRAFT

#: Width of a column of comments, in characters.
WIDE = 45
#: Assessors this many bands (rating levels) apart on an item put it on the agenda.
AGENDA_STEPS = 2
IDENTITY = ["agency_id", "agency_name", "year", "framework", "assessor", "stage"]
COMMENT_KINDS = {
    "band": ("strength", "improvement", "evidence"),
    "checklist": ("explanation", "evidence"),
}


@cache
def words() -> dict[str, Any]:
    """The workbook's Thai words (``meeting.yaml`` beside this module)."""
    source = resources.files("evalkit.exports") / "meeting.yaml"
    loaded: dict[str, Any] = yaml.safe_load(source.read_text(encoding="utf-8"))
    return loaded


def _draft(rows: pd.DataFrame, kind: str) -> str:
    """The assessors' comments of one kind, one line each, named, marked as a draft."""
    said = [f"{r.assessor}: {r[kind]}" for _, r in rows.iterrows() if r[kind]]
    return f"{DRAFT} " + "\n".join(said) if said else ""


def _comments(rows: pd.DataFrame, kinds: tuple[str, ...]) -> str:
    return "\n".join(f"{thai_header(k)}: {rows[k]}" for k in kinds if rows[k])


def _agreed(kind: str) -> str:
    return f"agreed_{kind}"


def _headers(names: list[str], values: list[str], kinds: tuple[str, ...]) -> dict[str, str]:
    """Thai headers, the English column name in brackets; an agreed column's name begins
    with ``agreed`` (``คะแนนที่ตกลง (agreed_percent)``)."""
    said = words()
    own = [*IDENTITY, "item", "item_name", "level", "check", "check_text", "agenda"]
    headers = {c: thai_header(c) for c in [*own, "panel_median", "panel_spread", "reason"]}
    for n, name in enumerate(names):
        label = said["assessor_met" if "met" in values else "assessor_value"].format(name=name)
        headers[f"v{n}"] = f"{label} (assessor_value)"
        comments = said["assessor_comments"].format(name=name)
        headers[f"c{n}"] = f"{comments} (assessor_comments)"
    for kind in (*values, *kinds):
        headers[_agreed(kind)] = f"{said['agreed'][kind]} ({_agreed(kind)})"
    return headers


def _committee(agreed: pd.DataFrame, key: dict[str, str], kinds: tuple[str, ...]) -> dict[str, Any]:
    """What the committee said already of one item or check (its rows in the sheets given):
    its text of each kind, and its agreed value, as the agreed columns' contents."""
    for column, value in key.items():
        agreed = agreed[agreed[column].astype(str) == value]
    found: dict[str, Any] = {}
    for kind in kinds:
        text = [t for t in agreed[kind].astype(str) if t] if kind in agreed else []
        if text:
            found[_agreed(kind)] = "\n".join(text)
    if "reason" in agreed and any(agreed["reason"].astype(str) != ""):
        found["reason"] = "\n".join(t for t in agreed["reason"].astype(str) if t)
    return found


def _band_rows(
    rows: pd.DataFrame, agreed_rows: pd.DataFrame, framework: Framework, names: list[str]
) -> pd.DataFrame:
    """One row per item of one agency-year: each assessor's value and comments, the median,
    the spread, the agenda, and the committee's empty columns with the drafts."""
    kinds = COMMENT_KINDS["band"]
    steps = panel_values(rows, framework) if stepped_methods(framework) else None
    out = []
    for item in (i for i in framework.items if i.key in set(rows["item"].astype(str))):
        mine = rows[rows["item"].astype(str) == item.key]
        value = mine["percent"].where(mine["percent"].notna(), mine["rating"]).astype(float)
        by = dict(zip(mine["assessor"].astype(str), value, strict=True))
        said = {str(r.assessor): _comments(r, kinds) for _, r in mine.iterrows()}
        apart = 0
        if steps is not None:
            step = steps.loc[steps["item"] == item.key, "step"]
            apart = int(step.max() - step.min()) if len(step) else 0
        agreed = "agreed_rating" if item.method == "rating" else "agreed_percent"
        out.append(
            {
                "item": item.key,
                "item_name": item.name_th,
                "agenda": words()["agenda"] if apart >= AGENDA_STEPS else "",
                **{f"v{n}": by.get(name) for n, name in enumerate(names)},
                "panel_median": value.median(),
                "panel_spread": value.max() - value.min(),
                agreed: None,
                "reason": "",
                **{_agreed(k): _draft(mine, k) for k in kinds},
                **_committee(agreed_rows, {"item": item.key}, kinds),
                **{f"c{n}": said.get(name, "") for n, name in enumerate(names)},
            }
        )
    return pd.DataFrame(out)


def _verdict(by: dict[str, bool], name: str, yes: str, no: str) -> str | None:
    return (yes if by[name] else no) if name in by else None


def _check_rows(
    rows: pd.DataFrame, agreed_rows: pd.DataFrame, framework: Framework, names: list[str]
) -> pd.DataFrame:
    """One row per check of one agency-year: each assessor's verdict and comments, the
    majority, the agenda (the assessors differ), and the committee's empty columns."""
    kinds = COMMENT_KINDS["checklist"]
    yes, no = words()["yes"], words()["no"]
    texts = framework.check_table().set_index("check")["text_th"].to_dict()
    out = []
    for (item, check), mine in rows.groupby(["item", "check"], sort=False, observed=True):
        met = mine["met"].astype(bool)
        by = dict(zip(mine["assessor"].astype(str), met, strict=True))
        said = {str(r.assessor): _comments(r, kinds) for _, r in mine.iterrows()}
        out.append(
            {
                "item": str(item),
                "level": str(mine["level"].iloc[0]),
                "check": str(check),
                "check_text": texts.get(str(check), ""),
                "agenda": words()["agenda"] if met.nunique() > 1 else "",
                **{f"v{n}": _verdict(by, name, yes, no) for n, name in enumerate(names)},
                "panel_median": yes if met.sum() * 2 > len(met) else no,
                "agreed_met": None,
                "reason": "",
                **{_agreed(k): _draft(mine, k) for k in kinds},
                **_committee(agreed_rows, {"item": str(item), "check": str(check)}, kinds),
                **{f"c{n}": said.get(name, "") for n, name in enumerate(names)},
            }
        )
    return pd.DataFrame(out)


def _sheet(form: str, rows: pd.DataFrame, agreed: pd.DataFrame, framework: Framework) -> Sheet:
    """The meeting sheet of one agency-year and form, the agenda first."""
    names = list(dict.fromkeys(rows["assessor"].astype(str)))
    build = _band_rows if form == "band" else _check_rows
    table = build(rows, agreed, framework, names)
    table = table.sort_values("agenda", ascending=False, kind="stable").reset_index(drop=True)
    first = rows.iloc[0]
    committee = words()["committee"]
    lead: dict[str, object] = {
        "agency_id": str(first["agency_id"]),
        "agency_name": str(first["agency_name"]),
        "year": int(first["year"]),
        "framework": framework.id,
        "assessor": committee,
        "stage": committee,
    }
    table = pd.concat([pd.DataFrame([lead] * len(table)), table], axis=1)
    values = [v for v in ("percent", "rating", "met") if _agreed(v) in table]
    kinds = COMMENT_KINDS[form]
    headers = _headers(names, values, kinds)
    if form == "checklist":
        headers["panel_median"] = f"{words()['majority']} (panel_median)"
        table = table.drop(columns=["panel_spread"], errors="ignore")
    listed = column_choices(framework, pd.DataFrame(columns=["percent", "rating", "met"]))
    choices = {_agreed(c): v for c, v in listed.items()}
    percent = percent_rows(framework, list(table["item"])) if _agreed("percent") in table else []
    choices["stage"] = [committee, words()["site_visit"]]
    comments = [c for c in table.columns if c.startswith(("agreed_", "c")) and c in headers]
    title = f"{first['agency_id']} {int(first['year'])}"
    return Sheet(
        title if form == "band" else f"{title} {words()['checks']}",
        table,
        headers=headers,
        input=True,
        choices={c: v for c, v in choices.items() if c in table},
        choice_rows=len(table),
        row_choices={_agreed("percent"): percent} if percent else {},
        widths=dict.fromkeys(comments, WIDE),
        wrap=comments,
        paper=True,
        landscape=True,
    )


def _units(
    sheets: SheetSet, agency: str | None, year: int | None, framework: str | None
) -> Iterator[tuple[str, pd.DataFrame, pd.DataFrame]]:
    """Each agency-year-framework's independent rows of each form, in order, and the
    committee's rows of it."""
    for form in ("band", "checklist"):
        every = sheets.frame(form)
        committee = every[named(every["assessor"], CONSENSUS)] if len(every) else every
        rows = independent_rows(every)
        for column, wanted in (("agency_id", agency), ("year", year), ("framework", framework)):
            if wanted is not None and len(rows):
                rows = rows[rows[column] == wanted]
        if not len(rows):
            continue
        for key, unit in rows.groupby(KEYS, sort=True, observed=True):
            mask = (committee[KEYS].astype(object) == pd.Series(key, index=KEYS)).all(axis=1)
            yield form, unit, committee[mask]


def _instructions() -> Sheet:
    said = words()
    lines = [said["title"], "", *(line.format(draft=DRAFT) for line in said["how"])]
    return Sheet(
        said["sheet"], pd.DataFrame({"text": lines}), show_header=False, widths={"text": 120}
    )


def meeting_sheets(
    sheets: SheetSet,
    registry: Registry,
    agency: str | None = None,
    year: int | None = None,
    framework: str | None = None,
) -> list[Sheet]:
    """The instructions, then a sheet per agency, year and form of the assessors' rows."""
    found = [
        _sheet(form, unit, agreed, registry.get(str(unit["framework"].iloc[0])))
        for form, unit, agreed in _units(sheets, agency, year, framework)
    ]
    if not found:
        raise EvalkitError(
            msg("no assessors' scores to agree in the sheets given (agency, year, framework)")
        )
    return [_instructions(), *found]


def write_meeting(
    sheets: SheetSet,
    registry: Registry,
    out: str | Path,
    agency: str | None = None,
    year: int | None = None,
    framework: str | None = None,
) -> Path:
    """Write the consensus meeting workbook to ``out`` (XLSX, kind ``consensus-meeting``)."""
    book = meeting_sheets(sheets, registry, agency, year, framework)
    return write_xlsx(book, out, "consensus-meeting")
