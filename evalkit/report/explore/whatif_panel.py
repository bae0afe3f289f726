"""The what-if controls: one drop-down per item (its band or rating), or the unmet checks of an
item to tick; a target and a button that asks the library for the cheapest path to it and
applies it; the total and every rule's verdict before and after, updated at each change."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import ipywidgets as widgets

from evalkit.analysis.agreement import stepped_methods
from evalkit.core.errors import EvalkitError
from evalkit.core.i18n import bilingual, msg, pmsg
from evalkit.report.display import note, section, table
from evalkit.report.explore.views import whatif_view
from evalkit.report.explore.whatif import Outcome, Scenario, WhatIf, item_choices

CUSTOM = "custom"
LEAD = bilingual(
    msg(
        "change an item and watch the total and every rule change at once; scored as evalkit "
        "score scores"
    )
)
PATH_COLUMNS = {
    "step": bilingual(msg("step")),
    "item": bilingual(msg("item")),
    "level": bilingual(msg("level")),
    "check": bilingual(msg("check")),
    "from_percent": msg("from {percent}", percent="(%)").render("th"),
    "to_percent": msg("to {percent}", percent="(%)").render("th"),
    "gain": bilingual(pmsg("points gained", "points")),
    "total": bilingual(pmsg("points in all", "points")),
}


def target_options(targets: Any) -> list[tuple[str, Any]]:
    """The rules not met as choices of a target (label, (threshold, category or None)),
    then a total of one's own."""
    options: list[tuple[str, Any]] = []
    for rule in targets.itertuples(index=False):
        where = msg("total") if rule.key == "total" else msg("category {key}", key=rule.key)
        category = None if rule.level == "total" else str(rule.key)
        label = f"{rule.rule_name} ({where.render('th')}): {rule.threshold:,.2f}"
        options.append((label, (float(rule.threshold), category)))
    return [*options, (bilingual(msg("custom total points")), CUSTOM)]


def _unmet_in(item: str, count: int) -> str:
    """An item of the check chooser: its key and how many of its checks are not met."""
    return msg("item {item} ({count} checks not met)", item=item, count=count).render("th")


def guarded(show: Callable[[str], None]) -> Callable[[Callable[..., None]], Callable[..., None]]:
    """A widget callback that shows what went wrong as one sentence, never a traceback."""

    def wrap(function: Callable[..., None]) -> Callable[..., None]:
        def run(*args: Any) -> None:
            try:
                function(*args)
            except EvalkitError as exc:
                show(str(exc))
            except Exception as exc:
                show(f"{type(exc).__name__}: {exc}")

        return run

    return wrap


