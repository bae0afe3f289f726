"""The explorer's widgets: the source and the problems, the three drop-downs, and the tabs,
each drawn when it is first looked at after a choice changes."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import ipywidgets as widgets
from IPython.display import display
from markupsafe import Markup

from evalkit.core.i18n import bilingual, msg, pmsg
from evalkit.core.page import stylesheet
from evalkit.report.display import Html, note, section
from evalkit.report.explore import downloads, views
from evalkit.report.explore.whatif_panel import WhatIfPanel, guarded

if TYPE_CHECKING:
    from evalkit.report.explore.dashboard import Explorer

WIDE = widgets.Layout(width="36rem")
#: The explorer's look: the pages' Sarabun, and their tables, inside Voila or JupyterLab.
STYLE = """
.ek-explore, .ek-explore * {font-family: "Sarabun", sans-serif}
.ek-explore {--jp-widgets-horizontal-tab-width: 13rem}
.ek-explore .widget-tab > .lm-TabBar .lm-TabBar-tab {flex: 0 0 auto; max-width: none}
.ek-explore table {border-collapse: collapse; margin: .5rem 0}
.ek-explore th, .ek-explore td {padding: .25rem .5rem; border-bottom: 1px solid #d0d7de}
.ek-explore th {background: #f6f8fa}
.ek-explore .ek-note {color: #57606a}
.ek-explore .ek-marked, .ek-explore .ek-marked th, .ek-message, .ek-problems strong {color: #cf222e}
.ek-explore .ek-heat td {text-align: center; min-width: 3.5rem}
.ek-whatif-results {position: sticky; top: 0; align-self: flex-start; background: #fff}
.ek-whatif-results td, .ek-whatif-results th {font-size: .9rem}
.ek-explore .ek-download {display: inline-block; margin: .4rem 1rem .4rem 0; font-weight: bold}
"""
#: The tabs, in order: (title, what renders it).
TABS = (
    bilingual(pmsg("tab", "scores")),
    bilingual(pmsg("tab", "panel")),
    bilingual(pmsg("tab", "feedback")),
    bilingual(pmsg("tab", "compare")),
    bilingual(pmsg("tab", "what-if")),
    bilingual(pmsg("tab", "download")),
)

#: The what-if's and the downloads' tabs, drawn as widgets rather than from the views.
WHATIF = TABS.index(bilingual(pmsg("tab", "what-if")))
DOWNLOAD = TABS.index(bilingual(pmsg("tab", "download")))


def fonts() -> Html:
    """The pages' Sarabun faces and the explorer's styles, as one style element."""
    faces = "\n".join(line for line in stylesheet().splitlines() if line.startswith("@font-face"))
    return section("explore", "styles", css=Markup(faces + STYLE))


class Dashboard:
    """The explorer's widgets (``.widget``) over an :class:`Explorer`."""

    def __init__(self, explorer: Explorer):
        self.explorer = explorer
        self.header = widgets.HTML()
        self.problems = widgets.HTML()
        self.framework = widgets.Dropdown(description=bilingual(msg("framework")), layout=WIDE)
        self.year = widgets.Dropdown(description=bilingual(msg("year")))
        self.agency = widgets.Dropdown(description=bilingual(msg("agency")), layout=WIDE)
        for box, name in (
            (self.framework, "framework"),
            (self.year, "year"),
            (self.agency, "agency"),
        ):
            box.add_class(f"ek-choose-{name}")
            box.style.description_width = "9rem"
        self.reload = widgets.Button(
            description=bilingual(msg("reload")), layout=widgets.Layout(width="auto")
        )
        self.reload.add_class("ek-reload")
        self.message = widgets.HTML()
        self.outputs = [widgets.Output() for _ in TABS]
        self.tabs = widgets.Tab(children=self.outputs, titles=TABS)
        self.stale = set(range(len(TABS)))
        self._quiet = False
        self.panel: WhatIfPanel | None = None
        self.widget = widgets.VBox(
            [
                widgets.HTML(fonts().body),
                widgets.HTML(section("explore", "title").body),
                self.header,
                self.problems,
                widgets.HBox([self.framework, self.year]),
                widgets.HBox([self.agency, self.reload]),
                self.message,
                self.tabs,
            ]
        )
        self.widget.add_class("ek-explore")
        say = guarded(self._say)
        self.framework.observe(say(self._follow), names="value")
        self.year.observe(say(self._follow), names="value")
        self.agency.observe(say(self._chosen), names="value")
        self.tabs.observe(say(self._tab), names="selected_index")
        self.reload.on_click(say(self._reload))
        self._fill()

    def _say(self, text: str) -> None:
        self.message.value = section("explore", "message", text=text).body

    def _fill(self) -> None:
        """The header, the problems and the drop-downs from the explorer's data."""
        project = self.explorer.project
        self.header.value = views.source_note(project).body
        self.header.value += views.skipped_note(project.sheets.skipped).body
        self.problems.value = views.problem_list(project.problems).body
        first = self.explorer.first()
        if first is None:
            none = bilingual(msg("no usable scores"))
            first_fix = msg("fix the problems above first").render("th")
            self.header.value += note(f"{none}: {first_fix}").body
            return
        framework, year, agency_id = first
        self._quiet = True
        try:
            self.framework.options = sorted(self.explorer.units["framework"].unique())
            self.framework.value = framework
            choices = self.explorer.choices(framework, year)
            self.year.options, self.year.value = choices["years"], year
            self.agency.options, self.agency.value = choices["agencies"], agency_id
        finally:
            self._quiet = False
        self._chosen()

    def _follow(self, change: Any = None) -> None:
        """Keep the years and agencies those of the chosen framework and year."""
        if self._quiet:
            return
        choices = self.explorer.choices(self.framework.value, self.year.value)
        self._quiet = True
        try:
            if list(self.year.options) != choices["years"]:
                self.year.options = choices["years"]
                self.year.value = choices["years"][-1]
            kept = self.agency.value
            self.agency.options = choices["agencies"]
            ids = [a for _, a in choices["agencies"]]
            self.agency.value = kept if kept in ids else ids[0]
        finally:
            self._quiet = False
        self._chosen()

    def _chosen(self, change: Any = None) -> None:
        if self._quiet or self.agency.value is None:
            return
        self.message.value = ""
        self.panel = None
        self.stale = set(range(len(TABS)))
        self._tab()

    def _tab(self, change: Any = None) -> None:
        index = self.tabs.selected_index or 0
        if index not in self.stale:
            return
        self.stale.discard(index)
        out = self.outputs[index]
        choice = (self.framework.value, int(self.year.value), self.agency.value)
        out.clear_output(wait=True)
        with out:
            if index == WHATIF:
                self.panel = WhatIfPanel(self.explorer.whatif(*choice))
                display(self.panel.widget)
            elif index == DOWNLOAD:
                display(self._downloads(*choice))
            else:
                for part in self.explorer.view(index, *choice):
                    display(part)

    def _reload(self, _: Any = None) -> None:
        self.explorer.load()
        self._fill()

    def _downloads(self, framework: str, year: int, agency_id: str) -> widgets.Widget:
        """Buttons that make each file and show its link."""
        links = widgets.HTML()
        name = f"{agency_id}-{framework}-{year}"

        def make(kind: str) -> None:
            if kind == "page":
                data = self.explorer.page(framework, year, agency_id)
                shown = downloads.link(data, f"{name}.html", "text/html", f"{name}.html")
            elif kind == "pdf":
                data = self.explorer.pdf(framework, year, agency_id)
                shown = downloads.link(data, f"{name}.pdf", "application/pdf", f"{name}.pdf")
            else:
                current = self.panel or WhatIfPanel(
                    self.explorer.whatif(framework, year, agency_id)
                )
                data = downloads.whatif_bytes(current.whatif, current.scenario, current.outcome)
                shown = downloads.link(
                    data, f"{name}-what-if.xlsx", downloads.XLSX, f"{name}-what-if.xlsx"
                )
            links.value = shown.body

        buttons = []
        for kind, label in (
            ("page", bilingual(msg("page, HTML"))),
            ("pdf", bilingual(msg("A4"))),
            ("xlsx", bilingual(msg("what-if, XLSX"))),
        ):
            button = widgets.Button(description=label, layout=widgets.Layout(width="auto"))
            button.add_class(f"ek-make-{kind}")
            button.on_click(guarded(self._say)(lambda _, k=kind: make(k)))
            buttons.append(button)
        press = bilingual(msg("press a button to make the file, then its link to download it"))
        uses = msg("The what-if file uses the values set in the what-if tab.").render("th")
        lead = note(f"{press}. {uses}")
        return widgets.VBox([widgets.HTML(lead.body), widgets.HBox(buttons), links])
