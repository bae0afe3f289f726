"""Numbers in sheets, read in the sheet's locale and kept finite and in range.

A sheet's numbers use a decimal point by default: ``8.5``, with commas only between groups of
three digits (``1,234.5``). A comma anywhere else (``8,5``) is refused rather than read as
85; a sheet written with a decimal comma is read with ``decimal_comma=True``
(``--decimal-comma`` on the command line), where
``8,5`` is 8.5 and points group thousands (``1.234,5``); ``load_sheets(...,
decimal_comma=True)`` in Python. Thai digits are read as Arabic ones,
and a trailing ``%`` is dropped.

Only plain digits are numbers: ``inf``, ``nan`` and exponents (``1e400``, ``1e-320``) are
refused, as is any number larger than :data:`LARGEST` or, other than 0, closer to 0 than
:data:`SMALLEST`: no measurement a sheet records is outside that range, and a target of
1e-320 would turn any result into full marks.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable
from functools import lru_cache
from typing import Any

import numpy as np
import pandas as pd
from pythainlp.util import thai_digit_to_arabic_digit

from evalkit.core.i18n import Message, msg

LARGEST = 1e12
SMALLEST = 1e-9
_POINT = re.compile(r"[+-]?(?:\d{1,3}(?:,\d{3})+|\d+)?(?:\.\d*)?")
_COMMA = re.compile(r"[+-]?(?:\d{1,3}(?:\.\d{3})+|\d+)?(?:,\d*)?")
_NOT_PLAIN = re.compile(r"(?i)^[+-]?(inf|infinity|nan)$|\d[eE][+-]?\d")


def per_value(series: pd.Series, convert: Callable[[Any], object]) -> pd.Series:
    """``convert`` of each cell, each distinct value converted once (a column of a million
    rows holds a few thousand agencies, a few years)."""
    return series.map({u: convert(u) for u in series.unique()})


def arabic(series: pd.Series) -> pd.Series:
    """Thai digits (๐-๙) as Arabic ones, each distinct value converted once."""
    return per_value(series, thai_digit_to_arabic_digit)


def _short(text: str) -> str:
    return text if len(text) <= 24 else text[:20] + "..."


@lru_cache(maxsize=65536)
def read_number(text: str, decimal_comma: bool = False) -> tuple[float, Message | str]:
    """The number in ``text`` (NaN when there is none), and why it was refused ("" if not)."""
    plain = thai_digit_to_arabic_digit(str(text)).strip().removesuffix("%").strip()
    if _NOT_PLAIN.search(plain):
        return math.nan, msg("Write numbers in plain digits (no exponent, inf or nan).")
    if not any(c.isdigit() for c in plain):
        return math.nan, ""
    text = _short(text)
    if decimal_comma:
        if not _COMMA.fullmatch(plain):
            return math.nan, (
                msg("{value} is not a number with a decimal comma (8,5 or 1.234,5).", value=text)
                if "." in plain
                else ""
            )
        plain = plain.replace(".", "").replace(",", ".")
    elif not _POINT.fullmatch(plain):
        return math.nan, (
            msg(
                "{value} has a decimal comma: write it with a point, or declare the sheet's "
                "decimal comma (--decimal-comma).",
                value=text,
            )
            if "," in plain
            else ""
        )
    else:
        plain = plain.replace(",", "")
    value = float(plain)
    if not math.isfinite(value) or abs(value) > LARGEST:
        largest = f"{LARGEST:,.0f}"
        return math.nan, msg(
            "{value} is larger than any measurement ({largest} at most).",
            value=text,
            largest=largest,
        )
    if value and abs(value) < SMALLEST:
        return math.nan, msg(
            "{value} is closer to 0 than any measurement: write 0 or a larger number.", value=text
        )
    return value, ""


def number_reasons(series: pd.Series, decimal_comma: bool = False) -> tuple[pd.Series, pd.Series]:
    """Each cell as a number (NaN when there is none), and why a cell was refused."""
    text = series.astype(str)
    read = {u: read_number(u, decimal_comma) for u in text.unique()}
    values = text.map({u: v for u, (v, _) in read.items()}).astype("float64")
    reasons = text.map({u: why for u, (_, why) in read.items()})
    return values, reasons


def numbers(series: pd.Series, decimal_comma: bool = False) -> pd.Series:
    """Each cell as a number; NaN where there is none or it was refused."""
    if series.empty:
        return pd.Series(np.nan, index=series.index, dtype="float64")
    return number_reasons(series, decimal_comma)[0]
