"""Shared builders and paths for the tests: import them with ``from helpers import ...``."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
GOLDEN = ROOT / "tests" / "golden"
SAMPLE = ROOT / "data" / "sample" / "trat"

BAND_HEADER = "agency_id,agency_name,year,framework,assessor,item,percent\n"


def read_golden(path: Path) -> pd.DataFrame:
    return pd.read_csv(path, comment="#", dtype={"key": str, "year": "Int64"})
