"""What a process that renders many reports loads once, before the first: the report
modules, the packaged frameworks, Sarabun and the chart renderer. The report processes of
``evalkit run`` run :func:`warm_up` when they start (or their template does, before forking
them), so that the first report of each is as quick as the others."""

from __future__ import annotations

import pandas as pd

# the notebooks' own modules, imported here so that every report process has them loaded
import evalkit.report.agency
import evalkit.report.portfolio  # noqa: F401
from evalkit.core.i18n import bilingual, msg
from evalkit.frameworks.registry import Registry
from evalkit.report.charts import item_bar_chart

__all__ = ["warm_up"]


def warm_up() -> None:
    """Load the packaged frameworks and draw one small chart with Thai and Latin text (the
    first item of a packaged framework)."""
    item = next(iter(Registry())).items[0]
    items = pd.DataFrame({"key": [item.key], "name_th": [item.name_th], "percent": [50.0]})
    item_bar_chart(items, bilingual(msg("percent"))).png()
