"""PDF copies of the pages, printed by the system Chromium: A4 portrait, Sarabun embedded,
Thai text intact, page numbers and the page's title in the footer, no heading left at the
foot of a page, pictures never split, table headers repeated on every page."""

from __future__ import annotations

import base64
import contextlib
import io
import json
import struct
import unicodedata
import zipfile
import zlib
from pathlib import Path
from statistics import median

import pdfplumber
import pytest
from helpers import ROOT, SAMPLE
from pypdf import PdfReader

from evalkit.cli.main import main
from evalkit.core.page import page
from evalkit.runner.publish.pdf import find_browser, printer

pytestmark = pytest.mark.slow
if find_browser() is None:
    pytest.skip("no Chromium here (CI installs it)", allow_module_level=True)

A4 = (595.28, 841.89)  # points
FOOTER = 20 * 72 / 25.4  # the bottom margin of the print stylesheet, in points


def text(value: str) -> str:
    """Compare Thai as extracted: compatibility forms (ำ as ํ + า) and no spaces."""
    return "".join(unicodedata.normalize("NFKC", value).split())


def _png(width: int, height: int) -> str:
    """A striped PNG as a data URI (a stand-in for a chart)."""
    rows = b"".join(
        b"\x00" + bytes([40, 90, 160] if (y // 20) % 2 else [200, 220, 240]) * width
        for y in range(height)
    )

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    png = (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0))
        + chunk(b"IDAT", zlib.compress(rows))
        + chunk(b"IEND", b"")
    )
    return "data:image/png;base64," + base64.b64encode(png).decode()


def synthetic_page() -> str:
    """Sections of growing length, each a heading then a chart or a long table, so that
    without the print rules some heading would fall at the foot of a page."""
    chart, tall = _png(640, 420), _png(640, 1500)  # tall: higher than a page once scaled
    sections = []
    for n in range(1, 13):
        filler = "".join(f"<p>ย่อหน้าที่ {k} ของหัวข้อ {n} (paragraph)</p>" for k in range(n))
        if n % 2:
            body = f'<div><img alt="แผนภูมิ {n}" src="{tall if n == 11 else chart}"></div>'
        else:
            rows = "".join(
                f"<tr><td>row {n}.{r}</td><td>{r * 1.5:.2f}</td></tr>" for r in range(30)
            )
            body = (
                "<table><thead><tr><th>หัวตาราง (header)</th><th>คะแนน (points)</th></tr>"
                f"</thead><tbody>{rows}</tbody></table>"
            )
        sections.append(f'{filler}<h2 id="s{n}">หัวข้อที่ {n} (section {n})</h2>{body}')
    return page("หน่วยงานทดสอบ พ.ศ. 2565", "<h1>หน่วยงานทดสอบ</h1>" + "".join(sections))


def layout(pdf: Path) -> list[dict]:
    """Per page: the lowest thing above the footer (a heading or not), the images, lines."""
    pages = []
    with pdfplumber.open(pdf) as document:
        for p in document.pages:
            body = median(c["size"] for c in p.chars)
            things = []
            for line in p.extract_text_lines():
                if line["top"] > p.height - FOOTER:
                    continue
                bold = all("Bold" in c["fontname"] for c in line["chars"] if c["text"].strip())
                big = max(c["size"] for c in line["chars"]) >= 1.15 * body
                things.append((line["bottom"], bold and big, line["text"]))
            things += [(i["bottom"], False, "image") for i in p.images]
            pages.append(
                {
                    "size": (float(p.width), float(p.height)),
                    "last": max(things) if things else None,
                    "images": [(i["top"], i["bottom"]) for i in p.images],
                    "lines": [t for _, _, t in sorted(things)],
                }
            )
    return pages


def stranded(pdf: Path) -> list[str]:
    return [p["last"][2] for p in layout(pdf) if p["last"] and p["last"][1]]


