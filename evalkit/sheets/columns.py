"""Columns of score sheets: each declared once, with the names it is read by (English and
Thai), the Thai header evalkit writes for it, its type, and whether an assessor fills it.

The forms of :mod:`evalkit.sheets.forms` name their columns from this table; the reader's
header matching, the typed frames, the blank-row rule, the templates and the docs all derive
from it. :func:`register_column` adds one (a new optional column of every form is one
registration here and one in :func:`evalkit.sheets.forms.register_form`'s
``every_form``). Factor columns (``a, d, l, i``) are read only when a framework declares
them: :data:`FACTOR_COLUMNS` names the letters evalkit knows, any other letter a framework
declares is read by its own name.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from evalkit.sheets.cells import name_key as _key

if TYPE_CHECKING:
    from evalkit.frameworks.model import Framework

#: The drop-down values of a column in a template, fixed or from the framework.
Choices = tuple[str, ...] | Callable[["Framework"], Sequence[str]] | None

#: Column types in the validated frames.
DTYPES = ("category", "float64", "bool", "int64", "str")


@dataclass(frozen=True)
class Column:
    """One column a sheet may have.

    - ``thai``: the Thai header evalkit writes, shown as ``ไทย (name)``;
    - ``aliases``: the other names it is read by (the name itself always is);
    - ``dtype``: its type once validated (:data:`DTYPES`);
    - ``filled``: an assessor fills it; a row where every such cell is empty is blank (a
      template's untouched row). False for what a template fills in advance (item, check);
    - ``comment``: free text whose line breaks are kept;
    - ``read``: False for what evalkit writes to describe a row (an item's name, a check's
      text): reading recognises it and leaves it aside quietly;
    - ``choices``: the drop-down list of a template.
    """

    name: str
    thai: str = ""
    aliases: tuple[str, ...] = ()
    dtype: str = "str"
    filled: bool = True
    comment: bool = False
    read: bool = True
    choices: Choices = None

    def __post_init__(self) -> None:
        if self.dtype not in DTYPES:
            raise ValueError(f"column {self.name}: dtype {self.dtype!r}, not one of {DTYPES}")

    @property
    def names(self) -> tuple[str, ...]:
        """Every name the column is read by: its own, its Thai header, its aliases."""
        return tuple(
            dict.fromkeys((self.name, *((self.thai,) if self.thai else ()), *self.aliases))
        )


def _percent_steps(framework: Framework) -> list[str]:
    return [f"{framework.step * n:g}" for n in range(int(100 // framework.step) + 1)]


def _ratings(framework: Framework) -> list[str]:
    return [str(r.value) for r in framework.ratings]


def _framework_id(framework: Framework) -> list[str]:
    return [framework.id]


_BUILTIN = (
    Column("agency_id", "รหัสหน่วยงาน", ("agency",), "category"),
    Column("agency_name", "ชื่อหน่วยงาน", ("หน่วยงาน", "ส่วนราชการ"), "category"),
    Column("year", "ปี พ.ศ.", ("ปี", "ปีพ.ศ.", "ปีงบประมาณ"), "int64"),
    Column("framework", "เกณฑ์", ("กรอบการประเมิน",), "category", filled=False,
           choices=_framework_id),
    Column("assessor", "ผู้ประเมิน", (), "category"),
    Column("item", "หัวข้อ", ("ข้อ", "รหัสหัวข้อ"), "category", filled=False),
    Column("percent", "ร้อยละ", ("คะแนนร้อยละ", "คะแนน", "agreed_percent", "คะแนนที่ตกลง"),
           "float64", choices=_percent_steps),
    Column("rating", "ระดับคะแนน", ("คะแนนระดับ", "agreed_rating", "ระดับที่ตกลง"), "float64",
           choices=_ratings),
    Column("level", "ระดับ", ("ระดับเกณฑ์",), "category", filled=False,
           choices=("basic", "advance", "significance")),
    Column("check", "ข้อตรวจ", ("check_id", "รหัสข้อตรวจ", "รหัสเกณฑ์ย่อย"), "category",
           filled=False),
    Column("met", "ผ่าน", ("ผลการตรวจ", "ผ่านเกณฑ์", "agreed_met", "ผลที่ตกลง"), "bool",
           choices=("ใช่", "ไม่ใช่")),
    Column("indicator", "ตัวชี้วัด", (), "category", filled=False),
    Column("target", "ค่าเป้าหมาย", ("เป้าหมาย",), "float64"),
    Column("actual", "ผลการดำเนินงาน", ("ผลงาน",), "float64"),
    Column("direction", "ทิศทาง", ("ทิศทางที่ดี",), "category", filled=False,
           choices=("ยิ่งมากยิ่งดี", "ยิ่งน้อยยิ่งดี", "higher", "lower")),
    Column("floor", "ระดับ 1", ("level1", "ค่าขั้นต่ำ"), "float64"),
    Column("level2", "ระดับ 2", (), "float64"),
    Column("goal", "ระดับ 3", ("level3",), "float64"),
    Column("level4", "ระดับ 4", (), "float64"),
    Column("ceiling", "ระดับ 5", ("level5", "ค่าขั้นสูง"), "float64"),
    Column("strength", "จุดแข็ง", ("strengths", "agreed_strength", "จุดแข็งที่ตกลง"), comment=True),
    Column("improvement", "โอกาสในการปรับปรุง", ("improvements", "ข้อเสนอแนะ", "agreed_improvement",
           "โอกาสในการปรับปรุงที่ตกลง"), comment=True),
    Column("evidence", "หลักฐาน", ("เอกสารหลักฐาน", "agreed_evidence", "หลักฐานที่ตกลง"),
           comment=True),
    Column("explanation", "คำอธิบายผลการประเมิน", ("คำอธิบาย", "agreed_explanation",
           "คำอธิบายที่ตกลง"), comment=True),
    # what evalkit writes beside a template's rows, to be read by people, not by evalkit
    Column("item_name", "ชื่อหัวข้อ", filled=False, read=False),
    Column("check_text", "ข้อความ", filled=False, read=False),
    Column("level_text", "คำอธิบายระดับ", filled=False, read=False),
    # what the consensus meeting workbook shows beside the committee's columns
    Column("agenda", "วาระ", filled=False, read=False),
    Column("assessor_value", "คะแนนของผู้ประเมิน", filled=False, read=False),
    Column("assessor_comments", "ความเห็นของผู้ประเมิน", filled=False, read=False),
    Column("panel_median", "มัธยฐาน", filled=False, read=False),
    Column("panel_spread", "ช่วงห่าง", filled=False, read=False),
    # what the feedback sheet of an export shows beside the committee's text
    Column("panel_points", "คะแนนที่ได้", filled=False, read=False),
    Column("panel_max_points", "คะแนนเต็มของหัวข้อ", filled=False, read=False),
    Column("panel_label", "ผลที่ได้", filled=False, read=False),
    Column("basis", "ค่าที่แสดง", filled=False, read=False),
)  # fmt: skip

#: Factor letters evalkit knows by name: read only where a framework declares them.
FACTOR_COLUMNS: Mapping[str, Column] = {
    c.name: c
    for c in (
        Column("a", "แนวทาง", ("approach",), "float64"),
        Column("d", "การนำไปปฏิบัติ", ("deployment",), "float64"),
        Column("l", "การเรียนรู้", ("learning",), "float64"),
        Column("i", "การบูรณาการ", ("integration",), "float64"),
        Column("le", "ระดับผลลัพธ์", ("levels",), "float64"),
        Column("t", "แนวโน้ม", ("trends",), "float64"),
        Column("c", "การเปรียบเทียบ", ("comparisons",), "float64"),
    )
}

#: Thai headers of what evalkit writes in exports (never read as input).
EXPORT_HEADERS: Mapping[str, str] = {
    "key": "หมวด/หัวข้อ",
    "points": "คะแนน",
    "max_points": "คะแนนเต็ม",
    "label": "ผล",
    "assessors": "จำนวนผู้ประเมิน",
    "low": "ต่ำสุด",
    "high": "สูงสุด",
    "value": "คะแนนที่ให้",
}

#: Every column of a score sheet, by name.
COLUMNS: dict[str, Column] = {c.name: c for c in _BUILTIN}


def register_column(column: Column) -> Column:
    """Declare a column (once); its names must not be another column's."""
    if column.name in COLUMNS or column.name in FACTOR_COLUMNS:
        raise ValueError(f"column {column.name!r} is declared already")
    taken = {
        _key(n): c.name for c in (*COLUMNS.values(), *FACTOR_COLUMNS.values()) for n in c.names
    }
    clash = [n for n in column.names if _key(n) in taken]
    if clash:
        raise ValueError(
            f"column {column.name!r}: {clash[0]!r} already names {taken[_key(clash[0])]}"
        )
    COLUMNS[column.name] = column
    return column


def unregister_column(name: str) -> None:
    """Remove a column declared with :func:`register_column` (for tests of a toy column)."""
    COLUMNS.pop(name, None)


def factor_column(letter: str) -> Column:
    """The column of a factor a framework declares: the known letters with their Thai names
    and aliases, any other by its own name."""
    return FACTOR_COLUMNS.get(letter) or Column(letter, dtype="float64")


def column(name: str) -> Column:
    """A declared column, a known factor letter, or a plain text column of that name."""
    return COLUMNS.get(name) or FACTOR_COLUMNS.get(name) or Column(name)


def aliases(columns: Iterable[Column]) -> dict[str, tuple[str, ...]]:
    """Column name -> every name it is read by (for
    :func:`evalkit.sheets.readers.column_matcher`)."""
    return {c.name: c.names for c in columns}


def thai_header(name: str) -> str:
    """``ไทย (column)`` for a column evalkit knows, the column itself otherwise."""
    thai = column(name).thai or EXPORT_HEADERS.get(name, "")
    return f"{thai} ({name})" if thai else name


def thai_name(name: str) -> str:
    """The Thai header of a column alone (``ร้อยละ``), or the column itself."""
    return column(name).thai or EXPORT_HEADERS.get(name, "") or name


#: Column -> the Thai header evalkit writes for it (derived from the declarations above).
THAI_HEADERS: Mapping[str, str] = {
    **{c.name: c.thai for c in (*COLUMNS.values(), *FACTOR_COLUMNS.values()) if c.thai},
    **EXPORT_HEADERS,
}
