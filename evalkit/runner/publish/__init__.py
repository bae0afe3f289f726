"""What a run hands out: the report pages and the index (:mod:`evalkit.runner.publish.pages`), the
folder's index refreshed (:mod:`~evalkit.runner.publish.folder`), PDFs, the archive to send,
and the checks that nothing shared names a path, a user or another agency.

The names below are the room's surface, what the rest of the runner and the command use; each
loads its module on first use.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from evalkit.core.surface import lazy_surface

if TYPE_CHECKING:
    from evalkit.runner.publish.archive import bundle
    from evalkit.runner.publish.folder import finish, refresh_index, written_folders
    from evalkit.runner.publish.pages import notebook_summary, report_page, warm_pages
    from evalkit.runner.publish.pdf import write_pdfs
    from evalkit.runner.publish.shareable import (
        scrub,
        scrub_outputs,
        shareable_problem,
        take_stderr,
    )

__getattr__ = lazy_surface(
    __name__,
    {
        "bundle": "archive",
        "finish": "folder",
        "refresh_index": "folder",
        "written_folders": "folder",
        "notebook_summary": "pages",
        "report_page": "pages",
        "warm_pages": "pages",
        "write_pdfs": "pdf",
        "scrub": "shareable",
        "scrub_outputs": "shareable",
        "shareable_problem": "shareable",
        "take_stderr": "shareable",
    },
)

__all__ = [
    "bundle",
    "finish",
    "notebook_summary",
    "refresh_index",
    "report_page",
    "scrub",
    "scrub_outputs",
    "shareable_problem",
    "take_stderr",
    "warm_pages",
    "write_pdfs",
    "written_folders",
]
