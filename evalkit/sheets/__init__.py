"""Score sheets in, validated rows out: readers, forms, validation and the ledger.

Each name loads its module on first use, so that a module of the package (the paths of
sheets, say) is imported without pandas or openpyxl."""

from __future__ import annotations

from typing import TYPE_CHECKING

from evalkit.core.surface import lazy_surface

if TYPE_CHECKING:
    from evalkit.sheets.ledger import Ledger
    from evalkit.sheets.load import check_sheets, load_sheets
    from evalkit.sheets.paths import expand_paths
    from evalkit.sheets.sheetset import SheetSet

__getattr__ = lazy_surface(
    __name__,
    {
        "Ledger": "ledger",
        "check_sheets": "load",
        "load_sheets": "load",
        "expand_paths": "paths",
        "SheetSet": "sheetset",
    },
)

__all__ = ["Ledger", "SheetSet", "check_sheets", "expand_paths", "load_sheets"]
