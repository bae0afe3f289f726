# ruff: noqa: E501  (the parts of a minimal workbook are one line of XML each)
"""Write the hostile corpus of this folder. The files are committed; run this again only to
change them (``.venv/bin/python tests/sheets/hostile/build.py``).

Each file is one way a sheet, workbook, framework file or params file can be wrong or
hostile; ``cases.yaml`` beside it says what evalkit must answer for each.
"""

from __future__ import annotations

import zipfile
from pathlib import Path

import openpyxl

HERE = Path(__file__).parent
HEADER = "agency_id,agency_name,year,framework,assessor,item,percent,strength\n"
GOOD = "h1,หน่วยงานทดสอบ,2565,pmqa-2562,A,1.1,50,ดี\nh1,หน่วยงานทดสอบ,2565,pmqa-2562,A,1.2,60,ดี\n"
INDICATORS = "agency_id,agency_name,year,framework,item,indicator,target,actual,direction\n"


def text(name: str, content: str, encoding: str = "utf-8") -> None:
    (HERE / name).write_bytes(content.encode(encoding))


def raw(name: str, content: bytes) -> None:
    (HERE / name).write_bytes(content)


def sheets() -> None:
    text(
        "unclosed-quote.csv",
        HEADER
        + 'h1,หน่วยงานทดสอบ,2565,pmqa-2562,A,1.1,50,"ดีมาก มีแผน\n'
        + "h1,หน่วยงานทดสอบ,2565,pmqa-2562,A,1.2,60,ดี\n"
        + "h1,หน่วยงานทดสอบ,2565,pmqa-2562,A,2.1,70,ดี\n",
    )
    text(
        "quote-swallows-rows.csv",
        HEADER
        + 'h1,หน่วยงานทดสอบ,2565,pmqa-2562,A,1.1,50,"ดีมาก\n'
        + "h1,หน่วยงานทดสอบ,2565,pmqa-2562,A,1.2,60,ดี\n"
        + "h1,หน่วยงานทดสอบ,2565,pmqa-2562,A,2.1,70,ดี\n"
        + 'h1,หน่วยงานทดสอบ,2565,pmqa-2562,A,2.2,70,ดี"\n',
    )
    text(
        "multiline-comment.csv",
        HEADER
        + 'h1,หน่วยงานทดสอบ,2565,pmqa-2562,A,1.1,50,"ดี\nมาก"\n'
        + "h1,หน่วยงานทดสอบ,2565,pmqa-2562,A,1.2,60,ดี\n",
    )
    text("multiline-score.csv", HEADER + 'h1,หน่วยงานทดสอบ,2565,pmqa-2562,A,1.1,"5\n0",ดี\n')
    text("text-after-quote.csv", HEADER + 'h1,"หน่วยงาน"ทดสอบ,2565,pmqa-2562,A,1.1,50,ดี\n')
    text("too-few-fields.csv", HEADER + GOOD + "h1,หน่วยงานทดสอบ,2565,pmqa-2562,A,2.1,50\n")
    text("too-many-fields.csv", HEADER + GOOD + "h1,หน่วยงานทดสอบ,2565,pmqa-2562,A,2.1,5,0,ดี\n")
    raw(
        "mixed-encoding.csv",
        (HEADER + GOOD).encode("utf-8")
        + "h2,สำนักงานเก่า,2565,pmqa-2562,A,1.1,50,ดี\n".encode("cp874"),
    )
    raw("nul-bytes.csv", (HEADER + GOOD).encode("utf-8").replace(b"2565,pmqa", b"25\x0065,pmqa", 1))
    text("whole-file-tis620.csv", HEADER + GOOD, encoding="cp874")
    text("decimal-comma.csv", HEADER + GOOD.replace(",50,", ',"50,0",'))
    text(
        "not-finite.csv",
        INDICATORS
        + "h1,หน่วยงานทดสอบ,2565,pmqa40-status,7.1,ก,100,inf,higher\n"
        + "h1,หน่วยงานทดสอบ,2565,pmqa40-status,7.1,ข,100,1e400,higher\n"
        + "h1,หน่วยงานทดสอบ,2565,pmqa40-status,7.1,ค,1e-320,5,higher\n"
        + "h1,หน่วยงานทดสอบ,2565,pmqa40-status,7.1,ง,0.0000000000001,5,higher\n"
        + "h1,หน่วยงานทดสอบ,2565,pmqa40-status,7.1,จ,100,NaN,higher\n",
    )
    text(
        "same-column-twice.csv",
        "agency_id,agency_name,year,framework,assessor,item,percent,ร้อยละ\n"
        + "h1,หน่วยงานทดสอบ,2565,pmqa-2562,A,1.1,50,90\n",
    )
    text("two-names.csv", HEADER + GOOD.replace("ดี\nh1,หน่วยงานทดสอบ", "ดี\nh1,หน่วยงานอื่น"))
    text(
        "duplicate-thai-header.csv",
        "รหัสหน่วยงาน,ชื่อหน่วยงาน,ปี,เกณฑ์,ผู้ประเมิน,หัวข้อ,ร้อยละ\n"
        + "h1,หน่วยงานทดสอบ,2565,pmqa-2562,นาง ก,1.1,50\n"
        + "h1,หน่วยงานทดสอบ,2565,pmqa-2562,นาง ก,1.2,60\n"
        + "h1,หน่วยงานทดสอบ,2565,pmqa-2562,นาง ก,1.1,55\n",
    )
    text(
        "escape-sequences.csv",
        HEADER + GOOD.replace("A,1.1", "\x1b[2J\x1b]0;owned\x07A,1.1"),
    )