@pytest.fixture(scope="module")
def printed(tmp_path_factory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("pdf")
    html = folder / "page.html"
    html.write_text(synthetic_page(), encoding="utf-8")
    loose = folder / "loose.html"  # the same page with the heading rule taken away
    loose.write_text(
        synthetic_page().replace(
            "</style>",
            "h1,h2,h3,h4{break-after:auto!important;page-break-after:auto!important}</style>",
        ),
        encoding="utf-8",
    )
    with printer() as p:
        return {"page": p.print_page(html), "loose": p.print_page(loose)}


def test_a4_portrait_with_sarabun_embedded(printed):
    reader = PdfReader(printed["page"])
    assert len(reader.pages) >= 4
    for p in reader.pages:
        assert abs(float(p.mediabox.width) - A4[0]) < 1
        assert abs(float(p.mediabox.height) - A4[1]) < 1
    fonts = {
        str(f["/BaseFont"])
        for p in reader.pages
        for f in p["/Resources"]["/Font"].values()
        if "/BaseFont" in f.get_object()
    }
    assert any("Sarabun-Regular" in f for f in fonts) and any("Sarabun-Bold" in f for f in fonts)


def test_footer_numbers_pages_and_names_the_page(printed):
    reader = PdfReader(printed["page"])
    total = len(reader.pages)
    for number, p in enumerate(reader.pages, 1):
        extracted = text(p.extract_text())
        assert text(f"หน้า {number} / {total}") in extracted
        assert text("หน่วยงานทดสอบ พ.ศ. 2565") in extracted


def test_no_heading_at_the_foot_of_a_page(printed):
    assert stranded(printed["page"]) == []


def test_without_the_print_rule_a_heading_would_be_stranded(printed):
    """The check above can fail: the same page without ``break-after: avoid`` leaves one."""
    assert stranded(printed["loose"]) != []


def test_pictures_are_never_split_and_table_headers_repeat(printed):
    pages = layout(printed["page"])
    placements = [i for p in pages for i in p["images"]]
    assert len(placements) == 6  # one per picture: a split picture would show twice
    limit = A4[1] - FOOTER
    assert all(top >= 0 and bottom <= limit for top, bottom in placements)
    with_rows = [p for p in pages if any(line.startswith("row ") for line in p["lines"])]
    assert len(with_rows) >= 3
    for p in with_rows:  # (pdfplumber orders Thai marks its own way: read the English)
        assert any("(header)" in line for line in p["lines"])


@pytest.fixture(scope="module")
def sample_reports(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("sample-pdf")
    params = folder / "trat-cdd.yaml"
    params.write_text(
        "agency_id: trat-cdd\nframework: pmqa-2562\nyears: [2565]\n"
        f"data: ['{SAMPLE}/pmqa-2562_2565_*']\n"
        f"poverty: {ROOT}/data/sample/poverty/trat-2565.csv\n",
        encoding="utf-8",
    )
    out = folder / "reports"
    args = ["run", str(params), "--out", str(out), "--jobs", "1", "--pdf", "--json"]
    printed = io.StringIO()
    with contextlib.redirect_stdout(printed):
        assert main(args) == 0
    (out / "run.json").write_text(printed.getvalue(), encoding="utf-8")
    return out


def test_run_json_summarises_the_run(sample_reports):
    document = json.loads((sample_reports / "run.json").read_text(encoding="utf-8"))
    assert document["counts"] == {"ok": 2, "failed": 0, "invalid": 0, "skipped": 0}
    assert {r["key"] for r in document["reports"]} == {
        "trat-cdd/pmqa-2562/2565.html",
        "portfolio/pmqa-2562-2565.html",
    }
    assert sorted(Path(p).name for p in document["pdf"]) == ["2565.pdf", "pmqa-2562-2565.pdf"]
    assert document["index"].endswith("index.html")


def test_run_pdf_writes_the_sample_report_on_a4_in_thai(sample_reports):
    pdf = sample_reports / "trat-cdd" / "pmqa-2562" / "2565.pdf"
    reader = PdfReader(pdf)
    assert len(reader.pages) >= 3
    assert all(abs(float(p.mediabox.height) - A4[1]) < 1 for p in reader.pages)
    first = text(reader.pages[0].extract_text())
    assert text("สำนักงานพัฒนาชุมชนจังหวัดตราด") in first
    assert text("คะแนนรวม (total) 564.75") in first
    whole = text("".join(p.extract_text() for p in reader.pages))
    assert text("การขจัดความยากจน (Poverty eradication)") in whole
    assert stranded(pdf) == []
    assert (sample_reports / "portfolio" / "pmqa-2562-2565.pdf").is_file()
    assert not (sample_reports / "index.pdf").exists()
    index = (sample_reports / "index.html").read_text(encoding="utf-8")
    assert 'href="trat-cdd/pmqa-2562/2565.pdf">PDF</a>' in index  # written again to link it


def test_pdf_command_skips_current_pdfs_and_bundle_carries_them(sample_reports, capsys):
    assert main(["pdf", str(sample_reports)]) == 0
    assert "0 PDF file(s) written, 2 already current." in capsys.readouterr().out
    archive = sample_reports / "share.zip"
    assert main(["bundle", "--reports", str(sample_reports), "--out", str(archive)]) == 0
    names = set(zipfile.ZipFile(archive).namelist())
    expected = {"trat-cdd/pmqa-2562/2565.pdf", "portfolio/pmqa-2562-2565.pdf", "index.html"}
    assert {f"share/{name}" for name in expected} <= names


def test_no_engine_names_what_to_install(tmp_path, monkeypatch, capsys):
    (tmp_path / "a").mkdir()
    (tmp_path / "a" / "2565.html").write_text(page("ก", "<p>ก</p>"), encoding="utf-8")
    monkeypatch.setenv("EVALKIT_CHROMIUM", str(tmp_path / "no-such-browser"))
    assert main(["pdf", str(tmp_path)]) == 5  # the machine lacks something: EXIT_ENVIRONMENT
    err = capsys.readouterr().err
    assert "No PDF engine" in err and "apt-get install chromium" in err
    assert "pip install 'evalkit[pdf]'" in err and "Traceback" not in err
    assert main(["pdf", str(tmp_path), "--lang", "th"]) == 5
    assert "ไม่มีโปรแกรมสร้าง PDF" in capsys.readouterr().err
