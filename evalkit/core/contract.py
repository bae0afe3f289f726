"""What a report notebook's outputs promise the publisher that turns them into pages.

Both sides import this module and nothing else of each other: :mod:`evalkit.report` writes
these marks inside the kernel, :mod:`evalkit.runner` reads them from the executed notebook.
"""

from __future__ import annotations

import re

#: MIME-bundle metadata key under which a report states its agency, year and total.
SUMMARY_KEY = "evalkit"

#: A section heading as nbconvert exports a markdown ``## ...`` cell: its anchor and text.
SECTION_HEADING = re.compile(r'<h2 id="([^"]+)">(.*?)<a class="anchor-link"[^>]*></a></h2>')
