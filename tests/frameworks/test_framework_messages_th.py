"""A broken framework file's problems, word for word, in Thai and in English."""

from __future__ import annotations

from pathlib import Path

import pytest

from evalkit.cli.main import main

BROKEN = """\
id: Bad ID
max_points: 100
scoring:
  method: bogus
categories:
  - key: "1"
    items:
      - key: "1.1"
        points: 40
  - key: "2"
    items: []
"""
KNOWN = "band-percent, rating, gated-checklist, indicator-success"
ENGLISH = f"""\
Framework file broken.yaml is not valid:
  - id 'Bad ID': expected lowercase letters, digits, '-', '.', '_'
  - scoring.method: unknown 'bogus'; known: {KNOWN}
  - item '1.1': method: unknown 'bogus'; known: {KNOWN}
  - category '2' has no items
  - item points add up to 40, but max_points is 100
"""
THAI = f"""\
ไฟล์เกณฑ์ broken.yaml ไม่ถูกต้อง:
  - รหัสเกณฑ์ (id) 'Bad ID': ต้องมีเฉพาะอักษรอังกฤษตัวพิมพ์เล็ก ตัวเลข '-' '.' หรือ '_'
  - scoring.method: ไม่รู้จัก 'bogus' ค่าที่ใช้ได้คือ {KNOWN}
  - หัวข้อ '1.1' วิธีให้คะแนน (method): ไม่รู้จัก 'bogus' ค่าที่ใช้ได้คือ {KNOWN}
  - หมวด '2' ไม่มีหัวข้อ
  - คะแนนของทุกหัวข้อรวมกันได้ 40 แต่คะแนนเต็ม (max_points) คือ 100
"""


@pytest.mark.parametrize(("lang", "expected"), [("en", ENGLISH), ("th", THAI)])
def test_a_broken_framework_file_word_for_word(tmp_path, monkeypatch, capsys, lang, expected):
    monkeypatch.chdir(tmp_path)
    Path("broken.yaml").write_text(BROKEN, encoding="utf-8")
    assert main(["frameworks", "check", "broken.yaml", "--lang", lang]) == 1
    assert capsys.readouterr().err == expected


def test_shape_problems_are_translated_with_their_location(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    Path("shape.yaml").write_text(
        "id: x\nmax_points: 100\nscoring: {}\ncategories:\n  - key: '1'\n    items:\n"
        "      - key: '1.1'\n        points: many\n",
        encoding="utf-8",
    )
    assert main(["frameworks", "check", "shape.yaml", "--lang", "th"]) == 1
    assert capsys.readouterr().err == (
        "ไฟล์เกณฑ์ shape.yaml ไม่ถูกต้อง:\n"
        "  - categories[1].items[1.1].points: ต้องเป็นตัวเลข แต่พบ 'many'\n"
    )
