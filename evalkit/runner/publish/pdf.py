"""PDF copies of the report pages, for attachments, LINE messages and signing on paper.

Each page is printed by headless Chromium (or Google Chrome, or Microsoft Edge) driven by
Playwright: the same engine that shows the page on screen, so Thai line breaking, the
embedded Sarabun font and the charts come out as people see them. The page's own print
stylesheet (``templates/report.css``) sets A4 portrait, the margins, the page numbers in the
footer and where pages may break; here the footer also gets the page's title (the agency
and year), and the PDF is written beside its page, atomically.

Playwright is an optional dependency (``pip install 'evalkit[pdf]'``); it never downloads a
browser here: it drives the one installed on the machine.
"""

from __future__ import annotations

import json
import logging
import os
import shutil
from collections.abc import Iterable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from evalkit.core.errors import EvalkitError, UnavailableError
from evalkit.core.files import atomic_path, remove_stale_temporaries
from evalkit.core.i18n import Message, msg
from evalkit.core.templates import asset
from evalkit.runner.lock import folder_lock
from evalkit.runner.publish.shareable import regular_files

log = logging.getLogger(__name__)

#: Browsers tried in turn when EVALKIT_CHROMIUM names none.
BROWSERS = (
    "/usr/bin/chromium",
    "chromium",
    "chromium-browser",
    "google-chrome",
    "google-chrome-stable",
    "msedge",
    "microsoft-edge",
)
FLAGS = (
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
)
#: the footer's left box: the page's title, set per page (the right box numbers the pages)
FOOTER_STYLE = (
    "@page{{@bottom-left{{content:{label};width:75%;font-family:Sarabun,sans-serif;"
    "font-size:8.5pt;color:#57606a;vertical-align:top;padding-top:4mm}}}}"
)


class PdfEngineMissing(UnavailableError):
    """No browser or no Playwright: the message names what to install."""


def _install(reason: Message) -> Message:
    """Why no PDF can be printed, and what to install."""
    return msg(
        "No PDF engine: {reason}. Install one: Chromium (`apt-get install chromium`, or Google "
        "Chrome or Microsoft Edge) with the Python package playwright (`pip install "
        "'evalkit[pdf]'`); or name a browser with EVALKIT_CHROMIUM=/path/to/chrome.",
        reason=reason,
    )


def find_browser() -> str | None:
    """The browser to print with: EVALKIT_CHROMIUM, else the first of :data:`BROWSERS`."""
    named = os.environ.get("EVALKIT_CHROMIUM")
    if named:
        return named if Path(named).is_file() else None
    for candidate in BROWSERS:
        found = candidate if Path(candidate).is_file() else shutil.which(candidate)
        if found:
            return found
    return None


def _playwright() -> Any:
    """Playwright's sync API; an optional dependency, so imported when a PDF is asked for."""
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        raise PdfEngineMissing(
            _install(reason=msg("the Python package playwright is not installed"))
        ) from None
    return sync_playwright


def pdf_path(page: Path) -> Path:
    return page.with_suffix(".pdf")


def report_pages(reports: Path) -> list[Path]:
    """The pages of a reports folder that get a PDF: every report and portfolio page (and
    any other page beside them), not the index, nor failure pages, nor temporary files."""
    return [
        p
        for p in regular_files(reports, (".html",))
        if p != reports / "index.html" and not p.name.endswith(".failed.html")
    ]


def is_current(page: Path) -> bool:
    pdf = pdf_path(page)
    return pdf.is_file() and pdf.stat().st_mtime >= page.stat().st_mtime


@dataclass
class PdfResult:
    written: list[Path] = field(default_factory=list)
    current: list[Path] = field(default_factory=list)


class Printer:
    """One browser, printing page after page."""

    def __init__(self, browser: Any, thai_digits: bool = False):
        self.browser = browser
        self.thai_digits = thai_digits

    def print_page(self, page_path: Path, out: Path | None = None) -> Path:
        out = out or pdf_path(page_path)
        page = self.browser.new_page()
        try:
            page.goto(page_path.resolve().as_uri(), wait_until="load")
            page.evaluate("document.fonts.ready")
            if self.thai_digits:  # numbers, dates and page numbers in Thai numerals
                page.add_script_tag(content=str(asset("thai-digits.js")))
            label = json.dumps(page.title(), ensure_ascii=False)  # JSON quoting is valid CSS
            page.add_style_tag(content=FOOTER_STYLE.format(label=label))
            page.emulate_media(media="print")
            with atomic_path(out) as tmp:
                page.pdf(path=str(tmp), prefer_css_page_size=True, print_background=True)
        finally:
            page.close()
        log.info("PDF written: %s", out)
        return out


@contextmanager
def printer(thai_digits: bool = False) -> Iterator[Printer]:
    """A :class:`Printer` on a headless system browser, closed afterwards."""
    sync_playwright = _playwright()
    executable = find_browser()
    if executable is None:
        raise PdfEngineMissing(
            _install(reason=msg("no Chromium, Google Chrome or Microsoft Edge was found"))
        )
    with sync_playwright() as playwright:
        try:
            browser = playwright.chromium.launch(executable_path=executable, args=list(FLAGS))
        except Exception as exc:  # Playwright's own error type; the message says why
            raise PdfEngineMissing(
                _install(
                    reason=msg(
                        "{browser} did not start ({reason})",
                        browser=str(executable),
                        reason=str(exc),
                    ),
                )
            ) from None
        try:
            yield Printer(browser, thai_digits)
        finally:
            browser.close()


def write_pdfs(
    reports: Path,
    pages: Iterable[Path] | None = None,
    force: bool = False,
    thai_digits: bool = False,
) -> PdfResult:
    """A PDF beside each page of ``reports`` (or of ``pages``) whose PDF is missing or older
    than the page; with ``force``, every one; with ``thai_digits``, every one, in Thai
    numerals."""
    pages = report_pages(reports) if pages is None else list(pages)
    if not pages:
        raise EvalkitError(
            msg(
                "No report pages in {folder}: render them first with `evalkit run --out {folder}`.",
                folder=reports,
            )
        )
    result = PdfResult()
    todo: list[Path] = []
    for page in pages:
        (todo if force or thai_digits or not is_current(page) else result.current).append(page)
    with folder_lock(reports):  # a run writing pages meanwhile: refused, or waited for
        remove_stale_temporaries({page.parent for page in pages})  # of a killed pdf run
        if todo:
            # A thread of its own: Playwright's sync API refuses to run where an asyncio loop
            # already runs (a notebook, or another Playwright session in this thread).
            with ThreadPoolExecutor(max_workers=1) as pool:
                result.written = pool.submit(_print_all, todo, thai_digits).result()
    return result


def _print_all(pages: list[Path], thai_digits: bool = False) -> list[Path]:
    with printer(thai_digits) as p:
        return [p.print_page(page) for page in pages]
