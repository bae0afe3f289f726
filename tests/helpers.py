"""Shared builders and paths for the tests: import them with ``from helpers import ...``."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
GOLDEN = ROOT / "tests" / "golden"
SAMPLE = ROOT / "data" / "sample" / "trat"

BAND_HEADER = "agency_id,agency_name,year,framework,assessor,item,percent\n"
#: A sheet with known comments per assessor and item (see tests/golden/feedback/README.md).
FEEDBACK = GOLDEN / "feedback" / "sheet.csv"


def item_section(html: str, key: str) -> str:
    """The HTML of one item of a feedback fragment or page (``<section id="fb-KEY">``)."""
    start = html.index(f'<section class="ek-fb-item" id="fb-{key}">')
    return html[start : html.index("</section>", start)]


def read_golden(path: Path) -> pd.DataFrame:
    return pd.read_csv(path, comment="#", dtype={"key": str, "year": "Int64"})