def csv_streams() -> None:
    """Small files of the kinds a CSV read as a stream must refuse or read (the large ones:
    :func:`large_csvs`)."""
    raw(
        "tis620-then-utf8.csv",
        HEADER.encode() + GOOD.encode("cp874") + GOOD.replace("1.1", "2.1").encode("utf-8"),
    )
    text(
        "long-value.csv",
        HEADER + GOOD + "h1,หน่วยงานทดสอบ,2565,pmqa-2562,A,2.1,50," + "x" * 40_000 + "\n",
    )
    raw("lone-carriage-returns.csv", (HEADER + GOOD).replace("\n", "\r").encode("utf-8"))
    raw("utf16-late-odd-byte.csv", (HEADER + GOOD).encode("utf-16") + b"\x00")


#: The rows of a band sheet written by :func:`large_csvs`, one agency's 18 items each.
BAND_ITEMS = [
    f"{c}.{i}"
    for c, n in ((1, 3), (2, 2), (3, 2), (4, 3), (5, 2), (6, 2), (7, 4))
    for i in range(1, n + 1)
]


def _write(path: Path, head: str, lines: object, tail: str = "") -> Path:
    with path.open("w", encoding="utf-8", newline="") as handle:
        handle.write(head)
        for line in lines:  # type: ignore[attr-defined]
            handle.write(line)
        handle.write(tail)
    return path


def large_csvs(folder: Path) -> dict[str, Path]:
    """CSV files too large to commit, written into ``folder`` when a test needs them: a quote
    left open for 100 MB, one line of 200 MB, a filled row past Excel's last row, and a
    valid band sheet of a million rows (about 70 MB)."""
    megabyte = ("ความเห็นยาวหนึ่งบรรทัด " * 40 + "\n") * 1_000  # about 1 MB of Thai lines
    opened = 'h1,หน่วยงานทดสอบ,2565,pmqa-2562,A,2.1,50,"ยังไม่ปิด\n'
    million = (
        f"a{n // 18:05d},สำนักงาน {n // 18},2565,pmqa-2562,ก,{BAND_ITEMS[n % 18]},{50 + n % 11 * 5},\n"
        for n in range(1_000_008)
    )
    return {
        "quote-open-100mb.csv": _write(
            folder / "quote-open-100mb.csv", HEADER + GOOD + opened, (megabyte for _ in range(34))
        ),
        "one-line-200mb.csv": _write(
            folder / "one-line-200mb.csv", HEADER + GOOD, ("x," * 2**19 for _ in range(200)), "\n"
        ),
        "past-last-row.csv": _write(
            folder / "past-last-row.csv", HEADER, (",,,,,,,ดี\n" for _ in range(1_048_577))
        ),
        "million-rows.csv": _write(folder / "million-rows.csv", HEADER, million),
    }


