"""The bundled sample province: Trat's provincial agencies that presented processes for the
PMQA category-2 assessment of 2564, and one illustrative assessment for every other framework
(:mod:`evalkit.exports.sample_instruments`). The agencies are real (``sample_data/pmqa.yaml``);
every score is invented.

``python -m evalkit.exports.sample data/sample/trat`` regenerates the committed files; a test checks
that the committed files are exactly what this module writes.
"""

from __future__ import annotations

import random
import sys
from collections.abc import Sequence
from pathlib import Path

import pandas as pd
from pythainlp.util import arabic_digit_to_thai_digit

from evalkit.exports.sample_consensus import pmqa_consensus, status_consensus, write_consensus
from evalkit.exports.sample_data import sample_data
from evalkit.exports.sample_instruments import ASSESSORS, NOTICE, write_instruments
from evalkit.exports.spreadsheet import Sheet, write_csv, write_xlsx
from evalkit.frameworks.model import Framework
from evalkit.frameworks.registry import Registry
from evalkit.sheets.columns import THAI_HEADERS
from evalkit.sheets.forms import get_form
from evalkit.sheets.load import load_sheets

#: (agency id, agency name, process presented in 2564) from the provincial release.
TRAT_AGENCIES: tuple[tuple[str, str, str], ...] = tuple(
    (agency_id, agency["name"], agency["process"])
    for agency_id, agency in sample_data("pmqa")["agencies"].items()
)
YEARS = (2562, 2563, 2564, 2565)
#: The columns of a band sheet with the Thai headers of evalkit's own templates.
THAI_HEADER = {
    column: THAI_HEADERS[column]
    for column in ("agency_id", "agency_name", "year", "framework", "assessor", "item", "percent")
}


def make_scores(
    framework: Framework,
    agencies: Sequence[tuple[str, str]],
    years: Sequence[int],
    assessors: Sequence[str],
    seed: int = 2564,
) -> pd.DataFrame:
    """Plausible band-sheet rows: each agency has a level and a trend, each assessor a bias."""
    rng = random.Random(seed)
    rows = []
    for agency_id, agency_name in agencies:
        level, trend = rng.uniform(30, 60), rng.uniform(0, 6)
        item_bias = {item.key: rng.uniform(-12, 12) for item in framework.items}
        for n, year in enumerate(years):
            for assessor in assessors:
                bias = rng.choice((-5, 0, 0, 5))
                for item in framework.items:
                    raw = level + trend * n + item_bias[item.key] + bias + rng.gauss(0, 4)
                    percent = min(100, max(0, 5 * round(raw / 5)))
                    rows.append(
                        (agency_id, agency_name, year, framework.id, assessor, item.key, percent)
                    )
    return pd.DataFrame(rows, columns=list(THAI_HEADER))


def _disagree_and_self_assess(scores: pd.DataFrame) -> pd.DataFrame:
    """In the last year, one assessor sees item 4.2 of every third agency very differently,
    and every agency adds its own self-assessment (assessor ``self``), a little optimistic."""
    last = scores["year"] == YEARS[-1]
    agencies = [a[0] for a in TRAT_AGENCIES[1::3]]
    odd = (
        last
        & scores["agency_id"].isin(agencies)
        & (scores["item"] == "4.2")
        & (scores["assessor"] == ASSESSORS[-1])
    )
    scores.loc[odd, "percent"] = (scores.loc[odd, "percent"] + 35).clip(upper=100)
    own = scores[last & (scores["assessor"] == ASSESSORS[0])].assign(assessor="self")
    own["percent"] = (own["percent"] + 10).clip(upper=100)
    return pd.concat([scores, own], ignore_index=True)


def write_trat_sample(folder: str | Path, poverty_folder: str | Path | None = None) -> list[Path]:
    """Write one sheet per year and assessor, in the forms evaluators really send, then the
    other instruments' sheets (:func:`~evalkit.exports.sample_instruments.write_instruments`).

    2562-2563: CSV with English headers; 2564: CSV with Thai headers and Thai-digit years;
    2565: XLSX with Thai headers and common-era years, and the agencies' self-assessment as
    CSV; the committee's stage of 2565, and of the status assessment, as CSV
    (:mod:`~evalkit.exports.sample_consensus`). Each file opens with the notice row. The
    sample household file goes to
    ``poverty_folder`` (by default ``poverty`` beside ``folder``).
    """
    folder = Path(folder)
    framework = Registry().get("pmqa-2562")
    scores = make_scores(framework, [a[:2] for a in TRAT_AGENCIES], YEARS, ASSESSORS)
    scores = _disagree_and_self_assess(scores)
    title, written = get_form("band").sheet_th, []
    for (year, assessor), sheet in scores.groupby(["year", "assessor"], sort=True):
        number = assessor.split()[-1]
        own = assessor == "self"
        if year >= 2564:
            sheet = sheet.rename(columns=THAI_HEADER)
        if year == 2564:
            sheet[THAI_HEADER["year"]] = arabic_digit_to_thai_digit(str(year))
        kind = "xlsx" if year == 2565 and not own else "csv"
        name = "self-assessment" if own else f"assessor-{number}"
        path = folder / f"pmqa-2562_{year}_{name}.{kind}"
        if kind == "xlsx":
            sheet[THAI_HEADER["year"]] = year - 543
            write_xlsx([Sheet(title, sheet, above=(NOTICE, ""), input=True)], path, "sample")
        else:
            write_csv(Sheet(title, sheet, above=(NOTICE,)), path)
        written.append(path)
    written += write_instruments(folder, poverty_folder or folder.parent / "poverty")
    agreed = pmqa_consensus(scores, framework.bands)
    written.append(write_consensus(agreed, folder / "pmqa-2562_2565_consensus.csv"))
    status = load_sheets([p for p in written if p.name.startswith("pmqa40-status_2564_assessor")])
    checks = status.checks.astype({"agency_id": str, "agency_name": str, "item": str})
    path = folder / "pmqa40-status_2564_consensus.csv"
    return [*written, write_consensus(status_consensus(checks), path)]


if __name__ == "__main__":
    for written_path in write_trat_sample(sys.argv[1] if len(sys.argv) > 1 else "data/sample/trat"):
        print(written_path)
