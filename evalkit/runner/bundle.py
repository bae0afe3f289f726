"""One archive of the index and every report, to send by e-mail or put on an intranet."""

from __future__ import annotations

import zipfile
from pathlib import Path

from evalkit.core.errors import EvalkitError
from evalkit.core.files import atomic_path, remove_stale_temporaries
from evalkit.runner.lock import folder_lock
from evalkit.runner.shareable import regular_files

#: what a bundle carries: the pages and their PDFs
SHARED = (".html", ".pdf")


def bundle(reports: Path, out: Path | None = None) -> Path:
    """Zip ``reports/index.html``, every page it can link to and their PDFs when they were
    written (``evalkit pdf``); return the archive's path.

    The archive keeps the folder layout, so its index opens and its links work once unpacked.
    Run manifests, locks, temporary files and symbolic links stay out. The reports folder is
    locked meanwhile, and what a killed bundle left behind is cleared first.
    """
    index = reports / "index.html"
    if not index.is_file():
        raise EvalkitError(
            f"No {index}: render the reports first with `evalkit run --out {reports}`."
        )
    out = out or reports / "evalkit-reports.zip"
    with folder_lock(reports):
        remove_stale_temporaries([out.parent])
        pages = regular_files(reports, SHARED)
        with atomic_path(out) as tmp, zipfile.ZipFile(tmp, "w", zipfile.ZIP_DEFLATED) as archive:
            for page in pages:
                archive.write(page, page.relative_to(reports).as_posix())
    return out