def panels() -> None:
    """A panel's sheets: A scores categories 1 and 2 whole; B leaves out item 1.2, C leaves
    out category 2, and the agency's own assessment scores category 1 only."""
    both = GOOD + GOOD.replace(",1.1,", ",2.1,").replace(",1.2,", ",2.2,")
    text("panel-a.csv", HEADER + both)
    text("panel-b-leaves-item.csv", HEADER + both.replace("A,", "B,").split("\n", 1)[1])
    text("panel-c-leaves-category.csv", HEADER + GOOD.replace("A,", "C,"))
    text("panel-self-one-category.csv", HEADER + GOOD.replace(",A,", ",self,"))


def _book(rows: list[list[object]]) -> openpyxl.Workbook:
    book = openpyxl.Workbook()
    ws = book.active
    ws.title = "คะแนน"
    ws.append(HEADER.strip().split(","))
    for row in rows:
        ws.append(row)
    return book


def workbooks() -> None:
    good = [r.split(",") for r in GOOD.strip().split("\n")]
    book = _book(good)
    hidden = book.create_sheet("old")
    hidden.append(HEADER.strip().split(","))
    hidden.append(["h1", "หน่วยงานทดสอบ", "2565", "pmqa-2562", "A", "1.1", "100", "x"])
    hidden.append(["h1", "หน่วยงานทดสอบ", "2565", "pmqa-2562", "A", "1.2", "100", "x"])
    hidden.sheet_state = "hidden"
    book.save(HERE / "hidden-sheet.xlsx")
    book = _book(good)
    book.active.sheet_state = "veryHidden"
    book.create_sheet("หมายเหตุ").append(["ข้อมูลนี้ใช้ทดสอบ"])
    book.active = 1
    book.save(HERE / "only-very-hidden-scores.xlsx")
    _shared_string_bomb()
    _empty_cells()
    _zip_bomb()
    _workbook_bombs()


def _xlsx(path: Path, sheet_xml: str | bytes, shared: str = "", sheets: int = 1) -> None:
    """A minimal workbook around one sheet's XML, listed ``sheets`` times."""
    listed = "".join(
        f'<sheet name="s{n}" sheetId="{n}" r:id="rId{n + 2}"/>' for n in range(2, sheets + 1)
    )
    relations = "".join(
        f'<Relationship Id="rId{n + 2}" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/>'
        for n in range(2, sheets + 1)
    )
    parts = {
        "[Content_Types].xml": '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/><Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/></Types>',
        "_rels/.rels": '<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>',
        "xl/workbook.xml": '<?xml version="1.0"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="big" sheetId="1" r:id="rId1"/>'
        + listed
        + "</sheets></workbook>",
        "xl/_rels/workbook.xml.rels": '<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/><Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings" Target="sharedStrings.xml"/>'
        + relations
        + "</Relationships>",
        "xl/sharedStrings.xml": '<?xml version="1.0"?><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        + shared
        + "</sst>",
        "xl/worksheets/sheet1.xml": sheet_xml,
    }
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        for name, data in parts.items():
            archive.writestr(name, data)


SHEET = '<?xml version="1.0"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>{}</sheetData></worksheet>'


def _shared_string_bomb() -> None:
    """One shared string of 30,000 characters, in 3,000 cells: 90 million characters."""
    rows = "".join(
        f'<row r="{r}">' + "".join('<c t="s"><v>0</v></c>' for _ in range(30)) + "</row>"
        for r in range(1, 101)
    )
    _xlsx(
        HERE / "shared-string-bomb.xlsx", SHEET.format(rows), "<si><t>" + "ก" * 30000 + "</t></si>"
    )


