"""Charts for the reports, drawn in Sarabun so that Thai labels render.

Figures are built with :class:`matplotlib.figure.Figure` rather than pyplot, so a notebook
shows each one exactly once and nothing is left open between reports.
"""

from __future__ import annotations

import base64
import io
from dataclasses import dataclass
from functools import cache
from typing import Any, cast

import matplotlib
import numpy as np
import pandas as pd
from matplotlib import font_manager
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.projections.polar import PolarAxes

from evalkit.core.i18n import bilingual, msg, pmsg
from evalkit.frameworks.award import EntryWords

FONT_FAMILY = "Sarabun"
#: Inches above the panels of a chart of small panels for its title, clear of theirs.
TITLE_BAND = 0.95
PALETTE = {"main": "#1f5f8b", "accent": "#e07a1f", "grid": "#d0d7de", "muted": "#8c959f"}


@cache
def _register_sarabun() -> None:
    import fontpkg_sarabun

    for path in sorted((fontpkg_sarabun.ROOT / "files").glob("Sarabun-*.ttf")):
        font_manager.fontManager.addfont(str(path))


def use_thai_font() -> str:
    """Register the Sarabun files shipped by fontpkg-sarabun and make Sarabun the default."""
    _register_sarabun()
    matplotlib.rcParams.update(
        {
            "font.family": [FONT_FAMILY],
            "font.size": 11,
            "axes.titlesize": 13,
            "axes.spines.top": False,
            "axes.spines.right": False,
            "figure.dpi": 96,
            "savefig.dpi": 96,
        }
    )
    return FONT_FAMILY


@dataclass(frozen=True)
class Chart:
    """A figure with alt text; Jupyter shows it as a PNG whose ``alt`` states the data."""

    figure: Figure
    alt: str

    def png(self) -> bytes:
        """The chart as an 8-bit palette PNG: charts have few colours, so this is lossless to
        the eye and a third of the size of a full-colour one. The pixels come straight from
        the Agg canvas; a full-colour PNG in between would be encoded only to be decoded."""
        from matplotlib.backends.backend_agg import FigureCanvasAgg
        from PIL import Image

        canvas = FigureCanvasAgg(self.figure)
        canvas.draw()
        image = (
            Image.frombuffer("RGBA", canvas.get_width_height(), canvas.buffer_rgba())
            .convert("RGB")
            .quantize(colors=128, method=Image.Quantize.FASTOCTREE, dither=Image.Dither.NONE)
        )
        out = io.BytesIO()
        image.save(out, format="PNG")
        return out.getvalue()

    def _repr_mimebundle_(
        self, include: Any = None, exclude: Any = None
    ) -> tuple[dict[str, str], dict[str, dict[str, str]]]:
        data = base64.b64encode(self.png()).decode("ascii")
        return {"image/png": data, "text/plain": self.alt}, {"image/png": {"alt": self.alt}}


def _figure(
    width: float, height: float, margins: tuple[float, float, float, float], polar: bool = False
) -> tuple[Figure, Axes]:
    """A figure of ``width`` x ``height`` inches whose axes leave ``margins`` (left, right,
    top, bottom, in inches) around them. Fixed margins draw once; a layout engine would
    draw every figure twice, and charts are most of a report's time."""
    use_thai_font()
    fig = Figure(figsize=(width, height))
    left, right, top, bottom = margins
    fig.subplots_adjust(
        left=left / width, right=1 - right / width, top=1 - top / height, bottom=bottom / height
    )
    ax = fig.add_subplot(projection="polar" if polar else None)
    return fig, ax


def _title(ax: Axes, title: str, pad: float = 6) -> None:
    """``title`` ``pad`` points above the axes. A fixed place: left to itself, matplotlib
    lays out every tick label once more to find room for the title."""
    ax.set_title(title, y=1.0, pad=pad)


def _category(key: object) -> str:
    return msg("category {key}", key=key).render("th")


def _year(year: object) -> str:
    return msg("BE {year}", year=year).render("th")


def short(label: str, limit: int = 46) -> str:
    """A label cut to ``limit`` characters for a chart axis; tables show it whole."""
    return label if len(label) <= limit else label[: limit - 3].rstrip() + "..."


def radar_chart(categories: pd.DataFrame, title: str) -> Chart:
    """Category percentages on a closed polygon; ``categories`` has ``key`` and ``percent``."""
    fig, ax = _figure(5.2, 5.2, (0.75, 0.75, 0.8, 0.45), polar=True)
    angles = np.linspace(0, 2 * np.pi, len(categories), endpoint=False)
    values = categories["percent"].to_numpy(dtype=float)
    closed = np.append(angles, angles[0])
    ax.plot(closed, np.append(values, values[0]), color=PALETTE["main"], linewidth=2)
    ax.fill(closed, np.append(values, values[0]), color=PALETTE["main"], alpha=0.2)
    ax.set_xticks(angles, [_category(k) for k in categories["key"]])
    ax.set_ylim(0, 100)
    cast(PolarAxes, ax).set_rlabel_position(180 / len(categories))  # between two spokes
    ax.set_yticks([20, 40, 60, 80, 100], ["20", "40", "60", "80", "100"], color=PALETTE["muted"])
    _title(ax, title, pad=32)  # above the category labels
    values_text = ", ".join(
        f"{_category(k)} {v:.1f}%" for k, v in zip(categories["key"], values, strict=True)
    )
    return Chart(fig, f"{title}: {values_text}")


