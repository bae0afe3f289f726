"""Parts of a workbook read besides its cells: the custom document properties by which a
workbook evalkit wrote says what it is, and the number formats that show a percent."""

from __future__ import annotations

import json
import re
from typing import Any
from xml.etree.ElementTree import iterparse

from openpyxl.styles.numbers import BUILTIN_FORMATS_MAX_SIZE, builtin_format_code

from evalkit.core.i18n import msg
from evalkit.sheets.budget import WorkbookTooLarge

_PROPERTY = "{http://schemas.openxmlformats.org/officeDocument/2006/custom-properties}property"
CUSTOM_PROPERTIES = "docProps/custom.xml"
#: The custom document properties by which a workbook evalkit wrote says what it is.
KIND, INPUT_SHEETS = "evalkit-kind", "evalkit-input-sheets"
_QUOTED = re.compile(r'"[^"]*"|\\.')


def custom_properties(archive: Any) -> dict[str, str]:
    """The workbook's custom document properties (text values), {} when it has none."""
    if CUSTOM_PROPERTIES not in archive.namelist():
        return {}
    if archive.getinfo(CUSTOM_PROPERTIES).file_size > 2**20:
        raise WorkbookTooLarge(msg("custom document properties of more than 1 MB"))
    found: dict[str, str] = {}
    with archive.open(CUSTOM_PROPERTIES) as source:
        for _, element in iterparse(source):
            if element.tag == _PROPERTY and len(element):
                found[str(element.get("name") or "")] = str(element[0].text or "")
    return found


def input_sheets(properties: dict[str, str]) -> list[str] | None:
    """The titles a workbook evalkit wrote lists as score input; None when it lists none."""
    try:
        listed = json.loads(properties[INPUT_SHEETS])
    except (KeyError, ValueError):
        return None
    if not isinstance(listed, list) or not all(isinstance(t, str) for t in listed):
        return None
    return listed


def percent_styles(book: Any) -> frozenset[int]:
    """The cell styles of an opened workbook whose number format shows a percent (``0%``,
    ``0.00%``, or a format of its own with ``%`` outside quotes)."""
    found = set()
    for index, style in enumerate(book._cell_styles):
        number = style.numFmtId
        if number < BUILTIN_FORMATS_MAX_SIZE:
            code = builtin_format_code(number) or ""
        else:
            code = book._number_formats[number - BUILTIN_FORMATS_MAX_SIZE]
        if "%" in _QUOTED.sub("", str(code)):
            found.add(index)
    return frozenset(found)
