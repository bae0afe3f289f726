"""What every section mixin of :class:`evalkit.report.agency.AgencyReport` may read: one
agency's scores in one framework and year, set by the report's constructor."""

from __future__ import annotations

import pandas as pd

from evalkit.frameworks.model import Framework
from evalkit.frameworks.registry import Registry
from evalkit.sheets.sheetset import SheetSet


class ReportState:
    framework: Framework
    registry: Registry
    sheets: SheetSet
    current: pd.DataFrame
    history: pd.DataFrame
    agency_id: str
    year: int
