"""Fuzzing every loader a user can hand a file to: any input gives rows or problems, never a
traceback. (Time and memory bounds are checked on the bombs of the hostile corpus, in a
process of their own: tests/sheets/test_hostile.py.)"""

from __future__ import annotations

import contextlib
import csv
import io

import openpyxl
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from evalkit.core.errors import FrameworkError, InvalidInputError, Problem
from evalkit.core.i18n import Message
from evalkit.frameworks.schema import parse_framework
from evalkit.runner.plan.params import KNOWN_KEYS, load_params
from evalkit.sheets.load import check_sheets

FUZZ = settings(
    max_examples=60, suppress_health_check=[HealthCheck.function_scoped_fixture], deadline=None
)
HEADER = "agency_id,agency_name,year,framework,assessor,item,percent,strength\n"
#: Pieces that break CSV structure and numbers, mixed with ordinary cell text.
TOKENS = st.sampled_from(
    [
        '"',
        ",",
        "\n",
        "\r\n",
        '""',
        "h1",
        "หน่วยงาน",
        "2565",
        "pmqa-2562",
        "A",
        "1.1",
        "50",
        "8,5",
        "inf",
        "1e400",
        "\x00",
        "\x1b[2J",
        "๕๐",
        " ",
        "%",
        "-",
    ]
)
SCALARS = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.floats(),
    st.text(max_size=10),
    st.sampled_from(["band-percent", "median", "medain", "1.1", "basic"]),
)
YAML_VALUES = st.recursive(
    SCALARS,
    lambda inner: st.one_of(
        st.lists(inner, max_size=4),
        st.dictionaries(
            st.sampled_from(["key", "id", "items", "points", "name", "th"]) | st.text(max_size=5),
            inner,
            max_size=4,
        ),
    ),
    max_leaves=20,
)
#: Text a workbook can hold (XML allows no control characters but tab and line breaks).
CELL_TEXT = st.text(st.characters(blacklist_categories=("Cc", "Cs")), max_size=8)
FRAMEWORK_KEYS = [
    "id",
    "max_points",
    "scoring",
    "categories",
    "bands",
    "ratings",
    "checklist_points",
    "success_points",
    "rules",
    "types",
    "factors",
    "name",
]


def _no_traceback(sheets_and_problems: tuple[object, list[Problem]]) -> None:
    _, problems = sheets_and_problems
    assert all(isinstance(p, Problem) for p in problems)


@given(st.lists(TOKENS, max_size=40), st.booleans())
@FUZZ
def test_csv_of_hostile_pieces_gives_rows_or_problems(tmp_path, pieces, decimal_comma):
    path = tmp_path / "fuzz.csv"
    path.write_bytes((HEADER + "".join(pieces)).encode("utf-8"))
    _no_traceback(check_sheets([path], decimal_comma=decimal_comma))


@given(st.binary(max_size=300), st.sampled_from([None, "utf-8", "tis-620", "utf-16", "latin-9"]))
@FUZZ
def test_csv_of_any_bytes_in_any_encoding_gives_rows_or_problems(tmp_path, data, encoding):
    path = tmp_path / "fuzz.csv"
    path.write_bytes(HEADER.encode() + data)
    _no_traceback(check_sheets([path], encoding=encoding))


@given(
    st.lists(
        st.lists(
            st.one_of(
                st.none(),
                st.integers(),
                st.floats(),
                CELL_TEXT,
                st.sampled_from(["h1", "2565", "pmqa-2562", "1.1", "50"]),
            ),
            max_size=9,
        ),
        max_size=6,
    ),
    st.sampled_from(["visible", "hidden", "veryHidden"]),
    st.lists(st.sampled_from(["A1:B2", "C3:C9", "A2:H2", "Z1:A9"]), max_size=3),
)
@FUZZ
def test_workbooks_of_any_cells_give_rows_or_problems(tmp_path, cells, state, merges):
    book = openpyxl.Workbook()
    ws = book.active
    ws.append(HEADER.strip().split(","))
    for row in cells:
        ws.append(row)
    for ref in merges:
        with contextlib.suppress(ValueError):
            ws.merge_cells(ref)
    book.create_sheet("second").append(["x"])
    ws.sheet_state = state
    path = tmp_path / "fuzz.xlsx"
    book.save(path)
    _no_traceback(check_sheets([path]))


@given(st.dictionaries(st.sampled_from(FRAMEWORK_KEYS), YAML_VALUES, max_size=8))
@FUZZ
def test_framework_files_of_any_shape_give_a_framework_or_problems(data):
    text = yaml.safe_dump(data, allow_unicode=True)
    try:
        parse_framework(text, "fuzz.yaml")
    except FrameworkError as exc:
        assert exc.problems and all(isinstance(p, str | Message) for p in exc.problems)


@given(st.text(max_size=200))
@FUZZ
def test_framework_text_of_any_kind_gives_a_framework_or_problems(text):
    try:
        parse_framework(text, "fuzz.yaml")
    except FrameworkError as exc:
        assert exc.problems


@given(
    st.dictionaries(st.sampled_from([*KNOWN_KEYS, "other"]), YAML_VALUES, max_size=6) | YAML_VALUES,
    st.sampled_from(["utf-8", "cp874"]),
)
@FUZZ
def test_params_files_of_any_shape_give_params_or_problems(tmp_path, data, encoding):
    path = tmp_path / "params.yaml"
    path.write_bytes(yaml.safe_dump(data, allow_unicode=True).encode(encoding, "replace"))
    try:
        load_params(path)
    except InvalidInputError as exc:
        assert exc.problems and all(p.file == str(path) for p in exc.problems)


def test_csv_written_by_the_csv_module_reads_back_whatever_the_comments_hold(tmp_path):
    """Quotes, commas and line breaks in a comment, quoted properly, are read as written."""
    comment = 'ดีมาก, "ชัดเจน"\nมีแผน'
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(HEADER.strip().split(","))
    writer.writerow(["h1", "หน่วยงาน", "2565", "pmqa-2562", "A", "1.1", "50", comment])
    writer.writerow(["h1", "หน่วยงาน", "2565", "pmqa-2562", "A", "1.2", "60", ""])
    path = tmp_path / "quoted.csv"
    path.write_text(buffer.getvalue(), encoding="utf-8")
    sheets, problems = check_sheets([path])
    assert problems == []
    assert sheets.bands["strength"].tolist() == [comment, ""]
