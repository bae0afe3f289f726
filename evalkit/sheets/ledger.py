"""The ledger: every validated row ever ingested, with where it came from, in one SQLite file.

SQLite comes with Python, keeps the whole ledger in one file that can be copied or backed up
as it is, and makes each ingest a single transaction: a run that is killed half-way leaves
the ledger exactly as it was. (DuckDB would scan faster, but these tables hold thousands of
rows, not billions, and it would be one more dependency to install.)

- Ingesting a file whose bytes were ingested before changes nothing.
- Rows for the same agency, year, framework, assessor and stage from a newer file supersede
  the older rows; the older rows stay, marked with the ingest that replaced them. Nothing is
  ever deleted, so :meth:`Ledger.history` can show what changed and when. The committee's
  rows of the meeting and of the site visit, and each assessor's own, are kept side by side
  (:mod:`evalkit.sheets.ledgerschema`): which value counts is the precedence's choice.
- The file records its schema version (``PRAGMA user_version``,
  :data:`~evalkit.sheets.ledgerschema.SCHEMA_VERSION`); a ledger written by a newer evalkit
  is refused rather than misread, one written by an earlier one is migrated when opened.
- A second writer (another ``evalkit ingest``) waits up to ``busy_timeout`` seconds for the
  first to finish, then gives up with a :class:`~evalkit.core.errors.LedgerError` that says
  so. Every other SQLite failure (not a database, a damaged file, a read-only folder) is a
  LedgerError with one sentence too.
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from pathlib import Path

import pandas as pd

from evalkit.core.errors import InvalidInputError, LedgerError
from evalkit.core.i18n import msg
from evalkit.frameworks.registry import Registry
from evalkit.sheets.history import HISTORY_COLUMNS, changes
from evalkit.sheets.ledgerfile import DAMAGED, NOT_A_LEDGER, check_header, regular_or_missing
from evalkit.sheets.ledgerschema import OWNER, SCHEMA_VERSION, create, migrate, row_stages
from evalkit.sheets.sheetset import SheetSet
from evalkit.sheets.skipped import Skipped
from evalkit.sheets.validate import check_sheets

#: Seconds a writer waits for another to finish before giving up.
BUSY_TIMEOUT = 10.0


@dataclass(frozen=True)
class IngestResult:
    source_file: str
    sha256: str
    status: str  # "ingested" or "unchanged"
    rows: int
    superseded: int
    #: what reading the file left aside, and why
    skipped: tuple[Skipped, ...] = ()


def file_hash(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


class Ledger:
    """One ledger file. Use :meth:`open` to create it when missing."""

    def __init__(self, path: str | Path, busy_timeout: float = BUSY_TIMEOUT, create: bool = True):
        self.path = Path(path)
        self.create = create
        self.busy_timeout = busy_timeout
        regular_or_missing(self.path)
        check_header(self.path)
        with self._guard():
            self.db = sqlite3.connect(self.path, isolation_level=None, timeout=busy_timeout)
        try:
            with self._guard():
                self._prepare()
        except LedgerError:
            self.db.close()
            raise

    @contextmanager
    def _guard(self) -> Iterator[None]:
        """SQLite's failures as one sentence each."""
        try:
            yield
        except (sqlite3.Error, pd.errors.DatabaseError) as exc:
            text = str(exc)
            if "locked" in text or "busy" in text:
                raise LedgerError(
                    msg(
                        "The ledger {path} is busy: another evalkit has been writing to it for "
                        "more than {seconds} seconds. Try again when it has finished.",
                        path=self.path,
                        seconds=f"{self.busy_timeout:g}",
                    )
                ) from None
            if "not a database" in text:
                raise LedgerError(NOT_A_LEDGER.of(self.path)) from None
            if "malformed" in text or "no such" in text or "corrupt" in text:
                raise LedgerError(DAMAGED.of(self.path, error=text)) from None
            raise LedgerError(
                msg("The ledger {path} cannot be used ({error}).", path=self.path, error=text)
            ) from None
        except (ValueError, KeyError, TypeError) as exc:  # rows whose stored data is damaged
            raise LedgerError(DAMAGED.of(self.path, error=exc)) from None

    def _prepare(self) -> None:
        """Create the tables of a new ledger; refuse one of another program or a newer
        evalkit."""
        version = int(self.db.execute("PRAGMA user_version").fetchone()[0])
        if version > SCHEMA_VERSION:
            raise LedgerError(
                msg(
                    "The ledger {path} was written by a newer evalkit (ledger version "
                    "{version}; this evalkit reads up to version {known}). Upgrade evalkit to "
                    "use it.",
                    path=self.path,
                    version=version,
                    known=SCHEMA_VERSION,
                )
            )
        tables = {
            name for (name,) in self.db.execute("SELECT name FROM sqlite_master WHERE type='table'")
        }
        if not tables and not self.create:
            raise LedgerError(
                msg(
                    "{path} is empty, not an evalkit ledger; create one with `evalkit ingest`.",
                    path=self.path,
                )
            )
        if tables and not {"ingests", "rows"} <= tables:
            raise LedgerError(
                msg(
                    "{path} is an SQLite file but not an evalkit ledger (its tables are "
                    "{tables}); name another file.",
                    path=self.path,
                    tables=", ".join(sorted(tables)),
                )
            )
        if not tables:
            create(self.db)
        elif version < SCHEMA_VERSION:
            migrate(self.db)

    @classmethod
    def open_existing(cls, path: str | Path) -> Ledger:
        regular_or_missing(Path(path))
        if not Path(path).is_file():
            raise LedgerError(
                msg("No ledger at {path}; create one with `evalkit ingest`.", path=path)
            )
        return cls(path, create=False)

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
        batch: list[int] = []
        with self._guard():
            self.db.execute("BEGIN IMMEDIATE")
            try:
                for path in files:
                    mine = rows[rows["source_file"] == str(path)]
                    result = self._ingest_file(path, mine, batch)
                    aside = tuple(s for s in sheets.skipped if s.file == str(path))
                    results.append(replace(result, skipped=aside))
                self.db.execute("COMMIT")
            except BaseException:
                if self.db.in_transaction:
                    self.db.execute("ROLLBACK")
                raise
        return results

    def _ingest_file(self, path: Path, rows: pd.DataFrame, batch: list[int]) -> IngestResult:
        """Store one file's rows; they supersede the rows of the same owners stored before
        this call (``batch``: the ingests of this call so far), never those of this call."""
        digest = file_hash(path)
        if self.db.execute("SELECT 1 FROM ingests WHERE sha256 = ?", (digest,)).fetchone():
            return IngestResult(str(path), digest, "unchanged", 0, 0)
        now = datetime.now(UTC).isoformat(timespec="seconds")
        ingest_id = self.db.execute(
            "INSERT INTO ingests (source_file, sha256, ingested_at, rows) VALUES (?, ?, ?, ?)",
            (str(path), digest, now, len(rows)),
        ).lastrowid
        owners = rows[OWNER].drop_duplicates().itertuples(index=False)
        earlier = ",".join(str(i) for i in batch) or "-1"
        superseded = sum(
            self.db.execute(
                "UPDATE rows SET superseded_by = ? WHERE superseded_by IS NULL AND form = ? AND "
                "agency_id = ? AND year = ? AND framework = ? AND assessor = ? AND stage = ? AND "
                f"ingest_id NOT IN ({earlier})",
                (ingest_id, *owner),
            ).rowcount
            for owner in owners
        )
        batch.append(int(ingest_id or 0))
        self.db.executemany(
            "INSERT INTO rows (ingest_id, form, agency_id, year, framework, assessor, stage, "
            "data) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
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

    def stored(self) -> pd.DataFrame:
        """The rows no later ingest has superseded, as stored (their data as JSON text)."""
        with self._guard():
            return self._rows("WHERE r.superseded_by IS NULL")

    def current(self, registry: Registry | None = None) -> SheetSet:
        """The rows no later ingest has superseded, checked as sheets are against the
        frameworks of ``registry``: a row that cannot be read or that the checks refuse is
        set aside (``skipped``)."""
        sheets, _ = check_sheets([self.path], registry, read_ledger=lambda _: self.stored())
        return sheets

    def history(self, agency_id: str) -> pd.DataFrame:
        """Every value an agency's rows ever had: one row per change, oldest first."""
        with self._guard():
            rows = self._rows("WHERE r.agency_id = ?", (agency_id,))
            if rows.empty:
                return pd.DataFrame(columns=HISTORY_COLUMNS)
            return changes(rows)


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
        owner["stage"] = row_stages(owner.assign(source_file=frame["source_file"]), "source_file")
        parts.append(owner.assign(form=form, data=data, source_file=frame["source_file"]))
    return (
        pd.concat(parts, ignore_index=True)
        if parts
        else pd.DataFrame(columns=[*OWNER, "data", "source_file"])
    )
