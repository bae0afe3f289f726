"""The rows a page reads, by content: what decides whether a page must be rendered again.

An agency's page reads the rows of its agency (every year of them: its trend charts), and a
portfolio page the rows of its framework and year, whichever agencies they belong to. Each
slice is hashed from the validated rows of every form, without the columns that only say
where a row was (its file, sheet and row number): changing one agency's row changes the
digest of that agency and of the portfolios its row belongs to, and no other; moving rows
within a file or into another file changes none. Categories hash by their values, so a new
agency elsewhere in the sheet leaves the others' digests as they were.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # pandas is loaded when rows are digested, not when a digest is read
    import pandas as pd

    from evalkit.sheets.sheetset import SheetSet

#: the columns that say where a row was read, not what it says
WHERE_READ = ("source_file", "source_sheet", "source_row")


@dataclass(frozen=True)
class RowDigests:
    """The digest of each agency's rows, and of each framework and year's rows."""

    agencies: dict[str, str]
    portfolios: dict[tuple[str, int], str]

    def agency(self, agency_id: str) -> str:
        return self.agencies.get(agency_id, _digest([]))

    def portfolio(self, framework: str, year: int) -> str:
        return self.portfolios.get((framework, year), _digest([]))


def _digest(parts: list[bytes]) -> str:
    digest = hashlib.sha256()
    for part in parts:
        digest.update(part)
    return digest.hexdigest()


def _row_hashes(sheets: SheetSet) -> pd.DataFrame:
    """One line per row of every form: its agency, framework, year, form and content hash."""
    import numpy as np
    import pandas as pd

    parts = []
    for number, frame in enumerate(sheets.frames().values()):
        if frame.empty:
            continue
        content = frame[[c for c in frame.columns if c not in WHERE_READ]]
        hashed = pd.util.hash_pandas_object(content, index=False).to_numpy(dtype=np.uint64)
        parts.append(
            pd.DataFrame(
                {
                    "agency_id": frame["agency_id"].astype(str).to_numpy(),
                    "framework": frame["framework"].astype(str).to_numpy(),
                    "year": frame["year"].astype(int).to_numpy(),
                    "form": np.full(len(frame), number, dtype=np.uint64),
                    "hash": hashed,
                }
            )
        )
    if not parts:
        return pd.DataFrame(columns=["agency_id", "framework", "year", "form", "hash"])
    return pd.concat(parts, ignore_index=True)


def _by(table: pd.DataFrame, keys: list[str]) -> dict[tuple[Any, ...], str]:
    """The digest of each group's rows, whatever their order (form, then content hash)."""
    import numpy as np

    ordered = table.sort_values([*keys, "form", "hash"], kind="stable", ignore_index=True)
    if ordered.empty:
        return {}
    groups = ordered[keys]
    starts = np.flatnonzero((groups != groups.shift()).any(axis=1).to_numpy())
    ends = [*starts[1:], len(ordered)]
    pairs = np.ascontiguousarray(ordered[["form", "hash"]].to_numpy(dtype=np.uint64))
    firsts = groups.iloc[starts].itertuples(index=False, name=None)
    return {
        tuple(key): _digest([pairs[start:end].tobytes()])
        for key, start, end in zip(firsts, starts, ends, strict=True)
    }


def row_digests(sheets: SheetSet) -> RowDigests:
    """The digests of the slices of ``sheets`` that pages read."""
    table = _row_hashes(sheets)
    agencies = {str(k[0]): v for k, v in _by(table, ["agency_id"]).items()}
    by_year = _by(table, ["framework", "year"])
    portfolios = {(str(k[0]), int(k[1])): v for k, v in by_year.items()}
    return RowDigests(agencies, portfolios)
