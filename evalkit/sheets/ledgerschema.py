"""The ledger's tables, what owns a stored row, and the migration of a ledger written by an
earlier evalkit.

A row is owned by its form, agency, year, framework, assessor and **stage**: each assessor's
independent rows, the committee's rows of the meeting (``consensus``) and those of the site
visit live side by side, and a newer file replaces the rows of its own owners only. A row of
the committee that holds its agreed comments alone (no value, its stage left empty when read)
belongs to the first agreed stage its file gives a value of, for its agency, year and
framework: a meeting workbook's comments go with the meeting's values, a site-visit file's
with the site visit's (``consensus`` where the file agrees no value).

Version 1 ledgers (and version 0, before the version was recorded) keyed rows without the
stage, so a site-visit file superseded the meeting's rows. :func:`migrate` adds the stage to
every stored row, restores the rows a file of another stage had superseded (each is then
superseded by the first later ingest of its own stage, or by none), and stamps the version,
in one transaction: a migration that fails leaves the file as it was.
"""

from __future__ import annotations

import json
import sqlite3

import pandas as pd

from evalkit.sheets.assessors import CONSENSUS as COMMITTEE
from evalkit.sheets.assessors import named
from evalkit.sheets.stages import AGREED, CONSENSUS, INDEPENDENT, STAGES

TABLES = """
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
    superseded_by INTEGER REFERENCES ingests(id),
    stage TEXT NOT NULL DEFAULT 'independent'
);
"""
INDEX = (
    "DROP INDEX IF EXISTS rows_by_owner",
    "CREATE INDEX rows_by_owner "
    "ON rows (agency_id, year, framework, assessor, form, stage, superseded_by)",
)
#: What owns a stored row: a newer file's rows supersede the older rows of their owners.
OWNER = ["form", "agency_id", "year", "framework", "assessor", "stage"]
#: The version of the tables, stored in the file as ``PRAGMA user_version``.
SCHEMA_VERSION = 2
#: The stage (and superseding row) of every row that a version 1 ledger keyed without it.
_RESUPERSEDE = """
UPDATE rows SET superseded_by = (
    SELECT MIN(o.ingest_id) FROM rows o
    WHERE o.ingest_id >= rows.superseded_by AND o.form = rows.form
    AND o.agency_id = rows.agency_id AND o.year = rows.year AND o.framework = rows.framework
    AND o.assessor = rows.assessor AND o.stage = rows.stage
) WHERE superseded_by IS NOT NULL
"""


def row_stages(rows: pd.DataFrame, group: str) -> pd.Series:
    """The stage that owns each row (``rows``: ``stage``, ``assessor``, ``agency_id``,
    ``year``, ``framework`` and ``group``, the file it came from): a row's own stage, the
    committee's comments-only rows that of their file's first agreed stage."""
    stage = rows["stage"].astype(object).fillna("").astype(str)
    committee = pd.Series(named(rows["assessor"].astype(str), COMMITTEE), index=rows.index)
    comments = committee & ~stage.isin(AGREED)
    if not comments.any():
        return stage.where(stage.isin(STAGES), INDEPENDENT)
    keys = [rows[c].astype(str) for c in (group, "agency_id", "year", "framework")]
    first = stage.map(STAGES).where(stage.isin(AGREED)).groupby(keys).transform("min")
    by_rank = {n: s for s, n in STAGES.items()}
    shared = first.map(by_rank).fillna(CONSENSUS)
    return stage.where(~comments, shared).where(lambda s: s.isin(STAGES), INDEPENDENT)


def create(db: sqlite3.Connection) -> None:
    """The tables of a new ledger, stamped with :data:`SCHEMA_VERSION`, in one transaction
    (another evalkit creating the same ledger at once waits, then finds them made)."""
    db.executescript(
        f"BEGIN IMMEDIATE;{TABLES}{';'.join(INDEX)};PRAGMA user_version = {SCHEMA_VERSION};COMMIT;"
    )


def migrate(db: sqlite3.Connection) -> None:
    """Bring a version 0 or 1 ledger to :data:`SCHEMA_VERSION`, in one transaction (another
    evalkit that migrated it first leaves nothing to do)."""
    db.execute("BEGIN IMMEDIATE")
    try:
        if int(db.execute("PRAGMA user_version").fetchone()[0]) >= SCHEMA_VERSION:
            db.execute("COMMIT")
            return
        columns = {row[1] for row in db.execute("PRAGMA table_info(rows)")}
        if "stage" not in columns:
            db.execute("ALTER TABLE rows ADD COLUMN stage TEXT NOT NULL DEFAULT 'independent'")
        stored = pd.read_sql_query(
            "SELECT id, ingest_id, agency_id, year, framework, assessor, data FROM rows", db
        )
        stored["stage"] = [_stored_stage(d) for d in stored["data"]]
        stored["stage"] = row_stages(stored, "ingest_id")
        db.executemany(
            "UPDATE rows SET stage = ? WHERE id = ?",
            zip(stored["stage"], stored["id"].astype(int), strict=True),
        )
        for statement in INDEX:
            db.execute(statement)
        db.execute(_RESUPERSEDE)
        db.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
        db.execute("COMMIT")
    except BaseException:
        if db.in_transaction:
            db.execute("ROLLBACK")
        raise


def _stored_stage(data: object) -> str:
    """The stage in a stored row's data (empty when it has none or cannot be read: such a
    row is set aside when the ledger is read)."""
    try:
        record = json.loads(str(data))
    except ValueError:
        return ""
    stage = record.get("stage") if isinstance(record, dict) else None
    return str(stage) if stage else ""
