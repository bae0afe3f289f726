"""Messages in Thai and English: the gettext catalogue, the language chosen, and problem
messages translated where they are shown, with the data in them left as found."""

from __future__ import annotations

import ast
import json
import re
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from babel.messages.pofile import read_po
from helpers import ROOT, english_fragments, thai_first

from evalkit.cli.main import main
from evalkit.core import i18n
from evalkit.core.errors import InvalidInputError, Problem
from evalkit.core.i18n import Message, bilingual, msg, translate

#: the Thai catalogues: what the code says (evalkit.po), what it hands over as English (phrases.po)
CATALOGUES = [
    ROOT / "evalkit" / "locale" / "th" / "LC_MESSAGES" / f"{n}.po" for n in i18n.CATALOGUES
]
#: every module that builds problem messages
MESSAGE_SOURCES = [
    *(
        path
        for package in ("sheets", "frameworks", "cli", "runner")
        for path in sorted((ROOT / "evalkit" / package).glob("**/*.py"))
    ),
    ROOT / "evalkit" / "analysis" / "poverty.py",
    *(ROOT / "evalkit" / "report" / name for name in ("agency.py", "portfolio.py")),
]
BROKEN = (
    "agency_id,agency_name,year,framework,assessor,item,percent\n"
    "Trat CDD,หน่วยงาน,2565,pmqa-2562,A,1.1,50\n"
    "trat-cdd,หน่วยงาน,3000,pmqa-2562,A,1.2,50\n"
    "trat-cdd,หน่วยงาน,2565,pmqa-2562,A,2.1,52\n"
    "trat-cdd,,2565,pmqa-2562,A,2.2,50\n"
)
ENGLISH = """\
broken.csv, row 2, column 'agency_id': found 'Trat CDD'; expected an id of lowercase letters, digits, '-' or '_' (e.g. trat-cdd).
broken.csv, row 5, column 'agency_name': found an empty cell; expected the agency's name.
broken.csv, row 3, column 'year': found '3000'; expected a year between 2500 and 2700 BE (or 1957-2157 CE).
broken.csv, row 4, column 'percent': found '52'; expected a number from 0 to 100 in steps of 5.
4 problem(s) in 1 file(s); fix them and run again. Nothing was scored or stored.
"""  # noqa: E501
THAI = """\
broken.csv แถว 2 คอลัมน์ 'agency_id': พบ 'Trat CDD' แต่ที่ถูกต้องคือ รหัสที่มีเฉพาะอักษรอังกฤษตัวพิมพ์เล็ก ตัวเลข '-' หรือ '_' (เช่น trat-cdd)
broken.csv แถว 5 คอลัมน์ 'agency_name': พบ ช่องว่าง แต่ที่ถูกต้องคือ ชื่อหน่วยงาน
broken.csv แถว 3 คอลัมน์ 'year': พบ '3000' แต่ที่ถูกต้องคือ ปี พ.ศ. 2500 ถึง 2700 (หรือ ค.ศ. 1957-2157)
broken.csv แถว 4 คอลัมน์ 'percent': พบ '52' แต่ที่ถูกต้องคือ ตัวเลขตั้งแต่ 0 ถึง 100 เพิ่มทีละ 5
พบปัญหา 4 รายการใน 1 ไฟล์ แก้ไขแล้วสั่งใหม่อีกครั้ง ยังไม่ได้คำนวณหรือบันทึกสิ่งใด
"""  # noqa: E501

# --- the fixed phrases of problem messages, read from the source with ast ------------------
# Every literal or f-string given as ``found``, ``expected`` or ``hint`` (as a keyword, a
# variable of that name, a positional argument of ``Rows.flag`` or of a local ``fail``),
# every module constant named ``*_EXPECTED`` or ``*_HINT``, and what the hint builders
# return. Placeholders become ``{}``.

