"""Score sheets in, validated rows out: readers, forms, validation and the ledger."""

from evalkit.sheets.ledger import Ledger
from evalkit.sheets.load import check_sheets, load_sheets
from evalkit.sheets.paths import expand_paths
from evalkit.sheets.sheetset import SheetSet

__all__ = ["Ledger", "SheetSet", "check_sheets", "expand_paths", "load_sheets"]
