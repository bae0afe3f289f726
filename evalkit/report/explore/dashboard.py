"""The explorer: pick a framework, year and agency from the project's own data, and see its
scores, panel, feedback and rules, the other agencies beside it, a live what-if, and files to
take away. The same notebook serves JupyterLab (``make lab``) and the browser (``evalkit
explore``, Voila, code hidden).

Run top to bottom without a person (papermill, the tests), the drop-downs start at the
notebook's parameters and the first view is rendered for those.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

from IPython.display import display

from evalkit.report.agency import AgencyReport
from evalkit.report.explore import downloads, views
from evalkit.report.explore.project import ProjectData, read_project
from evalkit.report.explore.whatif import WhatIf
from evalkit.report.portfolio import PortfolioReport

#: The first tabs: what the agency's page shows, in the page's own sections.
AGENCY_VIEWS = (views.scores_view, views.panel_view, views.feedback_view)


class Explorer:
    """The data of a project and what each view shows; :meth:`show` returns the widgets."""

    def __init__(
        self,
        project: str | Path | None = None,
        framework: str | None = None,
        year: int | None = None,
        agency_id: str | None = None,
        data: Sequence[str | Path] | None = None,
    ):
        self.project_arg, self.data = project, data
        self.start = (framework, year, agency_id)
        self.load()

    def load(self) -> None:
        """Read the project again (its files may have changed)."""
        self.project: ProjectData = read_project(self.project_arg, self.data)
        self.units = self.project.units()

    def first(self) -> tuple[str, int, str] | None:
        """Where the drop-downs start: the parameters when the data holds them, else the
        first framework, its latest year and its first agency."""
        if self.units.empty:
            return None
        asked, asked_year, asked_agency = self.start
        counts = self.units["framework"].value_counts()
        frameworks = sorted(map(str, counts.index), key=lambda f: (-counts[f], f))
        framework = asked if asked in frameworks else frameworks[0]  # else the most agencies
        years = self.choices(framework)["years"]
        year = int(asked_year) if asked_year is not None and asked_year in years else years[-1]
        agencies = [str(a) for _, a in self.choices(framework, year)["agencies"]]
        agency = asked_agency if asked_agency is not None and asked_agency in agencies else None
        return framework, year, agency or agencies[0]

    def choices(self, framework: str, year: int | None = None) -> dict[str, list[Any]]:
        """The years of a framework, and the agencies of a framework and year (name, id)."""
        mine = self.units[self.units["framework"] == framework]
        years = sorted(int(y) for y in mine["year"].unique())
        at = mine[mine["year"] == (year if year in years else years[-1])]
        agencies = sorted(
            (f"{n} ({a})", a) for n, a in zip(at["agency_name"], at["agency_id"], strict=True)
        )
        return {"years": years, "agencies": agencies}

    def report(self, framework: str, year: int, agency_id: str) -> AgencyReport:
        project, result = self.project, self.project.result
        return AgencyReport(
            result[result["agency_id"] == agency_id],
            project.registry.get(framework),
            agency_id,
            int(year),
            project.registry,
            project.sheets.where(agency_id=agency_id),
        )

    def portfolio(self, framework: str, year: int) -> PortfolioReport:
        registry = self.project.registry
        project = self.project
        return PortfolioReport(
            project.result, registry.get(framework), int(year), registry, project.sheets
        )

    def whatif(self, framework: str, year: int, agency_id: str) -> WhatIf:
        registry = self.project.registry
        return WhatIf(self.project.sheets, registry, registry.get(framework), agency_id, year)

    def view(self, tab: int, framework: str, year: int, agency_id: str) -> list[Any]:
        """What tab ``tab`` shows for the choice (the what-if and downloads are widgets)."""
        if tab == len(AGENCY_VIEWS):  # the tab after the agency's own: the comparison
            return views.compare_view(self.portfolio(framework, year))
        return AGENCY_VIEWS[tab](self.report(framework, year, agency_id))

    def render(self, framework: str, year: int, agency_id: str) -> None:
        """Display the agency's scores (what a run without a person shows)."""
        for part in self.view(0, framework, year, agency_id):
            display(part)

    def show(self) -> Any:
        """The explorer's widgets, starting at the chosen values."""
        from evalkit.report.explore.widgets import Dashboard

        return Dashboard(self).widget

    def page(self, framework: str, year: int, agency_id: str) -> bytes:
        return downloads.page_bytes(self._published(), self.report(framework, year, agency_id))

    def pdf(self, framework: str, year: int, agency_id: str) -> bytes:
        return downloads.pdf_bytes(self._published(), self.report(framework, year, agency_id))

    def _published(self) -> Path | None:
        return None if self.project.sample else self.project.folder
