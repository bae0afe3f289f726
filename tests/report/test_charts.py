from __future__ import annotations

import warnings

import pandas as pd
import pytest
from helpers import SAMPLE

from evalkit.report import charts
from evalkit.report.agency import AgencyReport
from evalkit.report.charts import FONT_FAMILY, use_thai_font


@pytest.fixture(scope="module")
def report() -> AgencyReport:
    return AgencyReport.load([str(SAMPLE / "*")], "trat-health", 2565, "pmqa-2562")


def test_charts_draw_thai_in_sarabun_with_no_missing_glyphs(report):
    from matplotlib import font_manager

    assert use_thai_font() == FONT_FAMILY
    assert "Sarabun" in font_manager.findfont(FONT_FAMILY)
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # a missing glyph is a UserWarning from matplotlib
        charts = [report.radar_chart(), report.item_chart(), report.trend_chart()]
        pngs = [chart.png() for chart in charts]
    assert all(png.startswith(b"\x89PNG") for png in pngs)


def test_missing_glyphs_would_be_caught():
    """The check above can fail: a font without Thai glyphs warns when drawing Thai."""
    import io

    from matplotlib.figure import Figure

    fig = Figure()
    fig.text(0.1, 0.5, "ผลลัพธ์", family="DejaVu Sans")
    with pytest.warns(UserWarning, match="missing from font"):
        fig.savefig(io.BytesIO(), format="png")


def test_charts_carry_alt_text_stating_the_data(report):
    data, metadata = report.radar_chart()._repr_mimebundle_()
    alt = metadata["image/png"]["alt"]
    assert alt.startswith("ร้อยละรายหมวด") and "หมวด 7" in alt
    assert data["text/plain"] == alt


@pytest.mark.parametrize("indicators", [1, 2, 3, 8, 13])
def test_a_chart_of_small_panels_keeps_its_title_clear_of_theirs(indicators):
    """The title of the indicator chart sits above every panel's title and axes, however
    many rows of panels there are."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    rows = [
        {
            "item": f"{n // 3 + 1}.{n % 3 + 1}",
            "indicator": f"ตัวชี้วัดที่ {n} ร้อยละของโครงการที่แล้วเสร็จตามแผน",
            "year": year,
            "value": 50 + n + year % 7,
        }
        for n in range(indicators)
        for year in (2562, 2563, 2564)
    ]
    chart = charts.indicator_trends(pd.DataFrame(rows), "ผลตัวชี้วัดรายปี (indicator results by year)")
    canvas = FigureCanvasAgg(chart.figure)
    canvas.draw()
    renderer = canvas.get_renderer()
    title = chart.figure.get_suptitle() and chart.figure._suptitle.get_window_extent(renderer)
    assert title and title.y1 <= chart.figure.bbox.y1
    for ax in chart.figure.axes:
        panel = ax.get_tightbbox(renderer)  # the panel with its own title and tick labels
        assert panel.y1 < title.y0, (panel, title)