ROLES = ("found", "expected", "hint")
#: ``Rows.flag(mask, column, expected, hint)``, ``fail(column, found, expected, hint)``,
#: ``Parser.problem(text)`` of a framework file: the positions of the message parts
POSITIONS = {"flag": (2, 3), "fail": (1, 2, 3), "problem": (0,)}
#: what carries a message to the user whole: a problem, and the errors that become one
MESSAGE_CARRIERS = re.compile(r"^(CSVProblem|WorkbookTooLarge|_problem|_fail)$")
#: functions whose return value is a hint
HINT_BUILDERS = ("closest", "_wrong_form")
PLACEHOLDER = re.compile(r"\{[^{}]*\}")


def templates(node: ast.AST) -> Iterator[str]:
    """The message templates an expression can produce; nothing for a bare variable."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        yield node.value
    elif isinstance(node, ast.JoinedStr):
        yield "".join(v.value if isinstance(v, ast.Constant) else "{}" for v in node.values)
    elif isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add):
        lefts = list(templates(node.left)) or ["{}"]
        rights = list(templates(node.right)) or ["{}"]
        if list(templates(node.left)) or list(templates(node.right)):
            yield from (a + b for a in lefts for b in rights)
    elif isinstance(node, ast.IfExp):
        yield from templates(node.body)
        yield from templates(node.orelse)
    elif isinstance(node, ast.Lambda):
        yield from templates(node.body)


def _roles(tree: ast.AST) -> Iterator[ast.AST]:
    for node in ast.walk(tree):
        if isinstance(node, ast.Call):
            yield from (k.value for k in node.keywords if k.arg in ROLES)
            func = node.func
            name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
            yield from (node.args[i] for i in POSITIONS.get(name, ()) if i < len(node.args))
            if MESSAGE_CARRIERS.search(name):
                yield from node.args
        elif isinstance(node, ast.Assign):
            names = [t.id for t in node.targets if isinstance(t, ast.Name)]
            if any(n in ROLES or n.endswith(("_EXPECTED", "_HINT")) for n in names):
                yield node.value
        elif isinstance(node, ast.FunctionDef) and node.name in HINT_BUILDERS:
            yield from (r.value for r in ast.walk(node) if isinstance(r, ast.Return) and r.value)


def source_templates(paths: list[Path]) -> set[str]:
    """Every message template of ``paths``, normalised (whole-data ``{}`` left out)."""
    found: set[str] = set()
    for path in paths:
        for node in _roles(ast.parse(path.read_text(encoding="utf-8"))):
            found |= {t for t in templates(node) if re.search("[A-Za-z]{2}", normalise(t))}
    # a column or key named as it is written (``data``, ``parameters.{key}``) is data
    found = {t for t in found if not re.fullmatch(r"[\w.{}]+", normalise(t))}
    return {normalise(t) for t in found}


def normalise(template: str) -> str:
    return PLACEHOLDER.sub("{}", template).strip()


@pytest.fixture
def broken(tmp_path, monkeypatch) -> str:
    monkeypatch.chdir(tmp_path)
    Path("broken.csv").write_text(BROKEN, encoding="utf-8")
    return "broken.csv"


@pytest.mark.parametrize(("lang", "expected"), [("en", ENGLISH), ("th", THAI)])
def test_a_broken_sheet_word_for_word(broken, capsys, lang, expected):
    assert main(["validate", broken, "--lang", lang]) == 1
    assert capsys.readouterr().err == expected


@pytest.mark.parametrize(
    ("lang", "place", "other"),
    [("en", ", key 'data': found no value", "column"), ("th", " คีย์ 'data': พบ ไม่มีค่า", "คอลัมน์")],
)
def test_a_params_file_is_placed_by_its_keys_not_by_columns(tmp_path, capsys, lang, place, other):
    """A YAML file has keys and lines: its problems say so, where a sheet's say column and row."""
    (tmp_path / "params").mkdir()
    params = tmp_path / "params" / "one.yaml"
    params.write_text("agency_id: one\nframework: pmqa-2562\nyears: [2565]\n", encoding="utf-8")
    assert main(["run", "--project", str(tmp_path), "--no-portfolio", "--lang", lang, "-q"]) == 1
    said = capsys.readouterr().err
    assert f"one.yaml{place}" in said
    assert other not in said


