"""The percent drop-down names the framework's bands: written by ``evalkit template`` and
``evalkit consensus``, a choice made with openpyxl as Excel stores it (the list's text in the
cell), read back as its percent by ``validate``, ``score``, ``ingest`` and ``feedback``.

pmqa-2562: items 1.1-6.2 are ADLI, 7.1-7.6 LeTCI; bands 0-5, 10-25, 30-45, 50-65, 70-85,
90-100. Filled: 1.1 chosen ``55 (50-65%: มีระบบ ถ่ายทอด เรียนรู้)``, 7.1 chosen ``75 (70-85%:
ผลดี เทียบเคียงได้ บูรณาการ)``, 2.1 the band alone ``30-45%: มีระบบ เริ่มถ่ายทอด`` (its lowest
percent, 30), 3.1 typed as the number 60, every other item typed ``40``.
"""

from __future__ import annotations

import openpyxl
import pytest
from helpers import FEEDBACK, edit_meeting, fill_template, item_section

from evalkit import Registry, check_sheets, load_sheets, score
from evalkit.cli.main import main
from evalkit.core.i18n import translate
from evalkit.frameworks.bandnames import percent_choices

FRAMEWORK = Registry().get("pmqa-2562")
WHO = {"agency_id": "demo", "agency_name": "สำนักงานทดสอบ", "year": 2565, "assessor": "ผู้ประเมิน 1"}
ADLI_55 = "55 (50-65%: มีระบบ ถ่ายทอด เรียนรู้)"
LETCI_75 = "75 (70-85%: ผลดี เทียบเคียงได้ บูรณาการ)"
BAND_ALONE = "30-45%: มีระบบ เริ่มถ่ายทอด"


def _lists(path) -> dict[str, list[str]]:
    """Each cell range of the percent column and the list its drop-down offers."""
    book = openpyxl.load_workbook(path)
    ws = next(w for w in book.worksheets if w.sheet_state == "visible")
    header = [str(c.value).rsplit("(", 1)[-1].rstrip(")") for c in ws[1]]
    letter = openpyxl.utils.get_column_letter(header.index("percent") + 1)
    hidden = book["_lists"]
    found = {}
    for rule in ws.data_validations.dataValidation:
        if str(rule.sqref).startswith(letter):
            column = rule.formula1.split("!$")[1].split("$")[0]
            found[str(rule.sqref)] = [c.value for c in hidden[column] if c.value is not None]
            assert rule.errorStyle == "warning"  # a number typed is read too
    return found


def _template(tmp_path):
    path = tmp_path / "assessor-1.xlsx"
    assert main(["template", "pmqa-2562", "--out", str(path), "--quiet"]) == 0
    return path


def test_the_template_offers_each_items_bands_by_name(tmp_path):
    lists = _lists(_template(tmp_path))
    assert list(lists) == ["H2:H13", "H14:H19"]  # 1.1-6.2 (ADLI), 7.1-7.6 (LeTCI)
    adli, letci = lists.values()
    assert adli == percent_choices(FRAMEWORK, "adli") and len(adli) == 21
    assert adli[0] == "0 (0-5%: ตั้งรับปัญหา)" and ADLI_55 in adli
    assert adli[-1] == "100 (90-100%: เป็นแบบอย่างที่ดี)"
    assert letci[0] == "0 (0-5%: ไม่มีผลลัพธ์/มีน้อย)" and LETCI_75 in letci


def _filled(tmp_path):
    chosen = {"1.1": ADLI_55, "7.1": LETCI_75, "2.1": BAND_ALONE, "3.1": 60}
    percent = {i.key: chosen.get(i.key, "40") for i in FRAMEWORK.items}
    return fill_template(_template(tmp_path), WHO, percent)


