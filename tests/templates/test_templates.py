"""The pages' markup lives in templates: no HTML tag is written by Python code, the Thai that
a person reads in the modules moved to templates is in the templates or the catalogue, every
template compiles, and whatever a template shows from data is escaped."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest
from helpers import ROOT
from jinja2 import UndefinedError

from evalkit.core.errors import Problem
from evalkit.core.templates import environment, render
from evalkit.runner.plan.refused import refused_page
from evalkit.runner.publish.pages import write_index

PACKAGE = ROOT / "evalkit"
#: An HTML element as markup: ``<p>``, ``<td class=...>``, ``</table>``, ``<br>``.
ELEMENTS = (
    "a|b|body|br|button|caption|div|em|h[1-6]|head|header|html|i|img|input|label|li|link|"
    "main|meta|nav|noscript|ol|p|pre|script|section|small|span|strong|style|table|tbody|td|"
    "tfoot|th|thead|title|tr|ul"
)
TAG = re.compile(rf"</?(?:{ELEMENTS})(?:\s[^<>]*)?/?>|<(?:{ELEMENTS})\b(?=[\s(\\])", re.I)
#: Modules that may hold markup, and why: they read markup others wrote, they write none.
ALLOWED = {
    # the patterns that find nbconvert's images, outputs and anchor links to adjust them
    "runner/publish/htmlexport.py",
    # the pattern of a section heading as nbconvert writes it, read by the publisher
    "core/contract.py",
}
#: Folders still to move into templates, and why they are not yet: the Voila dashboard's
#: widgets were written beside the templates, in parallel; its markup goes to
#: ``templates/explore/`` next.
PENDING: tuple[str, ...] = ()
#: The modules whose pages and fragments moved to templates, and those added with them: the
#: Thai they show is in the templates or in the catalogue, not in their code.
MOVED = (
    "core/page.py",
    "core/templates.py",
    "runner/publish/pages.py",
    "runner/plan/refused.py",
    "exports/feedback.py",
    "report/agency.py",
    "report/display.py",
    "report/feedback.py",
    "report/panel.py",
    "report/portfolio.py",
    "report/poverty.py",
    "report/status.py",
    "report/paper.py",
    "exports/cover.py",
    "core/numerals.py",
    "analysis/decisions.py",
    "analysis/next_level.py",
    "sheets/entries.py",
    "exports/decisions.py",
    "cli/decide.py",
    "report/explore/views.py",
)
THAI = re.compile("[\u0e00-\u0e7f]")


def _strings(path: Path) -> list[tuple[int, str]]:
    """Every string literal of a module (f-string parts included), docstrings left out."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    docstrings = set()
    for node in ast.walk(tree):
        body = getattr(node, "body", None)
        first = body[0] if isinstance(body, list) and body else None
        if isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant):
            docstrings.add(id(first.value))
    return [
        (node.lineno, node.value)
        for node in ast.walk(tree)
        if isinstance(node, ast.Constant)
        and isinstance(node.value, str)
        and id(node) not in docstrings
    ]


def _modules() -> list[Path]:
    return sorted(p for p in PACKAGE.rglob("*.py") if "templates" not in p.parts)


def test_the_tag_pattern_finds_markup_and_nothing_else():
    for markup in ("<p>", '<td class="x">', "</table>", "<br>", "<h2 id=", "<tr hidden "):
        assert TAG.search(markup), markup
    for text in ("<NA>", "a < b > c", "<file name>", "<=", "invalid/<id>.html"):
        assert not TAG.search(text), text


def test_no_python_module_writes_html_tags():
    found = [
        f"{path.relative_to(PACKAGE)}:{line}: {text[:60]!r}"
        for path in _modules()
        if path.relative_to(PACKAGE).as_posix() not in ALLOWED
        and not path.relative_to(PACKAGE).as_posix().startswith(PENDING)
        for line, text in _strings(path)
        if TAG.search(text)
    ]
    assert found == []


def test_the_allowed_modules_still_need_to_be():
    """An entry of the allow-list whose module no longer holds markup is taken out."""
    for name in ALLOWED:
        assert any(TAG.search(text) for _, text in _strings(PACKAGE / name)), name


@pytest.mark.parametrize("name", MOVED)
def test_moved_modules_hold_no_thai_text(name):
    thai = [(line, text) for line, text in _strings(PACKAGE / name) if THAI.search(text)]
    assert thai == []


def test_every_template_compiles():
    env = environment()
    names = env.list_templates(extensions=["j2"])
    assert "base.html.j2" in names and len(names) >= 10
    for name in names:
        env.get_template(name)


def test_text_from_data_is_escaped_wherever_a_template_shows_it(tmp_path):
    hostile = "<script>alert('x')</script> & \"q\""
    entry = {
        "kind": "agency",
        "agency_id": "a1",
        "agency_name": hostile,
        "year": 2565,
        "framework": "pmqa-2562",
        "status": "ok",
        "href": 'a1/x.html" onclick="alert(1)',
        "points": 1.0,
        "max_points": 500,
        "rendered_at": "",
    }
    html = write_index(tmp_path, [entry], [hostile]).read_text(encoding="utf-8")
    assert "<script>alert" not in html and 'onclick="' not in html
    assert html.count("&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt; &amp; &quot;q&quot;") == 2


@pytest.mark.parametrize(
    ("files", "headers"),
    [
        (["params/a.yaml"], ["บรรทัด (line)", "คีย์ (key)"]),
        (["data/a.csv"], ["แถว (row)", "คอลัมน์ (column)"]),
        (
            ["params/a.yaml", "data/a.csv"],
            ["แถวหรือบรรทัด (row or line)", "คอลัมน์หรือคีย์ (column or key)"],
        ),
    ],
)
def test_a_refused_page_names_places_as_its_files_have_them(files, headers):
    """A params file's problems are at keys and lines, a sheet's at columns and rows: the
    refused page's table heads say which (:attr:`Problem.keyed`)."""
    problems = [Problem(file=f, row=2, column="x", found="y", expected="z") for f in files]
    heads = re.findall(r'<th scope="col">([^<]*)</th>', refused_page("t", problems))
    assert heads == ["ไฟล์ (file)", *headers, "สิ่งที่พบ (found)", "สิ่งที่ควรเป็น (expected)"]


def test_a_misspelt_name_in_a_template_is_an_error():
    with pytest.raises(UndefinedError):
        render("refused.html.j2", title="t")  # no problems given


def test_template_layout_does_not_reach_the_page():
    html = render("base.html.j2", title="t", body="b", stylesheet=lambda: "")
    assert html == (
        '<!DOCTYPE html>\n<html lang="th"><head><meta charset="utf-8"><meta name="viewport" '
        'content="width=device-width, initial-scale=1"><title>t</title><style></style></head>'
        "<body>b</body></html>\n"
    )
