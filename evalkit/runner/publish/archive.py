"""One archive of the index and every report, to send by e-mail or put on an intranet; or of
one agency's pages, PDFs and feedback documents, to send to that agency."""

from __future__ import annotations

import zipfile
from pathlib import Path

from evalkit.core.contract import FEEDBACK_FOLDER
from evalkit.core.errors import EvalkitError
from evalkit.core.files import atomic_path, remove_stale_temporaries
from evalkit.core.i18n import msg
from evalkit.core.slug import is_safe_slug
from evalkit.runner.lock import folder_lock
from evalkit.runner.publish.shareable import regular_files

#: what a bundle carries: the pages and their PDFs
SHARED = (".html", ".pdf")


def contents(reports: Path, agency: str | None = None) -> list[Path]:
    """What a bundle of ``reports`` carries: every page and PDF, the index included; or,
    for one ``agency``, its pages and PDFs and its feedback documents, without the index
    (which lists the other agencies)."""
    if agency is None:
        return regular_files(reports, SHARED)
    if not is_safe_slug(agency):
        raise EvalkitError(
            msg(
                "Not an agency id: {agency}; expected lowercase letters, digits, '-' and '_'.",
                agency=repr(agency),
            )
        )
    found = [
        *regular_files(reports / agency, SHARED),
        *regular_files(reports / FEEDBACK_FOLDER / agency, SHARED),
    ]
    if not found:
        raise EvalkitError(
            msg(
                "No pages of agency {agency} in {folder}: check the id (the folder names in "
                "the reports folder are the agencies' ids).",
                agency=repr(agency),
                folder=reports.name,
            )
        )
    return found


def bundle(reports: Path, out: Path | None = None, agency: str | None = None) -> Path:
    """Zip ``reports/index.html``, every page it can link to and their PDFs when they were
    written (``evalkit pdf``), or one ``agency``'s (see :func:`contents`); return the
    archive's path.

    The archive holds one folder named after it (``evalkit-reports/``), which keeps the
    reports folder's layout, so its index opens and its links work once unpacked. Run
    manifests, locks, temporary files and symbolic links stay out. The reports folder is
    locked meanwhile, and what a killed bundle left behind is cleared first.
    """
    index = reports / "index.html"
    if not index.is_file():
        raise EvalkitError(
            msg(
                "No {index}: render the reports first with `evalkit run --out {reports}`.",
                index=index,
                reports=reports,
            )
        )
    name = "evalkit-reports" if agency is None else f"evalkit-{agency}"
    out = out or reports / f"{name}.zip"
    top = out.stem
    with folder_lock(reports):
        remove_stale_temporaries([out.parent])
        pages = contents(reports, agency)
        with atomic_path(out) as tmp, zipfile.ZipFile(tmp, "w", zipfile.ZIP_DEFLATED) as archive:
            for page in pages:
                archive.write(page, f"{top}/{page.relative_to(reports).as_posix()}")
    return out