def test_language_from_evalkit_lang_then_the_locale(broken, capsys, monkeypatch):
    monkeypatch.setenv("EVALKIT_LANG", "th")
    assert main(["validate", broken]) == 1
    assert capsys.readouterr().err == THAI
    monkeypatch.delenv("EVALKIT_LANG")
    for variable in i18n.LOCALE_VARIABLES:
        monkeypatch.delenv(variable, raising=False)
    monkeypatch.setenv("LANG", "th_TH.UTF-8")
    assert main(["validate", broken]) == 1
    assert capsys.readouterr().err == THAI
    monkeypatch.setenv("LANG", "C.UTF-8")
    assert main(["validate", broken]) == 1
    assert capsys.readouterr().err == ENGLISH
    assert main(["validate", broken, "--lang", "th"]) == 1  # the option wins over the locale
    assert capsys.readouterr().err == THAI


def test_the_console_script_speaks_thai_in_a_thai_locale(tmp_path):
    sheet = tmp_path / "broken.csv"
    sheet.write_text(BROKEN, encoding="utf-8")
    env = {"PATH": "/usr/bin:/bin", "LANG": "th_TH.UTF-8", "PYTHONIOENCODING": "utf-8"}
    done = subprocess.run(
        [sys.executable, "-m", "evalkit", "validate", "broken.csv"],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        encoding="utf-8",
        check=False,
    )
    assert done.returncode == 1
    assert done.stderr == THAI


def test_validate_json_lists_problems_with_messages(broken, capsys):
    assert main(["validate", broken, "--json", "--lang", "th"]) == 1
    document = json.loads(capsys.readouterr().out)
    assert document["valid"] is False and document["files"] == 1
    first = document["problems"][0]
    assert first["column"] == "agency_id" and first["found"] == "'Trat CDD'"
    assert first["message"] == THAI.splitlines()[0]


def test_data_is_never_translated_but_phrases_are():
    problem = Problem(
        file="ชีต.csv",
        row=7,
        column="item",
        found=msg(
            "no scores for item {items} of {agency} {year}",
            items="2.1, 2.2",
            agency="trat-cdd",
            year=2565,
        ),
        expected=msg("every item of category {category} or none", category=2),
        hint=msg("Did you mean {first} or {second}?", first="'1.1'", second="'1.2'"),
    )
    i18n.set_language("th")
    try:
        text = str(problem)
        whole = str(InvalidInputError([problem, problem]))
    finally:
        i18n.set_language(None)
    assert text == (
        "ชีต.csv แถว 7 คอลัมน์ 'item': พบ ไม่มีคะแนนหัวข้อ 2.1, 2.2 ของ trat-cdd ปี 2565 "
        "แต่ที่ถูกต้องคือ ทุกหัวข้อของหมวด 2 หรือไม่มีเลยทั้งหมวด หมายถึง '1.1' หรือ '1.2' หรือไม่"
    )
    assert whole.splitlines()[0] == "พบปัญหา 2 รายการในข้อมูล จึงยังไม่ได้คำนวณคะแนนหรือบันทึกสิ่งใด:"
    assert translate("'an empty cell'", "th") == "'an empty cell'"  # a value found: data
    assert translate("an empty cell", "th") == "ช่องว่าง"


def test_finished_english_is_never_read_back_as_a_pattern():
    """A message is translated by its msgid; the same words, finished in English before they
    reach translate(), are text like any other (a value a sheet holds) and stay as they are."""
    said = msg("no scores for item {items} of {agency} {year}", items="2.1", agency="a", year=1)
    assert said.render("th") == "ไม่มีคะแนนหัวข้อ 2.1 ของ a ปี 1"
    assert translate(said.render("en"), "th") == "no scores for item 2.1 of a 1"
    with (ROOT / "evalkit/locale/th/LC_MESSAGES/phrases.po").open("rb") as handle:
        shaped = [m.id for m in read_po(handle) if m.id and re.search(r"\{\w+\}", str(m.id))]
    assert shaped == [], "a phrase with {placeholders} is a message: say it with msg()"


def _msgids() -> dict[str, str]:
    found = {}
    for path in CATALOGUES:
        with path.open("rb") as handle:
            catalog = read_po(handle, locale="th")
        found.update(
            {
                (m.id if isinstance(m.id, str) else m.id[0]): (
                    m.string if isinstance(m.string, str) else m.string[0]
                )
                for m in catalog
                if m.id
            }
        )
    return found