def item_bar_chart(items: pd.DataFrame, title: str) -> Chart:
    """Horizontal bars of item percentages; ``items`` has ``key``, ``name_th``, ``percent``."""
    fig, ax = _figure(8.5, 0.34 * len(items) + 1.2, (3.7, 0.2, 0.45, 0.6))
    labels = [short(f"{k} {n}") for k, n in zip(items["key"], items["name_th"], strict=True)]
    positions = np.arange(len(items))[::-1]
    ax.barh(positions, items["percent"], color=PALETTE["main"], height=0.65)
    for y, value in zip(positions, items["percent"], strict=True):
        ax.text(value + 1, y, f"{value:.0f}", va="center", fontsize=9)
    ax.set_yticks(positions, labels, fontsize=9)
    ax.set_xlim(0, 105)
    ax.set_xlabel(bilingual(msg("percent")))
    ax.grid(axis="x", color=PALETTE["grid"], linewidth=0.6)
    ax.set_axisbelow(True)
    _title(ax, title)
    values_text = ", ".join(
        f"{k} {v:.0f}%" for k, v in zip(items["key"], items["percent"], strict=True)
    )
    return Chart(fig, f"{title}: {values_text}")


def trend_chart(totals: pd.DataFrame, title: str, current_year: int) -> Chart:
    """Total points by year; ``totals`` has ``year``, ``points`` and ``max_points``."""
    fig, ax = _figure(6.5, 3.4, (0.8, 0.2, 0.45, 0.5))
    years = totals["year"].astype(int).to_numpy()
    ax.plot(years, totals["points"], marker="o", color=PALETTE["main"], linewidth=2)
    for year, points in zip(years, totals["points"], strict=True):
        color = PALETTE["accent"] if year == current_year else PALETTE["main"]
        ax.annotate(
            f"{points:.1f}",
            (year, points),
            textcoords="offset points",
            xytext=(0, 8),
            ha="center",
            fontsize=9,
            color=color,
        )
    ax.set_xticks(years, [_year(y) for y in years])
    ax.set_ylim(0, float(totals["max_points"].max()))
    ax.set_ylabel(bilingual(pmsg("total points", "points")))
    ax.grid(axis="y", color=PALETTE["grid"], linewidth=0.6)
    _title(ax, title)
    values_text = ", ".join(
        f"{_year(y)} {p:.2f}" for y, p in zip(years, totals["points"], strict=True)
    )
    return Chart(fig, f"{title}: {values_text}")


def category_lines(history: pd.DataFrame, title: str) -> Chart:
    """Category percentages by year, one line per category; ``history`` has ``year``, ``key``
    and ``percent``."""
    fig, ax = _figure(6.5, 3.6, (0.8, 0.2, 0.45, 0.5))
    for key, rows in history.groupby("key", sort=False):
        rows = rows.sort_values("year")
        ax.plot(
            rows["year"].astype(int),
            rows["percent"],
            marker="o",
            linewidth=1.5,
            label=_category(key),
        )
    years = sorted(int(y) for y in history["year"].unique())
    ax.set_xticks(years, [_year(y) for y in years])
    ax.set_ylim(0, 100)
    ax.set_ylabel(bilingual(msg("percent")))
    ax.grid(axis="y", color=PALETTE["grid"], linewidth=0.6)
    ax.legend(fontsize=8, ncols=2, frameon=False)
    _title(ax, title)
    return Chart(fig, f"{title}: {history['key'].nunique()} categories over {len(years)} years")


def histogram(
    values: pd.Series, title: str, xlabel: str, maximum: float, counted: EntryWords
) -> Chart:
    """The distribution of ``values`` from 0 to ``maximum``, in ten bins, each bar the count
    of entries (agencies, works) that ``counted`` names."""
    fig, ax = _figure(6.5, 3.2, (0.8, 0.2, 0.45, 0.6))
    ax.hist(
        values.to_numpy(dtype=float),
        bins=[float(b) for b in np.linspace(0, maximum, 11)],
        color=PALETTE["main"],
        edgecolor="white",
    )
    ax.set_xlabel(xlabel)
    ax.set_ylabel(bilingual(counted.axis))
    ax.grid(axis="y", color=PALETTE["grid"], linewidth=0.6)
    _title(ax, title)
    return Chart(
        fig,
        f"{title}: {len(values)} {counted.counted.render('en')}, from {values.min():.1f} to "
        f"{values.max():.1f}, median {values.median():.1f}",
    )


def indicator_trends(series: pd.DataFrame, title: str, columns: int = 2) -> Chart:
    """One small panel per indicator, its results by year; ``series`` has ``item,
    indicator, year, value`` (each indicator on its own scale: units differ)."""
    use_thai_font()
    groups = list(series.groupby(["item", "indicator"], sort=False))
    rows = -(-len(groups) // columns)
    # the title in a band of its own above the first row's titles: fixed inches, so that it
    # never meets them however many rows there are
    height = 2.4 * rows + TITLE_BAND
    fig = Figure(figsize=(8.5, height))
    fig.subplots_adjust(
        left=0.08, right=0.98, top=1 - TITLE_BAND / height, bottom=0.35 / height, hspace=0.9
    )
    fig.suptitle(title, fontsize=13, y=1 - 0.12 / height, va="top")
    described = []
    for n, ((item, indicator), rows_) in enumerate(groups, start=1):
        ax = fig.add_subplot(rows, columns, n)
        years = rows_["year"].astype(int).to_numpy()
        ax.plot(years, rows_["value"], marker="o", color=PALETTE["main"], linewidth=2)
        ax.set_xticks(years, [f"{y}" for y in years], fontsize=8)
        ax.grid(axis="y", color=PALETTE["grid"], linewidth=0.6)
        ax.set_title(short(f"{item} {indicator}", 40), fontsize=9)
        values = ", ".join(f"{y} {v:g}" for y, v in zip(years, rows_["value"], strict=True))
        described.append(f"{item} {indicator}: {values}")
    return Chart(fig, f"{title}: " + "; ".join(described))
