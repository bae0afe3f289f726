"""What a report notebook's outputs promise the publisher that turns them into pages.

Both sides import this module and nothing else of each other: :mod:`evalkit.report` writes
these marks inside the kernel, :mod:`evalkit.runner` reads them from the executed notebook.
"""

from __future__ import annotations

import re

#: MIME-bundle metadata key under which a report states its agency, year and total.
SUMMARY_KEY = "evalkit"
#: Set in a report's summary when its page is to show numbers and dates in Thai numerals
#: (the params option ``parameters: {thai_digits: true}``).
THAI_DIGITS_KEY = "thai_digits"

#: A section heading as nbconvert exports a markdown ``## ...`` cell: its anchor and text.
SECTION_HEADING = re.compile(r'<h2 id="([^"]+)">(.*?)<a class="anchor-link"[^>]*></a></h2>')

#: The folder of a reports folder where ``evalkit feedback`` writes by default, and the name
#: of one feedback document in it; the index links the documents it finds there.
FEEDBACK_FOLDER = "feedback"


def feedback_file(agency_id: str, framework: str, year: int) -> str:
    """``AGENCY/FRAMEWORK-YEAR-feedback.html``: one feedback document, inside its folder."""
    return f"{agency_id}/{framework}-{int(year)}-feedback.html"