def test_every_problem_phrase_in_the_code_has_a_thai_translation():
    """A message added in the code without its Thai translation fails here, naming it."""
    translated = {normalise(k) for k, v in _msgids().items() if v}
    missing = sorted(source_templates(MESSAGE_SOURCES) - translated)
    assert missing == [], "add these msgids to evalkit/locale/th/LC_MESSAGES/phrases.po"


def test_translations_keep_every_placeholder():
    for msgid, text in _msgids().items():
        names = set(re.findall(r"\{(\w+)\}", msgid))
        assert names == set(re.findall(r"\{(\w+)\}", text)), msgid
        wordless = not re.search("[A-Za-z]", PLACEHOLDER.sub("", msgid))  # {first}, {second}
        assert wordless or re.search("[\u0e00-\u0e7f]", text), f"no Thai for {msgid!r}"


def test_every_translation_is_thai_first_without_english_prose():
    """Every msgid of the catalogue, shown in Thai: it opens in Thai, and the only Latin words
    in it are data, what a user types (keys, columns, options) and names of programs."""
    wrong = {
        msgid: english_fragments(text) or "not Thai first"
        for msgid, text in _msgids().items()
        if text
        and re.search("[A-Za-z]", PLACEHOLDER.sub("", msgid))  # not {first}, {second}
        and (english_fragments(text) or not thai_first(text))
    }
    assert wrong == {}


def test_report_labels_are_thai_first_with_english_in_parentheses():
    assert bilingual("Below Basic") == "ต่ำกว่าระดับพื้นฐาน (Below Basic)"
    assert bilingual("total") == "คะแนนรวม (total)"
    assert bilingual("higher") == "ยิ่งมากยิ่งดี (higher)"
    assert bilingual("ไทยอยู่แล้ว") == "ไทยอยู่แล้ว"


def test_version_and_help_examples(capsys):
    with pytest.raises(SystemExit) as done:
        main(["--version"])
    assert done.value.code == 0
    assert re.fullmatch(r"evalkit \d+\.\d+\.\d+\S*\n", capsys.readouterr().out)
    with pytest.raises(SystemExit):
        main(["run", "--help"])
    help_text = capsys.readouterr().out
    assert "ตัวอย่าง (examples):" in help_text
    assert "evalkit run --pdf --quiet --log-file run.log" in help_text
    assert "(a scheduled run, with PDFs and a log)" in help_text


def test_log_file_records_what_the_console_said(broken, capsys):
    assert main(["validate", broken, "--log-file", "logs/validate.log"]) == 1
    log = Path("logs/validate.log").read_text(encoding="utf-8")
    assert re.search(r"^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d,\d+ WARNING evalkit: broken.csv", log, re.M)
    assert "4 problem(s) in 1 file(s)" in log


def test_a_message_is_translated_by_its_msgid_with_its_values_as_data():
    found = msg("expected a whole number, found {text}", text="{where}")
    assert isinstance(found, Message)
    assert found.render("en") == "expected a whole number, found {where}"
    assert found.render("th") == "ต้องเป็นจำนวนเต็ม แต่พบ {where}"  # a value is never translated
    problem = Problem(file="a.csv", row=2, column="year", found=found, expected="a year")
    i18n.set_language("th")
    try:
        assert problem.as_dict()["found"] == "ต้องเป็นจำนวนเต็ม แต่พบ {where}"
        assert "ต้องเป็นจำนวนเต็ม" in str(problem)
    finally:
        i18n.set_language(None)


def test_a_message_inside_a_message_is_shown_in_the_same_language():
    inner = msg("expected 0 or more seconds, found {text}", text="-1")
    outer = msg("expected a number of seconds, found {text}", text=inner)
    assert outer.render("th") == "ต้องเป็นจำนวนวินาที แต่พบ ต้องเป็น 0 วินาทีขึ้นไป แต่พบ -1"
    english = "expected a number of seconds, found expected 0 or more seconds, found -1"
    assert bilingual(outer).endswith(f"({english})")
