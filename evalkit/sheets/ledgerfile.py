"""The ledger file before SQLite opens it: a regular file (or none yet) that starts as an
SQLite file does, and the sentences that say why a file is not a ledger."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from evalkit.core.errors import LedgerError
from evalkit.core.files import not_regular
from evalkit.core.i18n import Message, msg

SQLITE_HEADER = b"SQLite format 3\x00"


@dataclass(frozen=True)
class _Said:
    """A sentence about a ledger, with its path (and what went wrong) filled in."""

    text: str

    def of(self, path: Path | str, **more: object) -> Message:
        return msg(self.text, path=path, **more)


NOT_A_LEDGER = _Said(
    "{path} is not an evalkit ledger (not an SQLite file); name the ledger `evalkit ingest` "
    "made, or a new file to start one."
)
DAMAGED = _Said(
    "The ledger {path} is damaged ({error}); restore it from a backup, or ingest the sheets "
    "again into a new ledger."
)


def regular_or_missing(path: Path) -> None:
    """Refuse a ledger path that is a folder, a device or a pipe, before anything opens it
    (a pipe would wait for a writer for ever)."""
    refused = not_regular(path)
    if refused is None or refused.text == "no such file":
        return
    if path.is_dir():
        raise LedgerError(msg("The ledger {path} is a folder; name a .sqlite file.", path=path))
    raise LedgerError(
        msg("The ledger {path}: {reason}; name a .sqlite file.", path=path, reason=refused)
    )


def check_header(path: Path) -> None:
    """Refuse an existing file that is not SQLite before SQLite writes a ledger over it."""
    try:
        with path.open("rb") as handle:
            head = handle.read(len(SQLITE_HEADER))
    except FileNotFoundError:
        return
    except OSError as exc:
        raise LedgerError(
            msg("The ledger {path} cannot be read ({error}).", path=path, error=exc.strerror)
        ) from None
    if head and head != SQLITE_HEADER:
        raise LedgerError(NOT_A_LEDGER.of(path))
