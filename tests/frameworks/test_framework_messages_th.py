"""A broken framework file's problems, word for word, in Thai and in English: each names its
line and key path, what was found there and what was expected."""

from __future__ import annotations

from pathlib import Path

import pytest

from evalkit.cli.main import main

SHAPE = """\
id: Bad ID
max_points: 100
scoring:
  method: bogus
  extra: 1
categories:
  - key: "1"
    items:
      - key: "1.1"
        points: many
  - key: "2"
    items: []
"""
SHAPE_EN = """\
Framework file broken.yaml is not valid:
  - line 1, id: found 'Bad ID'; expected lowercase letters, digits, '-', '.', '_', starting \
with a letter or digit, at most 64 characters
  - line 4, scoring.method: found 'bogus'; expected one of band-percent, rating, \
gated-checklist, indicator-success
  - line 5, scoring.extra: found the unknown key 'extra'; expected one of the keys method, \
aggregate, consensus, step
  - line 10, categories[1].items[1.1].points: found 'many'; expected a number
  - line 12, categories[2].items: found an empty list; expected at least one entry
"""
SHAPE_TH = """\
ไฟล์เกณฑ์ broken.yaml ไม่ถูกต้อง:
  - บรรทัด 1 id: พบ 'Bad ID' แต่ที่ถูกต้องคือ อักษรอังกฤษตัวพิมพ์เล็ก ตัวเลข '-' '.' หรือ '_' \
ขึ้นต้นด้วยอักษรหรือตัวเลข ยาวไม่เกิน 64 ตัวอักษร
  - บรรทัด 4 scoring.method: พบ 'bogus' แต่ที่ถูกต้องคือ ค่าใดค่าหนึ่งใน band-percent, \
rating, gated-checklist, indicator-success
  - บรรทัด 5 scoring.extra: พบ คีย์ 'extra' ที่ไม่รู้จัก แต่ที่ถูกต้องคือ คีย์ใดคีย์หนึ่งใน method, \
aggregate, consensus, step
  - บรรทัด 10 categories[1].items[1.1].points: พบ 'many' แต่ที่ถูกต้องคือ ตัวเลข
  - บรรทัด 12 categories[2].items: พบ รายการว่าง แต่ที่ถูกต้องคือ อย่างน้อยหนึ่งรายการ
"""
MEANING = """\
id: ok
max_points: 100
scoring: {method: band-percent}
bands: [[0, 50], [40, 100]]
categories:
  - key: "1"
    items:
      - {key: "1.1", points: 40}
      - {key: "1.1", points: 20}
rules:
  - {id: r, level: total, min_points: 200}
  - {id: r, level: category, min_percent: 20, min_points: 3, categories: ["9"]}
"""
MEANING_EN = """\
Framework file broken.yaml is not valid:
  - line 4, bands[2]: found a band that starts at 40; expected bands in rising order, each \
above 50 where the one before ends
  - line 5, categories: found item points that add up to 60; expected item points that add up \
to max_points, 100
  - line 9, categories[1].items[1.1].key: found '1.1', given on line 8 too; expected each key \
once in the file
  - line 11, rules[r].min_points: found 200; expected at most 100, the maximum of its total
  - line 12, rules[r].id: found 'r', given on line 11 too; expected each key once in the file
  - line 12, rules[r].categories[1]: found '9'; expected one of 1
  - line 12, rules[r]: found the thresholds min_points, min_percent; expected one of \
min_points or min_percent
"""
MEANING_TH = """\
ไฟล์เกณฑ์ broken.yaml ไม่ถูกต้อง:
  - บรรทัด 4 bands[2]: พบ ช่วงคะแนนที่เริ่มที่ 40 แต่ที่ถูกต้องคือ ช่วงคะแนนเรียงจากต่ำไปสูง \
แต่ละช่วงเริ่มสูงกว่า 50 ที่ช่วงก่อนหน้าสิ้นสุด
  - บรรทัด 5 categories: พบ คะแนนของทุกหัวข้อรวมกันได้ 60 แต่ที่ถูกต้องคือ \
คะแนนของทุกหัวข้อรวมกันได้เท่ากับคะแนนเต็ม (max_points) 100
  - บรรทัด 9 categories[1].items[1.1].key: พบ '1.1' ซึ่งมีอยู่แล้วที่บรรทัด 8 แต่ที่ถูกต้องคือ \
รหัสแต่ละตัวปรากฏครั้งเดียวในไฟล์
  - บรรทัด 11 rules[r].min_points: พบ 200 แต่ที่ถูกต้องคือ ไม่เกิน 100 ซึ่งเป็นคะแนนเต็มของ total
  - บรรทัด 12 rules[r].id: พบ 'r' ซึ่งมีอยู่แล้วที่บรรทัด 11 แต่ที่ถูกต้องคือ \
รหัสแต่ละตัวปรากฏครั้งเดียวในไฟล์
  - บรรทัด 12 rules[r].categories[1]: พบ '9' แต่ที่ถูกต้องคือ ค่าใดค่าหนึ่งใน 1
  - บรรทัด 12 rules[r]: พบ เกณฑ์ขั้นต่ำ min_points, min_percent แต่ที่ถูกต้องคือ \
min_points หรือ min_percent อย่างใดอย่างหนึ่ง
"""


@pytest.mark.parametrize(
    ("text", "lang", "expected"),
    [
        (SHAPE, "en", SHAPE_EN),
        (SHAPE, "th", SHAPE_TH),
        (MEANING, "en", MEANING_EN),
        (MEANING, "th", MEANING_TH),
    ],
    ids=["shape-en", "shape-th", "meaning-en", "meaning-th"],
)
def test_a_broken_framework_file_word_for_word(tmp_path, monkeypatch, capsys, text, lang, expected):
    monkeypatch.chdir(tmp_path)
    Path("broken.yaml").write_text(text, encoding="utf-8")
    assert main(["frameworks", "check", "broken.yaml", "--lang", lang]) == 1
    assert capsys.readouterr().err == expected
