"""Score sheets in, validated frames out.

:func:`load_sheets` reads any number of CSV or XLSX files, in any of the three forms of
:mod:`evalkit.forms`, and returns a :class:`SheetSet`, or raises
:class:`~evalkit.errors.InvalidInputError` listing every problem in every file. Years come
out as Buddhist era, digits as Arabic, and every row keeps its source file, sheet and row.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, fields
from pathlib import Path

import pandas as pd

from .errors import InvalidInputError, Problem
from .forms import CHECKERS, FACTORS, FORMS, TEXT, Rows, check_identity, detect_form
from .framework import Registry, default_registry
from .readers import Table, canonical_column, read_tables

KEYS = ["agency_id", "year", "framework"]
SOURCE = ("source_file", "source_sheet", "source_row")
COLUMNS = {
    "band": (*FORMS["band"], "percent", "rating", *FACTORS, *TEXT, *SOURCE),
    "checklist": (*FORMS["checklist"], *SOURCE),
    "indicators": (*FORMS["indicators"], *SOURCE),
}
#: Columns that identify one value in each form; the same key twice must agree.
VALUE_KEYS = {
    "band": ([*KEYS, "assessor", "item"], ["percent", "rating"]),
    "checklist": ([*KEYS, "assessor", "item", "check"], ["met"]),
    "indicators": ([*KEYS, "item", "indicator"], ["target", "actual", "direction"]),
}


@dataclass(frozen=True)
class SheetSet:
    """Validated rows of every form: ``bands``, ``checks`` and ``indicators``."""

    bands: pd.DataFrame
    checks: pd.DataFrame
    indicators: pd.DataFrame

    def frames(self) -> dict[str, pd.DataFrame]:
        return {"band": self.bands, "checklist": self.checks, "indicators": self.indicators}

    def agencies(self) -> pd.DataFrame:
        """One row per agency, year and framework: ``agency_id, year, framework, agency_name``."""
        parts = [f[[*KEYS, "agency_name"]] for f in self.frames().values()]
        return pd.concat(parts, ignore_index=True).drop_duplicates(KEYS).reset_index(drop=True)

    def where(self, **equals: object) -> SheetSet:
        """Rows whose columns equal the given values, e.g. ``where(agency_id="trat-cdd")``."""

        def keep(frame: pd.DataFrame) -> pd.DataFrame:
            mask = pd.Series(True, index=frame.index)
            for column, value in equals.items():
                mask &= frame[column] == value
            return frame[mask]

        return SheetSet(*(keep(getattr(self, f.name)) for f in fields(self)))

    @classmethod
    def of(
        cls,
        bands: pd.DataFrame | None = None,
        checks: pd.DataFrame | None = None,
        indicators: pd.DataFrame | None = None,
    ) -> SheetSet:
        """A SheetSet from whichever frames are given; the others are empty."""
        given = {"band": bands, "checklist": checks, "indicators": indicators}
        return cls(
            *(_typed(f if f is not None else pd.DataFrame(), form) for form, f in given.items())
        )


#: Columns of repeated labels, kept as categoricals: compact, and fast to group on.
CATEGORICAL = (
    "agency_id",
    "agency_name",
    "framework",
    "assessor",
    "item",
    "level",
    "check",
    "indicator",
    "direction",
)


def _typed(frame: pd.DataFrame, form: str) -> pd.DataFrame:
    frame = frame.reindex(columns=list(COLUMNS[form]))
    types: dict[str, str] = {"year": "int64", "source_row": "Int64"}
    types |= {c: "category" for c in CATEGORICAL if c in frame}
    numeric = {"band": ["percent", "rating", *FACTORS], "indicators": ["target", "actual"]}
    types |= {c: "float64" for c in numeric.get(form, [])}
    if form == "checklist":
        types["met"] = "bool"
    for column in ("source_file", "source_sheet", *TEXT):
        if column in frame:
            text = frame[column].astype(object)
            frame[column] = text.where(text.notna(), "").astype(str)
    return frame.astype(types).reset_index(drop=True)


def _check_table(table: Table, registry: Registry) -> tuple[str, pd.DataFrame, list[Problem]]:
    header: dict[str, str] = {}
    for name in table.header:
        canon = canonical_column(name)
        if canon and canon not in header:
            header[canon] = name
    form = detect_form(list(header))
    required = [c for c in FORMS[form] if c not in header]
    if form == "band" and not {"percent", "rating"} & set(header):
        required.append("percent")

    def fail(
        column: str, found: str, expected: str, hint: str = ""
    ) -> tuple[str, pd.DataFrame, list[Problem]]:
        problem = Problem(table.file, table.header_row, column, found, expected, hint, table.sheet)
        return form, pd.DataFrame(), [problem]

    if required:
        found = [h for h in table.header if h]
        expected = list(FORMS[form]) + (["percent or rating"] if form == "band" else [])
        return fail(
            ", ".join(required),
            f"the columns {found}",
            f"the columns of a {form} sheet: " + ", ".join(expected),
            "Add the missing columns; Thai names work too (see the README).",
        )
    if not table.rows:
        return fail("", "a header with no rows under it", "at least one row of scores")
    rows = Rows(table, header, form)
    known = check_identity(rows, registry)
    CHECKERS[form](rows, registry, known)
    return form, rows.frame, rows.problems


def _shown(value: object) -> str:
    return f"{value:g}" if isinstance(value, float) else str(value)


def _clashes(form: str, frame: pd.DataFrame) -> list[Problem]:
    """The same value given twice (in any of the files) with different contents."""
    keys, values = VALUE_KEYS[form]
    signature = pd.util.hash_pandas_object(frame[values], index=False)
    clash = frame[
        signature.groupby([frame[k] for k in keys], observed=True).transform("nunique") > 1
    ]
    problems = []
    for _, group in clash.groupby(keys, sort=False, observed=True):
        found = ", ".join(
            sorted(
                {
                    " / ".join(_shown(v) for v in r if pd.notna(v) and v != "")
                    for r in group[values].itertuples(index=False)
                }
            )
        )
        what = " ".join(str(group.iloc[0][k]) for k in KEYS)
        owner = " and ".join(keys[len(KEYS) :])
        for row in group.itertuples():
            problems.append(
                Problem(
                    row.source_file,
                    int(row.source_row),
                    values[0],
                    found,
                    f"one value per {owner}",
                    f"{what}: the same {keys[-1]} was given more than once with different values.",
                    row.source_sheet,
                )
            )
    return problems


def _coverage(sheets: SheetSet, registry: Registry, skip_files: set[str]) -> list[Problem]:
    """Categories must be scored whole, and checklist items with every check.

    Agencies with rows in ``skip_files`` (files that have problems of their own, whose bad
    rows were left out) are not judged, so that one typo is not reported twice."""
    problems = []
    present = pd.concat([f[[*KEYS, "item", "source_file"]] for f in sheets.frames().values()])
    for (agency_id, year, framework_id), group in present.groupby(KEYS, sort=False):
        if skip_files & set(group["source_file"].astype(str)):
            continue
        framework = registry.get(framework_id)
        items = set(group["item"])
        file = str(group["source_file"].iloc[0])
        for category in framework.categories:
            keys = [i.key for i in category.items]
            missing = [k for k in keys if k not in items]
            if missing and len(missing) < len(keys):
                problems.append(
                    Problem(
                        file,
                        0,
                        "item",
                        f"no scores for item {', '.join(missing)} of {agency_id} {year}",
                        f"every item of category {category.key} or none",
                        "A sheet may leave out whole categories (a category award), not single "
                        "items.",
                    )
                )
    checks = sheets.checks
    if len(checks):
        for (agency_id, year, framework_id, item), group in checks.groupby(
            [*KEYS, "item"], sort=False
        ):
            if skip_files & set(group["source_file"].astype(str)):
                continue
            wanted = [c.id for c in registry.get(framework_id).item(item).checks]
            missing = [c for c in wanted if c not in set(group["check"])]
            if missing:
                problems.append(
                    Problem(
                        str(group["source_file"].iloc[0]),
                        0,
                        "check",
                        f"no rows for checks {', '.join(missing)} of {agency_id} {year}",
                        f"a row for every check of item {item}",
                    )
                )
    return problems


LEDGER_SUFFIXES = (".sqlite", ".db")


def _read_path(
    path: Path,
    registry: Registry,
    sheet: str | None,
    encoding: str | None,
    parts: dict[str, list[pd.DataFrame]],
) -> list[Problem]:
    """Add the rows of one file (a sheet, or a ledger's current rows) to ``parts``."""
    if path.suffix.lower() in LEDGER_SUFFIXES:
        from .ledger import Ledger

        for form, frame in Ledger.open_existing(path).current().frames().items():
            parts[form].append(frame)
        return []
    tables = read_tables(path, sheet, encoding)
    if isinstance(tables, Problem):
        return [tables]
    problems: list[Problem] = []
    for table in tables:
        form, frame, found = _check_table(table, registry)
        problems += found
        if not frame.empty:
            bad = {p.row for p in found if p.sheet == table.sheet}
            parts[form].append(frame[~frame["source_row"].isin(bad)])
    return problems


def check_sheets(
    paths: Iterable[str | Path],
    registry: Registry | None = None,
    sheet: str | None = None,
    encoding: str | None = None,
) -> tuple[SheetSet, list[Problem]]:
    """Read and validate sheets; return the valid rows and every problem found.

    Paths ending in .sqlite or .db are ledgers (see :mod:`evalkit.ledger`): their current
    rows join the others. Rows with problems are left out; the checks across rows (the same
    value given twice, categories scored in part) run on the rows that remain.
    """
    registry = registry or default_registry()
    parts: dict[str, list[pd.DataFrame]] = {form: [] for form in FORMS}
    files = [Path(p) for p in paths]
    problems: list[Problem] = []
    for path in files:
        problems += _read_path(path, registry, sheet, encoding, parts)
    if not files:
        problems.append(Problem("(no files)", 0, "", "no score sheets", "at least one sheet"))
    frames = {form: pd.concat(f, ignore_index=True) if f else None for form, f in parts.items()}
    sheets = SheetSet.of(frames["band"], frames["checklist"], frames["indicators"])
    for form, frame in sheets.frames().items():
        problems += _clashes(form, frame)
    problems += _coverage(sheets, registry, skip_files={p.file for p in problems})
    if problems:
        return sheets, problems
    dedup = {
        form: frame.drop_duplicates(VALUE_KEYS[form][0]).reset_index(drop=True)
        for form, frame in sheets.frames().items()
    }
    return SheetSet(dedup["band"], dedup["checklist"], dedup["indicators"]), problems


def load_sheets(
    paths: Iterable[str | Path],
    registry: Registry | None = None,
    sheet: str | None = None,
    encoding: str | None = None,
) -> SheetSet:
    """Read sheets into a SheetSet, or raise InvalidInputError with every problem."""
    sheets, problems = check_sheets(paths, registry, sheet, encoding)
    if problems:
        raise InvalidInputError(problems)
    return sheets