class WhatIfPanel:
    """The what-if of one agency-year, as widgets (``.widget``)."""

    def __init__(self, whatif: WhatIf):
        self.whatif, self.scenario = whatif, Scenario()
        self.start = whatif.current_values()
        self.outcome: Outcome = whatif.base
        self.result = widgets.HTML()
        self.message = widgets.HTML()
        self.path = widgets.HTML()
        self._quiet = False
        self.items: dict[str, widgets.Dropdown] = {}
        self.ticks: dict[str, widgets.Checkbox] = {}
        self.target = widgets.Dropdown(
            description=bilingual(pmsg("what-if", "target")), layout=widgets.Layout(width="34rem")
        )
        self.points = widgets.FloatText(
            description=bilingual(pmsg("total points", "points")),
            layout=widgets.Layout(width="16rem"),
        )
        for box in (self.target, self.points):
            box.style.description_width = "initial"
        self.widget = widgets.VBox(
            [
                widgets.HTML(note(LEAD).body),
                widgets.HBox([self.target, self.points]),
                self._buttons(),
                self.message,
                widgets.HBox(
                    [self._controls(), self._results()],
                    layout=widgets.Layout(flex_flow="row wrap", align_items="flex-start"),
                ),
            ]
        )
        self.widget.add_class("ek-whatif")
        self.refresh()

    def _controls(self) -> widgets.Widget:
        """A drop-down per item for bands and ratings, ticks for the checks of a checklist."""
        if stepped_methods(self.whatif.framework):
            return self._item_controls()
        if "gated-checklist" in self.whatif.framework.methods:
            return self._check_controls()
        return widgets.HTML(note(bilingual(msg("nothing to change")) + ".").body)

    def _buttons(self) -> widgets.Widget:
        """The cheapest path to the target, and back to the scores as they are."""
        find = widgets.Button(
            description=bilingual(msg("cheapest path")),
            button_style="primary",
            layout=widgets.Layout(width="auto"),
        )
        reset = widgets.Button(
            description=bilingual(msg("reset")), layout=widgets.Layout(width="auto")
        )
        find.add_class("ek-cheapest")
        reset.add_class("ek-reset")
        find.on_click(guarded(self._say)(self._cheapest))
        reset.on_click(guarded(self._say)(self._reset))
        return widgets.HBox([find, reset])

    def _results(self) -> widgets.Widget:
        """The total and the rules beside the controls, kept in sight while they scroll."""
        box = widgets.VBox(
            [self.result, self.path], layout=widgets.Layout(flex="1 1 30rem", min_width="24rem")
        )
        box.add_class("ek-whatif-results")
        return box

    # -- controls ---------------------------------------------------------------------------

    def _item_controls(self) -> widgets.Widget:
        framework = self.whatif.framework
        rows = []
        for key, value in self.start.items():
            options = item_choices(framework, key)
            if value not in [v for _, v in options]:
                options.append((f"{value:g}", value))
            box = widgets.Dropdown(
                options=options, value=value, layout=widgets.Layout(width="14rem")
            )
            box.add_class(f"ek-item-{key.replace('.', '-')}")
            box.observe(guarded(self._say)(self._item_changed(key)), names="value")
            self.items[key] = box
            name = framework.item(key).name_th
            rows.append(
                widgets.HBox(
                    [
                        widgets.HTML(
                            section("explore", "item_label", key=key, name=name).body,
                            layout=widgets.Layout(width="22rem"),
                        ),
                        box,
                    ]
                )
            )
        return widgets.VBox(rows)

    def _item_changed(self, key: str) -> Callable[[dict[str, Any]], None]:
        def changed(change: dict[str, Any]) -> None:
            if self._quiet:
                return
            value = change["new"]
            self.scenario = self.scenario.with_value(
                key, None if value == self.start[key] else value
            )
            self.refresh()

        return changed

    def _check_controls(self) -> widgets.Widget:
        unmet = self.whatif.verdicts()
        unmet = unmet[~unmet["met"]]
        items = list(dict.fromkeys(unmet["item"].astype(str)))
        chooser = widgets.Dropdown(
            options=[(_unmet_in(k, (unmet["item"] == k).sum()), k) for k in items],
            description=bilingual(msg("item")),
            layout=widgets.Layout(width="28rem"),
        )
        chooser.add_class("ek-check-item")
        for row in unmet.itertuples(index=False):
            tick = widgets.Checkbox(
                value=False,
                description=f"{row.check} [{row.level}] {row.text_th}",
                indent=False,
                layout=widgets.Layout(width="100%"),
            )
            tick.add_class(f"ek-check-{str(row.check).replace('.', '-')}")
            tick.observe(guarded(self._say)(self._ticked), names="value")
            self.ticks[str(row.check)] = tick
        shown = widgets.VBox()

        def pick(change: Any = None) -> None:
            key = chooser.value
            shown.children = [self.ticks[str(c)] for c in unmet.loc[unmet["item"] == key, "check"]]

        chooser.observe(pick, names="value")
        pick()
        note_text = bilingual(msg("tick the checks to meet") if items else msg("every check met"))
        return widgets.VBox([widgets.HTML(note(note_text).body), chooser, shown])

    def _ticked(self, change: Any) -> None:
        if self._quiet:
            return
        checks = frozenset(k for k, t in self.ticks.items() if t.value)
        self.scenario = self.scenario.with_checks(checks, frozenset(self.ticks))
        self.refresh()

    # -- results ----------------------------------------------------------------------------

    def _say(self, text: str) -> None:
        self.message.value = section("explore", "message", text=text).body

    def changes(self) -> list[str]:
        labels = {
            k: dict((v, t) for t, v in item_choices(self.whatif.framework, k))
            for k in self.scenario.values
        }
        moved = [f"{k}: {labels[k].get(v, f'{v:g}')}" for k, v in self.scenario.values.items()]
        return moved + [
            msg("met {check}", check=c).render("th") for c in sorted(self.scenario.checks)
        ]

    def refresh(self) -> None:
        """Score the scenario and show it; the targets follow what is still not met."""
        self.outcome = self.whatif.run(self.scenario)
        self.result.value = whatif_view(self.whatif.base, self.outcome, self.changes()).body
        self.message.value = ""
        options = target_options(self.whatif.targets(self.outcome))
        self.target.options = options
        self.target.value = options[0][1]
        if not self.points.value:
            self.points.value = round(self.outcome.total, 2)

    def apply(self, scenario: Scenario) -> None:
        """Show ``scenario`` on the controls, then score it."""
        self._quiet = True
        try:
            for key, box in self.items.items():
                box.value = scenario.values.get(key, self.start[key])
            for check, tick in self.ticks.items():
                tick.value = check in scenario.checks
        finally:
            self._quiet = False
        self.scenario = scenario
        self.refresh()

    def _cheapest(self, _: Any = None) -> None:
        choice = self.target.value
        threshold, category = (float(self.points.value), None) if choice == CUSTOM else choice
        scenario, path = self.whatif.cheapest(self.scenario, threshold, category)
        self.apply(scenario)
        columns = {k: v for k, v in PATH_COLUMNS.items() if k in path}
        fewest = msg(
            "the fewest steps to {points} points: {count}",
            points=f"{threshold:,.2f}",
            count=len(path),
        )
        head = note(
            f"{fewest.render('th')} "
            "(the fewest steps, by the library's exact search; applied above)"
        ).body
        self.path.value = head + (table(path, columns).body if len(path) else "")

    def _reset(self, _: Any = None) -> None:
        self.path.value = ""
        self.apply(Scenario())