def _empty_cells() -> None:
    """Three million empty cells in a few hundred kilobytes."""
    row = "<c/>" * 1000
    rows = "".join(f'<row r="{r}">{row}</row>' for r in range(1, 3001))
    _xlsx(HERE / "empty-cells.xlsx", SHEET.format(rows))


def _zip_bomb() -> None:
    """A sheet whose XML inflates to 300 MB (of spaces, which XML ignores)."""
    head, tail = SHEET.format("").split("<sheetData>")
    data = (head + " " * (300 * 2**20) + "<sheetData>" + tail).encode()
    _xlsx(HERE / "zip-bomb.xlsx", data)


#: A header and one good row, as inline strings, for the bombs that must still read.
GOOD_ROWS = (
    '<row r="1">'
    + "".join(f'<c t="inlineStr"><is><t>{h}</t></is></c>' for h in HEADER.strip().split(","))
    + "</row>"
    + "".join(
        f'<row r="{n}">'
        + "".join(f'<c t="inlineStr"><is><t>{v}</t></is></c>' for v in line.split(","))
        + "</row>"
        for n, line in enumerate(GOOD.strip().split("\n"), start=2)
    )
)


def _workbook_bombs() -> None:
    """Small workbooks that describe huge ones, each past one budget of the whole workbook."""
    row = '<row r="{}"><c t="inlineStr"><is><t>x</t></is></c></row>'
    rows = "".join(row.format(r) for r in range(1, 1001))
    merges = '<mergeCells count="3000">' + '<mergeCell ref="A1:XFD1048576"/>' * 3000
    _xlsx(
        HERE / "merged-bomb.xlsx",
        SHEET.format(rows).replace("</sheetData>", "</sheetData>" + merges + "</mergeCells>"),
    )
    many = '<mergeCells count="20001">' + '<mergeCell ref="A1:B1"/>' * 20001 + "</mergeCells>"
    _xlsx(
        HERE / "many-merges.xlsx", SHEET.format(rows).replace("</sheetData>", "</sheetData>" + many)
    )
    _xlsx(HERE / "many-sheets.xlsx", SHEET.format(GOOD_ROWS), sheets=1001)
    spaces = SHEET.format(" " * 2**20 + GOOD_ROWS)  # a megabyte, read once per listing
    _xlsx(HERE / "repeated-sheet.xlsx", spaces, sheets=300)
    _xlsx(
        HERE / "long-shared-string.xlsx", SHEET.format(""), "<si><t>" + "ก" * 40_000 + "</t></si>"
    )
    unknown = "<x/>" * 200_000
    _xlsx(HERE / "unknown-elements.xlsx", SHEET.format(unknown + GOOD_ROWS + unknown))
    crowded = '<row r="2"><c r="A2">' + "<x/>" * 1_001 + "</c></row>"
    _xlsx(HERE / "crowded-cell.xlsx", SHEET.format(GOOD_ROWS.split('<row r="2">')[0] + crowded))
    wide = "".join(f'<row r="{r}"><c r="XFD{r}"><v>1</v></c></row>' for r in range(1, 200))
    _xlsx(HERE / "wide-rows.xlsx", SHEET.format(wide))


