"""Declaration files: loaded once, checked against the schema beside them, a mistake named
with its place."""

from __future__ import annotations

import pytest

from evalkit.core.dates import era_marker, read_date
from evalkit.core.declared import DeclarationError, check, declaration, one_of, schema


def test_the_words_around_numbers_are_declared_and_read():
    words = declaration("evalkit.core", "words")
    assert declaration("evalkit.core", "words") is words  # loaded once
    assert era_marker("buddhist") == r"พ\.ศ\."
    assert read_date("5 สิงหาคม พ.ศ. 2565") == read_date("5 ส.ค. ค.ศ. 2022") is not None


@pytest.mark.parametrize(
    ("change", "said"),
    [
        ({"eras": {"buddhist": ["พ.ศ."], "common": ["ค", "ศ"]}}, r"at eras\.buddhist\[0\]: "),
        ({"range": ""}, r"at range: ''"),
        ({"era": {}}, r"at the top: .*'era' was unexpected.*allowed there: eras, range, category"),
    ],
)
def test_a_mistake_is_named_with_its_place(change, said):
    words = {**declaration("evalkit.core", "words"), **change}
    with pytest.raises(DeclarationError, match=f"^core/words.yaml: {said}"):
        check(words, schema("evalkit.core", "words"), "core/words.yaml")


def test_one_of_tries_the_longest_word_first():
    assert one_of(["ปี", "ปีงบประมาณ", "a.b"]) == r"ปีงบประมาณ|a\.b|ปี"
