from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from evalkit import Registry

ROOT = Path(__file__).resolve().parents[1]
GOLDEN = ROOT / "tests" / "golden"
SAMPLE = ROOT / "data" / "sample" / "trat"

BAND_HEADER = "agency_id,agency_name,year,framework,assessor,item,percent\n"


@pytest.fixture
def registry() -> Registry:
    """Packaged frameworks plus the hand-checked test framework ``golden-mini``."""
    return Registry([GOLDEN / "frameworks"])


@pytest.fixture
def write_sheet(tmp_path: Path):
    """Write text to a sheet file under tmp_path and return its path."""

    def write(text: str, name: str = "sheet.csv", encoding: str = "utf-8") -> Path:
        path = tmp_path / name
        path.write_bytes(text.encode(encoding))
        return path

    return write


def read_golden(path: Path) -> pd.DataFrame:
    return pd.read_csv(path, comment="#", dtype={"key": str, "year": "Int64"})
