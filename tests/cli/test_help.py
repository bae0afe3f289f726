"""``evalkit --help`` and usage errors in the language of the command: Thai help texts and
argparse headings with ``--lang th``, English exactly as before with ``--lang en``."""

from __future__ import annotations

import argparse
import re
import subprocess
import sys
from collections.abc import Iterator

import pytest
from helpers import GOLDEN

from evalkit.cli.main import build_parser, main
from evalkit.core import i18n
from evalkit.core.i18n import catalogue, set_language

THAI = re.compile("[\u0e00-\u0e7f]")
#: argparse's own words that evalkit's parser shows (help, usage errors of evalkit's options)
ARGPARSE_WORDS = (
    "usage: ",
    "positional arguments",
    "options",
    "{prog}: error: {message}",
    "argument {argument}: {problem}",
    "unrecognized arguments: {arguments}",
    "the following arguments are required: {arguments}",
    "invalid choice: {value} (choose from {choices})",
    "invalid {kind} value: {value}",
    "expected one argument",
    "expected at most one argument",
    "expected at least one argument",
    "ambiguous option: {option} could match {matches}",
    "ignored explicit argument {value}",
)


@pytest.fixture(autouse=True)
def columns(monkeypatch):
    monkeypatch.setenv("COLUMNS", "80")  # argparse wraps help to the terminal's width
    monkeypatch.delenv("EVALKIT_LANG", raising=False)
    yield
    set_language(None)


def help_of(capsys, *argv: str) -> str:
    with pytest.raises(SystemExit) as done:
        main(list(argv))
    assert done.value.code == 0
    return capsys.readouterr().out


def parsers(parser: argparse.ArgumentParser) -> Iterator[tuple[str, argparse.ArgumentParser]]:
    """The parser and those of its commands, each with its name."""
    yield parser.prog, parser
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for command in action.choices.values():
                yield from parsers(command)


def help_texts(parser: argparse.ArgumentParser) -> Iterator[tuple[str, str]]:
    """(where, text) for every text of ``parser`` and its commands that a person reads."""
    for name, p in parsers(parser):
        if p.description:
            yield name, p.description
        for group in p._action_groups:
            if group.title:
                yield f"{name}: group", group.title
        for action in p._actions:
            if action.help and action.help is not argparse.SUPPRESS:
                yield f"{name} {'/'.join(action.option_strings) or action.dest}", action.help
            for choice in getattr(action, "_choices_actions", []):
                yield f"{name} {choice.dest}", choice.help


def test_run_help_in_thai(capsys):
    text = help_of(capsys, "--lang", "th", "run", "--help")
    assert text.startswith("วิธีใช้: evalkit run [-h] [--project DIR] [--out DIR] [--jobs N]\n")
    assert "\nอาร์กิวเมนต์ตามลำดับ:\n  PARAMS " in text
    assert "\nตัวเลือก:\n  -h, --help            แสดงวิธีใช้นี้แล้วจบการทำงาน\n" in text
    assert "  --jobs N              จำนวนรายงานที่สร้างพร้อมกัน" in text
    assert "  --engine {shell,warm,papermill}\n" in text  # option names and metavars as they are
    assert "ไม่สร้างหน้าภาพรวมหน่วยงาน" in text
    assert "evalkit run --pdf --quiet --log-file run.log" in text  # examples as they are
    for english in ("usage:", "options:", "show this help", "reports rendered at once"):
        assert english not in text
    # continuation lines line up under the first option, Thai marks taking no column
    usage = text.split("\n\n")[0].splitlines()
    assert usage[1].index("[") == len("123456evalkit run ")  # "วิธีใช้: " takes 6 columns


def test_command_list_in_thai(capsys):
    text = help_of(capsys, "--lang", "th", "--help")
    assert "    run            สร้างรายงาน HTML หน่วยงานละหนึ่งฉบับต่อปี" in text
    assert re.search(r"\n  --version +แสดงรุ่นของโปรแกรมแล้วจบการทำงาน\n", text)


@pytest.mark.parametrize(
    ("argv", "golden"),
    [(["--help"], "help-en.txt"), (["run", "--help"], "run-help-en.txt")],
)
def test_english_help_is_as_it_was(capsys, monkeypatch, argv, golden):
    expected = (GOLDEN / "cli" / golden).read_text(encoding="utf-8")
    assert help_of(capsys, "--lang", "en", *argv) == expected
    monkeypatch.setenv("LANG", "C.UTF-8")
    assert help_of(capsys, *argv) == expected  # English by default, as before


