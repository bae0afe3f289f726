"""What a process that renders many reports loads once, before the first: the report
modules, the packaged frameworks, the deprivation dimensions, the compiled page templates,
Sarabun and the chart renderer. The report processes of ``evalkit run`` run :func:`warm_up`
when they start (or their template does, before forking them), so that the first report of
each is as quick as the others. A process that forks each report runs :func:`warm_for` before
each fork, so that the sheets a report reads are read once for the reports after it."""

from __future__ import annotations

from collections.abc import Mapping
from contextlib import suppress
from pathlib import Path
from typing import Any

# the notebooks' own modules, and what their first report loads, imported here so that every
# report process has them loaded (matplotlib.style: by rcdefaults, before each report)
import matplotlib.style
import pandas as pd

import evalkit.report.agency
import evalkit.report.portfolio  # noqa: F401
from evalkit.analysis.dimensions import editions
from evalkit.core.i18n import bilingual, msg
from evalkit.core.templates import environment
from evalkit.frameworks.registry import Registry
from evalkit.report.charts import item_bar_chart
from evalkit.report.sources import scored, sheets_read

__all__ = ["warm_for", "warm_up"]


def _compile_templates() -> None:
    """Every page template compiled, as the first report would compile those it shows."""
    env = environment()
    for name in env.list_templates(extensions=["j2"]):
        env.get_template(name)


def warm_up() -> None:
    """Load the packaged frameworks and the dimensions, compile the templates, format a
    table as a page shows one and draw one small chart with Thai and Latin text (the first
    item of a packaged framework)."""
    item = next(iter(Registry())).items[0]
    editions()
    _compile_templates()
    items = pd.DataFrame({"key": [item.key], "name_th": [item.name_th], "percent": [50.0]})
    items.to_html()
    items.to_dict("records")
    items.set_index(["key", "name_th"])["percent"].unstack()
    matplotlib.style.available  # noqa: B018 (loaded)
    item_bar_chart(items, bilingual(msg("percent"))).png()


def _absolute(values: Any) -> bool:
    """Whether ``values`` is a non-empty list of absolute paths."""
    return (
        isinstance(values, list)
        and bool(values)
        and all(isinstance(v, str) and Path(v).is_absolute() for v in values)
    )


def warm_for(parameters: Mapping[str, Any]) -> bool:
    """Read and score the sheets that a report's ``parameters`` name (``data``,
    ``frameworks_dir``, ``consensus``), as its :func:`evalkit.report.sources.scored` will:
    the reports forked from this process afterwards find them read while the files are
    unchanged. Only absolute paths, which name the same files from any folder; sheets that
    cannot be read leave nothing behind (the report itself says why). Whether sheets were
    read (rather than found read already)."""
    data: Any = parameters.get("data")
    folders = parameters.get("frameworks_dir")
    listed = [folders] if isinstance(folders, str) else folders
    if not _absolute(data) or not (folders is None or _absolute(listed)):
        return False
    read = sheets_read()
    with suppress(Exception):
        scored(data, folders, parameters.get("consensus"))
    return sheets_read() > read
