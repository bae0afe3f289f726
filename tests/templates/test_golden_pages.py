"""Every page and fragment evalkit writes is byte for byte the golden one in
``tests/golden/pages/`` (blanking only the font and chart images; see golden_pages.py). A
change of markup meant to be made is written with ``python tests/golden_pages.py``
and its diff read before it is committed."""

from __future__ import annotations

import pytest
from golden_pages import PAGES, RENDERED, builders, normalise, rendered_pages

NAMES = sorted(builders(PAGES).keys())


def _expected(name: str) -> str:
    return (PAGES / f"{name}.html").read_text(encoding="utf-8")


@pytest.mark.parametrize("name", NAMES)
def test_a_page_is_its_golden_page(name, tmp_path):
    assert normalise(builders(tmp_path)[name]()) == _expected(name)


def test_every_golden_page_is_built():
    on_disk = {p.stem for p in PAGES.glob("*.html")}
    assert on_disk == set(NAMES) | set(RENDERED)


@pytest.mark.slow
def test_rendered_report_pages_are_their_golden_pages(tmp_path):
    for name, html in rendered_pages(tmp_path / "reports").items():
        assert normalise(html) == _expected(name), name