def test_thai_help_from_the_locale(capsys, monkeypatch):
    monkeypatch.setenv("EVALKIT_LANG", "th")
    assert help_of(capsys, "init", "--help").startswith("วิธีใช้: evalkit init")
    assert help_of(capsys, "--lang", "en", "init", "--help").startswith("usage: evalkit init")


def test_help_leaves_the_language_as_it_was(capsys):
    help_of(capsys, "--lang", "th", "run", "--help")
    assert i18n._chosen is None
    with pytest.raises(SystemExit):
        main(["--lang", "th", "run", "--bogus"])
    assert i18n._chosen is None


def run_evalkit(*argv: str) -> subprocess.CompletedProcess[str]:
    env = {"PATH": "/usr/bin:/bin", "LANG": "C.UTF-8", "PYTHONIOENCODING": "utf-8"}
    return subprocess.run(
        [sys.executable, "-m", "evalkit", *argv],
        env=env,
        capture_output=True,
        text=True,
        encoding="utf-8",
        check=False,
    )


def test_an_unknown_option_in_thai_exits_2():
    done = run_evalkit("--lang", "th", "run", "--bogus")
    assert done.returncode == 2
    assert done.stdout == ""
    assert done.stderr.startswith("วิธีใช้: evalkit ")
    assert done.stderr.endswith("\nevalkit: ข้อผิดพลาด: ไม่รู้จักอาร์กิวเมนต์: --bogus\n")
    done = run_evalkit("--lang", "en", "run", "--bogus")
    assert done.returncode == 2
    assert done.stderr.endswith("\nevalkit: error: unrecognized arguments: --bogus\n")


@pytest.mark.parametrize(
    ("argv", "said"),
    [
        (
            ["run", "--engine", "x"],
            "evalkit run: ข้อผิดพลาด: อาร์กิวเมนต์ --engine: ค่าที่เลือกไม่ถูกต้อง: 'x' "
            "(เลือกได้จาก 'shell', 'warm', 'papermill')",
        ),
        (["run", "--jobs", "0"], "evalkit run: ข้อผิดพลาด: อาร์กิวเมนต์ --jobs: ต้องเป็น 1 ขึ้นไป แต่พบ 0"),
        (["score"], "evalkit score: ข้อผิดพลาด: ต้องระบุอาร์กิวเมนต์ต่อไปนี้: SHEET, --out"),
        (["run", "--out"], "evalkit run: ข้อผิดพลาด: อาร์กิวเมนต์ --out: ต้องระบุค่าหนึ่งค่า"),
        (
            ["feedback", "a.csv", "--year", "abc"],
            "evalkit feedback: ข้อผิดพลาด: อาร์กิวเมนต์ --year: ค่าไม่ถูกต้อง ต้องเป็นชนิด int: 'abc'",
        ),
    ],
)
def test_usage_errors_in_thai(capsys, argv, said):
    with pytest.raises(SystemExit) as done:
        main(["--lang", "th", *argv])
    assert done.value.code == 2
    err = capsys.readouterr().err
    assert err.startswith("วิธีใช้: evalkit ")
    assert err.splitlines()[-1] == said


def test_every_help_text_has_a_thai_translation():
    """A new option, command or help text without its Thai translation fails here."""
    set_language("en")
    texts = list(help_texts(build_parser()))
    assert len(texts) > 60
    thai = catalogue("th")
    missing = sorted(
        {
            f"{where}: {text!r}"
            for where, text in texts
            if not THAI.match(text)  # written Thai first already, as the description is
            and (thai.gettext(text) == text or not THAI.search(thai.gettext(text)))
        }
    )
    assert missing == [], "add these msgids to evalkit/locale/th/LC_MESSAGES/phrases.po"
    untranslated = [word for word in ARGPARSE_WORDS if thai.gettext(word) == word]
    assert untranslated == []


def test_other_parsers_in_the_process_stay_english(capsys):
    set_language("th")
    assert "แสดงวิธีใช้นี้" in build_parser().format_help()
    other = argparse.ArgumentParser(prog="other")
    other.add_argument("--jobs", type=int, help="how many")
    assert other.format_help().startswith("usage: other [-h] [--jobs JOBS]\n\noptions:\n")
    with pytest.raises(SystemExit) as done:
        other.parse_args(["--bogus"])
    assert done.value.code == 2
    assert capsys.readouterr().err.endswith("other: error: unrecognized arguments: --bogus\n")