def ledgers() -> None:
    """A ledger whose stored rows were damaged after they were checked: a percent of 999, a
    row torn by a full disk (inside a Thai character), and a row of no form evalkit knows."""
    import os
    import sqlite3

    from evalkit.sheets.ledger import Ledger

    path = HERE / "ledger-damaged.sqlite"
    path.unlink(missing_ok=True)
    source = HERE / "ledger-source.csv"
    text(source.name, HEADER + GOOD + GOOD.replace(",1.1,", ",2.1,").replace(",1.2,", ",2.2,"))
    here = os.getcwd()
    os.chdir(HERE)
    try:
        ledger = Ledger(path.name)
        ledger.ingest([source.name])
        ledger.close()
    finally:
        os.chdir(here)
    source.unlink()
    db = sqlite3.connect(path)
    with db:
        db.execute("UPDATE rows SET data = json_set(data, '$.percent', 999) WHERE id = 3")
        torn = db.execute("SELECT data FROM rows WHERE id = 4").fetchone()[0]
        cut = torn.encode("utf-8")[: torn.encode("utf-8").index("หน่วยงาน".encode()) + 4]
        db.execute("UPDATE rows SET data = ? WHERE id = 4", (cut.decode("utf-8", "replace"),))
        db.execute(
            "INSERT INTO rows (ingest_id, form, agency_id, year, framework, assessor, data) "
            "VALUES (1, 'votes', 'h1', 2565, 'pmqa-2562', 'A', '{}')"
        )
    db.execute("VACUUM")
    db.close()


def frameworks() -> None:
    base = (
        "id: hostile\nmax_points: 100\nscoring: {method: band-percent, aggregate: sum}\n"
        "bands: [[0, 50], [55, 100]]\ncategories:\n  - key: '1'\n    items:\n"
        "      - {key: '1.1', points: 100}\n"
    )
    text("framework-inf.yaml", base.replace("max_points: 100", "max_points: .inf"))
    text("framework-nan-step.yaml", base.replace("aggregate: sum", "aggregate: sum, step: .nan"))
    text("framework-nan-band.yaml", base.replace("[55, 100]", "[55, .nan]"))
    text("framework-consensus.yaml", base.replace("aggregate: sum", "consensus: medain"))
    text("framework-list.yaml", "- id: hostile\n- max_points: 100\n")
    text("framework-string.yaml", "just a sentence\n")
    text(
        "framework-shapes.yaml",
        "id: hostile\nmax_points: 100\nscoring: band-percent\nbands: [[0, 50], x]\n"
        "checklist_points: {basic: many}\ncategories:\n  - key: '1'\n    name: [a, b]\n"
        "    items: {key: '1.1'}\n  - key: '2'\n    items:\n      - {key: '2.1', points: [1]}\n"
        "rules: [{id: r, level: total, min_points: 10, years: ['2565']}]\ntypes: x\n",
    )
    lines = ['a: &a ["x","x","x","x","x","x","x","x","x","x"]']
    for prev, name in zip("abcdefgh", "bcdefghi", strict=True):
        lines.append(f"{name}: &{name} [" + ",".join([f"*{prev}"] * 10) + "]")
    text("framework-alias-bomb.yaml", "\n".join(lines) + "\n")
    text("framework-deep.yaml", "id: " + "[" * 500 + "]" * 500 + "\n")
    raw("framework-not-utf8.yaml", base.replace("band-percent", "ก").encode("cp874"))


def params() -> None:
    base = "agency_id: h1\nframework: pmqa-2562\ndata: [two-names.csv]\n"
    text(
        "params-runner-values.yaml",
        base + "parameters: {agency_id: h2, year: 2560, data: [x.csv], frameworks_dir: /tmp}\n",
    )
    text("params-consensus.yaml", base + "parameters: {consensus: medain}\n")
    text(
        "params-shapes.yaml",
        "agency_id: [h1]\nframework: {id: x}\ndata: [two-names.csv, 3]\nyears: [2565, '2566']\n"
        "poverty: 5\nparameters: [top_gaps]\n",
    )
    text("params-list.yaml", "- agency_id: h1\n")
    raw("params-not-utf8.yaml", (base + "note: ทดสอบ\n").encode("cp874"))
    lines = ["a: &a [x,x,x,x,x,x,x,x,x,x]"]
    for prev, name in zip("abcdefgh", "bcdefghi", strict=True):
        lines.append(f"{name}: &{name} [" + ",".join([f"*{prev}"] * 10) + "]")
    text("params-alias-bomb.yaml", base + "\n".join(lines) + "\n")


if __name__ == "__main__":
    sheets()
    csv_streams()
    panels()
    workbooks()
    frameworks()
    params()
    ledgers()
