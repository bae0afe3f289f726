"""Interactive exploration in JupyterLab: pick framework, year and agency from drop-downs and
see the scores, the assessors' heat map and the what-if table change.

Run top to bottom without a person (papermill, the test suite), the drop-downs simply start
at the notebook's parameters and the first view is rendered for those.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

from IPython.display import display

from evalkit.report.agency import AgencyReport
from evalkit.report.sources import FrameworkFolders, scored


class Explorer:
    """Drop-downs over every framework, year and agency in the data, and the report below."""

    def __init__(
        self,
        data: Sequence[str | Path],
        framework: str | None = None,
        year: int | None = None,
        agency_id: str | None = None,
        frameworks_dir: FrameworkFolders = None,
    ):
        self.data, self.frameworks_dir = list(data), frameworks_dir
        found = scored(self.data, frameworks_dir)
        self.units = found.sheets.agencies().astype({"framework": str, "agency_id": str})
        first = self.units.iloc[0]
        self.framework = framework or str(first["framework"])
        self.year = int(year or self.units["year"].max())
        self.agency_id = agency_id or str(first["agency_id"])

    def choices(self, framework: str, year: int | None = None) -> dict[str, list[Any]]:
        """The years of a framework, and the agencies of a framework and year."""
        mine = self.units[self.units["framework"] == framework]
        years = sorted(int(y) for y in mine["year"].unique())
        at = mine[mine["year"] == (year if year in years else years[-1])]
        agencies = sorted(zip(at["agency_name"].astype(str), at["agency_id"], strict=True))
        return {"years": years, "agencies": agencies}

    def report(self, framework: str, year: int, agency_id: str) -> AgencyReport:
        return AgencyReport.load(self.data, agency_id, year, framework, self.frameworks_dir)

    def render(self, framework: str, year: int, agency_id: str) -> None:
        """Display the sections worth exploring for one agency and year."""
        report = self.report(framework, year, agency_id)
        for section in (
            report.summary(),
            report.category_table(),
            report.assessor_heatmap(),
            report.agreement_note(),
            report.what_if_table(),
        ):
            display(section)

    def show(self) -> Any:
        """The drop-downs and the view they drive, starting at the chosen values."""
        import ipywidgets as widgets

        frameworks = sorted(self.units["framework"].unique())
        choices = self.choices(self.framework, self.year)
        framework = widgets.Dropdown(options=frameworks, value=self.framework, description="เกณฑ์")
        year = widgets.Dropdown(options=choices["years"], value=self.year, description="ปี พ.ศ.")
        agency = widgets.Dropdown(
            options=choices["agencies"],
            value=self.agency_id,
            description="หน่วยงาน",
            layout=widgets.Layout(width="32rem"),
        )

        def follow(change: Any) -> None:  # keep the lists consistent with each other
            updated = self.choices(framework.value, year.value)
            year.options = updated["years"]
            agency.options = updated["agencies"]

        framework.observe(follow, names="value")
        year.observe(follow, names="value")
        view = widgets.interactive_output(
            self.render, {"framework": framework, "year": year, "agency_id": agency}
        )
        return widgets.VBox([widgets.HBox([framework, year]), agency, view])