def test_a_choice_reads_back_as_its_percent_everywhere(tmp_path, capsys):
    path = _filled(tmp_path)
    book = openpyxl.load_workbook(path)
    assert book["คะแนน"]["H2"].value == ADLI_55 and book["คะแนน"]["H2"].data_type == "s"
    assert main(["validate", str(path)]) == 0
    items = score(load_sheets([path])).set_index(["level", "key"])["percent"]
    assert items[("item", "1.1")] == 55 and items[("item", "7.1")] == 75
    assert items[("item", "2.1")] == 30 and items[("item", "3.1")] == 60
    assert items[("item", "1.2")] == 40
    ledger = tmp_path / "ledger.sqlite"
    assert main(["ingest", str(path), "--ledger", str(ledger), "--quiet"]) == 0
    from_ledger = score(load_sheets([ledger])).set_index(["level", "key"])["percent"]
    assert from_ledger.equals(items)
    out = tmp_path / "feedback"
    assert main(["feedback", str(ledger), "--out", str(out), "--quiet"]) == 0
    page = (out / "demo" / "pmqa-2562-2565-feedback.html").read_text(encoding="utf-8")
    assert "ช่วง 50-65: มีระบบ ถ่ายทอด เรียนรู้" in item_section(page, "1.1")
    assert "ช่วง 70-85: ผลดี เทียบเคียงได้ บูรณาการ" in item_section(page, "7.1")
    assert "ช่วง 30-45: มีระบบ เริ่มถ่ายทอด" in item_section(page, "2.1")


@pytest.mark.parametrize(
    "cell",
    [
        "55 (70-85%: เป็นระบบ บูรณาการ)",  # a step outside the band named beside it
        "55 (50-65%: เป็นแบบอย่างที่ดี)",  # another band's name
        "50-60%: มีระบบ ถ่ายทอด เรียนรู้",  # a band the framework does not have
        "๗๐-๘๕%: ตั้งรับปัญหา",  # Thai digits, another band's name
    ],
)
def test_a_choice_that_contradicts_the_bands_is_refused(tmp_path, cell):
    path = fill_template(_template(tmp_path), WHO, {i.key: "40" for i in FRAMEWORK.items})
    book = openpyxl.load_workbook(path)
    book["คะแนน"]["H3"].value = cell  # item 1.2
    book.save(path)
    _, problems = check_sheets([path])
    (problem,) = problems
    assert (problem.row, problem.column, problem.found) == (3, "ร้อยละ (percent)", repr(cell))
    assert translate(problem.expected, "en") == (
        "a percent from the drop-down list (such as 50 (50-65%: มีระบบ ถ่ายทอด เรียนรู้)), a band "
        "of pmqa-2562 (0-5%, 10-25%, 30-45%, 50-65%, 70-85%, 90-100%) or a number from 0 to "
        "100 in steps of 5"
    )
    assert translate(problem.hint, "en") == (
        "The percent, its band and the band's name must agree with the framework's bands."
    )
    assert translate(problem.expected, "th").startswith("ร้อยละจากรายการให้เลือก")


def test_the_meeting_workbook_offers_the_bands_and_reads_a_choice_back(tmp_path, capsys):
    out = tmp_path / "meeting.xlsx"
    assert main(["consensus", str(FEEDBACK), "--out", str(out), "--quiet"]) == 0
    book = openpyxl.load_workbook(out)
    ws = book["fbk 2565"]
    header = [str(c.value).rsplit("(", 1)[-1].rstrip(")") for c in ws[1]]
    letter = openpyxl.utils.get_column_letter(header.index("agreed_percent") + 1)
    (rule,) = [r for r in ws.data_validations.dataValidation if str(r.sqref).startswith(letter)]
    assert str(rule.sqref) == f"{letter}2:{letter}3"
    column = rule.formula1.split("!$")[1].split("$")[0]
    assert [c.value for c in book["_lists"][column]][:21] == percent_choices(FRAMEWORK, "adli")
    edit_meeting(out, "fbk 2565", {"1.1": {"agreed_percent": ADLI_55}})
    assert main(["validate", str(FEEDBACK), str(out)]) == 0
    items = score(load_sheets([FEEDBACK, out]))
    items = items[items["level"] == "item"]
    assert dict(zip(items["key"], items["percent"], strict=True)) == {"1.1": 55.0, "1.2": 50.0}
    feedback = tmp_path / "feedback"
    assert main(["feedback", str(FEEDBACK), str(out), "--out", str(feedback), "--quiet"]) == 0
    page = (feedback / "fbk" / "pmqa-2562-2565-feedback.html").read_text(encoding="utf-8")
    first = item_section(page, "1.1")
    assert "คะแนนที่คณะกรรมการตกลง (agreed by the committee)" in first
    assert "<strong>33.00</strong> จาก 60.00 (55.0%)" in first
