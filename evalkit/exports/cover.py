"""The dated cover note (หนังสือนำส่ง) that ``evalkit feedback --cover FILE`` puts before a
feedback document: ที่ (the reference number), วันที่, เรื่อง and เรียน, a short text and who
signs, read from a small YAML file::

    number: ตร 0017/123        # ที่
    date: 2023-03-14           # วันที่ (default: the day it is written), shown as 14 มีนาคม 2566
    subject: ส่งรายงานป้อนกลับผลการประเมิน   # เรื่อง
    to: ผู้อำนวยการสำนักงานพัฒนาชุมชนจังหวัดตราด  # เรียน
    body: ...                  # optional; a standard text naming the agency and year otherwise
    signer: ประธานคณะผู้ประเมิน   # optional

Unknown keys are refused with the allowed ones listed, like every file evalkit reads.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import yaml

from evalkit.core.errors import InvalidInputError, Problem
from evalkit.core.files import read_text_file
from evalkit.core.i18n import Message, msg
from evalkit.core.safeyaml import load_yaml

#: The keys of a cover file, and the ones it must have.
KEYS = ("number", "date", "subject", "to", "body", "signer")
REQUIRED = ("subject", "to")


@dataclass(frozen=True)
class Cover:
    """What the cover note says; ``day`` is None for the day the document is written."""

    number: str
    day: date | None
    subject: str
    to: str
    body: str = ""
    signer: str = ""


def _problem(path: Path, column: str, found: str | Message, expected: str | Message) -> Problem:
    return Problem(file=path.name, row=0, column=column, found=found, expected=expected)


def _day(path: Path, value: Any, problems: list[Problem]) -> date | None:
    if value is None or isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value))
    except ValueError:
        problems.append(
            _problem(path, "date", repr(value), msg("a date written as 2023-03-14 (year AD)"))
        )
        return None


def load_cover(path: Path) -> Cover:
    """The cover note of ``path``, or :class:`InvalidInputError` naming every problem."""
    try:
        raw = load_yaml(read_text_file(path))
    except (ValueError, yaml.YAMLError) as exc:
        raise InvalidInputError(
            [_problem(path, "", str(exc).splitlines()[0], msg("a YAML cover file"))]
        ) from None
    if not isinstance(raw, dict):
        raise InvalidInputError([_problem(path, "", type(raw).__name__, msg("a mapping of keys"))])
    problems = [
        _problem(path, str(k), msg("an unknown key {key}", key=repr(k)), ", ".join(KEYS))
        for k in raw
        if k not in KEYS
    ]
    problems += [
        _problem(path, k, msg("nothing"), msg("a text")) for k in REQUIRED if not raw.get(k)
    ]
    day = _day(path, raw.get("date"), problems)
    if problems:
        raise InvalidInputError(problems)
    text = {k: str(raw.get(k) or "") for k in KEYS if k != "date"}
    return Cover(day=day, **text)
