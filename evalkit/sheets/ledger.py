"""The ledger: every validated row ever ingested, with where it came from, in one SQLite file.

SQLite comes with Python, keeps the whole ledger in one file that can be copied or backed up
as it is, and makes each ingest a single transaction: a run that is killed half-way leaves
the ledger exactly as it was. (DuckDB would scan faster, but these tables hold thousands of
rows, not billions, and it would be one more dependency to install.)

- Ingesting a file whose bytes were ingested before changes nothing.
- Rows for the same agency, year, framework and assessor from a newer file supersede the
  older rows; the older rows stay, marked with the ingest that replaced them. Nothing is
  ever deleted, so :meth:`Ledger.history` can show what changed and when.
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import pandas as pd

from evalkit.core.errors import EvalkitError, InvalidInputError
from evalkit.frameworks.registry import Registry
from evalkit.sheets.sheetset import COLUMNS, SheetSet
from evalkit.sheets.validate import check_sheets

SCHEMA = """
CREATE TABLE IF NOT EXISTS ingests (
    id INTEGER PRIMARY KEY,
    source_file TEXT NOT NULL,
    sha256 TEXT NOT NULL UNIQUE,
    ingested_at TEXT NOT NULL,
    rows INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS rows (
    id INTEGER PRIMARY KEY,
    ingest_id INTEGER NOT NULL REFERENCES ingests(id),
    form TEXT NOT NULL,
    agency_id TEXT NOT NULL,
    year INTEGER NOT NULL,
    framework TEXT NOT NULL,
    assessor TEXT NOT NULL,
    data TEXT NOT NULL,
    superseded_by INTEGER REFERENCES ingests(id)
);
CREATE INDEX IF NOT EXISTS rows_by_owner
    ON rows (agency_id, year, framework, assessor, form, superseded_by);
"""
OWNER = ["form", "agency_id", "year", "framework", "assessor"]


@dataclass(frozen=True)
class IngestResult:
    source_file: str
    sha256: str
    status: str  # "ingested" or "unchanged"
    rows: int
    superseded: int


def file_hash(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


class Ledger:
    """One ledger file. Use :meth:`open` to create it when missing."""

    def __init__(self, path: str | Path):
        self.path = Path(path)
        self.db = sqlite3.connect(self.path, isolation_level=None)
        self.db.executescript(SCHEMA)

    @classmethod
    def open_existing(cls, path: str | Path) -> Ledger:
        if not Path(path).is_file():
            raise EvalkitError(f"No ledger at {path}; create one with `evalkit ingest`.")
        return cls(path)

    def close(self) -> None:
        self.db.close()

    def ingest(
        self, paths: Iterable[str | Path], registry: Registry | None = None
    ) -> list[IngestResult]:
        """Validate every file, then store them all in one transaction (or nothing)."""
        files = [Path(p) for p in paths]
        sheets, problems = check_sheets(files, registry)
        if problems:
            raise InvalidInputError(problems)
        rows = _owned_rows(sheets)
        results = []
        self.db.execute("BEGIN IMMEDIATE")
        try:
            for path in files:
                results.append(self._ingest_file(path, rows[rows["source_file"] == str(path)]))
            self.db.execute("COMMIT")
        except BaseException:
            self.db.execute("ROLLBACK")
            raise
        return results

    def _ingest_file(self, path: Path, rows: pd.DataFrame) -> IngestResult:
        digest = file_hash(path)
        if self.db.execute("SELECT 1 FROM ingests WHERE sha256 = ?", (digest,)).fetchone():
            return IngestResult(str(path), digest, "unchanged", 0, 0)
        now = datetime.now(UTC).isoformat(timespec="seconds")
        ingest_id = self.db.execute(
            "INSERT INTO ingests (source_file, sha256, ingested_at, rows) VALUES (?, ?, ?, ?)",
            (str(path), digest, now, len(rows)),
        ).lastrowid
        owners = rows[OWNER].drop_duplicates().itertuples(index=False)
        superseded = sum(
            self.db.execute(
                "UPDATE rows SET superseded_by = ? WHERE superseded_by IS NULL AND form = ? AND "
                "agency_id = ? AND year = ? AND framework = ? AND assessor = ?",
                (ingest_id, *owner),
            ).rowcount
            for owner in owners
        )
        self.db.executemany(
            "INSERT INTO rows (ingest_id, form, agency_id, year, framework, assessor, data) "
            "VALUES (?, ?, ?, ?, ?, ?, ?)",
            (
                (ingest_id, *owner, data)
                for *owner, data in rows[[*OWNER, "data"]].itertuples(index=False)
            ),
        )
        return IngestResult(str(path), digest, "ingested", len(rows), superseded)

    def _rows(self, where: str = "", params: tuple[object, ...] = ()) -> pd.DataFrame:
        query = (
            "SELECT r.*, i.source_file, i.ingested_at FROM rows r "
            "JOIN ingests i ON i.id = r.ingest_id " + where + " ORDER BY r.id"
        )
        return pd.read_sql_query(query, self.db, params=params)

    def current(self) -> SheetSet:
        """The rows no later ingest has superseded, as validated sheets."""
        return _sheet_set(self._rows("WHERE r.superseded_by IS NULL"))

    def history(self, agency_id: str) -> pd.DataFrame:
        """Every value an agency's rows ever had: one row per change, oldest first."""
        rows = self._rows("WHERE r.agency_id = ?", (agency_id,))
        if rows.empty:
            return pd.DataFrame(columns=HISTORY_COLUMNS)
        return _changes(rows)


def _owned_rows(sheets: SheetSet) -> pd.DataFrame:
    """All rows of all forms with their owner columns and the rest as JSON."""
    parts = []
    for form, frame in sheets.frames().items():
        if frame.empty:
            continue
        frame = frame.astype(object).where(frame.notna(), None)
        data = [
            json.dumps(r, ensure_ascii=False, default=str) for r in frame.to_dict(orient="records")
        ]
        owner = frame.reindex(columns=OWNER[1:]).astype(object).fillna("")
        parts.append(owner.assign(form=form, data=data, source_file=frame["source_file"]))
    return (
        pd.concat(parts, ignore_index=True)
        if parts
        else pd.DataFrame(columns=[*OWNER, "data", "source_file"])
    )


def _records(rows: pd.DataFrame, form: str) -> pd.DataFrame:
    mine = rows[rows["form"] == form]
    records = pd.DataFrame(
        [json.loads(d) for d in mine["data"]], columns=list(COLUMNS[form]), index=mine.index
    )
    records["source_file"] = mine["source_file"]
    return records


def _sheet_set(rows: pd.DataFrame) -> SheetSet:
    return SheetSet.of(
        _records(rows, "band"), _records(rows, "checklist"), _records(rows, "indicators")
    )


HISTORY_COLUMNS = [
    "ingested_at",
    "source_file",
    "year",
    "framework",
    "assessor",
    "what",
    "before",
    "after",
]
VALUE = {
    "band": ("item", ["percent", "rating"]),
    "checklist": ("check", ["met"]),
    "indicators": ("indicator", ["target", "actual", "direction"]),
}


def _text(value: object) -> str:
    if value is None or (isinstance(value, float) and pd.isna(value)):
        return ""
    return f"{value:g}" if isinstance(value, float) else str(value)


def _changes(rows: pd.DataFrame) -> pd.DataFrame:
    """Consecutive values of each scored thing, kept where they differ (or first appear)."""
    out = []
    for form, (what, values) in VALUE.items():
        records = _records(rows, form)
        if records.empty:
            continue
        text = records[values].astype(object).map(_text)
        records = records.assign(
            ingested_at=rows["ingested_at"],
            what=records[what],
            value=text.agg(lambda r: " / ".join(v for v in r if v), axis=1),
        )
        records["assessor"] = records.get("assessor", pd.Series("", index=records.index))
        keys = ["year", "framework", "assessor", "what"]
        records["before"] = records.groupby(keys)["value"].shift()
        changed = records[records["before"] != records["value"]]
        out.append(changed.rename(columns={"value": "after"}))
    if not out:
        return pd.DataFrame(columns=HISTORY_COLUMNS)
    history = pd.concat(out, ignore_index=True)[HISTORY_COLUMNS]
    history["before"] = history["before"].fillna("")
    return history.sort_values(["ingested_at", "year", "what"], kind="stable").reset_index(
        drop=True
    )
