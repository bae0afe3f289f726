"""Thai numerals (๐-๙) in printed output, as many Thai offices print their documents: the
numbers and dates a person reads, never the markup, scripts, styles or embedded files of a
page. Digits are converted by pythainlp's :func:`~pythainlp.util.arabic_digit_to_thai_digit`.

- :func:`thai_digits_html` converts a finished page (a report page whose params ask for it,
  a feedback document with ``evalkit feedback --thai-digits``);
- ``templates/thai-digits.js`` does the same inside the browser that prints a PDF
  (``evalkit pdf --thai-digits``), page numbers of the footer included.
"""

from __future__ import annotations

import re

from pythainlp.util import arabic_digit_to_thai_digit

#: What is left as it is: a script or a stylesheet whole, any other tag with its attributes
#: (links, embedded images and fonts), and character references such as ``&#x27;``.
_KEPT = re.compile(r"(<(script|style)\b.*?</\2\s*>|<[^>]*>|&#?\w+;)|[0-9]+", re.S | re.I)


def thai_digits_html(html: str) -> str:
    """``html`` with the digits of its text in Thai numerals."""
    return _KEPT.sub(lambda m: m.group(1) or arabic_digit_to_thai_digit(m.group(0)), html)
